//! The event log (`--events`): one row per thing that happened on a ticket,
//! read before the tickets and kept grouped by ticket until each comes
//! (`event_store`: in memory up to a budget, past it on disk). Its columns
//! (README, "The event log"):
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
//! event is a few numbers (`logged_event::Packed`).
//!
//! Every row is accounted for: a row that cannot be read, or that says
//! nothing, is a problem (one whose time falls in a spring-forward gap a
//! problem of its own kind; a change of a field the contract does not have
//! another), and after the run [`EventLog::without_ticket`] names the events
//! whose ticket never came.

use std::collections::HashMap;
use std::path::Path;

use chrono_tz::Tz;

use crate::eval::contract::plan::{did_you_mean, FieldType, Plan};
use crate::eval::contract::statuses::status_key;
use crate::eval::error::EvalError;
use crate::eval::input::cells::{field_value, timestamp_reason, Cell};
use crate::eval::input::event_kind::Activity;
use crate::eval::input::event_store::{budget_from_env, Collector, EventStore};
use crate::eval::input::log_reader::{LogReader, RawRow, WantedColumn};
pub(crate) use crate::eval::input::logged_event::{LoggedEvent, What};
use crate::eval::input::logged_event::{MAX_INTERNED, MAX_LINE};
use crate::eval::problems::{Problem, ProblemCounts, ProblemKind};
use crate::time::{parse_timestamp, At, TimestampErrorKind};

/// A new value of a field of the plan, as an event gives it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldChange {
    /// Index into the plan's fields.
    pub(crate) field: usize,
    pub(crate) value: Cell,
}

#[derive(Debug)]
pub(crate) struct EventLog {
    file: String,
    store: EventStore,
    /// Interned statuses, as compared ([`status_key`]).
    statuses: Vec<String>,
    /// Interned field values.
    changes: Vec<FieldChange>,
    /// Per metric of the plan: the interned numbers of its pause statuses.
    pause_ids: Vec<Vec<u32>>,
    /// Rows that could not be read.
    pub(crate) problems: ProblemCounts,
}

/// The positions of the event log's optional columns among a row's cells.
const AT: usize = 0;
const STATUS: usize = 1;
const FIELD: usize = 2;
const VALUE: usize = 3;
const ACTIVITY: usize = 4;

/// Opens the event log and finds its columns. Under an export profile whose
/// status column has another name, that name is accepted too (the log may
/// come from the same system).
fn open(
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
    plan: &Plan,
) -> Result<LogReader, EvalError> {
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
    let file = path.display();
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
    Ok(reader)
}

/// Turns rows into events, interning statuses and field values, and counts
/// the rows that cannot be used.
struct Rows<'a> {
    plan: &'a Plan,
    file: &'a str,
    log_tz: Tz,
    statuses: Vec<String>,
    status_index: HashMap<String, u32>,
    changes: Vec<FieldChange>,
    values: HashMap<(String, String), u32>,
    problems: ProblemCounts,
}

impl Rows<'_> {
    /// The events `row` says, into `out` (each an event at its instant);
    /// none, and a problem counted, when it cannot be used. A cell it
    /// cannot read makes the whole row a problem (half a row is not used).
    fn read(&mut self, row: &RawRow, out: &mut Vec<LoggedEvent>) -> Result<(), EvalError> {
        out.clear();
        let file = self.file;
        let problem = |kind, reason: String| Problem::new(kind, file, Some(row.line), None, reason);
        if let Some(e) = &row.error {
            self.problems.add(Problem::new(
                ProblemKind::UnreadableEvent,
                file,
                Some(row.line),
                row.error_column,
                e.clone(),
            ));
            return Ok(());
        }
        if row.id.is_empty() {
            self.problems.add(problem(
                ProblemKind::UnreadableEvent,
                "the event has no ticket id; every event needs one".into(),
            ));
            return Ok(());
        }
        if row.line > MAX_LINE {
            return Err(EvalError::new(format!(
                "{file}, line {}: the event log has more lines than `sla` can number ({MAX_LINE}); split it",
                row.line
            )));
        }
        let at = match parse_timestamp(&row.cells[AT], self.log_tz) {
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
                self.problems.add(problem(kind, reason));
                return Ok(());
            }
        };
        let cell = |i: usize| row.cells.get(i).map_or("", String::as_str);
        let mut said: Vec<What> = Vec::with_capacity(3);
        if !cell(STATUS).is_empty() {
            said.push(What::Status(self.status(cell(STATUS))?));
        }
        let mut bad = None;
        if !cell(FIELD).is_empty() {
            match self.change(&row.id, cell(FIELD).trim(), cell(VALUE))? {
                FieldSaid::Value(v) => said.push(What::Field(v)),
                FieldSaid::Unknown(reason) => self
                    .problems
                    .add(problem(ProblemKind::UnknownEventField, reason)),
                FieldSaid::Bad(reason) => bad = Some(reason),
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
            self.problems.add(problem(
                ProblemKind::UnreadableEvent,
                format!("ticket {}: {reason}; the event is left out", row.id),
            ));
            return Ok(());
        }
        if said.is_empty() && cell(FIELD).is_empty() {
            self.problems.add(problem(
                ProblemKind::UnreadableEvent,
                format!(
                    "ticket {}: the event has no status, field or activity, so it says nothing; fill one of them",
                    row.id
                ),
            ));
        }
        out.extend(said.into_iter().map(|what| LoggedEvent {
            at,
            what,
            line: row.line,
        }));
        Ok(())
    }

    /// The interned number of status `text`.
    fn status(&mut self, text: &str) -> Result<u32, EvalError> {
        let key = status_key(text);
        if let Some(s) = self.status_index.get(&key) {
            return Ok(*s);
        }
        let s = self.statuses.len() as u32;
        if s > MAX_INTERNED {
            return Err(EvalError::new(format!(
                "{}: the event log has more than {MAX_INTERNED} different statuses",
                self.file
            )));
        }
        self.statuses.push(key.clone());
        self.status_index.insert(key, s);
        Ok(s)
    }

    /// What a change of field `name` to `text` says for ticket `id`.
    fn change(&mut self, id: &str, name: &str, text: &str) -> Result<FieldSaid, EvalError> {
        let plan = self.plan;
        let names = || plan.fields.iter().map(|f| f.name.as_str());
        let Some(fi) = plan.fields.iter().position(|f| f.name == name) else {
            return Ok(FieldSaid::Unknown(format!(
                "ticket {id}: field `{name}` is not a field of the contract, so its change is not used{}; the contract's fields: {}",
                did_you_mean(name, names()),
                names().collect::<Vec<_>>().join(", ")
            )));
        };
        let key = (name.to_string(), text.to_string());
        if let Some(v) = self.values.get(&key) {
            return Ok(FieldSaid::Value(*v));
        }
        let value = match field_value(name, &plan.fields[fi].kind, text) {
            Ok(value) => value,
            Err(e) => return Ok(FieldSaid::Bad(format!("column `value`: {e}"))),
        };
        let v = self.changes.len() as u32;
        if v > MAX_INTERNED {
            return Err(EvalError::new(format!(
                "{}: the event log has more than {MAX_INTERNED} different field values",
                self.file
            )));
        }
        self.changes.push(FieldChange { field: fi, value });
        self.values.insert(key, v);
        Ok(FieldSaid::Value(v))
    }
}

/// What a row's `field` and `value` say.
enum FieldSaid {
    /// The interned new value.
    Value(u32),
    /// The contract has no such field: a problem of its own kind, the rest
    /// of the row still read.
    Unknown(String),
    /// The value cannot be read: the row is a problem.
    Bad(String),
}

impl EventLog {
    /// Reads the event log (see the module docs for its columns), on a
    /// thread of its own: the allocator keeps what a thread frees for a
    /// while, and when the events spill, the batch's buffers (half the
    /// budget and more) would still count while the tickets are read; a
    /// thread's end hands them back to the system at once.
    pub(crate) fn load(
        path: &Path,
        encoding: &'static encoding_rs::Encoding,
        plan: &Plan,
        log_tz: Tz,
    ) -> Result<EventLog, EvalError> {
        std::thread::scope(|s| {
            s.spawn(|| EventLog::load_here(path, encoding, plan, log_tz))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// [`EventLog::load`] on the calling thread.
    fn load_here(
        path: &Path,
        encoding: &'static encoding_rs::Encoding,
        plan: &Plan,
        log_tz: Tz,
    ) -> Result<EventLog, EvalError> {
        let mut reader = open(path, encoding, plan)?;
        let file = path.display().to_string();
        let mut rows = Rows {
            plan,
            file: &file,
            log_tz,
            statuses: Vec::new(),
            status_index: HashMap::new(),
            changes: Vec::new(),
            values: HashMap::new(),
            problems: ProblemCounts::default(),
        };
        let mut collector = Collector::new(budget_from_env()?);
        let mut said = Vec::with_capacity(3);
        while let Some(row) = reader.next_row() {
            let row = row?;
            rows.read(&row, &mut said)?;
            if !said.is_empty() {
                collector.push(&row.id, &said)?;
            }
        }
        let pause_ids = plan
            .metrics
            .iter()
            .map(|m| {
                m.pause_keys
                    .iter()
                    .filter_map(|k| rows.status_index.get(k).copied())
                    .collect()
            })
            .collect();
        Ok(EventLog {
            store: collector.finish()?,
            statuses: rows.statuses,
            changes: rows.changes,
            problems: rows.problems,
            pause_ids,
            file,
        })
    }

    /// The file the events were read from.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// The events of ticket `id` in time order (at one instant, in the
    /// order of the log) into `out`, the ticket marked as met.
    pub(crate) fn events_of(&self, id: &str, out: &mut Vec<LoggedEvent>) {
        self.store.events_of(id, out);
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
    /// problems: one per row, the first kept in the order of the log. An
    /// error when the events spilled to disk could not be read back.
    pub(crate) fn without_ticket(&self) -> Result<ProblemCounts, EvalError> {
        const KEEP: usize = ProblemCounts::KEEP;
        // The rows, and the KEEP earliest of them with their ticket.
        let mut rows = 0u64;
        let mut first: Vec<(u64, String)> = Vec::with_capacity(KEEP + 1);
        self.store.for_each_unseen(|id, events| {
            let mut last = None;
            for e in events {
                // One row that says several things is one problem; its
                // events are side by side (same instant, same line).
                let line = e.line();
                if last == Some(line) {
                    continue;
                }
                last = Some(line);
                rows += 1;
                if first.len() < KEEP || first.last().is_some_and(|l| line < l.0) {
                    let at = first.partition_point(|l| l.0 < line);
                    first.insert(at, (line, id.to_string()));
                    first.truncate(KEEP);
                }
            }
        })?;
        let mut out = ProblemCounts::default();
        let kind = ProblemKind::EventWithoutTicket;
        for (line, id) in &first {
            out.add(Problem::new(
                kind,
                &self.file,
                Some(*line),
                None,
                format!(
                    "ticket {id} is not in the ticket log, so the event is not used; check the id, or that both logs cover the same tickets"
                ),
            ));
        }
        out.add_more(kind, rows - first.len() as u64);
        Ok(out)
    }
}
