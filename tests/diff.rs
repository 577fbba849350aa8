//! `sla diff` on real files: the cases of `tests/diff/` (pairs of contracts
//! with their difference written by hand), a contract against its compiled
//! JSON, a git revision, and inputs that cannot be used.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn sla(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run sla");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/diff")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("old.sla").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 3, "the cases of tests/diff are missing");
    dirs
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_case_reads_as_written_by_hand() {
    for dir in cases() {
        let name = dir.display();
        let expected: Value = serde_json::from_str(&read(&dir.join("expected.json")))
            .unwrap_or_else(|e| panic!("{name}/expected.json: {e}"));
        let code = if expected["same"] == Value::Bool(true) {
            0
        } else {
            1
        };
        let (got, human, err) = sla(&dir, &["diff", "old.sla", "new.sla", "--format", "human"]);
        assert_eq!(got, code, "{name}: exit code; stderr: {err}");
        assert_eq!(human, read(&dir.join("expected.txt")), "{name}: human form");
        let (got, json, err) = sla(&dir, &["diff", "old.sla", "new.sla", "--format", "json"]);
        assert_eq!(
            got, code,
            "{name}: exit code of --format json; stderr: {err}"
        );
        let json: Value = serde_json::from_str(&json).expect("JSON output");
        assert_eq!(json, expected, "{name}: JSON form");
    }
}

#[test]
fn a_contract_and_its_compiled_rules_mean_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/care-new-target");
    let tmp = std::env::temp_dir().join(format!("sla-diff-json-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let json = tmp.join("old.json");
    let (code, _, err) = sla(
        &dir,
        &[
            "compile",
            "old.sla",
            "-o",
            json.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let j = json.to_str().expect("utf-8 path");
    let (code, out, _) = sla(&dir, &["diff", "old.sla", j, "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    // The compiled old contract against the new source: the same changes.
    let (code, out, _) = sla(&dir, &["diff", j, "new.sla", "--format", "human"]);
    assert_eq!(code, 1);
    let expected = read(&dir.join("expected.txt")).replacen("old.sla", j, 1);
    assert_eq!(out, expected);
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn a_git_revision_is_read_with_git_show() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/care-new-target");
    let tmp = std::env::temp_dir().join(format!("sla-diff-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("contracts")).expect("temp dir");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(&tmp)
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::copy(case.join("old.sla"), tmp.join("contracts/care.sla")).expect("copy");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "old"]);
    std::fs::copy(case.join("new.sla"), tmp.join("contracts/care.sla")).expect("copy");
    let (code, out, err) = sla(
        &tmp,
        &[
            "diff",
            "HEAD:contracts/care.sla",
            "contracts/care.sla",
            "--format",
            "human",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let expected = read(&case.join("expected.txt"))
        .replacen("old.sla", "HEAD:contracts/care.sla", 1)
        .replacen("new.sla", "contracts/care.sla", 1);
    assert_eq!(out, expected);
    // A revision that does not exist: exit 2, and the message says what git said.
    let (code, _, err) = sla(
        &tmp,
        &["diff", "HEAD~5:contracts/care.sla", "contracts/care.sla"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("HEAD~5:contracts/care.sla"), "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn unusable_contracts_exit_2_and_say_why() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/care-new-target");
    let (code, _, err) = sla(&dir, &["diff", "old.sla", "missing.sla"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.sla: no such file"), "{err}");
    let tmp = std::env::temp_dir().join(format!("sla-diff-bad-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    std::fs::write(
        tmp.join("bad.sla"),
        read(&dir.join("old.sla")).replace("in office", "in offfice"),
    )
    .expect("write");
    let bad = tmp.join("bad.sla");
    let (code, _, err) = sla(&dir, &["diff", "old.sla", bad.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.sla") && err.contains("error"), "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}

/// Shares rounded to one decimal, as `tests/diff-whatif/expected.json` writes them.
fn rounded(mut v: Value) -> Value {
    for o in v.as_array_mut().into_iter().flatten() {
        for side in ["old", "new"] {
            if let Some(s) = o[side]["share"].as_f64() {
                o[side]["share"] = Value::from((s * 10.0).round() / 10.0);
            }
        }
    }
    v
}

#[test]
fn the_what_if_over_a_log_is_worked_out_by_hand() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let dir = root.join("diff-whatif");
    let expected: Value =
        serde_json::from_str(&read(&dir.join("expected.json"))).expect("expected.json");
    let args = [
        "diff",
        "../diff/care-new-target/old.sla",
        "../diff/care-new-target/new.sla",
        "tickets.csv",
        "--as-of",
        "2026-01-10T12:00:00Z",
    ];
    let (code, out, err) = sla(&dir, &[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 1, "{err}");
    let got: Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(got["tickets"], expected["tickets"]);
    assert_eq!(got["summary"], expected["summary"]);
    assert_eq!(rounded(got["objectives"].clone()), expected["objectives"]);
    assert_eq!(got["same"], Value::Bool(false));
    assert_eq!(got["changes"].as_array().map(Vec::len), Some(10));
    // The human form: the table, then the tickets.
    let (code, out, _) = sla(&dir, &[&args[..], &["--format", "human"]].concat());
    assert_eq!(code, 1);
    for line in [
        "5 tickets, 2 with a changed verdict",
        "  breached → met                       1",
        "  excluded → met                       2",
        "  unchanged                            7",
        "  resolution high 2025-11: 1 met of 3: 33.3% of 85%, not compliant → 2 met of 3: 66.7% of 85%, not compliant",
        "  W-1 resolution high: breached → met",
        "  W-4 response medium: excluded → met",
    ] {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
    assert!(out.find("verdicts") < out.find("W-1 resolution"), "{out}");
    // The same contract on both sides: nothing changes, exit 0.
    let same = [
        "diff",
        "../diff/care-new-target/old.sla",
        "../diff/care-new-target/old.sla",
        "tickets.csv",
        "--as-of",
        "2026-01-10T12:00:00Z",
        "--format",
        "json",
    ];
    let (code, out, _) = sla(&dir, &same);
    assert_eq!(code, 0);
    let got: Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(got["tickets"], Value::Array(Vec::new()));
    assert_eq!(got["summary"]["tickets_changed"], 0);
}

#[test]
fn two_versions_of_one_contract_are_compared_as_two_contracts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/care-amended");
    // Version 2 against version 1 of the same file: what the amendment
    // changes, said as for two contracts (written by hand: the two added
    // closed days and the longer target).
    let (code, out, err) = sla(
        &dir,
        &["diff", "new.sla@1", "new.sla@2", "--format", "human"],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        "new.sla@1 → new.sla@2: 3 changes\n\
         \x20 + calendar office closed on 24 December every year\n\
         \x20 + calendar office closed on 31 December every year\n\
         \x20 ~ target resolution high: within 4 hours of office → within 6 hours of office\n"
    );
    // Version 1 is the contract as first written: the same as old.sla.
    let (code, out, err) = sla(&dir, &["diff", "old.sla", "new.sla@1"]);
    assert_eq!(code, 0, "{out}{err}");
    // A version that does not exist: exit 2, naming the versions there are.
    let (code, _, err) = sla(&dir, &["diff", "new.sla@1", "new.sla@3"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no version `3`; its versions are: 1, 2"),
        "{err}"
    );
}

/// Adding a version (what a pull request that adds an amendment does): the
/// what-if changes only the tickets opened from its day, and the old
/// contract's objectives pair with version 1's. Worked out by hand in
/// `tests/diff-versions/README.md`.
#[test]
fn the_what_if_of_adding_a_version_is_worked_out_by_hand() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff-versions");
    let expected: Value =
        serde_json::from_str(&read(&dir.join("expected.json"))).expect("expected.json");
    let args = [
        "diff",
        "../diff/care-amended/old.sla",
        "../diff/care-amended/new.sla",
        "tickets.csv",
        "--as-of",
        "2027-01-15T00:00:00Z",
        "--format",
        "json",
    ];
    let (code, out, err) = sla(&dir, &args);
    assert_eq!(code, 1, "{err}");
    let got: Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(got["tickets"], expected["tickets"]);
    assert_eq!(got["summary"], expected["summary"]);
    assert_eq!(rounded(got["objectives"].clone()), expected["objectives"]);
}
