//! Reading a log (tickets or events) one row at a time: CSV with a header row
//! (`,` or `;`, sniffed from the header) or JSON Lines. Only the columns the
//! contract reads are kept, as raw text; typing them is `cells.rs`'s job.
//! Nothing is held beyond the current row, so memory does not grow with the log.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use super::error::EvalError;
use super::plan::did_you_mean;

/// A column the reader must find (or may miss, when optional).
#[derive(Debug, Clone)]
pub struct WantedColumn {
    /// The contract's name for it (shown in messages).
    pub field: String,
    pub column: String,
    pub optional: bool,
}

/// One row as read: the id and the wanted cells, in the order asked for.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based line of the file where the row starts.
    pub line: u64,
    pub id: String,
    /// One per wanted column; empty where the cell is empty or an optional column is absent.
    pub cells: Vec<String>,
    /// A problem with the row as a whole (wrong number of cells, not UTF-8, bad JSON).
    pub error: Option<String>,
    /// What an export profile adds (`None` for a plain log).
    pub extra: Option<Box<RowExtra>>,
}

/// A row assembled from an export (see `export.rs`): for an event-shaped
/// export one ticket made of its update rows.
#[derive(Debug, Clone, Default)]
pub struct RowExtra {
    /// The line each cell was taken from (empty: all from the row's line).
    pub lines: Vec<u64>,
    /// The ticket's status history, in update order: (line, time, status).
    pub history: Vec<(u64, String, String)>,
    /// Whether `history` stands for the ticket's history (event-shaped
    /// exports), in place of an `--events` log.
    pub has_history: bool,
    /// The export's own verdict (`made_sla`): met (true) or breached (false).
    pub verdict: Option<bool>,
    /// Problems of the rows it was made of, each with its file and line.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Csv {
        delimiter: u8,
    },
    JsonLines,
    /// A spreadsheet (XLSX, XLS, ODS): its first sheet, the first row naming the columns.
    Sheet,
}

pub struct LogReader {
    path: PathBuf,
    format: LogFormat,
    header: Vec<String>,
    /// For each wanted column, its position in the header (None: optional and absent).
    positions: Vec<Option<usize>>,
    /// For JSON Lines: the wanted column names, looked up per object.
    names: Vec<String>,
    id_pos: usize,
    id_name: String,
    /// Every column asked for (for messages).
    wanted: Vec<String>,
    inner: Inner,
    bytes: u64,
    /// Added to the CSV reader's line numbers: with CRLF line ends it counts
    /// each record's `\n` only once the next record has begun, one line short.
    line_fix: u64,
    /// An export profile's cell rewriting, one entry per wanted column
    /// (`None` entries: empty markers only).
    norms: Option<(super::profiles::Normaliser, Vec<super::profiles::CellNorm>)>,
    /// Groups an event-shaped export's rows into tickets.
    grouper: Option<Box<super::export::Grouper>>,
}

enum Inner {
    Csv(Box<csv::Reader<Box<dyn Read + Send>>>, csv::StringRecord),
    Json {
        lines: BufReader<File>,
        line: u64,
        buf: String,
        /// The first object, read early to learn the columns.
        first: Option<(u64, serde_json::Map<String, serde_json::Value>)>,
    },
    /// A spreadsheet's rows as text, with their row numbers (a workbook is
    /// read whole: the format is zipped XML, not a stream).
    Sheet(std::vec::IntoIter<(u64, Vec<String>)>),
}

impl LogReader {
    /// Opens `path`, learns its columns and checks that every wanted column is
    /// there; a missing one is an error that lists what is missing and what the log has.
    pub fn open(path: &Path, id: &str, wanted: &[WantedColumn]) -> Result<LogReader, EvalError> {
        let mut reader = LogReader::open_unresolved(path)?;
        reader.resolve(id, wanted)?;
        Ok(reader)
    }

    /// Opens `path` and reads its header, without choosing columns yet
    /// ([`LogReader::resolve`] does).
    pub fn open_unresolved(path: &Path) -> Result<LogReader, EvalError> {
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
        let json = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("jsonl" | "ndjson" | "json")
        );
        if json {
            open_json(path, file)
        } else {
            open_csv(path, file)
        }
    }

    /// Rewrites each wanted column's cells by an export profile.
    pub fn set_normaliser(
        &mut self,
        normaliser: super::profiles::Normaliser,
        norms: Vec<super::profiles::CellNorm>,
    ) {
        self.norms = Some((normaliser, norms));
    }

    /// Groups rows into tickets (an event-shaped export).
    pub fn set_grouper(&mut self, grouper: super::export::Grouper) {
        self.grouper = Some(Box::new(grouper));
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn format(&self) -> LogFormat {
        self.format
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Bytes of the file consumed so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Chooses the id and wanted columns; a missing one is an error that
    /// lists what is missing and what the log has.
    pub fn resolve(&mut self, id: &str, wanted: &[WantedColumn]) -> Result<(), EvalError> {
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
        self.id_pos = id_pos.unwrap_or(0);
        self.id_name = id.to_string();
        self.positions = positions;
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
    pub fn next_row(&mut self) -> Option<Result<RawRow, EvalError>> {
        match self.grouper.take() {
            None => self.next_normalised(),
            Some(mut g) => {
                let next = g.next(self);
                self.grouper = Some(g);
                next
            }
        }
    }

    /// The next row as read, its cells rewritten by the profile (if any).
    pub(crate) fn next_normalised(&mut self) -> Option<Result<RawRow, EvalError>> {
        let mut next = self.next_plain();
        if let (Some((n, norms)), Some(Ok(row))) = (&self.norms, &mut next) {
            for (cell, norm) in row.cells.iter_mut().zip(norms) {
                n.apply(norm, cell);
            }
            if row.error.is_none() {
                n.apply(&super::profiles::CellNorm::Plain, &mut row.id);
            }
        }
        next
    }

    fn next_plain(&mut self) -> Option<Result<RawRow, EvalError>> {
        match &mut self.inner {
            Inner::Csv(reader, record) => {
                let result = reader.read_record(record);
                self.bytes = reader.position().byte();
                match result {
                    Ok(false) => None,
                    Ok(true) => {
                        let mut row =
                            csv_row(record, &self.positions, self.id_pos, self.header.len());
                        row.line += self.line_fix;
                        Some(Ok(row))
                    }
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(0) + self.line_fix;
                        match e.kind() {
                            csv::ErrorKind::Io(io) => {
                                Some(Err(EvalError::io(&self.path, "read it", io)))
                            }
                            _ => Some(Ok(RawRow {
                                line,
                                id: String::new(),
                                cells: vec![String::new(); self.positions.len()],
                                error: Some(csv_error_text(&e)),
                                extra: None,
                            })),
                        }
                    }
                }
            }
            Inner::Json { .. } => self.next_json(),
            Inner::Sheet(rows) => {
                let (line, cells) = rows.next()?;
                self.bytes = line;
                let record = csv::StringRecord::from(cells);
                let mut row = csv_row(&record, &self.positions, self.id_pos, self.header.len());
                row.line = line;
                // A sheet's rows are as wide as its widest; short rows are not an error.
                row.error = None;
                Some(Ok(row))
            }
        }
    }

    fn next_json(&mut self) -> Option<Result<RawRow, EvalError>> {
        let Inner::Json {
            lines,
            line,
            buf,
            first,
        } = &mut self.inner
        else {
            return None;
        };
        if let Some((at, obj)) = first.take() {
            return Some(Ok(json_row(at, &obj, &self.id_name, &self.names)));
        }
        loop {
            buf.clear();
            match lines.read_line(buf) {
                Ok(0) => return None,
                Ok(n) => {
                    self.bytes += n as u64;
                    *line += 1;
                    let text = buf.trim();
                    if text.is_empty() {
                        continue;
                    }
                    return Some(Ok(
                        match serde_json::from_str::<serde_json::Value>(text) {
                            Ok(serde_json::Value::Object(obj)) => {
                                json_row(*line, &obj, &self.id_name, &self.names)
                            }
                            Ok(_) => bad_json_row(
                                *line,
                                self.names.len(),
                                "the line is not a JSON object; each line must be one object such as {\"id\": \"T-1\", ...}".into(),
                            ),
                            Err(e) => bad_json_row(
                                *line,
                                self.names.len(),
                                format!("the line is not valid JSON ({e})"),
                            ),
                        },
                    ));
                }
                Err(e) => return Some(Err(EvalError::io(&self.path, "read it", &e))),
            }
        }
    }
}

fn csv_row(
    record: &csv::StringRecord,
    positions: &[Option<usize>],
    id_pos: usize,
    header_len: usize,
) -> RawRow {
    let line = record.position().map(|p| p.line()).unwrap_or(0);
    let cell = |p: Option<usize>| {
        p.and_then(|i| record.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let error = (record.len() != header_len).then(|| {
        format!(
            "the row has {} cells but the header has {header_len} columns; check for a stray or missing delimiter or an unclosed quote",
            record.len()
        )
    });
    RawRow {
        line,
        id: cell(Some(id_pos)),
        cells: positions.iter().map(|p| cell(*p)).collect(),
        error,
        extra: None,
    }
}

fn csv_error_text(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "cell {} is not valid UTF-8; save the export as UTF-8",
            err.field() + 1
        ),
        _ => format!("the row cannot be read as CSV ({e})"),
    }
}

fn bad_json_row(line: u64, n: usize, error: String) -> RawRow {
    RawRow {
        line,
        id: String::new(),
        cells: vec![String::new(); n],
        error: Some(error),
        extra: None,
    }
}

fn json_row(
    line: u64,
    obj: &serde_json::Map<String, serde_json::Value>,
    id: &str,
    names: &[String],
) -> RawRow {
    let mut error = None;
    let mut cell = |name: &str| match obj.get(name) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        Some(_) => {
            error = Some(format!(
                "`{name}` holds a list or an object; a cell must be a string, a number or null"
            ));
            String::new()
        }
    };
    let id = cell(id);
    let cells = names.iter().map(|n| cell(n)).collect();
    RawRow {
        line,
        id,
        cells,
        error,
        extra: None,
    }
}

fn open_json(path: &Path, file: File) -> Result<LogReader, EvalError> {
    let mut lines = BufReader::new(file);
    let mut buf = String::new();
    let mut line = 0u64;
    let mut bytes = 0u64;
    // The columns of a JSON Lines log are the keys of its first object; later
    // objects may leave a key out (read as an empty cell).
    let first = loop {
        buf.clear();
        let n = lines
            .read_line(&mut buf)
            .map_err(|e| EvalError::io(path, "read it", &e))?;
        bytes += n as u64;
        if n == 0 {
            break None;
        }
        line += 1;
        let text = buf.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(obj)) => break Some((line, obj)),
            _ => {
                return Err(EvalError::new(format!(
                    "{}:{line}: the first line is not a JSON object; a JSON Lines log has one object per line, such as {{\"id\": \"T-1\", \"opened_at\": \"2025-03-03T09:15:00+01:00\"}}",
                    path.display()
                )))
            }
        }
    };
    let header = first
        .as_ref()
        .map(|(_, o)| o.keys().cloned().collect())
        .unwrap_or_default();
    Ok(LogReader {
        path: path.to_path_buf(),
        format: LogFormat::JsonLines,
        header,
        positions: Vec::new(),
        names: Vec::new(),
        id_pos: 0,
        id_name: String::new(),
        wanted: Vec::new(),
        inner: Inner::Json {
            lines,
            line,
            buf: String::new(),
            first,
        },
        bytes,
        line_fix: 0,
        norms: None,
        grouper: None,
    })
}

fn open_csv(path: &Path, file: File) -> Result<LogReader, EvalError> {
    let mut lines = BufReader::new(file);
    let mut head = Vec::new();
    lines
        .read_until(b'\n', &mut head)
        .map_err(|e| EvalError::io(path, "read it", &e))?;
    if head.starts_with(b"{") {
        // A JSON Lines log without the usual extension.
        let file = File::open(path).map_err(|e| EvalError::io(path, "open it", &e))?;
        return open_json(path, file);
    }
    let mut skip = 0;
    if head.starts_with(b"\xef\xbb\xbf") {
        skip = 3; // a byte-order mark, as spreadsheet exports write
    }
    let delimiter = sniff_delimiter(&head[skip..]);
    let body: Box<dyn Read + Send> = Box::new(Cursor::new(head[skip..].to_vec()).chain(lines));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(body);
    let header = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            return Err(EvalError::new(format!(
                "{}:1: the header row cannot be read ({e}); the first line must name the columns, e.g. id,opened_at,priority",
                path.display()
            )))
        }
    };
    Ok(LogReader {
        path: path.to_path_buf(),
        format: LogFormat::Csv { delimiter },
        header,
        positions: Vec::new(),
        names: Vec::new(),
        id_pos: 0,
        id_name: String::new(),
        wanted: Vec::new(),
        inner: Inner::Csv(Box::new(reader), csv::StringRecord::new()),
        bytes: 0,
        line_fix: u64::from(head.ends_with(b"\r\n")),
        norms: None,
        grouper: None,
    })
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
    Ok(LogReader {
        path: path.to_path_buf(),
        format: LogFormat::Sheet,
        header,
        positions: Vec::new(),
        names: Vec::new(),
        id_pos: 0,
        id_name: String::new(),
        wanted: Vec::new(),
        inner: Inner::Sheet(body.into_iter()),
        bytes: 0,
        line_fix: 0,
        norms: None,
        grouper: None,
    })
}

/// `;` when the header has more unquoted semicolons than commas (as European
/// spreadsheet exports write), else `,`.
pub fn sniff_delimiter(header: &[u8]) -> u8 {
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
