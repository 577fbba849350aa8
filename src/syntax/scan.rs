//! A rough lexer for the places that must see the source's shape without a
//! parse: cutting a broken file into top-level blocks, measuring nesting,
//! finding a block's end, collecting comments for the formatter. It knows
//! only what those need: words, strings, comments and single characters.

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, digits and `_`.
    Word,
    /// A `"…"` string, escapes included. Strings cannot span lines, so an
    /// unterminated one ends at the line break (where the parser gives up too).
    Str,
    /// From `#` to the end of the line, without the line break.
    Comment,
    /// Any other character except whitespace.
    Punct,
}

/// A token of the source: its kind and where it lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What kind of token it is.
    pub kind: Kind,
    /// Byte offsets `[start, end)` in the text.
    pub start: usize,
    /// The byte after the token.
    pub end: usize,
}

/// The tokens of `text`, in order; whitespace is skipped.
pub fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        let kind = match *bytes.get(i)? {
            b'#' => {
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
                Kind::Comment
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if i < bytes.len() && bytes[i] == b'"' {
                    i += 1;
                }
                Kind::Str
            }
            b if is_word_byte(b) => {
                while i < bytes.len() && is_word_byte(bytes[i]) {
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                // One whole character, so that every end is a char boundary.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Punct
            }
        };
        // An escape just before the end of the text may step past it.
        i = i.min(bytes.len());
        Some(Token {
            kind,
            start,
            end: i,
        })
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn strings_hide_hashes_and_braces() {
        assert_eq!(
            kinds("a \"x # { \\\" y\" # c {\n}"),
            [
                (Kind::Word, "a"),
                (Kind::Str, "\"x # { \\\" y\""),
                (Kind::Comment, "# c {"),
                (Kind::Punct, "}"),
            ]
        );
    }

    #[test]
    fn unterminated_strings_and_trailing_escapes_stay_in_bounds() {
        assert_eq!(kinds("\"abc\nd"), [(Kind::Str, "\"abc"), (Kind::Word, "d")]);
        assert_eq!(kinds("\"a\\"), [(Kind::Str, "\"a\\")]);
        assert_eq!(kinds("é–"), [(Kind::Punct, "é"), (Kind::Punct, "–")]);
    }
}
