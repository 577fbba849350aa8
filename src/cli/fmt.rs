//! `sla fmt [--check] FILE…`: rewrite contracts in the canonical layout, or
//! (`--check`) only say which would change. `-` formats standard input to
//! standard output, for editors.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::counted;
use crate::diagnostic::render::{self, Source};
use crate::fmt::{format_source, same_but_line_endings};

/// Exit code: 0 when all is well (with `--check`: nothing would change),
/// 1 when a file has syntax errors or (with `--check`) would change,
/// 2 when a file cannot be read or written.
pub(crate) fn run(files: &[PathBuf], check: bool) -> i32 {
    let mut worst = 0;
    let mut changed = 0;
    for path in files {
        let code = if path.as_os_str() == "-" {
            stdin(check)
        } else {
            one(path, check, &mut changed)
        };
        worst = worst.max(code);
    }
    if check && changed > 0 {
        eprintln!(
            "{} would be reformatted",
            counted(changed as u64, "file", "files")
        );
    }
    worst
}

fn errors(name: &str, src: &str, diags: &[crate::diagnostic::Diagnostic]) {
    let source = Source::new(name, src);
    eprint!(
        "{}",
        render::human(&source, diags, std::io::stderr().is_terminal())
    );
}

fn one(path: &Path, check: bool, changed: &mut usize) -> i32 {
    let name = path.display().to_string();
    let src = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(s)) => s,
        Ok(Err(_)) => {
            eprintln!("error: {name}: not UTF-8 text");
            return 2;
        }
        Err(e) => {
            eprintln!("error: {name}: cannot read: {e}");
            return 2;
        }
    };
    let out = match format_source(&src) {
        Ok(out) => out,
        Err(diags) => {
            errors(&name, &src, &diags);
            return 1;
        }
    };
    if out == src {
        return 0;
    }
    // A file in the canonical layout whose only difference is its mix of
    // line endings is not flagged: line endings are the editor's and git's
    // business (`sla fmt` without --check does make them uniform).
    if check && same_but_line_endings(&out, &src) {
        return 0;
    }
    *changed += 1;
    if check {
        // Named on stdout, one a line, so scripts can pick them up.
        println!("{name}");
        return 1;
    }
    // Written beside the file and renamed over it, so an interrupted write
    // cannot leave half a contract.
    let tmp = path.with_file_name(format!(
        ".{}.fmt-tmp",
        path.file_name()
            .map_or("sla".into(), |n| n.to_string_lossy())
    ));
    let written = std::fs::write(&tmp, &out).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        eprintln!("error: {name}: cannot write: {e}");
        return 2;
    }
    eprintln!("formatted {name}");
    0
}

fn stdin(check: bool) -> i32 {
    let mut src = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut src) {
        eprintln!("error: standard input: {e}");
        return 2;
    }
    match format_source(&src) {
        Ok(out) if check => i32::from(!same_but_line_endings(&out, &src)),
        Ok(out) => {
            if std::io::stdout().write_all(out.as_bytes()).is_err() {
                return 2;
            }
            0
        }
        Err(diags) => {
            errors("<stdin>", &src, &diags);
            1
        }
    }
}
