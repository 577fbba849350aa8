//! Telling, as each evaluated chunk is written in log order, which of its
//! rows repeat an earlier row's id (SEMANTICS.md: "a second row with an id
//! already seen: the later row is `invalid`, its reason names the first
//! line").
//!
//! Two ways, one answer. While the log's ids fit a budget of memory, each is
//! entered into the table of ids seen (`seen_ids.rs`, about 9.5 bytes an
//! id). When the log is guessed (from the share of it read) or found to
//! hold more, the log is read once more from its start, for its ids only,
//! and its duplicates are listed on disk (`duplicate_list.rs`); the rows
//! from there on are looked up in that list, and the table is dropped. So
//! memory stays within the budget whatever the log's length. A log read
//! through a pipe is read again from the copy kept of it as it was read
//! (`input/piped_log.rs`); only a spreadsheet (read whole) keeps the table.
//!
//! The budget is 32 MiB (about 3.5 million ids), or what the environment
//! variable `SLA_ID_MEMORY` sets (`memory_budget.rs`; 0: always list on
//! disk, which tests use to take the long way on short logs).

use crate::eval::error::EvalError;
use crate::eval::input::log_reader::Reopening;
use crate::eval::input::memory_budget::Budget;
use crate::eval::run::duplicate_list::DuplicateList;
use crate::eval::run::seen_ids::SeenIds;

/// The memory the table of ids seen may take (and the list's sorting half of it).
const BUDGET: usize = 32 << 20;
/// What a table takes per id (a word a slot, filled to 88%, and a margin).
const BYTES_PER_ID: usize = 10;

/// The ids seen so far, in the table or listed on disk.
pub(crate) struct Duplicates {
    seen: SeenIds,
    /// The log to open again, for the list (`None`: it cannot be read twice).
    again: Option<Reopening>,
    list: Option<DuplicateList>,
    budget: usize,
    /// The rows with an id so far.
    rows: u64,
    /// The log's size, to guess from the share read how many ids it holds.
    log_bytes: u64,
}

impl Duplicates {
    /// For a log of `log_bytes`, which `again` reads once more if needed;
    /// an error when `SLA_ID_MEMORY` is set to no number of bytes.
    pub(crate) fn new(again: Option<Reopening>, log_bytes: u64) -> Result<Duplicates, EvalError> {
        let budget = Budget::Ids.read()?.unwrap_or(BUDGET);
        Ok(Duplicates {
            seen: SeenIds::default(),
            again,
            list: None,
            budget,
            rows: 0,
            log_bytes,
        })
    }

    /// Takes a chunk's ids in log order ((hash, line) of each row with an
    /// id; `read`: the bytes of the log read with the chunk), and returns
    /// its rows that repeat an earlier row's id, if any: (line, first
    /// line), the first duplicate last.
    pub(crate) fn chunk(
        &mut self,
        ids: &[(u64, u64)],
        read: u64,
    ) -> Result<Option<Vec<(u64, u64)>>, EvalError> {
        // The ids of the whole log, guessed from the share of it read so far,
        // so that the table is made the right size once (`seen_ids.rs`).
        let so_far = (self.seen.len() + ids.len()) as u128;
        let guess = match read {
            0 => 0,
            read => so_far * u128::from(self.log_bytes.max(read)) / u128::from(read),
        };
        let guess = usize::try_from(guess).unwrap_or(usize::MAX);
        if self.list.is_none() && self.again.is_some() {
            let room = self.budget / BYTES_PER_ID;
            if guess.max(self.seen.len() + ids.len()) > room {
                self.list_on_disk()?;
            }
        }
        let mut dups = Vec::new();
        match &mut self.list {
            Some(list) => {
                for &(_, line) in ids {
                    if let Some(first) = list.first_line(self.rows)? {
                        dups.push((line, first));
                    }
                    self.rows += 1;
                }
            }
            None => {
                let seen = &mut self.seen;
                seen.make_room(ids.len(), guess);
                seen.warm(ids.iter().map(|&(key, _)| key));
                seen.insert_all(ids, |line, first| dups.push((line, first)));
                self.rows += ids.len() as u64;
            }
        }
        if dups.is_empty() {
            return Ok(None);
        }
        dups.reverse();
        Ok(Some(dups))
    }

    /// Lists the log's duplicates on disk; the table is dropped.
    fn list_on_disk(&mut self) -> Result<(), EvalError> {
        if let Some(again) = self.again.take() {
            self.seen = SeenIds::default();
            // Half the budget for sorting, so that a long log's peak stays
            // near a short one's.
            self.list = Some(DuplicateList::find(again.open()?, self.budget / 2)?);
        }
        Ok(())
    }
}
