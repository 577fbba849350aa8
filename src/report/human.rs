//! `--format human`: objectives per period in a table with the verdict marked,
//! then the breached tickets that went furthest past their target (a bounded
//! top-N kept while rows stream by).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;

use super::format::{duration, lateness, local, local_at, percent};
use super::{cycle_cell, has_cycles, Header, Report};
use crate::eval::problems::ProblemKind;
use crate::eval::verdict::credits::CreditRow;
use crate::eval::verdict::field_history::PriorityMoves;
use crate::eval::verdict::lateness::late_by;
use crate::eval::{EscalationRow, ObjectiveResult, Plan, Row, RowSink, Status, Summary};

/// How many breached tickets the report lists.
pub(crate) const TOP: usize = 10;

pub(crate) struct HumanReport<'a> {
    header: Header<'a>,
    out: Box<dyn Write + 'a>,
    worst: BinaryHeap<Reverse<Worst>>,
    /// Escalations due, per level of the ladder.
    escalations: Vec<u64>,
    /// The escalations that fell due last (at most [`TOP`] once trimmed).
    latest: Vec<EscalationRow>,
}

/// Ordered by overshoot in the target's own time (office hours for an
/// office-hours target: a night that passed is not lateness), then earlier
/// line first (so ties are deterministic).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Worst {
    overshoot: i64,
    line: Reverse<u64>,
    metric: Reverse<Option<usize>>,
    row: RowKey,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct RowKey {
    id: compact_str::CompactString,
    priority: Option<usize>,
    deadline: Option<crate::time::At>,
    elapsed: Option<i64>,
    target: Option<i64>,
    target_index: Option<usize>,
    version: crate::eval::contract::plan::VersionIndex,
    cycle: Option<u32>,
}

impl<'a> HumanReport<'a> {
    pub(crate) fn new(header: Header<'a>, out: Box<dyn Write + 'a>) -> Self {
        HumanReport {
            header,
            out,
            worst: BinaryHeap::new(),
            escalations: Vec::new(),
            latest: Vec::new(),
        }
    }
}

impl RowSink for HumanReport<'_> {
    fn rows(&mut self, rows: &[Row], _text: &[u8]) -> std::io::Result<()> {
        for row in rows {
            self.keep_if_worst(row);
        }
        Ok(())
    }

    fn escalations(&mut self, rows: &[EscalationRow]) -> std::io::Result<()> {
        for e in rows {
            if self.escalations.len() <= e.level_index {
                self.escalations.resize(e.level_index + 1, 0);
            }
            self.escalations[e.level_index] += 1;
        }
        self.latest.extend(rows.iter().cloned());
        if self.latest.len() > 4 * TOP {
            trim_latest(&mut self.latest);
        }
        Ok(())
    }
}

impl HumanReport<'_> {
    fn keep_if_worst(&mut self, row: &Row) {
        let Some(overshoot) = late_by(self.header.plan, row, self.header.as_of) else {
            return;
        };
        let entry = Worst {
            overshoot,
            line: Reverse(row.line),
            metric: Reverse(row.metric),
            row: RowKey {
                id: row.id.clone(),
                priority: row.priority,
                deadline: row.deadline,
                elapsed: row.elapsed,
                target: row.target_seconds,
                target_index: row.target,
                version: row.version,
                cycle: row.cycle,
            },
        };
        if self.worst.len() < TOP {
            self.worst.push(Reverse(entry));
        } else if self.worst.peek().is_some_and(|Reverse(min)| entry > *min) {
            self.worst.pop();
            self.worst.push(Reverse(entry));
        }
    }
}

/// Left-aligned text columns; the numeric ones (given by index) right-aligned.
fn table(rows: &[Vec<String>], right: &[usize]) -> Vec<String> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pad = widths[i].saturating_sub(c.chars().count());
                    if right.contains(&i) {
                        format!("{}{c}", " ".repeat(pad))
                    } else {
                        format!("{c}{}", " ".repeat(pad))
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}

impl Report for HumanReport<'_> {
    fn begin(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> std::io::Result<()> {
        let plan = self.header.plan;
        let tz = plan.tz;
        let out = &mut self.out;
        writeln!(out, "{}", plan.rules.contract.name)?;
        let counts: Vec<String> = Status::ALL
            .iter()
            .filter(|st| s.by_status.get(**st) > 0)
            .map(|st| format!("{} {}", s.by_status.get(*st), st.as_str().replace('_', " ")))
            .collect();
        writeln!(
            out,
            "as of {} · {} · {}",
            local_at(self.header.as_of, tz),
            how_many(s.tickets, "ticket"),
            verdicts_line(s.rows, &counts)
        )?;
        problems_line(out, s)?;
        writeln!(out)?;
        if s.objectives.is_empty() {
            writeln!(
                out,
                "The contract sets no objectives (or no ticket falls under one)."
            )?;
        } else {
            objectives(out, s)?;
        }
        if !s.availability.is_empty() {
            writeln!(out)?;
            availability(out, s)?;
        }
        if plan.rules.has_credits() {
            writeln!(out)?;
            credits(out, s)?;
        }
        if !s.changes.is_empty() {
            writeln!(out)?;
            changes(out, s, tz)?;
        }
        if let Some(c) = &s.comparison {
            writeln!(out)?;
            comparison(out, c)?;
        }
        let m = &s.priority_moves;
        if m.tickets > 0 || m.rows > 0 {
            writeln!(out)?;
            priority_moves(out, m)?;
        }
        if !plan.escalation.is_empty() {
            writeln!(out)?;
            trim_latest(&mut self.latest);
            escalations(out, plan, s.escalations, &self.escalations, &self.latest)?;
        }
        let breached = s.by_status.get(Status::Breached);
        if breached > 0 {
            let mut worst: Vec<Worst> = std::mem::take(&mut self.worst)
                .into_iter()
                .map(|Reverse(w)| w)
                .collect();
            worst.sort_by(|a, b| b.cmp(a));
            writeln!(out)?;
            furthest_past(out, plan, breached, &worst)?;
        }
        out.flush()
    }
}

/// What priority changes did to the verdicts.
fn priority_moves(out: &mut dyn Write, m: &PriorityMoves) -> std::io::Result<()> {
    writeln!(
        out,
        "Priority changes: {} changed priority by the as-of instant; {} judged under another priority than the one at their clock's start (or stop, with `target set at start`), and {} from what that other priority gives: {} met that would be breached, {} breached that would be met, {} other.",
        crate::diagnostic::counted(m.tickets, "ticket", "tickets"),
        crate::diagnostic::counted(m.rows, "verdict was", "verdicts were"),
        crate::diagnostic::counted(m.moved(), "of them differs", "of them differ"),
        m.met_not_breached,
        m.breached_not_met,
        m.other
    )
}

/// The breached rows furthest past their target (`worst`, furthest first)
/// of all `breached`.
fn furthest_past(
    out: &mut dyn Write,
    plan: &Plan,
    breached: u64,
    worst: &[Worst],
) -> std::io::Result<()> {
    writeln!(
        out,
        "Breached tickets furthest past their target, in the target's own time ({} of {breached}):",
        worst.len()
    )?;
    let versioned = !plan.versions.is_empty();
    let mut rows = vec![[
        "ticket", "metric", "priority", "late by", "deadline", "line",
    ]
    .map(String::from)
    .to_vec()];
    if versioned {
        rows[0].push("version".into());
    }
    for w in worst {
        let r = &w.row;
        let version = plan.version(r.version);
        let metric = w.metric.0.map_or("", |m| version.metrics[m].name.as_str());
        let mut cells = vec![
            r.id.to_string(),
            match r.cycle {
                Some(c) => format!("{metric}, cycle {c}"),
                None => metric.to_string(),
            },
            r.priority
                .map_or("–", |p| version.priority_names[p].as_str())
                .to_string(),
            late_text(version, r.target_index, w.overshoot),
            r.deadline.map(|d| local_at(d, plan.tz)).unwrap_or_default(),
            w.line.0.to_string(),
        ];
        if versioned {
            cells.push(plan.version_name(r.version).unwrap_or("").to_string());
        }
        rows.push(cells);
    }
    for line in table(&rows, &[3, 5]) {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "  (see one ticket's ledger with --explain ID)")
}

/// Lateness in the target's own time: `1s office` for a target counted in
/// the `office` calendar; wall-clock (with days) for `24x7`.
pub(crate) fn late_text(plan: &Plan, target: Option<usize>, secs: i64) -> String {
    // The calendar the ticket was judged in (a calendar chosen by a field
    // is the one its value chose).
    match target.and_then(|t| plan.targets.get(t)) {
        Some(t) if plan.calendars[t.calendar].name != crate::rules::ALWAYS => {
            format!("{} {}", duration(secs), plan.calendars[t.calendar].name)
        }
        _ => lateness(secs),
    }
}

/// The service credits owed, and their total per currency.
fn credits(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    if s.credits.is_empty() {
        return writeln!(out, "Service credits: none owed.");
    }
    writeln!(out, "Service credits owed:")?;
    let mut rows = vec![["period", "for", "measured", "tier", "credit", "amount"]
        .map(String::from)
        .to_vec()];
    let mut totals: std::collections::BTreeMap<&str, f64> = Default::default();
    for c in &s.credits {
        rows.push(credit_cells(c));
        if let (Some(a), Some(cur)) = (c.amount, &c.currency) {
            *totals.entry(cur.as_str()).or_default() += a;
        }
    }
    for line in table(&rows, &[2, 4, 5]) {
        writeln!(out, "  {line}")?;
    }
    for (cur, a) in totals {
        writeln!(out, "  total: {a:.2} {cur}")?;
    }
    Ok(())
}

fn credit_cells(c: &CreditRow) -> Vec<String> {
    let what = match (&c.service, &c.window, &c.objective) {
        (Some(s), Some(w), _) => format!("{s} ({w})"),
        (_, _, Some(o)) => format!("objective {o} missed"),
        _ => String::new(),
    };
    let measured = if c.service.is_some() {
        format!("{:.3}%", c.measured)
    } else {
        percent(c.measured)
    };
    vec![
        if c.partial {
            format!("{} (so far)", c.period)
        } else {
            c.period.clone()
        },
        what,
        measured,
        if c.capped {
            format!("{} (capped)", c.tier)
        } else {
            c.tier.clone()
        },
        c.percent.map_or("–".into(), |p| {
            format!("{}%", (p * 100.0).round() / 100.0)
        }),
        match (c.amount, &c.currency) {
            (Some(a), Some(cur)) => format!("{a:.2} {cur}"),
            _ => "–".into(),
        },
    ]
}

/// `1 ticket`, `3 tickets`, `no tickets`.
fn how_many(n: u64, noun: &str) -> String {
    match n {
        0 => format!("no {noun}s"),
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// The verdicts counted by status (`12 verdicts: 10 met, 2 breached`); with
/// none, only that there are none (a log without tickets, or none yet
/// opened by the as-of instant).
fn verdicts_line(rows: u64, by_status: &[String]) -> String {
    let total = how_many(rows, "verdict");
    if rows == 0 || by_status.is_empty() {
        total
    } else {
        format!("{total}: {}", by_status.join(", "))
    }
}

/// How the verdicts compare with the export's own (`made_sla`).
/// The input problems in a line (the terminal's warnings list them).
fn problems_line(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    let c = &s.problems.counts;
    if c.total() == 0 {
        return Ok(());
    }
    let parts: Vec<String> = ProblemKind::ALL
        .iter()
        .filter(|k| c.count(**k) > 0)
        .map(|k| k.counted(c.count(*k)))
        .collect();
    writeln!(
        out,
        "input problems: {} (the warnings on stderr and the JSON report name the first of each)",
        parts.join(", ")
    )
}

fn comparison(out: &mut dyn Write, c: &crate::eval::Comparison) -> std::io::Result<()> {
    match c.agreement() {
        None => writeln!(
            out,
            "Compared with the export's `{}`: no ticket has both a met/breached {} verdict and a value there.",
            c.column, c.metric
        ),
        Some(rate) => {
            writeln!(
                out,
                "Compared with the export's `{}` (for information; its SLA definition may differ):",
                c.column
            )?;
            writeln!(
                out,
                "  {} verdicts agree on {:.1}% of {} tickets ({} both met, {} both breached);",
                c.metric,
                rate,
                c.compared(),
                c.both_met,
                c.both_breached
            )?;
            writeln!(
                out,
                "  {} met here but not there, {} breached here but made there; {} not compared (other verdicts or no value).",
                c.met_not_made, c.breached_but_made, c.not_compared
            )
        }
    }
}

/// Keeps the [`TOP`] escalations that fell due last, latest first (ties in log order).
fn trim_latest(rows: &mut Vec<EscalationRow>) {
    rows.sort_by(|a, b| b.due_at.cmp(&a.due_at).then(a.line.cmp(&b.line)));
    rows.truncate(TOP);
}

/// The escalation ladder: how many tickets are due at each level, how to
/// reach it, and the escalations that fell due last.
fn escalations(
    out: &mut dyn Write,
    plan: &Plan,
    due: u64,
    per_level: &[u64],
    latest: &[EscalationRow],
) -> std::io::Result<()> {
    let tz = plan.tz;
    let counts: Vec<String> = per_level
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| {
            let l = &plan.escalation[i];
            format!("level {} ({}): {n}", l.level, l.role)
        })
        .collect();
    if due == 0 {
        writeln!(out, "Escalations due: none.")?;
    } else {
        writeln!(
            out,
            "Escalations due: {} — {} (the highest level due per ticket).",
            crate::diagnostic::counted(due, "ticket", "tickets"),
            counts.join(", ")
        )?;
    }
    if let Some(e) = &plan.rules.escalation {
        let contacts: Vec<String> = e
            .contacts
            .iter()
            .map(|c| format!("{} {}", c.channel, c.address))
            .collect();
        if !contacts.is_empty() {
            writeln!(out, "  contact: {}", contacts.join(", "))?;
        }
        if let Some(owner) = &e.owner {
            writeln!(out, "  run by: {owner}")?;
        }
        if !e.carries.is_empty() {
            writeln!(out, "  an escalation carries: {}", e.carries.join(", "))?;
        }
    }
    let by_hand: Vec<String> = plan
        .escalation
        .iter()
        .filter(|l| l.triggers.is_empty())
        .map(|l| format!("{} ({})", l.level, l.role))
        .collect();
    if !by_hand.is_empty() {
        let (noun, verb) = if by_hand.len() == 1 {
            ("level", "has")
        } else {
            ("levels", "have")
        };
        writeln!(
            out,
            "  {noun} {} {verb} no trigger in the contract: escalated by hand, never due here",
            by_hand.join(", ")
        )?;
    }
    if latest.is_empty() {
        return Ok(());
    }
    writeln!(out, "  Fell due last ({} of {due}):", latest.len())?;
    // Where a metric has cycles, the cycle whose trigger fired (as in JSON
    // and CSV); empty for a ticket's own condition or a clock without.
    let cycles = has_cycles(plan);
    let mut rows = vec![["ticket", "level", "role", "due at", "reason", "line"]
        .map(String::from)
        .to_vec()];
    if cycles {
        rows[0].insert(1, "cycle".into());
    }
    for e in latest {
        let mut cells = vec![
            e.id.to_string(),
            e.level.to_string(),
            plan.escalation[e.level_index].role.clone(),
            local_at(e.due_at, tz),
            e.reason.clone(),
            e.line.to_string(),
        ];
        if cycles {
            cells.insert(1, cycle_cell(e.cycle));
        }
        rows.push(cells);
    }
    let right: &[usize] = if cycles { &[1, 2, 6] } else { &[1, 5] };
    for line in table(&rows, right) {
        writeln!(out, "    {line}")?;
    }
    writeln!(out, "    (--format json lists every one)")
}

/// How many of the latest periods get a detailed table.
const DETAIL_PERIODS: usize = 3;

fn verdict(o: &ObjectiveResult) -> &'static str {
    if o.share.is_none() {
        "✓ (empty)"
    } else if o.compliant {
        "✓"
    } else {
        "✗ NOT MET"
    }
}

/// An overview line per objective over all periods, then the detail of the
/// latest periods (the JSON report has every period in detail).
/// An objective's name, and its version's under a contract with versions.
fn objective_label(o: &ObjectiveResult) -> String {
    match &o.version {
        Some(v) => format!("{} (version {v})", o.name),
        None => o.name.clone(),
    }
}

fn objectives(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    let mut periods: Vec<&str> = s.objectives.iter().map(|o| o.period.as_str()).collect();
    periods.sort_unstable();
    periods.dedup();
    let failed = s.objectives.iter().filter(|o| !o.compliant).count();
    if failed == 0 {
        writeln!(
            out,
            "All objectives met in every period ({} objective-periods).",
            s.objectives.len()
        )?;
    } else {
        writeln!(
            out,
            "NOT MET: {failed} of {} objective-periods fall short (✗).",
            s.objectives.len()
        )?;
    }
    writeln!(out)?;
    objectives_over_periods(out, s, &periods)?;
    let recent = &periods[periods.len().saturating_sub(DETAIL_PERIODS)..];
    writeln!(out)?;
    objectives_in_detail(out, s, recent)
}

/// Each objective with its share over all `periods` and a mark per period.
fn objectives_over_periods(
    out: &mut dyn Write,
    s: &Summary,
    periods: &[&str],
) -> std::io::Result<()> {
    let (first, last) = (
        periods.first().copied().unwrap_or(""),
        periods.last().copied().unwrap_or(""),
    );
    writeln!(
        out,
        "Objectives over {}, {first} … {last}:",
        crate::diagnostic::counted(periods.len() as u64, "period", "periods")
    )?;
    // Objectives in the contract's order, each with one mark per period.
    // Under a contract with versions, each version's objectives in turn.
    let mut names: Vec<(_, usize, String)> = s
        .objectives
        .iter()
        .map(|o| (o.version_index, o.objective, objective_label(o)))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut rows = vec![[
        "objective",
        "required",
        "overall",
        "periods met",
        "per period",
    ]
    .map(String::from)
    .to_vec()];
    for (v, oi, name) in names {
        let mine: Vec<&ObjectiveResult> = s
            .objectives
            .iter()
            .filter(|o| o.objective == oi && o.version_index == v)
            .collect();
        let (met, decided) = mine.iter().fold((0, 0), |(m, d), o| {
            let c = &o.counts;
            (
                m + c.get(Status::Met),
                d + c.get(Status::Met) + c.get(Status::Breached),
            )
        });
        let strip: String = periods
            .iter()
            .map(|p| match mine.iter().find(|o| o.period == *p) {
                None => '·',
                Some(o) if o.share.is_none() => '·',
                Some(o) if o.compliant => '✓',
                Some(_) => '✗',
            })
            .collect();
        let ok = mine.iter().filter(|o| o.compliant).count();
        rows.push(vec![
            name,
            mine.first()
                .map(|o| percent(o.required))
                .unwrap_or_default(),
            if decided == 0 {
                "–".into()
            } else {
                percent(met as f64 * 100.0 / decided as f64)
            },
            format!("{ok} of {}", mine.len()),
            strip,
        ]);
    }
    for line in table(&rows, &[1, 2, 3]) {
        writeln!(out, "  {line}")?;
    }
    writeln!(
        out,
        "  (✓ met, ✗ not met, · no ticket decided; oldest period first)"
    )
}

/// Every objective of the `recent` periods with its counts.
fn objectives_in_detail(out: &mut dyn Write, s: &Summary, recent: &[&str]) -> std::io::Result<()> {
    writeln!(
        out,
        "Latest {} in detail (--format json lists every period):",
        if recent.len() == 1 {
            "period"
        } else {
            "periods"
        }
    )?;
    let mut rows = vec![[
        "period",
        "objective",
        "required",
        "achieved",
        "met",
        "breached",
        "pending",
        "excluded",
        "",
    ]
    .map(String::from)
    .to_vec()];
    for p in recent {
        let mut label = p.to_string();
        for o in s.objectives.iter().filter(|o| o.period == *p) {
            let c = &o.counts;
            rows.push(vec![
                std::mem::take(&mut label),
                objective_label(o),
                percent(o.required),
                o.share.map(percent).unwrap_or_else(|| "–".into()),
                c.get(Status::Met).to_string(),
                c.get(Status::Breached).to_string(),
                c.get(Status::Pending).to_string(),
                c.get(Status::Excluded).to_string(),
                verdict(o).into(),
            ]);
        }
    }
    for line in table(&rows, &[2, 3, 4, 5, 6, 7]) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// The availability rows of the latest periods, and how many fall short in all.
fn availability(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    let mut periods: Vec<&str> = s.availability.iter().map(|a| a.period.as_str()).collect();
    periods.sort_unstable();
    periods.dedup();
    let failed = s.availability.iter().filter(|a| !a.compliant).count();
    writeln!(
        out,
        "Availability: {} of {} service-window-periods fall short{}.",
        failed,
        s.availability.len(),
        if failed > 0 { " (✗)" } else { "" }
    )?;
    let recent = &periods[periods.len().saturating_sub(DETAIL_PERIODS)..];
    let mut rows = vec![[
        "period",
        "service",
        "window",
        "required",
        "achieved",
        "downtime",
        "interruptions",
        "",
    ]
    .map(String::from)
    .to_vec()];
    for p in recent {
        let partial = s.availability.iter().any(|a| a.period == *p && a.partial);
        let mut label = if partial {
            format!("{p} (so far)")
        } else {
            p.to_string()
        };
        for a in s.availability.iter().filter(|a| a.period == *p) {
            rows.push(vec![
                std::mem::take(&mut label),
                a.service.clone(),
                a.window.clone(),
                format!("{}%", a.required),
                a.availability
                    .map(|v| format!("{v:.3}%"))
                    .unwrap_or_else(|| "–".into()),
                super::format::duration(a.downtime_seconds),
                match a.max_interruptions {
                    Some(m) => format!("{} (max {m})", a.interruptions),
                    None => a.interruptions.to_string(),
                },
                if a.compliant { "✓" } else { "✗ NOT MET" }.into(),
            ]);
        }
    }
    for line in table(&rows, &[3, 4, 5]) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// Deployments outside the change window (a bounded list) and the counts.
fn changes(out: &mut dyn Write, s: &Summary, tz: chrono_tz::Tz) -> std::io::Result<()> {
    let outside: Vec<_> = s.changes.iter().filter(|c| !c.allowed).collect();
    let exceptions = s.changes.iter().filter(|c| c.by_exception).count();
    writeln!(
        out,
        "Changes: {} deployed, {} outside the change window{}, {exceptions} by exception.",
        s.changes.len(),
        outside.len(),
        if outside.is_empty() { "" } else { " (✗)" }
    )?;
    let mut rows = vec![["change", "deployed at", "line"].map(String::from).to_vec()];
    for c in outside.iter().take(TOP) {
        rows.push(vec![
            c.id.clone(),
            local(c.deployed_at, tz),
            c.line.to_string(),
        ]);
    }
    if rows.len() > 1 {
        for line in table(&rows, &[2]) {
            writeln!(out, "  {line}")?;
        }
        if outside.len() > TOP {
            writeln!(
                out,
                "  … and {} more (--format json lists them all)",
                outside.len() - TOP
            )?;
        }
    }
    Ok(())
}
