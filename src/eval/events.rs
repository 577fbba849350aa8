//! The event log (`--events`, columns `id,at,status`): each event puts its
//! ticket in that status from `at` until the ticket's next event. Pause
//! clauses read it. Unlike the ticket log it is held in memory (tickets are
//! streamed in any order, so a ticket's history must be at hand when it
//! comes); statuses are interned so each event costs a few bytes plus its id.

use std::collections::HashMap;
use std::path::Path;

use chrono_tz::Tz;

use super::error::EvalError;
use super::log::WantedColumn;
use super::plan::{FieldType, Plan};
use super::side;

#[derive(Default)]
pub struct EventLog {
    by_id: HashMap<String, Vec<(i64, u32)>>,
    /// Interned statuses, lowercased: statuses match case-insensitively.
    statuses: Vec<String>,
    /// Rows that could not be read, each with file:line and the reason.
    pub problems: Vec<String>,
    pub events: u64,
}

impl EventLog {
    pub fn load(path: &Path, plan: &Plan, log_tz: Tz) -> Result<EventLog, EvalError> {
        let status_column = plan
            .fields
            .iter()
            .find(|f| f.kind == FieldType::Status)
            .map(|f| f.column.clone())
            .unwrap_or_else(|| "status".to_string());
        let wanted = [
            WantedColumn {
                field: "at".into(),
                column: "at".into(),
                optional: false,
            },
            WantedColumn {
                field: "status".into(),
                column: status_column,
                optional: false,
            },
        ];
        let mut log = EventLog::default();
        let mut index: HashMap<String, u32> = HashMap::new();
        let problems = side::read(path, "id", &wanted, |row| {
            if row.id.is_empty() {
                return Err("the event has no ticket id; every event needs one".into());
            }
            let at = row.time(0, "at", log_tz)?;
            let key = row.cells[1].to_lowercase();
            let next = index.len() as u32;
            let s = *index.entry(key.clone()).or_insert_with(|| {
                log.statuses.push(key);
                next
            });
            log.by_id.entry(row.id).or_default().push((at, s));
            log.events += 1;
            Ok(())
        })?;
        log.problems = problems;
        for events in log.by_id.values_mut() {
            // Stable: events at the same instant keep the log's order, the last one wins.
            events.sort_by_key(|e| e.0);
        }
        Ok(log)
    }

    /// The intervals `[from, to)` during which ticket `id` was in one of
    /// `statuses`, merged, in order. The last event lasts for ever.
    pub fn pauses(&self, id: &str, statuses: &[String]) -> Vec<(i64, i64)> {
        let Some(events) = self.by_id.get(id) else {
            return Vec::new();
        };
        let wanted: Vec<u32> = statuses
            .iter()
            .filter_map(|s| {
                let s = s.to_lowercase();
                self.statuses.iter().position(|x| *x == s).map(|i| i as u32)
            })
            .collect();
        merge_pauses(events.iter().map(|(at, s)| (*at, wanted.contains(s))))
    }

    /// The status history of one ticket, for `--explain`.
    pub fn history(&self, id: &str) -> Vec<(i64, &str)> {
        self.by_id
            .get(id)
            .map(|evs| {
                evs.iter()
                    .map(|(at, s)| (*at, self.statuses[*s as usize].as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The pauses in a ticket's own status history (an event-shaped export):
/// as [`EventLog::pauses`], statuses matched case-insensitively (the history's
/// are lowercase already).
pub fn pauses_in(history: &[(i64, Box<str>)], statuses: &[String]) -> Vec<(i64, i64)> {
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
