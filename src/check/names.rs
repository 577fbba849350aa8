//! The checker's name table: every declaration of a name and every use the
//! checker resolved, with spans. It is filled where the checker looks names
//! up, so an editor's definition, references, rename and hover answer from
//! the checker's own resolution rather than a second resolver.

use crate::rules::ALWAYS;
use crate::syntax::ast::Span;

/// What a name denotes: its namespace and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sym {
    /// A calendar; `24x7` is the built-in one, declared nowhere.
    Calendar(String),
    /// A field; `id` is built in when the contract does not declare it.
    Field(String),
    /// A priority level.
    Priority(String),
    /// A metric.
    Metric(String),
    /// A closure rule (a metric may start or stop at it).
    Closure(String),
    /// A label of a label field.
    Label {
        /// The label field.
        field: String,
        /// The label.
        label: String,
    },
    /// A named objective (its name is a string).
    Objective(String),
}

impl Sym {
    /// Whether the symbol is built into the language rather than declared.
    pub fn is_builtin(&self) -> bool {
        matches!(self, Sym::Calendar(n) if n == ALWAYS)
    }

    /// The word for the symbol's namespace, as messages say it.
    pub fn kind(&self) -> &'static str {
        match self {
            Sym::Calendar(_) => "calendar",
            Sym::Field(_) => "field",
            Sym::Priority(_) => "priority",
            Sym::Metric(_) => "metric",
            Sym::Closure(_) => "closure",
            Sym::Label { .. } => "label",
            Sym::Objective(_) => "objective",
        }
    }
}

/// One place a name is written: its span, what it denotes, and whether it is
/// a declaration. A use the checker could not resolve still records the
/// namespace the checker looked in; it then has no definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    /// Where the name is written.
    pub span: Span,
    /// What it denotes.
    pub sym: Sym,
    /// Whether this is its declaration (else a use).
    pub declaration: bool,
}

/// Every declaration and use of a name in a contract, in the order the
/// checker met them.
#[derive(Debug, Clone, Default)]
pub struct Names {
    refs: Vec<NameRef>,
}

impl Names {
    pub(super) fn declare(&mut self, sym: Sym, span: Span) {
        self.push(sym, span, true);
    }

    pub(super) fn used(&mut self, sym: Sym, span: Span) {
        self.push(sym, span, false);
    }

    fn push(&mut self, sym: Sym, span: Span, declaration: bool) {
        // A name with no place in the text (the built-in `id`) is not written.
        if span.end > span.start {
            self.refs.push(NameRef {
                span,
                sym,
                declaration,
            });
        }
    }

    /// Adds the names of another check of the same text (a later version of
    /// the contract), each place once: a version's block of a name declares
    /// it again, after the first declaration.
    pub(super) fn merge(&mut self, other: Names) {
        for r in other.refs {
            if !self.refs.contains(&r) {
                self.refs.push(r);
            }
        }
    }

    /// Every declaration and use.
    pub fn all(&self) -> &[NameRef] {
        &self.refs
    }

    /// The span of the symbol's first declaration: the one the checker
    /// keeps (it reports the others as duplicates).
    pub fn definition(&self, sym: &Sym) -> Option<Span> {
        self.refs
            .iter()
            .find(|r| r.declaration && r.sym == *sym)
            .map(|r| r.span)
    }

    /// The name under a byte offset: the narrowest one containing it, a
    /// cursor just after a name counting as on it (where editors put it
    /// after typing or double-clicking).
    pub fn at(&self, offset: usize) -> Option<&NameRef> {
        let inside = self
            .refs
            .iter()
            .filter(|r| r.span.start <= offset && offset < r.span.end)
            .min_by_key(|r| r.span.end - r.span.start);
        inside.or_else(|| self.refs.iter().find(|r| r.span.end == offset))
    }

    /// The spans where the symbol is written (declarations and uses), in
    /// text order, each once.
    pub fn spans_of(&self, sym: &Sym) -> Vec<Span> {
        let mut spans: Vec<Span> = self
            .refs
            .iter()
            .filter(|r| r.sym == *sym)
            .map(|r| r.span)
            .collect();
        spans.sort_by_key(|s| (s.start, s.end));
        spans.dedup();
        spans
    }
}
