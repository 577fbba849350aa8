//! The event log (`--events`, columns `id,at,status`): each event puts its
//! ticket in that status from `at` until the ticket's next event. Unlike the
//! ticket log it is held in memory (tickets are streamed in any order, so a
//! ticket's history must be at hand when it comes); statuses are interned in
//! the form they are compared in ([`status_key`]), so each event costs a few
//! bytes plus its id.
//!
//! Every row is accounted for: a row that cannot be read is a problem (one
//! whose time falls in a spring-forward gap a problem of its own kind), and
//! after the run [`EventLog::without_ticket`] names the events whose ticket
//! never came.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono_tz::Tz;

use crate::eval::contract::plan::{FieldType, Plan};
use crate::eval::contract::statuses::status_key;
use crate::eval::error::EvalError;
use crate::eval::input::cells::timestamp_message;
use crate::eval::input::log_reader::{LogReader, WantedColumn};
use crate::eval::problems::{Problem, ProblemCounts, ProblemKind};
use crate::time::{parse_timestamp, TimestampErrorKind};

/// One event of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LoggedEvent {
    pub(crate) at: i64,
    /// Interned status, see [`EventLog::status`].
    pub(crate) status: u32,
    /// Line of the event log.
    pub(crate) line: u64,
}

/// The events of one ticket, in time order, and whether the ticket was met.
#[derive(Debug, Default)]
struct Events {
    events: Vec<LoggedEvent>,
    /// Set once a ticket of the log with this id has been evaluated.
    seen: AtomicBool,
}

#[derive(Debug, Default)]
pub(crate) struct EventLog {
    file: String,
    by_id: HashMap<String, Events>,
    /// Interned statuses, as compared ([`status_key`]).
    statuses: Vec<String>,
    /// Per metric of the plan: the interned numbers of its pause statuses.
    pause_ids: Vec<Vec<u32>>,
    /// Rows that could not be read.
    pub(crate) problems: ProblemCounts,
    /// Events read.
    pub(crate) events: u64,
}

impl EventLog {
    /// Reads the event log. Its columns are `id`, `at` and `status`; under an
    /// export profile whose status column has another name, that name is
    /// accepted too (the log may come from the same system).
    pub(crate) fn load(path: &Path, plan: &Plan, log_tz: Tz) -> Result<EventLog, EvalError> {
        let mut reader = LogReader::open_unresolved(path)?;
        let plan_status = plan
            .fields
            .iter()
            .find(|f| f.kind == FieldType::Status)
            .map(|f| f.column.clone());
        let status_column = match plan_status {
            Some(c) if !reader.header().iter().any(|h| h == "status") => c,
            _ => "status".to_string(),
        };
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
        reader.resolve("id", &wanted)?;
        let file = path.display().to_string();
        let mut log = EventLog {
            file: file.clone(),
            ..EventLog::default()
        };
        let mut index: HashMap<String, u32> = HashMap::new();
        while let Some(row) = reader.next_row() {
            let row = row?;
            let problem = |kind, reason: String| Problem {
                kind,
                file: file.clone(),
                line: Some(row.line),
                reason,
            };
            if let Some(e) = &row.error {
                log.problems
                    .add(problem(ProblemKind::UnreadableEvent, e.clone()));
                continue;
            }
            if row.id.is_empty() {
                log.problems.add(problem(
                    ProblemKind::UnreadableEvent,
                    "the event has no ticket id; every event needs one".into(),
                ));
                continue;
            }
            let at = match parse_timestamp(&row.cells[0], log_tz) {
                Ok(p) => p.at,
                Err(e) => {
                    let kind = match e.kind {
                        TimestampErrorKind::Nonexistent { .. } => ProblemKind::EventInDstGap,
                        _ => ProblemKind::UnreadableEvent,
                    };
                    let reason = format!(
                        "ticket {}: column `at`: {}; the event is left out",
                        row.id,
                        timestamp_message(&e)
                    );
                    log.problems.add(problem(kind, reason));
                    continue;
                }
            };
            let key = status_key(&row.cells[1]);
            let next = index.len() as u32;
            let status = *index.entry(key.clone()).or_insert_with(|| {
                log.statuses.push(key);
                next
            });
            log.by_id
                .entry(row.id)
                .or_default()
                .events
                .push(LoggedEvent {
                    at,
                    status,
                    line: row.line,
                });
            log.events += 1;
        }
        for t in log.by_id.values_mut() {
            // Stable: events at the same instant keep the log's order, the last one wins.
            t.events.sort_by_key(|e| e.at);
        }
        log.pause_ids = plan
            .metrics
            .iter()
            .map(|m| {
                m.pause_keys
                    .iter()
                    .filter_map(|k| index.get(k).copied())
                    .collect()
            })
            .collect();
        Ok(log)
    }

    /// The file the events were read from.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// The events of ticket `id` in time order, the ticket marked as met.
    pub(crate) fn events_of(&self, id: &str) -> &[LoggedEvent] {
        match self.by_id.get(id) {
            Some(t) => {
                if !t.seen.load(Ordering::Relaxed) {
                    t.seen.store(true, Ordering::Relaxed);
                }
                &t.events
            }
            None => &[],
        }
    }

    /// Interned status number `s` as compared ([`status_key`]).
    pub(crate) fn status(&self, s: u32) -> &str {
        self.statuses.get(s as usize).map_or("", String::as_str)
    }

    /// Whether status `s` is a pause status of metric `metric`.
    pub(crate) fn pauses(&self, metric: usize, s: u32) -> bool {
        self.pause_ids
            .get(metric)
            .is_some_and(|ids| ids.contains(&s))
    }

    /// Every status the log has, as compared.
    pub(crate) fn statuses(&self) -> &[String] {
        &self.statuses
    }

    /// The events whose ticket was never met (call after the run), as
    /// problems, in the order of the log.
    pub(crate) fn without_ticket(&self) -> ProblemCounts {
        let mut missing: Vec<(u64, &str)> = self
            .by_id
            .iter()
            .filter(|(_, t)| !t.seen.load(Ordering::Relaxed))
            .flat_map(|(id, t)| t.events.iter().map(move |e| (e.line, id.as_str())))
            .collect();
        missing.sort_unstable();
        let mut out = ProblemCounts::default();
        for (line, id) in missing {
            out.add(Problem {
                kind: ProblemKind::EventWithoutTicket,
                file: self.file.clone(),
                line: Some(line),
                reason: format!(
                    "ticket {id} is not in the ticket log, so the event is not used; check the id, or that both logs cover the same tickets"
                ),
            });
        }
        out
    }
}
