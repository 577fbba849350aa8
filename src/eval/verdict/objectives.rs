//! Objective counters: per objective and period, tickets per status. Small
//! (objectives × periods), whatever the size of the log.

use rustc_hash::FxHashMap;

use crate::eval::contract::plan::{Plan, VersionIndex};
use crate::eval::verdict::row::{Counts, PeriodKey, Status};

#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    /// Hashed, not ordered: every ticket adds to it; [`Tally::results`] sorts.
    /// Keyed by version, objective (an index into that version's plan) and period.
    counts: FxHashMap<(VersionIndex, usize, PeriodKey), Counts>,
}

/// One objective in one period, as reported.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectiveResult {
    /// The version of the contract whose objective this is (0: the first);
    /// a period that straddles two versions has a result under each.
    pub(crate) version_index: VersionIndex,
    /// The version's name; `None` for a contract without versions.
    pub(crate) version: Option<String>,
    /// Index into the objectives of the version's plan.
    pub(crate) objective: usize,
    pub(crate) name: String,
    pub(crate) metric: String,
    pub(crate) period: String,
    pub(crate) counts: Counts,
    /// met / (met + breached) in percent; `None` when both are zero (empty).
    pub(crate) share: Option<f64>,
    pub(crate) required: f64,
    pub(crate) compliant: bool,
}

impl Tally {
    pub(crate) fn add(
        &mut self,
        version: VersionIndex,
        objective: usize,
        period: PeriodKey,
        status: Status,
    ) {
        self.counts
            .entry((version, objective, period))
            .or_default()
            .add(status);
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        for (k, c) in &other.counts {
            self.counts.entry(*k).or_default().merge(c);
        }
    }

    /// Results version by version, each in its contract's order of
    /// objectives, periods ascending.
    pub(crate) fn results(&self, first: &Plan) -> Vec<ObjectiveResult> {
        let mut keys: Vec<&(VersionIndex, usize, PeriodKey)> = self.counts.keys().collect();
        keys.sort();
        keys.into_iter()
            .map(|&(v, oi, period)| {
                let counts = &self.counts[&(v, oi, period)];
                let plan = first.version(v);
                let o = &plan.objectives[oi];
                let met = counts.get(Status::Met);
                let decided = met + counts.get(Status::Breached);
                let share = (decided > 0).then(|| met as f64 * 100.0 / decided as f64);
                // Compared without division so that 17 of 20 is exactly 85%.
                let compliant = decided == 0 || met as f64 * 100.0 >= o.required * decided as f64;
                ObjectiveResult {
                    version_index: v,
                    version: first.version_name(v).map(str::to_string),
                    objective: oi,
                    name: o.name.clone(),
                    metric: plan.metrics[o.metric].name.clone(),
                    period: period.label(o.period),
                    counts: *counts,
                    share,
                    required: o.required,
                    compliant,
                }
            })
            .collect()
    }
}
