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
pub(crate) fn keywords() -> &'static [String] {
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

/// The units of durations and periods, from the grammar's `*_unit` rules
/// (`duration_unit = @{ ("working" ~ WHITESPACE+ ~ ("days" | "day") | "hours" ...`).
pub(crate) fn units() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = Vec::new();
        for line in GRAMMAR.lines() {
            let Some((rule, body)) = line.split_once('=') else {
                continue;
            };
            if !rule.trim().ends_with("_unit") {
                continue;
            }
            // Every second piece between quotes is a literal.
            let literals: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
            let working = literals.first() == Some(&"working");
            for w in literals.iter().skip(usize::from(working)) {
                words.push(w.to_string());
            }
            if working {
                words.push("working days".into());
                words.push("working day".into());
            }
        }
        words.sort();
        words.dedup();
        words
    })
}

/// What belongs at the cursor, from the text before it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Want {
    /// After `in`, `inside`, `outside`, `available`: a calendar.
    Calendar,
    /// After `FIELD =`, `FIELD !=`, inside `FIELD in [`: a label of FIELD.
    Labels(String),
    /// After a number: a unit.
    Unit,
    /// Where a target row names its metric.
    Metric,
    /// After `from` in a metric: where a clock starts.
    ClockEnd,
    /// After `to` in a metric: where it stops, or `earliest` (of several).
    Stop,
    /// After `earliest of` or its commas: one more stop, or `status in [..]`.
    StopAlt,
    Anything,
}

/// The tokens of the text before `offset`, last first, skipping the word
/// being typed. Brackets, commas and operators are tokens of their own.
fn tokens_before(text: &str, offset: usize) -> Vec<&str> {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == ':';
    let typed = before.trim_end_matches(is_word);
    let mut out = Vec::new();
    let mut rest = typed;
    // A few tokens are enough to decide; look back at most one line.
    while out.len() < 40 {
        rest = rest.trim_end_matches([' ', '\t']);
        let Some(c) = rest.chars().next_back() else {
            break;
        };
        if c == '\n' || c == '\r' {
            out.push("\n");
            rest = &rest[..rest.len() - 1];
            continue;
        }
        let start = if is_word(c) {
            rest.trim_end_matches(is_word).len()
        } else if rest.ends_with("!=") {
            rest.len() - 2
        } else {
            rest.len() - c.len_utf8()
        };
        out.push(&rest[start..]);
        rest = &rest[..start];
    }
    out
}

/// The top-level item the offset is in: the first word of the last line
/// before it that starts at column 0 (items are not indented).
fn item_keyword(text: &str, offset: usize) -> &str {
    let before = text.get(..offset).unwrap_or("");
    before
        .lines()
        .rev()
        .skip(1)
        .find(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("")
}

/// In the body of `calendar NAME by FIELD { ... }`: FIELD.
fn choice_field(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    // The last line that starts an item; a closing `}` on the way means
    // the block has ended.
    let header = before
        .lines()
        .rev()
        .skip(1)
        .find(|l| l.starts_with(|c: char| c.is_ascii_alphabetic() || c == '}'))?;
    match header.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["calendar", _, "by", field, ..] => Some(field.trim_end_matches('{')),
        _ => None,
    }
}

fn want(text: &str, offset: usize, defs: &Defs) -> Want {
    let toks = tokens_before(text, offset);
    let prev = toks.first().copied().unwrap_or("");
    // A row of a calendar chosen by a field: values of the field, `=`, a calendar.
    if let Some(field) = choice_field(text, offset) {
        match prev {
            "=" => return Want::Calendar,
            "\n" | "{" | "[" | "," if !defs.labels(field).is_empty() => {
                return Want::Labels(field.to_string())
            }
            _ => {}
        }
    }
    let prev2 = toks.get(1).copied().unwrap_or("");
    // On the line of a `metric`, after its keyword.
    let metric_line = toks
        .iter()
        .position(|t| *t == "metric")
        .is_some_and(|m| !toks[..m].contains(&"\n"));
    let is_field = |w: &str| defs.fields.contains_key(w);
    // Inside `FIELD in [a, b, |`: walk back over `, label` pairs.
    let mut i = 0;
    while toks.get(i) == Some(&",") {
        i += 2;
    }
    if let (Some(&"["), Some(&"in"), Some(field)) = (toks.get(i), toks.get(i + 1), toks.get(i + 2))
    {
        if is_field(field) {
            return Want::Labels((*field).to_string());
        }
    }
    match prev {
        "=" | "!=" if is_field(prev2) => return Want::Labels(prev2.to_string()),
        // `in` after a label field opens its list; after anything else
        // (a metric's clock, `inside`'s field) a calendar follows.
        "in" if !defs.labels(prev2).is_empty() => return Want::Labels(prev2.to_string()),
        "in" | "inside" | "outside" | "available" => return Want::Calendar,
        "from" | "to" | "of" | "," if metric_line => {
            let earliest = toks.iter().position(|t| *t == "earliest");
            let to = toks.iter().position(|t| *t == "to");
            match prev {
                "from" => return Want::ClockEnd,
                "to" => return Want::Stop,
                // Inside `to earliest of ...`, not after a later `to`.
                _ if earliest.is_some_and(|e| to.is_some_and(|to| to == e + 1)) => {
                    return Want::StopAlt
                }
                _ => {}
            }
        }
        _ => {}
    }
    if prev.parse::<f64>().is_ok() && prev2 != "for" {
        return Want::Unit;
    }
    if item_keyword(text, offset) == "targets" {
        let names_priority = defs.priorities.contains_key(prev) || prev == "all";
        // A row starts with its priorities; clauses follow each other
        // after `for N%`.
        if names_priority || prev == "%" {
            return Want::Metric;
        }
    }
    Want::Anything
}

/// Completion items at a byte offset. Where the context says what kind of
/// name belongs (a calendar after `in`, a label of the field after
/// `FIELD =`, a unit after a number, a metric in a target row, a clock's
/// end after `from`/`to`), only those are offered; elsewhere every name
/// and keyword, names first.
pub(crate) fn complete(text: &str, offset: usize, defs: &Defs) -> Vec<CompletionItem> {
    let want = want(text, offset, defs);
    let mut c = Completions {
        text,
        defs,
        items: Vec::new(),
    };
    match &want {
        Want::Labels(field) => {
            for v in defs.labels(field) {
                let detail = format!("label of {field}");
                c.add(&v.text(), CompletionItemKind::ENUM_MEMBER, detail, 0);
            }
            return c.items;
        }
        Want::Unit => {
            for u in units() {
                c.add(u, CompletionItemKind::UNIT, "unit".into(), 0);
            }
            return c.items;
        }
        _ => {}
    }
    let any = want == Want::Anything;
    if any || want == Want::Calendar {
        c.calendars();
    }
    let clock_end = matches!(want, Want::ClockEnd | Want::Stop | Want::StopAlt);
    if any || clock_end {
        // Anywhere every field; where a clock starts or stops, its timestamps.
        c.fields(!any);
    }
    if any {
        c.priorities();
    }
    if any || want == Want::Metric || clock_end {
        c.metrics();
    }
    match want {
        Want::Stop => c.add(
            "earliest of",
            CompletionItemKind::KEYWORD,
            "stop at the first of several".into(),
            2,
        ),
        Want::StopAlt => c.add(
            "status in",
            CompletionItemKind::KEYWORD,
            "the first event in one of these statuses".into(),
            2,
        ),
        _ => {}
    }
    if any {
        c.labels();
        for kw in keywords() {
            c.add(kw, CompletionItemKind::KEYWORD, "keyword".into(), 2);
        }
    }
    c.items
}

/// The completion items offered so far, and what they are drawn from.
struct Completions<'a> {
    text: &'a str,
    defs: &'a Defs<'a>,
    items: Vec<CompletionItem>,
}

impl Completions<'_> {
    /// One item; `rank` orders the groups (0 first), then the labels.
    fn add(&mut self, label: &str, kind: CompletionItemKind, detail: String, rank: u8) {
        self.items.push(CompletionItem {
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
    }

    /// The contract's calendars and the built-in one.
    fn calendars(&mut self) {
        let defs = self.defs;
        for name in defs.calendars.keys() {
            self.add(name, CompletionItemKind::EVENT, "calendar".into(), 1);
        }
        let detail = "calendar (built in)".into();
        self.add(ALWAYS, CompletionItemKind::EVENT, detail, 1);
    }

    /// The fields, with their types; only the timestamps if `timestamps`.
    fn fields(&mut self, timestamps: bool) {
        let defs = self.defs;
        for (name, decl) in &defs.fields {
            let detail = super::hover::snippet(self.text, decl.span)
                .split_once(':')
                .map(|(_, t)| format!("field: {}", t.trim()))
                .unwrap_or_else(|| "field".into());
            if !timestamps || detail.contains("timestamp") {
                self.add(name, CompletionItemKind::FIELD, detail, 1);
            }
        }
    }

    /// The priority levels, with their descriptions.
    fn priorities(&mut self) {
        let defs = self.defs;
        for (name, (level, _)) in &defs.priorities {
            let detail = format!("priority: {}", level.description.node);
            self.add(name, CompletionItemKind::ENUM_MEMBER, detail, 1);
        }
    }

    /// The metrics and closures (a clock may start or stop at either).
    fn metrics(&mut self) {
        let defs = self.defs;
        for name in defs.metrics.keys() {
            self.add(name, CompletionItemKind::FUNCTION, "metric".into(), 1);
        }
        for name in defs.closures.keys() {
            self.add(name, CompletionItemKind::FUNCTION, "closure".into(), 1);
        }
    }

    /// Labels: one item per label, naming every field that declares it.
    fn labels(&mut self) {
        let defs = self.defs;
        let mut labels: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for name in defs.fields.keys() {
            for v in defs.labels(name) {
                labels.entry(v.text()).or_default().push(name);
            }
        }
        for (label, fields) in &labels {
            // A label that is also a declared name was offered already.
            if defs.priorities.contains_key(label.as_str())
                || defs.fields.contains_key(label.as_str())
            {
                continue;
            }
            let detail = format!("label of {}", fields.join(", "));
            self.add(label, CompletionItemKind::ENUM_MEMBER, detail, 1);
        }
    }
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
    fn units_come_from_the_grammar() {
        let u = units();
        for w in ["hours", "minutes", "days", "working days", "months"] {
            assert!(u.iter().any(|k| k == w), "missing {w}: {u:?}");
        }
        assert!(!u.iter().any(|k| k == "working"));
    }

    #[test]
    fn contexts_from_the_text_before() {
        let file = crate::syntax::parse("fields {\n  cause: label [a, b]\n}\n").0;
        let defs = Defs::new(&file);
        assert_eq!(
            want("metric a from b to c in of", 26, &defs),
            Want::Calendar
        );
        assert_eq!(want("metric a from ", 14, &defs), Want::ClockEnd);
        assert_eq!(want("metric a from b to ", 19, &defs), Want::Stop);
        let alt = "metric a from b to earliest of c, ";
        assert_eq!(want(alt, alt.len(), &defs), Want::StopAlt);
        assert_eq!(want(alt, alt.len() - 2, &defs), Want::StopAlt);
        // A comma elsewhere on a metric's line is not a stop.
        let list = "metric a from b to c paused while status in [x, ";
        assert_ne!(want(list, list.len(), &defs), Want::StopAlt);
        assert_eq!(
            want("exclude when cause = ", 21, &defs),
            Want::Labels("cause".into())
        );
        assert_eq!(
            want("exclude when cause in [a, ", 26, &defs),
            Want::Labels("cause".into())
        );
        assert_eq!(want("x within 4 ", 11, &defs), Want::Unit);
        let choice = "calendar c by cause {\n  a = ";
        assert_eq!(want(choice, choice.len(), &defs), Want::Calendar);
        let choice = "calendar c by cause {\n  a = x\n  ";
        assert_eq!(
            want(choice, choice.len(), &defs),
            Want::Labels("cause".into())
        );
        assert_eq!(want("x for 4", 7, &defs), Want::Anything);
    }
}
