//! `--format json`: one object as INTERFACES.md fixes it, written as it goes:
//! the header, then one ticket row per line, then objectives and problems.

use std::io::Write;

use serde::Serialize;
use serde_json::json;

use super::{metric_name, priority_name, Header, Report};
use crate::eval::{
    AvailabilityRow, ChunkFormat, EscalationRow, ObjectiveResult, Plan, Row, RowSink, Status,
    Summary,
};
use crate::time::format_rfc3339;

pub struct JsonReport<'a> {
    header: Header<'a>,
    out: Box<dyn Write + 'a>,
    first: bool,
    /// Escalation rows come while the ticket rows are still being written;
    /// they wait in a temporary file (not in memory, which must not grow
    /// with the log) and are copied in at the end.
    spill: Option<Spill>,
}

struct Spill {
    path: std::path::PathBuf,
    file: std::io::BufWriter<std::fs::File>,
}

impl Spill {
    fn create() -> std::io::Result<Spill> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "sla-escalations-{}-{nanos}.json",
            std::process::id()
        ));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Spill {
            path,
            file: std::io::BufWriter::new(file),
        })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[derive(Serialize)]
struct RowJson<'r> {
    id: &'r str,
    priority: Option<&'r str>,
    metric: Option<&'r str>,
    status: Status,
    elapsed_seconds: Option<i64>,
    target_seconds: Option<i64>,
    deadline: Option<String>,
    reason: Option<&'r str>,
    start: Option<String>,
    stop: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'r str>,
    /// Only where the contract has a closure rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_at: Option<Option<String>>,
    line: u64,
}

impl<'a> JsonReport<'a> {
    pub fn new(header: Header<'a>, out: Box<dyn Write + 'a>) -> Self {
        JsonReport {
            header,
            out,
            first: true,
            spill: None,
        }
    }
}

fn string<T: Serialize>(v: &T) -> String {
    // Serializing plain strings and numbers cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub fn objective_json(o: &ObjectiveResult) -> serde_json::Value {
    let c = &o.counts;
    json!({
        "name": o.name,
        "metric": o.metric,
        "period": o.period,
        "met": c.get(Status::Met),
        "breached": c.get(Status::Breached),
        "pending": c.get(Status::Pending),
        "excluded": c.get(Status::Excluded),
        "untimed": c.get(Status::Untimed),
        "invalid": c.get(Status::Invalid),
        "not_applicable": c.get(Status::NotApplicable),
        "share": o.share,
        "required": o.required,
        "compliant": o.compliant,
    })
}

/// Formats rows as JSON objects, each after `,\n` (the sink drops the very first comma).
pub struct JsonRows<'a> {
    pub plan: &'a Plan,
}

impl ChunkFormat for JsonRows<'_> {
    fn format(&self, rows: &[Row], out: &mut Vec<u8>) {
        let plan = self.plan;
        let tz = plan.tz;
        for row in rows {
            let r = RowJson {
                id: &row.id,
                priority: priority_name(plan, row),
                metric: metric_name(plan, row),
                status: row.status,
                elapsed_seconds: row.elapsed,
                target_seconds: row.target_seconds,
                deadline: row.deadline.map(|d| format_rfc3339(d, tz)),
                reason: row.reason.as_deref(),
                start: row.start.map(|d| format_rfc3339(d, tz)),
                stop: row.stop.map(|d| format_rfc3339(d, tz)),
                note: row.note.as_deref(),
                closed_at: (!plan.closures.is_empty())
                    .then(|| row.closed_at.map(|d| format_rfc3339(d, tz))),
                line: row.line,
            };
            out.extend_from_slice(b",\n    ");
            // Straight into the chunk's buffer: no string per row. Writing
            // plain strings and numbers to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &r);
        }
    }
}

/// `  "name": [` one item per line `],` (the object goes on after it).
fn array(
    out: &mut dyn Write,
    name: &str,
    items: impl Iterator<Item = serde_json::Value>,
) -> std::io::Result<()> {
    write!(out, "  \"{name}\": [")?;
    let mut empty = true;
    for (i, item) in items.enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        write!(out, "{sep}    {item}")?;
        empty = false;
    }
    if empty {
        writeln!(out, "],")
    } else {
        writeln!(out, "\n  ],")
    }
}

pub fn availability_json(a: &AvailabilityRow) -> serde_json::Value {
    json!({
        "service": a.service,
        "window": a.window,
        "period": a.period,
        "window_seconds": a.window_seconds,
        "downtime_seconds": a.downtime_seconds,
        "availability": a.availability,
        "required": a.required,
        "interruptions": a.interruptions,
        "max_interruptions": a.max_interruptions,
        "compliant": a.compliant,
        "partial": a.partial,
    })
}

/// The ladder's contact channels, as `{"channel", "address"}` objects.
fn escalation_contacts(plan: &Plan) -> serde_json::Value {
    plan.rules
        .escalation
        .as_ref()
        .map(|e| {
            e.contacts
                .iter()
                .map(|c| json!({"channel": c.channel, "address": c.address}))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into()
}

impl RowSink for JsonReport<'_> {
    fn rows(&mut self, _rows: &[Row], text: &[u8]) -> std::io::Result<()> {
        let text = match (self.first, text.split_first()) {
            (true, Some((_comma, rest))) => {
                self.first = false;
                rest
            }
            _ => text,
        };
        self.out.write_all(text)
    }

    fn escalations(&mut self, rows: &[EscalationRow]) -> std::io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if self.spill.is_none() {
            self.spill = Some(Spill::create()?);
        }
        let plan = self.header.plan;
        if let Some(spill) = self.spill.as_mut() {
            for e in rows {
                let row = json!({
                    "id": e.id,
                    "metric": e.metric.map(|m| plan.metrics[m].name.as_str()),
                    "level": e.level,
                    "role": plan.escalation[e.level_index].role,
                    "due_at": format_rfc3339(e.due_at, plan.tz),
                    "reason": e.reason,
                    "contacts": escalation_contacts(plan),
                    "line": e.line,
                });
                write!(spill.file, ",\n    {row}")?;
            }
        }
        Ok(())
    }
}

impl Report for JsonReport<'_> {
    fn begin(&mut self) -> std::io::Result<()> {
        let plan = self.header.plan;
        write!(
            self.out,
            "{{\n  \"contract\": {},\n  \"as_of\": {},\n  \"timezone\": {},\n  \"tickets\": [",
            string(&plan.rules.contract.name),
            string(&format_rfc3339(self.header.as_of, plan.tz)),
            string(&plan.rules.timezone),
        )
    }

    fn finish(&mut self, s: &Summary) -> std::io::Result<()> {
        let close = if self.first { "],\n" } else { "\n  ],\n" };
        write!(self.out, "{close}")?;
        array(
            &mut self.out,
            "objectives",
            s.objectives.iter().map(objective_json),
        )?;
        if !s.availability.is_empty() {
            array(
                &mut self.out,
                "availability",
                s.availability.iter().map(availability_json),
            )?;
        }
        if !s.changes.is_empty() {
            let tz = self.header.plan.tz;
            array(
                &mut self.out,
                "changes",
                s.changes.iter().map(|c| {
                    json!({
                        "id": c.id,
                        "deployed_at": format_rfc3339(c.deployed_at, tz),
                        "allowed": c.allowed,
                        "by_exception": c.by_exception,
                        "reason": c.reason,
                        "line": c.line,
                    })
                }),
            )?;
        }
        if let Some(mut spill) = self.spill.take() {
            spill.file.flush()?;
            let mut text = std::fs::File::open(&spill.path)?;
            let mut comma = [0u8; 1];
            std::io::Read::read_exact(&mut text, &mut comma)?;
            write!(self.out, "  \"escalations\": [")?;
            std::io::copy(&mut text, &mut self.out)?;
            writeln!(self.out, "\n  ],")?;
        } else if !self.header.plan.escalation.is_empty() {
            writeln!(self.out, "  \"escalations\": [],")?;
        }
        if !s.warnings.is_empty() {
            array(
                &mut self.out,
                "warnings",
                s.warnings
                    .iter()
                    .map(|w| serde_json::Value::from(w.as_str())),
            )?;
        }
        let mut by_status = serde_json::Map::new();
        for st in Status::ALL {
            by_status.insert(st.as_str().into(), s.by_status.get(st).into());
        }
        let summary = json!({
            "tickets": s.tickets,
            "rows": s.rows,
            "escalations": s.escalations,
            "statuses": by_status,
            "compliant": s.compliant(),
        });
        let problems = json!({
            "unreadable_rows": s.problems.unreadable,
            "invalid_verdicts": s.problems.contradictions,
            "warnings": s.problems.warnings,
            "first": s.problems.samples,
            "first_warnings": s.problems.warning_samples,
        });
        writeln!(
            self.out,
            "  \"summary\": {summary},\n  \"problems\": {problems}\n}}"
        )?;
        self.out.flush()
    }
}
