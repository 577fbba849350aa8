//! One ticket's timeline, as the log stood at the as-of instant
//! (SEMANTICS.md "Clocks", "Histories"): its timestamp columns and its status
//! events, from the `--events` log or from the export's own status history,
//! merged into one ordered history. It is built once per ticket, and every
//! part of the evaluation that reads pauses (verdicts, escalations,
//! `--explain`) reads it.
//!
//! The as-of rule is applied here, once: a timestamp after the as-of instant
//! has not happened yet, so it is blanked in the ticket; an event after it is
//! not seen; a ticket opened after it has none of its timestamps yet (no clock
//! starts, it is in no period) and is counted.

use crate::eval::contract::plan::Plan;
use crate::eval::input::cells::{Cell, Change, Ticket};
use crate::eval::input::event_kind::Activity;
use crate::eval::input::event_log::{EventLog, LoggedEvent, What};
use crate::eval::timeline::fields::{settle, ticket_at, value_text};
use crate::eval::timeline::pauses::merge_pauses;
use crate::time::At;

/// Where an event of the timeline comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A timestamp column of the ticket log (the field's index).
    Column(usize),
    /// A line of the `--events` log.
    EventLog(u64),
    /// A line of the export (its own status history).
    Export(u64),
}

/// One event of the timeline, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) at: At,
    /// What it says, in words (`status on_hold`, `priority → high`,
    /// `agent_reply`); `None` for a timestamp column (its field names it).
    pub(crate) what: Option<String>,
    pub(crate) origin: Origin,
    /// After the as-of instant: not seen.
    pub(crate) cut: bool,
}

/// What the evaluation reads of a ticket's history.
#[derive(Debug, Default)]
pub(crate) struct Timeline {
    /// Per metric of the plan, the intervals `[from, to)` in which the ticket
    /// was in one of the metric's pause statuses, merged and in order; a
    /// pause with no later event lasts for ever (the clock cuts it).
    pub(crate) pauses: Vec<Vec<(At, At)>>,
    /// The ticket was opened after the as-of instant.
    pub(crate) opened_after_as_of: bool,
    /// Its field changes up to the as-of instant, in time order. The
    /// ticket's cells hold the values in force at the as-of instant.
    pub(crate) changes: Vec<Change>,
    /// The cells of the changed fields as the ticket log gave them: the
    /// values before the first change (see [`Timeline::ticket_at`]).
    pub(crate) initial: Vec<(usize, Cell)>,
    /// Per metric that reads reopenings (`resolved while status in`), the
    /// stretches `[from, to)` in which the ticket was resolved, in order; the
    /// last lasts for ever while it is still resolved at the as-of instant.
    pub(crate) resolved: Vec<Vec<(At, At)>>,
    /// Its activities up to the as-of instant, in time order.
    pub(crate) activities: Vec<(At, Activity)>,
    /// Every event, in time order, when a trace was asked for.
    pub(crate) events: Vec<Event>,
    /// Per status stop of the plan (`Stops::statuses`), the instants, in
    /// order and up to the as-of instant, of the events in those statuses.
    pub(crate) status_hits: Vec<Vec<At>>,
    /// The ticket's events of the `--events` log (kept for its buffer).
    logged: Vec<LoggedEvent>,
}

impl Timeline {
    /// `t` (as the timeline left it) as it stood at instant `at`: with the
    /// changes at or before `at` (strictly before it, with `before`), into
    /// `out`.
    pub(crate) fn ticket_at(&self, t: &Ticket, at: At, before: bool, out: &mut Ticket) {
        ticket_at(t, &self.initial, &self.changes, (at, before), out);
    }
}

/// The sources of every ticket's history in a run.
#[derive(Clone, Copy)]
pub(crate) struct Histories<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) events: Option<&'a EventLog>,
    pub(crate) as_of: At,
}

impl Histories<'_> {
    /// Builds `t`'s timeline into `tl` (its buffers reused), blanking the
    /// timestamps of `t` that lie after the as-of instant. With `trace`,
    /// every event is listed in `tl.events`.
    pub(crate) fn build(&self, t: &mut Ticket, tl: &mut Timeline, trace: bool) {
        // A ticket of a flat log (no history of its own, no event log) has
        // no events to read into the buffer: nearly every ticket of a
        // plain export, so it is spared the buffer's round trip.
        if t.history.is_none() && self.events.is_none() {
            self.build_with(t, tl, trace, &[]);
            return;
        }
        // The event log's events of the ticket, read into a buffer that the
        // timeline keeps between tickets (they may come from disk).
        let mut logged = std::mem::take(&mut tl.logged);
        logged.clear();
        if let (None, Some(log)) = (&t.history, self.events) {
            log.events_of(&t.id, &mut logged);
        }
        self.build_with(t, tl, trace, &logged);
        tl.logged = logged;
    }

    /// [`Histories::build`], with the ticket's events of the event log.
    fn build_with(&self, t: &mut Ticket, tl: &mut Timeline, trace: bool, logged: &[LoggedEvent]) {
        let plan = self.plan;
        let as_of = self.as_of;
        tl.events.clear();
        tl.opened_after_as_of = plan
            .opened_field
            .and_then(|f| t.at(f))
            .is_some_and(|at| at > as_of);
        // Most tickets lie wholly before the as-of instant: nothing to cut.
        // (`latest` is rounded up, so it exceeds the as-of second exactly
        // when some timestamp lies after the as-of instant.)
        let cutting = t.latest > as_of.secs || trace;
        let fractions = &t.fractions;
        for (i, cell) in t.cells.iter_mut().enumerate() {
            if !cutting {
                break;
            }
            if let Cell::Time(secs) = *cell {
                let nanos = fractions.iter().find(|f| f.0 == i).map_or(0, |f| f.1);
                let at = At { secs, nanos };
                let cut = at > as_of || tl.opened_after_as_of;
                if trace {
                    tl.events.push(Event {
                        at,
                        what: None,
                        origin: Origin::Column(i),
                        cut,
                    });
                }
                if cut {
                    *cell = Cell::Empty;
                }
            }
        }
        tl.pauses.resize_with(plan.metrics.len(), Vec::new);
        tl.resolved.resize_with(plan.metrics.len(), Vec::new);
        tl.changes.clear();
        tl.initial.clear();
        tl.activities.clear();
        tl.status_hits
            .resize_with(plan.stops.statuses.len(), Vec::new);
        tl.status_hits.iter_mut().for_each(Vec::clear);
        let statuses = match (&t.history, self.events) {
            (Some(h), _) => Statuses::Export(h),
            (None, Some(log)) => Statuses::Log(log, logged),
            (None, None) => Statuses::None,
        };
        metric_stretches(plan, t, statuses, as_of, tl);
        if matches!(statuses, Statuses::None) {
            // Only a trace lists the columns as events.
            if trace {
                tl.events.sort_by_key(|e| e.at);
            }
            return;
        }
        for (si, keys) in plan.stops.statuses.iter().enumerate() {
            let hits = &mut tl.status_hits[si];
            hits.extend(
                statuses
                    .up_to(as_of)
                    .filter(|(_, s)| keys.iter().any(|k| k == statuses.key(*s)))
                    .map(|e| e.0),
            );
            hits.sort_unstable();
        }
        match (&t.history, self.events) {
            (Some(_), _) => tl
                .changes
                .extend(t.changes.iter().filter(|c| c.at <= as_of).cloned()),
            (None, Some(log)) => {
                for e in logged.iter().filter(|e| e.at <= as_of) {
                    match e.what {
                        What::Status(_) => {}
                        What::Field(v) => {
                            if let Some(c) = log.change(v) {
                                tl.changes.push(Change {
                                    at: e.at,
                                    field: c.field,
                                    value: c.value.clone(),
                                    line: e.line,
                                });
                            }
                        }
                        What::Activity(a) => tl.activities.push((e.at, a)),
                    }
                }
            }
            (None, None) => {}
        }
        if !tl.changes.is_empty() {
            settle(t, &tl.changes, &mut tl.initial);
        }
        if trace {
            self.trace_events(t, logged, as_of, &mut tl.events);
        }
    }

    /// Every event of `t`'s history (`logged`: its events of the `--events`
    /// log), into `events`, after its columns, in time order.
    fn trace_events(&self, t: &Ticket, logged: &[LoggedEvent], as_of: At, events: &mut Vec<Event>) {
        let plan = self.plan;
        if let Some(h) = &t.history {
            events.extend(h.iter().map(|(at, status, line)| Event {
                at: *at,
                what: Some(format!("status {status}")),
                origin: Origin::Export(*line),
                cut: *at > as_of,
            }));
            events.extend(t.changes.iter().map(|c| Event {
                at: c.at,
                what: Some(format!(
                    "{} → {}",
                    plan.fields[c.field].name,
                    value_text(plan, c.field, &c.value)
                )),
                origin: Origin::Export(c.line),
                cut: c.at > as_of,
            }));
        } else if let Some(log) = self.events {
            events.extend(logged.iter().map(|e| Event {
                at: e.at,
                what: Some(match e.what {
                    What::Status(s) => format!("status {}", log.status(s)),
                    What::Field(v) => log.change(v).map_or(String::new(), |c| {
                        format!(
                            "{} → {}",
                            plan.fields[c.field].name,
                            value_text(plan, c.field, &c.value)
                        )
                    }),
                    What::Activity(a) => a.name().to_string(),
                }),
                origin: Origin::EventLog(e.line),
                cut: e.at > as_of,
            }));
        }
        // Stable: at one instant, columns first, then events in log order.
        events.sort_by_key(|e| e.at);
    }
}

/// Per metric of the plan, the stretches in which `t` was resolved and those
/// in which it was paused, from its `statuses`, into `tl`.
fn metric_stretches(plan: &Plan, t: &Ticket, statuses: Statuses, as_of: At, tl: &mut Timeline) {
    for (mi, m) in plan.metrics.iter().enumerate() {
        let out = &mut tl.resolved[mi];
        if m.resolved_keys.is_empty() {
            out.clear();
        } else {
            // A set resolution timestamp resolves the ticket at that
            // instant, whatever the status events say (SEMANTICS.md
            // "Histories"); the metric's own (`rules::resolution_fields`).
            let resolved_at = m.resolution.and_then(|f| t.at(f));
            let resolved = |s| m.resolved_keys.iter().any(|k| k == statuses.key(s));
            statuses.stretches(as_of, resolved_at, resolved, out);
        }
        let out = &mut tl.pauses[mi];
        if m.pause_keys.is_empty() || matches!(statuses, Statuses::None) {
            // No history: nothing pauses (the common flat log).
            out.clear();
        } else {
            let paused = |s| match (s, statuses) {
                (Status::Key(k), _) => m.pause_keys.iter().any(|p| p == k),
                (Status::Interned(i), Statuses::Log(log, _)) => log.pauses(mi, i),
                (Status::Interned(_), _) => false,
            };
            statuses.stretches(as_of, None, paused, out);
        }
    }
}

/// Where a ticket's status events come from: the export's own history, or
/// the `--events` log (its events of the ticket), or nowhere.
#[derive(Clone, Copy)]
enum Statuses<'a> {
    Export(&'a [(At, Box<str>, u64)]),
    Log(&'a EventLog, &'a [LoggedEvent]),
    None,
}

/// A status as its source gives it: as compared
/// ([`crate::eval::contract::statuses::status_key`]) in an
/// export's history, interned in the event log (see [`EventLog::status`]).
#[derive(Clone, Copy)]
enum Status<'a> {
    Key(&'a str),
    Interned(u32),
}

impl<'a> Statuses<'a> {
    /// The status events up to `as_of`, in time order (at one instant, in
    /// the order of the log).
    fn up_to(self, as_of: At) -> impl Iterator<Item = (At, Status<'a>)> {
        let (export, logged) = match self {
            Statuses::Export(h) => (h, &[][..]),
            Statuses::Log(_, l) => (&[][..], l),
            Statuses::None => (&[][..], &[][..]),
        };
        let export = export
            .iter()
            .filter(move |e| e.0 <= as_of)
            .map(|e| (e.0, Status::Key(&e.1)));
        let logged = logged
            .iter()
            .filter(move |e| e.at <= as_of)
            .filter_map(|e| match e.what {
                What::Status(s) => Some((e.at, Status::Interned(s))),
                _ => None,
            });
        export.chain(logged)
    }

    /// Status `s` as compared.
    fn key(self, s: Status<'a>) -> &'a str {
        match (s, self) {
            (Status::Key(k), _) => k,
            (Status::Interned(i), Statuses::Log(log, _)) => log.status(i),
            (Status::Interned(_), _) => "",
        }
    }

    /// The stretches `[from, to)` in which the ticket was in a status that
    /// `is_in` holds for, merged and in order, into `out`; the last lasts
    /// for ever while the ticket is still in such a status at `as_of`.
    /// `entered`: an instant at which the ticket entered such a status
    /// whatever the events say (a resolution timestamp), read before the
    /// events of that instant.
    fn stretches(
        self,
        as_of: At,
        entered: Option<At>,
        is_in: impl Fn(Status<'a>) -> bool,
        out: &mut Vec<(At, At)>,
    ) {
        let mut events = self.up_to(as_of).map(|(at, s)| (at, is_in(s))).peekable();
        let mut entered = entered.filter(|at| *at <= as_of);
        let merged = std::iter::from_fn(|| match (entered, events.peek()) {
            (Some(at), next) if next.is_none_or(|e| at <= e.0) => {
                entered = None;
                Some((at, true))
            }
            _ => events.next(),
        });
        merge_pauses(merged, out);
    }
}
