//! Source text to a spanned tree: the pest grammar (`grammar/sla.pest`), the
//! AST it is lowered into, and recovery so one broken block does not hide the
//! others.

pub mod ast;
mod parse;
pub mod scan;

pub use parse::{parse, parse_by_item, parse_items_with};

/// The pest parser generated from the grammar. Kept private to this module's
/// tree: the rest of the crate sees only the AST.
#[allow(missing_docs)] // `Rule`'s variants are the grammar's rules, documented there.
mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/sla.pest"]
    pub(crate) struct Grammar;
}
use grammar::{Grammar, Rule};
