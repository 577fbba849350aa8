//! Duplicate ids in a long log (issue 11): the real binary on generated
//! logs whose duplicates lie far apart, with the ids kept in memory and
//! forced through the way a long log takes (its ids sorted on disk,
//! `src/eval/run/duplicates.rs`, by `SLA_ID_MEMORY=0`): the two must write
//! the same report, byte for byte, and the report must be the one worked
//! out below from SEMANTICS.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const AS_OF: &str = "2026-06-10T00:00:00Z";

fn contract() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/eval/cases/duplicate_ids/contract.sla")
        .display()
        .to_string()
}

/// `sla eval CONTRACT LOG --format json` with `SLA_ID_MEMORY` set (or not).
fn eval(log: &str, memory: Option<&str>) -> Output {
    eval_with(log, memory, &[])
}

/// [`eval`] with more environment variables.
fn eval_with(log: &str, memory: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sla"));
    cmd.args([
        "eval",
        &contract(),
        log,
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]);
    match memory {
        Some(m) => cmd.env("SLA_ID_MEMORY", m),
        None => cmd.env_remove("SLA_ID_MEMORY"),
    };
    cmd.envs(env.iter().copied());
    cmd.output().expect("run sla")
}

/// [`eval`] of `log` written into a named pipe `name` in `dir`: a log that
/// can be read only once. It is written from another thread while sla
/// reads it (and writes its report).
fn eval_piped(dir: &Path, name: &str, log: &str, memory: &str) -> (Output, String) {
    eval_piped_with(dir, name, log, memory, &[])
}

/// [`eval_piped`] with more environment variables.
fn eval_piped_with(
    dir: &Path,
    name: &str,
    log: &str,
    memory: &str,
    env: &[(&str, &str)],
) -> (Output, String) {
    let pipe = dir.join(name);
    let _ = std::fs::remove_file(&pipe);
    let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
    assert!(made.success(), "mkfifo {}", pipe.display());
    let to = pipe.clone();
    let log = log.to_string();
    let writer = std::thread::spawn(move || {
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&to) {
            let _ = f.write_all(log.as_bytes());
        }
    });
    let out = eval_with(&pipe.display().to_string(), Some(memory), env);
    let _ = writer.join();
    (out, pipe.display().to_string())
}

fn report(out: &Output, what: &str) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The rows of the log: `N` tickets `TICKET-000000`.. opened at 09:00 and
/// answered at 10:00 (1 h, met against the contract's 4 hours), then the
/// repeats, answered at 20:00 (11 h: were they judged, breached). The ids
/// are long enough, and the tickets many enough, that the sorting of the
/// long way writes more than one run to disk (a run holds about 1 MiB).
const N: usize = 30_000;
/// The repeated tickets, in the order they come after the N: the last one,
/// the first, the middle one, the first again (a third row of it), and the
/// last row of the log repeats the first row once more.
const REPEATS: [usize; 5] = [N - 1, 0, N / 2, 0, 0];

fn id(i: usize) -> String {
    format!("TICKET-{i:06}")
}

fn rows() -> impl Iterator<Item = (String, &'static str)> {
    (0..N)
        .map(|i| (id(i), "10"))
        .chain(REPEATS.iter().map(|&i| (id(i), "20")))
}

fn csv() -> String {
    std::iter::once("id,opened_at,responded_at\n".to_string())
        .chain(rows().map(|(id, at)| format!("{id},2026-06-01T09:00:00Z,2026-06-01T{at}:00:00Z\n")))
        .collect()
}

fn jsonl() -> String {
    rows()
        .map(|(id, at)| {
            format!(
                "{{\"id\": \"{id}\", \"opened_at\": \"2026-06-01T09:00:00Z\", \"responded_at\": \"2026-06-01T{at}:00:00Z\"}}\n"
            )
        })
        .collect()
}

/// Checks the report against what SEMANTICS.md says of the log, whose
/// k-th row (from 0) is on line `first_line + k`:
/// - each repeat is `invalid`, counted as a duplicate_id problem, and names
///   the line of its id's first row: TICKET-029999 (row N) names row N-1,
///   TICKET-000000 (rows N+1, N+3, N+4) names row 0, TICKET-015000 (row
///   N+2) names row 15000; a third row names the first, not the second;
/// - the first rows keep their verdicts (met, 1 h), and the repeats are no
///   tickets: N tickets, N+5 rows, the objective's period has N met and
///   nothing breached or invalid.
fn check(report: &Value, first_line: usize, what: &str) {
    let line = |k: usize| Value::from(first_line + k);
    assert_eq!(report["summary"]["tickets"], N, "{what}");
    assert_eq!(report["summary"]["rows"], N + 5, "{what}");
    let dups = &report["problems"]["kinds"]["duplicate_id"];
    assert_eq!(dups["count"], 5, "{what}");
    let objective = &report["objectives"][0];
    assert_eq!(
        (
            &objective["met"],
            &objective["breached"],
            &objective["invalid"]
        ),
        (&N.into(), &0.into(), &0.into()),
        "{what}"
    );
    let rows = report["tickets"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), N + 5, "{what}");
    let firsts = [N - 1, 0, N / 2, 0, 0];
    for (k, &first) in firsts.iter().enumerate() {
        let row = &rows[N + k];
        assert_eq!(row["line"], line(N + k), "{what}: {row}");
        assert_eq!(row["status"], "invalid", "{what}: {row}");
        let want = format!("ticket {} is already on line {}", id(first), line(first));
        let reason = row["reason"].as_str().unwrap_or("");
        assert!(reason.contains(&want), "{what}: {reason}");
    }
    for k in [0, N / 2, N - 1] {
        let row = &rows[k];
        assert_eq!(
            (&row["line"], &row["status"], &row["elapsed_seconds"]),
            (&line(k), &"met".into(), &3600.into()),
            "{what}: {row}"
        );
    }
}

fn write(dir: &Path, name: &str, log: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, log).expect("write the log");
    file.display().to_string()
}

#[test]
fn far_apart_duplicates_are_the_same_in_memory_and_on_disk() {
    let dir = std::env::temp_dir().join(format!("sla-eval-long-dups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let csv = csv();
    assert!(csv.len() > 4 * 128 * 1024, "several CSV blocks");
    // In JSON Lines, without a header, each row is a line up.
    for (name, log, first_line) in [("dups.csv", csv, 2), ("dups.jsonl", jsonl(), 1)] {
        let file = write(&dir, name, &log);
        let memory = eval(&file, None);
        let disk = eval(&file, Some("0"));
        check(&report(&memory, name), first_line, name);
        check(&report(&disk, name), first_line, &format!("{name} on disk"));
        assert_eq!(memory.stdout, disk.stdout, "{name}: the same report");
        assert_eq!(
            String::from_utf8_lossy(&memory.stderr),
            String::from_utf8_lossy(&disk.stderr),
            "{name}: the same warnings"
        );
        assert_eq!(memory.status.code(), disk.status.code(), "{name}");
        // Sorted in runs of 78 ids (`SLA_SORT_MEMORY` of 4 KiB: 1,638 bytes
        // for the ids' records of 21 bytes), 385 runs, merged 64 at a time
        // (`input/sorted_runs.rs`): the same report.
        let small = eval_with(&file, Some("0"), &[("SLA_SORT_MEMORY", "4096")]);
        assert_eq!(memory.stdout, small.stdout, "{name}: many runs");
        assert_eq!(memory.status.code(), small.status.code(), "{name}");
        // A pipe is read again from the copy kept of it as it was read
        // (`input/piped_log.rs`), so it takes the long way too, and the
        // report is the same but for the file's name.
        let (piped, pipe) = eval_piped(&dir, &format!("pipe-{name}"), &log, "0");
        check(&report(&piped, name), first_line, &format!("{name} piped"));
        let renamed = String::from_utf8_lossy(&memory.stdout).replace(&file, &pipe);
        assert_eq!(
            String::from_utf8_lossy(&piped.stdout),
            renamed,
            "{name} piped"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A log whose first rows are long (a note of 500 characters the contract
/// does not read) and the rest short: from the first block the whole log
/// is guessed to hold about 6,900 ids (3.9 MB at 560 bytes a row), within a
/// budget of 100,000 bytes (10,000 ids at 10 bytes each), so the table is
/// used; as the short rows come the guess grows past the budget (at about
/// the 6,700th id), and the rows from there on are looked up on disk. The
/// repeats at the end name first rows on both sides of that point.
#[test]
fn a_table_outgrown_midway_hands_over_to_the_disk() {
    let dir = std::env::temp_dir().join(format!("sla-eval-midway-dups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let note = "n".repeat(500);
    let log: String = std::iter::once("id,opened_at,responded_at,note\n".to_string())
        .chain(rows().enumerate().map(|(k, (id, at))| {
            let note = if k < 5000 { note.as_str() } else { "" };
            format!("{id},2026-06-01T09:00:00Z,2026-06-01T{at}:00:00Z,{note}\n")
        }))
        .collect();
    let file = write(&dir, "dups.csv", &log);
    let memory = eval(&file, None);
    check(&report(&memory, "in memory"), 2, "in memory");
    let midway = eval(&file, Some("100000"));
    check(&report(&midway, "midway"), 2, "midway");
    assert_eq!(memory.stdout, midway.stdout);
    // Through a pipe the log's length is not known, so the table is
    // outgrown at its 10,001st id: the second reading starts behind the
    // first, reads the copy, then overtakes it and reads on from the pipe.
    let (piped, pipe) = eval_piped(&dir, "pipe.csv", &log, "100000");
    check(&report(&piped, "piped midway"), 2, "piped midway");
    let renamed = String::from_utf8_lossy(&memory.stdout).replace(&file, &pipe);
    assert_eq!(String::from_utf8_lossy(&piped.stdout), renamed);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Where the copy of a piped log cannot be written (TMPDIR names no
/// folder), a log whose ids fit the table is read as ever; one that must
/// be read again stops with an error that says why and what to do, rather
/// than read anything but the log's own bytes.
#[test]
fn a_piped_log_without_room_for_its_copy_says_so_when_it_is_needed() {
    let dir = std::env::temp_dir().join(format!("sla-eval-piped-no-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let nowhere = dir.join("no-such-folder").display().to_string();
    let env = [("TMPDIR", nowhere.as_str())];
    let log = csv();
    let (fits, _) = eval_piped_with(&dir, "fits.csv", &log, "1000000", &env);
    check(&report(&fits, "fits"), 2, "fits the table");
    let (long, pipe) = eval_piped_with(&dir, "long.csv", &log, "0", &env);
    let stderr = String::from_utf8_lossy(&long.stderr);
    assert_eq!(long.status.code(), Some(2), "{stderr}");
    for part in [pipe.as_str(), "through a pipe", nowhere.as_str(), "TMPDIR"] {
        assert!(stderr.contains(part), "{part}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A memory budget that is not a number of bytes stops the run before any
/// of the log is read, with an error that names the variable and its value;
/// not a panic, nor a budget guessed, nor (as `SLA_ID_MEMORY` once did) a
/// bad value silently ignored. All three budgets take the same forms.
#[test]
fn a_memory_budget_that_is_no_number_is_refused() {
    let dir = std::env::temp_dir().join(format!("sla-eval-sort-budget-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = write(&dir, "dups.csv", &csv());
    for var in ["SLA_SORT_MEMORY", "SLA_ID_MEMORY", "SLA_EVENTS_MEMORY"] {
        let out = eval_with(&file, None, &[(var, "4 MB")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{var}: {err}");
        assert!(
            err.contains(&format!("{var} is `4 MB`, not a number of bytes")),
            "{var}: {err}"
        );
        assert!(out.stdout.is_empty(), "{var}: no report");
    }
    // `4K` is 4,096 bytes, as for the events' budget: the same report.
    let k = eval_with(&file, Some("0"), &[("SLA_SORT_MEMORY", "4K")]);
    let bytes = eval_with(&file, Some("0"), &[("SLA_SORT_MEMORY", "4096")]);
    assert!(
        !k.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&k.stderr)
    );
    assert_eq!(k.stdout, bytes.stdout);
    assert_eq!(k.status.code(), bytes.status.code());
    let _ = std::fs::remove_dir_all(&dir);
}
