//! `sla fmt`: every contract in the repository formats idempotently, to the
//! same tree, with every comment kept in order; snapshots of messy inputs;
//! the command line on real files.

use std::path::{Path, PathBuf};
use std::process::Command;

use sla::fmt::{comments, format_source, strip_spans};
use sla::syntax::parse;

/// Every `.sla` under `contracts/` and `tests/`, found when the test runs so
/// contracts added later are covered too.
fn contracts() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "sla") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("contracts"), &mut out);
    walk(&root.join("tests"), &mut out);
    out.sort();
    out
}

fn tree(src: &str) -> serde_json::Value {
    let (file, errors) = parse(src);
    assert!(errors.is_empty(), "parse errors: {errors:?}");
    strip_spans(serde_json::to_value(&file).expect("a tree serialises"))
}

#[test]
fn every_contract_formats_to_the_same_tree_idempotently_keeping_comments() {
    let files = contracts();
    assert!(files.len() >= 5, "found only {files:?}");
    let mut checked = 0;
    for path in files {
        let src = std::fs::read_to_string(&path).expect("readable");
        if !parse(&src).1.is_empty() {
            // Deliberately broken inputs (tests of errors) are not formatted.
            assert!(format_source(&src).is_err(), "{}", path.display());
            continue;
        }
        let once = format_source(&src).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert_eq!(tree(&src), tree(&once), "{}: tree changed", path.display());
        let twice = format_source(&once).expect("formatted output formats");
        assert_eq!(once, twice, "{}: not idempotent", path.display());
        let before: Vec<String> = comments::collect(&src)
            .into_iter()
            .map(|c| c.text)
            .collect();
        let after: Vec<String> = comments::collect(&once)
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(
            before,
            after,
            "{}: comments lost or reordered",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 5);
}

#[test]
fn snapshots_of_messy_inputs() {
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::glob!("fmt/*.sla", |path| {
            let src = std::fs::read_to_string(path).expect("readable");
            let out = format_source(&src).expect("formats");
            insta::assert_snapshot!(out);
        });
    });
}

#[test]
fn syntax_errors_are_returned_not_formatted() {
    let errs = format_source("contract \"x\" { provider }\n").expect_err("a syntax error");
    assert!(!errs.is_empty());
}

#[test]
fn parentheses_the_tree_needs_are_kept_and_written_ones_stay() {
    let src = "exclude when (a = x or b = y) and not (c is empty) as \"r\"\n";
    let out = format_source(src).expect("formats");
    assert_eq!(out, src);
    let src = "exclude when ((a = x)) as \"r\"\n";
    assert_eq!(
        format_source(src).expect("formats"),
        "exclude when (a = x) as \"r\"\n"
    );
}

/// A long `earliest of`, written over lines or wrapped by the printer,
/// keeps its tree: the clause is compared with its whitespace made single
/// spaces (a quoted status keeps its own).
#[test]
fn a_wrapped_earliest_of_keeps_its_tree() {
    let src = "contract \"x\" { timezone \"UTC\" }\n\
        fields {\n  created_at: timestamp\n  resolved_at: timestamp\n  status: status\n}\n\
        metric time_to_first_response from created_at to earliest of agent_reply, status in \
        [\"Waiting  for customer\"],\n        resolved_at in 24x7\n";
    let once = format_source(src).expect("formats");
    // Wrapped inside the clause, the quoted status spelled as written.
    let metric = once.split("metric ").nth(1).unwrap_or_default();
    assert!(metric.trim_end().contains('\n'), "{once}");
    assert!(once.contains("\"Waiting  for customer\""), "{once}");
    assert_eq!(tree(src), tree(&once));
    assert_eq!(format_source(&once).expect("formats"), once);
}

#[test]
fn empty_input_stays_empty() {
    assert_eq!(format_source("").expect("formats"), "");
    assert_eq!(format_source("# only\n").expect("formats"), "# only\n");
}

// ---------------------------------------------------------------- CLI

fn sla(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(args)
        .output()
        .expect("sla runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sla-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const MESSY: &str = "metric a from x to y   in  office\n";
const TIDY: &str = "metric a from x to y in office\n";

#[test]
fn check_names_unformatted_files_and_exits_1() {
    let dir = temp_dir("check");
    let messy = dir.join("messy.sla");
    let tidy = dir.join("tidy.sla");
    std::fs::write(&messy, MESSY).expect("write");
    std::fs::write(&tidy, TIDY).expect("write");

    let out = sla(&["fmt", "--check", messy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("messy.sla"));
    assert_eq!(std::fs::read_to_string(&messy).expect("read"), MESSY);

    let out = sla(&["fmt", "--check", tidy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn fmt_rewrites_in_place() {
    let dir = temp_dir("rewrite");
    let messy = dir.join("messy.sla");
    std::fs::write(&messy, MESSY).expect("write");
    let out = sla(&["fmt", messy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read_to_string(&messy).expect("read"), TIDY);
    // No temporary file left behind.
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1);
}

#[test]
fn syntax_error_exits_1_and_leaves_the_file_alone() {
    let dir = temp_dir("broken");
    let broken = dir.join("broken.sla");
    let text = "metric a from x to   \ncontract {\n";
    std::fs::write(&broken, text).expect("write");
    let out = sla(&["fmt", broken.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0001"));
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), text);
}

#[test]
fn dash_formats_stdin_to_stdout() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sla runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(MESSY.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("output");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), TIDY);
}

/// A CRLF contract stays CRLF: `sla fmt` rewrites its layout with CRLF line
/// ends, `--check` passes a CRLF file already in the canonical layout, and
/// flags one whose layout is off (care.sla is kept formatted: see the
/// first test of this file).
#[test]
fn crlf_files_keep_crlf_and_check_ignores_line_endings() {
    let care = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/care.sla"))
        .expect("care.sla");
    let crlf = care.replace('\n', "\r\n");
    assert_eq!(format_source(&crlf).expect("formats"), crlf);

    let dir = temp_dir("crlf");
    let tidy = dir.join("tidy.sla");
    std::fs::write(&tidy, &crlf).expect("write");
    let out = sla(&["fmt", "--check", tidy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let messy = dir.join("messy.sla");
    std::fs::write(&messy, MESSY.replace('\n', "\r\n")).expect("write");
    let out = sla(&["fmt", "--check", messy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = sla(&["fmt", messy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&messy).expect("read"),
        TIDY.replace('\n', "\r\n")
    );

    // A file of LF lines with one stray CRLF: its layout is canonical, only
    // a line ending differs, so --check passes it.
    let mixed = dir.join("mixed.sla");
    std::fs::write(
        &mixed,
        care.replacen('\n', "\r\n", 3).replacen("\r\n", "\n", 1),
    )
    .expect("write");
    let out = sla(&["fmt", "--check", mixed.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// A CR-only contract (old Mac line ends) is formatted like any other and
/// keeps CR: care.sla is kept formatted, so with CRs it comes back as it
/// is, every comment in place (the scanner once read a comment to the end
/// of the file, there being no LF). MESSY with CRs becomes TIDY with CRs,
/// through the binary too; `--check` passes the tidy CR file.
#[test]
fn cr_only_files_are_formatted_and_keep_cr() {
    let care = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/care.sla"))
        .expect("care.sla");
    let cr = care.replace('\n', "\r");
    assert_eq!(format_source(&cr).expect("formats"), cr);
    assert_eq!(
        format_source(&MESSY.replace('\n', "\r")).expect("formats"),
        TIDY.replace('\n', "\r")
    );

    let dir = temp_dir("cr");
    let tidy = dir.join("tidy.sla");
    std::fs::write(&tidy, &cr).expect("write");
    let out = sla(&["fmt", "--check", tidy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let messy = dir.join("messy.sla");
    std::fs::write(&messy, MESSY.replace('\n', "\r")).expect("write");
    let out = sla(&["fmt", messy.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&messy).expect("read"),
        TIDY.replace('\n', "\r")
    );
}

/// The line ending is the first line's; a file mixing them comes out in
/// that one. A line break escaped inside a string is part of the string's
/// value: it is not taken for a line end, and comes out as `\n`, which
/// means the same (the tree stays the same).
#[test]
fn mixed_line_ends_follow_the_first_line() {
    let src = "metric a from x to y   in  office\r\nmetric b from x to y in office\rmetric c from x to y in office\n";
    let want = "metric a from x to y in office\r\nmetric b from x to y in office\r\nmetric c from x to y in office\r\n";
    assert_eq!(format_source(src).expect("formats"), want);
    let src = "# top\rcontract \"a\\\nb\" {\r  provider \"p\"\r}\r";
    let out = format_source(src).expect("formats");
    assert!(out.contains("\"a\\nb\""), "{out:?}");
    assert!(out.starts_with("# top\r"), "{out:?}");
    assert_eq!(tree(src), tree(&out));
}

/// A syntax error in a CRLF file is reported where it is in the file as
/// given: `frm` at byte 41 (line 1 is 30 bytes and its CRLF 2, then
/// `metric b ` 9); with the CRs taken out it would be 40.
#[test]
fn syntax_errors_in_crlf_files_point_into_the_file() {
    let src = "metric a from x to y in office\r\nmetric b frm x to y\r\n";
    assert_eq!(src.find("frm"), Some(41));
    let errors = format_source(src).expect_err("a syntax error");
    assert_eq!(errors[0].span().start, 41, "{errors:?}");
}

/// A list written one item per line stays so, and a comment stays beside
/// the item it follows (issue 16: the items were joined onto the commented
/// line, which grew past 200 columns). Continuation lines are indented 4
/// past the row, as everywhere in `sla fmt`.
#[test]
fn lists_keep_one_item_per_line_and_comments_stay_with_their_item() {
    let src = "calendar office {\n  open mon..fri 09:00-17:00\n  closed on 2025-01-01,\n            2025-07-21, # Marine Day\n            2025-08-11,\n            2025-10-13\n}\n";
    let want = "calendar office {\n  open mon..fri 09:00-17:00\n  closed on 2025-01-01,\n      2025-07-21,   # Marine Day\n      2025-08-11,\n      2025-10-13\n}\n";
    assert_eq!(format_source(src).expect("formats"), want);
    assert_eq!(format_source(want).expect("formats"), want, "idempotent");
}

/// A list written on one line breaks after the last comma that fits in 100
/// columns: 14 dates of 12 columns each do not fit after `  closed on `.
#[test]
fn long_lists_break_before_width_100() {
    let dates: Vec<String> = (1..=14).map(|d| format!("2025-01-{d:02}")).collect();
    let src = format!(
        "calendar office {{\n  open mon..fri 09:00-17:00\n  closed on {}\n}}\n",
        dates.join(", ")
    );
    let out = format_source(&src).expect("formats");
    for line in out.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.len()
        );
    }
    // `  closed on ` is 12 columns, each `2025-01-DD, ` 12 more: 7 dates fit
    // (12 + 7 * 12 - 1 = 95), the 8th would end at 107.
    let first = out.lines().nth(2).expect("the closed line");
    assert_eq!(first, format!("  closed on {},", dates[..7].join(", ")));
    assert_eq!(format_source(&out).expect("formats"), out, "idempotent");
}
