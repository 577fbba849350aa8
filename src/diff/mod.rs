//! `sla diff`: what changed between two contracts, in the contract's own
//! terms, and (over a ticket log) what the change does to the verdicts.
//!
//! It sits above the evaluator in the pipeline: [`facts`] says a compiled
//! rule set again as facts ([`terms`] words them), [`changes`] compares two
//! lists of facts.

pub(crate) mod changes;
pub(crate) mod facts;
pub(crate) mod output;
pub(crate) mod terms;
pub(crate) mod whatif;
