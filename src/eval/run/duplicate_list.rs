//! Duplicate ids of a log too long for the table of ids seen
//! (`seen_ids.rs`) to fit the memory allowed: found by reading the log once
//! before it is evaluated, with memory that does not grow with it.
//!
//! The pass reads only each row's id. Every row with an id is a record
//! (hash of the id, the row's number among the rows with an id; its line and
//! the id itself), sorted on disk by hash and number (`sorted_runs.rs`), so
//! that the rows of an id come together, first row first. Within one hash
//! the ids themselves are compared: two different ids whose hashes agree are
//! two tickets, never a duplicate. Each later row of an id gives a pair
//! (its number, the first row's line), sorted on disk again, by number: the
//! evaluation reads the pairs in step with the rows it writes, holding one.
//!
//! Rows are numbered, not named by line, because a grouped export hands its
//! tickets on in an order that is not their lines' (`export_groups.rs`):
//! the pass reads the log through the same reader, so the n-th row with an
//! id is the same row in both readings.

use std::sync::mpsc::{sync_channel, SyncSender};

use crate::eval::error::EvalError;
use crate::eval::input::log_reader::LogReader;
use crate::eval::input::sorted_runs::{Sorted, SortedRuns};
use crate::eval::run::seen_ids::id_hash;

/// Rows per chunk where the reader reads rows itself.
const CHUNK: usize = 1024;
/// Chunks of ids read but not yet sorted.
const IN_FLIGHT: usize = 4;

/// The rows that repeat an earlier row's id, in the order of the log.
pub(crate) struct DuplicateList {
    pairs: Sorted,
    /// The next pair not yet asked for: (row number, first line).
    next: Option<(u64, u64)>,
}

impl DuplicateList {
    /// Reads the log (from its start) and finds its duplicates, with about
    /// `budget` bytes of memory for sorting. One thread reads and parses
    /// the log while this one sorts its ids, so the two overlap.
    pub(crate) fn find(reader: LogReader, budget: usize) -> Result<DuplicateList, EvalError> {
        let mut ids = SortedRuns::new(budget);
        let mut number = 0u64;
        std::thread::scope(|scope| -> Result<(), EvalError> {
            // A few chunks in flight: memory stays at that many.
            let (tx, rx) = sync_channel(IN_FLIGHT);
            scope.spawn(move || read_ids(reader, &tx));
            for packed in rx {
                let packed = packed?;
                for (hash, record) in Packed(&packed) {
                    ids.push(hash, number, record).map_err(|e| temp_error(&e))?;
                    number += 1;
                }
            }
            Ok(())
        })?;
        let sorted = ids.sorted().map_err(|e| temp_error(&e))?;
        let pairs = later_rows(sorted, budget).map_err(|e| temp_error(&e))?;
        let mut list = DuplicateList { pairs, next: None };
        list.advance()?;
        Ok(list)
    }

    fn advance(&mut self) -> Result<(), EvalError> {
        self.next = self
            .pairs
            .next()
            .map_err(|e| temp_error(&e))?
            .map(|(number, first, _)| (number, first));
        Ok(())
    }

    /// The line of the first row with the id of row `number` (counting the
    /// rows with an id from 0), if that row is not the first; `number`s are
    /// asked for in increasing order.
    pub(crate) fn first_line(&mut self, number: u64) -> Result<Option<u64>, EvalError> {
        while let Some((n, first)) = self.next {
            if n > number {
                break;
            }
            self.advance()?;
            if n == number {
                return Ok(Some(first));
            }
        }
        Ok(None)
    }
}

/// Reads the ids of `reader`'s rows, chunk by chunk, and sends each chunk's
/// as one buffer of records (hash, then the record `find` sorts: the line
/// and the id, its length first), until the log ends, an error (sent on),
/// or the receiver is gone.
fn read_ids(mut reader: LogReader, tx: &SyncSender<Result<Vec<u8>, EvalError>>) {
    while let Some(chunk) = reader.next_chunk(CHUNK) {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let mut packed = Vec::new();
        chunk.for_each_row(|raw| {
            // A row without an id is no duplicate (as in `driver.rs`).
            if raw.id.is_empty() {
                return;
            }
            let len = 8 + raw.id.len() as u64;
            packed.extend_from_slice(&id_hash(raw.id).to_le_bytes());
            packed.extend_from_slice(&len.to_le_bytes());
            packed.extend_from_slice(&raw.line.to_le_bytes());
            packed.extend_from_slice(raw.id.as_bytes());
        });
        reader.recycle(chunk);
        if tx.send(Ok(packed)).is_err() {
            return;
        }
    }
}

/// The records of a buffer [`read_ids`] made: (hash, record).
struct Packed<'a>(&'a [u8]);

impl<'a> Iterator for Packed<'a> {
    type Item = (u64, &'a [u8]);

    fn next(&mut self) -> Option<(u64, &'a [u8])> {
        let (hash, rest) = self.0.split_first_chunk::<8>()?;
        let (len, rest) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        let record = rest.get(..len)?;
        self.0 = &rest[len..];
        Some((u64::from_le_bytes(*hash), record))
    }
}

/// From the records sorted by hash and number, the later rows of each id:
/// (number, first line), sorted by number.
fn later_rows(mut sorted: Sorted, budget: usize) -> std::io::Result<Sorted> {
    let mut pairs = SortedRuns::new(budget);
    // The distinct ids of the current hash, with their first lines: one but
    // where two ids' hashes agree. Their buffers are reused.
    let mut ids: Vec<(Vec<u8>, u64)> = Vec::new();
    let mut distinct = 0;
    let mut hash = None;
    while let Some((h, number, record)) = sorted.next()? {
        if hash != Some(h) {
            hash = Some(h);
            distinct = 0;
        }
        // Every record starts with its line (`find`).
        let Some((line, id)) = record.split_first_chunk::<8>() else {
            continue;
        };
        let line = u64::from_le_bytes(*line);
        match ids[..distinct].iter().find(|(seen, _)| seen == id) {
            Some(&(_, first)) => pairs.push(number, first, &[])?,
            None => {
                if distinct == ids.len() {
                    ids.push((Vec::new(), 0));
                }
                let slot = &mut ids[distinct];
                slot.0.clear();
                slot.0.extend_from_slice(id);
                slot.1 = line;
                distinct += 1;
            }
        }
    }
    pairs.sorted()
}

fn temp_error(e: &std::io::Error) -> EvalError {
    EvalError::new(format!(
        "cannot use a temporary file in {} to find duplicate ids in a long log ({e}); make room there, or point TMPDIR to a folder with room",
        std::env::temp_dir().display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records as `find` makes them: (hash, number, line and id).
    fn pairs(rows: &[(u64, &str)]) -> Vec<(u64, u64)> {
        let mut ids = SortedRuns::new(0);
        for (number, &(hash, id)) in rows.iter().enumerate() {
            let line = number as u64 + 2;
            let record = [&line.to_le_bytes()[..], id.as_bytes()].concat();
            ids.push(hash, number as u64, &record).unwrap();
        }
        let mut sorted = later_rows(ids.sorted().unwrap(), 0).unwrap();
        let mut out = Vec::new();
        while let Some((number, first, _)) = sorted.next().unwrap() {
            out.push((number, first));
        }
        out
    }

    #[test]
    fn ids_whose_hashes_agree_are_two_tickets() {
        // A and B share a hash (as two ids might, once in a great while):
        // neither is the other's duplicate; a later A names A's line, a
        // later B names B's, and C (another hash) its own.
        let rows = [(7, "A"), (7, "B"), (9, "C"), (7, "B"), (7, "A"), (9, "C")];
        assert_eq!(pairs(&rows), vec![(3, 3), (4, 2), (5, 4)]);
    }

    #[test]
    fn a_log_without_repeats_lists_nothing() {
        assert!(pairs(&[(1, "A"), (2, "B"), (3, "C")]).is_empty());
    }
}
