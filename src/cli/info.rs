//! `sla info CONTRACT [--today DATE]`: the contract's header and its term on
//! a day — the current term, the next renewal and the last day to give
//! notice (see [`crate::contract_term`] for the date arithmetic). Exit 0, or 2 when
//! the contract cannot be read or used.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::DiagnosticFormat;
use crate::contract_term::{term_on, Term, TermState};
use crate::eval::{load_rules, EvalError};
use crate::rules::RuleSet;
use crate::time::holidays::ordinal;
use crate::time::{local_date, parse_tz};

pub(crate) fn run(file: &Path, today: Option<&str>, format: DiagnosticFormat) -> i32 {
    match info(file, today, format) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn info(file: &Path, today: Option<&str>, format: DiagnosticFormat) -> Result<(), EvalError> {
    let rules = load_rules(file)?;
    let today = match today {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
            EvalError::new(format!(
                "--today {s}: not a date ({e}); write it as YYYY-MM-DD, e.g. 2026-01-10"
            ))
        })?,
        None => {
            let tz = parse_tz(&rules.timezone).unwrap_or(chrono_tz::UTC);
            local_date(tz, chrono::Utc::now().timestamp())
        }
    };
    let state = term_on(&rules.contract, today);
    // After the notice day of the coming renewal, the one after it.
    let next = match &state {
        TermState::Running(t) | TermState::NotStarted(t) => t
            .notice_by
            .filter(|n| today > *n)
            .and(t.renews_on)
            .map(|r| term_on(&rules.contract, r)),
        _ => None,
    };
    let next = match next {
        Some(TermState::Running(t)) => Some(t),
        _ => None,
    };
    match format {
        DiagnosticFormat::Json => {
            let v = as_json(&rules, today, &state, next.as_ref());
            println!(
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_else(|_| v.to_string())
            );
        }
        DiagnosticFormat::Human => print!("{}", as_text(&rules, today, &state, next.as_ref())),
    }
    Ok(())
}

fn months(n: u32) -> String {
    match n {
        12 => "12 months (1 year)".into(),
        1 => "1 month".into(),
        n => format!("{n} months"),
    }
}

/// What the header says, one line per item.
fn header_lines(rules: &RuleSet) -> Vec<(String, String)> {
    let c = &rules.contract;
    let mut out = Vec::new();
    if let Some(p) = &c.provider {
        out.push(("provider".into(), p.clone()));
    }
    if let Some(p) = &c.customer {
        out.push(("customer".into(), p.clone()));
    }
    out.push(("timezone".into(), rules.timezone.clone()));
    out.push((
        "effective".into(),
        c.effective
            .map(|d| d.to_string())
            .unwrap_or_else(|| "not stated".into()),
    ));
    if let Some(t) = c.term_months {
        let renews = match c.renewal_months {
            Some(r) => format!(", renewed automatically for {} at a time", months(r)),
            None => ", not renewed automatically".into(),
        };
        out.push(("term".into(), format!("{}{renews}", months(t))));
    }
    if let Some(n) = c.notice_months {
        out.push((
            "notice".into(),
            format!("{} before the renewal date", months(n)),
        ));
    }
    for l in &c.links {
        out.push((format!("link {}", l.name), l.url.clone()));
    }
    out
}

fn term_name(t: &Term) -> String {
    if t.number == 0 {
        "the first term".into()
    } else {
        format!("the {} renewal", ordinal(i64::from(t.number)))
    }
}

/// Why no dates can be given, or `None` when they can.
fn no_dates(rules: &RuleSet, state: &TermState) -> Option<String> {
    match state {
        TermState::NoTerm => Some("the contract states no term (add e.g. `term 12 months` to the header)".into()),
        TermState::NoEffectiveDate => Some(format!(
            "the contract has a term of {} but no effective date, so its dates cannot be computed; add `effective YYYY-MM-DD` to the contract header with the day the first term starts (for a term that runs from go-live, the go-live date)",
            months(rules.contract.term_months.unwrap_or(0))
        )),
        _ => None,
    }
}

fn as_text(rules: &RuleSet, today: NaiveDate, state: &TermState, next: Option<&Term>) -> String {
    let mut s = format!("{}\n", rules.contract.name);
    let lines = header_lines(rules);
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in &lines {
        s += &format!("  {k:width$}  {v}\n");
    }
    s += &format!("\nTerm on {today}:\n");
    if let Some(why) = no_dates(rules, state) {
        s += &format!("  {why}\n");
        return s;
    }
    let notice = rules.contract.notice_months;
    let term_lines = |s: &mut String, t: &Term| {
        *s += &format!(
            "  {:<14}{} … {} ({})\n",
            "term",
            t.start,
            t.last_day,
            term_name(t)
        );
        match t.renews_on {
            Some(r) => *s += &format!("  {:<14}{r}\n", "renews on"),
            None => {
                *s += &format!(
                    "  {:<14}not automatically: the contract ends after {}\n",
                    "renewal", t.last_day
                )
            }
        }
        if let (Some(by), Some(n)) = (t.notice_by, notice) {
            *s += &format!(
                "  {:<14}{by} (the last day: notice given that day leaves {} before the renewal on {})\n",
                "notice by",
                months(n),
                t.renews_on.map(|r| r.to_string()).unwrap_or_default()
            );
        }
    };
    match state {
        TermState::NotStarted(t) => {
            s += &format!("  not started yet: the first term starts on {}\n", t.start);
            term_lines(&mut s, t);
        }
        TermState::Running(t) => term_lines(&mut s, t),
        TermState::Ended { start, last_day } => {
            s += &format!(
                "  ended: the term ran {start} … {last_day} and the contract does not renew automatically\n"
            );
        }
        TermState::NoTerm | TermState::NoEffectiveDate => {}
    }
    if let Some(n) = next {
        s += &format!(
            "  too late to stop the coming renewal (notice was due by {}); the next chance:\n",
            match state {
                TermState::Running(t) | TermState::NotStarted(t) =>
                    t.notice_by.map(|d| d.to_string()).unwrap_or_default(),
                _ => String::new(),
            }
        );
        term_lines(&mut s, n);
    }
    s
}

fn term_json(t: &Term) -> Value {
    json!({
        "number": t.number,
        "start": t.start.to_string(),
        "last_day": t.last_day.to_string(),
        "renews_on": t.renews_on.map(|d| d.to_string()),
        "notice_by": t.notice_by.map(|d| d.to_string()),
    })
}

fn as_json(rules: &RuleSet, today: NaiveDate, state: &TermState, next: Option<&Term>) -> Value {
    let c = &rules.contract;
    let (status, term) = match state {
        TermState::NoTerm => ("no_term", Value::Null),
        TermState::NoEffectiveDate => ("no_effective_date", Value::Null),
        TermState::NotStarted(t) => ("not_started", term_json(t)),
        TermState::Running(t) => ("running", term_json(t)),
        TermState::Ended { start, last_day } => (
            "ended",
            json!({"number": 0, "start": start.to_string(), "last_day": last_day.to_string(),
                   "renews_on": null, "notice_by": null}),
        ),
    };
    json!({
        "contract": c.name,
        "provider": c.provider,
        "customer": c.customer,
        "timezone": rules.timezone,
        "effective": c.effective.map(|d| d.to_string()),
        "term_months": c.term_months,
        "renewal_months": c.renewal_months,
        "notice_months": c.notice_months,
        "links": c.links.iter().map(|l| json!({"name": l.name, "url": l.url})).collect::<Vec<_>>(),
        "today": today.to_string(),
        "status": status,
        "term": term,
        "next_term": next.map(term_json),
        "message": no_dates(rules, state),
    })
}
