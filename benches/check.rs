//! Benchmarks of the front end (parse + check):
//!
//! - `check/contracts`: every contract in `contracts/` checked in one go;
//!   the target is well under 50 ms for all of them together.
//! - `check/generated`: a generated contract of 10,000 lines (see
//!   `check/gen.rs`); the target is under 1 s.
//! - `parse/generated`: the parser alone on the same contract, to tell
//!   parsing from checking.
//! - `hostile/*`: the shapes that once went quadratic: 1,600 and 5,000
//!   identical target rows (one error with a count, not n(n-1)/2), 100,000
//!   `and` conditions in one row (the "can never apply" check), 20,000 rows
//!   told apart by a text field (the overlap check's pairing); and the same
//!   in a `targets first match` block, whose rows may overlap but are
//!   searched for rows that earlier rows cover (W0007): 5,000 identical rows
//!   (one warning with a count), a row of 50,000 conditions after one that
//!   asks for all but one of them, 20,000 rows told apart by a text field. Each
//!   should take well under a second.
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

/// The header of the hostile shapes: two priorities, a label and a text field.
const HOSTILE_HEAD: &str = "contract \"Hostile\" { timezone \"UTC\" }
fields {
  opened_at:   timestamp
  priority:    label [high, low]
  team:        label [a, b, c]
  customer:    text
  resolved_at: timestamp
}
priority from priority {
  high \"h\"
  low  \"l\"
}
metric resolution from opened_at to resolved_at
";

fn hostile(rows: &str) -> String {
    format!("{HOSTILE_HEAD}targets {{\n{rows}}}\n")
}

fn first_match(rows: &str) -> String {
    format!("{HOSTILE_HEAD}targets first match {{\n{rows}}}\n")
}

fn bench_hostile(c: &mut Criterion) {
    let same = |n: usize| hostile(&"  high resolution within 4 hours\n".repeat(n));
    let and = hostile(&format!(
        "  high when {} resolution within 4 hours\n  low resolution within 8 hours\n",
        vec!["team = a"; 100_000].join(" and ")
    ));
    let customers = hostile(
        &(0..20_000)
            .map(|i| format!("  when customer = \"c{i}\" resolution within 4 hours\n"))
            .collect::<String>(),
    );
    // 100,000 different conditions in all: row 2 asks for row 1's 49,999
    // and one more, so row 1 takes its tickets first.
    let conditions: Vec<String> = (0..50_000)
        .map(|i| format!("not (customer = \"c{i}\")"))
        .collect();
    let first_and = first_match(&format!(
        "  high when {} resolution within 4 hours\n  high when {} resolution within 8 hours\n  low resolution within 8 hours\n",
        conditions[..49_999].join(" and "),
        conditions.join(" and ")
    ));
    let first_customers = first_match(
        &(0..20_000)
            .map(|i| format!("  when customer = \"c{i}\" resolution within 4 hours\n"))
            .chain(std::iter::once(
                "  all resolution within 8 hours\n".to_string(),
            ))
            .collect::<String>(),
    );
    // (name, contract, errors, warnings)
    let cases = [
        ("1600 identical rows", same(1_600), 1, 0),
        ("5000 identical rows", same(5_000), 1, 0),
        ("100000 and conditions", and, 0, 0),
        ("20000 customer rows", customers, 0, 0),
        (
            "first match: 5000 identical rows",
            first_match(&format!(
                "{}  low resolution within 8 hours\n",
                "  high resolution within 4 hours\n".repeat(5_000)
            )),
            0,
            1,
        ),
        ("first match: 2 x 50000 and conditions", first_and, 0, 1),
        ("first match: 20000 customer rows", first_customers, 0, 0),
    ];
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for (name, src, errors, warnings) in &cases {
        let checked = sla::check::check_source(src);
        let found = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        assert_eq!(found, *errors, "{name}: {found} errors");
        let found = checked.diagnostics.len() - found;
        assert_eq!(found, *warnings, "{name}: {found} warnings");
        group.throughput(Throughput::Bytes(src.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| black_box(sla::check::check_source(black_box(src))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_contracts, bench_generated, bench_hostile);
criterion_main!(benches);
