//! The clauses beyond the ticket clocks — availability, escalation, closure,
//! RCA and complaints, change windows, the term — each against expectations
//! worked out by hand from the definitions (SEMANTICS.md, docs/language.md),
//! the arithmetic in the comments. Times are Europe/Amsterdam: CET (+01:00)
//! until 30 March 2025 02:00, CEST (+02:00) until 26 October 2025 03:00.

use serde_json::Value;

#[path = "support/folder.rs"]
mod folder;
use folder::{root, sla, Folder};

fn eval(args: &[&str]) -> (Value, i32, String) {
    let mut all = vec!["eval"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (rc, out, err) = sla(&all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {err}"));
    (v, rc, err)
}

fn seed(name: &str) -> String {
    root()
        .join("contracts")
        .join(format!("{name}.sla"))
        .display()
        .to_string()
}

fn avail<'a>(r: &'a Value, service: &str, window: &str, period: &str) -> &'a Value {
    r["availability"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|a| a["service"] == service && a["window"] == window && a["period"] == period)
        })
        .unwrap_or_else(|| panic!("no row {service}/{window}/{period}: {}", r["availability"]))
}

fn ticket<'a>(r: &'a Value, id: &str, metric: &str) -> &'a Value {
    r["tickets"]
        .as_array()
        .and_then(|rows| rows.iter().find(|t| t["id"] == id && t["metric"] == metric))
        .unwrap_or_else(|| panic!("no row {id}/{metric}"))
}

const HOSTING: &str = r#"
contract "Hosting" { timezone "Europe/Amsterdam" }
calendar support { open mon..fri 08:30-17:30 }
fields { opened_at: timestamp  resolved_at: timestamp }
metric resolution from opened_at to resolved_at in support
targets { all resolution within 4 hours }
availability cloud per month {
  99.5% in support
  95% outside support
  at most 3 interruptions
}
availability portal per month {
  99.5% in 24x7
  measured every 15 minutes
}
"#;

const OUTAGES: &str = "service,start,end
cloud,2025-03-30T01:00:00+01:00,2025-03-30T04:00:00+02:00
cloud,2025-03-31T17:00:00+02:00,2025-04-01T08:45:00+02:00
cloud,2025-04-02T10:00:00+02:00,2025-04-02T10:20:00+02:00
cloud,2025-04-02T10:10:00+02:00,2025-04-02T10:30:00+02:00
cloud,2025-04-03T10:00:00+02:00,2025-04-03T10:05:00+02:00
cloud,2025-04-04T10:00:00+02:00,2025-04-04T10:05:00+02:00
cloud,2025-05-05T10:00:00+02:00,2025-05-05T10:05:00+02:00
cloud,2025-05-06T10:00:00+02:00,2025-05-06T10:05:00+02:00
cloud,2025-05-07T10:00:00+02:00,2025-05-07T10:05:00+02:00
cloud,2025-05-08T10:00:00+02:00,2025-05-08T10:05:00+02:00
portal,2025-06-10T10:05:00+02:00,2025-06-10T10:20:00+02:00
portal,2025-06-11T10:15:00+02:00,2025-06-11T10:30:00+02:00
portal,2025-06-12T10:16:00+02:00,2025-06-12T10:29:00+02:00
portal,2025-10-26T02:50:00+02:00,2025-10-26T02:10:00+01:00
cloud,2025-11-14T16:00:00+01:00,
cloud,yesterday,2025-11-14T16:00:00+01:00
cloud,2025-11-03T10:00:00+01:00,2025-11-03T09:00:00+01:00
backup,2025-11-03T10:00:00+01:00,2025-11-03T11:00:00+01:00
";

/// Friday 14 November 2025, 17:00.
const AS_OF: &str = "2025-11-14T17:00:00+01:00";

fn hosting() -> (Value, i32, String) {
    let dir = Folder::new("sla-clauses", "hosting");
    let contract = dir.file("hosting.sla", HOSTING);
    let tickets = dir.file("tickets.csv", "id,opened_at,resolved_at\n");
    let outages = dir.file("outages.csv", OUTAGES);
    eval(&[&contract, &tickets, "--outages", &outages, "--as-of", AS_OF])
}

#[test]
fn support_hour_windows_across_the_dst_nights() {
    let (r, _, _) = hosting();
    // March 2025 starts on a Saturday: weekdays 3–7, 10–14, 17–21, 24–28 and
    // 31 are 21 days × 9 h = 189 h = 680,400 s. The month is 31 × 24 h less
    // the hour skipped on 30 March = 743 h = 2,674,800 s; outside support
    // 2,674,800 − 680,400 = 1,994,400 s.
    let support = avail(&r, "cloud", "support hours", "2025-03");
    assert_eq!(support["window_seconds"], 680_400);
    let outside = avail(&r, "cloud", "outside support hours", "2025-03");
    assert_eq!(outside["window_seconds"], 1_994_400);
    // October 2025 starts on a Wednesday: 1–3, 6–10, 13–17, 20–24, 27–31 =
    // 23 days × 9 h = 745,200 s; the month has 31 × 24 + 1 = 745 h =
    // 2,682,000 s (the hour repeated on 26 October), 1,936,800 s outside.
    let support = avail(&r, "cloud", "support hours", "2025-10");
    assert_eq!(support["window_seconds"], 745_200);
    let outside = avail(&r, "cloud", "outside support hours", "2025-10");
    assert_eq!(outside["window_seconds"], 1_936_800);
    assert_eq!(outside["downtime_seconds"], 0);
}

#[test]
fn an_outage_across_a_month_boundary_is_split() {
    let (r, _, _) = hosting();
    // March: the night of 30 March, 01:00 CET (00:00Z) to 04:00 CEST
    // (02:00Z), is 2 h down on a Sunday, outside support. Monday 31 March
    // 17:00 to midnight: 17:00–17:30 in support (1,800 s), 17:30–24:00
    // outside (23,400 s). Outside: 7,200 + 23,400 = 30,600 s.
    let support = avail(&r, "cloud", "support hours", "2025-03");
    assert_eq!(support["downtime_seconds"], 1_800);
    let outside = avail(&r, "cloud", "outside support hours", "2025-03");
    assert_eq!(outside["downtime_seconds"], 30_600);
    // Both outages start in March: 2 interruptions.
    assert_eq!(support["interruptions"], 2);
    // 1 − 1,800 / 680,400 = 99.7354 %.
    let a = support["availability"].as_f64().unwrap_or(0.0);
    assert!((a - 99.735_449).abs() < 1e-3, "{a}");
    // April: the rest of that outage, 00:00–08:30 outside (30,600 s) and
    // 08:30–08:45 in support (900 s); it started in March, so it is not an
    // April interruption.
    let support = avail(&r, "cloud", "support hours", "2025-04");
    let outside = avail(&r, "cloud", "outside support hours", "2025-04");
    assert_eq!(outside["downtime_seconds"], 30_600);
    // April 2025: weekdays 1–4, 7–11, 14–18, 21–25, 28–30 = 22 × 9 h = 712,800 s.
    assert_eq!(support["window_seconds"], 712_800);
    // Support downtime: 900 + the overlapping 10:00–10:20 and 10:10–10:30
    // on 2 April counted once (10:00–10:30, 1,800 s) + 300 + 300 = 3,300 s.
    assert_eq!(support["downtime_seconds"], 3_300);
    // 1 − 3,300 / 712,800 = 99.537 % ≥ 99.5 %.
    assert_eq!(support["compliant"], true);
    // Interruptions: 2 April (merged, one), 3 April, 4 April = 3, at most 3.
    assert_eq!(support["interruptions"], 3);
    assert_eq!(support["max_interruptions"], 3);
    assert_eq!(outside["interruptions"], 3);
}

#[test]
fn more_interruptions_than_allowed_fail_even_when_available_enough() {
    let (r, rc, _) = hosting();
    // May: four 5-minute outages, 1,200 s of 22 × 9 h = 712,800 s (99.83 %),
    // but 4 interruptions > 3.
    let may = avail(&r, "cloud", "support hours", "2025-05");
    assert_eq!(may["downtime_seconds"], 1_200);
    assert_eq!(may["interruptions"], 4);
    assert_eq!(may["compliant"], false);
    assert_eq!(rc, 1, "a non-compliant availability row fails the run");
}

#[test]
fn fifteen_minute_samples_at_the_edges() {
    let (r, _, _) = hosting();
    // Samples at multiples of 900 s since the epoch: every local quarter
    // hour (Amsterdam's offsets are whole hours). [10:05, 10:20) holds
    // 10:15: one sample, 900 s. [10:15, 10:30) holds 10:15 but not 10:30:
    // 900 s. [10:16, 10:29) holds none: 0 s, yet an interruption.
    let june = avail(&r, "portal", "24x7", "2025-06");
    assert_eq!(june["downtime_seconds"], 1_800);
    assert_eq!(june["interruptions"], 3);
    assert_eq!(june["window_seconds"], 30 * 86_400);
    // The autumn night: 02:50 CEST (00:50Z) to 02:10 CET (01:10Z) is 20
    // minutes and holds the sample 01:00Z: 900 s of a 745 h month.
    let oct = avail(&r, "portal", "24x7", "2025-10");
    assert_eq!(oct["downtime_seconds"], 900);
    assert_eq!(oct["window_seconds"], 745 * 3_600);
}

#[test]
fn an_open_outage_runs_to_the_as_of_instant() {
    let (r, _, err) = hosting();
    // November up to Friday 14th 17:00: support hours 3–7 and 10–13 (9 × 9 h)
    // and 14th 08:30–17:00 (8.5 h) = 89.5 h = 322,200 s; the open outage
    // from 16:00 counts 3,600 s. The month is counted only so far.
    let nov = avail(&r, "cloud", "support hours", "2025-11");
    assert_eq!(nov["window_seconds"], 322_200);
    assert_eq!(nov["downtime_seconds"], 3_600);
    assert_eq!(nov["partial"], true);
    assert_eq!(
        avail(&r, "cloud", "support hours", "2025-10")["partial"],
        false
    );
    // Outside support so far: 13 days and 17 h = 329 h less 89.5 h = 239.5 h.
    let out = avail(&r, "cloud", "outside support hours", "2025-11");
    assert_eq!(out["window_seconds"], 862_200);
    // Bad rows are named with file:line; the others are evaluated.
    assert!(
        err.contains("outages.csv:17") && err.contains("`start`"),
        "{err}"
    );
    assert!(
        err.contains("outages.csv:18") && err.contains("before it starts"),
        "{err}"
    );
    assert!(
        err.contains("outages.csv:19") && err.contains("`backup`"),
        "{err}"
    );
}

#[test]
fn connexys_availability_is_sampled_around_the_clock() {
    let dir = Folder::new("sla-clauses", "connexys");
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,type,level,component,responded_at,acknowledged_at,resolved_at\n",
    );
    // 31 January 23:50 to 1 February 00:20 CET: [23:50, 24:00) holds no
    // quarter hour; 00:00 and 00:15 fall in February. January 0 s (but the
    // interruption, which starts there), February 1,800 s.
    let outages = dir.file(
        "o.csv",
        "service,start,end\nconnexys,2025-01-31T23:50:00+01:00,2025-02-01T00:20:00+01:00\n",
    );
    let (r, _, _) = eval(&[
        &seed("connexys"),
        &tickets,
        "--outages",
        &outages,
        "--as-of",
        "2025-03-01T00:00:00+01:00",
    ]);
    let jan = avail(&r, "connexys", "24x7", "2025-01");
    assert_eq!(jan["downtime_seconds"], 0);
    assert_eq!(jan["interruptions"], 1);
    let feb = avail(&r, "connexys", "24x7", "2025-02");
    assert_eq!(feb["downtime_seconds"], 1_800);
    assert_eq!(feb["interruptions"], 0);
    assert_eq!(feb["window_seconds"], 28 * 86_400);
    assert_eq!(feb["required"], 99.5);
}

#[test]
fn escalation_due_times_for_shares_used_and_a_breach() {
    let dir = Folder::new("sla-clauses", "ladder");
    let contract = dir.file(
        "ladder.sla",
        r#"
contract "Ladder" { timezone "Europe/Amsterdam" }
calendar support { open mon..fri 08:30-17:30 }
fields { opened_at: timestamp  resolved_at: timestamp  customer: text optional }
metric resolution from opened_at to resolved_at in support
targets { all resolution within 4 hours }
escalation {
  contact email "help@example.com"
  level 1 "team lead" on 50% of resolution used
  level 2 "manager"   on 75% of resolution used
  level 3 "director"  on resolution breached
  carries id, customer
}
"#,
    );
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,resolved_at
E-1,2025-03-03T09:00:00+01:00,
E-2,2025-03-03T16:30:00+01:00,2025-03-04T09:45:00+01:00
E-3,2025-03-07T15:00:00+01:00,
E-4,2025-03-10T08:45:00+01:00,
",
    );
    // As of Monday 10 March 09:00.
    let (r, _, _) = eval(&[&contract, &tickets, "--as-of", "2025-03-10T09:00:00+01:00"]);
    let rows = r["escalations"].as_array().cloned().unwrap_or_default();
    let of = |id: &str| rows.iter().find(|e| e["id"] == id).cloned();
    // E-1: 4 support hours from Monday 09:00 end at 13:00, never resolved:
    // breached, the highest level (3) due at the deadline.
    let e1 = of("E-1").unwrap_or_default();
    assert_eq!(
        (e1["level"].as_u64(), e1["role"].as_str()),
        (Some(3), Some("director"))
    );
    assert_eq!(e1["due_at"], "2025-03-03T13:00:00+01:00");
    assert_eq!(e1["reason"], "resolution target breached");
    assert_eq!(e1["contacts"][0]["address"], "help@example.com");
    // E-2: 16:30–17:30 (1 h) then from 08:30; 50 % = 2 h at Tuesday 09:30;
    // 75 % = 3 h would be 10:30, after the resolution at 09:45: level 1.
    let e2 = of("E-2").unwrap_or_default();
    assert_eq!(e2["level"], 1);
    assert_eq!(e2["due_at"], "2025-03-04T09:30:00+01:00");
    assert_eq!(e2["reason"], "50% of the resolution target used");
    // E-3: Friday 15:00–17:30 is 2.5 h (50 % at 17:00), Monday 08:30–09:00
    // another 0.5 h: 75 % (3 h) reached at 09:00, the as-of instant itself.
    let e3 = of("E-3").unwrap_or_default();
    assert_eq!(e3["level"], 2);
    assert_eq!(e3["due_at"], "2025-03-10T09:00:00+01:00");
    // E-4: 15 minutes used of 4 hours: nothing due yet.
    assert!(of("E-4").is_none());
    assert_eq!(rows.len(), 3);
    // The human report names the levels, the contact and what to carry.
    let (_, text, _) = sla(&[
        "eval",
        &contract,
        &tickets,
        "--as-of",
        "2025-03-10T09:00:00+01:00",
        "--format",
        "human",
    ]);
    assert!(text.contains("Escalations due: 3 tickets"), "{text}");
    assert!(text.contains("level 3 (director): 1"), "{text}");
    assert!(text.contains("email help@example.com"), "{text}");
    assert!(text.contains("carries: id, customer"), "{text}");
}

#[test]
fn infravision_ladder_has_no_automatic_trigger() {
    let dir = Folder::new("sla-clauses", "iv-ladder");
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,type,scope,effect,cause,responded_at,root_cause_at,resolved_at,rca_at\nI-1,2025-03-03T09:00:00+01:00,incident,multiple,down,,,,,\n",
    );
    let (r, _, _) = eval(&[
        &seed("infravision"),
        &tickets,
        "--as-of",
        "2025-04-01T00:00:00+02:00",
    ]);
    assert_eq!(r["escalations"], serde_json::json!([]));
    let (_, text, _) = sla(&[
        "eval",
        &seed("infravision"),
        &tickets,
        "--as-of",
        "2025-04-01T00:00:00+02:00",
        "--format",
        "human",
    ]);
    assert!(
        text.contains("1 (Service Support Manager), 2 (CTO) have no trigger"),
        "{text}"
    );
}

#[test]
fn rca_within_one_month_of_resolution() {
    let dir = Folder::new("sla-clauses", "rca");
    // Top incidents (multiple × down) resolved 31 January 12:00: one month
    // later is 28 February 12:00 (no 31 February). At the deadline is in time.
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,type,scope,effect,cause,responded_at,root_cause_at,resolved_at,rca_at
R-1,2025-01-31T09:00:00+01:00,incident,multiple,down,,2025-01-31T09:30:00+01:00,2025-01-31T10:00:00+01:00,2025-01-31T12:00:00+01:00,2025-02-28T12:00:00+01:00
R-2,2025-01-31T09:00:00+01:00,incident,multiple,down,,2025-01-31T09:30:00+01:00,2025-01-31T10:00:00+01:00,2025-01-31T12:00:00+01:00,2025-02-28T12:00:01+01:00
R-3,2025-01-31T09:00:00+01:00,incident,single,down,,2025-01-31T09:30:00+01:00,2025-01-31T10:00:00+01:00,2025-01-31T12:00:00+01:00,
",
    );
    let (r, _, _) = eval(&[
        &seed("infravision"),
        &tickets,
        "--as-of",
        "2025-04-01T00:00:00+02:00",
    ]);
    let r1 = ticket(&r, "R-1", "rca");
    assert_eq!(r1["status"], "met");
    assert_eq!(r1["deadline"], "2025-02-28T12:00:00+01:00");
    // 28 days of wall-clock time.
    assert_eq!(r1["elapsed_seconds"], 28 * 86_400);
    assert_eq!(ticket(&r, "R-2", "rca")["status"], "breached");
    // Only top incidents have an RCA target.
    assert!(r["tickets"].as_array().is_some_and(|rows| !rows
        .iter()
        .any(|t| t["id"] == "R-3" && t["metric"] == "rca")));
}

#[test]
fn complaint_acknowledgement_in_working_days_across_a_holiday() {
    let dir = Folder::new("sla-clauses", "complaint");
    // Wednesday 28 May 2025 10:00; Thursday 29 May is Ascension Day (Easter
    // + 39), a Dutch holiday. One working day later: the same time on the
    // next working day, Friday 30 May 10:00. Contact within two: Monday 2 June 10:00.
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,type,level,component,responded_at,acknowledged_at,resolved_at
K-1,2025-05-28T10:00:00+02:00,complaint,,,2025-06-02T10:00:00+02:00,2025-05-30T10:00:00+02:00,
K-2,2025-05-28T10:00:00+02:00,complaint,,,2025-06-02T10:00:01+02:00,2025-05-30T10:00:01+02:00,
",
    );
    let (r, _, _) = eval(&[
        &seed("connexys"),
        &tickets,
        "--as-of",
        "2025-07-01T00:00:00+02:00",
    ]);
    let ack = ticket(&r, "K-1", "acknowledgement");
    assert_eq!(ack["deadline"], "2025-05-30T10:00:00+02:00");
    assert_eq!(ack["status"], "met");
    let contact = ticket(&r, "K-1", "response");
    assert_eq!(contact["deadline"], "2025-06-02T10:00:00+02:00");
    assert_eq!(contact["status"], "met");
    assert_eq!(ticket(&r, "K-2", "acknowledgement")["status"], "breached");
    assert_eq!(ticket(&r, "K-2", "response")["status"], "breached");
    // Each complaint escalates to the complaint handler when it comes in.
    let esc = r["escalations"].as_array().cloned().unwrap_or_default();
    assert_eq!(esc.len(), 2);
    assert_eq!(esc[0]["role"], "complaint handler");
    assert_eq!(esc[0]["due_at"], "2025-05-28T10:00:00+02:00");
}

#[test]
fn closure_by_confirmation_or_one_day_after_the_solution() {
    let dir = Folder::new("sla-clauses", "closure");
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,urgency,impact,resolved_at,confirmed_at
X-1,2025-03-27T10:00:00+01:00,high,high,2025-03-29T10:00:00+01:00,
X-2,2025-03-03T09:00:00+01:00,low,low,2025-03-03T10:00:00+01:00,2025-03-03T15:00:00+01:00
X-3,2025-03-03T09:00:00+01:00,low,low,2025-03-03T10:00:00+01:00,2025-03-05T10:00:00+01:00
X-4,2026-01-09T09:00:00+01:00,low,low,2026-01-10T00:00:00+01:00,
X-5,2026-01-09T09:00:00+01:00,low,low,,
",
    );
    let as_of = "2026-01-10T12:00:00Z";
    let (r, rc, _) = eval(&[&seed("xguard"), &tickets, "--as-of", as_of]);
    assert_eq!(rc, 0);
    let closed = |id: &str| {
        r["tickets"]
            .as_array()
            .and_then(|rows| rows.iter().find(|t| t["id"] == id))
            .map(|t| (t["status"].clone(), t["closed_at"].clone()))
            .unwrap_or_default()
    };
    // X-1: no confirmation; one calendar day after Saturday 29 March 10:00
    // CET is Sunday 30 March 10:00 CEST — 23 hours, across the DST night.
    assert_eq!(
        closed("X-1"),
        ("not_applicable".into(), "2025-03-30T10:00:00+02:00".into())
    );
    // X-2: confirmed at 15:00, before the automatic close at 10:00 the next day.
    assert_eq!(closed("X-2").1, "2025-03-03T15:00:00+01:00");
    // X-3: confirmed two days later; the automatic close came first.
    assert_eq!(closed("X-3").1, "2025-03-04T10:00:00+01:00");
    // X-4: solution at midnight, the automatic close (11 January) is after
    // the as-of instant; not confirmed: still open.
    assert_eq!(closed("X-4").1, Value::Null);
    assert_eq!(closed("X-5").1, Value::Null);

    // A metric that stops at the closure uses that instant: with a 3-day
    // target X-1 runs from Thursday 27 March 10:00 CET to Sunday 30 March
    // 10:00 CEST, 3 × 24 h less the skipped hour = 255,600 s, and the
    // deadline (3 calendar days) is that same instant: met.
    let source = std::fs::read_to_string(seed("xguard")).unwrap_or_default()
        + "\ntargets { all resolution within 3 days }\n";
    let contract = dir.file("xguard-timed.sla", &source);
    let (r, _, _) = eval(&[&contract, &tickets, "--as-of", as_of]);
    let x1 = ticket(&r, "X-1", "resolution");
    assert_eq!(x1["stop"], "2025-03-30T10:00:00+02:00");
    assert_eq!(x1["elapsed_seconds"], 255_600);
    assert_eq!(x1["deadline"], "2025-03-30T10:00:00+02:00");
    assert_eq!(x1["status"], "met");
    assert_eq!(x1["closed_at"], "2025-03-30T10:00:00+02:00");
}

#[test]
fn change_windows_friday_by_exception_saturday_not() {
    let dir = Folder::new("sla-clauses", "changes");
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,priority,cause,responded_at,resolved_at\n",
    );
    let changes = dir.file(
        "c.csv",
        "id,deployed_at
C-1,2025-03-06T23:59:59+01:00
C-2,2025-03-07T00:00:00+01:00
C-3,2025-03-08T12:00:00+01:00
C-4,2025-03-10T00:00:00+01:00
",
    );
    let (r, rc, _) = eval(&[
        &seed("care"),
        &tickets,
        "--changes",
        &changes,
        "--as-of",
        "2025-04-01T00:00:00+02:00",
    ]);
    assert_eq!(rc, 0, "changes alone do not fail the run");
    let rows = r["changes"].as_array().cloned().unwrap_or_default();
    let get = |id: &str| {
        rows.iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    // Thursday to the last second: inside `go live mon..thu` (whole days).
    assert_eq!(
        (
            get("C-1")["allowed"].as_bool(),
            get("C-1")["by_exception"].as_bool()
        ),
        (Some(true), Some(false))
    );
    // Friday from midnight: by exception only.
    assert_eq!(
        (
            get("C-2")["allowed"].as_bool(),
            get("C-2")["by_exception"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert!(get("C-2")["reason"]
        .as_str()
        .unwrap_or("")
        .contains("exception"));
    // Saturday: not allowed, with the reason.
    assert_eq!(get("C-3")["allowed"], false);
    assert!(get("C-3")["reason"]
        .as_str()
        .unwrap_or("")
        .contains("outside the change window"));
    // Monday midnight: inside again.
    assert_eq!(get("C-4")["allowed"], true);
}

#[test]
fn info_tells_the_term_renewal_and_notice() {
    let dir = Folder::new("sla-clauses", "info");
    let contract = dir.file(
        "acme.sla",
        r#"contract "Acme" {
  timezone "Europe/Amsterdam"
  effective 2025-01-31
  term 12 months
  renews automatically
  notice 2 months
}
"#,
    );
    let (rc, out, _) = sla(&[
        "info",
        &contract,
        "--today",
        "2025-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(rc, 0);
    let v: Value = serde_json::from_str(&out).unwrap_or_default();
    // 12 months from 31 January 2025: renews on 31 January 2026, the term's
    // last day 30 January; notice by 30 November 2025 (31 November does not
    // exist; 1 December + 2 months = 1 February, past the renewal).
    assert_eq!(v["status"], "running");
    assert_eq!(v["term"]["start"], "2025-01-31");
    assert_eq!(v["term"]["last_day"], "2026-01-30");
    assert_eq!(v["term"]["renews_on"], "2026-01-31");
    assert_eq!(v["term"]["notice_by"], "2025-11-30");
    assert_eq!(v["next_term"], Value::Null);
    // After the notice day, the next chance is a year on.
    let (_, out, _) = sla(&[
        "info",
        &contract,
        "--today",
        "2025-12-01",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(v["next_term"]["notice_by"], "2026-11-30");
    let (_, text, _) = sla(&["info", &contract, "--today", "2025-12-01"]);
    assert!(
        text.contains("too late to stop the coming renewal"),
        "{text}"
    );
    // Infravision runs from go-live, which it does not date.
    let (rc, text, _) = sla(&["info", &seed("infravision"), "--today", "2026-01-10"]);
    assert_eq!(rc, 0);
    assert!(
        text.contains("no effective date") && text.contains("effective YYYY-MM-DD"),
        "{text}"
    );
    let (rc, _, err) = sla(&["info", &contract, "--today", "31-01-2025"]);
    assert_eq!(rc, 2);
    assert!(err.contains("--today"), "{err}");
}

#[test]
fn eval_warns_about_tickets_outside_the_term() {
    let dir = Folder::new("sla-clauses", "term");
    let contract = dir.file(
        "short.sla",
        r#"contract "Short" {
  timezone "Europe/Amsterdam"
  effective 2025-03-01
  term 1 month
}
fields { opened_at: timestamp  resolved_at: timestamp }
metric resolution from opened_at to resolved_at
targets { all resolution within 4 hours }
"#,
    );
    // The term covers 1–31 March 2025 (no renewal).
    let tickets = dir.file(
        "t.csv",
        "id,opened_at,resolved_at
T-1,2025-02-28T23:59:00+01:00,2025-03-01T01:00:00+01:00
T-2,2025-03-15T10:00:00+01:00,2025-03-15T11:00:00+01:00
T-3,2025-04-01T00:00:00+02:00,2025-04-01T01:00:00+02:00
",
    );
    let (r, _, err) = eval(&[&contract, &tickets, "--as-of", "2025-05-01T00:00:00+02:00"]);
    assert!(
        err.contains("before the contract's effective date 2025-03-01"),
        "{err}"
    );
    assert!(
        err.contains("after the contract's term ended on 2025-03-31"),
        "{err}"
    );
    assert_eq!(r["warnings"].as_array().map(Vec::len), Some(2));
    // Inside the term: no warning.
    let inside = dir.file(
        "in.csv",
        "id,opened_at,resolved_at\nT-2,2025-03-15T10:00:00+01:00,\n",
    );
    let (r, _, err) = eval(&[&contract, &inside, "--as-of", "2025-05-01T00:00:00+02:00"]);
    assert!(!err.contains("effective date"), "{err}");
    assert_eq!(r["warnings"], Value::Null);
}
