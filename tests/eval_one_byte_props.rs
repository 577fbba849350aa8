//! One damaged byte damages one row (issue 17): changing any one byte of a
//! valid ticket log changes the verdicts of at most the row(s) on the line
//! of that byte (both lines, where the byte was a line end), never loses
//! another row, and never makes `sla eval` fail or panic. Runs the real
//! binary on generated CSV logs with plain, quoted and empty cells and
//! every kind of line end.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use serde_json::Value;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::scratch_dir;

const CONTRACT: &str = r#"
contract "One byte" {
  provider "Test"
  timezone "Europe/Amsterdam"
}

calendar office {
  open mon..fri 09:00-17:00
}

fields {
  opened_at:    timestamp
  priority:     label [high, low]
  responded_at: timestamp
  resolved_at:  timestamp
}

priority from priority {
  high "urgent"
  low  "not urgent"
}

metric response   from opened_at to responded_at in office
metric resolution from opened_at to resolved_at

targets per month {
  high response within 2 hours  resolution within 1 day
  low  response within 8 hours  resolution within 3 days
}
"#;

/// One row of the log: minutes after 2026-03-02 09:00 local, and a note.
#[derive(Debug, Clone)]
struct Row {
    opened: u32,
    high: bool,
    responded: Option<u32>,
    resolved: Option<u32>,
    note: &'static str,
}

fn row() -> impl Strategy<Value = Row> {
    (
        0u32..20_000,
        any::<bool>(),
        prop::option::of(0u32..3000),
        prop::option::of(0u32..9000),
        prop::sample::select(vec![
            "",
            "plain",
            "\"quoted, with a comma\"",
            "\"say \"\"hi\"\"\"",
            "caf\u{e9}",
        ]),
    )
        .prop_map(|(opened, high, responded, resolved, note)| Row {
            opened,
            high,
            responded: responded.map(|r| opened + r),
            resolved: resolved.map(|r| opened + r),
            note,
        })
}

fn stamp(minutes: u32) -> String {
    let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a date")
        + chrono::Duration::minutes(i64::from(minutes));
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The log's bytes, with line ends drawn from `ends` in turn.
fn log(rows: &[Row], ends: &[&str]) -> Vec<u8> {
    let mut out = String::from("id,opened_at,priority,note,responded_at,resolved_at");
    for (i, r) in rows.iter().enumerate() {
        out.push_str(ends[i % ends.len()]);
        out.push_str(&format!(
            "T-{i},{},{},{},{},{}",
            stamp(r.opened),
            if r.high { "high" } else { "low" },
            r.note,
            r.responded.map(stamp).unwrap_or_default(),
            r.resolved.map(stamp).unwrap_or_default(),
        ));
    }
    out.push('\n');
    out.into_bytes()
}

static RUN: AtomicU64 = AtomicU64::new(0);

/// Verdicts by ticket id: (metric, status, elapsed, deadline) of each row,
/// and the exit code.
type Verdicts = BTreeMap<String, Vec<(Value, Value, Value, Value)>>;

/// The ids of the rows at these (1-based) lines.
type Lines = BTreeMap<u64, Vec<String>>;

fn eval(dir: &Path, bytes: &[u8]) -> (Verdicts, Lines, i32) {
    let n = RUN.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(format!("log-{n}.csv"));
    std::fs::write(&path, bytes).expect("write the log");
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .arg("eval")
        .arg(dir.join("contract.sla"))
        .arg(&path)
        .args(["--as-of", "2026-04-15T00:00:00Z", "--format", "json"])
        .output()
        .expect("run sla");
    let _ = std::fs::remove_file(&path);
    let code = out.status.code().unwrap_or(-1);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let mut by_id = Verdicts::new();
    let mut lines = Lines::new();
    for r in json["tickets"].as_array().into_iter().flatten() {
        let id = r["id"].as_str().unwrap_or("").to_string();
        lines
            .entry(r["line"].as_u64().unwrap_or(0))
            .or_default()
            .push(id);
        by_id
            .entry(r["id"].as_str().unwrap_or("").to_string())
            .or_default()
            .push((
                r["metric"].clone(),
                r["status"].clone(),
                r["elapsed_seconds"].clone(),
                r["deadline"].clone(),
            ));
    }
    (by_id, lines, code)
}

fn dir() -> PathBuf {
    scratch_dir("sla-one-byte", CONTRACT)
}

/// The 0-based lines (`\n`, `\r\n` or `\r` end one) that byte `at` lies on:
/// its own, and the next where the byte is a line end (it joins the two).
fn lines_of(bytes: &[u8], at: usize) -> (usize, usize) {
    let line = (0..at)
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    let end = matches!(bytes[at], b'\n' | b'\r');
    (line, line + usize::from(end))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn one_byte_changes_at_most_its_line(
        rows in prop::collection::vec(row(), 3..25),
        ends in prop::sample::select(vec![vec!["\n"], vec!["\r\n"], vec!["\r"], vec!["\n", "\r\n", "\r"]]),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(vec![b'"', b',', b';', b'\n', b'\r', b'x', b'1', b' ', 0xe9, 0xff]),
    ) {
        let dir = dir();
        let good = log(&rows, &ends);
        let (before, _, code) = eval(&dir, &good);
        prop_assert!(code == 0 || code == 1, "the valid log exits {code}");
        prop_assert_eq!(before.len(), rows.len(), "every ticket of the valid log is reported");
        // Any byte after the header's line.
        let header_end = good.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(0);
        let at = header_end + 1 + at.index(good.len() - header_end - 1);
        let mut bad = good.clone();
        bad[at] = byte;
        let (after, lines, code) = eval(&dir, &bad);
        prop_assert!(code == 0 || code == 1, "exit {code} after changing byte {at} to {byte:#x}");
        let (first, last) = lines_of(&good, at);
        // The ids the damaged line(s) now name: a byte of an id may turn it
        // into another ticket's, and then one of the two rows is a
        // duplicate (SEMANTICS.md: the later one is invalid).
        let (bad_first, bad_last) = lines_of(&bad, at);
        let taken: Vec<&String> = (bad_first..=bad_last)
            .filter_map(|l| lines.get(&(l as u64 + 1)))
            .flatten()
            .collect();
        for (i, _) in rows.iter().enumerate() {
            let id = format!("T-{i}");
            // Row i is on line i + 1 (the header is line 0).
            if (first..=last).contains(&(i + 1)) || taken.contains(&&id) {
                continue;
            }
            prop_assert_eq!(
                after.get(&id), before.get(&id),
                "{} changed after byte {} (line {}) became {:#x}:\n{}",
                id, at, first, byte, String::from_utf8_lossy(&bad)
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
