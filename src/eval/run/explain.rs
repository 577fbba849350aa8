//! `--explain ID`: the one ticket found in the log and evaluated with a trace.

use crate::eval::contract::plan::VersionIndex;
use crate::eval::error::EvalError;
use crate::eval::input::cells::{type_row, Ticket};
use crate::eval::input::log_reader::LogReader;
use crate::eval::run::driver::RunOptions;
use crate::eval::timeline::history::Timeline;
use crate::eval::verdict::ticket::{evaluate, Context, Outcome};

/// Finds ticket `id` and evaluates it with a trace (for `--explain`): the
/// ticket as read, its timeline (every event, those after the as-of instant
/// marked cut), the outcome, and the version of the contract that judged
/// it. Reads no further than that ticket.
pub(crate) fn explain(
    ctx: Context,
    mut reader: LogReader,
    opts: &RunOptions,
    id: &str,
) -> Result<Option<(Ticket, Timeline, Outcome, VersionIndex)>, EvalError> {
    let file = opts.tickets.display().to_string();
    while let Some(raw) = reader.next_row() {
        let raw = raw?;
        if raw.id == id {
            let mut ticket = type_row(ctx.plan, &raw, opts.log_tz, &file);
            // The cells as read, before the as-of instant blanks any.
            let as_read = ticket.clone();
            let (ctx, version) = ctx.in_force(&ticket);
            let mut timeline = Timeline::default();
            ctx.histories().build(&mut ticket, &mut timeline, true);
            let mut outcome = evaluate(ctx, &ticket, &timeline, true);
            for row in &mut outcome.rows {
                row.version = version;
            }
            return Ok(Some((as_read, timeline, outcome, version)));
        }
    }
    Ok(None)
}
