//! Inlay hints: the time facts a contract leaves implicit, shown beside
//! the text. After a calendar's name, its hours and zone as the checker
//! compiled them (`in office` → `Mon–Fri 09:00–17:00 Europe/Amsterdam`);
//! after a target that names no calendar, the one it counts in, inherited
//! from its metric (`within 4 hours` → `in office`).

use lsp_types::{InlayHint, InlayHintLabel, InlayHintTooltip};

use super::explain;
use super::position::LineIndex;
use crate::check::{Checked, Sym};
use crate::syntax::ast::{self, Span};

/// The hints whose place lies within `range` (byte offsets).
pub(crate) fn hints(
    text: &str,
    lines: &LineIndex,
    tree: &ast::File,
    checked: &Checked,
    range: Span,
) -> Vec<InlayHint> {
    let mut out: Vec<(usize, String, String)> = Vec::new();
    let calendars = &checked.rules.calendars;
    for r in checked.names.all() {
        let Sym::Calendar(name) = &r.sym else {
            continue;
        };
        if r.declaration {
            continue;
        }
        if let Some(spec) = calendars.get(name) {
            out.push((
                r.span.end,
                explain::calendar_brief(spec),
                explain::calendar_line(spec),
            ));
        }
    }
    for clause in tree.items.iter().flat_map(target_clauses) {
        let spec_span = match &clause.spec {
            ast::TargetSpec::Within {
                calendar: None,
                span,
                ..
            }
            | ast::TargetSpec::NextWorkingDay {
                calendar: None,
                span,
            } => *span,
            _ => continue,
        };
        let Some(i) = checked
            .target_clauses
            .iter()
            .position(|s| *s == clause.span)
        else {
            continue;
        };
        let Some(t) = checked.rules.targets.get(i) else {
            continue;
        };
        let tooltip = calendars
            .get(&t.calendar)
            .map(explain::calendar_line)
            .unwrap_or_default();
        out.push((
            spec_span.end,
            format!("in {} (the metric's)", t.calendar),
            tooltip,
        ));
    }
    out.sort_by_key(|(at, _, _)| *at);
    out.into_iter()
        .filter(|(at, _, _)| range.start <= *at && *at <= range.end)
        .map(|(at, label, tooltip)| InlayHint {
            position: lines.position(text, at),
            label: InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: (!tooltip.is_empty()).then_some(InlayHintTooltip::String(tooltip)),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}

fn target_clauses(item: &ast::Item) -> Vec<&ast::TargetClause> {
    match item {
        ast::Item::Targets(t) => t.rows.iter().flat_map(|r| &r.clauses).collect(),
        _ => Vec::new(),
    }
}
