//! Which columns of the ticket log the contract reads, and opening the log
//! with them checked.

use std::path::Path;

use crate::eval::contract::plan::{FieldType, Plan};
use crate::eval::error::EvalError;
use crate::eval::input::log_reader::{LogReader, WantedColumn};

/// The columns of the ticket log the plan reads: every field but the event
/// log's status (read if present, not required).
pub(crate) fn wanted_columns(plan: &Plan) -> Vec<WantedColumn> {
    plan.fields
        .iter()
        .map(|f| WantedColumn {
            field: f.name.clone(),
            column: f.column.clone(),
            optional: f.optional || f.kind == FieldType::Status,
        })
        .collect()
}

/// Opens the ticket log, checking its columns (a missing one is an error).
pub(crate) fn open_tickets(
    plan: &Plan,
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
) -> Result<LogReader, EvalError> {
    LogReader::open(path, encoding, &plan.id_column, &wanted_columns(plan))
}
