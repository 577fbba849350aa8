//! `--format csv`: one line per ticket row, for spreadsheets. Objectives are
//! not in it (they have another shape); use `--format json` for both.

use std::io::Write;

use super::{metric_name, priority_name, Header, Report};
use crate::eval::{Row, RowSink, Summary};
use crate::time::format_rfc3339;

pub struct CsvReport<'a> {
    header: Header<'a>,
    out: csv::Writer<Box<dyn Write + 'a>>,
}

impl<'a> CsvReport<'a> {
    pub fn new(header: Header<'a>, out: Box<dyn Write + 'a>) -> Self {
        CsvReport {
            header,
            out: csv::Writer::from_writer(out),
        }
    }
}

fn io(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
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

impl RowSink for CsvReport<'_> {
    fn row(&mut self, row: &Row) -> std::io::Result<()> {
        let plan = self.header.plan;
        let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let time = |t: Option<i64>| t.map(|t| format_rfc3339(t, plan.tz)).unwrap_or_default();
        self.out
            .write_record([
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
            ])
            .map_err(io)
    }
}

impl Report for CsvReport<'_> {
    fn begin(&mut self) -> std::io::Result<()> {
        self.out.write_record(COLUMNS).map_err(io)
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        self.out.flush()
    }
}
