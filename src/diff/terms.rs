//! Pieces of a compiled rule set said again in the contract's own words
//! (`4 hours of office`, `mon..fri 09:00-17:00`; a condition says itself,
//! see `Condition`'s `Display`), so that a difference reads like the agreement.

use crate::rules::{CreditValue, Period, Selector, TargetDuration, Trigger};
use crate::time::spec::{CalendarSpec, OpeningSpec};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `4 hours`, `90 minutes`, `1 hour 30 minutes`, `45 seconds`.
pub(crate) fn seconds(s: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if s % 3600 == 0 {
        plural(s / 3600, "hour")
    } else if s % 60 == 0 && s < 3600 {
        plural(s / 60, "minute")
    } else if s % 60 == 0 {
        format!(
            "{} {}",
            plural(s / 3600, "hour"),
            plural(s % 3600 / 60, "minute")
        )
    } else {
        plural(s, "second")
    }
}

/// A target's duration with the calendar it is counted in.
pub(crate) fn duration(d: &TargetDuration, calendar: &str) -> String {
    match d {
        TargetDuration::Seconds { seconds: s } => format!("within {} of {calendar}", seconds(*s)),
        TargetDuration::WorkingDays { n } => format!(
            "within {n} working day{} of {calendar}",
            if *n == 1 { "" } else { "s" }
        ),
        TargetDuration::NextWorkingDay => format!("by end of next working day of {calendar}"),
        TargetDuration::Calendar { span: s } => format!("within {s}"),
        TargetDuration::Untimed { note } => format!("untimed ({note})"),
        TargetDuration::NotApplicable => "not applicable".into(),
    }
}

pub(crate) fn period(p: Period) -> &'static str {
    match p {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Year => "year",
    }
}

/// A percentage without needless decimals: `85%`, `99.95%`.
pub(crate) fn percent(p: f64) -> String {
    format!("{p}%")
}

/// `high, medium when type = complaint`; `all tickets` for an empty selector.
pub(crate) fn selector(s: &Selector) -> String {
    match s.to_string() {
        s if s.is_empty() => "all tickets".into(),
        s => s,
    }
}

pub(crate) fn trigger(t: &Trigger) -> String {
    match t {
        Trigger::Breached { metric } => format!("{metric} breached"),
        Trigger::Used { metric, percent: p } => format!("{} of {metric} used", percent(*p)),
        Trigger::When { condition: c } => c.to_string(),
    }
}

pub(crate) fn credit(c: &CreditValue) -> String {
    match c {
        CreditValue::Percent { percent: p } => format!("{} of the fee", percent(*p)),
        CreditValue::Amount { amount, currency } => format!("{amount} {currency}"),
    }
}

fn clock(s: u32) -> String {
    format!("{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// Weekly opening hours, days with the same hours run together:
/// `mon..fri 09:00-17:00, sat 10:00-14:00`; `never` without any.
pub(crate) fn opening(open: &[OpeningSpec]) -> String {
    let hours: Vec<String> = (0..7)
        .map(|d| {
            let mut spans: Vec<&OpeningSpec> = open
                .iter()
                .filter(|o| o.day.num_days_from_monday() == d)
                .collect();
            spans.sort_by_key(|o| o.start);
            spans
                .iter()
                .map(|o| format!("{}-{}", clock(o.start), clock(o.end)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut out = Vec::new();
    let mut d = 0;
    while d < 7 {
        let mut e = d;
        while e + 1 < 7 && hours[e + 1] == hours[d] {
            e += 1;
        }
        if !hours[d].is_empty() {
            let days = if e == d {
                DAYS[d].to_string()
            } else {
                format!("{}..{}", DAYS[d], DAYS[e])
            };
            out.push(format!("{days} {}", hours[d]));
        }
        d = e + 1;
    }
    if out.is_empty() {
        "never".into()
    } else {
        out.join(", ")
    }
}

/// One rule of closed days, read from its JSON form so that rule kinds added
/// to the language later still read (as their JSON) without a change here.
pub(crate) fn day_rule<T: serde::Serialize>(rule: &T) -> String {
    let v = serde_json::to_value(rule).unwrap_or_default();
    let num = |k: &str| v.get(k).and_then(serde_json::Value::as_i64).unwrap_or(0);
    let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
    let month = |k: &str| crate::time::holidays::month_name(num(k) as u32);
    match text("rule") {
        "date" => text("date").to_string(),
        "builtin" => format!("holidays {}", text("set")),
        "easter" => match num("offset") {
            0 => "Easter Sunday".into(),
            -2 => "Good Friday".into(),
            1 => "Easter Monday".into(),
            39 => "Ascension Day".into(),
            49 => "Whit Sunday".into(),
            50 => "Whit Monday".into(),
            n => format!("Easter {n:+} days"),
        },
        "annual" => {
            let mut s = format!("{} {} every year", num("day"), month("month"));
            if let Some(n) = v.get("every_years").and_then(serde_json::Value::as_i64) {
                s = format!(
                    "{} {} in years divisible by {n}",
                    num("day"),
                    month("month")
                );
            }
            if let Some(m) = v.get("moved") {
                let by = m.get("shift_days").and_then(serde_json::Value::as_i64);
                let on = m.get("weekday").and_then(serde_json::Value::as_str);
                s.push_str(&format!(
                    ", {:+} day(s) when it falls on a {}",
                    by.unwrap_or(0),
                    on.unwrap_or("?")
                ));
            }
            s
        }
        "nth_weekday" => {
            let n = num("n");
            let nth = match n {
                -1 => "last".to_string(),
                1 => "1st".into(),
                2 => "2nd".into(),
                3 => "3rd".into(),
                n if n < 0 => format!("{}th from last", -n),
                n => format!("{n}th"),
            };
            format!("the {nth} {} of {}", text("weekday"), month("month"))
        }
        _ => v.to_string(),
    }
}

/// A whole calendar in one line (for a complement's inner calendar).
pub(crate) fn calendar(spec: &CalendarSpec) -> String {
    match spec {
        CalendarSpec::Always { timezone } => format!("24x7 in {timezone}"),
        CalendarSpec::Complement { of } => format!("outside ({})", calendar(of)),
        CalendarSpec::Weekly(w) => {
            let mut s = format!("open {} in {}", opening(&w.open), w.timezone);
            for c in &w.closed {
                s.push_str(&format!(", closed on {}", day_rule(c)));
            }
            for d in &w.reopened {
                s.push_str(&format!(", open on {d}"));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn durations_read_as_written() {
        assert_eq!(seconds(4 * 3600), "4 hours");
        assert_eq!(seconds(3600), "1 hour");
        assert_eq!(seconds(90 * 60), "1 hour 30 minutes");
        assert_eq!(seconds(30 * 60), "30 minutes");
        assert_eq!(seconds(61), "61 seconds");
    }

    #[test]
    fn opening_hours_run_together() {
        let o = |day, start, end| OpeningSpec { day, start, end };
        let open = [
            o(Weekday::Mon, 32400, 61200),
            o(Weekday::Tue, 32400, 61200),
            o(Weekday::Wed, 32400, 61200),
            o(Weekday::Sat, 36000, 50400),
        ];
        assert_eq!(opening(&open), "mon..wed 09:00-17:00, sat 10:00-14:00");
        assert_eq!(opening(&[]), "never");
    }
}
