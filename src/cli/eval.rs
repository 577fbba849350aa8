//! `sla eval CONTRACT TICKETS`: wires the evaluator to the reports. Exit
//! codes (INTERFACES.md): 0 every objective compliant, 1 some objective not,
//! 2 the contract or an input cannot be used (or, with `--strict`, any
//! unreadable row or invalid verdict).

use std::io::{IsTerminal, Write};
use std::path::Path;

use chrono_tz::Tz;

use super::{EvalArgs, ReportFormat};
use crate::diagnostic::{counted, render, Diagnostic, Severity};
use crate::eval::problems::ProblemKind;
use crate::eval::{
    self, ChangeLog, Context, EvalError, EventLog, OutageLog, Plan, Problems, RunOptions,
};
use crate::report::{self, explain, progress::Progress, Header};
use crate::time::{parse_timestamp, parse_tz, At, HORIZON_END_YEAR, HORIZON_FIRST_YEAR};

pub(crate) fn run(args: &EvalArgs) -> i32 {
    match eval_command(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// Everything a run reads, opened and checked: the contract (with the
/// export profile's and `--column`'s renames), the as-of instant, the side
/// logs and the ticket log. `sla eval` and `sla report` share it.
pub(super) struct Opened {
    pub(super) plan: Plan,
    /// To the fraction of a second given.
    pub(super) as_of: At,
    pub(super) log_tz: Tz,
    pub(super) events: Option<EventLog>,
    pub(super) outages: Option<OutageLog>,
    pub(super) changes: Option<ChangeLog>,
    /// `None` without a ticket log (a contract of availability clauses only).
    pub(super) reader: Option<eval::input::log_reader::LogReader>,
    pub(super) compare: Option<(usize, String)>,
}

pub(super) fn open(args: &EvalArgs) -> Result<Opened, EvalError> {
    open_with(args, eval::load_plan(&args.contract)?)
}

/// [`open`] for a contract already loaded (`sla diff` reads git revisions).
pub(super) fn open_with(args: &EvalArgs, mut plan: Plan) -> Result<Opened, EvalError> {
    // A bad memory budget stops the run before any of the log is read.
    eval::input::memory_budget::check_all()?;
    let profile = export_profile(args, &plan)?;
    if let Some(p) = profile {
        p.rename_columns(&mut plan);
    }
    plan.rename_columns(&parse_renames(&args.input.columns)?)
        .map_err(EvalError::new)?;
    let as_of = as_of(args.input.as_of.as_deref(), plan.tz)?;
    let (h0, h1) = plan.calendar(0).horizon();
    if !(h0..h1).contains(&as_of.secs) {
        return Err(EvalError::new(format!(
            "--as-of: {} lies outside the years {HORIZON_FIRST_YEAR}–{} that calendars cover",
            args.input.as_of.as_deref().unwrap_or("now"),
            HORIZON_END_YEAR - 1
        )));
    }
    let log_tz = match &args.input.log_tz {
        None => plan.tz,
        Some(name) => parse_tz(name).map_err(|e| {
            EvalError::new(format!(
                "--log-tz {name}: not a known time zone ({e}); use an IANA name such as Europe/Amsterdam"
            ))
        })?,
    };
    let encoding = match &args.input.encoding {
        Some(label) => eval::input::text_encoding::by_label(label).map_err(EvalError::new)?,
        None => encoding_rs::UTF_8,
    };
    let events = match &args.input.events {
        Some(path) => Some(EventLog::load(path, encoding, &plan, log_tz)?),
        None => None,
    };
    let outages = match &args.input.outages {
        Some(path) => {
            if plan.rules.availability.is_empty() {
                eprintln!(
                    "warning: {}: the contract sets no availability requirement, so the outages are not evaluated",
                    path.display()
                );
            }
            Some(OutageLog::load(path, encoding, log_tz, as_of.secs)?)
        }
        None => None,
    };
    let changes = match &args.input.changes {
        Some(path) => Some(ChangeLog::load(path, encoding, &plan, log_tz)?),
        None => None,
    };
    let (reader, compare) = match &args.tickets {
        Some(tickets) => {
            let (reader, compare) = open_ticket_log(args, &plan, tickets, encoding, profile)?;
            (Some(reader), compare)
        }
        // Without a ticket log only availability (and changes) can be judged.
        None if plan.rules.targets.is_empty() => (None, None),
        None => {
            return Err(EvalError::new(format!(
                "{}: the contract has targets, so it needs a ticket log: sla eval CONTRACT TICKETS",
                args.contract.display()
            )))
        }
    };
    Ok(Opened {
        plan,
        as_of,
        log_tz,
        events,
        outages,
        changes,
        reader,
        compare,
    })
}

/// Opens the ticket log, as an export of `profile` if one is active: its
/// reader, and the export's own verdict column with the metric it is
/// compared with. Warns where the event log is not used, or is missing.
fn open_ticket_log(
    args: &EvalArgs,
    plan: &Plan,
    tickets: &Path,
    encoding: &'static encoding_rs::Encoding,
    profile: Option<&'static eval::input::profiles::Profile>,
) -> Result<(eval::input::log_reader::LogReader, Option<(usize, String)>), EvalError> {
    let (reader, compare, event_shaped) = match profile {
        Some(p) => {
            let x = eval::input::export_groups::open_export(plan, tickets, encoding, p)?;
            let compare = x
                .verdict_column
                .zip(eval::input::profiles::compared_metric(plan))
                .map(|(column, m)| (m, column.to_string()));
            (x.reader, compare, x.event_shaped)
        }
        None => (eval::open_tickets(plan, tickets, encoding)?, None, false),
    };
    match (&args.input.events, event_shaped) {
        (None, false) => warn_unpaused(plan),
        (Some(path), true) => eprintln!(
            "warning: {}: the export has a status history of its own, which pause clauses read; the event log is not used",
            path.display()
        ),
        _ => {}
    }
    Ok((reader, compare))
}

/// Streams the ticket log (if any) through `text` into `sink`, then adds
/// availability, changes, credits and the run's warnings to the summary.
pub(super) fn evaluate(
    o: &Opened,
    log: Option<(eval::input::log_reader::LogReader, &Path)>,
    compare: Option<(usize, String)>,
    text: &dyn eval::ChunkFormat,
    sink: &mut dyn eval::RowSink,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<eval::Summary, EvalError> {
    let ctx = Context {
        plan: &o.plan,
        events: o.events.as_ref(),
        as_of: o.as_of,
    };
    let mut summary = match log {
        Some((reader, tickets)) => {
            let opts = RunOptions {
                tickets,
                log_tz: o.log_tz,
                progress,
                compare,
            };
            eval::run(ctx, reader, &opts, text, sink)?
        }
        _ => eval::Summary::default(),
    };
    let plan = &o.plan;
    if let Some(log) = &o.outages {
        // Availability is counted in whole seconds (README): the as-of second.
        summary.availability = eval::verdict::availability::evaluate(plan, log, o.as_of.secs);
    }
    if let Some(log) = &o.changes {
        summary.changes = log.rows.clone();
    }
    summary.credits =
        eval::verdict::credits::credits(plan, &summary.availability, &summary.objectives);
    summary.warnings = term_warnings(plan, summary.opened);
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    side_problems(o, &mut summary);
    Ok(summary)
}

/// Counts the rows of the side logs (outages, changes) that could not be
/// read among the run's problems (the event log's are counted by the run);
/// also warns of outage services the contract does not name.
fn side_problems(o: &Opened, summary: &mut eval::Summary) {
    if let Some(log) = &o.changes {
        summary.problems.counts.merge(log.problems.clone());
    }
    if let Some(log) = &o.outages {
        summary.problems.counts.merge(log.problems.clone());
        for w in log.unknown_services(&o.plan) {
            eprintln!("warning: {w}");
        }
    }
}

fn eval_command(args: &EvalArgs) -> Result<i32, EvalError> {
    let mut o = open(args)?;
    if let Some(id) = &args.explain {
        let (Some(reader), Some(tickets)) = (o.reader.take(), &args.tickets) else {
            return Err(EvalError::new("--explain ID needs a ticket log"));
        };
        let ctx = Context {
            plan: &o.plan,
            events: o.events.as_ref(),
            as_of: o.as_of,
        };
        return explain_one(ctx, reader, tickets, o.log_tz, id);
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
    let total = args
        .tickets
        .as_ref()
        .and_then(|t| std::fs::metadata(t).ok())
        .map_or(0, |m| m.len());
    let bar = Progress::new(total);
    let tick = |bytes: u64| bar.set(bytes);
    let log = o.reader.take().zip(args.tickets.as_deref());
    let compare = o.compare.take();
    let o = o;
    let stdout = std::io::stdout();
    let out = Box::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()));
    let header = Header {
        plan: &o.plan,
        as_of: o.as_of,
    };
    let mut writer = report::writer(format, header, out);
    let write_err = |e: std::io::Error| EvalError::new(format!("cannot write the report: {e}"));
    writer.begin().map_err(write_err)?;
    let text = report::formatter(format, &o.plan);
    let summary = evaluate(
        &o,
        log,
        compare,
        text.as_ref(),
        writer.as_mut(),
        Some(&tick),
    )?;
    bar.finish();
    writer.finish(&summary).map_err(write_err)?;
    drop(writer);
    report_problems(&summary.problems, args.strict);
    Ok(if args.strict && summary.problems.any_error() {
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
    tickets: &Path,
    log_tz: Tz,
    id: &str,
) -> Result<i32, EvalError> {
    let opts = RunOptions {
        tickets,
        log_tz,
        progress: None,
        compare: None,
    };
    let Some((ticket, timeline, outcome, version)) = eval::explain(ctx, reader, &opts, id)? else {
        return Err(EvalError::new(format!(
            "{}: there is no ticket with id `{id}` (ids are matched exactly, case included)",
            tickets.display()
        )));
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    explain::write_ledger(
        &mut out,
        ctx.plan,
        version,
        &ticket,
        &timeline,
        &outcome,
        ctx.as_of,
        &tickets.display().to_string(),
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
    let (name, whence) = match (&args.input.profile, &plan.rules.contract.export) {
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

fn as_of(given: Option<&str>, tz: Tz) -> Result<At, EvalError> {
    match given {
        Some(s) => parse_timestamp(s, tz).map(|p| p.instant()).map_err(|e| {
            EvalError::new(format!(
                "--as-of {s}: not a timestamp ({e}); use RFC 3339 such as 2026-01-10T12:00:00Z"
            ))
        }),
        None => {
            let now = chrono::Utc::now();
            Ok(At {
                secs: now.timestamp(),
                nanos: now.timestamp_subsec_nanos(),
            })
        }
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
    let (noun, verb) = if pausing.len() == 1 {
        ("metric", "pauses")
    } else {
        ("metrics", "pause")
    };
    if !pausing.is_empty() {
        eprintln!(
            "warning: {noun} {} {verb} on statuses of the event log, but no --events FILE was given: no time is paused",
            pausing.join(", ")
        );
    }
}

/// Tickets opened before the effective date, or after the term ended (for
/// a contract that does not renew): the log reaches outside the agreement.
fn term_warnings(plan: &Plan, opened: Option<(i64, i64)>) -> Vec<String> {
    let (Some((first, last)), Some((start, end))) =
        (opened, crate::contract_term::covered(&plan.rules.contract))
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

pub(super) fn report_problems(p: &Problems, strict: bool) {
    let mut stderr = std::io::stderr().lock();
    let color = stderr.is_terminal();
    if p.warnings > 0 {
        let _ = writeln!(
            stderr,
            "warning: {} needed a choice:",
            counted(p.warnings, "timestamp", "timestamps")
        );
        for w in &p.warning_samples {
            let _ = writeln!(stderr, "  {w}");
        }
    }
    for kind in ProblemKind::ALL {
        let n = p.counts.count(kind);
        if n == 0 {
            continue;
        }
        // Without --strict the run goes on: the problem is reported as a
        // warning, whatever its code's severity.
        let severity = if strict && kind.is_error() {
            Severity::Error
        } else {
            Severity::Warning
        };
        let level = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let code = kind.code();
        let _ = writeln!(
            stderr,
            "{level}: {} ({code}; `sla explain {code}` says more):",
            kind.counted(n)
        );
        let shown: Vec<Diagnostic> = p
            .counts
            .first(kind)
            .map(|problem| Diagnostic {
                severity,
                ..problem.diagnostic.clone()
            })
            .collect();
        let _ = write!(stderr, "{}", render::human_in_log(&shown, color));
        if n > shown.len() as u64 {
            let _ = writeln!(
                stderr,
                "  … and {} more",
                kind.counted(n - shown.len() as u64)
            );
        }
    }
    if !strict && p.any_error() {
        let _ = writeln!(
            stderr,
            "  (rows with problems are in the report as `invalid` rows with their reason; with --strict these make sla eval fail with exit code 2)"
        );
    }
}
