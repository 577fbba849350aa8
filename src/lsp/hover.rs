//! Hover text: what the name under the cursor means, in Markdown. Clauses
//! are quoted from the contract itself (whitespace collapsed) rather than
//! re-printed from the tree, so the hover shows exactly what was written.

use std::fmt::Write;

use super::index::Defs;
use crate::check::{NameRef, Names, Sym};
use crate::syntax::ast::{self, Span};

/// The hover text for a name, or `None` when the name is not declared.
pub fn hover(
    text: &str,
    tree: &ast::File,
    defs: &Defs,
    names: &Names,
    name: &NameRef,
) -> Option<String> {
    let mut out = String::new();
    // What the name refers to is the checker's answer; an undeclared name
    // has nothing to show, apart from the built-ins.
    let declared = names.definition(&name.sym).is_some();
    match &name.sym {
        sym if sym.is_builtin() => {
            out.push_str("**calendar** `24x7` (built in)\n\nOpen every hour of every day.");
        }
        // The checker declares `id` when the contract does not.
        Sym::Field(n) if n == "id" && !declared => {
            out.push_str("**field** `id` (built in)\n\nThe ticket's identifier: text.");
        }
        _ if !declared => return None,
        Sym::Calendar(n) => {
            let cal = defs.calendars.get(n.as_str())?;
            calendar(&mut out, text, defs, cal);
        }
        Sym::Field(n) => field(&mut out, text, defs.fields.get(n.as_str())?),
        Sym::Priority(n) => {
            let (level, block) = defs.priorities.get(n.as_str())?;
            let _ = write!(
                out,
                "**priority** `{}`\n\n{}",
                level.name.node, level.description.node
            );
            let from: Vec<String> = block.from.iter().map(|f| format!("`{}`", f.node)).collect();
            if !from.is_empty() {
                let _ = write!(out, "\n\nFrom field {}.", from.join(" × "));
            }
        }
        Sym::Metric(n) => {
            let m = defs.metrics.get(n.as_str())?;
            metric(&mut out, text, defs, m, clause_at(tree, name.span));
        }
        Sym::Closure(n) => {
            let c = defs.closures.get(n.as_str())?;
            let _ = write!(
                out,
                "**closure** `{}`\n\n```sla\n{}\n```\n\nClosed when `{}` is set, or automatically {} {} after `{}`.",
                c.name.node,
                snippet(text, c.span),
                c.confirmed.node,
                c.after.count.node,
                c.after.unit.node,
                c.from.node
            );
        }
        Sym::Label { field, label } => {
            let values = defs.labels(field);
            let all: Vec<String> = values.iter().map(|v| format!("`{}`", v.text())).collect();
            let _ = write!(
                out,
                "**label** `{label}` of field `{field}`\n\nOne of {}.",
                all.join(", ")
            );
            if let Some((level, _)) = defs.priorities.get(label.as_str()) {
                let _ = write!(
                    out,
                    "\n\nPriority `{}`: {}",
                    level.name.node, level.description.node
                );
            }
        }
        Sym::Objective(n) => {
            let o = defs.objectives.get(n.as_str())?;
            let _ = write!(
                out,
                "**objective** \"{n}\"\n\n```sla\n{}\n```",
                snippet(text, o.span)
            );
        }
    }
    Some(out)
}

/// The target clause whose metric is written at `span`, so the hover of a
/// metric in a target row shows that row's target.
fn clause_at(tree: &ast::File, span: Span) -> Option<(&ast::TargetRow, &ast::TargetClause)> {
    tree.items.iter().find_map(|i| match i {
        ast::Item::Targets(t) => t.rows.iter().find_map(|row| {
            row.clauses
                .iter()
                .find(|c| c.metric.span == span)
                .map(|c| (row, c))
        }),
        _ => None,
    })
}

fn calendar(out: &mut String, text: &str, defs: &Defs, cal: &ast::Calendar) {
    let _ = writeln!(out, "**calendar** `{}`\n", cal.name.node);
    match &cal.body {
        ast::CalendarBody::Complement(r) => {
            let _ = write!(
                out,
                "Open whenever `{}` is closed (`outside {}`).",
                r.name.node, r.name.node
            );
        }
        ast::CalendarBody::Weekly(items) => {
            let own_tz = items.iter().find_map(|i| match i {
                ast::CalendarItem::Timezone(tz) => Some(tz.node.as_str()),
                _ => None,
            });
            match (own_tz, defs.contract_tz) {
                (Some(tz), _) => {
                    let _ = writeln!(out, "Time zone: {tz}");
                }
                (None, Some(tz)) => {
                    let _ = writeln!(out, "Time zone: {tz} (the contract's)");
                }
                (None, None) => out.push_str("Time zone: none given\n"),
            }
            let lines: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    ast::CalendarItem::Timezone(_) => None,
                    ast::CalendarItem::Open(o) => Some(snippet(text, o.span)),
                    ast::CalendarItem::Closed(_, s) | ast::CalendarItem::Reopened(_, s) => {
                        Some(snippet(text, *s))
                    }
                })
                .collect();
            if lines
                .iter()
                .any(|l| l.starts_with("open ") && !l.starts_with("open on"))
            {
                let _ = write!(out, "\n```sla\n{}\n```", lines.join("\n"));
            } else {
                out.push_str("\nNo opening hours: never open.");
                if !lines.is_empty() {
                    let _ = write!(out, "\n```sla\n{}\n```", lines.join("\n"));
                }
            }
        }
    }
}

fn field(out: &mut String, text: &str, f: &ast::FieldDecl) {
    let _ = write!(
        out,
        "**field** `{}`\n\n```sla\n{}\n```",
        f.name.node,
        snippet(text, f.span)
    );
    let ty = match &f.ty {
        ast::FieldType::Text(_) => "text".to_string(),
        ast::FieldType::Integer(_) => "an integer".to_string(),
        ast::FieldType::Timestamp(_) => "a timestamp".to_string(),
        ast::FieldType::Status(_) => "a status (its history read from the event log)".to_string(),
        ast::FieldType::Label(values, _) => {
            let labels: Vec<String> = values.iter().map(|v| format!("`{}`", v.text())).collect();
            format!("one of the labels {}", labels.join(", "))
        }
    };
    let _ = write!(out, "\n\nType: {ty}");
    if f.optional.is_some() {
        out.push_str(", optional (may be empty)");
    }
    out.push('.');
    if let Some(col) = &f.column {
        let _ = write!(out, " Read from column \"{}\".", col.node);
    }
}

fn metric(
    out: &mut String,
    text: &str,
    defs: &Defs,
    m: &ast::Metric,
    here: Option<(&ast::TargetRow, &ast::TargetClause)>,
) {
    let _ = write!(
        out,
        "**metric** `{}`\n\n```sla\n{}\n```\n\nStarts at `{}`, stops at `{}`, counted in ",
        m.name.node,
        snippet(text, m.span),
        m.from.node,
        m.to.node
    );
    match &m.calendar {
        None => out.push_str("`24x7` (every hour)."),
        Some(r) => match defs.calendars.get(r.name.node.as_str()) {
            Some(cal) => {
                let _ = write!(out, "`{}`: {}.", r.name.node, hours(text, cal));
            }
            None => {
                let _ = write!(out, "`{}`.", r.name.node);
            }
        },
    }
    if let Some((row, clause)) = here {
        let _ = write!(
            out,
            "\n\nTarget here, for `{}`: {}",
            snippet(text, row.selector.span),
            target(text, clause)
        );
        return;
    }
    let targets: Vec<String> = defs
        .clauses
        .iter()
        .filter(|(_, c)| c.metric.node == m.name.node)
        .map(|(row, c)| {
            format!(
                "- `{}`: {}",
                snippet(text, row.selector.span),
                target(text, c)
            )
        })
        .collect();
    if !targets.is_empty() {
        let _ = write!(out, "\n\nTargets:\n{}", targets.join("\n"));
    }
}

/// A calendar's opening hours on one line, for a metric's hover.
fn hours(text: &str, cal: &ast::Calendar) -> String {
    match &cal.body {
        ast::CalendarBody::Complement(r) => format!("outside `{}`", r.name.node),
        ast::CalendarBody::Weekly(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    ast::CalendarItem::Open(o) => Some(snippet(text, o.span)),
                    ast::CalendarItem::Closed(_, s) => Some(snippet(text, *s)),
                    _ => None,
                })
                .collect();
            if parts.is_empty() {
                "never open".to_string()
            } else {
                parts.join("; ")
            }
        }
    }
}

/// A target clause's duration and share, e.g. `within 2 hours, for 100%`.
fn target(text: &str, clause: &ast::TargetClause) -> String {
    let spec = match &clause.spec {
        ast::TargetSpec::Within { span, .. }
        | ast::TargetSpec::NextWorkingDay { span, .. }
        | ast::TargetSpec::Untimed { span, .. } => *span,
        ast::TargetSpec::NotApplicable(span) => *span,
    };
    let mut s = format!("`{}`", snippet(text, spec));
    if let Some(share) = &clause.share {
        let _ = write!(s, " for {}%", share.node);
    }
    s
}

/// The source of a span on one line: runs of whitespace (line breaks
/// included) become one space. Comments inside the span are left out.
pub fn snippet(text: &str, span: Span) -> String {
    let Some(src) = text.get(span.start..span.end) else {
        return String::new();
    };
    let mut out = Vec::new();
    for line in src.lines() {
        // A `#` inside a string is text, not a comment.
        let cut = crate::syntax::scan::tokens(line)
            .find(|t| t.kind == crate::syntax::scan::Kind::Comment)
            .map_or(line.len(), |t| t.start);
        out.extend(line[..cut].split_whitespace().map(str::to_string));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_collapses_and_drops_comments() {
        let text = "open mon..fri  09:00-17:00 # office\n   closed on \"a#b\"";
        let s = snippet(text, Span::new(0, text.len()));
        assert_eq!(s, "open mon..fri 09:00-17:00 closed on \"a#b\"");
        assert_eq!(snippet(text, Span::new(5, 999)), "");
    }
}
