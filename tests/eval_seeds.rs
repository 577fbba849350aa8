//! The five seed logs against their known verdicts (tests/eval/testdata, a
//! copy of shared/testdata): every ticket row, the objectives per metric and
//! month, and the exit code must agree, as `check.py` checks them. Each seed
//! runs from its hand-written rule set (tests/eval/rules) and, where the
//! contract exists, from `contracts/<seed>.sla`, with the same results.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const AS_OF: &str = "2026-01-10T12:00:00Z";
const SEEDS: [&str; 5] = ["care", "connexys", "infravision", "voicetronics", "xguard"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn eval_json(contract: &Path, tickets: &Path) -> (Value, i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .arg("eval")
        .arg(contract)
        .arg(tickets)
        .args(["--as-of", AS_OF, "--format", "json"])
        .output()
        .expect("run sla");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("output is not JSON ({e}); stderr:\n{stderr}"));
    (json, out.status.code().unwrap_or(-1), stderr)
}

fn instant(v: &Value) -> Option<i64> {
    let s = v.as_str()?;
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.timestamp())
}

fn close(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1.0,
        _ => a.is_null() && b.is_null(),
    }
}

/// The comparison of check.py, returning the differences.
fn compare(exp: &Value, act: &Value, rc: i32) -> Vec<String> {
    let mut problems = Vec::new();
    let mut rows: HashMap<(String, Value), Vec<&Value>> = HashMap::new();
    for r in act["tickets"].as_array().into_iter().flatten() {
        let id = match &r["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        rows.entry((id, r["metric"].clone())).or_default().push(r);
    }
    for e in exp["tickets"].as_array().into_iter().flatten() {
        let key = (
            e["id"].as_str().unwrap_or_default().to_string(),
            e["metric"].clone(),
        );
        let Some(got) = rows.get(&key) else {
            if e["status"] == "not_applicable" && !e["metric"].is_null() {
                continue;
            }
            problems.push(format!("{key:?}: missing row (expected {})", e["status"]));
            continue;
        };
        let g = got[0];
        let mut bad = Vec::new();
        if g["status"] != e["status"] {
            bad.push(format!("status {} != {}", g["status"], e["status"]));
        }
        if !e["priority"].is_null() && g["priority"] != e["priority"] {
            bad.push(format!("priority {} != {}", g["priority"], e["priority"]));
        }
        let decided = ["met", "breached", "pending"].contains(&e["status"].as_str().unwrap_or(""));
        if decided && g["status"] == e["status"] {
            for k in ["elapsed_seconds", "target_seconds"] {
                if !e[k].is_null() && !close(&g[k], &e[k]) {
                    bad.push(format!("{k} {} != {}", g[k], e[k]));
                }
            }
            if !e["deadline"].is_null() {
                let ok = match (instant(&g["deadline"]), instant(&e["deadline"])) {
                    (Some(a), Some(b)) => (a - b).abs() <= 1,
                    _ => false,
                };
                if !ok {
                    bad.push(format!("deadline {} != {}", g["deadline"], e["deadline"]));
                }
            }
        }
        if !bad.is_empty() {
            problems.push(format!("{key:?}: {}", bad.join("; ")));
        }
    }
    // Objectives, independent of their names: (metric, period, met, breached, compliant).
    let key = |o: &Value| {
        (
            o["metric"].to_string(),
            o["period"].to_string(),
            o["met"].as_u64(),
            o["breached"].as_u64(),
            o["compliant"].as_bool().unwrap_or(false),
        )
    };
    let mut have: HashMap<_, usize> = HashMap::new();
    for o in act["objectives"].as_array().into_iter().flatten() {
        *have.entry(key(o)).or_default() += 1;
    }
    for o in exp["objectives"].as_array().into_iter().flatten() {
        match have.get_mut(&key(o)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => problems.push(format!("objective missing or different: {:?}", key(o))),
        }
    }
    let mut sums: HashMap<String, (u64, u64)> = HashMap::new();
    for o in act["objectives"].as_array().into_iter().flatten() {
        let k = format!(
            "{}|{}",
            o["metric"].as_str().unwrap_or(""),
            o["period"].as_str().unwrap_or("")
        );
        let s = sums.entry(k).or_default();
        s.0 += o["met"].as_u64().unwrap_or(0);
        s.1 += o["breached"].as_u64().unwrap_or(0);
    }
    for (k, c) in exp["per_metric_period"].as_object().into_iter().flatten() {
        let want = (
            c["met"].as_u64().unwrap_or(0),
            c["breached"].as_u64().unwrap_or(0),
        );
        if want.0 + want.1 == 0 {
            continue;
        }
        let got = sums.get(k).copied().unwrap_or_default();
        if got != want {
            problems.push(format!(
                "objectives for {k}: met/breached {got:?} != {want:?}"
            ));
        }
    }
    if Some(i64::from(rc)) != exp["exit"].as_i64() {
        problems.push(format!("exit code {rc} != {}", exp["exit"]));
    }
    problems
}

fn check_seed(seed: &str, contract: &Path) {
    let dir = root().join("tests/eval/testdata").join(seed);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json"),
    )
    .expect("expected.json is JSON");
    let (actual, rc, stderr) = eval_json(contract, &dir.join("tickets.csv"));
    let problems = compare(&expected, &actual, rc);
    assert!(
        problems.is_empty(),
        "{seed} ({}): {} difference(s):\n{}\nstderr:\n{stderr}",
        contract.display(),
        problems.len(),
        problems
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let rows = expected["tickets"].as_array().map(Vec::len).unwrap_or(0);
    assert!(rows > 0, "{seed}: expected.json has no rows");
}

#[test]
fn every_seed_agrees_with_its_expected_verdicts_from_json_rules() {
    for seed in SEEDS {
        check_seed(seed, &root().join(format!("tests/eval/rules/{seed}.json")));
    }
}

#[test]
fn seed_contracts_in_source_form_give_the_same_verdicts() {
    let mut ran = 0;
    for seed in SEEDS {
        let sla = root().join(format!("contracts/{seed}.sla"));
        if sla.exists() {
            check_seed(seed, &sla);
            ran += 1;
        }
    }
    // The contracts are written alongside the evaluator; at least one exists.
    assert!(ran > 0, "no contracts/*.sla found");
}

#[test]
fn the_comparison_catches_a_difference() {
    let exp = serde_json::json!({
        "exit": 1,
        "tickets": [{"id": "A", "metric": "m", "priority": null, "status": "met",
                     "elapsed_seconds": 10, "target_seconds": 20, "deadline": null}],
        "objectives": [], "per_metric_period": {}
    });
    let mut act = serde_json::json!({"tickets": [{"id": "A", "metric": "m", "status": "met",
        "elapsed_seconds": 10, "target_seconds": 20, "deadline": null}], "objectives": []});
    assert!(compare(&exp, &act, 1).is_empty());
    act["tickets"][0]["elapsed_seconds"] = 12.into();
    assert_eq!(compare(&exp, &act, 0).len(), 2);
}

#[test]
fn a_contract_and_its_compiled_rule_set_give_identical_reports() {
    let dir = std::env::temp_dir().join(format!("sla-eval-compiled-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for seed in SEEDS {
        let sla = root().join(format!("contracts/{seed}.sla"));
        if !sla.exists() {
            continue;
        }
        let json = dir.join(format!("{seed}.json"));
        let out = Command::new(env!("CARGO_BIN_EXE_sla"))
            .arg("compile")
            .arg(&sla)
            .arg("-o")
            .arg(&json)
            .output()
            .expect("run sla compile");
        assert!(out.status.success(), "{seed}: sla compile failed");
        let tickets = root().join(format!("tests/eval/testdata/{seed}/tickets.csv"));
        let from_source = eval_json(&sla, &tickets);
        let from_json = eval_json(&json, &tickets);
        assert_eq!(from_source.0, from_json.0, "{seed}: reports differ");
        assert_eq!(from_source.1, from_json.1, "{seed}: exit codes differ");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
