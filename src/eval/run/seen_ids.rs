//! The ids seen so far in a run, to tell a second row of an id from the
//! first (SEMANTICS.md: "a second row with an id already seen: the later row
//! is `invalid`, its reason names the first line").
//!
//! The table is filled in the log's order, where the driver puts evaluated
//! chunks back in order (`driver.rs`), so the later of two rows is the
//! duplicate whatever the order the chunks were evaluated in.
//!
//! Telling a second row from a first cannot be done without a trace of
//! every id, so the trace is small, and kept to a budget: a log with more
//! ids has its duplicates listed on disk instead (`duplicates.rs`). Here: one 64-bit word a slot, the low 40 bits of a hash of
//! the id over the 24 bits of the line it was first seen on (a line past
//! 16,777,214 is marked in the word and kept beside the table with the
//! whole hash), in an open-addressed table (linear probing, the home slot
//! taken from the hash's high bits) filled to at most 88%. It is made once,
//! at the size the log is guessed to need from the share of it read so far:
//! about 9.5 bytes an id, 10 MB for a million. A slot does not keep the
//! bits its home was found by, so a full table cannot be moved to a bigger
//! one; when the guess falls short (or there is none), a further table is
//! made beside it and every id is looked up in both.
//!
//! Two different ids are taken for one when their 40 bits agree and the
//! later one's search passes the earlier one's slot: a table filled to 88%
//! compares 3.7 slots an id on average, so for n ids the chance is about
//! 3.7·n/2⁴⁰: 3 in a million runs of a million ids, 1 in 85,000 runs of
//! the 3.5 million the budget allows. Such a pair would show as a duplicate
//! naming another id's line. Ruling it out would take keeping every id in
//! full, several times the memory, for a risk far below that of a mistyped
//! id in the export (the list on disk does compare ids in full).

use std::hash::{BuildHasher, Hasher};

use rustc_hash::FxHashMap;

/// The hash of an id: 64 well-mixed bits.
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(id.as_bytes());
    // FxHash leaves the high bits weak, and the home slot is taken from
    // them: a finaliser spreads every bit (MurmurHash3's fmix64).
    let mut x = h.finish() ^ (id.len() as u64).rotate_left(32);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

/// The bits of a slot that hold the line.
const LINE_BITS: u32 = 24;
const LINE_MASK: u64 = (1 << LINE_BITS) - 1;
/// The line field of an id first seen on a line this far or further: its
/// line is in [`SeenIds::far`].
const FAR: u64 = LINE_MASK;
/// The most slots a table fills, in hundredths.
const LOAD: usize = 88;

/// Ids seen, each with the line it was first seen on.
#[derive(Debug, Default)]
pub(crate) struct SeenIds {
    /// The tables, the one being filled last.
    tables: Vec<Table>,
    len: usize,
    /// The first lines of ids first seen on a line from `FAR` on, by whole hash.
    far: FxHashMap<u64, u64>,
}

/// One open-addressed table: 0 is a free slot, else a hash's low 40 bits
/// over a line (never 0: a line of a log is at least 1).
#[derive(Debug, Default)]
struct Table {
    slots: Vec<u64>,
    len: usize,
}

/// What a search for an id in a table found.
enum Found {
    /// The id's slot.
    Id(u64),
    /// Not there; the free slot where it would go.
    Free(usize),
}

impl Table {
    fn with_room_for(ids: usize) -> Table {
        Table {
            slots: vec![0; ids.saturating_mul(100) / LOAD + 1],
            len: 0,
        }
    }

    fn room(&self) -> usize {
        (self.slots.len() * LOAD / 100).saturating_sub(self.len)
    }

    /// Looks for the id of hash `key` (`far` tells ids first seen far
    /// down the log apart by their whole hash).
    #[inline]
    fn find(&self, key: u64, far: &FxHashMap<u64, u64>) -> Found {
        let n = self.slots.len();
        let fingerprint = key << LINE_BITS;
        let mut i = home(key, n);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return Found::Free(i);
            }
            if slot & !LINE_MASK == fingerprint {
                match slot & LINE_MASK {
                    FAR => {
                        if let Some(&first) = far.get(&key) {
                            return Found::Id(first);
                        }
                    }
                    first => return Found::Id(first),
                }
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    }
}

impl SeenIds {
    /// The ids entered so far.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Makes room for `more` ids besides those entered, at once for all
    /// the `guess` ids the log is thought to hold (when the caller can
    /// guess, and more than are needed now).
    pub(crate) fn make_room(&mut self, more: usize, guess: usize) {
        if self.tables.last().is_some_and(|t| t.room() >= more) {
            return;
        }
        let need = self.len + more;
        let ids = if guess > need {
            // A margin for a guess made from the early rows' length.
            guess - self.len + guess / 25
        } else {
            // No guess: each table holds three times what the ones before
            // it do, so that an id is looked up in few.
            (self.len * 3).max(more).max(1 << 14)
        };
        self.tables.push(Table::with_room_for(ids));
    }

    /// Reads the home slots of `keys` in the table being filled, before
    /// they are entered one by one: these reads do not wait for each other,
    /// so the processor overlaps their cache misses, which the entering
    /// would take in turn (a table of millions of ids is far bigger than
    /// the caches).
    pub(crate) fn warm(&self, keys: impl Iterator<Item = u64>) {
        if let Some(t) = self.tables.last() {
            let n = t.slots.len();
            let touched = keys.fold(0, |acc, key| acc ^ t.slots[home(key, n)]);
            std::hint::black_box(touched);
        }
    }

    /// Enters the id of hash `key`, first seen at `line`; `Some(first
    /// line)` when it was there already.
    #[cfg(test)]
    pub(crate) fn insert(&mut self, key: u64, line: u64) -> Option<u64> {
        let mut first = None;
        self.insert_all(&[(key, line)], |_, f| first = Some(f));
        first
    }

    /// Enters the ids of `ids` in order ((hash, line) of each), room made
    /// for all of them at once rather than looked for id by id; `found(line,
    /// first line)` is told of each that was there already.
    pub(crate) fn insert_all(&mut self, ids: &[(u64, u64)], mut found: impl FnMut(u64, u64)) {
        self.make_room(ids.len(), 0);
        // `make_room` has made a table with room for all.
        let Some((last, full)) = self.tables.split_last_mut() else {
            return;
        };
        let far = &mut self.far;
        for &(key, line) in ids {
            let earlier = full.iter().find_map(|t| match t.find(key, far) {
                Found::Id(first) => Some(first),
                Found::Free(_) => None,
            });
            if let Some(first) = earlier {
                found(line, first);
                continue;
            }
            let free = match last.find(key, far) {
                Found::Id(first) => {
                    found(line, first);
                    continue;
                }
                Found::Free(i) => i,
            };
            let field = if line < FAR {
                line.max(1)
            } else {
                far.insert(key, line);
                FAR
            };
            last.slots[free] = key << LINE_BITS | field;
            last.len += 1;
            self.len += 1;
        }
    }
}

/// The home slot of a hash among `n` (any number, not only a power of
/// two: a table is made the size it needs), from the hash's high bits.
fn home(key: u64, n: usize) -> usize {
    ((u128::from(key) * n as u128) >> 64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_entry_of_an_id_names_the_first_line() {
        let mut t = SeenIds::default();
        t.make_room(1000, 100_000);
        for i in 0..100_000u64 {
            assert_eq!(t.insert(id_hash(&format!("T-{i}")), i + 2), None);
        }
        assert_eq!(t.insert(id_hash("T-77"), 999), Some(79));
        assert_eq!(t.insert(id_hash("T-77"), 1000), Some(79));
        assert_eq!(t.len(), 100_000);
        assert_eq!(t.tables.len(), 1, "made once, from the guess");
        let slots = t.tables[0].slots.len();
        assert!(slots < 120_000, "{slots} slots for 100,000 ids");
    }

    #[test]
    fn without_a_guess_further_tables_are_made_and_all_are_searched() {
        let mut t = SeenIds::default();
        for i in 0..200_000u64 {
            assert_eq!(t.insert(id_hash(&format!("T-{i}")), i + 2), None);
        }
        assert!(
            t.tables.len() > 1 && t.tables.len() < 6,
            "{}",
            t.tables.len()
        );
        for i in (0..200_000u64).step_by(997) {
            assert_eq!(t.insert(id_hash(&format!("T-{i}")), 1), Some(i + 2));
        }
        assert_eq!(t.len(), 200_000);
    }

    #[test]
    fn lines_past_the_slots_reach_are_kept_whole() {
        let mut t = SeenIds::default();
        let far = FAR + 12_345_678;
        assert_eq!(t.insert(id_hash("A"), far), None);
        assert_eq!(t.insert(id_hash("B"), FAR), None);
        assert_eq!(t.insert(id_hash("C"), 5), None);
        assert_eq!(t.insert(id_hash("A"), far + 1), Some(far));
        assert_eq!(t.insert(id_hash("B"), far + 2), Some(FAR));
        assert_eq!(t.insert(id_hash("C"), far + 3), Some(5));
    }
}
