//! The streaming driver: one thread reads and types the log in chunks, the
//! calling thread evaluates them in log order and hands each row to a sink
//! as soon as it is made. Memory stays bounded by a few chunks in flight plus
//! the objective counters; output order is the log's order, so results are
//! deterministic.

use std::path::Path;
use std::sync::mpsc::sync_channel;

use chrono_tz::Tz;

use super::cells::{type_row, Ticket};
use super::error::EvalError;
use super::log::{LogReader, WantedColumn};
use super::plan::{FieldType, Plan};
use super::tally::{ObjectiveResult, Tally};
use super::ticket::{evaluate, Context, Outcome};
use super::verdict::{Counts, Row, Status};

/// Where rows go as they are produced (a report writer).
pub trait RowSink {
    fn row(&mut self, row: &Row) -> std::io::Result<()>;
}

pub struct RunOptions<'a> {
    pub tickets: &'a Path,
    /// Zone of log timestamps without an offset.
    pub log_tz: Tz,
    /// Evaluate only this ticket, with a trace.
    pub explain: Option<&'a str>,
    /// Told the number of bytes read so far, now and then (from the reader thread).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

/// Input problems: counted in full, the first few kept with their text.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    /// Rows that could not be read.
    pub unreadable: u64,
    /// Verdicts that are `invalid` because the ticket contradicts itself.
    pub contradictions: u64,
    pub warnings: u64,
    pub samples: Vec<String>,
    pub warning_samples: Vec<String>,
}

impl Problems {
    pub const KEEP: usize = 20;

    pub fn note(&mut self, text: String) {
        if self.samples.len() < Self::KEEP {
            self.samples.push(text);
        }
    }

    pub fn warn(&mut self, text: String) {
        self.warnings += 1;
        if self.warning_samples.len() < Self::KEEP {
            self.warning_samples.push(text);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.unreadable == 0 && self.contradictions == 0
    }
}

#[derive(Debug, Default)]
pub struct Summary {
    pub tickets: u64,
    pub rows: u64,
    pub by_status: Counts,
    pub objectives: Vec<ObjectiveResult>,
    pub problems: Problems,
    /// With `explain`: the ticket and its traced outcome, if it was found.
    pub explained: Option<(Ticket, Outcome)>,
}

impl Summary {
    /// Every objective compliant in every period.
    pub fn compliant(&self) -> bool {
        self.objectives.iter().all(|o| o.compliant)
    }
}

const CHUNK: usize = 512;

/// The columns of the ticket log the plan reads: every field but the event
/// log's status (read if present, not required).
pub fn wanted_columns(plan: &Plan) -> Vec<WantedColumn> {
    plan.fields
        .iter()
        .map(|f| WantedColumn {
            field: f.name.clone(),
            column: f.column.clone(),
            optional: f.optional || f.kind == FieldType::Status,
        })
        .collect()
}

/// Opens the ticket log, checking its columns (a missing one is an error).
pub fn open_tickets(plan: &Plan, path: &Path) -> Result<LogReader, EvalError> {
    LogReader::open(path, &plan.id_column, &wanted_columns(plan))
}

pub fn run(
    ctx: Context,
    mut reader: LogReader,
    opts: &RunOptions,
    sink: &mut dyn RowSink,
) -> Result<Summary, EvalError> {
    let plan = ctx.plan;
    let file = opts.tickets.display().to_string();
    let log_tz = opts.log_tz;
    let progress = opts.progress;
    let explain = opts.explain;
    let mut summary = Summary::default();
    let mut tally = Tally::default();
    std::thread::scope(|scope| -> Result<(), EvalError> {
        let (tx, rx) = sync_channel::<Result<Vec<Ticket>, EvalError>>(4);
        let reader_file = file.clone();
        scope.spawn(move || {
            let file = reader_file;
            let mut chunk = Vec::with_capacity(CHUNK);
            while let Some(raw) = reader.next_row() {
                match raw {
                    Ok(raw) => {
                        if explain.is_some_and(|id| id != raw.id) {
                            continue;
                        }
                        chunk.push(type_row(plan, raw, log_tz, &file));
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
                if chunk.len() == CHUNK {
                    if let Some(p) = progress {
                        p(reader.bytes_read());
                    }
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                    if tx.send(Ok(full)).is_err() {
                        return; // the evaluator stopped early (explain found its ticket)
                    }
                }
            }
            if let Some(p) = progress {
                p(reader.bytes_read());
            }
            if !chunk.is_empty() {
                let _ = tx.send(Ok(chunk));
            }
        });
        for chunk in rx {
            for ticket in chunk? {
                if explain.is_some() {
                    let outcome = evaluate(ctx, &ticket, true);
                    summary.explained = Some((ticket, outcome));
                    return Ok(());
                }
                consume(ctx, ticket, sink, &mut summary, &mut tally, &file)?;
            }
        }
        Ok(())
    })?;
    summary.objectives = tally.results(plan);
    Ok(summary)
}

fn consume(
    ctx: Context,
    ticket: Ticket,
    sink: &mut dyn RowSink,
    summary: &mut Summary,
    tally: &mut Tally,
    file: &str,
) -> Result<(), EvalError> {
    let outcome = evaluate(ctx, &ticket, false);
    summary.tickets += 1;
    if !ticket.problems.is_empty() {
        summary.problems.unreadable += 1;
        for p in &ticket.problems {
            summary.problems.note(p.clone());
        }
    }
    for w in ticket.warnings {
        summary.problems.warn(w);
    }
    for row in &outcome.rows {
        summary.rows += 1;
        summary.by_status.add(row.status);
        if row.status == Status::Invalid && ticket.problems.is_empty() {
            summary.problems.contradictions += 1;
            summary.problems.note(format!(
                "{file}:{}: ticket {}: {}",
                row.line,
                row.id,
                row.reason.as_deref().unwrap_or("invalid")
            ));
        }
        sink.row(row)
            .map_err(|e| EvalError::new(format!("cannot write the report: {e}")))?;
    }
    for (oi, period, status) in outcome.tallies {
        tally.add(oi, period, status);
    }
    Ok(())
}
