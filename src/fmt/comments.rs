//! Comments, collected from the source text. The syntax tree has no place for
//! them, so the formatter keeps them aside and weaves them back in by their
//! byte offsets (the way Gleam's formatter does).

use crate::syntax::scan::{tokens, Kind};

/// One `#` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Byte offset of the `#`.
    pub start: usize,
    /// Byte offset just past the comment text (before the line break).
    pub end: usize,
    /// The text from `#` on, trailing whitespace removed.
    pub text: String,
    /// True when only whitespace precedes it on its line; false when it
    /// trails code.
    pub own_line: bool,
}

/// Every comment of `src`, in order. A `#` inside a string is not a comment;
/// strings cannot span lines, so an unterminated one ends at the line break
/// (which is also where the parser gives up on it).
pub fn collect(src: &str) -> Vec<Comment> {
    tokens(src)
        .filter(|t| t.kind == Kind::Comment)
        .map(|t| {
            let text = src[t.start..t.end].trim_end();
            let line_start = src[..t.start].rfind('\n').map_or(0, |p| p + 1);
            let own_line = src[line_start..t.start]
                .chars()
                .all(|c| c.is_whitespace() || c == '\u{feff}');
            Comment {
                start: t.start,
                end: t.start + text.len(),
                text: text.to_string(),
                own_line,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_hide_hashes_and_positions_are_kept() {
        let src = "# top\nprovider \"a # b\" # tail \n  # own\n";
        let c = collect(src);
        let texts: Vec<_> = c.iter().map(|c| (c.text.as_str(), c.own_line)).collect();
        assert_eq!(texts, [("# top", true), ("# tail", false), ("# own", true)]);
        assert_eq!(&src[c[1].start..c[1].end], "# tail");
    }

    #[test]
    fn escaped_quotes_do_not_end_strings() {
        let c = collect("x \"a \\\" # no\" # yes");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].text, "# yes");
    }
}
