//! Availability (SEMANTICS.md "Availability"): per service, service window and
//! period, the share of the window's open time that no outage covered, and
//! the number of interruptions. The outage log (`--outages`, columns
//! `service,start,end`) is small and read whole; an empty `end` is an outage
//! still going on at the as-of instant.
//!
//! The reading, precisely:
//! - An outage is `[start, end)`. Outages of one service are merged where they
//!   overlap or touch, so time down counts once and a run of back-to-back
//!   outages is one interruption.
//! - An outage is known only up to the as-of instant: an open one (empty
//!   `end`) runs to it, a later end is cut there, one starting after it is
//!   not counted.
//! - Availability = 1 − downtime ∩ window / window length, per period of the
//!   contract's zone; an outage across a period boundary counts in each
//!   period with its own part.
//! - With a measurement interval, downtime is counted in samples: each
//!   instant that is a multiple of the interval since the Unix epoch, lies
//!   in a (merged) outage and in the window counts one whole interval (the
//!   total capped at the window's length).
//! - Interruptions of a period are the merged outages that start in it (one
//!   running on from the previous period is not counted again); they count
//!   for every window of the service.
//! - The period holding the as-of instant is counted up to the as-of instant
//!   only: its window length is the open time so far, and the row says
//!   `partial`. Periods run from the one of the earliest outage in the log to
//!   the one of the as-of instant.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::eval::contract::plan::Plan;
use crate::eval::input::outage_log::OutageLog;
use crate::eval::verdict::row::PeriodKey;
use crate::rules::Period;
use crate::time::{local_to_instant, month_of, Calendar};

/// One service window in one period, as reported.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AvailabilityRow {
    pub(crate) service: String,
    pub(crate) window: String,
    pub(crate) period: String,
    pub(crate) window_seconds: i64,
    pub(crate) downtime_seconds: i64,
    /// Percent; `None` when the window had no open time in the period.
    pub(crate) availability: Option<f64>,
    pub(crate) required: f64,
    pub(crate) interruptions: u32,
    pub(crate) max_interruptions: Option<u32>,
    pub(crate) compliant: bool,
    /// The period holds the as-of instant and is counted only up to it.
    pub(crate) partial: bool,
}

/// Availability rows for every service of the contract, window and period,
/// from the period of the earliest outage (or of the as-of instant) to the
/// period of the as-of instant. The as-of period counts up to the as-of
/// instant (`partial`).
pub(crate) fn evaluate(plan: &Plan, log: &OutageLog, as_of: i64) -> Vec<AvailabilityRow> {
    let earliest = log
        .by_service
        .values()
        .filter_map(|s| s.first().map(|o| o.0))
        .min()
        .unwrap_or(as_of)
        .min(as_of);
    let mut rows = Vec::new();
    for a in &plan.rules.availability {
        let outages = log
            .by_service
            .get(&a.service)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (key, ps, pe) in periods(plan.tz, a.period, earliest, as_of) {
            let end = pe.min(as_of);
            let interruptions = outages.iter().filter(|(s, _)| (ps..pe).contains(s)).count() as u32;
            for w in &a.windows {
                let Some(ci) = plan.calendars.iter().position(|c| c.name == w.calendar) else {
                    continue;
                };
                let cal = plan.calendar(ci);
                let window_seconds = cal.open_seconds(ps, end);
                let downtime_seconds = outages
                    .iter()
                    .map(|&(s, e)| (s.max(ps), e.min(end)))
                    .filter(|(s, e)| s < e)
                    .map(|(s, e)| downtime(cal, s, e, a.sample_seconds))
                    .sum::<i64>()
                    .min(window_seconds);
                let availability = (window_seconds > 0)
                    .then(|| 100.0 * (1.0 - downtime_seconds as f64 / window_seconds as f64));
                let within_limit = a.max_interruptions.is_none_or(|m| interruptions <= m);
                // Compared without division, like objective shares.
                let available_enough = window_seconds == 0
                    || (window_seconds - downtime_seconds) as f64 * 100.0
                        >= w.required * window_seconds as f64;
                rows.push(AvailabilityRow {
                    service: a.service.clone(),
                    window: w.name.clone(),
                    period: key.label(a.period),
                    window_seconds,
                    downtime_seconds,
                    availability,
                    required: w.required,
                    interruptions,
                    max_interruptions: a.max_interruptions,
                    compliant: available_enough && within_limit,
                    partial: as_of < pe,
                });
            }
        }
    }
    rows
}

/// Downtime of one outage piece `[a, b)` inside the window: exact, or in
/// whole samples (instants that are multiples of the interval since the
/// epoch, each counting one interval) when the contract measures at intervals.
fn downtime(cal: &Calendar, a: i64, b: i64, sample: Option<u32>) -> i64 {
    match sample {
        None | Some(0) => cal.open_seconds(a, b),
        Some(step) => {
            let step = i64::from(step);
            cal.open_intervals(a, b)
                .into_iter()
                .map(|(x, y)| {
                    let first = x.div_euclid(step) + i64::from(x.rem_euclid(step) != 0);
                    let last = (y - 1).div_euclid(step);
                    (last - first + 1).max(0) * step
                })
                .sum()
        }
    }
}

/// The periods from the one holding `from` to the one holding `to`, with their bounds.
fn periods(tz: Tz, period: Period, from: i64, to: i64) -> Vec<(PeriodKey, i64, i64)> {
    let months = match period {
        Period::Month => 1,
        Period::Quarter => 3,
        Period::Year => 12,
    };
    let first_month = |y: i32, m: u32| -> (i32, u32) {
        match period {
            Period::Month => (y, m),
            Period::Quarter => (y, (m - 1) / 3 * 3 + 1),
            Period::Year => (y, 1),
        }
    };
    let start_of = |y: i32, m: u32| {
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|d| local_to_instant(tz, d))
    };
    let (fy, fm) = month_of(tz, from);
    let (mut y, mut m) = first_month(fy, fm);
    let mut out = Vec::new();
    while let Some(ps) = start_of(y, m) {
        if ps > to {
            break;
        }
        let (ny, nm) = if m + months > 12 {
            (y + 1, m + months - 12)
        } else {
            (y, m + months)
        };
        let Some(pe) = start_of(ny, nm) else { break };
        let part = match period {
            Period::Month => m,
            Period::Quarter => (m - 1) / 3 + 1,
            Period::Year => 0,
        };
        out.push((PeriodKey { year: y, part }, ps, pe));
        (y, m) = (ny, nm);
        // A guard against a calendar that does not advance (cannot happen
        // with real dates; keeps the loop finite whatever the input).
        if out.len() > 12 * 400 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn samples_count_multiples_of_the_interval() {
        let cal = Calendar::always(chrono_tz::UTC);
        // [10:07, 10:38) holds the samples 10:15 and 10:30: 30 minutes.
        let a = 1_741_000_000 - 1_741_000_000 % 3600 + 7 * 60;
        let b = a + 31 * 60;
        assert_eq!(downtime(&cal, a, b, Some(900)), 1800);
        assert_eq!(downtime(&cal, a, b, None), 1860);
        // A sample exactly at the end is outside [a, b).
        assert_eq!(downtime(&cal, 900, 1800, Some(900)), 900);
    }

    #[test]
    fn periods_run_from_the_first_to_the_as_of_period() {
        let tz = chrono_tz::Europe::Amsterdam;
        let from = parse_timestamp("2025-01-31T23:30:00Z", tz)
            .map(|p| p.at)
            .unwrap_or(0);
        let to = parse_timestamp("2025-03-02T00:00:00Z", tz)
            .map(|p| p.at)
            .unwrap_or(0);
        let labels: Vec<String> = periods(tz, Period::Month, from, to)
            .into_iter()
            .map(|(k, _, _)| k.label(Period::Month))
            .collect();
        assert_eq!(labels, ["2025-02", "2025-03"]);
    }
}
