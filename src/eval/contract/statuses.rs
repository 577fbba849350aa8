//! How statuses are compared (SEMANTICS.md "Clocks"): without regard to case,
//! and with spaces, `_` and `-` the same, so that Jira's `Waiting for
//! customer`, a contract's `waiting_for_customer` and `WAITING-FOR-CUSTOMER`
//! are one status.

/// The form in which two statuses are compared: trimmed, lowercase, with
/// each space, `-` and `_` written `_`.
pub(crate) fn status_key(status: &str) -> String {
    status
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_status_meet() {
        for s in [
            "Waiting for customer",
            "waiting_for_customer",
            "WAITING-FOR-CUSTOMER",
            " Waiting_for-Customer ",
        ] {
            assert_eq!(status_key(s), "waiting_for_customer", "{s}");
        }
        assert_ne!(status_key("waiting for customers"), "waiting_for_customer");
    }
}
