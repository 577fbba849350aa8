//! The as-of rule as a property (SEMANTICS.md: "The log is read as it stood
//! at the as-of instant"): evaluating a log as of T gives the same rows and
//! objectives as evaluating, as of T, the same log with every timestamp and
//! event after T blanked out; the tickets opened after T are there, not
//! started, in no period. Runs the real binary on generated logs.
//!
//! Instants are in milliseconds and often carry a fraction of a second, and
//! T is often within a second of one of them: the as-of rule holds to the
//! fraction (SEMANTICS.md: timestamps keep their fractional seconds).

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use serde_json::Value;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::scratch_dir;

const CONTRACT: &str = r#"
contract "As-of property" {
  provider "Test"
  timezone "Europe/Amsterdam"
}

calendar office {
  open mon..fri 09:00-17:00
}

fields {
  opened_at:    timestamp
  responded_at: timestamp
  resolved_at:  timestamp
  status:       status
}

metric response   from opened_at to responded_at in office paused while status in [on_hold, waiting_for_customer]
metric resolution from opened_at to resolved_at  in office paused while status in [on_hold]
metric fix        from opened_at to resolved_at  paused while status in [on_hold]

targets per month {
  all response within 4 hours for 90%
      resolution within 2 working days for 80%
      fix within 3 days
}
"#;

/// 2026-03-02 00:00 UTC, a Monday, in milliseconds; the log spans about a
/// month from it (the clocks change on 29 March).
const BASE: i64 = 1_772_409_600_000;

#[derive(Debug, Clone)]
struct Ticket {
    opened: i64,
    responded: Option<i64>,
    resolved: Option<i64>,
    events: Vec<(i64, &'static str)>,
}

/// Milliseconds: whole minutes below `max` minutes, half of them with a
/// fraction of a second.
fn minutes(max: i64) -> impl Strategy<Value = i64> {
    (0..max, prop::option::of(1..1000i64)).prop_map(|(m, ms)| m * 60_000 + ms.unwrap_or(0))
}

fn ticket() -> impl Strategy<Value = Ticket> {
    let statuses = prop::sample::select(vec![
        "on_hold",
        "Open",
        "Waiting For Customer",
        "in progress",
    ]);
    (
        minutes(40 * 24 * 60),
        prop::option::of(minutes(3 * 24 * 60)),
        prop::option::of(minutes(10 * 24 * 60)),
        prop::collection::vec((minutes(6 * 24 * 60), statuses), 0..5),
    )
        .prop_map(|(opened, responded, resolved, events)| {
            let opened = BASE + opened;
            Ticket {
                opened,
                responded: responded.map(|d| opened + d),
                resolved: resolved.map(|d| opened + d),
                events: events
                    .into_iter()
                    .map(|(d, s)| (opened + d - 3_600_000, s))
                    .collect(),
            }
        })
}

/// RFC 3339 of an instant in milliseconds, with the fraction where it has one.
fn stamp(t: i64) -> String {
    let format = if t % 1000 == 0 {
        "%Y-%m-%dT%H:%M:%SZ"
    } else {
        "%Y-%m-%dT%H:%M:%S%.3fZ"
    };
    chrono::DateTime::from_timestamp_millis(t)
        .map(|d| d.format(format).to_string())
        .unwrap_or_default()
}

/// The as-of instant: `minutes` after BASE, or, with `near`, within a
/// second of one of the tickets' instants (where cutting to the whole
/// second would put it on the wrong side).
fn as_of_for(tickets: &[Ticket], minutes: i64, near: Option<(prop::sample::Index, i64)>) -> i64 {
    let instants: Vec<i64> = tickets
        .iter()
        .flat_map(|t| {
            [Some(t.opened), t.responded, t.resolved]
                .into_iter()
                .flatten()
                .chain(t.events.iter().map(|e| e.0))
        })
        .collect();
    match near {
        Some((i, delta)) => instants[i.index(instants.len())] + delta,
        None => BASE + minutes,
    }
}

/// Writes the logs, with every instant after `cut` (if given) blanked out.
fn write_logs(dir: &Path, tickets: &[Ticket], cut: Option<i64>) {
    let seen = |t: i64| cut.is_none_or(|c| t <= c);
    let cell = |t: Option<i64>| t.filter(|t| seen(*t)).map(stamp).unwrap_or_default();
    let mut log = String::from("id,opened_at,responded_at,resolved_at\n");
    let mut events = String::from("id,at,status\n");
    for (i, t) in tickets.iter().enumerate() {
        log.push_str(&format!(
            "T{i},{},{},{}\n",
            cell(Some(t.opened)),
            cell(t.responded),
            cell(t.resolved)
        ));
        for (at, status) in &t.events {
            if seen(*at) {
                events.push_str(&format!("T{i},{},{status}\n", stamp(*at)));
            }
        }
    }
    std::fs::write(dir.join("tickets.csv"), log).expect("write the log");
    std::fs::write(dir.join("events.csv"), events).expect("write the events");
}

fn eval(dir: &Path, as_of: i64) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .arg("eval")
        .arg(dir.join("contract.sla"))
        .arg(dir.join("tickets.csv"))
        .arg("--events")
        .arg(dir.join("events.csv"))
        .args(["--as-of", &stamp(as_of), "--format", "json"])
        .output()
        .expect("run sla");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

fn scratch() -> PathBuf {
    scratch_dir("sla-as-of", CONTRACT)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_log_as_of_t_is_the_log_with_everything_after_t_blanked(
        tickets in prop::collection::vec(ticket(), 1..12),
        as_of in minutes(45 * 24 * 60),
        near in prop::option::of((any::<prop::sample::Index>(), -999i64..1000)),
    ) {
        let as_of = as_of_for(&tickets, as_of, near);
        let full = scratch();
        let cut = scratch();
        write_logs(&full, &tickets, None);
        write_logs(&cut, &tickets, Some(as_of));
        let a = eval(&full, as_of);
        let b = eval(&cut, as_of);
        let _ = std::fs::remove_dir_all(&full);
        let _ = std::fs::remove_dir_all(&cut);
        prop_assert_eq!(&a["tickets"], &b["tickets"]);
        prop_assert_eq!(&a["objectives"], &b["objectives"]);
        let rows = a["tickets"].as_array().cloned().unwrap_or_default();
        let mut later = 0;
        for (i, t) in tickets.iter().enumerate() {
            if t.opened <= as_of {
                continue;
            }
            later += 1;
            for r in rows.iter().filter(|r| r["id"] == format!("T{i}")) {
                prop_assert_eq!(&r["status"], "pending", "{}", r);
                prop_assert!(r["start"].is_null() && r["deadline"].is_null(), "{}", r);
            }
        }
        prop_assert_eq!(&a["problems"]["kinds"]["opened_after_as_of"]["count"], later);
    }
}
