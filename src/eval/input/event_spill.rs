//! The event log on disk, once it outgrows its memory budget. Each batch of
//! events is appended to one file as groups, one per ticket of the batch, in
//! the order its tickets first appear in the event log; an index of (hash
//! of the id, offset of the group), sorted on disk (`sorted_runs`), finds a
//! ticket's groups wherever the ticket log asks. Logs are usually in about
//! the same order (both by ticket, or both by time), so a ticket's group is
//! most often the one after the last read: each thread keeps a window of
//! the file and reads on from where it stopped, larger as long as that
//! holds (up to [`MAX_WINDOW`]), and only a ticket not found there costs a
//! look in the index. A thread that has just looked in the index looks
//! ahead only in the bytes it holds: in a ticket log in another order than
//! the event log, reading on would cost a read for nothing. The index's
//! blocks read are kept, up to a budget, by all the threads: a ticket log in
//! a random order then costs one read a ticket (of its events), not two. The
//! reads are `read_at`, not a memory map: the page cache is the kernel's,
//! not counted as ours, so memory holds the windows, an index of the index
//! (the first hash of each 2 KB of it) and the blocks kept, not the events.
//!
//! A ticket whose events fell in two batches has two groups; both are
//! marked "split" once the index is sorted, and such a ticket is always
//! read through the index, which gives all its groups.
//!
//! A group: its hash (8 bytes), its number in the file (8), the split mark
//! (1), the length of its id (4), the number of its events (4), the id, and
//! the events ([`Packed::BYTES`] each), little-endian. The index: (hash,
//! offset) pairs of 16 bytes. Both are anonymous temporary files of the
//! system's temp directory: the system removes them when they are closed,
//! whatever ends the run.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::eval::input::logged_event::Packed;
use crate::eval::input::sorted_runs::SortedRuns;

/// Bytes of a group before its id.
const HEAD: usize = 25;
/// Where the split mark is in a group.
const SPLIT_AT: u64 = 16;
/// Bytes of an index entry.
const ENTRY: usize = 16;
/// An index block is cut at the first new hash past this many bytes (so a
/// hash's entries are in one block); a look in the index reads one block.
const INDEX_BLOCK: u64 = 2048;
/// The first window read where a look in the index leads: about three
/// groups of the benchmark's five events.
const FIRST_WINDOW: usize = 512;
/// The largest window read ahead: twice as large each time the reading
/// goes on from where it stopped.
const MAX_WINDOW: usize = 64 * 1024;
/// Groups passed over at the window's place before the index is asked:
/// tickets of the event log that the ticket log lacks lie between others.
const LOOK_AHEAD: usize = 4;

/// Writes the batches' groups and gathers their index.
pub(crate) struct GroupWriter {
    out: BufWriter<File>,
    bytes: Vec<u8>,
    /// Bytes written so far.
    offset: u64,
    groups: u64,
    index: SortedRuns,
}

impl GroupWriter {
    /// A writer to a new anonymous temporary file, whose index is sorted in
    /// at most `index_budget` bytes of memory.
    pub(crate) fn new(index_budget: usize) -> io::Result<GroupWriter> {
        Ok(GroupWriter {
            out: BufWriter::with_capacity(MAX_WINDOW, tempfile::tempfile()?),
            bytes: Vec::new(),
            offset: 0,
            groups: 0,
            index: SortedRuns::new(index_budget),
        })
    }

    /// Appends the group of ticket `id` (hash `hash`) with `events`, in order.
    pub(crate) fn group(
        &mut self,
        hash: u64,
        id: &str,
        events: impl ExactSizeIterator<Item = Packed>,
    ) -> io::Result<()> {
        let too_long = |_| io::Error::new(io::ErrorKind::InvalidInput, "ticket id too long");
        let b = &mut self.bytes;
        b.clear();
        b.extend_from_slice(&hash.to_le_bytes());
        b.extend_from_slice(&self.groups.to_le_bytes());
        b.push(0);
        b.extend_from_slice(&u32::try_from(id.len()).map_err(too_long)?.to_le_bytes());
        b.extend_from_slice(&u32::try_from(events.len()).map_err(too_long)?.to_le_bytes());
        b.extend_from_slice(id.as_bytes());
        for e in events {
            e.write(b);
        }
        self.out.write_all(b)?;
        self.index.push(hash, self.offset, &[])?;
        self.offset += b.len() as u64;
        self.groups += 1;
        Ok(())
    }

    /// The file written, its index sorted and written, the groups of a
    /// ticket in two batches marked; at most `cache_budget` bytes of the
    /// index's blocks will be kept in memory once read.
    pub(crate) fn finish(self, cache_budget: usize) -> io::Result<Spilled> {
        let file = self
            .out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        let mut sorted = self.index.sorted()?;
        let mut index = BufWriter::with_capacity(MAX_WINDOW, tempfile::tempfile()?);
        let mut blocks = Vec::new();
        let (mut written, mut block_start) = (0u64, 0u64);
        // The offsets of the entries of the current hash.
        let mut same: Vec<u64> = Vec::new();
        let mut prev = None;
        while let Some((hash, offset, _)) = sorted.next()? {
            if prev != Some(hash) {
                mark_split(&file, self.offset, &same)?;
                same.clear();
                if blocks.is_empty() || written - block_start >= INDEX_BLOCK {
                    blocks.push(Block {
                        hash,
                        offset: written,
                        kept: OnceLock::new(),
                    });
                    block_start = written;
                }
            }
            prev = Some(hash);
            same.push(offset);
            index.write_all(&hash.to_le_bytes())?;
            index.write_all(&offset.to_le_bytes())?;
            written += ENTRY as u64;
        }
        mark_split(&file, self.offset, &same)?;
        Ok(Spilled {
            file,
            end: self.offset,
            index: index.into_inner().map_err(io::IntoInnerError::into_error)?,
            index_end: written,
            blocks,
            kept_bytes: AtomicUsize::new(0),
            cache_budget,
            groups: self.groups,
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
        })
    }
}

/// Marks as split the groups at `offsets` (of one hash) whose id another
/// of them has too (two ids of one hash are told apart here).
fn mark_split(file: &File, end: u64, offsets: &[u64]) -> io::Result<()> {
    if offsets.len() < 2 {
        return Ok(());
    }
    let mut w = Window::default();
    let mut ids = Vec::with_capacity(offsets.len());
    for &at in offsets {
        w.jump(at);
        ids.push(w.group(file, end, true)?.map(|g| g.id.to_vec()));
    }
    for (i, &at) in offsets.iter().enumerate() {
        if ids.iter().filter(|id| **id == ids[i]).count() > 1 {
            file.write_all_at(&[1], at + SPLIT_AT)?;
        }
    }
    Ok(())
}

/// Numbers each spilled file, so that a thread's window is never taken for
/// one of another file (a test, or two runs in one process).
static SERIAL: AtomicU64 = AtomicU64::new(0);

/// The groups' file and its index.
#[derive(Debug)]
pub(crate) struct Spilled {
    file: File,
    /// Length of the file.
    end: u64,
    index: File,
    index_end: u64,
    /// Each block of the index.
    blocks: Vec<Block>,
    /// Bytes of the index's blocks kept in memory, at most `cache_budget`.
    kept_bytes: AtomicUsize,
    cache_budget: usize,
    /// Number of groups in the file.
    pub(crate) groups: u64,
    serial: u64,
}

/// A block of the index: its first hash, its offset in the index, and its
/// bytes once read, if the budget had room for them.
#[derive(Debug)]
struct Block {
    hash: u64,
    offset: u64,
    kept: OnceLock<Box<[u8]>>,
}

/// One group as read from a window.
struct Group<'w> {
    hash: u64,
    number: u64,
    split: bool,
    id: &'w [u8],
    events: &'w [u8],
}

impl Group<'_> {
    fn events(&self) -> impl Iterator<Item = Packed> + '_ {
        self.events
            .chunks_exact(Packed::BYTES)
            .filter_map(|b| b.try_into().ok().map(Packed::read))
    }
}

/// A stretch of the groups' file held in memory, and the offset from which
/// the next group is read.
#[derive(Debug, Default)]
struct Window {
    bytes: Vec<u8>,
    /// Offset in the file of `bytes[0]`.
    start: u64,
    /// Offset of the next group.
    at: u64,
    /// Bytes to read at the next refill.
    size: usize,
    /// The file the window is of ([`Spilled::serial`]).
    serial: Option<u64>,
    /// The last ticket was found by reading on: the next one may be too.
    reading_on: bool,
}

impl Window {
    /// The next group is read from `at`, with a small window: what follows
    /// a look in the index may not be read on.
    fn jump(&mut self, at: u64) {
        self.at = at;
        self.size = FIRST_WINDOW;
    }

    /// Where bytes `at..at + len` of `file` (which ends at `end`) are in
    /// the window, read with the bytes after them when the window does not
    /// hold them and `may_read` (none when it may not).
    fn hold(
        &mut self,
        file: &File,
        end: u64,
        (at, len): (u64, usize),
        may_read: bool,
    ) -> io::Result<Option<usize>> {
        let held = at >= self.start
            && at.saturating_add(len as u64) <= self.start + self.bytes.len() as u64;
        if !held {
            if !may_read {
                return Ok(None);
            }
            let want = (len.max(self.size) as u64).min(end.saturating_sub(at));
            if want < len as u64 {
                return Err(damaged());
            }
            self.bytes.resize(want as usize, 0);
            file.read_exact_at(&mut self.bytes, at)?;
            self.start = at;
            self.size = (self.size * 2).min(MAX_WINDOW);
        }
        Ok(Some((at - self.start) as usize))
    }

    /// The group at the window's place, the place moved past it; none at
    /// the end of the file, or when the window does not hold it all and
    /// may not read (`may_read`).
    fn group(&mut self, file: &File, end: u64, may_read: bool) -> io::Result<Option<Group<'_>>> {
        let at = self.at;
        if at >= end {
            return Ok(None);
        }
        let Some(from) = self.hold(file, end, (at, HEAD), may_read)? else {
            return Ok(None);
        };
        let head = &self.bytes[from..from + HEAD];
        let word = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().unwrap_or_default());
        let half = |i: usize| u32::from_le_bytes(head[i..i + 4].try_into().unwrap_or_default());
        let (hash, number, split) = (word(0), word(8), head[16] != 0);
        let (id_len, n) = (half(17) as usize, half(21) as usize);
        let len = n
            .checked_mul(Packed::BYTES)
            .and_then(|e| e.checked_add(HEAD + id_len))
            .ok_or_else(damaged)?;
        let Some(from) = self.hold(file, end, (at, len), may_read)? else {
            return Ok(None);
        };
        self.at = at + len as u64;
        let (id, events) = self.bytes[from + HEAD..from + len].split_at(id_len);
        Ok(Some(Group {
            hash,
            number,
            split,
            id,
            events,
        }))
    }
}

thread_local! {
    /// Each worker thread's window: the tickets of a chunk come in the
    /// ticket log's order, and most often so do their groups.
    static WINDOW: RefCell<Window> = RefCell::new(Window::default());
    /// Each worker thread's buffer for the block of the index it reads.
    static INDEX_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn damaged() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the spilled event log is damaged",
    )
}

impl Spilled {
    /// The events of ticket `id` (hash `hash`) appended to `out` in order,
    /// `mark` called with the number of each of its groups; false when the
    /// file has no such ticket.
    pub(crate) fn find(
        &self,
        hash: u64,
        id: &str,
        out: &mut Vec<Packed>,
        mut mark: impl FnMut(u64),
    ) -> io::Result<bool> {
        WINDOW.with_borrow_mut(|w| {
            if w.serial != Some(self.serial) {
                *w = Window {
                    serial: Some(self.serial),
                    ..Window::default()
                };
            }
            let (from, may_read) = (w.at, w.reading_on);
            for _ in 0..LOOK_AHEAD {
                let Some(g) = w.group(&self.file, self.end, may_read)? else {
                    break;
                };
                if g.hash == hash && g.id == id.as_bytes() {
                    if g.split {
                        break;
                    }
                    out.extend(g.events());
                    mark(g.number);
                    w.reading_on = true;
                    return Ok(true);
                }
            }
            w.at = from;
            w.reading_on = false;
            self.find_indexed(w, hash, id, out, &mut mark)
        })
    }

    /// [`Spilled::find`] through the index: every group of the ticket.
    fn find_indexed(
        &self,
        w: &mut Window,
        hash: u64,
        id: &str,
        out: &mut Vec<Packed>,
        mark: &mut impl FnMut(u64),
    ) -> io::Result<bool> {
        let mut found = 0;
        for at in self.offsets(hash)? {
            w.jump(at);
            let Some(g) = w.group(&self.file, self.end, true)? else {
                return Err(damaged());
            };
            if g.id == id.as_bytes() {
                out.extend(g.events());
                mark(g.number);
                found += 1;
            }
        }
        // Each group's events are in order, but a later one may hold earlier ones.
        if found > 1 {
            out.sort_unstable();
        }
        Ok(found > 0)
    }

    /// The offsets of the groups whose hash is `hash`, from the block of
    /// the index that holds them: kept in memory, or read with one
    /// positioned read (and kept while the budget has room).
    fn offsets(&self, hash: u64) -> io::Result<Vec<u64>> {
        let i = self.blocks.partition_point(|b| b.hash <= hash);
        let Some(i) = i.checked_sub(1) else {
            return Ok(Vec::new());
        };
        let block = &self.blocks[i];
        let offsets = |bytes: &[u8]| {
            let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
            bytes
                .chunks_exact(ENTRY)
                .filter(|e| word(&e[..8]) == hash)
                .map(|e| word(&e[8..]))
                .collect()
        };
        if let Some(kept) = block.kept.get() {
            return Ok(offsets(kept));
        }
        let from = block.offset;
        let to = self.blocks.get(i + 1).map_or(self.index_end, |b| b.offset);
        let len = usize::try_from(to - from).map_err(|_| damaged())?;
        if self.kept_bytes.fetch_add(len, Ordering::Relaxed) + len <= self.cache_budget {
            let mut bytes = vec![0; len].into_boxed_slice();
            self.index.read_exact_at(&mut bytes, from)?;
            // Two threads may read one block at once: one of them keeps it.
            return Ok(offsets(block.kept.get_or_init(|| bytes)));
        }
        self.kept_bytes.fetch_sub(len, Ordering::Relaxed);
        INDEX_BUFFER.with_borrow_mut(|bytes| {
            bytes.resize(len, 0);
            self.index.read_exact_at(bytes, from)?;
            Ok(offsets(bytes))
        })
    }

    /// Calls `f` with the number, id and events of every group, in the
    /// order of the file (a ticket in two batches has two groups).
    pub(crate) fn for_each_group(
        &self,
        mut f: impl FnMut(u64, &str, &mut dyn Iterator<Item = Packed>),
    ) -> io::Result<()> {
        let mut w = Window {
            size: MAX_WINDOW,
            ..Window::default()
        };
        while let Some(g) = w.group(&self.file, self.end, true)? {
            let id = std::str::from_utf8(g.id).map_err(|_| damaged())?;
            f(g.number, id, &mut g.events());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(secs: i64) -> Packed {
        Packed {
            secs,
            nanos_line: 1,
            what: 0,
        }
    }

    #[test]
    fn ids_of_one_hash_stay_apart_and_a_ticket_in_two_batches_is_whole() {
        // No block of the index kept, or all of them: the same answers, twice.
        for cache_budget in [0, 1 << 20] {
            // Two batches; `a` and `b` share a hash (as two ids may), `a` is in both.
            let mut w = GroupWriter::new(0).expect("temp file");
            w.group(7, "a", [event(5)].into_iter()).expect("write");
            w.group(7, "b", [event(1)].into_iter()).expect("write");
            w.group(3, "c", [event(2)].into_iter()).expect("write");
            w.group(7, "a", [event(4), event(6)].into_iter())
                .expect("write");
            let s = w.finish(cache_budget).expect("index");
            assert_eq!(s.groups, 4);
            let find = |hash, id| {
                let (mut out, mut marked) = (Vec::new(), Vec::new());
                let found = s
                    .find(hash, id, &mut out, |g| marked.push(g))
                    .expect("read");
                (found, out, marked)
            };
            for _ in 0..2 {
                assert_eq!(
                    find(7, "a"),
                    (true, vec![event(4), event(5), event(6)], vec![0, 3])
                );
                assert_eq!(find(7, "b"), (true, vec![event(1)], vec![1]));
                assert_eq!(find(3, "c"), (true, vec![event(2)], vec![2]));
                for (hash, id) in [(7, "z"), (1, "c"), (9, "c")] {
                    assert_eq!(find(hash, id), (false, vec![], vec![]));
                }
            }
            let kept = s.blocks.iter().filter(|b| b.kept.get().is_some()).count();
            assert_eq!(kept, if cache_budget == 0 { 0 } else { s.blocks.len() });
            let mut all = Vec::new();
            s.for_each_group(|g, id, events| all.push((g, id.to_string(), events.count())))
                .expect("read");
            assert_eq!(
                all,
                [
                    (0, "a".into(), 1),
                    (1, "b".into(), 1),
                    (2, "c".into(), 1),
                    (3, "a".into(), 2)
                ]
            );
        }
    }
}
