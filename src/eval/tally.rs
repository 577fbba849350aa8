//! Objective counters: per objective and period, tickets per status. Small
//! (objectives × periods), whatever the size of the log.

use rustc_hash::FxHashMap;

use super::plan::Plan;
use super::verdict::{Counts, PeriodKey, Status};

#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Hashed, not ordered: every ticket adds to it; [`Tally::results`] sorts.
    counts: FxHashMap<(usize, PeriodKey), Counts>,
}

/// One objective in one period, as reported.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveResult {
    pub objective: usize,
    pub name: String,
    pub metric: String,
    pub period: String,
    pub counts: Counts,
    /// met / (met + breached) in percent; `None` when both are zero (empty).
    pub share: Option<f64>,
    pub required: f64,
    pub compliant: bool,
}

impl Tally {
    pub fn add(&mut self, objective: usize, period: PeriodKey, status: Status) {
        self.counts
            .entry((objective, period))
            .or_default()
            .add(status);
    }

    pub fn merge(&mut self, other: &Tally) {
        for (k, c) in &other.counts {
            self.counts.entry(*k).or_default().merge(c);
        }
    }

    /// Results in the contract's order of objectives, periods ascending.
    pub fn results(&self, plan: &Plan) -> Vec<ObjectiveResult> {
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
