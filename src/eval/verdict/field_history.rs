//! Priority (and other field) changes over a clock (SEMANTICS.md
//! "Histories"): which instant's fields choose the target, the rule that a
//! breach is never undone by a later change, and what the changes moved.
//!
//! Only tickets whose timeline has field changes come here; a flat log's
//! tickets are judged as before, at no cost.

use crate::eval::clock::judge::{judge, Span};
use crate::eval::clock::status::Status;
use crate::eval::contract::plan::{MetricPlan, Plan};
use crate::eval::input::cells::Ticket;
use crate::eval::timeline::history::Timeline;
use crate::eval::verdict::select::{first_row, priority_of, selector_matches};
use crate::rules::{TargetAt, TargetDuration};
use crate::time::At;

/// The instant whose fields choose the metric's target: its stop (the
/// as-of instant while it runs), or its start (the as-of instant before it
/// starts) when the contract says `target set at start`.
pub(crate) fn choosing_instant(
    target_at: TargetAt,
    start: Option<At>,
    stop: Option<At>,
    as_of: At,
) -> At {
    match target_at {
        TargetAt::Stop => stop.unwrap_or(as_of),
        TargetAt::Start => start.unwrap_or(as_of),
    }
}

/// The first target of metric `m` that covers `t` with priority `priority`
/// (in a `first match` block, only a target of the ticket's first matching
/// row: the ticket as it stood at a change may take another row).
pub(crate) fn first_target(
    plan: &Plan,
    m: &MetricPlan,
    t: &Ticket,
    priority: Option<usize>,
) -> Option<usize> {
    let mut rows = Vec::new();
    m.targets
        .iter()
        .copied()
        .find(|&ti| match plan.targets[ti].policy {
            None => selector_matches(plan, &plan.targets[ti].selector, t, priority),
            Some((b, r)) => first_row(plan, t, priority, &mut rows, b) == Some(r),
        })
}

/// A clock of a ticket whose fields changed, being judged.
pub(crate) struct ChangedClock<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) metric: &'a MetricPlan,
    /// The ticket as the timeline left it (cells as at the as-of instant).
    pub(crate) ticket: &'a Ticket,
    pub(crate) tl: &'a Timeline,
    pub(crate) span: &'a Span<'a>,
    pub(crate) as_of: At,
}

/// A breach under the target in force before a field changed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EarlierBreach {
    /// The instant of the change.
    pub(crate) at: At,
    pub(crate) target: usize,
    pub(crate) priority: Option<usize>,
    pub(crate) elapsed: Option<i64>,
}

/// The first change, while the clock ran, at which the clock had already
/// used more than the target then in force (the ticket as it stood just
/// before the change): such a breach stands whatever the later target.
pub(crate) fn breach_before_change(
    c: &ChangedClock,
    scratch: &mut Ticket,
    variant: &dyn Fn(usize, &Ticket) -> Option<usize>,
) -> Option<EarlierBreach> {
    let (plan, m, t, tl, span, as_of) = (c.plan, c.metric, c.ticket, c.tl, c.span, c.as_of);
    let start = span.start?;
    let end = span.stop.unwrap_or(as_of);
    let mut last = None;
    for c in &tl.changes {
        if c.at <= start || c.at > end || last == Some(c.at) {
            continue;
        }
        last = Some(c.at);
        tl.ticket_at(t, c.at, true, scratch);
        let priority = priority_of(plan, scratch);
        let Some(ti) = first_target(plan, m, scratch, priority).and_then(|ti| variant(ti, scratch))
        else {
            continue;
        };
        let target = &plan.targets[ti];
        if matches!(
            target.duration,
            TargetDuration::NotApplicable | TargetDuration::Untimed { .. }
        ) {
            continue;
        }
        let then = Span {
            stop: Some(c.at),
            ..span.clone()
        };
        let j = judge(plan, target, &then, as_of);
        if j.status == Status::Breached {
            return Some(EarlierBreach {
                at: c.at,
                target: ti,
                priority,
                elapsed: j.elapsed,
            });
        }
    }
    None
}

/// What field changes did to a run's verdicts: how many tickets changed
/// priority, and how many verdicts differ from those the other choice
/// (`target set at start` against the stop) would give.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PriorityMoves {
    /// Tickets whose priority changed by the as-of instant.
    pub(crate) tickets: u64,
    /// Verdicts whose priority differed between the start and the stop.
    pub(crate) rows: u64,
    /// Of those, met here and breached under the other choice.
    pub(crate) met_not_breached: u64,
    /// Breached here and met under the other choice.
    pub(crate) breached_not_met: u64,
    /// Another difference (pending, untimed, not applicable, …).
    pub(crate) other: u64,
}

impl PriorityMoves {
    /// Adds a later chunk's counts.
    pub(crate) fn merge(&mut self, o: &PriorityMoves) {
        self.tickets += o.tickets;
        self.rows += o.rows;
        self.met_not_breached += o.met_not_breached;
        self.breached_not_met += o.breached_not_met;
        self.other += o.other;
    }

    /// Counts one verdict, `ours` under the contract's choice and `other`
    /// under the other.
    pub(crate) fn add(&mut self, ours: Status, other: Status) {
        self.rows += 1;
        match (ours, other) {
            (a, b) if a == b => {}
            (Status::Met, Status::Breached) => self.met_not_breached += 1,
            (Status::Breached, Status::Met) => self.breached_not_met += 1,
            _ => self.other += 1,
        }
    }

    /// Verdicts that differ.
    pub(crate) fn moved(&self) -> u64 {
        self.met_not_breached + self.breached_not_met + self.other
    }
}

/// Whether the ticket's priority takes more than one value over its
/// changes (up to the as-of instant).
pub(crate) fn priority_changed(
    plan: &Plan,
    t: &Ticket,
    tl: &Timeline,
    scratch: &mut Ticket,
) -> bool {
    if plan.priority.is_none() {
        return false;
    }
    let first = tl.changes.first().map_or(At::whole(i64::MIN), |c| c.at);
    tl.ticket_at(t, first, true, scratch);
    let before = priority_of(plan, scratch);
    tl.changes.iter().any(|c| {
        tl.ticket_at(t, c.at, false, scratch);
        priority_of(plan, scratch) != before
    })
}
