//! Versions of a contract (SEMANTICS.md, "Versions of a contract"): each
//! `version` block is merged onto the version before it, the result is
//! checked as a whole contract (so a version is held to every rule a
//! contract is), and the sequence is checked: dates valid and in order, no
//! two versions from one day, names unique, nothing a version may not change.
//!
//! What a block of a version replaces in the version before it:
//! - `calendar`, `metric`, `closure`, `availability`, `objective`: the block
//!   of that name (a new name adds one);
//! - a target clause: the clause of the same metric on a row with the same
//!   selector (priorities and condition as written), in place; a new one is
//!   added;
//! - `exclude`: the exclusion with the same reason (`as "..."`);
//! - `priority`, `escalation`, `changes`, `credits`: the whole block.
//!
//! The header and the fields are the same for every version.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{check_one, Checked};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::rules::{self, FIRST_VERSION, SCHEMA_VERSIONED};
use crate::syntax::ast::{self, Item, Span};

/// Checks a contract with `version` blocks: the first version (everything
/// outside them), then each version merged onto the one before.
pub(super) fn check_versioned(file: &ast::File) -> Checked {
    let mut items: Vec<Item> = Vec::new();
    let mut versions: Vec<&ast::Version> = Vec::new();
    for item in &file.items {
        match item {
            Item::Version(v) => versions.push(v),
            other => items.push(other.clone()),
        }
    }
    let first = check_one(&ast::File {
        items: items.clone(),
        broken: file.broken.clone(),
    });
    let mut diagnostics = first.diagnostics;
    let mut names = first.names;
    let target_clauses = first.target_clauses;
    let mut rules = first.rules;
    let effective = rules.contract.effective;
    let mut previous = rules.clone();
    let mut seen: Vec<(String, Span)> = Vec::new();
    let mut last_date: Option<(NaiveDate, Span)> = None;
    let mut out = Vec::new();
    for v in versions {
        let mut diags = Vec::new();
        let from = sequence(v, effective, &mut seen, &mut last_date, &mut diags);
        let merged = merge(&items, v, &mut diags);
        let checked = check_one(&ast::File {
            items: merged.clone(),
            broken: file.broken.clone(),
        });
        // What the merged contract says about blocks of earlier versions was
        // said already; only what is new is this version's.
        let label = format!("in version \"{}\", from {}", v.name.node, v.from.node);
        let has_errors = checked.has_errors();
        for d in checked.diagnostics {
            if !diagnostics.iter().any(|e| said_before(e, &d)) {
                diags.push(d.note(label.clone()));
            }
        }
        let unchanged =
            !has_errors && checked.rules == previous && !diags.iter().any(Diagnostic::is_error);
        if unchanged {
            diags.push(
                Diagnostic::new(
                    Code::VersionUnchanged,
                    format!(
                        "version \"{}\" says nothing the version before it does not",
                        v.name.node
                    ),
                )
                .primary(v.name.span, "changes nothing")
                .help("write in it what changes from its date, or remove it"),
            );
        }
        diagnostics.extend(diags);
        names.merge(checked.names);
        items = merged;
        previous = checked.rules.clone();
        if let Some(from) = from {
            out.push(rules::Version {
                name: v.name.node.clone(),
                from,
                rules: checked.rules,
            });
        }
    }
    diagnostics.sort_by_key(|d| (d.span().start, d.span().end));
    if !out.is_empty() {
        rules.schema = SCHEMA_VERSIONED.into();
    }
    rules.versions = out;
    Checked {
        rules,
        diagnostics,
        names,
        target_clauses,
    }
}

/// Whether `d` says what `earlier` said, at the same place (an earlier
/// version's diagnostic carries a note naming its version).
fn said_before(earlier: &Diagnostic, d: &Diagnostic) -> bool {
    earlier.code == d.code && earlier.message == d.message && earlier.labels == d.labels
}

/// The version's name and date against the versions before it; its date
/// when it is a date.
fn sequence(
    v: &ast::Version,
    effective: Option<NaiveDate>,
    seen: &mut Vec<(String, Span)>,
    last: &mut Option<(NaiveDate, Span)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let name = &v.name.node;
    if name.trim().is_empty() {
        diags.push(
            Diagnostic::new(Code::VersionOrder, "a version needs a name")
                .primary(v.name.span, "empty name")
                .help("name it as the agreement does, e.g. `version \"2\" from 2027-01-01`"),
        );
    } else if name == FIRST_VERSION {
        diags.push(
            Diagnostic::new(
                Code::Duplicate,
                format!("version \"{FIRST_VERSION}\" is the contract as first written"),
            )
            .primary(v.name.span, "name taken by the first version")
            .help("name the versions that follow it \"2\", \"3\", ... or after the amendment"),
        );
    } else if let Some((_, at)) = seen.iter().find(|(n, _)| n == name) {
        diags.push(
            Diagnostic::new(
                Code::Duplicate,
                format!("version \"{name}\" is named twice"),
            )
            .primary(v.name.span, "named again here")
            .secondary(*at, "first named here"),
        );
    }
    seen.push((name.clone(), v.name.span));
    let Ok(date) = NaiveDate::parse_from_str(&v.from.node, "%Y-%m-%d") else {
        diags.push(
            Diagnostic::new(
                Code::InvalidLiteral,
                format!("`{}` is not a date", v.from.node),
            )
            .primary(v.from.span, "no such day")
            .help("dates are written year-month-day, e.g. `2027-01-01`"),
        );
        return None;
    };
    if let Some((before, at)) = *last {
        if date <= before {
            let (message, label) = if date == before {
                (
                    format!("two versions are in force from {date}"),
                    "the same day as the version before",
                )
            } else {
                (
                    format!("version \"{name}\" is in force from {date}, before the version written above it ({before})"),
                    "earlier than the version before",
                )
            };
            diags.push(
                Diagnostic::new(Code::VersionOrder, message)
                    .primary(v.from.span, label)
                    .secondary(at, "the version before is in force from here")
                    .help("write the versions in the order of their dates, each from a later day"),
            );
        }
    }
    if let Some(effective) = effective.filter(|e| date <= *e) {
        diags.push(
            Diagnostic::new(
                Code::VersionOrder,
                format!("version \"{name}\" is in force from {date}, but the contract itself only from {effective}"),
            )
            .primary(v.from.span, "not after the effective date")
            .help("the contract as first written is version 1, in force from `effective`; a version amends it from a later day"),
        );
    }
    *last = Some((date, v.from.span));
    Some(date)
}

/// What identifies a block across versions (see the module's comment);
/// `None` for blocks a version may not hold, and for targets (per clause).
fn identity(item: &Item) -> Option<String> {
    Some(match item {
        Item::Calendar(c) => format!("calendar {}", c.name.node),
        Item::Metric(m) => format!("metric {}", m.name.node),
        Item::Closure(c) => format!("metric {}", c.name.node),
        Item::Availability(a) => format!("availability {}", a.service.node),
        Item::Objective(o) => format!("objective \"{}\"", o.name.node),
        Item::Exclusion(x) => format!("exclusion \"{}\"", x.reason.node),
        Item::Priority(_) => "priority".into(),
        Item::Escalation(_) => "escalation".into(),
        Item::Changes(_) => "changes".into(),
        Item::Credits(_) => "credits".into(),
        Item::Contract(_) | Item::Fields(_) | Item::Targets(_) | Item::Version(_) => return None,
    })
}

/// A selector as written, spans left out: two rows with equal keys select
/// the same tickets in the same words.
fn selector_key(s: &ast::Selector) -> String {
    ast::without_spans(|| serde_json::to_string(s).unwrap_or_default())
}

/// The items of the version before with `v`'s blocks put in: each replaces
/// its namesake in place, or is added at the end.
fn merge(before: &[Item], v: &ast::Version, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut items = before.to_vec();
    let mut changed: HashMap<String, Span> = HashMap::new();
    let mut repeat = |key: String, span: Span, diags: &mut Vec<Diagnostic>| -> bool {
        if let Some(first) = changed.get(&key) {
            diags.push(
                Diagnostic::new(Code::Duplicate, format!("the version changes {key} twice"))
                    .primary(span, "changed again here")
                    .secondary(*first, "first changed here")
                    .help("say each change once"),
            );
            return true;
        }
        changed.insert(key, span);
        false
    };
    for item in &v.items {
        match item {
            Item::Contract(c) => diags.push(forbidden(c.span, "the header", "contract")),
            Item::Fields(f) => diags.push(forbidden(f.span, "the fields", "fields")),
            Item::Version(_) => {}
            Item::Targets(t) => {
                let mut added = t.clone();
                added.rows.clear();
                for row in &t.rows {
                    let key = selector_key(&row.selector);
                    let mut rest = row.clone();
                    rest.clauses.clear();
                    for clause in &row.clauses {
                        let what = format!(
                            "the target of `{}` for {}",
                            clause.metric.node,
                            selector_words(&row.selector)
                        );
                        if repeat(what, clause.span, diags) {
                            continue;
                        }
                        if !replace_clause(&mut items, &key, clause, t.period.as_ref()) {
                            rest.clauses.push(clause.clone());
                        }
                    }
                    if !rest.clauses.is_empty() {
                        added.rows.push(rest);
                    }
                }
                if !added.rows.is_empty() {
                    items.push(Item::Targets(added));
                }
            }
            other => {
                let Some(key) = identity(other) else { continue };
                if repeat(key.clone(), other.span(), diags) {
                    continue;
                }
                match items
                    .iter()
                    .position(|i| identity(i).as_ref() == Some(&key))
                {
                    Some(at) => items[at] = other.clone(),
                    None => {
                        lookalike(&items, other, diags);
                        items.push(other.clone());
                    }
                }
            }
        }
    }
    items
}

/// Puts `clause` in place of the clause of its metric on a row selected by
/// `key`, in the targets block of the version before; false when there is
/// none (or its block counts per another period than `period` says: then
/// the old clause is taken out and the new one goes with its own block).
fn replace_clause(
    items: &mut [Item],
    key: &str,
    clause: &ast::TargetClause,
    period: Option<&ast::Spanned<String>>,
) -> bool {
    for item in items.iter_mut() {
        let Item::Targets(t) = item else { continue };
        let same_period = period.is_none_or(|p| {
            t.period.as_ref().map_or("month", |q| q.node.as_str()) == p.node.as_str()
        });
        for row in &mut t.rows {
            if selector_key(&row.selector) != key {
                continue;
            }
            if let Some(at) = row
                .clauses
                .iter()
                .position(|c| c.metric.node == clause.metric.node)
            {
                if same_period {
                    row.clauses[at] = clause.clone();
                    return true;
                }
                row.clauses.remove(at);
                t.rows.retain(|r| !r.clauses.is_empty());
                return false;
            }
        }
    }
    false
}

/// A selector in a few words, for messages.
fn selector_words(s: &ast::Selector) -> String {
    if s.priorities.is_empty() {
        return if s.when.is_some() {
            "the tickets of its condition".into()
        } else {
            "all tickets".into()
        };
    }
    let names: Vec<&str> = s.priorities.iter().map(|p| p.node.as_str()).collect();
    format!("priority {}", names.join(", "))
}

fn forbidden(span: Span, what: &str, keyword: &str) -> Diagnostic {
    Diagnostic::new(Code::VersionItem, format!("a version cannot change {what}"))
        .primary(span, format!("`{keyword}` inside a version"))
        .help(format!(
            "`{keyword}` is the same for every version: write it once, before the first version"
        ))
}

/// A block a version adds whose name is a typo away from one it would have
/// replaced.
fn lookalike(items: &[Item], added: &Item, diags: &mut Vec<Diagnostic>) {
    let (kind, name, span) = match added {
        Item::Calendar(c) => ("calendar", &c.name.node, c.name.span),
        Item::Metric(m) => ("metric", &m.name.node, m.name.span),
        Item::Closure(c) => ("closure", &c.name.node, c.name.span),
        Item::Availability(a) => ("availability", &a.service.node, a.service.span),
        Item::Objective(o) => ("objective", &o.name.node, o.name.span),
        _ => return,
    };
    let names: Vec<String> = items
        .iter()
        .filter_map(|i| match (i, added) {
            (Item::Calendar(c), Item::Calendar(_)) => Some(c.name.node.clone()),
            (Item::Metric(m), Item::Metric(_) | Item::Closure(_)) => Some(m.name.node.clone()),
            (Item::Closure(c), Item::Metric(_) | Item::Closure(_)) => Some(c.name.node.clone()),
            (Item::Availability(a), Item::Availability(_)) => Some(a.service.node.clone()),
            (Item::Objective(o), Item::Objective(_)) => Some(o.name.node.clone()),
            _ => None,
        })
        .collect();
    if let Some(near) = did_you_mean(name, names.iter().map(String::as_str)) {
        diags.push(
            Diagnostic::new(
                Code::VersionAddsLookalike,
                format!("the version adds {kind} `{name}` beside `{near}`, which stays as it was"),
            )
            .primary(span, "a new name")
            .help(format!(
                "did you mean `{near}`? A block with the same name replaces the earlier one"
            )),
        );
    }
}
