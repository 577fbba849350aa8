//! The one diagnostic model of `sla`: every stage reports problems as
//! [`Diagnostic`]s; [`render`] shows them to people (codespan-reporting) and
//! serialises them for machines (JSON, and the language server).

mod codes;
pub mod render;

pub use codes::{Code, CODES};
pub use render::JsonLogDiagnostic;

use serde::Serialize;

use crate::syntax::ast::Span;

/// How serious a diagnostic is: an error stops `sla check` and `sla compile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The contract cannot be compiled (or the log row cannot be judged).
    Error,
    /// Worth a look; the contract still compiles.
    Warning,
}

/// A marked place in the contract's source, with what it says there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    /// The bytes of the source it marks.
    pub span: Span,
    /// What the label says at that place.
    pub message: String,
    /// The primary label points at the problem itself; secondary ones at context.
    pub primary: bool,
}

/// A place in a log that `sla eval` reads. A log is streamed, not kept, so
/// a diagnostic there names its file, line and column and shows no snippet
/// (a contract's diagnostics point with [`Label`]s into the source instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogPlace {
    /// The log's path, as given on the command line.
    pub file: String,
    /// 1-based; `None` for the file as a whole.
    pub line: Option<u64>,
    /// 1-based, in characters; `None` when the problem is the whole line.
    pub column: Option<u64>,
}

impl std::fmt::Display for LogPlace {
    /// `file:line:column`, as far as it is known.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// A problem found in a contract or in a log: its code, message, the places
/// it points at, notes and a hint how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Its stable code (`E0101`, `W0002`), which `sla explain` explains.
    pub code: Code,
    /// An error or a warning (by the code).
    pub severity: Severity,
    /// The one-line statement of the problem.
    pub message: String,
    /// Where in the contract's source (empty for a diagnostic of a log).
    pub labels: Vec<Label>,
    /// Where in a log, for evaluation's input problems.
    pub log: Option<LogPlace>,
    /// Further facts that explain it.
    pub notes: Vec<String>,
    /// How to fix it, when there is a likely fix.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error or warning, by the code's own severity.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            log: None,
            notes: Vec::new(),
            help: None,
        }
    }

    /// Points at the problem itself in the contract's source.
    pub fn primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Points at context (a first definition, the declaration of a field).
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Placed in a log rather than in the contract's source.
    pub fn in_log(mut self, place: LogPlace) -> Diagnostic {
        self.log = Some(place);
        self
    }

    /// Adds a note: a fact that explains the problem.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Adds how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Whether it is an error (rather than a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The span of the primary label (or the first label), for sorting and positions.
    pub fn span(&self) -> Span {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or_else(|| self.labels.first())
            .map(|l| l.span)
            .unwrap_or_default()
    }
}

/// `1 unreadable row`, `3 unreadable rows`: a count with its noun in the
/// right number.
pub fn counted(n: u64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// The closest of `candidates` to `name`, if close enough to be a likely
/// typo: a few edits away (swapped letters count as one edit, which matters
/// for short names like `lwo`), or similar by Jaro-Winkler for longer ones.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let original = name;
    let name = name.to_lowercase();
    // Two-character names are one edit from too much (`u3` from `u1`).
    let allowed = match name.chars().count() {
        0..=2 => 0,
        n => (n / 3).max(1),
    };
    let mut best: Option<(usize, f64, &str)> = None;
    for c in candidates {
        if c == original {
            continue;
        }
        let lower = c.to_lowercase();
        let edits = strsim::damerau_levenshtein(&name, &lower);
        let similarity = strsim::jaro_winkler(&name, &lower);
        if edits > allowed && similarity < 0.85 {
            continue;
        }
        let better = best.is_none_or(|(e, s, _)| edits < e || (edits == e && similarity > s));
        if better {
            best = Some((edits, similarity, c));
        }
    }
    best.map(|(_, _, c)| c)
}
