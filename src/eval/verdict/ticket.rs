//! Evaluating one ticket: its priority, per metric the target that applies,
//! exclusions, the clock, and which objective periods it counts in. With
//! `trace` set it also records how each step was decided, for `--explain`.

use compact_str::CompactString;

use crate::eval::clock::judge::{effective_pauses, judge, Judgement, Span};
use crate::eval::contract::plan::{CalSlot, Chosen, Plan, Source, VersionIndex};
use crate::eval::input::cells::{Cell, Ticket};
use crate::eval::input::event_kind::Activity;
use crate::eval::input::event_log::EventLog;
use crate::eval::timeline::history::{Histories, Timeline};
use crate::eval::verdict::field_history::{
    breach_before_change, choosing_instant, first_target, priority_changed, ChangedClock,
    EarlierBreach, PriorityMoves,
};
use crate::eval::verdict::reopening::{self, Clock};
use crate::eval::verdict::repeating::{self, Ends};
use crate::eval::verdict::row::{PeriodKey, Row, Status};
use crate::eval::verdict::select::{
    cell_text, derive_priority, first_row, holds, priority_of, selector_matches, PriorityOutcome,
};
use crate::rules::{Period, TargetAt, TargetDuration};
use crate::time::exact::same_time_of_day;
use crate::time::{add_calendar_span, At};

/// What the evaluation of a ticket needs besides the ticket.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) events: Option<&'a EventLog>,
    /// To the fraction of a second `--as-of` gives.
    pub(crate) as_of: At,
}

impl<'a> Context<'a> {
    /// The context a ticket is judged in: the version of the contract in
    /// force at its opening (SEMANTICS.md, "Versions of a contract"), or at
    /// the as-of instant while it has no opening, and that version's index.
    pub(crate) fn in_force(self, t: &Ticket) -> (Context<'a>, VersionIndex) {
        if self.plan.versions.is_empty() {
            return (self, 0);
        }
        let at = self.plan.opening.and_then(|f| t.time(f));
        let v = self.plan.version_at(at.unwrap_or(self.as_of.secs));
        let plan = self.plan.version(v);
        (Context { plan, ..self }, v)
    }

    /// Where the tickets' timelines come from.
    pub(crate) fn histories(&self) -> Histories<'a> {
        Histories {
            plan: self.plan,
            events: self.events,
            as_of: self.as_of,
        }
    }
}

/// The rows of one ticket and the objective periods they count in.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) rows: Vec<Row>,
    /// (objective, period, status) for every objective the ticket counts in.
    pub(crate) tallies: Vec<(usize, PeriodKey, Status)>,
    pub(crate) trace: Option<Trace>,
    /// What the ticket's priority changes did.
    pub(crate) moves: PriorityMoves,
}

/// How the verdicts were reached, for `--explain`.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    /// Per `first match` block, the ticket's first matching row.
    pub(crate) first_rows: Vec<Option<usize>>,
    pub(crate) priority: Option<usize>,
    pub(crate) priority_how: String,
    pub(crate) metrics: Vec<MetricTrace>,
    /// The cycle of each of `Outcome::tallies` (a metric with cycles).
    pub(crate) tally_cycles: Vec<Option<u32>>,
}

#[derive(Debug, Default)]
pub(crate) struct MetricTrace {
    pub(crate) metric: usize,
    /// The cycle, with `new cycle on reopening`.
    pub(crate) cycle: Option<u32>,
    /// Each target of the metric that was tried, and whether it matched (the last tried is the one chosen).
    pub(crate) tried: Vec<(usize, bool)>,
    pub(crate) chosen: Option<usize>,
    /// Each exclusion that concerns the metric, and whether it applied.
    pub(crate) exclusions: Vec<(usize, bool)>,
    pub(crate) start: Option<At>,
    pub(crate) stop: Option<At>,
    pub(crate) start_how: String,
    pub(crate) stop_how: String,
    pub(crate) pauses: Vec<(At, At)>,
    /// Elapsed to the nanosecond (the row's `elapsed` is rounded up).
    pub(crate) elapsed_nanos: Option<i128>,
    /// Which calendar the ticket's field chose, and why (calendars chosen by a field).
    pub(crate) calendar_how: Option<String>,
    /// Index into `Outcome::rows`.
    pub(crate) row: Option<usize>,
    /// With field changes: the instant whose fields chose the target, and
    /// the priority then and how it was found.
    pub(crate) chosen_at: Option<(At, Option<usize>, String)>,
    /// With field changes: per change while the clock ran, the target in
    /// force just before it and whether the clock had already breached it.
    pub(crate) changes: Vec<ChangeTrace>,
    /// A breach under an earlier target, which stands.
    pub(crate) earlier_breach: Option<EarlierBreach>,
    /// Without cycles: the stretches from a resolution to the reopening
    /// that ended it, not counted.
    pub(crate) reopened: Vec<(At, At)>,
}

impl MetricTrace {
    /// Emptied for a clock of metric `metric`, keeping its buffers (every
    /// clock of every ticket is judged into one).
    fn reset(
        &mut self,
        metric: usize,
        cycle: Option<u32>,
        (start, stop): (Option<At>, Option<At>),
    ) {
        // Named one by one, so that a new field is not forgotten here.
        let MetricTrace {
            metric: m,
            cycle: c,
            tried,
            chosen,
            exclusions,
            start: a,
            stop: b,
            start_how,
            stop_how,
            pauses,
            elapsed_nanos,
            calendar_how,
            row,
            chosen_at,
            changes,
            earlier_breach,
            reopened,
        } = self;
        (*m, *c, *a, *b) = (metric, cycle, start, stop);
        tried.clear();
        *chosen = None;
        exclusions.clear();
        start_how.clear();
        stop_how.clear();
        pauses.clear();
        *elapsed_nanos = None;
        *calendar_how = None;
        *row = None;
        *chosen_at = None;
        changes.clear();
        *earlier_breach = None;
        reopened.clear();
    }
}

/// The ends of metric `mi`'s repeating clock (its stop an event of the
/// event log), started at `start`; `None` for another clock.
fn repeating_ends<'t>(
    plan: &Plan,
    mi: usize,
    start: Option<At>,
    tl: &'t Timeline,
) -> Option<Ends<'t>> {
    let metric = &plan.metrics[mi];
    let activity = |e: usize| Activity::parse(crate::rules::ACTIVITY_NAMES[e][0]);
    let Source::Event(stop) = metric.stop else {
        return None;
    };
    Some(Ends {
        each: match metric.start {
            Source::Event(e) => activity(e),
            _ => None,
        },
        start,
        stop: activity(stop)?,
        activities: &tl.activities,
        resolved: tl.resolved.get(mi).map_or(&[][..], Vec::as_slice),
    })
}

/// The resolved stretches after `start` that a reopening ended.
fn resolved_stretches(start: Option<At>, resolved: &[(At, At)]) -> Vec<(At, At)> {
    let Some(start) = start else {
        return Vec::new();
    };
    resolved
        .iter()
        .filter(|r| r.1 > start && r.1 != At::FOREVER)
        .map(|r| (r.0.max(start), r.1))
        .collect()
}

pub(crate) fn evaluate(ctx: Context, t: &Ticket, tl: &Timeline, trace: bool) -> Outcome {
    let mut out = Outcome::default();
    let mut ws = Workspace::default();
    out.trace = evaluate_into(ctx, t, tl, trace, &mut out.rows, &mut ws, &mut out.moves);
    out.tallies = ws.tallies;
    out
}

/// What evaluating a ticket fills in besides its rows, and the buffers it
/// works in: kept by the caller from ticket to ticket, so that no ticket
/// makes (and drops) them anew.
#[derive(Default)]
pub(crate) struct Workspace {
    /// (objective, period, status) for every objective the last ticket
    /// evaluated counts in.
    pub(crate) tallies: Vec<(usize, PeriodKey, Status)>,
    scratch: Scratch,
    /// Per `first match` block, once looked up: the ticket's first
    /// matching row (empty, and never allocated, without such blocks).
    first_rows: Vec<Option<Option<usize>>>,
    /// The pauses of a clock continued across reopenings.
    paused: Vec<(At, At)>,
    /// A metric's cycles.
    cycles: Vec<Clock>,
    /// What was decided for the clock being judged.
    mt: MetricTrace,
    /// The month of the last clock start looked up: kept from ticket to
    /// ticket, as a log's tickets mostly start in the month of the one
    /// before.
    month: MonthCache,
}

/// The first instants of the local months of one year in zone `zone` (and
/// of the next year): the month of any instant of that year is a count of
/// them, without looking the year up.
#[derive(Clone, Copy, Default)]
struct MonthCache {
    zone: Option<chrono_tz::Tz>,
    year: i32,
    starts: [i64; 13],
}

impl MonthCache {
    /// [`Plan::month_of`] of `t`, from the year last looked up when `t`
    /// lies in it (in the same zone: a contract's versions may differ).
    fn month_of(&mut self, plan: &Plan, t: i64) -> (i32, u32) {
        let hit = self.zone == Some(plan.tz) && self.starts[0] <= t && t < self.starts[12];
        if !hit {
            let Some((year, starts)) = plan.months_of_year(t) else {
                // Outside the zone's tables: worked out, and not kept.
                return plan.month_of(t);
            };
            *self = MonthCache {
                zone: Some(plan.tz),
                year,
                starts,
            };
        }
        // No month is much over 31 days: the guess is the month or one
        // near it (the steps put it right in any zone).
        let mut m = (((t - self.starts[0]) / (31 * 86_400)) as usize).min(11);
        while m > 0 && self.starts[m] > t {
            m -= 1;
        }
        while m < 11 && self.starts[m + 1] <= t {
            m += 1;
        }
        (self.year, m as u32 + 1)
    }
}

/// Where [`evaluate_into`] puts what it finds.
struct Out<'a> {
    rows: &'a mut Vec<Row>,
    /// The ticket's first row in `rows`.
    first: usize,
    tallies: &'a mut Vec<(usize, PeriodKey, Status)>,
    /// The month of the last clock start looked up.
    month: &'a mut MonthCache,
    /// Per `first match` block, once looked up: the ticket's first
    /// matching row.
    first_rows: &'a mut Vec<Option<Option<usize>>>,
    /// With a trace: the cycle of each of `tallies`.
    tally_cycles: Option<Vec<Option<u32>>>,
}

/// [`evaluate`], appending the ticket's rows to `rows` and putting the
/// periods it counts in into `ws.tallies` (emptied first), so that a
/// chunk's rows are made in place and no buffer is made per ticket.
pub(crate) fn evaluate_into(
    ctx: Context,
    t: &Ticket,
    tl: &Timeline,
    trace: bool,
    rows: &mut Vec<Row>,
    ws: &mut Workspace,
    moves: &mut PriorityMoves,
) -> Option<Trace> {
    let plan = ctx.plan;
    let Workspace {
        tallies,
        scratch,
        first_rows,
        paused,
        cycles,
        mt,
        month,
    } = ws;
    // A ticket whose fields changed is judged, per metric, as it stood at
    // the instant that chooses the target (`field_history.rs`).
    let history = !tl.changes.is_empty();
    if history && priority_changed(plan, t, tl, &mut scratch.at) {
        moves.tickets += 1;
    }
    tallies.clear();
    first_rows.clear();
    let first = rows.len();
    let out = &mut Out {
        rows,
        first,
        tallies,
        month,
        first_rows,
        tally_cycles: trace.then(Vec::new),
    };
    let (judging, mut tr) = Judging::new(ctx, (t, tl), trace, history);
    // `mt` is filled in anew by each clock (moved into the trace when there is one).
    for (mi, metric) in plan.metrics.iter().enumerate() {
        let start0 = instant_at(ctx, t, tl, metric.start, None);
        let stop0 = instant_at(ctx, t, tl, metric.stop, start0);
        // A metric with cycles numbers its only clock too.
        let whole = [Clock {
            start: start0,
            stop: stop0,
            cycle: metric.cycles.then_some(1),
            own_pauses: false,
        }];
        let clocks = metric_clocks(ctx, tl, mi, &whole, paused, cycles);
        for clock in clocks {
            let at = ClockAt {
                mi,
                clock,
                ends: (start0, stop0),
                paused,
            };
            judging.judge_clock(&at, scratch, out, moves, mt);
            if let Some(tr) = tr.as_mut() {
                tr.metrics.push(std::mem::take(mt));
            }
        }
    }
    if let Some(tr) = tr.as_mut() {
        tr.tally_cycles = out.tally_cycles.take().unwrap_or_default();
        tr.first_rows = (0..plan.policy_rows.len())
            .map(|b| first_row(plan, t, judging.priority, out.first_rows, b))
            .collect();
    }
    if out.rows.len() == out.first {
        // Every ticket appears at least once.
        out.rows.push(ticket_row(&judging));
    }
    tr
}

/// The one row of a ticket no clock gave a row: `invalid` when its row
/// cannot be read, else `not_applicable`.
fn ticket_row(j: &Judging) -> Row {
    let (status, reason) = match &j.unreadable {
        Some(r) => (Status::Invalid, Some(r.clone())),
        None => (Status::NotApplicable, None),
    };
    Row {
        line: j.ticket.line,
        id: j.ticket.id.clone(),
        priority: j.priority,
        metric: None,
        target: None,
        status,
        elapsed: None,
        target_seconds: None,
        deadline: None,
        start: None,
        stop: None,
        reason,
        note: None,
        closed_at: j.closed_at,
        version: 0,
        cycle: None,
    }
}

/// The clocks of metric `mi`: its `whole` clock (as the ticket log gives
/// its ends), or its cycles from the event log, or the clocks of its
/// reopenings (`reopening.rs`: one per cycle, or one continued whose pauses,
/// with the resolved stretches, go into `paused`); none for a repeating
/// clock whose events are not activities.
fn metric_clocks<'c>(
    ctx: Context,
    tl: &Timeline,
    mi: usize,
    whole: &'c [Clock; 1],
    paused: &mut Vec<(At, At)>,
    cycles: &'c mut Vec<Clock>,
) -> &'c [Clock] {
    let metric = &ctx.plan.metrics[mi];
    let (start0, stop0) = (whole[0].start, whole[0].stop);
    let resolved = tl.resolved.get(mi).map_or(&[][..], Vec::as_slice);
    if let Source::Event(_) = metric.stop {
        // A repeating clock: its cycles from the event log.
        let Some(ends) = repeating_ends(ctx.plan, mi, start0, tl) else {
            return &[];
        };
        repeating::cycles(&ends, cycles);
        if metric.repeat.is_none() {
            // `to next B` from a start: the first cycle, one clock.
            cycles.truncate(1);
            cycles.iter_mut().for_each(|c| c.cycle = None);
        }
        cycles
    } else if resolved.is_empty() {
        whole
    } else {
        let pauses = tl.pauses.get(mi).map_or(&[][..], Vec::as_slice);
        reopening::clocks(
            metric.cycles,
            (start0, stop0),
            resolved,
            pauses,
            paused,
            cycles,
        );
        cycles
    }
}

/// One ticket as each of its clocks is judged: what stays the same from
/// clock to clock.
struct Judging<'a> {
    ctx: Context<'a>,
    /// The ticket as the timeline left it (its cells at the as-of instant).
    ticket: &'a Ticket,
    tl: &'a Timeline,
    trace: bool,
    /// Its fields changed: each clock sees them as they stood at the instant
    /// that chooses its target (`field_history.rs`).
    history: bool,
    /// Its priority at the as-of instant.
    priority: Option<usize>,
    /// Why its row cannot be used: every clock is invalid.
    unreadable: Option<CompactString>,
    closed_at: Option<At>,
}

/// One clock of metric `mi`, and the ends the ticket log gives the metric
/// (a cycle's ends may be others).
struct ClockAt<'c> {
    mi: usize,
    clock: &'c Clock,
    ends: (Option<At>, Option<At>),
    /// The pauses of a clock continued across reopenings (`own_pauses`).
    paused: &'c [(At, At)],
}

/// The ticket as it stood at an instant, twice over: reused from clock to
/// clock.
#[derive(Default)]
struct Scratch {
    at: Ticket,
    other: Ticket,
}

impl<'a> Judging<'a> {
    /// Ticket `t` with its timeline `tl` as its clocks will be judged
    /// (`history`: its fields changed), and its trace when asked for,
    /// begun with its priority.
    fn new(
        ctx: Context<'a>,
        (t, tl): (&'a Ticket, &'a Timeline),
        trace: bool,
        history: bool,
    ) -> (Self, Option<Trace>) {
        let plan = ctx.plan;
        // How the priority was found, and the names of where each instant came
        // from, are text only the trace and the odd `invalid` row need: not made
        // for every ticket.
        let prio = if trace {
            derive_priority(plan, t)
        } else {
            PriorityOutcome {
                priority: priority_of(plan, t),
                how: String::new(),
            }
        };
        let unreadable =
            (!t.problems.is_empty()).then(|| CompactString::from(t.problems.join("; ")));
        // Reported on every row, whatever the metrics make of it.
        let closed_at = if plan.closures.is_empty() {
            None
        } else {
            instant(ctx, t, tl, Source::Closure(0), false, None).0
        };
        let tr = trace.then(|| Trace {
            first_rows: Vec::new(),
            tally_cycles: Vec::new(),
            priority: prio.priority,
            priority_how: prio.how,
            metrics: Vec::new(),
        });
        let judging = Judging {
            ctx,
            ticket: t,
            tl,
            trace,
            history,
            priority: prio.priority,
            unreadable,
            closed_at,
        };
        (judging, tr)
    }

    /// Judges one clock: the target that covers the ticket, exclusions, the
    /// clock against the target; its row (if any) goes to `out`, and what
    /// was decided on the way into `mt` (all of it anew), for the trace.
    /// (Filled in place rather than returned: a large struct, and every
    /// clock of every ticket makes one.)
    fn judge_clock(
        &self,
        c: &ClockAt,
        scratch: &mut Scratch,
        out: &mut Out,
        moves: &mut PriorityMoves,
        mt: &mut MetricTrace,
    ) {
        let clock = c.clock;
        // Only the trace reads what `mt` holds, but for the names of the
        // ends, which `name_ends` sets whenever they are read (a clock
        // stopped before its start): without a trace it is not emptied.
        if self.trace {
            mt.reset(c.mi, clock.cycle, (clock.start, clock.stop));
        }
        let Scratch { at: seen, other } = scratch;
        let seen = self.as_the_clock_sees_it(c, seen, mt);
        self.name_ends(c, seen.0, mt);
        if let Some(v) = self.verdict(c, seen, other, out, moves, mt) {
            push_row(self, c, seen, v, out, mt);
        }
    }

    /// What clock `c` comes to for ticket `t` (with `priority`, as the
    /// clock sees it); `None` when no target covers the ticket on the
    /// metric: no row, but objectives on the metric that select the ticket
    /// count it as not applicable.
    fn verdict(
        &self,
        c: &ClockAt,
        (t, priority): (&Ticket, Option<usize>),
        other: &mut Ticket,
        out: &mut Out,
        moves: &mut PriorityMoves,
        mt: &mut MetricTrace,
    ) -> Option<Verdict> {
        let plan = self.ctx.plan;
        // An unreadable row is invalid on every metric: which target would
        // apply cannot be trusted.
        if let Some(reason) = &self.unreadable {
            return Some(Verdict::invalid(None, reason.clone()));
        }
        let Some(ti) = self.target_of(c.mi, (t, priority), out, mt) else {
            let clock = (c.clock.start, c.clock.cycle);
            tally(
                self.ctx,
                t,
                out,
                c.mi,
                priority,
                clock,
                Status::NotApplicable,
            );
            return None;
        };
        // A target whose calendars the ticket chooses is judged by the
        // variant in the chosen calendars; a value with none is invalid.
        let ti = match &plan.targets[ti].chosen {
            None => ti,
            Some(chosen) => match choose(plan, chosen, t) {
                Ok((variant, how)) => {
                    if self.trace {
                        mt.calendar_how = Some(how);
                    }
                    variant
                }
                Err(reason) => {
                    return Some(Verdict::invalid(Some(ti), CompactString::from(reason)));
                }
            },
        };
        if let Some(xi) = self.exclusion(c.mi, t, mt) {
            let reason = CompactString::new(&plan.exclusions[xi].reason);
            return Some(Verdict {
                status: Status::Excluded,
                ..Verdict::invalid(Some(ti), reason)
            });
        }
        let j = self.judged(c, ti, priority, other, moves, mt);
        mt.elapsed_nanos = j.elapsed_nanos;
        Some(Verdict {
            target: Some(ti),
            status: j.status,
            elapsed: j.elapsed,
            target_seconds: j.target_seconds,
            deadline: j.deadline,
            reason: j.reason.map(CompactString::from),
            note: j.note,
        })
    }

    /// The ticket as clock `c` sees it, and its priority: with field
    /// changes, as it stood at the instant that chooses the target (in
    /// `seen`, noted in the trace).
    fn as_the_clock_sees_it<'s>(
        &'s self,
        c: &ClockAt,
        seen: &'s mut Ticket,
        mt: &mut MetricTrace,
    ) -> (&'s Ticket, Option<usize>) {
        if !self.history {
            return (self.ticket, self.priority);
        }
        let plan = self.ctx.plan;
        let metric = &plan.metrics[c.mi];
        let at = choosing_instant(
            metric.target_at,
            c.clock.start,
            c.clock.stop,
            self.ctx.as_of,
        );
        self.tl.ticket_at(self.ticket, at, false, seen);
        let p = if self.trace {
            derive_priority(plan, seen)
        } else {
            PriorityOutcome {
                priority: priority_of(plan, seen),
                how: String::new(),
            }
        };
        mt.chosen_at = Some((at, p.priority, p.how));
        (seen, p.priority)
    }

    /// Where clock `c` started and stopped, in words: for the trace, and for
    /// the reason when the clock stops before it starts.
    fn name_ends(&self, c: &ClockAt, t: &Ticket, mt: &mut MetricTrace) {
        let (start, stop) = (c.clock.start, c.clock.stop);
        let backwards = matches!((start, stop), (Some(a), Some(b)) if b < a);
        if !self.trace && !backwards {
            // Nearly every clock: no names wanted.
            return;
        }
        let (ctx, tl) = (self.ctx, self.tl);
        let metric = &ctx.plan.metrics[c.mi];
        let (start0, stop0) = c.ends;
        if let (true, Source::Event(e)) = (self.trace, metric.stop) {
            let event = crate::rules::ACTIVITY_NAMES[e][0];
            mt.start_how = match metric.start {
                _ if start == start0 => instant(ctx, t, tl, metric.start, true, None).1,
                Source::Event(a) => crate::rules::ACTIVITY_NAMES[a][0].to_string(),
                _ => format!("the last {event}, or a reopening"),
            };
            let by_event = tl
                .activities
                .iter()
                .any(|(at, a)| Some(*at) == stop && a.name() == event);
            mt.stop_how = match stop {
                None => "not stopped by the as-of instant".into(),
                Some(_) if by_event => event.to_string(),
                Some(_) => "resolved: the status became a resolved one".into(),
            };
        } else {
            mt.start_how = if start == start0 {
                instant(ctx, t, tl, metric.start, true, None).1
            } else {
                "reopened: the status left the resolved ones".into()
            };
            mt.stop_how = if stop == stop0 {
                instant(ctx, t, tl, metric.stop, true, start0).1
            } else if stop.is_some() {
                "resolved: the status became a resolved one".into()
            } else {
                "reopened, and not resolved again by the as-of instant".into()
            };
            if c.clock.own_pauses {
                let resolved = tl.resolved.get(c.mi).map_or(&[][..], Vec::as_slice);
                mt.reopened = resolved_stretches(start, resolved);
            }
        }
    }

    /// The first target of metric `mi` that covers ticket `t` (with its
    /// priority); `None` when none does or it is `not applicable`.
    fn target_of(
        &self,
        mi: usize,
        (t, priority): (&Ticket, Option<usize>),
        out: &mut Out,
        mt: &mut MetricTrace,
    ) -> Option<usize> {
        let plan = self.ctx.plan;
        let mut chosen = None;
        // The ticket as this clock sees it may differ (fields in force at
        // the start or the stop): each clock looks its first rows up anew.
        out.first_rows.clear();
        // The trace lists every target tried; without one, only those whose
        // priorities admit the ticket's are tried (the others cannot match).
        let m = &plan.metrics[mi];
        let targets = if self.trace {
            &m.targets[..]
        } else {
            m.targets_for(priority)
        };
        for &ti in targets {
            let hit = match plan.targets[ti].policy {
                None => selector_matches(plan, &plan.targets[ti].selector, t, priority),
                // In a `first match` block: only the ticket's first matching row.
                Some((b, r)) => first_row(plan, t, priority, out.first_rows, b) == Some(r),
            };
            if self.trace {
                mt.tried.push((ti, hit));
            }
            if hit {
                chosen = Some(ti);
                break;
            }
        }
        mt.chosen = chosen;
        chosen.filter(|ti| !matches!(plan.targets[*ti].duration, TargetDuration::NotApplicable))
    }

    /// The first exclusion that concerns metric `mi` and applies to `t`.
    fn exclusion(&self, mi: usize, t: &Ticket, mt: &mut MetricTrace) -> Option<usize> {
        let plan = self.ctx.plan;
        for (xi, x) in plan.exclusions.iter().enumerate() {
            if x.metrics.as_ref().is_some_and(|ms| !ms.contains(&mi)) {
                continue;
            }
            let applies = holds(plan, &x.when, t);
            if self.trace {
                mt.exclusions.push((xi, applies));
            }
            if applies {
                return Some(xi);
            }
        }
        None
    }

    /// Clock `c` judged against target `ti` (chosen with `priority`): its
    /// pauses, and with field changes the rule that a breach stands.
    fn judged(
        &self,
        c: &ClockAt,
        ti: usize,
        priority: Option<usize>,
        other: &mut Ticket,
        moves: &mut PriorityMoves,
        mt: &mut MetricTrace,
    ) -> Judgement {
        let (ctx, plan, tl, t) = (self.ctx, self.ctx.plan, self.tl, self.ticket);
        let metric = &plan.metrics[c.mi];
        let (start, stop) = (c.clock.start, c.clock.stop);
        let own = tl.pauses.get(c.mi).map_or(&[][..], Vec::as_slice);
        let pauses = if c.clock.own_pauses { c.paused } else { own };
        let span = Span {
            start,
            stop,
            start_name: &mt.start_how,
            stop_name: &mt.stop_how,
            pauses,
        };
        let mut j = judge(plan, &plan.targets[ti], &span, ctx.as_of);
        if self.history {
            let clock = ChangedClock {
                plan,
                metric,
                ticket: t,
                tl,
                span: &span,
                as_of: ctx.as_of,
            };
            let (earlier, changes) =
                judge_changes(&clock, &mut j, priority, self.trace, moves, other);
            mt.earlier_breach = earlier;
            mt.changes = changes;
        }
        if self.trace {
            // The resolved stretches are listed apart (`reopened`).
            mt.pauses = effective_pauses(own, stop).into_owned();
        }
        j
    }
}

/// The variant of a chosen target for this ticket, and how its calendars
/// were chosen; or why the ticket's value chooses none.
fn choose(plan: &Plan, chosen: &Chosen, t: &Ticket) -> Result<(usize, String), String> {
    let mut how = Vec::new();
    let mut pick = |slot: CalSlot| -> Result<usize, String> {
        let ci = match slot {
            CalSlot::Fixed(c) => return Ok(c),
            CalSlot::Chosen(ci) => ci,
        };
        let c = &plan.choices[ci];
        let field = &plan.fields[c.field].name;
        let (value, cal) = match &t.cells[c.field] {
            Cell::Label(l) => (
                cell_text(plan, c.field, &t.cells[c.field]),
                c.by_label.get(*l as usize).copied().flatten(),
            ),
            Cell::Text(s) => (s.to_string(), c.by_text.get(&**s).copied()),
            Cell::Empty => {
                return Err(format!(
                    "`{field}` is empty, so calendar `{}` (chosen by `{field}`) chooses none; fill in `{field}`",
                    c.name
                ))
            }
            other => (cell_text(plan, c.field, other), None),
        };
        let Some(cal) = cal else {
            // As the contract writes it: a text value in quotes.
            let written = match &t.cells[c.field] {
                Cell::Text(_) => format!("\"{value}\""),
                _ => value.clone(),
            };
            let mut known: Vec<&str> = c.by_text.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(format!(
                "`{field}` is `{value}`, which has no calendar in `{}`{}; add `{written} = CALENDAR` to calendar {} or correct the log",
                c.name,
                crate::eval::contract::plan::did_you_mean(&value, known.iter().copied()),
                c.name
            ));
        };
        how.push(format!(
            "{} (calendar {} chooses it for {field} = {value})",
            plan.calendars[cal].name, c.name
        ));
        Ok(cal)
    };
    let key = (pick(chosen.target)?, pick(chosen.metric)?);
    let variant = chosen
        .variants
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .ok_or_else(|| "no calendar applies (the rule set's choices do not fit)".to_string())?;
    how.dedup();
    Ok((variant, how.join("; ")))
}

/// The rule that a breach is never undone by a later change (with the
/// target chosen at the stop), the changes for `--explain`, and the verdict
/// the other choice would give, counted in `moves`.
fn judge_changes(
    clock: &ChangedClock,
    j: &mut Judgement,
    priority: Option<usize>,
    trace: bool,
    moves: &mut PriorityMoves,
    scratch: &mut Ticket,
) -> (Option<EarlierBreach>, Vec<ChangeTrace>) {
    let mut earlier = None;
    let mut changes: Vec<ChangeTrace> = Vec::new();
    let (plan, as_of) = (clock.plan, clock.as_of);
    let (m, t, tl, span) = (clock.metric, clock.ticket, clock.tl, clock.span);
    if m.target_at == TargetAt::Stop && j.status != Status::Breached {
        if let Some(b) = breach_before_change(clock, scratch, &|ti, t| variant(plan, ti, t)) {
            j.status = Status::Breached;
            j.reason = Some(format!(
                    "breached before the change at {}: {} used of the target then in force ({}, priority {}); a later change does not undo a breach",
                    crate::time::exact::format_rfc3339_at(b.at, plan.tz),
                    b.elapsed.map_or("?".into(), seconds_text),
                    describe_target(plan, b.target),
                    b.priority.map_or("none", |p| plan.priority_names[p].as_str())
                ));
            earlier = Some(b);
        }
    }
    if trace {
        if let Some(start) = span.start {
            let end = span.stop.unwrap_or(as_of);
            for c in tl.changes.iter().filter(|c| c.at > start && c.at <= end) {
                if changes.last().is_some_and(|x| x.0 == c.at) {
                    continue;
                }
                tl.ticket_at(t, c.at, true, scratch);
                let p = priority_of(plan, scratch);
                let ti = first_target(plan, m, scratch, p);
                let breached = earlier.as_ref().is_some_and(|b| b.at == c.at);
                changes.push((c.at, p, ti, breached));
            }
        }
    }
    let (other, other_at) = match m.target_at {
        TargetAt::Stop => (TargetAt::Start, span.start),
        TargetAt::Start => (TargetAt::Stop, span.stop),
    };
    tl.ticket_at(t, other_at.unwrap_or(as_of), false, scratch);
    let p = priority_of(plan, scratch);
    if p == priority {
        return (earlier, changes);
    }
    let status = match first_target(plan, m, scratch, p) {
        Some(ti) if !matches!(plan.targets[ti].duration, TargetDuration::NotApplicable) => {
            let Some(ti) = variant(plan, ti, scratch) else {
                moves.add(j.status, Status::Invalid);
                return (earlier, changes);
            };
            let s = judge(plan, &plan.targets[ti], span, as_of).status;
            if other == TargetAt::Stop
                && s != Status::Breached
                && breach_before_change(clock, scratch, &|ti, t| variant(plan, ti, t)).is_some()
            {
                Status::Breached
            } else {
                s
            }
        }
        _ => Status::NotApplicable,
    };
    moves.add(j.status, status);
    (earlier, changes)
}

/// A change while the clock ran: its instant, the priority and target in
/// force just before it, and whether the clock had breached that target.
type ChangeTrace = (At, Option<usize>, Option<usize>, bool);

/// Target `ti`, or its variant in the calendars the ticket chooses.
fn variant(plan: &Plan, ti: usize, t: &Ticket) -> Option<usize> {
    match &plan.targets[ti].chosen {
        None => Some(ti),
        Some(chosen) => choose(plan, chosen, t).ok().map(|(v, _)| v),
    }
}

/// A target in words, for reasons.
fn describe_target(plan: &Plan, ti: usize) -> String {
    let t = &plan.targets[ti];
    match t.duration {
        TargetDuration::Seconds { seconds } => format!(
            "{} in {}",
            seconds_text(seconds),
            plan.calendars[t.calendar].name
        ),
        TargetDuration::WorkingDays { n } => {
            crate::diagnostic::counted(u64::from(n), "working day", "working days")
        }
        TargetDuration::NextWorkingDay => "next working day".into(),
        TargetDuration::Calendar { span } => span.to_string(),
        TargetDuration::Untimed { .. } => "untimed".into(),
        TargetDuration::NotApplicable => "not applicable".into(),
    }
}

/// Seconds as `1h30m`, `45m`, `20s`.
fn seconds_text(s: i64) -> String {
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    match (h, m, sec) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, 0) => format!("{h}h{m:02}m"),
        (h, m, s) => format!("{h}h{m:02}m{s:02}s"),
    }
}

/// What a clock's row says beyond the ticket and the clock's ends.
struct Verdict {
    target: Option<usize>,
    status: Status,
    elapsed: Option<i64>,
    target_seconds: Option<i64>,
    deadline: Option<At>,
    reason: Option<CompactString>,
    note: Option<String>,
}

impl Verdict {
    /// `invalid`, for `reason`, with target `target` (if one was found).
    fn invalid(target: Option<usize>, reason: CompactString) -> Self {
        Verdict {
            target,
            status: Status::Invalid,
            elapsed: None,
            target_seconds: None,
            deadline: None,
            reason: Some(reason),
            note: None,
        }
    }
}

/// Clock `c`'s row for ticket `t` (with `priority`, as the clock sees it),
/// counted in the objectives that select it. Made in place at the end of
/// `out.rows` from its parts, once (a row is some 280 bytes: built and
/// then handed on, it was copied twice).
fn push_row(
    j: &Judging,
    c: &ClockAt,
    (t, priority): (&Ticket, Option<usize>),
    v: Verdict,
    out: &mut Out,
    mt: &mut MetricTrace,
) {
    let (start, stop, cycle) = (c.clock.start, c.clock.stop, c.clock.cycle);
    tally(j.ctx, t, out, c.mi, priority, (start, cycle), v.status);
    mt.row = Some(out.rows.len() - out.first);
    out.rows.push(Row {
        line: t.line,
        id: t.id.clone(),
        priority,
        metric: Some(c.mi),
        target: v.target,
        status: v.status,
        elapsed: v.elapsed,
        target_seconds: v.target_seconds,
        deadline: v.deadline,
        start,
        stop,
        reason: v.reason,
        note: v.note,
        closed_at: j.closed_at,
        version: 0,
        cycle,
    });
}

/// Counts the ticket's clock `(start, cycle)` in every objective on
/// `metric` that selects it, in the period the clock started in. A clock
/// that has not started belongs to no period.
fn tally(
    ctx: Context,
    t: &Ticket,
    out: &mut Out,
    metric: usize,
    priority: Option<usize>,
    (start, cycle): (Option<At>, Option<u32>),
    status: Status,
) {
    let Some(start) = start.map(|s| s.secs) else {
        return;
    };
    for &oi in ctx.plan.metrics[metric].objectives_for(priority) {
        let o = &ctx.plan.objectives[oi];
        let counts = match o.policy {
            None => selector_matches(ctx.plan, &o.selector, t, priority),
            // A share on a `first match` row counts the tickets the row covers.
            Some((b, r)) => first_row(ctx.plan, t, priority, out.first_rows, b) == Some(r),
        };
        if counts {
            let month = out.month.month_of(ctx.plan, start);
            out.tallies.push((oi, period_in(o.period, month), status));
            if let Some(cycles) = out.tally_cycles.as_mut() {
                cycles.push(cycle);
            }
        }
    }
}

/// The period of `period`'s kind that holds local month `(year, month)`.
fn period_in(period: Period, (year, month): (i32, u32)) -> PeriodKey {
    let part = match period {
        Period::Month => month,
        Period::Quarter => (month - 1) / 3 + 1,
        Period::Year => 0,
    };
    PeriodKey { year, part }
}

/// The instant a source gives for this ticket: [`instant`] without the
/// name, a timestamp column (nearly every clock's ends) read on the spot,
/// without the call.
#[inline]
fn instant_at(ctx: Context, t: &Ticket, tl: &Timeline, s: Source, from: Option<At>) -> Option<At> {
    match s {
        Source::Field(f) => t.at(f),
        _ => instant(ctx, t, tl, s, false, from).0,
    }
}

/// The instant a source gives for this ticket, and (when `named`) where it
/// came from; an empty name otherwise.
///
/// `from` is the start of the clock the source stops: a status stop is the
/// first event in the status at or after it.
fn instant(
    ctx: Context,
    t: &Ticket,
    tl: &Timeline,
    s: Source,
    named: bool,
    from: Option<At>,
) -> (Option<At>, String) {
    let plan = ctx.plan;
    match s {
        Source::Field(f) if !named => (t.at(f), String::new()),
        Source::Field(f) => (t.at(f), plan.fields[f].name.clone()),
        // A repeating clock's event has no single instant (`repeating.rs`).
        Source::Event(e) => (
            None,
            if named {
                crate::rules::ACTIVITY_NAMES[e][0].to_string()
            } else {
                String::new()
            },
        ),
        Source::Status(i) => {
            let hits = tl.status_hits.get(i).map_or(&[][..], Vec::as_slice);
            let at = match from {
                Some(from) => hits.get(hits.partition_point(|&h| h < from)).copied(),
                None => hits.first().copied(),
            };
            let how = if named {
                format!("status in [{}]", plan.stops.statuses[i].join(", "))
            } else {
                String::new()
            };
            (at, how)
        }
        Source::Earliest(i) => earliest_instant(ctx, t, tl, i, named, from),
        // The plan guarantees the chain ends at a field, closure, status
        // or the event of a clock with one cycle.
        Source::MetricStop(m) => {
            let (at, how) = metric_stop(ctx, t, tl, m, named);
            if !named {
                return (at, how);
            }
            (at, format!("{how} (the stop of {})", plan.metrics[m].name))
        }
        Source::Closure(c) => closure_instant(ctx, t, c, named),
    }
}

/// The earliest of the stops `plan.stops.earliest[i]` at or after `from`,
/// and (when `named`) which it was.
fn earliest_instant(
    ctx: Context,
    t: &Ticket,
    tl: &Timeline,
    i: usize,
    named: bool,
    from: Option<At>,
) -> (Option<At>, String) {
    let plan = ctx.plan;
    let alts = &plan.stops.earliest[i];
    let mut best: Option<(At, usize)> = None;
    for (k, a) in alts.iter().enumerate() {
        let at = match *a {
            // An activity as a stop: its first occurrence at or
            // after the start (a repeating clock reads its own).
            Source::Event(e) => from.and_then(|from| first_activity(tl, e, from)),
            other => instant(ctx, t, tl, other, false, from).0,
        };
        if let Some(at) = at {
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, k));
            }
        }
    }
    if !named {
        return (best.map(|b| b.0), String::new());
    }
    let names: Vec<String> = alts.iter().map(|a| plan.source_name(*a)).collect();
    let how = match best {
        Some((_, k)) => format!(
            "{} (the earliest of {})",
            instant(ctx, t, tl, alts[k], true, from).1,
            names.join(", ")
        ),
        None => format!("the earliest of {}", names.join(", ")),
    };
    (best.map(|b| b.0), how)
}

/// A closure's instant: its confirmation, or its automatic close once that
/// has happened by the as-of instant, whichever is first; and (when
/// `named`) which it was.
fn closure_instant(ctx: Context, t: &Ticket, c: usize, named: bool) -> (Option<At>, String) {
    let plan = ctx.plan;
    let cl = &plan.closures[c];
    let confirmed = t.at(cl.confirmed);
    // An automatic close counts only once it has happened by the as-of instant.
    let auto = t
        .at(cl.from)
        .and_then(|from| {
            add_calendar_span(plan.tz, from.secs, cl.after)
                .map(|d| same_time_of_day(plan.tz, from, d))
        })
        .filter(|a| *a <= ctx.as_of);
    let at = match (confirmed, auto) {
        (Some(c), Some(a)) => Some(c.min(a)),
        (c, a) => c.or(a),
    };
    if !named {
        return (at, String::new());
    }
    let how = match (confirmed, auto, at) {
        (Some(c), _, Some(x)) if c == x => {
            format!("{} (closure {})", plan.fields[cl.confirmed].name, cl.name)
        }
        (_, Some(_), Some(_)) => format!(
            "{} + {} (closure {}, automatic)",
            plan.fields[cl.from].name, cl.after, cl.name
        ),
        _ => format!("closure {}", cl.name),
    };
    (at, how)
}

/// The stop of metric `m`, as its own clock sees it (from its own start),
/// and (when `named`) where it came from: for a clock `to next B`, where its
/// one cycle stopped, at the B or the resolution; for a clock that reads
/// reopenings, the last resolution while the ticket is resolved at the
/// as-of instant and none while it is open again (SEMANTICS.md
/// "Reopening"); else its stop. The plan refuses a clock with many stops
/// (a cycle per event or per reopening, E0408).
fn metric_stop(
    ctx: Context,
    t: &Ticket,
    tl: &Timeline,
    m: usize,
    named: bool,
) -> (Option<At>, String) {
    let plan = ctx.plan;
    let other = &plan.metrics[m];
    let own_start = instant(ctx, t, tl, other.start, false, None).0;
    if let Some(ends) = repeating_ends(plan, m, own_start, tl) {
        let at = repeating::first_stop(&ends);
        let how = match at {
            _ if !named => String::new(),
            Some(at) if ends.activities.contains(&(at, ends.stop)) => ends.stop.name().to_string(),
            Some(_) => "the resolution".to_string(),
            None => format!("the next {}", ends.stop.name()),
        };
        return (at, how);
    }
    let (stop, how) = instant(ctx, t, tl, other.stop, named, own_start);
    let resolved = tl.resolved.get(m).map_or(&[][..], Vec::as_slice);
    let Some(start) = own_start.filter(|_| !resolved.is_empty()) else {
        return (stop, how);
    };
    let at = reopening::continued_stop(start, stop, resolved);
    match at {
        Some(at) if named && Some(at) != stop => (Some(at), "the last resolution".to_string()),
        _ => (at, how),
    }
}

/// The first activity `e` (of [`crate::rules::ACTIVITY_NAMES`]) of the
/// timeline at or after `from`.
fn first_activity(tl: &Timeline, e: usize, from: At) -> Option<At> {
    let name = crate::rules::ACTIVITY_NAMES[e][0];
    tl.activities
        .iter()
        .find(|(at, a)| *at >= from && a.name() == name)
        .map(|(at, _)| *at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::contract::plan::build;
    use crate::eval::input::cells::type_row;
    use crate::eval::input::log_reader::RawRow;
    use crate::rules::RuleSet;
    use crate::time::parse_timestamp;

    fn plan(json: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Plan {
        let mut v: serde_json::Value = serde_json::from_str(json).expect("rule set JSON");
        edit(&mut v);
        let rules: RuleSet = serde_json::from_value(v).expect("rule set");
        build(rules).expect("plan")
    }

    /// The ticket evaluated as the driver does: its timeline built first.
    fn judged(ctx: Context, t: &Ticket, trace: bool) -> Outcome {
        let mut t = t.clone();
        let mut tl = Timeline::default();
        ctx.histories().build(&mut t, &mut tl, trace);
        evaluate(ctx, &t, &tl, trace)
    }

    fn at(s: &str) -> i64 {
        parse_timestamp(s, chrono_tz::UTC).expect("timestamp").at
    }

    fn ticket(plan: &Plan, cells: &[&str]) -> Ticket {
        let raw = RawRow {
            line: 2,
            id: cells[0].to_string(),
            cells: cells.iter().map(|c| c.to_string()).collect(),
            ..RawRow::default()
        };
        type_row(plan, &raw, plan.tz, "t.csv")
    }

    const XGUARD: &str = include_str!("../../../tests/eval/rules/xguard.json");
    const CONNEXYS: &str = include_str!("../../../tests/eval/rules/connexys.json");

    /// X-Guard's closure with a 3-day resolution target added.
    fn xguard() -> Plan {
        plan(XGUARD, |v| {
            v["targets"] = serde_json::json!([{"metric": "resolution", "selector": {},
                "duration": {"kind": "seconds", "seconds": 259200}, "calendar": "24x7"}]);
        })
    }

    /// The month kept from clock to clock is the month the plan looks up,
    /// in and out of the kept year, across zones (versions of a contract
    /// may differ in theirs) and outside the zone's tables.
    #[test]
    fn the_kept_month_is_the_month_of_the_plan() {
        let zones = [
            "Europe/Amsterdam",
            "Pacific/Apia",
            "America/Sao_Paulo",
            "UTC",
        ];
        let plans: Vec<Plan> = zones
            .iter()
            .map(|z| plan(XGUARD, |v| v["timezone"] = serde_json::json!(z)))
            .collect();
        let mut cache = MonthCache::default();
        let from = at("2010-12-25T00:00:00Z");
        // Every 7 hours and 13 minutes over three years (Samoa's skipped
        // day, DST changes both ways), switching zones now and then.
        for (i, t) in (from..from + 3 * 366 * 86_400)
            .step_by(7 * 3600 + 13 * 60)
            .enumerate()
        {
            let p = &plans[(i / 500) % plans.len()];
            assert_eq!(cache.month_of(p, t), p.month_of(t), "{} {t}", p.tz);
            // The first instant of each month of the year, and the last of
            // the month before.
            let (_, starts) = p.months_of_year(t).expect("inside the tables");
            for s in starts {
                for t in [s - 1, s, t] {
                    assert_eq!(cache.month_of(p, t), p.month_of(t), "{} {t}", p.tz);
                }
            }
        }
        for p in &plans {
            let (lo, hi) = (i64::MIN / 4, i64::MAX / 4);
            for t in [lo, hi, 0, lo, hi] {
                assert_eq!(cache.month_of(p, t), p.month_of(t), "{} {t}", p.tz);
            }
        }
    }

    #[test]
    fn an_automatic_close_counts_only_once_it_has_happened() {
        let p = xguard();
        // id, opened_at, urgency, impact, resolved_at, confirmed_at
        let t = ticket(
            &p,
            &[
                "X",
                "2025-03-03T09:00:00Z",
                "low",
                "low",
                "2025-03-03T10:00:00Z",
                "",
            ],
        );
        let ctx = |as_of| Context {
            plan: &p,
            events: None,
            as_of,
        };
        let before = judged(ctx(At::whole(at("2025-03-03T12:00:00Z"))), &t, false);
        assert_eq!(before.rows[0].status, Status::Pending);
        assert_eq!(before.rows[0].stop, None);
        let after = judged(ctx(At::whole(at("2025-03-10T00:00:00Z"))), &t, false);
        assert_eq!(
            after.rows[0].stop,
            Some(At::whole(at("2025-03-04T10:00:00Z")))
        );
        assert_eq!(after.rows[0].status, Status::Met);
        // A confirmation before the automatic close wins.
        let t = ticket(
            &p,
            &[
                "Y",
                "2025-03-03T09:00:00Z",
                "low",
                "low",
                "2025-03-03T10:00:00Z",
                "2025-03-03T11:00:00Z",
            ],
        );
        let r = judged(ctx(At::whole(at("2025-03-10T00:00:00Z"))), &t, false);
        assert_eq!(r.rows[0].stop, Some(At::whole(at("2025-03-03T11:00:00Z"))));
    }

    /// The targets tried for a priority are those of the metric that may
    /// match a ticket of that priority, in order, in every rule set; and
    /// the rows without a trace (those targets) are the rows with one
    /// (every target tried).
    #[test]
    fn targets_for_a_priority_are_those_that_may_match() {
        let sets = [
            include_str!("../../../tests/eval/rules/care.json"),
            CONNEXYS,
            include_str!("../../../tests/eval/rules/infravision.json"),
            include_str!("../../../tests/eval/rules/paused.json"),
            include_str!("../../../tests/eval/rules/voicetronics.json"),
            XGUARD,
        ];
        for json in sets {
            let p = plan(json, |_| {});
            let levels = (0..p.priority_names.len()).map(Some).chain([None]);
            for (pr, m) in levels.flat_map(|pr| p.metrics.iter().map(move |m| (pr, m))) {
                let may = |ti: &&usize| {
                    let t = &p.targets[**ti];
                    let ps = t.selector.priorities.as_ref();
                    t.policy.is_some() || ps.is_none_or(|ps| pr.is_some_and(|pr| ps.contains(&pr)))
                };
                let want: Vec<usize> = m.targets.iter().filter(may).copied().collect();
                assert_eq!(m.targets_for(pr), want, "{pr:?}");
            }
        }
        let p = plan(include_str!("../../../tests/eval/rules/care.json"), |_| {});
        let ctx = Context {
            plan: &p,
            events: None,
            as_of: At::whole(at("2025-06-01T00:00:00Z")),
        };
        // id, opened_at, priority, cause, responded_at, resolved_at
        for prio in ["high", "medium", "low", "", "urgent"] {
            let t = ticket(
                &p,
                &[
                    "C",
                    "2025-03-03T09:00:00Z",
                    prio,
                    "",
                    "2025-03-03T15:00:00Z",
                    "",
                ],
            );
            let (fast, general) = (judged(ctx, &t, false), judged(ctx, &t, true));
            assert_eq!(fast.rows, general.rows, "{prio}");
            assert_eq!(fast.tallies, general.tallies, "{prio}");
            assert!(!fast.rows.is_empty());
        }
    }

    #[test]
    fn first_matching_target_applies_and_not_applicable_gives_no_row() {
        let p = plan(CONNEXYS, |_| {});
        let ctx = Context {
            plan: &p,
            events: None,
            as_of: At::whole(at("2025-06-01T00:00:00Z")),
        };
        // id, opened_at, type, level, component, responded_at, acknowledged_at, resolved_at
        let change = ticket(
            &p,
            &[
                "C",
                "2025-03-03T09:00:00Z",
                "change",
                "",
                "",
                "2025-03-03T10:00:00Z",
                "",
                "",
            ],
        );
        let out = judged(ctx, &change, true);
        let metrics: Vec<_> = out
            .rows
            .iter()
            .map(|r| r.metric.map(|m| p.metrics[m].name.as_str()))
            .collect();
        assert_eq!(
            metrics,
            [Some("response")],
            "resolution is not applicable, no acknowledgement target"
        );
        let tr = out.trace.expect("trace");
        assert_eq!(tr.metrics[0].tried.last().map(|t| t.1), Some(true));
        // A resolution clock that starts at the response's stop.
        let q = ticket(
            &p,
            &[
                "Q",
                "2025-03-03T09:00:00Z",
                "question",
                "",
                "",
                "2025-03-03T10:00:00Z",
                "",
                "2025-03-03T11:00:00Z",
            ],
        );
        let out = judged(ctx, &q, false);
        let res = out
            .rows
            .iter()
            .find(|r| r.metric == Some(1))
            .expect("resolution row");
        assert_eq!(res.start, Some(At::whole(at("2025-03-03T10:00:00Z"))));
        assert_eq!(res.elapsed, Some(3600));
    }

    #[test]
    fn objectives_count_by_the_period_of_the_clock_start_in_the_contract_zone() {
        let p = plan(CONNEXYS, |_| {});
        let ctx = Context {
            plan: &p,
            events: None,
            as_of: At::whole(at("2025-06-01T00:00:00Z")),
        };
        // 23:30 UTC on 31 March is 1 April in Amsterdam.
        let t = ticket(
            &p,
            &["Q", "2025-03-31T23:30:00Z", "question", "", "", "", "", ""],
        );
        let out = judged(ctx, &t, false);
        let (_, period, _) = out.tallies[0];
        assert_eq!((period.year, period.part), (2025, 4));
    }
}
