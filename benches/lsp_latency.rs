//! How long `sla lsp` takes to answer an edit of a 1,000-line (and a
//! 5,000-line) contract with diagnostics: from sending `didChange` to receiving `publishDiagnostics`,
//! through the real binary's stdin and stdout (the editor's view). The goal
//! is 50 ms; this measures, it does not assert, since wall time depends on
//! the machine.
//!
//! `cargo bench --bench lsp_latency` (criterion's report, plus a one-line
//! median/p95/max over 200 plain edits printed first).

#[path = "../tests/support/lsp_client.rs"]
mod client;

use std::fmt::Write;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

use client::{initialize, Client};

const URI: &str = "file:///bench/big.sla";

/// A contract of about 1,000 × `k` lines using every block the checker
/// resolves names in. `broken` misspells one calendar, so edits alternate
/// between a clean contract and one with an error.
fn contract(broken: bool, k: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Generated for the language server benchmark — 1,000 lines.\ncontract \"Bench\" {{\n  provider \"Provider\"\n  customer \"Customer — é\"\n  timezone \"Europe/Amsterdam\"\n  effective 2025-01-01\n  term 12 months\n}}\n"
    );
    for i in 0..50 * k {
        let _ = writeln!(
            s,
            "calendar office{i} {{\n  open mon..fri 08:30-12:00, 13:00-17:30\n  closed on holidays NL\n  closed on dec 24, jan 2\n}}\n"
        );
    }
    s.push_str("fields {\n  opened_at: timestamp\n  priority: label [p1, p2, p3, p4]\n  impact: label [high, low]\n  cause: label [customer, third_party, ours]\n");
    for i in 0..165 * k {
        let _ = writeln!(s, "  stamp{i}: timestamp");
    }
    s.push_str("}\n\npriority from priority {\n  p1 \"critical\"\n  p2 \"high\"\n  p3 \"normal\"\n  p4 \"low\"\n}\n\n");
    for i in 0..165 * k {
        let cal = if broken && i == 60 {
            "ofice0".to_string()
        } else {
            format!("office{}", i % (50 * k))
        };
        let _ = writeln!(s, "metric m{i} from opened_at to stamp{i} in {cal}");
    }
    s.push_str("\ntargets per month {\n");
    for i in 0..165 * k {
        let p = ["p1", "p2", "p3", "p4"][i % 4];
        let _ = writeln!(
            s,
            "  {p} when impact = high m{i} within {} hours for 90%",
            i % 12 + 1
        );
    }
    s.push_str("}\n\n");
    for i in 0..165 * k {
        let _ = writeln!(
            s,
            "exclude from m{i} when cause in [customer, third_party] or opened_at outside office{} as \"not ours\"",
            i % (50 * k)
        );
    }
    s.push_str(
        "\nescalation {\n  available office0\n  level 1 \"service desk\" on m1 breached\n  carries priority\n}\n",
    );
    s
}

fn open(c: &mut Client, text: &str) {
    initialize(c);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "sla", "version": 0, "text": text}}),
    );
    let d = c.notification("textDocument/publishDiagnostics");
    let n = d["diagnostics"].as_array().map_or(0, Vec::len);
    // Errors in the generated contract would make the clean case meaningless.
    assert!(
        d["diagnostics"]
            .as_array()
            .is_some_and(|l| l.iter().all(|d| d["severity"] != 1)),
        "the generated contract has errors ({n} diagnostics): {d}"
    );
}

/// One edit and the wait for its diagnostics.
fn edit(c: &mut Client, version: i64, texts: &[String; 2]) -> Duration {
    let text = &texts[(version % 2) as usize];
    let start = Instant::now();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
    );
    loop {
        let d = c.notification("textDocument/publishDiagnostics");
        if d["version"] == version {
            return start.elapsed();
        }
    }
}

fn latency(crit: &mut Criterion) {
    for (k, name) in [(1, "1,000 lines"), (5, "5,000 lines")] {
        let texts = [contract(false, k), contract(true, k)];
        eprintln!(
            "generated contract: {} lines, {} bytes",
            texts[0].lines().count(),
            texts[0].len()
        );
        let mut c = Client::start();
        open(&mut c, &texts[0]);
        let mut version = 1;

        // A plain summary first: criterion reports the mean; an editor's
        // user feels the tail.
        let mut times: Vec<Duration> = (0..200 / k)
            .map(|_| {
                version += 1;
                edit(&mut c, version, &texts)
            })
            .collect();
        times.sort();
        let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        eprintln!(
            "{name}: didChange → publishDiagnostics over {} edits: median {:?}, p95 {:?}, max {:?}",
            times.len(),
            pick(0.5),
            pick(0.95),
            pick(1.0)
        );

        crit.bench_function(&format!("didChange to publishDiagnostics, {name}"), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        version += 1;
                        edit(&mut c, version, &texts)
                    })
                    .sum()
            })
        });

        c.request("shutdown", serde_json::Value::Null);
        c.notify("exit", serde_json::Value::Null);
    }
}

criterion_group!(benches, latency);
criterion_main!(benches);
