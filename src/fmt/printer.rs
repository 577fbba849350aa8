//! The pretty-printer: the syntax tree back to text in the canonical layout,
//! with the comments woven back in by byte offset.
//!
//! Every line-level construct is first built as a [`Row`] of cells of tokens,
//! each token remembering the source offset it came from. Tables (fields,
//! target rows, matrix cells, runs of metrics) are padded cell by cell.
//! While tokens are emitted, every comment that starts before the next token
//! is flushed: an own-line comment on its own line, a trailing comment at the
//! end of the line it trailed. A comment between two tokens of one row breaks
//! the row there, and the rest continues on an indented line.

use super::comments::Comment;
use crate::syntax::ast::*;

const INDENT: usize = 2;
/// Continuation lines (a row broken by a comment inside it).
const CONTINUE: usize = 4;
/// Spaces between code and a trailing comment.
const COMMENT_GAP: usize = 3;
/// A `targets` block is laid out as one table row per target row when that
/// fits in this many columns; otherwise each clause gets its own line.
const MAX_WIDTH: usize = 100;

#[derive(Debug, Clone)]
struct Tok {
    at: usize,
    text: String,
    space: bool,
}

#[derive(Debug, Clone, Default)]
struct Cell {
    toks: Vec<Tok>,
    glue_next: bool,
}

impl Cell {
    fn push(&mut self, at: usize, text: impl Into<String>, space: bool) {
        let space = space && !self.toks.is_empty() && !self.glue_next;
        self.glue_next = false;
        self.toks.push(Tok {
            at,
            text: text.into(),
            space,
        });
    }

    fn width(&self) -> usize {
        self.toks
            .iter()
            .map(|t| t.text.chars().count() + usize::from(t.space))
            .sum()
    }

    fn append(&mut self, other: Cell) {
        for (i, t) in other.toks.into_iter().enumerate() {
            // The first token of `other` had no token before it to space from.
            let space = t.space || i == 0;
            self.push(t.at, t.text, space);
        }
    }
}

#[derive(Debug, Clone)]
struct Row {
    cells: Vec<Cell>,
    /// Spaces before each cell (the first entry is unused).
    gaps: Vec<usize>,
    start: usize,
}

impl Row {
    fn new(start: usize) -> Row {
        Row {
            cells: Vec::new(),
            gaps: Vec::new(),
            start,
        }
    }

    fn one(start: usize, cell: Cell) -> Row {
        let mut r = Row::new(start);
        r.add(cell, 1);
        r
    }

    fn add(&mut self, cell: Cell, gap: usize) {
        self.cells.push(cell);
        self.gaps.push(gap);
    }
}

/// Column widths of a table of rows: the widest cell of each column.
fn widths(rows: &[Row]) -> Vec<usize> {
    let mut w: Vec<usize> = Vec::new();
    for r in rows {
        for (i, c) in r.cells.iter().enumerate() {
            if w.len() <= i {
                w.push(0);
            }
            w[i] = w[i].max(c.width());
        }
    }
    w
}

/// The width of a row when padded to `w`.
fn padded_width(r: &Row, w: &[usize]) -> usize {
    let mut col = 0;
    let mut end = 0;
    for (i, c) in r.cells.iter().enumerate() {
        let prev = w.get(i.wrapping_sub(1)).copied().unwrap_or(0);
        if i > 0 && prev > 0 {
            col += prev + r.gaps[i];
        }
        if !c.toks.is_empty() {
            end = col + c.width();
        }
    }
    end
}

#[derive(Debug, Clone)]
struct Line {
    indent: usize,
    code: String,
    comment: Option<String>,
    block: usize,
    blank: bool,
}

pub(super) struct Printer<'s> {
    src: &'s str,
    comments: &'s [Comment],
    next_comment: usize,
    /// Where keyword and punctuation tokens are looked for in the source.
    cursor: usize,
    lines: Vec<Line>,
    line: String,
    line_indent: usize,
    indent: usize,
    block: usize,
    blocks: Vec<usize>,
    block_count: usize,
    at_block_start: bool,
    force_blank: bool,
    /// The row being emitted was broken by a comment inside it.
    broken: bool,
    /// The source offset of the last token emitted, when it was a comma:
    /// a list may break after it.
    after_comma: Option<usize>,
}

pub(super) fn print(src: &str, file: &File, comments: &[Comment]) -> String {
    let mut p = Printer {
        src,
        comments,
        next_comment: 0,
        cursor: 0,
        lines: Vec::new(),
        line: String::new(),
        line_indent: 0,
        indent: 0,
        block: 0,
        blocks: Vec::new(),
        block_count: 0,
        at_block_start: true,
        force_blank: false,
        broken: false,
        after_comma: None,
    };
    p.file(file);
    p.finish()
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether the whitespace and comments in `text` include an empty line.
fn has_blank_line(text: &str) -> bool {
    let parts: Vec<&str> = text.split('\n').collect();
    parts.len() > 2
        && parts[1..parts.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}

/// A one-line item that may sit directly under another of its kind (a run of
/// metrics or objectives), rather than always after a blank line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compact {
    Metric,
    Objective,
    Exclusion,
    Complement,
}

fn compact(item: &Item) -> Option<Compact> {
    match item {
        Item::Metric(_) => Some(Compact::Metric),
        Item::Objective(_) => Some(Compact::Objective),
        Item::Exclusion(_) => Some(Compact::Exclusion),
        Item::Calendar(Calendar {
            body: CalendarBody::Complement(_),
            ..
        }) => Some(Compact::Complement),
        _ => None,
    }
}

impl<'s> Printer<'s> {
    // ------------------------------------------------------------ source

    fn slice(&self, span: Span) -> &'s str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// The offset of the next token at or after `i`: whitespace and comments skipped.
    fn skip_trivia(&self, mut i: usize) -> usize {
        let b = self.src.as_bytes();
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if self.src.get(i..).is_some_and(|s| s.starts_with('\u{feff}')) {
                i += '\u{feff}'.len_utf8();
                continue;
            }
            if i < b.len() && b[i] == b'#' {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            return i;
        }
    }

    /// The offset of the token before `i`: whitespace and comments skipped
    /// backwards; `None` at the start of the file.
    fn prev_token_end(&self, mut i: usize) -> Option<usize> {
        let b = self.src.as_bytes();
        loop {
            while i > 0 && b[i - 1].is_ascii_whitespace() {
                i -= 1;
            }
            if i == 0 {
                return None;
            }
            // Comments are sorted by start: the one ending at `i`, if any,
            // is the last to start before it (a binary search, not a scan,
            // so a contract with many comments stays linear).
            let last = self.comments.partition_point(|c| c.start < i);
            match last.checked_sub(1).map(|k| &self.comments[k]) {
                Some(c) if i <= c.end => i = c.start,
                _ => return Some(i),
            }
        }
    }

    /// Where the last token before `at` ends (spans may include trailing
    /// whitespace and comments, so they cannot tell).
    fn after_last_token(&self, at: usize) -> usize {
        self.prev_token_end(at).unwrap_or(0)
    }

    /// Whether the source puts parentheses right around `span`.
    fn parenthesized(&self, span: Span) -> bool {
        let before = self
            .prev_token_end(span.start)
            .is_some_and(|i| self.src.as_bytes().get(i - 1) == Some(&b'('));
        let after = self.src.as_bytes().get(self.skip_trivia(span.end)) == Some(&b')');
        before && after
    }

    /// Find `text` as the next token after the cursor; its offset, or the
    /// cursor when it is not there (a token the formatter adds).
    fn locate(&mut self, text: &str) -> usize {
        let p = self.skip_trivia(self.cursor);
        if self.src.get(p..).is_some_and(|s| s.starts_with(text)) {
            self.cursor = p + text.len();
            p
        } else {
            self.cursor
        }
    }

    fn has_comment_in(&self, from: usize, to: usize) -> bool {
        let first = self.comments.partition_point(|c| c.start <= from);
        self.comments.get(first).is_some_and(|c| c.start < to)
    }

    /// The source text of a number, if it reads as one; otherwise the value.
    fn number(&self, span: Span, value: impl ToString) -> String {
        let t = self.slice(span).trim_end_matches('%');
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            t.to_string()
        } else {
            value.to_string()
        }
    }

    // ------------------------------------------------------------ tokens

    fn kw(&mut self, c: &mut Cell, text: &str) {
        let at = self.locate(text);
        c.push(at, text, true);
    }

    /// Punctuation that sticks to the token before it (`,`, `:`, `]`, `)`).
    fn glue(&mut self, c: &mut Cell, text: &str) {
        let at = self.locate(text);
        c.push(at, text, false);
    }

    /// Punctuation that the next token sticks to (`[`, `(`).
    fn open(&mut self, c: &mut Cell, text: &str) {
        let at = self.locate(text);
        c.push(at, text, true);
        c.glue_next = true;
    }

    fn word(&mut self, c: &mut Cell, span: Span, text: impl Into<String>) {
        self.cursor = self.cursor.max(span.end);
        c.push(span.start, text, true);
    }

    fn ident(&mut self, c: &mut Cell, id: &Ident) {
        self.word(c, id.span, id.node.clone());
    }

    fn string(&mut self, c: &mut Cell, s: &Spanned<String>) {
        self.word(c, s.span, quote(&s.node));
    }

    fn uint(&mut self, c: &mut Cell, n: &Spanned<u64>) {
        let t = self.number(n.span, n.node);
        self.word(c, n.span, t);
    }

    fn percent(&mut self, c: &mut Cell, n: &Spanned<f64>) {
        let t = format!("{}%", self.number(n.span, n.node));
        self.word(c, n.span, t);
    }

    fn value(&mut self, c: &mut Cell, v: &Value) {
        match v {
            Value::Int(n) => {
                let t = self.number(n.span, n.node);
                self.word(c, n.span, t);
            }
            Value::Ident(i) => self.ident(c, i),
            Value::Str(s) => self.string(c, s),
        }
    }

    fn values(&mut self, c: &mut Cell, vs: &[Value]) {
        self.open(c, "[");
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                self.glue(c, ",");
            }
            self.value(c, v);
        }
        self.glue(c, "]");
    }

    fn idents(&mut self, c: &mut Cell, ids: &[Ident]) {
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.glue(c, ",");
            }
            self.ident(c, id);
        }
    }

    fn calendar_ref(&mut self, c: &mut Cell, r: &CalendarRef) {
        self.ident(c, &r.name);
    }

    fn day_ranges(&mut self, c: &mut Cell, days: &[DayRange]) {
        for (i, d) in days.iter().enumerate() {
            if i > 0 {
                self.glue(c, ",");
            }
            self.word(c, d.from.span, d.from.node.clone());
            if let Some(to) = &d.to {
                self.glue(c, "..");
                self.word(c, to.span, to.node.clone());
                if let Some(t) = c.toks.last_mut() {
                    t.space = false;
                }
            }
        }
    }

    fn time_ranges(&mut self, c: &mut Cell, times: &[TimeRange]) {
        for (i, t) in times.iter().enumerate() {
            if i > 0 {
                self.glue(c, ",");
            }
            self.word(c, t.span, format!("{}-{}", t.start.node, t.end.node));
        }
    }

    fn duration(&mut self, c: &mut Cell, d: &Duration) {
        let t = self.number(d.amount.span, d.amount.node);
        self.word(c, d.amount.span, t);
        self.word(c, d.unit.span, d.unit.node.clone());
    }

    fn months(&mut self, c: &mut Cell, m: &Months) {
        self.uint(c, &m.count);
        self.word(c, m.unit.span, m.unit.node.clone());
    }

    fn condition(&mut self, c: &mut Cell, cond: &Condition, parens: bool) {
        let parens = parens || self.parenthesized(cond.span());
        if parens {
            self.open(c, "(");
        }
        match cond {
            Condition::Or(parts, _) => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        self.kw(c, "or");
                    }
                    self.condition(c, p, matches!(p, Condition::Or(..)));
                }
            }
            Condition::And(parts, _) => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        self.kw(c, "and");
                    }
                    self.condition(c, p, matches!(p, Condition::Or(..) | Condition::And(..)));
                }
            }
            Condition::Not(inner, _) => {
                self.kw(c, "not");
                self.condition(
                    c,
                    inner,
                    matches!(**inner, Condition::Or(..) | Condition::And(..)),
                );
            }
            Condition::In { field, values, .. } => {
                self.ident(c, field);
                self.kw(c, "in");
                self.values(c, values);
            }
            Condition::Compare {
                field,
                negated,
                value,
                ..
            } => {
                self.ident(c, field);
                self.kw(c, if *negated { "!=" } else { "=" });
                self.value(c, value);
            }
            Condition::Empty { field, .. } => {
                self.ident(c, field);
                self.kw(c, "is");
                self.kw(c, "empty");
            }
            Condition::Inside {
                field,
                inside,
                calendar,
                ..
            } => {
                self.ident(c, field);
                self.kw(c, if *inside { "inside" } else { "outside" });
                self.calendar_ref(c, calendar);
            }
        }
        if parens {
            self.glue(c, ")");
        }
    }

    /// A selector as two cells: the priorities (or `all`) and the `when` part.
    fn selector(&mut self, s: &Selector) -> (Cell, Cell) {
        let mut pri = Cell::default();
        let mut when = Cell::default();
        self.cursor = s.span.start;
        if s.all {
            self.kw(&mut pri, "all");
        } else if s.priorities.len() == 1 {
            // `[p1]` and `p1` are the same selector; the brackets are for lists.
            let at = self.skip_trivia(self.cursor);
            if self.src.as_bytes().get(at) == Some(&b'[') {
                self.cursor = at + 1;
            }
            self.ident(&mut pri, &s.priorities[0]);
            let at = self.skip_trivia(self.cursor);
            if self.src.as_bytes().get(at) == Some(&b']') {
                self.cursor = at + 1;
            }
        } else if !s.priorities.is_empty() {
            self.open(&mut pri, "[");
            self.idents(&mut pri, &s.priorities);
            self.glue(&mut pri, "]");
        }
        if let Some(cond) = &s.when {
            self.kw(&mut when, "when");
            self.condition(&mut when, cond, false);
        }
        (pri, when)
    }

    fn selector_cell(&mut self, s: &Selector) -> Cell {
        let (mut a, b) = self.selector(s);
        a.append(b);
        a
    }

    // ------------------------------------------------------------ output

    fn end_line(&mut self) {
        if !self.line.trim().is_empty() {
            let code = self.line.trim_end().to_string();
            self.lines.push(Line {
                indent: self.line_indent,
                code,
                comment: None,
                block: self.block,
                blank: false,
            });
        }
        self.line.clear();
    }

    fn blank_line(&mut self) {
        self.end_line();
        if self.lines.last().is_some_and(|l| !l.blank) {
            self.lines.push(Line {
                indent: 0,
                code: String::new(),
                comment: None,
                block: self.block,
                blank: true,
            });
        }
    }

    /// Whether the author left an empty line right before offset `at`.
    fn blank_before(&self, at: usize) -> bool {
        let before = self.src.get(..at).unwrap_or("");
        let ws = &before[before.trim_end().len()..];
        ws.matches('\n').count() >= 2
    }

    /// A new line-level element (row or own-line comment) starts at `at`.
    fn gap_before(&mut self, at: usize) {
        if !self.at_block_start && (self.force_blank || self.blank_before(at)) {
            self.blank_line();
        }
        self.force_blank = false;
        self.at_block_start = false;
    }

    /// Emit the comments that start before `before`. `mid`: inside a row, so
    /// own-line comments go on continuation lines. Returns whether the
    /// current line was ended.
    fn flush_comments(&mut self, before: usize, mid: bool) -> bool {
        let mut broke = false;
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= before {
                break;
            }
            self.next_comment += 1;
            let text = c.text.clone();
            if !c.own_line {
                if !self.line.trim().is_empty() {
                    let indent = self.line_indent;
                    self.end_line();
                    if let Some(l) = self.lines.last_mut() {
                        l.comment = Some(text);
                    }
                    self.line_indent = indent;
                    broke = true;
                    continue;
                }
                if let Some(l) = self.lines.last_mut() {
                    if !l.blank && l.comment.is_none() {
                        l.comment = Some(text);
                        continue;
                    }
                }
            }
            // An own-line comment (or a trailing one with nothing to trail).
            let indent = if mid || !self.line.trim().is_empty() {
                broke = true;
                self.indent + CONTINUE
            } else {
                self.gap_before(c.start);
                self.indent
            };
            self.end_line();
            self.lines.push(Line {
                indent,
                code: text,
                comment: None,
                block: self.block,
                blank: false,
            });
        }
        broke
    }

    fn tok(&mut self, t: &Tok) {
        if self.flush_comments(t.at, true) || (self.broken && self.line.is_empty()) {
            self.broken = true;
            self.line_indent = self.indent + CONTINUE;
        }
        // A list breaks after a comma where the author broke it (one item
        // per line stays so), and where the next item would pass the width.
        if let Some(comma) = self.after_comma.take() {
            let authored = self
                .src
                .get(comma..t.at)
                .is_some_and(|between| between.contains('\n'));
            let width = self.line_indent + self.line.chars().count() + 1 + t.text.chars().count();
            if !self.line.trim().is_empty() && (authored || width > MAX_WIDTH) {
                self.end_line();
                self.broken = true;
                self.line_indent = self.indent + CONTINUE;
            }
        }
        if t.text == "," {
            self.after_comma = Some(t.at);
        }
        if !self.line.is_empty() && t.space {
            self.line.push(' ');
        }
        self.line.push_str(&t.text);
    }

    /// Emit one row, padding cell `i` to `w[i]` while the row is unbroken.
    fn row(&mut self, r: &Row, w: Option<&[usize]>) {
        self.end_line();
        self.after_comma = None;
        self.flush_comments(r.start, false);
        self.gap_before(r.start);
        self.broken = false;
        self.line_indent = self.indent;
        let mut col = 0;
        for (i, cell) in r.cells.iter().enumerate() {
            if i > 0 {
                // A column that is empty in every row takes no room at all.
                let prev = w.and_then(|w| w.get(i - 1)).copied().unwrap_or(0);
                if prev > 0 {
                    col += prev + r.gaps[i];
                }
            }
            if cell.toks.is_empty() {
                continue;
            }
            if let Some(first) = cell.toks.first() {
                // Comments before the cell come first, so padding follows them.
                if self.flush_comments(first.at, true) {
                    self.broken = true;
                    self.line_indent = self.indent + CONTINUE;
                }
            }
            if !self.line.is_empty() {
                let len = self.line.chars().count();
                if w.is_some() && !self.broken && len < col {
                    self.line.push_str(&" ".repeat(col - len));
                } else {
                    self.line.push_str(&" ".repeat(r.gaps[i].max(1)));
                }
            }
            for t in &cell.toks {
                self.tok(t);
            }
        }
        self.end_line();
    }

    /// Metrics, one row each in aligned columns; a metric too wide for one
    /// line keeps its name, ends and first option on it and puts each
    /// further option on a continuation line of its own.
    fn metric_rows(&mut self, rows: Vec<Row>) {
        const HEAD: usize = 4;
        let one_line = |r: &Row| r.cells.iter().map(|c| c.width() + 1).sum::<usize>();
        let split: Vec<(Row, Vec<Cell>)> = rows
            .into_iter()
            .map(|mut r| {
                if r.cells.len() > HEAD && self.indent + one_line(&r) > MAX_WIDTH {
                    let tail = r.cells.split_off(HEAD);
                    r.gaps.truncate(HEAD);
                    (r, tail)
                } else {
                    (r, Vec::new())
                }
            })
            .collect();
        let heads: Vec<Row> = split.iter().map(|(r, _)| r.clone()).collect();
        let w = widths(&heads);
        for (head, tail) in &split {
            self.row(head, Some(&w));
            self.indent += CONTINUE;
            for cell in tail {
                let start = cell.toks.first().map_or(head.start, |t| t.at);
                self.row(&Row::one(start, cell.clone()), None);
            }
            self.indent -= CONTINUE;
        }
    }

    fn rows(&mut self, rows: &[Row], align: bool) {
        let w = widths(rows);
        for r in rows {
            self.row(r, align.then_some(w.as_slice()));
        }
    }

    /// `header {` … `}` with `body` printed inside; `{}` when there is
    /// nothing inside, not even a comment.
    fn block(&mut self, mut header: Cell, span: Span, empty: bool, body: impl FnOnce(&mut Self)) {
        let start = header.toks.first().map_or(span.start, |t| t.at);
        let open = self.locate("{");
        let close = if self.src.as_bytes().get(span.end.wrapping_sub(1)) == Some(&b'}') {
            span.end - 1
        } else {
            span.end
        };
        if empty && !self.has_comment_in(open, close) {
            header.push(open, "{}", true);
            self.row(&Row::one(start, header), None);
            return;
        }
        header.push(open, "{", true);
        self.row(&Row::one(start, header), None);
        self.indent += INDENT;
        self.blocks.push(self.block);
        self.block_count += 1;
        self.block = self.block_count;
        self.at_block_start = true;
        body(self);
        self.end_line();
        self.flush_comments(close, false);
        self.indent -= INDENT;
        self.block = self.blocks.pop().unwrap_or(0);
        self.at_block_start = false;
        self.broken = false;
        self.line_indent = self.indent;
        self.tok(&Tok {
            at: close,
            text: "}".into(),
            space: false,
        });
        self.end_line();
    }

    fn finish(mut self) -> String {
        self.end_line();
        // Trailing comments of one block, in lines not parted by an empty
        // line, start in one column.
        let mut col = vec![0; self.lines.len()];
        let mut i = 0;
        while i < self.lines.len() {
            let mut j = i;
            while j < self.lines.len()
                && !self.lines[j].blank
                && self.lines[j].block == self.lines[i].block
            {
                j += 1;
            }
            let width = self.lines[i..j]
                .iter()
                .filter(|l| l.comment.is_some())
                .map(|l| l.indent + l.code.chars().count())
                .max()
                .unwrap_or(0);
            for c in &mut col[i..j] {
                *c = width + COMMENT_GAP;
            }
            i = j.max(i + 1);
        }
        let mut out = String::new();
        for (l, col) in self.lines.iter().zip(col) {
            if l.blank {
                out.push('\n');
                continue;
            }
            let mut s = " ".repeat(l.indent);
            s.push_str(&l.code);
            if let Some(c) = &l.comment {
                let len = s.chars().count();
                s.push_str(&" ".repeat(col.saturating_sub(len).max(1)));
                s.push_str(c);
            }
            out.push_str(&s);
            out.push('\n');
        }
        // No blank line at the end.
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    // ------------------------------------------------------------ items

    fn file(&mut self, file: &File) {
        self.items(&file.items);
        // A comment after the last item keeps the author's spacing.
        self.force_blank = false;
        self.end_line();
        self.flush_comments(usize::MAX, false);
    }

    /// Top-level items (or those of a version), a blank line between blocks;
    /// runs of one-line items of one kind stay together.
    fn items(&mut self, items: &[Item]) {
        let mut i = 0;
        while i < items.len() {
            let kind = compact(&items[i]);
            let mut j = i + 1;
            if kind.is_some() {
                while j < items.len()
                    && compact(&items[j]) == kind
                    && !has_blank_line(
                        self.src
                            .get(
                                self.after_last_token(items[j].span().start)..items[j].span().start,
                            )
                            .unwrap_or(""),
                    )
                {
                    j += 1;
                }
            }
            if i > 0 {
                self.force_blank = true;
            }
            if kind.is_some() {
                let rows: Vec<Row> = items[i..j].iter().map(|it| self.line_item(it)).collect();
                if kind == Some(Compact::Metric) {
                    self.metric_rows(rows);
                } else {
                    let align = kind == Some(Compact::Objective);
                    self.rows(&rows, align);
                }
            } else {
                self.item(&items[i]);
            }
            i = j;
        }
    }

    /// A one-line item as a row (cells for the columns of a run).
    fn line_item(&mut self, item: &Item) -> Row {
        let start = item.span().start;
        self.cursor = start;
        let mut r = Row::new(start);
        match item {
            Item::Metric(m) => self.metric_cells(&mut r, m),
            Item::Objective(o) => self.objective_cells(&mut r, o),
            Item::Exclusion(x) => {
                let mut a = Cell::default();
                self.kw(&mut a, "exclude");
                if !x.metrics.is_empty() {
                    self.kw(&mut a, "from");
                    self.idents(&mut a, &x.metrics);
                }
                self.kw(&mut a, "when");
                self.condition(&mut a, &x.when, false);
                self.kw(&mut a, "as");
                self.string(&mut a, &x.reason);
                r.add(a, 1);
            }
            Item::Calendar(c) => {
                let mut a = Cell::default();
                self.kw(&mut a, "calendar");
                self.ident(&mut a, &c.name);
                if let CalendarBody::Complement(r) = &c.body {
                    self.kw(&mut a, "=");
                    self.kw(&mut a, "outside");
                    self.calendar_ref(&mut a, r);
                }
                r.add(a, 1);
            }
            _ => {}
        }
        r
    }

    /// A metric: its name, start and stop, then a cell per option in the
    /// order written.
    fn metric_cells(&mut self, r: &mut Row, m: &Metric) {
        let mut a = Cell::default();
        self.kw(&mut a, "metric");
        self.ident(&mut a, &m.name);
        r.add(a, 1);
        let mut b = Cell::default();
        self.kw(&mut b, "from");
        if m.from_each.is_some() {
            self.kw(&mut b, "each");
        }
        self.ident(&mut b, &m.from);
        r.add(b, 1);
        let c = self.metric_stop(m);
        r.add(c, 1);
        let mut opts: Vec<(usize, MetricOption)> = Vec::new();
        if let Some(cal) = &m.calendar {
            opts.push((cal.name.span.start, MetricOption::Calendar));
        }
        if let Some((_, span)) = &m.pause {
            opts.push((span.start, MetricOption::Pause));
        }
        if let Some((_, span)) = &m.target_at {
            opts.push((span.start, MetricOption::TargetAt));
        }
        if let Some((_, span)) = &m.resolved {
            opts.push((span.start, MetricOption::Resolved));
        }
        if let Some(span) = m.new_cycle {
            opts.push((span.start, MetricOption::NewCycle));
        }
        opts.sort_by_key(|(at, _)| *at);
        for (_, which) in opts {
            let d = self.metric_option(m, which);
            r.add(d, 1);
        }
    }

    /// `to` and where a metric stops: a field, a repeated activity, or the
    /// earliest of several.
    fn metric_stop(&mut self, m: &Metric) -> Cell {
        let mut c = Cell::default();
        self.kw(&mut c, "to");
        let Some(e) = &m.earliest else {
            if let Some(w) = &m.to_repeat {
                self.kw(&mut c, &w.node);
            }
            self.ident(&mut c, &m.to);
            return c;
        };
        self.kw(&mut c, "earliest");
        self.kw(&mut c, "of");
        for (i, alt) in e.alternatives.iter().enumerate() {
            if i > 0 {
                self.glue(&mut c, ",");
            }
            match alt {
                StopAlt::Instant(id) => self.ident(&mut c, id),
                StopAlt::Status(values, _) => {
                    self.kw(&mut c, "status");
                    self.kw(&mut c, "in");
                    self.values(&mut c, values);
                }
            }
        }
        c
    }

    /// One option of a metric, as its own cell.
    fn metric_option(&mut self, m: &Metric, which: MetricOption) -> Cell {
        let mut d = Cell::default();
        match which {
            MetricOption::Calendar => {
                if let Some(cal) = &m.calendar {
                    self.kw(&mut d, "in");
                    self.calendar_ref(&mut d, cal);
                }
            }
            MetricOption::Pause => {
                if let Some((vals, span)) = &m.pause {
                    self.cursor = span.start;
                    for k in ["paused", "while", "status", "in"] {
                        self.kw(&mut d, k);
                    }
                    self.values(&mut d, vals);
                }
            }
            MetricOption::TargetAt => {
                if let Some((w, span)) = &m.target_at {
                    self.cursor = span.start;
                    for k in ["target", "set", "at"] {
                        self.kw(&mut d, k);
                    }
                    self.word(&mut d, w.span, w.node.clone());
                }
            }
            MetricOption::Resolved => {
                if let Some((vals, span)) = &m.resolved {
                    self.cursor = span.start;
                    for k in ["resolved", "while", "status", "in"] {
                        self.kw(&mut d, k);
                    }
                    self.values(&mut d, vals);
                }
            }
            MetricOption::NewCycle => {
                if let Some(span) = m.new_cycle {
                    self.cursor = span.start;
                    for k in ["new", "cycle", "on", "reopening"] {
                        self.kw(&mut d, k);
                    }
                }
            }
        }
        d
    }

    /// An objective: its name, metric, selector, share and period.
    fn objective_cells(&mut self, r: &mut Row, o: &Objective) {
        let mut a = Cell::default();
        self.kw(&mut a, "objective");
        self.string(&mut a, &o.name);
        r.add(a, 1);
        let mut b = Cell::default();
        self.ident(&mut b, &o.metric);
        r.add(b, 1);
        let mut c = Cell::default();
        self.kw(&mut c, "for");
        let sel = self.selector_cell(&o.selector);
        c.append(sel);
        r.add(c, 1);
        let mut d = Cell::default();
        self.kw(&mut d, "at");
        self.kw(&mut d, "least");
        self.percent(&mut d, &o.required);
        r.add(d, 1);
        if let Some(p) = &o.period {
            let mut e = Cell::default();
            self.kw(&mut e, "per");
            self.word(&mut e, p.span, p.node.clone());
            r.add(e, 1);
        }
    }

    fn item(&mut self, item: &Item) {
        self.cursor = item.span().start;
        match item {
            Item::Contract(c) => {
                let mut h = Cell::default();
                self.kw(&mut h, "contract");
                self.string(&mut h, &c.name);
                self.block(h, c.span, c.items.is_empty(), |p| p.header_items(&c.items));
            }
            Item::Calendar(cal) => self.calendar_block(item, cal),
            Item::Fields(f) => {
                let mut h = Cell::default();
                self.kw(&mut h, "fields");
                self.block(h, f.span, f.fields.is_empty(), |p| {
                    let rows: Vec<Row> = f.fields.iter().map(|d| p.field(d)).collect();
                    p.rows(&rows, true);
                });
            }
            Item::Priority(pr) => {
                let mut h = Cell::default();
                self.kw(&mut h, "priority");
                self.kw(&mut h, "from");
                for (i, f) in pr.from.iter().enumerate() {
                    if i > 0 {
                        self.kw(&mut h, "x");
                    }
                    self.ident(&mut h, f);
                }
                let empty = pr.levels.is_empty() && pr.matrices.is_empty();
                self.block(h, pr.span, empty, |p| p.priority_body(pr));
            }
            Item::Closure(c) => self.closure_block(c),
            Item::Targets(t) => {
                let mut h = Cell::default();
                self.kw(&mut h, "targets");
                if t.first_match.is_some() {
                    self.kw(&mut h, "first");
                    self.kw(&mut h, "match");
                }
                if let Some(p) = &t.period {
                    self.kw(&mut h, "per");
                    self.word(&mut h, p.span, p.node.clone());
                }
                self.block(h, t.span, t.rows.is_empty(), |p| p.target_rows(&t.rows));
            }
            Item::Escalation(e) => {
                let mut h = Cell::default();
                self.kw(&mut h, "escalation");
                self.block(h, e.span, e.items.is_empty(), |p| {
                    for it in &e.items {
                        let r = p.escalation_item(it);
                        p.row(&r, None);
                    }
                });
            }
            Item::Availability(a) => self.availability_block(a),
            Item::Changes(ch) => {
                let mut h = Cell::default();
                self.kw(&mut h, "changes");
                self.block(h, ch.span, ch.items.is_empty(), |p| {
                    for it in &ch.items {
                        let r = p.change_item(it);
                        p.row(&r, None);
                    }
                });
            }
            Item::Credits(cr) => {
                let mut h = Cell::default();
                self.kw(&mut h, "credits");
                self.block(h, cr.span, cr.items.is_empty(), |p| {
                    for it in &cr.items {
                        let r = p.credits_item(it);
                        p.row(&r, None);
                    }
                });
            }
            Item::Metric(_) | Item::Objective(_) | Item::Exclusion(_) => {
                let r = self.line_item(item);
                self.row(&r, None);
            }
            Item::Version(v) => {
                let mut h = Cell::default();
                self.kw(&mut h, "version");
                self.string(&mut h, &v.name);
                self.kw(&mut h, "from");
                self.word(&mut h, v.from.span, v.from.node.clone());
                self.block(h, v.span, v.items.is_empty(), |p| {
                    p.items(&v.items);
                    p.force_blank = false;
                });
            }
        }
    }

    /// A calendar: its weekly hours, its complement (one line), or the
    /// calendars a field chooses.
    fn calendar_block(&mut self, item: &Item, cal: &Calendar) {
        match &cal.body {
            CalendarBody::Weekly(items) => {
                let mut h = Cell::default();
                self.kw(&mut h, "calendar");
                self.ident(&mut h, &cal.name);
                self.block(h, cal.span, items.is_empty(), |p| {
                    for it in items {
                        let r = p.calendar_item(it);
                        p.row(&r, None);
                    }
                });
            }
            CalendarBody::Complement(_) => {
                let r = self.line_item(item);
                self.row(&r, None);
            }
            CalendarBody::ByField { field, rows } => {
                let mut h = Cell::default();
                self.kw(&mut h, "calendar");
                self.ident(&mut h, &cal.name);
                self.kw(&mut h, "by");
                self.ident(&mut h, field);
                self.block(h, cal.span, rows.is_empty(), |p| {
                    let rows: Vec<Row> = rows.iter().map(|r| p.choice_row(r)).collect();
                    p.rows(&rows, true);
                });
            }
        }
    }

    /// A closure rule: who confirms, and when it closes by itself.
    fn closure_block(&mut self, c: &Closure) {
        let mut h = Cell::default();
        self.kw(&mut h, "closure");
        self.ident(&mut h, &c.name);
        self.block(h, c.span, false, |p| {
            let mut a = Cell::default();
            for k in ["confirmed", "by"] {
                p.kw(&mut a, k);
            }
            p.ident(&mut a, &c.confirmed);
            let a_at = a.toks.first().map_or(c.span.start, |t| t.at);
            p.row(&Row::one(a_at, a), None);
            let mut b = Cell::default();
            p.kw(&mut b, "automatically");
            p.uint(&mut b, &c.after.count);
            p.word(&mut b, c.after.unit.span, c.after.unit.node.clone());
            p.kw(&mut b, "after");
            p.ident(&mut b, &c.from);
            let b_at = b.toks.first().map_or(c.span.start, |t| t.at);
            p.row(&Row::one(b_at, b), None);
        });
    }

    /// An availability block, with the credit tiers of its windows.
    fn availability_block(&mut self, a: &Availability) {
        let mut h = Cell::default();
        self.kw(&mut h, "availability");
        self.ident(&mut h, &a.service);
        if let Some(per) = &a.period {
            self.kw(&mut h, "per");
            self.word(&mut h, per.span, per.node.clone());
        }
        self.block(h, a.span, a.items.is_empty(), |p| {
            for it in &a.items {
                let r = p.availability_item(it);
                p.row(&r, None);
                if let AvailabilityItem::Window { tiers, .. } = it {
                    p.credit_tiers(tiers);
                }
            }
        });
    }

    fn header_items(&mut self, items: &[HeaderItem]) {
        // Runs of `link` lines with nothing between them align their URLs.
        let mut run: Vec<Row> = Vec::new();
        let mut last_end = 0;
        for it in items {
            let (row, end, is_link) = self.header_item(it);
            let joined = is_link
                && !run.is_empty()
                && !self.has_comment_in(last_end, row.start)
                && !self.blank_before(row.start);
            if !joined && !run.is_empty() {
                let rows = std::mem::take(&mut run);
                self.rows(&rows, true);
            }
            if is_link {
                run.push(row);
            } else {
                self.row(&row, None);
            }
            last_end = end;
        }
        self.rows(&run, true);
    }

    fn header_item(&mut self, it: &HeaderItem) -> (Row, usize, bool) {
        let mut c = Cell::default();
        let (start, end) = match it {
            HeaderItem::Provider(s) | HeaderItem::Customer(s) | HeaderItem::Timezone(s) => {
                let kw = match it {
                    HeaderItem::Provider(_) => "provider",
                    HeaderItem::Customer(_) => "customer",
                    _ => "timezone",
                };
                let start = self.prev_token_end(s.span.start).unwrap_or(0);
                self.cursor = start.saturating_sub(kw.len());
                self.kw(&mut c, kw);
                self.string(&mut c, s);
                (c.toks[0].at, s.span.end)
            }
            HeaderItem::Effective(d) => {
                let start = self.prev_token_end(d.span.start).unwrap_or(0);
                self.cursor = start.saturating_sub("effective".len());
                self.kw(&mut c, "effective");
                self.word(&mut c, d.span, d.node.clone());
                (c.toks[0].at, d.span.end)
            }
            HeaderItem::Term(m) | HeaderItem::Notice(m) => {
                let kw = if matches!(it, HeaderItem::Term(_)) {
                    "term"
                } else {
                    "notice"
                };
                let start = self.prev_token_end(m.span.start).unwrap_or(0);
                self.cursor = start.saturating_sub(kw.len());
                self.kw(&mut c, kw);
                self.months(&mut c, m);
                (c.toks[0].at, m.span.end)
            }
            HeaderItem::Export(name) => {
                let start = self.prev_token_end(name.span.start).unwrap_or(0);
                self.cursor = start.saturating_sub("export".len());
                self.kw(&mut c, "export");
                self.ident(&mut c, name);
                (c.toks[0].at, name.span.end)
            }
            HeaderItem::Renewal(m, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "renews");
                match m {
                    None => self.kw(&mut c, "automatically"),
                    Some(m) => {
                        self.kw(&mut c, "every");
                        self.months(&mut c, m);
                    }
                }
                (span.start, span.end)
            }
            HeaderItem::Link { name, url, span } => {
                self.cursor = span.start;
                self.kw(&mut c, "link");
                let mut r = Row::new(span.start);
                r.add(c, 1);
                let mut n = Cell::default();
                self.ident(&mut n, name);
                r.add(n, 1);
                let mut u = Cell::default();
                self.string(&mut u, url);
                r.add(u, 1);
                return (r, span.end, true);
            }
        };
        (Row::one(start, c), end, false)
    }

    fn calendar_item(&mut self, it: &CalendarItem) -> Row {
        let mut c = Cell::default();
        let start = match it {
            CalendarItem::Timezone(s) => {
                let start = self.prev_token_end(s.span.start).unwrap_or(0);
                self.cursor = start.saturating_sub("timezone".len());
                self.kw(&mut c, "timezone");
                self.string(&mut c, s);
                c.toks[0].at
            }
            CalendarItem::Open(o) => {
                self.cursor = o.span.start;
                self.kw(&mut c, "open");
                self.day_ranges(&mut c, &o.days);
                self.time_ranges(&mut c, &o.times);
                o.span.start
            }
            CalendarItem::Closed(rules, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "closed");
                self.kw(&mut c, "on");
                for (i, r) in rules.iter().enumerate() {
                    if i > 0 {
                        self.glue(&mut c, ",");
                    }
                    self.day_rule(&mut c, r);
                }
                span.start
            }
            CalendarItem::Reopened(dates, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "open");
                self.kw(&mut c, "on");
                for (i, d) in dates.iter().enumerate() {
                    if i > 0 {
                        self.glue(&mut c, ",");
                    }
                    self.word(&mut c, d.span, d.node.clone());
                }
                span.start
            }
        };
        Row::one(start, c)
    }

    fn day_rule(&mut self, c: &mut Cell, r: &DayRule) {
        match r {
            DayRule::Set(id) => {
                self.kw(c, "holidays");
                self.ident(c, id);
            }
            DayRule::Date(d) => self.word(c, d.span, d.node.clone()),
            DayRule::Easter { offset, span } => {
                self.cursor = span.start;
                self.kw(c, "easter");
                if offset.node != 0 {
                    let sign = if offset.node < 0 { "-" } else { "+" };
                    let n = self.number(offset.span, offset.node.unsigned_abs());
                    self.word(c, offset.span, format!("{sign}{n}"));
                }
            }
            DayRule::NthWeekday {
                ordinal,
                weekday,
                month,
                offset,
                ..
            } => {
                self.word(c, ordinal.span, ordinal.node.clone());
                self.word(c, weekday.span, weekday.node.clone());
                self.kw(c, "of");
                self.word(c, month.span, month.node.clone());
                if let Some(o) = offset {
                    let sign = if o.node < 0 { "-" } else { "+" };
                    let n = self.number(o.span, o.node.unsigned_abs());
                    self.word(c, o.span, format!("{sign}{n}"));
                }
            }
            DayRule::Annual {
                month,
                day,
                moved,
                every_years,
                ..
            } => {
                self.word(c, month.span, month.node.clone());
                self.uint(c, day);
                for m in moved {
                    self.kw(c, "if");
                    for (i, w) in m.weekdays.iter().enumerate() {
                        if i > 0 {
                            self.kw(c, "or");
                        }
                        self.word(c, w.span, w.node.clone());
                    }
                    self.kw(c, "then");
                    match &m.to {
                        MoveTarget::Date { month, day } => {
                            self.word(c, month.span, month.node.clone());
                            self.uint(c, day);
                        }
                        MoveTarget::NextWorkingDay(_) => {
                            for k in ["next", "working", "day"] {
                                self.kw(c, k);
                            }
                        }
                    }
                }
                if let Some(n) = every_years {
                    for k in ["in", "years", "divisible", "by"] {
                        self.kw(c, k);
                    }
                    self.uint(c, n);
                }
            }
        }
    }

    fn field(&mut self, d: &FieldDecl) -> Row {
        self.cursor = d.span.start;
        let mut r = Row::new(d.span.start);
        let mut a = Cell::default();
        self.ident(&mut a, &d.name);
        self.glue(&mut a, ":");
        r.add(a, 1);
        let mut b = Cell::default();
        match &d.ty {
            FieldType::Text(s) => self.word(&mut b, *s, "text"),
            FieldType::Integer(s) => self.word(&mut b, *s, "integer"),
            FieldType::Timestamp(s) => self.word(&mut b, *s, "timestamp"),
            FieldType::Status(s) => self.word(&mut b, *s, "status"),
            FieldType::Label(vals, s) => {
                self.word(&mut b, Span::new(s.start, s.start), "label");
                self.cursor = s.start + "label".len();
                self.values(&mut b, vals);
            }
        }
        // Modifiers in the order written.
        let opt_at = d.optional.map(|s| s.start);
        let col_at = d.column.as_ref().map(|c| {
            self.prev_token_end(c.span.start)
                .unwrap_or(0)
                .saturating_sub(4)
        });
        let mut mods: Vec<(usize, bool)> = Vec::new();
        if let Some(a) = opt_at {
            mods.push((a, true));
        }
        if let Some(a) = col_at {
            mods.push((a, false));
        }
        mods.sort();
        for (at, is_opt) in mods {
            self.cursor = at;
            if is_opt {
                self.kw(&mut b, "optional");
            } else if let Some(col) = &d.column {
                self.kw(&mut b, "from");
                self.string(&mut b, col);
            }
        }
        r.add(b, 1);
        r
    }

    fn priority_body(&mut self, pr: &Priority) {
        enum Entry<'a> {
            Level,
            Matrix(&'a Matrix),
        }
        let mut entries: Vec<(usize, Entry)> = pr
            .levels
            .iter()
            .map(|l| (l.span.start, Entry::Level))
            .chain(pr.matrices.iter().map(|m| (m.span.start, Entry::Matrix(m))))
            .collect();
        entries.sort_by_key(|e| e.0);
        let level_rows: Vec<Row> = pr.levels.iter().map(|l| self.level(l)).collect();
        let w = widths(&level_rows);
        let mut levels = level_rows.iter();
        for (_, e) in entries {
            match e {
                Entry::Level => {
                    if let Some(r) = levels.next() {
                        self.row(r, Some(&w));
                    }
                }
                Entry::Matrix(m) => {
                    self.cursor = m.span.start;
                    let mut h = Cell::default();
                    self.kw(&mut h, "matrix");
                    self.block(h, m.span, m.cells.is_empty(), |p| p.matrix(m));
                }
            }
        }
    }

    /// `us = new_york`, `[de, at] = berlin`: values, then the calendar, in columns.
    fn choice_row(&mut self, r: &ChoiceRow) -> Row {
        self.cursor = r.span.start;
        let mut row = Row::new(r.span.start);
        let mut a = Cell::default();
        match r.values.as_slice() {
            [one] => self.value(&mut a, one),
            many => self.values(&mut a, many),
        }
        row.add(a, 1);
        let mut b = Cell::default();
        self.kw(&mut b, "=");
        self.calendar_ref(&mut b, &r.calendar);
        row.add(b, 1);
        row
    }

    fn level(&mut self, l: &PriorityLevel) -> Row {
        self.cursor = l.span.start;
        let mut r = Row::new(l.span.start);
        let mut a = Cell::default();
        self.ident(&mut a, &l.name);
        r.add(a, 1);
        let mut b = Cell::default();
        self.string(&mut b, &l.description);
        r.add(b, 1);
        r
    }

    /// Matrix cells, one line per row value, in columns.
    fn matrix(&mut self, m: &Matrix) {
        let key = |v: &Value| match v {
            Value::Str(s) => quote(&s.node),
            other => other.text(),
        };
        let mut rows: Vec<Row> = Vec::new();
        let mut last: Option<String> = None;
        for cell in &m.cells {
            let k = key(&cell.row);
            let same = last.as_ref() == Some(&k);
            if !same {
                rows.push(Row::new(cell.span.start));
            }
            last = Some(k);
            self.cursor = cell.span.start;
            let Some(r) = rows.last_mut() else { continue };
            let first = r.cells.is_empty();
            let mut a = Cell::default();
            self.value(&mut a, &cell.row);
            r.add(a, if first { 1 } else { 3 });
            let mut x = Cell::default();
            self.kw(&mut x, "x");
            r.add(x, 1);
            let mut b = Cell::default();
            self.value(&mut b, &cell.column);
            r.add(b, 1);
            let mut e = Cell::default();
            self.kw(&mut e, "=");
            self.ident(&mut e, &cell.priority);
            r.add(e, 1);
        }
        self.rows(&rows, true);
    }

    fn target_clause(&mut self, cl: &TargetClause) -> [Cell; 3] {
        self.cursor = cl.span.start;
        let mut m = Cell::default();
        self.ident(&mut m, &cl.metric);
        let mut s = Cell::default();
        match &cl.spec {
            TargetSpec::Within {
                duration, calendar, ..
            } => {
                self.kw(&mut s, "within");
                self.duration(&mut s, duration);
                if let Some(c) = calendar {
                    self.kw(&mut s, "in");
                    self.calendar_ref(&mut s, c);
                }
            }
            TargetSpec::NextWorkingDay { calendar, .. } => {
                for k in ["by", "end", "of", "next", "working", "day"] {
                    self.kw(&mut s, k);
                }
                if let Some(c) = calendar {
                    self.kw(&mut s, "in");
                    self.calendar_ref(&mut s, c);
                }
            }
            TargetSpec::Untimed {
                best_effort, note, ..
            } => {
                // `best effort` and `untimed` mean the same; keep the words used.
                if *best_effort {
                    self.kw(&mut s, "best");
                    self.kw(&mut s, "effort");
                } else {
                    self.kw(&mut s, "untimed");
                }
                if let Some(n) = note {
                    self.string(&mut s, n);
                }
            }
            TargetSpec::NotApplicable(_) => {
                self.kw(&mut s, "not");
                self.kw(&mut s, "applicable");
            }
        }
        let mut f = Cell::default();
        if let Some(share) = &cl.share {
            self.kw(&mut f, "for");
            self.percent(&mut f, share);
        }
        [m, s, f]
    }

    /// Target rows: a table, one line per row, when that fits and no comment
    /// sits inside a row; otherwise each selector on a line with its clauses
    /// indented below it, clauses in columns.
    fn target_rows(&mut self, rows: &[TargetRow]) {
        let split = rows
            .iter()
            .all(|r| r.selector.all || !r.selector.priorities.is_empty());
        let mut selectors: Vec<Row> = Vec::new();
        let mut clauses: Vec<Vec<Row>> = Vec::new();
        for r in rows {
            let (a, b) = self.selector(&r.selector);
            let mut s = Row::new(r.span.start);
            if split {
                s.add(a, 1);
                s.add(b, 1);
            } else {
                let mut a = a;
                a.append(b);
                s.add(a, 1);
            }
            selectors.push(s);
            let mut cl = Vec::new();
            for c in &r.clauses {
                let [m, sp, f] = self.target_clause(c);
                let mut row = Row::new(c.span.start);
                row.add(m, 1);
                row.add(sp, 1);
                row.add(f, 1);
                cl.push(row);
            }
            clauses.push(cl);
        }
        // The table form. A condition reads into the clause after it unless
        // two spaces set them apart, so blocks with conditions get a wider gap.
        let first_gap = if rows.iter().any(|r| r.selector.when.is_some()) {
            2
        } else {
            1
        };
        let table: Vec<Row> = selectors
            .iter()
            .zip(&clauses)
            .map(|(s, cl)| {
                let mut row = s.clone();
                for (i, c) in cl.iter().enumerate() {
                    for (j, cell) in c.cells.iter().enumerate() {
                        let gap = match (i, j) {
                            (0, 0) => first_gap,
                            (_, 0) => 3,
                            _ => 1,
                        };
                        row.add(cell.clone(), gap);
                    }
                }
                row
            })
            .collect();
        let w = widths(&table);
        let fits = table
            .iter()
            .all(|r| self.indent + padded_width(r, &w) <= MAX_WIDTH);
        // Spans may run on over trailing whitespace and comments, so look
        // between the first and the last token of each row instead.
        let inner_comment = table.iter().any(|r| {
            let mut ats = r.cells.iter().flat_map(|c| c.toks.iter().map(|t| t.at));
            let first = ats.next().unwrap_or(0);
            let last = ats.last().unwrap_or(first);
            self.has_comment_in(first, last)
        });
        if fits && !inner_comment {
            for r in &table {
                self.row(r, Some(&w));
            }
            return;
        }
        let sw = widths(&selectors);
        let all_clauses: Vec<Row> = clauses.iter().flatten().cloned().collect();
        let cw = widths(&all_clauses);
        for (s, cl) in selectors.iter().zip(&clauses) {
            self.row(s, Some(&sw));
            self.indent += INDENT;
            for c in cl {
                self.row(c, Some(&cw));
            }
            self.indent -= INDENT;
        }
    }

    fn escalation_item(&mut self, it: &EscalationItem) -> Row {
        let mut c = Cell::default();
        let start = match it {
            EscalationItem::Available(r, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "available");
                self.calendar_ref(&mut c, r);
                span.start
            }
            EscalationItem::Contact {
                channel,
                address,
                span,
            } => {
                self.cursor = span.start;
                self.kw(&mut c, "contact");
                self.ident(&mut c, channel);
                self.string(&mut c, address);
                span.start
            }
            EscalationItem::Level {
                level,
                role,
                triggers,
                span,
            } => {
                self.cursor = span.start;
                self.kw(&mut c, "level");
                self.uint(&mut c, level);
                self.string(&mut c, role);
                if !triggers.is_empty() {
                    self.kw(&mut c, "on");
                }
                for (i, t) in triggers.iter().enumerate() {
                    if i > 0 {
                        self.glue(&mut c, ",");
                    }
                    match t {
                        Trigger::Breached { metric, .. } => {
                            self.ident(&mut c, metric);
                            self.kw(&mut c, "breached");
                        }
                        Trigger::Used {
                            percent, metric, ..
                        } => {
                            self.percent(&mut c, percent);
                            self.kw(&mut c, "of");
                            self.ident(&mut c, metric);
                            self.kw(&mut c, "used");
                        }
                        Trigger::When(cond) => self.condition(&mut c, cond, false),
                    }
                }
                span.start
            }
            EscalationItem::Carries(ids, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "carries");
                self.idents(&mut c, ids);
                span.start
            }
            EscalationItem::Owner(s, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "owner");
                self.string(&mut c, s);
                span.start
            }
        };
        Row::one(start, c)
    }

    fn availability_item(&mut self, it: &AvailabilityItem) -> Row {
        let mut c = Cell::default();
        let start = match it {
            AvailabilityItem::Window {
                required,
                outside,
                calendar,
                span,
                ..
            } => {
                self.cursor = span.start;
                self.percent(&mut c, required);
                self.kw(&mut c, if *outside { "outside" } else { "in" });
                self.calendar_ref(&mut c, calendar);
                span.start
            }
            AvailabilityItem::MaxInterruptions(n, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "at");
                self.kw(&mut c, "most");
                self.uint(&mut c, n);
                self.kw(&mut c, "interruptions");
                span.start
            }
            AvailabilityItem::Measured(d, span) => {
                self.cursor = span.start;
                self.kw(&mut c, "measured");
                self.kw(&mut c, "every");
                self.duration(&mut c, d);
                span.start
            }
        };
        Row::one(start, c)
    }

    /// The credit tiers of a window, one a line under it, indented and
    /// aligned as a table (`credit 10%  below 99.99%`).
    fn credit_tiers(&mut self, tiers: &[CreditTier]) {
        if tiers.is_empty() {
            return;
        }
        let rows: Vec<Row> = tiers
            .iter()
            .map(|t| {
                self.cursor = t.span.start;
                let (mut a, mut b, mut c) = (Cell::default(), Cell::default(), Cell::default());
                self.kw(&mut a, "credit");
                self.percent(&mut a, &t.credit);
                self.kw(&mut b, "below");
                self.percent(&mut b, &t.below);
                if let Some(low) = &t.at_least {
                    self.kw(&mut c, "but");
                    self.kw(&mut c, "at");
                    self.kw(&mut c, "least");
                    self.percent(&mut c, low);
                }
                let mut r = Row::new(t.span.start);
                r.add(a, 1);
                r.add(b, 1);
                r.add(c, 1);
                r
            })
            .collect();
        self.indent += INDENT;
        self.rows(&rows, true);
        self.indent -= INDENT;
    }

    fn money(&mut self, c: &mut Cell, m: &Money) {
        let text = self.number(m.amount.span, m.amount.node);
        self.word(c, m.amount.span, text);
        self.ident(c, &m.currency);
    }

    fn credit_amount(&mut self, c: &mut Cell, a: &CreditAmount) {
        match a {
            CreditAmount::Percent(p) => self.percent(c, p),
            CreditAmount::Money(m) => self.money(c, m),
        }
    }

    fn credits_item(&mut self, it: &CreditsItem) -> Row {
        let mut c = Cell::default();
        let start = match it {
            CreditsItem::Fee {
                amount,
                period,
                span,
            } => {
                self.cursor = span.start;
                self.kw(&mut c, "fee");
                self.money(&mut c, amount);
                if let Some(per) = period {
                    self.kw(&mut c, "per");
                    self.word(&mut c, per.span, per.node.clone());
                }
                span.start
            }
            CreditsItem::PerMissedObjective {
                credit,
                cap,
                cap_period,
                span,
            } => {
                self.cursor = span.start;
                self.credit_amount(&mut c, credit);
                for w in ["for", "each", "missed", "objective"] {
                    self.kw(&mut c, w);
                }
                if let Some(cap) = cap {
                    self.glue(&mut c, ",");
                    self.kw(&mut c, "at");
                    self.kw(&mut c, "most");
                    self.credit_amount(&mut c, cap);
                    if let Some(per) = cap_period {
                        self.kw(&mut c, "per");
                        self.word(&mut c, per.span, per.node.clone());
                    }
                }
                span.start
            }
        };
        Row::one(start, c)
    }

    fn change_item(&mut self, it: &ChangeItem) -> Row {
        let mut c = Cell::default();
        let start = match it {
            ChangeItem::GoLive { days, times, span }
            | ChangeItem::Exception { days, times, span } => {
                self.cursor = span.start;
                if matches!(it, ChangeItem::GoLive { .. }) {
                    self.kw(&mut c, "go");
                    self.kw(&mut c, "live");
                } else {
                    self.kw(&mut c, "by");
                    self.kw(&mut c, "exception");
                }
                self.day_ranges(&mut c, days);
                self.time_ranges(&mut c, times);
                span.start
            }
            ChangeItem::LeadTime {
                min_hours,
                max_hours,
                weeks,
                span,
            } => {
                self.cursor = span.start;
                self.kw(&mut c, "lead");
                self.kw(&mut c, "time");
                match max_hours {
                    // `up to N` and `0 to N` read the same in the tree; keep the words used.
                    Some(max) if self.slice(min_hours.span).starts_with("up") => {
                        self.kw(&mut c, "up");
                        self.kw(&mut c, "to");
                        self.uint(&mut c, max);
                    }
                    Some(max) => {
                        self.uint(&mut c, min_hours);
                        self.kw(&mut c, "to");
                        self.uint(&mut c, max);
                    }
                    None => {
                        self.kw(&mut c, "over");
                        self.uint(&mut c, min_hours);
                    }
                }
                self.kw(&mut c, "hours");
                self.glue(&mut c, ":");
                if weeks.is_empty() {
                    self.kw(&mut c, "agreed");
                }
                for (i, w) in weeks.iter().enumerate() {
                    if i > 0 {
                        self.glue(&mut c, ",");
                    }
                    self.uint(&mut c, &w.min);
                    self.glue(&mut c, "..");
                    self.uint(&mut c, &w.max);
                    if let Some(t) = c.toks.last_mut() {
                        t.space = false;
                    }
                    self.kw(&mut c, "weeks");
                    self.kw(&mut c, "at");
                    self.ident(&mut c, &w.load);
                    self.kw(&mut c, "load");
                }
                span.start
            }
        };
        Row::one(start, c)
    }
}

/// The options a metric may have after its stop, each a cell of its own.
enum MetricOption {
    /// `in CALENDAR`
    Calendar,
    /// `paused while status in [...]`
    Pause,
    /// `target set at FIELD`
    TargetAt,
    /// `resolved while status in [...]`
    Resolved,
    /// `new cycle on reopening`
    NewCycle,
}
