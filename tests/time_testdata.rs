//! Cross-check of the time engine against the shared test logs
//! (`/work/shared/testdata`, copied to `tests/data/time_*`): every elapsed
//! time and every deadline that the reference implementation computed must
//! come out of the engine, to the second. Statuses are the evaluator's
//! business and are not checked here.

use std::collections::HashMap;

use chrono_tz::Tz;
use serde_json::Value;
use sla::time::{parse_timestamp, Calendar};

#[path = "support/office.rs"]
mod office;
use office::office_spec;

const AMS: Tz = chrono_tz::Europe::Amsterdam;

/// The office calendar of both agreements.
fn office() -> Calendar {
    Calendar::new(&office_spec()).unwrap()
}

fn read_log(path: &str) -> Vec<HashMap<String, String>> {
    let mut rd = csv::Reader::from_path(path).unwrap();
    let headers = rd.headers().unwrap().clone();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn instant(s: &str) -> Option<i64> {
    if s.trim().is_empty() {
        None
    } else {
        Some(parse_timestamp(s, AMS).unwrap().at)
    }
}

fn expected(path: &str) -> (i64, Vec<Value>) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let as_of = instant(v["as_of"].as_str().unwrap()).unwrap();
    (as_of, v["tickets"].as_array().unwrap().clone())
}

/// The rows whose clock ran (met, breached, pending): those carry the
/// engine's numbers. Returns (row, ticket).
fn timed_rows<'a>(
    rows: &'a [Value],
    log: &'a [HashMap<String, String>],
) -> Vec<(&'a Value, &'a HashMap<String, String>)> {
    rows.iter()
        .filter(|r| matches!(r["status"].as_str(), Some("met" | "breached" | "pending")))
        .map(|r| {
            let id = r["id"].as_str().unwrap();
            let t = log.iter().find(|t| t["id"] == id).unwrap();
            (r, t)
        })
        .collect()
}

#[test]
fn care_elapsed_and_deadlines() {
    let cal = office();
    let log = read_log("tests/data/time_care.csv");
    let (as_of, rows) = expected("tests/data/time_care_expected.json");
    let mut checked = 0;
    let mut problems = Vec::new();
    for (row, t) in timed_rows(&rows, &log) {
        let id = &t["id"];
        let metric = row["metric"].as_str().unwrap();
        let priority = row["priority"].as_str().unwrap();
        let opened = instant(&t["opened_at"]).unwrap();
        let stop_col = if metric == "response" {
            "responded_at"
        } else {
            "resolved_at"
        };
        let stop = instant(&t[stop_col]).unwrap_or(as_of);
        let elapsed = cal.open_seconds(opened, stop);
        let deadline = match (metric, priority) {
            ("response", "high") => cal.deadline(opened, 2 * 3600),
            ("resolution", "high") => cal.deadline(opened, 4 * 3600),
            ("response", "medium") => cal.deadline(opened, 8 * 3600),
            ("resolution", "medium") => cal.deadline(opened, 16 * 3600),
            ("response", "low") => cal.deadline(opened, 16 * 3600),
            ("resolution", "low") => cal.working_days_deadline(opened, 5),
            other => panic!("unexpected row {other:?}"),
        };
        let want_elapsed = row["elapsed_seconds"].as_i64().unwrap();
        let want_deadline = instant(row["deadline"].as_str().unwrap());
        if elapsed != want_elapsed {
            problems.push(format!(
                "{id} {metric}: elapsed {elapsed} != {want_elapsed}"
            ));
        }
        if deadline != want_deadline {
            problems.push(format!(
                "{id} {metric} ({priority}): deadline {deadline:?} != {want_deadline:?} ({})",
                row["deadline"]
            ));
        }
        checked += 1;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // expected.json has 344 met/breached/pending rows: response 70 high,
    // 50 medium, 52 low; resolution 70 high, 50 medium, 52 low.
    assert_eq!(checked, 344);
}

#[test]
fn voicetronics_wall_clock_and_next_working_day() {
    let office = office();
    let wall = Calendar::always(AMS);
    let log = read_log("tests/data/time_voicetronics.csv");
    let (as_of, rows) = expected("tests/data/time_voicetronics_expected.json");
    let mut checked = 0;
    let mut problems = Vec::new();
    for (row, t) in timed_rows(&rows, &log) {
        let id = &t["id"];
        let metric = row["metric"].as_str().unwrap();
        let opened = instant(&t["opened_at"]).unwrap();
        let inside = office.is_open(opened);
        let stop_col = if metric == "response" {
            "responded_at"
        } else {
            "repair_started_at"
        };
        let stop = instant(&t[stop_col]).unwrap_or(as_of);
        let elapsed = wall.open_seconds(opened, stop);
        let hours = |h: i64| wall.deadline(opened, h * 3600);
        let deadline = match (
            metric,
            t["priority"].as_str(),
            t["channel"].as_str(),
            inside,
        ) {
            ("response", _, "phone", true) => hours(1),
            ("response", _, _, true) => hours(2),
            ("response", _, "phone", false) => hours(2),
            ("response", _, _, false) => hours(3),
            ("repair", "p1", _, true) => hours(4),
            ("repair", "p1", _, false) => hours(8),
            ("repair", "p2", _, true) => hours(8),
            ("repair", "p2", _, false) => office.next_working_day_close(opened),
            other => panic!("unexpected row {other:?}"),
        };
        let want_elapsed = row["elapsed_seconds"].as_i64().unwrap();
        let want_deadline = instant(row["deadline"].as_str().unwrap());
        if elapsed != want_elapsed {
            problems.push(format!(
                "{id} {metric}: elapsed {elapsed} != {want_elapsed}"
            ));
        }
        if deadline != want_deadline {
            problems.push(format!(
                "{id} {metric} (inside {inside}): deadline {deadline:?} != {want_deadline:?} ({})",
                row["deadline"]
            ));
        }
        checked += 1;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // 182 response rows (p1 87, p2 95) and 183 repair rows (p1 88, p2 95).
    assert_eq!(checked, 365);
}
