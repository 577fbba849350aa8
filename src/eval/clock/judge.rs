//! One clock against one target: elapsed time, deadline and status, exactly
//! as SEMANTICS.md ("Durations of a target", "Clocks") defines them.

use crate::eval::clock::status::Status;
use std::borrow::Cow;

use crate::eval::contract::plan::{Plan, TargetPlan};
use crate::rules::TargetDuration;
use crate::time::exact::{
    deadline_nanos, format_rfc3339_at, open_nanos, same_time_of_day, At, NANOS,
};
use crate::time::{add_calendar_span, Calendar};

/// The instants a clock runs between, with the names of where they came from
/// (for the reason of an `invalid` row).
#[derive(Debug, Clone)]
pub(crate) struct Span<'a> {
    /// To the fraction of a second the log gives.
    pub(crate) start: Option<At>,
    pub(crate) stop: Option<At>,
    pub(crate) start_name: &'a str,
    pub(crate) stop_name: &'a str,
    /// `[from, to)` intervals during which the clock does not run, merged and ordered.
    pub(crate) pauses: &'a [(At, At)],
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judgement {
    pub(crate) status: Status,
    /// Whole seconds, rounded up: over the target exactly when it is.
    pub(crate) elapsed: Option<i64>,
    /// Elapsed exactly, in nanoseconds (for `--explain`).
    pub(crate) elapsed_nanos: Option<i128>,
    pub(crate) target_seconds: Option<i64>,
    pub(crate) deadline: Option<At>,
    pub(crate) reason: Option<String>,
    pub(crate) note: Option<String>,
}

pub(crate) fn judge(plan: &Plan, target: &TargetPlan, span: &Span, as_of: At) -> Judgement {
    let target_seconds = match target.duration {
        TargetDuration::Seconds { seconds } => Some(seconds),
        _ => None,
    };
    let mut j = Judgement {
        status: Status::Pending,
        elapsed: None,
        elapsed_nanos: None,
        target_seconds,
        deadline: None,
        reason: None,
        note: None,
    };
    // Timed targets count in the target's calendar; the others report the
    // metric's open time (wall-clock time for a 24x7 metric).
    let elapsed_cal = match target.duration {
        TargetDuration::Seconds { .. } => plan.calendar(target.calendar),
        _ => plan.calendar(target.metric_calendar),
    };
    let Some(start) = span.start else {
        // The clock has not started: pending, no deadline yet.
        if let TargetDuration::Untimed { note } = &target.duration {
            j.status = Status::Untimed;
            j.note = Some(note.clone());
        }
        return j;
    };
    if let Some(reason) = stop_before_start(plan, span, start) {
        j.status = Status::Invalid;
        j.reason = Some(reason);
        return j;
    }
    let end = span.stop.unwrap_or(as_of).max(start);
    let pauses = &*effective_pauses(span.pauses, span.stop);
    let cal = plan.calendar(target.calendar);
    // Fractions of a second decide too (60.9 s is more than 60 s): elapsed
    // is counted in nanoseconds. A timed target without pauses between
    // whole seconds (nearly every ticket): open time and deadline in one go.
    // (Counted in whole seconds, the elapsed seconds need no rounding.)
    let whole = start.nanos == 0 && end.nanos == 0;
    let (exact, elapsed, timed_deadline) = match target.duration {
        TargetDuration::Seconds { seconds } if pauses.is_empty() && whole => {
            let (elapsed, deadline) = cal.open_and_deadline(start.secs, end.secs, seconds);
            let exact = i128::from(elapsed) * NANOS;
            (exact, elapsed, Some(deadline.map(At::whole)))
        }
        _ => {
            let exact = open_nanos(elapsed_cal, start, end, pauses);
            (exact, seconds_rounded_up(exact), None)
        }
    };
    j.elapsed = Some(elapsed);
    j.elapsed_nanos = Some(exact);
    let deadline = match &target.duration {
        TargetDuration::Untimed { note } => {
            j.status = Status::Untimed;
            j.note = Some(note.clone());
            return j;
        }
        TargetDuration::NotApplicable => {
            j.status = Status::NotApplicable;
            return j;
        }
        TargetDuration::Seconds { seconds } => {
            j.deadline = match timed_deadline {
                Some(deadline) => deadline,
                None => deadline_nanos(cal, start, i128::from(*seconds) * NANOS, pauses),
            };
            j.status = if exact > i128::from(*seconds) * NANOS {
                Status::Breached
            } else if span.stop.is_some() {
                Status::Met
            } else {
                Status::Pending
            };
            return j;
        }
        days => days_deadline(plan, cal, days, start),
    };
    let Some(deadline) = deadline else {
        j.status = Status::Invalid;
        j.reason = Some(format!(
            "no deadline can be computed: calendar `{}` has no working day after the start; check the contract's calendar",
            plan.calendars[target.calendar].name
        ));
        return j;
    };
    // Moved out by the open time paused before it; within a pause still
    // open at the as-of instant it is not known yet, and not passed.
    let Some(deadline) = extend_by_pauses(cal, start, deadline, pauses) else {
        return j;
    };
    j.deadline = Some(deadline);
    j.status = match span.stop {
        Some(stop) if stop <= deadline => Status::Met,
        Some(_) => Status::Breached,
        None if as_of > deadline => Status::Breached,
        None => Status::Pending,
    };
    j
}

/// Why clock `span`, started at `start`, is invalid when it stops before it starts.
fn stop_before_start(plan: &Plan, span: &Span, start: At) -> Option<String> {
    let stop = span.stop.filter(|stop| *stop < start)?;
    Some(format!(
        "{} ({}) is before {} ({}): the stop of the clock lies before its start; correct the log",
        span.stop_name,
        format_rfc3339_at(stop, plan.tz),
        span.start_name,
        format_rfc3339_at(start, plan.tz)
    ))
}

/// The deadline, before pauses, of a target counted in days (working days,
/// the next working day, a calendar span) from `start`; `None` when the
/// calendar has no working day after it. (The other targets are judged
/// before [`judge`] asks for this: they are named, not caught by a `_`, so
/// that a new kind of target must say here whether it counts in days.)
fn days_deadline(plan: &Plan, cal: &Calendar, days: &TargetDuration, start: At) -> Option<At> {
    match days {
        // The same local time of day N working days on, with the start's
        // fraction; not when the start was moved to an opening, or the
        // deadline clamped to a closing (opening and closing times are whole).
        TargetDuration::WorkingDays { n } => cal.working_days_deadline(start.secs, *n).map(|d| {
            // A whole start has no fraction to carry: nothing to look up.
            if start.nanos == 0 {
                return At::whole(d);
            }
            let clamped = cal.is_open(d.saturating_sub(1)) && !cal.is_open(d);
            if cal.is_open(start.secs) && !clamped {
                same_time_of_day(plan.tz, start, d)
            } else {
                At::whole(d)
            }
        }),
        TargetDuration::NextWorkingDay => cal.next_working_day_close(start.secs).map(At::whole),
        TargetDuration::Calendar { span: cs } => {
            add_calendar_span(plan.tz, start.secs, *cs).map(|d| same_time_of_day(plan.tz, start, d))
        }
        TargetDuration::Seconds { .. }
        | TargetDuration::Untimed { .. }
        | TargetDuration::NotApplicable => None,
    }
}

/// Nanoseconds as the whole seconds printed, rounded up: over the target
/// exactly when the exact time is. Worked out in 64 bits when they fit (any
/// span under 292 years): a 128-bit division is a call that costs more than
/// the rest of the arithmetic.
fn seconds_rounded_up(exact: i128) -> i64 {
    const SECOND: i64 = 1_000_000_000;
    match i64::try_from(exact) {
        Ok(ns) => ns.div_euclid(SECOND) + i64::from(ns.rem_euclid(SECOND) > 0),
        Err(_) => {
            let secs = exact.div_euclid(NANOS) + i128::from(exact.rem_euclid(NANOS) > 0);
            i64::try_from(secs).unwrap_or(i64::MAX)
        }
    }
}

/// A deadline found without pauses, moved out by the open time paused before
/// it: that much unpaused open time after it is needed to make up. `None`
/// when a pause that lasts for ever (open at the as-of instant) comes first.
fn extend_by_pauses(cal: &Calendar, start: At, deadline: At, pauses: &[(At, At)]) -> Option<At> {
    if pauses.is_empty() {
        return Some(deadline);
    }
    let paused = open_nanos(cal, start, deadline, &[]) - open_nanos(cal, start, deadline, pauses);
    if paused <= 0 {
        return Some(deadline);
    }
    deadline_nanos(cal, deadline, paused, pauses)
}

/// The pauses that count for a clock: none after its stop (SEMANTICS.md:
/// once a clock has stopped, its deadline is fixed), a pause running at the
/// stop ended there.
pub(crate) fn effective_pauses(pauses: &[(At, At)], stop: Option<At>) -> Cow<'_, [(At, At)]> {
    match stop {
        Some(stop) if pauses.last().is_some_and(|p| p.1 > stop) => Cow::Owned(
            pauses
                .iter()
                .filter(|p| p.0 < stop)
                .map(|&(a, b)| (a, b.min(stop)))
                .collect(),
        ),
        _ => Cow::Borrowed(pauses),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_rounded_up_in_and_out_of_64_bits() {
        assert_eq!(seconds_rounded_up(0), 0);
        assert_eq!(seconds_rounded_up(60 * NANOS), 60);
        // 60.9 s is more than 60 s (and 60.000000001 s too).
        assert_eq!(seconds_rounded_up(60 * NANOS + 900_000_000), 61);
        assert_eq!(seconds_rounded_up(60 * NANOS + 1), 61);
        assert_eq!(seconds_rounded_up(-1), 0);
        // Beyond 64 bits of nanoseconds (over 292 years): the same rule.
        let long = i128::from(i64::MAX) + 1;
        let want = long.div_euclid(NANOS) + 1;
        assert_eq!(i128::from(seconds_rounded_up(long)), want);
        assert_eq!(seconds_rounded_up(i128::MAX), i64::MAX);
    }
}
