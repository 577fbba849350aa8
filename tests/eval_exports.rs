//! `sla eval` on real exports, read through their profiles: a subset of the
//! ServiceNow incident audit log (all rows of its first 2,000 incidents and of
//! the 4 incidents with a time in the spring-forward hour of 27 March 2016),
//! the BPI 2014 sample, an XLSX workbook, and the full ServiceNow log from
//! `../shared/data/` when it is there.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SN_CONTRACT: &str = "contracts/examples/servicenow-incident.sla";
const FULL_LOG: &str = "../shared/data/servicenow-uci/incident_event_log.csv";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("eval_exports");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// The ServiceNow subset, decompressed once per test run.
fn servicenow_subset() -> PathBuf {
    let out = tmp(&format!("servicenow-subset-{}.csv", std::process::id()));
    if !out.exists() {
        let gz = std::fs::File::open(root().join("tests/data/exports/servicenow-subset.csv.gz"))
            .expect("subset");
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_string(&mut text)
            .expect("gzip");
        std::fs::write(&out, text).expect("write subset");
    }
    out
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

fn eval(contract: &Path, log: &Path, extra: &[&str]) -> Run {
    eval_with(contract, log, extra, &[]).0
}

/// [`eval`] with environment variables, and its standard output as it is.
fn eval_with(contract: &Path, log: &Path, extra: &[&str], env: &[(&str, &str)]) -> (Run, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .current_dir(root())
        .envs(env.iter().copied())
        .arg("eval")
        .arg(contract)
        .arg(log)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("run sla");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    (run, out.stdout)
}

fn row<'a>(r: &'a Run, id: &str, metric: &str) -> &'a Value {
    r.json["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .find(|t| t["id"] == id && t["metric"] == metric)
        .unwrap_or_else(|| panic!("no row {id} {metric}"))
}

const SN_ARGS: &[&str] = &[
    "--log-tz",
    "Europe/Amsterdam",
    "--as-of",
    "2017-03-01T00:00:00Z",
];

#[test]
fn servicenow_subset_hand_checked_incidents() {
    let r = eval(Path::new(SN_CONTRACT), &servicenow_subset(), SN_ARGS);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.json["summary"]["tickets"], 2004,
        "one ticket per incident"
    );

    // INC0000045 (lines 2-5): opened Mon 29/2/2016 01:16, first update out of
    // `New` (Resolved) 08:53, resolved 11:29, closed Sat 5/3 12:00; urgency
    // and impact `2 - Medium` → moderate. Office hours 08:00-18:00:
    // response 08:00→08:53 = 53 min; resolution 08:00→11:29 = 3h29m; closure
    // (24x7) 29/2 11:29 → 5/3 12:00 = 5 days 31 min. All met.
    let resp = row(&r, "INC0000045", "response");
    assert_eq!(resp["status"], "met");
    assert_eq!(resp["priority"], "moderate");
    assert_eq!(resp["elapsed_seconds"], 53 * 60);
    assert_eq!(resp["line"], 2);
    let res = row(&r, "INC0000045", "resolution");
    assert_eq!(res["elapsed_seconds"], 3 * 3600 + 29 * 60);
    let clo = row(&r, "INC0000045", "closure");
    assert_eq!(clo["elapsed_seconds"], 5 * 86400 + 31 * 60);
    assert_eq!(clo["status"], "met");

    // INC0000047 (lines 6-14): opened Mon 29/2 04:40; Active at 05:30 (before
    // office hours: response 0 s); `Awaiting User Info` from Tue 1/3 09:14
    // until Resolved at 09:52 is paused: resolution = Mon 08:00-18:00 (10h) +
    // Tue 08:00-09:14 (1h14m) = 40,440 s, and the deadline (5 working days)
    // moves out by the 38 paused minutes to Mon 7/3 08:38.
    assert_eq!(row(&r, "INC0000047", "response")["elapsed_seconds"], 0);
    let res = row(&r, "INC0000047", "resolution");
    assert_eq!(res["elapsed_seconds"], 40_440);
    assert_eq!(res["deadline"], "2016-03-07T08:38:00+01:00");
    assert_eq!(res["status"], "met");

    // INC0000130 (lines 330-335): the file lists sys_mod_count 2 before 1;
    // in update order the first row out of `New` is Active, Tue 1/3 14:13.
    // Response from Mon 09:41: 8h19m + 6h13m = 52,320 s > 1 working day.
    let resp = row(&r, "INC0000130", "response");
    assert_eq!(resp["elapsed_seconds"], 52_320);
    assert_eq!(resp["status"], "breached");
    assert_eq!(resp["stop"], "2016-03-01T14:13:00+01:00");

    // INC0000131: its first update out of `New` is logged before it was
    // opened: that verdict is invalid, with the reason, and the rest stands.
    let resp = row(&r, "INC0000131", "response");
    assert_eq!(resp["status"], "invalid");
    assert!(resp["reason"]
        .as_str()
        .is_some_and(|s| s.contains("before opened_at")));
    assert_eq!(row(&r, "INC0000131", "resolution")["status"], "met");

    // The comparison with `made_sla` covers every ticket.
    let c = &r.json["comparison"];
    assert_eq!(c["column"], "made_sla");
    assert_eq!(c["metric"], "resolution");
    assert_eq!(
        c["compared"].as_u64().unwrap_or(0) + c["not_compared"].as_u64().unwrap_or(0),
        2004
    );
    assert!(c["agreement"].as_f64().is_some());
}

#[test]
fn servicenow_spring_forward_times_are_invalid_with_line_and_reason() {
    let r = eval(Path::new(SN_CONTRACT), &servicenow_subset(), SN_ARGS);
    // Closed at 27/3/2016 02:59, an hour that did not exist in Amsterdam.
    for id in ["INC0003670", "INC0009285", "INC0009319", "INC0009479"] {
        for metric in ["response", "resolution", "closure"] {
            let v = row(&r, id, metric);
            assert_eq!(v["status"], "invalid", "{id} {metric}");
            let reason = v["reason"].as_str().unwrap_or("");
            assert!(
                reason.contains("column `closed_at`")
                    && reason.contains("does not exist in Europe/Amsterdam")
                    && reason.contains("servicenow-subset"),
                "{reason}"
            );
        }
    }
    assert_eq!(r.json["problems"]["unreadable_rows"], 4);
    // Everything else still gets its verdict.
    let statuses = &r.json["summary"]["statuses"];
    assert_eq!(statuses["invalid"], 4 * 3 + 1);
    // In UTC the same log has no such hour.
    let utc = eval(
        Path::new(SN_CONTRACT),
        &servicenow_subset(),
        &["--log-tz", "UTC", "--as-of", "2017-03-01T00:00:00Z"],
    );
    assert_eq!(utc.json["problems"]["unreadable_rows"], 0, "{}", utc.stderr);
}

#[test]
fn profile_on_the_command_line_overrides_and_is_checked() {
    let r = eval(
        Path::new(SN_CONTRACT),
        &servicenow_subset(),
        &["--profile", "servicenw"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `servicenow`") && r.stderr.contains("bpi2014"),
        "{}",
        r.stderr
    );
    // Without a profile the export's columns are not found.
    let plain = tmp("no-profile.sla");
    let text = std::fs::read_to_string(root().join(SN_CONTRACT)).expect("contract");
    std::fs::write(&plain, text.replace("export servicenow", "")).expect("write");
    let r = eval(&plain, &servicenow_subset(), SN_ARGS);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`id`"), "{}", r.stderr);
    let r = eval(
        &plain,
        &servicenow_subset(),
        &[SN_ARGS, &["--profile", "servicenow"]].concat(),
    );
    assert_eq!(r.json["summary"]["tickets"], 2004, "{}", r.stderr);
}

#[test]
fn bpi2014_sample() {
    let r = eval(
        &root().join("tests/data/exports/bpi2014.sla"),
        &root().join("tests/data/exports/bpi2014-sample.csv"),
        &["--as-of", "2015-01-01T00:00:00Z"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json["summary"]["tickets"], 12);
    assert_eq!(r.json["problems"]["unreadable_rows"], 0, "{}", r.stderr);
    // IM0000048 (line 10): priority 5, opened 06/02/2013 14:07:43, closed
    // 17/10/2013 14:00:29 (CEST): 252 days 23:52:46 less the hour of the
    // clocks' change = 21,855,166 s, within 365 days.
    let v = row(&r, "IM0000048", "resolution");
    assert_eq!(v["elapsed_seconds"], 21_855_166);
    assert_eq!(v["status"], "met");
    assert_eq!(v["start"], "2013-02-06T14:07:43+01:00");
    // IM0000005 (line 3): priority 3, 180 days from 12/03/2012 15:44:24.
    let v = row(&r, "IM0000005", "resolution");
    assert_eq!(v["deadline"], "2012-09-08T15:44:24+02:00");
    assert_eq!(v["status"], "breached");
}

#[test]
fn xlsx_export_is_read_directly() {
    let path = tmp("zendesk.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let rows: [(f64, &str, &str, &str); 3] = [
        (1.0, "2025-03-03 09:00:00", "2025-03-03 11:00:00", "Urgent"),
        (2.0, "2025-03-03 09:00:00", "2025-03-03 15:00:00", "Urgent"),
        (3.0, "2025-03-04 10:00:00", "", "Normal"),
    ];
    let header = ["Id", "Created at", "Solved at", "Priority"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    for (i, (id, created, solved, prio)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, *id).expect("id");
        for (c, t) in [(1u16, created), (2, solved)] {
            if !t.is_empty() {
                let dt = rust_xlsxwriter::ExcelDateTime::parse_from_str(t).expect("date");
                sheet
                    .write_datetime_with_format(r, c, &dt, &date)
                    .expect("dt");
            }
        }
        sheet.write_string(r, 3, *prio).expect("prio");
    }
    book.save(&path).expect("save xlsx");
    let contract = tmp("zendesk.sla");
    std::fs::write(
        &contract,
        r#"contract "Desk" {
  timezone "Europe/Amsterdam"
  export zendesk
}

fields {
  opened_at:   timestamp
  resolved_at: timestamp
  priority:    label [urgent, normal]
}

priority from priority {
  urgent "down"
  normal "the rest"
}

metric resolution from opened_at to resolved_at

targets {
  urgent resolution within 4 hours
  normal resolution within 3 days
}
"#,
    )
    .expect("contract");
    let r = eval(&contract, &path, &["--as-of", "2025-03-05T12:00:00Z"]);
    assert_eq!(r.json["summary"]["tickets"], 3, "{}", r.stderr);
    let v = row(&r, "1", "resolution");
    assert_eq!(v["status"], "met");
    assert_eq!(v["elapsed_seconds"], 7200);
    assert_eq!(v["line"], 2);
    assert_eq!(row(&r, "2", "resolution")["status"], "breached");
    assert_eq!(row(&r, "3", "resolution")["status"], "pending");
}

#[test]
fn event_rows_out_of_file_order_are_grouped() {
    // T-1's rows are split by T-2's; T-1's first run does not end `Closed`,
    // so it waits for the rest. T-2 is closed, then has a stray row: that
    // second T-2 is invalid and says why.
    let log = tmp("events.csv");
    std::fs::write(
        &log,
        "number,incident_state,sys_mod_count,sys_updated_at,opened_at,resolved_at,closed_at,urgency,impact\n\
         T-1,New,0,3/3/2025 09:00,3/3/2025 09:00,?,?,1 - High,1 - High\n\
         T-2,New,0,3/3/2025 09:30,3/3/2025 09:30,?,?,3 - Low,3 - Low\n\
         T-2,Closed,1,3/3/2025 10:00,3/3/2025 09:30,3/3/2025 09:45,3/3/2025 10:00,3 - Low,3 - Low\n\
         T-1,Active,1,3/3/2025 09:20,3/3/2025 09:00,?,?,1 - High,1 - High\n\
         T-1,Resolved,2,3/3/2025 11:00,3/3/2025 09:00,3/3/2025 11:00,?,1 - High,1 - High\n\
         T-2,Active,2,3/3/2025 11:00,3/3/2025 09:30,?,?,3 - Low,3 - Low\n",
    )
    .expect("log");
    let r = eval(
        Path::new(SN_CONTRACT),
        &log,
        &["--as-of", "2025-03-10T00:00:00Z"],
    );
    let t1 = row(&r, "T-1", "response");
    assert_eq!(t1["elapsed_seconds"], 20 * 60);
    assert_eq!(t1["priority"], "critical");
    assert_eq!(t1["line"], 2);
    assert_eq!(row(&r, "T-1", "resolution")["elapsed_seconds"], 2 * 3600);
    let t2: Vec<&Value> = r.json["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .filter(|t| t["id"] == "T-2" && t["metric"] == "resolution")
        .collect();
    assert_eq!(t2.len(), 2);
    assert_eq!(t2[0]["status"], "met");
    // The second T-2 (its row on line 7) is a duplicate of the first (rows
    // on lines 3-4): one problem, which says how it came about.
    assert_eq!(t2[1]["status"], "invalid");
    assert_eq!(t2[1]["line"], 7);
    let reason = t2[1]["reason"].as_str().unwrap_or("");
    for part in [
        "ticket T-2 is already on line 3",
        "after its rows had ended with a final status (Closed)",
        "Sort the export by the ticket column",
    ] {
        assert!(reason.contains(part), "{part}: {reason}");
    }
    let kinds = &r.json["problems"]["kinds"];
    assert_eq!(kinds["duplicate_id"]["count"], 1, "{kinds}");
    assert_eq!(kinds["unreadable_row"]["count"], 0, "{kinds}");
    assert_eq!(r.json["summary"]["tickets"], 2);
}

/// An event-shaped export of 20,000 incidents (New, Active, Closed; each
/// met), then a stray update of incident 0 and of incident 12,345 after
/// they were closed: each stray is a second ticket of its id, found by the
/// evaluator's duplicate ids, the same with the ids in memory and listed on
/// disk (`SLA_ID_MEMORY=0`). The grouping itself keeps nothing per ticket
/// handed on, so an export of any length is read in the same memory.
#[test]
fn a_long_event_shaped_export_finds_reopened_rows_in_memory_and_on_disk() {
    const N: usize = 20_000;
    let mut log = String::from(
        "number,incident_state,sys_mod_count,sys_updated_at,opened_at,resolved_at,closed_at,urgency,impact\n",
    );
    let rows = |log: &mut String, i: usize, states: &[(&str, usize, &str)]| {
        for (state, count, at) in states {
            let (resolved, closed) = match *state {
                "Closed" => ("3/3/2025 11:00", "3/3/2025 12:00"),
                _ => ("?", "?"),
            };
            log.push_str(&format!(
                "INC{i:07},{state},{count},{at},3/3/2025 09:00,{resolved},{closed},3 - Low,3 - Low\n"
            ));
        }
    };
    for i in 0..N {
        let states = [
            ("New", 0, "3/3/2025 09:00"),
            ("Active", 1, "3/3/2025 09:30"),
            ("Closed", 2, "3/3/2025 12:00"),
        ];
        rows(&mut log, i, &states);
    }
    for i in [0, 12_345] {
        rows(&mut log, i, &[("Active", 3, "4/3/2025 09:00")]);
    }
    let path = tmp(&format!("long-events-{}.csv", std::process::id()));
    std::fs::write(&path, &log).expect("log");
    let args = ["--as-of", "2025-03-10T00:00:00Z"];
    let (memory, memory_out) = eval_with(Path::new(SN_CONTRACT), &path, &args, &[]);
    let (disk, disk_out) = eval_with(
        Path::new(SN_CONTRACT),
        &path,
        &args,
        &[("SLA_ID_MEMORY", "0")],
    );
    assert_eq!(memory_out, disk_out, "the same report either way");
    assert_eq!(memory.stderr, disk.stderr);
    assert_eq!(memory.json["summary"]["tickets"], N, "{}", memory.stderr);
    let kinds = &memory.json["problems"]["kinds"];
    assert_eq!(kinds["duplicate_id"]["count"], 2, "{kinds}");
    // Incident i's rows are on lines 2 + 3i..; the strays on the last two.
    for (k, i) in [0usize, 12_345].into_iter().enumerate() {
        let id = format!("INC{i:07}");
        let strays: Vec<&Value> = memory.json["tickets"]
            .as_array()
            .expect("tickets")
            .iter()
            .filter(|t| t["id"] == id.as_str() && t["status"] == "invalid")
            .collect();
        assert!(!strays.is_empty(), "{id}");
        for t in strays {
            assert_eq!(t["line"], 2 + 3 * N + k, "{t}");
            let want = format!("ticket {id} is already on line {}", 2 + 3 * i);
            assert!(
                t["reason"].as_str().is_some_and(|r| r.contains(&want)),
                "{t}"
            );
        }
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn full_servicenow_log_when_present() {
    let full = root().join(FULL_LOG);
    if !full.exists() {
        eprintln!("skipped: {FULL_LOG} is not there");
        return;
    }
    let r = eval(Path::new(SN_CONTRACT), &full, SN_ARGS);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.json["summary"]["tickets"], 24_918);
    // 29 timestamps in the skipped hour: closed_at in 25 rows and the update
    // time of 4 of them, all of 4 incidents, which are invalid.
    assert_eq!(r.json["problems"]["unreadable_rows"], 4);
    // Each shown as a diagnostic E0701 placed at its line.
    for line in [16582, 41314, 41462, 42207] {
        let place = format!("incident_event_log.csv:{line}\n");
        let shown = r.stderr.split("warning[E0701]: ").any(|d| {
            d.starts_with("column `closed_at`")
                && d.lines()
                    .nth(1)
                    .is_some_and(|l| l.starts_with("  ┌─ ") && format!("{l}\n").ends_with(&place))
        });
        assert!(shown, "{line}: {}", r.stderr);
    }
    let c = &r.json["comparison"];
    assert_eq!(
        c["compared"].as_u64().unwrap_or(0) + c["not_compared"].as_u64().unwrap_or(0),
        24_918
    );
    eprintln!(
        "full log: agreement with made_sla {}% of {} tickets",
        c["agreement"], c["compared"]
    );
}
