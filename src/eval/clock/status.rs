//! The status of one clock against its target (SEMANTICS.md "Clocks": met,
//! breached, pending, …), as the clock and everything above it name it.

use serde::Serialize;

/// What a verdict says about one ticket on one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    Met,
    Breached,
    Pending,
    Excluded,
    Untimed,
    NotApplicable,
    Invalid,
}

impl Status {
    pub(crate) const ALL: [Status; 7] = [
        Status::Met,
        Status::Breached,
        Status::Pending,
        Status::Excluded,
        Status::Untimed,
        Status::NotApplicable,
        Status::Invalid,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Breached => "breached",
            Status::Pending => "pending",
            Status::Excluded => "excluded",
            Status::Untimed => "untimed",
            Status::NotApplicable => "not_applicable",
            Status::Invalid => "invalid",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}
