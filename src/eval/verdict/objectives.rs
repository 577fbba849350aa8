//! Objective counters: per objective and period, tickets per status. Small
//! (objectives × periods), whatever the size of the log.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::eval::contract::plan::{Plan, VersionIndex};
use crate::eval::verdict::row::{Counts, PeriodKey, Status};

#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    /// Per version, per objective (an index into that version's plan):
    /// the counts of its periods. Every ticket adds to it, two or three
    /// times: an index, not a hash, finds its counts.
    series: Vec<Vec<Series>>,
    /// The counts of a period too far from an objective's others to be
    /// kept in its [`Series`] (never, but for a log that spans centuries).
    far: FxHashMap<(VersionIndex, usize, PeriodKey), Counts>,
}

/// One objective's counts, period by period from its first to its last
/// (the periods between included, their counts zero: no ticket counted).
#[derive(Debug, Default, Clone)]
struct Series {
    /// The [`ordinal`] of `counts[0]`.
    first: i64,
    counts: Vec<Counts>,
}

/// The most periods a [`Series`] spans: months over a hundred years (a
/// series takes 56 bytes a period, and each chunk of the log has its own).
const SPAN: i64 = 13 * 100;

/// A period as a number: consecutive periods of one kind differ by one (a
/// month's part is 1 to 12, a quarter's 1 to 4, a year's 0), and the order
/// is the periods' order.
fn ordinal(p: PeriodKey) -> i64 {
    i64::from(p.year) * 13 + i64::from(p.part)
}

/// The period of an [`ordinal`].
fn period_of(ordinal: i64) -> PeriodKey {
    PeriodKey {
        year: i32::try_from(ordinal.div_euclid(13)).unwrap_or(i32::MAX),
        part: ordinal.rem_euclid(13) as u32,
    }
}

impl Series {
    /// The index in `counts` of the period of ordinal `at`, made room for;
    /// `None` when the series would span more than [`SPAN`].
    fn slot(&mut self, at: i64) -> Option<usize> {
        if self.counts.is_empty() {
            self.first = at;
        }
        let end = self.first + self.counts.len() as i64;
        if at < self.first {
            if end - at > SPAN {
                return None;
            }
            let more = (self.first - at) as usize;
            self.counts
                .splice(0..0, std::iter::repeat_n(Counts::default(), more));
            self.first = at;
        } else if at >= end {
            if at + 1 - self.first > SPAN {
                return None;
            }
            self.counts
                .resize((at + 1 - self.first) as usize, Counts::default());
        }
        Some((at - self.first) as usize)
    }
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
        self.counts_of(version, objective, period).add(status);
    }

    /// The counts of `objective` of `version` in `period`.
    fn counts_of(
        &mut self,
        version: VersionIndex,
        objective: usize,
        period: PeriodKey,
    ) -> &mut Counts {
        let v = usize::from(version);
        if self.series.len() <= v {
            self.series.resize_with(v + 1, Vec::new);
        }
        let objectives = &mut self.series[v];
        if objectives.len() <= objective {
            objectives.resize_with(objective + 1, Series::default);
        }
        let series = &mut objectives[objective];
        match series.slot(ordinal(period)) {
            Some(i) => &mut series.counts[i],
            None => self.far.entry((version, objective, period)).or_default(),
        }
    }

    /// Every (version, objective, period) counted in, with its counts (a
    /// period may come twice, from its series and from `far`).
    fn entries(&self) -> impl Iterator<Item = ((VersionIndex, usize, PeriodKey), &Counts)> {
        let series = self.series.iter().enumerate().flat_map(|(v, objectives)| {
            objectives.iter().enumerate().flat_map(move |(oi, s)| {
                s.counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c != Counts::default())
                    .map(move |(i, c)| {
                        let v = VersionIndex::try_from(v).unwrap_or(VersionIndex::MAX);
                        ((v, oi, period_of(s.first + i as i64)), c)
                    })
            })
        });
        series.chain(self.far.iter().map(|(k, c)| (*k, c)))
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        for (k, c) in other.entries() {
            self.counts_of(k.0, k.1, k.2).merge(c);
        }
    }

    /// Results version by version, each in its contract's order of
    /// objectives, periods ascending.
    pub(crate) fn results(&self, first: &Plan) -> Vec<ObjectiveResult> {
        let mut all: BTreeMap<(VersionIndex, usize, PeriodKey), Counts> = BTreeMap::new();
        for (k, c) in self.entries() {
            all.entry(k).or_default().merge(c);
        }
        all.into_iter()
            .map(|((v, oi, period), counts)| {
                let counts = &counts;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn month(year: i32, part: u32) -> PeriodKey {
        PeriodKey { year, part }
    }

    #[test]
    fn periods_far_apart_are_counted_and_listed_in_order() {
        let mut a = Tally::default();
        // 2025-03 first, then earlier and later months of the objective;
        // 1900-01 and 2200-12 lie too far from them for one series.
        a.add(0, 1, month(2025, 3), Status::Met);
        a.add(0, 1, month(2024, 12), Status::Breached);
        a.add(0, 1, month(2025, 3), Status::Breached);
        a.add(0, 1, month(1900, 1), Status::Met);
        a.add(0, 1, month(2200, 12), Status::Pending);
        a.add(2, 0, month(2025, 1), Status::Met);
        let mut b = Tally::default();
        b.add(0, 1, month(2200, 12), Status::Met);
        b.add(0, 1, month(2025, 4), Status::Met);
        a.merge(&b);
        let got: BTreeMap<_, _> = a.entries().fold(BTreeMap::new(), |mut m, (k, c)| {
            m.entry(k).or_insert_with(Counts::default).merge(c);
            m
        });
        let counts = |pairs: &[(Status, u64)]| {
            let mut c = Counts::default();
            for &(s, n) in pairs {
                for _ in 0..n {
                    c.add(s);
                }
            }
            c
        };
        let want: BTreeMap<_, _> = [
            ((0, 1, month(1900, 1)), counts(&[(Status::Met, 1)])),
            ((0, 1, month(2024, 12)), counts(&[(Status::Breached, 1)])),
            (
                (0, 1, month(2025, 3)),
                counts(&[(Status::Met, 1), (Status::Breached, 1)]),
            ),
            ((0, 1, month(2025, 4)), counts(&[(Status::Met, 1)])),
            (
                (0, 1, month(2200, 12)),
                counts(&[(Status::Pending, 1), (Status::Met, 1)]),
            ),
            ((2, 0, month(2025, 1)), counts(&[(Status::Met, 1)])),
        ]
        .into_iter()
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn an_ordinal_is_a_period_and_keeps_the_periods_order() {
        for p in [
            month(2025, 0),
            month(2025, 1),
            month(2025, 12),
            month(1900, 4),
        ] {
            assert_eq!(period_of(ordinal(p)), p);
        }
        assert!(ordinal(month(2024, 12)) < ordinal(month(2025, 0)));
        assert_eq!(ordinal(month(2025, 2)) - ordinal(month(2025, 1)), 1);
    }
}
