//! `sla report CONTRACT [TICKETS] -o FILE.html`: the customer's monthly
//! service report as one self-contained HTML file. It reads the same inputs
//! as `sla eval` and judges by the same verdicts; what differs is what is
//! kept (the breached tickets of the report's months, furthest past their
//! deadline first) and what is written.

use std::io::Read;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::eval::{evaluate, open, report_problems};
use super::{EvalArgs, ReportArgs};
use crate::eval::{EvalError, Plan};
use crate::report::html::{self, page::Footer, Collect, Inputs};
use crate::time::{month_of, At};

type Month = (i32, u32);

pub(crate) fn run(args: &ReportArgs) -> i32 {
    match report_command(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn report_command(args: &ReportArgs) -> Result<i32, EvalError> {
    let eval_args = EvalArgs {
        contract: args.contract.clone(),
        tickets: args.tickets.clone(),
        input: args.input.clone(),
        format: None,
        explain: None,
        strict: false,
    };
    let mut o = open(&eval_args)?;
    let (from, to) = months(args, &o.plan, o.as_of)?;
    // The charts show the trend: at least the six months up to the last one.
    let chart_from = from.min(back(to, 5));
    // The inputs' digests are made while the log is evaluated.
    let mut files: Vec<(String, PathBuf)> = vec![("contract".into(), args.contract.clone())];
    for (what, p) in [
        ("tickets", &args.tickets),
        ("events", &args.input.events),
        ("outages", &args.input.outages),
        ("changes", &args.input.changes),
    ] {
        if let Some(p) = p {
            files.push((what.into(), p.clone()));
        }
    }
    let digests = std::thread::spawn(move || digest_files(&files));
    let log = o.reader.take().zip(args.tickets.as_deref());
    let compare = o.compare.take();
    let o = o;
    let mut collect = Collect::new(&o.plan, o.as_of, from, to);
    let summary = evaluate(&o, log, compare, &NoText, &mut collect, None)?;
    report_problems(&summary.problems, false);
    let inputs = digests
        .join()
        .map_err(|_| EvalError::new("the digests of the inputs could not be made"))??;
    let footer = Footer {
        generator: format!("sla {}", env!("CARGO_PKG_VERSION")),
        rules_version: o.plan.rules.schema.clone(),
        rules_digest: rules_digest(&o.plan),
        inputs,
        command: command_line(args, from, to, o.as_of),
    };
    let page = html::page(
        Inputs {
            plan: &o.plan,
            as_of: o.as_of,
            from,
            to,
            chart_from,
            summary: &summary,
            credits: &summary.credits,
            outages: o.outages.as_ref(),
            changes_given: o.changes.is_some(),
            footer,
        },
        &collect,
    );
    let text = html::render(&page)
        .map_err(|e| EvalError::new(format!("cannot lay out the report: {e}")))?;
    std::fs::write(&args.out, text).map_err(|e| {
        EvalError::new(format!(
            "{}: cannot write the report: {e}",
            args.out.display()
        ))
    })?;
    eprintln!(
        "wrote {} ({}, as of {})",
        args.out.display(),
        html::build::months_text(from, to),
        crate::report::format::local_at(o.as_of, o.plan.tz)
    );
    Ok(0)
}

/// The report keeps no per-row text.
struct NoText;

impl crate::eval::ChunkFormat for NoText {
    fn writer(&self) -> Box<dyn crate::eval::RowText + '_> {
        Box::new(NoText)
    }
}

impl crate::eval::RowText for NoText {
    fn write(&mut self, _rows: &[crate::eval::Row], _out: &mut Vec<u8>) {}
}

/// The report's months: `--period`, `--from`/`--to`, or by default the last
/// month that has ended at the as-of instant.
fn months(args: &ReportArgs, plan: &Plan, as_of: At) -> Result<(Month, Month), EvalError> {
    let parse = |flag: &str, s: &str| {
        parse_month(s).ok_or_else(|| {
            EvalError::new(format!(
                "{flag} {s}: not a month; write it as YYYY-MM, e.g. 2025-11"
            ))
        })
    };
    match (&args.period, &args.from, &args.to) {
        (Some(p), None, None) => {
            let m = parse("--period", p)?;
            Ok((m, m))
        }
        (None, Some(f), Some(t)) => {
            let (f, t) = (parse("--from", f)?, parse("--to", t)?);
            if f > t {
                return Err(EvalError::new(format!(
                    "--from {} comes after --to {}: give the earlier month first",
                    args.from.as_deref().unwrap_or(""),
                    args.to.as_deref().unwrap_or("")
                )));
            }
            Ok((f, t))
        }
        (None, None, None) => {
            let m = back(month_of(plan.tz, as_of.secs), 1);
            Ok((m, m))
        }
        _ => Err(EvalError::new(
            "give either --period YYYY-MM, or both --from YYYY-MM and --to YYYY-MM",
        )),
    }
}

fn parse_month(s: &str) -> Option<Month> {
    let (y, m) = s.trim().split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    ((1..=12).contains(&m) && y.to_string().len() == 4).then_some((y, m))
}

/// `n` months before `m`.
fn back((y, m): Month, n: u32) -> Month {
    let total = y * 12 + m as i32 - 1 - n as i32;
    (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

/// SHA-256 of each input file, read in pieces (memory stays flat).
fn digest_files(files: &[(String, PathBuf)]) -> Result<Vec<(String, String)>, EvalError> {
    files
        .iter()
        .map(|(what, path)| {
            let mut f = std::fs::File::open(path)
                .map_err(|e| EvalError::new(format!("{}: cannot read: {e}", path.display())))?;
            let mut h = Sha256::new();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = f
                    .read(&mut buf)
                    .map_err(|e| EvalError::new(format!("{}: cannot read: {e}", path.display())))?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            Ok((format!("{what} {}", path.display()), hex(&h.finalize())))
        })
        .collect()
}

/// The digest of the compiled rule set, as `sla compile` writes it: the same
/// for a `.sla` contract and its compiled `.json`.
fn rules_digest(plan: &Plan) -> String {
    let json = serde_json::to_vec_pretty(&plan.rules).unwrap_or_default();
    hex(&Sha256::digest(&json))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The command that makes this report again, with the months and the as-of
/// instant spelled out.
fn command_line(args: &ReportArgs, from: Month, to: Month, as_of: At) -> String {
    let mut parts = vec![
        "sla report".to_string(),
        args.contract.display().to_string(),
    ];
    if let Some(t) = &args.tickets {
        parts.push(t.display().to_string());
    }
    for (flag, v) in [
        ("--events", &args.input.events),
        ("--outages", &args.input.outages),
        ("--changes", &args.input.changes),
    ] {
        if let Some(v) = v {
            parts.push(format!("{flag} {}", v.display()));
        }
    }
    if let Some(tz) = &args.input.log_tz {
        parts.push(format!("--log-tz {tz}"));
    }
    if let Some(p) = &args.input.profile {
        parts.push(format!("--profile {p}"));
    }
    for c in &args.input.columns {
        parts.push(format!("--column {c}"));
    }
    if let Some(e) = &args.input.encoding {
        parts.push(format!("--encoding {e}"));
    }
    let month = |(y, m): Month| format!("{y:04}-{m:02}");
    if from == to {
        parts.push(format!("--period {}", month(from)));
    } else {
        parts.push(format!("--from {} --to {}", month(from), month(to)));
    }
    parts.push(format!(
        "--as-of {}",
        crate::time::exact::format_rfc3339_at(as_of, chrono_tz::UTC)
    ));
    parts.push(format!("-o {}", args.out.display()));
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_count_back() {
        assert_eq!(parse_month("2025-11"), Some((2025, 11)));
        assert_eq!(parse_month("2025-13"), None);
        assert_eq!(parse_month("25-11"), None);
        assert_eq!(back((2025, 3), 5), (2024, 10));
        assert_eq!(back((2025, 1), 1), (2024, 12));
    }
}
