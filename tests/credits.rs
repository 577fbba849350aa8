//! Service credits (SEMANTICS.md "Money: service credits", docs/language.md
//! "Service credits") from the real binary on real files, against credits
//! worked out by hand in the comments.

use serde_json::Value;

#[path = "support/folder.rs"]
mod folder;
use folder::{sla, Folder};

fn json(args: &[&str]) -> (Value, i32) {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let (rc, out, err) = sla(&all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {err}"));
    (v, rc)
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-6)
}

const CLOUD: [&str; 6] = [
    "eval",
    "contracts/examples/cloud-compute.sla",
    "--outages",
    "examples/cloud-outages.csv",
    "--as-of",
    "2025-12-01T00:00:00Z",
];

#[test]
fn availability_tiers_of_the_cloud_example() {
    // No ticket log: the contract has only availability clauses.
    let (r, rc) = json(&CLOUD);
    assert_eq!(rc, 1, "availability below the commitment fails the run");
    let credits = r["credits"].as_array().expect("credits rows");
    // compute, 99.99% in 24x7, fee 4000 EUR a month:
    // - September (30 days, 2,592,000 s): 3 min down, 1 − 180/2,592,000 =
    //   99.9931% ≥ 99.99%: no tier, no row.
    // - October (31 days, 2,678,400 s): 2 h 30 m + 1 h = 12,600 s down,
    //   99.5296%: below 99.99% but at least 99% → 10% = 400 EUR.
    // - November: 22:00 on the 18th to 10:00 on the 20th = 36 h = 129,600 s,
    //   1 − 129,600/2,592,000 = exactly 95%: not below 95%, so the tier
    //   below 99% but at least 95% → 30% = 1200 EUR.
    // storage, 99.9% in 24x7: November has 00:00–04:00 and 03:00–07:00 on
    // the 3rd, merged to 7 h (25,200 s; counted twice it would be 8 h), and
    // an outage still open from 23:30 on the 30th, counted to the as-of
    // instant (1,800 s): 27,000 s, 1 − 27,000/2,592,000 = 98.9583% → below
    // 99% but at least 95% → 25% = 1000 EUR. (Without the open outage it
    // would be 99.0278%, the 10% tier.)
    let want = [
        (
            "compute",
            "2025-10",
            99.529_569_892,
            "below 99.99% but at least 99%",
            10.0,
            400.0,
        ),
        (
            "compute",
            "2025-11",
            95.0,
            "below 99% but at least 95%",
            30.0,
            1200.0,
        ),
        (
            "storage",
            "2025-11",
            98.958_333_333,
            "below 99% but at least 95%",
            25.0,
            1000.0,
        ),
    ];
    assert_eq!(credits.len(), want.len(), "{credits:#?}");
    for (c, (service, period, measured, tier, pct, amount)) in credits.iter().zip(want) {
        assert_eq!(c["service"], service);
        assert_eq!(c["window"], "24x7");
        assert_eq!(c["objective"], Value::Null);
        assert_eq!(c["period"], period);
        assert!(close(&c["measured"], measured), "{c}");
        assert_eq!(c["tier"], tier);
        assert!(close(&c["credit_percent"], pct), "{c}");
        assert!(close(&c["amount"], amount), "{c}");
        assert_eq!(c["currency"], "EUR");
        assert_eq!(c["capped"], false);
    }
}

#[test]
fn the_human_report_and_csv_show_the_credits() {
    let mut args = CLOUD.to_vec();
    args.extend_from_slice(&["--format", "human"]);
    let (_, out, _) = sla(&args);
    assert!(out.contains("Service credits owed:"), "{out}");
    assert!(out.contains("below 99% but at least 95%"), "{out}");
    // 400 + 1200 + 1000.
    assert!(out.contains("total: 2600.00 EUR"), "{out}");
    let mut args = CLOUD.to_vec();
    args.extend_from_slice(&["--format", "csv"]);
    let (_, out, _) = sla(&args);
    let credits = out
        .split("\n\n")
        .nth(1)
        .unwrap_or_else(|| panic!("a credits table after a blank line: {out}"));
    let mut lines = credits.lines();
    assert_eq!(
        lines.next(),
        Some("period,service,window,objective,measured,required,tier,credit_percent,amount,currency,capped,partial")
    );
    assert_eq!(lines.count(), 3);
}

const MISSED: &str = r#"
contract "Missed objectives" { timezone "UTC" }
fields {
  opened_at:   timestamp
  priority:    label [high, medium, low]
  resolved_at: timestamp
}
priority from priority {
  high   "h"
  medium "m"
  low    "l"
}
metric resolution from opened_at to resolved_at in 24x7
targets per month {
  high   resolution within 4 hours  for 100%
  medium resolution within 8 hours  for 100%
  low    resolution within 24 hours for 100%
}
credits {
  fee 1000 EUR per month
  10% for each missed objective, at most 25% per month
}
"#;

const TICKETS: &str = "id,opened_at,priority,resolved_at
N1,2025-11-03T10:00:00Z,high,2025-11-03T15:00:00Z
N2,2025-11-04T10:00:00Z,medium,2025-11-04T19:00:00Z
N3,2025-11-05T10:00:00Z,low,2025-11-06T11:00:00Z
N4,2025-11-06T10:00:00Z,high,2025-11-06T11:00:00Z
D1,2025-12-01T10:00:00Z,high,2025-12-01T16:00:00Z
D2,2025-12-02T10:00:00Z,medium,2025-12-02T12:00:00Z
";

#[test]
fn missed_objectives_earn_credits_up_to_the_cap() {
    let dir = Folder::new("sla-credits", "missed");
    let contract = dir.file("c.sla", MISSED);
    let tickets = dir.file("t.csv", TICKETS);
    let (r, rc) = json(&[
        "eval",
        &contract,
        &tickets,
        "--as-of",
        "2026-01-01T00:00:00Z",
    ]);
    assert_eq!(rc, 1);
    // November: high 1 of 2 within 4 h (N1 took 5 h) = 50%, medium 0 of 1
    // (N2 took 9 h), low 0 of 1 (N3 took 25 h): three objectives missed, in
    // the contract's order high, medium, low. 10% each, at most 25%: 10%,
    // 10%, then 5% (what is left of the cap) on low. Fee 1000 EUR: 100,
    // 100, 50. December: high 0 of 1 (D1 took 6 h) → 10% = 100 EUR; medium
    // met (D2, 2 h).
    let want = [
        ("2025-11", "resolution high", 50.0, 10.0, 100.0, false),
        ("2025-11", "resolution medium", 0.0, 10.0, 100.0, false),
        ("2025-11", "resolution low", 0.0, 5.0, 50.0, true),
        ("2025-12", "resolution high", 0.0, 10.0, 100.0, false),
    ];
    let credits = r["credits"].as_array().expect("credits rows");
    assert_eq!(credits.len(), want.len(), "{credits:#?}");
    for (c, (period, objective, measured, pct, amount, capped)) in credits.iter().zip(want) {
        assert_eq!(c["period"], period);
        assert_eq!(c["objective"], objective);
        assert_eq!(c["service"], Value::Null);
        assert!(close(&c["measured"], measured), "{c}");
        assert_eq!(c["tier"], "missed");
        assert!(close(&c["credit_percent"], pct), "{c}");
        assert!(close(&c["amount"], amount), "{c}");
        assert_eq!(c["capped"], capped);
    }
}

#[test]
fn amounts_without_a_fee_have_no_percentage() {
    let dir = Folder::new("sla-credits", "amounts");
    let contract = dir.file(
        "c.sla",
        &MISSED.replace(
            "  fee 1000 EUR per month\n  10% for each missed objective, at most 25% per month",
            "  150 EUR for each missed objective, at most 200 EUR per month",
        ),
    );
    let tickets = dir.file("t.csv", TICKETS);
    let (r, _) = json(&[
        "eval",
        &contract,
        &tickets,
        "--as-of",
        "2026-01-01T00:00:00Z",
    ]);
    // November: 150, then 50 (the cap of 200 reached), then nothing; December 150.
    let credits = r["credits"].as_array().expect("credits rows");
    let amounts: Vec<f64> = credits
        .iter()
        .filter_map(|c| c["amount"].as_f64())
        .collect();
    assert_eq!(amounts, [150.0, 50.0, 0.0, 150.0]);
    assert!(credits.iter().all(|c| c["credit_percent"].is_null()));
    assert!(credits.iter().all(|c| c["currency"] == "EUR"));
    let capped: Vec<bool> = credits
        .iter()
        .filter_map(|c| c["capped"].as_bool())
        .collect();
    assert_eq!(capped, [false, true, true, false]);
}

#[test]
fn seed_contracts_owe_no_credits() {
    // None of the five agreements names a credit: no `credits` key at all.
    for seed in ["care", "connexys", "infravision", "voicetronics", "xguard"] {
        let contract = format!("contracts/{seed}.sla");
        let tickets = format!("tests/eval/testdata/{seed}/tickets.csv");
        let (r, _) = json(&[
            "eval",
            &contract,
            &tickets,
            "--as-of",
            "2026-01-10T12:00:00Z",
        ]);
        assert!(r.get("credits").is_none(), "{seed}");
    }
}

#[test]
fn a_contract_with_targets_needs_its_ticket_log() {
    let (rc, _, err) = sla(&["eval", "contracts/care.sla"]);
    assert_eq!(rc, 2);
    assert!(err.contains("needs a ticket log"), "{err}");
}
