//! The event log (`--events`): one row per thing that happened on a ticket,
//! held in memory (tickets are streamed in any order, so a ticket's history
//! must be at hand when it comes). Its columns (README, "The event log"):
//!
//! - `id`, `at`: the ticket and the instant (required);
//! - `status`: the ticket is in that status from `at` until its next status;
//! - `field` and `value`: field `field` of the ticket has the value `value`
//!   from `at` until its next change (`priority`, `group`, …);
//! - `activity`: something happened (`agent_reply`, `customer_reply`,
//!   `internal_note`; see [`Activity`]).
//!
//! Only `id`, `at` and one of `status`, `field` or `activity` are required,
//! so a plain `id,at,status` log stays valid. One row may say several of
//! these at once (an agent replies and sets the ticket to pending): each is
//! an event at that instant. Statuses and field values are interned, so an
//! event costs a few bytes plus its id.
//!
//! Every row is accounted for: a row that cannot be read, or that says
//! nothing, is a problem (one whose time falls in a spring-forward gap a
//! problem of its own kind; a change of a field the contract does not have
//! another), and after the run [`EventLog::without_ticket`] names the events
//! whose ticket never came.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono_tz::Tz;

use crate::eval::contract::plan::{did_you_mean, FieldType, Plan};
use crate::eval::contract::statuses::status_key;
use crate::eval::error::EvalError;
use crate::eval::input::cells::{field_value, timestamp_reason, Cell};
use crate::eval::input::event_kind::Activity;
use crate::eval::input::log_reader::{LogReader, WantedColumn};
use crate::eval::problems::{Problem, ProblemCounts, ProblemKind};
use crate::time::{parse_timestamp, At, TimestampErrorKind};

/// What one event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// Interned status, see [`EventLog::status`].
    Status(u32),
    /// Interned field value, see [`EventLog::change`].
    Field(u32),
    Activity(Activity),
}

/// One event of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LoggedEvent {
    /// To the fraction of a second the log gives.
    pub(crate) at: At,
    pub(crate) what: What,
    /// Line of the event log.
    pub(crate) line: u64,
}

/// A new value of a field of the plan, as an event gives it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldChange {
    /// Index into the plan's fields.
    pub(crate) field: usize,
    pub(crate) value: Cell,
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
    /// Interned field values.
    changes: Vec<FieldChange>,
    /// Per metric of the plan: the interned numbers of its pause statuses.
    pause_ids: Vec<Vec<u32>>,
    /// Rows that could not be read.
    pub(crate) problems: ProblemCounts,
    /// Events read.
    pub(crate) events: u64,
}

/// The positions of the event log's optional columns among a row's cells.
const AT: usize = 0;
const STATUS: usize = 1;
const FIELD: usize = 2;
const VALUE: usize = 3;
const ACTIVITY: usize = 4;

impl EventLog {
    /// Reads the event log (see the module docs for its columns). Under an
    /// export profile whose status column has another name, that name is
    /// accepted too (the log may come from the same system).
    pub(crate) fn load(
        path: &Path,
        encoding: &'static encoding_rs::Encoding,
        plan: &Plan,
        log_tz: Tz,
    ) -> Result<EventLog, EvalError> {
        let mut reader = LogReader::open_unresolved(path, encoding)?;
        let plan_status = plan
            .fields
            .iter()
            .find(|f| f.kind == FieldType::Status)
            .map(|f| f.column.clone());
        let has = |c: &str| reader.header().iter().any(|h| h == c);
        let status_column = match plan_status {
            Some(c) if !has("status") => c,
            _ => "status".to_string(),
        };
        let file = path.display().to_string();
        if !(has(&status_column) || has("field") || has("activity")) {
            return Err(EvalError::new(format!(
                "{file}: the event log has no column `{status_column}`, `field` or `activity`, so its rows say nothing; its columns are `id,at,status` (and optionally `field,value` and `activity`), it has: {}",
                reader.header().join(", ")
            )));
        }
        if has("field") && !has("value") {
            return Err(EvalError::new(format!(
                "{file}: the event log has a column `field` but no column `value`; a field change needs both (`id,at,field,value`)"
            )));
        }
        let column = |name: &str, column: String, optional| WantedColumn {
            field: name.into(),
            column,
            optional,
        };
        let wanted = [
            column("at", "at".into(), false),
            column("status", status_column, true),
            column("field", "field".into(), true),
            column("value", "value".into(), true),
            column("activity", "activity".into(), true),
        ];
        reader.resolve("id", &wanted)?;
        let mut log = EventLog {
            file: file.clone(),
            ..EventLog::default()
        };
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut values: HashMap<(String, String), u32> = HashMap::new();
        while let Some(row) = reader.next_row() {
            let row = row?;
            let problem =
                |kind, reason: String| Problem::new(kind, &file, Some(row.line), None, reason);
            if let Some(e) = &row.error {
                log.problems.add(Problem::new(
                    ProblemKind::UnreadableEvent,
                    &file,
                    Some(row.line),
                    row.error_column,
                    e.clone(),
                ));
                continue;
            }
            if row.id.is_empty() {
                log.problems.add(problem(
                    ProblemKind::UnreadableEvent,
                    "the event has no ticket id; every event needs one".into(),
                ));
                continue;
            }
            let at = match parse_timestamp(&row.cells[AT], log_tz) {
                Ok(p) => At {
                    secs: p.at,
                    nanos: p.nanos,
                },
                Err(e) => {
                    let kind = match e.kind {
                        TimestampErrorKind::Nonexistent { .. } => ProblemKind::EventInDstGap,
                        _ => ProblemKind::UnreadableEvent,
                    };
                    let reason = format!(
                        "ticket {}: column `at`: {}; the event is left out",
                        row.id,
                        timestamp_reason(&e)
                    );
                    log.problems.add(problem(kind, reason));
                    continue;
                }
            };
            // What the row says, each an event at `at`; a cell it cannot
            // read makes the whole row a problem (half a row is not used).
            let mut said: Vec<What> = Vec::with_capacity(1);
            let cell = |i: usize| row.cells.get(i).map_or("", String::as_str);
            if !cell(STATUS).is_empty() {
                let key = status_key(cell(STATUS));
                let next = index.len() as u32;
                let status = *index.entry(key.clone()).or_insert_with(|| {
                    log.statuses.push(key);
                    next
                });
                said.push(What::Status(status));
            }
            let mut bad = None;
            if !cell(FIELD).is_empty() {
                let name = cell(FIELD).trim();
                match plan.fields.iter().position(|f| f.name == name) {
                    None => {
                        log.problems.add(problem(
                            ProblemKind::UnknownEventField,
                            format!(
                                "ticket {}: field `{name}` is not a field of the contract, so its change is not used{}; the contract's fields: {}",
                                row.id,
                                did_you_mean(name, plan.fields.iter().map(|f| f.name.as_str())),
                                plan.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                    Some(fi) => {
                        let text = cell(VALUE).to_string();
                        let key = (name.to_string(), text);
                        match values.get(&key) {
                            Some(v) => said.push(What::Field(*v)),
                            None => match field_value(name, &plan.fields[fi].kind, &key.1) {
                                Ok(value) => {
                                    let v = log.changes.len() as u32;
                                    log.changes.push(FieldChange { field: fi, value });
                                    values.insert(key, v);
                                    said.push(What::Field(v));
                                }
                                Err(e) => bad = Some(format!("column `value`: {e}")),
                            },
                        }
                    }
                }
            }
            if !cell(ACTIVITY).is_empty() {
                match Activity::parse(cell(ACTIVITY)) {
                    Some(a) => said.push(What::Activity(a)),
                    None => {
                        bad = Some(format!(
                            "column `activity`: `{}` is not an activity; the activities are: {}",
                            cell(ACTIVITY),
                            Activity::all_names()
                        ))
                    }
                }
            }
            if let Some(reason) = bad {
                log.problems.add(problem(
                    ProblemKind::UnreadableEvent,
                    format!("ticket {}: {reason}; the event is left out", row.id),
                ));
                continue;
            }
            if said.is_empty() {
                if cell(FIELD).is_empty() {
                    log.problems.add(problem(
                        ProblemKind::UnreadableEvent,
                        format!(
                            "ticket {}: the event has no status, field or activity, so it says nothing; fill one of them",
                            row.id
                        ),
                    ));
                }
                continue;
            }
            let events = &mut log.by_id.entry(row.id).or_default().events;
            for what in said {
                events.push(LoggedEvent {
                    at,
                    what,
                    line: row.line,
                });
                log.events += 1;
            }
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

    /// Interned field change number `v`.
    pub(crate) fn change(&self, v: u32) -> Option<&FieldChange> {
        self.changes.get(v as usize)
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
        // One row that says several things is one problem.
        missing.dedup();
        let mut out = ProblemCounts::default();
        for (line, id) in missing {
            out.add(Problem::new(
                ProblemKind::EventWithoutTicket,
                &self.file,
                Some(line),
                None,
                format!(
                    "ticket {id} is not in the ticket log, so the event is not used; check the id, or that both logs cover the same tickets"
                ),
            ));
        }
        out
    }
}
