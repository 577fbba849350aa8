//! Hover text: what the name under the cursor means, in Markdown. Clauses
//! are quoted from the contract itself (whitespace collapsed) rather than
//! re-printed from the tree, so the hover shows exactly what was written.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::index::Defs;
use super::{explain, keywords};
use crate::check::{Checked, NameRef, Sym};
use crate::diagnostic::counted;
use crate::syntax::ast::{self, Span};
use crate::time::spec::CalendarSpec;

/// The hover text for a name, or `None` when the name is not declared.
pub(crate) fn hover(
    text: &str,
    tree: &ast::File,
    checked: &Checked,
    name: &NameRef,
    today: NaiveDate,
) -> Option<String> {
    let defs = &Defs::new(tree);
    let names = &checked.names;
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
            calendar(&mut out, text, cal, checked.rules.calendars.get(n), today);
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
            let here = clause_at(tree, name.span);
            metric(&mut out, text, tree, defs, checked, m, here, today);
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

/// For a row of a `first match` block, where it stands: the rows above it
/// are tried first.
fn row_note(tree: &ast::File, row: Span) -> Option<String> {
    tree.items.iter().find_map(|i| match i {
        ast::Item::Targets(t) if t.first_match.is_some() => {
            let n = t.rows.iter().position(|r| r.span == row)?;
            Some(match n {
                0 => "Row 1 of a `first match` block: it takes every ticket it selects.".to_string(),
                n => format!(
                    "Row {} of a `first match` block: it takes the tickets it selects that none of the {} above takes.",
                    n + 1,
                    counted(n as u64, "row", "rows")
                ),
            })
        }
        _ => None,
    })
}

/// A calendar as the checker compiled it: its hours in words, hours a
/// week, the lines that define it, and the days it is closed this year.
fn calendar(
    out: &mut String,
    text: &str,
    cal: &ast::Calendar,
    spec: Option<&CalendarSpec>,
    today: NaiveDate,
) {
    let _ = writeln!(out, "**calendar** `{}`\n", cal.name.node);
    if let Some(spec) = spec {
        let _ = write!(out, "{}", capitalised(&explain::calendar_line(spec)));
        if let Some(h) = explain::hours_per_week(spec) {
            let _ = write!(out, ": {} a week", explain::hours_text(h));
        }
        out.push_str(".\n");
    }
    if let ast::CalendarBody::ByField { field, .. } = &cal.body {
        let _ = writeln!(
            out,
            "Chosen per ticket by field `{}`; a value with no calendar makes the ticket `invalid`.",
            field.node
        );
    }
    let lines: Vec<String> = match &cal.body {
        ast::CalendarBody::Complement(r) => vec![format!("outside {}", r.name.node)],
        ast::CalendarBody::ByField { field, rows } => std::iter::once(format!("by {}", field.node))
            .chain(rows.iter().map(|r| snippet(text, r.span)))
            .collect(),
        ast::CalendarBody::Weekly(items) => items
            .iter()
            .map(|i| match i {
                ast::CalendarItem::Timezone(tz) => snippet(text, tz.span),
                ast::CalendarItem::Open(o) => snippet(text, o.span),
                ast::CalendarItem::Closed(_, s) | ast::CalendarItem::Reopened(_, s) => {
                    snippet(text, *s)
                }
            })
            .collect(),
    };
    if !lines.is_empty() {
        let _ = write!(out, "\n```sla\n{}\n```", lines.join("\n"));
    }
    let Some(spec) = spec else { return };
    let year = today.year();
    let closed = explain::closed_days(spec, year);
    if !closed.is_empty() {
        let days: Vec<String> = closed
            .iter()
            .map(|(d, why)| format!("- {}: {why}", d.format("%a %-d %b")))
            .collect();
        let _ = write!(out, "\n\nClosed in {year}:\n{}", days.join("\n"));
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
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

#[allow(clippy::too_many_arguments)] // what a hover reads, lent
fn metric(
    out: &mut String,
    text: &str,
    tree: &ast::File,
    defs: &Defs,
    checked: &Checked,
    m: &ast::Metric,
    here: Option<(&ast::TargetRow, &ast::TargetClause)>,
    today: NaiveDate,
) {
    let stop = match &m.earliest {
        Some(e) => {
            let each: Vec<String> = e
                .alternatives
                .iter()
                .map(|a| format!("`{}`", snippet(text, a.span())))
                .collect();
            format!("the earliest of {}", each.join(", "))
        }
        None => format!("`{}`", m.to.node),
    };
    let _ = write!(
        out,
        "**metric** `{}`\n\n```sla\n{}\n```\n\nStarts at `{}`, stops at {stop}",
        m.name.node,
        snippet(text, m.span),
        m.from.node,
    );
    let rules = &checked.rules;
    let compiled = rules.metrics.iter().find(|x| x.name == m.name.node);
    match compiled.and_then(|x| Some((&x.calendar, rules.calendars.get(&x.calendar)?))) {
        Some((name, spec)) => {
            let _ = write!(
                out,
                ", counted in `{name}`: {}.",
                explain::calendar_line(spec)
            );
        }
        None => out.push('.'),
    }
    match compiled.and_then(|x| x.repeat) {
        Some(crate::rules::Repeat::Next) => out.push_str(
            " A cycle starts at each start event when none runs and the ticket is not resolved, and stops at the next stop event or the resolution; each cycle has its own verdict.",
        ),
        Some(crate::rules::Repeat::Periodic) => out.push_str(
            " A periodic update: while the ticket is open, a cycle runs from the start (a reopening, the last stop event) to the next stop event; each cycle has its own verdict.",
        ),
        None => {}
    }
    if let Some(x) = compiled.filter(|x| !x.resolved.is_empty() && x.repeat.is_none()) {
        let _ = write!(
            out,
            " Resolved while the status is one of {}: {}.",
            x.resolved.join(", "),
            if x.cycles {
                "each reopening starts a new cycle with its own verdict"
            } else {
                "after a reopening the clock continues, the resolved stretch not counted"
            }
        );
    }
    if let Some((row, clause)) = here {
        let _ = write!(
            out,
            "\n\nTarget here, for `{}`: {}",
            snippet(text, row.selector.span),
            target(text, clause)
        );
        if let Some(words) = target_words(checked, clause.span, today) {
            let _ = write!(out, "\n\n{words}");
        }
        if let Some(note) = row_note(tree, row.span) {
            let _ = write!(out, "\n\n{note}");
        }
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

/// What the target made from the clause at `clause` means, from the
/// checker's compiled target; `None` when the clause did not compile.
fn target_words(checked: &Checked, clause: Span, today: NaiveDate) -> Option<String> {
    let i = checked.target_clauses.iter().position(|s| *s == clause)?;
    let t = checked.rules.targets.get(i)?;
    let spec = checked.rules.calendars.get(&t.calendar)?;
    Some(explain::target(&t.duration, &t.calendar, spec, today))
}

/// Hover where no name is: inside a target clause, what the target means;
/// on a keyword, what it does. The text and the span it is about.
pub(crate) fn hover_at(
    text: &str,
    tree: &ast::File,
    checked: &Checked,
    offset: usize,
    today: NaiveDate,
) -> Option<(String, Span)> {
    if let Some(set) = holiday_set_at(&tree.items, offset) {
        if let Some(value) = explain::holiday_set(&set.node, today.year()) {
            return Some((value, set.span));
        }
    }
    let clause = tree.items.iter().find_map(|i| match i {
        ast::Item::Targets(t) => t
            .rows
            .iter()
            .flat_map(|r| r.clauses.iter().map(move |c| (r, c)))
            .find(|(_, c)| c.span.start <= offset && offset < c.span.end),
        _ => None,
    });
    if let Some((row, c)) = clause {
        let words = target_words(checked, c.span, today)?;
        let mut value = format!(
            "**target** for `{}`: `{}` {}\n\n{words}",
            snippet(text, row.selector.span),
            c.metric.node,
            target(text, c)
        );
        if let Some(note) = row_note(tree, row.span) {
            let _ = write!(value, "\n\n{note}");
        }
        return Some((value, c.span));
    }
    let (word, span) = word_at(text, offset)?;
    let doc = keywords::doc(word)?;
    Some((format!("**keyword** `{word}`\n\n{doc}"), span))
}

/// The holiday set named at `offset` (`NL` in `closed on holidays NL`), in
/// the calendars of the contract and of its versions.
fn holiday_set_at(items: &[ast::Item], offset: usize) -> Option<&ast::Ident> {
    let on = |set: &&ast::Ident| set.span.start <= offset && offset <= set.span.end;
    items.iter().find_map(|i| match i {
        ast::Item::Calendar(ast::Calendar {
            body: ast::CalendarBody::Weekly(parts),
            ..
        }) => parts.iter().find_map(|p| match p {
            ast::CalendarItem::Closed(rules, _) => rules
                .iter()
                .filter_map(|r| match r {
                    ast::DayRule::Set(set) => Some(set),
                    _ => None,
                })
                .find(on),
            _ => None,
        }),
        ast::Item::Version(v) => holiday_set_at(&v.items, offset),
        _ => None,
    })
}

/// The word (letters, digits, `_`) under or just before the cursor,
/// outside strings and comments.
fn word_at(text: &str, offset: usize) -> Option<(&str, Span)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let after = text.get(offset..)?;
    let end = offset + after.find(|c: char| !is_word(c)).unwrap_or(after.len());
    // The line up to the word holds no `#` and an even number of quotes.
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let lead = text.get(line_start..start)?;
    if lead.contains('#') || lead.matches('"').count() % 2 == 1 {
        return None;
    }
    (start < end).then(|| (&text[start..end], Span::new(start, end)))
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
pub(crate) fn snippet(text: &str, span: Span) -> String {
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
