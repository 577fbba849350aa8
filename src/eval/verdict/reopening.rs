//! Reopening (SEMANTICS.md "Histories"): a metric that reads the statuses in
//! which a ticket is resolved (`resolved while status in [...]`). By default
//! the clock continues across a reopening, the resolved stretch before it is
//! not counted (as if paused, so the deadline moves out by it) and the stop
//! is the last resolution; with `new cycle on reopening` each reopening
//! starts a new cycle with its own verdict.

use crate::time::At;

/// One clock of a metric: the whole of it, or one cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clock {
    pub(crate) start: Option<At>,
    pub(crate) stop: Option<At>,
    /// The cycle's number (1, 2, …) with `new cycle on reopening`.
    pub(crate) cycle: Option<u32>,
    /// Its pauses are `paused` below (the metric's own merged with the
    /// resolved stretches), not the timeline's.
    pub(crate) own_pauses: bool,
}

/// The clocks of a metric whose ticket was resolved in `resolved` (the
/// stretches of its resolved statuses, in order; the last for ever while
/// still resolved at the as-of instant), started at `start` and stopped (as
/// the ticket log says) at `stop`. With `cycles`, one per cycle; else one,
/// continued across reopenings, whose pauses (`pauses` and the resolved
/// stretches that a reopening ended) are put into `paused`.
pub(crate) fn clocks(
    cycles: bool,
    (start, stop): (Option<At>, Option<At>),
    resolved: &[(At, At)],
    pauses: &[(At, At)],
    paused: &mut Vec<(At, At)>,
    out: &mut Vec<Clock>,
) {
    out.clear();
    let whole = Clock {
        start,
        stop,
        cycle: cycles.then_some(1),
        own_pauses: false,
    };
    let Some(start) = start else {
        // Not started: nothing is resolved yet as far as this clock goes.
        out.push(whole);
        return;
    };
    // Resolutions before the clock started do not end it.
    let resolved: Vec<(At, At)> = resolved
        .iter()
        .filter(|r| r.1 > start)
        .map(|r| (r.0.max(start), r.1))
        .collect();
    if resolved.is_empty() {
        // Never resolved while the clock ran: the ticket log's clock.
        out.push(whole);
        return;
    }
    let still_resolved = resolved.last().is_some_and(|r| r.1 == At::FOREVER);
    if cycles {
        let mut from = Some(start);
        for (i, r) in resolved.iter().enumerate() {
            out.push(Clock {
                start: from,
                stop: Some(r.0),
                cycle: Some(i as u32 + 1),
                own_pauses: false,
            });
            from = (r.1 != At::FOREVER).then_some(r.1);
        }
        if let Some(from) = from.filter(|_| !still_resolved) {
            out.push(Clock {
                start: Some(from),
                stop: None,
                cycle: Some(out.len() as u32 + 1),
                own_pauses: false,
            });
        }
        return;
    }
    // One clock: it stops at the last resolution if the ticket is resolved
    // at the as-of instant, else it runs; the stretches a reopening ended
    // are not counted.
    let stop = continued_stop(start, stop, &resolved);
    continued_pauses(start, &resolved, pauses, paused);
    out.push(Clock {
        start: Some(start),
        stop,
        cycle: None,
        own_pauses: true,
    });
}

/// Where a clock started at `start` and continued across reopenings stops
/// (`resolved` as in [`clocks`]): at the last resolution while the ticket is
/// still resolved at the as-of instant, nowhere while it is open again; at
/// `stop` (as the ticket log says) when it was never resolved after `start`.
pub(crate) fn continued_stop(start: At, stop: Option<At>, resolved: &[(At, At)]) -> Option<At> {
    // The stretches are in order: the last one is the one that counts.
    match resolved.last().filter(|r| r.1 > start) {
        None => stop,
        Some(r) if r.1 == At::FOREVER => Some(r.0.max(start)),
        Some(_) => None,
    }
}

/// What a clock that continues across reopenings does not count, from
/// `start`: its `pauses` and the resolved stretches (`resolved`, as
/// `Timeline::resolved`) that a reopening ended, merged, into `out`.
pub(crate) fn continued_pauses(
    start: At,
    resolved: &[(At, At)],
    pauses: &[(At, At)],
    out: &mut Vec<(At, At)>,
) {
    let mut all: Vec<(At, At)> = pauses
        .iter()
        .copied()
        .chain(
            resolved
                .iter()
                .filter(|r| r.1 > start && r.1 != At::FOREVER)
                .map(|r| (r.0.max(start), r.1)),
        )
        .collect();
    all.sort_unstable();
    out.clear();
    for (a, b) in all {
        match out.last_mut() {
            Some(last) if last.1 >= a => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        cycles: bool,
        resolved: &[(i64, i64)],
        pauses: &[(i64, i64)],
    ) -> (Vec<Clock64>, Vec<(i64, i64)>) {
        let (mut paused, mut out) = (Vec::new(), Vec::new());
        let at = |v: &[(i64, i64)]| -> Vec<(At, At)> {
            v.iter()
                .map(|&(a, b)| (At::whole(a), At::whole(b)))
                .collect()
        };
        clocks(
            cycles,
            (Some(At::whole(0)), None),
            &at(resolved),
            &at(pauses),
            &mut paused,
            &mut out,
        );
        let secs = |t: Option<At>| t.map(|t| t.secs);
        let out = out
            .iter()
            .map(|c| Clock64 {
                start: secs(c.start),
                stop: secs(c.stop),
                cycle: c.cycle,
            })
            .collect();
        (out, paused.iter().map(|p| (p.0.secs, p.1.secs)).collect())
    }

    /// A clock in whole seconds.
    struct Clock64 {
        start: Option<i64>,
        stop: Option<i64>,
        cycle: Option<u32>,
    }

    #[test]
    fn a_reopened_clock_continues_without_the_resolved_stretch() {
        // Resolved at 10, reopened at 20, resolved again at 30 (still).
        let (c, p) = run(false, &[(10, 20), (30, i64::MAX)], &[(5, 8)]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].stop, Some(30));
        assert_eq!(p, [(5, 8), (10, 20)]);
        // Reopened and not resolved again: running.
        let (c, _) = run(false, &[(10, 20)], &[]);
        assert_eq!(c[0].stop, None);
    }

    #[test]
    fn a_continued_clock_stops_at_the_last_resolution_or_not_at_all() {
        let w = At::whole;
        let stretches =
            |v: &[(i64, i64)]| -> Vec<(At, At)> { v.iter().map(|&(a, b)| (w(a), w(b))).collect() };
        // Resolved again at 30 and still: the last resolution, not the log's 10.
        let r = stretches(&[(10, 20), (30, i64::MAX)]);
        assert_eq!(continued_stop(w(0), Some(w(10)), &r), Some(w(30)));
        // Reopened at 20 and open: no stop, whatever the log says.
        let r = stretches(&[(10, 20)]);
        assert_eq!(continued_stop(w(0), Some(w(10)), &r), None);
        // Resolved only before the clock started: the log's stop.
        assert_eq!(continued_stop(w(25), Some(w(40)), &r), Some(w(40)));
    }

    #[test]
    fn each_reopening_starts_a_cycle() {
        let (c, _) = run(true, &[(10, 20), (30, i64::MAX)], &[]);
        let spans: Vec<_> = c.iter().map(|c| (c.start, c.stop, c.cycle)).collect();
        assert_eq!(
            spans,
            [(Some(0), Some(10), Some(1)), (Some(20), Some(30), Some(2))]
        );
        let (c, _) = run(true, &[(10, 20)], &[]);
        let spans: Vec<_> = c.iter().map(|c| (c.start, c.stop, c.cycle)).collect();
        assert_eq!(
            spans,
            [(Some(0), Some(10), Some(1)), (Some(20), None, Some(2))]
        );
    }
}
