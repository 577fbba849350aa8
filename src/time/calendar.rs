//! The calendar engine: open time, deadlines and working days over `i64`
//! Unix seconds (SEMANTICS.md, "Calendars" and "Durations of a target").
//!
//! # How it is fast
//!
//! A calendar answers every query from per-year tables, indexed by the
//! *local* year of its time zone. A year's table holds the year's open
//! stretches as UTC instants (merged, sorted) with a running sum of open
//! seconds, per local day the first opening, the last closing and a
//! running count of working days, and per 18-hour bucket of the year the
//! first stretch that starts in it or later. With those:
//!
//! - `open_seconds(a, b)` is a difference of two "open time before t"
//!   look-ups, each a look at `t`'s bucket and a step or two (plus the
//!   totals of the whole years in between);
//! - `deadline` is a binary search on the running sums;
//! - "the N-th following working day" is a binary search on the counts.
//!
//! No query walks minute by minute or day by day; a 365-day span costs at
//! most one more table than a one-day span.
//!
//! Tables are built on first use, one local year at a time (about 50 µs),
//! behind a [`OnceLock`] per year, so building a [`Calendar`] costs only the
//! ~300 look-ups of the years' first instants, and a calendar can be shared
//! between threads (`Send + Sync`).
//!
//! # The horizon
//!
//! Tables exist for the local years [`HORIZON_FIRST_YEAR`] to
//! [`HORIZON_END_YEAR`] (exclusive). Outside that horizon a calendar with
//! weekly hours counts as closed: `open_seconds` ignores time outside it,
//! a deadline beyond it is `None`, and a date outside it is no working day.
//! The always-open calendar (`24x7`) is exact everywhere (saturating at the
//! ends of `i64`). Time zone data itself comes from `chrono-tz`, whose
//! tables of transitions end in 2099; later years follow the rules in force
//! then (see `instant::days_beyond_tables`), as the zone database says they
//! do. The horizon runs to the end of 2200 so that every instant of 2199, in
//! UTC or in any zone's local time, lies inside it.
//!
//! # Local time
//!
//! An opening interval `[start, end)` of a local day is mapped to instants
//! by [`local_to_instant`]: a local time in the spring-forward gap becomes the
//! first instant after the gap, one in the autumn overlap the earlier
//! instant. Durations are real elapsed time: 09:00–17:00 is 8 hours on every
//! day, and 00:00–24:00 on 30 March 2025 in Europe/Amsterdam is 23 hours.

use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::holidays::Holidays;
use super::instant::{local_to_instant, parse_tz, to_local, MAX_INSTANT, MIN_INSTANT};
use super::spec::{CalendarSpan, CalendarSpec, WeeklySpec};

/// The first local year with tables.
pub const HORIZON_FIRST_YEAR: i32 = 1900;
/// The first local year without tables.
pub const HORIZON_END_YEAR: i32 = 2201;
const YEARS: usize = (HORIZON_END_YEAR - HORIZON_FIRST_YEAR) as usize;
const DAY: u32 = 86_400;

/// Why a [`CalendarSpec`] cannot be used. `Display` gives a message the
/// checker can put into a diagnostic as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// Not an IANA time zone name; `suggestion` is the closest one, if close.
    UnknownTimeZone {
        /// The name as written.
        name: String,
        /// The closest known name, if close.
        suggestion: Option<String>,
    },
    /// An opening interval whose end is not after its start.
    BackwardsInterval {
        /// The weekday of the interval.
        day: Weekday,
        /// Its start, in seconds since local midnight.
        start: u32,
        /// Its end, in seconds since local midnight.
        end: u32,
    },
    /// Two opening intervals of the same weekday that share time.
    OverlappingIntervals {
        /// The weekday of the intervals.
        day: Weekday,
        /// The first interval, start and end in seconds since local midnight.
        first: (u32, u32),
        /// The second interval, likewise.
        second: (u32, u32),
    },
    /// A start or end beyond 24:00 (86 400 seconds).
    OutsideDay {
        /// The weekday of the interval.
        day: Weekday,
        /// Its start, in seconds since local midnight.
        start: u32,
        /// Its end, in seconds since local midnight.
        end: u32,
    },
    /// A built-in holiday set that does not exist.
    UnknownHolidaySet(String),
    /// A holiday rule that names no day (30 February, the 0th Monday, ...).
    InvalidHolidayRule(String),
}

/// `09:00`, `24:00`, or `09:00:30` when seconds matter.
fn hhmm(s: u32) -> String {
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{sec:02}")
    }
}

fn day_name(d: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d.num_days_from_monday() as usize]
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::UnknownTimeZone { name, suggestion } => {
                write!(f, "unknown time zone `{name}`")?;
                match suggestion {
                    Some(s) => write!(f, ": did you mean `{s}`?"),
                    None => write!(f, ": expected an IANA name such as Europe/Amsterdam or UTC"),
                }
            }
            CalendarError::BackwardsInterval { day, start, end } => write!(
                f,
                "opening hours {} {}-{} end before they start: the end must be after the start",
                day_name(*day),
                hhmm(*start),
                hhmm(*end)
            ),
            CalendarError::OverlappingIntervals { day, first, second } => write!(
                f,
                "opening hours {d} {}-{} and {d} {}-{} overlap",
                hhmm(first.0),
                hhmm(first.1),
                hhmm(second.0),
                hhmm(second.1),
                d = day_name(*day)
            ),
            CalendarError::OutsideDay { day, start, end } => write!(
                f,
                "opening hours {} {}-{} run past the end of the day: times go from 00:00 to 24:00",
                day_name(*day),
                hhmm((*start).min(99 * 3600)),
                hhmm((*end).min(99 * 3600))
            ),
            CalendarError::UnknownHolidaySet(set) => write!(
                f,
                "unknown holiday set `{set}`: sets are named by country code, optionally \
                 with a subdivision (`US`, `DE-BY`, `GB-SCT`); `sla calendar --sets` lists them"
            ),
            CalendarError::InvalidHolidayRule(why) => write!(f, "invalid holiday rule: {why}"),
        }
    }
}

impl std::error::Error for CalendarError {}

/// What a calendar is, checked: the recipe its year tables are built from.
#[derive(Debug, Clone)]
enum Source {
    Always,
    Weekly(Box<Weekly>),
    Complement(Box<Source>),
}

#[derive(Debug, Clone)]
struct Weekly {
    /// Per weekday (Monday first), sorted, disjoint `[start, end)` seconds of the local day.
    days: [Vec<(u32, u32)>; 7],
    holidays: Holidays,
    /// Sorted.
    reopened: Vec<NaiveDate>,
}

impl Weekly {
    fn closed_reason(&self, date: NaiveDate) -> Option<&str> {
        if self.reopened.binary_search(&date).is_ok() {
            return None;
        }
        self.holidays.on(date)
    }
}

/// Whether a calendar needs tables for interval queries at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    AlwaysOpen,
    NeverOpen,
    Table,
}

impl Source {
    fn shape(&self) -> Shape {
        match self {
            Source::Always => Shape::AlwaysOpen,
            Source::Weekly(w) if w.days.iter().all(Vec::is_empty) => Shape::NeverOpen,
            Source::Weekly(_) => Shape::Table,
            Source::Complement(of) => match of.shape() {
                Shape::AlwaysOpen => Shape::NeverOpen,
                Shape::NeverOpen => Shape::AlwaysOpen,
                Shape::Table => Shape::Table,
            },
        }
    }

    /// The open stretches of one local year, as sorted, disjoint, non-adjacent
    /// instants clipped to the year. `day_starts` holds the first instant of
    /// each local day of the year and, last, the first instant of the next year.
    fn stretches(&self, tz: Tz, year: i32, day_starts: &[i64]) -> Vec<(i64, i64)> {
        let (Some(&ys), Some(&ye)) = (day_starts.first(), day_starts.last()) else {
            return Vec::new();
        };
        match self {
            Source::Always => {
                if ye > ys {
                    vec![(ys, ye)]
                } else {
                    Vec::new()
                }
            }
            Source::Complement(of) => {
                let inner = of.stretches(tz, year, day_starts);
                let mut out = Vec::with_capacity(inner.len() + 1);
                let mut cur = ys;
                for (s, e) in inner {
                    if s > cur {
                        out.push((cur, s));
                    }
                    cur = cur.max(e);
                }
                if ye > cur {
                    out.push((cur, ye));
                }
                out
            }
            Source::Weekly(w) => {
                let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1) else {
                    return Vec::new();
                };
                let ndays = day_starts.len() - 1;
                let mut closed = vec![false; ndays];
                for (date, _) in w.holidays.in_year(year) {
                    if w.reopened.binary_search(&date).is_err() {
                        if let Some(c) = closed.get_mut(date.ordinal0() as usize) {
                            *c = true;
                        }
                    }
                }
                let mut out = Vec::with_capacity(ndays * 5 / 7 + 8);
                let mut date = jan1;
                for (i, bounds) in day_starts.windows(2).enumerate() {
                    let (d0, d1) = (bounds[0], bounds[1]);
                    let hours = &w.days[date.weekday().num_days_from_monday() as usize];
                    if !closed[i] {
                        // Midnight and 24:00 are the day's bounds as already
                        // mapped; anything else is mapped by the local-time rule.
                        let at = |secs: u32| match secs {
                            0 => d0,
                            DAY => d1,
                            secs => local_instant(tz, date, secs).unwrap_or(d1).clamp(d0, d1),
                        };
                        for &(s, e) in hours {
                            let (us, ue) = (at(s), at(e));
                            if ue > us {
                                out.push((us, ue));
                            }
                        }
                    }
                    match date.succ_opt() {
                        Some(d) => date = d,
                        None => break,
                    }
                }
                merge(out)
            }
        }
    }
}

/// The instant of local `date` at `secs` seconds after midnight (`< 86400`).
fn local_instant(tz: Tz, date: NaiveDate, secs: u32) -> Option<i64> {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0)?;
    local_to_instant(tz, NaiveDateTime::new(date, time))
}

/// Sorts and merges overlapping or touching intervals; drops empty ones.
fn merge(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.retain(|(s, e)| e > s);
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// One open stretch of a year, with the open seconds of the year before it.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    start: i64,
    end: i64,
    before: i64,
}

impl Stretch {
    fn through(&self) -> i64 {
        self.before + (self.end - self.start)
    }
}

/// One local day of a year table: what a look-up of the day reads, side by
/// side, so that it touches one cache line (four days share one), not one
/// per array. The tables are small, but evaluating a log streams far more
/// data through the caches between two look-ups.
#[derive(Debug, Clone, Copy)]
struct Day {
    /// The day's first instant.
    start: i64,
    /// Working days among the year's days before this one.
    working_before: u32,
}

/// The length of a bucket of [`YearTable::bucket_first`]: 2^16 seconds
/// (18.2 hours), shorter than any day, so that a bucket holds the starts of
/// at most a day's stretches and the bucket of an instant is a shift.
const BUCKET_SHIFT: u32 = 16;

/// Everything about one local year of one calendar.
#[derive(Debug, Clone)]
struct YearTable {
    year: i32,
    stretches: Vec<Stretch>,
    total: i64,
    /// Each local day of the year, and one more entry: the next year's first
    /// instant, with `working_before` the year's working days.
    days: Vec<Day>,
    /// `bucket_first[b]`: the stretches that start before the year's first
    /// instant plus `b` buckets ([`BUCKET_SHIFT`]), so that finding the
    /// stretch of an instant is a look at its bucket and a step or two, not
    /// a search of the year nor of its days.
    bucket_first: Vec<u32>,
    /// Per day: (first opening, last closing) clipped to the day; equal when
    /// the day has no open time.
    hours: Vec<(i64, i64)>,
    /// The first instant of each local month, and of the next year: the
    /// month of an instant is a count of these, in two cache lines.
    month_starts: [i64; 13],
}

impl YearTable {
    /// The number of stretches that start at or before `t` (`t` inside the
    /// year, or at its end): `partition_point(|s| s.start <= t)`, found from
    /// `t`'s bucket.
    fn started_by(&self, t: i64) -> usize {
        let since = self.days.first().map_or(0, |d| t.saturating_sub(d.start));
        // Before the year's first instant nothing has started.
        let Ok(since) = u64::try_from(since) else {
            return 0;
        };
        let b = usize::try_from(since >> BUCKET_SHIFT).unwrap_or(usize::MAX);
        let last = self.bucket_first.len().saturating_sub(1);
        let i = self
            .bucket_first
            .get(b.min(last))
            .map_or(0, |&i| i as usize);
        // A bucket holds up to a day and a bit of stretch starts, so `t` is
        // mostly zero, one or two steps on: taken without a branch, as which
        // it is is a coin toss that a branch predictor would lose.
        let step = |i: usize| i + usize::from(self.stretches.get(i).is_some_and(|s| s.start <= t));
        let mut i = step(step(i));
        while self.stretches.get(i).is_some_and(|s| s.start <= t) {
            i += 1;
        }
        i
    }

    /// Open seconds of the year before `t` (`t` inside the year, or at its end).
    fn open_before(&self, t: i64) -> i64 {
        self.open_before_at(t, self.started_by(t))
    }

    /// [`YearTable::open_before`] given `i = started_by(t)`.
    fn open_before_at(&self, t: i64, i: usize) -> i64 {
        match i.checked_sub(1).and_then(|j| self.stretches.get(j)) {
            Some(s) => s.before + (t.min(s.end) - s.start),
            None => 0,
        }
    }

    /// The instant at which the year's open time reaches `target` (`0 < target <= total`).
    fn reach(&self, target: i64) -> Option<i64> {
        self.reach_from(0, target)
    }

    /// [`YearTable::reach`], knowing that the stretches before `from` end
    /// short of `target`. Deadlines mostly fall a stretch or two after their
    /// start, so a few steps forward come before a search.
    fn reach_from(&self, from: usize, target: i64) -> Option<i64> {
        let rest = self.stretches.get(from..)?;
        let near = rest.iter().take(8).position(|s| s.through() >= target);
        let j = from + near.unwrap_or_else(|| rest.partition_point(|s| s.through() < target));
        self.stretches.get(j).map(|s| s.start + (target - s.before))
    }

    fn working_days(&self) -> u32 {
        self.days.last().map_or(0, |d| d.working_before)
    }

    /// Working days among the year's days `0..i` (`i` up to the number of days).
    fn working_before(&self, i: usize) -> Option<u32> {
        self.days.get(i).map(|d| d.working_before)
    }

    /// The day (index in the year) holding the `n`-th working day counted from
    /// the year's start, i.e. the first day `i` with `working_before(i + 1) >= n`,
    /// knowing that the days before `from` hold fewer. A deadline a few
    /// working days on lies a few days on, so a few steps forward come
    /// before a search.
    fn nth_working_from(&self, from: usize, n: u32) -> Option<usize> {
        let rest = self.days.get(from..)?;
        let near = rest.iter().take(16).position(|d| d.working_before >= n);
        let j = from + near.unwrap_or_else(|| rest.partition_point(|d| d.working_before < n));
        j.checked_sub(1)
    }

    /// The first instant of day `i`, if the day is 24 hours long (no DST
    /// change in it).
    fn plain_day(&self, i: usize) -> Option<i64> {
        let (start, next) = (self.days.get(i)?.start, self.days.get(i + 1)?.start);
        (next - start == 86_400).then_some(start)
    }

    /// The number of days in the year (365 or 366).
    fn ndays(&self) -> usize {
        self.days.len().saturating_sub(1)
    }

    fn day_hours(&self, i: usize) -> Option<(i64, i64)> {
        self.hours.get(i).copied().filter(|(f, l)| l > f)
    }

    /// The local day of instant `t` (inside the year): the last day that
    /// starts at or before `t`. Days are 24 hours give or take a DST hour,
    /// so `t`'s distance from the year's start in whole days is at most one
    /// off.
    fn day_of(&self, t: i64) -> usize {
        let days = self.ndays();
        let Some(first) = self.days.first() else {
            return 0;
        };
        let mut d = usize::try_from((t - first.start).div_euclid(86_400))
            .unwrap_or(0)
            .min(days.saturating_sub(1));
        while d > 0 && self.days[d].start > t {
            d -= 1;
        }
        while d + 1 < days && self.days[d + 1].start <= t {
            d += 1;
        }
        d
    }
}

/// A calendar ready for queries. Cheap to build (tables are made on first
/// use); `Send + Sync`; every query is pure and never panics.
#[derive(Clone)]
pub struct Calendar {
    tz: Tz,
    source: Source,
    shape: Shape,
    /// The first instant of each local year of the horizon, and of the year after it.
    year_starts: Box<[i64]>,
    /// The first and the last of `year_starts`, beside the other fields: a
    /// look-up of an instant's year reads two cache lines fewer.
    horizon: (i64, i64),
    years: Box<[OnceLock<YearTable>]>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("timezone", &self.tz.name())
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

fn compile(spec: &CalendarSpec) -> Result<(Tz, Source), CalendarError> {
    let zone = |name: &str| {
        parse_tz(name).map_err(|e| CalendarError::UnknownTimeZone {
            name: e.name,
            suggestion: e.suggestion.map(str::to_string),
        })
    };
    match spec {
        CalendarSpec::Always { timezone } => Ok((zone(timezone)?, Source::Always)),
        CalendarSpec::Complement { of } => {
            let (tz, inner) = compile(of)?;
            // The complement of a complement is the calendar itself: one
            // level less to build and to recurse through.
            match inner {
                Source::Complement(twice) => Ok((tz, *twice)),
                inner => Ok((tz, Source::Complement(Box::new(inner)))),
            }
        }
        CalendarSpec::Weekly(w) => Ok((zone(&w.timezone)?, Source::Weekly(Box::new(weekly(w)?)))),
    }
}

fn weekly(w: &WeeklySpec) -> Result<Weekly, CalendarError> {
    let mut days: [Vec<(u32, u32)>; 7] = Default::default();
    for o in &w.open {
        if o.start > DAY || o.end > DAY {
            return Err(CalendarError::OutsideDay {
                day: o.day,
                start: o.start,
                end: o.end,
            });
        }
        if o.end <= o.start {
            return Err(CalendarError::BackwardsInterval {
                day: o.day,
                start: o.start,
                end: o.end,
            });
        }
        days[o.day.num_days_from_monday() as usize].push((o.start, o.end));
    }
    for (i, list) in days.iter_mut().enumerate() {
        list.sort_unstable();
        for pair in list.windows(2) {
            if pair[1].0 < pair[0].1 {
                return Err(CalendarError::OverlappingIntervals {
                    day: Weekday::try_from(i as u8).unwrap_or(Weekday::Mon),
                    first: pair[0],
                    second: pair[1],
                });
            }
        }
    }
    let open_days: [bool; 7] = std::array::from_fn(|i| !days[i].is_empty());
    let holidays = Holidays::with_open_days(&w.closed, open_days)?;
    let mut reopened = w.reopened.clone();
    reopened.sort_unstable();
    reopened.dedup();
    Ok(Weekly {
        days,
        holidays,
        reopened,
    })
}

impl Calendar {
    /// Checks `spec` and prepares the calendar.
    ///
    /// Errors: an unknown time zone; an opening interval that runs backwards
    /// (or is empty), overlaps another on the same weekday, or has a start or
    /// end outside 00:00–24:00; an unknown built-in holiday set; a holiday
    /// rule that names no day.
    pub fn new(spec: &CalendarSpec) -> Result<Calendar, CalendarError> {
        let (tz, source) = compile(spec)?;
        Ok(Calendar::from_source(tz, source))
    }

    /// The always-open calendar (`24x7`) in `tz`.
    pub fn always(tz: Tz) -> Calendar {
        Calendar::from_source(tz, Source::Always)
    }

    fn from_source(tz: Tz, source: Source) -> Calendar {
        let mut year_starts = Vec::with_capacity(YEARS + 1);
        let mut prev = i64::MIN;
        for y in HORIZON_FIRST_YEAR..=HORIZON_END_YEAR {
            let jan1 = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
            let fallback = jan1.and_time(NaiveTime::MIN).and_utc().timestamp();
            let t = local_instant(tz, jan1, 0).unwrap_or(fallback).max(prev);
            year_starts.push(t);
            prev = t;
        }
        let years = (0..YEARS).map(|_| OnceLock::new()).collect();
        let horizon = (
            year_starts.first().copied().unwrap_or(0),
            year_starts.last().copied().unwrap_or(0),
        );
        Calendar {
            tz,
            horizon,
            shape: source.shape(),
            source,
            year_starts: year_starts.into_boxed_slice(),
            years,
        }
    }

    /// The calendar's time zone (for a complement, that of the calendar it complements).
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// False for a calendar that is never open (weekly hours with no
    /// interval, or the complement of `24x7`): every deadline in it is
    /// `None`. The checker can warn about it.
    pub fn has_opening_hours(&self) -> bool {
        self.shape != Shape::NeverOpen
    }

    /// The first instant with tables and the first instant after them.
    pub fn horizon(&self) -> (i64, i64) {
        (self.h0(), self.h1())
    }

    fn h0(&self) -> i64 {
        self.horizon.0
    }

    fn h1(&self) -> i64 {
        self.horizon.1
    }

    /// The year index of instant `t`, if inside the horizon.
    fn year_index(&self, t: i64) -> Option<usize> {
        if t < self.h0() || t >= self.h1() {
            return None;
        }
        // Average Gregorian year; the guess is off by at most one.
        let guess = ((t - self.h0()) / 31_556_952) as usize;
        let mut k = guess.min(YEARS - 1);
        while k > 0 && self.year_starts[k] > t {
            k -= 1;
        }
        while k + 1 < YEARS && self.year_starts[k + 1] <= t {
            k += 1;
        }
        Some(k)
    }

    fn table(&self, k: usize) -> &YearTable {
        self.years[k].get_or_init(|| self.build(k))
    }

    fn build(&self, k: usize) -> YearTable {
        let year = HORIZON_FIRST_YEAR + k as i32;
        let (ys, ye) = (self.year_starts[k], self.year_starts[k + 1]);
        let ndays = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
            366
        } else {
            365
        };
        let mut day_starts = Vec::with_capacity(ndays + 1);
        day_starts.push(ys);
        let mut date = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        for _ in 1..ndays {
            date = date.succ_opt().unwrap_or(date);
            let prev = day_starts.last().copied().unwrap_or(ys);
            let t = local_instant(self.tz, date, 0).unwrap_or(prev);
            day_starts.push(t.clamp(prev, ye));
        }
        day_starts.push(ye);

        let raw = self.source.stretches(self.tz, year, &day_starts);
        let mut stretches = Vec::with_capacity(raw.len());
        let mut total = 0i64;
        for (s, e) in raw {
            let (s, e) = (s.max(ys), e.min(ye));
            if e > s {
                stretches.push(Stretch {
                    start: s,
                    end: e,
                    before: total,
                });
                total += e - s;
            }
        }

        let mut hours = Vec::with_capacity(ndays);
        let mut working_before = Vec::with_capacity(ndays + 1);
        working_before.push(0u32);
        let mut j = 0usize;
        for bounds in day_starts.windows(2) {
            let (d0, d1) = (bounds[0], bounds[1]);
            while j < stretches.len() && stretches[j].end <= d0 {
                j += 1;
            }
            let mut h = (d0, d0);
            if j < stretches.len() && stretches[j].start < d1 {
                let mut last = j;
                while last + 1 < stretches.len() && stretches[last + 1].start < d1 {
                    last += 1;
                }
                h = (stretches[j].start.max(d0), stretches[last].end.min(d1));
            }
            hours.push(h);
            let w = working_before.last().copied().unwrap_or(0);
            working_before.push(w + u32::from(h.1 > h.0));
        }

        let days = day_starts
            .iter()
            .zip(working_before)
            .map(|(&start, working_before)| Day {
                start,
                working_before,
            })
            .collect();
        let buckets = ((ye - ys) >> BUCKET_SHIFT) + 1;
        let bucket_first = (0..buckets)
            .map(|b| {
                let from = ys + (b << BUCKET_SHIFT);
                stretches.partition_point(|s| s.start < from) as u32
            })
            .collect();
        let mut month_starts = [ye; 13];
        let mut first_day = 0usize;
        for (m, start) in month_starts.iter_mut().take(12).enumerate() {
            *start = day_starts.get(first_day).copied().unwrap_or(ye);
            first_day += MONTH_LENGTHS[m] + usize::from(m == 1 && ndays == 366);
        }
        YearTable {
            year,
            stretches,
            total,
            days,
            hours,
            bucket_first,
            month_starts,
        }
    }

    /// Open seconds from the start of year `k` to `t` (`t` in the year or at its end).
    fn in_year(&self, k: usize, t: i64) -> i64 {
        self.table(k).open_before(t)
    }

    /// Whether the calendar is open at `t` (inside an interval `[open, close)`).
    pub fn is_open(&self, t: i64) -> bool {
        match self.shape {
            Shape::AlwaysOpen => true,
            Shape::NeverOpen => false,
            Shape::Table => match self.year_index(t) {
                Some(k) => {
                    let yt = self.table(k);
                    let i = yt.started_by(t);
                    i > 0 && t < yt.stretches[i - 1].end
                }
                None => false,
            },
        }
    }

    /// The length of `[a, b)` that falls in opening intervals; 0 if `b <= a`.
    pub fn open_seconds(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        match self.shape {
            Shape::AlwaysOpen => b.saturating_sub(a),
            Shape::NeverOpen => 0,
            Shape::Table => {
                let (a, b) = (a.max(self.h0()), b.min(self.h1()));
                if b <= a {
                    return 0;
                }
                let (Some(ka), Some(kb)) = (self.year_index(a), self.year_index(b - 1)) else {
                    return 0;
                };
                if ka == kb {
                    return self.in_year(kb, b) - self.in_year(ka, a);
                }
                let mut sum = self.table(ka).total - self.in_year(ka, a);
                for k in ka + 1..kb {
                    sum += self.table(k).total;
                }
                sum + self.in_year(kb, b)
            }
        }
    }

    /// The earliest instant `d` with `open_seconds(start, d) >= seconds`.
    ///
    /// When the count completes exactly at a closing time, `d` is that
    /// closing time (never the next opening). `seconds <= 0` gives `start`.
    /// `None` when the calendar does not open for that long again (within
    /// its horizon); the search visits each year at most once.
    pub fn deadline(&self, start: i64, seconds: i64) -> Option<i64> {
        if seconds <= 0 {
            return Some(start);
        }
        match self.shape {
            Shape::AlwaysOpen => start.checked_add(seconds),
            Shape::NeverOpen => None,
            Shape::Table => {
                let t = start.max(self.h0());
                let mut k = self.year_index(t)?;
                let yt = self.table(k);
                let i = yt.started_by(t);
                let used = yt.open_before_at(t, i);
                let mut rest = seconds;
                if rest <= yt.total - used {
                    return yt.reach_from(i.saturating_sub(1), used + rest);
                }
                rest -= yt.total - used;
                k += 1;
                while k < YEARS {
                    let yt = self.table(k);
                    if rest <= yt.total {
                        return yt.reach(rest);
                    }
                    rest -= yt.total;
                    k += 1;
                }
                None
            }
        }
    }

    /// `(open_seconds(a, b), deadline(a, seconds))`, which a clock against
    /// a timed target asks for together: `a` is looked up once.
    pub fn open_and_deadline(&self, a: i64, b: i64, seconds: i64) -> (i64, Option<i64>) {
        if self.shape == Shape::Table && seconds > 0 {
            if let Some(k) = self.year_index(a) {
                let yt = self.table(k);
                let i = yt.started_by(a);
                let used = yt.open_before_at(a, i);
                // Both within `a`'s year: the rest is that year's table.
                if seconds <= yt.total - used && b <= self.year_starts[k + 1] {
                    let open = if b <= a { 0 } else { yt.open_before(b) - used };
                    return (open, yt.reach_from(i.saturating_sub(1), used + seconds));
                }
            }
        }
        (self.open_seconds(a, b), self.deadline(a, seconds))
    }

    /// [`Calendar::open_seconds`] of `[a, b)` minus the open time inside `pauses`.
    /// Pauses may come in any order and overlap; they are merged first.
    pub fn open_seconds_paused(&self, a: i64, b: i64, pauses: &[(i64, i64)]) -> i64 {
        if b <= a {
            return 0;
        }
        let paused: i64 = normalise(pauses, a, b)
            .into_iter()
            .map(|(s, e)| self.open_seconds(s, e))
            .sum();
        self.open_seconds(a, b) - paused
    }

    /// The earliest `d` at which [`Calendar::open_seconds_paused`]`(start, d,
    /// pauses)` reaches `seconds`: the deadline moves out by the open time
    /// spent paused. A count that completes exactly when a pause begins
    /// gives that instant.
    pub fn deadline_paused(&self, start: i64, seconds: i64, pauses: &[(i64, i64)]) -> Option<i64> {
        if seconds <= 0 {
            return Some(start);
        }
        let mut cur = start;
        let mut rest = seconds;
        for (ps, pe) in normalise(pauses, start, i64::MAX) {
            if ps > cur {
                let d = self.deadline(cur, rest)?;
                if d <= ps {
                    return Some(d);
                }
                rest -= self.open_seconds(cur, ps);
            }
            cur = cur.max(pe);
        }
        self.deadline(cur, rest)
    }

    /// The first instant at or after `t` at which the calendar is open.
    pub fn next_opening(&self, t: i64) -> Option<i64> {
        match self.shape {
            Shape::AlwaysOpen => Some(t),
            Shape::NeverOpen => None,
            Shape::Table => {
                let t = t.max(self.h0());
                let mut k = self.year_index(t)?;
                let yt = self.table(k);
                let (st, i) = (&yt.stretches, yt.started_by(t));
                if i > 0 && t < st[i - 1].end {
                    return Some(t);
                }
                if let Some(s) = st.get(i) {
                    return Some(s.start);
                }
                k += 1;
                while k < YEARS {
                    if let Some(s) = self.table(k).stretches.first() {
                        return Some(s.start);
                    }
                    k += 1;
                }
                None
            }
        }
    }

    /// The stretches of open time in `[a, b)`, merged and in order: the
    /// ledger behind [`Calendar::open_seconds`].
    pub fn open_intervals(&self, a: i64, b: i64) -> Vec<(i64, i64)> {
        if b <= a {
            return Vec::new();
        }
        match self.shape {
            Shape::AlwaysOpen => vec![(a, b)],
            Shape::NeverOpen => Vec::new(),
            Shape::Table => {
                let (a, b) = (a.max(self.h0()), b.min(self.h1()));
                let (Some(ka), Some(kb)) = (self.year_index(a), self.year_index(b - 1)) else {
                    return Vec::new();
                };
                let mut out: Vec<(i64, i64)> = Vec::new();
                for k in ka..=kb {
                    let st = &self.table(k).stretches;
                    let from = st.partition_point(|s| s.end <= a);
                    for s in &st[from..] {
                        if s.start >= b {
                            break;
                        }
                        let (s, e) = (s.start.max(a), s.end.min(b));
                        match out.last_mut() {
                            Some(last) if last.1 == s => last.1 = e,
                            _ => out.push((s, e)),
                        }
                    }
                }
                out
            }
        }
    }

    /// The local (year, month 1–12) of instant `t`: its month looked up in
    /// the year's table, which every ticket's period asks for (no
    /// conversion through the zone's rules). `None` outside the horizon.
    pub fn month_of(&self, t: i64) -> Option<(i32, u32)> {
        let k = self.year_index(t)?;
        let yt = self.table(k);
        // Counted without a branch: which month it is, is anyone's guess.
        let later = yt.month_starts[1..12].iter().filter(|&&s| s <= t).count();
        Some((yt.year, later as u32 + 1))
    }

    /// The local year of instant `t`, and the first instants of its twelve
    /// months and of the next year: a caller that keeps them counts the
    /// month of any instant of that year as [`Calendar::month_of`] does,
    /// without asking. `None` outside the horizon.
    pub fn months_of_year(&self, t: i64) -> Option<(i32, [i64; 13])> {
        let k = self.year_index(t)?;
        let yt = self.table(k);
        Some((yt.year, yt.month_starts))
    }

    /// The (year index, day index) of local `date`, if inside the horizon.
    fn day_index(&self, date: NaiveDate) -> Option<(usize, usize)> {
        let k = usize::try_from(date.year().checked_sub(HORIZON_FIRST_YEAR)?).ok()?;
        (k < YEARS).then_some((k, date.ordinal0() as usize))
    }

    /// The (year index, day index) of the local day holding instant `t`.
    fn day_of(&self, t: i64) -> Option<(usize, usize)> {
        let k = self.year_index(t)?;
        Some((k, self.table(k).day_of(t)))
    }

    fn date_at(&self, k: usize, i: usize) -> Option<NaiveDate> {
        NaiveDate::from_yo_opt(self.table(k).year, u32::try_from(i).ok()? + 1)
    }

    /// The `n`-th (`n >= 1`) working day strictly after day `(k, i)`.
    fn nth_working_day_after(&self, k: usize, i: usize, n: u32) -> Option<(usize, usize)> {
        let yt = self.table(k);
        let done = yt.working_before(i + 1)?;
        let after = yt.working_days() - done;
        if n <= after {
            return Some((k, yt.nth_working_from(i + 2, done + n)?));
        }
        let mut rest = n - after;
        for k in k + 1..YEARS {
            let yt = self.table(k);
            if rest <= yt.working_days() {
                return Some((k, yt.nth_working_from(0, rest)?));
            }
            rest -= yt.working_days();
        }
        None
    }

    /// Whether local `date` is a working day: a day with open time (for a
    /// weekly calendar: an opening interval on a day that is not closed).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.working_hours(date).is_some()
    }

    /// The first opening and the last closing of local `date`, as instants,
    /// if it is a working day. For a calendar open across midnight, the day's
    /// part ends at midnight.
    pub fn working_hours(&self, date: NaiveDate) -> Option<(i64, i64)> {
        if self.shape == Shape::NeverOpen {
            return None;
        }
        let (k, i) = self.day_index(date)?;
        self.table(k).day_hours(i)
    }

    /// SEMANTICS "N working days": the start moves to the next opening if it
    /// falls outside opening hours; the deadline is the same local time of day
    /// on the `n`-th following working day, clamped into that day's
    /// [first opening, last closing]. So a day that closes earlier gives its
    /// closing time, and a day that opens later than the start's time of day
    /// gives its opening (the natural reading: no deadline before the day's
    /// work can begin). The local time is mapped like every local time: in a
    /// gap to the first instant after it, in an overlap to the earlier one.
    ///
    /// `n == 0` gives the (moved) start. `None` if there is no such working
    /// day within the horizon.
    pub fn working_days_deadline(&self, start: i64, n: u32) -> Option<i64> {
        if self.shape == Shape::NeverOpen {
            return None;
        }
        let from = self.next_opening(start)?;
        let (k, i) = self.day_of(from)?;
        if n == 0 {
            return Some(from);
        }
        let (kn, dn) = self.nth_working_day_after(k, i, n)?;
        let (first, last) = self.table(kn).day_hours(dn)?;
        // Between two days of 24 hours, the same local time is the same
        // distance from midnight; across a DST change it is looked up.
        let want = match (self.table(k).plain_day(i), self.table(kn).plain_day(dn)) {
            (Some(from_midnight), Some(midnight)) => midnight + (from - from_midnight),
            _ => {
                let date = self.date_at(kn, dn)?;
                let time = to_local(self.tz, from).time();
                local_to_instant(self.tz, NaiveDateTime::new(date, time)).unwrap_or(first)
            }
        };
        Some(want.clamp(first, last))
    }

    /// SEMANTICS "next working day": the closing time of the first working
    /// day whose opening comes (strictly) after `start`. A start before the
    /// day's opening gives that same day's close; a start at or after it
    /// gives the close of the following working day.
    pub fn next_working_day_close(&self, start: i64) -> Option<i64> {
        if self.shape == Shape::NeverOpen || start >= self.h1() {
            return None;
        }
        let (k, i) = if start < self.h0() {
            (0, 0)
        } else {
            self.day_of(start)?
        };
        if let Some((first, last)) = self.table(k).day_hours(i) {
            if first > start {
                return Some(last);
            }
        }
        let (k, i) = self.nth_working_day_after(k, i, 1)?;
        self.table(k).day_hours(i).map(|(_, last)| last)
    }

    /// The name of the closed day that closes this calendar on local `date`
    /// ("Good Friday", "King's Day"), for explanations. `None` for an
    /// ordinary day, a re-opened date, and for calendars without closed days
    /// (`24x7`, complements: a complement is *open* on its calendar's
    /// holidays; see [`Calendar::holiday`]).
    pub fn closed_reason(&self, date: NaiveDate) -> Option<&str> {
        match &self.source {
            Source::Weekly(w) => w.closed_reason(date),
            _ => None,
        }
    }

    /// The holiday that shapes local `date`: for a weekly calendar its
    /// closed day, for a complement the closed day of the calendar it
    /// complements (the reason it is open all day).
    pub fn holiday(&self, date: NaiveDate) -> Option<&str> {
        let mut s = &self.source;
        loop {
            match s {
                Source::Weekly(w) => return w.closed_reason(date),
                Source::Complement(of) => s = of,
                Source::Always => return None,
            }
        }
    }
}

/// Pauses clipped to `[lo, hi)`, sorted and merged.
fn normalise(pauses: &[(i64, i64)], lo: i64, hi: i64) -> Vec<(i64, i64)> {
    merge(
        pauses
            .iter()
            .map(|&(s, e)| (s.max(lo), e.min(hi)))
            .collect(),
    )
}

/// The days of each month of a common year.
const MONTH_LENGTHS: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// SEMANTICS "N days, N months in 24x7": the same local time `span` later in
/// `tz`. A day of the month that does not exist becomes the month's last
/// day (31 January + 1 month = 28 or 29 February); a resulting local time in
/// a gap is the first instant after it, in an overlap the earlier instant.
/// So one day after 09:00 on the day before a DST change is 09:00 the next
/// day, 23 or 25 hours later. `None` far outside any real date.
pub fn add_calendar_span(tz: Tz, start: i64, span: CalendarSpan) -> Option<i64> {
    if !(MIN_INSTANT..=MAX_INSTANT).contains(&start) {
        return None;
    }
    let local = to_local(tz, start);
    let date = match span {
        CalendarSpan::Days(n) => local.date().checked_add_days(Days::new(u64::from(n)))?,
        CalendarSpan::Months(n) => local.date().checked_add_months(Months::new(n))?,
    };
    local_to_instant(tz, NaiveDateTime::new(date, local.time()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::spec::{DayRule, OpeningSpec};

    const AMS: Tz = chrono_tz::Europe::Amsterdam;

    fn office() -> Calendar {
        let open = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .iter()
        .map(|&day| OpeningSpec {
            day,
            start: 9 * 3600,
            end: 17 * 3600,
        })
        .collect();
        Calendar::new(&CalendarSpec::Weekly(WeeklySpec {
            timezone: "Europe/Amsterdam".into(),
            open,
            closed: vec![DayRule::Builtin { set: "NL".into() }],
            reopened: vec![],
        }))
        .unwrap()
    }

    #[test]
    fn send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Calendar>();
    }

    #[test]
    fn the_month_of_an_instant_is_that_of_its_local_date() {
        let zones = [
            AMS,
            chrono_tz::UTC,
            chrono_tz::Pacific::Apia,
            chrono_tz::America::Sao_Paulo,
        ];
        for tz in zones {
            let c = Calendar::always(tz);
            // Every 17 minutes from 2011 to 2013 (a leap year, Samoa's
            // skipped day, many DST changes), and around the horizon's ends.
            let from = c.year_starts[2011 - HORIZON_FIRST_YEAR as usize];
            let spans = [
                (from, from + 3 * 366 * 86_400),
                (c.h0(), c.h0() + 86_400),
                (c.h1() - 86_400, c.h1()),
            ];
            for (a, b) in spans {
                for t in (a..b).step_by(17 * 60) {
                    assert_eq!(
                        c.month_of(t),
                        Some(crate::time::month_of(tz, t)),
                        "{tz} {t}"
                    );
                    // The year's month starts hold `t`, and each is the
                    // first instant of its month (checked once a day).
                    let (y, starts) = c.months_of_year(t).expect("inside the horizon");
                    assert!(starts[0] <= t && t < starts[12], "{tz} {t}");
                    if (t - a) % 86_400 >= 17 * 60 {
                        continue;
                    }
                    for (m, s) in starts.iter().enumerate() {
                        let (y, m) = if m == 12 {
                            (y + 1, 1)
                        } else {
                            (y, m as u32 + 1)
                        };
                        assert_eq!(crate::time::month_of(tz, *s), (y, m), "{tz} {t}");
                        assert_ne!(crate::time::month_of(tz, s - 1), (y, m), "{tz} {t}");
                    }
                }
            }
            assert_eq!(c.month_of(c.h0() - 1), None);
            assert_eq!(c.month_of(c.h1()), None);
        }
    }

    #[test]
    fn year_index_matches_year_starts() {
        let c = office();
        for k in [0usize, 1, 124, 125, 299] {
            let ys = c.year_starts[k];
            assert_eq!(c.year_index(ys), Some(k));
            assert_eq!(c.year_index(c.year_starts[k + 1] - 1), Some(k));
        }
        assert_eq!(c.year_index(c.h0() - 1), None);
        assert_eq!(c.year_index(c.h1()), None);
    }

    #[test]
    fn year_table_counts() {
        let c = office();
        let yt = c.table(2025 - HORIZON_FIRST_YEAR as usize);
        // 2025 has 261 weekdays; NL holidays on weekdays: 1 Jan (Wed), Good
        // Friday, Easter Monday, Liberation Day (Mon 5 May), Ascension, Whit
        // Monday, Christmas (Thu), Boxing Day (Fri) = 8. 253 working days.
        assert_eq!(yt.working_days(), 253);
        assert_eq!(yt.stretches.len(), 253);
        assert_eq!(yt.total, 253 * 8 * 3600);
        assert_eq!(yt.hours.len(), 365);
        let _ = AMS;
    }
}
