//! Repeating clocks (SEMANTICS.md "Histories"): cycles between activities
//! of the event log. `from each A to next B` (next reply): an A starts a
//! cycle when none runs and the ticket is not resolved (later As belong to
//! the running cycle: the oldest unanswered one counts), and the next B or
//! the resolution, whichever comes first, stops it. `from START to each B`
//! (periodic update): while the ticket is open, a cycle from the start (or
//! a reopening, or the last B) to the next B; a resolution stops it.
//! `from START to next B`: the first such cycle only, one clock.

use crate::eval::input::event_kind::Activity;
use crate::eval::verdict::reopening::Clock;
use crate::time::At;

/// The ends of a repeating clock, from the ticket's activities (up to the
/// as-of instant, in time order) and its resolved stretches (as
/// `Timeline::resolved`: the last for ever while still resolved).
pub(crate) struct Ends<'a> {
    /// `from each A`: the event that starts a cycle; else the clock starts
    /// at `start` (and again after each B and at each reopening).
    pub(crate) each: Option<Activity>,
    pub(crate) start: Option<At>,
    /// The event that stops a cycle.
    pub(crate) stop: Activity,
    pub(crate) activities: &'a [(At, Activity)],
    pub(crate) resolved: &'a [(At, At)],
}

/// The cycles, numbered from 1, into `out`. A cycle that has not stopped at
/// the as-of instant is running (`stop: None`).
pub(crate) fn cycles(e: &Ends, out: &mut Vec<Clock>) {
    out.clear();
    let resolved_at = |t: At| e.resolved.iter().any(|r| r.0 <= t && t < r.1);
    let push = |out: &mut Vec<Clock>, start: At, stop: Option<At>| {
        out.push(Clock {
            start: Some(start),
            stop,
            cycle: Some(out.len() as u32 + 1),
            own_pauses: false,
        });
    };
    // Resolutions stop a cycle, reopenings start a periodic one; at one
    // instant a resolution comes first, then the activity, then a reopening.
    const RESOLVED: u8 = 0;
    const ACTIVITY: u8 = 1;
    const REOPENED: u8 = 2;
    let mut events: Vec<(At, u8, Option<Activity>)> = e
        .activities
        .iter()
        .map(|&(at, a)| (at, ACTIVITY, Some(a)))
        .collect();
    for r in e.resolved {
        events.push((r.0, RESOLVED, None));
        if r.1 != At::FOREVER {
            events.push((r.1, REOPENED, None));
        }
    }
    events.sort_by_key(|x| (x.0, x.1));
    let Some(each) = e.each else {
        // Periodic: from the start.
        let Some(s0) = e.start else {
            out.push(Clock {
                start: None,
                stop: None,
                cycle: Some(1),
                own_pauses: false,
            });
            return;
        };
        let mut running = (!resolved_at(s0)).then_some(s0);
        for &(at, kind, a) in events.iter().filter(|x| x.0 > s0) {
            match kind {
                RESOLVED => {
                    if let Some(s) = running.take() {
                        push(out, s, Some(at));
                    }
                }
                ACTIVITY if a == Some(e.stop) => {
                    if let Some(s) = running {
                        push(out, s, Some(at));
                        running = Some(at);
                    }
                }
                REOPENED if running.is_none() => running = Some(at),
                _ => {}
            }
        }
        if let Some(s) = running {
            push(out, s, None);
        }
        return;
    };
    // Next: from each `each` to the next `stop`.
    let mut running: Option<At> = None;
    for &(at, kind, a) in &events {
        match kind {
            RESOLVED => {
                if let Some(s) = running.take() {
                    push(out, s, Some(at));
                }
            }
            ACTIVITY if a == Some(e.stop) => {
                if let Some(s) = running.take() {
                    push(out, s, Some(at));
                }
            }
            ACTIVITY if a == Some(each) && running.is_none() && !resolved_at(at) => {
                running = Some(at);
            }
            _ => {}
        }
    }
    if let Some(s) = running {
        push(out, s, None);
    }
}

/// Where the first cycle stopped (`from START to next B`: the clock's one
/// stop); `None` while it runs, or when none started.
pub(crate) fn first_stop(e: &Ends) -> Option<At> {
    let mut out = Vec::new();
    cycles(e, &mut out);
    out.first().and_then(|c| c.stop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Activity::{AgentReply as A, CustomerReply as C, InternalNote as N};

    fn run(
        each: Option<Activity>,
        acts: &[(i64, Activity)],
        resolved: &[(i64, i64)],
    ) -> Vec<(i64, Option<i64>)> {
        let mut out = Vec::new();
        let acts: Vec<(At, Activity)> = acts.iter().map(|&(t, a)| (At::whole(t), a)).collect();
        let resolved: Vec<(At, At)> = resolved
            .iter()
            .map(|&(a, b)| (At::whole(a), At::whole(b)))
            .collect();
        let e = Ends {
            each,
            start: Some(At::whole(0)),
            stop: A,
            activities: &acts,
            resolved: &resolved,
        };
        cycles(&e, &mut out);
        out.iter()
            .map(|c| (c.start.map_or(-1, |s| s.secs), c.stop.map(|s| s.secs)))
            .collect()
    }

    #[test]
    fn next_reply_counts_the_oldest_unanswered_customer_reply() {
        // Two customer replies, a note (answers nothing), an agent reply;
        // then a customer reply still unanswered.
        let acts = [(10, C), (12, C), (13, N), (15, A), (20, C)];
        assert_eq!(run(Some(C), &acts, &[]), [(10, Some(15)), (20, None)]);
    }

    #[test]
    fn a_resolution_stops_a_next_reply_cycle_and_none_starts_while_resolved() {
        let acts = [(10, C), (25, C), (40, C)];
        assert_eq!(
            run(Some(C), &acts, &[(20, 30), (50, i64::MAX)]),
            [(10, Some(20)), (40, Some(50))]
        );
    }

    #[test]
    fn periodic_updates_run_from_the_start_and_each_update() {
        let acts = [(10, A), (12, C), (25, A)];
        assert_eq!(
            run(None, &acts, &[]),
            [(0, Some(10)), (10, Some(25)), (25, None)]
        );
        // Resolved at 30, reopened at 40, resolved for good at 60.
        assert_eq!(
            run(None, &acts, &[(30, 40), (60, i64::MAX)]),
            [
                (0, Some(10)),
                (10, Some(25)),
                (25, Some(30)),
                (40, Some(60))
            ]
        );
    }
}
