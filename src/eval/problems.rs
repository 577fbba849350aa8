//! Input problems of a run, by kind: every one counted, the first few of
//! each kind kept with the file, line and reason (SEMANTICS.md: "Nothing read
//! is silently dropped"). Every layer that reads input reports here, so the
//! run's summary can say what it could not use and why.

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

    /// The kind in words, for the human report (`3 unreadable rows`).
    pub(crate) fn words(self) -> &'static str {
        match self {
            ProblemKind::UnreadableRow => "unreadable rows",
            ProblemKind::InvalidVerdict => "invalid verdicts",
            ProblemKind::OpenedAfterAsOf => "tickets opened after the as-of instant",
            ProblemKind::DuplicateId => "duplicate ticket ids",
            ProblemKind::UnreadableEvent => "unreadable events",
            ProblemKind::EventInDstGap => "events in a DST gap",
            ProblemKind::EventWithoutTicket => "events without a ticket",
            ProblemKind::UnknownStatus => "pause or resolved statuses never seen",
            ProblemKind::UnknownEventField => "changes of fields the contract does not have",
            ProblemKind::UnreadableSideRow => "unreadable outage or deployment rows",
        }
    }

    /// Whether the kind makes `--strict` fail the run: input that is wrong,
    /// as opposed to input that is only not there yet (tickets opened after
    /// the as-of instant) or a contract that may expect other statuses.
    pub(crate) fn is_error(self) -> bool {
        !matches!(
            self,
            ProblemKind::OpenedAfterAsOf
                | ProblemKind::UnknownStatus
                | ProblemKind::UnknownEventField
        )
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One input problem: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) kind: ProblemKind,
    pub(crate) file: String,
    /// 1-based line of the file; `None` for a problem of the run as a whole.
    pub(crate) line: Option<u64>,
    /// 1-based column (in characters) of that line, where the problem is one place.
    pub(crate) column: Option<u64>,
    pub(crate) reason: String,
}

impl Problem {
    /// `file:line: reason`, as the terminal shows it.
    pub(crate) fn text(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                format!("{}:{line}:{column}: {}", self.file, self.reason)
            }
            (Some(line), None) => format!("{}:{line}: {}", self.file, self.reason),
            (None, _) => format!("{}: {}", self.file, self.reason),
        }
    }
}

/// Problems of one kind or many, counted in full; the first
/// [`ProblemCounts::KEEP`] of each kind kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
