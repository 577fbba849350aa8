//! Reading a log (tickets or events): CSV with a header row (`,` or `;`,
//! sniffed from the header), JSON Lines or a spreadsheet. Only the columns
//! the contract reads are kept, as raw text; typing them is `cells.rs`'s job.
//! Rows come one at a time ([`LogReader::next_row`]) or in chunks
//! ([`LogReader::next_chunk`]): a CSV chunk is a block of the file that the
//! worker which evaluates it also parses. Nothing is held beyond the current
//! row or chunk, so memory does not grow with the log.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::eval::contract::plan::did_you_mean;
use crate::eval::error::EvalError;
use crate::eval::input::csv_records::{
    Block, CellBytes, CsvFile, DamageKind, Record, Text, MAX_SPAN,
};
use crate::eval::input::json_lines::{self, JsonLines};
use crate::eval::input::piped_log::PipedLog;
use crate::eval::input::profiles::{CellNorm, Normaliser};
use crate::eval::input::text_encoding;

/// A column the reader must find (or may miss, when optional).
#[derive(Debug, Clone)]
pub(crate) struct WantedColumn {
    /// The contract's name for it (shown in messages).
    pub(crate) field: String,
    pub(crate) column: String,
    pub(crate) optional: bool,
}

/// One row as read: the id and the wanted cells, in the order asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRow {
    /// 1-based line of the file where the row starts.
    pub(crate) line: u64,
    pub(crate) id: String,
    /// One per wanted column; empty where the cell is empty or an optional column is absent.
    pub(crate) cells: Vec<String>,
    /// A problem with the row as a whole (wrong number of cells, not UTF-8, bad JSON).
    pub(crate) error: Option<String>,
    /// The 1-based column of the line that `error` is about, where it is one place.
    pub(crate) error_column: Option<u64>,
    /// What an export profile adds (`None` for a plain log).
    pub(crate) extra: Option<Box<RowExtra>>,
}

impl RawRow {
    /// The row as the evaluator reads it.
    pub(crate) fn as_ref(&self) -> RowRef<'_> {
        RowRef {
            line: self.line,
            id: &self.id,
            cells: CellsRef::Owned(&self.cells),
            error: self.error.as_deref().map(Cow::Borrowed),
            error_column: self.error_column,
            extra: self.extra.as_deref(),
        }
    }
}

/// A row as the evaluator reads it, borrowed: from a [`RawRow`], or
/// straight from a record of a CSV block (no cell copied).
#[derive(Debug, Clone)]
pub(crate) struct RowRef<'a> {
    pub(crate) line: u64,
    pub(crate) id: &'a str,
    cells: CellsRef<'a>,
    pub(crate) error: Option<Cow<'a, str>>,
    pub(crate) error_column: Option<u64>,
    pub(crate) extra: Option<&'a RowExtra>,
}

#[derive(Debug, Clone)]
enum CellsRef<'a> {
    Owned(&'a [String]),
    /// A record's cells at the wanted positions, trimmed as they are read.
    Record {
        text: Text<'a>,
        positions: &'a [Option<usize>],
    },
    /// A record that is not UTF-8 throughout: each wanted cell checked on
    /// its own (a bad one reads as empty, and the row has an error).
    Bytes {
        cells: CellBytes<'a>,
        positions: &'a [Option<usize>],
    },
}

impl<'a> RowRef<'a> {
    /// The number of wanted cells.
    pub(crate) fn len(&self) -> usize {
        match &self.cells {
            CellsRef::Owned(cells) => cells.len(),
            CellsRef::Record { positions, .. } | CellsRef::Bytes { positions, .. } => {
                positions.len()
            }
        }
    }

    /// Wanted cell `i`; empty where the cell is empty or its column absent.
    #[inline]
    pub(crate) fn cell(&self, i: usize) -> &'a str {
        match &self.cells {
            CellsRef::Owned(cells) => cells.get(i).map_or("", String::as_str),
            CellsRef::Record { text, positions } => positions
                .get(i)
                .copied()
                .flatten()
                .and_then(|p| text.get(p))
                .map_or("", trim),
            CellsRef::Bytes { cells, positions } => positions
                .get(i)
                .copied()
                .flatten()
                .and_then(|p| cells.get(p))
                .and_then(|b| std::str::from_utf8(b).ok())
                .map_or("", trim),
        }
    }
}

/// A row assembled from an export (see `export.rs`): for an event-shaped
/// export one ticket made of its update rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowExtra {
    /// The line each cell was taken from (empty: all from the row's line).
    pub(crate) lines: Vec<u64>,
    /// The ticket's status history, in update order: (line, time, status).
    pub(crate) history: Vec<(u64, String, String)>,
    /// The ticket's field changes, in update order: (line, time, field of
    /// the plan, new value).
    pub(crate) changes: Vec<(u64, String, usize, String)>,
    /// Whether `history` stands for the ticket's history (event-shaped
    /// exports), in place of an `--events` log.
    pub(crate) has_history: bool,
    /// The export's own verdict (`made_sla`): met (true) or breached (false).
    pub(crate) verdict: Option<bool>,
    /// Problems of the rows it was made of, each with its file and line.
    pub(crate) problems: Vec<String>,
    /// An event-shaped export's final statuses: rows of a ticket after one
    /// of them make a second ticket of its id (its duplicate reason says so).
    pub(crate) final_statuses: &'static [&'static str],
}

/// Assembles tickets from several rows of the log as they are read (an
/// event-shaped export, `export_groups.rs`): the reader hands itself over
/// to be read from, and returns what this makes of its rows.
pub(crate) trait Grouping: Send {
    /// The next ticket, made of the rows it reads from `reader`.
    fn next(&mut self, reader: &mut LogReader) -> Option<Result<RawRow, EvalError>>;
    /// A grouping of the same settings that has read nothing yet (to read
    /// the log again, [`LogReader::reopen`]).
    fn restart(&self) -> Box<dyn Grouping>;
}

/// A log to be opened again ([`LogReader::reopen`]); opening it reads its
/// header again, so it is done only when the log is to be read again.
pub(crate) struct Reopening {
    path: PathBuf,
    encoding: &'static Encoding,
    layout: Arc<Layout>,
    names: Vec<String>,
    id_name: String,
    wanted: Vec<String>,
    grouper: Option<Box<dyn Grouping>>,
    piped: Option<PipedLog>,
}

impl Reopening {
    /// The log, opened again at its start.
    pub(crate) fn open(self) -> Result<LogReader, EvalError> {
        let mut again = match self.piped {
            Some(piped) => LogReader::open_stream(&self.path, piped, self.encoding)?,
            None => LogReader::open_unresolved(&self.path, self.encoding)?,
        };
        again.layout = self.layout;
        again.names = self.names;
        again.id_name = self.id_name;
        again.wanted = self.wanted;
        again.grouper = self.grouper;
        Ok(again)
    }
}

pub(crate) struct LogReader {
    path: PathBuf,
    /// What text not in UTF-8 is decoded from.
    encoding: &'static Encoding,
    header: Vec<String>,
    /// Which cells a row keeps, and how a profile rewrites them.
    layout: Arc<Layout>,
    /// For JSON Lines: the wanted column names, looked up per object.
    names: Vec<String>,
    id_name: String,
    /// Every column asked for (for messages).
    wanted: Vec<String>,
    inner: Inner,
    bytes: u64,
    /// Groups an event-shaped export's rows into tickets.
    grouper: Option<Box<dyn Grouping>>,
    /// A log read through a pipe: the copy to read it again from.
    piped: Option<PipedLog>,
}

/// Which cells of a row are kept, and how: shared by the reader and the
/// workers that parse its CSV blocks.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    /// For each wanted column, its position in the header (None: optional and absent).
    positions: Vec<Option<usize>>,
    id_pos: usize,
    header_len: usize,
    /// The header's names (for messages about a cell).
    header: Vec<String>,
    /// An export profile's cell rewriting, one entry per wanted column
    /// (`None` entries: empty markers only).
    norms: Option<(Normaliser, Vec<CellNorm>)>,
}

impl Layout {
    /// Fills `row` from `cell` (a record's cells by position, and how many it has).
    fn fill<'c>(
        &self,
        row: &mut RawRow,
        line: u64,
        len: usize,
        cell: impl Fn(usize) -> Option<&'c str>,
    ) {
        let set = |to: &mut String, p: Option<usize>| {
            to.clear();
            to.push_str(trim(p.and_then(&cell).unwrap_or("")));
        };
        row.line = line;
        set(&mut row.id, Some(self.id_pos));
        row.cells.resize(self.positions.len(), String::new());
        for (to, p) in row.cells.iter_mut().zip(&self.positions) {
            set(to, *p);
        }
        row.error = (len != self.header_len).then(|| self.length_error(len));
        row.error_column = None;
        row.extra = None;
    }

    /// Fills `row` from a CSV record: [`Layout::row_ref`]'s reading, copied.
    fn fill_record(&self, row: &mut RawRow, rec: Record) {
        let r = self.row_ref(rec);
        row.line = r.line;
        row.id.clear();
        row.id.push_str(r.id);
        row.cells.resize(r.len(), String::new());
        for (i, to) in row.cells.iter_mut().enumerate() {
            to.clear();
            to.push_str(r.cell(i));
        }
        row.error = r.error.map(Cow::into_owned);
        row.error_column = r.error_column;
        row.extra = None;
    }

    /// A CSV record as a row, its cells read where they are. Only the cells
    /// the contract reads must be UTF-8: a bad byte elsewhere does not matter.
    fn row_ref<'a>(&'a self, rec: Record<'a>) -> RowRef<'a> {
        let positions = &self.positions[..];
        let (id, cells, bad) = match rec.text() {
            Ok(text) => (
                text.get(self.id_pos).map_or("", trim),
                CellsRef::Record { text, positions },
                None,
            ),
            Err(_) => {
                let utf8 = |p: usize| rec.get(p).map(std::str::from_utf8);
                let bad = std::iter::once(self.id_pos)
                    .chain(positions.iter().flatten().copied())
                    .find(|&p| matches!(utf8(p), Some(Err(_))));
                let id = match utf8(self.id_pos) {
                    Some(Ok(id)) => trim(id),
                    _ => "",
                };
                let cells = rec.cells();
                (id, CellsRef::Bytes { cells, positions }, bad)
            }
        };
        let (error, error_column) = if let Some(d) = rec.damage {
            let column = rec.column_of(d.quote);
            let why = match d.kind {
                DamageKind::RowFollows => {
                    format!("and line {} reads as a row of its own", d.resume_line)
                }
                DamageKind::TooLong => format!("nor within {} MiB", MAX_SPAN >> 20),
                DamageKind::EndOfFile => "nor by the end of the file".to_string(),
            };
            let message = format!(
                "the quote that opens cell {} (`{}`: {}) does not close on its line, {why}; the row is left invalid and reading goes on at line {}; close the quote, or write a quote inside a cell as \"\"",
                d.cell + 1,
                self.header.get(d.cell).map_or("?", String::as_str),
                rec.excerpt(d.quote),
                d.resume_line,
            );
            (Some(Cow::Owned(message)), Some(column as u64))
        } else if let Some(p) = bad {
            let (below, column) = rec.position_of_cell(p);
            let bytes = rec.get(p).unwrap_or(b"");
            let at = std::str::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            let message = format!(
                "cell {} (`{}`) is not valid UTF-8 (byte 0x{:02X} after `{}`); save the export as UTF-8, or name its encoding with --encoding (such as --encoding windows-1252)",
                p + 1,
                self.header.get(p).map_or("?", String::as_str),
                bytes.get(at).copied().unwrap_or(0),
                String::from_utf8_lossy(&bytes[..at.min(24)]),
            );
            (
                Some(Cow::Owned(message)),
                (below == 0).then_some(column as u64),
            )
        } else {
            let wrong = rec.len() != self.header_len;
            (
                wrong.then(|| Cow::Owned(self.length_error(rec.len()))),
                None,
            )
        };
        RowRef {
            line: rec.line,
            id,
            cells,
            error,
            error_column,
            extra: None,
        }
    }

    fn length_error(&self, len: usize) -> String {
        format!(
            "the row has {len} cells but the header has {} columns; check for a stray or missing delimiter or an unclosed quote",
            self.header_len
        )
    }

    /// Rewrites the cells by the export profile, if there is one.
    fn normalise(&self, row: &mut RawRow) {
        if let Some((n, norms)) = &self.norms {
            for (cell, norm) in row.cells.iter_mut().zip(norms) {
                n.apply(norm, cell);
            }
            if row.error.is_none() {
                n.apply(&CellNorm::Plain, &mut row.id);
            }
        }
    }
}

/// `str::trim`, with the usual case (a visible character at both ends)
/// told from two bytes.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if !(a.is_ascii_graphic() && b.is_ascii_graphic()) => s.trim(),
        _ => s,
    }
}

/// Rows to evaluate, as [`LogReader::next_chunk`] hands them out.
pub(crate) enum Chunk {
    /// Rows already read.
    Rows(Vec<RawRow>),
    /// A block of CSV records, parsed by whoever evaluates it.
    Csv(Block, Arc<Layout>),
}

impl Chunk {
    /// Calls `each` with every row of the chunk, in order.
    pub(crate) fn for_each_row(&self, mut each: impl FnMut(RowRef)) {
        match self {
            Chunk::Rows(rows) => rows.iter().for_each(|row| each(row.as_ref())),
            Chunk::Csv(block, layout) => {
                let mut records = block.records();
                if layout.norms.is_none() {
                    while let Some(rec) = records.next() {
                        each(layout.row_ref(rec));
                    }
                    return;
                }
                // A profile rewrites cells: they are copied first.
                let mut row = RawRow::default();
                while let Some(rec) = records.next() {
                    layout.fill_record(&mut row, rec);
                    layout.normalise(&mut row);
                    each(row.as_ref());
                }
            }
        }
    }
}

enum Inner {
    Csv(Box<CsvFile>),
    Json {
        lines: JsonLines,
        /// The first object, read early to learn the columns.
        first: Option<(u64, serde_json::Map<String, serde_json::Value>)>,
    },
    /// A spreadsheet's rows as text, with their row numbers (a workbook is
    /// read whole: the format is zipped XML, not a stream).
    Sheet(std::vec::IntoIter<(u64, Vec<String>)>),
}

impl LogReader {
    fn new(path: &Path, header: Vec<String>, inner: Inner, bytes: u64) -> Self {
        let layout = Layout {
            header_len: header.len(),
            header: header.clone(),
            ..Layout::default()
        };
        LogReader {
            path: path.to_path_buf(),
            encoding: encoding_rs::UTF_8,
            header,
            layout: Arc::new(layout),
            names: Vec::new(),
            id_name: String::new(),
            wanted: Vec::new(),
            inner,
            bytes,
            grouper: None,
            piped: None,
        }
    }

    /// Opens `path`, learns its columns and checks that every wanted column is
    /// there; a missing one is an error that lists what is missing and what the log has.
    pub(crate) fn open(
        path: &Path,
        encoding: &'static Encoding,
        id: &str,
        wanted: &[WantedColumn],
    ) -> Result<LogReader, EvalError> {
        let mut reader = LogReader::open_unresolved(path, encoding)?;
        reader.resolve(id, wanted)?;
        Ok(reader)
    }

    /// Opens `path` and reads its header, without choosing columns yet
    /// ([`LogReader::resolve`] does); text not in UTF-8 is decoded from `encoding`.
    pub(crate) fn open_unresolved(
        path: &Path,
        encoding: &'static Encoding,
    ) -> Result<LogReader, EvalError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(
            ext.as_deref(),
            Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
        ) {
            return open_sheet(path);
        }
        let file = File::open(path).map_err(|e| EvalError::io(path, "open it", &e))?;
        if file.metadata().is_ok_and(|m| m.is_file()) {
            return LogReader::open_stream(path, file, encoding);
        }
        // A pipe cannot be read twice: what is read from it is copied.
        let piped = PipedLog::new(file);
        let mut reader = LogReader::open_stream(path, piped.again(), encoding)?;
        reader.piped = Some(piped);
        Ok(reader)
    }

    /// Reads the header of the log that `raw` reads (from its start).
    fn open_stream(
        path: &Path,
        raw: impl Read + Send + 'static,
        encoding: &'static Encoding,
    ) -> Result<LogReader, EvalError> {
        let json = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("jsonl" | "ndjson" | "json")
        );
        let source = text_encoding::decoded(raw, encoding);
        let mut reader = if json {
            open_json(path, source)
        } else {
            open_csv(path, source)
        }?;
        reader.encoding = encoding;
        Ok(reader)
    }

    /// What it takes to open the same log again later, to be read from its
    /// start with the same columns, profile and grouping (a log read through
    /// a pipe: from its copy, `piped_log.rs`); `None` where it is no stream
    /// (a spreadsheet, read whole).
    pub(crate) fn reopen(&self) -> Option<Reopening> {
        if matches!(self.inner, Inner::Sheet(_)) {
            return None;
        }
        Some(Reopening {
            path: self.path.clone(),
            encoding: self.encoding,
            layout: Arc::clone(&self.layout),
            names: self.names.clone(),
            id_name: self.id_name.clone(),
            wanted: self.wanted.clone(),
            grouper: self.grouper.as_ref().map(|g| g.restart()),
            piped: self.piped.as_ref().map(PipedLog::again),
        })
    }

    /// Rewrites each wanted column's cells by an export profile.
    pub(crate) fn set_normaliser(&mut self, normaliser: Normaliser, norms: Vec<CellNorm>) {
        Arc::make_mut(&mut self.layout).norms = Some((normaliser, norms));
    }

    /// Groups rows into tickets (an event-shaped export).
    pub(crate) fn set_grouper(&mut self, grouper: impl Grouping + 'static) {
        self.grouper = Some(Box::new(grouper));
    }

    pub(crate) fn header(&self) -> &[String] {
        &self.header
    }

    /// Bytes of the file consumed so far (for progress).
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Chooses the id and wanted columns; a missing one is an error that
    /// lists what is missing and what the log has.
    pub(crate) fn resolve(&mut self, id: &str, wanted: &[WantedColumn]) -> Result<(), EvalError> {
        let find = |col: &str| -> Result<Option<usize>, EvalError> {
            let mut hits = self.header.iter().enumerate().filter(|(_, h)| *h == col);
            let first = hits.next().map(|(i, _)| i);
            if first.is_some() && hits.next().is_some() {
                return Err(EvalError::new(format!(
                    "{}: the header names column `{col}` twice, so it is unclear which one to read; rename one of them",
                    self.path.display()
                )));
            }
            Ok(first)
        };
        let mut missing = Vec::new();
        let id_pos = find(id)?;
        if id_pos.is_none() {
            missing.push((id.to_string(), id.to_string()));
        }
        let mut positions = Vec::with_capacity(wanted.len());
        for w in wanted {
            let p = find(&w.column)?;
            // The id column is listed once, as the id.
            if p.is_none() && !w.optional && w.column != id {
                missing.push((w.field.clone(), w.column.clone()));
            }
            positions.push(p);
        }
        if !missing.is_empty() {
            self.wanted = std::iter::once(id.to_string())
                .chain(wanted.iter().map(|w| w.column.clone()))
                .collect();
            return Err(self.missing_columns(&missing));
        }
        let layout = Arc::make_mut(&mut self.layout);
        layout.id_pos = id_pos.unwrap_or(0);
        layout.positions = positions;
        self.id_name = id.to_string();
        self.names = wanted.iter().map(|w| w.column.clone()).collect();
        Ok(())
    }

    fn missing_columns(&self, missing: &[(String, String)]) -> EvalError {
        let mut msg = format!(
            "{}: the log lacks {} the contract reads:",
            self.path.display(),
            if missing.len() == 1 {
                "a column".to_string()
            } else {
                format!("{} columns", missing.len())
            }
        );
        for (field, column) in missing {
            let hint = did_you_mean(column, self.header.iter().map(String::as_str));
            if field == column {
                msg.push_str(&format!("\n  - `{column}`{hint}"));
            } else {
                msg.push_str(&format!("\n  - `{column}` (field `{field}`){hint}"));
            }
        }
        let unused: Vec<&str> = self
            .header
            .iter()
            .filter(|h| !self.wanted.contains(h))
            .map(String::as_str)
            .collect();
        msg.push_str(&format!(
            "\n  the log has: {}",
            if self.header.is_empty() {
                "no columns at all".to_string()
            } else {
                self.header.join(", ")
            }
        ));
        if !unused.is_empty() && unused.len() < self.header.len() {
            msg.push_str(&format!(
                "\n  of which the contract does not read: {}",
                unused.join(", ")
            ));
        }
        msg.push_str(
            "\n  if the export names a column differently, map it with --column FIELD=COLUMN",
        );
        EvalError::new(msg)
    }

    /// The next row, or `None` at the end. An `Err` is an I/O failure (the
    /// whole read stops); a malformed row comes back as a row with `error` set.
    /// With a grouper, the next ticket assembled from its rows.
    pub(crate) fn next_row(&mut self) -> Option<Result<RawRow, EvalError>> {
        match self.grouper.take() {
            None => self.next_normalised(),
            Some(mut g) => {
                let next = g.next(self);
                self.grouper = Some(g);
                next
            }
        }
    }

    /// The next chunk of about `rows` rows, or `None` at the end: a block
    /// of a CSV file as it is (rows are not grouped), else rows read here.
    pub(crate) fn next_chunk(&mut self, rows: usize) -> Option<Result<Chunk, EvalError>> {
        if let (Inner::Csv(file), None) = (&mut self.inner, &self.grouper) {
            let block = file.next_block();
            self.bytes = file.bytes_read();
            return match block {
                Ok(Some(b)) => Some(Ok(Chunk::Csv(b, Arc::clone(&self.layout)))),
                Ok(None) => None,
                Err(e) => Some(Err(EvalError::io(&self.path, "read it", &e))),
            };
        }
        let mut chunk = Vec::with_capacity(rows);
        while chunk.len() < rows {
            match self.next_row() {
                Some(Ok(row)) => chunk.push(row),
                Some(Err(e)) => return Some(Err(e)),
                None => break,
            }
        }
        (!chunk.is_empty()).then_some(Ok(Chunk::Rows(chunk)))
    }

    /// Takes back a chunk that has been evaluated, to reuse its buffer.
    pub(crate) fn recycle(&mut self, chunk: Chunk) {
        if let (Inner::Csv(file), Chunk::Csv(block, _)) = (&mut self.inner, chunk) {
            file.recycle(block.bytes);
        }
    }

    /// The next row as read, its cells rewritten by the profile (if any).
    pub(crate) fn next_normalised(&mut self) -> Option<Result<RawRow, EvalError>> {
        let mut next = self.next_plain();
        if let Some(Ok(row)) = &mut next {
            self.layout.normalise(row);
        }
        next
    }

    fn next_plain(&mut self) -> Option<Result<RawRow, EvalError>> {
        match &mut self.inner {
            Inner::Csv(file) => {
                let next = match file.next_record() {
                    Ok(None) => None,
                    Ok(Some(rec)) => {
                        let mut row = RawRow::default();
                        self.layout.fill_record(&mut row, rec);
                        Some(Ok(row))
                    }
                    Err(e) => Some(Err(EvalError::io(&self.path, "read it", &e))),
                };
                self.bytes = file.bytes_read();
                next
            }
            Inner::Json { .. } => self.next_json(),
            Inner::Sheet(rows) => {
                let (line, cells) = rows.next()?;
                self.bytes = line;
                let mut row = RawRow::default();
                self.layout.fill(&mut row, line, cells.len(), |i| {
                    cells.get(i).map(String::as_str)
                });
                // A sheet's rows are as wide as its widest; short rows are not an error.
                row.error = None;
                Some(Ok(row))
            }
        }
    }

    fn next_json(&mut self) -> Option<Result<RawRow, EvalError>> {
        let Inner::Json { lines, first } = &mut self.inner else {
            return None;
        };
        if let Some((at, obj)) = first.take() {
            return Some(Ok(json_row(at, &obj, &self.id_name, &self.names)));
        }
        self.bytes = lines.bytes;
        let (line, bytes) = match lines.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => return None,
            Err(e) => return Some(Err(EvalError::io(&self.path, "read it", &e))),
        };
        Some(Ok(match json_lines::parse_line(bytes) {
            Ok(obj) => json_row(line, &obj, &self.id_name, &self.names),
            // A line that is not an object (or not UTF-8): one invalid row,
            // with its id where the id still reads.
            Err((why, column)) => RawRow {
                line,
                id: match column {
                    Some(_) => json_lines::id_of_bad_line(bytes, &self.id_name),
                    None => String::new(),
                },
                cells: vec![String::new(); self.names.len()],
                error: Some(why),
                error_column: column,
                extra: None,
            },
        }))
    }
}

/// An object of a JSON Lines log as a row.
fn json_row(
    line: u64,
    obj: &serde_json::Map<String, serde_json::Value>,
    id: &str,
    names: &[String],
) -> RawRow {
    let (id, cells, error) = json_lines::json_cells(obj, id, names);
    RawRow {
        line,
        id,
        cells,
        error,
        ..RawRow::default()
    }
}

/// Reads a JSON Lines log from `source` (decoded).
fn open_json(path: &Path, source: Box<dyn Read + Send>) -> Result<LogReader, EvalError> {
    let mut lines = JsonLines::new(source);
    // The columns of a JSON Lines log are the keys of its first object; later
    // objects may leave a key out (read as an empty cell).
    let first = match lines.next_line() {
        Err(e) => return Err(EvalError::io(path, "read it", &e)),
        Ok(None) => None,
        Ok(Some((line, bytes))) => match json_lines::parse_line(bytes) {
            Ok(obj) => Some((line, obj)),
            Err((why, _)) => {
                return Err(EvalError::new(format!(
                    "{}:{line}: the first line is not a JSON object ({why}); a JSON Lines log has one object per line, such as {{\"id\": \"T-1\", \"opened_at\": \"2025-03-03T09:15:00+01:00\"}}",
                    path.display()
                )))
            }
        },
    };
    let header = first
        .as_ref()
        .map(|(_, o)| o.keys().cloned().collect())
        .unwrap_or_default();
    let bytes = lines.bytes;
    Ok(LogReader::new(
        path,
        header,
        Inner::Json { lines, first },
        bytes,
    ))
}

fn open_csv(path: &Path, source: Box<dyn Read + Send>) -> Result<LogReader, EvalError> {
    let mut csv = CsvFile::new(source, b',');
    let head = csv
        .first_line()
        .map_err(|e| EvalError::io(path, "read it", &e))?;
    if head.starts_with(b"{") {
        // A JSON Lines log without the usual extension (or a pipe): the
        // bytes read so far are read again, not the path opened again.
        return open_json(path, csv.into_source());
    }
    // A byte-order mark, as spreadsheet exports write (the parser drops it).
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let delimiter = sniff_delimiter(head);
    csv.set_delimiter(delimiter);
    // A header cell that is not UTF-8 names a column nobody can ask for; it
    // matters only if the contract reads that column (then the column is
    // missing, and the message lists the header as it reads).
    let header: Vec<String> = match csv.next_record() {
        Ok(Some(rec)) => (0..rec.len())
            .map(|i| {
                String::from_utf8_lossy(rec.get(i).unwrap_or(b""))
                    .trim()
                    .to_string()
            })
            .collect(),
        Ok(None) => Vec::new(),
        Err(e) => return Err(EvalError::io(path, "read it", &e)),
    };
    csv.set_width(header.len());
    let bytes = csv.bytes_read();
    Ok(LogReader::new(
        path,
        header,
        Inner::Csv(Box::new(csv)),
        bytes,
    ))
}

/// Reads the first sheet of a workbook: cells as text (dates as
/// `yyyy-mm-dd HH:MM:SS` local time, whole numbers without a fraction).
fn open_sheet(path: &Path) -> Result<LogReader, EvalError> {
    use calamine::{open_workbook_auto, Data, DataType, Reader};
    let unreadable = |e: &dyn std::fmt::Display| {
        EvalError::new(format!(
            "{}: cannot read the workbook ({e}); save it as .xlsx, or export it as CSV",
            path.display()
        ))
    };
    let mut book = open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| unreadable(&"it has no sheet"))?;
    let range = book.worksheet_range(&first).map_err(|e| unreadable(&e))?;
    let top = range.start().map(|(r, _)| u64::from(r)).unwrap_or(0);
    let text = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Int(n) => n.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(_) | Data::DateTimeIso(_) => d
                .as_datetime()
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| d.to_string()),
            Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| (top + i as u64 + 1, r.iter().map(text).collect::<Vec<_>>()));
    let header = match rows.next() {
        Some((_, h)) => h,
        None => Vec::new(),
    };
    let body: Vec<(u64, Vec<String>)> = rows
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .collect();
    Ok(LogReader::new(
        path,
        header,
        Inner::Sheet(body.into_iter()),
        0,
    ))
}

/// `;` when the header has more unquoted semicolons than commas (as European
/// spreadsheet exports write), else `,`.
pub(crate) fn sniff_delimiter(header: &[u8]) -> u8 {
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_semicolons_outside_quotes() {
        assert_eq!(sniff_delimiter(b"id;opened_at;priority\n"), b';');
        assert_eq!(sniff_delimiter(b"id,opened_at,\"a;b;c\"\n"), b',');
        assert_eq!(sniff_delimiter(b"id\n"), b',');
    }
}
