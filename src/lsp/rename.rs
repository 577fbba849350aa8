//! Find references and rename: every place the checker resolved to what
//! the name under the cursor denotes (calendars, fields, labels,
//! priorities, metrics, closures, objectives), from its name table.

use crate::check::{Names, Sym};
use crate::syntax::ast::Span;

/// The spans of every occurrence of the symbol at `offset` (its
/// declaration among them when `with_declaration`), in text order.
pub(crate) fn references(
    names: &Names,
    offset: usize,
    with_declaration: bool,
) -> Option<Vec<Span>> {
    let sym = &names.at(offset)?.sym;
    let decl = names.definition(sym);
    let spans = names
        .spans_of(sym)
        .into_iter()
        .filter(|s| with_declaration || Some(*s) != decl)
        .collect();
    Some(spans)
}

/// What may be renamed at `offset`: the span of the name.
/// `Err` says why not (a built-in, an undeclared name, nothing there).
pub(crate) fn prepare(text: &str, names: &Names, offset: usize) -> Result<Span, String> {
    let name = names.at(offset).ok_or("no name here to rename")?;
    if name.sym.is_builtin() {
        let written = text.get(name.span.start..name.span.end).unwrap_or("this");
        return Err(format!("`{written}` is built in and cannot be renamed"));
    }
    if names.definition(&name.sym).is_none() {
        let written = text
            .get(name.span.start..name.span.end)
            .unwrap_or("this name");
        return Err(format!(
            "`{written}` is not declared in this contract, so it cannot be renamed"
        ));
    }
    Ok(name.span)
}

/// The edits that rename the symbol at `offset` to `new_name`.
pub(crate) fn rename(
    text: &str,
    names: &Names,
    offset: usize,
    new_name: &str,
) -> Result<Vec<(Span, String)>, String> {
    prepare(text, names, offset)?;
    let sym = &names.at(offset).ok_or("no name here to rename")?.sym;
    let plain = is_identifier(new_name);
    // Labels and objective names may be strings; other names are identifiers.
    if !plain && !matches!(sym, Sym::Label { .. } | Sym::Objective(_)) {
        return Err(format!(
            "`{new_name}` is not a name: use letters, digits and `_`, starting with a letter or `_`"
        ));
    }
    if let Some(clash) = taken(names, sym, new_name) {
        return Err(format!(
            "`{new_name}` already names {clash} in this contract"
        ));
    }
    let edits = names
        .spans_of(sym)
        .into_iter()
        .map(|span| {
            let written = text.get(span.start..span.end).unwrap_or_default();
            // A name written quoted stays quoted; one that is no longer a
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
fn taken(names: &Names, sym: &Sym, name: &str) -> Option<&'static str> {
    let declared = |s: Sym| names.definition(&s).is_some();
    let n = || name.to_string();
    match sym {
        Sym::Calendar(_) => {
            (declared(Sym::Calendar(n())) || name == crate::rules::ALWAYS).then_some("a calendar")
        }
        Sym::Field(_) => declared(Sym::Field(n())).then_some("a field"),
        Sym::Priority(_) => declared(Sym::Priority(n())).then_some("a priority"),
        // Metrics and closures share the places a clock's end is named.
        Sym::Metric(_) | Sym::Closure(_) => (declared(Sym::Metric(n()))
            || declared(Sym::Closure(n())))
        .then_some("a metric or closure"),
        Sym::Label { field, .. } => declared(Sym::Label {
            field: field.clone(),
            label: n(),
        })
        .then_some("a label of the same field"),
        Sym::Objective(_) => declared(Sym::Objective(n())).then_some("an objective"),
    }
}
