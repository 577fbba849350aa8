//! `sla`: a language for service level agreements.
//!
//! The pipeline, one way: [`syntax`] (source text to a spanned tree) →
//! [`check`] (names resolved, types checked, diagnostics) → [`lower`] (the
//! compiled [`rules`]) → [`eval`] (verdicts over ticket logs, counted on the
//! [`time`] engine) → [`report`] (human, JSON and CSV output). [`cli`] wires
//! the commands; [`diagnostic`] is the one diagnostic model every stage uses.

#![warn(missing_docs)]

pub mod check;
pub mod cli;
pub mod contract_term;
pub mod diagnostic;
pub(crate) mod diff;
pub(crate) mod eval;
pub mod fmt;
#[doc(hidden)]
pub mod fuzzing;
pub mod lower;
pub mod lsp;
pub(crate) mod report;
pub mod rules;
pub mod syntax;
pub mod time;
