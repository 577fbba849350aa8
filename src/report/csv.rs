//! `--format csv`: one line per ticket row, for spreadsheets; then, each
//! after a blank line and with its own header, the escalations due and the
//! credits owed. Objectives are not in it (they have another shape); use
//! `--format json` for both.

use std::io::Write;

use super::decimal::{int, uint};
use super::spill::Spill;
use super::{cycle_cell, has_cycles, metric_name, priority_name, Report};
use crate::eval::{ChunkFormat, EscalationRow, Plan, Row, RowSink, RowText, Summary};
use crate::time::exact::{format_rfc3339_at, insert_fraction};
use crate::time::Rfc3339Writer;

pub(crate) struct CsvReport<'a> {
    out: Box<dyn Write + 'a>,
    plan: &'a Plan,
    /// The contract has versions: each row ends with the one that judged it.
    versioned: bool,
    /// A metric has cycles: each row ends with its cycle (empty for others).
    cycles: bool,
    /// The escalation rows, as CSV lines, until the ticket rows are written.
    spill: Option<Spill>,
}

impl<'a> CsvReport<'a> {
    pub(crate) fn new(out: Box<dyn Write + 'a>, plan: &'a Plan) -> Self {
        CsvReport {
            out,
            plan,
            versioned: !plan.versions.is_empty(),
            cycles: has_cycles(plan),
            spill: None,
        }
    }

    /// The header of the ticket rows, or of the escalations: `columns`, then
    /// `version` and `cycle` where the contract has them.
    fn header(&self, columns: &[&str]) -> String {
        let version = if self.versioned { ",version" } else { "" };
        let cycle = if self.cycles { ",cycle" } else { "" };
        format!("{}{version}{cycle}", columns.join(","))
    }
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
        Box::new(CsvRowText {
            plan: self.plan,
            times: Rfc3339Writer::new(self.plan.tz),
            versioned: !self.plan.versions.is_empty(),
            cycles: has_cycles(self.plan),
        })
    }
}

/// One worker's CSV writer, with its cache of dates.
struct CsvRowText<'a> {
    plan: &'a Plan,
    times: Rfc3339Writer,
    versioned: bool,
    cycles: bool,
}

impl RowText for CsvRowText<'_> {
    /// Written straight into the chunk's buffer, as the `csv` crate writes
    /// a record ([`field`]), with dates and numbers made in place rather
    /// than as a `String` each.
    fn write(&mut self, rows: &[Row], out: &mut Vec<u8>) {
        let plan = self.plan;
        for row in rows {
            field(out, &row.id);
            out.push(b',');
            field(out, priority_name(plan, row).unwrap_or(""));
            out.push(b',');
            field(out, metric_name(plan, row).unwrap_or(""));
            out.push(b',');
            out.extend_from_slice(row.status.as_str().as_bytes());
            out.push(b',');
            if let Some(n) = row.elapsed {
                int(out, n);
            }
            out.push(b',');
            if let Some(n) = row.target_seconds {
                int(out, n);
            }
            for t in [row.deadline, row.start, row.stop] {
                out.push(b',');
                if let Some(t) = t {
                    let from = out.len();
                    self.times.write(out, t.secs);
                    insert_fraction(out, from, t.nanos);
                }
            }
            out.push(b',');
            field(out, row.reason.as_deref().unwrap_or(""));
            out.push(b',');
            field(out, row.note.as_deref().unwrap_or(""));
            out.push(b',');
            uint(out, row.line);
            if self.versioned {
                out.push(b',');
                field(out, plan.version_name(row.version).unwrap_or(""));
            }
            if self.cycles {
                out.push(b',');
                if let Some(c) = row.cycle {
                    uint(out, u64::from(c));
                }
            }
            out.push(b'\n');
        }
    }
}

/// Appends a cell as the `csv` crate writes it by default: in double quotes,
/// its quotes doubled, when it holds a comma, a quote or a line break;
/// else as it is. (Dates, numbers and statuses never need quotes.)
fn field(out: &mut Vec<u8>, cell: &str) {
    let bytes = cell.as_bytes();
    if !bytes
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for part in bytes.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.ends_with(b"\"") {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// The columns of the escalations table written after the ticket rows (as
/// INTERFACES.md names them for JSON; `version` and `cycle` follow as for
/// the ticket rows).
const ESCALATION_COLUMNS: [&str; 7] = ["id", "metric", "level", "role", "due_at", "reason", "line"];

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

    fn escalations(&mut self, rows: &[EscalationRow]) -> std::io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if self.spill.is_none() {
            self.spill = Some(Spill::create()?);
        }
        let (versioned, cycles) = (self.versioned, self.cycles);
        let Some(spill) = self.spill.as_mut() else {
            return Ok(());
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        for e in rows {
            let plan = self.plan.version(e.version);
            let cycle = cycle_cell(e.cycle);
            let record = [
                e.id.as_str(),
                e.metric.map_or("", |m| plan.metrics[m].name.as_str()),
                &e.level.to_string(),
                &plan.escalation[e.level_index].role,
                &format_rfc3339_at(e.due_at, plan.tz),
                &e.reason,
                &e.line.to_string(),
            ];
            let version = versioned.then(|| self.plan.version_name(e.version).unwrap_or(""));
            let cycle = cycles.then_some(cycle.as_str());
            // Writing to memory cannot fail.
            let _ = w.write_record(record.iter().copied().chain(version).chain(cycle));
        }
        spill.file.write_all(&w.into_inner().unwrap_or_default())
    }
}

impl Report for CsvReport<'_> {
    fn begin(&mut self) -> std::io::Result<()> {
        let header = self.header(&COLUMNS);
        writeln!(self.out, "{header}")
    }

    /// After the ticket rows, the escalations due and the credits owed (if
    /// any), each as a table of its own: a blank line, its header, its rows.
    fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        if let Some(mut spill) = self.spill.take() {
            let header = self.header(&ESCALATION_COLUMNS);
            writeln!(self.out, "\n{header}")?;
            std::io::copy(&mut spill.reader(0)?, &mut self.out)?;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// [`field`] against the `csv` crate, whose quoting the report used to
    /// take: cells with and without each byte that calls for quotes.
    #[test]
    fn cells_are_quoted_as_the_csv_crate_quotes_them() {
        let cells = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "\"",
            "\"\"",
            "line\nbreak",
            "cr\rhere",
            "crlf\r\nend",
            " spaced ",
            "tab\there",
            "naïve; €",
            "#hash",
            "'quote'",
            ",\",\n",
        ];
        for cell in cells {
            let mut ours = b"x,".to_vec();
            field(&mut ours, cell);
            ours.extend_from_slice(b",y\n");
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["x", cell, "y"]).unwrap();
            let theirs = w.into_inner().unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap(),
                "{cell:?}"
            );
        }
    }
}
