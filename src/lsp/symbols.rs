//! The outline of a contract (textDocument/documentSymbol): one symbol per
//! top-level block, with fields, priority levels, target rows and clauses
//! as children, so an editor's outline reads like the contract's contents.

use std::fmt::Write;

use lsp_types::{DocumentSymbol, SymbolKind};

use super::hover::snippet;
use super::position::LineIndex;
use crate::syntax::ast::{self, Span};

pub(crate) fn outline(text: &str, lines: &LineIndex, file: &ast::File) -> Vec<DocumentSymbol> {
    let b = Builder { text, lines };
    file.items.iter().map(|i| b.item(i)).collect()
}

struct Builder<'a> {
    text: &'a str,
    lines: &'a LineIndex,
}

impl Builder<'_> {
    /// A symbol over `span`, selecting `name_span` (which LSP requires to lie
    /// inside `span`; a recovered tree may break that, so it is clamped).
    fn sym(
        &self,
        name: String,
        detail: Option<String>,
        kind: SymbolKind,
        span: Span,
        name_span: Span,
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        let inner = if name_span.start >= span.start && name_span.end <= span.end {
            name_span
        } else {
            span
        };
        // Editors show an empty name as a broken entry; some reject it.
        let name = if name.trim().is_empty() {
            "(unnamed)".to_string()
        } else {
            name
        };
        #[allow(deprecated)] // `deprecated` is a required field of the struct, superseded by tags.
        DocumentSymbol {
            name,
            detail: detail.filter(|d| !d.is_empty()),
            kind,
            tags: None,
            deprecated: None,
            range: self.lines.range(self.text, span),
            selection_range: self.lines.range(self.text, inner),
            children: (!children.is_empty()).then_some(children),
        }
    }

    fn snip(&self, span: Span) -> String {
        snippet(self.text, span)
    }

    /// The first word of a block (its keyword), to select on blocks without a name.
    fn keyword(&self, span: Span) -> Span {
        let src = self.text.get(span.start..span.end).unwrap_or("");
        let len = src
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(src.len());
        Span::new(span.start, span.start + len)
    }

    /// A symbol without children.
    fn leaf(
        &self,
        name: String,
        detail: Option<String>,
        kind: SymbolKind,
        span: Span,
        name_span: Span,
    ) -> DocumentSymbol {
        self.sym(name, detail, kind, span, name_span, vec![])
    }

    fn item(&self, item: &ast::Item) -> DocumentSymbol {
        use ast::Item;
        match item {
            Item::Contract(c) => {
                let detail = c.items.iter().find_map(|h| match h {
                    ast::HeaderItem::Provider(p) => Some(format!("provider {}", p.node)),
                    _ => None,
                });
                self.leaf(
                    c.name.node.clone(),
                    detail,
                    SymbolKind::NAMESPACE,
                    c.span,
                    c.name.span,
                )
            }
            Item::Calendar(c) => self.leaf(
                c.name.node.clone(),
                Some(self.calendar_detail(c)),
                SymbolKind::EVENT,
                c.span,
                c.name.span,
            ),
            Item::Fields(f) => self.fields(f),
            Item::Priority(p) => self.priority(p),
            Item::Metric(m) => self.leaf(
                m.name.node.clone(),
                Some(metric_detail(m)),
                SymbolKind::FUNCTION,
                m.span,
                m.name.span,
            ),
            Item::Closure(c) => self.leaf(
                c.name.node.clone(),
                Some("closure".into()),
                SymbolKind::FUNCTION,
                c.span,
                c.name.span,
            ),
            Item::Targets(t) => self.targets(t),
            Item::Objective(o) => self.leaf(
                o.name.node.clone(),
                Some(format!("{} at least {}%", o.metric.node, o.required.node)),
                SymbolKind::CONSTANT,
                o.span,
                o.name.span,
            ),
            Item::Exclusion(e) => self.leaf(
                format!("exclude: {}", e.reason.node),
                Some(self.snip(e.when.span())),
                SymbolKind::EVENT,
                e.span,
                self.keyword(e.span),
            ),
            Item::Escalation(e) => self.escalation(e),
            Item::Availability(a) => self.leaf(
                format!("availability {}", a.service.node),
                a.period.as_ref().map(|p| format!("per {}", p.node)),
                SymbolKind::INTERFACE,
                a.span,
                a.service.span,
            ),
            Item::Changes(c) => self.block("changes", SymbolKind::MODULE, c.span, vec![]),
            Item::Credits(c) => self.block("credits", SymbolKind::MODULE, c.span, vec![]),
            Item::Version(v) => self.sym(
                format!("version {}", v.name.node),
                Some(format!("from {}", v.from.node)),
                SymbolKind::NAMESPACE,
                v.span,
                v.name.span,
                v.items.iter().map(|i| self.item(i)).collect(),
            ),
        }
    }

    /// A block without a name, selected on its keyword.
    fn block(
        &self,
        name: &str,
        kind: SymbolKind,
        span: Span,
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        self.sym(name.into(), None, kind, span, self.keyword(span), children)
    }

    /// A calendar's hours, its complement, or the calendars a field chooses.
    fn calendar_detail(&self, c: &ast::Calendar) -> String {
        match &c.body {
            ast::CalendarBody::Complement(r) => format!("outside {}", r.name.node),
            ast::CalendarBody::ByField { field, rows } => {
                let each: Vec<String> = rows
                    .iter()
                    .map(|r| {
                        let vs: Vec<String> = r.values.iter().map(ast::Value::text).collect();
                        format!("{} = {}", vs.join(", "), r.calendar.name.node)
                    })
                    .collect();
                format!("by {}: {}", field.node, each.join("; "))
            }
            ast::CalendarBody::Weekly(items) => items
                .iter()
                .filter_map(|i| match i {
                    ast::CalendarItem::Open(o) => Some(self.snip(o.span)),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    /// `fields`, with a child per field and its type.
    fn fields(&self, f: &ast::Fields) -> DocumentSymbol {
        let children = f
            .fields
            .iter()
            .map(|d| {
                let ty = self
                    .snip(d.span)
                    .split_once(':')
                    .map(|(_, t)| t.trim().to_string());
                self.leaf(
                    d.name.node.clone(),
                    ty,
                    SymbolKind::FIELD,
                    d.span,
                    d.name.span,
                )
            })
            .collect();
        self.block("fields", SymbolKind::STRUCT, f.span, children)
    }

    /// `priority`, with a child per level and its description.
    fn priority(&self, p: &ast::Priority) -> DocumentSymbol {
        let children = p
            .levels
            .iter()
            .map(|l| {
                self.leaf(
                    l.name.node.clone(),
                    Some(l.description.node.clone()),
                    SymbolKind::ENUM_MEMBER,
                    l.span,
                    l.name.span,
                )
            })
            .collect();
        let from: Vec<&str> = p.from.iter().map(|f| f.node.as_str()).collect();
        let mut symbol = self.block("priority", SymbolKind::ENUM, p.span, children);
        symbol.detail = Some(format!("from {}", from.join(" x ")));
        symbol
    }

    /// `targets`, with a child per row, and a grandchild per clause.
    fn targets(&self, t: &ast::Targets) -> DocumentSymbol {
        let rows = t
            .rows
            .iter()
            .map(|row| {
                let clauses = row
                    .clauses
                    .iter()
                    .map(|c| {
                        let rest = Span::new(c.metric.span.end, c.span.end);
                        self.leaf(
                            c.metric.node.clone(),
                            Some(self.snip(rest)),
                            SymbolKind::PROPERTY,
                            c.span,
                            c.metric.span,
                        )
                    })
                    .collect();
                self.sym(
                    self.snip(row.selector.span),
                    None,
                    SymbolKind::OBJECT,
                    row.span,
                    row.selector.span,
                    clauses,
                )
            })
            .collect();
        let mut name = String::from("targets");
        if t.first_match.is_some() {
            name.push_str(" first match");
        }
        if let Some(p) = &t.period {
            let _ = write!(name, " per {}", p.node);
        }
        self.sym(
            name,
            None,
            SymbolKind::ARRAY,
            t.span,
            self.keyword(t.span),
            rows,
        )
    }

    /// `escalation`, with a child per level and its role.
    fn escalation(&self, e: &ast::Escalation) -> DocumentSymbol {
        let levels = e
            .items
            .iter()
            .filter_map(|i| match i {
                ast::EscalationItem::Level {
                    level, role, span, ..
                } => Some(self.leaf(
                    format!("level {}", level.node),
                    Some(role.node.clone()),
                    SymbolKind::NUMBER,
                    *span,
                    *span,
                )),
                _ => None,
            })
            .collect();
        self.block("escalation", SymbolKind::PACKAGE, e.span, levels)
    }
}

/// Where a metric's clock starts and stops, and whether it has cycles.
fn metric_detail(m: &ast::Metric) -> String {
    format!(
        "from {}{} to {}{}{}{}",
        if m.from_each.is_some() { "each " } else { "" },
        m.from.node,
        m.to_repeat.as_ref().map_or("", |w| w.node.as_str()),
        if m.to_repeat.is_some() { " " } else { "" },
        m.to.node,
        if m.new_cycle.is_some() {
            ", a cycle per reopening"
        } else {
            ""
        }
    )
}
