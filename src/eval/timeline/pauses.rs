//! A ticket's pauses: the intervals during which its status history puts it
//! in one of a metric's pause statuses, read from the `--events` log or from
//! the ticket's own history (an event-shaped export).

use crate::eval::input::event_log::EventLog;

/// The intervals `[from, to)` during which ticket `id` was in one of
/// `statuses` according to the event log, merged, in order. The last event
/// lasts for ever.
pub(crate) fn logged_pauses(log: &EventLog, id: &str, statuses: &[String]) -> Vec<(i64, i64)> {
    let events = log.events_of(id);
    if events.is_empty() {
        return Vec::new();
    }
    let wanted: Vec<u32> = statuses
        .iter()
        .filter_map(|s| log.status_number(s))
        .collect();
    merge_pauses(events.iter().map(|(at, s)| (*at, wanted.contains(s))))
}

/// The pauses in a ticket's own status history (an event-shaped export):
/// as [`logged_pauses`], statuses matched case-insensitively (the history's
/// are lowercase already).
pub(crate) fn pauses_in(history: &[(i64, Box<str>)], statuses: &[String]) -> Vec<(i64, i64)> {
    let wanted: Vec<String> = statuses.iter().map(|s| s.to_lowercase()).collect();
    merge_pauses(
        history
            .iter()
            .map(|(at, s)| (*at, wanted.iter().any(|w| **w == **s))),
    )
}

/// Events in time order, each (instant, paused?) lasting until the next (the
/// last for ever), as merged intervals `[from, to)` of pause.
fn merge_pauses(events: impl Iterator<Item = (i64, bool)>) -> Vec<(i64, i64)> {
    let mut events = events.peekable();
    let mut out: Vec<(i64, i64)> = Vec::new();
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
    out
}
