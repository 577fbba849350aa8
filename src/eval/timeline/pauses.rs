//! Status events as intervals of pause: each event puts its ticket in its
//! status until the next event, the last one for ever (the clock layer cuts
//! it at the stop; SEMANTICS.md "Clocks").

/// Events in time order, each (instant, paused?) lasting until the next (the
/// last for ever), as merged intervals `[from, to)` of pause, written into
/// `out` (emptied first). Two events at one instant: the later one holds.
pub(crate) fn merge_pauses(events: impl Iterator<Item = (i64, bool)>, out: &mut Vec<(i64, i64)>) {
    out.clear();
    let mut events = events.peekable();
    while let Some((at, paused)) = events.next() {
        if !paused {
            continue;
        }
        let to = events.peek().map(|e| e.0).unwrap_or(i64::MAX);
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
        let mut out = vec![(0, 0)];
        merge_pauses(events.iter().copied(), &mut out);
        out
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
}
