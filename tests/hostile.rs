//! Hostile inputs, as data: each folder of `tests/hostile/` is one case, its
//! `case.txt` the command and what must come of it. The real binary runs in
//! the case's folder; a case that runs over a minute is a hang.
//!
//! `case.txt`, one directive a line (`#` starts a comment line):
//!
//! ```text
//! run: eval contract.sla tickets.csv --as-of 2025-12-31T00:00:00Z --format json
//! exit: 1                 the exit code
//! tickets: 200            distinct ticket ids in the JSON report (stdout)
//! line-of: CA-00011 12    the `line` of that ticket's rows in the report
//! stderr: quote.csv:11    stderr contains this (repeatable)
//! stderr-under: 4096      stderr is shorter than this many bytes
//! xfail: why              a known failure, not yet fixed: the case must
//!                         still fail (so that a fix is noticed and the
//!                         marker removed)
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Default, Debug)]
struct Case {
    run: Vec<String>,
    exit: Option<i32>,
    tickets: Option<usize>,
    line_of: Vec<(String, u64)>,
    stderr: Vec<String>,
    stderr_under: Option<usize>,
    xfail: Option<String>,
}

fn read_case(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).expect("a readable case.txt");
    let mut case = Case::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{}:{}: expected `key: value`", path.display(), n + 1));
        let value = value.trim();
        let number = || -> u64 {
            value
                .parse()
                .unwrap_or_else(|_| panic!("{}:{}: not a number", path.display(), n + 1))
        };
        match key {
            "run" => case.run = value.split_whitespace().map(str::to_string).collect(),
            "exit" => case.exit = Some(number() as i32),
            "tickets" => case.tickets = Some(number() as usize),
            "line-of" => {
                let (id, l) = value.split_once(' ').expect("line-of: ID LINE");
                let l = l.trim().parse().expect("a line number");
                case.line_of.push((id.to_string(), l));
            }
            "stderr" => case.stderr.push(value.to_string()),
            "stderr-under" => case.stderr_under = Some(number() as usize),
            "xfail" => case.xfail = Some(value.to_string()),
            other => panic!("{}:{}: unknown directive `{other}`", path.display(), n + 1),
        }
    }
    assert!(!case.run.is_empty(), "{}: no `run:`", path.display());
    case
}

/// Runs the binary with a time limit; (exit code, stdout, stderr).
fn run(dir: &Path, args: &[String]) -> Result<(i32, Vec<u8>, Vec<u8>), String> {
    let out_path = std::env::temp_dir().join(format!(
        "sla-hostile-{}-{}.out",
        std::process::id(),
        dir.file_name().unwrap_or_default().to_string_lossy()
    ));
    let err_path = out_path.with_extension("err");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).map_err(|e| e.to_string())?)
        .stderr(std::fs::File::create(&err_path).map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            return Err("still running after 60 s: a hang".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = std::fs::read(&out_path).unwrap_or_default();
    let stderr = std::fs::read(&err_path).unwrap_or_default();
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&err_path);
    Ok((status.code().unwrap_or(-1), stdout, stderr))
}

/// What is wrong with the outcome of one case (empty: nothing).
fn verdict(dir: &Path, case: &Case) -> Vec<String> {
    let (code, stdout, stderr) = match run(dir, &case.run) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    let mut wrong = Vec::new();
    let err_text = String::from_utf8_lossy(&stderr);
    if let Some(want) = case.exit {
        if code != want {
            wrong.push(format!("exit code {code}, expected {want}"));
        }
    }
    for s in &case.stderr {
        if !err_text.contains(s.as_str()) {
            wrong.push(format!("stderr does not contain `{s}`"));
        }
    }
    if let Some(max) = case.stderr_under {
        if stderr.len() >= max {
            wrong.push(format!(
                "stderr has {} bytes, expected under {max}",
                stderr.len()
            ));
        }
    }
    if case.tickets.is_some() || !case.line_of.is_empty() {
        let report: serde_json::Value = match serde_json::from_slice(&stdout) {
            Ok(v) => v,
            Err(e) => {
                wrong.push(format!("stdout is not a JSON report: {e}"));
                return wrong;
            }
        };
        let rows = report["tickets"].as_array().cloned().unwrap_or_default();
        if let Some(want) = case.tickets {
            let ids: std::collections::BTreeSet<&str> =
                rows.iter().filter_map(|r| r["id"].as_str()).collect();
            if ids.len() != want {
                wrong.push(format!(
                    "{} tickets in the report, expected {want}",
                    ids.len()
                ));
            }
        }
        for (id, line) in &case.line_of {
            let lines: Vec<u64> = rows
                .iter()
                .filter(|r| r["id"] == id.as_str())
                .filter_map(|r| r["line"].as_u64())
                .collect();
            if lines.is_empty() || lines.iter().any(|l| l != line) {
                wrong.push(format!(
                    "{id} is reported at line(s) {lines:?}, expected {line}"
                ));
            }
        }
    }
    if !wrong.is_empty() {
        let excerpt: String = err_text.chars().take(600).collect();
        wrong.push(format!("stderr began: {excerpt}"));
    }
    wrong
}

#[test]
fn hostile_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/hostile")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("case.txt").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "too few hostile cases");
    let mut failures = Vec::new();
    for dir in &dirs {
        let case = read_case(&dir.join("case.txt"));
        let wrong = verdict(dir, &case);
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        match (&case.xfail, wrong.is_empty()) {
            (None, false) => failures.push(format!("{name}:\n  {}", wrong.join("\n  "))),
            (Some(why), true) => failures.push(format!(
                "{name}: passes now, but is marked `xfail: {why}`; remove the marker"
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
