//! `--explain ID`: the one ticket found in the log and evaluated with a trace.

use crate::eval::error::EvalError;
use crate::eval::input::cells::{type_row, Ticket};
use crate::eval::input::log_reader::LogReader;
use crate::eval::run::driver::RunOptions;
use crate::eval::verdict::ticket::{evaluate, Context, Outcome};

/// Finds ticket `id` and evaluates it with a trace (for `--explain`); reads
/// no further than that ticket.
pub(crate) fn explain(
    ctx: Context,
    mut reader: LogReader,
    opts: &RunOptions,
    id: &str,
) -> Result<Option<(Ticket, Outcome)>, EvalError> {
    let file = opts.tickets.display().to_string();
    while let Some(raw) = reader.next_row() {
        let raw = raw?;
        if raw.id == id {
            let ticket = type_row(ctx.plan, &raw, opts.log_tz, &file);
            let outcome = evaluate(ctx, &ticket, true);
            return Ok(Some((ticket, outcome)));
        }
    }
    Ok(None)
}
