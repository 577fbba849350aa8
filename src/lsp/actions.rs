//! Code actions: one-click fixes for what `sla check` reports.
//!
//! - every "did you mean `office`?" replaces the misspelled name;
//! - a priority matrix with missing cells gets them added, one action per
//!   priority level the new cells could take;
//! - a priority without a target gets a target row, its clauses copied
//!   from an existing row for the author to adjust.
//!
//! The fixes are computed from the diagnostics of the text as it is now
//! (`sla check`'s own) and the syntax tree, not from what the editor sends
//! back, so they never apply to a stale text.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic as LspDiagnostic, TextEdit, Uri, WorkspaceEdit,
};

use super::index::Defs;
use super::position::LineIndex;
use crate::diagnostic::{counted, Code, Diagnostic};
use crate::syntax::ast::{self, Span};

/// The fixes for the diagnostics that touch `range` (byte offsets).
pub(crate) fn actions(
    uri: &Uri,
    text: &str,
    lines: &LineIndex,
    tree: &ast::File,
    diagnostics: &[Diagnostic],
    range: Span,
    to_lsp: &dyn Fn(&Diagnostic) -> LspDiagnostic,
) -> Vec<CodeAction> {
    let defs = Defs::new(tree);
    let mut out = Vec::new();
    for d in diagnostics {
        let at = d.span();
        // Touching counts: a cursor at either end of a name is on it.
        if at.end < range.start || at.start > range.end {
            continue;
        }
        let fixes = if let Some(name) = suggestion(d) {
            let written = text.get(at.start..at.end).unwrap_or_default();
            vec![(
                format!("Replace with `{name}`"),
                vec![(at, as_written(written, name))],
                true,
            )]
        } else if d.code == Code::MatrixCell {
            matrix_cells(text, tree, &defs, at)
        } else if d.code == Code::PriorityWithoutTarget {
            target_row(text, tree, &text[at.start..at.end])
        } else {
            Vec::new()
        };
        for (title, edits, preferred) in fixes {
            let edits = edits
                .into_iter()
                .map(|(span, new_text)| TextEdit {
                    range: lines.range(text, span),
                    new_text,
                })
                .collect();
            out.push(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp(d)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            });
        }
    }
    out
}

/// A fix: its title, its edits (span replaced by text), and whether it is
/// the one obvious fix (an editor may apply it on "fix all").
type Fix = (String, Vec<(Span, String)>, bool);

/// The name of a "did you mean `NAME`?" help.
fn suggestion(d: &Diagnostic) -> Option<&str> {
    let help = d.help.as_deref()?;
    let rest = help.strip_prefix("did you mean `")?;
    let (name, tail) = rest.split_once('`')?;
    ((tail == "?" || tail.starts_with("? ")) && !name.is_empty()).then_some(name)
}

/// `name` written as the text it replaces was: quoted when that was a
/// quoted text (a time zone, a label such as `"Customer X"`), so that the
/// fix keeps the contract's syntax; quoted too when it cannot stand bare.
fn as_written(written: &str, name: &str) -> String {
    let bare = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if !written.starts_with('"') && bare(name) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Where to insert new lines before the closing brace of the block at
/// `span`, and the indentation of its inner lines (from `first_inner`).
fn before_closing_brace(
    text: &str,
    span: Span,
    first_inner: Option<Span>,
) -> Option<(usize, String)> {
    let block = text.get(span.start..span.end)?;
    let close = span.start + block.rfind('}')?;
    let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
    let indent_of = |at: usize| {
        let ls = text[..at].rfind('\n').map_or(0, |i| i + 1);
        text[ls..at]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect::<String>()
    };
    let indent = match first_inner {
        Some(s) => indent_of(s.start),
        None => format!("{}  ", indent_of(span.start)),
    };
    if text[line_start..close].trim().is_empty() {
        // `}` on its own line: insert whole lines before it.
        Some((line_start, indent))
    } else {
        // `... }` on one line: break before the brace.
        Some((close, indent))
    }
}

fn matrix_cells(text: &str, tree: &ast::File, defs: &Defs, at: Span) -> Vec<Fix> {
    let Some((p, m)) = tree.items.iter().find_map(|i| match i {
        ast::Item::Priority(p) => p
            .matrices
            .iter()
            .find(|m| m.span.start <= at.start && at.end <= m.span.end)
            .map(|m| (p, m)),
        _ => None,
    }) else {
        return Vec::new();
    };
    let (Some(rows), Some(cols)) = (p.from.first(), p.from.get(1)) else {
        return Vec::new();
    };
    let missing: Vec<(String, String)> = defs
        .labels(&rows.node)
        .iter()
        .flat_map(|r| defs.labels(&cols.node).iter().map(move |c| (r, c)))
        .filter(|(r, c)| {
            !m.cells
                .iter()
                .any(|cell| cell.row.text() == r.text() && cell.column.text() == c.text())
        })
        .map(|(r, c)| (source_of(text, r), source_of(text, c)))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let Some((at, indent)) = before_closing_brace(text, m.span, m.cells.first().map(|c| c.span))
    else {
        return Vec::new();
    };
    let breaks = !text[..at].ends_with('\n');
    p.levels
        .iter()
        .map(|level| {
            let mut new = String::new();
            if breaks {
                new.push('\n');
            }
            for (r, c) in &missing {
                new.push_str(&format!("{indent}{r} x {c} = {}\n", level.name.node));
            }
            let n = missing.len();
            let title = format!(
                "Add the {} as `{}`",
                counted(n as u64, "missing matrix cell", "missing matrix cells"),
                level.name.node
            );
            (title, vec![(Span::new(at, at), new)], false)
        })
        .collect()
}

/// A label as written in the contract (quoted or bare).
fn source_of(text: &str, v: &ast::Value) -> String {
    let s = v.span();
    text.get(s.start..s.end).unwrap_or_default().to_string()
}

fn target_row(text: &str, tree: &ast::File, priority: &str) -> Vec<Fix> {
    let Some(t) = tree.items.iter().find_map(|i| match i {
        ast::Item::Targets(t) => Some(t),
        _ => None,
    }) else {
        return Vec::new();
    };
    // Copy the clauses of the last row that names one priority.
    let Some((model, clauses)) = t.rows.iter().rev().find_map(|row| {
        let first = row.clauses.first()?;
        let last = row.clauses.last()?;
        (row.selector.priorities.len() == 1)
            .then(|| {
                (
                    &row.selector.priorities[0].node,
                    text.get(first.span.start..last.span.end),
                )
            })
            .and_then(|(p, c)| Some((p, c?)))
    }) else {
        return Vec::new();
    };
    let Some((at, indent)) = before_closing_brace(text, t.span, t.rows.first().map(|r| r.span))
    else {
        return Vec::new();
    };
    let breaks = if text[..at].ends_with('\n') { "" } else { "\n" };
    let new = format!("{breaks}{indent}{priority} {clauses}\n");
    vec![(
        format!("Add a target row for `{priority}` (copied from `{model}`'s: adjust it)"),
        vec![(Span::new(at, at), new)],
        false,
    )]
}
