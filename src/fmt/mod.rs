//! `sla fmt`: one canonical layout for contracts.
//!
//! The tree has no comments, so they are collected from the text aside
//! ([`comments`]) and woven back in by byte offset while the tree is printed
//! ([`printer`]). Before anything is returned the output is parsed again and
//! must give the same tree and the same comments: the formatter refuses to
//! change what a contract says rather than trusting itself.

pub mod comments;
mod printer;

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::File;
use crate::syntax::parse;

/// Format a contract. A file with syntax errors is not formatted: the errors
/// come back instead. The output keeps the file's line ending: CRLF when
/// its first line ends in CRLF (as rustfmt's `auto`), LF otherwise.
pub fn format_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    let out = format_lf(src)?;
    Ok(if uses_crlf(src) {
        out.replace('\n', "\r\n")
    } else {
        out
    })
}

/// Whether a text's first line ends in CRLF.
pub fn uses_crlf(src: &str) -> bool {
    src.find('\n').is_some_and(|i| src[..i].ends_with('\r'))
}

/// Whether two texts differ only in their line endings (CRLF or LF).
pub fn same_but_line_endings(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n");
    norm(a) == norm(b)
}

/// The canonical layout with LF line ends.
fn format_lf(src: &str) -> Result<String, Vec<Diagnostic>> {
    let (file, diagnostics) = parse(src);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let comments = comments::collect(src);
    let out = printer::print(src, &file, &comments);

    // The safety net: same tree, same comments, or no output at all.
    let (again, errors) = parse(&out);
    let same_comments = comments
        .iter()
        .map(|c| c.text.as_str())
        .eq(comments::collect(&out).iter().map(|c| c.text.as_str()));
    if !errors.is_empty() || !same_tree(&file, &again) || !same_comments {
        return Err(vec![Diagnostic::new(
            Code::Syntax,
            "the formatter could not keep this contract's meaning; it was left as it is",
        )
        .note("this is a bug in `sla fmt`; please report it with the file")]);
    }
    Ok(out)
}

/// Whether two trees say the same thing: equal once every span is ignored.
/// Compared item by item as JSON bytes with spans left out, so that only one
/// item's text is in memory at a time (the whole tree as `serde_json::Value`s
/// took gigabytes and most of the time on a 5 MB contract).
pub fn same_tree(a: &File, b: &File) -> bool {
    fn bytes(x: &impl serde::Serialize) -> Option<Vec<u8>> {
        serde_json::to_vec(x).ok()
    }
    crate::syntax::ast::without_spans(|| {
        a.items.len() == b.items.len()
            && a.broken.len() == b.broken.len()
            && a.items.iter().zip(&b.items).all(|(x, y)| {
                let x = bytes(x);
                x.is_some() && x == bytes(y)
            })
            && a.broken.iter().zip(&b.broken).all(|(x, y)| {
                let x = bytes(x);
                x.is_some() && x == bytes(y)
            })
    })
}

/// A tree serialised to JSON without its spans, for comparing trees: every
/// `span` key is removed, `Spanned` values become their node, and the bare
/// spans of tuple variants (`Renewal(Option<Months>, Span)`) become `null`.
pub fn strip_spans(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let is_span = map.len() == 2
                && map.get("start").is_some_and(Value::is_u64)
                && map.get("end").is_some_and(Value::is_u64);
            if is_span {
                return Value::Null;
            }
            if map.len() == 2 && map.contains_key("node") && map.contains_key("span") {
                let node = map.into_iter().find(|(k, _)| k == "node").map(|(_, v)| v);
                return strip_spans(node.unwrap_or(Value::Null));
            }
            Value::Object(
                map.into_iter()
                    .filter(|(k, _)| k != "span")
                    .map(|(k, v)| (k, strip_spans(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(strip_spans).collect()),
        other => other,
    }
}
