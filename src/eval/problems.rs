//! Input problems of a run, by kind: every one counted, the first few of
//! each kind kept with the file, line and reason (SEMANTICS.md: "Nothing read
//! is silently dropped"). Every layer that reads input reports here, so the
//! run's summary can say what it could not use and why. Each problem is a
//! [`Diagnostic`] (one model for terminal, JSON and editor), placed in its
//! log, with a code of the one registry (E07xx, W07xx).

use crate::diagnostic::{counted, Code, Diagnostic, LogPlace, Severity};

/// What kind of input problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ProblemKind {
    /// A ticket row that could not be read: its verdicts are `invalid`.
    UnreadableRow,
    /// A verdict that is `invalid` because the ticket contradicts itself.
    InvalidVerdict,
    /// A ticket opened after the as-of instant: not started, in no period.
    OpenedAfterAsOf,
    /// A second row with an id already seen: invalid, naming the first line.
    DuplicateId,
    /// An event whose row or time cannot be read.
    UnreadableEvent,
    /// An event at a local time that does not exist (a spring-forward gap).
    EventInDstGap,
    /// An event whose ticket is not in the ticket log.
    EventWithoutTicket,
    /// A pause status of the contract that no event of the run has.
    UnknownStatus,
    /// An event that changes a field the contract does not have.
    UnknownEventField,
    /// An outage or deployment row that cannot be read.
    UnreadableSideRow,
}

impl ProblemKind {
    /// Every kind, in the order reports list them.
    pub(crate) const ALL: [ProblemKind; 10] = [
        ProblemKind::UnreadableRow,
        ProblemKind::InvalidVerdict,
        ProblemKind::OpenedAfterAsOf,
        ProblemKind::DuplicateId,
        ProblemKind::UnreadableEvent,
        ProblemKind::EventInDstGap,
        ProblemKind::EventWithoutTicket,
        ProblemKind::UnknownStatus,
        ProblemKind::UnknownEventField,
        ProblemKind::UnreadableSideRow,
    ];

    /// The kind's name in the JSON report.
    pub(crate) fn key(self) -> &'static str {
        match self {
            ProblemKind::UnreadableRow => "unreadable_row",
            ProblemKind::InvalidVerdict => "invalid_verdict",
            ProblemKind::OpenedAfterAsOf => "opened_after_as_of",
            ProblemKind::DuplicateId => "duplicate_id",
            ProblemKind::UnreadableEvent => "unreadable_event",
            ProblemKind::EventInDstGap => "event_in_dst_gap",
            ProblemKind::EventWithoutTicket => "event_without_ticket",
            ProblemKind::UnknownStatus => "unknown_status",
            ProblemKind::UnknownEventField => "unknown_event_field",
            ProblemKind::UnreadableSideRow => "unreadable_side_row",
        }
    }

    /// Its code in the one registry of diagnostics (`sla explain CODE`).
    pub(crate) fn code(self) -> Code {
        match self {
            ProblemKind::UnreadableRow => Code::UnreadableRow,
            ProblemKind::InvalidVerdict => Code::InvalidVerdict,
            ProblemKind::OpenedAfterAsOf => Code::OpenedAfterAsOf,
            ProblemKind::DuplicateId => Code::DuplicateId,
            ProblemKind::UnreadableEvent => Code::UnreadableEvent,
            ProblemKind::EventInDstGap => Code::EventInDstGap,
            ProblemKind::EventWithoutTicket => Code::EventWithoutTicket,
            ProblemKind::UnknownStatus => Code::UnknownStatus,
            ProblemKind::UnknownEventField => Code::UnknownEventField,
            ProblemKind::UnreadableSideRow => Code::UnreadableSideRow,
        }
    }

    /// `n` problems of the kind in words, for the human report (`1
    /// unreadable row`, `3 unreadable rows`).
    pub(crate) fn counted(self, n: u64) -> String {
        let (one, many) = match self {
            ProblemKind::UnreadableRow => ("unreadable row", "unreadable rows"),
            ProblemKind::InvalidVerdict => ("invalid verdict", "invalid verdicts"),
            ProblemKind::OpenedAfterAsOf => (
                "ticket opened after the as-of instant",
                "tickets opened after the as-of instant",
            ),
            ProblemKind::DuplicateId => ("duplicate ticket id", "duplicate ticket ids"),
            ProblemKind::UnreadableEvent => ("unreadable event", "unreadable events"),
            ProblemKind::EventInDstGap => ("event in a DST gap", "events in a DST gap"),
            ProblemKind::EventWithoutTicket => {
                ("event without a ticket", "events without a ticket")
            }
            ProblemKind::UnknownStatus => (
                "pause or resolved status never seen",
                "pause or resolved statuses never seen",
            ),
            ProblemKind::UnknownEventField => (
                "change of a field the contract does not have",
                "changes of fields the contract does not have",
            ),
            ProblemKind::UnreadableSideRow => (
                "unreadable outage or deployment row",
                "unreadable outage or deployment rows",
            ),
        };
        counted(n, one, many)
    }

    /// Whether the kind makes `--strict` fail the run: input that is wrong
    /// (an error code), as opposed to input that is only not there yet
    /// (tickets opened after the as-of instant) or a contract that may
    /// expect other statuses (warnings).
    pub(crate) fn is_error(self) -> bool {
        self.code().severity() == Severity::Error
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One input problem: a [`Diagnostic`] placed in a log (its code the
/// kind's), and the kind it is counted under.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) kind: ProblemKind,
    pub(crate) diagnostic: Diagnostic,
}

impl Problem {
    /// A problem of `kind` at `line` (1-based; `None` for the file as a
    /// whole) and `column` (1-based, in characters) of `file`.
    pub(crate) fn new(
        kind: ProblemKind,
        file: &str,
        line: Option<u64>,
        column: Option<u64>,
        reason: String,
    ) -> Problem {
        let place = LogPlace {
            file: file.to_string(),
            line,
            column,
        };
        Problem {
            kind,
            diagnostic: Diagnostic::new(kind.code(), reason).in_log(place),
        }
    }

    /// `file:line:column: reason`, in one line.
    pub(crate) fn text(&self) -> String {
        let d = &self.diagnostic;
        match &d.log {
            Some(place) => format!("{place}: {}", d.message),
            None => d.message.clone(),
        }
    }
}

/// Problems of one kind or many, counted in full; the first
/// [`ProblemCounts::KEEP`] of each kind kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ProblemCounts {
    counts: [u64; ProblemKind::ALL.len()],
    first: Vec<Problem>,
}

impl ProblemCounts {
    /// Problems of each kind kept with their text.
    pub(crate) const KEEP: usize = 5;

    /// Counts `p`, keeping it if it is among the first of its kind.
    pub(crate) fn add(&mut self, p: Problem) {
        let i = p.kind.index();
        if self.counts[i] < Self::KEEP as u64 {
            self.first.push(p);
        }
        self.counts[i] += 1;
    }

    /// Counts `n` more problems of `kind` whose text is not kept: they come
    /// after the [`ProblemCounts::KEEP`] first, already added.
    pub(crate) fn add_more(&mut self, kind: ProblemKind, n: u64) {
        self.counts[kind.index()] += n;
    }

    /// How many problems of `kind` there are.
    pub(crate) fn count(&self, kind: ProblemKind) -> u64 {
        self.counts[kind.index()]
    }

    /// Adds the problems of a later part of the input (kept ones stay in order).
    pub(crate) fn merge(&mut self, other: ProblemCounts) {
        for p in other.first {
            if self.counts[p.kind.index()] < Self::KEEP as u64
                && self.first(p.kind).count() < Self::KEEP
            {
                self.first.push(p);
            }
        }
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
    }

    /// Problems of every kind.
    pub(crate) fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The kept problems of `kind`, in input order.
    pub(crate) fn first(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.first.iter().filter(move |p| p.kind == kind)
    }
}
