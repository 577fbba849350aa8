//! `--format csv`: one line per ticket row, for spreadsheets. Objectives are
//! not in it (they have another shape); use `--format json` for both.

use std::io::Write;

use super::{metric_name, priority_name, Report};
use crate::eval::{ChunkFormat, Plan, Row, RowSink, RowText, Summary};
use crate::time::exact::format_rfc3339_at;
use crate::time::At;

pub(crate) struct CsvReport<'a> {
    out: Box<dyn Write + 'a>,
    /// The contract has versions: each row ends with the one that judged it.
    versioned: bool,
    /// A metric has cycles: each row ends with its cycle (empty for others).
    cycles: bool,
}

impl<'a> CsvReport<'a> {
    pub(crate) fn new(out: Box<dyn Write + 'a>, plan: &Plan) -> Self {
        CsvReport {
            out,
            versioned: !plan.versions.is_empty(),
            cycles: has_cycles(plan),
        }
    }
}

/// Whether a metric of the contract has cycles (per reopening, or repeating).
fn has_cycles(plan: &Plan) -> bool {
    plan.metrics.iter().any(|m| m.cycles || m.repeat.is_some())
}

const COLUMNS: [&str; 12] = [
    "id",
    "priority",
    "metric",
    "status",
    "elapsed_seconds",
    "target_seconds",
    "deadline",
    "start",
    "stop",
    "reason",
    "note",
    "line",
];

/// Formats rows as CSV lines.
pub(crate) struct CsvRows<'a> {
    pub(crate) plan: &'a Plan,
}

impl ChunkFormat for CsvRows<'_> {
    fn writer(&self) -> Box<dyn RowText + '_> {
        Box::new(CsvRowText { plan: self.plan })
    }
}

struct CsvRowText<'a> {
    plan: &'a Plan,
}

impl RowText for CsvRowText<'_> {
    fn write(&mut self, rows: &[Row], out: &mut Vec<u8>) {
        let plan = self.plan;
        let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let time = |t: Option<At>| t.map(|t| format_rfc3339_at(t, plan.tz)).unwrap_or_default();
        // A ticket's few rows: a small buffer.
        let mut w = csv::WriterBuilder::new()
            .buffer_capacity(1024)
            .from_writer(out);
        let versioned = !plan.versions.is_empty();
        let cycles = has_cycles(plan);
        for row in rows {
            let cycle = row.cycle.map(|c| c.to_string()).unwrap_or_default();
            let record = [
                row.id.as_str(),
                priority_name(plan, row).unwrap_or(""),
                metric_name(plan, row).unwrap_or(""),
                row.status.as_str(),
                &num(row.elapsed),
                &num(row.target_seconds),
                &time(row.deadline),
                &time(row.start),
                &time(row.stop),
                row.reason.as_deref().unwrap_or(""),
                row.note.as_deref().unwrap_or(""),
                &row.line.to_string(),
            ];
            // Writing to memory cannot fail.
            let version = versioned.then(|| plan.version_name(row.version).unwrap_or(""));
            let cycle = cycles.then_some(cycle.as_str());
            let _ = w.write_record(record.iter().copied().chain(version).chain(cycle));
        }
        // Writing to memory cannot fail.
        let _ = w.flush();
    }
}

/// The columns of the credits table written after the ticket rows.
const CREDIT_COLUMNS: [&str; 12] = [
    "period",
    "service",
    "window",
    "objective",
    "measured",
    "required",
    "tier",
    "credit_percent",
    "amount",
    "currency",
    "capped",
    "partial",
];

impl RowSink for CsvReport<'_> {
    fn keeps_rows(&self) -> bool {
        false
    }

    fn rows(&mut self, _rows: &[Row], text: &[u8]) -> std::io::Result<()> {
        self.out.write_all(text)
    }
}

impl Report for CsvReport<'_> {
    fn begin(&mut self) -> std::io::Result<()> {
        let version = if self.versioned { ",version" } else { "" };
        let cycle = if self.cycles { ",cycle" } else { "" };
        writeln!(self.out, "{}{version}{cycle}", COLUMNS.join(","))
    }

    /// After the ticket rows, the credits owed (if any) as a second table:
    /// a blank line, its own header, one row per credit.
    fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        if !summary.credits.is_empty() {
            writeln!(self.out)?;
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(CREDIT_COLUMNS);
            for c in &summary.credits {
                let num = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
                let _ = w.write_record([
                    c.period.as_str(),
                    c.service.as_deref().unwrap_or(""),
                    c.window.as_deref().unwrap_or(""),
                    c.objective.as_deref().unwrap_or(""),
                    &c.measured.to_string(),
                    &c.required.to_string(),
                    &c.tier,
                    &num(c.percent),
                    &num(c.amount),
                    c.currency.as_deref().unwrap_or(""),
                    if c.capped { "true" } else { "false" },
                    if c.partial { "true" } else { "false" },
                ]);
            }
            let bytes = w.into_inner().unwrap_or_default();
            self.out.write_all(&bytes)?;
        }
        self.out.flush()
    }
}
