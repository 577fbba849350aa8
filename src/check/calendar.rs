//! Calendars and the literals of time: weekdays, times of day, dates and
//! holiday rules, checked and turned into [`CalendarSpec`]s.

use chrono::{NaiveDate, Weekday};

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{self, Span, Spanned};
use crate::time::holiday_sets;
use crate::time::holidays::{builtin_set_names, is_builtin_set};
use crate::time::spec::{CalendarSpec, DayRule, Move, OpeningSpec, WeeklySpec};

pub fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

pub fn month(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS.iter().position(|m| *m == s).map(|i| i as u32 + 1)
}

impl Checker<'_> {
    /// `mon..fri, sat` → the weekdays in order; a range may wrap (`sat..mon`).
    pub(super) fn days(&mut self, ranges: &[ast::DayRange]) -> Vec<Weekday> {
        let mut out = Vec::new();
        for r in ranges {
            let (Some(from), to) = (
                weekday(&r.from.node),
                r.to.as_ref().and_then(|t| weekday(&t.node)),
            ) else {
                continue;
            };
            let mut d = from;
            out.push(d);
            if let Some(to) = to {
                while d != to {
                    d = d.succ();
                    out.push(d);
                }
            }
        }
        out
    }

    /// `HH:MM` → seconds since midnight; `24:00` only where `allow_24` (interval ends).
    pub(super) fn time_of_day(&mut self, t: &Spanned<String>, allow_24: bool) -> Option<u32> {
        let (h, m) = t.node.split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        let ok = (h < 24 && m < 60) || (allow_24 && h == 24 && m == 0);
        if !ok {
            let help = if h == 24 {
                "`24:00` may only end an interval"
            } else {
                "times of day run from 00:00 to 24:00"
            };
            self.report(
                Diagnostic::new(
                    Code::InvalidLiteral,
                    format!("`{}` is not a time of day", t.node),
                )
                .primary(t.span, "not a time of day")
                .help(help),
            );
            return None;
        }
        Some(h * 3600 + m * 60)
    }

    pub(super) fn date(&mut self, d: &Spanned<String>) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(&d.node, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.report(
                    Diagnostic::new(Code::InvalidLiteral, format!("`{}` is not a date", d.node))
                        .primary(d.span, "no such day")
                        .help("dates are written year-month-day, e.g. `2025-04-27`"),
                );
                None
            }
        }
    }

    /// Opening intervals for some weekdays, with checks for backwards and overlapping intervals.
    pub(super) fn openings(
        &mut self,
        days: &[ast::DayRange],
        times: &[ast::TimeRange],
        out: &mut Vec<(OpeningSpec, Span)>,
    ) {
        let weekdays = self.days(days);
        for t in times {
            let (Some(start), Some(end)) = (
                self.time_of_day(&t.start, false),
                self.time_of_day(&t.end, true),
            ) else {
                continue;
            };
            if end == start {
                self.report(
                    Diagnostic::new(
                        Code::BadInterval,
                        format!(
                            "opening interval `{}-{}` is empty",
                            t.start.node, t.end.node
                        ),
                    )
                    .primary(t.span, "starts and ends at the same time")
                    .help("give the interval a length, e.g. `09:00-17:00`, or remove it"),
                );
                continue;
            }
            if end < start {
                self.report(
                    Diagnostic::new(Code::BadInterval, format!("opening interval `{}-{}` runs backwards", t.start.node, t.end.node))
                        .primary(t.span, "ends before it starts")
                        .help("an interval across midnight is written as two: `22:00-24:00` and `00:00-06:00` on the next day"),
                );
                continue;
            }
            // One diagnostic per pair of intervals, naming every day they share.
            let mut clashes: Vec<(Span, Vec<Weekday>)> = Vec::new();
            for &day in &weekdays {
                let new = OpeningSpec { day, start, end };
                if let Some((_, other)) = out
                    .iter()
                    .find(|(o, _)| o.day == day && o.start < end && start < o.end)
                {
                    match clashes.iter_mut().find(|(s, _)| s == other) {
                        Some((_, days)) => days.push(day),
                        None => clashes.push((*other, vec![day])),
                    }
                    continue;
                }
                out.push((new, t.span));
            }
            for (other, days) in clashes {
                let names: Vec<&str> = days.iter().map(|d| day_name(*d)).collect();
                self.report(
                    Diagnostic::new(
                        Code::OverlappingIntervals,
                        format!("opening intervals overlap on {}", join_and(&names)),
                    )
                    .primary(t.span, "this interval")
                    .secondary(other, "overlaps this one")
                    .help("merge the two intervals into one"),
                );
            }
        }
    }

    pub(super) fn day_rule(&mut self, rule: &ast::DayRule) -> Option<DayRule> {
        Some(match rule {
            ast::DayRule::Set(name) => {
                if !is_builtin_set(&name.node) {
                    self.report(unknown_set(name));
                    return None;
                }
                DayRule::Builtin {
                    set: name.node.clone(),
                }
            }
            ast::DayRule::Date(d) => DayRule::Date {
                date: self.date(d)?,
            },
            ast::DayRule::Easter { offset, .. } => {
                if offset.node.abs() > 366 {
                    self.report(
                        Diagnostic::new(
                            Code::InvalidLiteral,
                            "a day relative to Easter must lie within a year of it",
                        )
                        .primary(offset.span, "too far from Easter"),
                    );
                    return None;
                }
                DayRule::Easter {
                    offset: offset.node as i32,
                }
            }
            ast::DayRule::NthWeekday {
                ordinal,
                weekday: wd,
                month: m,
                offset,
                ..
            } => DayRule::NthWeekday {
                n: self.ordinal(ordinal)?,
                offset: self.weekday_offset(offset.as_ref())?,
                month: month(&m.node)?,
                weekday: weekday(&wd.node)?,
            },
            ast::DayRule::Annual {
                month: m,
                day,
                moved,
                every_years,
                ..
            } => {
                let mo = month(&m.node)?;
                self.day_of_month(mo, day)?;
                let mut moves = self.moves(mo, day, moved)?.into_iter();
                DayRule::Annual {
                    month: mo,
                    day: day.node as u32,
                    every_years: self.every_years(every_years.as_ref())?,
                    moved: moves.next(),
                    also_moved: moves.collect(),
                }
            }
        })
    }

    /// `1st` to `5th`, or `last` (-1): which of a month's weekdays.
    fn ordinal(&mut self, ordinal: &Spanned<String>) -> Option<i32> {
        let n = if ordinal.node == "last" {
            Some(-1)
        } else {
            ordinal
                .node
                .trim_end_matches(char::is_alphabetic)
                .parse::<i32>()
                .ok()
                .filter(|n| (1..=5).contains(n))
        };
        if n.is_none() {
            self.report(
                Diagnostic::new(
                    Code::InvalidLiteral,
                    format!("`{}` is not an ordinal a month can have", ordinal.node),
                )
                .primary(ordinal.span, "a month has at most five of each weekday")
                .help("use `1st` to `5th`, or `last`"),
            );
        }
        n
    }

    /// The days after (or before) a weekday of a month: within a month.
    fn weekday_offset(&mut self, offset: Option<&Spanned<i64>>) -> Option<i32> {
        match offset {
            Some(o) if o.node.abs() > 31 => {
                self.report(
                    Diagnostic::new(
                        Code::InvalidLiteral,
                        "a day relative to a weekday of a month must lie within a month of it",
                    )
                    .primary(o.span, "too far from the weekday")
                    .help("write the day after the fourth Thursday of November as `4th thu of nov + 1`"),
                );
                None
            }
            Some(o) => Some(o.node as i32),
            None => Some(0),
        }
    }

    /// Where an annual day moves when it falls on given weekdays: one move
    /// per weekday.
    fn moves(&mut self, mo: u32, day: &Spanned<u64>, moved: &[ast::MovedTo]) -> Option<Vec<Move>> {
        let mut moves: Vec<Move> = Vec::new();
        for mv in moved {
            let (shift_days, next_working_day) = match &mv.to {
                ast::MoveTarget::NextWorkingDay(_) => (0, true),
                ast::MoveTarget::Date { month: tm, day: td } => {
                    (self.move_shift(mo, day, tm, td, mv.span)?, false)
                }
            };
            for wd in &mv.weekdays {
                let weekday = weekday(&wd.node)?;
                if moves.iter().any(|m| m.weekday == weekday) {
                    self.report(
                        Diagnostic::new(
                            Code::InvalidLiteral,
                            format!(
                                "the day is already moved when it falls on a {}",
                                crate::time::holidays::weekday_name(weekday)
                            ),
                        )
                        .primary(wd.span, "a second move for this weekday")
                        .help("give each weekday one move"),
                    );
                    return None;
                }
                moves.push(Move {
                    weekday,
                    shift_days,
                    next_working_day,
                });
            }
        }
        Some(moves)
    }

    /// `in years divisible by N`: 1 to 1000 (`None` inside: every year).
    fn every_years(&mut self, every_years: Option<&Spanned<u64>>) -> Option<Option<u32>> {
        match every_years {
            Some(n) if n.node == 0 || n.node > 1000 => {
                self.report(
                    Diagnostic::new(
                        Code::InvalidLiteral,
                        "the number of years must be between 1 and 1000",
                    )
                    .primary(n.span, "out of range"),
                );
                None
            }
            Some(n) => Some(Some(n.node as u32)),
            None => Some(None),
        }
    }

    /// The shift of `month day` moved to `to_month to_day`: the nearest such
    /// date, in the same year or across its end (`jan 1` to `dec 31` is one
    /// day back), at most a week away.
    fn move_shift(
        &mut self,
        month: u32,
        day: &Spanned<u64>,
        to_month: &Spanned<String>,
        to_day: &Spanned<u64>,
        span: Span,
    ) -> Option<i32> {
        let to_mo = self::month(&to_month.node)?;
        self.day_of_month(to_mo, to_day)?;
        // Measured from a leap year so that 29 February is a day; the shift
        // is the same in every year for any pair of dates that does not
        // straddle the end of February.
        let from = NaiveDate::from_ymd_opt(2024, month, day.node as u32)?;
        let shift = [2023, 2024, 2025]
            .iter()
            .filter_map(|&y| NaiveDate::from_ymd_opt(y, to_mo, to_day.node as u32))
            .map(|to| (to - from).num_days())
            .min_by_key(|d| d.abs())?;
        if shift.abs() > 7 {
            self.report(
                Diagnostic::new(
                    Code::InvalidLiteral,
                    "a moved holiday must stay within a week of its date",
                )
                .primary(span, format!("moved by {} days", shift.abs()))
                .help("for a day off later than that, add it as a date of its own"),
            );
            return None;
        }
        Some(shift as i32)
    }

    fn day_of_month(&mut self, month: u32, day: &Spanned<u64>) -> Option<()> {
        let ok = u32::try_from(day.node)
            .ok()
            .and_then(|d| NaiveDate::from_ymd_opt(2024, month, d))
            .is_some();
        if !ok {
            let name = crate::time::holidays::month_name(month);
            self.report(
                Diagnostic::new(
                    Code::InvalidLiteral,
                    format!("{name} has no day {}", day.node),
                )
                .primary(day.span, "no such day"),
            );
            return None;
        }
        Some(())
    }

    /// A weekly calendar from its items; `tz` is the contract's zone, the default.
    pub(super) fn weekly(
        &mut self,
        name: &ast::Ident,
        items: &[ast::CalendarItem],
    ) -> Option<CalendarSpec> {
        let errors_before = self.diags.iter().filter(|d| d.is_error()).count();
        let spec = self.weekly_items(name, items);
        if self.diags.iter().filter(|d| d.is_error()).count() > errors_before {
            self.broken_calendars.insert(name.node.clone());
        }
        spec
    }

    fn weekly_items(
        &mut self,
        name: &ast::Ident,
        items: &[ast::CalendarItem],
    ) -> Option<CalendarSpec> {
        let mut timezone: Option<String> = None;
        let mut openings = Vec::new();
        let mut closed = Vec::new();
        let mut reopened = Vec::new();
        for item in items {
            match item {
                ast::CalendarItem::Timezone(tz) => {
                    if self.timezone_ok(tz) {
                        timezone = Some(tz.node.clone());
                    }
                }
                ast::CalendarItem::Open(o) => self.openings(&o.days, &o.times, &mut openings),
                ast::CalendarItem::Closed(rules, _) => {
                    closed.extend(rules.iter().filter_map(|r| self.day_rule(r)))
                }
                ast::CalendarItem::Reopened(dates, _) => {
                    reopened.extend(dates.iter().filter_map(|d| self.date(d)))
                }
            }
        }
        if openings.is_empty()
            && !items
                .iter()
                .any(|i| matches!(i, ast::CalendarItem::Open(_)))
        {
            self.report(
                Diagnostic::new(
                    Code::NeverOpen,
                    format!("calendar `{}` is never open", name.node),
                )
                .primary(name.span, "no opening hours")
                .help("add opening hours such as `open mon..fri 09:00-17:00`, or use `24x7`"),
            );
        }
        let timezone = timezone.or_else(|| self.timezone.clone());
        let Some(timezone) = timezone else {
            // A header whose zone was misspelt, or did not parse, has been reported.
            if self.timezone_given || self.broken_blocks.contains("contract") {
                return None;
            }
            self.report(
                Diagnostic::new(
                    Code::Missing,
                    format!("calendar `{}` has no time zone", name.node),
                )
                .primary(name.span, "in which time zone are these hours?")
                .help(
                    "add `timezone \"Europe/Amsterdam\"` to the calendar or to the contract header",
                ),
            );
            return None;
        };
        Some(CalendarSpec::Weekly(WeeklySpec {
            timezone,
            open: openings.into_iter().map(|(o, _)| o).collect(),
            closed,
            reopened,
        }))
    }

    pub(super) fn timezone_ok(&mut self, tz: &Spanned<String>) -> bool {
        // Every name of the tz database is a zone, links included (`Japan`,
        // `US/Eastern`). Abbreviations (`CET`, `EST`, `GMT`) and the
        // sign-inverted `Etc/GMT+5` are zones too, but seldom the one meant:
        // they pass with a warning that says which zone they are.
        if tz.node.parse::<chrono_tz::Tz>().is_ok() {
            if let Some(c) = crate::time::zones::caution(&tz.node) {
                self.report(
                    Diagnostic::new(
                        Code::ZoneAbbreviation,
                        format!("time zone `{}` is {}", tz.node, c.meaning),
                    )
                    .primary(tz.span, "probably not the zone meant")
                    .help(c.write),
                );
            }
            return true;
        }
        let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
        let mut d = Diagnostic::new(
            Code::UnknownTimezone,
            format!("unknown time zone `{}`", tz.node),
        )
        .primary(tz.span, "not an IANA time zone name");
        d = match crate::diagnostic::did_you_mean(&tz.node, names) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("use an IANA name such as `Europe/Amsterdam` or `UTC`"),
        };
        self.report(d);
        false
    }
}

/// E0204 for a holiday set that is not built in, with the closest name: the
/// same name in other case (`de-by`), a country's English name (`Germany`),
/// `UK` for `GB`, or a near spelling; for an unknown subdivision of a known
/// country, the country's subdivisions.
fn unknown_set(name: &Spanned<String>) -> Diagnostic {
    let written = name.node.as_str();
    let by_title = holiday_sets::sets()
        .iter()
        .find(|s| !s.name.contains('-') && s.title.eq_ignore_ascii_case(written))
        .map(|s| s.name);
    let suggestion = builtin_set_names()
        .find(|s| s.eq_ignore_ascii_case(written))
        .or(by_title)
        .or_else(|| written.eq_ignore_ascii_case("UK").then_some("GB"))
        .or_else(|| crate::diagnostic::did_you_mean(written, builtin_set_names()));
    let mut d = Diagnostic::new(
        Code::UnknownHolidaySet,
        format!("unknown holiday set `{written}`"),
    )
    .primary(name.span, "not a built-in holiday set");
    if let Some(s) = suggestion {
        d = d.help(format!("did you mean `{s}`?"));
    }
    let country = written
        .split('-')
        .next()
        .unwrap_or(written)
        .to_ascii_uppercase();
    let subdivisions: Vec<&str> = holiday_sets::sets()
        .iter()
        .filter_map(|s| s.name.strip_prefix(country.as_str())?.strip_prefix('-'))
        .collect();
    if written.contains('-') && !subdivisions.is_empty() {
        d.note(format!(
            "the subdivisions of `{country}` are {}",
            subdivisions.join(", ")
        ))
    } else {
        d.note(
            "sets are named by country code, optionally with a subdivision \
             (`US`, `DE-BY`, `GB-SCT`); `sla calendar --sets` lists them all",
        )
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Mondays",
        Weekday::Tue => "Tuesdays",
        Weekday::Wed => "Wednesdays",
        Weekday::Thu => "Thursdays",
        Weekday::Fri => "Fridays",
        Weekday::Sat => "Saturdays",
        Weekday::Sun => "Sundays",
    }
}
