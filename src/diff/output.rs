//! The what-if written out: human (a short table of what changes, then the
//! tickets) and JSON (the tickets streamed as they are found, the tables
//! after them).

use std::io::Write;
use std::path::Path;

use chrono_tz::Tz;
use serde_json::{json, Value};

use crate::diff::changes::Change;
use crate::diff::whatif::{Compliance, Outcome, TicketChange};
use crate::eval::Status;
use crate::time::exact::format_rfc3339_at;
use crate::time::At;

/// The human report lists this many changed tickets; JSON lists them all.
pub(crate) const LISTED: usize = 100;

/// What the what-if was run on.
pub(crate) struct Header<'a> {
    pub(crate) old: &'a str,
    pub(crate) new: &'a str,
    pub(crate) tickets: &'a Path,
    pub(crate) as_of: At,
    /// The zone instants are written in (the new contract's).
    pub(crate) tz: Tz,
}

/// The JSON object up to the open `tickets` array.
pub(crate) fn json_open(
    out: &mut dyn Write,
    h: &Header,
    changes: &[Change],
) -> std::io::Result<()> {
    let head = json!({
        "old": h.old,
        "new": h.new,
        "same": changes.is_empty(),
        "changes": changes,
        "log": h.tickets.display().to_string(),
        "as_of": format_rfc3339_at(h.as_of, h.tz),
    });
    let text = head.to_string();
    // Reopen the object to stream the tickets into it.
    let text = text.strip_suffix('}').unwrap_or(&text);
    write!(out, "{text},\"tickets\":[")
}

fn status(s: Option<Status>) -> Value {
    s.map_or(Value::Null, |s| Value::from(s.as_str()))
}

pub(crate) fn json_ticket(
    out: &mut dyn Write,
    c: &TicketChange,
    tz: Tz,
    first: bool,
) -> std::io::Result<()> {
    let at = |t: Option<At>| t.map_or(Value::Null, |t| Value::from(format_rfc3339_at(t, tz)));
    let v = json!({
        "id": c.id,
        "line": c.line,
        "metric": c.metric,
        "priority": c.priority,
        "old": status(c.old),
        "new": status(c.new),
        "old_deadline": at(c.old_deadline),
        "new_deadline": at(c.new_deadline),
    });
    if !first {
        out.write_all(b",")?;
    }
    write!(out, "\n{v}")
}

/// Closes the `tickets` array and writes the tables.
pub(crate) fn json_close(out: &mut dyn Write, o: &Outcome) -> std::io::Result<()> {
    let transitions: Vec<Value> = o
        .transitions
        .iter()
        .map(|((a, b), n)| json!({"old": status(*a), "new": status(*b), "rows": n}))
        .collect();
    let tail = json!({
        "summary": {
            "tickets": o.tickets,
            "tickets_changed": o.tickets_changed,
            "transitions": transitions,
            "unreadable_rows": o.new.problems.unreadable(),
        },
        "objectives": o.objectives,
        "availability": o.availability,
        "credits": o.credits,
    });
    let text = tail.to_string();
    let text = text.strip_prefix('{').unwrap_or(&text);
    writeln!(out, "\n],{text}")
}

fn name(s: Option<Status>) -> &'static str {
    s.map_or("(no row)", Status::as_str)
}

fn standing(c: &Option<Compliance>) -> String {
    match c {
        None => "(no tickets)".into(),
        Some(c) => format!(
            "{} met of {}: {} of {}%, {}",
            c.met,
            c.met + c.breached,
            c.share.map_or("empty".to_string(), |s| format!("{s:.1}%")),
            c.required,
            if c.compliant {
                "compliant"
            } else {
                "not compliant"
            }
        ),
    }
}

/// The what-if for people: what changes, counted, then the tickets.
pub(crate) fn human(
    out: &mut dyn Write,
    h: &Header,
    o: &Outcome,
    listed: &[TicketChange],
    more: u64,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\nOver {} as of {}: {}, {} with a changed verdict",
        h.tickets.display(),
        format_rfc3339_at(h.as_of, h.tz),
        crate::diagnostic::counted(o.tickets, "ticket", "tickets"),
        o.tickets_changed
    )?;
    if o.new.problems.unreadable() > 0 {
        writeln!(
            out,
            "  {} row(s) of the log could not be read (`sla eval` lists them); they are `invalid` under both",
            o.new.problems.unreadable()
        )?;
    }
    let unchanged: u64 = o
        .transitions
        .iter()
        .filter(|((a, b), _)| a == b)
        .map(|(_, n)| n)
        .sum();
    writeln!(out, "\n  verdicts                          rows")?;
    for ((a, b), n) in o.transitions.iter().filter(|((a, b), _)| a != b) {
        let t = format!("{} → {}", name(*a), name(*b));
        writeln!(out, "  {t:<32} {n:>5}")?;
    }
    writeln!(out, "  {:<32} {unchanged:>5}", "unchanged")?;
    if !o.objectives.is_empty() {
        writeln!(out, "\n  objectives")?;
        for c in &o.objectives {
            writeln!(
                out,
                "  {} {}: {} → {}{}",
                c.name,
                c.period,
                standing(&c.old),
                standing(&c.new),
                if c.compliance_changed {
                    "  (compliance changes)"
                } else {
                    ""
                }
            )?;
        }
    }
    availability_and_credits(out, o)?;
    if !listed.is_empty() {
        writeln!(out, "\n  tickets (old → new)")?;
        for t in listed {
            writeln!(
                out,
                "  {} {} {}: {} → {}",
                t.id,
                t.metric.as_deref().unwrap_or("(no metric)"),
                t.priority.as_deref().unwrap_or("-"),
                name(t.old),
                name(t.new)
            )?;
        }
        if more > 0 {
            writeln!(out, "  … and {more} more (--format json lists every one)")?;
        }
    }
    Ok(())
}

/// What the change does to availability and to the credits owed.
fn availability_and_credits(out: &mut dyn Write, o: &Outcome) -> std::io::Result<()> {
    if !o.availability.is_empty() {
        writeln!(out, "\n  availability")?;
        for a in &o.availability {
            let v = |x: &Option<(Option<f64>, f64, bool)>| match x {
                None => "(not measured)".to_string(),
                Some((v, req, ok)) => format!(
                    "{} of {req}%, {}",
                    v.map_or("no window time".to_string(), |v| format!("{v:.3}%")),
                    if *ok { "compliant" } else { "not compliant" }
                ),
            };
            writeln!(
                out,
                "  {} {} {}: {} → {}",
                a.service,
                a.window,
                a.period,
                v(&a.old),
                v(&a.new)
            )?;
        }
    }
    if !o.credits.is_empty() {
        writeln!(out, "\n  credits")?;
        for c in &o.credits {
            let money = |o: &crate::diff::whatif::Owed| match &o.currency {
                Some(cur) => format!("{:.2} {cur}", o.amount),
                None => format!("{}% of the fee", o.percent),
            };
            writeln!(out, "  {}: {} → {}", c.period, money(&c.old), money(&c.new))?;
        }
    }
    Ok(())
}
