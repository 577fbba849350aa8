//! Completion: the language's keywords and the names declared in the
//! contract. Keywords are read from the grammar itself (its `kw_*` and
//! `type_*` rules), so a keyword added to `grammar/sla.pest` is offered
//! without touching this file.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use lsp_types::{CompletionItem, CompletionItemKind, CompletionItemLabelDetails};

use super::index::Defs;
use crate::rules::ALWAYS;

const GRAMMAR: &str = include_str!("../../grammar/sla.pest");

/// The words of the grammar's keyword rules: `kw_open = @{ "open" ~ ... }`
/// gives `open`; `type_text = @{ "text" ~ ... }` gives `text`.
pub fn keywords() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = GRAMMAR
            .lines()
            .filter_map(|line| {
                let line = line.trim_start();
                let (rule, body) = line.split_once('=')?;
                let rule = rule.trim();
                if !(rule.starts_with("kw_") || rule.starts_with("type_")) {
                    return None;
                }
                // The first string literal of the rule is the word.
                let body = body.split_once('"')?.1;
                let word = body.split_once('"')?.0;
                (!word.is_empty()).then(|| word.to_string())
            })
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

/// What the cursor most likely wants, from the word before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Calendar,
    Anything,
}

fn want(text: &str, offset: usize) -> Want {
    let before = text.get(..offset).unwrap_or("");
    // Skip the word being typed, then take the word before it.
    let trimmed = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let prev = trimmed
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    match prev {
        "in" | "inside" | "outside" | "available" => Want::Calendar,
        _ => Want::Anything,
    }
}

/// Completion items at a byte offset. Names sort before keywords; after
/// `in`, `inside`, `outside` and `available` calendars sort first.
pub fn complete(text: &str, offset: usize, defs: &Defs) -> Vec<CompletionItem> {
    let want = want(text, offset);
    let mut items = Vec::new();
    let mut add = |label: &str, kind: CompletionItemKind, detail: String, rank: u8| {
        items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            label_details: Some(CompletionItemLabelDetails {
                detail: None,
                description: Some(detail.clone()),
            }),
            detail: Some(detail),
            sort_text: Some(format!("{rank}{label}")),
            ..CompletionItem::default()
        });
    };
    let cal_rank = if want == Want::Calendar { 0 } else { 1 };
    for name in defs.calendars.keys() {
        add(name, CompletionItemKind::EVENT, "calendar".into(), cal_rank);
    }
    add(
        ALWAYS,
        CompletionItemKind::EVENT,
        "calendar (built in)".into(),
        cal_rank,
    );
    for (name, decl) in &defs.fields {
        let ty = super::hover::snippet(text, decl.span)
            .split_once(':')
            .map(|(_, t)| format!("field: {}", t.trim()))
            .unwrap_or_else(|| "field".into());
        add(name, CompletionItemKind::FIELD, ty, 1);
    }
    for (name, (level, _)) in &defs.priorities {
        add(
            name,
            CompletionItemKind::ENUM_MEMBER,
            format!("priority: {}", level.description.node),
            1,
        );
    }
    for name in defs.metrics.keys() {
        add(name, CompletionItemKind::FUNCTION, "metric".into(), 1);
    }
    for name in defs.closures.keys() {
        add(name, CompletionItemKind::FUNCTION, "closure".into(), 1);
    }
    // Labels: one item per label, naming every field that declares it.
    let mut labels: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for name in defs.fields.keys() {
        for v in defs.labels(name) {
            labels.entry(v.text()).or_default().push(name);
        }
    }
    for (label, fields) in &labels {
        // A label that is also a declared name was offered above already.
        if defs.priorities.contains_key(label.as_str()) || defs.fields.contains_key(label.as_str())
        {
            continue;
        }
        add(
            label,
            CompletionItemKind::ENUM_MEMBER,
            format!("label of {}", fields.join(", ")),
            1,
        );
    }
    for kw in keywords() {
        add(kw, CompletionItemKind::KEYWORD, "keyword".into(), 2);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_come_from_the_grammar() {
        let kws = keywords();
        for w in [
            "calendar",
            "metric",
            "targets",
            "within",
            "x",
            "timestamp",
            "label",
        ] {
            assert!(kws.iter().any(|k| k == w), "missing {w}");
        }
        // Rules that are not keywords stay out.
        assert!(!kws.iter().any(|k| k == "ident" || k.contains(' ')));
    }

    #[test]
    fn calendars_first_after_in() {
        assert!(want("metric a from b to c in of", 26) == Want::Calendar);
        assert!(want("metric a from b to c in ", 24) == Want::Calendar);
        assert!(want("metric a from ", 14) == Want::Anything);
    }
}
