//! What an event says besides a status or a field's new value (SEMANTICS.md
//! "Histories"): an activity (a public agent reply, a customer reply, an
//! internal note).

use crate::eval::contract::statuses::status_key;

/// Something that happened on a ticket without changing its status or fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Activity {
    /// A public reply by an agent (Zendesk's "public comment", Jira's
    /// "comment visible to the customer").
    AgentReply,
    /// A reply by the customer (requester).
    CustomerReply,
    /// An internal note: not seen by the customer, so it answers nothing.
    InternalNote,
}

/// The activity names an event log may use, as compared ([`status_key`]),
/// and what each means. The first name of each kind is the one reports use.
const NAMES: &[(&str, Activity)] = &[
    ("agent_reply", Activity::AgentReply),
    ("public_reply", Activity::AgentReply),
    ("agent_update", Activity::AgentReply),
    ("customer_reply", Activity::CustomerReply),
    ("requester_reply", Activity::CustomerReply),
    ("internal_note", Activity::InternalNote),
    ("private_note", Activity::InternalNote),
];

impl Activity {
    /// Reads an activity cell (case, spaces, `_` and `-` as for statuses).
    pub(crate) fn parse(text: &str) -> Option<Activity> {
        let key = status_key(text);
        NAMES.iter().find(|(n, _)| *n == key).map(|(_, a)| *a)
    }

    /// The activity's name, as reports write it.
    pub(crate) fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("", |(n, _)| n)
    }

    /// Every name an activity cell may hold, for messages.
    pub(crate) fn all_names() -> String {
        NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_are_read_in_any_spelling() {
        assert_eq!(Activity::parse("Agent reply"), Some(Activity::AgentReply));
        assert_eq!(
            Activity::parse("CUSTOMER-REPLY"),
            Some(Activity::CustomerReply)
        );
        assert_eq!(
            Activity::parse("internal_note"),
            Some(Activity::InternalNote)
        );
        assert_eq!(Activity::parse("phone call"), None);
        assert_eq!(Activity::AgentReply.name(), "agent_reply");
    }
}
