//! Verdicts: per ticket and metric the target that applies, exclusions and
//! the clock ([`ticket`], with [`select`] for priorities and conditions), the
//! rows they make ([`row`]), escalations due, objective counters, and the
//! verdicts over side logs (availability, change windows).

pub(crate) mod availability;
pub(crate) mod changes;
pub(crate) mod credits;
pub(crate) mod escalations;
pub(crate) mod field_history;
pub(crate) mod lateness;
pub(crate) mod objectives;
pub(crate) mod reopening;
pub(crate) mod repeating;
pub(crate) mod row;
pub(crate) mod select;
pub(crate) mod ticket;
