//! `sla lsp`: the language server, on standard input and output.
//!
//! One thread answers messages in order: every request here is a walk over
//! one document's tree, far cheaper than the round trip to the editor, so a
//! worker pool would add locking and buy nothing. After a change the
//! server answers whatever else is already waiting, then checks each
//! changed document once, so a burst of keystrokes costs one check.
//!
//! Diagnostics are `sla check`'s ([`crate::check::check_parsed`]) and
//! formatting is `sla fmt`'s ([`crate::fmt::format_source`]). Definition,
//! references, rename, hover and semantic tokens answer from the checker's
//! name table ([`crate::check::Names`]); outline and completion read the
//! syntax tree. A document is parsed and checked once per version, when
//! first needed. Positions are UTF-16 code units, LSP's
//! default ([`position`]). Logs go to standard error: standard output is
//! the protocol's.

mod actions;
mod complete;
mod diagnostics;
mod explain;
mod hints;
mod hover;
mod index;
mod keywords;
mod position;
mod rename;
mod symbols;
mod tokens;
pub(crate) mod transport;
mod workspace;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc;

use chrono::NaiveDate;
use lsp_server::{ErrorCode, Message, Notification, Request, Response, ResponseError};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    Initialized, Notification as NotificationTrait, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    InlayHintRequest, PrepareRenameRequest, References, Rename, Request as RequestTrait,
    SemanticTokensFullRequest,
};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentFormattingParams,
    DocumentSymbolParams, DocumentSymbolResponse, FileChangeType, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, InlayHint, InlayHintParams, Location, MarkupContent,
    MarkupKind, OneOf, PositionEncodingKind, PrepareRenameResponse, PublishDiagnosticsParams,
    ReferenceParams, RenameOptions, RenameParams, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensParams, SemanticTokensResult, SemanticTokensServerCapabilities,
    ServerCapabilities, ServerInfo, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextEdit, Uri, WorkDoneProgressOptions,
    WorkspaceEdit,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::check::Checked;
use crate::syntax::ast;
use position::LineIndex;
use transport::{Incoming, Outgoing};

/// `initializationOptions.today`, a date as `2026-12-07`; a value that is
/// not one is said on stderr and the clock's day used instead.
fn today_option(p: &InitializeParams) -> Option<NaiveDate> {
    let v = p.initialization_options.as_ref()?.get("today")?;
    let day = v
        .as_str()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    if day.is_none() {
        eprintln!("sla lsp: `initializationOptions.today` is not a date as 2026-12-07: {v}");
    }
    day
}

/// Run the server until the client says `exit`. Returns the process exit
/// code: 0 after `shutdown` then `exit`, 1 otherwise (as LSP asks).
pub fn run() -> i32 {
    let (to_server, receiver) = mpsc::channel();
    let (sender, from_server) = mpsc::channel();
    // The reader is not joined: it may be blocked reading standard input
    // when the server exits, and ends with the process.
    std::thread::spawn(move || transport::read_loop(std::io::stdin().lock(), to_server));
    let writer = std::thread::spawn(move || {
        transport::write_loop(
            std::io::BufWriter::new(std::io::stdout().lock()),
            from_server,
        )
    });
    let conn = Connection { sender, receiver };
    let code = Server::new(&conn).serve();
    // The writer ends once every sender is gone; drop ours first.
    drop(conn);
    match writer.join() {
        Ok(Ok(())) => code,
        Ok(Err(e)) => {
            eprintln!("sla lsp: cannot write to the editor: {e}");
            1
        }
        Err(_) => 1,
    }
}

/// The server's ends of the transport's channels.
struct Connection {
    sender: mpsc::Sender<Outgoing>,
    receiver: mpsc::Receiver<Incoming>,
}

/// What the server advertises.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions::default()),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        references_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        ..ServerCapabilities::default()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for `initialize`.
    Starting,
    Running,
    /// `shutdown` answered; only `exit` is left.
    ShutDown,
}

/// An open document: its text as the editor has it, and its tree and the
/// checker's answer for it, made when first asked for after a change.
struct Doc {
    uri: Uri,
    version: i32,
    text: String,
    lines: LineIndex,
    analysis: Option<(ast::File, Checked)>,
}

impl Doc {
    fn new(uri: Uri, version: i32, text: String) -> Doc {
        let lines = LineIndex::new(&text);
        Doc {
            uri,
            version,
            text,
            lines,
            analysis: None,
        }
    }

    fn set_text(&mut self, text: String) {
        self.lines = LineIndex::new(&text);
        self.text = text;
        self.analysis = None;
    }

    /// The text, its line index, its tree (recovered past syntax errors)
    /// and the checker's result for that tree: its diagnostics (the parse
    /// errors among them) and its name table.
    fn parsed(&mut self) -> (&str, &LineIndex, &ast::File, &Checked) {
        let (tree, checked) = self.analysis.get_or_insert_with(|| {
            let (tree, parse_errors) = crate::syntax::parse(&self.text);
            let checked = crate::check::check_parsed(&tree, parse_errors);
            (tree, checked)
        });
        (&self.text, &self.lines, tree, checked)
    }
}

/// A failed request: its JSON-RPC error code and message.
type Failure = (ErrorCode, String);

struct Server<'c> {
    conn: &'c Connection,
    state: State,
    /// Open documents by URI.
    docs: HashMap<String, Doc>,
    /// Documents changed since their diagnostics were last sent.
    dirty: Vec<String>,
    /// The workspace folders: their contracts are checked from disk when
    /// not open in the editor.
    roots: Vec<PathBuf>,
    /// The day hover's examples and closed days count from: the client's
    /// `initializationOptions.today` (`"2026-12-07"`) when it gives one, as
    /// `sla info --today` does, so that an answer can be reproduced; else
    /// the day of each request.
    today: Option<NaiveDate>,
}

impl<'c> Server<'c> {
    fn new(conn: &'c Connection) -> Server<'c> {
        Server {
            conn,
            state: State::Starting,
            docs: HashMap::new(),
            dirty: Vec::new(),
            roots: Vec::new(),
            today: None,
        }
    }

    fn serve(&mut self) -> i32 {
        loop {
            let Ok(msg) = self.conn.receiver.recv() else {
                eprintln!("sla lsp: the client closed the connection without `exit`");
                return 1;
            };
            if let Some(code) = self.incoming(msg) {
                return code;
            }
            // Answer what is already waiting before checking, so a burst
            // of changes is checked once, at its last version.
            while let Ok(msg) = self.conn.receiver.try_recv() {
                if let Some(code) = self.incoming(msg) {
                    return code;
                }
            }
            self.publish_dirty();
        }
    }

    fn send(&self, msg: impl Into<Message>) {
        if self
            .conn
            .sender
            .send(Outgoing::Message(msg.into()))
            .is_err()
        {
            eprintln!("sla lsp: cannot send: the output is closed");
        }
    }

    /// A message from the transport; a malformed frame gets its error
    /// response and the server goes on.
    fn incoming(&mut self, msg: Incoming) -> Option<i32> {
        match msg {
            Incoming::Message(m) => self.handle(m),
            Incoming::Malformed(reply) => {
                eprintln!(
                    "sla lsp: {}",
                    reply["error"]["message"]
                        .as_str()
                        .unwrap_or("malformed message")
                );
                if self.conn.sender.send(Outgoing::Raw(reply)).is_err() {
                    eprintln!("sla lsp: cannot send: the output is closed");
                }
                None
            }
        }
    }

    /// Handle one message; `Some(code)` when the server should stop.
    fn handle(&mut self, msg: Message) -> Option<i32> {
        match msg {
            Message::Request(req) => {
                let resp = self.request(req);
                self.send(resp);
                None
            }
            Message::Notification(n) if n.method == "exit" => {
                Some(if self.state == State::ShutDown { 0 } else { 1 })
            }
            Message::Notification(n) => {
                // Before `initialize` and after `shutdown`, notifications are dropped (LSP).
                if self.state == State::Running {
                    let method = n.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                        eprintln!("sla lsp: internal error handling `{method}`");
                    }
                }
                None
            }
            // The server sends no requests, so expects no responses.
            Message::Response(_) => None,
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let method = req.method.clone();
        let result = match (self.state, method.as_str()) {
            (State::Starting, "initialize") => {
                self.state = State::Running;
                // Parameters the server cannot read only cost it the
                // workspace's folders; the editor still gets its server.
                match serde_json::from_value::<InitializeParams>(req.params.clone()) {
                    Ok(p) => {
                        self.roots = workspace::roots(&p);
                        self.today = today_option(&p);
                    }
                    Err(e) => eprintln!("sla lsp: `initialize` parameters not understood: {e}"),
                }
                to_json(InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(ServerInfo {
                        name: "sla".into(),
                        version: Some(env!("CARGO_PKG_VERSION").into()),
                    }),
                })
            }
            (State::Starting, _) => Err((
                ErrorCode::ServerNotInitialized,
                format!("`{method}` before `initialize`"),
            )),
            (State::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                format!("`{method}` after `shutdown`"),
            )),
            (State::Running, "initialize") => {
                Err((ErrorCode::InvalidRequest, "`initialize` sent twice".into()))
            }
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                Ok(Value::Null)
            }
            (State::Running, _) => {
                // A bug in a handler answers this one request with an error
                // instead of taking the editor's server down.
                match catch_unwind(AssertUnwindSafe(|| self.route(req))) {
                    Ok(r) => r,
                    Err(_) => Err((
                        ErrorCode::InternalError,
                        format!("internal error in `{method}`"),
                    )),
                }
            }
        };
        match result {
            Ok(value) => Response {
                id,
                response_result: Ok(value),
            },
            Err((code, message)) => {
                if !matches!(code, ErrorCode::MethodNotFound) {
                    eprintln!("sla lsp: `{method}` failed: {message}");
                }
                Response {
                    id,
                    response_result: Err(ResponseError {
                        code: code as i32,
                        message,
                        data: None,
                    }),
                }
            }
        }
    }

    fn route(&mut self, req: Request) -> Result<Value, Failure> {
        match req.method.as_str() {
            HoverRequest::METHOD => {
                let p: HoverParams = params(req.params)?;
                to_json(self.hover(p))
            }
            GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(req.params)?;
                to_json(self.definition(p))
            }
            DocumentSymbolRequest::METHOD => {
                let p: DocumentSymbolParams = params(req.params)?;
                to_json(self.symbols(p))
            }
            Completion::METHOD => {
                let p: CompletionParams = params(req.params)?;
                to_json(self.completion(p))
            }
            Formatting::METHOD => {
                let p: DocumentFormattingParams = params(req.params)?;
                to_json(self.format(p)?)
            }
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(req.params)?;
                to_json(self.code_actions(p))
            }
            SemanticTokensFullRequest::METHOD => {
                let p: SemanticTokensParams = params(req.params)?;
                to_json(self.semantic_tokens(p))
            }
            InlayHintRequest::METHOD => {
                let p: InlayHintParams = params(req.params)?;
                to_json(self.inlay_hints(p))
            }
            References::METHOD => {
                let p: ReferenceParams = params(req.params)?;
                to_json(self.references(p))
            }
            PrepareRenameRequest::METHOD => {
                let p: TextDocumentPositionParams = params(req.params)?;
                to_json(self.prepare_rename(p)?)
            }
            Rename::METHOD => {
                let p: RenameParams = params(req.params)?;
                to_json(self.rename(p)?)
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("`{other}` is not supported"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = note_params::<DidOpenTextDocumentParams>(&n) else {
                    return;
                };
                let key = p.text_document.uri.as_str().to_string();
                let doc = Doc::new(
                    p.text_document.uri,
                    p.text_document.version,
                    p.text_document.text,
                );
                self.docs.insert(key.clone(), doc);
                self.mark_dirty(key);
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = note_params::<DidChangeTextDocumentParams>(&n) else {
                    return;
                };
                let key = p.text_document.uri.as_str().to_string();
                let Some(doc) = self.docs.get_mut(&key) else {
                    eprintln!("sla lsp: change to a document not open: {key}");
                    return;
                };
                let mut text = std::mem::take(&mut doc.text);
                for change in p.content_changes {
                    match change.range {
                        // Incremental sync: a keystroke sends a few bytes,
                        // not the whole contract.
                        Some(range) => {
                            let lines = LineIndex::new(&text);
                            let start = lines.offset(&text, range.start);
                            let end = lines.offset(&text, range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                doc.version = p.text_document.version;
                doc.set_text(text);
                self.mark_dirty(key);
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = note_params::<DidCloseTextDocumentParams>(&n) else {
                    return;
                };
                let key = p.text_document.uri.as_str().to_string();
                if self.docs.remove(&key).is_some() {
                    // A contract of the workspace keeps the problems of its
                    // saved text; any other file's list is cleared.
                    let uri = p.text_document.uri;
                    match workspace::path_of(&uri).filter(|p| self.in_workspace(p)) {
                        Some(path) => self.publish_from_disk(uri, &path),
                        None => self.publish(uri, Vec::new(), None),
                    }
                }
                self.dirty.retain(|k| *k != key);
            }
            Initialized::METHOD => self.check_workspace(),
            DidChangeWatchedFiles::METHOD => {
                let Some(p) = note_params::<DidChangeWatchedFilesParams>(&n) else {
                    return;
                };
                for change in p.changes {
                    // An open document's problems are those of the editor's text.
                    if self.docs.contains_key(change.uri.as_str()) {
                        continue;
                    }
                    let Some(path) = workspace::path_of(&change.uri) else {
                        continue;
                    };
                    if change.typ == FileChangeType::DELETED {
                        self.publish(change.uri, Vec::new(), None);
                    } else if workspace::is_contract(&path) {
                        self.publish_from_disk(change.uri, &path);
                    }
                }
            }
            // `$/cancelRequest` (requests are answered at
            // once, so there is nothing to cancel), settings and the like.
            _ => {}
        }
    }

    fn in_workspace(&self, path: &std::path::Path) -> bool {
        workspace::is_contract(path) && workspace::within(&self.roots, path) && path.is_file()
    }

    /// Diagnostics for every contract of the workspace folders that is not
    /// open, from its text on disk: the editor's problem list covers the
    /// folder, not only the open tabs.
    fn check_workspace(&mut self) {
        let files = workspace::contracts(&self.roots);
        if files.len() >= workspace::MAX_FILES {
            eprintln!(
                "sla lsp: the workspace holds more than {} contracts; only the first are checked until opened",
                workspace::MAX_FILES
            );
        }
        let open: Vec<PathBuf> = self
            .docs
            .values()
            .filter_map(|d| workspace::path_of(&d.uri))
            .collect();
        for path in files {
            if open.contains(&path) {
                continue;
            }
            if let Some(uri) = workspace::uri_of(&path) {
                self.publish_from_disk(uri, &path);
            }
        }
    }

    /// Check a contract as saved on disk and publish its diagnostics.
    fn publish_from_disk(&self, uri: Uri, path: &std::path::Path) {
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                eprintln!("sla lsp: cannot read {}: {e}", path.display());
                return;
            }
        };
        let lines = LineIndex::new(&text);
        let diags = match catch_unwind(|| crate::check::check_source(&text)) {
            Ok(checked) => checked
                .diagnostics
                .iter()
                .map(|d| diagnostics::to_lsp(&uri, &text, &lines, d))
                .collect(),
            Err(_) => {
                eprintln!("sla lsp: internal error checking {}", path.display());
                return;
            }
        };
        self.publish(uri, diags, None);
    }

    fn mark_dirty(&mut self, key: String) {
        if !self.dirty.contains(&key) {
            self.dirty.push(key);
        }
    }

    fn publish_dirty(&mut self) {
        for key in std::mem::take(&mut self.dirty) {
            let Some(doc) = self.docs.get_mut(&key) else {
                continue;
            };
            let checked = catch_unwind(AssertUnwindSafe(|| {
                doc.parsed();
            }));
            let (uri, version) = (doc.uri.clone(), doc.version);
            let diags = match (checked, &doc.analysis) {
                (Ok(()), Some((_, checked))) => checked
                    .diagnostics
                    .iter()
                    .map(|d| diagnostics::to_lsp(&doc.uri, &doc.text, &doc.lines, d))
                    .collect(),
                _ => {
                    eprintln!("sla lsp: internal error checking {key}");
                    continue;
                }
            };
            self.publish(uri, diags, Some(version));
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        match serde_json::to_value(params) {
            Ok(v) => self.send(Notification {
                method: PublishDiagnostics::METHOD.to_string(),
                params: v,
            }),
            Err(e) => eprintln!("sla lsp: cannot encode diagnostics: {e}"),
        }
    }

    fn doc(&mut self, uri: &Uri) -> Option<&mut Doc> {
        self.docs.get_mut(uri.as_str())
    }

    fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let at = p.text_document_position_params;
        let today = self
            .today
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        let doc = self.doc(&at.text_document.uri)?;
        let (text, lines, tree, checked) = doc.parsed();
        let offset = lines.offset(text, at.position);
        let (value, span) = match checked.names.at(offset) {
            Some(name) => (hover::hover(text, tree, checked, name, today)?, name.span),
            None => hover::hover_at(text, tree, checked, offset, today)?,
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(lines.range(text, span)),
        })
    }

    fn definition(&mut self, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let at = p.text_document_position_params;
        let doc = self.doc(&at.text_document.uri)?;
        let uri = doc.uri.clone();
        let (text, lines, _, checked) = doc.parsed();
        let offset = lines.offset(text, at.position);
        let name = checked.names.at(offset)?;
        let span = checked.names.definition(&name.sym)?;
        Some(GotoDefinitionResponse::Scalar(Location::new(
            uri,
            lines.range(text, span),
        )))
    }

    fn symbols(&mut self, p: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let doc = self.doc(&p.text_document.uri)?;
        let (text, lines, tree, _) = doc.parsed();
        Some(DocumentSymbolResponse::Nested(symbols::outline(
            text, lines, tree,
        )))
    }

    fn completion(&mut self, p: CompletionParams) -> Option<CompletionResponse> {
        let at = p.text_document_position;
        let doc = self.doc(&at.text_document.uri)?;
        let (text, lines, tree, _) = doc.parsed();
        let offset = lines.offset(text, at.position);
        let defs = index::Defs::new(tree);
        Some(CompletionResponse::Array(complete::complete(
            text, offset, &defs,
        )))
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let doc = self.doc(&p.text_document.uri)?;
        let uri = doc.uri.clone();
        let (text, lines, tree, checked) = doc.parsed();
        let range = ast::Span::new(
            lines.offset(text, p.range.start),
            lines.offset(text, p.range.end),
        );
        let to_lsp = |d: &crate::diagnostic::Diagnostic| diagnostics::to_lsp(&uri, text, lines, d);
        let found = actions::actions(
            &uri,
            text,
            lines,
            tree,
            &checked.diagnostics,
            range,
            &to_lsp,
        );
        Some(
            found
                .into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        )
    }

    fn semantic_tokens(&mut self, p: SemanticTokensParams) -> Option<SemanticTokensResult> {
        let doc = self.doc(&p.text_document.uri)?;
        let (text, lines, _, checked) = doc.parsed();
        Some(SemanticTokensResult::Tokens(tokens::tokens(
            text,
            lines,
            &checked.names,
        )))
    }

    fn inlay_hints(&mut self, p: InlayHintParams) -> Option<Vec<InlayHint>> {
        let doc = self.doc(&p.text_document.uri)?;
        let (text, lines, tree, checked) = doc.parsed();
        let range = ast::Span::new(
            lines.offset(text, p.range.start),
            lines.offset(text, p.range.end),
        );
        Some(hints::hints(text, lines, tree, checked, range))
    }

    fn references(&mut self, p: ReferenceParams) -> Option<Vec<Location>> {
        let at = p.text_document_position;
        let doc = self.doc(&at.text_document.uri)?;
        let uri = doc.uri.clone();
        let (text, lines, _, checked) = doc.parsed();
        let offset = lines.offset(text, at.position);
        let spans = rename::references(&checked.names, offset, p.context.include_declaration)?;
        Some(
            spans
                .into_iter()
                .map(|s| Location::new(uri.clone(), lines.range(text, s)))
                .collect(),
        )
    }

    fn prepare_rename(
        &mut self,
        p: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>, Failure> {
        let Some(doc) = self.doc(&p.text_document.uri) else {
            return Ok(None);
        };
        let (text, lines, _, checked) = doc.parsed();
        let offset = lines.offset(text, p.position);
        match rename::prepare(text, &checked.names, offset) {
            Ok(span) => Ok(Some(PrepareRenameResponse::Range(lines.range(text, span)))),
            Err(why) => Err((ErrorCode::RequestFailed, why)),
        }
    }

    fn rename(&mut self, p: RenameParams) -> Result<Option<WorkspaceEdit>, Failure> {
        let at = p.text_document_position;
        let Some(doc) = self.doc(&at.text_document.uri) else {
            return Ok(None);
        };
        let uri = doc.uri.clone();
        let (text, lines, _, checked) = doc.parsed();
        let offset = lines.offset(text, at.position);
        let edits = rename::rename(text, &checked.names, offset, &p.new_name)
            .map_err(|why| (ErrorCode::RequestFailed, why))?;
        let edits = edits
            .into_iter()
            .map(|(span, new_text)| TextEdit {
                range: lines.range(text, span),
                new_text,
            })
            .collect();
        Ok(Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri, edits)])),
            ..WorkspaceEdit::default()
        }))
    }

    /// The whole document replaced by `sla fmt`'s layout; no edit when it is
    /// already formatted. A contract with syntax errors is not formatted:
    /// the request fails with the first error (the diagnostics show them
    /// all), so an editor tells the user why nothing happened.
    fn format(&mut self, p: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>, Failure> {
        let Some(doc) = self.doc(&p.text_document.uri) else {
            return Ok(None);
        };
        match crate::fmt::format_source(&doc.text) {
            Ok(formatted) if formatted == doc.text => Ok(Some(Vec::new())),
            Ok(formatted) => {
                let whole = ast::Span::new(0, doc.text.len());
                Ok(Some(vec![TextEdit {
                    range: doc.lines.range(&doc.text, whole),
                    new_text: formatted,
                }]))
            }
            Err(diags) => {
                let why = diags
                    .first()
                    .map(|d| {
                        let at = doc.lines.position(&doc.text, d.span().start);
                        format!(
                            "cannot format: {} (line {}): {}",
                            d.code,
                            at.line + 1,
                            d.message
                        )
                    })
                    .unwrap_or_else(|| "cannot format this contract".into());
                Err((ErrorCode::RequestFailed, why))
            }
        }
    }
}

fn params<P: DeserializeOwned>(v: Value) -> Result<P, Failure> {
    serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// A notification's parameters; a malformed one is logged and dropped,
/// since a notification has no reply to carry the error.
fn note_params<P: DeserializeOwned>(n: &Notification) -> Option<P> {
    match serde_json::from_value(n.params.clone()) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("sla lsp: bad `{}` parameters: {e}", n.method);
            None
        }
    }
}

fn to_json(v: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request at every position of a real contract, and of that
    /// contract cut short at many points (a half-typed file): never a panic,
    /// never an error response. In-process, so it can afford thousands.
    #[test]
    fn every_position_of_whole_and_truncated_contracts() {
        let care = include_str!("../../contracts/care.sla");
        let (sender, _out) = mpsc::channel();
        let (_in, receiver) = mpsc::channel();
        let conn = Connection { sender, receiver };
        let mut server = Server::new(&conn);
        server.state = State::Running;
        let uri = "file:///care.sla";
        let mut texts = vec![care.to_string()];
        texts.extend(
            care.char_indices()
                .step_by(151)
                .map(|(i, _)| care[..i].to_string()),
        );
        for (n, text) in texts.iter().enumerate() {
            let doc = Doc::new(uri.parse().unwrap(), 1, text.clone());
            let lines = text.lines().count() as u32 + 1;
            server.docs.insert(uri.to_string(), doc);
            let step = if n == 0 { 2 } else { 11 };
            for line in 0..lines {
                for character in (0..90).step_by(step) {
                    let at = serde_json::json!({
                        "textDocument": {"uri": uri},
                        "position": {"line": line, "character": character},
                    });
                    for method in [
                        HoverRequest::METHOD,
                        GotoDefinition::METHOD,
                        Completion::METHOD,
                    ] {
                        let req = Request::new(1.into(), method.to_string(), at.clone());
                        assert!(server.route(req).is_ok(), "{method} at {line}:{character}");
                    }
                }
            }
            let req = Request::new(
                1.into(),
                DocumentSymbolRequest::METHOD.to_string(),
                serde_json::json!({"textDocument": {"uri": uri}}),
            );
            assert!(server.route(req).is_ok());
        }
    }
}
