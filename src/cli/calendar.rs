//! `sla calendar`: what a calendar means, so that an author can check it.
//!
//! - `sla calendar CONTRACT [NAME] [--year Y]`: each calendar's zone, weekly
//!   hours and the days it is closed in year Y, with their names (and the
//!   days a contract reopened).
//! - `sla calendar --set US-NY [--year Y]`: a built-in holiday set's days.
//! - `sla calendar --sets`: every built-in set, with the country or
//!   subdivision it is for.
//!
//! Exit 0, or 2 when the contract cannot be read or a name is unknown.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{json, Value};

use super::DiagnosticFormat;
use crate::eval::{load_rules, EvalError};
use crate::time::holidays::{builtin_set_names, is_builtin_set, OWN_SETS};
use crate::time::spec::{CalendarSpec, DayRule, WeeklySpec};
use crate::time::{holiday_sets, local_date, parse_tz, Holidays};

/// What `sla calendar` was asked.
pub(crate) struct Request<'a> {
    /// The contract, unless a built-in set is asked about.
    pub(crate) file: Option<&'a Path>,
    /// One calendar of the contract (default: all).
    pub(crate) name: Option<&'a str>,
    /// A built-in holiday set instead of a contract's calendars.
    pub(crate) set: Option<&'a str>,
    /// List the built-in sets.
    pub(crate) sets: bool,
    /// The year to list (default: this year).
    pub(crate) year: Option<i32>,
    pub(crate) format: DiagnosticFormat,
}

/// Runs the command; returns the exit code.
pub(crate) fn run(req: &Request) -> i32 {
    let out = if req.sets {
        Ok(list_sets(req.format))
    } else if let Some(set) = req.set {
        one_set(set, req.year, req.format)
    } else if let Some(file) = req.file {
        calendars(file, req.name, req.year, req.format)
    } else {
        Err(EvalError::new(
            "name a contract (`sla calendar contract.sla`), a built-in set \
             (`sla calendar --set US-NY`) or ask for the list (`sla calendar --sets`)"
                .to_string(),
        ))
    };
    match out {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn print_json(v: &Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    )
}

fn list_sets(format: DiagnosticFormat) -> String {
    let (first, last) = holiday_sets::years();
    let mut rows: Vec<(&str, &str)> = OWN_SETS
        .iter()
        .map(|s| (*s, "Netherlands (the language's own set, SEMANTICS.md)"))
        .collect();
    rows.extend(holiday_sets::sets().iter().map(|s| (s.name, s.title)));
    match format {
        DiagnosticFormat::Json => print_json(&json!({
            "source": format!("python-holidays {}", holiday_sets::source_version()),
            "first_year": first,
            "last_year": last,
            "sets": rows.iter().map(|(n, t)| json!({"set": n, "title": t})).collect::<Vec<_>>(),
        })),
        DiagnosticFormat::Human => {
            let mut s = format!(
                "{} built-in holiday sets; generated from python-holidays {} for {first}–{last}\n",
                rows.len(),
                holiday_sets::source_version()
            );
            for (n, t) in rows {
                s += &format!("  {n:<10} {t}\n");
            }
            s
        }
    }
}

fn this_year(tz: &str) -> i32 {
    let tz = parse_tz(tz).unwrap_or(chrono_tz::UTC);
    local_date(tz, chrono::Utc::now().timestamp()).year()
}

fn check_year(year: i32) -> Result<i32, EvalError> {
    if (1..=9999).contains(&year) {
        Ok(year)
    } else {
        Err(EvalError::new(format!(
            "--year {year}: give a year from 1 to 9999"
        )))
    }
}

fn one_set(set: &str, year: Option<i32>, format: DiagnosticFormat) -> Result<String, EvalError> {
    if !is_builtin_set(set) {
        let hint = crate::diagnostic::did_you_mean(set, builtin_set_names())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return Err(EvalError::new(format!(
            "--set {set}: no such built-in holiday set; {hint}`sla calendar --sets` lists them"
        )));
    }
    let year = check_year(year.unwrap_or_else(|| this_year("UTC")))?;
    let holidays = Holidays::new(&[DayRule::Builtin {
        set: set.to_string(),
    }])
    .map_err(|e| EvalError::new(e.to_string()))?;
    let days = holidays.in_year(year);
    let title = holiday_sets::info(set).map_or("Netherlands", |s| s.title);
    let coverage = coverage_note(set, year);
    match format {
        DiagnosticFormat::Json => Ok(print_json(&json!({
            "set": set,
            "title": title,
            "year": year,
            "closed": days.iter().map(|(d, n)| day_json(*d, n)).collect::<Vec<_>>(),
            "note": coverage,
        }))),
        DiagnosticFormat::Human => {
            let mut s = format!("holidays {set} ({title}) in {year}: {} days\n", days.len());
            for (d, n) in &days {
                s += &format!("  {}  {n}\n", day_label(*d));
            }
            if let Some(c) = coverage {
                s += &format!("  note: {c}\n");
            }
            Ok(s)
        }
    }
}

/// For a generated set and a year it does not cover, why the list is empty.
fn coverage_note(set: &str, year: i32) -> Option<String> {
    let (first, last) = holiday_sets::years();
    (!OWN_SETS.contains(&set) && !(first..=last).contains(&year)).then(|| {
        format!(
            "the built-in set {set} covers {first}–{last} (python-holidays {}); \
             in {year} it names no day: list that year's days with `closed on YYYY-MM-DD`",
            holiday_sets::source_version()
        )
    })
}

fn weekday_short(d: Weekday) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d.num_days_from_monday() as usize]
}

fn day_label(d: NaiveDate) -> String {
    format!("{d} {}", weekday_short(d.weekday()))
}

fn day_json(d: NaiveDate, name: &str) -> Value {
    json!({"date": d.to_string(), "weekday": weekday_short(d.weekday()).to_lowercase(), "name": name})
}

fn hhmm(s: u32) -> String {
    format!("{:02}:{:02}", s / 3600, s / 60 % 60)
}

fn calendars(
    file: &Path,
    name: Option<&str>,
    year: Option<i32>,
    format: DiagnosticFormat,
) -> Result<String, EvalError> {
    let rules = load_rules(file)?;
    if let Some(n) = name {
        if !rules.calendars.contains_key(n) {
            let names = rules.calendars.keys().map(String::as_str);
            let hint = crate::diagnostic::did_you_mean(n, names)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            return Err(EvalError::new(format!(
                "{}: no calendar `{n}`; {hint}its calendars are {}",
                file.display(),
                rules
                    .calendars
                    .keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let year = check_year(year.unwrap_or_else(|| this_year(&rules.timezone)))?;
    let chosen: Vec<(&String, &CalendarSpec)> = rules
        .calendars
        .iter()
        .filter(|(k, _)| name.is_none_or(|n| n == k.as_str()))
        .collect();
    let mut views = Vec::new();
    for (k, spec) in chosen {
        views.push(view(k, spec, year)?);
    }
    Ok(match format {
        DiagnosticFormat::Json => print_json(&json!({
            "contract": rules.contract.name,
            "year": year,
            "calendars": views.iter().map(View::json).collect::<Vec<_>>(),
        })),
        DiagnosticFormat::Human => views.iter().map(View::text).collect::<Vec<_>>().join("\n"),
    })
}

/// One calendar as the command shows it.
struct View {
    name: String,
    timezone: String,
    /// `None` for `24x7`; the calendar it complements for `outside X`.
    kind: Kind,
    year: i32,
}

enum Kind {
    Always,
    Weekly {
        open: Vec<(Weekday, u32, u32)>,
        closed: Vec<(NaiveDate, String)>,
        reopened: Vec<(NaiveDate, Option<String>)>,
        notes: Vec<String>,
    },
    Complement(Box<View>),
}

fn view(name: &str, spec: &CalendarSpec, year: i32) -> Result<View, EvalError> {
    Ok(match spec {
        CalendarSpec::Always { timezone } => View {
            name: name.to_string(),
            timezone: timezone.clone(),
            kind: Kind::Always,
            year,
        },
        CalendarSpec::Complement { of } => {
            let inner = view(name, of, year)?;
            View {
                name: name.to_string(),
                timezone: inner.timezone.clone(),
                kind: Kind::Complement(Box::new(inner)),
                year,
            }
        }
        CalendarSpec::Weekly(w) => weekly_view(name, w, year)?,
    })
}

fn weekly_view(name: &str, w: &WeeklySpec, year: i32) -> Result<View, EvalError> {
    let holidays = Holidays::new(&w.closed).map_err(|e| EvalError::new(e.to_string()))?;
    let mut closed = Vec::new();
    let mut reopened = Vec::new();
    for (d, n) in holidays.in_year(year) {
        if w.reopened.contains(&d) {
            reopened.push((d, Some(n.to_string())));
        } else {
            closed.push((d, n.to_string()));
        }
    }
    for d in &w.reopened {
        if d.year() == year && !reopened.iter().any(|(r, _)| r == d) {
            reopened.push((*d, None));
        }
    }
    reopened.sort();
    let notes = w
        .closed
        .iter()
        .filter_map(|r| match r {
            DayRule::Builtin { set } => coverage_note(set, year),
            _ => None,
        })
        .collect();
    let mut open: Vec<(Weekday, u32, u32)> =
        w.open.iter().map(|o| (o.day, o.start, o.end)).collect();
    open.sort_by_key(|(d, s, _)| (d.num_days_from_monday(), *s));
    Ok(View {
        name: name.to_string(),
        timezone: w.timezone.clone(),
        kind: Kind::Weekly {
            open,
            closed,
            reopened,
            notes,
        },
        year,
    })
}

/// Weekly open hours, e.g. `40` or `37.5`.
fn weekly_hours(open: &[(Weekday, u32, u32)]) -> f64 {
    f64::from(open.iter().map(|(_, s, e)| e - s).sum::<u32>()) / 3600.0
}

/// `mon..fri 09:00-17:00`-style lines: consecutive weekdays with the same hours together.
fn hours_lines(open: &[(Weekday, u32, u32)]) -> Vec<String> {
    let per_day: Vec<Vec<(u32, u32)>> = (0..7)
        .map(|i| {
            open.iter()
                .filter(|(d, _, _)| d.num_days_from_monday() == i)
                .map(|(_, s, e)| (*s, *e))
                .collect()
        })
        .collect();
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut out = Vec::new();
    let mut i = 0;
    while i < 7 {
        if per_day[i].is_empty() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && per_day[j + 1] == per_day[i] {
            j += 1;
        }
        let days = if j > i {
            format!("{}..{}", names[i], names[j])
        } else {
            names[i].to_string()
        };
        let times: Vec<String> = per_day[i]
            .iter()
            .map(|(s, e)| format!("{}-{}", hhmm(*s), hhmm(*e)))
            .collect();
        out.push(format!("{days} {}", times.join(", ")));
        i = j + 1;
    }
    out
}

impl View {
    fn text(&self) -> String {
        let mut s = format!("calendar {} ({})\n", self.name, self.timezone);
        match &self.kind {
            Kind::Always => s += "  always open (24x7): 168 hours a week, no closed days\n",
            Kind::Complement(inner) => {
                s += "  open whenever this calendar is closed:\n";
                for line in inner.text().lines().skip(1) {
                    s += &format!("  {line}\n");
                }
            }
            Kind::Weekly {
                open,
                closed,
                reopened,
                notes,
            } => {
                s += &format!("  open {} hours a week:\n", fmt_hours(weekly_hours(open)));
                for l in hours_lines(open) {
                    s += &format!("    {l}\n");
                }
                if open.is_empty() {
                    s += "    never\n";
                }
                let working = closed
                    .iter()
                    .filter(|(d, _)| open.iter().any(|(w, _, _)| *w == d.weekday()))
                    .count();
                s += &format!(
                    "  closed in {}: {} days ({working} of them on days with opening hours)\n",
                    self.year,
                    closed.len()
                );
                for (d, n) in closed {
                    s += &format!("    {}  {n}\n", day_label(*d));
                }
                if !reopened.is_empty() {
                    s += &format!("  open after all in {}:\n", self.year);
                    for (d, n) in reopened {
                        match n {
                            Some(n) => s += &format!("    {}  ({n}, reopened)\n", day_label(*d)),
                            None => s += &format!("    {}\n", day_label(*d)),
                        }
                    }
                }
                for n in notes {
                    s += &format!("  note: {n}\n");
                }
            }
        }
        s
    }

    fn json(&self) -> Value {
        match &self.kind {
            Kind::Always => json!({
                "calendar": self.name, "timezone": self.timezone, "kind": "always",
                "weekly_hours": 168.0,
            }),
            Kind::Complement(inner) => json!({
                "calendar": self.name, "timezone": self.timezone, "kind": "complement",
                "of": inner.json(),
            }),
            Kind::Weekly {
                open,
                closed,
                reopened,
                notes,
            } => json!({
                "calendar": self.name,
                "timezone": self.timezone,
                "kind": "weekly",
                "weekly_hours": weekly_hours(open),
                "open": open.iter().map(|(d, s, e)| json!({
                    "day": weekday_short(*d).to_lowercase(), "start": hhmm(*s), "end": hhmm(*e)
                })).collect::<Vec<_>>(),
                "year": self.year,
                "closed": closed.iter().map(|(d, n)| day_json(*d, n)).collect::<Vec<_>>(),
                "reopened": reopened.iter().map(|(d, n)| json!({
                    "date": d.to_string(), "name": n
                })).collect::<Vec<_>>(),
                "notes": notes,
            }),
        }
    }
}

fn fmt_hours(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        format!("{h}")
    }
}
