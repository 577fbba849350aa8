//! What evaluation produces for one ticket on one metric: a [`Row`].

pub(crate) use crate::eval::clock::status::Status;
use compact_str::CompactString;

use crate::time::At;

/// One verdict row. Names are indices into the plan (`metric`, `priority`,
/// `target`) so that a row is cheap to make; reports turn them into names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub(crate) line: u64,
    /// Inline for ids up to 24 bytes: no allocation per row.
    pub(crate) id: CompactString,
    pub(crate) priority: Option<usize>,
    /// `None`: the ticket has no row for any metric (not applicable, or unreadable
    /// under a contract without metrics).
    pub(crate) metric: Option<usize>,
    /// Index into `Plan::targets` of the target that applied.
    pub(crate) target: Option<usize>,
    pub(crate) status: Status,
    pub(crate) elapsed: Option<i64>,
    pub(crate) target_seconds: Option<i64>,
    /// Instants to the fraction of a second.
    pub(crate) deadline: Option<At>,
    pub(crate) start: Option<At>,
    pub(crate) stop: Option<At>,
    /// The exclusion, or the input problem.
    pub(crate) reason: Option<CompactString>,
    /// The note of an untimed target ("in a next release").
    pub(crate) note: Option<String>,
    /// The ticket's effective closing instant under the contract's closure
    /// rule (the customer's confirmation, or the automatic close once it has
    /// happened by the as-of instant); `None` without a closure rule or
    /// before the ticket closed. The same on every row of the ticket.
    pub(crate) closed_at: Option<At>,
    /// The version of the contract the ticket was judged by (0: the first,
    /// the only one of a contract without versions); `metric`, `priority`
    /// and `target` index into that version's plan.
    pub(crate) version: crate::eval::contract::plan::VersionIndex,
    /// The cycle of a metric with `new cycle on reopening` (1, 2, …).
    pub(crate) cycle: Option<u32>,
}

/// A period an objective is measured over: (year, month 1–12 | quarter 1–4 | 0 for a year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PeriodKey {
    pub(crate) year: i32,
    pub(crate) part: u32,
}

impl PeriodKey {
    pub(crate) fn label(self, period: crate::rules::Period) -> String {
        use crate::rules::Period;
        match period {
            Period::Month => format!("{:04}-{:02}", self.year, self.part),
            Period::Quarter => format!("{:04}-Q{}", self.year, self.part),
            Period::Year => format!("{:04}", self.year),
        }
    }
}

/// Tickets per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts(pub(crate) [u64; 7]);

impl Counts {
    pub(crate) fn add(&mut self, s: Status) {
        self.0[s.index()] += 1;
    }

    pub(crate) fn get(&self, s: Status) -> u64 {
        self.0[s.index()]
    }

    pub(crate) fn merge(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}
