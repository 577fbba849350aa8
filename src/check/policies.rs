//! `first match` target blocks: a row whose tickets earlier rows all take
//! can never apply (W0007). Found without comparing every pair of rows:
//! rows without a condition are folded into the set of priorities they
//! cover, and a row with conditions is compared only with earlier rows
//! that share one of its conditions (indexed by condition and by value);
//! each comparison set is capped, so hostile blocks stay near linear.

use std::collections::{HashMap, HashSet};

use super::overlap::conjuncts;
use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::{Condition, Selector};
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
        // (row, its conditions, deduplicated) of rows with conditions.
        let mut conds: Vec<Vec<String>> = Vec::with_capacity(rows.len());
        // A condition's key → (row, index of the condition in the row).
        let mut exact: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        // (field, one allowed value) → (row, index) of `field in [...]`.
        let mut by_value: HashMap<(String, String), Vec<(usize, usize)>> = HashMap::new();
        for (j, (sel, span)) in rows.iter().enumerate() {
            let parts = dedup(conjuncts(sel.when.as_ref()));
            let keys: Vec<String> = parts.iter().map(|c| key(c)).collect();
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
                    covering_row(rows, &conds, &exact, &by_value, sel, &parts, &keys)
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
            conds.push(keys);
            if parts.is_empty() {
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
    }
}

/// An earlier row with conditions whose every condition row `sel` implies
/// (the same condition, or `field in A` where the row has `field in B`,
/// B ⊆ A), and whose priorities include the row's.
fn covering_row(
    rows: &[(Selector, Span)],
    conds: &[Vec<String>],
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
                let wider = conjuncts(rows[i].0.when.as_ref());
                let wider = dedup(wider);
                if let Some(Condition::In { values: a, .. }) = wider.get(ci) {
                    if values.iter().all(|v| a.contains(v)) {
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

/// A condition as a key: equal keys, equal conditions.
fn key(c: &Condition) -> String {
    serde_json::to_string(c).unwrap_or_default()
}
