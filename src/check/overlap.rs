//! The checks across conditions: a condition no ticket can meet (W0004) and
//! two target rows that can cover one ticket (E0402). Both stay near linear
//! on hostile contracts: a condition's conjuncts are grouped by field (never
//! compared pairwise), repeated rows are reported once with a count, and rows
//! are paired only within the buckets of the field that splits them best.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::{Condition, Selector, Target, Value};
use crate::time::spec::CalendarSpec;

type Calendars = BTreeMap<String, CalendarSpec>;

/// Overlap errors shown per metric: past a few dozen, more of them only
/// bury the first (and cost time to find); fixing those shows the rest.
const MAX_OVERLAPS: usize = 25;

impl Checker<'_> {
    /// Two target rows of one metric that can both apply to the same ticket.
    pub(super) fn overlapping_targets(&mut self) {
        // Rows that repeat a metric and selector: one error per repeated
        // target, naming its first row and how often it recurs.
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut repeats: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut distinct: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, t) in self.targets.iter().enumerate() {
            let key = format!("{}\u{0}{:?}", t.metric, t.selector);
            match first.get(&key) {
                Some(&f) => repeats.entry(f).or_default().push(i),
                None => {
                    first.insert(key, i);
                    distinct.entry(t.metric.as_str()).or_default().push(i);
                }
            }
        }
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (&f, later) in &repeats {
            // A repeat within one `first match` block is W0007's business.
            let later: Vec<usize> = later
                .iter()
                .copied()
                .filter(|&j| !same_block(&self.targets[f], &self.targets[j]))
                .collect();
            if let Some(&first_later) = later.first() {
                found.push((f, first_later, later.len() - 1));
            }
        }
        let mut capped = Vec::new();
        for indices in distinct.values() {
            let (pairs, complete) = self.overlapping_pairs(indices);
            found.extend(pairs.into_iter().map(|(i, j)| (i, j, 0)));
            if !complete {
                capped.push(indices[0]);
            }
        }
        found.sort_unstable_by_key(|&(i, j, _)| (j, i));
        for (i, j, more) in found {
            let metric = self.targets[i].metric.clone();
            let (sa, sb) = (self.target_spans[i].1, self.target_spans[j].1);
            let mut d = Diagnostic::new(
                Code::OverlappingTargets,
                format!("two targets for `{metric}` cover the same tickets"),
            )
            .primary(sb, "this target")
            .secondary(sa, "covers tickets this one covers too");
            if more > 0 {
                d = d.note(format!(
                    "{more} more row(s) repeat this target for the same tickets; only the first repeat is shown"
                ));
            }
            d = d.help(
                "make the rows disjoint: different priorities, or conditions that exclude each other",
            );
            self.report(d);
        }
        for i in capped {
            let metric = self.targets[i].metric.clone();
            self.report(
                Diagnostic::new(
                    Code::OverlappingTargets,
                    format!("more targets for `{metric}` may cover the same tickets"),
                )
                .primary(self.target_spans[i].1, "the first target of this metric")
                .note(format!(
                    "only the first {MAX_OVERLAPS} overlaps of a metric are shown"
                ))
                .help("fix these and check again"),
            );
        }
    }

    /// Pairs `(earlier, later)` of the given targets (one metric, distinct
    /// selectors, in row order) that may cover one ticket, at most
    /// [`MAX_OVERLAPS`] of them; `false` when the search stopped there.
    fn overlapping_pairs(&self, indices: &[usize]) -> (Vec<(usize, usize)>, bool) {
        let keys: Vec<Option<Vec<String>>> = {
            let dim = best_dimension(indices.iter().map(|&i| &self.targets[i].selector));
            indices
                .iter()
                .map(|&i| dimension_keys(&self.targets[i].selector, dim.as_deref()))
                .collect()
        };
        // Rows constrained on the dimension, by value; rows that are not
        // ("wildcards") are candidates for every later row.
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut wildcards: Vec<usize> = Vec::new();
        let mut pairs = Vec::new();
        for (x, &j) in indices.iter().enumerate() {
            let candidates: BTreeSet<usize> = match &keys[x] {
                None => indices[..x].iter().copied().collect(),
                Some(ks) => ks
                    .iter()
                    .flat_map(|k| by_key.get(k.as_str()).into_iter().flatten())
                    .chain(&wildcards)
                    .copied()
                    .collect(),
            };
            for i in candidates {
                if same_block(&self.targets[i], &self.targets[j]) {
                    continue; // rows of one `first match` block may overlap
                }
                let (a, b) = (&self.targets[i].selector, &self.targets[j].selector);
                if may_overlap(a, b, &self.calendars) {
                    pairs.push((i, j));
                    if pairs.len() >= MAX_OVERLAPS {
                        return (pairs, false);
                    }
                }
            }
            match &keys[x] {
                None => wildcards.push(j),
                Some(ks) => ks
                    .iter()
                    .for_each(|k| by_key.entry(k.as_str()).or_default().push(j)),
            }
        }
        (pairs, true)
    }
}

/// Whether two targets are rows of the same `first match` block.
fn same_block(a: &Target, b: &Target) -> bool {
    matches!((a.policy, b.policy), (Some(x), Some(y)) if x.block == y.block)
}

/// The dimension that splits selectors into the most buckets: `None` for
/// the priority, `Some(field)` for a field compared with `=` or `in`.
fn best_dimension<'s>(selectors: impl Iterator<Item = &'s Selector>) -> Option<String> {
    let mut values: HashMap<Option<&str>, HashSet<String>> = HashMap::new();
    for s in selectors {
        if let Some(ps) = &s.priorities {
            values.entry(None).or_default().extend(ps.iter().cloned());
        }
        for c in conjuncts(s.when.as_ref()) {
            if let Condition::In { field, values: vs } = c {
                let set = values.entry(Some(field.as_str())).or_default();
                set.extend(vs.iter().map(value_key));
            }
        }
    }
    values
        .into_iter()
        .max_by_key(|(dim, set)| (set.len(), dim.is_none(), dim.map(str::to_string)))
        .and_then(|(dim, _)| dim.map(str::to_string))
}

/// The values a selector allows on a dimension (`None`: unconstrained).
fn dimension_keys(s: &Selector, dim: Option<&str>) -> Option<Vec<String>> {
    match dim {
        None => s.priorities.clone(),
        Some(f) => conjuncts(s.when.as_ref())
            .into_iter()
            .find_map(|c| match c {
                Condition::In { field, values } if field == f => {
                    Some(values.iter().map(value_key).collect())
                }
                _ => None,
            }),
    }
}

fn value_key(v: &Value) -> String {
    match v {
        Value::Integer(n) => format!("#{n}"),
        Value::Label(s) => format!("'{s}"),
    }
}

/// Whether two selectors can cover one ticket. Conservative: only selectors
/// that provably exclude each other (different priorities, different values
/// of one field, inside versus outside one calendar) count as disjoint.
fn may_overlap(a: &Selector, b: &Selector, cals: &Calendars) -> bool {
    if let (Some(pa), Some(pb)) = (&a.priorities, &b.priorities) {
        if !pa.iter().any(|p| pb.contains(p)) {
            return false;
        }
    }
    let mut parts = conjuncts(a.when.as_ref());
    parts.extend(conjuncts(b.when.as_ref()));
    !contradictory(&parts, cals)
}

/// The conditions a condition requires all of (nested `and`s flattened).
pub(super) fn conjuncts(c: Option<&Condition>) -> Vec<&Condition> {
    let mut out = Vec::new();
    let mut stack: Vec<&Condition> = c.into_iter().collect();
    while let Some(c) = stack.pop() {
        match c {
            Condition::All { of } => stack.extend(of.iter().rev()),
            c => out.push(c),
        }
    }
    out
}

/// A condition no ticket can meet: an empty list, one field equal to two
/// different values, inside and outside one calendar.
pub(super) fn never_holds(c: &Condition, cals: &Calendars) -> bool {
    match c {
        Condition::In { values, .. } => values.is_empty(),
        Condition::Any { of } => of.iter().all(|x| never_holds(x, cals)),
        Condition::All { .. } => {
            let parts = conjuncts(Some(c));
            parts.iter().any(|x| never_holds(x, cals)) || contradictory(&parts, cals)
        }
        _ => false,
    }
}

/// What a conjunction requires of one field.
#[derive(Default)]
struct FieldDemand<'c> {
    /// The values every `in` on the field allows (`None`: no `in` yet).
    allowed: Option<BTreeSet<&'c Value>>,
    /// Values a `not ... in` rules out.
    ruled_out: BTreeSet<&'c Value>,
    /// The cell must be empty.
    empty: bool,
}

/// Conjuncts that cannot all hold: in one pass, by field (never pairwise).
fn contradictory(parts: &[&Condition], cals: &Calendars) -> bool {
    let mut demands: HashMap<&str, FieldDemand> = HashMap::new();
    // (field, calendar identity, inside) of every `inside`/`outside` seen.
    let mut windows: HashSet<(&str, String, bool)> = HashSet::new();
    let mut identity: HashMap<&str, (String, Option<String>)> = HashMap::new();
    for c in parts {
        match c {
            Condition::In { field, values } => {
                let d = demands.entry(field).or_default();
                match &mut d.allowed {
                    None => d.allowed = Some(values.iter().collect()),
                    Some(set) => {
                        let these: BTreeSet<&Value> = values.iter().collect();
                        set.retain(|v| these.contains(v));
                    }
                }
            }
            Condition::Not { of } => {
                if let Condition::In { field, values } = of.as_ref() {
                    demands
                        .entry(field)
                        .or_default()
                        .ruled_out
                        .extend(values.iter());
                }
            }
            Condition::Empty { field } => demands.entry(field).or_default().empty = true,
            Condition::Opened {
                field,
                calendar,
                inside,
            } => {
                let (me, complement) = identity
                    .entry(calendar.as_str())
                    .or_insert_with(|| calendar_identity(calendar, cals))
                    .clone();
                // Inside and outside one calendar exclude each other, and so
                // do inside a calendar and inside its complement.
                if windows.contains(&(field.as_str(), me.clone(), !inside)) {
                    return true;
                }
                if let Some(other) = &complement {
                    if windows.contains(&(field.as_str(), other.clone(), *inside)) {
                        return true;
                    }
                }
                let complement_of_me = format!("not {me}");
                if windows.contains(&(field.as_str(), complement_of_me, *inside)) {
                    return true;
                }
                windows.insert((field.as_str(), me, *inside));
            }
            Condition::All { .. } | Condition::Any { .. } => {}
        }
    }
    demands.values().any(|d| match &d.allowed {
        Some(set) => d.empty || set.iter().all(|v| d.ruled_out.contains(v)),
        None => false,
    })
}

/// How a calendar is told apart from others: by its definition when known
/// (two names for one definition are one calendar), and, for a complement,
/// the identity of the calendar it complements.
fn calendar_identity(name: &str, cals: &Calendars) -> (String, Option<String>) {
    match cals.get(name) {
        None => (format!("name {name}"), None),
        Some(spec) => {
            let me = spec_key(spec);
            let complement = match spec {
                CalendarSpec::Complement { of } => Some(spec_key(of)),
                _ => None,
            };
            (me, complement)
        }
    }
}

fn spec_key(spec: &CalendarSpec) -> String {
    match spec {
        CalendarSpec::Complement { of } => format!("not {}", spec_key(of)),
        other => format!("{other:?}"),
    }
}
