//! `first match` target blocks: a row whose tickets earlier rows all take
//! can never apply (W0007). Found without comparing every pair of rows:
//! rows without a condition are folded into the set of priorities they
//! cover, and a row with conditions is compared only with earlier rows
//! that share one of its conditions (indexed by condition and by value);
//! each comparison set is capped and each row's conditions are split and
//! hashed once, so hostile blocks stay near linear.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::overlap::conjuncts;
use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::{Condition, Selector, Value};
use crate::syntax::ast::Span;

/// Earlier rows looked at per condition of a row: past this, a covering
/// row goes unreported rather than the check growing quadratic.
const MAX_CANDIDATES: usize = 64;

impl Checker<'_> {
    /// W0007 for each row of a `first match` block that earlier rows cover.
    pub(super) fn unreachable_rows(&mut self, rows: &[(Selector, Span)]) {
        // A row without priorities or conditions: every later row is dead.
        let mut takes_all: Option<Span> = None;
        // Priority → the condition-free row that takes its tickets.
        let mut by_priority: HashMap<&str, Span> = HashMap::new();
        // Per row: its conditions, once each, and the values of each
        // `field in [...]` among them as a set (for the subset test).
        let mut conds: Vec<Vec<&Condition>> = Vec::with_capacity(rows.len());
        let mut sets: Vec<Vec<Option<HashSet<&Value>>>> = Vec::with_capacity(rows.len());
        // A condition's key → (row, index of the condition in the row).
        let mut exact: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        // (field, one allowed value) → (row, index) of `field in [...]`.
        let mut by_value: HashMap<(String, String), Vec<(usize, usize)>> = HashMap::new();
        // A row that repeats an earlier one is reported once per repeated
        // row, with a count, however often it recurs.
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut repeats: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (j, (sel, span)) in rows.iter().enumerate() {
            match first.entry(key(sel)) {
                Entry::Occupied(e) => {
                    repeats.entry(*e.get()).or_default().push(j);
                    // Nothing to index: the earlier row stands for it.
                    conds.push(Vec::new());
                    sets.push(Vec::new());
                    continue;
                }
                Entry::Vacant(e) => {
                    e.insert(j);
                }
            }
            let parts = dedup(conjuncts(sel.when.as_ref()));
            let keys: Vec<String> = parts.iter().map(key).collect();
            let mut by: Vec<Span> = takes_all.into_iter().collect();
            if by.is_empty() {
                // Every priority the row allows is taken by rows above.
                let spans: Option<Vec<Span>> = sel.priorities.as_ref().and_then(|ps| {
                    ps.iter()
                        .map(|p| by_priority.get(p.as_str()).copied())
                        .collect()
                });
                by = spans.unwrap_or_default();
                by.sort_by_key(|s| s.start);
                by.dedup();
            }
            if by.is_empty() {
                by.extend(
                    covering_row(rows, &conds, &sets, &exact, &by_value, sel, &parts, &keys)
                        .map(|i| rows[i].1),
                );
            }
            if !by.is_empty() {
                let mut d = Diagnostic::new(Code::UnreachablePolicy, "this row can never apply")
                    .primary(*span, "every ticket it selects is taken by a row above");
                for s in by {
                    d = d.secondary(s, "takes them first");
                }
                self.report(d.help("in a `first match` block the first row that holds wins: move this row up, or narrow the rows above it"));
            }
            for (ci, (c, k)) in parts.iter().zip(&keys).enumerate() {
                exact.entry(k.clone()).or_default().push((j, ci));
                if let Condition::In { field, values } = c {
                    for v in values {
                        by_value
                            .entry((field.clone(), v.to_string()))
                            .or_default()
                            .push((j, ci));
                    }
                }
            }
            let is_empty = parts.is_empty();
            sets.push(
                parts
                    .iter()
                    .map(|c| match c {
                        Condition::In { values, .. } => Some(values.iter().collect()),
                        _ => None,
                    })
                    .collect(),
            );
            conds.push(parts);
            if is_empty {
                match &sel.priorities {
                    None => takes_all = takes_all.or(Some(*span)),
                    Some(ps) => {
                        for p in ps {
                            by_priority.entry(p.as_str()).or_insert(*span);
                        }
                    }
                }
            }
        }
        for (f, later) in repeats {
            let mut d = Diagnostic::new(
                Code::UnreachablePolicy,
                format!("this row repeats row {} and can never apply", f + 1),
            )
            .primary(
                rows[later[0]].1,
                format!("selects the same tickets as row {}", f + 1),
            )
            .secondary(rows[f].1, "takes them first");
            if later.len() > 1 {
                d = d.note(format!(
                    "{} more row(s) of this block repeat it; only the first repeat is shown",
                    later.len() - 1
                ));
            }
            self.report(
                d.help("remove the repeated row, or give it the selector it was meant to have"),
            );
        }
    }
}

/// An earlier row with conditions whose every condition row `sel` implies
/// (the same condition, or `field in A` where the row has `field in B`,
/// B ⊆ A), and whose priorities include the row's.
#[allow(clippy::too_many_arguments)] // the indexes of one pass, lent
fn covering_row(
    rows: &[(Selector, Span)],
    conds: &[Vec<&Condition>],
    sets: &[Vec<Option<HashSet<&Value>>>],
    exact: &HashMap<String, Vec<(usize, usize)>>,
    by_value: &HashMap<(String, String), Vec<(usize, usize)>>,
    sel: &Selector,
    parts: &[&Condition],
    keys: &[String],
) -> Option<usize> {
    let mut implied: HashSet<(usize, usize)> = HashSet::new();
    for (c, k) in parts.iter().zip(keys) {
        for &hit in exact.get(k).into_iter().flatten().take(MAX_CANDIDATES) {
            implied.insert(hit);
        }
        if let Condition::In { field, values } = c {
            let Some(first) = values.first() else {
                continue;
            };
            let Some(hits) = by_value.get(&(field.clone(), first.to_string())) else {
                continue;
            };
            for &(i, ci) in hits.iter().take(MAX_CANDIDATES) {
                if implied.contains(&(i, ci)) {
                    continue;
                }
                if let Some(Some(wider)) = sets.get(i).and_then(|s| s.get(ci)) {
                    if values.iter().all(|v| wider.contains(v)) {
                        implied.insert((i, ci));
                    }
                }
            }
        }
    }
    let mut count: HashMap<usize, usize> = HashMap::new();
    for (i, _) in implied {
        *count.entry(i).or_default() += 1;
    }
    let mut found: Vec<usize> = count
        .into_iter()
        .filter(|&(i, n)| n == conds[i].len() && priorities_cover(&rows[i].0, sel))
        .map(|(i, _)| i)
        .collect();
    found.sort_unstable();
    found.first().copied()
}

/// Whether `wide`'s priorities include every ticket priority `narrow` allows.
fn priorities_cover(wide: &Selector, narrow: &Selector) -> bool {
    match (&wide.priorities, &narrow.priorities) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(w), Some(n)) => n.iter().all(|p| w.contains(p)),
    }
}

/// The conditions once each, in order (by their key).
fn dedup(parts: Vec<&Condition>) -> Vec<&Condition> {
    let mut seen = HashSet::new();
    parts.into_iter().filter(|c| seen.insert(key(c))).collect()
}

/// A condition or selector as a key: equal keys, equal conditions.
fn key(c: &impl serde::Serialize) -> String {
    serde_json::to_string(c).unwrap_or_default()
}
