//! Semantic tokens: what each name in the contract denotes, so that an
//! editor colours a reference as it colours the declaration (VS Code's
//! TextMate grammar cannot tell `office` the calendar from `office` the
//! label). The token types match the tree-sitter captures of
//! `editors/tree-sitter-sla/queries/highlights.scm`.

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};

use super::position::LineIndex;
use crate::check::{Names, Sym};

/// Token types, indexed by [`kind`].
const TYPES: [SemanticTokenType; 4] = [
    SemanticTokenType::TYPE,        // calendars: @type
    SemanticTokenType::PROPERTY,    // fields: @property
    SemanticTokenType::ENUM_MEMBER, // priorities and labels: @constant
    SemanticTokenType::FUNCTION,    // metrics and closures: @function
];

/// Modifiers, as bits: 1 declaration, 2 defaultLibrary (`24x7`).
const MODIFIERS: [SemanticTokenModifier; 2] = [
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::DEFAULT_LIBRARY,
];

/// The legend the server advertises.
pub(crate) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: MODIFIERS.to_vec(),
    }
}

fn kind(sym: &Sym) -> u32 {
    match sym {
        Sym::Calendar(_) => 0,
        Sym::Field(_) => 1,
        Sym::Priority(_) | Sym::Label { .. } => 2,
        Sym::Metric(_) | Sym::Closure(_) => 3,
        // An objective's name is a string; strings keep their own colour.
        Sym::Objective(_) => 4,
    }
}

/// Every name of the document as LSP's relative token list.
pub(crate) fn tokens(text: &str, lines: &LineIndex, names: &Names) -> SemanticTokens {
    let mut occs: Vec<_> = names
        .all()
        .iter()
        .filter(|o| kind(&o.sym) < TYPES.len() as u32)
        .collect();
    occs.sort_by_key(|o| (o.span.start, o.span.end));
    occs.dedup_by_key(|o| o.span);
    let mut data = Vec::with_capacity(occs.len());
    let (mut prev_line, mut prev_start) = (0, 0);
    let mut last_end = 0;
    for o in &occs {
        // Tokens may not overlap; names never span lines.
        if o.span.start < last_end || o.span.end <= o.span.start {
            continue;
        }
        let range = lines.range(text, o.span);
        if range.start.line != range.end.line {
            continue;
        }
        let mut modifiers = 0;
        if o.declaration {
            modifiers |= 1;
        }
        if o.sym.is_builtin() {
            modifiers |= 2;
        }
        let line = range.start.line;
        let start = range.start.character;
        data.push(SemanticToken {
            delta_line: line - prev_line,
            delta_start: if line == prev_line {
                start - prev_start
            } else {
                start
            },
            length: range.end.character - start,
            token_type: kind(&o.sym),
            token_modifiers_bitset: modifiers,
        });
        prev_line = line;
        prev_start = start;
        last_end = o.span.end;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
