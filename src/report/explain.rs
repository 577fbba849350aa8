//! `--explain ID`: the ledger of one ticket. It shows each step the verdicts
//! rest on, in the order they were taken: the cells read, the priority, per
//! metric the targets tried, the exclusions checked, start and stop, each
//! stretch of open time counted, the closed days skipped (holidays by name),
//! pauses, the deadline and the verdict.

use std::io::Write;

use chrono::Duration;

use super::format::{duration, duration_nanos, local, local_at};
use crate::eval::clock::status::Status;
use crate::eval::contract::plan::{Chosen, Source, TargetPlan, VersionIndex};
use crate::eval::input::cells::Ticket;
use crate::eval::timeline::history::{Origin, Timeline};
use crate::eval::verdict::row::Row;
use crate::eval::verdict::select::{cell_text, describe, describe_selector};
use crate::eval::verdict::ticket::Outcome;
use crate::eval::verdict::ticket::{MetricTrace, Trace};
use crate::eval::Plan;
use crate::rules::TargetDuration;
use crate::time::exact::{open_nanos, At};
use crate::time::{local_date, Calendar};

/// Which version of the contract judges the ticket, and why: the one in
/// force at its opening (SEMANTICS.md, "Versions of a contract").
fn version_ledger(
    out: &mut dyn Write,
    first: &Plan,
    version: VersionIndex,
    ticket: &Ticket,
    as_of: At,
) -> std::io::Result<()> {
    let Some(name) = first.version_name(version) else {
        return Ok(());
    };
    let tz = first.tz;
    let opening = first.opening.and_then(|f| {
        let at = ticket.time(f)?;
        Some((first.fields[f].name.as_str(), at))
    });
    let what = match opening {
        Some((field, at)) => format!("opened ({field} {})", local(at, tz)),
        None => format!(
            "not yet opened, at the as-of instant {}",
            local_at(as_of, tz)
        ),
    };
    let since = match usize::from(version).checked_sub(1) {
        Some(i) => format!("in force from {}", local(first.versions[i].from, tz)),
        None => match first.rules.contract.effective {
            Some(d) => format!("the contract as first written, in force from {d}"),
            None => "the contract as first written".into(),
        },
    };
    let until = first
        .versions
        .get(usize::from(version))
        .map(|next| format!(" until version {} from {}", next.name, local(next.from, tz)))
        .unwrap_or_default();
    writeln!(
        out,
        "version:  {name} ({since}{until}), the version in force when the ticket was {what}"
    )
}

/// Stretches of open time listed before the rest are summed up.
const MAX_STRETCHES: usize = 30;
/// Closed days listed before the rest are counted.
const MAX_CLOSED_DAYS: usize = 20;

/// The ledger of `ticket`, judged by `version` of the contract `first`.
#[allow(clippy::too_many_arguments)] // each is one input of the ledger
pub(crate) fn write_ledger(
    out: &mut dyn Write,
    first: &Plan,
    version: VersionIndex,
    ticket: &Ticket,
    timeline: &Timeline,
    outcome: &Outcome,
    as_of: At,
    file: &str,
) -> std::io::Result<()> {
    let plan = first.version(version);
    let tz = plan.tz;
    writeln!(out, "Ticket {} ({file}, line {})", ticket.id, ticket.line)?;
    writeln!(out, "contract: {}", plan.rules.contract.name)?;
    writeln!(out, "as of:    {}", local_at(as_of, tz))?;
    version_ledger(out, first, version, ticket, as_of)?;
    writeln!(out)?;
    cells_ledger(out, plan, ticket)?;
    timeline_ledger(out, plan, timeline, as_of, file)?;
    let Some(trace) = &outcome.trace else {
        return Ok(());
    };
    writeln!(out)?;
    writeln!(
        out,
        "Priority: {} ({})",
        trace
            .priority
            .map(|p| plan.priority_names[p].as_str())
            .unwrap_or("none"),
        trace.priority_how
    )?;
    first_match_ledger(out, plan, trace)?;
    for mt in &trace.metrics {
        writeln!(out)?;
        metric_ledger(out, plan, outcome, mt, trace, as_of)?;
    }
    let no_metric = outcome.rows.iter().all(|r| r.metric.is_none());
    if let Some(r) = outcome.rows.first().filter(|_| no_metric) {
        writeln!(out)?;
        writeln!(
            out,
            "Verdict: {}{}",
            r.status.as_str(),
            r.reason
                .as_ref()
                .map(|x| format!(" — {x}"))
                .unwrap_or_else(|| " — no target of the contract covers this ticket".into())
        )?;
    }
    tallies_ledger(out, plan, outcome, trace)
}

/// The cells read from the ticket's row (instants with their fraction of
/// a second), and its problems and warnings.
fn cells_ledger(out: &mut dyn Write, plan: &Plan, ticket: &Ticket) -> std::io::Result<()> {
    writeln!(out, "Cells read")?;
    for (i, f) in plan.fields.iter().enumerate() {
        let text = match ticket.at(i) {
            // With its fraction of a second.
            Some(at) => crate::time::exact::format_rfc3339_at(at, plan.tz),
            None => match ticket.cells.get(i) {
                Some(c) => cell_text(plan, i, c),
                None => continue,
            },
        };
        writeln!(out, "  {:<20} {text}", f.name)?;
    }
    for p in &ticket.problems {
        writeln!(out, "  problem: {p}")?;
    }
    for w in &ticket.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}

/// Policies tried in order: which row of each first-match block took the
/// ticket.
fn first_match_ledger(out: &mut dyn Write, plan: &Plan, trace: &Trace) -> std::io::Result<()> {
    for (b, row) in trace.first_rows.iter().enumerate() {
        let rows = &plan.policy_rows[b];
        let tried: Vec<String> = rows
            .iter()
            .enumerate()
            .take(row.map_or(rows.len(), |r| r + 1))
            .map(|(r, &ti)| {
                let sel = describe_selector(plan, &plan.targets[ti].selector);
                let verdict = if Some(r) == *row { "applies" } else { "no" };
                format!("    row {} ({sel}): {verdict}", r + 1)
            })
            .collect();
        writeln!(out)?;
        writeln!(
            out,
            "First-match block {} (rows tried in order, the first that holds wins):",
            b + 1
        )?;
        writeln!(out, "{}", tried.join("\n"))?;
        if row.is_none() {
            writeln!(
                out,
                "    no row holds: the block gives this ticket no target"
            )?;
        }
    }
    Ok(())
}

/// The objectives and periods the ticket's verdicts count in.
fn tallies_ledger(
    out: &mut dyn Write,
    plan: &Plan,
    outcome: &Outcome,
    trace: &Trace,
) -> std::io::Result<()> {
    if !outcome.tallies.is_empty() {
        writeln!(out)?;
        writeln!(out, "Counts in")?;
        for (i, (oi, period, status)) in outcome.tallies.iter().enumerate() {
            let o = &plan.objectives[*oi];
            // A metric with cycles counts each cycle: say which.
            let cycle = match trace.tally_cycles.get(i).copied().flatten() {
                Some(c) => format!(", cycle {c}"),
                None => String::new(),
            };
            writeln!(
                out,
                "  objective {:<24} {}  as {}{cycle}",
                o.name,
                period.label(o.period),
                status.as_str()
            )?;
        }
    }
    Ok(())
}

/// The ticket's timeline: every event in time order with where it came
/// from, those after the as-of instant marked as not seen.
fn timeline_ledger(
    out: &mut dyn Write,
    plan: &Plan,
    timeline: &Timeline,
    as_of: At,
    file: &str,
) -> std::io::Result<()> {
    if timeline.events.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Timeline")?;
    let mut said_as_of = false;
    for e in &timeline.events {
        if e.at > as_of && !said_as_of {
            writeln!(
                out,
                "  {}  ── as of: nothing after this is seen",
                local_at(as_of, plan.tz)
            )?;
            said_as_of = true;
        }
        let what = match (&e.what, &e.origin) {
            (Some(what), _) => what.clone(),
            (None, Origin::Column(i)) => plan.fields[*i].name.clone(),
            (None, _) => String::new(),
        };
        let whence = match &e.origin {
            Origin::Column(i) => format!("column `{}`", plan.fields[*i].column),
            Origin::EventLog(line) => format!("event log, line {line}"),
            Origin::Export(line) => format!("{file}, line {line}"),
        };
        let cut = if e.cut {
            "  (cut: after the as-of instant)"
        } else {
            ""
        };
        writeln!(
            out,
            "  {}  {what:<28} {whence}{cut}",
            local_at(e.at, plan.tz)
        )?;
    }
    if timeline.opened_after_as_of {
        writeln!(
            out,
            "  the ticket was opened after the as-of instant: no clock has started, it is in no period"
        )?;
    }
    Ok(())
}

fn metric_ledger(
    out: &mut dyn Write,
    plan: &Plan,
    outcome: &Outcome,
    mt: &MetricTrace,
    trace: &Trace,
    as_of: At,
) -> std::io::Result<()> {
    metric_heading(out, plan, mt)?;
    targets_tried(out, plan, mt, trace)?;
    let Some(ti) = mt.chosen else {
        return no_target(out, plan, outcome, mt);
    };
    let tz = plan.tz;
    let target = &plan.targets[ti];
    if matches!(target.duration, TargetDuration::NotApplicable) {
        writeln!(out, "  the target says: not applicable")?;
        return Ok(());
    }
    for (xi, applies) in &mt.exclusions {
        let x = &plan.exclusions[*xi];
        writeln!(
            out,
            "  exclusion \"{}\" ({}): {}",
            x.reason,
            describe(plan, &x.when),
            if *applies { "applies" } else { "no" }
        )?;
    }
    let at = |t: Option<At>| t.map(|t| local_at(t, tz)).unwrap_or_else(|| "—".into());
    if let Some(how) = &mt.calendar_how {
        writeln!(out, "  calendar {how}")?;
    }
    writeln!(out, "  start    {}  ({})", at(mt.start), mt.start_how)?;
    writeln!(out, "  stop     {}  ({})", at(mt.stop), mt.stop_how)?;
    let Some(row) = mt.row.and_then(|i| outcome.rows.get(i)) else {
        return Ok(());
    };
    if row.status != Status::Excluded && row.status != Status::Invalid {
        open_time(out, plan, mt, row, target, as_of)?;
    }
    field_changes(out, plan, mt)?;
    verdict_lines(out, plan, mt, row)
}

/// The metric as the contract writes it, and the instant that chose its target.
fn metric_heading(out: &mut dyn Write, plan: &Plan, mt: &MetricTrace) -> std::io::Result<()> {
    let tz = plan.tz;
    let m = &plan.metrics[mt.metric];
    writeln!(
        out,
        "Metric {}{} — from {} to {}, counted in {}",
        m.name,
        mt.cycle.map(|c| format!(", cycle {c}")).unwrap_or_default(),
        // A repeating clock as the contract writes it.
        match m.start {
            Source::Event(_) => format!("each {}", plan.source_name(m.start)),
            _ => plan.source_name(m.start),
        },
        match (m.stop, m.repeat) {
            (Source::Event(_), Some(crate::rules::Repeat::Periodic)) => {
                format!("each {}", plan.source_name(m.stop))
            }
            (Source::Event(_), _) => format!("next {}", plan.source_name(m.stop)),
            _ => plan.source_name(m.stop),
        },
        plan.slot_name(m.calendar)
    )?;
    if let Some((at, p, how)) = &mt.chosen_at {
        writeln!(
            out,
            "  the ticket's fields changed: the target is chosen at the {} ({}), priority {} ({how})",
            match m.target_at {
                crate::rules::TargetAt::Stop => "stop",
                crate::rules::TargetAt::Start => "start",
            },
            local_at(*at, tz),
            p.map_or("none", |p| plan.priority_names[p].as_str()),
        )?;
    }
    Ok(())
}

/// Each target of the metric that was tried, and why it did or did not apply.
fn targets_tried(
    out: &mut dyn Write,
    plan: &Plan,
    mt: &MetricTrace,
    trace: &Trace,
) -> std::io::Result<()> {
    for (ti, hit) in &mt.tried {
        let t = &plan.targets[*ti];
        let verdict = match t.policy {
            Some((b, r)) if !*hit => match trace.first_rows.get(b).copied().flatten() {
                Some(first) if first != r => {
                    format!(
                        "no (row {} of first-match block {} came first)",
                        first + 1,
                        b + 1
                    )
                }
                _ => "no".to_string(),
            },
            _ if *hit => "applies".to_string(),
            _ => "no".to_string(),
        };
        writeln!(
            out,
            "  target #{:<3} {} → {}: {verdict}",
            ti + 1,
            describe_selector(plan, &t.selector),
            target_text(plan, &t.duration, t.calendar, t.chosen.as_ref()),
        )?;
    }
    Ok(())
}

/// The ledger of a metric no target covers (or whose row could not be read).
fn no_target(
    out: &mut dyn Write,
    plan: &Plan,
    outcome: &Outcome,
    mt: &MetricTrace,
) -> std::io::Result<()> {
    let m = &plan.metrics[mt.metric];
    match mt.row.and_then(|i| outcome.rows.get(i)) {
        // An unreadable row: no target was tried, every verdict is invalid.
        Some(row) => {
            writeln!(
                out,
                "  verdict  {} (the row could not be read)",
                row.status.as_str()
            )?;
            if let Some(r) = &row.reason {
                writeln!(out, "  reason   {r}")?;
            }
        }
        None => writeln!(
            out,
            "  no target covers this ticket: no verdict on {}",
            m.name
        )?,
    }
    Ok(())
}

/// The open time the clock counted from its start to its stop (or the
/// as-of instant), and what was left out of it: resolved stretches, pauses.
fn open_time(
    out: &mut dyn Write,
    plan: &Plan,
    mt: &MetricTrace,
    row: &Row,
    target: &TargetPlan,
    as_of: At,
) -> std::io::Result<()> {
    let tz = plan.tz;
    if let Some(start) = mt.start {
        let end = mt.stop.unwrap_or(as_of).max(start);
        // The variant the ticket's calendars chose, where they are chosen.
        let target = row.target.map_or(target, |v| &plan.targets[v]);
        let cal_index = match target.duration {
            TargetDuration::Seconds { .. } => target.calendar,
            _ => target.metric_calendar,
        };
        let cal = plan.calendar(cal_index);
        if mt.stop.is_none() {
            writeln!(out, "  (still running: counted up to the as-of instant)")?;
        }
        stretches(out, plan, cal, &plan.calendars[cal_index].name, start, end)?;
        for (a, b) in &mt.reopened {
            writeln!(
                out,
                "  resolved {} → reopened {}: not counted, the clock continues",
                local_at(*a, tz),
                local_at(*b, tz)
            )?;
        }
        for (a, b) in &mt.pauses {
            let to = if *b == At::FOREVER {
                "on".to_string()
            } else {
                local_at(*b, tz)
            };
            writeln!(
                out,
                "  paused   {} → {to}: {} of open time not counted",
                local_at(*a, tz),
                duration_nanos(open_nanos(cal, *a, (*b).min(end).max(*a), &[]))
            )?;
        }
    }
    Ok(())
}

/// Each change of a field that chooses the target, and the target before it.
fn field_changes(out: &mut dyn Write, plan: &Plan, mt: &MetricTrace) -> std::io::Result<()> {
    let tz = plan.tz;
    for (at, p, ti, breached) in &mt.changes {
        writeln!(
            out,
            "  change   {}: before it priority {}, target {}{}",
            local_at(*at, tz),
            p.map_or("none", |p| plan.priority_names[p].as_str()),
            ti.map_or("none".to_string(), |ti| {
                let t = &plan.targets[ti];
                format!(
                    "#{} {}",
                    ti + 1,
                    target_text(plan, &t.duration, t.calendar, t.chosen.as_ref())
                )
            }),
            if *breached {
                " — already breached then: the breach stands"
            } else {
                " — not breached then"
            }
        )?;
    }
    Ok(())
}

/// The deadline, elapsed time and verdict of the metric's row.
fn verdict_lines(
    out: &mut dyn Write,
    plan: &Plan,
    mt: &MetricTrace,
    row: &Row,
) -> std::io::Result<()> {
    let tz = plan.tz;
    if let Some(d) = row.deadline {
        writeln!(out, "  deadline {}", local_at(d, tz))?;
    }
    // Elapsed as counted, to the fraction of a second (the JSON's
    // `elapsed_seconds` is rounded up).
    let elapsed = mt
        .elapsed_nanos
        .map(duration_nanos)
        .or(row.elapsed.map(duration));
    let verdict = match (elapsed, row.target_seconds) {
        (Some(e), Some(t)) => format!("elapsed {e} of {} → {}", duration(t), row.status.as_str()),
        (Some(e), None) => format!("elapsed {e} → {}", row.status.as_str()),
        _ => row.status.as_str().to_string(),
    };
    writeln!(out, "  verdict  {verdict}")?;
    if let Some(r) = &row.reason {
        writeln!(out, "  reason   {r}")?;
    }
    if let Some(n) = &row.note {
        writeln!(out, "  note     {n}")?;
    }
    Ok(())
}

/// Each stretch of open time in `[start, end)`, then the closed days between.
fn stretches(
    out: &mut dyn Write,
    plan: &Plan,
    cal: &Calendar,
    cal_name: &str,
    start: At,
    end: At,
) -> std::io::Result<()> {
    let tz = plan.tz;
    // A calendar in another zone than the contract's is shown in its own
    // zone (its hours and holidays are local there), the contract's beside.
    let cal_tz = cal.timezone();
    let own_zone = cal_tz != tz;
    // The calendar's whole seconds, cut to the start's and stop's fractions.
    let intervals: Vec<(At, At)> = cal
        .open_intervals(start.secs, end.ceil_secs())
        .into_iter()
        .map(|(a, b)| (At::whole(a).max(start), At::whole(b).min(end)))
        .filter(|(a, b)| a < b)
        .collect();
    let length = |(a, b): &(At, At)| b.as_nanos() - a.as_nanos();
    if own_zone {
        writeln!(
            out,
            "  open time of {cal_name} between start and stop, in {} ({} beside):",
            cal_tz.name(),
            tz.name()
        )?;
    } else {
        writeln!(out, "  open time of {cal_name} between start and stop:")?;
    }
    if intervals.is_empty() {
        writeln!(out, "    none: {cal_name} is closed all the way")?;
    }
    for (a, b) in intervals.iter().take(MAX_STRETCHES) {
        if own_zone {
            writeln!(
                out,
                "    {} → {}  {}  ({} → {})",
                local_at(*a, cal_tz),
                local_at(*b, cal_tz),
                duration_nanos(length(&(*a, *b))),
                local_at(*a, tz),
                local_at(*b, tz)
            )?;
        } else {
            writeln!(
                out,
                "    {} → {}  {}",
                local_at(*a, tz),
                local_at(*b, tz),
                duration_nanos(length(&(*a, *b)))
            )?;
        }
    }
    if intervals.len() > MAX_STRETCHES {
        let rest: i128 = intervals[MAX_STRETCHES..].iter().map(length).sum();
        writeln!(
            out,
            "    … {} more stretches, {}",
            intervals.len() - MAX_STRETCHES,
            duration_nanos(rest)
        )?;
    }
    // The closed days in between, holidays by name: days of the calendar's zone.
    let (first, last) = (local_date(cal_tz, start.secs), local_date(cal_tz, end.secs));
    let mut closed = Vec::new();
    let mut day = first;
    while day <= last && closed.len() <= MAX_CLOSED_DAYS {
        if !cal.is_working_day(day) {
            let why = cal
                .closed_reason(day)
                .map(str::to_string)
                .unwrap_or_else(|| day.format("%A").to_string());
            closed.push(format!("{} ({why})", day.format("%Y-%m-%d")));
        }
        match day.checked_add_signed(Duration::days(1)) {
            Some(d) => day = d,
            None => break,
        }
    }
    if !closed.is_empty() {
        let more = if closed.len() > MAX_CLOSED_DAYS {
            closed.truncate(MAX_CLOSED_DAYS);
            ", …"
        } else {
            ""
        };
        writeln!(out, "  closed days skipped: {}{more}", closed.join(", "))?;
    }
    Ok(())
}

fn target_text(
    plan: &Plan,
    d: &TargetDuration,
    calendar: usize,
    chosen: Option<&Chosen>,
) -> String {
    let cal = match chosen {
        Some(c) => plan.slot_name(c.target),
        None => &plan.calendars[calendar].name,
    };
    match d {
        TargetDuration::Seconds { seconds } => format!("within {} of {cal}", duration(*seconds)),
        TargetDuration::WorkingDays { n } => format!(
            "within {} of {cal}",
            crate::diagnostic::counted(u64::from(*n), "working day", "working days")
        ),
        TargetDuration::NextWorkingDay => format!("by the close of the next working day of {cal}"),
        TargetDuration::Calendar { span } => format!("within {span}"),
        TargetDuration::Untimed { note } => format!("untimed ({note})"),
        TargetDuration::NotApplicable => "not applicable".into(),
    }
}
