//! Sorting more records than memory may hold: records are gathered up to a
//! budget of bytes, sorted, and written to an unnamed temporary file as a
//! run; the runs are then merged. A record is two 64-bit keys, by which it
//! is sorted, and a few bytes that travel with it.
//!
//! Each run is an open file, and a process may open only so many (often
//! 1,024), so at most [`FAN_IN`] runs are merged at once: when that many
//! runs of one size are written, they are merged into one run of the next
//! size (as a counter carries), and at the end the smallest are merged
//! until at most [`FAN_IN`] are left. A log of a billion ids makes a few
//! thousand runs of 16 MiB, and so holds about a hundred files open. Runs
//! next to each other are merged, and records of equal keys come out in
//! the order of their runs, so the order is the same as one merge of all.
//!
//! The files are made by `tempfile::tempfile` in the system's temporary
//! folder and have no name from the start: the system removes them when
//! they are closed, whether the run ends well, with an error, or is killed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::sync::OnceLock;

use crate::eval::input::memory_budget::Budget;

/// What one record takes in memory besides its bytes.
const ENTRY: usize = std::mem::size_of::<(u64, u64, u32, u32)>();
/// Bytes written at once, and read ahead from each run while merging (less
/// when there are many runs, to stay within the budget).
const READ_AHEAD: usize = 64 * 1024;
/// The least budget taken: a run is at least this big, so that a small
/// budget does not make a file of every record.
const LEAST: usize = 1 << 20;
/// The least that `SLA_SORT_MEMORY` may set: a run of about a hundred
/// records, for tests that need many runs of a short log.
const LEAST_SET: usize = 4 << 10;
/// The most: an entry's offset into the bytes is 32 bits.
const MOST: usize = 1 << 30;
/// The most runs merged at once (each an open file).
const FAN_IN: usize = 64;

/// The budget of every sort that `SLA_SORT_MEMORY` sets, if set
/// (`memory_budget.rs`; `sla eval` refuses a bad value before it reads the
/// log, so the error here is kept for a sort started some other way).
fn budget_set() -> &'static Result<Option<usize>, String> {
    static SET: OnceLock<Result<Option<usize>, String>> = OnceLock::new();
    SET.get_or_init(|| Budget::Sort.read().map_err(|e| e.to_string()))
}

/// Records gathered, and the runs already written.
pub(crate) struct SortedRuns {
    /// (first key, second key, start of the bytes in `bytes`, their length).
    entries: Vec<(u64, u64, u32, u32)>,
    bytes: Vec<u8>,
    /// The runs written, oldest first, each with its level: a run of level
    /// n + 1 is `fan_in` runs of level n merged. Levels never grow along
    /// the list.
    runs: Vec<(u32, File)>,
    budget: usize,
    fan_in: usize,
}

impl SortedRuns {
    /// Gathers at most `budget` bytes (1 MiB to 1 GiB; `SLA_SORT_MEMORY`
    /// sets another for every sort) in memory before writing a run: the
    /// buffers are made at their full size when the first record comes,
    /// and never grow (a doubling vector would take up to twice what it
    /// holds).
    pub(crate) fn new(budget: usize) -> SortedRuns {
        let budget = match budget_set() {
            Ok(Some(set)) => (*set).clamp(LEAST_SET, MOST),
            _ => budget.clamp(LEAST, MOST),
        };
        SortedRuns {
            entries: Vec::new(),
            bytes: Vec::new(),
            runs: Vec::new(),
            budget,
            fan_in: FAN_IN,
        }
    }

    /// Adds a record.
    pub(crate) fn push(&mut self, a: u64, b: u64, data: &[u8]) -> io::Result<()> {
        if self.entries.capacity() == 0 {
            if let Err(e) = budget_set() {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, e.clone()));
            }
            // Three fifths for the entries: a record's bytes are usually
            // fewer than an entry's 24.
            self.entries = Vec::with_capacity((self.budget / 5 * 3 / ENTRY).max(1));
            self.bytes = Vec::with_capacity(self.budget / 5 * 2);
        }
        let full = self.entries.len() == self.entries.capacity()
            || self.bytes.len() + data.len() > self.bytes.capacity();
        if full && !self.entries.is_empty() {
            self.spill()?;
        }
        let start = u32::try_from(self.bytes.len()).map_err(|_| too_long())?;
        let len = u32::try_from(data.len()).map_err(|_| too_long())?;
        // A record bigger than the buffer (an id of megabytes) grows it.
        self.bytes.extend_from_slice(data);
        self.entries.push((a, b, start, len));
        Ok(())
    }

    /// Writes the records gathered as a run, and merges the last runs
    /// while `fan_in` of them are of one level.
    fn spill(&mut self) -> io::Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        self.entries.sort_unstable_by_key(|&(a, b, _, _)| (a, b));
        let mut out = RunWriter::new()?;
        for &(a, b, start, len) in &self.entries {
            out.write(a, b, &self.bytes[start as usize..][..len as usize])?;
        }
        self.runs.push((0, out.finish()?));
        self.entries.clear();
        self.bytes.clear();
        // The gathering buffers are still held: the merge reads little.
        let read_ahead = (self.budget / 4 / self.fan_in).clamp(4096, READ_AHEAD);
        while let Some(&(level, _)) = self.runs.last() {
            let from = self.runs.len().saturating_sub(self.fan_in);
            if self.runs.len() < self.fan_in || self.runs[from].0 != level {
                break;
            }
            let merged = self.merge_last(self.fan_in, read_ahead)?;
            self.runs.push((level + 1, merged));
        }
        Ok(())
    }

    /// The last `n` runs merged into one.
    fn merge_last(&mut self, n: usize, read_ahead: usize) -> io::Result<File> {
        let from = self.runs.len().saturating_sub(n);
        let files = self.runs.drain(from..).map(|(_, f)| f).collect();
        let mut merged = Sorted::merging(files, read_ahead)?;
        let mut out = RunWriter::new()?;
        while let Some((a, b, data)) = merged.next()? {
            out.write(a, b, data)?;
        }
        out.finish()
    }

    /// All the records, in the order of their keys.
    pub(crate) fn sorted(mut self) -> io::Result<Sorted> {
        if self.runs.is_empty() {
            self.entries.sort_unstable_by_key(|&(a, b, _, _)| (a, b));
            self.entries.reverse();
            return Ok(Sorted {
                source: Source::Memory {
                    entries: self.entries,
                    bytes: self.bytes,
                },
                data: Vec::new(),
            });
        }
        self.spill()?;
        // The gathering buffers are not needed while merging.
        self.entries = Vec::new();
        self.bytes = Vec::new();
        let read_ahead = (self.budget / self.fan_in).clamp(4096, READ_AHEAD);
        // The smallest runs are the last: merge them until few are left.
        while self.runs.len() > self.fan_in {
            let n = (self.runs.len() - self.fan_in + 1).min(self.fan_in);
            let merged = self.merge_last(n, read_ahead)?;
            self.runs.push((u32::MAX, merged));
        }
        let read_ahead = (self.budget / self.runs.len()).clamp(4096, READ_AHEAD);
        let files = std::mem::take(&mut self.runs).into_iter().map(|(_, f)| f);
        Sorted::merging(files.collect(), read_ahead)
    }
}

/// A run being written: records in the order given.
struct RunWriter(BufWriter<File>);

impl RunWriter {
    fn new() -> io::Result<RunWriter> {
        Ok(RunWriter(BufWriter::with_capacity(
            READ_AHEAD,
            tempfile::tempfile()?,
        )))
    }

    fn write(&mut self, a: u64, b: u64, data: &[u8]) -> io::Result<()> {
        let len = u32::try_from(data.len()).map_err(|_| too_long())?;
        self.0.write_all(&a.to_le_bytes())?;
        self.0.write_all(&b.to_le_bytes())?;
        self.0.write_all(&len.to_le_bytes())?;
        self.0.write_all(data)
    }

    /// The run, ready to be read from its start.
    fn finish(self) -> io::Result<File> {
        let mut file = self
            .0
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        Ok(file)
    }
}

fn too_long() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "a record of 4 GiB or more")
}

/// The records in key order, read one at a time.
pub(crate) struct Sorted {
    source: Source,
    /// The bytes of the record last read.
    data: Vec<u8>,
}

enum Source {
    /// Everything fitted in memory: the entries sorted, last first.
    Memory {
        entries: Vec<(u64, u64, u32, u32)>,
        bytes: Vec<u8>,
    },
    /// Runs on disk, merged: the heap holds each run's next keys.
    Runs {
        runs: Vec<Run>,
        heap: BinaryHeap<Reverse<(u64, u64, usize)>>,
    },
}

/// One run being merged, and the bytes of its next record.
struct Run {
    file: BufReader<File>,
    data: Vec<u8>,
}

impl Run {
    /// Reads the next record's keys (its bytes into `data`).
    fn next(&mut self) -> io::Result<Option<(u64, u64)>> {
        let mut head = [0u8; 20];
        match self.file.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&head[i..i + 8]);
            u64::from_le_bytes(w)
        };
        let mut len = [0u8; 4];
        len.copy_from_slice(&head[16..]);
        self.data.resize(u32::from_le_bytes(len) as usize, 0);
        self.file.read_exact(&mut self.data)?;
        Ok(Some((word(0), word(8))))
    }
}

impl Sorted {
    /// The records of `files` (runs, each in key order), merged; of equal
    /// keys, those of the earlier file first.
    fn merging(files: Vec<File>, read_ahead: usize) -> io::Result<Sorted> {
        let mut runs: Vec<Run> = files
            .into_iter()
            .map(|f| Run {
                file: BufReader::with_capacity(read_ahead, f),
                data: Vec::new(),
            })
            .collect();
        let mut heap = BinaryHeap::with_capacity(runs.len());
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some((a, b)) = run.next()? {
                heap.push(Reverse((a, b, i)));
            }
        }
        Ok(Sorted {
            source: Source::Runs { runs, heap },
            data: Vec::new(),
        })
    }

    /// The next record: its keys and its bytes.
    pub(crate) fn next(&mut self) -> io::Result<Option<(u64, u64, &[u8])>> {
        match &mut self.source {
            Source::Memory { entries, bytes } => Ok(entries
                .pop()
                .map(|(a, b, start, len)| (a, b, &bytes[start as usize..][..len as usize]))),
            Source::Runs { runs, heap } => {
                let Some(Reverse((a, b, i))) = heap.pop() else {
                    return Ok(None);
                };
                let run = &mut runs[i];
                std::mem::swap(&mut self.data, &mut run.data);
                if let Some((a, b)) = run.next()? {
                    heap.push(Reverse((a, b, i)));
                }
                Ok(Some((a, b, &self.data)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut s: Sorted) -> Vec<(u64, u64, Vec<u8>)> {
        let mut out = Vec::new();
        while let Some((a, b, d)) = s.next().unwrap() {
            out.push((a, b, d.to_vec()));
        }
        out
    }

    fn records() -> Vec<(u64, u64, Vec<u8>)> {
        // A scrambled order, with equal first keys and bytes of all lengths.
        (0..100_000u64)
            .map(|i| {
                let k = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                (
                    k % 97,
                    k >> 40,
                    format!("{i:x}").repeat((i % 4) as usize).into_bytes(),
                )
            })
            .collect()
    }

    #[test]
    fn runs_on_disk_merge_into_the_order_of_the_keys() {
        for budget in [0, 1 << 20, 64 << 20] {
            let mut s = SortedRuns::new(budget);
            for (a, b, d) in records() {
                s.push(a, b, &d).unwrap();
            }
            let spilled = !s.runs.is_empty();
            assert_eq!(spilled, budget < 64 << 20, "budget {budget}");
            let mut want = records();
            want.sort();
            assert_eq!(all(s.sorted().unwrap()), want, "budget {budget}");
        }
    }

    #[test]
    fn many_runs_merge_a_few_at_a_time_into_the_same_order() {
        // Runs of 819 records (a budget of 32 KiB, three fifths of it for
        // entries of 24 bytes), merged 2 or 3 at a time: 123 runs make 7
        // levels (fan-in 2), and more runs are left at the end than merge
        // at once. Records of equal
        // keys (`i % 7` of them agree on both) must keep their order too,
        // as one merge of all the runs gives it.
        let records: Vec<(u64, u64, Vec<u8>)> = (0..100_000u64)
            .map(|i| {
                (
                    i.wrapping_mul(0x9e37_79b9_7f4a_7c15) % 5,
                    i % 7,
                    i.to_le_bytes().to_vec(),
                )
            })
            .collect();
        let sorted_with = |fan_in: usize| {
            let mut s = SortedRuns::new(0);
            s.budget = LEAST_SET * 8;
            s.fan_in = fan_in;
            let mut most_open = 0;
            for (a, b, d) in &records {
                s.push(*a, *b, d).unwrap();
                most_open = most_open.max(s.runs.len());
            }
            (all(s.sorted().unwrap()), most_open)
        };
        let (once, open) = sorted_with(usize::MAX);
        assert_eq!(open, 122, "the runs written before the last, at once");
        for fan_in in [2, 3] {
            let (passes, open) = sorted_with(fan_in);
            assert!(passes == once, "fan-in {fan_in}: another order");
            // (fan_in - 1) runs a level at most, and a level per factor fan_in.
            assert!(
                open <= (fan_in - 1) * 7 + 1,
                "fan-in {fan_in}: {open} runs open"
            );
        }
        let mut keys: Vec<(u64, u64)> = records.iter().map(|r| (r.0, r.1)).collect();
        keys.sort();
        assert_eq!(once.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), keys);
    }

    #[test]
    fn nothing_sorted_is_nothing() {
        assert!(all(SortedRuns::new(0).sorted().unwrap()).is_empty());
    }
}
