//! `sla compile` on the five seed contracts: the rule set each compiles to,
//! as the command prints it, snapshotted in `snapshots/compile@NAME.sla.snap`.
//! A change in lowering shows up here as a diff to review
//! (`INSTA_UPDATE=always cargo test --test compile`, or `cargo insta review`).

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
