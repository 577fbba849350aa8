//! Time in plain words, for hover and inlay hints: what a calendar's hours
//! are, which days it is closed this year, and what a target means, with a
//! worked example counted by the time engine. Everything here reads the
//! checker's typed model (calendar specs, target durations), never the
//! syntax, so the words say what the evaluator will do.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Weekday};

use crate::diagnostic::counted;
use crate::rules::{TargetDuration, ALWAYS};
use crate::time::holiday_sets;
use crate::time::holidays::{easter_name, is_builtin_set, nth_in_month, ordinal};
use crate::time::spec::{CalendarSpec, DayRule, OpeningSpec, WeeklySpec};
use crate::time::{add_calendar_span, local_to_instant, to_local, Calendar, Holidays};

const DAY: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn day(d: Weekday) -> &'static str {
    DAY[d.num_days_from_monday() as usize]
}

/// `09:00` for 32400 seconds after midnight; `24:00` for the day's end.
fn clock(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// A calendar on one line: `Mon–Fri 09:00–17:00 Europe/Amsterdam, closed
/// on NL holidays (Netherlands)`.
pub(crate) fn calendar_line(spec: &CalendarSpec) -> String {
    match spec {
        CalendarSpec::Always { timezone } => format!("every hour of every day, {timezone}"),
        CalendarSpec::Weekly(w) => weekly_line(w),
        CalendarSpec::Complement { of } => {
            format!("whenever this is closed: {}", calendar_line(of))
        }
    }
}

/// A calendar in a few words, for an inlay hint: its hours and zone, and
/// the holiday sets it closes on (`Mon–Fri 09:00–17:00 Europe/Amsterdam,
/// NL holidays`).
pub(crate) fn calendar_brief(spec: &CalendarSpec) -> String {
    match spec {
        CalendarSpec::Always { timezone } => format!("always open, {timezone}"),
        CalendarSpec::Weekly(w) if w.open.is_empty() => "never open".into(),
        CalendarSpec::Weekly(w) => {
            let mut s = format!("{} {}", openings(&w.open), w.timezone);
            let sets: Vec<&str> = w
                .closed
                .iter()
                .filter_map(|r| match r {
                    DayRule::Builtin { set } => Some(set.as_str()),
                    _ => None,
                })
                .collect();
            if !sets.is_empty() {
                let _ = write!(s, ", {} holidays", sets.join(", "));
            }
            let others = w.closed.len() - sets.len();
            if others > 0 {
                let others = counted(others as u64, "other closed day", "other closed days");
                let _ = write!(s, ", {others}");
            }
            s
        }
        CalendarSpec::Complement { of } => format!("outside {}", calendar_brief(of)),
    }
}

fn weekly_line(w: &WeeklySpec) -> String {
    let mut s = if w.open.is_empty() {
        "never open".to_string()
    } else {
        format!("{} {}", openings(&w.open), w.timezone)
    };
    let closed: Vec<String> = w.closed.iter().map(closed_rule).collect();
    if !closed.is_empty() {
        let _ = write!(s, ", closed on {}", closed.join(", "));
    }
    if !w.reopened.is_empty() {
        let dates: Vec<String> = w.reopened.iter().map(|d| d.to_string()).collect();
        let _ = write!(s, "; open after all on {}", dates.join(", "));
    }
    s
}

/// Opening hours grouped by runs of days with the same hours:
/// `Mon–Fri 09:00–17:00, Sat 10:00–14:00`.
fn openings(open: &[OpeningSpec]) -> String {
    // Each weekday's intervals, Monday first.
    let mut week: Vec<(Weekday, Vec<(u32, u32)>)> = Vec::new();
    for i in 0..7u8 {
        let Ok(d) = Weekday::try_from(i) else {
            continue;
        };
        let mut hours: Vec<(u32, u32)> = open
            .iter()
            .filter(|o| o.day == d)
            .map(|o| (o.start, o.end))
            .collect();
        hours.sort_unstable();
        if !hours.is_empty() {
            week.push((d, hours));
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < week.len() {
        // A run: following weekdays (no gap) with the same hours.
        let mut j = i;
        while j + 1 < week.len()
            && week[j + 1].1 == week[i].1
            && week[j + 1].0.num_days_from_monday() == week[j].0.num_days_from_monday() + 1
        {
            j += 1;
        }
        let days = match j - i {
            0 => day(week[i].0).to_string(),
            1 => format!("{}, {}", day(week[i].0), day(week[j].0)),
            _ => format!("{}–{}", day(week[i].0), day(week[j].0)),
        };
        let hours: Vec<String> = week[i]
            .1
            .iter()
            .map(|(a, b)| {
                if (*a, *b) == (0, 86_400) {
                    "all day".to_string()
                } else {
                    format!("{}–{}", clock(*a), clock(*b))
                }
            })
            .collect();
        parts.push(format!("{days} {}", hours.join(", ")));
        i = j + 1;
    }
    parts.join("; ")
}

fn closed_rule(rule: &DayRule) -> String {
    match rule {
        DayRule::Builtin { set } => match holiday_sets::info(set) {
            Some(info) if info.title != info.name => {
                format!("{set} holidays ({})", info.title)
            }
            _ => format!("{set} holidays"),
        },
        DayRule::Date { date } => date.format("%-d %b %Y").to_string(),
        DayRule::Annual { month, day: d, .. } => format!("{d} {} every year", month_short(*month)),
        DayRule::NthWeekday {
            month,
            weekday,
            n,
            offset,
        } => {
            let nth = nth_in_month(*n);
            let mut s = format!("the {nth} {} of {}", day(*weekday), month_short(*month));
            if *offset != 0 {
                let _ = write!(s, " {offset:+} days");
            }
            s
        }
        DayRule::Easter { offset } => easter_name(*offset),
    }
}

fn month_short(m: u32) -> &'static str {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    M.get((m as usize).wrapping_sub(1)).copied().unwrap_or("?")
}

/// Open hours in a week of the weekly hours (before closed days).
pub(crate) fn hours_per_week(spec: &CalendarSpec) -> Option<f64> {
    match spec {
        CalendarSpec::Always { .. } => Some(168.0),
        CalendarSpec::Weekly(w) => {
            let secs: u32 = w.open.iter().map(|o| o.end.saturating_sub(o.start)).sum();
            Some(f64::from(secs) / 3600.0)
        }
        CalendarSpec::Complement { of } => hours_per_week(of).map(|h| 168.0 - h),
    }
}

/// `40 hours`, `37.5 hours`.
pub(crate) fn hours_text(h: f64) -> String {
    let n = format!("{h:.2}");
    format!("{} hours", n.trim_end_matches('0').trim_end_matches('.'))
}

/// The days of `year` a weekly calendar is closed on by its rules (its
/// holidays and closed dates), with their names; empty for other calendars.
pub(crate) fn closed_days(spec: &CalendarSpec, year: i32) -> Vec<(NaiveDate, String)> {
    let CalendarSpec::Weekly(w) = spec else {
        return Vec::new();
    };
    if w.closed.is_empty() {
        return Vec::new();
    }
    let Ok(cal) = Calendar::new(spec) else {
        return Vec::new();
    };
    let Some(mut d) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while d.year() == year {
        if let Some(why) = cal.closed_reason(d) {
            out.push((d, why.to_string()));
        }
        let Some(next) = d.checked_add_days(Days::new(1)) else {
            break;
        };
        d = next;
    }
    out
}

/// A built-in holiday set and its days in `year`, with their names, as
/// `sla calendar --set` lists them: `**holiday set** `NL` (Netherlands)`
/// then one line a day. `None` for a name that is no built-in set (the
/// checker reports it).
pub(crate) fn holiday_set(name: &str, year: i32) -> Option<String> {
    if !is_builtin_set(name) {
        return None;
    }
    let rules = [DayRule::Builtin { set: name.into() }];
    let holidays = Holidays::new(&rules).ok()?;
    let days = holidays.in_year(year);
    // The language's own set (NL) is not among the generated ones.
    let title = holiday_sets::info(name).map_or("Netherlands", |s| s.title);
    let mut s = format!("**holiday set** `{name}` ({title}), built in\n\n");
    if days.is_empty() {
        let (first, last) = holiday_sets::years();
        let _ = write!(
            s,
            "No days in {year}: the generated sets cover {first} to {last}."
        );
        return Some(s);
    }
    let _ = write!(s, "{} days in {year}:", days.len());
    for (d, why) in &days {
        let _ = write!(s, "\n- {}: {why}", d.format("%a %-d %b"));
    }
    Some(s)
}

/// What a target means in real terms, and a worked example counted by the
/// time engine from `today`: `4 hours of office time (Mon–Fri 09:00–17:00
/// Europe/Amsterdam): the clock runs only while office is open. E.g. opened
/// Fri 11 Dec 16:00 → due Mon 14 Dec 12:00.`
pub(crate) fn target(
    d: &TargetDuration,
    cal_name: &str,
    spec: &CalendarSpec,
    today: NaiveDate,
) -> String {
    let line = calendar_line(spec);
    let mut s = match d {
        TargetDuration::Seconds { seconds } if cal_name == ALWAYS => format!(
            "{} of wall-clock time: every hour counts, nights, weekends and holidays included.",
            duration(*seconds)
        ),
        TargetDuration::Seconds { seconds } => format!(
            "{} of `{cal_name}` time ({line}): the clock runs only while `{cal_name}` is open.",
            duration(*seconds)
        ),
        TargetDuration::WorkingDays { n } => format!(
            "{n} working day{} of `{cal_name}` ({line}): due at the same time of day on the {}working day after the start (moved to the next opening if the start is outside opening hours).",
            if *n == 1 { "" } else { "s" },
            if *n == 1 { String::new() } else { format!("{} ", ordinal(i64::from(*n))) },
        ),
        TargetDuration::NextWorkingDay => format!(
            "by the close of the next working day of `{cal_name}` ({line}): the first working day whose opening comes after the start; due when it closes."
        ),
        TargetDuration::Calendar { span } => {
            let tz = match spec {
                CalendarSpec::Always { timezone } => timezone.as_str(),
                _ => "the contract's zone",
            };
            format!(
                "{} of calendar time in {tz}: the same local time {} later, whatever the hours.",
                span,
                span
            )
        }
        TargetDuration::Untimed { note } => {
            return format!("no timed target ({note}): reported, never breached.")
        }
        TargetDuration::NotApplicable => {
            return "the metric does not apply to these tickets: not measured.".into()
        }
    };
    if let Some(example) = example(d, spec, today) {
        let _ = write!(s, " {example}");
    }
    s
}

fn duration(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if seconds % 3600 == 0 {
        plural(seconds / 3600, "hour")
    } else if seconds < 3600 {
        plural(seconds / 60, "minute")
    } else {
        format!(
            "{} {}",
            plural(seconds / 3600, "hour"),
            plural(seconds % 3600 / 60, "minute")
        )
    }
}

/// `E.g. opened Fri 11 Dec 16:00 → due Mon 14 Dec 12:00.`: a start one hour
/// before the week's last working day closes (where deadlines are least
/// obvious), the first such day from `today`, and the engine's deadline.
fn example(d: &TargetDuration, spec: &CalendarSpec, today: NaiveDate) -> Option<String> {
    let cal = Calendar::new(spec).ok()?;
    let tz = cal.timezone();
    let start = example_start(spec, &cal, today)?;
    let due = match d {
        TargetDuration::Seconds { seconds } => cal.deadline(start, *seconds)?,
        TargetDuration::WorkingDays { n } => cal.working_days_deadline(start, *n)?,
        TargetDuration::NextWorkingDay => cal.next_working_day_close(start)?,
        TargetDuration::Calendar { span } => add_calendar_span(tz, start, *span)?,
        TargetDuration::Untimed { .. } | TargetDuration::NotApplicable => return None,
    };
    let at = |t: i64| to_local(tz, t).format("%a %-d %b %H:%M").to_string();
    Some(format!("E.g. opened {} → due {}.", at(start), at(due)))
}

fn example_start(spec: &CalendarSpec, cal: &Calendar, today: NaiveDate) -> Option<i64> {
    let tz = cal.timezone();
    // The week's last day with opening hours (Friday for office hours);
    // Friday for calendars without weekly hours.
    let last_day = match spec {
        CalendarSpec::Weekly(w) => w
            .open
            .iter()
            .map(|o| o.day.num_days_from_monday())
            .max()
            .unwrap_or(4),
        _ => 4,
    };
    let mut date = today;
    for _ in 0..120 {
        if date.weekday().num_days_from_monday() == last_day {
            if let CalendarSpec::Weekly(_) = spec {
                if let Some((open, close)) = cal.working_hours(date) {
                    return Some((close - 3600).max(open));
                }
            } else {
                let local = NaiveDateTime::new(date, chrono::NaiveTime::from_hms_opt(16, 0, 0)?);
                return local_to_instant(tz, local);
            }
        }
        date = date.checked_add_days(Days::new(1))?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> CalendarSpec {
        CalendarSpec::Weekly(WeeklySpec {
            timezone: "Europe/Amsterdam".into(),
            open: (0..5u8)
                .map(|d| OpeningSpec {
                    day: Weekday::try_from(d).unwrap(),
                    start: 9 * 3600,
                    end: 17 * 3600,
                })
                .collect(),
            closed: vec![DayRule::Builtin { set: "NL".into() }],
            reopened: Vec::new(),
        })
    }

    #[test]
    fn a_calendar_in_one_line() {
        let line = calendar_line(&office());
        assert!(
            line.starts_with("Mon–Fri 09:00–17:00 Europe/Amsterdam, closed on NL holidays"),
            "{line}"
        );
        assert_eq!(hours_per_week(&office()), Some(40.0));
    }

    /// Monday 2026-12-07: the example starts on Friday 11 December at
    /// 16:00 (an hour before office closes); 4 office hours are 1 hour on
    /// Friday and 3 on Monday 14 December from 09:00: due 12:00.
    #[test]
    fn four_office_hours_from_friday_afternoon() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let s = target(
            &TargetDuration::Seconds { seconds: 4 * 3600 },
            "office",
            &office(),
            today,
        );
        assert!(
            s.starts_with("4 hours of `office` time (Mon–Fri 09:00–17:00"),
            "{s}"
        );
        assert!(
            s.ends_with("E.g. opened Fri 11 Dec 16:00 → due Mon 14 Dec 12:00."),
            "{s}"
        );
    }

    /// From Christmas Day 2026 (a Friday, closed in NL) the example takes
    /// the first Friday that is a working day: 1 January 2027 is New Year's
    /// Day, so Friday 8 January, 16:00. Its opening (09:00) came before the
    /// start, so the next working day is Monday 11 January: due at its
    /// close, 17:00.
    #[test]
    fn next_working_day_skips_holiday_fridays() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        let s = target(&TargetDuration::NextWorkingDay, "office", &office(), today);
        assert!(
            s.ends_with("E.g. opened Fri 8 Jan 16:00 → due Mon 11 Jan 17:00."),
            "{s}"
        );
    }

    /// NL's closed days of 2026 include King's Day (27 April, a Monday).
    #[test]
    fn closed_days_of_the_year() {
        let days = closed_days(&office(), 2026);
        assert!(
            days.iter()
                .any(|(d, _)| *d == NaiveDate::from_ymd_opt(2026, 4, 27).unwrap()),
            "{days:?}"
        );
    }
}
