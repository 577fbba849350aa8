//! The front end's tests as data.
//!
//! - `tests/check/ok/*.sla` and every contract in `contracts/` must check
//!   without errors; their warnings (usually none) are snapshotted.
//! - `tests/check/err/*.sla` must produce diagnostics; each is snapshotted
//!   as rendered for people. A case named after a code (`E0101_...`) must
//!   produce that code, and every code has such a case.
//! - `tests/check/bugs/*.sla` are known checker problems, each with the
//!   diagnostics it *should* give; their tests are ignored until fixed
//!   (`cargo test --test check -- --ignored` shows which are).
//!
//! A case states what it expects in comment lines at its top:
//!
//! ```text
//! # expect: E0001 E0104        every code produced, with repeats (order free)
//! # at: E0104 3                a diagnostic with that code whose primary
//!                              label covers exactly this text (whitespace
//!                              runs count as one space)
//! # line: E0103 32             a diagnostic with that code whose primary
//!                              label starts on this line
//! # help: did you mean `x`?    a diagnostic whose help contains this text
//! # nothing: first given here  no message, label, note or help contains this
//! ```
//!
//! Snapshots live in the top-level `snapshots/` folder. After changing a
//! message, review with `cargo insta review`, or without cargo-insta:
//! `INSTA_UPDATE=always cargo test --test check` and read the diff.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sla::check::{check_source, Checked};
use sla::diagnostic::render::{human, Source};
use sla::diagnostic::{Diagnostic, CODES};

/// What a case says about itself in its leading comments.
#[derive(Debug, Default)]
struct Expect {
    /// The comment lines before the first directive: what the case is about.
    about: String,
    /// `None` when the case has no `# expect:` line.
    codes: Option<Vec<String>>,
    at: Vec<(String, String)>,
    line: Vec<(String, usize)>,
    help: Vec<String>,
    nothing: Vec<String>,
}

fn expectations(src: &str) -> Expect {
    let mut e = Expect::default();
    let mut about = Vec::new();
    let mut directives = false;
    for line in src.trim_start_matches('\u{feff}').lines() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        let (key, rest) = comment.split_once(':').unwrap_or(("", ""));
        let rest = rest.trim();
        let code_and = |what: &str| {
            let (code, arg) = rest
                .split_once(' ')
                .unwrap_or_else(|| panic!("`# {what}: CODE ...` needs a code and more"));
            (code.to_string(), arg.trim().to_string())
        };
        match key {
            "expect" => e
                .codes
                .get_or_insert_with(Vec::new)
                .extend(rest.split_whitespace().map(str::to_string)),
            "at" => e.at.push(code_and("at")),
            "line" => {
                let (code, n) = code_and("line");
                e.line.push((code, n.parse().expect("`# line: CODE N`")));
            }
            "help" => e.help.push(rest.to_string()),
            "nothing" => e.nothing.push(rest.to_string()),
            _ => {
                if !directives {
                    about.push(comment);
                }
                continue;
            }
        }
        directives = true;
    }
    e.about = about.join(" ");
    e
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name")
}

struct Case {
    name: String,
    src: String,
    checked: Checked,
    rendered: String,
}

fn run(path: &Path) -> Case {
    let src = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    let name = file_name(path).to_string();
    let checked = check_source(&src);
    let rendered = human(&Source::new(&name, &src), &checked.diagnostics, false);
    Case {
        name,
        src,
        checked,
        rendered,
    }
}

/// Every label lies inside the source, on character boundaries, and every
/// diagnostic has a primary label.
fn assert_spans_sane(case: &Case) {
    for d in &case.checked.diagnostics {
        assert!(
            d.labels.iter().any(|l| l.primary),
            "{}: {} `{}` has no primary label",
            case.name,
            d.code,
            d.message
        );
        for l in &d.labels {
            let (s, e) = (l.span.start, l.span.end);
            assert!(
                s <= e && e <= case.src.len(),
                "{}: {} label {s}..{e} outside the source ({} bytes)",
                case.name,
                d.code,
                case.src.len()
            );
            assert!(
                case.src.is_char_boundary(s) && case.src.is_char_boundary(e),
                "{}: {} label {s}..{e} splits a character",
                case.name,
                d.code
            );
        }
    }
}

fn codes_of(diags: &[Diagnostic]) -> Vec<String> {
    let mut codes: Vec<String> = diags.iter().map(|d| d.code.to_string()).collect();
    codes.sort();
    codes
}

/// Check a case against what it says it expects.
fn assert_expectations(case: &Case, expect: &Expect) {
    assert_spans_sane(case);
    let diags = &case.checked.diagnostics;
    let mut want = expect.codes.clone().unwrap_or_default();
    want.sort();
    assert_eq!(
        codes_of(diags),
        want,
        "{}: the codes differ from `# expect:`; diagnostics:\n{}",
        case.name,
        case.rendered
    );
    for (code, text) in &expect.at {
        let found = diags.iter().filter(|d| d.code.as_str() == code).any(|d| {
            let s = d.span();
            collapse(&case.src[s.start..s.end]) == collapse(text)
        });
        let primaries: Vec<String> = diags
            .iter()
            .filter(|d| d.code.as_str() == code)
            .map(|d| format!("`{}`", collapse(&case.src[d.span().start..d.span().end])))
            .collect();
        assert!(
            found,
            "{}: no {code} points at `{text}`; its primary labels cover {}",
            case.name,
            primaries.join(", ")
        );
    }
    for (code, line) in &expect.line {
        let lines: Vec<usize> = diags
            .iter()
            .filter(|d| d.code.as_str() == code)
            .map(|d| case.src[..d.span().start].matches('\n').count() + 1)
            .collect();
        assert!(
            lines.contains(line),
            "{}: no {code} starts on line {line}; they start on lines {lines:?}",
            case.name
        );
    }
    for text in &expect.nothing {
        let said = diags.iter().find(|d| {
            std::iter::once(d.message.as_str())
                .chain(d.labels.iter().map(|l| l.message.as_str()))
                .chain(d.notes.iter().map(String::as_str))
                .chain(d.help.as_deref())
                .any(|t| t.contains(text.as_str()))
        });
        assert!(
            said.is_none(),
            "{}: a diagnostic says `{text}`:\n{}",
            case.name,
            case.rendered
        );
    }
    for help in &expect.help {
        assert!(
            diags
                .iter()
                .any(|d| d.help.as_deref().is_some_and(|h| h.contains(help.as_str()))),
            "{}: no help says `{help}`; diagnostics:\n{}",
            case.name,
            case.rendered
        );
    }
}

macro_rules! snapshot_settings {
    ($body:block) => {
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, $body)
    };
}

/// Cases that must check without errors; warnings are snapshotted.
#[test]
fn check_ok() {
    snapshot_settings!({
        insta::glob!("check/ok/*.sla", |path| {
            let case = run(path);
            let expect = expectations(&case.src);
            assert!(
                !case.checked.has_errors(),
                "{} should check, but:\n{}",
                case.name,
                case.rendered
            );
            assert_expectations(&case, &expect);
            insta::with_settings!({ description => expect.about.clone() }, {
                insta::assert_snapshot!(case.rendered);
            });
        });
    });
}

/// Every contract in `contracts/` checks; its warnings are snapshotted.
#[test]
fn check_contract() {
    snapshot_settings!({
        insta::glob!("../contracts", "*.sla", |path| {
            let case = run(path);
            assert!(
                !case.checked.has_errors(),
                "{} should check, but:\n{}",
                case.name,
                case.rendered
            );
            assert_spans_sane(&case);
            insta::assert_snapshot!(case.rendered);
        });
    });
}

/// Cases that must be rejected or warned about.
#[test]
fn check_err() {
    snapshot_settings!({
        insta::glob!("check/err/*.sla", |path| {
            let case = run(path);
            let expect = expectations(&case.src);
            assert!(
                expect.codes.as_ref().is_some_and(|c| !c.is_empty()),
                "{}: an err case needs `# expect: CODE...`",
                case.name
            );
            assert_expectations(&case, &expect);
            if let Some(code) = code_in_name(&case.name) {
                assert!(
                    case.checked
                        .diagnostics
                        .iter()
                        .any(|d| d.code.as_str() == code),
                    "{}: named after {code}, which it does not produce",
                    case.name
                );
            }
            insta::with_settings!({ description => expect.about.clone() }, {
                insta::assert_snapshot!(case.rendered);
            });
        });
    });
}

/// `E0101_unknown_calendar.sla` → `E0101`.
fn code_in_name(name: &str) -> Option<&str> {
    let (code, _) = name.split_once('_')?;
    let well_formed = code.len() == 5
        && code.starts_with(['E', 'W'])
        && code[1..].chars().all(|c| c.is_ascii_digit());
    well_formed.then_some(code)
}

fn cases_in(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sla"))
        .collect();
    out.sort();
    out
}

/// Every diagnostic code of a contract has at least one err case named after
/// it, and no case is named after a code that does not exist (or is one of
/// a log's).
#[test]
fn every_code_has_an_err_case() {
    let named: BTreeSet<String> = cases_in("tests/check/err")
        .iter()
        .filter_map(|p| code_in_name(file_name(p)).map(str::to_string))
        .collect();
    // The codes of evaluation's input are found by `sla eval` on logs: their
    // cases are under tests/eval/cases (`every_input_code_has_a_case`).
    let known: BTreeSet<String> = CODES
        .iter()
        .filter(|c| !c.is_input())
        .map(|c| c.to_string())
        .collect();
    let missing: Vec<&String> = known.difference(&named).collect();
    assert!(
        missing.is_empty(),
        "codes without a case in tests/check/err (add `CODE_what_it_is.sla`): {missing:?}"
    );
    let stray: Vec<&String> = named.difference(&known).collect();
    assert!(
        stray.is_empty(),
        "cases named after codes that do not exist: {stray:?}"
    );
}

/// The directives are read as intended (a broken reader would make every
/// case pass vacuously).
#[test]
fn expectations_are_read() {
    let e = expectations(
        "# About this case,\n# on two lines.\n# expect: E0001 E0104\n# expect: W0005\n\
         # at: E0104 a b\n# line: E0001 12\n# help: did you mean `x`?\n# nothing: no no\n\
         # not a directive any more\ncontract",
    );
    assert_eq!(e.about, "About this case, on two lines.");
    assert_eq!(
        e.codes,
        Some(vec!["E0001".into(), "E0104".into(), "W0005".into()])
    );
    assert_eq!(e.at, vec![("E0104".to_string(), "a b".to_string())]);
    assert_eq!(e.help, vec!["did you mean `x`?".to_string()]);
    assert_eq!(e.line, vec![("E0001".to_string(), 12)]);
    assert_eq!(e.nothing, vec!["no no".to_string()]);
    assert_eq!(expectations("contract \"x\" {}").codes, None);
    assert_eq!(code_in_name("E0101_unknown.sla"), Some("E0101"));
    assert_eq!(code_in_name("W0005_unused.sla"), Some("W0005"));
    assert_eq!(code_in_name("recovery.sla"), None);
    assert_eq!(code_in_name("E01_x.sla"), None);
}

/// Several syntax errors in different top-level blocks are all reported,
/// each in its own block, and the blocks between them are still checked.
#[test]
fn syntax_errors_in_several_blocks_are_all_reported() {
    let case = run(&Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/check/err/E0001_recovery_three_blocks.sla"));
    let src = &case.src;
    let blocks: BTreeSet<&str> = case
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E0001")
        .map(|d| {
            // The top-level keyword the error is under: the last line at
            // column 0 that starts a block before the error.
            let before = &src[..d.span().start];
            before
                .lines()
                .rev()
                .find(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
                .and_then(|l| l.split_whitespace().next())
                .unwrap_or("")
        })
        .collect();
    assert_eq!(
        blocks,
        BTreeSet::from(["calendar", "changes", "exclude"]),
        "{}",
        case.rendered
    );
    // The blocks between the broken ones were checked: the rule set has them.
    let rules = &case.checked.rules;
    assert!(rules.metrics.iter().any(|m| m.name == "resolution"));
    assert_eq!(rules.targets.len(), 1);
    assert_eq!(rules.exclusions.len(), 1, "the unbroken exclusion is kept");
}

/// A contract that checks still checks when a comment, blank lines or a
/// byte-order mark are added, or its line ends are CRLF: layout is free.
#[test]
fn layout_does_not_matter() {
    for path in cases_in("tests/check/ok")
        .into_iter()
        .chain(cases_in("contracts"))
    {
        let src = std::fs::read_to_string(&path).expect("readable");
        let base = codes_of(&check_source(&src).diagnostics);
        let variants = [
            format!("\u{feff}{src}"),
            src.replace('\n', "\r\n"),
            src.replace('\n', "\n\n# a comment line\n"),
            src.replace('\n', " \t\n"),
        ];
        for (i, v) in variants.iter().enumerate() {
            assert_eq!(
                codes_of(&check_source(v).diagnostics),
                base,
                "{} changes its diagnostics under layout variant {i}",
                path.display()
            );
        }
    }
}

/// A known problem: the case states what the checker *should* say.
// Unused while `known_bugs!` is empty; kept so a new bug is one line to add.
#[allow(dead_code)]
fn bug_case(file: &str) {
    let case = run(&Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/check/bugs")
        .join(file));
    let expect = expectations(&case.src);
    assert_expectations(&case, &expect);
}

macro_rules! known_bugs {
    ($($name:ident => $file:literal,)*) => {
        const KNOWN_BUGS: &[&str] = &[$($file),*];
        $(
            #[test]
            #[ignore = concat!("known checker bug, see tests/check/bugs/", $file)]
            fn $name() {
                bug_case($file);
            }
        )*
    };
}

known_bugs! {}

/// Every case in `tests/check/bugs` has its (ignored) test, so that fixing a
/// bug and running `--ignored` shows it; each says what is wrong.
#[test]
fn every_bug_case_has_a_test() {
    let files: BTreeSet<String> = cases_in("tests/check/bugs")
        .iter()
        .map(|p| file_name(p).to_string())
        .collect();
    let listed: BTreeSet<String> = KNOWN_BUGS.iter().map(|s| s.to_string()).collect();
    assert_eq!(files, listed, "tests/check/bugs and known_bugs! differ");
    for f in &files {
        let src = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/check/bugs")
                .join(f),
        )
        .expect("readable");
        let e = expectations(&src);
        assert!(
            e.about.starts_with("BUG"),
            "{f}: say what is wrong in a `# BUG: ...` comment"
        );
        assert!(e.codes.is_some(), "{f}: say what is right with `# expect:`");
    }
}

/// Every `check_*` snapshot belongs to a case that still exists: a renamed
/// or deleted case must take its snapshot with it.
#[test]
fn no_stale_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(root.join("snapshots")).expect("snapshots/") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        let Some((test, case)) = name.strip_suffix(".snap").and_then(|n| n.split_once('@')) else {
            continue;
        };
        let dir = match test {
            "check_ok" => "tests/check/ok",
            "check_err" => "tests/check/err",
            "check_contract" => "contracts",
            _ => continue,
        };
        if !root.join(dir).join(case).exists() {
            stale.push(name.to_string());
        }
    }
    assert!(stale.is_empty(), "snapshots without a case: {stale:?}");
}
