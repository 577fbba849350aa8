//! The event log on disk, once it outgrows its memory budget: runs of
//! events sorted by ticket (by the 64-bit hash of its id, then the id), merged
//! into one file cut into blocks of a few KB, with an index in memory of the
//! first hash of each block. A ticket's events are read back with one
//! positioned read of its block (`read_at`, not a memory map: the page cache
//! is the kernel's, not counted as ours), so memory holds the index, about
//! 1% of the file, and not the events.
//!
//! A file is a sequence of groups, one per ticket: its hash (8 bytes), the
//! length of its id (4) and the id, the number of its events (4) and the
//! events ([`Packed::BYTES`] each), all little-endian. The files are
//! anonymous temporary files of the system's temp directory: the system
//! removes them when they are closed, whatever ends the run.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::os::unix::fs::FileExt;

use crate::eval::input::logged_event::Packed;

/// Where a block of the merged file is cut: the first group boundary past
/// this many bytes (never between two ids of one hash, so that a hash's
/// groups are in one block). Each ticket reads its block: 2 KB is 24 bytes
/// of index, and about 15 tickets of the benchmark's five events each.
const BLOCK: u64 = 2048;

/// Buffer of each run while runs are merged.
const RUN_BUFFER: usize = 64 * 1024;

/// Writes groups, in order, to a new temporary file.
pub(crate) struct GroupWriter {
    out: BufWriter<File>,
    bytes: Vec<u8>,
    /// Bytes written so far.
    offset: u64,
}

impl GroupWriter {
    /// A writer to a new anonymous temporary file.
    pub(crate) fn new() -> io::Result<GroupWriter> {
        Ok(GroupWriter {
            out: BufWriter::with_capacity(RUN_BUFFER, tempfile::tempfile()?),
            bytes: Vec::new(),
            offset: 0,
        })
    }

    /// Writes the group of ticket `id` (hash `hash`) with `events`, in order.
    pub(crate) fn group(
        &mut self,
        hash: u64,
        id: &str,
        events: impl ExactSizeIterator<Item = Packed>,
    ) -> io::Result<()> {
        let too_long = |_| io::Error::new(io::ErrorKind::InvalidInput, "ticket id too long");
        self.bytes.clear();
        self.bytes.extend_from_slice(&hash.to_le_bytes());
        let len = u32::try_from(id.len()).map_err(too_long)?;
        self.bytes.extend_from_slice(&len.to_le_bytes());
        self.bytes.extend_from_slice(id.as_bytes());
        let n = u32::try_from(events.len()).map_err(too_long)?;
        self.bytes.extend_from_slice(&n.to_le_bytes());
        for e in events {
            e.write(&mut self.bytes);
        }
        self.out.write_all(&self.bytes)?;
        self.offset += self.bytes.len() as u64;
        Ok(())
    }

    /// The file written, flushed.
    pub(crate) fn finish(self) -> io::Result<File> {
        self.out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
    }
}

/// The head of a group: its hash and id.
type Head = (u64, String);

/// Reads a run's groups in order.
struct GroupReader {
    input: BufReader<File>,
    /// The next group's head and number of events, not yet read.
    next: Option<(Head, u32)>,
}

impl GroupReader {
    fn new(mut file: File) -> io::Result<GroupReader> {
        file.rewind()?;
        let mut r = GroupReader {
            input: BufReader::with_capacity(RUN_BUFFER, file),
            next: None,
        };
        r.advance()?;
        Ok(r)
    }

    /// Reads the next group's head (none at the end of the file).
    fn advance(&mut self) -> io::Result<()> {
        let mut hash = [0; 8];
        match self.input.read_exact(&mut hash) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.next = None;
                return Ok(());
            }
            r => r?,
        }
        let mut word = [0; 4];
        self.input.read_exact(&mut word)?;
        let mut id = vec![0; u32::from_le_bytes(word) as usize];
        self.input.read_exact(&mut id)?;
        let id =
            String::from_utf8(id).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        self.input.read_exact(&mut word)?;
        self.next = Some(((u64::from_le_bytes(hash), id), u32::from_le_bytes(word)));
        Ok(())
    }

    /// Appends the current group's events to `out` and moves to the next.
    fn take_events(&mut self, out: &mut Vec<Packed>) -> io::Result<()> {
        let n = self.next.as_ref().map_or(0, |g| g.1);
        let mut b = [0; Packed::BYTES];
        for _ in 0..n {
            self.input.read_exact(&mut b)?;
            out.push(Packed::read(&b));
        }
        self.advance()
    }
}

/// One block of the merged file.
#[derive(Debug, Clone, Copy)]
struct Block {
    first_hash: u64,
    offset: u64,
    /// The number, in the file, of its first group.
    first_group: u64,
}

/// The merged file and its index.
#[derive(Debug)]
pub(crate) struct Spilled {
    file: File,
    blocks: Vec<Block>,
    /// Length of the file.
    end: u64,
    /// Number of groups (tickets) in it.
    pub(crate) groups: u64,
}

/// Merges `runs` (each sorted by hash and id, a ticket's events in order)
/// into one file: one group per ticket, its events from every run in order.
pub(crate) fn merge(runs: Vec<File>) -> io::Result<Spilled> {
    let mut readers = runs
        .into_iter()
        .map(GroupReader::new)
        .collect::<io::Result<Vec<_>>>()?;
    let mut heap: BinaryHeap<Reverse<(Head, usize)>> = BinaryHeap::new();
    for (i, r) in readers.iter().enumerate() {
        if let Some((head, _)) = &r.next {
            heap.push(Reverse((head.clone(), i)));
        }
    }
    let mut out = GroupWriter::new()?;
    let mut blocks: Vec<Block> = Vec::new();
    let mut groups = 0u64;
    let mut prev_hash = 0;
    let mut events: Vec<Packed> = Vec::new();
    while let Some(Reverse((head, i))) = heap.pop() {
        events.clear();
        let mut from = vec![i];
        while heap.peek().is_some_and(|Reverse((h, _))| *h == head) {
            if let Some(Reverse((_, j))) = heap.pop() {
                from.push(j);
            }
        }
        for j in from {
            let r = &mut readers[j];
            r.take_events(&mut events)?;
            if let Some((h, _)) = &r.next {
                heap.push(Reverse((h.clone(), j)));
            }
        }
        // Each run's events are in order, but a later run may hold earlier ones.
        events.sort_unstable();
        let cut = match blocks.last() {
            None => true,
            Some(b) => out.offset - b.offset >= BLOCK && prev_hash != head.0,
        };
        if cut {
            blocks.push(Block {
                first_hash: head.0,
                offset: out.offset,
                first_group: groups,
            });
        }
        prev_hash = head.0;
        out.group(head.0, &head.1, events.iter().copied())?;
        groups += 1;
    }
    let end = out.offset;
    Ok(Spilled {
        file: out.finish()?,
        blocks,
        end,
        groups,
    })
}

impl Spilled {
    /// The file, to be merged again as a run.
    pub(crate) fn into_file(self) -> File {
        self.file
    }

    /// The events of ticket `id` (hash `hash`) appended to `out`, and the
    /// number of its group; `None` when the file has no such ticket.
    pub(crate) fn find(
        &self,
        hash: u64,
        id: &str,
        out: &mut Vec<Packed>,
    ) -> io::Result<Option<u64>> {
        let i = self.blocks.partition_point(|b| b.first_hash <= hash);
        let Some(i) = i.checked_sub(1) else {
            return Ok(None);
        };
        BUFFER.with_borrow_mut(|block| {
            let block = self.read_block(i, block)?;
            let mut found = None;
            each_group(block, self.blocks[i].first_group, |g, h, gid, events| {
                if h == hash && gid == id.as_bytes() {
                    out.extend(events);
                    found = Some(g);
                }
            })?;
            Ok(found)
        })
    }

    /// Calls `f` with the number, id and events of every group, in order.
    pub(crate) fn for_each_group(
        &self,
        mut f: impl FnMut(u64, &str, &mut dyn Iterator<Item = Packed>),
    ) -> io::Result<()> {
        let mut buffer = Vec::new();
        for (i, b) in self.blocks.iter().enumerate() {
            let block = self.read_block(i, &mut buffer)?;
            let mut bad = false;
            each_group(
                block,
                b.first_group,
                |g, _, id, events| match std::str::from_utf8(id) {
                    Ok(id) => f(g, id, events),
                    Err(_) => bad = true,
                },
            )?;
            if bad {
                return Err(damaged());
            }
        }
        Ok(())
    }

    /// The bytes of block `i`, read with one positioned read into `buffer`
    /// (grown as needed, never cleared: its bytes are overwritten).
    fn read_block<'b>(&self, i: usize, buffer: &'b mut Vec<u8>) -> io::Result<&'b [u8]> {
        let from = self.blocks[i].offset;
        let to = self.blocks.get(i + 1).map_or(self.end, |b| b.offset);
        let len = usize::try_from(to - from).map_err(|_| damaged())?;
        if buffer.len() < len {
            buffer.resize(len, 0);
        }
        let block = &mut buffer[..len];
        self.file.read_exact_at(block, from)?;
        Ok(block)
    }
}

thread_local! {
    /// Each worker thread's buffer for the block it reads.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn damaged() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the spilled event log is damaged",
    )
}

/// Calls `f` with the number, hash, id (its bytes: only the one looked for
/// need be compared) and events of each group in `block`, whose first group
/// has number `first`.
fn each_group(
    mut block: &[u8],
    first: u64,
    mut f: impl FnMut(u64, u64, &[u8], &mut dyn Iterator<Item = Packed>),
) -> io::Result<()> {
    let bad = damaged;
    let mut g = first;
    while !block.is_empty() {
        let (hash, rest) = block.split_at_checked(8).ok_or_else(bad)?;
        let (len, rest) = rest.split_at_checked(4).ok_or_else(bad)?;
        let len = u32::from_le_bytes(len.try_into().map_err(|_| bad())?) as usize;
        let (id, rest) = rest.split_at_checked(len).ok_or_else(bad)?;
        let (n, rest) = rest.split_at_checked(4).ok_or_else(bad)?;
        let n = u32::from_le_bytes(n.try_into().map_err(|_| bad())?) as usize;
        let (events, rest) = rest.split_at_checked(n * Packed::BYTES).ok_or_else(bad)?;
        let hash = u64::from_le_bytes(hash.try_into().map_err(|_| bad())?);
        let mut events = events
            .chunks_exact(Packed::BYTES)
            .filter_map(|b| b.try_into().ok().map(Packed::read));
        f(g, hash, id, &mut events);
        g += 1;
        block = rest;
    }
    Ok(())
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
    fn ids_of_one_hash_stay_apart_and_runs_merge_per_id() {
        // Two runs; `a` and `b` share a hash (as two ids may), `a` is in both.
        let mut one = GroupWriter::new().expect("temp file");
        one.group(7, "a", [event(5)].into_iter()).expect("write");
        one.group(7, "b", [event(1)].into_iter()).expect("write");
        let mut two = GroupWriter::new().expect("temp file");
        two.group(3, "c", [event(2)].into_iter()).expect("write");
        two.group(7, "a", [event(4), event(6)].into_iter())
            .expect("write");
        let runs = vec![one.finish().expect("flush"), two.finish().expect("flush")];
        let s = merge(runs).expect("merge");
        assert_eq!(s.groups, 3);
        let mut out = Vec::new();
        assert_eq!(s.find(7, "a", &mut out).expect("read"), Some(1));
        assert_eq!(out, [event(4), event(5), event(6)]);
        out.clear();
        assert_eq!(s.find(7, "b", &mut out).expect("read"), Some(2));
        assert_eq!(out, [event(1)]);
        out.clear();
        assert_eq!(s.find(7, "z", &mut out).expect("read"), None);
        assert_eq!(s.find(1, "c", &mut out).expect("read"), None);
        assert_eq!(s.find(9, "c", &mut out).expect("read"), None);
        assert!(out.is_empty());
        let mut all = Vec::new();
        s.for_each_group(|g, id, events| all.push((g, id.to_string(), events.count())))
            .expect("read");
        assert_eq!(
            all,
            [(0, "c".into(), 1), (1, "a".into(), 3), (2, "b".into(), 1)]
        );
    }
}
