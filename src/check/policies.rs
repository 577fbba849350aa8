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
        let mut above = RowsAbove::new(rows);
        // A row that repeats an earlier one is reported once per repeated
        // row, with a count, however often it recurs.
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut repeats: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (j, (sel, span)) in rows.iter().enumerate() {
            match first.entry(key(sel)) {
                Entry::Occupied(e) => {
                    repeats.entry(*e.get()).or_default().push(j);
                    // Nothing to index: the earlier row stands for it.
                    above.skip();
                    continue;
                }
                Entry::Vacant(e) => {
                    e.insert(j);
                }
            }
            let parts = dedup(conjuncts(sel.when.as_ref()));
            let keys: Vec<String> = parts.iter().map(key).collect();
            let by = above.covering(sel, &parts, &keys);
            if !by.is_empty() {
                let mut d = Diagnostic::new(Code::UnreachablePolicy, "this row can never apply")
                    .primary(*span, "every ticket it selects is taken by a row above");
                for s in by {
                    d = d.secondary(s, "takes them first");
                }
                self.report(d.help("in a `first match` block the first row that holds wins: move this row up, or narrow the rows above it"));
            }
            above.add(j, parts, &keys);
        }
        for (f, later) in repeats {
            self.repeated_row(rows, f, &later);
        }
    }

    /// Row `f` is repeated by the rows `later`: the first repeat is reported.
    fn repeated_row(&mut self, rows: &[(Selector, Span)], f: usize, later: &[usize]) {
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

/// The rows of a block above the one being checked, indexed for finding
/// the ones that cover it.
struct RowsAbove<'r> {
    rows: &'r [(Selector, Span)],
    /// A row without priorities or conditions: every later row is dead.
    takes_all: Option<Span>,
    /// Priority → the condition-free row that takes its tickets.
    by_priority: HashMap<&'r str, Span>,
    /// Per row: its conditions, once each, and the values of each
    /// `field in [...]` among them as a set (for the subset test).
    conds: Vec<Vec<&'r Condition>>,
    sets: Vec<Vec<Option<HashSet<&'r Value>>>>,
    /// A condition's key → (row, index of the condition in the row).
    exact: HashMap<String, Vec<(usize, usize)>>,
    /// (field, one allowed value) → (row, index) of `field in [...]`.
    by_value: HashMap<(String, String), Vec<(usize, usize)>>,
}

impl<'r> RowsAbove<'r> {
    fn new(rows: &'r [(Selector, Span)]) -> Self {
        RowsAbove {
            rows,
            takes_all: None,
            by_priority: HashMap::new(),
            conds: Vec::with_capacity(rows.len()),
            sets: Vec::with_capacity(rows.len()),
            exact: HashMap::new(),
            by_value: HashMap::new(),
        }
    }

    /// A row that repeats an earlier one: it adds nothing to the index.
    fn skip(&mut self) {
        self.conds.push(Vec::new());
        self.sets.push(Vec::new());
    }

    /// The rows above that take every ticket of the row `sel` (whose
    /// conditions are `parts`, keyed `keys`): the row that takes all, the
    /// condition-free rows of its priorities, or one row with conditions.
    fn covering(&self, sel: &Selector, parts: &[&Condition], keys: &[String]) -> Vec<Span> {
        if let Some(all) = self.takes_all {
            return vec![all];
        }
        // Every priority the row allows is taken by rows above.
        let spans: Option<Vec<Span>> = sel.priorities.as_ref().and_then(|ps| {
            ps.iter()
                .map(|p| self.by_priority.get(p.as_str()).copied())
                .collect()
        });
        let mut by = spans.unwrap_or_default();
        by.sort_by_key(|s| s.start);
        by.dedup();
        if by.is_empty() {
            by.extend(self.covering_row(sel, parts, keys).map(|i| self.rows[i].1));
        }
        by
    }

    /// Indexes row `j`, whose conditions are `parts` (keyed `keys`).
    fn add(&mut self, j: usize, parts: Vec<&'r Condition>, keys: &[String]) {
        for (ci, (c, k)) in parts.iter().zip(keys).enumerate() {
            self.exact.entry(k.clone()).or_default().push((j, ci));
            if let Condition::In { field, values } = c {
                for v in values {
                    self.by_value
                        .entry((field.clone(), v.to_string()))
                        .or_default()
                        .push((j, ci));
                }
            }
        }
        let (sel, span) = &self.rows[j];
        if parts.is_empty() {
            match &sel.priorities {
                None => self.takes_all = self.takes_all.or(Some(*span)),
                Some(ps) => {
                    for p in ps {
                        self.by_priority.entry(p.as_str()).or_insert(*span);
                    }
                }
            }
        }
        self.sets.push(
            parts
                .iter()
                .map(|c| match c {
                    Condition::In { values, .. } => Some(values.iter().collect()),
                    _ => None,
                })
                .collect(),
        );
        self.conds.push(parts);
    }

    /// An earlier row with conditions whose every condition row `sel`
    /// implies (the same condition, or `field in A` where the row has
    /// `field in B`, B ⊆ A), and whose priorities include the row's.
    fn covering_row(&self, sel: &Selector, parts: &[&Condition], keys: &[String]) -> Option<usize> {
        let mut implied: HashSet<(usize, usize)> = HashSet::new();
        for (c, k) in parts.iter().zip(keys) {
            for &hit in self.exact.get(k).into_iter().flatten().take(MAX_CANDIDATES) {
                implied.insert(hit);
            }
            if let Condition::In { field, values } = c {
                let Some(first) = values.first() else {
                    continue;
                };
                let Some(hits) = self.by_value.get(&(field.clone(), first.to_string())) else {
                    continue;
                };
                for &(i, ci) in hits.iter().take(MAX_CANDIDATES) {
                    if implied.contains(&(i, ci)) {
                        continue;
                    }
                    if let Some(Some(wider)) = self.sets.get(i).and_then(|s| s.get(ci)) {
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
            .filter(|&(i, n)| n == self.conds[i].len() && priorities_cover(&self.rows[i].0, sel))
            .map(|(i, _)| i)
            .collect();
        found.sort_unstable();
        found.first().copied()
    }
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
