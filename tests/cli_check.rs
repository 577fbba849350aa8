//! `sla check`, `sla compile` and `sla explain` as a user runs them: the real
//! binary, its exit codes (0 clean or warnings only, 1 errors, 2 unusable
//! input), its JSON diagnostics and its compiled rule sets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use sla::diagnostic::CODES;

fn sla(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sla"))
        .args(args)
        .output()
        .expect("the sla binary runs")
}

fn code(o: &Output) -> i32 {
    o.status
        .code()
        .unwrap_or_else(|| panic!("sla was killed by a signal: {o:?}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A fresh file in this test binary's scratch directory.
fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli_check-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("a scratch file");
    path
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .display()
        .to_string()
}

const CLEAN: &str = "contract \"Clean\" { timezone \"Europe/Amsterdam\" }
fields { opened_at: timestamp  resolved_at: timestamp }
metric resolution from opened_at to resolved_at
targets { all resolution within 4 hours for 90% }
";

/// Clean, plus a calendar nothing uses: one warning (W0005), no error.
const WARNS: &str = "contract \"Warns\" { timezone \"Europe/Amsterdam\" }
calendar spare { open mon..fri 09:00-17:00 }
fields { opened_at: timestamp  resolved_at: timestamp }
metric resolution from opened_at to resolved_at
targets { all resolution within 4 hours for 90% }
";

/// An unknown calendar (E0101, with a suggestion), and a share over 100%
/// (E0301) after non-ASCII text on its line, so that its character column
/// and its byte offset in the line differ.
const ERRORS: &str = "contract \"Zürich – Café\" { timezone \"Europe/Zurich\" }
calendar office { open mon..fri 09:00-17:00 }
fields { opened_at: timestamp  resolved_at: timestamp }
metric resolution from opened_at to resolved_at in ofice
targets { all resolution within 4 hours }
objective \"Qualité – délai\" resolution for all at least 101%
";

#[test]
fn check_exit_codes() {
    let clean = temp_file("clean.sla", CLEAN.as_bytes());
    let warns = temp_file("warns.sla", WARNS.as_bytes());
    let errors = temp_file("errors.sla", ERRORS.as_bytes());
    let latin1 = temp_file("latin1.sla", b"contract \"Z\xfcrich\" { }\n");
    let missing = clean.with_file_name("does-not-exist.sla");
    let s = |p: &PathBuf| p.display().to_string();

    let o = sla(&["check", &s(&clean)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("no problems"), "{}", stderr(&o));

    let o = sla(&["check", &s(&warns)]);
    assert_eq!(code(&o), 0, "warnings only exit 0: {}", stderr(&o));
    assert!(stderr(&o).contains("warning[W0005]"), "{}", stderr(&o));

    let o = sla(&["check", &s(&errors)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[E0101]: unknown calendar `ofice`"),
        "{err}"
    );
    assert!(err.contains("did you mean `office`?"), "{err}");
    assert!(err.contains("errors.sla:4:"), "the file and line: {err}");
    assert!(!err.contains('\u{1b}'), "no colour when not on a terminal");

    let o = sla(&["check", &s(&missing)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("does-not-exist.sla"), "{}", stderr(&o));

    let o = sla(&["check", &s(&latin1)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("UTF-8"), "{}", stderr(&o));

    // Several files: the worst outcome wins, and every file is checked.
    let o = sla(&["check", &s(&clean), &s(&errors), &s(&warns)]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("W0005"),
        "the file after the bad one was checked"
    );
    let o = sla(&["check", &s(&errors), &s(&missing)]);
    assert_eq!(code(&o), 2);
    let o = sla(&["check", &s(&missing), &s(&errors)]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("E0101"),
        "the file after the unreadable one was checked"
    );

    // Every contract in the repository checks.
    let contracts: Vec<String> = std::fs::read_dir(repo("contracts"))
        .expect("contracts/")
        .map(|e| e.expect("an entry").path().display().to_string())
        .filter(|p| p.ends_with(".sla"))
        .collect();
    let mut args = vec!["check"];
    args.extend(contracts.iter().map(String::as_str));
    let o = sla(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// Line and column (1-based, in characters) of a byte offset, computed here
/// independently of the renderer.
fn line_col(src: &str, offset: usize) -> (u64, u64) {
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, col as u64)
}

/// A span object: byte `start`/`end`, and the line and column of both.
fn assert_span(src: &str, span: &Value) -> String {
    let start = span["start"].as_u64().expect("span.start") as usize;
    let end = span["end"].as_u64().expect("span.end") as usize;
    assert!(start <= end && end <= src.len(), "{span}");
    for (key, offset) in [("start_pos", start), ("end_pos", end)] {
        let (line, col) = line_col(src, offset);
        assert_eq!(span[key]["line"].as_u64(), Some(line), "{key} of {span}");
        assert_eq!(span[key]["column"].as_u64(), Some(col), "{key} of {span}");
    }
    src[start..end].to_string()
}

#[test]
fn check_json_format() {
    let path = temp_file("errors.sla", ERRORS.as_bytes());
    let name = path.display().to_string();
    let o = sla(&["check", "--format", "json", &name]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out: Value = serde_json::from_str(&stdout(&o)).expect("stdout is one JSON value");
    let diags = out.as_array().expect("a list of diagnostics");
    assert_eq!(diags.len(), 2, "{out:#}");

    for d in diags {
        let keys: Vec<&str> = d
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "file", "code", "severity", "message", "span", "labels", "help",
        ] {
            assert!(keys.contains(&key), "`{key}` missing from {d:#}");
        }
        assert_eq!(d["file"], name.as_str());
        assert_eq!(d["severity"], "error");
        let primary = assert_span(ERRORS, &d["span"]);
        let labels = d["labels"].as_array().expect("labels");
        assert!(!labels.is_empty());
        for l in labels {
            assert_span(ERRORS, &l["span"]);
            assert!(l["message"].is_string());
            assert!(l["primary"].is_boolean());
        }
        let first_primary = labels
            .iter()
            .find(|l| l["primary"] == true)
            .expect("a primary label");
        assert_eq!(
            first_primary["span"], d["span"],
            "the span is the primary label's"
        );
        match d["code"].as_str() {
            Some("E0101") => {
                assert_eq!(primary, "ofice");
                assert_eq!(d["message"], "unknown calendar `ofice`");
                assert_eq!(d["help"], "did you mean `office`?");
                assert_eq!(d["span"]["start_pos"]["line"], 4);
                assert_eq!(d["span"]["start_pos"]["column"], 52);
            }
            Some("E0301") => {
                assert_eq!(primary, "101%");
                assert!(d["help"].is_null(), "no help: {d:#}");
                // Columns count characters: here fewer than the bytes.
                let start = d["span"]["start"].as_u64().expect("start") as usize;
                let line_start = ERRORS[..start].rfind('\n').map_or(0, |i| i + 1);
                let column = d["span"]["start_pos"]["column"].as_u64().expect("column");
                assert_eq!(d["span"]["start_pos"]["line"], 6);
                assert!((column as usize) < start - line_start + 1, "{d:#}");
            }
            other => panic!("unexpected code {other:?}: {d:#}"),
        }
    }

    // Warnings come out the same way, with exit 0; a clean file gives `[]`.
    let warns = temp_file("warns.sla", WARNS.as_bytes());
    let o = sla(&["check", "--format", "json", &warns.display().to_string()]);
    assert_eq!(code(&o), 0);
    let out: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(out[0]["code"], "W0005");
    assert_eq!(out[0]["severity"], "warning");
    let clean = temp_file("clean.sla", CLEAN.as_bytes());
    let o = sla(&["check", "--format", "json", &clean.display().to_string()]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&o)).expect("JSON"),
        Value::Array(vec![])
    );
}

#[test]
fn explain() {
    let o = sla(&["explain", "E0101"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("E0101 (error): unknown name"), "{text}");
    assert!(
        text.contains("did you mean `office`?"),
        "the example: {text}"
    );

    // Any case, every code.
    for c in CODES {
        let o = sla(&["explain", &c.as_str().to_lowercase()]);
        assert_eq!(code(&o), 0, "{c}");
        let text = stdout(&o);
        assert!(text.contains(c.title()), "{c}: {text}");
        assert!(text.contains(c.explanation()), "{c}: {text}");
    }

    // Without a code: one line per code, with its severity and title.
    let o = sla(&["explain"]);
    assert_eq!(code(&o), 0);
    let list = stdout(&o);
    assert_eq!(list.lines().count(), CODES.len(), "{list}");
    for (line, c) in list.lines().zip(CODES) {
        assert!(line.starts_with(c.as_str()), "{line}");
        let sev = if c.as_str().starts_with('E') {
            "error"
        } else {
            "warning"
        };
        assert!(line.contains(sev) && line.ends_with(c.title()), "{line}");
    }

    let o = sla(&["explain", "E9999"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("E9999"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn compile() {
    // To standard output: the rule set of exactly what the contract says.
    let clean = temp_file("clean.sla", CLEAN.as_bytes());
    let o = sla(&["compile", &clean.display().to_string()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rules: Value = serde_json::from_str(&stdout(&o)).expect("a JSON rule set");
    assert_eq!(rules["schema"], "sla-rules/1");
    assert_eq!(rules["contract"]["name"], "Clean");
    assert_eq!(rules["timezone"], "Europe/Amsterdam");
    let names = |key: &str| -> Vec<String> {
        rules[key]
            .as_array()
            .unwrap_or_else(|| panic!("`{key}` is a list: {rules:#}"))
            .iter()
            .map(|m| m["name"].as_str().expect("a name").to_string())
            .collect()
    };
    assert_eq!(names("metrics"), ["resolution"]);
    assert_eq!(
        names("objectives"),
        ["resolution all"],
        "the share made an objective"
    );
    assert_eq!(rules["targets"].as_array().map(Vec::len), Some(1));

    // A contract of the repository.
    let care = repo("contracts/care.sla");
    let o = sla(&["compile", &care]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rules: Value = serde_json::from_str(&stdout(&o)).expect("a JSON rule set");
    assert_eq!(rules["schema"], "sla-rules/1");

    // With -o, to a file; the same rule set, nothing on standard output.
    let out = temp_file("placeholder", b"").with_file_name("care.json");
    let o = sla(&["compile", &care, "-o", &out.display().to_string()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("-o wrote the file"))
            .expect("JSON");
    assert_eq!(written, rules);

    // A contract with errors: exit 1, the diagnostics, and no rule set.
    let bad = temp_file("errors.sla", ERRORS.as_bytes());
    let out = bad.with_file_name("errors.json");
    let o = sla(&[
        "compile",
        &bad.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("E0101"), "{}", stderr(&o));
    assert!(
        !out.exists(),
        "no rule set is written for a contract with errors"
    );
    let o = sla(&["compile", &bad.display().to_string()]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));

    // A contract with only warnings compiles.
    let warns = temp_file("warns.sla", WARNS.as_bytes());
    let o = sla(&["compile", &warns.display().to_string()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("W0005"));

    // An unreadable file.
    let o = sla(&[
        "compile",
        &bad.with_file_name("nope.sla").display().to_string(),
    ]);
    assert_eq!(code(&o), 2);
}

/// Deeply nested conditions must give a diagnostic, not overflow the stack
/// (which aborts the process): the recursive descent once overflowed at
/// 1,000 nested parentheses in a debug build.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let nested = |open: &str, close: &str, depth: usize| {
        format!(
            "contract \"x\" {{ timezone \"UTC\" }}\nfields {{ a: label [x] }}\n\
             exclude when {}a = x{} as \"deep\"\n",
            open.repeat(depth),
            close.repeat(depth)
        )
    };
    for (what, src) in [
        ("parentheses", nested("(", ")", 1_000)),
        ("parentheses", nested("(", ")", 100_000)),
        ("nots", nested("not ", "", 3_000)),
    ] {
        let path = temp_file("deep.sla", src.as_bytes());
        let o = sla(&["check", &path.display().to_string()]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{what}: {:?}\n{}",
            o.status,
            stderr(&o)
        );
        assert!(
            stderr(&o).contains("nested more than"),
            "{what}: {}",
            stderr(&o)
        );
    }
    // Nesting a real contract might use is still fine.
    let path = temp_file("shallow.sla", nested("(", ")", 64).as_bytes());
    let o = sla(&["check", &path.display().to_string()]);
    assert!(!stderr(&o).contains("nested more than"), "{}", stderr(&o));
}
