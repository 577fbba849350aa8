//! What a run adds up: tickets and rows per status, objective results, and
//! the input problems, counted in full with the first few kept.

use crate::eval::input::profiles::Comparison;
use crate::eval::problems::{Problem, ProblemCounts, ProblemKind};
use crate::eval::verdict::availability::AvailabilityRow;
use crate::eval::verdict::changes::ChangeRow;
use crate::eval::verdict::credits::CreditRow;
use crate::eval::verdict::field_history::PriorityMoves;
use crate::eval::verdict::objectives::ObjectiveResult;
use crate::eval::verdict::row::Counts;

/// Input problems of every kind, and the warnings (readable input that
/// needed a choice, such as an autumn-overlap local time).
#[derive(Debug, Default, Clone)]
pub(crate) struct Problems {
    pub(crate) counts: ProblemCounts,
    pub(crate) warnings: u64,
    pub(crate) warning_samples: Vec<String>,
}

impl Problems {
    /// Warnings kept with their text.
    pub(crate) const KEEP: usize = 20;

    /// Counts a problem (the first few of its kind kept).
    pub(crate) fn add(&mut self, kind: ProblemKind, file: &str, line: Option<u64>, reason: String) {
        self.add_at(kind, file, line, None, reason);
    }

    /// [`Problems::add`] at a column of the line.
    pub(crate) fn add_at(
        &mut self,
        kind: ProblemKind,
        file: &str,
        line: Option<u64>,
        column: Option<u64>,
        reason: String,
    ) {
        self.counts
            .add(Problem::new(kind, file, line, column, reason));
    }

    pub(crate) fn warn(&mut self, text: String) {
        self.warnings += 1;
        if self.warning_samples.len() < Self::KEEP {
            self.warning_samples.push(text);
        }
    }

    /// Ticket rows that could not be read.
    pub(crate) fn unreadable(&self) -> u64 {
        self.counts.count(ProblemKind::UnreadableRow)
    }

    /// Whether there is a problem that makes `--strict` fail the run.
    pub(crate) fn any_error(&self) -> bool {
        ProblemKind::ALL
            .iter()
            .any(|k| k.is_error() && self.counts.count(*k) > 0)
    }

    /// Adds a later chunk's problems (samples stay in log order).
    pub(crate) fn merge(&mut self, other: Problems) {
        self.counts.merge(other.counts);
        self.warnings += other.warnings;
        for w in other.warning_samples {
            if self.warning_samples.len() < Self::KEEP {
                self.warning_samples.push(w);
            }
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) tickets: u64,
    pub(crate) rows: u64,
    pub(crate) by_status: Counts,
    pub(crate) objectives: Vec<ObjectiveResult>,
    /// Filled in by the caller when an outage log was given.
    pub(crate) availability: Vec<AvailabilityRow>,
    /// Filled in by the caller when a change log was given.
    pub(crate) changes: Vec<ChangeRow>,
    /// Service credits owed (filled in by the caller, from availability and objectives).
    pub(crate) credits: Vec<CreditRow>,
    /// The earliest and latest `opened_at` of the log (for the term check).
    pub(crate) opened: Option<(i64, i64)>,
    /// Warnings about the run as a whole (filled in by the caller), e.g.
    /// tickets outside the agreement's term.
    pub(crate) warnings: Vec<String>,
    /// Escalations due by the as-of instant (the rows went to the sink).
    pub(crate) escalations: u64,
    pub(crate) problems: Problems,
    /// The contract's verdicts against the export's own, when it has them.
    pub(crate) comparison: Option<Comparison>,
    /// What priority changes in the tickets' histories did to the verdicts.
    pub(crate) priority_moves: PriorityMoves,
}

impl Summary {
    /// Every objective and availability requirement compliant in every period.
    pub(crate) fn compliant(&self) -> bool {
        self.objectives.iter().all(|o| o.compliant) && self.availability.iter().all(|a| a.compliant)
    }
}
