//! Closed days: the Easter computus, evaluation of [`DayRule`]s for a year,
//! and the built-in holiday sets (SEMANTICS.md, "Calendars").
//!
//! Every closed day carries a human name ("Good Friday", "King's Day") so that
//! an explanation can say *why* a day did not count, not only that it did not.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::calendar::CalendarError;
use super::holiday_sets::{self, Table};
use super::spec::{DayRule, Move};

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous
/// Gregorian algorithm of Meeus/Jones/Butcher). `None` only for years that
/// `chrono` cannot represent.
///
/// The algorithm is exact for every Gregorian year; the Gregorian calendar is
/// applied proleptically before 1583, as `chrono` does for dates.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The largest shift (in days) a rule may apply: Easter offsets and moves.
/// Bounding it keeps "which rules can land in year Y" a question about the
/// years Y-2..=Y+2 only, so evaluating a year never scans far.
pub const MAX_SHIFT_DAYS: i32 = 366;

/// One closed-day rule in checked form, with the name explanations use
/// (and the name of its substitute days, for a rule that has them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holiday {
    rule: Rule,
    name: String,
    substitute_name: String,
}

impl Holiday {
    fn new(rule: Rule, name: String) -> Holiday {
        let substitute_name = format!("{name} (substitute day)");
        Holiday {
            rule,
            name,
            substitute_name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Date(NaiveDate),
    Annual {
        month: u32,
        day: u32,
        every_years: Option<u32>,
        moves: Vec<Move>,
    },
    NthWeekday {
        month: u32,
        weekday: Weekday,
        n: i32,
        offset: i32,
    },
    Easter(i32),
}

/// Where a rule puts its day of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occurrence {
    /// Closed on this date.
    Fixed(NaiveDate),
    /// Closed on this date, and on a substitute day: the next day with
    /// opening hours that no other rule closes.
    WithSubstitute(NaiveDate),
}

impl Occurrence {
    fn date(self) -> NaiveDate {
        match self {
            Occurrence::Fixed(d) | Occurrence::WithSubstitute(d) => d,
        }
    }
}

impl Rule {
    /// The occurrence of this rule that belongs to `year` (before any move is
    /// applied, the date lies in `year`; a move may push it into a neighbour).
    fn occurrence(&self, year: i32) -> Option<Occurrence> {
        match self {
            Rule::Date(d) => (d.year() == year).then_some(Occurrence::Fixed(*d)),
            Rule::Annual {
                month,
                day,
                every_years,
                moves,
            } => {
                if let Some(n) = every_years {
                    if *n == 0 || i64::from(year).rem_euclid(i64::from(*n)) != 0 {
                        return None;
                    }
                }
                // 29 February in a common year: no occurrence that year.
                let date = NaiveDate::from_ymd_opt(year, *month, *day)?;
                match moves.iter().find(|m| m.weekday == date.weekday()) {
                    Some(m) if m.next_working_day => Some(Occurrence::WithSubstitute(date)),
                    Some(m) => shift(date, m.shift_days).map(Occurrence::Fixed),
                    None => Some(Occurrence::Fixed(date)),
                }
            }
            Rule::NthWeekday {
                month,
                weekday,
                n,
                offset,
            } => shift(nth_weekday(year, *month, *weekday, *n)?, *offset).map(Occurrence::Fixed),
            Rule::Easter(offset) => shift(easter_sunday(year)?, *offset).map(Occurrence::Fixed),
        }
    }

    fn has_substitutes(&self) -> bool {
        matches!(self, Rule::Annual { moves, .. } if moves.iter().any(|m| m.next_working_day))
    }
}

fn shift(date: NaiveDate, days: i32) -> Option<NaiveDate> {
    let n = Days::new(u64::from(days.unsigned_abs()));
    if days >= 0 {
        date.checked_add_days(n)
    } else {
        date.checked_sub_days(n)
    }
}

/// The `n`-th `weekday` of `month` (1-based; -1 is the last). `None` when the
/// month has no such day (a fifth Monday, say).
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: i32) -> Option<NaiveDate> {
    if n > 0 {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let ahead =
            (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
        let date = shift(first, i32::try_from(ahead).ok()? + 7 * (n - 1))?;
        (date.month() == month).then_some(date)
    } else if n < 0 {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let last = next.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        let date = shift(last, -(i32::try_from(back).ok()? + 7 * (-n - 1)))?;
        (date.month() == month).then_some(date)
    } else {
        None
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `January` for 1, … `December` for 12 (`?` otherwise).
pub fn month_name(month: u32) -> &'static str {
    MONTHS
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// A weekday's full English name (`Monday`).
pub(crate) fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// An English ordinal: `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`.
pub(crate) fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Which weekday of a month `n` picks, in words: `1st`, `last`, `2nd to last`.
pub(crate) fn nth_in_month(n: i32) -> String {
    match n {
        -1 => "last".to_string(),
        n if n < 0 => format!("{} to last", ordinal(-i64::from(n))),
        n => ordinal(i64::from(n)),
    }
}

/// The usual name of Easter Sunday plus `offset` days, where it has one.
pub(crate) fn easter_name(offset: i32) -> String {
    match offset {
        -47 => "Shrove Tuesday".to_string(),
        -46 => "Ash Wednesday".to_string(),
        -7 => "Palm Sunday".to_string(),
        -3 => "Maundy Thursday".to_string(),
        -2 => "Good Friday".to_string(),
        -1 => "Holy Saturday".to_string(),
        0 => "Easter Sunday".to_string(),
        1 => "Easter Monday".to_string(),
        39 => "Ascension Day".to_string(),
        49 => "Whit Sunday".to_string(),
        50 => "Whit Monday".to_string(),
        60 => "Corpus Christi".to_string(),
        n if n > 0 => format!("Easter Sunday + {n} days"),
        n => format!("Easter Sunday - {} days", -n),
    }
}

/// The language's own holiday sets, as (rule, name) lists. `NL` is exactly
/// the list of SEMANTICS.md. King's Day is applied in every year (the
/// historical Queen's Day on 30 April before 2014 is not modelled: the
/// specification names only the current rule); from 2014 the list equals
/// python-holidays' (a test compares them). Every other set is generated
/// from python-holidays ([`holiday_sets`]).
fn own_set(set: &str) -> Option<Vec<Holiday>> {
    let annual = |month, day, every_years, moves: Vec<Move>, name: &str| {
        Holiday::new(
            Rule::Annual {
                month,
                day,
                every_years,
                moves,
            },
            name.to_string(),
        )
    };
    let easter = |offset| Holiday::new(Rule::Easter(offset), easter_name(offset));
    let kings_day_moves = vec![Move {
        weekday: Weekday::Sun,
        shift_days: -1,
        next_working_day: false,
    }];
    match set {
        "NL" => Some(vec![
            annual(1, 1, None, vec![], "New Year's Day"),
            easter(-2),
            easter(0),
            easter(1),
            annual(4, 27, None, kings_day_moves, "King's Day"),
            annual(5, 5, Some(5), vec![], "Liberation Day"),
            easter(39),
            easter(49),
            easter(50),
            annual(12, 25, None, vec![], "Christmas Day"),
            annual(12, 26, None, vec![], "Boxing Day"),
        ]),
        _ => None,
    }
}

/// The names of the language's own sets (see [`own_set`]).
pub const OWN_SETS: &[&str] = &["NL"];

/// Every built-in set name: the language's own and the generated ones.
pub fn builtin_set_names() -> impl Iterator<Item = &'static str> {
    OWN_SETS
        .iter()
        .copied()
        .chain(holiday_sets::sets().iter().map(|s| s.name))
}

/// True when `name` is a built-in holiday set (exactly as written).
pub fn is_builtin_set(name: &str) -> bool {
    OWN_SETS.contains(&name) || holiday_sets::info(name).is_some()
}

/// One entry of a checked list: a rule with its name, or a generated set's
/// table of dates and names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Rule(Holiday),
    Table(Table),
}

impl Entry {
    /// The name of `date` if this entry closes it, substitute days aside.
    fn on(&self, date: NaiveDate) -> Option<&str> {
        match self {
            Entry::Rule(h) => {
                let year = date.year();
                (year.saturating_sub(2)..=year.saturating_add(2))
                    .any(|y| h.rule.occurrence(y).map(Occurrence::date) == Some(date))
                    .then_some(h.name.as_str())
            }
            Entry::Table(t) => holiday_sets::on(t, date),
        }
    }
}

/// A checked list of closed-day rules, in the order the contract gave them
/// (the first rule that names a date gives it its name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holidays {
    list: Vec<Entry>,
    /// The weekdays (Monday first) with opening hours: a substitute day is
    /// the next of these that no rule closes.
    open_days: [bool; 7],
    substitutes: bool,
}

impl Default for Holidays {
    fn default() -> Holidays {
        Holidays {
            list: Vec::new(),
            open_days: [true; 7],
            substitutes: false,
        }
    }
}

impl Holidays {
    /// Checks and expands the rules (built-in sets become their named rules).
    ///
    /// Rejected: unknown built-in sets, months or days that no year has
    /// (30 February), `every_years: 0`, `n: 0` or beyond ±5 for an n-th
    /// weekday, and shifts beyond ±[`MAX_SHIFT_DAYS`].
    pub fn new(rules: &[DayRule]) -> Result<Holidays, CalendarError> {
        Holidays::with_open_days(rules, [true; 7])
    }

    /// [`Holidays::new`] for a calendar open on `open_days` (Monday first):
    /// a substitute day (`if sun then next working day`) is the next of
    /// these days that no rule closes.
    pub fn with_open_days(
        rules: &[DayRule],
        open_days: [bool; 7],
    ) -> Result<Holidays, CalendarError> {
        let mut list = Vec::new();
        for rule in rules {
            match rule {
                DayRule::Builtin { set } => {
                    if let Some(own) = own_set(set) {
                        list.extend(own.into_iter().map(Entry::Rule));
                    } else if let Some(table) = holiday_sets::table(set) {
                        list.push(Entry::Table(table));
                    } else {
                        return Err(CalendarError::UnknownHolidaySet(set.clone()));
                    }
                }
                DayRule::Date { date } => list.push(Entry::Rule(Holiday::new(
                    Rule::Date(*date),
                    "closed date".to_string(),
                ))),
                DayRule::Annual {
                    month,
                    day,
                    every_years,
                    moved,
                    also_moved,
                } => {
                    let moves: Vec<Move> = moved.iter().chain(also_moved).copied().collect();
                    list.push(Entry::Rule(annual_holiday(
                        *month,
                        *day,
                        *every_years,
                        moves,
                    )?));
                }
                DayRule::NthWeekday {
                    month,
                    weekday,
                    n,
                    offset,
                } => list.push(Entry::Rule(nth_weekday_holiday(
                    *month, *weekday, *n, *offset,
                )?)),
                DayRule::Easter { offset } => {
                    check_shift(*offset)?;
                    list.push(Entry::Rule(Holiday::new(
                        Rule::Easter(*offset),
                        easter_name(*offset),
                    )));
                }
            }
        }
        let substitutes = list
            .iter()
            .any(|e| matches!(e, Entry::Rule(h) if h.rule.has_substitutes()));
        Ok(Holidays {
            list,
            open_days,
            substitutes,
        })
    }

    /// True when no rule names any day.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The name of the closed day on `date`, if a rule names it.
    pub fn on(&self, date: NaiveDate) -> Option<&str> {
        if self.substitutes {
            let days = self.in_year(date.year());
            let i = days.binary_search_by_key(&date, |(d, _)| *d).ok()?;
            return days.get(i).map(|(_, n)| *n);
        }
        self.list.iter().find_map(|e| e.on(date))
    }

    /// Every closed day in `year` with its name, sorted by date, each date once
    /// (named by the first rule that gives it).
    pub fn in_year(&self, year: i32) -> Vec<(NaiveDate, &str)> {
        if !self.substitutes {
            return self.fixed_in(year, year);
        }
        // Substitute days are found after every other closed day is known,
        // in the order of the rules, each skipping the days already closed
        // (substitutes before it included). A day late in one year can have
        // its substitute early in the next, so the years around are seen.
        let mut closed = self.fixed_in(year.saturating_sub(1), year.saturating_add(1));
        let mut added: Vec<(NaiveDate, &str)> = Vec::new();
        for e in &self.list {
            let Entry::Rule(h) = e else { continue };
            if !h.rule.has_substitutes() {
                continue;
            }
            for y in year.saturating_sub(1)..=year {
                let Some(Occurrence::WithSubstitute(from)) = h.rule.occurrence(y) else {
                    continue;
                };
                let is_closed = |d: NaiveDate, added: &[(NaiveDate, &str)]| {
                    closed.binary_search_by_key(&d, |(c, _)| *c).is_ok()
                        || added.iter().any(|(a, _)| *a == d)
                };
                // At most a fortnight ahead: a week has an open day, and a
                // run of closed days that long is not a substitute's business.
                let mut d = from;
                for _ in 0..14 {
                    let Some(next) = d.succ_opt() else { break };
                    d = next;
                    let open_day = self.open_days[d.weekday().num_days_from_monday() as usize];
                    if open_day && !is_closed(d, &added) {
                        added.push((d, h.substitute_name.as_str()));
                        break;
                    }
                }
            }
        }
        closed.retain(|(d, _)| d.year() == year);
        closed.extend(added.into_iter().filter(|(d, _)| d.year() == year));
        closed.sort_by_key(|(d, _)| *d);
        closed.dedup_by_key(|(d, _)| *d);
        closed
    }

    /// The closed days of the years `from..=to`, substitute days aside.
    fn fixed_in(&self, from: i32, to: i32) -> Vec<(NaiveDate, &str)> {
        let mut out: Vec<(NaiveDate, &str)> = Vec::new();
        for e in &self.list {
            match e {
                Entry::Rule(h) => {
                    for y in from.saturating_sub(2)..=to.saturating_add(2) {
                        if let Some(d) = h.rule.occurrence(y).map(Occurrence::date) {
                            if (from..=to).contains(&d.year()) {
                                out.push((d, h.name.as_str()));
                            }
                        }
                    }
                }
                Entry::Table(t) => {
                    for y in from..=to {
                        out.extend_from_slice(holiday_sets::in_year(t, y));
                    }
                }
            }
        }
        // A stable sort keeps the list's order among equal dates: the
        // first rule that names a date names it.
        out.sort_by_key(|(d, _)| *d);
        out.dedup_by_key(|(d, _)| *d);
        out
    }
}

/// A day of every year (or every N years), moved when it falls on given
/// weekdays.
fn annual_holiday(
    month: u32,
    day: u32,
    every_years: Option<u32>,
    moves: Vec<Move>,
) -> Result<Holiday, CalendarError> {
    // 2000 is a leap year, so 29 February passes.
    if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
        return Err(CalendarError::InvalidHolidayRule(format!(
            "month {month}, day {day} is not a day of the year"
        )));
    }
    if every_years == Some(0) {
        return Err(CalendarError::InvalidHolidayRule(
            "`every 0 years` names no year".to_string(),
        ));
    }
    for m in &moves {
        check_shift(m.shift_days)?;
    }
    let mut name = format!("annual closed day ({} {}", day, month_name(month));
    if let Some(n) = every_years.filter(|n| *n > 1) {
        name.push_str(&format!(", every {n} years"));
    }
    name.push(')');
    let rule = Rule::Annual {
        month,
        day,
        every_years,
        moves,
    };
    Ok(Holiday::new(rule, name))
}

/// The `n`th (or, negative, the last but one, ...) `weekday` of `month`,
/// `offset` days after it.
fn nth_weekday_holiday(
    month: u32,
    weekday: Weekday,
    n: i32,
    offset: i32,
) -> Result<Holiday, CalendarError> {
    if !(1..=12).contains(&month) {
        return Err(CalendarError::InvalidHolidayRule(format!(
            "month {month} does not exist"
        )));
    }
    if n == 0 || !(-5..=5).contains(&n) {
        return Err(CalendarError::InvalidHolidayRule(format!(
            "a month has no {n}th {}: use 1 to 5, or -1 (last) to -5",
            weekday_name(weekday)
        )));
    }
    check_shift(offset)?;
    let mut name = format!(
        "closed day ({} {} of {}",
        nth_in_month(n),
        weekday_name(weekday),
        month_name(month)
    );
    match offset {
        0 => name.push(')'),
        1 => name.push_str(", the day after)"),
        -1 => name.push_str(", the day before)"),
        d if d > 0 => name.push_str(&format!(", {d} days after)")),
        d => name.push_str(&format!(", {} days before)", -d)),
    }
    let rule = Rule::NthWeekday {
        month,
        weekday,
        n,
        offset,
    };
    Ok(Holiday::new(rule, name))
}

fn check_shift(days: i32) -> Result<(), CalendarError> {
    if days.unsigned_abs() > MAX_SHIFT_DAYS.unsigned_abs() {
        return Err(CalendarError::InvalidHolidayRule(format!(
            "a shift of {days} days is more than a year ({MAX_SHIFT_DAYS} days at most)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_known_years() {
        // Published dates of Western Easter.
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2019), Some(d(2019, 4, 21)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25))); // latest possible
        assert_eq!(easter_sunday(2285), Some(d(2285, 3, 22))); // earliest possible
        assert_eq!(easter_sunday(2000), Some(d(2000, 4, 23)));
        assert_eq!(easter_sunday(1954), Some(d(1954, 4, 18)));
        assert_eq!(easter_sunday(i32::MAX), None);
    }

    #[test]
    fn easter_always_a_sunday_in_march_or_april() {
        for y in 1583..3000 {
            let e = easter_sunday(y).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= d(y, 3, 22) && e <= d(y, 4, 25), "{y}");
        }
    }

    fn nl() -> Holidays {
        Holidays::new(&[DayRule::Builtin {
            set: "NL".to_string(),
        }])
        .unwrap()
    }

    #[test]
    fn nl_2025() {
        // Easter 2025 is 20 April: Good Friday 18 April, Easter Monday 21 April,
        // Ascension +39 = 29 May, Whit Sunday +49 = 8 June, Whit Monday 9 June.
        // 27 April 2025 is a Sunday, so King's Day is Saturday 26 April.
        // 2025 is divisible by five: Liberation Day 5 May.
        let set = nl();
        let days: Vec<(NaiveDate, &str)> = set.in_year(2025);
        let expected = vec![
            (d(2025, 1, 1), "New Year's Day"),
            (d(2025, 4, 18), "Good Friday"),
            (d(2025, 4, 20), "Easter Sunday"),
            (d(2025, 4, 21), "Easter Monday"),
            (d(2025, 4, 26), "King's Day"),
            (d(2025, 5, 5), "Liberation Day"),
            (d(2025, 5, 29), "Ascension Day"),
            (d(2025, 6, 8), "Whit Sunday"),
            (d(2025, 6, 9), "Whit Monday"),
            (d(2025, 12, 25), "Christmas Day"),
            (d(2025, 12, 26), "Boxing Day"),
        ];
        let got: Vec<(NaiveDate, String)> = days.iter().map(|(d, n)| (*d, n.to_string())).collect();
        let want: Vec<(NaiveDate, String)> =
            expected.iter().map(|(d, n)| (*d, n.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn nl_2024_has_no_liberation_day_and_kings_day_on_27th() {
        let h = nl();
        assert_eq!(h.on(d(2024, 5, 5)), None);
        assert_eq!(h.on(d(2024, 4, 27)), Some("King's Day")); // a Saturday, not moved
        assert_eq!(h.on(d(2024, 4, 26)), None);
        assert_eq!(h.on(d(2030, 5, 5)), Some("Liberation Day"));
        assert_eq!(h.on(d(2024, 3, 29)), Some("Good Friday"));
        assert_eq!(h.in_year(2024).len(), 10);
    }

    #[test]
    fn nth_weekday_rules() {
        // January 2025 starts on a Wednesday: Mondays are 6, 13, 20, 27.
        assert_eq!(nth_weekday(2025, 1, Weekday::Mon, 1), Some(d(2025, 1, 6)));
        assert_eq!(nth_weekday(2025, 1, Weekday::Mon, 3), Some(d(2025, 1, 20)));
        assert_eq!(nth_weekday(2025, 1, Weekday::Mon, -1), Some(d(2025, 1, 27)));
        assert_eq!(nth_weekday(2025, 1, Weekday::Mon, 5), None);
        // Last Thursday of November 2025: the 27th; last Friday of December: 26th.
        assert_eq!(
            nth_weekday(2025, 11, Weekday::Thu, -1),
            Some(d(2025, 11, 27))
        );
        assert_eq!(
            nth_weekday(2025, 12, Weekday::Fri, -1),
            Some(d(2025, 12, 26))
        );
        assert_eq!(
            nth_weekday(2025, 12, Weekday::Fri, -2),
            Some(d(2025, 12, 19))
        );
    }

    #[test]
    fn moved_rule_can_cross_a_year() {
        // 31 December 2022 is a Saturday; moved +2 days it is 2 January 2023.
        let h = Holidays::new(&[DayRule::Annual {
            month: 12,
            day: 31,
            every_years: None,
            moved: Some(Move {
                weekday: Weekday::Sat,
                shift_days: 2,
                next_working_day: false,
            }),
            also_moved: vec![],
        }])
        .unwrap();
        assert_eq!(h.on(d(2023, 1, 2)), Some("annual closed day (31 December)"));
        assert!(h.in_year(2023).iter().any(|(x, _)| *x == d(2023, 1, 2)));
        assert!(!h.in_year(2022).iter().any(|(x, _)| *x == d(2022, 12, 31)));
        assert_eq!(h.on(d(2022, 12, 31)), None);
    }

    #[test]
    fn leap_day_rule() {
        let h = Holidays::new(&[DayRule::Annual {
            month: 2,
            day: 29,
            every_years: None,
            moved: None,
            also_moved: vec![],
        }])
        .unwrap();
        assert_eq!(h.in_year(2024).len(), 1);
        assert!(h.in_year(2025).is_empty());
    }

    #[test]
    fn bad_rules_are_errors() {
        let bad = [
            DayRule::Builtin {
                set: "XX".to_string(),
            },
            DayRule::Annual {
                month: 2,
                day: 30,
                every_years: None,
                moved: None,
                also_moved: vec![],
            },
            DayRule::Annual {
                month: 13,
                day: 1,
                every_years: None,
                moved: None,
                also_moved: vec![],
            },
            DayRule::Annual {
                month: 1,
                day: 1,
                every_years: Some(0),
                moved: None,
                also_moved: vec![],
            },
            DayRule::NthWeekday {
                month: 1,
                weekday: Weekday::Mon,
                n: 0,
                offset: 0,
            },
            DayRule::NthWeekday {
                month: 0,
                weekday: Weekday::Mon,
                n: 1,
                offset: 0,
            },
            DayRule::Easter { offset: 400 },
        ];
        for rule in bad {
            assert!(
                Holidays::new(std::slice::from_ref(&rule)).is_err(),
                "{rule:?}"
            );
        }
    }

    #[test]
    fn first_rule_names_the_day() {
        let h = Holidays::new(&[
            DayRule::Date {
                date: d(2025, 12, 25),
            },
            DayRule::Builtin {
                set: "NL".to_string(),
            },
        ])
        .unwrap();
        assert_eq!(h.on(d(2025, 12, 25)), Some("closed date"));
        assert_eq!(h.on(d(2025, 12, 26)), Some("Boxing Day"));
    }
}
