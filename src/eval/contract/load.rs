//! Loading the contract `sla eval` runs: a compiled `.json` rule set, or a
//! `.sla` source (checked and lowered in memory, with the same results).

use std::path::Path;

use crate::eval::contract::plan::{build, Plan};
use crate::eval::error::EvalError;
use crate::rules::RuleSet;

/// Reads the contract at `path` and builds its evaluation plan.
pub(crate) fn load_plan(path: &Path) -> Result<Plan, EvalError> {
    let rules = load_rules(path)?;
    build(rules).map_err(|m| EvalError::new(format!("{}: {m}", path.display())))
}

pub(crate) fn load_rules(path: &Path) -> Result<RuleSet, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::io(path, "read it", &e))?;
    match path.extension().and_then(|e| e.to_str()) {
        Some("sla") => rules_from_source(&text, path),
        _ => rules_from_json(&text, path),
    }
}

/// Checks and lowers a contract's source, as `sla compile` does; a contract
/// with errors is not evaluated (its diagnostics are the message).
pub(crate) fn rules_from_source(text: &str, path: &Path) -> Result<RuleSet, EvalError> {
    let compiled = crate::lower::compile_source(text);
    match compiled.rules {
        Some(rules) => Ok(rules),
        None => {
            let name = path.display().to_string();
            let errors: Vec<_> = compiled
                .diagnostics
                .into_iter()
                .filter(|d| d.is_error())
                .collect();
            let source = crate::diagnostic::render::Source::new(&name, text);
            let rendered = crate::diagnostic::render::human(&source, &errors, false);
            Err(EvalError::new(format!(
                "{name}: the contract has {} and cannot be evaluated; fix them (`sla check {name}` shows them too):\n{}",
                crate::diagnostic::counted(errors.len() as u64, "error", "errors"),
                rendered.trim_end()
            )))
        }
    }
}

/// Parses a compiled rule set; errors carry the file, line and column.
pub(crate) fn rules_from_json(text: &str, path: &Path) -> Result<RuleSet, EvalError> {
    serde_json::from_str(text).map_err(|e| {
        EvalError::new(format!(
            "{}:{}:{}: not a valid rule set: {e}; write it with `sla compile`",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}
