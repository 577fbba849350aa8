//! The event log (`--events`, columns `id,at,status`): each event puts its
//! ticket in that status from `at` until the ticket's next event. Pause
//! clauses read it. Unlike the ticket log it is held in memory (tickets are
//! streamed in any order, so a ticket's history must be at hand when it
//! comes); statuses are interned so each event costs a few bytes plus its id.

use std::collections::HashMap;
use std::path::Path;

use chrono_tz::Tz;

use crate::eval::contract::plan::{FieldType, Plan};
use crate::eval::error::EvalError;
use crate::eval::input::log_reader::WantedColumn;
use crate::eval::input::side_log;

#[derive(Default)]
pub(crate) struct EventLog {
    by_id: HashMap<String, Vec<(i64, u32)>>,
    /// Interned statuses, lowercased: statuses match case-insensitively.
    statuses: Vec<String>,
    /// Rows that could not be read, each with file:line and the reason.
    pub(crate) problems: Vec<String>,
    pub(crate) events: u64,
}

impl EventLog {
    pub(crate) fn load(path: &Path, plan: &Plan, log_tz: Tz) -> Result<EventLog, EvalError> {
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
        let problems = side_log::read(path, "id", &wanted, |row| {
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

    /// The events of ticket `id` in time order: (instant, interned status).
    pub(crate) fn events_of(&self, id: &str) -> &[(i64, u32)] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    /// The interned number of `status` (lowercased), if any event has it.
    pub(crate) fn status_number(&self, status: &str) -> Option<u32> {
        let s = status.to_lowercase();
        self.statuses.iter().position(|x| *x == s).map(|i| i as u32)
    }

    /// The status history of one ticket, for `--explain`.
    pub(crate) fn history(&self, id: &str) -> Vec<(i64, &str)> {
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
