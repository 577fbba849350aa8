//! The parser and checker never panic, and always finish, whatever the input:
//! arbitrary bytes, a soup of the language's own tokens, and damaged copies
//! of every contract in `contracts/` and `tests/check/ok/` (lines deleted,
//! swapped, duplicated; text cut at any byte; digits and names changed;
//! braces removed; tokens inserted). Every diagnostic must point inside the
//! text, on character boundaries, and render; a contract without errors must
//! lower to a rule set that serialises.
//!
//! Inputs are bounded (a few kilobytes), so each case is quick and the test
//! terminating is itself the proof that none of them hangs. Also: a
//! generated 2,000-line contract checks without a single diagnostic.
//!
//! Each property runs 256 cases (proptest's default); for a longer hunt:
//! `PROPTEST_CASES=100000 cargo test --release --test fuzz_check`.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;

use sla::check::check_source;
use sla::diagnostic::render::{human, json, Source};

#[path = "../benches/check/gen.rs"]
mod gen;

/// Parse, check, render and (when clean) lower one input; panics on any
/// broken invariant.
fn check_everything(src: &str) {
    let checked = check_source(src);
    let source = Source::new("fuzz.sla", src);
    for d in &checked.diagnostics {
        assert!(
            d.labels.iter().any(|l| l.primary),
            "{} `{}` has no primary label",
            d.code,
            d.message
        );
        for l in &d.labels {
            let (s, e) = (l.span.start, l.span.end);
            assert!(
                s <= e && e <= src.len(),
                "{} label {s}..{e} outside a text of {} bytes",
                d.code,
                src.len()
            );
            assert!(
                src.is_char_boundary(s) && src.is_char_boundary(e),
                "{} label {s}..{e} splits a character",
                d.code
            );
        }
        serde_json::to_string(&json(&source, d)).expect("a diagnostic serialises");
    }
    let rendered = human(&source, &checked.diagnostics, false);
    assert_eq!(
        checked.diagnostics.is_empty(),
        rendered.is_empty(),
        "rendering lost or invented diagnostics"
    );
    if !checked.has_errors() {
        serde_json::to_string(&checked.rules).expect("a rule set serialises");
        // `check` clean means `eval` accepts: whatever compiling or building
        // the evaluation plan would refuse, the checker must reject first,
        // with a span and a code.
        let compiled = sla::lower::compile_source(src);
        assert!(
            compiled.rules.is_some(),
            "checks clean but does not compile: {src}"
        );
        eval_accepts(src);
    }
}

/// `sla eval` (the real binary) builds its plan from the contract and gets
/// as far as opening the log, which does not exist: the message must be
/// about the log, never about the contract.
fn eval_accepts(src: &str) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("sla-fuzz-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let contract = dir.join(format!("c{}.sla", N.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&contract, src).expect("a temporary contract");
    let log = dir.join("no-such-log.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .arg("eval")
        .arg(&contract)
        .arg(&log)
        .args(["--as-of", "2025-06-01T00:00:00Z", "--format", "json"])
        .output()
        .expect("sla runs");
    let _ = std::fs::remove_file(&contract);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-log.csv") && !stderr.contains(&*contract.to_string_lossy()),
        "checks clean but eval refuses it:\n{stderr}\n--- contract:\n{src}"
    );
}

/// The contracts that check, as seeds for damage.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        // The shipped contracts, the checker's clean cases and the contract
        // of every hand-worked eval case (each new form of the language has
        // one there: first-match blocks, earliest-of stops, versions).
        let mut cases: Vec<_> = std::fs::read_dir(root.join("tests/eval/cases"))
            .expect("a readable directory")
            .map(|e| e.expect("an entry").path())
            .collect();
        cases.sort();
        let dirs = ["contracts", "contracts/examples", "tests/check/ok"]
            .map(|d| root.join(d))
            .into_iter()
            .chain(cases);
        for dir in dirs {
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .expect("a readable directory")
                .map(|e| e.expect("an entry").path())
                .filter(|p| p.extension().is_some_and(|x| x == "sla"))
                .collect();
            paths.sort();
            for p in paths {
                out.push(std::fs::read_to_string(&p).expect("a UTF-8 contract"));
            }
        }
        assert!(out.len() >= 2, "too few seed contracts");
        out
    })
}

/// Words and symbols of the language, for token soup and insertions.
const TOKENS: &[&str] = &[
    "contract",
    "calendar",
    "fields",
    "priority",
    "metric",
    "targets",
    "objective",
    "exclude",
    "closure",
    "escalation",
    "availability",
    "changes",
    "from",
    "to",
    "in",
    "when",
    "and",
    "or",
    "not",
    "as",
    "for",
    "within",
    "by",
    "end",
    "of",
    "next",
    "working",
    "day",
    "days",
    "hours",
    "minutes",
    "months",
    "untimed",
    "best",
    "effort",
    "applicable",
    "all",
    "open",
    "closed",
    "on",
    "holidays",
    "NL",
    "easter",
    "last",
    "1st",
    "if",
    "then",
    "years",
    "divisible",
    "outside",
    "inside",
    "is",
    "empty",
    "paused",
    "while",
    "status",
    "timezone",
    "matrix",
    "x",
    "label",
    "timestamp",
    "integer",
    "text",
    "optional",
    "level",
    "contact",
    "carries",
    "owner",
    "used",
    "breached",
    "at",
    "least",
    "most",
    "interruptions",
    "measured",
    "every",
    "go",
    "live",
    "exception",
    "lead",
    "time",
    "weeks",
    "load",
    "agreed",
    "up",
    "over",
    "per",
    "month",
    "quarter",
    "year",
    "24x7",
    "mon",
    "fri",
    "mon..fri",
    "sat..sun",
    "apr",
    "may",
    "09:00-17:00",
    "24:00",
    "25:00",
    "2025-04-27",
    "2025-02-30",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ",",
    ":",
    "=",
    "!=",
    "..",
    "%",
    "99.5%",
    "101%",
    "0",
    "7",
    "18446744073709551616",
    "\"Europe/Amsterdam\"",
    "\"text\"",
    "\"",
    "#",
    "\n",
    "opened_at",
    "resolved_at",
    "office",
    "response",
    "resolution",
    "high",
    "low",
    "é",
    "\u{feff}",
    "\t",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => "[a-z_][a-z0-9_]{0,8}",
        1 => "[0-9]{1,25}",
    ]
}

/// A position in something whose length is known only when the damage is
/// applied.
#[derive(Debug, Clone, Copy)]
struct Index(usize);

impl Index {
    fn index(self, len: usize) -> usize {
        if len == 0 {
            0
        } else {
            self.0 % len
        }
    }
}

fn ix() -> impl Strategy<Value = Index> {
    any::<usize>().prop_map(Index)
}

/// One kind of damage; indices are resolved against the text at hand.
#[derive(Debug, Clone)]
enum Damage {
    DeleteLine(Index),
    SwapLines(Index, Index),
    DuplicateLine(Index),
    Truncate(Index),
    ChangeDigit(Index, char),
    HugeNumber(Index),
    RenameWord(Index, String),
    TypoInWord(Index, Index),
    RemoveBrace(Index),
    Insert(Index, String),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        ix().prop_map(Damage::DeleteLine),
        (ix(), ix()).prop_map(|(a, b)| Damage::SwapLines(a, b)),
        ix().prop_map(Damage::DuplicateLine),
        ix().prop_map(Damage::Truncate),
        (ix(), prop::char::range('0', '9')).prop_map(|(i, c)| Damage::ChangeDigit(i, c)),
        ix().prop_map(Damage::HugeNumber),
        (ix(), token()).prop_map(|(i, w)| Damage::RenameWord(i, w)),
        (ix(), ix()).prop_map(|(i, j)| Damage::TypoInWord(i, j)),
        ix().prop_map(Damage::RemoveBrace),
        (ix(), token()).prop_map(|(i, t)| Damage::Insert(i, format!(" {t} "))),
    ]
}

/// Byte offsets of the characters of `src` that satisfy `f`.
fn positions(src: &str, f: impl Fn(char) -> bool) -> Vec<usize> {
    src.char_indices()
        .filter(|(_, c)| f(*c))
        .map(|(i, _)| i)
        .collect()
}

/// Byte ranges of the words (identifiers, keywords, numbers) of `src`.
fn words(src: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in src.char_indices().chain(std::iter::once((src.len(), ' '))) {
        let word = c.is_ascii_alphanumeric() || c == '_';
        match (start, word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The greatest character boundary at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(src: &str, d: &Damage) -> String {
    let lines: Vec<&str> = src.split_inclusive('\n').collect();
    let mut out = src.to_string();
    match d {
        Damage::DeleteLine(i) if !lines.is_empty() => {
            let mut l = lines.clone();
            l.remove(i.index(l.len()));
            out = l.concat();
        }
        Damage::SwapLines(a, b) if !lines.is_empty() => {
            let mut l = lines.clone();
            let n = l.len();
            l.swap(a.index(n), b.index(n));
            out = l.concat();
        }
        Damage::DuplicateLine(i) if !lines.is_empty() => {
            let mut l = lines.clone();
            let k = i.index(l.len());
            l.insert(k, lines[k]);
            out = l.concat();
        }
        Damage::Truncate(i) => {
            out.truncate(floor_boundary(src, i.index(src.len() + 1)));
        }
        Damage::ChangeDigit(i, c) => {
            let ds = positions(src, |c| c.is_ascii_digit());
            if !ds.is_empty() {
                let p = ds[i.index(ds.len())];
                out.replace_range(p..p + 1, &c.to_string());
            }
        }
        Damage::HugeNumber(i) => {
            let ds = positions(src, |c| c.is_ascii_digit());
            if !ds.is_empty() {
                let p = ds[i.index(ds.len())];
                out.replace_range(p..p + 1, "99999999999999999999999");
            }
        }
        Damage::RenameWord(i, w) => {
            let ws = words(src);
            if !ws.is_empty() {
                let (s, e) = ws[i.index(ws.len())];
                out.replace_range(s..e, w);
            }
        }
        Damage::TypoInWord(i, j) => {
            // Drop one letter of a word: a typical misspelling.
            let ws = words(src);
            if !ws.is_empty() {
                let (s, e) = ws[i.index(ws.len())];
                let p = s + j.index(e - s);
                out.replace_range(p..p + 1, "");
            }
        }
        Damage::RemoveBrace(i) => {
            let bs = positions(src, |c| c == '{' || c == '}');
            if !bs.is_empty() {
                let p = bs[i.index(bs.len())];
                out.replace_range(p..p + 1, "");
            }
        }
        Damage::Insert(i, t) => {
            let p = floor_boundary(src, i.index(src.len() + 1));
            out.insert_str(p, t);
        }
        _ => {}
    }
    out
}

proptest! {
    #![proptest_config(Config { max_shrink_iters: 500, ..Config::default() })]

    /// Any bytes at all (as the CLI would have rejected non-UTF-8, they are
    /// read lossily here).
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_everything(&String::from_utf8_lossy(&bytes));
    }

    /// Any string, including every kind of Unicode.
    #[test]
    fn arbitrary_text(src in "\\PC{0,400}") {
        check_everything(&src);
    }

    /// Sequences of the language's own words and symbols: gets past the
    /// first token, into the grammar and the recovery.
    #[test]
    fn token_soup(tokens in prop::collection::vec(token(), 0..120)) {
        check_everything(&tokens.join(" "));
    }

    /// A real contract with a few kinds of damage.
    #[test]
    fn damaged_contracts(seed in ix(), damages in prop::collection::vec(damage(), 1..6)) {
        let seeds = seeds();
        let mut src = seeds[seed.index(seeds.len())].clone();
        for d in &damages {
            src = apply(&src, d);
        }
        check_everything(&src);
    }
}

/// Every seed survives losing any one line, and being cut off in the middle
/// of any line (alternating, to keep the test quick): not at random but all
/// of them, so a crash near any construct is found on every run.
#[test]
fn every_line_deleted_or_cut() {
    for src in seeds() {
        let lines: Vec<&str> = src.split_inclusive('\n').collect();
        for k in 0..lines.len() {
            if k % 2 == 0 {
                let mut without = lines.clone();
                without.remove(k);
                check_everything(&without.concat());
            } else {
                let at = lines[..k].iter().map(|l| l.len()).sum::<usize>() + lines[k].len() / 2;
                check_everything(&src[..floor_boundary(src, at)]);
            }
        }
    }
}

/// The damage itself does what it says (a no-op mutator would make the
/// property tests vacuous).
#[test]
fn damage_changes_the_text() {
    let src = "contract \"x\" {\n  timezone \"UTC\"\n}\nmetric m from a to b\n";
    let i = Index;
    assert_eq!(
        apply(src, &Damage::DeleteLine(i(0))),
        "  timezone \"UTC\"\n}\nmetric m from a to b\n"
    );
    assert_eq!(
        apply(src, &Damage::RemoveBrace(i(0))),
        "contract \"x\" \n  timezone \"UTC\"\n}\nmetric m from a to b\n"
    );
    assert_eq!(apply(src, &Damage::Truncate(i(8))), "contract");
    assert_ne!(apply(src, &Damage::RenameWord(i(3), "zz".into())), src);
    assert_ne!(apply(src, &Damage::TypoInWord(i(5), i(0))), src);
    assert_eq!(
        apply("é", &Damage::Truncate(Index(1))),
        "",
        "a cut lands on a character boundary"
    );
}

/// A generated contract of 2,000 lines, using every construct many times,
/// checks without a single diagnostic.
#[test]
fn generated_2000_lines_check() {
    let src = gen::contract(2_000);
    assert!(src.lines().count() >= 2_000);
    let checked = check_source(&src);
    let rendered = human(
        &Source::new("generated.sla", &src),
        &checked.diagnostics,
        false,
    );
    assert!(
        checked.diagnostics.is_empty(),
        "the generated contract has diagnostics:\n{rendered}"
    );
    let rules = &checked.rules;
    assert!(
        rules.calendars.len() > 20,
        "{} calendars",
        rules.calendars.len()
    );
    assert!(rules.metrics.len() > 50, "{} metrics", rules.metrics.len());
    assert!(
        rules.targets.len() > 1_000,
        "{} targets",
        rules.targets.len()
    );
    assert!(
        rules.exclusions.len() > 500,
        "{} exclusions",
        rules.exclusions.len()
    );
}
