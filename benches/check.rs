//! Benchmarks of the front end (parse + check):
//!
//! - `check/contracts`: every contract in `contracts/` checked in one go;
//!   the target is well under 50 ms for all of them together.
//! - `check/generated`: a generated contract of 10,000 lines (see
//!   `check/gen.rs`); the target is under 1 s.
//! - `parse/generated`: the parser alone on the same contract, to tell
//!   parsing from checking.
//!
//! Run with `cargo bench --bench check` (`-- contracts` for the first only).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "check/gen.rs"]
mod gen;

fn contracts() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("contracts/ is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sla"))
        .map(|p| {
            let src = std::fs::read_to_string(&p).expect("a contract is UTF-8 text");
            (p.display().to_string(), src)
        })
        .collect();
    out.sort();
    out
}

fn bench_contracts(c: &mut Criterion) {
    let contracts = contracts();
    assert!(!contracts.is_empty(), "no contracts in contracts/");
    for (name, src) in &contracts {
        let checked = sla::check::check_source(src);
        assert!(!checked.has_errors(), "{name} does not check");
    }
    let bytes: usize = contracts.iter().map(|(_, s)| s.len()).sum();
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("contracts ({} files)", contracts.len()), |b| {
        b.iter(|| {
            for (_, src) in &contracts {
                black_box(sla::check::check_source(black_box(src)));
            }
        })
    });
    group.finish();
}

fn bench_generated(c: &mut Criterion) {
    let src = gen::contract(10_000);
    let checked = sla::check::check_source(&src);
    assert!(
        checked.diagnostics.is_empty(),
        "the generated contract has diagnostics: {:?}",
        checked
            .diagnostics
            .iter()
            .take(5)
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(src.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function(format!("generated ({} lines)", src.lines().count()), |b| {
        b.iter(|| black_box(sla::check::check_source(black_box(&src))))
    });
    group.finish();

    // The parser alone, to tell parsing from checking.
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(src.len() as u64));
    group.bench_function(format!("generated ({} lines)", src.lines().count()), |b| {
        b.iter(|| black_box(sla::syntax::parse(black_box(&src))))
    });
    group.finish();
}

criterion_group!(benches, bench_contracts, bench_generated);
criterion_main!(benches);
