//! Objective counters: per objective and period, tickets per status. Small
//! (objectives × periods), whatever the size of the log.

use rustc_hash::FxHashMap;

use crate::eval::contract::plan::Plan;
use crate::eval::verdict::row::{Counts, PeriodKey, Status};

#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    /// Hashed, not ordered: every ticket adds to it; [`Tally::results`] sorts.
    counts: FxHashMap<(usize, PeriodKey), Counts>,
}

/// One objective in one period, as reported.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectiveResult {
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
    pub(crate) fn add(&mut self, objective: usize, period: PeriodKey, status: Status) {
        self.counts
            .entry((objective, period))
            .or_default()
            .add(status);
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        for (k, c) in &other.counts {
            self.counts.entry(*k).or_default().merge(c);
        }
    }

    /// Results in the contract's order of objectives, periods ascending.
    pub(crate) fn results(&self, plan: &Plan) -> Vec<ObjectiveResult> {
        let mut keys: Vec<&(usize, PeriodKey)> = self.counts.keys().collect();
        keys.sort();
        keys.into_iter()
            .map(|&(oi, period)| {
                let counts = &self.counts[&(oi, period)];
                let o = &plan.objectives[oi];
                let met = counts.get(Status::Met);
                let decided = met + counts.get(Status::Breached);
                let share = (decided > 0).then(|| met as f64 * 100.0 / decided as f64);
                // Compared without division so that 17 of 20 is exactly 85%.
                let compliant = decided == 0 || met as f64 * 100.0 >= o.required * decided as f64;
                ObjectiveResult {
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
