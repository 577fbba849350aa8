//! What a run adds up: tickets and rows per status, objective results, and
//! the input problems, counted in full with the first few kept.

use crate::eval::input::profiles::Comparison;
use crate::eval::verdict::availability::AvailabilityRow;
use crate::eval::verdict::changes::ChangeRow;
use crate::eval::verdict::credits::CreditRow;
use crate::eval::verdict::objectives::ObjectiveResult;
use crate::eval::verdict::row::Counts;

/// Input problems: counted in full, the first few kept with their text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Problems {
    /// Rows that could not be read.
    pub(crate) unreadable: u64,
    /// Verdicts that are `invalid` because the ticket contradicts itself.
    pub(crate) contradictions: u64,
    pub(crate) warnings: u64,
    pub(crate) samples: Vec<String>,
    pub(crate) warning_samples: Vec<String>,
}

impl Problems {
    pub(crate) const KEEP: usize = 20;

    pub(crate) fn note(&mut self, text: String) {
        if self.samples.len() < Self::KEEP {
            self.samples.push(text);
        }
    }

    pub(crate) fn warn(&mut self, text: String) {
        self.warnings += 1;
        if self.warning_samples.len() < Self::KEEP {
            self.warning_samples.push(text);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.unreadable == 0 && self.contradictions == 0
    }

    /// Adds a later chunk's problems (samples stay in log order).
    pub(crate) fn merge(&mut self, other: Problems) {
        self.unreadable += other.unreadable;
        self.contradictions += other.contradictions;
        self.warnings += other.warnings;
        for s in other.samples {
            self.note(s);
        }
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
}

impl Summary {
    /// Every objective and availability requirement compliant in every period.
    pub(crate) fn compliant(&self) -> bool {
        self.objectives.iter().all(|o| o.compliant) && self.availability.iter().all(|a| a.compliant)
    }
}
