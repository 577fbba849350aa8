//! Reading and writing instants (SEMANTICS.md, "Instants and local time").
//!
//! The engine works on `i64` Unix seconds. This module is the border: it
//! reads log timestamps (with an offset, or local time in a zone), maps local
//! times to instants by the one rule the whole engine uses, and writes
//! instants back as RFC 3339 local time.
//!
//! The local-time rule, used for timestamps and calendars alike: a local
//! time that occurs once is that instant; one that occurs twice (the autumn
//! overlap) is the earlier instant; one that does not occur (the spring gap)
//! is, for calendars, the first instant after the gap, and for timestamps an
//! input error.

use std::fmt;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, SecondsFormat, TimeZone, Timelike,
};
use chrono_tz::Tz;

/// The instants every conversion is clamped to: far beyond any log, well
/// inside what `chrono` can represent in every zone (±200 000 years).
/// `chrono` panics on local times outside its range; clamping first means no
/// input instant can reach that.
pub const MIN_INSTANT: i64 = -6_311_390_400_000;
/// See [`MIN_INSTANT`].
pub const MAX_INSTANT: i64 = 6_311_390_400_000;

/// A timestamp read from a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Unix seconds, the fraction of a second cut off (in `nanos`).
    pub at: i64,
    /// The fraction of a second after `at`, in nanoseconds (0–999 999 999).
    pub nanos: u32,
    /// Set when the reading needed a choice the user should know about: a
    /// local time in the autumn overlap, read as the earlier instant.
    pub warning: Option<String>,
}

impl Parsed {
    /// The instant read, with its fraction of a second.
    pub fn instant(&self) -> crate::time::exact::At {
        crate::time::exact::At {
            secs: self.at,
            nanos: self.nanos,
        }
    }
}

/// Why a timestamp could not be read. `Display` gives the user-facing message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    /// The text as given (trimmed).
    pub input: String,
    /// What is wrong with it.
    pub kind: TimestampErrorKind,
}

/// What is wrong with a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampErrorKind {
    /// Empty text.
    Empty,
    /// Not of any accepted form.
    Malformed,
    /// A date with no time of day.
    MissingTime,
    /// Well-formed, but no such date (2025-02-30).
    InvalidDate,
    /// Well-formed, but no such time of day (25:00, 09:60).
    InvalidTime,
    /// An offset beyond ±23:59.
    InvalidOffset,
    /// A local time in the spring-forward gap of `zone`: the clocks skip from
    /// `from` to `to`.
    Nonexistent {
        /// The zone's IANA name.
        zone: String,
        /// The local time as read.
        local: String,
        /// The last local time before the gap.
        from: String,
        /// The first local time after it.
        to: String,
    },
    /// Outside the range of instants the engine handles.
    OutOfRange,
}

const EXPECTED: &str = "expected a timestamp like 2025-03-03T09:15:00+01:00 or 2025-03-03 09:15";

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        match &self.kind {
            TimestampErrorKind::Empty => write!(f, "empty timestamp: {EXPECTED}"),
            TimestampErrorKind::Malformed => write!(f, "`{input}` is not a timestamp: {EXPECTED}"),
            TimestampErrorKind::MissingTime => {
                write!(f, "`{input}` has no time of day: {EXPECTED}")
            }
            TimestampErrorKind::InvalidDate => write!(f, "`{input}` is not a valid date"),
            TimestampErrorKind::InvalidTime => {
                write!(
                    f,
                    "`{input}` does not have a valid time of day (00:00 to 23:59:59)"
                )
            }
            TimestampErrorKind::InvalidOffset => write!(
                f,
                "`{input}` has an offset out of range (from -23:59 to +23:59)"
            ),
            TimestampErrorKind::Nonexistent {
                zone,
                local,
                from,
                to,
            } => write!(
                f,
                "{local} does not exist in {zone}: the clocks skip from {from} to {to}"
            ),
            TimestampErrorKind::OutOfRange => {
                write!(f, "`{input}` is out of the range of supported instants")
            }
        }
    }
}

impl std::error::Error for TimestampError {}

/// An unknown time zone name, with the closest known name when one is close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimezoneError {
    /// The name as written.
    pub name: String,
    /// The closest known name, if close.
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for TimezoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown time zone `{}`", self.name)?;
        match self.suggestion {
            Some(s) => write!(f, ": did you mean `{s}`?"),
            None => write!(f, ": expected an IANA name such as Europe/Amsterdam or UTC"),
        }
    }
}

impl std::error::Error for TimezoneError {}

/// Reads an IANA time zone name (`Europe/Amsterdam`, `UTC`). Exact names
/// first; a name that differs only in case is accepted too, since nobody
/// means anything else by `europe/amsterdam`.
pub fn parse_tz(name: &str) -> Result<Tz, TimezoneError> {
    let name = name.trim();
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    if let Some(tz) = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name))
    {
        return Ok(*tz);
    }
    let lower = name.to_ascii_lowercase();
    let suggestion = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                strsim::jaro_winkler(&lower, &tz.name().to_ascii_lowercase()),
                tz.name(),
            )
        })
        .filter(|(score, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n);
    Err(TimezoneError {
        name: name.to_string(),
        suggestion,
    })
}

/// Seconds east of UTC of `tz` at instant `t` (clamped into range).
pub fn utc_offset(tz: Tz, t: i64) -> i32 {
    cached_offset(tz, t.clamp(MIN_INSTANT, MAX_INSTANT))
}

/// [`utc_offset`] as the zone database gives it, without the cache.
fn exact_offset(tz: Tz, t: i64) -> i32 {
    match DateTime::from_timestamp(t, 0) {
        Some(dt) => {
            let shift = days_beyond_tables(dt.year());
            let dt = dt.checked_sub_days(Days::new(shift)).unwrap_or(dt);
            tz.offset_from_utc_datetime(&dt.naive_utc())
                .fix()
                .local_minus_utc()
        }
        None => 0,
    }
}

/// The last year chrono-tz tabulates transitions for; after it its zones
/// would stay in whatever offset they last changed to (no summer time).
const LAST_TABULATED_YEAR: i32 = 2099;

/// For a year after [`LAST_TABULATED_YEAR`], the days back to a tabulated
/// year with the same calendar (weekday of 1 January, leap or not): the zone
/// database's rules in force (the "max" rules, such as "last Sunday of
/// March") fall on the same dates there, so that year's offsets are this
/// year's. 0 for the years the tables cover.
fn days_beyond_tables(year: i32) -> u64 {
    if year <= LAST_TABULATED_YEAR {
        return 0;
    }
    let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
    let leap = |y: i32| NaiveDate::from_ymd_opt(y, 2, 29).is_some();
    let Some(this) = jan1(year) else {
        return 0;
    };
    // 28 years without a skipped leap day hold every (weekday, leap) pair;
    // the year after each is tabulated too, for instants near New Year.
    (LAST_TABULATED_YEAR - 28..LAST_TABULATED_YEAR)
        .rev()
        .filter_map(|r| Some((r, jan1(r)?)))
        .find(|(r, d)| d.weekday() == this.weekday() && leap(*r) == leap(year))
        .and_then(|(_, d)| u64::try_from((this - d).num_days()).ok())
        .unwrap_or(0)
}

/// `tz.from_local_datetime`, with local times after the tables read in an
/// equivalent tabulated year (see [`days_beyond_tables`]).
fn from_local(tz: Tz, local: &NaiveDateTime) -> LocalResult<DateTime<FixedOffset>> {
    let shift = days_beyond_tables(local.year());
    let fixed = |d: DateTime<Tz>| d.fixed_offset();
    if shift == 0 {
        return tz.from_local_datetime(local).map(fixed);
    }
    let Some(earlier) = local.checked_sub_days(Days::new(shift)) else {
        return tz.from_local_datetime(local).map(fixed);
    };
    let back = |d: DateTime<Tz>| {
        let d = d.fixed_offset();
        d.checked_add_days(Days::new(shift)).unwrap_or(d)
    };
    tz.from_local_datetime(&earlier).map(back)
}

/// One slot of the offset cache: a zone, a UTC day, and the zone's offset
/// through the whole of that day (`None`: it changes during the day).
type OffsetSlot = Option<(Tz, i64, Option<i32>)>;

const OFFSET_SLOTS: usize = 1024;

thread_local! {
    /// Per thread (no locking), direct-mapped by day: a year of days fits.
    static OFFSETS: std::cell::RefCell<[OffsetSlot; OFFSET_SLOTS]> =
        const { std::cell::RefCell::new([None; OFFSET_SLOTS]) };
}

/// The offset of `tz` at `t` (in range), cached per UTC day. A day counts as
/// having one offset when the zone shows it at every whole hour of the day
/// and at its last second; a day with a transition (a DST night) is not
/// cached and every instant in it is looked up exactly. This relies on no
/// zone changing its offset and back within one hour, which the zone
/// database has never done.
fn cached_offset(tz: Tz, t: i64) -> i32 {
    day_offset(tz, t.div_euclid(86_400)).unwrap_or_else(|| exact_offset(tz, t))
}

/// The offset of `tz` through the whole of UTC day `day`, or `None` when it
/// changes during the day (cached, see [`cached_offset`]).
fn day_offset(tz: Tz, day: i64) -> Option<i32> {
    let slot = (day.rem_euclid(OFFSET_SLOTS as i64)) as usize;
    let cached = OFFSETS.with(|c| match c.borrow()[slot] {
        Some((z, d, off)) if z == tz && d == day => Some(off),
        _ => None,
    });
    match cached {
        Some(off) => off,
        None => {
            let off = shared_day_offset(tz, day, slot);
            OFFSETS.with(|c| c.borrow_mut()[slot] = Some((tz, day, off)));
            off
        }
    }
}

/// The slots of [`OFFSETS`] shared by all threads: a thread that misses
/// its own looks here before working a day out (some 25 look-ups in the
/// zone database), so that a day is worked out once in a run, not once
/// in each worker thread. Locked only on such a miss.
static SHARED_OFFSETS: std::sync::Mutex<Vec<OffsetSlot>> = std::sync::Mutex::new(Vec::new());

/// [`day_offset`] from [`SHARED_OFFSETS`], worked out and kept there if
/// it is not there yet (`slot`: the day's slot).
#[cold]
#[inline(never)]
fn shared_day_offset(tz: Tz, day: i64, slot: usize) -> Option<i32> {
    // A lock poisoned by a panic elsewhere is only a cache: ignored.
    let mut shared = SHARED_OFFSETS.lock().ok();
    if let Some(slots) = shared.as_deref_mut() {
        if slots.is_empty() {
            slots.resize(OFFSET_SLOTS, None);
        }
        if let Some(Some((z, d, off))) = slots.get(slot) {
            if *z == tz && *d == day {
                return *off;
            }
        }
    }
    // Worked out under the lock: another thread that needs the same day
    // (the workers read the same stretch of the log) waits for it rather
    // than working it out too.
    let off = uniform_offset(tz, day);
    if let Some(kept) = shared.as_deref_mut().and_then(|s| s.get_mut(slot)) {
        *kept = Some((tz, day, off));
    }
    off
}

/// The offset of `tz` through UTC day `day` as the zone database gives it
/// at every whole hour and the last second (`None`: not the same at all).
fn uniform_offset(tz: Tz, day: i64) -> Option<i32> {
    let start = day * 86_400;
    let first = exact_offset(tz, start);
    let same = (1..24)
        .map(|h| start + h * 3600)
        .chain([start + 86_399])
        .all(|s| exact_offset(tz, s.min(MAX_INSTANT)) == first);
    same.then_some(first)
}

/// The local date and time of instant `t` in `tz` (clamped into range).
pub fn to_local(tz: Tz, t: i64) -> NaiveDateTime {
    let t = t.clamp(MIN_INSTANT, MAX_INSTANT);
    let utc = DateTime::from_timestamp(t, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default();
    let off = cached_offset(tz, t);
    utc.checked_add_signed(chrono::TimeDelta::seconds(i64::from(off)))
        .unwrap_or(utc)
}

/// Seconds since the epoch of a naive date-time read as if it were UTC.
fn naive_seconds(l: NaiveDateTime) -> i64 {
    l.and_utc().timestamp()
}

/// The instant at which local time `local` is shown in `tz`, by the engine's
/// rule: once → that instant; twice → the earlier; never (a gap) → the first
/// instant after the gap. `None` only far outside any real date.
pub fn local_to_instant(tz: Tz, local: NaiveDateTime) -> Option<i64> {
    let secs = naive_seconds(local);
    if !(MIN_INSTANT..=MAX_INSTANT).contains(&secs) {
        return None;
    }
    match from_local(tz, &local) {
        LocalResult::Single(d) => Some(d.timestamp()),
        LocalResult::Ambiguous(a, b) => Some(a.timestamp().min(b.timestamp())),
        LocalResult::None => gap_end(tz, local),
    }
}

/// The first instant whose local reading in `tz` is at or after `local`:
/// for a local time inside a gap, the instant the clocks jump. Offsets are
/// under a day, so the answer lies within two days of `local` read as UTC; a
/// binary search over that window costs a few dozen offset look-ups and only
/// runs for times inside gaps.
fn gap_end(tz: Tz, local: NaiveDateTime) -> Option<i64> {
    let target = naive_seconds(local);
    let (mut lo, mut hi) = (target.checked_sub(172_800)?, target.checked_add(172_800)?);
    // Invariant: reading(lo) < target <= reading(hi).
    let reading = |t: i64| t + i64::from(utc_offset(tz, t));
    if reading(lo) >= target || reading(hi) < target {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reading(mid) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// Reads a log timestamp.
///
/// Accepted: RFC 3339 with an offset or `Z` (`2025-03-03T09:15:00+01:00`,
/// `2025-03-03 09:15:00Z`, fractional seconds, offsets as `+01:00` or
/// `+0100`), and local time without an offset (`2025-03-03 09:15:00`,
/// `2025-03-03T09:15`), read in `tz`. Seconds are optional; a fraction of a
/// second is kept apart (`nanos`): the engine counts whole seconds, and the
/// evaluator adds the fractions of a clock's start and stop (SEMANTICS.md:
/// 60.9 s against a 60 s target is breached).
///
/// A local time in the spring-forward gap is an error that says so; one in
/// the autumn overlap is the earlier instant, with a warning.
pub fn parse_timestamp(s: &str, tz: Tz) -> Result<Parsed, TimestampError> {
    let input = s.trim();
    let err = |kind| TimestampError {
        input: input.to_string(),
        kind,
    };
    if input.is_empty() {
        return Err(err(TimestampErrorKind::Empty));
    }
    let fields = split(input).map_err(err)?;
    let date = NaiveDate::from_ymd_opt(fields.year, fields.month, fields.day)
        .ok_or_else(|| err(TimestampErrorKind::InvalidDate))?;
    let time = NaiveTime::from_hms_opt(fields.hour, fields.minute, fields.second)
        .ok_or_else(|| err(TimestampErrorKind::InvalidTime))?;
    let local = date.and_time(time);
    match fields.offset {
        Some(off) => {
            let off =
                FixedOffset::east_opt(off).ok_or_else(|| err(TimestampErrorKind::InvalidOffset))?;
            let at = naive_seconds(local) - i64::from(off.local_minus_utc());
            Ok(Parsed {
                at,
                nanos: fields.nanos,
                warning: None,
            })
        }
        None => match from_local(tz, &local) {
            LocalResult::Single(d) => Ok(Parsed {
                at: d.timestamp(),
                nanos: fields.nanos,
                warning: None,
            }),
            LocalResult::Ambiguous(a, b) => {
                let (first, second) = if a.timestamp() <= b.timestamp() {
                    (a, b)
                } else {
                    (b, a)
                };
                let warning = format!(
                    "{} occurs twice in {} (at {} and at {}): read as the earlier, {}",
                    local.format("%Y-%m-%d %H:%M:%S"),
                    tz.name(),
                    first.offset().fix(),
                    second.offset().fix(),
                    first.to_rfc3339_opts(SecondsFormat::Secs, false)
                );
                Ok(Parsed {
                    at: first.timestamp(),
                    nanos: fields.nanos,
                    warning: Some(warning),
                })
            }
            LocalResult::None => {
                let jump = gap_end(tz, local).ok_or_else(|| err(TimestampErrorKind::OutOfRange))?;
                let from = to_local(tz, jump - 1) + chrono::TimeDelta::seconds(1);
                let to = to_local(tz, jump);
                Err(err(TimestampErrorKind::Nonexistent {
                    zone: tz.name().to_string(),
                    local: local.format("%Y-%m-%d %H:%M:%S").to_string(),
                    from: clock(from.time()),
                    to: clock(to.time()),
                }))
            }
        },
    }
}

/// `HH:MM`, or `HH:MM:SS` when the seconds matter.
fn clock(t: NaiveTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

struct Fields {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// The fraction of the second, in nanoseconds (digits past the ninth cut off).
    nanos: u32,
    /// Seconds east of UTC.
    offset: Option<i32>,
}

/// A small hand-written scanner: it accepts exactly the forms documented on
/// [`parse_timestamp`] and knows which part was wrong.
fn split(s: &str) -> Result<Fields, TimestampErrorKind> {
    let b = s.as_bytes();
    let mut p = 0usize;
    let num = |p: &mut usize, n: usize| -> Result<u32, TimestampErrorKind> {
        let digits = b.get(*p..*p + n).ok_or(TimestampErrorKind::Malformed)?;
        let mut v = 0u32;
        for &c in digits {
            if !c.is_ascii_digit() {
                return Err(TimestampErrorKind::Malformed);
            }
            v = v * 10 + u32::from(c - b'0');
        }
        *p += n;
        Ok(v)
    };
    let lit = |p: &mut usize, c: u8| -> Result<(), TimestampErrorKind> {
        if b.get(*p) == Some(&c) {
            *p += 1;
            Ok(())
        } else {
            Err(TimestampErrorKind::Malformed)
        }
    };
    let year = num(&mut p, 4)?;
    lit(&mut p, b'-')?;
    let month = num(&mut p, 2)?;
    lit(&mut p, b'-')?;
    let day = num(&mut p, 2)?;
    match b.get(p) {
        None => return Err(TimestampErrorKind::MissingTime),
        Some(b'T' | b't' | b' ') => p += 1,
        Some(_) => return Err(TimestampErrorKind::Malformed),
    }
    let hour = num(&mut p, 2)?;
    lit(&mut p, b':')?;
    let minute = num(&mut p, 2)?;
    let mut second = 0;
    let mut nanos = 0;
    if b.get(p) == Some(&b':') {
        p += 1;
        second = num(&mut p, 2)?;
        if matches!(b.get(p), Some(b'.' | b',')) {
            p += 1;
            let start = p;
            let mut scale = 100_000_000;
            while let Some(d) = b.get(p).filter(|d| d.is_ascii_digit()) {
                nanos += u32::from(d - b'0') * scale;
                scale /= 10;
                p += 1;
            }
            if p == start {
                return Err(TimestampErrorKind::Malformed);
            }
        }
    }
    if b.get(p) == Some(&b' ') {
        p += 1;
    }
    let offset = match b.get(p) {
        None => None,
        Some(b'Z' | b'z') => {
            p += 1;
            Some(0)
        }
        Some(&sign @ (b'+' | b'-')) => {
            p += 1;
            let oh = num(&mut p, 2)?;
            if b.get(p) == Some(&b':') {
                p += 1;
            }
            let om = if p < b.len() { num(&mut p, 2)? } else { 0 };
            if oh > 23 || om > 59 {
                return Err(TimestampErrorKind::InvalidOffset);
            }
            let secs = i32::try_from(oh * 3600 + om * 60)
                .map_err(|_| TimestampErrorKind::InvalidOffset)?;
            Some(if sign == b'-' { -secs } else { secs })
        }
        Some(_) => return Err(TimestampErrorKind::Malformed),
    };
    if p != b.len() {
        return Err(TimestampErrorKind::Malformed);
    }
    let year = i32::try_from(year).map_err(|_| TimestampErrorKind::Malformed)?;
    Ok(Fields {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset,
    })
}

/// Writes instant `t` as RFC 3339 local time in `tz`, to the second
/// (`2025-03-03T09:15:00+01:00`; `Z` in the zone UTC). Instants outside the
/// years 0000–9999, which RFC 3339 cannot write, come out as plain Unix
/// seconds with a note rather than as a wrong date.
pub fn format_rfc3339(t: i64, tz: Tz) -> String {
    let mut out = Vec::with_capacity(25);
    write_rfc3339(&mut out, t, tz);
    // Only ASCII is written.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes many instants of one zone as RFC 3339, as [`write_rfc3339`]
/// does, faster: the dates and offset of each UTC day are worked out once
/// and kept, so that an instant costs its time of day.
pub struct Rfc3339Writer {
    tz: Tz,
    /// Direct-mapped by UTC day (a year and a half before slots are
    /// shared); 40 bytes a slot, so that the table stays in the L1 cache.
    days: Vec<DayText>,
    /// The zone is UTC: a text ends in `Z` rather than `+00:00`.
    zulu: bool,
}

const DAY_SLOTS: usize = 512;

impl Rfc3339Writer {
    /// A writer of instants in zone `tz`, its table of days empty.
    pub fn new(tz: Tz) -> Rfc3339Writer {
        Rfc3339Writer {
            tz,
            days: vec![DayText::EMPTY; DAY_SLOTS],
            zulu: tz == Tz::UTC,
        }
    }

    /// Appends instant `t` to `out`.
    #[inline(always)]
    pub fn write(&mut self, out: &mut Vec<u8>, t: i64) {
        self.write_text(out, t, false);
    }

    /// Appends instant `t` to `out` between double quotes, as a JSON
    /// string (the text needs no escaping), in one copy with its quotes.
    #[inline(always)]
    pub fn write_quoted(&mut self, out: &mut Vec<u8>, t: i64) {
        self.write_text(out, t, true);
    }

    /// Inlined: a call per date cost a third as much again as the date.
    #[inline(always)]
    fn write_text(&mut self, out: &mut Vec<u8>, t: i64, quoted: bool) {
        let (day, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400) as u32);
        // A power of two: the low bits of the day, whatever its sign.
        let slot = &self.days[(day as usize) % DAY_SLOTS];
        if i64::from(slot.day) != day {
            return self.write_new_day(out, t, quoted);
        }
        slot.write(out, secs, self.zulu, quoted);
    }

    /// [`Rfc3339Writer::write_text`] for an instant whose day is not in the
    /// table: the day is worked out and kept (or, for a day the table
    /// cannot hold, the instant written the long way).
    #[cold]
    #[inline(never)]
    fn write_new_day(&mut self, out: &mut Vec<u8>, t: i64, quoted: bool) {
        let (day, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400) as u32);
        match DayText::new(self.tz, day) {
            Some(d) => {
                self.days[(day as usize) % DAY_SLOTS] = d;
                d.write(out, secs, self.zulu, quoted);
            }
            None => {
                if quoted {
                    out.push(b'"');
                }
                write_rfc3339(out, t, self.tz);
                if quoted {
                    out.push(b'"');
                }
            }
        }
    }
}

/// The text of one UTC day's instants in one zone, but for the time of
/// day: the local dates before and after local midnight, and the offset,
/// which is constant through the day.
#[derive(Debug, Clone, Copy)]
struct DayText {
    /// Days since 1970-01-01 ([`DayText::EMPTY`]: none).
    day: i32,
    off: i32,
    /// Seconds into the UTC day at which the local date turns (86 400: not
    /// within the day).
    split: u32,
    /// `YYYY-MM-DD` before and after `split`.
    dates: [[u8; 10]; 2],
    /// `+01:00`, or `Z` and five bytes left out in the zone UTC.
    zone: [u8; 6],
}

impl DayText {
    /// An empty slot: its day is none that [`DayText::new`] makes.
    const EMPTY: DayText = DayText {
        day: i32::MIN,
        off: 0,
        split: 0,
        dates: [[0; 10]; 2],
        zone: [0; 6],
    };

    /// UTC day `day` in `tz`, for days of 1900–2199 with one whole-minute
    /// offset all day (others are written the long way).
    fn new(tz: Tz, day: i64) -> Option<DayText> {
        const FROM: i64 = -25_567; // 1900-01-01
        const TO: i64 = 84_006; // 2200-01-01
        if !(FROM..TO).contains(&day) {
            return None;
        }
        let off = day_offset(tz, day).filter(|off| off % 60 == 0)?;
        let local_day = (day * 86_400 + i64::from(off)).div_euclid(86_400);
        let split = ((local_day + 1) * 86_400 - i64::from(off) - day * 86_400).min(86_400);
        let date = |d: i64| {
            let (year, month, day) = civil_from_days_u32((d + 719_468 + 146_097) as u32);
            let mut b = *b"0000-00-00";
            two(&mut b, 0, (year - 400) / 100);
            two(&mut b, 2, (year - 400) % 100);
            two(&mut b, 5, month);
            two(&mut b, 8, day);
            b
        };
        let mut zone = *b"+00:00";
        if off == 0 && tz == Tz::UTC {
            zone[0] = b'Z';
        } else {
            if off < 0 {
                zone[0] = b'-';
            }
            let m = off.unsigned_abs() / 60;
            two(&mut zone, 1, m / 60);
            two(&mut zone, 4, m % 60);
        }
        Some(DayText {
            day: i32::try_from(day).ok()?,
            off,
            split: u32::try_from(split).ok()?,
            dates: [date(local_day), date(local_day + 1)],
            zone,
        })
    }

    /// Writes the instant `secs` seconds into the day (in the zone UTC,
    /// as `Z`, when `zulu`), between double quotes when `quoted`.
    #[inline(always)]
    fn write(&self, out: &mut Vec<u8>, secs: u32, zulu: bool, quoted: bool) {
        // Within a day of the UTC day: one step back into 0..86 400.
        let mut local = secs as i32 + self.off;
        if local < 0 {
            local += 86_400;
        } else if local >= 86_400 {
            local -= 86_400;
        }
        // `"`, the 25 bytes of the text, `"`.
        let mut b = [b'"'; 27];
        b[1..11].copy_from_slice(&self.dates[usize::from(secs >= self.split)]);
        b[11] = b'T';
        b[12..20].copy_from_slice(&time_of_day(local as u32));
        b[20..26].copy_from_slice(&self.zone);
        // One copy of a fixed length (a few moves, where one of a varying
        // length is a call), then what follows `Z` cut.
        let at = out.len();
        let len = match (zulu, quoted) {
            (false, false) => 25,
            (true, false) => 20,
            (false, true) => 27,
            (true, true) => {
                b[21] = b'"';
                22
            }
        };
        out.extend_from_slice(if quoted { &b } else { &b[1..26] });
        out.truncate(at + len);
    }
}

/// `HH:MM:SS` of `secs` seconds into a day (below 86 400): the hours,
/// minutes and seconds put in lanes three bytes apart of one `u64` and
/// split into their digits all at once, by multiplying with a reciprocal
/// (fewer steps than looking up three pairs of digits and joining them).
#[inline]
fn time_of_day(secs: u32) -> [u8; 8] {
    let h = secs / 3600;
    let rest = secs - h * 3600;
    let m = rest / 60;
    let s = rest - m * 60;
    // Each lane below 60: x / 10 = (x * 103) >> 10 for x < 179, and a
    // lane's product (below 2^13) stays clear of the next lane.
    let v = u64::from(h) | u64::from(m) << 24 | u64::from(s) << 48;
    let tens = ((v * 103) >> 10) & 0x000f_0000_0f00_000f;
    let ones = v - tens * 10;
    // The tens in bytes 0, 3 and 6, the ones after them, `:` in 2 and 5.
    (tens | ones << 8 | 0x3030_3a30_303a_3030).to_le_bytes()
}

/// Two decimal digits of `v` (below 100) at `b[at..at + 2]`.
fn two<const N: usize>(b: &mut [u8; N], at: usize, v: u32) {
    let i = v as usize * 2;
    b[at..at + 2].copy_from_slice(&DIGIT_PAIRS[i..i + 2]);
}

/// [`format_rfc3339`], appended to `out` without allocating: the offset
/// comes from a per-day cache and the digits are written by hand. To write
/// many instants, [`Rfc3339Writer`] is faster.
pub fn write_rfc3339(out: &mut Vec<u8>, t: i64, tz: Tz) {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, with a day of margin
    // for the local offset.
    const LO: i64 = -62_167_219_200 + 86_400;
    const HI: i64 = 253_402_300_799 - 86_400;
    if !(LO..=HI).contains(&t) {
        out.extend_from_slice(
            format!("{t} (Unix seconds; outside the years RFC 3339 can write)").as_bytes(),
        );
        return;
    }
    let off = cached_offset(tz, t);
    if off % 60 != 0 {
        // An offset with seconds (local mean time, before 1900): chrono rounds it.
        let text = match DateTime::from_timestamp(t, 0) {
            Some(d) => d
                .with_timezone(&tz)
                .to_rfc3339_opts(SecondsFormat::Secs, tz == Tz::UTC),
            None => format!("{t} (Unix seconds)"),
        };
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let local = t + i64::from(off);
    let days = local.div_euclid(86_400);
    let secs = (local - days * 86_400) as u32;
    // Years 0000–9999 (checked above): counted from 400 years earlier
    // (-0400-03-01), the days are positive and fit in a u32.
    let (year, month, day) = civil_from_days_u32((days + 719_468 + 146_097) as u32);
    let year = year - 400;
    let mut b = *b"0000-00-00T00:00:00+00:00";
    two(&mut b, 0, year / 100);
    two(&mut b, 2, year % 100);
    two(&mut b, 5, month);
    two(&mut b, 8, day);
    two(&mut b, 11, secs / 3600);
    two(&mut b, 14, secs % 3600 / 60);
    two(&mut b, 17, secs % 60);
    if off == 0 && tz == Tz::UTC {
        b[19] = b'Z';
        out.extend_from_slice(&b[..20]);
        return;
    }
    if off < 0 {
        b[19] = b'-';
    }
    let m = off.unsigned_abs() / 60;
    two(&mut b, 20, m / 60);
    two(&mut b, 23, m % 60);
    out.extend_from_slice(&b);
}

/// "00" to "99", for writing two digits at a time.
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// [`civil_from_days`] for a non-negative count of days from 0000-03-01,
/// in unsigned arithmetic, for the formatter.
fn civil_from_days_u32(z: u32) -> (u32, u32, u32) {
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u32::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) of a count of days since 1970-01-01 (proleptic
/// Gregorian; Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The local calendar date of instant `t` in `tz` (clamped into range).
pub fn local_date(tz: Tz, t: i64) -> NaiveDate {
    to_local(tz, t).date()
}

/// The (year, month) of instant `t` in `tz`: the key of the default period,
/// the calendar month in the contract's time zone. (Every ticket row asks,
/// so it is worked out from the cached offset, not through `chrono`.)
pub fn month_of(tz: Tz, t: i64) -> (i32, u32) {
    let t = t.clamp(MIN_INSTANT, MAX_INSTANT);
    let local = t + i64::from(cached_offset(tz, t));
    let (year, month, _) = civil_from_days(local.div_euclid(86_400));
    // Within ±200 000 years: both fit.
    (year as i32, month as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AMS: Tz = chrono_tz::Europe::Amsterdam;

    /// A day's offset found in the cache the threads share (worked out by
    /// another thread) is the one the zone database gives: for days with
    /// one offset and days with a transition, in zones either side of UTC.
    #[test]
    fn a_day_worked_out_by_another_thread_is_the_day_as_the_database_gives_it() {
        let zones = [
            AMS,
            chrono_tz::America::Santiago,
            chrono_tz::Australia::Lord_Howe,
        ];
        // 400 days from 2024-09-01: each zone's transitions of a year.
        let days: Vec<i64> = (19_967..19_967 + 400).collect();
        let worked_out = |zone: Tz| {
            let days = days.clone();
            std::thread::spawn(move || {
                days.iter()
                    .map(|&d| day_offset(zone, d))
                    .collect::<Vec<_>>()
            })
            .join()
            .unwrap()
        };
        for zone in zones {
            let first = worked_out(zone);
            let second = worked_out(zone);
            let exact: Vec<_> = days.iter().map(|&d| uniform_offset(zone, d)).collect();
            assert_eq!(first, exact, "{zone}");
            assert_eq!(second, exact, "{zone}");
            assert!(
                exact.iter().any(Option::is_none),
                "{zone} changes in a year"
            );
        }
    }

    #[test]
    fn every_second_of_a_day_is_written_as_its_hours_minutes_and_seconds() {
        for secs in 0..86_400u32 {
            let want = format!(
                "{:02}:{:02}:{:02}",
                secs / 3600,
                secs % 3600 / 60,
                secs % 60
            );
            assert_eq!(&time_of_day(secs), want.as_bytes(), "{secs}");
        }
    }

    /// chrono-tz's tables end in 2099; the rules in force carry on. Summer
    /// time in the EU: last Sunday of March 01:00Z to last Sunday of October
    /// 01:00Z. 2100: 28 March (4 109 878 800) to 31 October; 2150: 29 March
    /// (5 687 802 000) to 25 October; 2199: 31 March (7 234 275 600) to 27 October.
    #[test]
    fn summer_time_after_the_tables() {
        let at = |y, m, d, h| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp()
        };
        for (y, spring, autumn) in [(2100, 28, 31), (2150, 29, 25), (2199, 31, 27)] {
            assert_eq!(utc_offset(AMS, at(y, 6, 15, 12)), 7200, "June {y}");
            assert_eq!(utc_offset(AMS, at(y, 12, 15, 12)), 3600, "December {y}");
            assert_eq!(
                utc_offset(AMS, at(y, 3, spring, 1) - 1),
                3600,
                "before spring {y}"
            );
            assert_eq!(utc_offset(AMS, at(y, 3, spring, 1)), 7200, "spring {y}");
            assert_eq!(
                utc_offset(AMS, at(y, 10, autumn, 1) - 1),
                7200,
                "before autumn {y}"
            );
            assert_eq!(utc_offset(AMS, at(y, 10, autumn, 1)), 3600, "autumn {y}");
            // 02:30 local on the spring night is in the gap: the jump itself.
            let gap = NaiveDate::from_ymd_opt(y, 3, spring)
                .unwrap()
                .and_hms_opt(2, 30, 0)
                .unwrap();
            assert_eq!(local_to_instant(AMS, gap), Some(at(y, 3, spring, 1)));
        }
        assert_eq!(at(2100, 3, 28, 1), 4_109_878_800);
        assert_eq!(at(2150, 3, 29, 1), 5_687_802_000);
        assert_eq!(at(2199, 3, 31, 1), 7_234_275_600);
        // Sydney, summer time across New Year (first Sunday of October to
        // first Sunday of April, +11:00 in January).
        let syd = chrono_tz::Australia::Sydney;
        assert_eq!(utc_offset(syd, at(2150, 1, 1, 0)), 39_600);
        assert_eq!(utc_offset(syd, at(2150, 7, 1, 0)), 36_000);
        let text = format_rfc3339(at(2100, 6, 15, 12), AMS);
        assert_eq!(text, "2100-06-15T14:00:00+02:00");
    }

    #[test]
    fn gap_end_is_the_jump() {
        // 2025-03-30: clocks skip 02:00 CET → 03:00 CEST at 01:00Z = 1743296400.
        let l = NaiveDate::from_ymd_opt(2025, 3, 30)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(local_to_instant(AMS, l), Some(1_743_296_400));
        // 02:00 itself is in the gap too.
        let l = l.with_minute(0).unwrap();
        assert_eq!(local_to_instant(AMS, l), Some(1_743_296_400));
    }

    #[test]
    fn overlap_is_the_earlier() {
        // 2025-10-26 02:30 occurs at 00:30Z (CEST) and 01:30Z (CET).
        let l = NaiveDate::from_ymd_opt(2025, 10, 26)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(local_to_instant(AMS, l), Some(1_761_438_600));
    }

    /// The hand-written formatter and the offset cache against chrono, over
    /// DST nights (both directions, both hemispheres), offsets of minutes,
    /// negative offsets, UTC, and the ends of the writable range.
    #[test]
    fn formats_as_chrono_does() {
        let chrono_text = |t: i64, tz: Tz| {
            DateTime::from_timestamp(t, 0)
                .unwrap()
                .with_timezone(&tz)
                .to_rfc3339_opts(SecondsFormat::Secs, tz == Tz::UTC)
        };
        let zones = [
            AMS,
            Tz::UTC,
            chrono_tz::Etc::UTC,
            chrono_tz::Europe::London,
            chrono_tz::America::New_York,
            chrono_tz::America::St_Johns,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::Asia::Kathmandu,
            chrono_tz::Pacific::Chatham,
            chrono_tz::America::Sao_Paulo,
        ];
        let mut instants: Vec<i64> = Vec::new();
        // Every 7 minutes 13 seconds through 2024 and 2025, and every second
        // of the hours around Amsterdam's and New York's transitions.
        let mut t = 1_704_067_200 - 86_400;
        while t < 1_767_225_600 + 86_400 {
            instants.push(t);
            t += 433;
        }
        for jump in [1_743_296_400, 1_761_440_400, 1_741_503_600, 1_762_063_200] {
            instants.extend(jump - 3700..jump + 3700);
        }
        instants.extend([
            0,
            -1,
            -86_400 * 365 * 100,
            -62_167_219_200 + 86_400,
            253_402_300_799 - 86_400,
            -2_208_988_800, // 1900: local mean times
            -3_000_000_000,
        ]);
        let mut writers: Vec<Rfc3339Writer> =
            zones.iter().map(|&z| Rfc3339Writer::new(z)).collect();
        for (zi, &tz) in zones.iter().enumerate() {
            for &t in &instants {
                assert_eq!(format_rfc3339(t, tz), chrono_text(t, tz), "{t} in {tz}");
                let mut fast = Vec::new();
                writers[zi].write(&mut fast, t);
                assert_eq!(fast, format_rfc3339(t, tz).as_bytes(), "{t} in {tz}");
                let mut quoted = b"x".to_vec();
                writers[zi].write_quoted(&mut quoted, t);
                let want = format!("x\"{}\"", format_rfc3339(t, tz));
                assert_eq!(quoted, want.as_bytes(), "{t} in {tz}");
                // Cached and exact offsets agree (the second call hits the cache).
                assert_eq!(utc_offset(tz, t), exact_offset(tz, t), "{t} in {tz}");
            }
        }
        assert!(format_rfc3339(i64::MAX, AMS).contains("Unix seconds"));
        // Instants the day table does not cover, first and repeated, and
        // repeats of a cached one.
        for t in [
            i64::MIN,
            i64::MIN,
            0,
            0,
            i64::MAX,
            1_700_000_000,
            1_700_000_000,
        ] {
            let mut fast = Vec::new();
            writers[0].write(&mut fast, t);
            assert_eq!(fast, format_rfc3339(t, zones[0]).as_bytes(), "{t}");
            let mut quoted = Vec::new();
            writers[0].write_quoted(&mut quoted, t);
            let want = format!("\"{}\"", format_rfc3339(t, zones[0]));
            assert_eq!(quoted, want.as_bytes(), "{t}");
        }
        for tz in zones {
            for &t in instants
                .iter()
                .chain(&[MIN_INSTANT, MAX_INSTANT, i64::MIN, i64::MAX])
            {
                let d = local_date(tz, t);
                assert_eq!(month_of(tz, t), (d.year(), d.month()), "{t} in {tz}");
            }
        }
    }

    #[test]
    fn clamps_absurd_instants() {
        for t in [i64::MIN, i64::MAX, 0, -1, MIN_INSTANT, MAX_INSTANT] {
            let _ = to_local(AMS, t);
            let _ = month_of(AMS, t);
            let _ = format_rfc3339(t, AMS);
            let _ = utc_offset(AMS, t);
        }
    }
}
