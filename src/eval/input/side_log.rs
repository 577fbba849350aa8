//! Side logs (outages, events, changes): read row by row like the ticket
//! log, with each row's `file:line` at hand and every problem kept, in log
//! order, for the report. The three readers share this loop and differ only
//! in what a row means.

use std::path::Path;

use chrono_tz::Tz;

use crate::eval::error::EvalError;
use crate::eval::input::cells::timestamp_reason;
use crate::eval::input::log_reader::{LogReader, WantedColumn};
use crate::eval::problems::{Problem, ProblemCounts, ProblemKind};
use crate::time::parse_timestamp;

/// One readable row of a side log.
pub(crate) struct SideRow {
    /// `file:line`, for messages about the row.
    pub(crate) place: String,
    /// 1-based line of the file where the row starts.
    pub(crate) line: u64,
    pub(crate) id: String,
    /// One per wanted column, in the order asked for.
    pub(crate) cells: Vec<String>,
}

impl SideRow {
    /// The timestamp in `cells[i]`, or a problem naming `column`.
    pub(crate) fn time(&self, i: usize, column: &str, tz: Tz) -> Result<i64, String> {
        parse_timestamp(&self.cells[i], tz)
            .map(|p| p.at)
            .map_err(|e| format!("column `{column}`: {}", timestamp_reason(&e)))
    }
}

/// Read the side log at `path` (`key` names its id column): every row that
/// cannot be read, or that `each` refuses with a message, becomes a problem
/// prefixed with its `file:line`; the problems come back in log order.
pub(crate) fn read(
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
    key: &str,
    wanted: &[WantedColumn],
    mut each: impl FnMut(SideRow) -> Result<(), String>,
) -> Result<ProblemCounts, EvalError> {
    let mut reader = LogReader::open(path, encoding, key, wanted)?;
    let file = path.display().to_string();
    let mut problems = ProblemCounts::default();
    while let Some(row) = reader.next_row() {
        let row = row?;
        let place = format!("{file}:{}", row.line);
        let column = row.error.as_ref().and(row.error_column);
        let outcome = match row.error {
            Some(e) => Err(e),
            None => each(SideRow {
                place: place.clone(),
                line: row.line,
                id: row.id,
                cells: row.cells,
            }),
        };
        if let Err(reason) = outcome {
            problems.add(Problem::new(
                ProblemKind::UnreadableSideRow,
                &file,
                Some(row.line),
                column,
                reason,
            ));
        }
    }
    Ok(problems)
}
