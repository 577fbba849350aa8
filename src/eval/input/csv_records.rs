//! CSV records, read in blocks. The reader thread only cuts the file into
//! blocks that end on a record boundary (the last line end of the block, and
//! only when the block has quotes a scan for the ends that lie outside
//! quoted cells); the workers parse the blocks, so the parsing runs on
//! every core. The same parser reads one record at a time for the sequential
//! readers (`--explain`, side logs, exports whose rows are grouped), so a
//! file reads the same whichever way it is read.
//!
//! The parsing is `csv_core`'s (the engine of the `csv` crate): `"` quotes,
//! `""` inside quotes is a quote, any of `\r`, `\n`, `\r\n` ends a record,
//! blank lines are skipped, a byte-order mark at the start is dropped. In a
//! block without a single `"` those rules come down to "a record is a line,
//! its cells lie between delimiters", and such a block is split so, without
//! copying (the tests hold the two to the same results).

use std::io::Read;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// About the size of a block handed to a worker: big enough that handing
/// it over costs nothing next to parsing it, small enough that the blocks
/// in flight stay a few megabytes.
pub(crate) const BLOCK: usize = 128 * 1024;

/// One CSV record, borrowed from the parser that read it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    /// 1-based line of the file where the record begins.
    pub(crate) line: u64,
    /// The cells' bytes; cell `i` ends at `ends[i]` and the next begins
    /// `gap` bytes later (0: the parser's unquoted output; 1: a line as it
    /// is, with its delimiters).
    bytes: &'a [u8],
    ends: &'a [usize],
    gap: usize,
    /// `bytes` as text, when it is known to be UTF-8 already.
    known: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    fn bounds(&self, i: usize) -> Option<(usize, usize)> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] + self.gap,
        };
        Some((start, end))
    }

    /// Cell `i` as bytes.
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        let (start, end) = self.bounds(i)?;
        self.bytes.get(start..end)
    }

    /// The record as text, checked once, or `Err(i)` when cell `i` is the
    /// first that is not UTF-8.
    pub(crate) fn text(&self) -> Result<Text<'a>, usize> {
        if let Some(whole) = self.known {
            // Cut from UTF-8 at delimiters and line ends, which are ASCII.
            return Ok(Text { whole, rec: *self });
        }
        let all = self.ends.last().copied().unwrap_or(0);
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
                return Ok(Text { whole, rec: *self });
            }
        }
        let bad =
            (0..self.len()).find(|&i| std::str::from_utf8(self.get(i).unwrap_or(b"")).is_err());
        Err(bad.unwrap_or(0))
    }
}

/// A record known to be UTF-8.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text<'a> {
    whole: &'a str,
    rec: Record<'a>,
}

impl<'a> Text<'a> {
    pub(crate) fn len(&self) -> usize {
        self.rec.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        let (a, b) = self.rec.bounds(i)?;
        self.whole.get(a..b)
    }
}

/// Where a parser writes a record.
#[derive(Debug, Clone)]
struct Buffers {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    line: u64,
    len: usize,
}

impl Buffers {
    fn new() -> Buffers {
        Buffers {
            bytes: vec![0; 1024],
            ends: vec![0; 64],
            line: 0,
            len: 0,
        }
    }

    fn record(&self) -> Record<'_> {
        Record {
            line: self.line,
            bytes: &self.bytes,
            ends: &self.ends[..self.len],
            gap: 0,
            known: None,
        }
    }
}

enum Step {
    Record,
    /// The input ran out inside a record (or before one began).
    NeedInput,
    End,
}

/// `csv_core`'s reader plus where in a record it is, and line counting.
struct Parser {
    core: Reader,
    /// Line of the next byte of input.
    line: u64,
    /// Inside a record: the bytes and cell ends written so far.
    inside: Option<(usize, usize)>,
}

/// Skips blank lines (here rather than in `csv_core`, so that a record's
/// line is the line of its first byte); returns the bytes skipped.
fn skip_blank(input: &[u8], line: &mut u64) -> usize {
    let mut at = 0;
    while let Some(&b) = input.get(at) {
        if b != b'\n' && b != b'\r' {
            break;
        }
        *line += u64::from(b == b'\n');
        at += 1;
    }
    at
}

impl Parser {
    fn new(delimiter: u8, line: u64) -> Parser {
        Parser {
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            line,
            inside: None,
        }
    }

    /// Parses the next record from `input` into `out`; `eof`: nothing
    /// follows `input`. Returns the bytes of `input` consumed and what came of it.
    fn step(&mut self, input: &[u8], eof: bool, out: &mut Buffers) -> (usize, Step) {
        let mut at = 0;
        let (mut nout, mut nend) = match self.inside {
            Some(progress) => progress,
            None => {
                at = skip_blank(input, &mut self.line);
                if at == input.len() && !eof {
                    return (at, Step::NeedInput);
                }
                out.line = self.line;
                (0, 0)
            }
        };
        loop {
            let rest = &input[at..];
            if rest.is_empty() && !eof {
                self.inside = Some((nout, nend));
                return (at, Step::NeedInput);
            }
            let (res, nin, o, e) =
                self.core
                    .read_record(rest, &mut out.bytes[nout..], &mut out.ends[nend..]);
            self.line += newlines(&rest[..nin]);
            at += nin;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let n = out.bytes.len().max(64) * 2;
                    out.bytes.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = out.ends.len().max(8) * 2;
                    out.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    out.len = nend;
                    self.inside = None;
                    return (at, Step::Record);
                }
                ReadRecordResult::End => {
                    self.inside = None;
                    return (at, Step::End);
                }
            }
        }
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
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
}

impl Block {
    /// The block's records, one after the other.
    pub(crate) fn records(&self) -> Records<'_> {
        // Split line by line, one check of the whole block is one per record
        // fewer; csv_core's output is checked record by record.
        let by_line = !self.quoted;
        Records {
            input: &self.bytes,
            text: by_line
                .then(|| std::str::from_utf8(&self.bytes).ok())
                .flatten(),
            at: 0,
            line: self.line,
            delimiter: self.delimiter,
            stops: memchr::Memchr3::new(self.delimiter, b'\n', b'\r', &self.bytes),
            parser: self.quoted.then(|| Parser::new(self.delimiter, self.line)),
            out: Buffers::new(),
        }
    }
}

/// The records of a [`Block`].
pub(crate) struct Records<'a> {
    input: &'a [u8],
    /// `input` as text, if it is UTF-8.
    text: Option<&'a str>,
    at: usize,
    /// Line of `input[at]` (when split line by line).
    line: u64,
    delimiter: u8,
    /// Delimiters and line ends, in order (when split line by line): one
    /// search through the block rather than one per cell.
    stops: memchr::Memchr3<'a>,
    /// `csv_core`, for a block with quotes.
    parser: Option<Parser>,
    out: Buffers,
}

impl Records<'_> {
    /// The next record; `None` at the end of the block.
    #[allow(clippy::should_implement_trait)] // lends out its own buffer
    pub(crate) fn next(&mut self) -> Option<Record<'_>> {
        let rest = &self.input[self.at..];
        let Some(parser) = &mut self.parser else {
            return self.next_line();
        };
        // The block ends on a record boundary, so its end is the end of input.
        let (n, step) = parser.step(rest, true, &mut self.out);
        self.at += n;
        match step {
            Step::Record => Some(self.out.record()),
            Step::NeedInput | Step::End => None,
        }
    }

    /// The next line as a record, its cells between delimiters.
    fn next_line(&mut self) -> Option<Record<'_>> {
        let at = self.at + skip_blank(&self.input[self.at..], &mut self.line);
        let rest = &self.input[at..];
        if rest.is_empty() {
            return None;
        }
        let ends = &mut self.out.ends;
        ends.clear();
        let mut len = rest.len();
        for i in self.stops.by_ref() {
            // Stops before `at` are the blank lines just skipped.
            let Some(i) = i.checked_sub(at) else { continue };
            ends.push(i);
            if rest[i] != self.delimiter {
                len = i;
                break;
            }
        }
        if len == rest.len() {
            ends.push(len);
        }
        self.at = at + len;
        Some(Record {
            line: self.line,
            bytes: &rest[..len],
            ends,
            gap: 1,
            known: self.text.and_then(|t| t.get(at..at + len)),
        })
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
    delimiter: u8,
    /// Record-at-a-time reading.
    parser: Parser,
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
            delimiter,
            parser: Parser::new(delimiter, 1),
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
            if let Some(i) = memchr::memchr(b'\n', pending) {
                return Ok(&self.buf[self.pos..self.pos + i + 1]);
            }
            if self.eof {
                return Ok(&self.buf[self.pos..]);
            }
            self.fill(self.buf.len() + BLOCK)?;
        }
    }

    pub(crate) fn set_delimiter(&mut self, delimiter: u8) {
        self.delimiter = delimiter;
        self.parser = Parser::new(delimiter, self.parser.line);
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

    /// The next record, or `None` at the end of the file.
    pub(crate) fn next_record(&mut self) -> std::io::Result<Option<Record<'_>>> {
        loop {
            let input = &self.buf[self.pos..];
            let (n, step) = self.parser.step(input, self.eof, &mut self.out);
            self.pos += n;
            self.consumed += n as u64;
            match step {
                Step::Record => return Ok(Some(self.out.record())),
                Step::End => return Ok(None),
                Step::NeedInput => self.fill(self.buf.len() - self.pos + BLOCK)?,
            }
        }
    }

    /// The next block of whole records, or `None` at the end of the file.
    /// A record longer than a block makes the block as long as it.
    pub(crate) fn next_block(&mut self) -> std::io::Result<Option<Block>> {
        let mut want = BLOCK;
        loop {
            // After `fill`, everything in `buf` is pending (`pos` is 0).
            self.fill(want)?;
            let pending = &self.buf[..];
            if pending.is_empty() {
                return Ok(None);
            }
            let first_quote = memchr::memchr(b'"', pending);
            let cut = if self.eof {
                Some(pending.len())
            } else {
                last_record_end(pending, first_quote.is_some(), self.delimiter)
            };
            if let Some(n) = cut {
                let quoted = first_quote.is_some_and(|q| q < n);
                let mut next = self.spare.pop().unwrap_or_default();
                next.reserve(BLOCK + BLOCK / 4);
                next.extend_from_slice(&pending[n..]);
                let mut bytes = std::mem::replace(&mut self.buf, next);
                bytes.truncate(n);
                let line = self.parser.line;
                self.parser.line += newlines(&bytes);
                self.consumed += n as u64;
                return Ok(Some(Block {
                    bytes,
                    line,
                    delimiter: self.delimiter,
                    quoted,
                }));
            }
            want = self.buf.len().max(BLOCK) * 2;
        }
    }
}

/// Where the last whole record of `bytes` ends (just after a line end that
/// is not inside a quoted cell), if one does; `bytes` begins a record and
/// has a `"` somewhere when `quoted`.
fn last_record_end(bytes: &[u8], quoted: bool, delimiter: u8) -> Option<usize> {
    if !quoted {
        // No quotes: every line end ends a record.
        return memchr::memrchr2(b'\n', b'\r', bytes).map(|i| i + 1);
    }
    // Quotes: ask the parser itself where records end (the cells it writes
    // are thrown away).
    let mut parser = Parser::new(delimiter, 1);
    let mut out = Buffers::new();
    let (mut at, mut last) = (0, None);
    loop {
        let (n, step) = parser.step(&bytes[at..], false, &mut out);
        at += n;
        match step {
            Step::Record => last = Some(at),
            Step::NeedInput | Step::End => return last,
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
        let mut out = Vec::new();
        let (mut at, mut line) = (0, 1);
        while at < text.len() {
            let mut end = at + block;
            let n = loop {
                if end >= text.len() {
                    break text.len() - at;
                }
                let window = &text[at..end];
                let quoted = memchr::memchr(b'"', window).is_some();
                if let Some(n) = last_record_end(window, quoted, b',') {
                    break n;
                }
                end += block;
            };
            let bytes = text[at..at + n].to_vec();
            let b = Block {
                quoted: memchr::memchr(b'"', &bytes).is_some(),
                line,
                delimiter: b',',
                bytes,
            };
            line += newlines(&b.bytes);
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
                (6, "D"), // after a bare \r: still line 6, lines count \n
                (7, "E"),
                (8, "F"),
                (9, "G"),
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
        assert_eq!(last_record_end(b"a,\"one\ntwo\nthree", true, b','), None);
        assert_eq!(last_record_end(b"a,b\nc,\"one\ntwo", true, b','), Some(4));
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
}
