//! Errors that stop an evaluation (exit code 2). Each carries a message that
//! names the file (and line, where there is one) and says how to fix it;
//! problems confined to one row are not errors but `invalid` rows.

use std::fmt;
use std::path::Path;

#[derive(Debug)]
pub(crate) struct EvalError {
    pub(crate) message: String,
}

impl EvalError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EvalError {
            message: message.into(),
        }
    }

    /// An I/O failure on a named file.
    pub(crate) fn io(path: &Path, what: &str, err: &std::io::Error) -> Self {
        EvalError::new(format!("{}: cannot {what}: {err}", path.display()))
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}
