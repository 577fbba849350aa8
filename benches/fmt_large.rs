//! `sla fmt` on large generated contracts (1 MB and 4 MB, comments on every
//! item): the formatter must stay linear in time, and its memory a small
//! multiple of the input. Issue 17 measured 7.8 s and 2.1 GB on 5.5 MB.
//!
//! `cargo bench --bench fmt_large`; for memory, the same contract through
//! the binary: `/usr/bin/time -v target/release/sla fmt - < big.sla`
//! (the size is printed first; `SLA_FMT_BENCH_WRITE=big.sla` writes it).
//!
//! Measured on the 4.1 MB contract (20,000 items), release build: 277 MB
//! peak resident (67 times the input) when the input was parsed whole and
//! the output parsed whole again to be compared; 183 MB (45 times) since
//! both are parsed one item at a time and compared item by item. What is
//! left is mostly the input's tree, which the printer needs whole, and the
//! parser's working memory for the largest item (the 20,000-row targets
//! block).

use std::fmt::Write;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// A contract of `n` commented calendars, `n` metrics and an `n`-row targets
/// table: every name distinct, so it is also a valid contract.
fn contract(n: usize) -> String {
    let mut s = String::from(
        "contract \"Big\" {\n  provider \"X\"\n  timezone \"Europe/Amsterdam\"\n}\n\nfields {\n  opened_at: timestamp\n  resolved_at: timestamp\n  priority: label [high, low]\n}\n\npriority from priority {\n  high \"h\"\n  low \"l\"\n}\n",
    );
    for i in 0..n {
        let _ = write!(
            s,
            "# calendar number {i}\ncalendar office{i} {{\n  open mon..fri 09:00-17:00\n  closed on 2025-12-25, 2025-12-26\n}}\nmetric m{i} from opened_at to resolved_at in office{i}\n"
        );
    }
    s.push_str("targets per month {\n");
    for i in 0..n {
        let _ = writeln!(s, "  high m{i} within 4 hours for 90%");
    }
    s.push_str("}\n");
    s
}

fn fmt_large(c: &mut Criterion) {
    let mut group = c.benchmark_group("fmt");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for n in [5_000, 20_000] {
        let src = contract(n);
        if let Ok(path) = std::env::var("SLA_FMT_BENCH_WRITE") {
            let _ = std::fs::write(format!("{path}.{n}"), &src);
        }
        eprintln!(
            "{n} items: {} bytes, {} lines",
            src.len(),
            src.lines().count()
        );
        group.throughput(Throughput::Bytes(src.len() as u64));
        group.bench_function(format!("{} MB", src.len() / 1_000_000), |b| {
            b.iter(|| sla::fmt::format_source(&src).map(|s| s.len()).unwrap_or(0))
        });
    }
    group.finish();
}

criterion_group!(benches, fmt_large);
criterion_main!(benches);
