//! Tests as data: each folder under `tests/eval/cases/` is one case of
//! `sla eval`, run as a user runs it (the real binary on real files):
//!
//! - `contract.sla` and `tickets.csv` (and whatever else `args` names, such
//!   as `events.csv`);
//! - `args`: the rest of the command line (`--as-of …`, `--events events.csv`);
//!   a word that names a file of the folder is given as that file's path;
//! - `expected.json`: what SEMANTICS.md prescribes, worked out by hand, with
//!   the reasoning beside each expectation (`why`). It lists ticket `rows`
//!   (by id and metric, and by `line` where an id has several rows; only
//!   the fields given are compared; `deadline` as an instant; a metric
//!   with cycles has a row per `cycle`, found by its number),
//!   `objectives` (by name and period), `escalations` (the one row of a
//!   ticket, by id; `due_at` as an instant), `problems` (count per kind, its
//!   diagnostic `code`, and the lines of the first ones), `summary` fields,
//!   `priority_changes` (what
//!   priority changes moved), `exit` code and text the
//!   terminal must show (`stderr_contains`); `explain`: lines that
//!   `--explain ID` must show; `csv_lines` and `human_lines`: whole lines
//!   (runs of spaces count as one) that `--format csv` and `--format human`
//!   must print. Under a contract with versions an objective
//!   is found by its `version` too.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/eval/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// An instant to the nanosecond: fractions of a second decide too.
fn instant(v: &Value) -> Option<(i64, u32)> {
    v.as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|d| (d.timestamp(), d.timestamp_subsec_nanos()))
}

/// The same value, timestamps compared as instants.
fn same(key: &str, want: &Value, got: &Value) -> bool {
    if matches!(key, "deadline" | "start" | "stop" | "closed_at" | "due_at") && want.is_string() {
        return instant(want).is_some() && instant(want) == instant(got);
    }
    want == got
}

struct Run {
    json: Value,
    code: i32,
    stderr: String,
}

fn command(dir: &Path) -> Command {
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sla"));
    cmd.arg("eval")
        .arg(dir.join("contract.sla"))
        .arg(dir.join("tickets.csv"));
    for word in args.split_whitespace() {
        let file = dir.join(word);
        if file.is_file() {
            cmd.arg(file);
        } else {
            cmd.arg(word);
        }
    }
    cmd
}

fn run(dir: &Path) -> Run {
    let out = command(dir)
        .args(["--format", "json"])
        .output()
        .expect("run sla");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}):\n{}\n{stderr}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout)
        )
    });
    Run {
        json,
        code: out.status.code().unwrap_or(-1),
        stderr,
    }
}

fn check(dir: &Path) -> Vec<String> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .unwrap_or_else(|e| panic!("{name}/expected.json: {e}"));
    let r = run(dir);
    let mut wrong = Vec::new();
    let rows = r.json["tickets"].as_array().cloned().unwrap_or_default();
    for want in expected["rows"].as_array().into_iter().flatten() {
        let hits: Vec<&Value> = rows
            .iter()
            .filter(|row| row["id"] == want["id"] && row["metric"] == want["metric"])
            // A metric with cycles has a row per cycle.
            .filter(|row| want.get("cycle").is_none_or(|c| row["cycle"] == *c))
            // Rows of one id on several lines (duplicates) are told apart by line.
            .filter(|row| want.get("line").is_none_or(|l| row["line"] == *l))
            .collect();
        let mut which = format!("{name}: ticket {} {}", want["id"], want["metric"]);
        if let Some(c) = want.get("cycle") {
            which.push_str(&format!(" cycle {c}"));
        }
        if let Some(l) = want.get("line") {
            which.push_str(&format!(" (line {l})"));
        }
        let [got] = hits.as_slice() else {
            wrong.push(format!("{which}: {} rows, expected one", hits.len()));
            continue;
        };
        for (key, value) in want.as_object().into_iter().flatten() {
            if key == "why" {
                continue;
            }
            if key == "reason_contains" {
                let reason = got["reason"].as_str().unwrap_or_default();
                if !value.as_str().is_some_and(|v| reason.contains(v)) {
                    wrong.push(format!("{which}: reason {reason:?} lacks {value}"));
                }
                continue;
            }
            if !same(key, value, &got[key]) {
                wrong.push(format!(
                    "{which}: {key} is {}, expected {value} ({})",
                    got[key], want["why"]
                ));
            }
        }
    }
    let objectives = r.json["objectives"].as_array().cloned().unwrap_or_default();
    for want in expected["objectives"].as_array().into_iter().flatten() {
        let got = objectives.iter().find(|o| {
            o["name"] == want["name"]
                    && o["period"] == want["period"]
                    // Under a contract with versions, also by version.
                    && want.get("version").is_none_or(|v| o["version"] == *v)
        });
        let which = format!("{name}: objective {} {}", want["name"], want["period"]);
        let Some(got) = got else {
            wrong.push(format!("{which}: not in the report"));
            continue;
        };
        for key in ["met", "breached", "pending", "invalid"] {
            if !want[key].is_null() && want[key] != got[key] {
                wrong.push(format!(
                    "{which}: {key} is {}, expected {} ({})",
                    got[key], want[key], want["why"]
                ));
            }
        }
    }
    for (kind, want) in expected["problems"].as_object().into_iter().flatten() {
        let got = &r.json["problems"]["kinds"][kind];
        if got["count"] != want["count"] {
            wrong.push(format!(
                "{name}: problems.{kind}: {} , expected {} ({})",
                got["count"], want["count"], want["why"]
            ));
        }
        // Each kind is a diagnostic code of the one registry, on the kind
        // and on every problem kept.
        if !want["code"].is_null() {
            let codes = got["first"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| &p["code"]);
            if got["code"] != want["code"] || codes.clone().any(|c| *c != want["code"]) {
                wrong.push(format!(
                    "{name}: problems.{kind}: code {}, expected {}: {got}",
                    got["code"], want["code"]
                ));
            }
        }
        let lines: Vec<&Value> = got["first"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| &p["line"])
            .collect();
        for line in want["lines"].as_array().into_iter().flatten() {
            if !lines.contains(&line) {
                wrong.push(format!("{name}: problems.{kind} lacks line {line}: {got}"));
            }
        }
        for text in want["reason_contains"].as_array().into_iter().flatten() {
            let found = got["first"].as_array().into_iter().flatten().any(|p| {
                text.as_str()
                    .is_some_and(|t| p["reason"].as_str().unwrap_or_default().contains(t))
            });
            if !found {
                wrong.push(format!(
                    "{name}: problems.{kind}: no reason with {text}: {got}"
                ));
            }
        }
    }
    for (key, want) in expected["priority_changes"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| *k != "why")
    {
        if &r.json["priority_changes"][key] != want {
            wrong.push(format!(
                "{name}: priority_changes.{key} is {}, expected {want} ({})",
                r.json["priority_changes"][key], expected["priority_changes"]["why"]
            ));
        }
    }
    let escalations = r.json["escalations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for want in expected["escalations"].as_array().into_iter().flatten() {
        let which = format!("{name}: escalation of ticket {}", want["id"]);
        let hits: Vec<&Value> = escalations
            .iter()
            .filter(|e| e["id"] == want["id"])
            .collect();
        let [got] = hits.as_slice() else {
            wrong.push(format!("{which}: {} rows, expected one", hits.len()));
            continue;
        };
        for (key, value) in want.as_object().into_iter().flatten() {
            if key != "why" && !same(key, value, &got[key]) {
                wrong.push(format!(
                    "{which}: {key} is {}, expected {value} ({})",
                    got[key], want["why"]
                ));
            }
        }
    }
    for (key, want) in expected["summary"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| *k != "why")
    {
        if &r.json["summary"][key] != want {
            wrong.push(format!(
                "{name}: summary.{key} is {}, expected {want}",
                r.json["summary"][key]
            ));
        }
    }
    if let Some(code) = expected["exit"].as_i64() {
        if i64::from(r.code) != code {
            wrong.push(format!("{name}: exit {} , expected {code}", r.code));
        }
    }
    for text in expected["stderr_contains"].as_array().into_iter().flatten() {
        if !text.as_str().is_some_and(|t| r.stderr.contains(t)) {
            wrong.push(format!("{name}: stderr lacks {text}:\n{}", r.stderr));
        }
    }
    // Whole lines that `--format csv` and `--format human` must print.
    for (format, key) in [("csv", "csv_lines"), ("human", "human_lines")] {
        let Some(want) = expected[key].as_array() else {
            continue;
        };
        let out = command(dir)
            .args(["--format", format])
            .output()
            .expect("run sla");
        let text = String::from_utf8_lossy(&out.stdout);
        // A table's padding is layout: runs of spaces count as one.
        let words = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
        for line in want {
            let line = words(line.as_str().unwrap_or_default());
            if !text.lines().any(|l| words(l) == line) {
                wrong.push(format!(
                    "{name}: --format {format} lacks the line {line:?}:\n{text}"
                ));
            }
        }
    }
    if let Some(id) = expected["explain"]["id"].as_str() {
        let out = command(dir)
            .args(["--explain", id])
            .output()
            .expect("run sla");
        let ledger = String::from_utf8_lossy(&out.stdout);
        for text in expected["explain"]["contains"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if !text.as_str().is_some_and(|t| ledger.contains(t)) {
                wrong.push(format!("{name}: --explain {id} lacks {text}:\n{ledger}"));
            }
        }
    }
    wrong
}

#[test]
fn every_case_gives_the_verdicts_worked_out_by_hand() {
    let dirs = cases();
    assert!(!dirs.is_empty(), "no cases under tests/eval/cases");
    let wrong: Vec<String> = dirs.iter().flat_map(|d| check(d)).collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every code of evaluation's input problems (E07xx, W07xx) is produced by a
/// case: some case expects a problem of that code (and the run's JSON gives
/// it that code, which the case test checks).
#[test]
fn every_input_code_has_a_case() {
    let mut named = std::collections::BTreeSet::new();
    for dir in cases() {
        let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
        let expected: Value = serde_json::from_str(&text).expect("expected.json is JSON");
        for want in expected["problems"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(_, w)| w)
        {
            if want["count"].as_u64().is_some_and(|n| n > 0) {
                if let Some(code) = want["code"].as_str() {
                    named.insert(code.to_string());
                }
            }
        }
    }
    let missing: Vec<&str> = sla::diagnostic::CODES
        .iter()
        .filter(|c| c.is_input() && !named.contains(c.as_str()))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "input codes no case under tests/eval/cases expects: {missing:?}"
    );
}
