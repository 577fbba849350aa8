//! Byte offsets (what the syntax tree's spans hold) to LSP positions and
//! back. LSP counts a position's character in UTF-16 code units unless the
//! client negotiates otherwise, and contracts hold em dashes and accented
//! letters, so a character count or a byte count would put ranges in the
//! wrong place on any line with non-ASCII text before the point.

use lsp_types::{Position, Range};

use crate::syntax::ast::Span;

/// Where each line starts, for one version of a document.
pub(crate) struct LineIndex {
    /// Byte offset of the first character of each line; the first is 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        // LSP ends lines at `\n`, `\r\n` and a lone `\r`; the grammar takes all
        // three as whitespace, so any of them may occur in a contract.
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The LSP position of a byte offset. Offsets past the end, or inside a
    /// multi-byte character, are moved back to the nearest character start.
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset.min(self.len));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = text
            .get(start..offset)
            .map(|s| s.chars().map(char::len_utf16).sum())
            .unwrap_or(0);
        Position {
            line: to_u32(line),
            character: to_u32(character),
        }
    }

    pub(crate) fn range(&self, text: &str, span: Span) -> Range {
        let end = span.end.max(span.start);
        Range {
            start: self.position(text, span.start),
            end: self.position(text, end),
        }
    }

    /// The byte offset of an LSP position. A line past the end gives the end
    /// of the text; a character past the end of its line gives the line's end
    /// (the LSP rule), and one inside a surrogate pair the character's start.
    pub(crate) fn offset(&self, text: &str, pos: Position) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.len;
        };
        let end = self.line_content_end(text, line);
        let mut units = 0usize;
        let want = pos.character as usize;
        for (i, c) in text.get(start..end).unwrap_or("").char_indices() {
            let next = units + c.len_utf16();
            if next > want {
                return start + i;
            }
            units = next;
        }
        end
    }

    /// The end of a line's text, before its line break.
    fn line_content_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if line + 1 < self.starts.len() {
            // Drop the `\n`, `\r` or `\r\n` that ended this line.
            if end > 0 && bytes.get(end - 1) == Some(&b'\n') {
                end -= 1;
            }
            if end > 0 && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end.max(self.starts.get(line).copied().unwrap_or(0))
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// LSP positions are `u32`; a document over 4 GiB is not a contract, so
/// saturate rather than fail.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn ascii_round_trip() {
        let text = "ab\ncd\n";
        let ix = LineIndex::new(text);
        assert_eq!(ix.position(text, 0), pos(0, 0));
        assert_eq!(ix.position(text, 4), pos(1, 1));
        assert_eq!(ix.position(text, 6), pos(2, 0));
        assert_eq!(ix.offset(text, pos(1, 1)), 4);
        assert_eq!(ix.offset(text, pos(1, 99)), 5);
        assert_eq!(ix.offset(text, pos(9, 0)), 6);
    }

    #[test]
    fn utf16_units_not_bytes_or_chars() {
        // `—` is 3 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 units.
        let text = "# a — é 𝄞 x\nnext";
        let ix = LineIndex::new(text);
        let x = text.find(" x").map(|i| i + 1).unwrap_or(0);
        assert_eq!(ix.position(text, x), pos(0, 11));
        assert_eq!(ix.offset(text, pos(0, 11)), x);
        // Inside the surrogate pair: back to the character's start.
        let clef = text.find('𝄞').unwrap_or(0);
        assert_eq!(ix.offset(text, pos(0, 9)), clef);
        // A byte offset inside `—` moves back to its start.
        let dash = text.find('—').unwrap_or(0);
        assert_eq!(ix.position(text, dash + 1), pos(0, 4));
    }

    #[test]
    fn crlf_and_lone_cr() {
        let text = "a\r\nb\rc";
        let ix = LineIndex::new(text);
        assert_eq!(ix.position(text, 3), pos(1, 0));
        assert_eq!(ix.position(text, 5), pos(2, 0));
        assert_eq!(ix.offset(text, pos(0, 5)), 1);
        assert_eq!(ix.offset(text, pos(2, 1)), 6);
    }
}
