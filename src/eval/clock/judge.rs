//! One clock against one target: elapsed time, deadline and status, exactly
//! as SEMANTICS.md ("Durations of a target", "Clocks") defines them.

use crate::eval::clock::status::Status;
use crate::eval::contract::plan::{MetricPlan, Plan, TargetPlan};
use crate::rules::TargetDuration;
use crate::time::{add_calendar_span, Calendar};

/// The instants a clock runs between, with the names of where they came from
/// (for the reason of an `invalid` row).
#[derive(Debug, Clone)]
pub(crate) struct Span<'a> {
    pub(crate) start: Option<i64>,
    pub(crate) stop: Option<i64>,
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

pub(crate) fn judge(
    plan: &Plan,
    metric: &MetricPlan,
    target: &TargetPlan,
    span: &Span,
    as_of: i64,
) -> Judgement {
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
        _ => plan.calendar(metric.calendar),
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
    let cal = plan.calendar(target.calendar);
    // A timed target without pauses: its open time and deadline in one go.
    let (elapsed, timed_deadline) = match target.duration {
        TargetDuration::Seconds { seconds } if span.pauses.is_empty() => {
            let (elapsed, deadline) = cal.open_and_deadline(start, end, seconds);
            (elapsed, Some(deadline))
        }
        _ => (open_time(elapsed_cal, start, end, span.pauses), None),
    };
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
                None => cal.deadline_paused(start, *seconds, span.pauses),
            };
            j.status = if elapsed > *seconds {
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
    let Some(deadline) = deadline.map(|d| extend_by_pauses(cal, start, d, span.pauses)) else {
        j.status = Status::Invalid;
        j.reason = Some(format!(
            "no deadline can be computed: calendar `{}` has no working day after the start; check the contract's calendar",
            plan.calendars[target.calendar].name
        ));
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

/// Open time of `cal` in `[a, b)`, paused time left out.
pub(crate) fn open_time(cal: &Calendar, a: i64, b: i64, pauses: &[(i64, i64)]) -> i64 {
    if pauses.is_empty() {
        cal.open_seconds(a, b)
    } else {
        cal.open_seconds_paused(a, b, pauses)
    }
}

/// A deadline found without pauses, moved out by the open time paused before
/// it: that much unpaused open time after it is needed to make up.
fn extend_by_pauses(cal: &Calendar, start: i64, deadline: i64, pauses: &[(i64, i64)]) -> i64 {
    if pauses.is_empty() {
        return deadline;
    }
    let paused =
        cal.open_seconds(start, deadline) - cal.open_seconds_paused(start, deadline, pauses);
    if paused <= 0 {
        return deadline;
    }
    cal.deadline_paused(deadline, paused, pauses)
        .unwrap_or(deadline)
}
