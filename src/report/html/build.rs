//! The report's content from a run's results: which objectives, services and
//! credits fall in the report's months, their colours and words, the charts,
//! and the breached tickets' ledgers.

use chrono_tz::Tz;

use super::charts::{self, Bar};
use super::collect::{Collect, Late, Month};
use super::page::*;
use crate::diagnostic::counted;
use crate::eval::problems::ProblemKind;
use crate::eval::verdict::credits::CreditRow;
use crate::eval::{AvailabilityRow, ObjectiveResult, OutageLog, Plan, Status, Summary};
use crate::report::format::{duration, local, local_at, percent};
use crate::report::{cycle_cell, has_cycles};
use crate::rules::TargetDuration;
use crate::time::holidays::month_name;
use crate::time::{month_of, At};

/// What the report is made from besides the streamed rows.
pub(crate) struct Inputs<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) as_of: At,
    /// The report's months, inclusive.
    pub(crate) from: Month,
    pub(crate) to: Month,
    /// The first month the charts show (at most the report's first).
    pub(crate) chart_from: Month,
    pub(crate) summary: &'a Summary,
    pub(crate) credits: &'a [CreditRow],
    pub(crate) outages: Option<&'a OutageLog>,
    pub(crate) changes_given: bool,
    pub(crate) footer: Footer,
}

pub(crate) fn page(inp: Inputs, collect: &Collect) -> Page {
    let plan = inp.plan;
    let tz = plan.tz;
    let objectives = objectives(&inp);
    let availability = availability(&inp);
    let credits: Vec<&CreditRow> = inp
        .credits
        .iter()
        .filter(|c| label_overlaps(&c.period, inp.from, inp.to))
        .collect();
    let credit_totals = totals(&credits);
    // The overall colour is that of the objectives and availability lines.
    let judged: Vec<SummaryLine> = objectives_line(&inp, &objectives)
        .into_iter()
        .chain(availability.iter().map(availability_line))
        .collect();
    let overall = judged.iter().fold(Rag::Empty, |acc, l| acc.worst(l.rag));
    let mut summary = judged;
    if plan.rules.has_credits() {
        summary.push(credits_line(&credits, &credit_totals));
    }
    if !plan.rules.targets.is_empty() {
        summary.push(breaches_line(collect));
    }
    Page {
        contract: plan.rules.contract.name.clone(),
        provider: plan.rules.contract.provider.clone(),
        customer: plan.rules.contract.customer.clone(),
        period: months_text(inp.from, inp.to),
        as_of: local_at(inp.as_of, tz),
        overall,
        summary,
        objectives,
        availability,
        interruptions: interruptions(&inp),
        has_credits: plan.rules.has_credits(),
        credits: credits.iter().map(|c| credit_view(c)).collect(),
        credit_totals,
        has_targets: !plan.rules.targets.is_empty(),
        breaches: collect
            .worst()
            .iter()
            .map(|l| breach(plan, l, inp.as_of))
            .collect(),
        breaches_total: collect.breached,
        cycles: has_cycles(plan),
        escalations: escalation_views(&inp, collect),
        escalations_total: collect.escalations,
        changes: change_views(&inp),
        notes: notes(&inp),
        footer: inp.footer,
    }
}

/// How many of the objective-months met, if there are objectives.
fn objectives_line(inp: &Inputs, objectives: &[ObjectiveView]) -> Option<SummaryLine> {
    let rows: Vec<&ObjectiveRow> = objectives.iter().flat_map(|o| o.rows.iter()).collect();
    if rows.is_empty() {
        return None;
    }
    let judged = rows.iter().filter(|r| r.rag != Rag::Empty).count();
    let missed = rows.iter().filter(|r| r.rag == Rag::Red).count();
    let partial = rows.iter().any(|r| r.rag == Rag::Amber);
    let rag = if missed > 0 {
        Rag::Red
    } else if partial {
        Rag::Amber
    } else if judged > 0 {
        Rag::Green
    } else {
        Rag::Empty
    };
    let per = if inp.from == inp.to {
        ""
    } else {
        " (objective-months)"
    };
    Some(SummaryLine {
        rag,
        word: rag.word().into(),
        what: "Objectives".into(),
        detail: format!(
            "{} of {} met{per}; {missed} missed; {} without tickets",
            judged - missed,
            judged,
            rows.len() - judged
        ),
    })
}

/// A service window's availability in each month.
fn availability_line(a: &AvailabilityView) -> SummaryLine {
    let rag = a.rows.iter().fold(Rag::Empty, |acc, r| acc.worst(r.rag));
    let detail = a
        .rows
        .iter()
        .map(|r| format!("{} {}", r.period, r.availability))
        .collect::<Vec<_>>()
        .join(", ");
    SummaryLine {
        rag,
        word: rag.word().into(),
        what: format!("Availability of {}, {}", a.service, a.window),
        detail: format!(
            "{detail} (required {})",
            a.rows.first().map_or("", |r| &r.required)
        ),
    }
}

/// The credits owed in the period, if any.
fn credits_line(credits: &[&CreditRow], credit_totals: &[String]) -> SummaryLine {
    let rag = if credits
        .iter()
        .any(|c| c.percent.unwrap_or(0.0) > 0.0 || c.amount.unwrap_or(0.0) > 0.0)
    {
        Rag::Red
    } else {
        Rag::Green
    };
    SummaryLine {
        rag,
        word: if rag == Rag::Red { "owed" } else { "none owed" }.into(),
        what: "Service credits".into(),
        detail: if credit_totals.is_empty() {
            "none owed".into()
        } else {
            format!("owed: {}", credit_totals.join("; "))
        },
    }
}

/// How many tickets breached in the period.
fn breaches_line(collect: &Collect) -> SummaryLine {
    SummaryLine {
        rag: if collect.breached > 0 {
            Rag::Red
        } else {
            Rag::Green
        },
        word: if collect.breached > 0 {
            "some late"
        } else {
            "none late"
        }
        .into(),
        what: "Breached tickets".into(),
        detail: format!("{} in the period", collect.breached),
    }
}

/// What the reader should know about the figures: problems of the log, a
/// period not over yet.
fn notes(inp: &Inputs) -> Vec<String> {
    let tz = inp.plan.tz;
    let mut notes = Vec::new();
    let problems = &inp.summary.problems.counts;
    let (unreadable, invalid) = (
        problems.count(ProblemKind::UnreadableRow),
        problems.count(ProblemKind::InvalidVerdict),
    );
    if unreadable + invalid > 0 {
        notes.push(format!(
            "The log had {} and {}; they are not in the shares above.",
            ProblemKind::UnreadableRow.counted(unreadable),
            ProblemKind::InvalidVerdict.counted(invalid)
        ));
    }
    if month_of(tz, inp.as_of.secs) <= inp.to {
        notes.push(
            "The period is not over at the as-of instant: its figures are counted so far (amber)."
                .into(),
        );
    }
    notes
}

/// The escalations that fell due last, where the contract has escalations.
fn escalation_views(inp: &Inputs, collect: &Collect) -> Option<Vec<EscalationView>> {
    let (plan, tz) = (inp.plan, inp.plan.tz);
    plan.rules.escalation.as_ref().map(|_| {
        collect
            .latest()
            .iter()
            .map(|e| (e, plan.version(e.version)))
            .map(|(e, plan)| EscalationView {
                id: e.id.to_string(),
                metric: e
                    .metric
                    .and_then(|m| plan.metrics.get(m))
                    .map_or(String::new(), |m| m.name.clone()),
                cycle: cycle_cell(e.cycle),
                level: e.level.to_string(),
                role: plan
                    .escalation
                    .get(e.level_index)
                    .map_or(String::new(), |l| l.role.clone()),
                due: local_at(e.due_at, tz),
                reason: e.reason.clone(),
            })
            .collect()
    })
}

/// The deployments outside their windows, where a change log was given.
fn change_views(inp: &Inputs) -> Option<Vec<ChangeView>> {
    let tz = inp.plan.tz;
    inp.changes_given.then(|| {
        inp.summary
            .changes
            .iter()
            .filter(|c| {
                let m = month_of(tz, c.deployed_at);
                inp.from <= m && m <= inp.to && (!c.allowed || c.by_exception)
            })
            .map(|c| ChangeView {
                id: c.id.clone(),
                deployed: local(c.deployed_at, tz),
                allowed: if !c.allowed {
                    "✖ no".into()
                } else {
                    "◐ by exception".into()
                },
                reason: c.reason.clone(),
            })
            .collect()
    })
}

/// `November 2025`, or `June 2025 – November 2025`.
pub(crate) fn months_text(from: Month, to: Month) -> String {
    let one = |(y, m): Month| format!("{} {y}", month_name(m));
    if from == to {
        one(from)
    } else {
        format!("{} – {}", one(from), one(to))
    }
}

fn month_label((y, m): Month) -> String {
    format!("{y:04}-{m:02}")
}

fn months(from: Month, to: Month) -> Vec<Month> {
    let mut out = Vec::new();
    let mut m = from;
    while m <= to && out.len() < 1200 {
        out.push(m);
        m = if m.1 == 12 {
            (m.0 + 1, 1)
        } else {
            (m.0, m.1 + 1)
        };
    }
    out
}

/// The months a period label (`2025-11`, `2025-Q4`, `2025`) covers.
fn label_months(label: &str) -> Option<(Month, Month)> {
    let (y, rest) = label.split_at(4.min(label.len()));
    let y: i32 = y.parse().ok()?;
    if rest.is_empty() {
        return Some(((y, 1), (y, 12)));
    }
    let rest = rest.strip_prefix('-')?;
    if let Some(q) = rest.strip_prefix('Q') {
        let q: u32 = q.parse().ok()?;
        return Some(((y, q * 3 - 2), (y, q * 3)));
    }
    let m: u32 = rest.parse().ok()?;
    Some(((y, m), (y, m)))
}

fn label_overlaps(label: &str, from: Month, to: Month) -> bool {
    label_months(label).is_some_and(|(a, b)| a <= to && b >= from)
}

fn objective_rag(o: &ObjectiveResult, partial: bool) -> Rag {
    match (o.share, o.compliant) {
        (None, _) => Rag::Empty,
        (Some(_), false) => Rag::Red,
        (Some(_), true) if partial => Rag::Amber,
        (Some(_), true) => Rag::Green,
    }
}

fn objectives(inp: &Inputs) -> Vec<ObjectiveView> {
    let plan = inp.plan;
    let now = month_of(plan.tz, inp.as_of.secs);
    let chart_months = months(inp.chart_from, inp.to);
    let mut out = Vec::new();
    // Under a contract with versions, each version's objectives in turn.
    let versions = (0..=plan.versions.len())
        .map(|v| crate::eval::contract::plan::VersionIndex::try_from(v).unwrap_or(0));
    let objectives = versions.flat_map(|v| {
        let version = plan.version_name(v);
        let rules = &plan.version(v).rules;
        rules
            .objectives
            .iter()
            .enumerate()
            .map(move |(oi, o)| (v, version, oi, o))
    });
    for (v, version, oi, o) in objectives {
        let results: Vec<&ObjectiveResult> = inp
            .summary
            .objectives
            .iter()
            .filter(|r| r.objective == oi && r.version_index == v)
            .collect();
        let name = match version {
            Some(version) => format!("{} (version {version})", o.name),
            None => o.name.clone(),
        };
        let partial = |label: &str| label_months(label).is_some_and(|(_, b)| b >= now);
        let rows: Vec<ObjectiveRow> = results
            .iter()
            .filter(|r| label_overlaps(&r.period, inp.from, inp.to))
            .map(|r| ObjectiveRow {
                period: r.period.clone(),
                rag: objective_rag(r, partial(&r.period)),
                required: percent(r.required),
                achieved: r.share.map_or("–".into(), percent),
                met: r.counts.get(Status::Met),
                breached: r.counts.get(Status::Breached),
                pending: r.counts.get(Status::Pending),
                excluded: r.counts.get(Status::Excluded),
            })
            .collect();
        let rows = if rows.is_empty() {
            // An objective without tickets in the months still gets its line.
            vec![ObjectiveRow {
                period: months_text(inp.from, inp.to),
                rag: Rag::Empty,
                required: percent(o.required),
                achieved: "–".into(),
                met: 0,
                breached: 0,
                pending: 0,
                excluded: 0,
            }]
        } else {
            rows
        };
        let bars = objective_bars(inp, o, &results, &chart_months);
        let drawn = bars.iter().filter(|b| b.value.is_some()).count();
        let chart = charts::bars(
            &bars,
            o.required,
            0.0,
            &format!("{name}: share within target"),
        );
        out.push(ObjectiveView {
            name,
            metric: o.metric.clone(),
            rows,
            chart,
            bars: drawn,
        });
    }
    out
}

/// One bar per month of the chart for a monthly objective; per period otherwise.
fn objective_bars(
    inp: &Inputs,
    o: &crate::rules::Objective,
    results: &[&ObjectiveResult],
    chart_months: &[Month],
) -> Vec<Bar> {
    if o.period == crate::rules::Period::Month {
        chart_months
            .iter()
            .map(|m| {
                let label = month_label(*m);
                let r = results.iter().find(|r| r.period == label);
                Bar {
                    label: short_month(*m),
                    value: r.and_then(|r| r.share),
                    text: r.and_then(|r| r.share).map_or(String::new(), percent),
                    met: r.is_none_or(|r| r.compliant),
                }
            })
            .collect()
    } else {
        results
            .iter()
            .filter(|r| label_overlaps(&r.period, inp.chart_from, inp.to))
            .map(|r| Bar {
                label: r.period.clone(),
                value: r.share,
                text: r.share.map_or(String::new(), percent),
                met: r.compliant,
            })
            .collect()
    }
}

fn short_month((y, m): Month) -> String {
    format!(
        "{} {}",
        &month_name(m)[..3.min(month_name(m).len())],
        y % 100
    )
}

fn availability(inp: &Inputs) -> Vec<AvailabilityView> {
    let mut out = Vec::new();
    for a in &inp.plan.rules.availability {
        for w in &a.windows {
            let all: Vec<&AvailabilityRow> = inp
                .summary
                .availability
                .iter()
                .filter(|r| r.service == a.service && r.window == w.name)
                .collect();
            if all.is_empty() {
                continue;
            }
            let rag = |r: &AvailabilityRow| match (r.availability, r.compliant) {
                (None, _) => Rag::Empty,
                (Some(_), false) => Rag::Red,
                (Some(_), true) if r.partial => Rag::Amber,
                (Some(_), true) => Rag::Green,
            };
            let rows: Vec<AvailabilityRowView> = all
                .iter()
                .filter(|r| label_overlaps(&r.period, inp.from, inp.to))
                .map(|r| AvailabilityRowView {
                    period: r.period.clone(),
                    rag: rag(r),
                    availability: r.availability.map_or("–".into(), avail_percent),
                    required: avail_percent(r.required),
                    downtime_minutes: minutes(r.downtime_seconds),
                    interruptions: match r.max_interruptions {
                        Some(max) => format!("{} (at most {max})", r.interruptions),
                        None => r.interruptions.to_string(),
                    },
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            let chart_rows: Vec<&&AvailabilityRow> = all
                .iter()
                .filter(|r| label_overlaps(&r.period, inp.chart_from, inp.to))
                .collect();
            let bars: Vec<Bar> = chart_rows
                .iter()
                .map(|r| Bar {
                    label: label_months(&r.period)
                        .map_or(r.period.clone(), |(m, _)| short_month(m)),
                    value: r.availability,
                    text: r.availability.map_or(String::new(), avail_percent),
                    met: r.compliant,
                })
                .collect();
            let floor = charts::availability_floor(
                chart_rows.iter().filter_map(|r| r.availability),
                w.required,
            );
            let drawn = bars.iter().filter(|b| b.value.is_some()).count();
            let chart = charts::bars(
                &bars,
                w.required,
                floor,
                &format!("{}, {}: availability", a.service, w.name),
            );
            out.push(AvailabilityView {
                service: a.service.clone(),
                window: w.name.clone(),
                rows,
                chart,
                bars: drawn,
            });
        }
    }
    out
}

/// Availability keeps three decimals: 99.99% and 99.993% differ in credits.
fn avail_percent(p: f64) -> String {
    let s = format!("{p:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

fn minutes(secs: i64) -> String {
    let m = secs as f64 / 60.0;
    if (m - m.round()).abs() < 1e-9 {
        format!("{}", m.round() as i64)
    } else {
        format!("{m:.1}")
    }
}

fn interruptions(inp: &Inputs) -> Vec<InterruptionView> {
    let Some(log) = inp.outages else {
        return Vec::new();
    };
    let tz = inp.plan.tz;
    let mut out = Vec::new();
    for a in &inp.plan.rules.availability {
        for &(s, e) in log.by_service.get(&a.service).into_iter().flatten() {
            // Outages are whole seconds (README): cut at the as-of second.
            let e = e.min(inp.as_of.secs);
            if s >= inp.as_of.secs {
                continue;
            }
            let m = month_of(tz, s);
            if m < inp.from || m > inp.to {
                continue;
            }
            out.push(InterruptionView {
                service: a.service.clone(),
                start: local(s, tz),
                end: local(e, tz),
                minutes: minutes(e - s),
            });
        }
    }
    out
}

fn credit_view(c: &CreditRow) -> CreditView {
    let what = match (&c.service, &c.window, &c.objective) {
        (Some(s), Some(w), _) => format!("availability of {s}, {w}"),
        (_, _, Some(o)) => format!("objective {o} missed"),
        _ => String::new(),
    };
    let measured = if c.service.is_some() {
        avail_percent(c.measured)
    } else {
        percent(c.measured)
    };
    CreditView {
        period: if c.partial {
            format!("{} (so far)", c.period)
        } else {
            c.period.clone()
        },
        what,
        measured: format!(
            "{measured} (required {})",
            if c.service.is_some() {
                avail_percent(c.required)
            } else {
                percent(c.required)
            }
        ),
        tier: if c.capped {
            format!("{} (cut by the cap)", c.tier)
        } else {
            c.tier.clone()
        },
        percent: c.percent.map_or("–".into(), |p| format!("{}%", trim(p))),
        amount: match (&c.amount, &c.currency) {
            (Some(a), Some(cur)) => format!("{a:.2} {cur}"),
            _ => "–".into(),
        },
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Per currency the amounts owed; without amounts, the percentages of the fee.
fn totals(credits: &[&CreditRow]) -> Vec<String> {
    let mut by_cur: std::collections::BTreeMap<&str, f64> = Default::default();
    let mut pct = 0.0;
    let mut pct_only = false;
    for c in credits {
        match (&c.amount, &c.currency) {
            (Some(a), Some(cur)) => *by_cur.entry(cur.as_str()).or_default() += a,
            _ => {
                pct_only = true;
                pct += c.percent.unwrap_or(0.0);
            }
        }
    }
    let mut out: Vec<String> = by_cur
        .into_iter()
        .filter(|(_, a)| *a > 0.0)
        .map(|(cur, a)| format!("{a:.2} {cur}"))
        .collect();
    if pct_only && pct > 0.0 {
        out.push(format!("{}% of the fee of the periods", trim(pct)));
    }
    out
}

fn breach(plan: &Plan, l: &Late, as_of: At) -> BreachView {
    let tz: Tz = plan.tz;
    let row = &l.row;
    let plan = plan.version(row.version);
    // The rule, and the calendar the ticket was judged in (a calendar
    // chosen by a field is the one its value chose).
    let judged = row.target.and_then(|t| plan.targets.get(t));
    let target = judged.and_then(|t| plan.rules.targets.get(t.rule));
    let cal = judged.map_or("24x7", |t| plan.calendars[t.calendar].name.as_str());
    let time_of = if cal == crate::rules::ALWAYS {
        "wall-clock time".to_string()
    } else {
        format!("{cal} time")
    };
    let mut ledger = Vec::new();
    if let Some(s) = row.start {
        ledger.push(format!("clock started {}", local_at(s, tz)));
    }
    if let Some(t) = target {
        ledger.push(format!("target {} in {}", target_text(&t.duration), cal));
    }
    if let Some(d) = row.deadline {
        ledger.push(format!("deadline {}", local_at(d, tz)));
    }
    match row.stop {
        Some(s) => ledger.push(format!("stopped {}", local_at(s, tz))),
        None => ledger.push(format!("still running at {}", local_at(as_of, tz))),
    }
    if let (Some(e), Some(t)) = (row.elapsed, row.target_seconds) {
        ledger.push(format!("counted {} of {}", duration(e), duration(t)));
    }
    if let Some(r) = &row.reason {
        ledger.push(r.to_string());
    }
    BreachView {
        id: row.id.to_string(),
        metric: row
            .metric
            .and_then(|m| plan.metrics.get(m))
            .map_or(String::new(), |m| m.name.clone()),
        cycle: cycle_cell(row.cycle),
        priority: row
            .priority
            .and_then(|p| plan.priority_names.get(p))
            .cloned()
            .unwrap_or_default(),
        deadline: row.deadline.map_or("–".into(), |d| local_at(d, tz)),
        late: format!("{} of {time_of}", duration(l.late)),
        ledger,
    }
}

fn target_text(d: &TargetDuration) -> String {
    match d {
        TargetDuration::Seconds { seconds } => duration(*seconds),
        TargetDuration::WorkingDays { n } => counted(u64::from(*n), "working day", "working days"),
        TargetDuration::NextWorkingDay => "the end of the next working day".into(),
        TargetDuration::Calendar { span } => match span {
            crate::rules::CalendarSpan::Days(n) => counted(u64::from(*n), "day", "days"),
            crate::rules::CalendarSpan::Months(n) => counted(u64::from(*n), "month", "months"),
        },
        TargetDuration::Untimed { note } => note.clone(),
        TargetDuration::NotApplicable => "not applicable".into(),
    }
}
