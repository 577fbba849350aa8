//! Rendering diagnostics: for people with codespan-reporting, for machines as
//! JSON. Both read the same [`Diagnostic`] values.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::syntax::ast::Span;

/// A source file with a line index, for turning byte offsets into positions.
/// A line ends at `\n`, `\r\n` or a lone `\r` (old Mac exports).
pub struct Source<'a> {
    /// The file's name as diagnostics show it.
    pub name: &'a str,
    /// The file's text.
    pub text: &'a str,
    line_starts: Vec<usize>,
    /// The text with each lone `\r` made a `\n` (same length, same offsets),
    /// for codespan-reporting, which knows only `\n`; `None` when there is none.
    lf_text: Option<String>,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

impl<'a> Source<'a> {
    /// Indexes the lines of `text`.
    pub fn new(name: &'a str, text: &'a str) -> Source<'a> {
        let bytes = text.as_bytes();
        let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        let line_starts = std::iter::once(0)
            .chain(
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| bytes[i] == b'\n' || lone_cr(i))
                    .map(|i| i + 1),
            )
            .collect();
        let lf_text = memchr::memchr_iter(b'\r', bytes).any(lone_cr).then(|| {
            let mut b = bytes.to_vec();
            for i in 0..b.len() {
                if b[i] == b'\r' && b.get(i + 1) != Some(&b'\n') {
                    b[i] = b'\n';
                }
            }
            // Only an ASCII byte changed for another: still UTF-8.
            String::from_utf8(b).unwrap_or_else(|_| text.to_string())
        });
        Source {
            name,
            text,
            line_starts,
            lf_text,
        }
    }

    /// The line and column of byte `offset` (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        Position {
            line: line + 1,
            column: column + 1,
        }
    }
}

/// Render for a terminal (`color`: with ANSI colours).
pub fn human(source: &Source, diagnostics: &[Diagnostic], color: bool) -> String {
    let file = SimpleFile::new(
        source.name,
        source.lf_text.as_deref().unwrap_or(source.text),
    );
    let mut buf = buffer(color);
    let config = term::Config::default();
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let labels = d
            .labels
            .iter()
            .map(|l| {
                let range = clamp(l.span, source.text.len());
                let label = if l.primary {
                    cs::Label::primary((), range)
                } else {
                    cs::Label::secondary((), range)
                };
                label.with_message(&l.message)
            })
            .collect();
        let mut notes = d.notes.clone();
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        let diag = cs::Diagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        // Writing to an in-memory buffer only fails on a span outside the file,
        // which `clamp` rules out; fall back to the bare message regardless.
        if term::emit_to_write_style(&mut buf, &config, &file, &diag).is_err() {
            buf_write(
                &mut buf,
                &format!("{}[{}]: {}\n", sev_word(d.severity), d.code, d.message),
            );
        }
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// Render diagnostics of a log for a terminal (`color`: with ANSI
/// colours), in the form [`human`] gives a contract's, without the snippet
/// (a log is streamed, not kept):
///
/// ```text
/// warning[E0703]: ticket T-1: column `at`: `25:00` is not a timestamp
///   ┌─ events.csv:4:5
/// ```
pub fn human_in_log(diagnostics: &[Diagnostic], color: bool) -> String {
    use std::io::Write;
    use termcolor::{Color, ColorSpec, WriteColor};
    let mut buf = buffer(color);
    // The styles of codespan-reporting's default configuration.
    let styles = term::Styles::default();
    for d in diagnostics {
        let header = match d.severity {
            Severity::Error => &styles.header_error,
            Severity::Warning => &styles.header_warning,
        };
        let _ = buf.set_color(header);
        let _ = write!(buf, "{}[{}]", sev_word(d.severity), d.code);
        let _ = buf.set_color(&styles.header_message);
        let _ = write!(buf, ": {}", d.message);
        let _ = buf.reset();
        let _ = writeln!(buf);
        if let Some(place) = &d.log {
            let _ = buf.set_color(ColorSpec::new().set_fg(Some(Color::Blue)));
            let _ = write!(buf, "  ┌─");
            let _ = buf.reset();
            let _ = writeln!(buf, " {place}");
        }
        let help = d.help.as_ref().map(|h| format!("help: {h}"));
        for note in d.notes.iter().chain(&help) {
            let _ = writeln!(buf, "  = {note}");
        }
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// A buffer that writes ANSI colours, or none.
fn buffer(color: bool) -> termcolor::Buffer {
    if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    }
}

fn buf_write(buf: &mut termcolor::Buffer, s: &str) {
    use std::io::Write;
    let _ = buf.write_all(s.as_bytes());
}

fn sev_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn clamp(span: Span, len: usize) -> std::ops::Range<usize> {
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    start..end
}

/// The machine form of a diagnostic of a contract (`sla check --format json`).
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    /// The contract's path.
    pub file: &'a str,
    /// The code, as `E0101`.
    pub code: &'static str,
    /// An error or a warning.
    pub severity: Severity,
    /// The one-line statement of the problem.
    pub message: &'a str,
    /// Where the primary label points (or the first label).
    pub span: JsonSpan,
    /// Every marked place, primary first as written.
    pub labels: Vec<JsonLabel<'a>>,
    /// Further facts that explain it.
    pub notes: &'a [String],
    /// How to fix it, if there is a likely fix.
    pub help: Option<&'a str>,
}

/// A range of the source, as byte offsets and as lines and columns.
#[derive(Serialize)]
pub struct JsonSpan {
    /// The first byte.
    pub start: usize,
    /// The byte after the last.
    pub end: usize,
    /// The line and column of `start`.
    pub start_pos: Position,
    /// The line and column of `end`.
    pub end_pos: Position,
}

/// A marked place in the machine form.
#[derive(Serialize)]
pub struct JsonLabel<'a> {
    /// Where it points.
    pub span: JsonSpan,
    /// What it says there.
    pub message: &'a str,
    /// Whether it points at the problem itself (else at context).
    pub primary: bool,
}

fn json_span(source: &Source, span: Span) -> JsonSpan {
    let r = clamp(span, source.text.len());
    JsonSpan {
        start: r.start,
        end: r.end,
        start_pos: source.position(r.start),
        end_pos: source.position(r.end),
    }
}

/// The machine form of a diagnostic of a log: as `sla eval --format json`
/// lists the first problems of each kind (INTERFACES.md: the file, line and
/// reason; the code and severity beside them).
#[derive(Serialize)]
pub struct JsonLogDiagnostic<'a> {
    /// The code, as `E0701`.
    pub code: &'static str,
    /// An error or a warning.
    pub severity: Severity,
    /// The log's path (none for a problem of the run as a whole).
    pub file: Option<&'a str>,
    /// The line, from 1 (none for the file as a whole).
    pub line: Option<u64>,
    /// The column, from 1 in characters (none for the whole line).
    pub column: Option<u64>,
    /// What is wrong, and how to fix it.
    pub reason: &'a str,
}

/// [`JsonLogDiagnostic`] of `d`.
pub fn json_in_log(d: &Diagnostic) -> JsonLogDiagnostic<'_> {
    JsonLogDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        file: d.log.as_ref().map(|p| p.file.as_str()),
        line: d.log.as_ref().and_then(|p| p.line),
        column: d.log.as_ref().and_then(|p| p.column),
        reason: &d.message,
    }
}

/// The machine form of a diagnostic (one object; `sla check --format json` prints a list).
pub fn json<'a>(source: &'a Source, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        file: source.name,
        code: d.code.as_str(),
        severity: d.severity,
        message: &d.message,
        span: json_span(source, d.span()),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                span: json_span(source, l.span),
                message: &l.message,
                primary: l.primary,
            })
            .collect(),
        notes: &d.notes,
        help: d.help.as_deref(),
    }
}
