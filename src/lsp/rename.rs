//! Find references and rename: every occurrence of what the name under the
//! cursor denotes (calendars, fields, labels, priorities, metrics,
//! closures), from the same resolution hover and definition use.

use super::index::{self, Defs, Occurrence, Sym};
use crate::syntax::ast::{self, Span};

/// The spans of every occurrence of the symbol at `offset` (its
/// declaration among them when `with_declaration`), in text order.
pub fn references(tree: &ast::File, offset: usize, with_declaration: bool) -> Option<Vec<Span>> {
    let defs = Defs::new(tree);
    let occs = index::occurrences(tree, &defs);
    let sym = index::at(&occs, offset)?.sym.clone();
    let decl = defs.definition(&sym);
    let mut spans: Vec<Span> = same(&occs, &sym)
        .filter(|s| with_declaration || Some(*s) != decl)
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
    Some(spans)
}

fn same<'o>(occs: &'o [Occurrence], sym: &'o Sym) -> impl Iterator<Item = Span> + 'o {
    occs.iter().filter(move |o| o.sym == *sym).map(|o| o.span)
}

/// What may be renamed at `offset`: the span of the name and its text.
/// `Err` says why not (a built-in, an undeclared name, nothing there).
pub fn prepare(text: &str, tree: &ast::File, offset: usize) -> Result<Span, String> {
    let defs = Defs::new(tree);
    let occs = index::occurrences(tree, &defs);
    let occ = index::at(&occs, offset).ok_or("no name here to rename")?;
    if occ.sym == Sym::Always {
        return Err("`24x7` is built in and cannot be renamed".into());
    }
    if defs.definition(&occ.sym).is_none() {
        let name = text
            .get(occ.span.start..occ.span.end)
            .unwrap_or("this name");
        return Err(format!(
            "`{name}` is not declared in this contract, so it cannot be renamed"
        ));
    }
    Ok(occ.span)
}

/// The edits that rename the symbol at `offset` to `new_name`.
pub fn rename(
    text: &str,
    tree: &ast::File,
    offset: usize,
    new_name: &str,
) -> Result<Vec<(Span, String)>, String> {
    prepare(text, tree, offset)?;
    let defs = Defs::new(tree);
    let occs = index::occurrences(tree, &defs);
    let sym = index::at(&occs, offset)
        .ok_or("no name here to rename")?
        .sym
        .clone();
    let plain = is_identifier(new_name);
    if !plain && !matches!(sym, Sym::Label { .. }) {
        return Err(format!(
            "`{new_name}` is not a name: use letters, digits and `_`, starting with a letter or `_`"
        ));
    }
    if let Some(clash) = taken(&defs, &sym, new_name) {
        return Err(format!(
            "`{new_name}` already names {clash} in this contract"
        ));
    }
    let mut edits: Vec<(Span, String)> = same(&occs, &sym)
        .map(|span| {
            let written = text.get(span.start..span.end).unwrap_or_default();
            // A label written quoted stays quoted; one that is no longer a
            // bare name gets quotes.
            let new = if written.starts_with('"') || !plain {
                format!(
                    "\"{}\"",
                    new_name.replace('\\', "\\\\").replace('"', "\\\"")
                )
            } else {
                new_name.to_string()
            };
            (span, new)
        })
        .collect();
    edits.sort_by_key(|(s, _)| (s.start, s.end));
    edits.dedup_by_key(|(s, _)| *s);
    Ok(edits)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What already has the name in the symbol's namespace.
fn taken(defs: &Defs, sym: &Sym, name: &str) -> Option<&'static str> {
    let clash = match sym {
        Sym::Calendar(_) | Sym::Always => (defs.calendars.contains_key(name)
            || name == crate::rules::ALWAYS)
            .then_some("a calendar"),
        Sym::Field(_) => defs.fields.contains_key(name).then_some("a field"),
        Sym::Priority(_) => defs.priorities.contains_key(name).then_some("a priority"),
        // Metrics and closures share the places a clock's end is named.
        Sym::Metric(_) | Sym::Closure(_) => (defs.metrics.contains_key(name)
            || defs.closures.contains_key(name))
        .then_some("a metric or closure"),
        Sym::Label { field, .. } => defs
            .labels(field)
            .iter()
            .any(|v| v.text() == name)
            .then_some("a label of the same field"),
    };
    clash
}
