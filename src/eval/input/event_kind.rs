//! What an event says besides a status (SEMANTICS.md "Histories"): an
//! activity (a public agent reply, a customer reply, an internal note), or a
//! new value of a ticket field (`priority`, `group`, …), typed as the
//! contract declares the field.

use crate::eval::contract::plan::FieldType;
use crate::eval::contract::statuses::status_key;
use crate::eval::input::cells::Cell;
use crate::eval::input::profiles::label_key;

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

/// A new value of a field, typed as the field is; `Err` says why it cannot
/// be read. An empty text clears the field. Only fields that select targets
/// (labels, text, integers) change through events: a timestamp field is a
/// column of the ticket log.
pub(crate) fn field_value(name: &str, kind: &FieldType, text: &str) -> Result<Cell, String> {
    if text.is_empty() {
        return Ok(Cell::Empty);
    }
    match kind {
        FieldType::Text => Ok(Cell::Text(text.into())),
        FieldType::Integer => text.parse::<i64>().map(Cell::Integer).map_err(|_| {
            format!("`{text}` is not an integer; field `{name}` takes whole numbers such as 2")
        }),
        FieldType::Label(labels) => {
            let key = label_key(text);
            labels
                .iter()
                .position(|l| l == text || label_key(l) == key)
                .map(|i| Cell::Label(i as u32))
                .ok_or_else(|| {
                    format!(
                        "`{text}` is not a label of field `{name}`; expected one of: {}",
                        labels.join(", ")
                    )
                })
        }
        FieldType::Timestamp | FieldType::Status => Err(format!(
            "field `{name}` is a {}, which events do not change; give it in the ticket log{}",
            if *kind == FieldType::Status {
                "status"
            } else {
                "timestamp"
            },
            if *kind == FieldType::Status {
                " or as the event's `status`"
            } else {
                ""
            }
        )),
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

    #[test]
    fn field_values_are_typed_as_the_field() {
        let labels = FieldType::Label(vec!["high".into(), "low".into()]);
        assert_eq!(field_value("priority", &labels, "High"), Ok(Cell::Label(0)));
        assert_eq!(field_value("priority", &labels, ""), Ok(Cell::Empty));
        assert!(field_value("priority", &labels, "urgent")
            .is_err_and(|e| e.contains("expected one of: high, low")));
        assert_eq!(
            field_value("n", &FieldType::Integer, "3"),
            Ok(Cell::Integer(3))
        );
        assert!(field_value("opened_at", &FieldType::Timestamp, "x").is_err());
    }
}
