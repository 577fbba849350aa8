//! `sla check`, `sla compile` and `sla explain`: the front end on the command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::diagnostic::render::{self, Source};
use crate::diagnostic::{Code, Diagnostic, CODES};
use crate::lower::{compile_source, Compiled};

use super::DiagnosticFormat;

/// Read a contract, or say why not (exit 2 material).
pub(crate) fn read_source(path: &Path) -> Result<String, String> {
    std::fs::read(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{}: not UTF-8 text (byte {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                )
            })
        })
}

/// Print diagnostics of one file on stderr (human) or collect them (JSON).
fn emit(
    name: &str,
    src: &str,
    diags: &[Diagnostic],
    format: DiagnosticFormat,
    json_out: &mut Vec<serde_json::Value>,
) {
    let source = Source::new(name, src);
    match format {
        DiagnosticFormat::Human => {
            if !diags.is_empty() {
                eprint!(
                    "{}",
                    render::human(&source, diags, std::io::stderr().is_terminal())
                );
            }
        }
        DiagnosticFormat::Json => {
            for d in diags {
                json_out.push(serde_json::to_value(render::json(&source, d)).unwrap_or_default());
            }
        }
    }
}

pub(crate) fn check(files: &[PathBuf], format: DiagnosticFormat) -> i32 {
    let mut worst = 0;
    let mut json_out = Vec::new();
    let (mut errors, mut warnings, mut unreadable) = (0, 0, 0);
    for path in files {
        let name = path.display().to_string();
        let src = match read_source(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                worst = 2;
                unreadable += 1;
                continue;
            }
        };
        let Compiled { diagnostics, .. } = compile_source(&src);
        errors += diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += diagnostics.iter().filter(|d| !d.is_error()).count();
        if diagnostics.iter().any(Diagnostic::is_error) && worst == 0 {
            worst = 1;
        }
        emit(&name, &src, &diagnostics, format, &mut json_out);
    }
    match format {
        DiagnosticFormat::Json => println!("{}", serde_json::Value::Array(json_out)),
        DiagnosticFormat::Human => {
            let n = files.len() - unreadable;
            let files_word = if n == 1 { "file" } else { "files" };
            let not_read = match unreadable {
                0 => String::new(),
                1 => "; 1 file could not be read".into(),
                k => format!("; {k} files could not be read"),
            };
            if errors + warnings == 0 {
                eprintln!("checked {n} {files_word}: no problems{not_read}");
            } else {
                eprintln!(
                    "checked {n} {files_word}: {}, {}{not_read}",
                    crate::diagnostic::counted(errors as u64, "error", "errors"),
                    crate::diagnostic::counted(warnings as u64, "warning", "warnings"),
                );
            }
        }
    }
    worst
}

pub(crate) fn compile(file: &Path, out: Option<&Path>, format: DiagnosticFormat) -> i32 {
    let src = match read_source(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let compiled = compile_source(&src);
    let mut json_out = Vec::new();
    emit(
        &file.display().to_string(),
        &src,
        &compiled.diagnostics,
        format,
        &mut json_out,
    );
    if format == DiagnosticFormat::Json && !json_out.is_empty() {
        eprintln!("{}", serde_json::Value::Array(json_out));
    }
    let Some(rules) = compiled.rules else {
        return 1;
    };
    let text = match serde_json::to_string_pretty(&rules) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("error: cannot serialise the rule set: {e}");
            return 2;
        }
    };
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: {}: cannot write: {e}", path.display());
                return 2;
            }
        }
        None => print!("{text}"),
    }
    0
}

pub(crate) fn explain(code: Option<&str>) -> i32 {
    match code {
        None => {
            for c in CODES {
                println!(
                    "{}  {:<8} {}",
                    c.as_str(),
                    format!("{:?}", c.severity()).to_lowercase(),
                    c.title()
                );
            }
            0
        }
        Some(code) => match Code::parse(code) {
            Some(c) => {
                println!(
                    "{} ({}): {}\n",
                    c.as_str(),
                    format!("{:?}", c.severity()).to_lowercase(),
                    c.title()
                );
                println!("{}", c.explanation());
                0
            }
            None => {
                eprintln!("error: unknown code `{code}`; `sla explain` lists them all");
                2
            }
        },
    }
}
