//! The memory budgets that environment variables set: one reading for all
//! of them, so that each takes the same forms (bytes, or a number with `K`,
//! `M` or `G` for binary kilo-, mega- and gigabytes) and a value that is no
//! such number stops the run with an error that names it, before any of the
//! log is read, rather than being ignored or found only once it is needed.

use crate::eval::error::EvalError;

/// A memory budget that an environment variable may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Budget {
    /// `SLA_EVENTS_MEMORY`: the events held before they spill to disk.
    Events,
    /// `SLA_SORT_MEMORY`: every sort of more records than memory holds.
    Sort,
    /// `SLA_ID_MEMORY`: the table of ticket ids seen, before duplicates are
    /// listed on disk.
    Ids,
}

impl Budget {
    const ALL: [Budget; 3] = [Budget::Events, Budget::Sort, Budget::Ids];

    /// The environment variable's name.
    pub(crate) fn var(self) -> &'static str {
        match self {
            Budget::Events => "SLA_EVENTS_MEMORY",
            Budget::Sort => "SLA_SORT_MEMORY",
            Budget::Ids => "SLA_ID_MEMORY",
        }
    }

    /// The bytes the variable sets; `None` when it is unset (or empty).
    pub(crate) fn read(self) -> Result<Option<usize>, EvalError> {
        match std::env::var_os(self.var()) {
            None => Ok(None),
            Some(value) => match value.to_str() {
                Some(text) => parse(text).map_err(|()| self.refused(text)),
                None => Err(self.refused(&value.to_string_lossy())),
            },
        }
    }

    fn refused(self, text: &str) -> EvalError {
        EvalError::new(format!(
            "{} is `{text}`, not a number of bytes; write e.g. `64M` (K, M and G are binary kilo-, mega- and gigabytes), or unset it",
            self.var()
        ))
    }
}

/// Every budget's variable read once, so that a bad value stops the run at
/// its start, whichever budget the run would have needed.
pub(crate) fn check_all() -> Result<(), EvalError> {
    Budget::ALL.iter().try_for_each(|b| b.read().map(drop))
}

/// `text` as bytes: digits with an optional `K`, `M` or `G` (either case);
/// `None` for an empty text. Too large a number is the most there is.
fn parse(text: &str) -> Result<Option<usize>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (digits, shift) = match t.as_bytes()[t.len() - 1] {
        b'k' | b'K' => (&t[..t.len() - 1], 10),
        b'm' | b'M' => (&t[..t.len() - 1], 20),
        b'g' | b'G' => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    let digits = digits.trim_end();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let n = digits.parse::<usize>().unwrap_or(usize::MAX);
    Ok(Some(n.saturating_mul(1 << shift)))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn bytes_and_binary_suffixes_are_read() {
        assert_eq!(parse("4096"), Ok(Some(4096)));
        assert_eq!(parse(" 4K "), Ok(Some(4096)));
        assert_eq!(parse("64m"), Ok(Some(64 << 20)));
        assert_eq!(parse("1 G"), Ok(Some(1 << 30)));
        assert_eq!(parse("0"), Ok(Some(0)));
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("  "), Ok(None));
        assert_eq!(parse("99999999999999999999999G"), Ok(Some(usize::MAX)));
    }

    #[test]
    fn what_is_no_number_of_bytes_is_refused() {
        for bad in ["lots", "K", "-1", "1.5M", "64MB", "64 KiB", "0x100", "+5"] {
            assert_eq!(parse(bad), Err(()), "{bad}");
        }
    }
}
