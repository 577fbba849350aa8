//! Small text helpers shared by the human-readable reports.

use chrono_tz::Tz;

use crate::time::exact::{format_rfc3339_at, fraction_text, NANOS};
use crate::time::{format_rfc3339, At};

/// `7h 31m 12s`, `2h`, `45s`, `-3m`: open time is counted in hours, not days
/// (a "day" of office hours is not 24 hours).
pub(crate) fn duration(secs: i64) -> String {
    if secs < 0 {
        return format!("-{}", duration(-secs));
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 {
        parts.push(format!("{m}m"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s}s"));
    }
    parts.join(" ")
}

/// [`duration`] of nanoseconds, with the fraction of a second where there
/// is one: `1m 0.5s`.
pub(crate) fn duration_nanos(ns: i128) -> String {
    if ns < 0 {
        return format!("-{}", duration_nanos(-ns));
    }
    let secs = i64::try_from(ns / NANOS).unwrap_or(i64::MAX);
    let fraction = (ns % NANOS) as u32;
    if fraction == 0 {
        return duration(secs);
    }
    let whole = duration(secs - secs % 60);
    let s = format!("{}{}s", secs % 60, fraction_text(fraction));
    if secs < 60 {
        s
    } else {
        format!("{whole} {s}")
    }
}

/// Wall-clock lateness: `242d 5h`, `3h 12m`, `45s` (days are real days here).
pub(crate) fn lateness(secs: i64) -> String {
    if secs < 0 {
        return format!("-{}", lateness(-secs));
    }
    let (d, h, m, s) = (
        secs / 86400,
        secs % 86400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// A local time without the noise: `2025-03-03 09:15:00 +01:00`.
pub(crate) fn local(t: i64, tz: Tz) -> String {
    local_text(format_rfc3339(t, tz))
}

/// [`local`] with the fraction of a second, where there is one
/// (`2025-03-03 09:15:00.5 +01:00`).
pub(crate) fn local_at(t: At, tz: Tz) -> String {
    local_text(format_rfc3339_at(t, tz))
}

fn local_text(s: String) -> String {
    match s.split_once('T') {
        Some((d, rest)) => {
            let (time, off) = split_offset(rest);
            if off.is_empty() {
                format!("{d} {time}")
            } else {
                format!("{d} {time} {off}")
            }
        }
        None => s,
    }
}

fn split_offset(rest: &str) -> (&str, &str) {
    if let Some(stripped) = rest.strip_suffix('Z') {
        return (stripped, "Z");
    }
    match rest.rfind(['+', '-']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    }
}

/// A percentage with one decimal, without a trailing `.0` on whole numbers.
pub(crate) fn percent(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round() as i64)
    } else {
        format!("{p:.1}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(7200), "2h");
        assert_eq!(duration(27072), "7h 31m 12s");
        assert_eq!(duration(-60), "-1m");
        assert_eq!(duration_nanos(60_500_000_000), "1m 0.5s");
        assert_eq!(duration_nanos(30_500_000_000), "30.5s");
        assert_eq!(duration_nanos(3_600_250_000_000), "1h 0.25s");
        assert_eq!(lateness(90061), "1d 1h");
        assert_eq!(lateness(3720), "1h 2m");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(85.0), "85%");
        assert_eq!(percent(28.571428), "28.6%");
    }
}
