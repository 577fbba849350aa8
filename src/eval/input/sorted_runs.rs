//! Sorting more records than memory may hold: records are gathered up to a
//! budget of bytes, sorted, and written to an unnamed temporary file as a
//! run; the runs are then merged. A record is two 64-bit keys, by which it
//! is sorted, and a few bytes that travel with it.
//!
//! The files are made by `tempfile::tempfile` in the system's temporary
//! folder and have no name from the start: the system removes them when
//! they are closed, whether the run ends well, with an error, or is killed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// What one record takes in memory besides its bytes.
const ENTRY: usize = std::mem::size_of::<(u64, u64, u32, u32)>();
/// Bytes written at once, and read ahead from each run while merging (less
/// when there are many runs, to stay within the budget).
const READ_AHEAD: usize = 64 * 1024;
/// The least budget taken: a run is at least this big, so that a small
/// budget does not make a file of every record.
const LEAST: usize = 1 << 20;
/// The most: an entry's offset into the bytes is 32 bits.
const MOST: usize = 1 << 30;

/// Records gathered, and the runs already written.
pub(crate) struct SortedRuns {
    /// (first key, second key, start of the bytes in `bytes`, their length).
    entries: Vec<(u64, u64, u32, u32)>,
    bytes: Vec<u8>,
    runs: Vec<File>,
    budget: usize,
}

impl SortedRuns {
    /// Gathers at most `budget` bytes (1 MiB to 1 GiB) in memory before
    /// writing a run: the buffers are made at their full size when the
    /// first record comes, and never grow (a doubling vector would take up
    /// to twice what it holds).
    pub(crate) fn new(budget: usize) -> SortedRuns {
        SortedRuns {
            entries: Vec::new(),
            bytes: Vec::new(),
            runs: Vec::new(),
            budget: budget.clamp(LEAST, MOST),
        }
    }

    /// Adds a record.
    pub(crate) fn push(&mut self, a: u64, b: u64, data: &[u8]) -> io::Result<()> {
        if self.entries.capacity() == 0 {
            // Three fifths for the entries: a record's bytes are usually
            // fewer than an entry's 24.
            self.entries = Vec::with_capacity(self.budget / 5 * 3 / ENTRY);
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

    /// Writes the records gathered as a run.
    fn spill(&mut self) -> io::Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        self.entries.sort_unstable_by_key(|&(a, b, _, _)| (a, b));
        let mut out = BufWriter::with_capacity(READ_AHEAD, tempfile::tempfile()?);
        for &(a, b, start, len) in &self.entries {
            let data = &self.bytes[start as usize..][..len as usize];
            out.write_all(&a.to_le_bytes())?;
            out.write_all(&b.to_le_bytes())?;
            out.write_all(&len.to_le_bytes())?;
            out.write_all(data)?;
        }
        let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
        self.entries.clear();
        self.bytes.clear();
        Ok(())
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
        drop((self.entries, self.bytes));
        let read_ahead = (self.budget / self.runs.len()).clamp(4096, READ_AHEAD);
        let mut runs: Vec<Run> = self
            .runs
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
    fn nothing_sorted_is_nothing() {
        assert!(all(SortedRuns::new(0).sorted().unwrap()).is_empty());
    }
}
