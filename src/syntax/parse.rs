//! From pest's parse tree to the AST, with recovery at top-level items.
//!
//! The grammar is parsed in one go when it can be. When it cannot, the source
//! is cut at every top-level keyword that stands outside braces, strings and
//! comments, and each piece is parsed on its own: a syntax error then costs
//! only the block it is in.

use pest::iterators::Pair;
use pest::Parser;

use super::ast::*;
use super::scan::{self, Kind};
use super::{Grammar, Rule};
use crate::diagnostic::{Code, Diagnostic};

/// Parse a contract. Always returns a tree (possibly missing the items that
/// did not parse) and the syntax errors found.
pub fn parse(src: &str) -> (File, Vec<Diagnostic>) {
    // Nesting beyond any real contract would exhaust the stack of the
    // recursive descent: such a block is refused before it is parsed.
    let deep = too_deep(src).is_some();
    if let Some(mut pairs) = (!deep)
        .then(|| Grammar::parse(Rule::file, src).ok())
        .flatten()
    {
        let b = Builder { base: 0 };
        let items = pairs
            .next()
            .map(|file| file.into_inner().filter_map(|p| b.item(p)).collect())
            .unwrap_or_default();
        let file = File {
            items,
            broken: Vec::new(),
        };
        return (file, Vec::new());
    }
    parse_by_item(src)
}

/// [`parse`] one top-level item at a time: the parser's working memory is
/// that of the largest item rather than of the whole file, and a broken item
/// leaves the others parsed (so this is also how errors are recovered from).
/// The formatter parses this way: on a contract of megabytes the whole-file
/// parse holds tens of bytes per byte of input.
pub fn parse_by_item(src: &str) -> (File, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let (broken, diagnostics) = parse_items_with(src, |item| items.push(item));
    (File { items, broken }, diagnostics)
}

/// [`parse_by_item`] handing each item to `each` as it is parsed, in order,
/// instead of keeping them: for a caller that needs one item at a time (the
/// formatter comparing its output with its input). Returns the blocks that
/// did not parse and the diagnostics.
pub fn parse_items_with(src: &str, mut each: impl FnMut(Item)) -> (Vec<Broken>, Vec<Diagnostic>) {
    let mut broken = Vec::new();
    let mut diagnostics = Vec::new();
    for (start, end) in chunks(src) {
        let text = &src[start..end];
        if text_is_blank(text) {
            continue;
        }
        if let Some(at) = too_deep(text) {
            diagnostics.push(
                Diagnostic::new(Code::Syntax, format!("nested more than {MAX_DEPTH} levels deep"))
                    .primary(Span::new(start + at, start + at + 1), "too deep")
                    .help("write the condition with fewer parentheses or `not`s; `and`, `or` and `in [..]` need no nesting"),
            );
            broken.push(broken_item(text, start));
            continue;
        }
        match parse_item(text, start) {
            Ok(item) => item.into_iter().for_each(&mut each),
            Err(e) => {
                // A block followed by stray text: keep the block, report the text.
                if let Some(cut) = block_end(text).filter(|&c| !text_is_blank(&text[c..])) {
                    if let Ok(item) = parse_item(&text[..cut], start) {
                        item.into_iter().for_each(&mut each);
                        diagnostics.push(stray_text(src, start + cut));
                        continue;
                    }
                }
                diagnostics.push(syntax_error(src, start, text, &e));
                broken.push(broken_item(text, start));
            }
        }
    }
    (broken, diagnostics)
}

fn parse_item(text: &str, base: usize) -> Result<Option<Item>, Box<pest::error::Error<Rule>>> {
    let mut pairs = Grammar::parse(Rule::item_only, text).map_err(Box::new)?;
    let b = Builder { base };
    Ok(pairs
        .next()
        .and_then(|p| p.into_inner().next())
        .and_then(|p| b.item(p)))
}

/// How deep brackets and `not`s may nest.
const MAX_DEPTH: usize = 64;

/// Where `text` first nests brackets, or chains `not`s, deeper than
/// [`MAX_DEPTH`], outside strings and comments.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut nots) = (0usize, 0usize);
    for t in scan::tokens(text) {
        match (t.kind, &text[t.start..t.end]) {
            (Kind::Punct, "(" | "[" | "{") => depth += 1,
            (Kind::Punct, ")" | "]" | "}") => depth = depth.saturating_sub(1),
            (Kind::Word, "not") => nots += 1,
            (Kind::Word, _) => nots = 0,
            _ => {}
        }
        if depth > MAX_DEPTH || nots > MAX_DEPTH {
            return Some(t.start);
        }
    }
    None
}

/// What a block that did not parse declared: its keyword, and the name
/// after it for the blocks that have one (`calendar office`, `metric response`).
fn broken_item(text: &str, base: usize) -> Broken {
    let mut words = text
        .lines()
        .map(|l| comment_start(l).map_or(l, |i| &l[..i]))
        .flat_map(str::split_whitespace);
    let keyword = words.next().unwrap_or("").to_string();
    let named = matches!(
        keyword.as_str(),
        "calendar" | "metric" | "closure" | "availability"
    );
    let name = words
        .next()
        .filter(|_| named)
        .map(|w| w.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_string);
    let offset = text.len() - text.trim_start().len();
    Broken {
        keyword,
        name,
        span: Span::new(base + offset, base + offset),
    }
}

/// The end of the first balanced `{ ... }` of a block, outside strings and comments.
fn block_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for t in scan::tokens(text).filter(|t| t.kind == Kind::Punct) {
        match &text[t.start..t.end] {
            "{" => depth += 1,
            "}" if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return Some(t.end);
                }
            }
            _ => {}
        }
    }
    None
}

/// Text after a complete block where the next block should start.
fn stray_text(src: &str, after: usize) -> Diagnostic {
    let rest = &src[after..];
    let at = after + (rest.len() - rest.trim_start().len());
    let word: String = src[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    Diagnostic::new(
        Code::Syntax,
        format!(
            "expected a top-level block (`contract`, `calendar`, `metric`, ...), found `{word}`"
        ),
    )
    .primary(Span::new(at, at + word.len()), "not part of any block")
    .help("remove it, or make it a comment with `#`")
}

const TOP_LEVEL: &[&str] = &[
    "contract",
    "calendar",
    "fields",
    "priority",
    "metric",
    "targets",
    "objective",
    "exclude",
    "closure",
    "escalation",
    "availability",
    "changes",
    "credits",
    "version",
];

/// Byte ranges of the top-level items: cut before each top-level keyword at
/// brace depth 0, outside strings and comments.
fn chunks(src: &str) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    let mut depth = 0usize;
    for t in scan::tokens(src) {
        let text = &src[t.start..t.end];
        match t.kind {
            Kind::Punct if text == "{" => depth += 1,
            Kind::Punct if text == "}" => depth = depth.saturating_sub(1),
            Kind::Word if TOP_LEVEL.contains(&text) && t.start > 0 => {
                let before = src[..t.start].trim_end_matches([' ', '\t']);
                let at_line_start = before.ends_with(['\n', '\r']);
                let after_block = before.ends_with('}');
                // `priority: label [..]` in a fields block is a field, not an item.
                let next = src[t.end..].trim_start().chars().next();
                let opens_item = !matches!(next, Some(':' | '=' | ',' | ']'));
                // A top-level keyword opens a new item when it starts a line
                // (or follows a closed block) at depth 0, and also at the
                // start of a line when a block above was left unclosed. A
                // keyword in the middle of a line is a name (`priority from
                // priority`), so it never cuts.
                let starts_item =
                    (depth == 0 && (at_line_start || after_block)) || (depth > 0 && at_line_start);
                if opens_item && starts_item {
                    depth = 0;
                    cuts.push(t.start);
                }
            }
            _ => {}
        }
    }
    cuts.push(src.len());
    cuts.dedup();
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

fn text_is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        // A byte-order mark is whitespace, as in the grammar.
        let l = l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        l.is_empty() || l.starts_with('#')
    })
}

fn syntax_error(src: &str, base: usize, chunk: &str, e: &pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((a, _)) => a,
    };
    let at = base + pos;
    // Point at the whole word (or character) found there.
    let rest = &src[at.min(src.len())..];
    let word_len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or_else(|| rest.chars().next().map(char::len_utf8).unwrap_or(0));
    let at_end = rest.is_empty() || pos >= chunk.trim_end().len();
    // The block was cut short by a top-level keyword at the start of a line
    // (`priority label [a]` in `fields`, missing its colon): name the word,
    // not "the end of this block", and say how it was read.
    let cut_by = at_end
        .then(|| {
            src[(base + chunk.len()).min(src.len())..]
                .split_whitespace()
                .next()
        })
        .flatten()
        .filter(|w| TOP_LEVEL.contains(w) && chunk.contains('{') && block_end(chunk).is_none());
    let found = match cut_by {
        Some(w) => format!("`{w}`, which starts a new `{w}` block on its line"),
        None if at_end => "the end of this block".to_string(),
        None => format!("`{}`", &rest[..word_len]),
    };
    // pest lists the rules it expected, never the literal `}`; an unclosed
    // block shows as braces that do not balance.
    let unclosed = at_end && chunk.contains('{') && block_end(chunk).is_none();
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives.iter().map(|r| describe(*r)).collect();
            names.sort();
            names.dedup();
            if unclosed {
                names.push("`}`".into());
            }
            names
        }
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    let expected_text = match expected.len() {
        0 => "something else".to_string(),
        1 => expected[0].clone(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    };
    let span = Span::new(at, at + word_len);
    let mut d = Diagnostic::new(
        Code::Syntax,
        format!("expected {expected_text}, found {found}"),
    )
    .primary(span, format!("expected {expected_text}"));
    if let Some(first) = chunk.split_whitespace().next() {
        if TOP_LEVEL.contains(&first) {
            d = d.secondary(
                Span::new(base, base + first.len()),
                format!("in this `{first}` block"),
            );
        }
    }
    match (cut_by, chunk.split_whitespace().next()) {
        (Some(w), Some(block)) => {
            d = d.help(format!(
                "if `{w}` belongs to this `{block}` block, finish its line as the block expects (in `fields`: `{w}: TYPE`); otherwise close the `{block}` block with `}}` before it"
            ));
        }
        _ if unclosed => {
            d = d.help("a block opened with `{` must be closed with `}`");
        }
        _ => {}
    }
    d
}

/// How a grammar rule reads in an error message.
fn describe(rule: Rule) -> String {
    let name = format!("{rule:?}");
    if let Some(kw) = name.strip_prefix("kw_") {
        return format!("`{kw}`");
    }
    match rule {
        Rule::ident => "a name".into(),
        Rule::string => "a quoted text".into(),
        Rule::int => "a whole number".into(),
        Rule::number | Rule::duration => "a number".into(),
        Rule::percent => "a percentage like `85%`".into(),
        Rule::date => "a date like `2025-01-31`".into(),
        Rule::time | Rule::time_range => "a time range like `09:00-17:00`".into(),
        Rule::weekday | Rule::day_set | Rule::day_range => {
            "a weekday like `mon` or `mon..fri`".into()
        }
        Rule::month => "a month like `apr`".into(),
        Rule::EOI => "the end of the file".into(),
        Rule::item | Rule::file | Rule::item_only => {
            "a top-level block (`contract`, `calendar`, `metric`, ...)".into()
        }
        Rule::calendar_ref => "a calendar name or `24x7`".into(),
        Rule::value | Rule::value_list => "a value or a list like `[a, b]`".into(),
        Rule::field_type => {
            "a field type (`text`, `integer`, `timestamp`, `status`, `label [..]`)".into()
        }
        Rule::duration_unit => {
            "a unit (`hours`, `minutes`, `working days`, `days`, `months`)".into()
        }
        Rule::span_unit => "`days` or `months`".into(),
        Rule::month_unit => "`months` or `years`".into(),
        Rule::period | Rule::per_period => "`per month`, `per quarter` or `per year`".into(),
        Rule::target_spec | Rule::within => {
            "`within`, `by end of next working day`, `untimed` or `not applicable`".into()
        }
        Rule::cmp_op => "`=`, `!=` or `in`".into(),
        Rule::inside_op | Rule::window_op => "`in`, `inside` or `outside`".into(),
        Rule::selector | Rule::priority_set => "a priority, `all` or `when ...`".into(),
        Rule::target_row | Rule::target_clause => {
            "a target row like `high response within 2 hours`".into()
        }
        Rule::condition | Rule::cond_and | Rule::cond_not => {
            "a condition like `cause = customer`".into()
        }
        Rule::ordinal => "an ordinal like `1st` or `last`".into(),
        Rule::always => "`24x7`".into(),
        Rule::money | Rule::credit_amount => {
            "a percentage like `10%` or an amount like `250 EUR`".into()
        }
        Rule::credit_tier => "a credit tier like `credit 10% below 99.99%`".into(),
        Rule::fee | Rule::missed_credit => {
            "`fee 2500 EUR per month` or `5% for each missed objective`".into()
        }
        // Rules that name a part of the grammar, said as the author writes it.
        Rule::calendar_body => {
            "`{` and the calendar's hours, like `calendar office { open mon..fri 09:00-17:00 }`"
                .into()
        }
        Rule::complement => "`not` and a calendar, like `= not office`".into(),
        Rule::field_decl => "a field like `opened_at: timestamp`".into(),
        Rule::header_item => "a header line (`provider`, `timezone`, `term`, `link`, ...)".into(),
        Rule::priority_level | Rule::priority_item => {
            "a priority like `high \"what it means\"`, or `matrix { ... }`".into()
        }
        Rule::matrix_cell => "a matrix cell like `high x low = medium`".into(),
        Rule::version_item => {
            "a block the version changes (`targets`, `calendar`, `metric`, ...)".into()
        }
        _ => {
            if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                format!("`{}`", name.replace('_', " "))
            } else {
                name
            }
        }
    }
}

/// Builds AST nodes from pest pairs; `base` shifts spans when a piece of the
/// source was parsed on its own.
struct Builder {
    base: usize,
}

type P<'i> = Pair<'i, Rule>;

impl Builder {
    fn span(&self, p: &P) -> Span {
        let s = p.as_span();
        // A rule that ends in an optional part that did not match has eaten
        // the whitespace and comments before it; the node ends before them.
        let end = s.start() + trimmed_len(p.as_str());
        Span::new(self.base + s.start(), self.base + end)
    }

    fn text(&self, p: &P) -> Spanned<String> {
        Spanned {
            node: p.as_str().to_string(),
            span: self.span(p),
        }
    }

    fn ident(&self, p: &P) -> Ident {
        self.text(p)
    }

    fn string(&self, p: &P) -> Spanned<String> {
        let raw = p.as_str();
        let inner = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        Spanned {
            node: unescape(inner),
            span: self.span(p),
        }
    }

    fn uint(&self, p: &P) -> Spanned<u64> {
        // Digits only by the grammar; an absurdly long number saturates and the
        // checker reports it as out of range.
        Spanned {
            node: p.as_str().trim().parse().unwrap_or(u64::MAX),
            span: self.span(p),
        }
    }

    fn float(&self, p: &P) -> Spanned<f64> {
        let t = p.as_str().trim_end_matches('%');
        Spanned {
            node: t.parse().unwrap_or(f64::NAN),
            span: self.span(p),
        }
    }

    /// The children of `p` with the given rule, in order.
    fn all<'i>(&self, p: &P<'i>, rule: Rule) -> Vec<P<'i>> {
        p.clone()
            .into_inner()
            .filter(|c| c.as_rule() == rule)
            .collect()
    }

    fn first<'i>(&self, p: &P<'i>, rule: Rule) -> Option<P<'i>> {
        p.clone().into_inner().find(|c| c.as_rule() == rule)
    }

    fn idents(&self, p: &P) -> Vec<Ident> {
        self.all(p, Rule::ident)
            .iter()
            .map(|c| self.ident(c))
            .collect()
    }

    fn item(&self, p: P) -> Option<Item> {
        Some(match p.as_rule() {
            Rule::contract => Item::Contract(self.contract(p)),
            Rule::calendar => Item::Calendar(self.calendar(p)),
            Rule::fields => Item::Fields(self.fields(p)),
            Rule::priority => Item::Priority(self.priority(p)),
            Rule::metric => Item::Metric(self.metric(p)),
            Rule::closure => Item::Closure(self.closure(p)),
            Rule::targets => Item::Targets(self.targets(p)),
            Rule::objective => Item::Objective(self.objective(p)),
            Rule::exclusion => Item::Exclusion(self.exclusion(p)),
            Rule::escalation => Item::Escalation(self.escalation(p)),
            Rule::availability => Item::Availability(self.availability(p)),
            Rule::changes => Item::Changes(self.changes(p)),
            Rule::credits => Item::Credits(self.credits(p)),
            Rule::version => Item::Version(self.version(p)),
            _ => return None,
        })
    }

    fn version(&self, p: P) -> Version {
        let span = self.span(&p);
        let name = self
            .first(&p, Rule::string)
            .map(|s| self.string(&s))
            .unwrap_or_else(|| blank(span));
        let from = self
            .first(&p, Rule::date)
            .map(|d| self.text(&d))
            .unwrap_or_else(|| blank(span));
        let items = p.into_inner().filter_map(|c| self.item(c)).collect();
        Version {
            name,
            from,
            items,
            span,
        }
    }

    fn contract(&self, p: P) -> Contract {
        let span = self.span(&p);
        let mut name = None;
        let mut items = Vec::new();
        for c in p.into_inner() {
            let s = self.span(&c);
            match c.as_rule() {
                Rule::string => name = Some(self.string(&c)),
                Rule::provider => items.extend(
                    self.first(&c, Rule::string)
                        .map(|x| HeaderItem::Provider(self.string(&x))),
                ),
                Rule::customer => items.extend(
                    self.first(&c, Rule::string)
                        .map(|x| HeaderItem::Customer(self.string(&x))),
                ),
                Rule::timezone => items.extend(
                    self.first(&c, Rule::string)
                        .map(|x| HeaderItem::Timezone(self.string(&x))),
                ),
                Rule::effective => items.extend(
                    self.first(&c, Rule::date)
                        .map(|x| HeaderItem::Effective(self.text(&x))),
                ),
                Rule::term => items.extend(
                    self.first(&c, Rule::months)
                        .map(|x| HeaderItem::Term(self.months(x))),
                ),
                Rule::notice => items.extend(
                    self.first(&c, Rule::months)
                        .map(|x| HeaderItem::Notice(self.months(x))),
                ),
                Rule::renewal => items.push(HeaderItem::Renewal(
                    self.first(&c, Rule::months).map(|x| self.months(x)),
                    s,
                )),
                Rule::export => items.extend(
                    self.first(&c, Rule::ident)
                        .map(|x| HeaderItem::Export(self.ident(&x))),
                ),
                Rule::link => {
                    if let (Some(n), Some(u)) =
                        (self.first(&c, Rule::ident), self.first(&c, Rule::string))
                    {
                        items.push(HeaderItem::Link {
                            name: self.ident(&n),
                            url: self.string(&u),
                            span: s,
                        });
                    }
                }
                _ => {}
            }
        }
        let name = name.unwrap_or(blank(span));
        Contract { name, items, span }
    }

    fn months(&self, p: P) -> Months {
        let span = self.span(&p);
        let count = self
            .first(&p, Rule::int)
            .map(|x| self.uint(&x))
            .unwrap_or(Spanned { node: 0, span });
        let unit = self
            .first(&p, Rule::month_unit)
            .map(|x| self.text(&x))
            .unwrap_or(blank(span));
        Months { count, unit, span }
    }

    fn calendar_ref(&self, p: &P) -> CalendarRef {
        CalendarRef { name: self.text(p) }
    }

    fn calendar(&self, p: P) -> Calendar {
        let span = self.span(&p);
        let name = self
            .first(&p, Rule::ident)
            .map(|x| self.ident(&x))
            .unwrap_or(blank(span));
        let body = if let Some(c) = self.first(&p, Rule::complement) {
            let r = self
                .first(&c, Rule::calendar_ref)
                .map(|x| self.calendar_ref(&x));
            CalendarBody::Complement(r.unwrap_or(CalendarRef { name: blank(span) }))
        } else if let Some(c) = self.first(&p, Rule::chosen_by) {
            let field = self
                .first(&c, Rule::ident)
                .map(|x| self.ident(&x))
                .unwrap_or(blank(span));
            let rows = self
                .all(&c, Rule::choice_row)
                .iter()
                .map(|r| {
                    // `[de, at] = berlin`, or one value: the row's own
                    // `value` (the list's are nested deeper).
                    let values = match self.first(r, Rule::value_list) {
                        Some(list) => self.values(Some(list)),
                        None => self.values(Some(r.clone())),
                    };
                    ChoiceRow {
                        values,
                        calendar: self
                            .first(r, Rule::calendar_ref)
                            .map(|x| self.calendar_ref(&x))
                            .unwrap_or(CalendarRef { name: blank(span) }),
                        span: self.span(r),
                    }
                })
                .collect();
            CalendarBody::ByField { field, rows }
        } else {
            let mut items = Vec::new();
            if let Some(b) = self.first(&p, Rule::calendar_body) {
                for c in b.into_inner() {
                    let s = self.span(&c);
                    match c.as_rule() {
                        Rule::timezone => items.extend(
                            self.first(&c, Rule::string)
                                .map(|x| CalendarItem::Timezone(self.string(&x))),
                        ),
                        Rule::opening => items.push(CalendarItem::Open(Opening {
                            days: self.day_set(&c),
                            times: self.time_ranges(&c),
                            span: s,
                        })),
                        Rule::closed => {
                            let rules = c
                                .clone()
                                .into_inner()
                                .filter_map(|r| self.day_rule(r))
                                .collect();
                            items.push(CalendarItem::Closed(rules, s));
                        }
                        Rule::reopened => {
                            let dates = self
                                .all(&c, Rule::date)
                                .iter()
                                .map(|d| self.text(d))
                                .collect();
                            items.push(CalendarItem::Reopened(dates, s));
                        }
                        _ => {}
                    }
                }
            }
            CalendarBody::Weekly(items)
        };
        Calendar { name, body, span }
    }

    fn day_set(&self, p: &P) -> Vec<DayRange> {
        let Some(set) = self.first(p, Rule::day_set) else {
            return Vec::new();
        };
        self.all(&set, Rule::day_range)
            .iter()
            .map(|r| {
                let days = self.all(r, Rule::weekday);
                let from = days
                    .first()
                    .map(|d| self.text(d))
                    .unwrap_or_else(|| blank(self.span(r)));
                DayRange {
                    from,
                    to: days.get(1).map(|d| self.text(d)),
                    span: self.span(r),
                }
            })
            .collect()
    }

    fn time_ranges(&self, p: &P) -> Vec<TimeRange> {
        self.all(p, Rule::time_range)
            .iter()
            .map(|r| {
                let t = self.all(r, Rule::time);
                let s = self.span(r);
                let get = |i: usize| t.get(i).map(|x| self.text(x)).unwrap_or(blank(s));
                TimeRange {
                    start: get(0),
                    end: get(1),
                    span: s,
                }
            })
            .collect()
    }

    /// The `sign int` inside `p` (`+ 1`, `-2`), if it has one.
    fn signed(&self, p: &P) -> Option<Spanned<i64>> {
        let n = self.first(p, Rule::int).map(|x| self.uint(&x))?;
        let negative = self.first(p, Rule::sign).is_some_and(|s| s.as_str() == "-");
        let v = i64::try_from(n.node).unwrap_or(i64::MAX);
        Some(Spanned {
            node: if negative { -v } else { v },
            span: n.span,
        })
    }

    fn day_rule(&self, p: P) -> Option<DayRule> {
        let span = self.span(&p);
        Some(match p.as_rule() {
            Rule::holiday_set => DayRule::Set(self.ident(&self.first(&p, Rule::set_name)?)),
            Rule::date => DayRule::Date(self.text(&p)),
            Rule::easter => {
                let offset = self.signed(&p).unwrap_or(Spanned { node: 0, span });
                DayRule::Easter { offset, span }
            }
            Rule::nth_weekday => DayRule::NthWeekday {
                ordinal: self.text(&self.first(&p, Rule::ordinal)?),
                weekday: self.text(&self.first(&p, Rule::weekday)?),
                month: self.text(&self.first(&p, Rule::month)?),
                offset: self.signed(&p),
                span,
            },
            Rule::annual => {
                let moved = self
                    .all(&p, Rule::moved)
                    .into_iter()
                    .filter_map(|m| {
                        let to = match self.first(&m, Rule::next_working) {
                            Some(n) => MoveTarget::NextWorkingDay(self.span(&n)),
                            None => MoveTarget::Date {
                                month: self.text(&self.first(&m, Rule::month)?),
                                day: self.uint(&self.first(&m, Rule::int)?),
                            },
                        };
                        Some(MovedTo {
                            weekdays: self
                                .all(&m, Rule::weekday)
                                .iter()
                                .map(|w| self.text(w))
                                .collect(),
                            to,
                            span: self.span(&m),
                        })
                    })
                    .collect();
                let every_years = self
                    .first(&p, Rule::every_years)
                    .and_then(|e| self.first(&e, Rule::int))
                    .map(|x| self.uint(&x));
                DayRule::Annual {
                    month: self.text(&self.first(&p, Rule::month)?),
                    day: self.uint(&self.first(&p, Rule::int)?),
                    moved,
                    every_years,
                    span,
                }
            }
            _ => return None,
        })
    }

    fn fields(&self, p: P) -> Fields {
        let span = self.span(&p);
        let fields = self
            .all(&p, Rule::field_decl)
            .into_iter()
            .filter_map(|d| {
                let s = self.span(&d);
                let name = self.ident(&self.first(&d, Rule::ident)?);
                let t = self.first(&d, Rule::field_type)?.into_inner().next()?;
                let ts = self.span(&t);
                let ty = match t.as_rule() {
                    Rule::type_text => FieldType::Text(ts),
                    Rule::type_integer => FieldType::Integer(ts),
                    Rule::type_timestamp => FieldType::Timestamp(ts),
                    Rule::type_status => FieldType::Status(ts),
                    _ => FieldType::Label(self.values(self.first(&t, Rule::value_list)), ts),
                };
                Some(FieldDecl {
                    name,
                    ty,
                    optional: self.first(&d, Rule::optional).map(|o| self.span(&o)),
                    column: self
                        .first(&d, Rule::column)
                        .and_then(|c| self.first(&c, Rule::string))
                        .map(|c| self.string(&c)),
                    span: s,
                })
            })
            .collect();
        Fields { fields, span }
    }

    fn values(&self, list: Option<P>) -> Vec<Value> {
        let Some(list) = list else { return Vec::new() };
        self.all(&list, Rule::value)
            .into_iter()
            .filter_map(|v| self.value(v))
            .collect()
    }

    fn value(&self, v: P) -> Option<Value> {
        let inner = v.into_inner().next()?;
        Some(match inner.as_rule() {
            Rule::int => {
                let n = self.uint(&inner);
                Value::Int(Spanned {
                    node: i64::try_from(n.node).unwrap_or(i64::MAX),
                    span: n.span,
                })
            }
            Rule::string => Value::Str(self.string(&inner)),
            _ => Value::Ident(self.ident(&inner)),
        })
    }

    fn priority(&self, p: P) -> Priority {
        let span = self.span(&p);
        let from = self.idents(&p);
        let levels = self
            .all(&p, Rule::priority_level)
            .iter()
            .filter_map(|l| {
                Some(PriorityLevel {
                    name: self.ident(&self.first(l, Rule::ident)?),
                    description: self.string(&self.first(l, Rule::string)?),
                    span: self.span(l),
                })
            })
            .collect();
        let matrices = self
            .all(&p, Rule::matrix)
            .iter()
            .map(|m| Matrix {
                cells: self
                    .all(m, Rule::matrix_cell)
                    .into_iter()
                    .filter_map(|c| {
                        let s = self.span(&c);
                        let vals = self.all(&c, Rule::value);
                        let mut vals = vals.into_iter();
                        Some(MatrixCell {
                            row: self.value(vals.next()?)?,
                            column: self.value(vals.next()?)?,
                            priority: self.ident(&self.first(&c, Rule::ident)?),
                            span: s,
                        })
                    })
                    .collect(),
                span: self.span(m),
            })
            .collect();
        Priority {
            from,
            levels,
            matrices,
            span,
        }
    }

    fn metric(&self, p: P) -> Metric {
        let span = self.span(&p);
        let ids = self.idents(&p);
        let pause = self
            .first(&p, Rule::pause)
            .map(|x| (self.values(self.first(&x, Rule::value_list)), self.span(&x)));
        let earliest = self.first(&p, Rule::earliest).map(|e| Earliest {
            alternatives: self
                .all(&e, Rule::stop_alt)
                .iter()
                .filter_map(|a| {
                    let inner = a.clone().into_inner().next()?;
                    Some(match inner.as_rule() {
                        Rule::status_stop => StopAlt::Status(
                            self.values(self.first(&inner, Rule::value_list)),
                            self.span(&inner),
                        ),
                        _ => StopAlt::Instant(self.ident(&inner)),
                    })
                })
                .collect(),
            span: self.span(&e),
        });
        let to = match self.first(&p, Rule::earliest) {
            // The clause with its line breaks and runs of spaces made one
            // space, so that `sla fmt` wrapping a long one keeps its tree.
            Some(e) => {
                let mut t = self.text(&e);
                t.node = one_space(&t.node);
                t
            }
            None => ids.get(2).cloned().unwrap_or_else(|| blank(span)),
        };
        Metric {
            name: ids.first().cloned().unwrap_or_else(|| blank(span)),
            from: ids.get(1).cloned().unwrap_or_else(|| blank(span)),
            to,
            earliest,
            calendar: self
                .first(&p, Rule::metric_cal)
                .and_then(|c| self.first(&c, Rule::calendar_ref))
                .map(|c| self.calendar_ref(&c)),
            pause,
            target_at: self.first(&p, Rule::target_set).and_then(|x| {
                let w = self.first(&x, Rule::clock_end)?;
                Some((
                    Spanned {
                        node: w.as_str().to_string(),
                        span: self.span(&w),
                    },
                    self.span(&x),
                ))
            }),
            resolved: self
                .first(&p, Rule::resolved_set)
                .map(|x| (self.values(self.first(&x, Rule::value_list)), self.span(&x))),
            new_cycle: self.first(&p, Rule::new_cycle).map(|x| self.span(&x)),
            from_each: self.first(&p, Rule::from_each).map(|x| self.span(&x)),
            to_repeat: self.first(&p, Rule::to_repeat).map(|x| Spanned {
                node: x.as_str().trim().to_string(),
                span: self.span(&x),
            }),
            span,
        }
    }

    fn closure(&self, p: P) -> Closure {
        let span = self.span(&p);
        let ids = self.idents(&p);
        let after = self
            .first(&p, Rule::span)
            .map(|s| self.cal_span(&s))
            .unwrap_or(CalSpan {
                count: Spanned { node: 0, span },
                unit: blank(span),
                span,
            });
        Closure {
            name: ids.first().cloned().unwrap_or_else(|| blank(span)),
            confirmed: ids.get(1).cloned().unwrap_or_else(|| blank(span)),
            from: ids.get(2).cloned().unwrap_or_else(|| blank(span)),
            after,
            span,
        }
    }

    fn cal_span(&self, s: &P) -> CalSpan {
        let span = self.span(s);
        CalSpan {
            count: self
                .first(s, Rule::int)
                .map(|x| self.uint(&x))
                .unwrap_or(Spanned { node: 0, span }),
            unit: self
                .first(s, Rule::span_unit)
                .map(|x| self.text(&x))
                .unwrap_or(blank(span)),
            span,
        }
    }

    fn period(&self, p: &P) -> Option<Spanned<String>> {
        self.first(p, Rule::per_period)
            .and_then(|x| self.first(&x, Rule::period))
            .map(|x| self.text(&x))
    }

    fn targets(&self, p: P) -> Targets {
        let span = self.span(&p);
        let rows = self
            .all(&p, Rule::target_row)
            .into_iter()
            .filter_map(|r| {
                let s = self.span(&r);
                let selector = self.selector(self.first(&r, Rule::selector)?);
                let clauses = self
                    .all(&r, Rule::target_clause)
                    .into_iter()
                    .filter_map(|c| self.target_clause(c))
                    .collect();
                Some(TargetRow {
                    selector,
                    clauses,
                    span: s,
                })
            })
            .collect();
        Targets {
            period: self.period(&p),
            first_match: self.first(&p, Rule::first_match).map(|f| self.span(&f)),
            rows,
            span,
        }
    }

    fn selector(&self, p: P) -> Selector {
        let span = self.span(&p);
        let all = self.first(&p, Rule::all).is_some();
        let priorities = self
            .first(&p, Rule::priority_set)
            .map(|ps| {
                let direct = self.idents(&ps);
                if direct.is_empty() {
                    self.first(&ps, Rule::ident_list)
                        .map(|l| self.idents(&l))
                        .unwrap_or_default()
                } else {
                    direct
                }
            })
            .unwrap_or_default();
        let when = self
            .first(&p, Rule::when)
            .and_then(|w| self.first(&w, Rule::condition))
            .map(|c| self.condition(c));
        Selector {
            all,
            priorities,
            when,
            span,
        }
    }

    fn target_clause(&self, c: P) -> Option<TargetClause> {
        let span = self.span(&c);
        let metric = self.ident(&self.first(&c, Rule::ident)?);
        let spec_pair = self.first(&c, Rule::target_spec)?.into_inner().next()?;
        let ss = self.span(&spec_pair);
        let cal = |x: &P| {
            self.first(x, Rule::in_calendar)
                .and_then(|i| self.first(&i, Rule::calendar_ref))
                .map(|r| self.calendar_ref(&r))
        };
        let spec = match spec_pair.as_rule() {
            Rule::within => TargetSpec::Within {
                duration: self.duration(&self.first(&spec_pair, Rule::duration)?),
                calendar: cal(&spec_pair),
                span: ss,
            },
            Rule::by_next_day => TargetSpec::NextWorkingDay {
                calendar: cal(&spec_pair),
                span: ss,
            },
            Rule::untimed => TargetSpec::Untimed {
                best_effort: self.first(&spec_pair, Rule::kw_best).is_some(),
                note: self
                    .first(&spec_pair, Rule::string)
                    .map(|x| self.string(&x)),
                span: ss,
            },
            _ => TargetSpec::NotApplicable(ss),
        };
        let share = self
            .first(&c, Rule::share)
            .and_then(|s| self.first(&s, Rule::percent))
            .map(|x| self.float(&x));
        Some(TargetClause {
            metric,
            spec,
            share,
            span,
        })
    }

    fn duration(&self, d: &P) -> Duration {
        let span = self.span(d);
        Duration {
            amount: self
                .first(d, Rule::number)
                .map(|x| self.float(&x))
                .unwrap_or(Spanned {
                    node: f64::NAN,
                    span,
                }),
            unit: self
                .first(d, Rule::duration_unit)
                .map(|x| {
                    // Fold "working   days" to one space.
                    let t = self.text(&x);
                    Spanned {
                        node: t.node.split_whitespace().collect::<Vec<_>>().join(" "),
                        span: t.span,
                    }
                })
                .unwrap_or(blank(span)),
            span,
        }
    }

    fn objective(&self, p: P) -> Objective {
        let span = self.span(&p);
        Objective {
            name: self
                .first(&p, Rule::string)
                .map(|x| self.string(&x))
                .unwrap_or_else(|| blank(span)),
            metric: self
                .first(&p, Rule::ident)
                .map(|x| self.ident(&x))
                .unwrap_or_else(|| blank(span)),
            selector: self
                .first(&p, Rule::selector)
                .map(|s| self.selector(s))
                .unwrap_or(Selector {
                    all: true,
                    priorities: Vec::new(),
                    when: None,
                    span,
                }),
            required: self
                .first(&p, Rule::percent)
                .map(|x| self.float(&x))
                .unwrap_or(Spanned {
                    node: f64::NAN,
                    span,
                }),
            period: self.period(&p),
            span,
        }
    }

    fn condition(&self, p: P) -> Condition {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::condition | Rule::cond_and => {
                let is_or = p.as_rule() == Rule::condition;
                let mut parts: Vec<Condition> = p
                    .into_inner()
                    .filter(|c| matches!(c.as_rule(), Rule::cond_and | Rule::cond_not))
                    .map(|c| self.condition(c))
                    .collect();
                if parts.len() == 1 {
                    parts.pop().unwrap_or(Condition::And(Vec::new(), span))
                } else if is_or {
                    Condition::Or(parts, span)
                } else {
                    Condition::And(parts, span)
                }
            }
            Rule::cond_not => match p.into_inner().next() {
                Some(inner) => self.condition(inner),
                None => Condition::And(Vec::new(), span),
            },
            Rule::negation => {
                let inner = self
                    .first(&p, Rule::cond_not)
                    .map(|c| self.condition(c))
                    .unwrap_or(Condition::And(Vec::new(), span));
                Condition::Not(Box::new(inner), span)
            }
            Rule::in_list => Condition::In {
                field: self
                    .first(&p, Rule::ident)
                    .map(|x| self.ident(&x))
                    .unwrap_or(blank(span)),
                values: self.values(self.first(&p, Rule::value_list)),
                span,
            },
            Rule::compare => {
                let negated = self
                    .first(&p, Rule::cmp_op)
                    .is_some_and(|o| o.as_str() == "!=");
                let field = self
                    .first(&p, Rule::ident)
                    .map(|x| self.ident(&x))
                    .unwrap_or(blank(span));
                let value = self
                    .first(&p, Rule::value)
                    .and_then(|v| self.value(v))
                    .unwrap_or(Value::Str(blank(span)));
                Condition::Compare {
                    field,
                    negated,
                    value,
                    span,
                }
            }
            Rule::is_empty => Condition::Empty {
                field: self
                    .first(&p, Rule::ident)
                    .map(|x| self.ident(&x))
                    .unwrap_or(blank(span)),
                span,
            },
            Rule::inside => {
                let field = self
                    .first(&p, Rule::ident)
                    .map(|x| self.ident(&x))
                    .unwrap_or(blank(span));
                let inside = self
                    .first(&p, Rule::inside_op)
                    .is_none_or(|o| o.as_str() == "inside");
                let calendar = self
                    .first(&p, Rule::calendar_ref)
                    .map(|c| self.calendar_ref(&c))
                    .unwrap_or(CalendarRef { name: blank(span) });
                Condition::Inside {
                    field,
                    inside,
                    calendar,
                    span,
                }
            }
            Rule::trigger_when => match self.first(&p, Rule::condition) {
                Some(c) => self.condition(c),
                None => Condition::And(Vec::new(), span),
            },
            _ => Condition::And(Vec::new(), span),
        }
    }

    fn exclusion(&self, p: P) -> Exclusion {
        let span = self.span(&p);
        Exclusion {
            metrics: self
                .first(&p, Rule::ident_list)
                .map(|l| self.idents(&l))
                .unwrap_or_default(),
            when: self
                .first(&p, Rule::condition)
                .map(|c| self.condition(c))
                .unwrap_or(Condition::And(Vec::new(), span)),
            reason: self
                .first(&p, Rule::string)
                .map(|x| self.string(&x))
                .unwrap_or(blank(span)),
            span,
        }
    }

    fn escalation(&self, p: P) -> Escalation {
        let span = self.span(&p);
        let mut items = Vec::new();
        for c in p.into_inner() {
            let s = self.span(&c);
            match c.as_rule() {
                Rule::available => {
                    if let Some(r) = self.first(&c, Rule::calendar_ref) {
                        items.push(EscalationItem::Available(self.calendar_ref(&r), s));
                    }
                }
                Rule::contact => {
                    if let (Some(ch), Some(a)) =
                        (self.first(&c, Rule::ident), self.first(&c, Rule::string))
                    {
                        items.push(EscalationItem::Contact {
                            channel: self.ident(&ch),
                            address: self.string(&a),
                            span: s,
                        });
                    }
                }
                Rule::level => {
                    let (Some(n), Some(role)) =
                        (self.first(&c, Rule::int), self.first(&c, Rule::string))
                    else {
                        continue;
                    };
                    let triggers = c
                        .clone()
                        .into_inner()
                        .filter_map(|t| {
                            let ts = self.span(&t);
                            match t.as_rule() {
                                Rule::breached => Some(Trigger::Breached {
                                    metric: self.ident(&self.first(&t, Rule::ident)?),
                                    span: ts,
                                }),
                                Rule::used => Some(Trigger::Used {
                                    percent: self.float(&self.first(&t, Rule::percent)?),
                                    metric: self.ident(&self.first(&t, Rule::ident)?),
                                    span: ts,
                                }),
                                Rule::trigger_when => Some(Trigger::When(self.condition(t))),
                                _ => None,
                            }
                        })
                        .collect();
                    items.push(EscalationItem::Level {
                        level: self.uint(&n),
                        role: self.string(&role),
                        triggers,
                        span: s,
                    });
                }
                Rule::carries => {
                    let ids = self
                        .first(&c, Rule::ident_list)
                        .map(|l| self.idents(&l))
                        .unwrap_or_default();
                    items.push(EscalationItem::Carries(ids, s));
                }
                Rule::owner => {
                    if let Some(o) = self.first(&c, Rule::string) {
                        items.push(EscalationItem::Owner(self.string(&o), s));
                    }
                }
                _ => {}
            }
        }
        Escalation { items, span }
    }

    fn availability(&self, p: P) -> Availability {
        let span = self.span(&p);
        let service = self
            .first(&p, Rule::ident)
            .map(|x| self.ident(&x))
            .unwrap_or(blank(span));
        let mut items = Vec::new();
        for c in p.clone().into_inner() {
            let s = self.span(&c);
            match c.as_rule() {
                Rule::avail_window => {
                    let (Some(pc), Some(op), Some(cal)) = (
                        self.first(&c, Rule::percent),
                        self.first(&c, Rule::window_op),
                        self.first(&c, Rule::calendar_ref),
                    ) else {
                        continue;
                    };
                    let tiers = self
                        .all(&c, Rule::credit_tier)
                        .iter()
                        .filter_map(|t| self.credit_tier(t))
                        .collect();
                    items.push(AvailabilityItem::Window {
                        required: self.float(&pc),
                        outside: op.as_str() == "outside",
                        calendar: self.calendar_ref(&cal),
                        tiers,
                        span: s,
                    });
                }
                Rule::max_interruptions => {
                    if let Some(n) = self.first(&c, Rule::int) {
                        items.push(AvailabilityItem::MaxInterruptions(self.uint(&n), s));
                    }
                }
                Rule::measured => {
                    if let Some(d) = self.first(&c, Rule::duration) {
                        items.push(AvailabilityItem::Measured(self.duration(&d), s));
                    }
                }
                _ => {}
            }
        }
        Availability {
            service,
            period: self.period(&p),
            items,
            span,
        }
    }

    fn credit_tier(&self, p: &P) -> Option<CreditTier> {
        let pcs = self.all(p, Rule::percent);
        Some(CreditTier {
            credit: self.float(pcs.first()?),
            below: self.float(pcs.get(1)?),
            at_least: pcs.get(2).map(|x| self.float(x)),
            span: self.span(p),
        })
    }

    fn credits(&self, p: P) -> Credits {
        let span = self.span(&p);
        let mut items = Vec::new();
        for c in p.into_inner() {
            let s = self.span(&c);
            match c.as_rule() {
                Rule::fee => {
                    if let Some(m) = self.first(&c, Rule::money).and_then(|m| self.money(&m)) {
                        items.push(CreditsItem::Fee {
                            amount: m,
                            period: self.period(&c),
                            span: s,
                        });
                    }
                }
                Rule::missed_credit => {
                    let Some(credit) = self
                        .first(&c, Rule::credit_amount)
                        .and_then(|x| self.credit_amount(&x))
                    else {
                        continue;
                    };
                    let cap = self.first(&c, Rule::credit_cap);
                    items.push(CreditsItem::PerMissedObjective {
                        credit,
                        cap: cap
                            .as_ref()
                            .and_then(|x| self.first(x, Rule::credit_amount))
                            .and_then(|x| self.credit_amount(&x)),
                        cap_period: cap.as_ref().and_then(|x| self.period(x)),
                        span: s,
                    });
                }
                _ => {}
            }
        }
        Credits { items, span }
    }

    fn money(&self, p: &P) -> Option<Money> {
        Some(Money {
            amount: self.float(&self.first(p, Rule::number)?),
            currency: self.ident(&self.first(p, Rule::ident)?),
            span: self.span(p),
        })
    }

    fn credit_amount(&self, p: &P) -> Option<CreditAmount> {
        match (self.first(p, Rule::percent), self.first(p, Rule::money)) {
            (Some(pc), _) => Some(CreditAmount::Percent(self.float(&pc))),
            (None, Some(m)) => self.money(&m).map(CreditAmount::Money),
            _ => None,
        }
    }

    fn changes(&self, p: P) -> Changes {
        let span = self.span(&p);
        let mut items = Vec::new();
        for c in p.into_inner() {
            let s = self.span(&c);
            match c.as_rule() {
                Rule::go_live => items.push(ChangeItem::GoLive {
                    days: self.day_set(&c),
                    times: self.time_ranges(&c),
                    span: s,
                }),
                Rule::exception => items.push(ChangeItem::Exception {
                    days: self.day_set(&c),
                    times: self.time_ranges(&c),
                    span: s,
                }),
                Rule::lead_time => {
                    let Some(wh) = self.first(&c, Rule::work_hours) else {
                        continue;
                    };
                    let (min_hours, max_hours) = if let Some(u) = self.first(&wh, Rule::up_to) {
                        (
                            Spanned {
                                node: 0,
                                span: self.span(&u),
                            },
                            self.first(&u, Rule::int).map(|x| self.uint(&x)),
                        )
                    } else if let Some(o) = self.first(&wh, Rule::over) {
                        (
                            self.first(&o, Rule::int)
                                .map(|x| self.uint(&x))
                                .unwrap_or(Spanned { node: 0, span: s }),
                            None,
                        )
                    } else {
                        let ns = self.all(&wh, Rule::int);
                        (
                            ns.first()
                                .map(|x| self.uint(x))
                                .unwrap_or(Spanned { node: 0, span: s }),
                            ns.get(1).map(|x| self.uint(x)),
                        )
                    };
                    let weeks = self
                        .all(&c, Rule::lead_weeks)
                        .iter()
                        .filter_map(|w| {
                            let ns = self.all(w, Rule::int);
                            Some(LeadWeeks {
                                min: self.uint(ns.first()?),
                                max: self.uint(ns.get(1)?),
                                load: self.ident(&self.first(w, Rule::ident)?),
                                span: self.span(w),
                            })
                        })
                        .collect();
                    items.push(ChangeItem::LeadTime {
                        min_hours,
                        max_hours,
                        weeks,
                        span: s,
                    });
                }
                _ => {}
            }
        }
        Changes { items, span }
    }
}

/// The length of `text` without trailing whitespace and trailing comments.
fn trimmed_len(text: &str) -> usize {
    let mut t = text.trim_end();
    loop {
        let line_start = t.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        match comment_start(&t[line_start..]) {
            Some(i) => t = t[..line_start + i].trim_end(),
            None => return t.len(),
        }
    }
}

/// Where a `#` comment starts in one line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    scan::tokens(line)
        .find(|t| t.kind == Kind::Comment)
        .map(|t| t.start)
}

/// An empty name or text where the tree needs one that the parse did not
/// give (a builder for a pair the grammar guarantees, kept total anyway).
fn blank(span: Span) -> Spanned<String> {
    Spanned {
        node: String::new(),
        span,
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with every run of whitespace outside a quoted string made one
/// space (a quoted status keeps its spelling).
fn one_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut quoted, mut space) = (false, false);
    for c in text.chars() {
        if !quoted && c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c == '"' {
            quoted = !quoted;
        }
        out.push(c);
    }
    out
}
