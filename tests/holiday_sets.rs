//! Built-in holiday sets as the user sees them: `sla calendar --set S --year Y`
//! run on the real binary, against the cases in `tests/holidays/`.
//!
//! Each case is a text file: comment lines (`#`) with the reasoning from the
//! law, then `set S` (a built-in set) or `rules RULES` (what follows
//! `closed on` in a calendar open mon..fri 09:00-17:00, run through a
//! contract), `year Y`, and one line `YYYY-MM-DD name` per closed day (all
//! of them, in order), or `note TEXT` for the note the command prints.
//! The expectations are worked out by hand; CI also compares a wider
//! selection with python-holidays itself (scripts/holidays/compare.py).

use std::path::Path;
use std::process::Command;

fn run_case(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (mut set, mut rules, mut year) = (None, None, None);
    let mut want_days = Vec::new();
    let mut want_note = None;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        if let Some(s) = line.strip_prefix("set ") {
            set = Some(s.trim().to_string());
        } else if let Some(r) = line.strip_prefix("rules ") {
            rules = Some(r.trim().to_string());
        } else if let Some(y) = line.strip_prefix("year ") {
            year = Some(y.trim().to_string());
        } else if let Some(n) = line.strip_prefix("note ") {
            want_note = Some(n.to_string());
        } else {
            let (d, n) = line.split_once(' ').ok_or(format!("bad line `{line}`"))?;
            want_days.push((d.to_string(), n.to_string()));
        }
    }
    let year = year.ok_or("no `year`")?;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sla"));
    cmd.arg("calendar");
    match (set, rules) {
        (Some(set), None) => {
            cmd.args(["--set", &set]);
        }
        (None, Some(rules)) => {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("case");
            let contract = std::env::temp_dir().join(format!("sla-holiday-case-{name}.sla"));
            std::fs::write(&contract, case_contract(&rules)).map_err(|e| e.to_string())?;
            cmd.arg(&contract).arg("office");
        }
        _ => return Err("a case has `set` or `rules`, not both".into()),
    }
    let out = cmd
        .args(["--year", &year, "--format", "json"])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let closed = if v["closed"].is_array() {
        &v["closed"]
    } else {
        &v["calendars"][0]["closed"]
    };
    let got: Vec<(String, String)> = closed
        .as_array()
        .ok_or("no `closed` list")?
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap_or("").to_string(),
                d["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    if got != want_days {
        return Err(format!(
            "days differ:\n  want {want_days:?}\n  got  {got:?}"
        ));
    }
    let note = v["note"]
        .as_str()
        .map(str::to_string)
        .or_else(|| v["calendars"][0]["notes"][0].as_str().map(str::to_string));
    if note != want_note {
        return Err(format!(
            "note differs:\n  want {want_note:?}\n  got  {note:?}"
        ));
    }
    Ok(())
}

/// A contract whose calendar `office` is closed on `rules`.
fn case_contract(rules: &str) -> String {
    format!(
        "contract \"Case\" {{ timezone \"UTC\" }}\n\
         fields {{\n  opened_at: timestamp\n  resolved_at: timestamp\n}}\n\
         calendar office {{\n  open mon..fri 09:00-17:00\n  closed on {rules}\n}}\n\
         metric resolution from opened_at to resolved_at in office\n\
         targets {{ all resolution within 4 hours }}\n"
    )
}

#[test]
fn holiday_set_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/holidays");
    let mut failures = Vec::new();
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "txt") {
            n += 1;
            if let Err(why) = run_case(&p) {
                failures.push(format!("{}: {why}", p.display()));
            }
        }
    }
    assert!(n >= 5, "only {n} cases found in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A contract's calendar: built-in sets plus a date of its own, minus a
/// reopened one, listed with names and weekly hours.
#[test]
fn a_contracts_calendar_lists_its_days() {
    let contract =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check/ok/builtin_holiday_sets.sla");
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .arg("calendar")
        .arg(&contract)
        .args(["office", "--year", "2025", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cal = &v["calendars"][0];
    assert_eq!(cal["calendar"], "office");
    assert_eq!(cal["timezone"], "America/New_York");
    // mon..fri 09:00-17:00: 5 x 8 hours.
    assert_eq!(cal["weekly_hours"], 40.0);
    let closed: Vec<&str> = cal["closed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    // US 2025: 1 Jan; MLK 3rd Mon Jan (6, 13, 20); Washington's Birthday 3rd
    // Mon Feb (3, 10, 17); Memorial Day last Mon May (26); Juneteenth (Thu);
    // 4 July (Fri); Labor Day 1st Mon Sep (1); Columbus Day 2nd Mon Oct (6,
    // 13); Veterans Day 11 Nov (reopened by the contract); Thanksgiving 4th
    // Thu Nov (6, 13, 20, 27); 25 Dec. New York adds Lincoln's Birthday
    // (12 Feb, Wed), Susan B. Anthony Day (15 Feb, Sat) and Election Day (the
    // Tuesday after the first Monday of November: 4 Nov). The contract adds
    // 24 December.
    let want = [
        "2025-01-01",
        "2025-01-20",
        "2025-02-12",
        "2025-02-15",
        "2025-02-17",
        "2025-05-26",
        "2025-06-19",
        "2025-07-04",
        "2025-09-01",
        "2025-10-13",
        "2025-11-04",
        "2025-11-27",
        "2025-12-24",
        "2025-12-25",
    ];
    assert_eq!(closed, want);
    assert_eq!(cal["closed"][12]["name"], "closed date");
    assert_eq!(cal["reopened"][0]["date"], "2025-11-11");
    assert_eq!(cal["reopened"][0]["name"], "Veterans Day");
}

#[test]
fn unknown_names_say_what_was_meant() {
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(["calendar", "--set", "US-NYY"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `US-NY`?"), "{err}");
}
