//! How late a breached verdict is, in its target's own time: open time of the
//! target's calendar past the target (office hours for an office-hours
//! target), so that a ticket one second of office time late is not "late by
//! 15h 30m" because a night passed. What reports rank breaches by.

use crate::eval::clock::status::Status;
use crate::eval::contract::plan::Plan;
use crate::eval::verdict::row::Row;
use crate::time::exact::{open_nanos, NANOS};
use crate::time::At;

/// Seconds of the target's time past the target, for a breached row:
/// elapsed − target for a target in hours (paused time is already left out
/// of elapsed); otherwise the calendar's open time from the deadline to the
/// stop (or the as-of instant while the clock runs). `None` for a row that
/// is not breached or has neither.
pub(crate) fn late_by(plan: &Plan, row: &Row, as_of: At) -> Option<i64> {
    if row.status != Status::Breached {
        return None;
    }
    if let (Some(e), Some(t)) = (row.elapsed, row.target_seconds) {
        return Some(e - t);
    }
    let deadline = row.deadline?;
    let plan = plan.version(row.version);
    let end = row.stop.unwrap_or(as_of);
    // Whole seconds, rounded up: a breach is never 0 s late.
    let late = match row.target.and_then(|t| plan.targets.get(t)) {
        Some(t) => open_nanos(plan.calendar(t.calendar), deadline, end, &[]),
        None => end.as_nanos() - deadline.as_nanos(),
    };
    i64::try_from((late + NANOS - 1).div_euclid(NANOS)).ok()
}
