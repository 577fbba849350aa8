//! `sla compile` on the five seed contracts: the rule set each compiles to,
//! as the command prints it, snapshotted in `snapshots/compile@NAME.sla.snap`.
//! A change in lowering shows up here as a diff to review
//! (`INSTA_UPDATE=always cargo test --test compile`, or `cargo insta review`).
//! And a compiled rule set edited by hand into what the checker rejects is
//! refused by `sla eval`, with the checker's code.

use std::process::Command;

#[test]
fn seed_contracts_compile_to_their_snapshots() {
    let mut seen = 0;
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::glob!("../contracts", "*.sla", |path| {
            let out = Command::new(env!("CARGO_BIN_EXE_sla"))
                .arg("compile")
                .arg(path)
                .output()
                .expect("sla runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{}: {stderr}", path.display());
            assert!(stderr.is_empty(), "{}: unexpected diagnostics: {stderr}", path.display());
            let json = String::from_utf8(out.stdout).expect("UTF-8 output");
            let value: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
            assert_eq!(value["schema"], "sla-rules/1");
            insta::assert_snapshot!("compile", json);
            seen += 1;
        });
    });
    assert_eq!(seen, 5, "the five seed contracts");
}

/// A rule set read from JSON has not been through the checker: the plan
/// refuses what the checker would (E0409: a next-reply clock under two
/// resolution timestamps; E0408: a clock that starts where a clock with a
/// cycle per reopening stops), naming the code, and evaluates nothing.
#[test]
fn a_hand_edited_rule_set_with_no_single_resolution_or_start_is_refused() {
    let dir = std::env::temp_dir().join(format!("sla-compile-refused-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(["compile", "tests/check/ok/resolution_timestamps.sla"])
        .output()
        .expect("sla runs");
    assert_eq!(out.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let tickets = dir.join("tickets.csv");
    std::fs::write(
        &tickets,
        "id,opened_at,resolved_at,closed_at\nT1,2026-06-09 08:00:00,,\n",
    )
    .expect("write tickets");
    let refused = |edit: &dyn Fn(&mut serde_json::Value), code: &str| {
        let mut r = rules.clone();
        edit(&mut r);
        // Not named after the code: the message names the file.
        let path = dir.join("rules.json");
        std::fs::write(&path, r.to_string()).expect("write rules");
        let out = Command::new(env!("CARGO_BIN_EXE_sla"))
            .arg("eval")
            .arg(&path)
            .arg(&tickets)
            .output()
            .expect("sla runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{code}: {stderr}");
        assert!(stderr.contains(&format!("({code})")), "{code}: {stderr}");
    };
    let metric = |name: &str, start: serde_json::Value, stop: serde_json::Value| {
        serde_json::json!({"name": name, "start": start, "stop": stop, "calendar": "24x7",
            "resolved": ["resolved"]})
    };
    refused(
        &|r| {
            let m = metric(
                "next_reply",
                serde_json::json!({"kind": "event", "name": "customer_reply"}),
                serde_json::json!({"kind": "event", "name": "agent_reply"}),
            );
            r["metrics"].as_array_mut().expect("metrics").push(m);
        },
        "E0409",
    );
    refused(
        &|r| {
            r["metrics"][0]["cycles"] = true.into();
            let mut m = metric(
                "report",
                serde_json::json!({"kind": "metric_stop", "name": "fix"}),
                serde_json::json!({"kind": "field", "name": "closed_at"}),
            );
            m["resolved"] = serde_json::json!([]);
            r["metrics"].as_array_mut().expect("metrics").push(m);
        },
        "E0408",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
