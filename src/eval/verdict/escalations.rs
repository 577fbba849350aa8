//! Escalations due by the as-of instant (INTERFACES.md `escalations` rows):
//! per ticket, the highest level of the ladder that is due, when and why —
//! a target breached (due at its deadline), a share of a target used (due
//! when the clock reached that share, if it was still running), or a
//! condition on the ticket such as a complaint (due when it was opened).
//!
//! A level is due once any of its triggers has fired; of the levels due the
//! highest is reported, with the earliest of its triggers as `due_at` and
//! `reason`. Where the ladder says when escalation is possible (`available
//! office`), a trigger that fires outside those hours is due at the next
//! opening. A level without triggers is never due automatically.

use crate::eval::clock::judge::effective_pauses;
use crate::eval::contract::plan::{Cond, Plan, TriggerPlan};
use crate::eval::input::cells::Ticket;
use crate::eval::timeline::history::Timeline;
use crate::eval::verdict::reopening::continued_pauses;
use crate::eval::verdict::row::{Row, Status};
use crate::eval::verdict::select::{describe, holds};
use crate::eval::verdict::ticket::Context;
use crate::rules::TargetDuration;
use crate::time::exact::{deadline_nanos, open_nanos, NANOS};
use crate::time::At;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EscalationRow {
    pub(crate) id: compact_str::CompactString,
    pub(crate) line: u64,
    pub(crate) metric: Option<usize>,
    /// The cycle of the clock whose trigger fired, for a metric with cycles.
    pub(crate) cycle: Option<u32>,
    pub(crate) level: u32,
    /// Index into `Plan::escalation`.
    pub(crate) level_index: usize,
    pub(crate) due_at: At,
    pub(crate) reason: String,
    /// The version of the contract whose ladder it is (`metric` and
    /// `level_index` index into its plan).
    pub(crate) version: crate::eval::contract::plan::VersionIndex,
}

/// The escalations of one ticket that are due by the as-of instant, given
/// the rows its evaluation produced.
pub(crate) fn escalations(
    ctx: Context,
    t: &Ticket,
    tl: &Timeline,
    rows: &[Row],
) -> Vec<EscalationRow> {
    let plan = ctx.plan;
    let available = plan
        .rules
        .escalation
        .as_ref()
        .and_then(|e| e.available.as_deref())
        .filter(|name| *name != crate::rules::ALWAYS)
        .and_then(|name| plan.calendars.iter().find(|c| c.name == name))
        .map(|c| &c.calendar);
    let mut best: Option<EscalationRow> = None;
    for (li, level) in plan.escalation.iter().enumerate() {
        for trigger in &level.triggers {
            let mut offer = |fired: Fired| {
                // Not possible before the ladder's hours open.
                let due = match available {
                    Some(cal) if !cal.is_open(fired.at.secs) => {
                        cal.next_opening(fired.at.secs).map(At::whole)
                    }
                    _ => Some(fired.at),
                };
                let Some(due_at) = due.filter(|d| *d <= ctx.as_of) else {
                    return;
                };
                let better = best.as_ref().is_none_or(|b| {
                    (level.level, std::cmp::Reverse(due_at))
                        > (b.level, std::cmp::Reverse(b.due_at))
                });
                if better {
                    best = Some(EscalationRow {
                        id: t.id.clone(),
                        line: t.line,
                        metric: fired.metric,
                        cycle: fired.cycle,
                        level: level.level,
                        level_index: li,
                        due_at,
                        reason: fired.reason,
                        version: 0,
                    });
                }
            };
            // A trigger on a metric is judged on each of its clocks (each
            // cycle has its own verdict), a condition on the ticket once.
            match trigger {
                TriggerPlan::Breached(m) => rows_of(rows, *m)
                    .filter_map(|r| breached(plan, r))
                    .for_each(&mut offer),
                TriggerPlan::Used(m, percent) => rows_of(rows, *m)
                    .filter_map(|r| used(ctx, tl, r, *percent))
                    .for_each(&mut offer),
                TriggerPlan::When(cond) => when(ctx, t, cond).into_iter().for_each(&mut offer),
            }
        }
    }
    best.into_iter().collect()
}

/// A trigger that fired: on which metric and cycle, when, and why.
struct Fired {
    metric: Option<usize>,
    cycle: Option<u32>,
    at: At,
    reason: String,
}

/// The rows of `metric`: one, or one per cycle.
fn rows_of(rows: &[Row], metric: usize) -> impl Iterator<Item = &Row> {
    rows.iter().filter(move |r| r.metric == Some(metric))
}

/// A trigger of clock `r` that fired at `at`, for `reason`. The cycle is
/// not repeated in the reason: every report shows it in its own column.
fn fired(r: &Row, at: At, reason: String) -> Fired {
    Fired {
        metric: r.metric,
        cycle: r.cycle,
        at,
        reason,
    }
}

/// A breached target escalates at its deadline.
fn breached(plan: &Plan, r: &Row) -> Option<Fired> {
    if r.status != Status::Breached {
        return None;
    }
    let name = &plan.metrics[r.metric?].name;
    Some(fired(r, r.deadline?, format!("{name} target breached")))
}

/// `percent` of a target used escalates when the clock reaches that share,
/// if it was still running then.
fn used(ctx: Context, tl: &Timeline, r: &Row, percent: f64) -> Option<Fired> {
    let due = used_at(ctx, tl, r, percent)?;
    let name = &ctx.plan.metrics[r.metric?].name;
    Some(fired(
        r,
        due,
        format!("{percent}% of the {name} target used"),
    ))
}

/// When clock `r` used `percent` of its target, if it was still running then.
fn used_at(ctx: Context, tl: &Timeline, r: &Row, percent: f64) -> Option<At> {
    if !matches!(r.status, Status::Met | Status::Breached | Status::Pending) {
        return None;
    }
    let plan = ctx.plan;
    let (mi, ti, start) = (r.metric?, r.target?, r.start?);
    let target = &plan.targets[ti];
    let due = match target.duration {
        TargetDuration::Seconds { seconds } => {
            let share = (seconds as f64 * percent / 100.0).round() as i64;
            let cal = plan.calendar(target.calendar);
            // The pauses the verdict counted: the timeline's (with the
            // resolved stretches a reopening ended, for a clock that
            // continues across reopenings), none after the stop.
            let own = tl.pauses.get(mi).map_or(&[][..], Vec::as_slice);
            let resolved = tl.resolved.get(mi).map_or(&[][..], Vec::as_slice);
            let mut continued = Vec::new();
            let counted = if r.cycle.is_none() && !resolved.is_empty() {
                continued_pauses(start, resolved, own, &mut continued);
                &continued[..]
            } else {
                own
            };
            let pauses = effective_pauses(counted, r.stop);
            // The first instant at which that much open time is used.
            deadline_nanos(cal, start, i128::from(share) * NANOS, &pauses)?
        }
        // Targets given as a deadline: the same share of the target calendar's
        // open time up to it (wall-clock time for a 24x7 calendar).
        _ => {
            let deadline = r.deadline?;
            let cal = plan.calendar(target.calendar);
            let total = open_nanos(cal, start, deadline, &[]);
            let share = (total as f64 * percent / 100.0).round() as i128;
            deadline_nanos(cal, start, share, &[])?
        }
    };
    if r.stop.is_some_and(|stop| stop < due) {
        return None; // stopped before using that much
    }
    Some(due)
}

/// A condition on the ticket escalates when the ticket is opened.
fn when(ctx: Context, t: &Ticket, cond: &Cond) -> Option<Fired> {
    let plan = ctx.plan;
    if !holds(plan, cond, t) {
        return None;
    }
    let opened = plan.opened_field.and_then(|f| t.at(f))?;
    Some(Fired {
        metric: None,
        cycle: None,
        at: opened,
        reason: describe(plan, cond),
    })
}
