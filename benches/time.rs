//! Speed of the time engine (`cargo bench --bench time`).
//!
//! Targets: under 0.5 µs per `open_seconds` and per `deadline` query on one
//! core (under 0.5 s per million), a 365-day query at most about twice a
//! 1-day query (also for a calendar with 40 years of built-in holidays), and
//! a calendar that builds in well under a millisecond.
//!
//! The "1M" benchmarks time one million queries per iteration, so their
//! reported time *is* the time per million. The span benchmarks run 1 000
//! queries per iteration and report throughput in queries per second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
// Seeded: the same inputs on every run.
use fastrand::Rng;
use sla::time::spec::DayRule;
use sla::time::{parse_timestamp, Calendar, CalendarSpec};

#[path = "../tests/support/office.rs"]
mod office;
use office::office_spec;

const DAY: i64 = 86_400;
/// 2024-01-01T00:00:00Z; random starts fall in 2024-2026.
const FROM: i64 = 1_704_067_200;
const YEARS3: i64 = 3 * 365 * DAY;

/// New York office hours with the generated US and New York holidays: a
/// calendar with 81 years (1990-2070) of holidays, observed days included.
fn new_york_spec() -> CalendarSpec {
    let CalendarSpec::Weekly(mut w) = office_spec() else {
        unreachable!("office_spec is weekly")
    };
    w.timezone = "America/New_York".into();
    w.closed = vec![
        DayRule::Builtin { set: "US".into() },
        DayRule::Builtin {
            set: "US-NY".into(),
        },
    ];
    CalendarSpec::Weekly(w)
}

/// `n` (start, length) pairs: starts in 2024-2026, lengths up to `max`.
fn inputs(n: usize, max: i64, seed: u64) -> Vec<(i64, i64)> {
    let mut rng = Rng::with_seed(seed);
    (0..n)
        .map(|_| (FROM + rng.i64(..YEARS3), rng.i64(..max + 1)))
        .collect()
}

fn million(c: &mut Criterion) {
    let cal = Calendar::new(&office_spec()).unwrap();
    let spans = inputs(1_000_000, 30 * DAY, 1);
    // Deadlines: up to 168 office hours, about the open time of 30 calendar days.
    let targets = inputs(1_000_000, 168 * 3600, 2);
    let mut g = c.benchmark_group("1M queries, spans up to 30 days");
    g.sample_size(10);
    g.bench_function("open_seconds", |b| {
        b.iter(|| {
            let mut sum = 0i64;
            for &(a, len) in &spans {
                sum = sum.wrapping_add(cal.open_seconds(black_box(a), black_box(a + len)));
            }
            sum
        })
    });
    g.bench_function("deadline", |b| {
        b.iter(|| {
            let mut sum = 0i64;
            for &(a, secs) in &targets {
                sum = sum.wrapping_add(cal.deadline(black_box(a), black_box(secs)).unwrap_or(0));
            }
            sum
        })
    });
    g.bench_function("is_open", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for &(a, _) in &spans {
                n += u32::from(cal.is_open(black_box(a)));
            }
            n
        })
    });
    g.finish();
}

fn spans(c: &mut Criterion) {
    let cal = Calendar::new(&office_spec()).unwrap();
    let outside = Calendar::new(&CalendarSpec::Complement {
        of: Box::new(office_spec()),
    })
    .unwrap();
    let starts: Vec<i64> = inputs(1000, 0, 3).into_iter().map(|(a, _)| a).collect();
    let mut g = c.benchmark_group("span length (1000 queries)");
    g.throughput(Throughput::Elements(1000));
    for (name, len) in [
        ("1 day", DAY),
        ("30 days", 30 * DAY),
        ("365 days", 365 * DAY),
    ] {
        g.bench_function(format!("open_seconds {name}"), |b| {
            b.iter(|| {
                starts
                    .iter()
                    .map(|&a| cal.open_seconds(black_box(a), black_box(a + len)))
                    .sum::<i64>()
            })
        });
    }
    // 8 office hours (a day) against 2 024 (a year: 253 days of 8 hours).
    for (name, secs) in [("1 day", 8 * 3600), ("365 days", 253 * 8 * 3600)] {
        g.bench_function(format!("deadline {name}"), |b| {
            b.iter(|| {
                starts
                    .iter()
                    .map(|&a| cal.deadline(black_box(a), black_box(secs)).unwrap_or(0))
                    .sum::<i64>()
            })
        });
    }
    // The same spans over 40 years of a calendar with built-in holidays:
    // starts anywhere in 1995-2034, so queries meet many year tables.
    let new_york = Calendar::new(&new_york_spec()).unwrap();
    let mut rng = Rng::with_seed(7);
    let from_1995 = 788_918_400; // 1995-01-01T00:00:00Z
    let starts40: Vec<i64> = (0..1000)
        .map(|_| from_1995 + rng.i64(..40 * 365 * DAY))
        .collect();
    for (name, len) in [("1 day", DAY), ("365 days", 365 * DAY)] {
        g.bench_function(format!("open_seconds {name}, US-NY over 40 years"), |b| {
            b.iter(|| {
                starts40
                    .iter()
                    .map(|&a| new_york.open_seconds(black_box(a), black_box(a + len)))
                    .sum::<i64>()
            })
        });
    }
    g.bench_function("open_seconds 365 days, complement", |b| {
        b.iter(|| {
            starts
                .iter()
                .map(|&a| outside.open_seconds(black_box(a), black_box(a + 365 * DAY)))
                .sum::<i64>()
        })
    });
    g.bench_function("working_days_deadline 5", |b| {
        b.iter(|| {
            starts
                .iter()
                .map(|&a| cal.working_days_deadline(black_box(a), 5).unwrap_or(0))
                .sum::<i64>()
        })
    });
    g.bench_function("working_days_deadline 250", |b| {
        b.iter(|| {
            starts
                .iter()
                .map(|&a| cal.working_days_deadline(black_box(a), 250).unwrap_or(0))
                .sum::<i64>()
        })
    });
    g.bench_function("next_working_day_close", |b| {
        b.iter(|| {
            starts
                .iter()
                .map(|&a| cal.next_working_day_close(black_box(a)).unwrap_or(0))
                .sum::<i64>()
        })
    });
    g.finish();
}

fn building(c: &mut Criterion) {
    let spec = office_spec();
    let mut g = c.benchmark_group("building");
    g.bench_function("Calendar::new (office, NL)", |b| {
        b.iter(|| Calendar::new(black_box(&spec)).unwrap())
    });
    // A new calendar and one query: the cost of the first year table.
    g.bench_function("Calendar::new + first query", |b| {
        b.iter(|| {
            let cal = Calendar::new(black_box(&spec)).unwrap();
            cal.open_seconds(FROM, FROM + DAY)
        })
    });
    g.bench_function("parse_timestamp (local)", |b| {
        let tz = chrono_tz::Europe::Amsterdam;
        b.iter(|| parse_timestamp(black_box("2025-03-03 09:15:00"), tz).map(|p| p.at))
    });
    g.finish();
}

criterion_group!(benches, million, spans, building);
criterion_main!(benches);
