// A stand-in for the `vscode` module, enough for the real
// vscode-languageclient to run the extension's activate() under node.
//
// VS Code itself cannot be downloaded in CI, so the editor is played by this
// file: documents are opened and edited through the events VS Code fires,
// and the providers the client registers are called as VS Code calls them
// (hover, definition, formatting, ...). Everything the client sends and
// receives goes over real stdio to the real `sla lsp`. What the stand-in
// records (providers, diagnostics, messages shown) is exported under
// `__test` for the test to read.
'use strict';

const path = require('path');

// ---- events and disposables -------------------------------------------

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this._fn) this._fn();
    this._fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this._listeners = new Set();
    this.event = (listener, thisArg, disposables) => {
      const l = thisArg ? listener.bind(thisArg) : listener;
      this._listeners.add(l);
      const d = new Disposable(() => this._listeners.delete(l));
      if (Array.isArray(disposables)) disposables.push(d);
      return d;
    };
  }
  fire(value) {
    for (const l of [...this._listeners]) l(value);
  }
  dispose() {
    this._listeners.clear();
  }
}

class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this._emitter = emitter;
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
  }
  cancel() {
    this.token.isCancellationRequested = true;
    this._emitter.fire(undefined);
  }
  dispose() {}
}

class CancellationError extends Error {}

// ---- values -------------------------------------------------------------

class Uri {
  constructor(scheme, authority, p, query, fragment) {
    this.scheme = scheme;
    this.authority = authority || '';
    this.path = p || '';
    this.query = query || '';
    this.fragment = fragment || '';
  }
  static parse(value) {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) throw new Error(`not a URI: ${value}`);
    return new Uri(m[1], m[2], decodeURIComponent(m[3]), m[4], m[5]);
  }
  static file(p) {
    return new Uri('file', '', path.resolve(p));
  }
  get fsPath() {
    return this.path;
  }
  with(change) {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString() {
    const p = this.path.split('/').map(encodeURIComponent).join('/');
    return `${this.scheme}://${this.authority}${p}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON() {
    return this.toString();
  }
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
  isEqual(o) {
    return this.line === o.line && this.character === o.character;
  }
  isBefore(o) {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
}

class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') {
      this.start = new Position(a, b);
      this.end = new Position(c, d);
    } else {
      this.start = a;
      this.end = b;
    }
  }
  get isEmpty() {
    return this.start.isEqual(this.end);
  }
}

class Selection extends Range {}

class Location {
  constructor(uri, rangeOrPosition) {
    this.uri = uri;
    this.range = rangeOrPosition instanceof Position ? new Range(rangeOrPosition, rangeOrPosition) : rangeOrPosition;
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity === undefined ? 0 : severity;
  }
}

class DiagnosticRelatedInformation {
  constructor(location, message) {
    this.location = location;
    this.message = message;
  }
}

class MarkdownString {
  constructor(value, supportThemeIcons) {
    this.value = value || '';
    this.supportThemeIcons = supportThemeIcons;
  }
  appendText(t) {
    this.value += t;
    return this;
  }
  appendMarkdown(t) {
    this.value += t;
    return this;
  }
  appendCodeblock(code, lang) {
    this.value += `\n\`\`\`${lang || ''}\n${code}\n\`\`\`\n`;
    return this;
  }
}

class Hover {
  constructor(contents, range) {
    this.contents = Array.isArray(contents) ? contents : [contents];
    this.range = range;
  }
}

class TextEdit {
  constructor(range, newText) {
    this.range = range;
    this.newText = newText;
  }
  static replace(range, newText) {
    return new TextEdit(range, newText);
  }
}

class WorkspaceEdit {
  constructor() {
    this._edits = [];
  }
  replace(uri, range, newText) {
    this._edits.push({ uri, edit: new TextEdit(range, newText) });
  }
  insert(uri, position, newText) {
    this._edits.push({ uri, edit: new TextEdit(new Range(position, position), newText) });
  }
  delete(uri, range) {
    this._edits.push({ uri, edit: new TextEdit(range, '') });
  }
  set(uri, edits) {
    for (const e of edits) this._edits.push({ uri, edit: e });
  }
  entries() {
    const by = new Map();
    for (const { uri, edit } of this._edits) {
      const k = uri.toString();
      if (!by.has(k)) by.set(k, [uri, []]);
      by.get(k)[1].push(edit);
    }
    return [...by.values()];
  }
  get size() {
    return this.entries().length;
  }
}

class CodeActionKind {
  constructor(value) {
    this.value = value;
  }
  append(part) {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other) {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other) {
    return this.contains(other) || other.contains(this);
  }
}
CodeActionKind.Empty = new CodeActionKind('');
CodeActionKind.QuickFix = new CodeActionKind('quickfix');
CodeActionKind.Refactor = new CodeActionKind('refactor');
CodeActionKind.RefactorExtract = new CodeActionKind('refactor.extract');
CodeActionKind.RefactorInline = new CodeActionKind('refactor.inline');
CodeActionKind.RefactorRewrite = new CodeActionKind('refactor.rewrite');
CodeActionKind.Source = new CodeActionKind('source');
CodeActionKind.SourceOrganizeImports = new CodeActionKind('source.organizeImports');
CodeActionKind.SourceFixAll = new CodeActionKind('source.fixAll');
CodeActionKind.Notebook = new CodeActionKind('notebook');

class CodeAction {
  constructor(title, kind) {
    this.title = title;
    this.kind = kind;
  }
}

class CompletionItem {
  constructor(label, kind) {
    this.label = label;
    this.kind = kind;
  }
}

class CompletionList {
  constructor(items, isIncomplete) {
    this.items = items || [];
    this.isIncomplete = !!isIncomplete;
  }
}

class SnippetString {
  constructor(value) {
    this.value = value || '';
  }
}

class DocumentSymbol {
  constructor(name, detail, kind, range, selectionRange) {
    Object.assign(this, { name, detail, kind, range, selectionRange, children: [] });
  }
}

class SymbolInformation {
  constructor(name, kind, containerName, location) {
    Object.assign(this, { name, kind, containerName, location });
  }
}

class SemanticTokensLegend {
  constructor(tokenTypes, tokenModifiers) {
    this.tokenTypes = tokenTypes;
    this.tokenModifiers = tokenModifiers || [];
  }
}

class SemanticTokens {
  constructor(data, resultId) {
    this.data = data;
    this.resultId = resultId;
  }
}

class SemanticTokensEdit {
  constructor(start, deleteCount, data) {
    Object.assign(this, { start, deleteCount, data });
  }
}

class SemanticTokensEdits {
  constructor(edits, resultId) {
    this.edits = edits;
    this.resultId = resultId;
  }
}

class InlayHint {
  constructor(position, label, kind) {
    Object.assign(this, { position, label, kind });
  }
}

class InlayHintLabelPart {
  constructor(value) {
    this.value = value;
  }
}

class FoldingRange {
  constructor(start, end, kind) {
    Object.assign(this, { start, end, kind });
  }
}

class LocationLink {}
class DocumentHighlight {
  constructor(range, kind) {
    Object.assign(this, { range, kind });
  }
}
class DocumentLink {
  constructor(range, target) {
    Object.assign(this, { range, target });
  }
}
class SelectionRange {
  constructor(range, parent) {
    Object.assign(this, { range, parent });
  }
}
class CodeLens {
  constructor(range, command) {
    Object.assign(this, { range, command });
  }
}
class SignatureHelp {}
class SignatureInformation {}
class ParameterInformation {}
class Color {}
class ColorInformation {}
class ColorPresentation {}
class CallHierarchyItem {}
class CallHierarchyIncomingCall {}
class CallHierarchyOutgoingCall {}
class TypeHierarchyItem {}
class LinkedEditingRanges {}
class InlineValueText {}
class InlineValueVariableLookup {}
class InlineValueEvaluatableExpression {}
class InlineCompletionItem {}
class InlineCompletionList {}
class RelativePattern {
  constructor(base, pattern) {
    Object.assign(this, { base, pattern });
  }
}
class TabInputText {}
class TabInputTextDiff {}
class TabInputCustom {}

// Enums: the values VS Code gives them.
const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 };
const SymbolKind = {};
[
  'File', 'Module', 'Namespace', 'Package', 'Class', 'Method', 'Property', 'Field', 'Constructor',
  'Enum', 'Interface', 'Function', 'Variable', 'Constant', 'String', 'Number', 'Boolean', 'Array',
  'Object', 'Key', 'Null', 'EnumMember', 'Struct', 'Event', 'Operator', 'TypeParameter',
].forEach((k, i) => (SymbolKind[k] = i));
const SymbolTag = { Deprecated: 1 };
const CompletionItemKind = {};
[
  'Text', 'Method', 'Function', 'Constructor', 'Field', 'Variable', 'Class', 'Interface', 'Module',
  'Property', 'Unit', 'Value', 'Enum', 'Keyword', 'Snippet', 'Color', 'File', 'Reference', 'Folder',
  'EnumMember', 'Constant', 'Struct', 'Event', 'Operator', 'TypeParameter', 'User', 'Issue',
].forEach((k, i) => (CompletionItemKind[k] = i));
const CompletionItemTag = { Deprecated: 1 };
const CompletionTriggerKind = { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 };
const DocumentHighlightKind = { Text: 0, Read: 1, Write: 2 };
const FoldingRangeKind = { Comment: 1, Imports: 2, Region: 3 };
const InlayHintKind = { Type: 1, Parameter: 2 };
const SignatureHelpTriggerKind = { Invoke: 1, TriggerCharacter: 2, ContentChange: 3 };
const CodeActionTriggerKind = { Invoke: 1, Automatic: 2 };
const TextDocumentSaveReason = { Manual: 1, AfterDelay: 2, FocusOut: 3 };
const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };
const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };
const NotebookCellKind = { Markup: 1, Code: 2 };
const EndOfLine = { LF: 1, CRLF: 2 };

// ---- documents ----------------------------------------------------------

/** A text document as VS Code hands it to extensions. */
class TextDocument {
  constructor(uri, languageId, text) {
    this.uri = uri;
    this.fileName = uri.fsPath;
    this.languageId = languageId;
    this.version = 1;
    this.isClosed = false;
    this.isDirty = false;
    this.isUntitled = false;
    this._text = text;
  }
  getText(range) {
    if (!range) return this._text;
    return this._text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  get eol() {
    return this._text.includes('\r\n') ? EndOfLine.CRLF : EndOfLine.LF;
  }
  get lineCount() {
    return this._text.split('\n').length;
  }
  lineAt(line) {
    const text = this._text.split('\n')[line].replace(/\r$/, '');
    return { lineNumber: line, text, range: new Range(line, 0, line, text.length) };
  }
  // Offsets are in UTF-16 code units, as in JS strings and in VS Code.
  offsetAt(pos) {
    const lines = this._text.split('\n');
    let off = 0;
    for (let i = 0; i < pos.line && i < lines.length; i++) off += lines[i].length + 1;
    return Math.min(off + pos.character, this._text.length);
  }
  positionAt(offset) {
    const before = this._text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return new Position(line, offset - (before.lastIndexOf('\n') + 1));
  }
  validateRange(r) {
    return r;
  }
  getWordRangeAtPosition() {
    return undefined;
  }
  save() {
    return Promise.resolve(true);
  }
}

// ---- the editor's state, and the namespaces ------------------------------

const settings = {};
const textDocuments = [];
const providers = []; // { kind, selector, provider, extra }
const collections = [];
const messages = []; // { level, text }
const outputs = [];

const events = {
  open: new EventEmitter(),
  close: new EventEmitter(),
  change: new EventEmitter(),
  save: new EventEmitter(),
  willSave: new EventEmitter(),
  config: new EventEmitter(),
  folders: new EventEmitter(),
  activeEditor: new EventEmitter(),
};
const none = new EventEmitter().event;

class DiagnosticCollection {
  constructor(name) {
    this.name = name;
    this._map = new Map();
    this.onChange = new EventEmitter();
    collections.push(this);
  }
  set(uri, diagnostics) {
    if (Array.isArray(uri)) {
      for (const [u, d] of uri) this.set(u, d);
      return;
    }
    this._map.set(uri.toString(), diagnostics || []);
    this.onChange.fire({ uri, diagnostics: diagnostics || [] });
  }
  get(uri) {
    return this._map.get(uri.toString());
  }
  has(uri) {
    return this._map.has(uri.toString());
  }
  delete(uri) {
    this._map.delete(uri.toString());
    this.onChange.fire({ uri, diagnostics: [] });
  }
  clear() {
    this._map.clear();
  }
  forEach(cb) {
    for (const [k, v] of this._map) cb(Uri.parse(k), v, this);
  }
  dispose() {}
}

function matchOne(sel, doc) {
  if (typeof sel === 'string') return sel === doc.languageId ? 10 : 0;
  if (sel.language && sel.language !== doc.languageId) return 0;
  if (sel.scheme && sel.scheme !== doc.uri.scheme) return 0;
  return 10;
}

function register(kind) {
  return (selector, provider, ...extra) => {
    const entry = { kind, selector, provider, extra };
    providers.push(entry);
    return new Disposable(() => providers.splice(providers.indexOf(entry), 1));
  };
}

const languages = {
  match(selector, doc) {
    const sels = Array.isArray(selector) ? selector : [selector];
    return Math.max(0, ...sels.map((s) => matchOne(s, doc)));
  },
  createDiagnosticCollection: (name) => new DiagnosticCollection(name),
  getLanguages: () => Promise.resolve(['sla']),
  setTextDocumentLanguage: (doc) => Promise.resolve(doc),
};
// Every register*Provider records its provider for the test to call.
for (const kind of [
  'CompletionItem', 'Hover', 'SignatureHelp', 'Definition', 'Declaration', 'TypeDefinition',
  'Implementation', 'Reference', 'DocumentHighlight', 'DocumentSymbol', 'WorkspaceSymbol',
  'CodeActions', 'CodeLens', 'DocumentFormattingEdit', 'DocumentRangeFormattingEdit',
  'OnTypeFormattingEdit', 'Rename', 'DocumentLink', 'Color', 'FoldingRange', 'SelectionRange',
  'CallHierarchy', 'TypeHierarchy', 'DocumentSemanticTokens', 'DocumentRangeSemanticTokens',
  'LinkedEditingRange', 'InlayHints', 'InlineValues', 'InlineCompletionItem',
]) {
  languages[`register${kind}Provider`] = register(kind);
}

const workspace = {
  get textDocuments() {
    return textDocuments.filter((d) => !d.isClosed);
  },
  notebookDocuments: [],
  workspaceFolders: undefined,
  name: undefined,
  getConfiguration(section) {
    const prefix = section ? `${section}.` : '';
    return {
      get: (key, def) => (settings[prefix + key] !== undefined ? settings[prefix + key] : def),
      has: (key) => settings[prefix + key] !== undefined,
      update: () => Promise.resolve(),
      inspect: () => undefined,
    };
  },
  getWorkspaceFolder: () => undefined,
  createFileSystemWatcher() {
    return {
      onDidCreate: none,
      onDidChange: none,
      onDidDelete: none,
      ignoreCreateEvents: false,
      ignoreChangeEvents: false,
      ignoreDeleteEvents: false,
      dispose() {},
    };
  },
  applyEdit: () => Promise.resolve(true),
  openTextDocument: () => Promise.reject(new Error('not in the stand-in')),
  fs: {},
  onDidOpenTextDocument: events.open.event,
  onDidCloseTextDocument: events.close.event,
  onDidChangeTextDocument: events.change.event,
  onDidSaveTextDocument: events.save.event,
  onWillSaveTextDocument: events.willSave.event,
  onDidChangeConfiguration: events.config.event,
  onDidChangeWorkspaceFolders: events.folders.event,
  onDidOpenNotebookDocument: none,
  onDidCloseNotebookDocument: none,
  onDidChangeNotebookDocument: none,
  onDidSaveNotebookDocument: none,
  onDidCreateFiles: none,
  onDidRenameFiles: none,
  onDidDeleteFiles: none,
  onWillCreateFiles: none,
  onWillRenameFiles: none,
  onWillDeleteFiles: none,
};

function show(level) {
  return (text, ...items) => {
    messages.push({ level, text });
    return Promise.resolve(undefined);
  };
}

const window = {
  activeTextEditor: undefined,
  visibleTextEditors: [],
  tabGroups: { all: [], onDidChangeTabs: none, onDidChangeTabGroups: none },
  showErrorMessage: show('error'),
  showWarningMessage: show('warning'),
  showInformationMessage: show('info'),
  showTextDocument: () => Promise.resolve(undefined),
  createOutputChannel(name) {
    const channel = {
      name,
      text: '',
      append(t) {
        this.text += t;
      },
      appendLine(t) {
        this.text += `${t}\n`;
      },
      replace(t) {
        this.text = t;
      },
      clear() {
        this.text = '';
      },
      show() {},
      hide() {},
      dispose() {},
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error() {},
      logLevel: 0,
      onDidChangeLogLevel: none,
    };
    outputs.push(channel);
    return channel;
  },
  withProgress: (opts, task) => task({ report() {} }, new CancellationTokenSource().token),
  onDidChangeActiveTextEditor: events.activeEditor.event,
  onDidChangeVisibleTextEditors: none,
};

const commands = {
  registerCommand: (id, fn) => new Disposable(() => {}),
  executeCommand: () => Promise.resolve(undefined),
};

const env = { appName: 'sla stand-in', language: 'en', machineId: 'test', openExternal: () => Promise.resolve(true) };

module.exports = {
  version: '1.82.0',
  Disposable, EventEmitter, CancellationTokenSource, CancellationError,
  Uri, Position, Range, Selection, Location, LocationLink, Diagnostic, DiagnosticRelatedInformation,
  DiagnosticSeverity, DiagnosticTag, MarkdownString, Hover, TextEdit, WorkspaceEdit, CodeAction,
  CodeActionKind, CodeActionTriggerKind, CompletionItem, CompletionItemKind, CompletionItemTag,
  CompletionList, CompletionTriggerKind, SnippetString, DocumentSymbol, SymbolInformation,
  SymbolKind, SymbolTag, SemanticTokensLegend, SemanticTokens, SemanticTokensEdit,
  SemanticTokensEdits, InlayHint, InlayHintKind, InlayHintLabelPart, FoldingRange, FoldingRangeKind,
  DocumentHighlight, DocumentHighlightKind, DocumentLink, SelectionRange, CodeLens, SignatureHelp,
  SignatureHelpTriggerKind, SignatureInformation, ParameterInformation, Color, ColorInformation,
  ColorPresentation, CallHierarchyItem, CallHierarchyIncomingCall, CallHierarchyOutgoingCall,
  TypeHierarchyItem, LinkedEditingRanges, InlineValueText, InlineValueVariableLookup,
  InlineValueEvaluatableExpression, InlineCompletionItem, InlineCompletionList, RelativePattern,
  TabInputText, TabInputTextDiff, TabInputCustom, TextDocumentSaveReason, FileType,
  ProgressLocation, NotebookCellKind, EndOfLine,
  languages, workspace, window, commands, env,
  __test: { settings, textDocuments, providers, collections, messages, outputs, events, TextDocument },
};
