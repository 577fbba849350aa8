//! Errors that stop an evaluation (exit code 2). Each carries a message that
//! names the file (and line, where there is one) and says how to fix it;
//! problems confined to one row are not errors but `invalid` rows.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct EvalError {
    pub message: String,
}

impl EvalError {
    pub fn new(message: impl Into<String>) -> Self {
        EvalError {
            message: message.into(),
        }
    }

    /// An I/O failure on a named file.
    pub fn io(path: &Path, what: &str, err: &std::io::Error) -> Self {
        EvalError::new(format!("{}: cannot {what}: {err}", path.display()))
    }

    /// A problem with the rule set itself, named by its file.
    pub fn rules(path: Option<&PathBuf>, message: impl fmt::Display) -> Self {
        match path {
            Some(p) => EvalError::new(format!("{}: {message}", p.display())),
            None => EvalError::new(format!("rule set: {message}")),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}
