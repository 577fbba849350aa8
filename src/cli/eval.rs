//! `sla eval CONTRACT TICKETS`: wires the evaluator to the reports. Exit
//! codes (INTERFACES.md): 0 every objective compliant, 1 some objective not,
//! 2 the contract or an input cannot be used (or, with `--strict`, any
//! unreadable row or invalid verdict).

use std::io::{IsTerminal, Write};
use std::path::Path;

use chrono_tz::Tz;

use super::{EvalArgs, ReportFormat};
use crate::eval::{
    self, ChangeLog, Context, EvalError, EventLog, OutageLog, Plan, Problems, RunOptions,
};
use crate::report::{self, explain, progress::Progress, Header};
use crate::time::{parse_timestamp, parse_tz, HORIZON_END_YEAR, HORIZON_FIRST_YEAR};

pub fn run(args: &EvalArgs) -> i32 {
    match eval_command(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn eval_command(args: &EvalArgs) -> Result<i32, EvalError> {
    let mut plan = eval::load_plan(&args.contract)?;
    let profile = export_profile(args, &plan)?;
    if let Some(p) = profile {
        p.rename_columns(&mut plan);
    }
    plan.rename_columns(&parse_renames(&args.columns)?)
        .map_err(EvalError::new)?;
    let as_of = as_of(args.as_of.as_deref(), plan.tz)?;
    let (h0, h1) = plan.calendar(0).horizon();
    if !(h0..h1).contains(&as_of) {
        return Err(EvalError::new(format!(
            "--as-of: {} lies outside the years {HORIZON_FIRST_YEAR}–{} that calendars cover",
            args.as_of.as_deref().unwrap_or("now"),
            HORIZON_END_YEAR - 1
        )));
    }
    let log_tz = match &args.log_tz {
        None => plan.tz,
        Some(name) => parse_tz(name).map_err(|e| {
            EvalError::new(format!(
                "--log-tz {name}: not a known time zone ({e}); use an IANA name such as Europe/Amsterdam"
            ))
        })?,
    };
    let events = match &args.events {
        Some(path) => Some(EventLog::load(path, &plan, log_tz)?),
        None => None,
    };
    let outages = match &args.outages {
        Some(path) => {
            if plan.rules.availability.is_empty() {
                eprintln!(
                    "warning: {}: the contract sets no availability requirement, so the outages are not evaluated",
                    path.display()
                );
            }
            Some(OutageLog::load(path, log_tz, as_of)?)
        }
        None => None,
    };
    let changes = match &args.changes {
        Some(path) => Some(ChangeLog::load(path, &plan, log_tz)?),
        None => None,
    };
    let (reader, compare, event_shaped) = match profile {
        Some(p) => {
            let x = eval::input::export_groups::open_export(&plan, &args.tickets, p)?;
            let compare = x
                .verdict_column
                .zip(eval::input::profiles::compared_metric(&plan))
                .map(|(column, m)| (m, column.to_string()));
            (x.reader, compare, x.event_shaped)
        }
        None => (eval::open_tickets(&plan, &args.tickets)?, None, false),
    };
    match (&args.events, event_shaped) {
        (None, false) => warn_unpaused(&plan),
        (Some(path), true) => eprintln!(
            "warning: {}: the export has a status history of its own, which pause clauses read; the event log is not used",
            path.display()
        ),
        _ => {}
    }
    let ctx = Context {
        plan: &plan,
        events: events.as_ref(),
        as_of,
    };
    if let Some(id) = &args.explain {
        return explain_one(ctx, reader, args, log_tz, id);
    }
    let format = match args.format.unwrap_or(if std::io::stdout().is_terminal() {
        ReportFormat::Human
    } else {
        ReportFormat::Json
    }) {
        ReportFormat::Human => report::ReportFormat::Human,
        ReportFormat::Json => report::ReportFormat::Json,
        ReportFormat::Csv => report::ReportFormat::Csv,
    };
    let total = std::fs::metadata(&args.tickets)
        .map(|m| m.len())
        .unwrap_or(0);
    let bar = Progress::new(total);
    let tick = |bytes: u64| bar.set(bytes);
    let opts = RunOptions {
        tickets: &args.tickets,
        log_tz,
        progress: Some(&tick),
        compare,
    };
    let stdout = std::io::stdout();
    let out = Box::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()));
    let mut writer = report::writer(format, Header { plan: &plan, as_of }, out);
    let write_err = |e: std::io::Error| EvalError::new(format!("cannot write the report: {e}"));
    writer.begin().map_err(write_err)?;
    let text = report::formatter(format, &plan);
    let mut summary = eval::run(ctx, reader, &opts, text.as_ref(), writer.as_mut())?;
    if let Some(log) = &outages {
        summary.availability = eval::verdict::availability::evaluate(&plan, log, as_of);
    }
    if let Some(log) = &changes {
        summary.changes = log.rows.clone();
    }
    summary.warnings = term_warnings(&plan, summary.opened);
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    bar.finish();
    writer.finish(&summary).map_err(write_err)?;
    drop(writer);
    // Rows of the side logs (events, outages) that could not be read.
    let mut side_problems: Vec<String> = events
        .as_ref()
        .map(|e| e.problems.clone())
        .unwrap_or_default();
    if let Some(log) = &changes {
        side_problems.extend(log.problems.iter().cloned());
    }
    if let Some(log) = &outages {
        side_problems.extend(log.problems.iter().cloned());
        for w in log.unknown_services(&plan) {
            eprintln!("warning: {w}");
        }
    }
    let event_problems = side_problems.as_slice();
    report_problems(
        &summary.problems,
        event_problems,
        &args.tickets,
        args.strict,
    );
    let problems = !summary.problems.is_empty() || !event_problems.is_empty();
    Ok(if args.strict && problems {
        2
    } else if summary.compliant() {
        0
    } else {
        1
    })
}

fn explain_one(
    ctx: Context,
    reader: eval::input::log_reader::LogReader,
    args: &EvalArgs,
    log_tz: Tz,
    id: &str,
) -> Result<i32, EvalError> {
    let opts = RunOptions {
        tickets: &args.tickets,
        log_tz,
        progress: None,
        compare: None,
    };
    let Some((ticket, outcome)) = eval::explain(ctx, reader, &opts, id)? else {
        return Err(EvalError::new(format!(
            "{}: there is no ticket with id `{id}` (ids are matched exactly, case included)",
            args.tickets.display()
        )));
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    explain::write_ledger(
        &mut out,
        ctx.plan,
        &ticket,
        &outcome,
        ctx.events,
        ctx.as_of,
        &args.tickets.display().to_string(),
    )
    .and_then(|_| out.flush())
    .map_err(|e| EvalError::new(format!("cannot write the ledger: {e}")))?;
    Ok(0)
}

/// The export profile: `--profile`, else the contract's `export` item.
fn export_profile(
    args: &EvalArgs,
    plan: &Plan,
) -> Result<Option<&'static eval::input::profiles::Profile>, EvalError> {
    let (name, whence) = match (&args.profile, &plan.rules.contract.export) {
        (Some(n), _) => (n, "--profile"),
        (None, Some(n)) => (n, "the contract's `export`"),
        (None, None) => return Ok(None),
    };
    eval::input::profiles::find(name).map(Some).ok_or_else(|| {
        EvalError::new(format!(
            "{whence}: {}",
            eval::input::profiles::unknown(name)
        ))
    })
}

/// `FIELD=COLUMN` pairs.
fn parse_renames(items: &[String]) -> Result<Vec<(String, String)>, EvalError> {
    items
        .iter()
        .map(|s| match s.split_once('=') {
            Some((f, c)) if !f.trim().is_empty() && !c.trim().is_empty() => {
                Ok((f.trim().to_string(), c.trim().to_string()))
            }
            _ => Err(EvalError::new(format!(
                "--column {s}: expected FIELD=COLUMN, e.g. --column responded_at=first_reply"
            ))),
        })
        .collect()
}

fn as_of(given: Option<&str>, tz: Tz) -> Result<i64, EvalError> {
    match given {
        Some(s) => parse_timestamp(s, tz).map(|p| p.at).map_err(|e| {
            EvalError::new(format!(
                "--as-of {s}: not a timestamp ({e}); use RFC 3339 such as 2026-01-10T12:00:00Z"
            ))
        }),
        None => Ok(chrono::Utc::now().timestamp()),
    }
}

/// A contract that pauses clocks reads the event log; without one nothing is paused.
fn warn_unpaused(plan: &Plan) {
    let pausing: Vec<&str> = plan
        .metrics
        .iter()
        .filter(|m| !m.pause.is_empty())
        .map(|m| m.name.as_str())
        .collect();
    if !pausing.is_empty() {
        eprintln!(
            "warning: metric(s) {} pause on statuses of the event log, but no --events FILE was given: no time is paused",
            pausing.join(", ")
        );
    }
}

/// Tickets opened before the effective date, or after the term ended (for
/// a contract that does not renew): the log reaches outside the agreement.
fn term_warnings(plan: &Plan, opened: Option<(i64, i64)>) -> Vec<String> {
    let (Some((first, last)), Some((start, end))) =
        (opened, crate::term::covered(&plan.rules.contract))
    else {
        return Vec::new();
    };
    let midnight = |d: chrono::NaiveDate| {
        crate::time::local_to_instant(plan.tz, d.and_time(chrono::NaiveTime::MIN))
    };
    let day = |t: i64| crate::time::local_date(plan.tz, t);
    let mut out = Vec::new();
    if midnight(start).is_some_and(|s| first < s) {
        out.push(format!(
            "the log has tickets opened before the contract's effective date {start} (the earliest on {}); the agreement did not apply to them yet",
            day(first)
        ));
    }
    if let Some(end) = end {
        if midnight(end).is_some_and(|e| last >= e) {
            let last_day = end.pred_opt().unwrap_or(end);
            out.push(format!(
                "the log has tickets opened after the contract's term ended on {last_day} (it does not renew automatically; the latest on {}); the agreement no longer applied to them",
                day(last)
            ));
        }
    }
    out
}

fn report_problems(p: &Problems, event_problems: &[String], tickets: &Path, strict: bool) {
    let mut stderr = std::io::stderr().lock();
    let level = if strict { "error" } else { "warning" };
    if p.warnings > 0 {
        let _ = writeln!(
            stderr,
            "warning: {} timestamp(s) needed a choice:",
            p.warnings
        );
        for w in &p.warning_samples {
            let _ = writeln!(stderr, "  {w}");
        }
    }
    if !p.is_empty() {
        let mut parts = Vec::new();
        if p.unreadable > 0 {
            parts.push(format!(
                "{} row(s) of {} could not be read",
                p.unreadable,
                tickets.display()
            ));
        }
        if p.contradictions > 0 {
            parts.push(format!(
                "{} verdict(s) are invalid because a ticket contradicts itself",
                p.contradictions
            ));
        }
        let _ = writeln!(
            stderr,
            "{level}: {}; each is in the report as an `invalid` row with its reason:",
            parts.join("; ")
        );
        for s in &p.samples {
            let _ = writeln!(stderr, "  {s}");
        }
        if p.unreadable + p.contradictions > p.samples.len() as u64 {
            let _ = writeln!(stderr, "  … and more (the report lists every one)");
        }
    }
    if !event_problems.is_empty() {
        let _ = writeln!(
            stderr,
            "{level}: {} row(s) of the event, outage or change log could not be read and were left out:",
            event_problems.len()
        );
        for s in event_problems.iter().take(Problems::KEEP) {
            let _ = writeln!(stderr, "  {s}");
        }
        if event_problems.len() > Problems::KEEP {
            let _ = writeln!(
                stderr,
                "  … and {} more",
                event_problems.len() - Problems::KEEP
            );
        }
    }
    if !strict && (!p.is_empty() || !event_problems.is_empty()) {
        let _ = writeln!(
            stderr,
            "  (with --strict these make sla eval fail with exit code 2)"
        );
    }
}
