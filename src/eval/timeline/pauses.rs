//! Status events as intervals of pause: each event puts its ticket in its
//! status until the next event, the last one for ever (the clock layer cuts
//! it at the stop; SEMANTICS.md "Clocks").

use crate::time::At;

/// Events in time order, each (instant, paused?) lasting until the next (the
/// last for ever), as merged intervals `[from, to)` of pause, written into
/// `out` (emptied first). Two events at one instant: the later one holds.
pub(crate) fn merge_pauses(events: impl Iterator<Item = (At, bool)>, out: &mut Vec<(At, At)>) {
    out.clear();
    let mut events = events.peekable();
    while let Some((at, paused)) = events.next() {
        if !paused {
            continue;
        }
        let to = events.peek().map_or(At::FOREVER, |e| e.0);
        if to <= at {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 >= at => last.1 = last.1.max(to),
            _ => out.push((at, to)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(events: &[(i64, bool)]) -> Vec<(i64, i64)> {
        let mut out = vec![(At::whole(0), At::whole(0))];
        merge_pauses(events.iter().map(|&(t, p)| (At::whole(t), p)), &mut out);
        out.iter().map(|p| (p.0.secs, p.1.secs)).collect()
    }

    #[test]
    fn a_pause_lasts_until_the_next_event_and_the_last_for_ever() {
        assert_eq!(merged(&[(10, true), (20, false)]), [(10, 20)]);
        assert_eq!(merged(&[(10, true), (20, true), (30, false)]), [(10, 30)]);
        assert_eq!(merged(&[(10, false), (20, true)]), [(20, i64::MAX)]);
        // At one instant the later event holds.
        assert_eq!(merged(&[(10, true), (10, false)]), []);
        assert_eq!(merged(&[(10, false), (10, true), (15, false)]), [(10, 15)]);
    }

    #[test]
    fn fractions_of_a_second_order_and_bound_the_pauses() {
        let at = |secs, nanos| At { secs, nanos };
        let mut out = Vec::new();
        let events = [(at(10, 400_000_000), true), (at(10, 900_000_000), false)];
        merge_pauses(events.into_iter(), &mut out);
        assert_eq!(out, [(at(10, 400_000_000), at(10, 900_000_000))]);
    }
}
