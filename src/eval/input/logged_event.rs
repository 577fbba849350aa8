//! One event of the event log (`--events`), and the packed form in which the
//! log keeps it until its ticket comes: 20 bytes, ordered as a ticket's
//! history is (by instant, then by line of the log, then in the order a row
//! says things), so that sorting the packed form sorts the history.

use crate::eval::input::event_kind::Activity;
use crate::time::At;

/// What one event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// Interned status, see `EventLog::status`.
    Status(u32),
    /// Interned field value, see `EventLog::change`.
    Field(u32),
    Activity(Activity),
}

/// One event of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LoggedEvent {
    /// To the fraction of a second the log gives.
    pub(crate) at: At,
    pub(crate) what: What,
    /// Line of the event log.
    pub(crate) line: u64,
}

/// The largest line number the packed form holds: 34 bits beside the 30 of
/// the nanoseconds (a log of 17 billion lines is far beyond any export).
pub(crate) const MAX_LINE: u64 = (1 << LINE_BITS) - 1;
const LINE_BITS: u32 = 34;

/// The largest interned number (status, field value) the packed form holds:
/// 30 bits beside the 2 that say which kind of event it is.
pub(crate) const MAX_INTERNED: u32 = (1 << 30) - 1;

/// An event packed for sorting and for the disk: its fields in the order
/// they sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Packed {
    pub(crate) secs: i64,
    /// Nanoseconds in the high 30 bits, the line in the low 34.
    pub(crate) nanos_line: u64,
    /// Kind in the high 2 bits (status, field, activity: the order in which
    /// one row's events are read), number in the low 30.
    pub(crate) what: u32,
}

impl Packed {
    /// Bytes of an event on disk.
    pub(crate) const BYTES: usize = 20;

    /// Packs `e`, whose line is at most [`MAX_LINE`] and whose interned
    /// number is at most [`MAX_INTERNED`] (the reader checks both).
    pub(crate) fn new(e: &LoggedEvent) -> Packed {
        let what = match e.what {
            What::Status(s) => s & MAX_INTERNED,
            What::Field(v) => 1 << 30 | (v & MAX_INTERNED),
            What::Activity(a) => {
                2 << 30
                    | match a {
                        Activity::AgentReply => 0,
                        Activity::CustomerReply => 1,
                        Activity::InternalNote => 2,
                    }
            }
        };
        Packed {
            secs: e.at.secs,
            nanos_line: u64::from(e.at.nanos) << LINE_BITS | (e.line & MAX_LINE),
            what,
        }
    }

    /// The event again.
    pub(crate) fn unpack(self) -> LoggedEvent {
        let n = self.what & MAX_INTERNED;
        let what = match self.what >> 30 {
            0 => What::Status(n),
            1 => What::Field(n),
            _ => What::Activity(match n {
                0 => Activity::AgentReply,
                1 => Activity::CustomerReply,
                _ => Activity::InternalNote,
            }),
        };
        LoggedEvent {
            at: At {
                secs: self.secs,
                nanos: (self.nanos_line >> LINE_BITS) as u32,
            },
            what,
            line: self.line(),
        }
    }

    /// The line of the event log the event is on.
    pub(crate) fn line(self) -> u64 {
        self.nanos_line & MAX_LINE
    }

    /// Appends the event's [`Packed::BYTES`] bytes to `out`.
    pub(crate) fn write(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.secs.to_le_bytes());
        out.extend_from_slice(&self.nanos_line.to_le_bytes());
        out.extend_from_slice(&self.what.to_le_bytes());
    }

    /// The event whose bytes begin `b` (at least [`Packed::BYTES`] long).
    pub(crate) fn read(b: &[u8; Packed::BYTES]) -> Packed {
        let word = |i: usize| {
            let mut w = [0; 8];
            w.copy_from_slice(&b[i..i + 8]);
            w
        };
        let mut what = [0; 4];
        what.copy_from_slice(&b[16..20]);
        Packed {
            secs: i64::from_le_bytes(word(0)),
            nanos_line: u64::from_le_bytes(word(8)),
            what: u32::from_le_bytes(what),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_survives_packing_and_the_disk() {
        let events = [
            LoggedEvent {
                at: At {
                    secs: -5,
                    nanos: 999_999_999,
                },
                what: What::Status(MAX_INTERNED),
                line: MAX_LINE,
            },
            LoggedEvent {
                at: At {
                    secs: 1_700_000_000,
                    nanos: 0,
                },
                what: What::Field(7),
                line: 2,
            },
            LoggedEvent {
                at: At { secs: 0, nanos: 5 },
                what: What::Activity(Activity::InternalNote),
                line: 3,
            },
        ];
        for e in events {
            let mut bytes = Vec::new();
            Packed::new(&e).write(&mut bytes);
            let b: &[u8; Packed::BYTES] = bytes.as_slice().try_into().unwrap();
            assert_eq!(Packed::read(b).unpack(), e);
        }
    }

    #[test]
    fn packed_events_sort_by_instant_then_line_then_kind() {
        let at = |secs, nanos| At { secs, nanos };
        let p = |a, line, what| Packed::new(&LoggedEvent { at: a, what, line });
        let activity = What::Activity(Activity::AgentReply);
        // A fraction later wins over an earlier line; at one instant the
        // earlier line; in one row the status before the activity.
        assert!(p(at(10, 0), 9, What::Status(0)) < p(at(10, 1), 2, What::Status(0)));
        assert!(p(at(10, 1), 2, What::Status(3)) < p(at(10, 1), 3, What::Status(0)));
        assert!(p(at(10, 1), 2, What::Status(3)) < p(at(10, 1), 2, activity));
        assert!(p(at(-1, 999), 9, activity) < p(at(0, 0), 1, What::Status(0)));
    }
}
