//! Lowering: a checked contract to its compiled rule set. The checker has
//! already resolved every name into the typed model, so lowering refuses a
//! contract with errors and hands on the model; this is the one door through
//! which `sla compile` and `sla eval` get rules from source.

use crate::check::{check_source, Checked};
use crate::diagnostic::Diagnostic;
use crate::rules::RuleSet;

/// The outcome of compiling one source: the rule set when there are no
/// errors, and every diagnostic (warnings included) either way.
pub struct Compiled {
    /// The rule set, when the contract has no errors.
    pub rules: Option<RuleSet>,
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers a checked contract: its rule set, unless there are errors.
pub fn lower(checked: Checked) -> Compiled {
    let rules = (!checked.has_errors()).then_some(checked.rules);
    Compiled {
        rules,
        diagnostics: checked.diagnostics,
    }
}

/// Parse, check and lower a contract's source.
pub fn compile_source(src: &str) -> Compiled {
    lower(check_source(src))
}
