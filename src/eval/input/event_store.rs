//! Where the event log's events wait for their tickets. The ticket log is
//! streamed in any order, so each ticket's history must be at hand when its
//! row comes; but memory must not grow with the event log. Events are kept
//! grouped by ticket in a compact form (an event in 24 bytes, an id once,
//! in about 24 bytes besides its text) while they fit in a budget
//! (`SLA_EVENTS_MEMORY`, 64 MiB by default); past it each batch is grouped
//! and appended to a file on disk, with an index of where each ticket's
//! groups are (`event_spill`). Either way, a ticket's events come back in
//! time order, and the store knows which tickets were asked for, to name
//! the events whose ticket never came.

use std::hash::Hasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use crate::eval::error::EvalError;
use crate::eval::input::event_spill::{GroupWriter, Spilled};
use crate::eval::input::logged_event::{LoggedEvent, Packed};
use crate::eval::input::memory_budget::Budget;

/// The memory budget of the events when `SLA_EVENTS_MEMORY` does not set one.
const DEFAULT_BUDGET: usize = 64 << 20;

/// The fewest bytes a budget may be: a smaller one would write a run every
/// few events.
const MIN_BUDGET: usize = 64 << 10;

/// The hash by which tickets are grouped (in memory and on disk).
fn id_hash(id: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(id.as_bytes());
    h.finish()
}

/// The memory budget of the events: `SLA_EVENTS_MEMORY` (`memory_budget.rs`),
/// or 64 MiB; at least 64 KiB.
pub(crate) fn budget_from_env() -> Result<usize, EvalError> {
    let set = Budget::Events.read()?;
    Ok(set.map_or(DEFAULT_BUDGET, |n| n.max(MIN_BUDGET)))
}

/// Ticket ids, each interned once: their text in one string, found by a
/// table of their numbers.
#[derive(Debug, Default)]
struct Ids {
    table: HashTable<u32>,
    text: String,
    /// Where each id's text ends in `text`.
    ends: Vec<usize>,
    hashes: Vec<u64>,
}

impl Ids {
    fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let from = i.checked_sub(1).map_or(0, |p| self.ends[p]);
        &self.text[from..self.ends[i]]
    }

    fn find(&self, hash: u64, id: &str) -> Option<u32> {
        self.table.find(hash, |&i| self.get(i) == id).copied()
    }

    /// The number of `id`, interned if new.
    fn intern(&mut self, id: &str) -> u32 {
        let hash = id_hash(id);
        if let Some(i) = self.find(hash, id) {
            return i;
        }
        let i = self.ends.len() as u32;
        self.text.push_str(id);
        self.ends.push(self.text.len());
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, i, |&j| hashes[j as usize]);
        i
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes held, about (the table's slots at its load factor of 7/8).
    fn bytes(&self) -> usize {
        self.table.len() * 6 + self.text.len() + self.ends.len() * (size_of::<usize>() + 8)
    }
}

/// An event and its ticket's number, 24 bytes.
#[derive(Debug, Clone, Copy)]
struct Rec {
    secs: i64,
    nanos_line: u64,
    what: u32,
    /// The ticket's number in [`Ids`].
    id: u32,
}

impl Rec {
    fn packed(&self) -> Packed {
        Packed {
            secs: self.secs,
            nanos_line: self.nanos_line,
            what: self.what,
        }
    }
}

/// A batch of events grouped by ticket, the tickets numbered in the order
/// they first appear in it.
#[derive(Debug, Default)]
struct Batch {
    ids: Ids,
    recs: Vec<Rec>,
    /// After [`Batch::sort`]: the first event of each ticket (one more, the
    /// end).
    starts: Vec<usize>,
}

impl Batch {
    /// Groups the events by ticket, each ticket's in time order.
    fn sort(&mut self) {
        self.recs.sort_unstable_by_key(|e| (e.id, e.packed()));
        self.starts.clear();
        self.starts.reserve(self.ids.len() + 1);
        let mut at = 0;
        for i in 0..self.ids.len() as u32 {
            self.starts.push(at);
            while at < self.recs.len() && self.recs[at].id == i {
                at += 1;
            }
        }
        self.starts.push(at);
    }

    /// The events of ticket number `i`, in order.
    fn events(&self, i: usize) -> impl ExactSizeIterator<Item = Packed> + '_ {
        self.recs[self.starts[i]..self.starts[i + 1]]
            .iter()
            .map(Rec::packed)
    }

    /// Appends the sorted batch's groups to `out`, in the order its tickets
    /// first appear: most often the order in which they will be asked for.
    fn write(&self, out: &mut GroupWriter) -> std::io::Result<()> {
        for i in 0..self.ids.len() {
            out.group(self.ids.hashes[i], self.ids.get(i as u32), self.events(i))?;
        }
        Ok(())
    }
}

/// Gathers the events as the log is read.
pub(crate) struct Collector {
    budget: usize,
    batch: Batch,
    /// The batches written to disk, once the first is.
    disk: Option<GroupWriter>,
}

fn disk_error(e: std::io::Error) -> EvalError {
    EvalError::new(format!(
        "the event log is larger than its memory budget, and writing it to the temporary directory ({}) failed: {e}; free space there, point TMPDIR elsewhere, or raise SLA_EVENTS_MEMORY",
        std::env::temp_dir().display()
    ))
}

impl Collector {
    /// A collector that keeps at most about `budget` bytes of events in
    /// memory: half for the events, whose room is taken at once so that it
    /// is never grown by copying (the pages not yet written are not
    /// resident), a quarter for the ids, and once they spill an eighth for
    /// sorting the index of the file (16 bytes a ticket, so a few runs).
    pub(crate) fn new(budget: usize) -> Collector {
        let batch = Batch {
            recs: Vec::with_capacity((budget / 2 / size_of::<Rec>()).max(1024)),
            ..Batch::default()
        };
        Collector {
            budget,
            batch,
            disk: None,
        }
    }

    /// Adds the events of one row of ticket `id`.
    pub(crate) fn push(&mut self, id: &str, events: &[LoggedEvent]) -> Result<(), EvalError> {
        if self.batch.recs.len() + events.len() > self.batch.recs.capacity() {
            self.spill()?;
        }
        let i = self.batch.ids.intern(id);
        for e in events {
            let p = Packed::new(e);
            self.batch.recs.push(Rec {
                secs: p.secs,
                nanos_line: p.nanos_line,
                what: p.what,
                id: i,
            });
        }
        if self.batch.ids.bytes() > self.budget / 4 {
            self.spill()?;
        }
        Ok(())
    }

    /// Appends the batch to the file on disk, and empties it (its memory kept).
    fn spill(&mut self) -> Result<(), EvalError> {
        self.batch.sort();
        let out = match &mut self.disk {
            Some(out) => out,
            None => self
                .disk
                .insert(GroupWriter::new(self.budget / 8).map_err(disk_error)?),
        };
        self.batch.write(out).map_err(disk_error)?;
        let b = &mut self.batch;
        b.recs.clear();
        b.starts = Vec::new();
        b.ids.table.clear();
        b.ids.text.clear();
        b.ids.ends.clear();
        b.ids.hashes.clear();
        Ok(())
    }

    /// The events, grouped and ready for lookups.
    pub(crate) fn finish(mut self) -> Result<EventStore, EvalError> {
        self.batch.sort();
        let form = match self.disk.take() {
            None => Form::Memory(self.batch),
            Some(mut out) => {
                if !self.batch.recs.is_empty() {
                    self.batch.write(&mut out).map_err(disk_error)?;
                }
                drop(self.batch);
                // The batch's room, given back, holds the index's blocks read.
                Form::Disk(out.finish(self.budget / 4).map_err(disk_error)?)
            }
        };
        let groups = match &form {
            Form::Memory(b) => b.ids.len(),
            Form::Disk(s) => s.groups as usize,
        };
        Ok(EventStore {
            form,
            seen: (0..groups.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
            failure: OnceLock::new(),
        })
    }
}

#[derive(Debug)]
enum Form {
    Memory(Batch),
    Disk(Spilled),
}

/// The events of the log, grouped by ticket.
#[derive(Debug)]
pub(crate) struct EventStore {
    form: Form,
    /// One bit per ticket (by number, or group number on disk): asked for.
    seen: Vec<AtomicU64>,
    /// The first failure to read the spilled events back.
    failure: OnceLock<String>,
}

impl EventStore {
    fn mark(&self, g: usize) {
        let (word, bit) = (g / 64, 1u64 << (g % 64));
        if let Some(w) = self.seen.get(word) {
            if w.load(Ordering::Relaxed) & bit == 0 {
                w.fetch_or(bit, Ordering::Relaxed);
            }
        }
    }

    fn is_seen(&self, g: usize) -> bool {
        self.seen
            .get(g / 64)
            .is_some_and(|w| w.load(Ordering::Relaxed) & (1 << (g % 64)) != 0)
    }

    /// The events of ticket `id` in time order into `out` (emptied first),
    /// the ticket marked as met.
    pub(crate) fn events_of(&self, id: &str, out: &mut Vec<LoggedEvent>) {
        out.clear();
        let hash = id_hash(id);
        match &self.form {
            Form::Memory(b) => {
                let Some(i) = b.ids.find(hash, id) else {
                    return;
                };
                self.mark(i as usize);
                out.extend(b.events(i as usize).map(Packed::unpack));
            }
            Form::Disk(s) => {
                let mut packed = Vec::new();
                match s.find(hash, id, &mut packed, |g| self.mark(g as usize)) {
                    Ok(_) => out.extend(packed.into_iter().map(Packed::unpack)),
                    Err(e) => {
                        let _ = self.failure.set(format!(
                            "reading the event log back from the temporary directory ({}) failed: {e}",
                            std::env::temp_dir().display()
                        ));
                    }
                }
            }
        }
    }

    /// Calls `f` with the id and events of each ticket never asked for (on
    /// disk, a ticket whose events fell in several batches once for each,
    /// with that batch's events in order: a row's events are never apart).
    pub(crate) fn for_each_unseen(
        &self,
        mut f: impl FnMut(&str, &mut dyn Iterator<Item = Packed>),
    ) -> Result<(), EvalError> {
        if let Some(e) = self.failure.get() {
            return Err(EvalError::new(e.clone()));
        }
        match &self.form {
            Form::Memory(b) => {
                for i in 0..b.ids.len() {
                    if !self.is_seen(i) {
                        f(b.ids.get(i as u32), &mut b.events(i));
                    }
                }
                Ok(())
            }
            Form::Disk(s) => s
                .for_each_group(|g, id, events| {
                    if !self.is_seen(g as usize) {
                        f(id, events);
                    }
                })
                .map_err(|e| {
                    EvalError::new(format!(
                        "reading the event log back from the temporary directory ({}) failed: {e}",
                        std::env::temp_dir().display()
                    ))
                }),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::eval::input::event_kind::Activity;
    use crate::eval::input::logged_event::What;
    use crate::time::At;

    /// A row: its ticket and its events.
    type Row = (String, Vec<LoggedEvent>);

    /// `n` events over `ids` tickets in a scrambled order, each row one or
    /// two events; and per ticket its events as they must come back (by
    /// instant, then line, then in the row's order).
    fn log(n: u64, ids: u64) -> (Vec<Row>, BTreeMap<String, Vec<LoggedEvent>>) {
        let mut rows = Vec::new();
        let mut want: BTreeMap<String, Vec<LoggedEvent>> = BTreeMap::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut line = 1;
        let mut events = 0;
        while events < n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            line += 1;
            let id = format!("T-{}", x % ids);
            // Few distinct instants, so that ties are broken by the line.
            let at = At {
                secs: (x >> 20) as i64 % 50 - 25,
                nanos: (x >> 40) as u32 % 3,
            };
            let mut row = vec![LoggedEvent {
                at,
                what: What::Status((x >> 8) as u32 % 5),
                line,
            }];
            if x.is_multiple_of(3) {
                row.push(LoggedEvent {
                    at,
                    what: What::Activity(Activity::CustomerReply),
                    line,
                });
            }
            events += row.len() as u64;
            want.entry(id.clone()).or_default().extend(&row);
            rows.push((id, row));
        }
        for events in want.values_mut() {
            events.sort_by_key(|e| (e.at, e.line));
        }
        (rows, want)
    }

    fn check(budget: usize) {
        let (rows, want) = log(100_000, 3_000);
        let mut c = Collector::new(budget);
        for (id, events) in &rows {
            c.push(id, events).expect("push");
        }
        let store = c.finish().expect("finish");
        let mut out = Vec::new();
        // Every other ticket is asked for (and one that is not in the log).
        for (id, events) in want.iter().step_by(2) {
            store.events_of(id, &mut out);
            assert_eq!(&out, events, "{id}");
        }
        store.events_of("T-none", &mut out);
        assert!(out.is_empty());
        let mut unseen = BTreeMap::new();
        store
            .for_each_unseen(|id, events| {
                let all: &mut Vec<LoggedEvent> = unseen.entry(id.to_string()).or_default();
                all.extend(events.map(Packed::unpack));
                all.sort_by_key(Packed::new);
            })
            .expect("read back");
        let never: BTreeMap<String, Vec<LoggedEvent>> =
            want.into_iter().skip(1).step_by(2).collect();
        assert_eq!(unseen, never);
    }

    #[test]
    fn events_in_memory_come_back_per_ticket_in_order() {
        check(1 << 30);
    }

    #[test]
    fn events_spilled_to_many_runs_come_back_the_same() {
        // The smallest budget: a batch every 1,300 events or so, about 75
        // of them, most tickets in several.
        check(MIN_BUDGET);
    }
}
