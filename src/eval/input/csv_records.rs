//! CSV records, read in blocks. The reader thread only cuts the file into
//! blocks that end on a record boundary; the workers parse the blocks, so
//! the parsing runs on every core. The same code reads one record at a time
//! for the sequential readers (`--explain`, side logs, exports whose rows are
//! grouped), so a file reads the same whichever way it is read.
//!
//! Where a record ends is decided here ([`extent`]), and the cells of a
//! record are `csv_core`'s (the engine of the `csv` crate): `"` quotes, `""`
//! inside quotes is a quote, any of `\r`, `\n`, `\r\n` ends a line, blank
//! lines are skipped, a byte-order mark at the start is dropped. In a block
//! without a single `"` a record is a line and its cells lie between
//! delimiters, and such a block is split so, without copying (the tests hold
//! the two to the same results).
//!
//! A quoted cell may run over line ends, but a quote that does not close by
//! the end of its line is not allowed to swallow the rest of the log (as a
//! plain CSV parser lets it): when a later line of the record reads as a row
//! of the header's width on its own, or the record runs past [`MAX_SPAN`]
//! bytes or to the end of the file, the record is [`Damage`]d: its first
//! line is its row (invalid, with the quote's line and column), and reading
//! resumes at the first following line that reads as a row, as spreadsheet
//! importers do. Memory stays bounded by [`MAX_SPAN`] whatever the damage.

use std::io::Read;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// About the size of a block handed to a worker: big enough that handing
/// it over costs nothing next to parsing it, small enough that the blocks
/// in flight stay a few megabytes.
pub(crate) const BLOCK: usize = 128 * 1024;

/// How far a quoted cell may run over line ends before its record is taken
/// as damaged: a ticket's description of a few thousand lines is fine; an
/// unclosed quote is found within this much, so it costs no more memory.
pub(crate) const MAX_SPAN: usize = 1 << 20;

/// Why a record was cut back to its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DamageKind {
    /// A later line of the record reads as a row of its own.
    RowFollows,
    /// The quote does not close within [`MAX_SPAN`] bytes.
    TooLong,
    /// The quote does not close by the end of the file.
    EndOfFile,
}

/// A record whose quote does not close by the end of its first line, and
/// which was cut back to that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damage {
    /// Byte offset, in the record's first line, of the quote that does not close.
    pub(crate) quote: usize,
    /// The cell (0-based) that quote opens.
    pub(crate) cell: usize,
    pub(crate) kind: DamageKind,
    /// The line at which reading resumes.
    pub(crate) resume_line: u64,
}

/// One CSV record, borrowed from the reader that read it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    /// 1-based line of the file where the record begins.
    pub(crate) line: u64,
    /// The cells' bytes, cut into cells at `cuts`.
    bytes: &'a [u8],
    cuts: Cuts<'a>,
    /// `bytes` as text, when it is known to be UTF-8 already.
    known: Option<&'a str>,
    /// The record as it stands in the file (for positions in messages).
    raw: &'a [u8],
    delimiter: u8,
    /// Set when the record was cut back to its first line.
    pub(crate) damage: Option<Damage>,
}

impl<'a> Record<'a> {
    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.cuts.ends.len()
    }

    fn bounds(&self, i: usize) -> Option<(usize, usize)> {
        self.cuts.bounds(i)
    }

    /// Cell `i` as bytes.
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        self.cells().get(i)
    }

    /// The cells as bytes, without the rest of the record (a smaller
    /// thing to hand on than the record).
    pub(crate) fn cells(&self) -> CellBytes<'a> {
        CellBytes {
            bytes: self.bytes,
            cuts: self.cuts,
        }
    }

    /// The record as text, checked once, or `Err(i)` when cell `i` is the
    /// first that is not UTF-8.
    pub(crate) fn text(&self) -> Result<Text<'a>, usize> {
        if let Some(whole) = self.known {
            // Cut from UTF-8 at delimiters and line ends, which are ASCII.
            return Ok(Text {
                whole,
                cuts: self.cuts,
            });
        }
        let all = self.cuts.ends.last().copied().unwrap_or(0);
        let whole = std::str::from_utf8(&self.bytes[..all]).ok();
        // Valid as a whole and cut at character boundaries: every cell is valid.
        if let Some(whole) = whole {
            let cut_well = whole.is_ascii()
                || (0..self.len()).all(|i| {
                    self.bounds(i).is_some_and(|(a, b)| {
                        whole.is_char_boundary(a) && whole.is_char_boundary(b)
                    })
                });
            if cut_well {
                return Ok(Text {
                    whole,
                    cuts: self.cuts,
                });
            }
        }
        let bad =
            (0..self.len()).find(|&i| std::str::from_utf8(self.get(i).unwrap_or(b"")).is_err());
        Err(bad.unwrap_or(0))
    }

    /// Where cell `i` begins in the file: lines below the record's first
    /// line, and the 1-based column (in characters) on that line.
    pub(crate) fn position_of_cell(&self, i: usize) -> (u64, usize) {
        let start = cell_start(self.raw, i, self.delimiter).unwrap_or(0);
        position_in(self.raw, start)
    }

    /// The 1-based column (in characters) of byte `at` of the record's first line.
    pub(crate) fn column_of(&self, at: usize) -> usize {
        position_in(self.raw, at).1
    }

    /// A few characters of the record's first line from byte `at`, for a
    /// message (never the whole of a long cell).
    pub(crate) fn excerpt(&self, at: usize) -> String {
        let line_end = memchr::memchr2(b'\n', b'\r', self.raw).unwrap_or(self.raw.len());
        let rest = self.raw.get(at..line_end).unwrap_or(b"");
        let text = String::from_utf8_lossy(&rest[..rest.len().min(64)]);
        let mut out: String = text.chars().take(24).collect();
        if text.chars().count() > 24 || rest.len() > 64 {
            out.push('…');
        }
        out
    }
}

/// Lines below the start of `raw` and the 1-based column of byte `at`.
fn position_in(raw: &[u8], at: usize) -> (u64, usize) {
    let at = at.min(raw.len());
    let before = &raw[..at];
    let line_start = memchr::memrchr2(b'\n', b'\r', before).map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line_ends(before), column)
}

/// The byte offset in `raw` where cell `i` begins (csv_core's rules).
fn cell_start(raw: &[u8], i: usize, delimiter: u8) -> Option<usize> {
    if i == 0 {
        return Some(0);
    }
    let mut scan = Scan::new();
    let mut at = 0;
    while at < raw.len() {
        let before = scan.cells;
        scan.run(raw, at, at + 1, delimiter);
        at += 1;
        if scan.cells != before && scan.cells == i {
            return Some(at);
        }
    }
    None
}

/// Where a record's cells lie in its bytes: cell `i` ends at `ends[i]`
/// and the next begins `gap` bytes later (0: the parser's unquoted output;
/// 1: a line as it is, with its delimiters).
#[derive(Debug, Clone, Copy)]
struct Cuts<'a> {
    ends: &'a [usize],
    gap: usize,
}

impl Cuts<'_> {
    #[inline]
    fn bounds(&self, i: usize) -> Option<(usize, usize)> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            None => 0,
            Some(before) => self.ends.get(before)? + self.gap,
        };
        Some((start, end))
    }
}

/// A record's cells as bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellBytes<'a> {
    bytes: &'a [u8],
    cuts: Cuts<'a>,
}

impl<'a> CellBytes<'a> {
    /// Cell `i`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        let (start, end) = self.cuts.bounds(i)?;
        self.bytes.get(start..end)
    }
}

/// A record known to be UTF-8.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text<'a> {
    whole: &'a str,
    cuts: Cuts<'a>,
}

impl<'a> Text<'a> {
    /// Cell `i`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        let (a, b) = self.cuts.bounds(i)?;
        self.whole.get(a..b)
    }
}

/// Lines ended in `bytes`: each `\n`, and each `\r` not followed by `\n`
/// (old Mac exports end lines with `\r` alone; a `\r` at the very end counts,
/// as no block is cut between the two bytes of `\r\n`).
pub(crate) fn line_ends(bytes: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count() as u64;
    if memchr::memchr(b'\r', bytes).is_none() {
        return lf;
    }
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    lf + lone_cr
}

/// The number of line-end bytes at the start of `input` (blank lines).
fn blank_len(input: &[u8]) -> usize {
    input
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(input.len())
}

/// Skips blank lines, counting them; returns the bytes skipped.
fn skip_blank(input: &[u8], line: &mut u64) -> usize {
    // Mostly a single line end, before every record (the general count
    // below gives the same, as a test holds it to).
    match input {
        [b'\n', b, ..] | [b'\r', b'\n', b, ..] if !matches!(b, b'\n' | b'\r') => {
            *line += 1;
            return 1 + usize::from(input[0] == b'\r');
        }
        _ => {}
    }
    skip_blank_lines(input, line)
}

/// [`skip_blank`], however many line ends there are.
fn skip_blank_lines(input: &[u8], line: &mut u64) -> usize {
    let n = blank_len(input);
    // Counted byte by byte as [`line_ends`] counts, without starting a
    // search for them.
    let blank = &input[..n];
    let ends = blank
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || blank.get(i + 1) != Some(&b'\n'))
        .count();
    *line += ends as u64;
    n
}

/// Where a line that ends at the line-end byte `e` is followed by the next.
fn next_line_start(bytes: &[u8], e: usize) -> usize {
    match (bytes.get(e), bytes.get(e + 1)) {
        (Some(b'\r'), Some(b'\n')) => e + 2,
        _ => e + 1,
    }
}

/// The states of a CSV record, as csv_core knows them (for finding where a
/// record ends without parsing its cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Q {
    /// At the start of a cell.
    Start,
    /// In an unquoted cell (a `"` there is a character).
    Field,
    /// In a quoted cell.
    Quoted,
    /// Just after a `"` in a quoted cell: `""` or the end of the quotes.
    AfterQuote,
}

#[derive(Debug, Clone, Copy)]
struct Scan {
    state: Q,
    /// Delimiters outside quotes so far.
    cells: usize,
    /// Where the last quoted cell opened, and which cell it is.
    quote: usize,
    quote_cell: usize,
}

impl Scan {
    fn new() -> Scan {
        Scan {
            state: Q::Start,
            cells: 0,
            quote: 0,
            quote_cell: 0,
        }
    }

    /// Runs over `bytes[from..to]`; `Some(i)`: the line end at `i`, outside
    /// quotes, ends the record.
    fn run(&mut self, bytes: &[u8], from: usize, to: usize, delimiter: u8) -> Option<usize> {
        let mut i = from;
        while i < to {
            let b = bytes[i];
            match (self.state, b) {
                (Q::Quoted, _) => match memchr::memchr(b'"', &bytes[i..to]) {
                    Some(k) => {
                        i += k;
                        self.state = Q::AfterQuote;
                    }
                    None => return None,
                },
                (Q::Start, b'"') => {
                    self.state = Q::Quoted;
                    self.quote = i;
                    self.quote_cell = self.cells;
                }
                (Q::AfterQuote, b'"') => self.state = Q::Quoted,
                (_, b) if b == delimiter => {
                    self.cells += 1;
                    self.state = Q::Start;
                }
                (_, b'\n' | b'\r') => return Some(i),
                _ => self.state = Q::Field,
            }
            i += 1;
        }
        None
    }
}

/// Whether `line` (without its line end) reads on its own as a record of
/// `width` cells.
fn row_like(line: &[u8], width: usize, delimiter: u8) -> bool {
    let mut scan = Scan::new();
    scan.run(line, 0, line.len(), delimiter);
    scan.state != Q::Quoted && scan.cells + 1 == width
}

/// Where the record that begins at `bytes[0]` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extent {
    /// The record is the first `n` bytes (a line end or the end of input follows).
    Whole(usize),
    /// The record is cut back to its first line, the first `line` bytes;
    /// reading resumes at `resume`.
    Damaged {
        line: usize,
        resume: usize,
        quote: usize,
        cell: usize,
        kind: DamageKind,
    },
    /// More input is needed to tell.
    NeedMore,
}

/// Where the record that begins at `bytes[0]` ends (`eof`: nothing follows
/// `bytes`; `width`: the header's, once known). The answer depends only on
/// the first [`MAX_SPAN`] bytes, so the block cutter and the readers agree
/// however much input each has at hand.
pub(crate) fn extent(bytes: &[u8], eof: bool, width: Option<usize>, delimiter: u8) -> Extent {
    let first_end = memchr::memchr2(b'\n', b'\r', bytes);
    let e1 = first_end.unwrap_or(bytes.len());
    let whole_line = || match first_end {
        Some(_) => Extent::Whole(e1),
        None if eof => Extent::Whole(e1),
        None => Extent::NeedMore,
    };
    if memchr::memchr(b'"', &bytes[..e1]).is_none() {
        return whole_line();
    }
    let mut scan = Scan::new();
    scan.run(bytes, 0, e1, delimiter);
    if scan.state != Q::Quoted {
        return whole_line();
    }
    let (quote, cell) = (scan.quote, scan.quote_cell);
    let damaged = |line: usize, resume: usize, kind| Extent::Damaged {
        line,
        resume,
        quote,
        cell,
        kind,
    };
    if first_end.is_none() {
        // A quote open at the end of all there is.
        return match (eof, bytes.len() >= MAX_SPAN) {
            (_, true) => damaged(MAX_SPAN, MAX_SPAN, DamageKind::TooLong),
            (true, false) => damaged(e1, e1, DamageKind::EndOfFile),
            (false, false) => Extent::NeedMore,
        };
    }
    // The quote runs over the line end: follow it line by line, at most
    // MAX_SPAN bytes. A following line that reads as a row of its own
    // decides at once (whether or not the quote closes later, the record is
    // damaged), so a quote that never closes costs one line of look-ahead,
    // not MAX_SPAN.
    let limit = bytes.len().min(MAX_SPAN);
    let mut e = e1;
    loop {
        let s = next_line_start(bytes, e);
        let end = memchr::memchr2(b'\n', b'\r', &bytes[s.min(limit)..limit]).map(|k| s + k);
        let complete = end.is_some() || (eof && limit == bytes.len());
        let line_end = end.unwrap_or(limit);
        if complete
            && line_end > s
            && width.is_some_and(|w| row_like(&bytes[s..line_end], w, delimiter))
        {
            return damaged(e1, s, DamageKind::RowFollows);
        }
        // The line is part of the record: does the quote close on it?
        let to = end.map_or(limit, |j| j + 1);
        if let Some(j) = scan.run(bytes, e, to, delimiter) {
            return Extent::Whole(j);
        }
        match end {
            Some(j) => e = j,
            // Closed, and the input ends the record.
            None if complete && scan.state != Q::Quoted => return Extent::Whole(limit),
            None if limit == MAX_SPAN => {
                break damaged(e1, next_line_start(bytes, e1), DamageKind::TooLong)
            }
            None if eof => {
                break damaged(
                    e1,
                    next_line_start(bytes, e1).min(bytes.len()),
                    DamageKind::EndOfFile,
                )
            }
            None => break Extent::NeedMore,
        }
    }
}

/// A damaged record's open quote (offset in its first line), the cell it
/// opens, and why the record was cut back.
type OpenQuote = (usize, usize, DamageKind);

impl Extent {
    /// The record's end, where reading resumes, and its damage (the quote's
    /// offset, its cell and why); `None` when more input is needed.
    fn bounds(self) -> Option<(usize, usize, Option<OpenQuote>)> {
        match self {
            Extent::Whole(n) => Some((n, n, None)),
            Extent::Damaged {
                line,
                resume,
                quote,
                cell,
                kind,
            } => Some((line, resume, Some((quote, cell, kind)))),
            Extent::NeedMore => None,
        }
    }
}

/// A record's damage found while cutting a block (offsets in the block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlockDamage {
    at: usize,
    line_end: usize,
    resume: usize,
    quote: usize,
    cell: usize,
    kind: DamageKind,
}

/// Where the last whole record of `bytes` ends (a block is cut there, before
/// its line end), and the damaged records on the way; `bytes` begins a
/// record and `eof` says nothing follows it.
pub(crate) fn cut(
    bytes: &[u8],
    eof: bool,
    width: Option<usize>,
    delimiter: u8,
) -> Option<(usize, Vec<BlockDamage>)> {
    let mut damage = Vec::new();
    if eof {
        if !bytes.is_empty() && memchr::memchr(b'"', bytes).is_none() {
            return Some((bytes.len(), damage));
        }
    } else if memchr::memchr(b'"', bytes).is_none() {
        // No quotes: every line end ends a record. The cut goes before the
        // line ends (all of them: `\r\n` stays in one piece).
        let last = memchr::memrchr2(b'\n', b'\r', bytes)?;
        let cut = bytes[..last]
            .iter()
            .rposition(|&b| b != b'\n' && b != b'\r')
            .map_or(0, |i| i + 1);
        return (cut > 0).then_some((cut, damage));
    }
    let (mut at, mut cut) = (0, None);
    loop {
        let s = at + blank_len(&bytes[at..]);
        if s == bytes.len() {
            if eof && s > 0 {
                cut = Some(s);
            }
            break;
        }
        let Some((end, resume, hurt)) = extent(&bytes[s..], eof, width, delimiter).bounds() else {
            break;
        };
        if let Some((quote, cell, kind)) = hurt {
            damage.push(BlockDamage {
                at: s,
                line_end: s + end,
                resume: s + resume,
                quote,
                cell,
                kind,
            });
        }
        at = s + resume;
        cut = Some(at);
        if at == bytes.len() {
            break;
        }
    }
    cut.filter(|&c| c > 0).map(|c| (c, damage))
}

/// Where a record's cells are written.
#[derive(Debug, Clone)]
struct Buffers {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    len: usize,
}

impl Buffers {
    fn new() -> Buffers {
        Buffers {
            bytes: vec![0; 1024],
            ends: vec![0; 64],
            len: 0,
        }
    }

    /// Parses `raw`, one whole record, with `core`.
    fn parse(&mut self, core: &mut Reader, raw: &[u8]) {
        core.reset();
        let (mut nin, mut nout, mut nend) = (0, 0, 0);
        loop {
            // An empty input tells csv_core that the record is complete.
            let (res, i, o, e) =
                core.read_record(&raw[nin..], &mut self.bytes[nout..], &mut self.ends[nend..]);
            nin += i;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let n = self.bytes.len().max(64) * 2;
                    self.bytes.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len().max(8) * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        self.len = nend;
    }

    fn record<'a>(&'a self, line: u64, raw: &'a [u8], delimiter: u8) -> Record<'a> {
        Record {
            line,
            bytes: &self.bytes,
            cuts: Cuts {
                ends: &self.ends[..self.len],
                gap: 0,
            },
            known: None,
            raw,
            delimiter,
            damage: None,
        }
    }
}

fn core(delimiter: u8) -> Reader {
    ReaderBuilder::new().delimiter(delimiter).build()
}

/// A run of whole records cut from a CSV file, for a worker to parse.
#[derive(Debug)]
pub(crate) struct Block {
    pub(crate) bytes: Vec<u8>,
    /// Line of the block's first byte.
    pub(crate) line: u64,
    pub(crate) delimiter: u8,
    /// Whether the block has a `"` anywhere (else it is split line by line).
    pub(crate) quoted: bool,
    /// The header's number of columns.
    pub(crate) width: Option<usize>,
    /// The damaged records the cutter found, in order.
    damage: Vec<BlockDamage>,
}

impl Block {
    /// The block's records, one after the other.
    pub(crate) fn records(&self) -> Records<'_> {
        // Split line by line, one check of the whole block is one per record
        // fewer; records parsed by csv_core are checked one by one.
        let by_line = !self.quoted;
        Records {
            block: self,
            input: &self.bytes,
            text: by_line
                .then(|| std::str::from_utf8(&self.bytes).ok())
                .flatten(),
            at: 0,
            line: self.line,
            delimiter: self.delimiter,
            core: self.quoted.then(|| core(self.delimiter)),
            damage: 0,
            out: Buffers::new(),
        }
    }
}

/// The records of a [`Block`].
pub(crate) struct Records<'a> {
    block: &'a Block,
    input: &'a [u8],
    /// `input` as text, if it is UTF-8.
    text: Option<&'a str>,
    at: usize,
    /// Line of `input[at]`.
    line: u64,
    delimiter: u8,
    /// `csv_core`, for a block with quotes.
    core: Option<Reader>,
    /// The next of the block's damaged records.
    damage: usize,
    out: Buffers,
}

impl Records<'_> {
    /// The next record; `None` at the end of the block.
    #[allow(clippy::should_implement_trait)] // lends out its own buffer
    pub(crate) fn next(&mut self) -> Option<Record<'_>> {
        if self.core.is_none() {
            return self.next_line();
        }
        let s = self.at + skip_blank(&self.input[self.at..], &mut self.line);
        if s == self.input.len() {
            self.at = s;
            return None;
        }
        let line = self.line;
        let found = self.block.damage.get(self.damage).filter(|d| d.at == s);
        let (end, next, damage) = match found {
            Some(d) => {
                self.damage += 1;
                (d.line_end, d.resume, Some((d.quote, d.cell, d.kind)))
            }
            // The cutter has read every record of the block whole.
            None => {
                let (end, resume, hurt) =
                    extent(&self.input[s..], true, self.block.width, self.delimiter).bounds()?;
                (s + end, s + resume, hurt)
            }
        };
        self.line += line_ends(&self.input[s..next]);
        self.at = next;
        let raw = &self.input[s..end];
        let core = self.core.as_mut()?;
        self.out.parse(core, raw);
        let mut rec = self.out.record(line, raw, self.delimiter);
        rec.damage = damage.map(|(quote, cell, kind)| Damage {
            quote,
            cell,
            kind,
            resume_line: self.line,
        });
        Some(rec)
    }

    /// The next line as a record, its cells between delimiters.
    fn next_line(&mut self) -> Option<Record<'_>> {
        let at = self.at + skip_blank(&self.input[self.at..], &mut self.line);
        let rest = &self.input[at..];
        if rest.is_empty() {
            return None;
        }
        let len = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        let ends = &mut self.out.ends;
        ends.clear();
        push_delimiters(&rest[..len], self.delimiter, ends);
        ends.push(len);
        self.at = at + len;
        Some(Record {
            line: self.line,
            bytes: &rest[..len],
            cuts: Cuts { ends, gap: 1 },
            known: self.text.and_then(|t| t.get(at..at + len)),
            raw: &rest[..len],
            delimiter: self.delimiter,
            damage: None,
        })
    }
}

/// Pushes the offset of each `delimiter` in `line` onto `out`, in order.
/// A line's cells are short, so a search that starts over at each cell (as
/// `memchr` does) costs more in starting than in searching: the line is
/// read eight bytes at a time instead, each word tested for the delimiter
/// at once (the classic "has a zero byte" test, exact per byte).
fn push_delimiters(line: &[u8], delimiter: u8, out: &mut Vec<usize>) {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
    let pattern = ONES * u64::from(delimiter);
    let (words, tail) = line.as_chunks::<8>();
    for (w, word) in words.iter().enumerate() {
        // Bytes equal to the delimiter are 0 in `x`; `zero` has the top bit
        // of exactly those bytes set (no carry crosses a byte).
        let x = u64::from_le_bytes(*word) ^ pattern;
        let mut zero = !(((x & LOW7) + LOW7) | x | LOW7);
        while zero != 0 {
            out.push(w * 8 + zero.trailing_zeros() as usize / 8);
            zero &= zero - 1;
        }
    }
    let base = words.len() * 8;
    for (i, &b) in tail.iter().enumerate() {
        if b == delimiter {
            out.push(base + i);
        }
    }
}

/// A CSV file being read: in blocks for the workers, or one record at a time.
pub(crate) struct CsvFile {
    source: Box<dyn Read + Send>,
    /// Bytes read from the source; `buf[pos..]` are not handed out yet.
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Bytes of the file before `buf[pos]`.
    consumed: u64,
    /// Line of `buf[pos]`.
    line: u64,
    delimiter: u8,
    /// The header's number of columns, once read.
    width: Option<usize>,
    /// Record-at-a-time reading.
    core: Reader,
    out: Buffers,
    /// Buffers of blocks already parsed, to cut the next blocks into
    /// (fresh big buffers cost page faults).
    spare: Vec<Vec<u8>>,
}

impl CsvFile {
    /// Reads from `source`, cells separated by `delimiter`.
    pub(crate) fn new(source: Box<dyn Read + Send>, delimiter: u8) -> CsvFile {
        CsvFile {
            source,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            consumed: 0,
            line: 1,
            delimiter,
            width: None,
            core: core(delimiter),
            out: Buffers::new(),
            spare: Vec::new(),
        }
    }

    /// Takes back the bytes of a block that has been parsed, for reuse.
    pub(crate) fn recycle(&mut self, mut bytes: Vec<u8>) {
        if self.spare.len() < 4 {
            bytes.clear();
            self.spare.push(bytes);
        }
    }

    /// Bytes of the file consumed so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.consumed
    }

    /// The bytes up to the end of the first line (or of the file), without
    /// consuming them: enough to tell the format and the delimiter.
    pub(crate) fn first_line(&mut self) -> std::io::Result<&[u8]> {
        loop {
            let pending = &self.buf[self.pos..];
            if let Some(i) = memchr::memchr2(b'\n', b'\r', pending) {
                return Ok(&self.buf[self.pos..self.pos + i + 1]);
            }
            if self.eof || pending.len() >= MAX_SPAN {
                return Ok(&self.buf[self.pos..]);
            }
            self.fill(self.buf.len() + BLOCK)?;
        }
    }

    /// The bytes not handed out yet, then the rest of the source: for a
    /// reader of another format, once [`CsvFile::first_line`] has told it
    /// (a pipe cannot be opened again to start over).
    pub(crate) fn into_source(mut self) -> Box<dyn Read + Send> {
        let pending = self.buf.split_off(self.pos);
        Box::new(std::io::Cursor::new(pending).chain(self.source))
    }

    pub(crate) fn set_delimiter(&mut self, delimiter: u8) {
        self.delimiter = delimiter;
        self.core = core(delimiter);
    }

    /// The header's number of columns: a quoted cell that runs over a line
    /// end is kept only when its record has as many.
    pub(crate) fn set_width(&mut self, width: usize) {
        self.width = Some(width);
    }

    /// Reads until `want` bytes are pending or the file ends.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        while !self.eof && self.buf.len() < want {
            let need = (want - self.buf.len()) as u64;
            let got = (&mut self.source).take(need).read_to_end(&mut self.buf)?;
            if got == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// Hands out the next `n` pending bytes, counting their lines.
    fn advance(&mut self, n: usize) {
        self.line += line_ends(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        self.consumed += n as u64;
    }

    /// The next record, or `None` at the end of the file.
    pub(crate) fn next_record(&mut self) -> std::io::Result<Option<Record<'_>>> {
        loop {
            let input = &self.buf[self.pos..];
            let blank = blank_len(input);
            if blank == input.len() {
                if self.eof {
                    self.advance(blank);
                    return Ok(None);
                }
                self.fill(input.len() + BLOCK)?;
                continue;
            }
            let found = extent(&input[blank..], self.eof, self.width, self.delimiter);
            let Some((end, next, damage)) = found.bounds() else {
                self.fill(input.len() + BLOCK)?;
                continue;
            };
            self.advance(blank);
            let (start, line) = (self.pos, self.line);
            self.advance(next);
            let raw = &self.buf[start..start + end];
            self.out.parse(&mut self.core, raw);
            let mut rec = self.out.record(line, raw, self.delimiter);
            rec.damage = damage.map(|(quote, cell, kind)| Damage {
                quote,
                cell,
                kind,
                resume_line: self.line,
            });
            return Ok(Some(rec));
        }
    }

    /// The next block of whole records, or `None` at the end of the file.
    /// A record longer than a block makes the block as long as it.
    pub(crate) fn next_block(&mut self) -> std::io::Result<Option<Block>> {
        let mut want = BLOCK;
        loop {
            // After `fill`, everything in `buf` is pending (`pos` is 0).
            self.fill(want)?;
            if self.buf.is_empty() {
                return Ok(None);
            }
            if let Some((n, damage)) = cut(&self.buf, self.eof, self.width, self.delimiter) {
                let quoted = memchr::memchr(b'"', &self.buf[..n]).is_some();
                let mut next = self.spare.pop().unwrap_or_default();
                next.reserve(BLOCK + BLOCK / 4);
                next.extend_from_slice(&self.buf[n..]);
                let mut bytes = std::mem::replace(&mut self.buf, next);
                bytes.truncate(n);
                let line = self.line;
                self.line += line_ends(&bytes);
                self.consumed += n as u64;
                return Ok(Some(Block {
                    bytes,
                    line,
                    delimiter: self.delimiter,
                    quoted,
                    width: self.width,
                    damage,
                }));
            }
            if self.eof {
                // Nothing but blank lines is left.
                let n = self.buf.len();
                self.advance(n);
                return Ok(None);
            }
            want = self.buf.len().max(BLOCK) * 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(r: Record) -> Vec<String> {
        (0..r.len())
            .map(|i| String::from_utf8_lossy(r.get(i).unwrap_or(b"")).into_owned())
            .collect()
    }

    fn file(text: &[u8]) -> CsvFile {
        CsvFile::new(Box::new(std::io::Cursor::new(text.to_vec())), b',')
    }

    /// Every record of `text`, read one at a time (by `csv_core`).
    fn one_by_one(text: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut f = file(text);
        let mut out = Vec::new();
        while let Some(r) = f.next_record().expect("read") {
            out.push((r.line, cells(r)));
        }
        out
    }

    /// The records of one block, parsed as a worker parses it.
    fn parse_block(b: &Block, out: &mut Vec<(u64, Vec<String>)>) {
        let mut recs = b.records();
        while let Some(r) = recs.next() {
            out.push((r.line, cells(r)));
        }
    }

    /// Every record of `text`, cut into blocks as `CsvFile::next_block`
    /// cuts them but from windows of `block` bytes.
    fn in_blocks(text: &[u8], block: usize) -> Vec<(u64, Vec<String>)> {
        in_blocks_of(text, block, None)
    }

    fn in_blocks_of(text: &[u8], block: usize, width: Option<usize>) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        let (mut at, mut line) = (0, 1);
        while at < text.len() {
            let mut end = at + block;
            let (n, damage) = loop {
                let eof = end >= text.len();
                let window = &text[at..end.min(text.len())];
                if let Some(c) = cut(window, eof, width, b',') {
                    break c;
                }
                end += block;
            };
            let bytes = text[at..at + n].to_vec();
            let b = Block {
                quoted: memchr::memchr(b'"', &bytes).is_some(),
                line,
                delimiter: b',',
                bytes,
                width,
                damage,
            };
            line += line_ends(&b.bytes);
            parse_block(&b, &mut out);
            at += n;
        }
        out
    }

    const TRICKY: &[u8] = b"id,note,at\n\
        A,plain,1\r\n\
        B,\"a, quoted\ncell over two lines\",2\n\
        \n\
        C,\"say \"\"hi\"\"\",3\r\
        D,5\" screen,4\n\
        E,\"x\"y,5\n\
        F,,\n\
        G,last,7";

    #[test]
    fn records_and_their_lines() {
        let got = one_by_one(TRICKY);
        let ids: Vec<(u64, &str)> = got.iter().map(|(l, c)| (*l, c[0].as_str())).collect();
        assert_eq!(
            ids,
            [
                (1, "id"),
                (2, "A"),
                (3, "B"),
                (6, "C"),
                (7, "D"), // a bare \r ends a line too
                (8, "E"),
                (9, "F"),
                (10, "G"),
            ]
        );
        assert_eq!(got[2].1[1], "a, quoted\ncell over two lines");
        assert_eq!(got[3].1[1], "say \"hi\"");
        assert_eq!(got[4].1[1], "5\" screen");
        assert_eq!(got[5].1[1], "xy");
        assert_eq!(got[6].1, ["F", "", ""]);
    }

    #[test]
    fn blocks_of_any_size_read_as_one_by_one() {
        let whole = one_by_one(TRICKY);
        for block in 1..TRICKY.len() + 2 {
            assert_eq!(in_blocks(TRICKY, block), whole, "blocks of {block} bytes");
        }
    }

    /// Text of `n` bytes drawn from what matters to a CSV parser without
    /// quotes: cells, delimiters, every kind of line end, blank lines,
    /// spaces and a two-byte character.
    fn unquoted(seed: u64, n: usize) -> Vec<u8> {
        const PIECES: [&[u8]; 9] = [
            b"a",
            b"bc",
            b",",
            b",",
            b"\n",
            b"\r",
            b"\r\n",
            b" ",
            "\u{e9}".as_bytes(),
        ];
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut out = Vec::new();
        while out.len() < n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.extend_from_slice(PIECES[(x % PIECES.len() as u64) as usize]);
        }
        out
    }

    #[test]
    fn blank_lines_are_skipped_alike_in_one_step_and_in_general() {
        let inputs: [&[u8]; 12] = [
            b"\nx",
            b"\r\nx",
            b"\rx",
            b"\n\nx",
            b"\r\r\nx",
            b"\n\rx",
            b"\n",
            b"\r\n",
            b"",
            b"x",
            b"\r\n\r\nx",
            b"\n\r\n",
        ];
        for input in inputs {
            let (mut fast, mut general) = (7, 7);
            let skipped = skip_blank(input, &mut fast);
            assert_eq!(skipped, skip_blank_lines(input, &mut general), "{input:?}");
            assert_eq!(fast, general, "{input:?}");
        }
    }

    #[test]
    fn delimiters_are_found_word_by_word_as_byte_by_byte() {
        // Every byte value next to the delimiter and its neighbours (a
        // carry or borrow between bytes must not make or hide a match), at
        // every offset within a word and in the tail.
        for delimiter in [b',', b';', b'\t', b'|', 0x00, 0x80, 0xFF] {
            for seed in 0..200u64 {
                let line: Vec<u8> = (0..seed as usize % 40)
                    .map(|i| {
                        let x = (seed * 31 + i as u64 * 17) % 7;
                        match x {
                            0 | 1 => delimiter,
                            2 => delimiter.wrapping_add(1),
                            3 => delimiter.wrapping_sub(1),
                            4 => delimiter ^ 0x80,
                            _ => (seed as u8).wrapping_mul(i as u8 + 3),
                        }
                    })
                    .collect();
                let mut got = Vec::new();
                push_delimiters(&line, delimiter, &mut got);
                let want: Vec<usize> = (0..line.len()).filter(|&i| line[i] == delimiter).collect();
                assert_eq!(got, want, "{line:?}");
            }
        }
    }

    #[test]
    fn a_block_without_quotes_splits_as_csv_core_parses() {
        for seed in 0..300 {
            let text = unquoted(seed, 1 + (seed as usize * 7) % 200);
            let whole = one_by_one(&text);
            for block in [1, 3, 8, 64, 1000] {
                assert_eq!(
                    in_blocks(&text, block),
                    whole,
                    "seed {seed}, blocks of {block}: {:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn a_line_end_inside_quotes_is_no_cut() {
        assert_eq!(cut(b"a,\"one\ntwo\nthree", false, None, b','), None);
        assert_eq!(
            cut(b"a,b\nc,\"one\ntwo", false, None, b',').map(|c| c.0),
            Some(3)
        );
    }

    #[test]
    fn the_file_reads_the_same_in_blocks() {
        // Many records, so that the reader cuts several blocks, some with
        // quotes and some without.
        let mut text = String::from("id,note\n");
        for i in 0..40_000 {
            if i % 9000 == 0 {
                text.push_str(&format!("T-{i},\"multi\nline {i}\"\r\n"));
            } else {
                text.push_str(&format!("T-{i},n{i}\n"));
            }
        }
        let mut f = file(text.as_bytes());
        let (mut blocks, mut quoted) = (0, 0);
        let mut got = Vec::new();
        while let Some(b) = f.next_block().expect("read") {
            blocks += 1;
            quoted += usize::from(b.quoted);
            parse_block(&b, &mut got);
        }
        assert!(
            blocks > 2 && quoted > 0 && quoted < blocks,
            "{blocks} blocks, {quoted} with quotes"
        );
        assert_eq!(f.bytes_read(), text.len() as u64);
        assert_eq!(got, one_by_one(text.as_bytes()));
    }

    #[test]
    fn header_one_at_a_time_then_blocks() {
        let mut f = file("\u{feff}id,x\nA,1\nB,2\n".as_bytes());
        let head = f.next_record().expect("read").map(cells);
        assert_eq!(head, Some(vec!["id".to_string(), "x".to_string()]));
        let b = f.next_block().expect("read").expect("a block");
        let mut got = Vec::new();
        parse_block(&b, &mut got);
        assert_eq!(
            got,
            [
                (2, vec!["A".into(), "1".into()]),
                (3, vec!["B".into(), "2".into()])
            ]
        );
        assert!(f.next_block().expect("read").is_none());
    }

    #[test]
    fn a_block_with_bad_utf8_checks_each_record() {
        let b = Block {
            bytes: b"a,caf\xc3\xa9\nb,\xff\nc,d\n".to_vec(),
            line: 2,
            delimiter: b',',
            quoted: false,
            width: Some(2),
            damage: Vec::new(),
        };
        let mut recs = b.records();
        let mut got = Vec::new();
        while let Some(r) = recs.next() {
            got.push(r.text().map(|t| t.get(1).map(str::to_string)));
        }
        assert_eq!(
            got,
            [Ok(Some("caf\u{e9}".into())), Err(1), Ok(Some("d".into()))]
        );
    }

    #[test]
    fn utf8_is_checked_per_cell() {
        let mut f = file(b"ok,caf\xc3\xa9,b\xffd\n\xc3,\xa9\n");
        let r = f.next_record().expect("read").expect("a record");
        assert_eq!(r.text().err(), Some(2));
        // Valid as a whole, but the cut falls inside a character.
        let r = f.next_record().expect("read").expect("a record");
        assert_eq!(r.text().err(), Some(0));
        let mut f = file("ok,caf\u{e9}\n".as_bytes());
        let r = f.next_record().expect("read").expect("a record");
        assert_eq!(r.text().ok().and_then(|t| t.get(1)), Some("caf\u{e9}"));
    }

    /// Records read one at a time after a header of `width` columns: (line,
    /// cells, damage kind and the line reading resumes at).
    type Read = Vec<(u64, Vec<String>, Option<(DamageKind, u64)>)>;

    fn read_with_width(text: &[u8], width: usize) -> Read {
        let mut f = file(text);
        let mut out = Vec::new();
        let head = f.next_record().expect("read").map(|r| (r.line, cells(r)));
        out.push((head.expect("a header").0, Vec::new(), None));
        f.set_width(width);
        while let Some(r) = f.next_record().expect("read") {
            let d = r.damage.map(|d| (d.kind, d.resume_line));
            out.push((r.line, cells(r), d));
        }
        out
    }

    #[test]
    fn an_unclosed_quote_is_cut_back_to_its_line() {
        let text = b"id,note,at\nA,x,1\nB,\"open,2\nC,y,3\nD,\"fine\nover lines\",4\nE,z,5";
        let got = read_with_width(text, 3);
        let row = |l: u64, c: &[&str], d| (l, c.iter().map(|s| s.to_string()).collect(), d);
        assert_eq!(
            got,
            vec![
                row(1, &[], None),
                row(2, &["A", "x", "1"], None),
                // The quote runs on to D's; line 4 reads as a row: resume there.
                row(3, &["B", "open,2"], Some((DamageKind::RowFollows, 4))),
                row(4, &["C", "y", "3"], None),
                // A quoted cell over two lines, in a record of the header's width.
                row(5, &["D", "fine\nover lines", "4"], None),
                row(7, &["E", "z", "5"], None),
            ]
        );
        // Blocks of any size cut and read the same.
        let whole: Vec<(u64, Vec<String>)> = one_by_one_width(text, 3);
        for block in 1..text.len() + 2 {
            assert_eq!(
                in_blocks_of(text, block, Some(3)),
                whole,
                "blocks of {block}"
            );
        }
    }

    fn one_by_one_width(text: &[u8], width: usize) -> Vec<(u64, Vec<String>)> {
        let mut f = file(text);
        let mut out = Vec::new();
        if let Some(r) = f.next_record().expect("read") {
            out.push((r.line, cells(r)));
        }
        f.set_width(width);
        while let Some(r) = f.next_record().expect("read") {
            out.push((r.line, cells(r)));
        }
        out
    }

    #[test]
    fn a_quote_open_to_the_end_of_the_file() {
        let got = read_with_width(b"id,x\nA,\"open\nno row here\n", 2);
        assert_eq!(got[1].2, Some((DamageKind::EndOfFile, 3)));
        // The line after it does not read as a row, but is not lost: it is a
        // (short) row of its own.
        assert_eq!(got[2].0, 3);
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn an_unclosed_quote_costs_at_most_max_span() {
        // No line after the quote reads as a row of two cells.
        let mut text = b"id,x\nA,\"open\n".to_vec();
        let mut n = 0;
        while text.len() < 3 * MAX_SPAN {
            text.extend_from_slice(format!("T-{n} n\n").as_bytes());
            n += 1;
        }
        let got = read_with_width(&text, 2);
        assert_eq!(got[1].2, Some((DamageKind::TooLong, 3)));
        assert_eq!(got.len(), n + 2, "every row after the damaged one is read");
        assert_eq!(got[n + 1].0, n as u64 + 2);
        let mut f = file(&text);
        let _ = f.next_record();
        f.set_width(2);
        while let Some(b) = f.next_block().expect("read") {
            assert!(
                b.bytes.len() <= 2 * MAX_SPAN,
                "a block of {}",
                b.bytes.len()
            );
        }
    }

    #[test]
    fn a_row_after_an_open_quote_decides_without_reading_further() {
        // Not the end of the input, far from MAX_SPAN: the line after the
        // open quote reads as a row, and that is enough to tell.
        let text = b"A,\"open\nT-0,n\nT-1,n";
        assert_eq!(
            extent(text, false, Some(2), b','),
            Extent::Damaged {
                line: 7,
                resume: 8,
                quote: 2,
                cell: 1,
                kind: DamageKind::RowFollows
            }
        );
        // The line after it is still being read: more input is needed.
        assert_eq!(
            extent(b"A,\"open\nT-0,", false, Some(2), b','),
            Extent::NeedMore
        );
        // A quote that closes on a later line, with no row-like line between.
        assert_eq!(
            extent(b"A,\"open\nstill\"\nB,x\n", false, Some(2), b','),
            Extent::Whole(14)
        );
    }

    #[test]
    fn lines_end_at_cr_lf_and_crlf() {
        let text = b"id,x\rA,1\rB,2\r\nC,3\n\rD,\"two\rlines\"\rE,5";
        let got = one_by_one(text);
        let lines: Vec<(u64, &str)> = got.iter().map(|(l, c)| (*l, c[0].as_str())).collect();
        // C's line ends with \n, then a lone \r is a blank line 5.
        assert_eq!(
            lines,
            [(1, "id"), (2, "A"), (3, "B"), (4, "C"), (6, "D"), (8, "E")]
        );
        for block in 1..text.len() + 2 {
            assert_eq!(in_blocks(text, block), got, "blocks of {block}");
        }
    }

    #[test]
    fn a_cr_only_file_is_cut_into_blocks() {
        let mut text = b"id,x\r".to_vec();
        for i in 0..50_000 {
            text.extend_from_slice(format!("T-{i},n\r").as_bytes());
        }
        let mut f = file(&text);
        let _ = f.next_record();
        let (mut blocks, mut last) = (0, 0);
        while let Some(b) = f.next_block().expect("read") {
            blocks += 1;
            assert!(b.bytes.len() <= 2 * BLOCK);
            let mut recs = b.records();
            while let Some(r) = recs.next() {
                last = r.line;
            }
        }
        assert!(blocks > 2);
        assert_eq!(last, 50_001);
    }
}
