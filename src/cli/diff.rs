//! `sla diff OLD NEW [TICKETS]`: the difference of two contracts in their
//! own terms, and with a ticket log the verdicts it changes. Each contract
//! is a `.sla` file, a compiled `.json` rule set, or a git revision of one
//! (`HEAD~1:contracts/care.sla`). Exit codes: 0 the contracts mean the
//! same, 1 they differ, 2 a contract or an input cannot be used.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::Command;

use super::{DiagnosticFormat, DiffArgs};
use crate::diff::changes::{compare, Change};
use crate::eval::contract::load::{rules_from_json, rules_from_source};
use crate::eval::EvalError;
use crate::rules::RuleSet;

pub fn run(args: &DiffArgs) -> i32 {
    match diff_command(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn diff_command(args: &DiffArgs) -> Result<i32, EvalError> {
    let old = read_contract(&args.old)?;
    let new = read_contract(&args.new)?;
    let changes = compare(&old, &new);
    let json = match args.format {
        Some(f) => f == DiagnosticFormat::Json,
        None => !std::io::stdout().is_terminal(),
    };
    let text = if json {
        let v = serde_json::json!({
            "old": args.old,
            "new": args.new,
            "same": changes.is_empty(),
            "changes": changes,
        });
        format!("{v:#}\n")
    } else {
        human(args, &changes)
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| EvalError::new(format!("cannot write the difference: {e}")))?;
    Ok(if changes.is_empty() { 0 } else { 1 })
}

fn human(args: &DiffArgs, changes: &[Change]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str(&format!(
            "{} and {} mean the same: no rule differs\n",
            args.old, args.new
        ));
        return out;
    }
    out.push_str(&format!(
        "{} → {}: {} change{}\n",
        args.old,
        args.new,
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    ));
    for c in changes {
        out.push_str("  ");
        out.push_str(&c.line());
        out.push('\n');
    }
    out
}

/// A contract named on the command line: a file, or when no file has that
/// name and it has the form `REVISION:PATH`, that file at a git revision.
fn read_contract(name: &str) -> Result<RuleSet, EvalError> {
    let path = Path::new(name);
    let (text, file) = if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| EvalError::io(path, "read it", &e))?;
        (text, name.to_string())
    } else if let Some((rev, file)) = name
        .split_once(':')
        .filter(|(r, f)| !r.is_empty() && !f.is_empty())
    {
        (git_show(name, rev)?, file.to_string())
    } else {
        return Err(EvalError::new(format!(
            "{name}: no such file; name a .sla contract, a compiled .json rule set, or a git revision such as HEAD~1:contracts/care.sla"
        )));
    };
    let shown = Path::new(name);
    if file.ends_with(".sla") {
        rules_from_source(&text, shown)
    } else {
        rules_from_json(&text, shown)
    }
}

fn git_show(name: &str, rev: &str) -> Result<String, EvalError> {
    let out = Command::new("git")
        .args(["show", name])
        .output()
        .map_err(|e| {
            EvalError::new(format!(
                "{name}: no such file, and git cannot be run to read it at revision {rev}: {e}"
            ))
        })?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(EvalError::new(format!(
            "{name}: no such file, and `git show {name}` failed: {}; run sla diff inside the repository, with a revision and a path that exist there",
            why.trim()
        )));
    }
    String::from_utf8(out.stdout).map_err(|_| {
        EvalError::new(format!(
            "{name}: the file at that revision is not UTF-8 text"
        ))
    })
}
