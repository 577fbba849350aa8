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
use crate::syntax::ast::{File, Item};
use crate::syntax::scan::{tokens, Kind};
use crate::syntax::{parse, parse_by_item, parse_items_with};

/// Format a contract. A file with syntax errors is not formatted: the errors
/// come back instead. The output keeps the file's line ending, that of its
/// first line: CRLF, CR alone (old Mac files) or LF (as rustfmt's `auto`).
pub fn format_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    if !src.contains('\r') {
        return format_lf(src);
    }
    // The printer lays out lines ending in LF: it reads LF-ended text and
    // the result gets the file's own line ending back.
    match format_lf(&with_line_ending(src, "\n")) {
        Ok(out) => Ok(with_line_ending(&out, line_ending(src))),
        // Syntax errors point into the text as given (CRLF made LF would
        // shift them): they come from parsing it as it is.
        Err(errors) => {
            let (_, own) = parse_by_item(src);
            Err(if own.is_empty() { errors } else { own })
        }
    }
}

/// The line ending of a text's first line: `\r\n`, `\r` or `\n` (also
/// for a text of one line).
pub fn line_ending(src: &str) -> &'static str {
    match src.find(['\r', '\n']).map(|i| &src[i..]) {
        Some(rest) if rest.starts_with("\r\n") => "\r\n",
        Some(rest) if rest.starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// The text with every line break (`\r\n`, `\r` or `\n`) written as
/// `ending`. A line break escaped inside a string (`\` then a line break)
/// is part of the string's value and stays as it is.
fn with_line_ending(src: &str, ending: &str) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 32);
    let mut from = 0;
    let break_line = |out: &mut String, text: &str| {
        let mut rest = text;
        while let Some(i) = rest.find(['\r', '\n']) {
            out.push_str(&rest[..i]);
            out.push_str(ending);
            let len = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
            rest = &rest[i + len..];
        }
        out.push_str(rest);
    };
    for t in tokens(src).filter(|t| t.kind == Kind::Str) {
        break_line(&mut out, &src[from..t.start]);
        out.push_str(&src[t.start..t.end]);
        from = t.end;
    }
    break_line(&mut out, &src[from..]);
    out
}

/// Whether two texts differ only in their line endings (CRLF, CR or LF).
pub fn same_but_line_endings(a: &str, b: &str) -> bool {
    with_line_ending(a, "\n") == with_line_ending(b, "\n")
}

/// The canonical layout with LF line ends.
///
/// Memory: the input is parsed one item at a time (the parser's working
/// memory is one item's), and the output is checked against it one item at
/// a time, so only the input's tree is held whole. A file whose items hold
/// items (`version` blocks) cannot be cut into items by their keywords: it
/// is parsed, and checked, whole.
fn format_lf(src: &str) -> Result<String, Vec<Diagnostic>> {
    let (file, by_item) = match parse_by_item(src) {
        (file, errors) if errors.is_empty() => (file, true),
        _ => match parse(src) {
            (file, errors) if errors.is_empty() => (file, false),
            (_, errors) => return Err(errors),
        },
    };
    let comments = comments::collect(src);
    let out = printer::print(src, &file, &comments);

    // The safety net: same tree, same comments, or no output at all. Item
    // by item where the output can be cut into items (the printer may lay
    // out a `version` block's items on lines of their own), else whole.
    let same_items = (by_item && same_by_item(&file, &out)) || {
        let (again, errors) = parse(&out);
        errors.is_empty() && same_tree(&file, &again)
    };
    let same_comments = comments
        .iter()
        .map(|c| c.text.as_str())
        .eq(comments::collect(&out).iter().map(|c| c.text.as_str()));
    if !same_items || !same_comments {
        return Err(vec![Diagnostic::new(
            Code::Syntax,
            "the formatter could not keep this contract's meaning; it was left as it is",
        )
        .note("this is a bug in `sla fmt`; please report it with the file")]);
    }
    Ok(out)
}

/// Whether `text`, parsed one item at a time, gives the items of `file`.
fn same_by_item(file: &File, text: &str) -> bool {
    let mut next = 0;
    let mut same = true;
    let (broken, errors) = parse_items_with(text, |item| {
        same &= file.items.get(next).is_some_and(|x| same_item(x, &item));
        next += 1;
    });
    same && next == file.items.len() && broken.is_empty() && errors.is_empty()
}

/// Whether two items say the same thing: equal once every span is ignored.
fn same_item(a: &Item, b: &Item) -> bool {
    crate::syntax::ast::without_spans(|| {
        let a = serde_json::to_vec(a).ok();
        a.is_some() && a == serde_json::to_vec(b).ok()
    })
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
