//! Instants to the nanosecond, and open time and deadlines between them
//! (SEMANTICS.md "Clocks": "Timestamps keep their fractional seconds: 60.9 s
//! against a 60 s target is breached").
//!
//! The calendar engine counts whole seconds, which is exact for whole-second
//! instants because a calendar opens and closes on whole seconds (opening
//! hours are minutes of local time, zone offsets whole seconds): each second
//! `[t, t + 1)` is open wholly or not at all. So open time between instants
//! with fractions is the engine's count between the whole seconds, corrected
//! in the few seconds that hold a fraction; and a deadline is found among
//! whole seconds by the engine and then inside its last second. Instants
//! without fractions (nearly every log) take the engine's path unchanged.

use chrono::Timelike;

use crate::time::calendar::Calendar;
use crate::time::instant::{to_local, write_rfc3339};

/// Nanoseconds in a second.
pub const NANOS: i128 = 1_000_000_000;

/// An instant: Unix seconds and the fraction of a second after them. Orders
/// as time does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct At {
    /// Unix seconds, the fraction cut off.
    pub secs: i64,
    /// The fraction of a second after `secs`, in nanoseconds (below 10⁹).
    pub nanos: u32,
}

impl At {
    /// The end of a pause that lasts for ever (no later event).
    pub const FOREVER: At = At {
        secs: i64::MAX,
        nanos: 0,
    };

    /// The whole second `secs`.
    pub const fn whole(secs: i64) -> At {
        At { secs, nanos: 0 }
    }

    /// The instant `ns` nanoseconds after the Unix epoch (saturating).
    pub fn from_nanos(ns: i128) -> At {
        let secs = ns.div_euclid(NANOS);
        let secs = i64::try_from(secs).unwrap_or(if secs < 0 { i64::MIN } else { i64::MAX });
        At {
            secs,
            nanos: ns.rem_euclid(NANOS) as u32,
        }
    }

    /// Nanoseconds after the Unix epoch.
    pub fn as_nanos(self) -> i128 {
        i128::from(self.secs) * NANOS + i128::from(self.nanos)
    }

    /// The whole second at or after this instant.
    pub fn ceil_secs(self) -> i64 {
        if self.nanos > 0 {
            self.secs.saturating_add(1)
        } else {
            self.secs
        }
    }
}

/// Writes `at` as RFC 3339 local time in `tz`, as [`write_rfc3339`] does,
/// with its fraction of a second when it has one (`…T10:00:30.9Z`: as many
/// digits as it needs, in groups of three).
pub fn write_rfc3339_at(out: &mut Vec<u8>, at: At, tz: chrono_tz::Tz) {
    let from = out.len();
    write_rfc3339(out, at.secs, tz);
    insert_fraction(out, from, at.nanos);
}

/// Puts the fraction `nanos` into the RFC 3339 time written at `out[from..]`
/// (whole seconds), before its offset. Anything else (an instant RFC 3339
/// cannot write) is left whole.
pub fn insert_fraction(out: &mut Vec<u8>, from: usize, nanos: u32) {
    // After `YYYY-MM-DDTHH:MM:SS` comes the offset.
    let at_offset = from + 19;
    if nanos == 0 || !matches!(out.get(at_offset), Some(b'Z' | b'+' | b'-')) {
        return;
    }
    let fraction = fraction_text(nanos);
    out.splice(at_offset..at_offset, fraction.bytes());
}

/// [`write_rfc3339_at`] as a string.
pub fn format_rfc3339_at(at: At, tz: chrono_tz::Tz) -> String {
    let mut out = Vec::with_capacity(32);
    write_rfc3339_at(&mut out, at, tz);
    String::from_utf8(out).unwrap_or_default()
}

/// `.9`, `.25`, `.000001`: the fraction with its trailing zeros dropped.
pub fn fraction_text(nanos: u32) -> String {
    let digits = format!(".{nanos:09}");
    digits.trim_end_matches('0').to_string()
}

/// Whether any of the instants has a fraction.
fn any_fraction(a: At, b: At, pauses: &[(At, At)]) -> bool {
    a.nanos > 0 || b.nanos > 0 || pauses.iter().any(|p| p.0.nanos > 0 || p.1.nanos > 0)
}

/// The pauses cut to whole seconds (each end down to its second), empty
/// ones left out. Disjoint ordered pauses stay disjoint and ordered.
fn whole_pauses(pauses: &[(At, At)]) -> Vec<(i64, i64)> {
    pauses
        .iter()
        .map(|p| (p.0.secs, p.1.secs))
        .filter(|p| p.0 < p.1)
        .collect()
}

/// Open time of `cal` in whole seconds between `a` and `b`, minus `pauses`.
fn open_whole(cal: &Calendar, a: i64, b: i64, pauses: &[(i64, i64)]) -> i64 {
    if pauses.is_empty() {
        cal.open_seconds(a, b)
    } else {
        cal.open_seconds_paused(a, b, pauses)
    }
}

/// The open time of `cal` in `[a, b)`, minus the open time inside `pauses`
/// (`[from, to)` intervals, in order and disjoint), in nanoseconds.
pub fn open_nanos(cal: &Calendar, a: At, b: At, pauses: &[(At, At)]) -> i128 {
    if b <= a {
        return 0;
    }
    if !any_fraction(a, b, pauses) {
        let whole: Vec<(i64, i64)> = pauses.iter().map(|p| (p.0.secs, p.1.secs)).collect();
        return i128::from(open_whole(cal, a.secs, b.secs, &whole)) * NANOS;
    }
    if pauses.is_empty() {
        return open_nanos_unpaused(cal, a, b);
    }
    let whole = whole_pauses(pauses);
    let mut total = i128::from(open_whole(cal, a.secs, b.secs, &whole)) * NANOS;
    // The seconds that hold a fraction: there the whole count is off.
    let mut seconds: Vec<i64> = [a, b]
        .into_iter()
        .chain(pauses.iter().flat_map(|p| [p.0, p.1]))
        .filter(|t| t.nanos > 0 && *t >= a && t.secs <= b.secs)
        .map(|t| t.secs)
        .collect();
    seconds.sort_unstable();
    seconds.dedup();
    for t in seconds {
        if !cal.is_open(t) {
            continue;
        }
        let counted =
            (a.secs..b.secs).contains(&t) && !whole.iter().any(|p| (p.0..p.1).contains(&t));
        total += running_in_second(t, a, b, pauses) - if counted { NANOS } else { 0 };
    }
    total.max(0)
}

/// [`open_nanos`] of `[a, b)` (`a < b`) without pauses: the whole seconds,
/// then the seconds of `a` and `b` counted to the nanosecond (a clock still
/// running at an as-of instant with a fraction: no list of seconds made).
fn open_nanos_unpaused(cal: &Calendar, a: At, b: At) -> i128 {
    let mut total = i128::from(cal.open_seconds(a.secs, b.secs)) * NANOS;
    // `b`'s second once only, when it is `a`'s too.
    let b_apart = b.nanos > 0 && !(a.nanos > 0 && a.secs == b.secs);
    for (t, has) in [(a, a.nanos > 0), (b, b_apart)] {
        if !has || !cal.is_open(t.secs) {
            continue;
        }
        let counted = (a.secs..b.secs).contains(&t.secs);
        total += running_in_second(t.secs, a, b, &[]) - if counted { NANOS } else { 0 };
    }
    total.max(0)
}

/// The length, in nanoseconds, of `[a, b)` minus `pauses` inside the
/// second `[t, t + 1)`.
fn running_in_second(t: i64, a: At, b: At, pauses: &[(At, At)]) -> i128 {
    let lo = a.as_nanos().max(i128::from(t) * NANOS);
    let hi = b.as_nanos().min((i128::from(t) + 1) * NANOS);
    if hi <= lo {
        return 0;
    }
    let paused: i128 = pauses
        .iter()
        .map(|p| (p.0.as_nanos().max(lo), p.1.as_nanos().min(hi)))
        .filter(|p| p.0 < p.1)
        .map(|p| p.1 - p.0)
        .sum();
    (hi - lo - paused).max(0)
}

/// The earliest instant `d` at which [`open_nanos`]`(cal, from, d, pauses)`
/// reaches `amount` nanoseconds: the deadline of a clock started at `from`
/// that has `amount` to use. `None` when it never does (a pause that lasts
/// for ever comes first, or the calendar does not open for that long again).
pub fn deadline_nanos(cal: &Calendar, from: At, amount: i128, pauses: &[(At, At)]) -> Option<At> {
    if amount <= 0 {
        return Some(from);
    }
    if amount % NANOS == 0 && !any_fraction(from, from, pauses) {
        let whole: Vec<(i64, i64)> = pauses.iter().map(|p| (p.0.secs, p.1.secs)).collect();
        let seconds = i64::try_from(amount / NANOS).ok()?;
        let d = if whole.is_empty() {
            cal.deadline(from.secs, seconds)
        } else {
            cal.deadline_paused(from.secs, seconds, &whole)
        };
        return d.map(At::whole);
    }
    let reached = |t: i64| open_nanos(cal, from, At::whole(t), pauses) >= amount;
    // A whole second by which it is surely reached: from a later start,
    // with the pauses widened to whole seconds and the amount rounded up.
    let wide: Vec<(i64, i64)> = pauses.iter().map(|p| (p.0.secs, p.1.ceil_secs())).collect();
    let seconds = i64::try_from((amount + NANOS - 1) / NANOS).ok()?;
    let mut hi = match cal.deadline_paused(from.ceil_secs(), seconds, &wide) {
        Some(hi) => hi,
        // Widened, a pause for ever may begin too early: the count then
        // completes before it or never.
        None => {
            let last = pauses.last().filter(|p| p.1 == At::FOREVER)?;
            let hi = last.0.ceil_secs();
            if !reached(hi) {
                return None;
            }
            hi
        }
    };
    // The first whole second by which it is reached...
    let mut lo = from.secs;
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reached(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    if reached(lo) {
        hi = lo;
    }
    // ...and inside the second before it, where the clock runs from the
    // start, outside the pauses.
    let t = hi - 1;
    let mut need = amount - open_nanos(cal, from, At::whole(t), pauses);
    if need <= 0 {
        return Some(At::whole(t).max(from));
    }
    let mut cursor = from.as_nanos().max(i128::from(t) * NANOS);
    let end = i128::from(hi) * NANOS;
    for p in pauses {
        let (ps, pe) = (p.0.as_nanos(), p.1.as_nanos());
        if pe <= cursor || ps >= end {
            continue;
        }
        let run = ps.max(cursor) - cursor;
        if run >= need {
            return Some(At::from_nanos(cursor + need));
        }
        need -= run;
        cursor = pe.max(cursor);
    }
    Some(At::from_nanos((cursor + need).min(end)))
}

/// A deadline at "the same local time" as `start` on a later day (`N
/// working days`, `N days`), found for `start`'s whole second as `whole`:
/// it carries `start`'s fraction when it is that same local time of day,
/// not an opening or closing time it was moved or clamped to.
pub fn same_time_of_day(tz: chrono_tz::Tz, start: At, whole: i64) -> At {
    let same = start.nanos > 0
        && to_local(tz, whole).time().num_seconds_from_midnight()
            == to_local(tz, start.secs).time().num_seconds_from_midnight();
    At {
        secs: whole,
        nanos: if same { start.nanos } else { 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::spec::CalendarSpec;

    fn at(s: f64) -> At {
        At::from_nanos((s * 1e9).round() as i128)
    }

    #[test]
    fn open_time_counts_the_fractions_of_the_ends_and_of_the_pauses() {
        let cal = Calendar::always(chrono_tz::UTC);
        // A pause from .4 to 30.9 within a 91 s stretch: 91 - 30.5 = 60.5 s.
        let pauses = [(at(100.4), at(130.9))];
        assert_eq!(
            open_nanos(&cal, at(100.0), at(191.0), &pauses),
            60_500_000_000
        );
        // A pause within one second.
        let pauses = [(at(100.2), at(100.7))];
        assert_eq!(open_nanos(&cal, at(100.1), at(101.0), &pauses), 400_000_000);
        assert_eq!(open_nanos(&cal, at(5.5), at(5.25), &[]), 0);
    }

    #[test]
    fn a_deadline_lands_inside_a_second() {
        let cal = Calendar::always(chrono_tz::UTC);
        assert_eq!(
            deadline_nanos(&cal, at(0.5), 60 * NANOS, &[]),
            Some(at(60.5))
        );
        let pauses = [(at(10.4), at(40.9))];
        assert_eq!(
            deadline_nanos(&cal, at(0.0), 60 * NANOS, &pauses),
            Some(at(90.5))
        );
        // A pause for ever: before it, or never.
        let pauses = [(at(10.4), At::FOREVER)];
        assert_eq!(
            deadline_nanos(&cal, at(0.0), 10 * NANOS, &pauses),
            Some(at(10.0))
        );
        assert_eq!(deadline_nanos(&cal, at(0.0), 11 * NANOS, &pauses), None);
        assert_eq!(
            deadline_nanos(&cal, at(0.0), 10_400_000_000, &pauses),
            Some(at(10.4))
        );
    }

    #[test]
    fn open_time_without_pauses_is_that_of_the_general_count() {
        // The general count, made to take its way with a pause after the
        // span (which takes nothing off), against the shortcut without one.
        let cal = office();
        let nine = 1_780_304_400;
        let five = nine + 8 * 3600;
        let fractions = [0, 1, 250_000_000, 999_999_999];
        for base in [nine - 2, nine, nine + 7, five - 1, five] {
            for (da, na, db, nb) in [(0, 0, 0, 1), (0, 1, 0, 2), (0, 0, 3, 0), (0, 5, 1, 0)]
                .into_iter()
                .chain(fractions.iter().flat_map(|&fa| {
                    fractions
                        .iter()
                        .flat_map(move |&fb| [(0, fa, 0, fb), (0, fa, 61, fb), (0, fa, 90_000, fb)])
                }))
            {
                let a = At {
                    secs: base + da,
                    nanos: na,
                };
                let b = At {
                    secs: base + db,
                    nanos: nb,
                };
                let after = At {
                    secs: b.secs + 10,
                    nanos: 500_000_000,
                };
                let general = open_nanos(&cal, a, b, &[(after, At::whole(b.secs + 20))]);
                assert_eq!(open_nanos(&cal, a, b, &[]), general, "{a:?} to {b:?}");
            }
        }
    }

    /// Monday to Friday, 09:00-17:00 UTC.
    fn office() -> Calendar {
        use chrono::Weekday::*;
        let open = [Mon, Tue, Wed, Thu, Fri].map(|day| crate::time::spec::OpeningSpec {
            day,
            start: 9 * 3600,
            end: 17 * 3600,
        });
        let spec = CalendarSpec::Weekly(crate::time::spec::WeeklySpec {
            timezone: "UTC".into(),
            open: open.to_vec(),
            closed: Vec::new(),
            reopened: Vec::new(),
        });
        Calendar::new(&spec).expect("calendar")
    }

    #[test]
    fn office_hours_open_on_whole_seconds() {
        let cal = office();
        // Monday 2026-06-01 08:59:59.5 to 09:01:00.25: 60.25 s open.
        let nine = 1_780_304_400;
        let a = At {
            secs: nine - 1,
            nanos: 500_000_000,
        };
        let b = At {
            secs: nine + 60,
            nanos: 250_000_000,
        };
        assert_eq!(open_nanos(&cal, a, b, &[]), 60_250_000_000);
        // 60 s from 08:59:59.5 is reached at 09:01:00.
        assert_eq!(
            deadline_nanos(&cal, a, 60 * NANOS, &[]),
            Some(At::whole(nine + 60))
        );
    }
}
