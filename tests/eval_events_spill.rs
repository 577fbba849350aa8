//! The event log past its memory budget (`SLA_EVENTS_MEMORY`) is written to
//! disk and read back a ticket at a time; nothing a user sees may change.
//! The real binary evaluates one generated log twice, once with the events
//! in memory and once forced to spill, and the two runs must agree byte for
//! byte: the JSON rows and objectives, the problems summary, `--explain` of
//! a few tickets. The log is in random order (a ticket's events scattered
//! through it, so in many batches on disk), or in the ticket log's order
//! (read on from where the last ticket's events ended), with events whose
//! ticket is not in the ticket log, rows in the spring-forward gap,
//! unreadable rows and changes of a field the contract lacks; the counts of
//! those problems are known from how the log was made.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// Seeded, so the log is the same on every run and a failure can be replayed.
use fastrand::Rng;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::scratch_dir;

/// The contract of `benches/eval_histories.sh`: every clock that reads the
/// event log (earliest-of with an activity and a status, a next reply per
/// customer reply, a resolution paused while pending with a cycle per
/// reopening), in Europe/Amsterdam.
const CONTRACT: &str = include_str!("../benches/eval/histories.sla");

/// 2025-01-06 00:00 UTC, a Monday.
const BASE: i64 = 1_736_121_600;

fn stamp(t: i64, millis: u64) -> String {
    let d = chrono::DateTime::from_timestamp(t, 0).unwrap_or_default();
    if millis == 0 {
        d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        format!("{}.{millis:03}Z", d.format("%Y-%m-%dT%H:%M:%S"))
    }
}

/// The problems the generated event log holds, by kind, as made.
#[derive(Debug, Default)]
struct Made {
    without_ticket: u64,
    in_dst_gap: u64,
    unreadable: u64,
    unknown_field: u64,
}

/// How the event log's rows are laid out.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    /// In random order: a ticket's events scattered through the log.
    Shuffled,
    /// Grouped by ticket in the ticket log's order, as exports are, with
    /// the rows of the problems put in between and every 17th ticket
    /// without events: the spilled log is mostly read on from where it
    /// stopped, and the index is asked where it is not.
    TicketOrder,
}

/// Writes `tickets.csv` and `events.csv` into `dir`: `n` tickets over
/// January to April 2025, about six events each (in `order`).
fn write_logs(dir: &Path, n: usize, order: Order) -> Made {
    let mut rng = Rng::with_seed(0x5eed_1e55_0fe7_e7e7);
    let mut made = Made::default();
    let mut tickets = String::from("id,opened_at,priority,resolved_at\n");
    let mut rows: Vec<String> = Vec::new();
    let priorities = ["high", "medium", "low"];
    for i in 0..n {
        let id = format!("T{i:05}");
        let opened = BASE + rng.u64(..100 * 86_400) as i64;
        let priority = priorities[rng.u64(..3) as usize];
        let mut t = opened;
        let mut gap = |rng: &mut Rng, mean: u64| {
            t += 1 + rng.u64(..2 * mean) as i64;
            t
        };
        let silent = order == Order::TicketOrder && i % 17 == 0;
        let mut ev =
            |at: i64, status: &str, field: &str, value: &str, activity: &str, rng: &mut Rng| {
                // One event in four at a fraction of a second.
                let millis = if rng.u64(..4) == 0 {
                    1 + rng.u64(..999)
                } else {
                    0
                };
                if !silent {
                    rows.push(format!(
                        "{id},{},{status},{field},{value},{activity}",
                        stamp(at, millis)
                    ));
                }
            };
        ev(
            gap(&mut rng, 20_000),
            "pending",
            "",
            "",
            "agent_reply",
            &mut rng,
        );
        for _ in 0..1 + rng.u64(..2) {
            ev(
                gap(&mut rng, 40_000),
                "open",
                "",
                "",
                "customer_reply",
                &mut rng,
            );
            if rng.u64(..5) == 0 {
                let p = priorities[rng.u64(..3) as usize];
                ev(gap(&mut rng, 5_000), "", "priority", p, "", &mut rng);
            }
            ev(
                gap(&mut rng, 15_000),
                "pending",
                "",
                "",
                "agent_reply",
                &mut rng,
            );
        }
        let mut resolved = String::new();
        if rng.u64(..20) != 0 {
            let at = gap(&mut rng, 30_000);
            ev(at, "solved", "", "", "", &mut rng);
            resolved = stamp(at, 0);
            if rng.u64(..5) == 0 {
                ev(
                    gap(&mut rng, 80_000),
                    "open",
                    "",
                    "",
                    "customer_reply",
                    &mut rng,
                );
                let at = gap(&mut rng, 20_000);
                ev(at, "solved", "", "", "agent_reply", &mut rng);
                resolved = stamp(at, 0);
            }
        }
        tickets.push_str(&format!(
            "{id},{},{priority},{resolved}\n",
            stamp(opened, 0)
        ));
    }
    // Tickets the ticket log does not have: 40 rows over 25 ids, some rows
    // saying two things (still one problem each).
    for k in 0..40 {
        let at = stamp(BASE + rng.u64(..90 * 86_400) as i64, 0);
        let activity = if k % 3 == 0 { "agent_reply" } else { "" };
        rows.push(format!("GONE-{},{at},open,,,{activity}", k % 25));
        made.without_ticket += 1;
    }
    // Local times in the spring-forward gap of 30 March 2025 in Amsterdam.
    for k in 0..7 {
        rows.push(format!(
            "T{:05},2025-03-30 02:{:02}:00,open,,,",
            k * 11,
            5 + k
        ));
        made.in_dst_gap += 1;
    }
    // Rows that cannot be used: an unreadable time, a value the field does
    // not have, a row that says nothing, no ticket id.
    for k in 0..5 {
        rows.push(format!("T{:05},soon,open,,,", k * 7));
    }
    for k in 0..3 {
        rows.push(format!(
            "T{:05},2025-02-03T10:00:00Z,,priority,urgent,",
            k * 5
        ));
    }
    rows.push("T00003,2025-02-03T10:00:00Z,,,,".into());
    rows.push(",2025-02-03T10:00:00Z,open,,,".into());
    made.unreadable += 10;
    // A field the contract lacks: counted, the row's status still used.
    for k in 0..4 {
        rows.push(format!(
            "T{:05},2025-02-04T10:00:00Z,open,group,2nd line,",
            k * 13
        ));
        made.unknown_field += 1;
    }
    match order {
        Order::Shuffled => {
            for i in (1..rows.len()).rev() {
                rows.swap(i, rng.u64(..i as u64 + 1) as usize);
            }
        }
        Order::TicketOrder => {
            // The rows of the problems (made last) each to a random place.
            let problems = made.without_ticket + made.in_dst_gap + made.unreadable;
            let first = rows.len() - (problems + made.unknown_field) as usize;
            let extra = rows.split_off(first);
            for r in extra {
                let at = rng.u64(..rows.len() as u64 + 1) as usize;
                rows.insert(at, r);
            }
        }
    }
    let mut events = String::from("id,at,status,field,value,activity\n");
    for r in rows {
        events.push_str(&r);
        events.push('\n');
    }
    std::fs::write(dir.join("tickets.csv"), tickets).expect("write the tickets");
    std::fs::write(dir.join("events.csv"), events).expect("write the events");
    made
}

/// `sla eval` on the logs of `dir`, with `extra` arguments and environment.
fn eval(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sla"));
    cmd.current_dir(dir)
        .args([
            "eval",
            "contract.sla",
            "tickets.csv",
            "--events",
            "events.csv",
        ])
        .args(["--as-of", "2025-04-10T12:00:00Z"])
        .args(extra)
        .env_remove("SLA_EVENTS_MEMORY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run sla")
}

/// Forces the events to disk: the smallest budget (64 KiB), about a dozen
/// runs here.
const SPILL: (&str, &str) = ("SLA_EVENTS_MEMORY", "1K");

fn scratch() -> PathBuf {
    scratch_dir("sla-events-spill", CONTRACT)
}

#[test]
fn spilled_events_give_the_same_report_as_events_in_memory() {
    same_report_either_way(Order::Shuffled);
}

#[test]
fn spilled_events_in_the_ticket_logs_order_give_the_same_report_too() {
    same_report_either_way(Order::TicketOrder);
}

/// The logs made in `order` evaluated with the events in memory and
/// spilled: the reports, problems and `--explain` must agree byte for byte.
fn same_report_either_way(order: Order) {
    let dir = scratch();
    let made = write_logs(&dir, 3000, order);

    let memory = eval(&dir, &["--format", "json"], &[]);
    let spilled = eval(&dir, &["--format", "json"], &[SPILL]);
    let text = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        memory.status.code(),
        spilled.status.code(),
        "{}",
        text(&spilled)
    );
    assert!(
        memory.stdout == spilled.stdout,
        "the JSON reports differ; spilled run's stderr: {}",
        text(&spilled)
    );
    assert_eq!(
        text(&memory),
        text(&spilled),
        "the problems summaries differ"
    );

    // Not vacuous: the report has every ticket, and each problem the log
    // was made with is counted, in both runs alike (compared above).
    let report: serde_json::Value = serde_json::from_slice(&memory.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&memory)));
    let rows = report["tickets"].as_array().cloned().unwrap_or_default();
    let mut ids: Vec<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3000);
    let kinds = &report["problems"]["kinds"];
    assert_eq!(
        kinds["event_without_ticket"]["count"], made.without_ticket,
        "{kinds}"
    );
    assert_eq!(
        kinds["event_in_dst_gap"]["count"], made.in_dst_gap,
        "{kinds}"
    );
    assert_eq!(
        kinds["unreadable_event"]["count"], made.unreadable,
        "{kinds}"
    );
    assert_eq!(
        kinds["unknown_event_field"]["count"], made.unknown_field,
        "{kinds}"
    );
    // Cycles and next replies came out of the events: some tickets have
    // a second resolution cycle.
    assert!(rows.iter().any(|r| r["cycle"] == 2), "no reopened ticket");

    // --explain lists each event with its line, read back from disk alike.
    for id in ["T00001", "T01234", "T02999"] {
        let a = eval(&dir, &["--explain", id], &[]);
        let b = eval(&dir, &["--explain", id], &[SPILL]);
        let a_text = String::from_utf8_lossy(&a.stdout);
        assert!(a_text.contains("event log, line"), "{id}: {a_text}");
        assert_eq!(a_text, String::from_utf8_lossy(&b.stdout), "{id}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_forced_budget_does_go_to_disk_and_says_so_when_it_cannot() {
    let dir = scratch();
    write_logs(&dir, 300, Order::Shuffled);
    let nowhere = dir.join("no such dir");
    let nowhere = nowhere.to_str().unwrap_or_default();
    // In memory, the temporary directory is never used.
    let memory = eval(&dir, &["--format", "json"], &[("TMPDIR", nowhere)]);
    assert!(
        !memory.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&memory.stderr)
    );
    // Forced to spill, it is: a clear error that names it and what to do.
    let spilled = eval(&dir, &["--format", "json"], &[SPILL, ("TMPDIR", nowhere)]);
    let err = String::from_utf8_lossy(&spilled.stderr);
    assert_eq!(spilled.status.code(), Some(2), "{err}");
    assert!(
        err.contains(nowhere) && err.contains("SLA_EVENTS_MEMORY"),
        "{err}"
    );
    // A budget that is not a size is refused, naming the variable.
    let bad = eval(
        &dir,
        &["--format", "json"],
        &[("SLA_EVENTS_MEMORY", "lots")],
    );
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("SLA_EVENTS_MEMORY is `lots`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
