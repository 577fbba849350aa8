//! Writing what `sla eval` found: JSON (INTERFACES.md), CSV, a human summary,
//! and the `--explain` ledger of one ticket. Writers take rows as they are
//! made and keep only what their summary needs (the JSON and CSV writers
//! nothing, the human one a bounded top-N), so memory does not grow with the log.

use std::io::Write;

use crate::eval::{ChunkFormat, Plan, Row, RowSink, RowText, Summary};
use crate::time::At;

pub(crate) mod csv;
mod decimal;
pub(crate) mod explain;
pub(crate) mod format;
pub(crate) mod html;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod progress;
mod spill;

/// The form of a report (the command line's `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportFormat {
    Human,
    Json,
    Csv,
}

/// What every report states about the run.
pub(crate) struct Header<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) as_of: At,
}

/// A report: rows as they come, then the summary.
pub(crate) trait Report: RowSink {
    fn begin(&mut self) -> std::io::Result<()>;
    fn finish(&mut self, summary: &Summary) -> std::io::Result<()>;
}

/// The report writer for `format`, writing to `out`.
pub(crate) fn writer<'a>(
    format: ReportFormat,
    header: Header<'a>,
    out: Box<dyn Write + 'a>,
) -> Box<dyn Report + 'a> {
    match format {
        ReportFormat::Json => Box::new(json::JsonReport::new(header, out)),
        ReportFormat::Csv => Box::new(csv::CsvReport::new(out, header.plan)),
        ReportFormat::Human => Box::new(human::HumanReport::new(header, out)),
    }
}

/// What turns rows into text for `format`, on the worker threads.
pub(crate) fn formatter<'a>(format: ReportFormat, plan: &'a Plan) -> Box<dyn ChunkFormat + 'a> {
    match format {
        ReportFormat::Json => Box::new(json::JsonRows::new(plan)),
        ReportFormat::Csv => Box::new(csv::CsvRows { plan }),
        ReportFormat::Human => Box::new(NoText),
    }
}

/// The human report keeps no per-row text.
struct NoText;

impl ChunkFormat for NoText {
    fn writer(&self) -> Box<dyn RowText + '_> {
        Box::new(NoText)
    }
}

impl RowText for NoText {
    fn write(&mut self, _rows: &[Row], _out: &mut Vec<u8>) {}
}

/// Whether a metric of any version of the contract has cycles (per
/// reopening, or repeating): its rows, and the escalations they fire, carry
/// `cycle`. Every version counts, so that a report's columns do not depend
/// on which version the first rows fell in.
pub(crate) fn has_cycles(plan: &Plan) -> bool {
    std::iter::once(plan)
        .chain(plan.versions.iter().map(|v| &v.plan))
        .any(|p| p.metrics.iter().any(|m| m.cycles || m.repeat.is_some()))
}

/// A row's cycle as a table cell: empty for a metric without cycles.
pub(crate) fn cycle_cell(cycle: Option<u32>) -> String {
    cycle.map(|c| c.to_string()).unwrap_or_default()
}

/// Names for a row's indices.
pub(crate) fn metric_name<'p>(plan: &'p Plan, row: &Row) -> Option<&'p str> {
    let plan = plan.version(row.version);
    row.metric.map(|m| plan.metrics[m].name.as_str())
}

pub(crate) fn priority_name<'p>(plan: &'p Plan, row: &Row) -> Option<&'p str> {
    let plan = plan.version(row.version);
    row.priority.map(|p| plan.priority_names[p].as_str())
}
