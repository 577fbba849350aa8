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
use crate::eval::verdict::row::{Row, Status};
use crate::eval::verdict::select::{describe, holds};
use crate::eval::verdict::ticket::Context;
use crate::rules::TargetDuration;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EscalationRow {
    pub(crate) id: compact_str::CompactString,
    pub(crate) line: u64,
    pub(crate) metric: Option<usize>,
    pub(crate) level: u32,
    /// Index into `Plan::escalation`.
    pub(crate) level_index: usize,
    pub(crate) due_at: i64,
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
            let fired = match trigger {
                TriggerPlan::Breached(m) => row_of(rows, *m).and_then(|r| breached(plan, r)),
                TriggerPlan::Used(m, percent) => {
                    row_of(rows, *m).and_then(|r| used(ctx, tl, r, *percent))
                }
                TriggerPlan::When(cond) => when(ctx, t, cond),
            };
            let fired = fired.and_then(|(metric, at, reason)| {
                // Not possible before the ladder's hours open.
                let due = match available {
                    Some(cal) => cal.next_opening(at)?,
                    None => at,
                };
                Some((metric, due, reason))
            });
            let Some((metric, due_at, reason)) = fired.filter(|f| f.1 <= ctx.as_of) else {
                continue;
            };
            let better = match &best {
                None => true,
                Some(b) => {
                    (level.level, std::cmp::Reverse(due_at))
                        > (b.level, std::cmp::Reverse(b.due_at))
                }
            };
            if better {
                best = Some(EscalationRow {
                    id: t.id.clone(),
                    line: t.line,
                    metric,
                    level: level.level,
                    level_index: li,
                    due_at,
                    reason,
                    version: 0,
                });
            }
        }
    }
    best.into_iter().collect()
}

type Fired = (Option<usize>, i64, String);

fn row_of(rows: &[Row], metric: usize) -> Option<&Row> {
    rows.iter().find(|r| r.metric == Some(metric))
}

/// A breached target escalates at its deadline.
fn breached(plan: &Plan, r: &Row) -> Option<Fired> {
    if r.status != Status::Breached {
        return None;
    }
    let due = r.deadline?;
    let name = &plan.metrics[r.metric?].name;
    Some((r.metric, due, format!("{name} target breached")))
}

/// `percent` of a target used escalates when the clock reaches that share,
/// if it was still running then.
fn used(ctx: Context, tl: &Timeline, r: &Row, percent: f64) -> Option<Fired> {
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
            // The pauses the verdict counted: the timeline's, none after the stop.
            let pauses = effective_pauses(tl.pauses.get(mi).map_or(&[][..], Vec::as_slice), r.stop);
            // The first instant at which that much open time is used.
            if pauses.is_empty() {
                cal.deadline(start, share)
            } else {
                cal.deadline_paused(start, share, &pauses)
            }?
        }
        // Targets given as a deadline: the same share of the target calendar's
        // open time up to it (wall-clock time for a 24x7 calendar).
        _ => {
            let deadline = r.deadline?;
            let cal = plan.calendar(target.calendar);
            let total = cal.open_seconds(start, deadline);
            cal.deadline(start, (total as f64 * percent / 100.0).round() as i64)?
        }
    };
    if r.stop.is_some_and(|stop| stop < due) {
        return None; // stopped before using that much
    }
    let name = &plan.metrics[mi].name;
    Some((
        Some(mi),
        due,
        format!("{percent}% of the {name} target used"),
    ))
}

/// A condition on the ticket escalates when the ticket is opened.
fn when(ctx: Context, t: &Ticket, cond: &Cond) -> Option<Fired> {
    let plan = ctx.plan;
    if !holds(plan, cond, t) {
        return None;
    }
    let opened = plan.opened_field.and_then(|f| t.time(f))?;
    Some((None, opened, describe(plan, cond)))
}
