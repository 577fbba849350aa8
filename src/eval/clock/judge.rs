//! One clock against one target: elapsed time, deadline and status, exactly
//! as SEMANTICS.md ("Durations of a target", "Clocks") defines them.

use crate::eval::clock::status::Status;
use std::borrow::Cow;

use crate::eval::contract::plan::{Plan, TargetPlan};
use crate::rules::TargetDuration;
use crate::time::{add_calendar_span, Calendar};

/// The instants a clock runs between, with the names of where they came from
/// (for the reason of an `invalid` row).
#[derive(Debug, Clone)]
pub(crate) struct Span<'a> {
    pub(crate) start: Option<i64>,
    pub(crate) stop: Option<i64>,
    /// The fractions of a second past `start` and `stop`, in nanoseconds.
    pub(crate) start_nanos: u32,
    pub(crate) stop_nanos: u32,
    pub(crate) start_name: &'a str,
    pub(crate) stop_name: &'a str,
    /// `[from, to)` intervals during which the clock does not run, merged and ordered.
    pub(crate) pauses: &'a [(i64, i64)],
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judgement {
    pub(crate) status: Status,
    pub(crate) elapsed: Option<i64>,
    pub(crate) target_seconds: Option<i64>,
    pub(crate) deadline: Option<i64>,
    pub(crate) reason: Option<String>,
    pub(crate) note: Option<String>,
}

pub(crate) fn judge(plan: &Plan, target: &TargetPlan, span: &Span, as_of: i64) -> Judgement {
    let target_seconds = match target.duration {
        TargetDuration::Seconds { seconds } => Some(seconds),
        _ => None,
    };
    let mut j = Judgement {
        status: Status::Pending,
        elapsed: None,
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
    if let Some(stop) = span.stop {
        if stop < start {
            j.status = Status::Invalid;
            j.reason = Some(format!(
                "{} ({}) is before {} ({}): the stop of the clock lies before its start; correct the log",
                span.stop_name,
                crate::time::format_rfc3339(stop, plan.tz),
                span.start_name,
                crate::time::format_rfc3339(start, plan.tz)
            ));
            return j;
        }
    }
    let end = span.stop.unwrap_or(as_of).max(start);
    let pauses = &*effective_pauses(span.pauses, span.stop);
    let cal = plan.calendar(target.calendar);
    // A timed target without pauses: its open time and deadline in one go.
    let (elapsed, timed_deadline) = match target.duration {
        TargetDuration::Seconds { seconds } if pauses.is_empty() => {
            let (elapsed, deadline) = cal.open_and_deadline(start, end, seconds);
            (elapsed, Some(deadline))
        }
        _ => (open_time(elapsed_cal, start, end, pauses), None),
    };
    // Fractions of a second decide too (60.9 s is more than 60 s): the
    // exact count, in nanoseconds, where the start or stop has one.
    let stop_nanos = if span.stop.is_some() {
        span.stop_nanos
    } else {
        0
    };
    let exact = if span.start_nanos == 0 && stop_nanos == 0 {
        i128::from(elapsed) * NANOS
    } else {
        exact_nanos(
            elapsed_cal,
            elapsed,
            (start, span.start_nanos),
            (end, stop_nanos),
            pauses,
        )
    };
    // Printed in whole seconds, rounded up: over the target exactly when it is.
    let elapsed = exact.div_euclid(NANOS) + i128::from(exact.rem_euclid(NANOS) > 0);
    let elapsed = i64::try_from(elapsed).unwrap_or(i64::MAX);
    j.elapsed = Some(elapsed);
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
                None => cal.deadline_paused(start, *seconds, pauses),
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
        TargetDuration::WorkingDays { n } => cal.working_days_deadline(start, *n),
        TargetDuration::NextWorkingDay => cal.next_working_day_close(start),
        TargetDuration::Calendar { span: cs } => add_calendar_span(plan.tz, start, *cs),
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
    // A deadline at the start's time of day carries its fraction; a closing
    // time does not.
    let deadline_nanos = match target.duration {
        TargetDuration::NextWorkingDay => 0,
        _ => span.start_nanos,
    };
    j.status = match span.stop {
        Some(stop) if (stop, span.stop_nanos) <= (deadline, deadline_nanos) => Status::Met,
        Some(_) => Status::Breached,
        None if as_of > deadline => Status::Breached,
        None => Status::Pending,
    };
    j
}

const NANOS: i128 = 1_000_000_000;

/// The open time between `(start, fraction)` and `(end, fraction)` in
/// nanoseconds, from the whole seconds' count `whole`: a second in which the
/// clock runs counts the part of it past the start's fraction and up to the
/// end's. (Calendars open and close on whole seconds, so a second runs
/// wholly or not at all.)
fn exact_nanos(
    cal: &Calendar,
    whole: i64,
    (start, start_nanos): (i64, u32),
    (end, end_nanos): (i64, u32),
    pauses: &[(i64, i64)],
) -> i128 {
    let mut exact = i128::from(whole) * NANOS;
    let runs = |t: i64| open_time(cal, t, t.saturating_add(1), pauses) > 0;
    if start_nanos > 0 && runs(start) {
        exact -= i128::from(start_nanos);
    }
    if end_nanos > 0 && runs(end) {
        exact += i128::from(end_nanos);
    }
    exact.max(0)
}

/// Open time of `cal` in `[a, b)`, paused time left out.
pub(crate) fn open_time(cal: &Calendar, a: i64, b: i64, pauses: &[(i64, i64)]) -> i64 {
    if pauses.is_empty() {
        cal.open_seconds(a, b)
    } else {
        cal.open_seconds_paused(a, b, pauses)
    }
}

/// A deadline found without pauses, moved out by the open time paused before
/// it: that much unpaused open time after it is needed to make up. `None`
/// when a pause that lasts for ever (open at the as-of instant) comes first.
fn extend_by_pauses(
    cal: &Calendar,
    start: i64,
    deadline: i64,
    pauses: &[(i64, i64)],
) -> Option<i64> {
    if pauses.is_empty() {
        return Some(deadline);
    }
    let paused =
        cal.open_seconds(start, deadline) - cal.open_seconds_paused(start, deadline, pauses);
    if paused <= 0 {
        return Some(deadline);
    }
    cal.deadline_paused(deadline, paused, pauses)
}

/// The pauses that count for a clock: none after its stop (SEMANTICS.md:
/// once a clock has stopped, its deadline is fixed), a pause running at the
/// stop ended there.
pub(crate) fn effective_pauses(pauses: &[(i64, i64)], stop: Option<i64>) -> Cow<'_, [(i64, i64)]> {
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
