//! `sla eval` on awkward input: missing and renamed columns, unreadable rows,
//! `--strict`, JSON Lines, `;`-separated CSV, event logs that pause clocks,
//! `--explain`, and the CSV and human reports. Data: tests/eval/inputs.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn path(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/eval")
        .join(rel)
        .display()
        .to_string()
}

fn sla(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(args)
        .output()
        .expect("run sla")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `sla eval` with JSON output: (report, exit code, stderr).
fn eval(rules: &str, tickets: &str, extra: &[&str]) -> (Value, i32, String) {
    let (r, t) = (path(rules), path(tickets));
    let mut args = vec!["eval", &r, &t, "--format", "json"];
    args.extend_from_slice(extra);
    let out = sla(&args);
    let stderr = text(&out.stderr);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{stderr}", text(&out.stdout)));
    (json, out.status.code().unwrap_or(-1), stderr)
}

fn row<'a>(report: &'a Value, id: &str, metric: &str) -> &'a Value {
    report["tickets"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["id"] == id && r["metric"] == metric))
        .unwrap_or_else(|| panic!("no row {id}/{metric} in {report}"))
}

fn instant(v: &Value) -> i64 {
    v.as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.timestamp())
        .unwrap_or(i64::MIN)
}

const AS_OF: [&str; 2] = ["--as-of", "2025-03-10T12:00:00Z"];

#[test]
fn missing_columns_are_named_with_what_the_log_has() {
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("inputs/care-renamed.csv"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("care-renamed.csv: the log lacks 3 columns"),
        "{err}"
    );
    for col in ["`id`", "`responded_at`", "`resolved_at`"] {
        assert!(err.contains(col), "{col} not named: {err}");
    }
    assert!(err.contains("the log has: ticket, opened_at, priority, cause, first_reply, solved"));
    assert!(err.contains("--column FIELD=COLUMN"), "{err}");
    assert!(out.stdout.is_empty(), "no report on unusable input");
}

#[test]
fn column_renames_from_the_command_line() {
    let (report, rc, _) = eval(
        "rules/care.json",
        "inputs/care-renamed.csv",
        &[
            "--column",
            "id=ticket",
            "--column",
            "responded_at=first_reply",
            "--column",
            "resolved_at=solved",
            AS_OF[0],
            AS_OF[1],
        ],
    );
    assert_eq!(rc, 0);
    assert_eq!(row(&report, "R-1", "response")["status"], "met");
    assert_eq!(row(&report, "R-1", "resolution")["status"], "met");
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("inputs/care-renamed.csv"),
        "--column",
        "responded=first_reply",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no field `responded`"));
}

#[test]
fn unreadable_rows_become_invalid_rows_and_the_rest_still_gets_verdicts() {
    let (report, rc, err) = eval("rules/care.json", "inputs/care-bad.csv", &AS_OF);
    assert_ne!(rc, 2, "{err}");
    // Good rows around the bad ones.
    assert_eq!(row(&report, "B-1", "response")["status"], "met");
    assert_eq!(row(&report, "B-6", "resolution")["status"], "met");
    // A bad timestamp: every verdict of the row is invalid, with file:line and column.
    for metric in ["response", "resolution"] {
        let r = row(&report, "B-2", metric);
        assert_eq!(r["status"], "invalid");
        let reason = r["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains("care-bad.csv:3: column `opened_at`"),
            "{reason}"
        );
        assert!(reason.contains("2025-13-01"), "{reason}");
    }
    // A label outside the field's label set.
    let reason = row(&report, "B-3", "response")["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        reason.contains("care-bad.csv:4: column `priority`: `urgent`"),
        "{reason}"
    );
    assert!(reason.contains("high, medium, low"), "{reason}");
    // A stop before its start: invalid on that metric only, the reason names the fields.
    let r = row(&report, "B-4", "response");
    assert_eq!(r["status"], "invalid");
    let reason = r["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("responded_at") && reason.contains("opened_at"),
        "{reason}"
    );
    assert_eq!(row(&report, "B-4", "resolution")["status"], "met");
    // A local time in the spring-forward gap.
    let reason = row(&report, "B-5", "response")["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        reason.contains("care-bad.csv:6") && reason.contains("does not exist"),
        "{reason}"
    );
    // Nothing dropped: every ticket has rows; problems summed up on stderr and in the report.
    assert_eq!(report["summary"]["tickets"], 6);
    assert_eq!(report["problems"]["unreadable_rows"], 3);
    assert_eq!(report["problems"]["invalid_verdicts"], 1);
    assert!(
        err.contains("3 unreadable rows") && err.contains("care-bad.csv:3"),
        "{err}"
    );
    assert!(err.contains("--strict"), "{err}");
}

#[test]
fn strict_makes_input_problems_fatal() {
    let (report, rc, err) = eval(
        "rules/care.json",
        "inputs/care-bad.csv",
        &["--strict", AS_OF[0], AS_OF[1]],
    );
    assert_eq!(rc, 2);
    assert!(err.starts_with("error:"), "{err}");
    // The report is still whole.
    assert_eq!(report["summary"]["tickets"], 6);
    // A clean log keeps its ordinary exit code under --strict.
    let (_, rc, _) = eval(
        "rules/care.json",
        "inputs/care-good.csv",
        &["--strict", AS_OF[0], AS_OF[1]],
    );
    assert_eq!(rc, 1, "G-4 breaches a 100% objective");
}

fn verdicts(report: &Value) -> Vec<Value> {
    report["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let mut r = r.clone();
            if let Some(o) = r.as_object_mut() {
                o.remove("line"); // JSON Lines has no header line
            }
            r
        })
        .collect()
}

#[test]
fn json_lines_and_semicolons_read_like_comma_csv() {
    let (csv, rc_csv, _) = eval("rules/care.json", "inputs/care-good.csv", &AS_OF);
    let (semi, rc_semi, _) = eval("rules/care.json", "inputs/care-semicolon.csv", &AS_OF);
    let (jsonl, rc_jsonl, _) = eval("rules/care.json", "inputs/care-good.jsonl", &AS_OF);
    assert_eq!(verdicts(&csv).len(), 8);
    assert_eq!(csv["tickets"], semi["tickets"]);
    assert_eq!(verdicts(&csv), verdicts(&jsonl));
    assert_eq!(csv["objectives"], jsonl["objectives"]);
    assert_eq!((rc_csv, rc_semi, rc_jsonl), (1, 1, 1));
    assert_eq!(row(&jsonl, "G-2", "response")["line"], 2);
    // Excluded rows carry their reason.
    assert_eq!(row(&csv, "G-3", "response")["status"], "excluded");
    assert_eq!(row(&csv, "G-3", "response")["reason"], "best effort");
}

/// A log piped in (`cat log | sla eval C /dev/stdin`) has no extension to
/// tell JSON Lines by: its first line tells it, and the bytes read to see
/// that line are read again (a pipe cannot be opened twice).
#[test]
fn json_lines_and_csv_through_a_pipe_read_like_the_files() {
    use std::io::Write;
    use std::process::Stdio;
    let (file, _, _) = eval("rules/care.json", "inputs/care-good.jsonl", &AS_OF);
    for log in ["inputs/care-good.jsonl", "inputs/care-good.csv"] {
        let bytes = std::fs::read(path(log)).expect("read the log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_sla"))
            .args([
                "eval",
                &path("rules/care.json"),
                "/dev/stdin",
                "--format",
                "json",
            ])
            .args(AS_OF)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run sla");
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
        let out = child.wait_with_output().expect("wait for sla");
        let _ = writer.join();
        let piped: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{log} piped: not JSON ({e}): {}", text(&out.stderr)));
        assert_eq!(verdicts(&piped), verdicts(&file), "{log} piped");
        assert_eq!(piped["objectives"], file["objectives"], "{log} piped");
    }
}

#[test]
fn events_pause_clocks_and_move_deadlines() {
    let as_of = ["--as-of", "2025-03-04T00:00:00Z"];
    let events = path("inputs/paused-events.csv");
    let (report, rc, err) = eval(
        "rules/paused.json",
        "inputs/paused.csv",
        &["--events", &events, as_of[0], as_of[1]],
    );
    assert_eq!(rc, 0, "{err}");
    // One hour on hold (statuses match case-insensitively): 3.5 h counted, deadline 1 h later.
    let p1 = row(&report, "P-1", "resolution");
    assert_eq!(p1["status"], "met");
    assert_eq!(p1["elapsed_seconds"], 12600);
    assert_eq!(p1["deadline"], "2025-03-03T15:00:00+01:00");
    // No events: the same times breach.
    let p2 = row(&report, "P-2", "resolution");
    assert_eq!(
        (p2["status"].as_str(), p2["elapsed_seconds"].as_i64()),
        (Some("breached"), Some(16200))
    );
    // On hold from 10:00 on, still open: one hour counted, no deadline while paused.
    let p3 = row(&report, "P-3", "resolution");
    assert_eq!(p3["status"], "pending");
    assert_eq!(p3["elapsed_seconds"], 3600);
    assert!(p3["deadline"].is_null());
    // The unreadable event is reported with its line.
    assert!(err.contains("paused-events.csv:6"), "{err}");
    // Without the event log nothing is paused, and sla says so.
    let (report, _, err) = eval("rules/paused.json", "inputs/paused.csv", &as_of);
    assert_eq!(row(&report, "P-1", "resolution")["status"], "breached");
    assert!(err.contains("no --events"), "{err}");
}

#[test]
fn explain_prints_the_ledger_of_one_ticket() {
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("inputs/care-easter.csv"),
        "--explain",
        "E-1",
        "--as-of",
        "2025-05-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let ledger = text(&out.stdout);
    for needle in [
        "Ticket E-1",
        "Priority: low (field priority = low)",
        "target #5   priority low → within 16h of office: applies",
        "exclusion \"best effort\" (cause in [third_party, customer]): no",
        "2025-04-17 16:00:00 +02:00 → 2025-04-17 17:00:00 +02:00  1h",
        "2025-04-18 (Good Friday)",
        "2025-04-21 (Easter Monday)",
        "deadline 2025-04-28 16:00:00 +02:00",
        "verdict  elapsed 10h → met",
        "objective resolution low",
    ] {
        assert!(ledger.contains(needle), "missing `{needle}` in:\n{ledger}");
    }
    // An unreadable row explains why its verdicts are invalid.
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("inputs/care-bad.csv"),
        "--explain",
        "B-2",
    ]);
    let ledger = text(&out.stdout);
    assert!(
        ledger.contains("verdict  invalid (the row could not be read)"),
        "{ledger}"
    );
    assert!(
        ledger.contains("care-bad.csv:3: column `opened_at`"),
        "{ledger}"
    );
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("inputs/care-easter.csv"),
        "--explain",
        "E-404",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no ticket with id `E-404`"));
}

#[test]
fn csv_report_has_one_line_per_row() {
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("inputs/care-good.csv"),
        "--format",
        "csv",
        AS_OF[0],
        AS_OF[1],
    ]);
    assert_eq!(out.status.code(), Some(1));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 9, "{csv}");
    assert!(
        lines[0].starts_with("id,priority,metric,status,elapsed_seconds,target_seconds,deadline")
    );
    assert!(lines[1].starts_with("G-1,high,response,met,3600,7200,2025-03-03T11:00:00+01:00"));
}

#[test]
fn human_report_marks_objectives_and_lists_the_worst_breaches() {
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("testdata/care/tickets.csv"),
        "--format",
        "human",
        "--as-of",
        "2026-01-10T12:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("NOT MET"), "{report}");
    assert!(report.contains("response high"), "{report}");
    assert!(report.contains("late by"), "{report}");
    assert!(report.lines().count() < 60, "too long to read:\n{report}");
}

/// The human report's count line reads as a sentence whatever the counts:
/// a log with only its header has no tickets and no verdicts (it once read
/// `0 tickets · 0 verdicts: `, the list after the colon empty); one ticket
/// is `1 ticket`. care-good.csv's G-1 (high, opened and answered within
/// office hours, resolved) gets a response and a resolution verdict, both
/// met: 1 hour against 2, 3 hours against 4 (care.sla's high row).
#[test]
fn human_report_count_line_reads_well_with_no_tickets_and_with_one() {
    let dir = std::env::temp_dir().join(format!("sla-eval-counts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = std::fs::read_to_string(path("inputs/care-good.csv")).expect("care-good.csv");
    let mut lines = good.lines();
    let header = lines.next().expect("a header");
    let g1 = lines.next().expect("G-1");
    let human = |name: &str, log: String| {
        let file = dir.join(name);
        std::fs::write(&file, log).expect("write");
        let out = sla(&[
            "eval",
            &path("rules/care.json"),
            &file.display().to_string(),
            "--format",
            "human",
            "--as-of",
            "2025-03-10T12:00:00Z",
        ]);
        text(&out.stdout)
    };

    let report = human("empty.csv", format!("{header}\n"));
    let counts = report.lines().nth(1).unwrap_or_default();
    assert!(counts.starts_with("as of 2025-03-10 13:00"), "{report}");
    assert!(counts.ends_with(" · no tickets · no verdicts"), "{report}");

    let report = human("one.csv", format!("{header}\n{g1}\n"));
    let counts = report.lines().nth(1).unwrap_or_default();
    assert!(
        counts.ends_with(" · 1 ticket · 2 verdicts: 2 met"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_ticket_appears_even_without_any_target() {
    let (report, rc, _) = eval(
        "rules/xguard.json",
        "testdata/xguard/tickets.csv",
        &["--as-of", "2026-01-10T12:00:00Z"],
    );
    assert_eq!(rc, 0);
    let rows = report["tickets"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 200);
    assert!(rows
        .iter()
        .all(|r| r["metric"].is_null() && r["status"] == "not_applicable"));
    let xg2 = rows.iter().find(|r| r["id"] == "XG-00002");
    assert_eq!(
        xg2.map(|r| &r["priority"]),
        Some(&Value::from("critical")),
        "matrix high × high"
    );
}

#[test]
fn unusable_contracts_are_named_with_their_position() {
    let dir = std::env::temp_dir().join(format!("sla-eval-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad_json = dir.join("rules.json");
    std::fs::write(
        &bad_json,
        "{\n  \"schema\": \"sla-rules/1\",\n  \"contract\": 3\n}\n",
    )
    .expect("write");
    let out = sla(&[
        "eval",
        &bad_json.display().to_string(),
        &path("inputs/care-good.csv"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("rules.json:3:"), "{err}");
    let bad_sla = dir.join("broken.sla");
    std::fs::write(&bad_sla, "contract \"x\" {\n  provider\n").expect("write");
    let out = sla(&[
        "eval",
        &bad_sla.display().to_string(),
        &path("inputs/care-good.csv"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be evaluated"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn availability<'a>(report: &'a Value, service: &str, window: &str, period: &str) -> &'a Value {
    report["availability"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["service"] == service && r["window"] == window && r["period"] == period)
        })
        .unwrap_or_else(|| panic!("no availability row {service}/{window}/{period}"))
}

#[test]
fn outages_give_availability_per_service_window_and_period() {
    let outages = path("inputs/outages.csv");
    let (report, rc, err) = eval(
        "rules/infravision.json",
        "testdata/infravision/tickets.csv",
        &["--outages", &outages, "--as-of", "2026-01-10T12:00:00Z"],
    );
    assert_eq!(rc, 1);
    // Overlapping outages 10:07–10:38 and 10:30–10:45 count once: 38 minutes, one
    // interruption; with the night outage two interruptions in December.
    let dec = availability(&report, "cloud", "support hours", "2025-12");
    assert_eq!(dec["window_seconds"], 23 * 9 * 3600);
    assert_eq!(dec["downtime_seconds"], 38 * 60);
    assert_eq!(dec["interruptions"], 2);
    assert_eq!(dec["compliant"], true);
    let night = availability(&report, "cloud", "outside support hours", "2025-12");
    assert_eq!(night["downtime_seconds"], 4 * 3600);
    // A working day down: 8 of 207 hours is below 97.5%.
    let onprem = availability(&report, "on_premise", "support hours", "2025-12");
    assert_eq!(onprem["compliant"], false);
    // An outage still going on counts up to the as-of instant (Friday 12:00 to 17:30).
    let jan = availability(&report, "cloud", "support hours", "2026-01");
    assert_eq!(jan["downtime_seconds"], 5 * 3600 + 1800);
    assert!(
        err.contains("outages.csv:7") && err.contains("before it starts"),
        "{err}"
    );
    assert!(err.contains("`mystery`"), "{err}");
}

#[test]
fn sampled_availability_counts_whole_intervals() {
    let outages = path("inputs/connexys-outages.csv");
    let (report, _, _) = eval(
        "rules/connexys.json",
        "testdata/connexys/tickets.csv",
        &["--outages", &outages, "--as-of", "2026-01-10T12:00:00Z"],
    );
    // 10:07–10:38 holds the 15-minute samples 10:15 and 10:30.
    let dec = availability(&report, "connexys", "24x7", "2025-12");
    assert_eq!(dec["downtime_seconds"], 1800);
    assert_eq!(dec["window_seconds"], 31 * 86400);
}

#[test]
fn log_tz_reads_local_timestamps_in_another_zone() {
    // G-2 is logged without an offset: 09:00 in Amsterdam, or 09:00 UTC (10:00 in Amsterdam).
    let (ams, _, _) = eval("rules/care.json", "inputs/care-good.csv", &AS_OF);
    let (utc, _, _) = eval(
        "rules/care.json",
        "inputs/care-good.csv",
        &["--log-tz", "UTC", AS_OF[0], AS_OF[1]],
    );
    assert_eq!(
        row(&ams, "G-2", "response")["start"],
        "2025-03-04T09:00:00+01:00"
    );
    assert_eq!(
        row(&utc, "G-2", "response")["start"],
        "2025-03-04T10:00:00+01:00"
    );
    // Timestamps with an offset are read as they are.
    assert_eq!(row(&ams, "G-1", "response"), row(&utc, "G-1", "response"));
    let out = sla(&[
        "eval",
        &path("rules/care.json"),
        &path("inputs/care-good.csv"),
        "--log-tz",
        "Mars/Olympus",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--log-tz Mars/Olympus"));
}

#[test]
fn deployments_are_checked_against_the_change_windows() {
    let changes = path("inputs/care-changes.csv");
    let (report, rc, err) = eval(
        "rules/care.json",
        "inputs/care-good.csv",
        &["--changes", &changes, AS_OF[0], AS_OF[1]],
    );
    assert_eq!(rc, 1, "changes do not alter the exit code; G-4 does");
    let rows = report["changes"].as_array().cloned().unwrap_or_default();
    let get = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    // Monday: inside; Friday: by exception only; Saturday: outside.
    assert_eq!(
        (
            get("CH-1")["allowed"].as_bool(),
            get("CH-1")["by_exception"].as_bool()
        ),
        (Some(true), Some(false))
    );
    assert_eq!(
        (
            get("CH-2")["allowed"].as_bool(),
            get("CH-2")["by_exception"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert_eq!(get("CH-3")["allowed"], false);
    assert_eq!(rows.len(), 3);
    assert!(
        err.contains("care-changes.csv:5") && err.contains("yesterday"),
        "{err}"
    );
    // A contract without change windows cannot check deployments.
    let out = sla(&[
        "eval",
        &path("rules/connexys.json"),
        &path("testdata/connexys/tickets.csv"),
        "--changes",
        &changes,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no change windows"));
}

#[test]
fn escalations_due_by_the_as_of_instant() {
    let as_of = ["--as-of", "2026-01-10T12:00:00Z"];
    // VoiceTronics escalates a missed target, at its deadline: one row per
    // ticket with a breach, at the earliest deadline it missed.
    let (report, _, _) = eval(
        "rules/voicetronics.json",
        "testdata/voicetronics/tickets.csv",
        &as_of,
    );
    let escalations = report["escalations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut breached: Vec<&str> = report["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["status"] == "breached")
        .filter_map(|r| r["id"].as_str())
        .collect();
    breached.dedup();
    assert_eq!(escalations.len(), breached.len());
    let first = &escalations[0];
    assert_eq!(first["id"], "VO-00001");
    assert_eq!(first["metric"], "repair");
    assert_eq!(first["role"], "service manager");
    assert_eq!(
        first["contacts"][0],
        serde_json::json!({"channel": "email", "address": "escalatie@voicetronics.nl"})
    );
    assert_eq!(
        first["due_at"],
        row(&report, "VO-00001", "repair")["deadline"]
    );
    // Connexys escalates complaints when they come in (level 1) and when half
    // the office time to the acknowledgement deadline is used (level 2); a
    // ticket's row is the highest level due.
    let (report, _, _) = eval(
        "rules/connexys.json",
        "testdata/connexys/tickets.csv",
        &as_of,
    );
    let rows = report["escalations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let of = |id: &str, level: u64| {
        rows.iter()
            .find(|e| e["id"] == id && e["level"] == level)
            .cloned()
    };
    // Opened Sunday night, acknowledgement due Tuesday 09:00: 8 office hours, half used Monday 13:00.
    assert_eq!(of("CO-00011", 1), None, "level 2 is the one reported");
    assert_eq!(
        of("CO-00011", 2).unwrap_or_default()["due_at"],
        "2025-03-10T13:00:00+01:00"
    );
    // Complaints without level 2 are at level 1, due when they came in.
    let level1: Vec<&Value> = rows.iter().filter(|e| e["level"] == 1).collect();
    for e in &level1 {
        assert_eq!(e["reason"], "type = complaint");
        let opened = row(&report, e["id"].as_str().unwrap_or(""), "acknowledgement");
        assert_eq!(e["due_at"], opened["start"]);
    }
    // Level 2 only where the acknowledgement had not come by then.
    for e in rows.iter().filter(|e| e["level"] == 2) {
        let ack = row(&report, e["id"].as_str().unwrap_or(""), "acknowledgement");
        let (stop, due) = (&ack["stop"], &e["due_at"]);
        assert!(stop.is_null() || instant(stop) >= instant(due), "{e} {ack}");
    }
    assert!(rows.iter().filter(|e| e["level"] == 2).count() < 14);
    assert_eq!(rows.len(), 14, "one row per complaint");
    // Nothing is due before it is due.
    let (early, _, _) = eval(
        "rules/connexys.json",
        "testdata/connexys/tickets.csv",
        &["--as-of", "2025-03-10T00:00:00+01:00"],
    );
    let due: Vec<_> = early["escalations"].as_array().cloned().unwrap_or_default();
    let as_of = instant(&Value::from("2025-03-10T00:00:00+01:00"));
    assert!(!due.is_empty());
    assert!(
        due.iter().all(|e| instant(&e["due_at"]) <= as_of),
        "{due:?}"
    );
}

/// Duplicate ids are found in the log's order however the log is cut into
/// chunks for the worker threads (a CSV block is 128 KiB, a JSON Lines
/// chunk 1024 rows): 6000 tickets T0..T5999 on lines 2..6001, answered in
/// an hour (met against tests/eval/cases/duplicate_ids' 4 hours), then the
/// same ids again in reverse order on lines 6002..12001, answered in six
/// hours (in JSON Lines, without a header, every line one less).
/// SEMANTICS.md: each later row is `invalid` and names its id's first line
/// (T5999 on line 6002 names 6001; T0 on line 12001 names 2),
/// is counted as a duplicate_id problem, and is no ticket: 6000 tickets,
/// all met, none breached, 12000 rows.
#[test]
fn duplicate_ids_are_found_across_chunks_in_log_order() {
    let dir = std::env::temp_dir().join(format!("sla-eval-dups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let n = 6000;
    let ids = (0..n).chain((0..n).rev());
    let answered = |i: usize| if i < n { "10" } else { "15" };
    let csv: String = std::iter::once("id,opened_at,responded_at\n".to_string())
        .chain(ids.clone().enumerate().map(|(i, id)| {
            format!(
                "T{id},2026-06-01T09:00:00Z,2026-06-01T{}:00:00Z\n",
                answered(i)
            )
        }))
        .collect();
    let jsonl: String = ids
        .enumerate()
        .map(|(i, id)| {
            format!(
                "{{\"id\": \"T{id}\", \"opened_at\": \"2026-06-01T09:00:00Z\", \"responded_at\": \"2026-06-01T{}:00:00Z\"}}\n",
                answered(i)
            )
        })
        .collect();
    assert!(csv.len() > 3 * 128 * 1024, "several CSV blocks");
    for (name, log, line) in [("dups.csv", csv, 2), ("dups.jsonl", jsonl, 1)] {
        // The line of the log's k-th row (from 0).
        let at = |k: usize| Value::from(line + k);
        let file = dir.join(name);
        std::fs::write(&file, log).expect("write");
        let out = sla(&[
            "eval",
            &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/eval/cases/duplicate_ids/contract.sla")
                .display()
                .to_string(),
            &file.display().to_string(),
            "--format",
            "json",
            "--as-of",
            "2026-06-10T00:00:00Z",
        ]);
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}", text(&out.stderr)));
        assert_eq!(report["summary"]["tickets"], 6000, "{name}");
        assert_eq!(report["summary"]["rows"], 12000, "{name}");
        let dups = &report["problems"]["kinds"]["duplicate_id"];
        assert_eq!(dups["count"], 6000, "{name}");
        assert_eq!(dups["first"][0]["line"], at(n), "{name}");
        let first = dups["first"][0]["reason"].as_str().unwrap_or("");
        assert!(
            first.starts_with(&format!("ticket T5999 is already on line {}", at(n - 1))),
            "{name}: {first}"
        );
        let objective = &report["objectives"][0];
        assert_eq!(
            (&objective["met"], &objective["breached"]),
            (&6000.into(), &0.into()),
            "{name}"
        );
        let rows = report["tickets"].as_array().cloned().unwrap_or_default();
        let t0: Vec<_> = rows.iter().filter(|r| r["id"] == "T0").collect();
        assert_eq!(t0.len(), 2, "{name}");
        assert_eq!(
            (&t0[0]["line"], &t0[0]["status"]),
            (&at(0), &"met".into()),
            "{name}"
        );
        assert_eq!(
            (&t0[1]["line"], &t0[1]["status"]),
            (&at(2 * n - 1), &"invalid".into()),
            "{name}"
        );
        let reason = t0[1]["reason"].as_str().unwrap_or("");
        assert!(
            reason.contains(&format!("ticket T0 is already on line {}", at(0))),
            "{name}: {reason}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
