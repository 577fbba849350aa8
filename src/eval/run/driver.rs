//! The streaming driver: a reader thread cuts the log into chunks, worker
//! threads (one per core) type, evaluate and format them, and the calling
//! thread writes them in log order, and finds duplicate ids there. Memory
//! stays bounded by the chunks in flight plus the objective counters and
//! what finding duplicates is allowed (`duplicates.rs`); output follows the
//! log's order, so results are deterministic whatever the number of threads.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use chrono_tz::Tz;
use rustc_hash::FxHashSet;

use crate::eval::contract::plan::VersionIndex;
use crate::eval::contract::statuses::status_key;
use crate::eval::error::EvalError;
use crate::eval::input::cells::{type_row_into, Ticket};
use crate::eval::input::log_reader::{Chunk, LogReader};
use crate::eval::input::profiles::Comparison;
use crate::eval::problems::ProblemKind;
use crate::eval::run::duplicates::Duplicates;
use crate::eval::run::seen_ids::id_hash;
use crate::eval::run::sink::{ChunkFormat, RowSink, RowText};
use crate::eval::run::summary::{Problems, Summary};
use crate::eval::timeline::history::Timeline;
use crate::eval::verdict::escalations::{escalations, EscalationRow};
use crate::eval::verdict::field_history::PriorityMoves;
use crate::eval::verdict::objectives::Tally;
use crate::eval::verdict::row::{Counts, Row, Status};
use crate::eval::verdict::ticket::{evaluate_into, Context, Workspace};

pub(crate) struct RunOptions<'a> {
    pub(crate) tickets: &'a Path,
    /// Zone of log timestamps without an offset.
    pub(crate) log_tz: Tz,
    /// Told the number of bytes read so far, now and then (from the reader thread).
    pub(crate) progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Compare this metric's verdicts with the export's own (`made_sla`):
    /// (metric, the export's column).
    pub(crate) compare: Option<(usize, String)>,
}

/// The span `(earliest, latest)` widened to hold `at`.
fn span_with(span: Option<(i64, i64)>, at: Option<i64>) -> Option<(i64, i64)> {
    match (span, at) {
        (Some((a, b)), Some(t)) => Some((a.min(t), b.max(t))),
        (None, Some(t)) => Some((t, t)),
        (span, None) => span,
    }
}

/// Rows per chunk where the reader reads the rows itself (a CSV chunk is a
/// block of bytes instead, `records::BLOCK`).
const CHUNK: usize = 1024;

/// Tickets a worker takes through each step at a time (see [`Worker::evaluate`]).
const BATCH: usize = 64;

/// A chunk of evaluated tickets, ready for the sink.
struct Done {
    /// The chunk's rows, if the sink keeps them.
    rows: Vec<Row>,
    /// Rows made, by status (kept or not).
    by_status: Counts,
    escalations: Vec<EscalationRow>,
    opened: Option<(i64, i64)>,
    text: Vec<u8>,
    tally: Tally,
    tickets: u64,
    problems: Problems,
    comparison: Comparison,
    /// What priority changes did.
    moves: PriorityMoves,
    /// The statuses of the export's own histories (as compared).
    statuses: FxHashSet<Box<str>>,
    /// The hash and line of each row's id (rows without an id have none),
    /// for the writer to find duplicates in log order.
    ids: Vec<(u64, u64)>,
    /// How many bytes of the log the reader had read with this chunk.
    read: u64,
}

/// A chunk, its number, and how many bytes of the log were read with it.
type Work = (u64, Chunk, u64);
/// An evaluated chunk, with the chunk itself: evaluated again in the rare
/// case that it holds a duplicate id, then handed back to the reader.
type Result_ = (u64, Result<(Done, Chunk), EvalError>);

/// A chunk's row and text buffers, emptied by the writer and handed back to
/// the workers, so that the big buffers are not made anew for every chunk.
type Spare = (Vec<Row>, Vec<u8>);

/// Evaluates the whole log. The reader thread cuts the log into chunks;
/// worker threads parse (CSV blocks), type, evaluate and format them; this
/// thread puts them back in log order and writes them ([`Writer`]).
///
/// Chunks in flight (queued, being evaluated, or done and waiting for an
/// earlier one) are limited: the reader takes a token for each chunk and the
/// writer gives it back once the chunk is written. However long the log and
/// however unevenly the threads are scheduled, memory stays at that many chunks.
pub(crate) fn run(
    ctx: Context,
    reader: LogReader,
    opts: &RunOptions,
    format: &dyn ChunkFormat,
    sink: &mut dyn RowSink,
) -> Result<Summary, EvalError> {
    let file = opts.tickets.display().to_string();
    let compare = opts.compare.as_ref().map(|(m, _)| *m);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let in_flight = workers * 4;
    let keep_rows = sink.keeps_rows();
    // The log read once more, should its ids outgrow the memory allowed
    // for finding duplicates (`duplicates.rs`).
    let again = reader.reopen();
    let log_bytes = std::fs::metadata(opts.tickets).map_or(0, |m| m.len());
    let mut writer = Writer::new(ctx, opts, &file, format, Duplicates::new(again, log_bytes)?);
    std::thread::scope(|scope| -> Result<(), EvalError> {
        let (work_tx, work_rx) = sync_channel::<Work>(in_flight);
        let (done_tx, done_rx) = sync_channel::<Result_>(in_flight);
        let (token_tx, token_rx) = sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = token_tx.send(());
        }
        let (spare_tx, spare_rx) = channel::<Spare>();
        // Evaluated chunks go back to the reader, which reuses their buffers.
        let (used_tx, used_rx) = channel::<Chunk>();
        let spare_rx = Arc::new(Mutex::new(spare_rx));
        // Shared by the workers; dropped when the last one stops, which
        // unblocks the reader if this thread gave up early.
        let work_rx = Arc::new(Mutex::new(work_rx));
        let reader_done = done_tx.clone();
        let progress = opts.progress;
        scope.spawn(move || read_chunks(reader, progress, work_tx, reader_done, token_rx, used_rx));
        for _ in 0..workers {
            let work_rx = Arc::clone(&work_rx);
            let spare_rx = Arc::clone(&spare_rx);
            let done_tx = done_tx.clone();
            let file = file.as_str();
            let log_tz = opts.log_tz;
            scope.spawn(move || {
                let mut worker = Worker::new(ctx, log_tz, file, compare, keep_rows, format);
                loop {
                    let job = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, chunk, read)) = job else { return };
                    let spare = spare_rx
                        .lock()
                        .ok()
                        .and_then(|rx| rx.try_recv().ok())
                        .unwrap_or_default();
                    let mut done = worker.evaluate(&chunk, spare);
                    done.read = read;
                    if done_tx.send((seq, Ok((done, chunk)))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        drop(work_rx);
        // Chunks come back in any order; hold the early ones until their turn
        // (at most `in_flight` of them).
        let mut waiting: BTreeMap<u64, (Done, Chunk)> = BTreeMap::new();
        let mut next = 0;
        for (seq, done) in done_rx.iter() {
            waiting.insert(seq, done?);
            while let Some((done, chunk)) = waiting.remove(&next) {
                let (chunk, spare) = writer.write(done, chunk, sink)?;
                let _ = used_tx.send(chunk);
                next += 1;
                let _ = spare_tx.send(spare);
                let _ = token_tx.send(());
            }
        }
        Ok(())
    })?;
    writer.finish()
}

/// The reader thread: cuts the log into chunks and hands them to the
/// workers, each when a token says there is room for one more in flight.
fn read_chunks(
    mut reader: LogReader,
    progress: Option<&(dyn Fn(u64) + Sync)>,
    work_tx: SyncSender<Work>,
    done_tx: SyncSender<Result_>,
    token_rx: Receiver<()>,
    used_rx: Receiver<Chunk>,
) {
    let mut seq = 0;
    loop {
        while let Ok(used) = used_rx.try_recv() {
            reader.recycle(used);
        }
        let Some(next) = reader.next_chunk(CHUNK) else {
            return;
        };
        let chunk = match next {
            Ok(chunk) => chunk,
            Err(e) => {
                let _ = done_tx.send((seq, Err(e)));
                return;
            }
        };
        if let Some(p) = progress {
            p(reader.bytes_read());
        }
        let read = reader.bytes_read();
        if token_rx.recv().is_err() || work_tx.send((seq, chunk, read)).is_err() {
            return;
        }
        seq += 1;
    }
}

/// The calling thread's part: takes the evaluated chunks in log order,
/// finds their duplicate ids (evaluating again the rare chunk that has
/// one), writes them to the sink and adds up the counters.
struct Writer<'a> {
    ctx: Context<'a>,
    log_tz: Tz,
    file: &'a str,
    compare: Option<usize>,
    format: &'a dyn ChunkFormat,
    summary: Summary,
    tally: Tally,
    comparison: Option<Comparison>,
    /// The statuses of the export's own histories (as compared).
    statuses: FxHashSet<Box<str>>,
    duplicates: Duplicates,
    /// Evaluates again a chunk that holds a duplicate (made when needed).
    again: Option<Worker<'a>>,
}

impl<'a> Writer<'a> {
    fn new(
        ctx: Context<'a>,
        opts: &RunOptions,
        file: &'a str,
        format: &'a dyn ChunkFormat,
        duplicates: Duplicates,
    ) -> Self {
        let mut summary = Summary::default();
        if let Some(log) = ctx.events {
            summary.problems.counts.merge(log.problems.clone());
        }
        Writer {
            ctx,
            log_tz: opts.log_tz,
            file,
            compare: opts.compare.as_ref().map(|(m, _)| *m),
            format,
            summary,
            tally: Tally::default(),
            comparison: opts.compare.as_ref().map(|(m, column)| Comparison {
                metric: ctx.plan.metrics[*m].name.clone(),
                column: column.clone(),
                ..Comparison::default()
            }),
            statuses: FxHashSet::default(),
            duplicates,
            again: None,
        }
    }

    /// Writes the next chunk in log order; hands back the chunk (for the
    /// reader) and its emptied buffers (for the workers).
    fn write(
        &mut self,
        mut done: Done,
        chunk: Chunk,
        sink: &mut dyn RowSink,
    ) -> Result<(Chunk, Spare), EvalError> {
        if let Some(dups) = self.duplicates.chunk(&done.ids, done.read)? {
            // Rare: the chunk is evaluated again, here, knowing which of
            // its rows repeat an earlier row's id.
            let (ctx, log_tz, file, compare, format) =
                (self.ctx, self.log_tz, self.file, self.compare, self.format);
            let keep_rows = sink.keeps_rows();
            let redo = self
                .again
                .get_or_insert_with(|| Worker::new(ctx, log_tz, file, compare, keep_rows, format));
            redo.duplicates = dups;
            let (mut rows, mut text) = (done.rows, done.text);
            rows.clear();
            text.clear();
            done = redo.evaluate(&chunk, (rows, text));
        }
        self.statuses.extend(done.statuses.drain());
        let write_err = |e: std::io::Error| EvalError::new(format!("cannot write the report: {e}"));
        sink.rows(&done.rows, &done.text).map_err(write_err)?;
        sink.escalations(&done.escalations).map_err(write_err)?;
        let summary = &mut self.summary;
        summary.escalations += done.escalations.len() as u64;
        summary.opened = span_with(summary.opened, done.opened.map(|o| o.0));
        summary.opened = span_with(summary.opened, done.opened.map(|o| o.1));
        summary.tickets += done.tickets;
        summary.rows += done.by_status.0.iter().sum::<u64>();
        summary.by_status.merge(&done.by_status);
        summary.problems.merge(done.problems);
        if let Some(c) = self.comparison.as_mut() {
            c.merge(&done.comparison);
        }
        self.tally.merge(&done.tally);
        summary.priority_moves.merge(&done.moves);
        done.rows.clear();
        done.text.clear();
        Ok((chunk, (done.rows, done.text)))
    }

    /// The run's summary, once every chunk is written (an error when the
    /// event log spilled to disk cannot be read back).
    fn finish(mut self) -> Result<Summary, EvalError> {
        let ctx = self.ctx;
        let mut summary = self.summary;
        summary.objectives = self.tally.results(ctx.plan);
        summary.comparison = self.comparison.take();
        if let Some(log) = ctx.events {
            summary.problems.counts.merge(log.without_ticket()?);
        }
        unknown_statuses(ctx, self.file, &self.statuses, &mut summary.problems);
        Ok(summary)
    }
}

/// What a worker thread keeps between chunks: its settings, its text
/// writer, and the tickets and timeline every row is built into.
struct Worker<'a> {
    ctx: Context<'a>,
    log_tz: Tz,
    file: &'a str,
    compare: Option<usize>,
    /// Whether the sink reads the rows (else only their text is kept).
    keep_rows: bool,
    text: Box<dyn RowText + 'a>,
    /// A batch of typed tickets, waiting to be evaluated (their buffers are
    /// used again by the next batch), each with the final statuses after
    /// which its export begins a new ticket of the same id (none for a
    /// plain log).
    batch: Vec<(Ticket, &'static [&'static str])>,
    timeline: Timeline,
    /// The periods a ticket counts in, and the buffers evaluating it needs.
    ws: Workspace,
    /// The rows of the chunk that repeat an earlier row's id: (line, line
    /// of the first row with that id), the next one last. Empty but when a
    /// chunk is evaluated again (`duplicates`).
    duplicates: Vec<(u64, u64)>,
    /// The longest text of a chunk so far, and a quarter more (chunks
    /// differ): a text buffer smaller than that is made that large at
    /// once, not grown by doubling, which copies the text made so far
    /// each time.
    text_room: usize,
    /// The same for the list of ids of a chunk.
    ids_room: usize,
}

impl<'a> Worker<'a> {
    fn new(
        ctx: Context<'a>,
        log_tz: Tz,
        file: &'a str,
        compare: Option<usize>,
        keep_rows: bool,
        format: &'a dyn ChunkFormat,
    ) -> Self {
        Worker {
            ctx,
            log_tz,
            file,
            compare,
            keep_rows,
            text: format.writer(),
            batch: Vec::new(),
            timeline: Timeline::default(),
            ws: Workspace::default(),
            duplicates: Vec::new(),
            text_room: 0,
            ids_room: CHUNK,
        }
    }

    fn evaluate(&mut self, chunk: &Chunk, (rows, mut text): Spare) -> Done {
        if text.capacity() < self.text_room {
            // A new buffer, not the old one grown: growing copies the old
            // one's bytes, which the allocator does not know are unused.
            text = Vec::with_capacity(self.text_room);
        }
        let mut done = Done {
            rows,
            by_status: Counts::default(),
            escalations: Vec::new(),
            opened: None,
            text,
            tally: Tally::default(),
            tickets: 0,
            problems: Problems::default(),
            comparison: Comparison::default(),
            moves: PriorityMoves::default(),
            statuses: FxHashSet::default(),
            ids: Vec::with_capacity(self.ids_room),
            read: 0,
        };
        // The rows go through each step a batch at a time, typed, then
        // evaluated, then written as text: the code of the three together
        // is larger than the processor's instruction cache, and one ticket
        // at a time through all three missed it some 300 times a ticket.
        let mut typed = 0;
        chunk.for_each_row(|raw| {
            if typed == self.batch.len() {
                self.batch.push((Ticket::default(), &[]));
            }
            let (plan, file) = (self.ctx.plan, self.file);
            let (ticket, regrouped) = &mut self.batch[typed];
            *regrouped = raw.extra.map_or(&[][..], |x| x.final_statuses);
            type_row_into(plan, &raw, self.log_tz, file, ticket);
            typed += 1;
            if typed == BATCH {
                self.evaluate_batch(typed, &mut done);
                typed = 0;
            }
        });
        self.evaluate_batch(typed, &mut done);
        let (len, ids) = (done.text.len(), done.ids.len());
        self.text_room = self.text_room.max(len + len / 4);
        self.ids_room = self.ids_room.max(ids + ids / 4);
        done
    }

    /// Evaluates the first `n` tickets of the batch, then writes their rows.
    fn evaluate_batch(&mut self, n: usize, done: &mut Done) {
        let first = done.rows.len();
        for i in 0..n {
            self.one(i, done);
        }
        self.text.write(&done.rows[first..], &mut done.text);
        if !self.keep_rows {
            done.rows.truncate(first);
        }
    }

    /// Evaluates typed ticket `i` of the batch.
    fn one(&mut self, i: usize, done: &mut Done) {
        let duplicate = self.check_row(i, done);
        let file = self.file;
        let ticket = &mut self.batch[i].0;
        // The version in force at the ticket's opening judges it.
        let (ctx, version) = self.ctx.in_force(ticket);
        ctx.histories().build(ticket, &mut self.timeline, false);
        let ticket = &self.batch[i].0;
        if self.timeline.opened_after_as_of {
            done.problems.add(
                ProblemKind::OpenedAfterAsOf,
                file,
                Some(ticket.line),
                format!(
                    "ticket {} was opened after the as-of instant: its clocks have not started, and it is in no period",
                    ticket.id
                ),
            );
        }
        if let Some(h) = &ticket.history {
            for (_, status, _) in h {
                if !done.statuses.contains(status) {
                    done.statuses.insert(status.clone());
                }
            }
        }
        let first = done.rows.len();
        evaluate_into(
            ctx,
            ticket,
            &self.timeline,
            false,
            &mut done.rows,
            &mut self.ws,
            &mut done.moves,
        );
        if version != 0 {
            for row in &mut done.rows[first..] {
                row.version = version;
            }
        }
        self.count(i, (ctx, version), duplicate, first, done);
    }

    /// Notes ticket `i`'s id, and its problems: a repeated id (when this
    /// chunk is evaluated again for its duplicates, `self.duplicates`),
    /// which makes its verdicts invalid, and cells that could not be read.
    /// Whether it is a duplicate.
    fn check_row(&mut self, i: usize, done: &mut Done) -> bool {
        let file = self.file;
        let (ticket, regrouped) = &mut self.batch[i];
        let regrouped = *regrouped;
        // A row without an id is a problem of its own, and no duplicate.
        if !ticket.id.is_empty() {
            done.ids.push((id_hash(&ticket.id), ticket.line));
        }
        let duplicate = self.duplicates.last().is_some_and(|d| d.0 == ticket.line);
        let own = usize::from(duplicate);
        if duplicate {
            let first = self.duplicates.pop().map_or(0, |d| d.1);
            // In an event-shaped export, a second ticket of an id is made
            // of its rows after one with a final status (`export_groups.rs`).
            let fix = match regrouped {
                [] => "remove this row or give it its own id".to_string(),
                statuses => format!("these rows of it come after its rows had ended with a final status ({}). Sort the export by the ticket column", statuses.join(", ")),
            };
            let reason = format!(
                "ticket {} is already on line {first}, and a ticket is evaluated once, from its first row; {fix}",
                ticket.id
            );
            done.problems.add(
                ProblemKind::DuplicateId,
                file,
                Some(ticket.line),
                reason.clone(),
            );
            // Its verdicts are invalid, with this reason first.
            ticket
                .problems
                .insert(0, format!("{file}:{}: {reason}", ticket.line));
        }
        if ticket.problems.len() > own {
            // One problem per row, naming all that is wrong with it, at the
            // line of its first problem: an event-shaped export's ticket spans
            // many lines, and the bad cell may lie on a later one.
            let problems = &ticket.problems[own..];
            let reasons: Vec<&str> = problems
                .iter()
                .map(|p| split_problem(p, file).map_or(p.as_str(), |(_, r)| r))
                .collect();
            let (line, column) = problems
                .first()
                .and_then(|p| split_problem(p, file))
                .and_then(|(at, _)| at)
                .unwrap_or((ticket.line, None));
            done.problems.add_at(
                ProblemKind::UnreadableRow,
                file,
                Some(line),
                column,
                reasons.join("; "),
            );
        }
        duplicate
    }

    /// Adds evaluated ticket `i` (judged by `version` of the contract, its
    /// rows `done.rows[first..]`) to the chunk's counts: tickets, statuses,
    /// problems, objectives (not a duplicate), escalations.
    fn count(
        &self,
        i: usize,
        (ctx, version): (Context, VersionIndex),
        duplicate: bool,
        first: usize,
        done: &mut Done,
    ) {
        let file = self.file;
        let ticket = &self.batch[i].0;
        let rows = &done.rows[first..];
        // A duplicate row is reported (invalid), but it is no second ticket:
        // neither in the count of tickets nor in an objective's period.
        done.tickets += u64::from(!duplicate);
        let opened = ctx.plan.opened_field.and_then(|f| ticket.time(f));
        done.opened = span_with(done.opened, opened);
        for w in &ticket.warnings {
            done.problems.warn(w.clone());
        }
        for row in rows {
            done.by_status.add(row.status);
            if row.status == Status::Invalid && ticket.problems.is_empty() {
                done.problems.add(
                    ProblemKind::InvalidVerdict,
                    file,
                    Some(row.line),
                    format!(
                        "ticket {}: {}",
                        row.id,
                        row.reason.as_deref().unwrap_or("invalid")
                    ),
                );
            }
        }
        if let Some(m) = self.compare {
            compare_verdict(&mut done.comparison, ticket, rows, m);
        }
        for &(oi, period, status) in self.ws.tallies.iter().filter(|_| !duplicate) {
            done.tally.add(version, oi, period, status);
        }
        if !ctx.plan.escalation.is_empty() {
            let first_escalation = done.escalations.len();
            done.escalations
                .extend(escalations(ctx, ticket, &self.timeline, rows));
            for e in &mut done.escalations[first_escalation..] {
                e.version = version;
            }
        }
    }
}

/// A warning for each pause status of the contract that no event of the
/// run has (statuses are compared as SEMANTICS.md says), listing those that
/// occur: a status spelt otherwise than the ticket system writes it would
/// silently pause nothing.
fn unknown_statuses(
    ctx: Context,
    tickets: &str,
    export: &FxHashSet<Box<str>>,
    problems: &mut Problems,
) {
    let (file, mut occur): (&str, Vec<&str>) = match ctx.events {
        Some(log) => (
            log.file(),
            log.statuses().iter().map(String::as_str).collect(),
        ),
        None if !export.is_empty() => (tickets, export.iter().map(|s| &**s).collect()),
        None => return,
    };
    occur.sort_unstable();
    let occurring = if occur.is_empty() {
        "none".to_string()
    } else {
        occur.join(", ")
    };
    for m in &ctx.plan.metrics {
        // A set resolution timestamp resolves a ticket whatever the statuses say.
        let never_resolves = match m.resolution {
            Some(f) => format!(
                "never resolves a ticket (only a set `{}` does)",
                ctx.plan.fields[f].name
            ),
            None => "never resolves a ticket".to_string(),
        };
        let pauses = m
            .pause
            .iter()
            .map(|s| (s, "pauses while", "pauses nothing"));
        let resolved = m
            .resolved
            .iter()
            .map(|s| (s, "is resolved while", never_resolves.as_str()));
        for (status, does, so) in pauses.chain(resolved) {
            if occur.contains(&status_key(status).as_str()) {
                continue;
            }
            problems.add(
                ProblemKind::UnknownStatus,
                file,
                None,
                format!(
                    "metric `{}` {does} the status is `{status}`, but no event has that status, so it {so}; the statuses that occur: {occurring}",
                    m.name,
                ),
            );
        }
    }
}

/// Adds one ticket to the comparison with the export's own verdict.
fn compare_verdict(c: &mut Comparison, ticket: &Ticket, rows: &[Row], metric: usize) {
    let ours = rows
        .iter()
        .find(|r| r.metric == Some(metric))
        .map(|r| r.status);
    match (ours, ticket.verdict) {
        (Some(Status::Met), Some(true)) => c.both_met += 1,
        (Some(Status::Breached), Some(false)) => c.both_breached += 1,
        (Some(Status::Met), Some(false)) => c.met_not_made += 1,
        (Some(Status::Breached), Some(true)) => c.breached_but_made += 1,
        _ => c.not_compared += 1,
    }
}

/// A problem `file:line[:column]: reason` as its place and its reason.
type Place = Option<(u64, Option<u64>)>;
fn split_problem<'p>(p: &'p str, file: &str) -> Option<(Place, &'p str)> {
    p.strip_prefix(file)
        .and_then(|r| r.strip_prefix(':'))
        .and_then(|r| r.split_once(": "))
        .map(|(at, r)| {
            let (line, column) = match at.split_once(':') {
                Some((l, c)) => (l, c.parse::<u64>().ok()),
                None => (at, None),
            };
            (line.parse::<u64>().ok().map(|l| (l, column)), r)
        })
}
