//! `sla diff OLD NEW [TICKETS]`: the difference of two contracts in their
//! own terms, and with a ticket log the verdicts it changes. Each contract
//! is a `.sla` file, a compiled `.json` rule set, or a git revision of one
//! (`HEAD~1:contracts/care.sla`). Exit codes: 0 the contracts mean the
//! same, 1 they differ, 2 a contract or an input cannot be used.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::Command;

use super::eval;
use super::{DiagnosticFormat, DiffArgs, EvalArgs, InputArgs};
use crate::diagnostic::{counted, did_you_mean};
use crate::diff::changes::{compare, Change};
use crate::diff::output::{self, Header};
use crate::diff::whatif::{self, Names, TicketChange};
use crate::eval::contract::load::{rules_from_json, rules_from_source};
use crate::eval::contract::plan::build;
use crate::eval::EvalError;
use crate::rules::{RuleSet, FIRST_VERSION, SCHEMA};

pub(crate) fn run(args: &DiffArgs) -> i32 {
    match diff_command(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn diff_command(args: &DiffArgs) -> Result<i32, EvalError> {
    if let (None, Some(flag)) = (&args.tickets, args.input.first_given()) {
        return Err(EvalError::new(format!(
            "{flag} reads the logs of a what-if: give a ticket log too (sla diff OLD NEW TICKETS {flag} ...)"
        )));
    }
    let old = read_contract(&args.old)?;
    let new = read_contract(&args.new)?;
    let changes = compare(&old, &new);
    let json = match args.format {
        Some(f) => f == DiagnosticFormat::Json,
        None => !std::io::stdout().is_terminal(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_err = |e: std::io::Error| EvalError::new(format!("cannot write the difference: {e}"));
    match &args.tickets {
        None if json => {
            let v = serde_json::json!({
                "old": args.old,
                "new": args.new,
                "same": changes.is_empty(),
                "changes": changes,
            });
            writeln!(out, "{v:#}").map_err(write_err)?;
        }
        None => out
            .write_all(human(args, &changes).as_bytes())
            .map_err(write_err)?,
        Some(tickets) => what_if(args, tickets, old, new, &changes, json, &mut out)?,
    }
    out.flush().map_err(write_err)?;
    Ok(if changes.is_empty() { 0 } else { 1 })
}

/// The what-if: the log judged under both contracts, streamed side by side.
fn what_if(
    args: &DiffArgs,
    tickets: &Path,
    old: RuleSet,
    new: RuleSet,
    changes: &[Change],
    json: bool,
    out: &mut dyn Write,
) -> Result<(), EvalError> {
    let plan = |rules: RuleSet, name: &str| {
        build(rules).map_err(|m| EvalError::new(format!("{name}: {m}")))
    };
    // One as-of instant for both sides, even when it is "now".
    let as_of =
        args.input.as_of.clone().unwrap_or_else(|| {
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        });
    let eval_args = |contract: &str| EvalArgs {
        contract: contract.into(),
        tickets: Some(tickets.to_path_buf()),
        input: InputArgs {
            as_of: Some(as_of.clone()),
            ..args.input.clone()
        },
        format: None,
        explain: None,
        strict: false,
    };
    let (old_args, new_args) = (eval_args(&args.old), eval_args(&args.new));
    let mut a = eval::open_with(&old_args, plan(old, &args.old)?)?;
    let mut b = eval::open_with(&new_args, plan(new, &args.new)?)?;
    let (Some(reader_a), Some(reader_b)) = (a.reader.take(), b.reader.take()) else {
        return Err(EvalError::new(format!(
            "{}: no ticket log was opened",
            tickets.display()
        )));
    };
    let (compare_a, compare_b) = (a.compare.take(), b.compare.take());
    let tz = b.plan.tz;
    let write_err = |e: std::io::Error| EvalError::new(format!("cannot write the difference: {e}"));
    let header = Header {
        old: &args.old,
        new: &args.new,
        tickets,
        as_of: b.as_of,
        tz,
    };
    let mut listed = Vec::new();
    let mut more = 0u64;
    if json {
        output::json_open(out, &header, changes).map_err(write_err)?;
    }
    let mut first = true;
    let mut each = |c: &TicketChange| -> std::io::Result<()> {
        if json {
            output::json_ticket(out, c, tz, first)?;
            first = false;
        } else if listed.len() < output::LISTED {
            listed.push(c.clone());
        } else {
            more += 1;
        }
        Ok(())
    };
    let (names_a, names_b) = (Names::of(&a.plan), Names::of(&b.plan));
    let outcome = whatif::what_if(
        &names_a,
        &names_b,
        move |sink, text| {
            eval::evaluate(&a, Some((reader_a, tickets)), compare_a, text, sink, None)
        },
        move |sink, text| {
            eval::evaluate(&b, Some((reader_b, tickets)), compare_b, text, sink, None)
        },
        &mut each,
    )?;
    if json {
        output::json_close(out, &outcome).map_err(write_err)?;
    } else {
        out.write_all(human(args, changes).as_bytes())
            .map_err(write_err)?;
        output::human(out, &header, &outcome, &listed, more).map_err(write_err)?;
    }
    Ok(())
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
        "{} → {}: {}\n",
        args.old,
        args.new,
        counted(changes.len() as u64, "change", "changes")
    ));
    for c in changes {
        out.push_str("  ");
        out.push_str(&c.line());
        out.push('\n');
    }
    out
}

/// A contract named on the command line: a file, or when no file has that
/// name and it has the form `REVISION:PATH`, that file at a git revision;
/// either followed by `@VERSION` for one version of a contract with
/// versions (`care.sla@2`, `HEAD~1:care.sla@1`).
fn read_contract(name: &str) -> Result<RuleSet, EvalError> {
    if !Path::new(name).exists() {
        if let Some((contract, version)) = name
            .rsplit_once('@')
            .filter(|(c, v)| !c.is_empty() && !v.is_empty() && !v.contains(['/', '\\', ':']))
        {
            return one_version(read_whole(contract)?, name, version);
        }
    }
    read_whole(name)
}

/// The rules of version `version` of a contract, as a contract of its own.
fn one_version(mut rules: RuleSet, name: &str, version: &str) -> Result<RuleSet, EvalError> {
    let mut names = vec![FIRST_VERSION.to_string()];
    names.extend(rules.versions.iter().map(|v| v.name.clone()));
    if version == FIRST_VERSION {
        rules.versions.clear();
        rules.schema = SCHEMA.into();
        return Ok(rules);
    }
    if let Some(v) = rules.versions.iter().position(|v| v.name == version) {
        return Ok(rules.versions.swap_remove(v).rules);
    }
    let mut message = format!(
        "{name}: the contract has no version `{version}`; its versions are: {}",
        names.join(", ")
    );
    if let Some(near) = did_you_mean(version, names.iter().map(String::as_str)) {
        message.push_str(&format!(" (did you mean `{near}`?)"));
    }
    Err(EvalError::new(message))
}

/// A whole contract named on the command line (file or git revision).
fn read_whole(name: &str) -> Result<RuleSet, EvalError> {
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
