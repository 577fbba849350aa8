//! The checker: resolves names, checks types and values, and builds the typed
//! model of the contract (the pieces of a [`RuleSet`]) with a diagnostic for
//! everything it rejects or finds suspicious. It never stops at the first
//! problem: each block is checked as far as it can be.

mod calendar;
mod choice;
mod credits;
mod items;
mod names;
mod overlap;
mod policies;
mod resolution;
mod versions;

pub use names::{NameRef, Names, Sym};

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::rules::{self, ContractInfo, FieldKind, RuleSet, ALWAYS, SCHEMA};
use crate::syntax::ast::{self, Span, Spanned};
use crate::time::spec::CalendarSpec;

/// The result of checking: the model (complete only when there are no
/// errors) and every diagnostic, sorted by position.
pub struct Checked {
    /// The compiled rule set.
    pub rules: RuleSet,
    /// Every error and warning, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Every name's declaration and uses, as the checker resolved them.
    pub names: Names,
    /// The span of the target clause each of `rules.targets` was made from,
    /// in the same order: what an editor explains under the cursor.
    pub target_clauses: Vec<Span>,
}

impl Checked {
    /// Whether any diagnostic is an error (then `rules` is incomplete).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parse and check a contract's source in one go.
pub fn check_source(src: &str) -> Checked {
    let (file, diagnostics) = crate::syntax::parse(src);
    check_parsed(&file, diagnostics)
}

/// Check a parsed contract, its parse errors among the diagnostics: for a
/// caller that keeps the tree (an editor answering from it).
pub fn check_parsed(file: &ast::File, mut diagnostics: Vec<Diagnostic>) -> Checked {
    let mut checked = check(file);
    diagnostics.append(&mut checked.diagnostics);
    diagnostics.sort_by_key(|d| (d.span().start, d.span().end));
    checked.diagnostics = cap_per_block(diagnostics, file);
    checked
}

/// Diagnostics shown per top-level block: a generated contract with
/// thousands of bad rows gets the first of them and a count, not a report
/// (and an editor's problem list) that grows with every row.
const MAX_PER_BLOCK: usize = 100;

/// Keep the first [`MAX_PER_BLOCK`] diagnostics of each block (by position);
/// the last kept one says how many more of that block were left out.
fn cap_per_block(diagnostics: Vec<Diagnostic>, file: &ast::File) -> Vec<Diagnostic> {
    let mut starts: Vec<usize> = file.items.iter().map(|i| i.span().start).collect();
    starts.extend(file.broken.iter().map(|b| b.span.start));
    starts.sort_unstable();
    // The block of a position: the last one starting at or before it.
    let block = |at: usize| starts.partition_point(|&s| s <= at);
    let mut count: HashMap<usize, (usize, usize)> = HashMap::new(); // block -> (seen, last kept index)
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len().min(1024));
    for d in diagnostics {
        let entry = count.entry(block(d.span().start)).or_insert((0, 0));
        entry.0 += 1;
        if entry.0 <= MAX_PER_BLOCK {
            entry.1 = kept.len();
            kept.push(d);
        }
    }
    for (seen, last) in count.into_values() {
        if seen > MAX_PER_BLOCK {
            let more = seen - MAX_PER_BLOCK;
            kept[last].notes.push(format!(
                "{more} more problem(s) in this block are not shown; fix these and check again"
            ));
        }
    }
    kept
}

/// Check a parsed contract: with `version` blocks, each version and their
/// sequence ([`versions`]).
pub fn check(file: &ast::File) -> Checked {
    if file
        .items
        .iter()
        .any(|i| matches!(i, ast::Item::Version(_)))
    {
        return versions::check_versioned(file);
    }
    check_one(file)
}

/// Check one version of a contract: a file without `version` blocks.
fn check_one(file: &ast::File) -> Checked {
    let mut c = Checker::default();
    c.run(file);
    let mut diagnostics = std::mem::take(&mut c.diags);
    diagnostics.sort_by_key(|d| (d.span().start, d.span().end));
    let target_clauses = c.target_spans.iter().map(|(_, clause)| *clause).collect();
    Checked {
        rules: c.finish(),
        diagnostics,
        names: std::mem::take(&mut c.names),
        target_clauses,
    }
}

/// A field as the checker knows it.
#[derive(Clone)]
pub(crate) struct FieldInfo {
    span: Span,
    kind: FieldKind,
}

#[derive(Default)]
pub(crate) struct Checker<'a> {
    diags: Vec<Diagnostic>,
    /// The contract's time zone, once known.
    timezone: Option<String>,
    info: ContractInfo,
    fields: BTreeMap<String, FieldInfo>,
    field_order: Vec<rules::Field>,
    calendars: BTreeMap<String, CalendarSpec>,
    calendar_spans: HashMap<String, Span>,
    /// Calendars chosen per ticket by a field, checked ...
    calendar_choices: BTreeMap<String, rules::CalendarChoice>,
    /// ... and the names of all declared, sound or not.
    choice_names: HashSet<String>,
    priority: Option<rules::Priority>,
    /// Declared priorities with the span of their declaration.
    priority_spans: Vec<(String, Span)>,
    closures: Vec<rules::Closure>,
    closure_spans: HashMap<String, Span>,
    metrics: Vec<rules::Metric>,
    metric_spans: HashMap<String, Span>,
    targets: Vec<rules::Target>,
    /// Per target: the span of its row and clause, for overlap and ordering checks.
    target_spans: Vec<(Span, Span)>,
    /// `first match` target blocks seen so far.
    policy_blocks: u32,
    objectives: Vec<rules::Objective>,
    objective_spans: HashMap<String, Span>,
    /// Objectives made from a share on a target row (named by the checker).
    generated_objectives: HashSet<String>,
    /// Calendars whose definition had errors: later uses stay quiet about them.
    broken_calendars: HashSet<String>,
    /// Names declared by blocks that did not parse, and the blocks without
    /// names that did not parse (`contract`, `fields`, `priority`): what
    /// refers to them is only an echo of the syntax error.
    broken_names: HashSet<String>,
    broken_blocks: HashSet<String>,
    /// The header names a time zone, even if not a valid one.
    timezone_given: bool,
    /// "Targets name priorities, but the contract declares none" was said.
    reported_no_priority: bool,
    exclusions: Vec<rules::Exclusion>,
    escalation: Option<rules::Escalation>,
    availability: Vec<rules::Availability>,
    changes: Option<rules::Changes>,
    credits: Option<rules::Credits>,
    /// Calendars and metrics referred to, for the unused-definition warning.
    used: HashSet<String>,
    /// Every declaration and resolved use, for editors.
    names: Names,
    _src: std::marker::PhantomData<&'a ()>,
}

/// The namespaces names are looked up in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Calendar,
    Field,
    Metric,
    Priority,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Calendar => "calendar",
            Kind::Field => "field",
            Kind::Metric => "metric",
            Kind::Priority => "priority",
        }
    }
}

/// The items of one kind in a file, in source order: `items_of!(file, Metric)`.
macro_rules! items_of {
    ($file:expr, $kind:ident) => {
        $file
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::$kind(x) => Some(x),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
}

impl<'a> Checker<'a> {
    pub(super) fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn run(&mut self, file: &ast::File) {
        use ast::Item;
        for b in &file.broken {
            match &b.name {
                Some(n) => self.broken_names.insert(n.clone()),
                None => self.broken_blocks.insert(b.keyword.clone()),
            };
        }
        // Declarations first, so that uses may come before definitions in the file.
        self.header(&items_of!(file, Contract));
        for f in items_of!(file, Fields) {
            self.fields(f);
        }
        self.implicit_id();
        self.calendars(&items_of!(file, Calendar));
        self.priorities(&items_of!(file, Priority));
        // Closures and metrics share a namespace; declared in source order so
        // that a clash points at the later of the two.
        for item in &file.items {
            match item {
                Item::Closure(c) => {
                    self.declare(Kind::Metric, &c.name, "closure");
                }
                Item::Metric(m) => {
                    self.declare(Kind::Metric, &m.name, "metric");
                }
                _ => {}
            }
        }
        for c in items_of!(file, Closure) {
            self.closure(c);
        }
        let metrics = items_of!(file, Metric);
        for m in &metrics {
            self.metric(m);
        }
        self.metric_cycles(&metrics);
        self.starts_at_many_stops(&metrics);
        self.resolution_timestamp(&metrics);
        for item in &file.items {
            match item {
                Item::Targets(t) => self.targets(t),
                Item::Exclusion(e) => self.exclusion(e),
                Item::Availability(a) => self.availability(a),
                Item::Changes(ch) => self.changes(ch),
                _ => {}
            }
        }
        self.escalations(&items_of!(file, Escalation));
        // Objectives after all targets, so they can see which metrics have targets.
        for o in items_of!(file, Objective) {
            self.objective(o);
        }
        // Credits last: a cap per period is checked against the objectives.
        self.credits(&items_of!(file, Credits));
        self.overlapping_targets();
        self.warnings();
    }

    /// Every ticket has an `id`: a contract that declares none has it as text.
    fn implicit_id(&mut self) {
        if self.fields.contains_key("id") {
            return;
        }
        self.fields.insert(
            "id".into(),
            FieldInfo {
                span: Span::default(),
                kind: FieldKind::Text,
            },
        );
        self.field_order.insert(
            0,
            rules::Field {
                name: "id".into(),
                column: "id".into(),
                kind: FieldKind::Text,
                optional: false,
            },
        );
    }

    /// The escalation ladder: one block; a second is an error.
    fn escalations(&mut self, blocks: &[&ast::Escalation]) {
        let Some((first, more)) = blocks.split_first() else {
            return;
        };
        self.escalation(first);
        for e in more {
            self.report(
                Diagnostic::new(Code::Duplicate, "a contract has one escalation ladder")
                    .primary(e.span, "second escalation block")
                    .help("put all levels in one `escalation { ... }` block"),
            );
        }
    }

    fn header(&mut self, contracts: &[&ast::Contract]) {
        let Some(first) = contracts.first() else {
            if self.broken_blocks.contains("contract") {
                return;
            }
            self.report(
                Diagnostic::new(Code::Missing, "the contract has no header")
                    .primary(Span::new(0, 0), "expected `contract \"name\" { ... }`")
                    .help("start the file with `contract \"Name\" { provider \"...\" timezone \"Europe/Amsterdam\" }`"),
            );
            return;
        };
        for extra in &contracts[1..] {
            self.report(
                Diagnostic::new(Code::Duplicate, "a file holds one contract")
                    .primary(extra.name.span, "second contract header")
                    .secondary(first.name.span, "first header here"),
            );
        }
        self.info.name = first.name.node.clone();
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        for item in &first.items {
            let (key, span) = header_key(item);
            if key != "link" {
                if let Some(prev) = seen.get(key) {
                    self.report(
                        Diagnostic::new(Code::Duplicate, format!("`{key}` is given twice"))
                            .primary(span, "given again here")
                            .secondary(*prev, "first given here"),
                    );
                    continue;
                }
                seen.insert(key, span);
            }
            match item {
                ast::HeaderItem::Provider(s) => self.info.provider = Some(s.node.clone()),
                ast::HeaderItem::Customer(s) => self.info.customer = Some(s.node.clone()),
                ast::HeaderItem::Timezone(tz) => {
                    self.timezone_given = true;
                    if self.timezone_ok(tz) {
                        self.timezone = Some(tz.node.clone());
                    }
                }
                ast::HeaderItem::Effective(d) => self.info.effective = self.date(d),
                ast::HeaderItem::Term(m) => self.info.term_months = self.months(m),
                ast::HeaderItem::Notice(m) => self.info.notice_months = self.months(m),
                ast::HeaderItem::Renewal(m, _) => {
                    self.info.renewal_months = match m {
                        Some(m) => self.months(m),
                        None => Some(0),
                    }
                }
                ast::HeaderItem::Link { name, url, .. } => self.info.links.push(rules::Link {
                    name: name.node.clone(),
                    url: url.node.clone(),
                }),
                ast::HeaderItem::Export(name) => match rules::export_profile(&name.node) {
                    Some(p) => self.info.export = Some(p.to_string()),
                    None => {
                        let names: Vec<&str> =
                            rules::EXPORT_PROFILES.iter().map(|(n, _)| *n).collect();
                        let mut d = Diagnostic::new(
                            Code::UnknownName,
                            format!("unknown export profile `{}`", name.node),
                        )
                        .primary(name.span, "not a built-in export profile")
                        .note(format!("the profiles are: {}", names.join(", ")));
                        if let Some(s) = did_you_mean(&name.node, names.iter().copied()) {
                            d = d.help(format!("did you mean `{s}`?"));
                        }
                        self.report(d);
                    }
                },
            }
        }
        // `renews automatically`: each renewal is as long as the term.
        if self.info.renewal_months == Some(0) {
            self.info.renewal_months = self.info.term_months;
        }
    }

    fn months(&mut self, m: &ast::Months) -> Option<u32> {
        let factor = if m.unit.node.starts_with("year") {
            12
        } else {
            1
        };
        match u32::try_from(m.count.node)
            .ok()
            .and_then(|n| n.checked_mul(factor))
            .filter(|n| *n > 0 && *n <= 1200)
        {
            Some(n) => Some(n),
            None => {
                self.report(
                    Diagnostic::new(
                        Code::InvalidLiteral,
                        "a term or notice must be between 1 month and 100 years",
                    )
                    .primary(m.span, "out of range"),
                );
                None
            }
        }
    }

    /// Register a name in a namespace; reports a duplicate.
    fn declare(&mut self, kind: Kind, name: &ast::Ident, what: &str) -> bool {
        let prev = match kind {
            Kind::Calendar => self.calendar_spans.get(&name.node).copied(),
            Kind::Metric => self
                .metric_spans
                .get(&name.node)
                .or(self.closure_spans.get(&name.node))
                .copied(),
            Kind::Field => self.fields.get(&name.node).map(|f| f.span),
            Kind::Priority => self
                .priority_spans
                .iter()
                .find(|(n, _)| *n == name.node)
                .map(|(_, s)| *s),
        };
        let sym = match kind {
            Kind::Calendar => Sym::Calendar(name.node.clone()),
            Kind::Metric if what == "closure" => Sym::Closure(name.node.clone()),
            Kind::Metric => Sym::Metric(name.node.clone()),
            Kind::Field => Sym::Field(name.node.clone()),
            Kind::Priority => Sym::Priority(name.node.clone()),
        };
        self.names.declare(sym, name.span);
        if let Some(prev) = prev {
            let prev_what = match kind {
                Kind::Metric if self.closure_spans.contains_key(&name.node) => "closure",
                Kind::Metric => "metric",
                _ => what,
            };
            let message = if prev_what == what {
                format!("{what} `{}` is defined twice", name.node)
            } else {
                format!("`{}` names both a {prev_what} and a {what}", name.node)
            };
            self.report(
                Diagnostic::new(Code::Duplicate, message)
                    .primary(name.span, "defined again here")
                    .secondary(prev, "first defined here")
                    .help("rename or remove one of them"),
            );
            return false;
        }
        match kind {
            Kind::Calendar => {
                self.calendar_spans.insert(name.node.clone(), name.span);
            }
            Kind::Metric if what == "closure" => {
                self.closure_spans.insert(name.node.clone(), name.span);
            }
            Kind::Metric => {
                self.metric_spans.insert(name.node.clone(), name.span);
            }
            Kind::Priority => self.priority_spans.push((name.node.clone(), name.span)),
            Kind::Field => {}
        }
        true
    }

    /// Report an unknown name, suggesting the closest known one.
    pub(super) fn unknown(&mut self, kind: Kind, name: &ast::Ident) {
        let block = match kind {
            Kind::Field => "fields",
            Kind::Priority => "priority",
            Kind::Calendar | Kind::Metric => "",
        };
        if self.broken_names.contains(&name.node) || self.broken_blocks.contains(block) {
            return;
        }
        let candidates: Vec<String> = match kind {
            Kind::Calendar => self
                .calendar_spans
                .keys()
                .cloned()
                .chain([ALWAYS.to_string()])
                .collect(),
            Kind::Field => self.fields.keys().cloned().collect(),
            Kind::Metric => self.metric_spans.keys().cloned().collect(),
            Kind::Priority => self.priority_spans.iter().map(|(n, _)| n.clone()).collect(),
        };
        let mut d = Diagnostic::new(
            Code::UnknownName,
            format!("unknown {} `{}`", kind.word(), name.node),
        )
        .primary(name.span, format!("no {} of this name", kind.word()));
        if let Some(s) = did_you_mean(&name.node, candidates.iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{s}`?"));
        } else if candidates.is_empty() {
            d = d.help(format!("no {} is defined yet", kind.word()));
        } else {
            let mut list = candidates.clone();
            list.sort();
            d = d.note(format!("known: {}", list.join(", ")));
        }
        self.report(d);
    }

    fn fields(&mut self, block: &ast::Fields) {
        for f in &block.fields {
            self.names
                .declare(Sym::Field(f.name.node.clone()), f.name.span);
            if let Some(prev) = self.fields.get(&f.name.node) {
                let prev = prev.span;
                self.report(
                    Diagnostic::new(
                        Code::Duplicate,
                        format!("field `{}` is declared twice", f.name.node),
                    )
                    .primary(f.name.span, "declared again here")
                    .secondary(prev, "first declared here"),
                );
                continue;
            }
            let kind = match &f.ty {
                ast::FieldType::Text(_) => FieldKind::Text,
                ast::FieldType::Integer(_) => FieldKind::Integer,
                ast::FieldType::Timestamp(_) => FieldKind::Timestamp,
                ast::FieldType::Status(_) => FieldKind::Status,
                ast::FieldType::Label(values, span) => {
                    let mut labels: Vec<String> = Vec::new();
                    let mut spans: Vec<Span> = Vec::new();
                    for v in values {
                        let text = v.text();
                        if let Some(i) = labels.iter().position(|l| *l == text) {
                            self.report(
                                Diagnostic::new(
                                    Code::Duplicate,
                                    format!("label `{text}` is listed twice"),
                                )
                                .primary(v.span(), "listed again here")
                                .secondary(spans[i], "first listed here"),
                            );
                            continue;
                        }
                        self.names.declare(
                            Sym::Label {
                                field: f.name.node.clone(),
                                label: text.clone(),
                            },
                            v.span(),
                        );
                        labels.push(text);
                        spans.push(v.span());
                    }
                    if labels.is_empty() {
                        self.report(
                            Diagnostic::new(Code::Missing, format!("field `{}` has no labels", f.name.node))
                                .primary(*span, "empty label set")
                                .help("list the values the log may hold, e.g. `label [high, medium, low]`"),
                        );
                    }
                    FieldKind::Label { labels }
                }
            };
            let column = f
                .column
                .as_ref()
                .map(|c| c.node.clone())
                .unwrap_or_else(|| f.name.node.clone());
            self.fields.insert(
                f.name.node.clone(),
                FieldInfo {
                    span: f.name.span,
                    kind: kind.clone(),
                },
            );
            self.field_order.push(rules::Field {
                name: f.name.node.clone(),
                column,
                kind,
                optional: f.optional.is_some(),
            });
        }
    }

    fn calendars(&mut self, cals: &[&ast::Calendar]) {
        let mut declared = Vec::new();
        for c in cals {
            if c.name.node == ALWAYS {
                continue;
            }
            if self.declare(Kind::Calendar, &c.name, "calendar") {
                declared.push(*c);
            }
        }
        for c in &declared {
            if let ast::CalendarBody::ByField { .. } = &c.body {
                self.choice_names.insert(c.name.node.clone());
            }
        }
        // Weekly calendars first, then complements (which may refer to each
        // other), then choices (which name either).
        for c in &declared {
            if let ast::CalendarBody::Weekly(items) = &c.body {
                if let Some(spec) = self.weekly(&c.name, items) {
                    self.calendars.insert(c.name.node.clone(), spec);
                }
            }
        }
        let tz = self.timezone.clone().unwrap_or_else(|| "UTC".into());
        self.calendars
            .insert(ALWAYS.into(), CalendarSpec::Always { timezone: tz });
        let complements: Vec<_> = declared
            .iter()
            .filter_map(|c| {
                if let ast::CalendarBody::Complement(r) = &c.body {
                    Some((*c, r))
                } else {
                    None
                }
            })
            .collect();
        for (_, r) in &complements {
            self.names
                .used(Sym::Calendar(r.name.node.clone()), r.name.span);
        }
        // Resolve complements in rounds; what is left after no progress is a cycle.
        let mut pending = complements;
        loop {
            let before = pending.len();
            pending.retain(|(c, r)| match self.calendars.get(&r.name.node) {
                Some(inner) => {
                    let spec = CalendarSpec::Complement {
                        of: Box::new(inner.clone()),
                    };
                    self.calendars.insert(c.name.node.clone(), spec);
                    self.used.insert(r.name.node.clone());
                    false
                }
                None => true,
            });
            if pending.len() == before {
                break;
            }
        }
        for (c, r) in pending {
            if self.choice_out_of_place(r) {
                continue;
            }
            if self.calendar_spans.contains_key(&r.name.node) {
                if self.calendars.contains_key(&r.name.node)
                    || !self.is_complement_cycle(cals, &c.name.node)
                {
                    continue; // the inner calendar had errors of its own
                }
                self.report(
                    Diagnostic::new(
                        Code::MetricCycle,
                        format!("calendar `{}` is defined in terms of itself", c.name.node),
                    )
                    .primary(
                        r.name.span,
                        "this refers back to the calendar being defined",
                    ),
                );
            } else {
                self.unknown(Kind::Calendar, &r.name);
            }
        }
        let choices: Vec<_> = declared
            .iter()
            .filter_map(|c| match &c.body {
                ast::CalendarBody::ByField { field, rows } => {
                    Some((&c.name, field, rows.as_slice()))
                }
                _ => None,
            })
            .collect();
        self.choices(&choices);
    }

    fn is_complement_cycle(&self, cals: &[&ast::Calendar], start: &str) -> bool {
        let next = |n: &str| {
            cals.iter()
                .find(|c| c.name.node == n)
                .and_then(|c| match &c.body {
                    ast::CalendarBody::Complement(r) => Some(r.name.node.clone()),
                    _ => None,
                })
        };
        let mut cur = start.to_string();
        for _ in 0..=cals.len() {
            match next(&cur) {
                Some(n) if n == start => return true,
                Some(n) => cur = n,
                None => return false,
            }
        }
        false
    }

    /// Look up a calendar reference; marks it used.
    pub(super) fn calendar_ref(&mut self, r: &ast::CalendarRef) -> Option<String> {
        let name = &r.name.node;
        self.names.used(Sym::Calendar(name.clone()), r.name.span);
        if self.choice_out_of_place(r) {
            return None;
        }
        if self.calendars.contains_key(name) {
            self.used.insert(name.clone());
            return Some(name.clone());
        }
        if !self.calendar_spans.contains_key(name) {
            self.unknown(Kind::Calendar, &r.name);
        }
        None
    }

    pub(super) fn field(&mut self, name: &ast::Ident) -> Option<FieldInfo> {
        self.names.used(Sym::Field(name.node.clone()), name.span);
        match self.fields.get(&name.node) {
            Some(f) => Some(f.clone()),
            None => {
                self.unknown(Kind::Field, name);
                None
            }
        }
    }

    /// A field that must be a timestamp.
    pub(super) fn timestamp_field(&mut self, name: &ast::Ident, role: &str) -> bool {
        let Some(f) = self.field(name) else {
            return false;
        };
        if f.kind != FieldKind::Timestamp {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "{role} must be a timestamp, but `{}` is {}",
                        name.node,
                        kind_word(&f.kind)
                    ),
                )
                .primary(name.span, "not a timestamp")
                .secondary(f.span, "declared here"),
            );
            return false;
        }
        true
    }

    fn priorities(&mut self, blocks: &[&ast::Priority]) {
        let Some(p) = blocks.first() else { return };
        for extra in &blocks[1..] {
            self.report(
                Diagnostic::new(Code::Duplicate, "a contract has one priority block")
                    .primary(extra.span, "second priority block")
                    .secondary(p.span, "first one here"),
            );
        }
        let mut levels = Vec::new();
        for l in &p.levels {
            if self.declare(Kind::Priority, &l.name, "priority") {
                levels.push(rules::PriorityLevel {
                    name: l.name.node.clone(),
                    description: l.description.node.clone(),
                });
            }
        }
        let label_field = |c: &mut Checker, name: &ast::Ident| -> Option<Vec<String>> {
            let f = c.field(name)?;
            match f.kind {
                FieldKind::Label { labels } => Some(labels),
                other => {
                    c.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            format!(
                                "a priority is read from a label field, but `{}` is {}",
                                name.node,
                                kind_word(&other)
                            ),
                        )
                        .primary(name.span, "not a label field")
                        .secondary(f.span, "declared here")
                        .help("declare it as `label [..]`"),
                    );
                    None
                }
            }
        };
        let source = match p.from.as_slice() {
            [field] => {
                let labels = label_field(self, field);
                for m in &p.matrices {
                    self.report(
                        Diagnostic::new(Code::MatrixCell, "a matrix needs two fields")
                            .primary(m.span, "matrix here")
                            .secondary(field.span, "but the priority is read from one field")
                            .help(format!(
                                "write `priority from {} x OTHER_FIELD`, or remove the matrix",
                                field.node
                            )),
                    );
                }
                if let Some(labels) = labels {
                    for l in &p.levels {
                        if !labels.contains(&l.name.node) {
                            self.report(
                                Diagnostic::new(
                                    Code::PriorityLevel,
                                    format!(
                                        "priority `{}` is not a label of field `{}`",
                                        l.name.node, field.node
                                    ),
                                )
                                .primary(l.name.span, "not a label")
                                .note(format!(
                                    "`{}` has the labels {}",
                                    field.node,
                                    labels.join(", ")
                                )),
                            );
                        }
                    }
                    self.unprioritised_labels(p, field, &labels);
                }
                Some(rules::PrioritySource::Field {
                    field: field.node.clone(),
                })
            }
            [rows, cols] => {
                let row_labels = label_field(self, rows);
                let col_labels = label_field(self, cols);
                let cells = self.matrix(p, rows, cols, row_labels, col_labels);
                Some(rules::PrioritySource::Matrix {
                    rows: rows.node.clone(),
                    columns: cols.node.clone(),
                    cells,
                })
            }
            _ => None,
        };
        if let Some(source) = source {
            self.priority = Some(rules::Priority { source, levels });
        }
    }

    /// Every label of the priority field must name a priority: the
    /// evaluator gives each ticket the priority its label names, and a label
    /// without one would leave tickets with none.
    fn unprioritised_labels(&mut self, p: &ast::Priority, field: &ast::Ident, labels: &[String]) {
        let missing: Vec<&str> = labels
            .iter()
            .filter(|l| !p.levels.iter().any(|level| level.name.node == **l))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return;
        }
        let message = if p.levels.is_empty() {
            "the priority block declares no priorities".to_string()
        } else {
            let list = missing
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("label(s) {list} of field `{}` name no priority", field.node)
        };
        let mut d = Diagnostic::new(Code::PriorityLevel, message)
            .primary(field.span, "every label of this field must be a priority");
        if let Some(f) = self.fields.get(&field.node) {
            d = d.secondary(f.span, "labels declared here");
        }
        self.report(d.help(format!(
            "add a line for each to the priority block, e.g. `{} \"what it means\"`",
            missing[0]
        )));
    }

    fn matrix(
        &mut self,
        p: &ast::Priority,
        rows: &ast::Ident,
        cols: &ast::Ident,
        row_labels: Option<Vec<String>>,
        col_labels: Option<Vec<String>>,
    ) -> Vec<rules::MatrixCell> {
        let mut cells: Vec<(rules::MatrixCell, Span, bool)> = Vec::new();
        let all_cells: Vec<&ast::MatrixCell> = p.matrices.iter().flat_map(|m| &m.cells).collect();
        if p.matrices.is_empty() {
            self.report(
                Diagnostic::new(Code::MatrixCell, format!("priority from `{} x {}` needs a matrix", rows.node, cols.node))
                    .primary(p.span, "no matrix")
                    .help(format!("add `matrix {{ ROW x COLUMN = PRIORITY ... }}` with a cell for every pair of labels of `{}` and `{}`", rows.node, cols.node)),
            );
        }
        for cell in all_cells {
            let row = cell.row.text();
            let col = cell.column.text();
            self.names.used(
                Sym::Priority(cell.priority.node.clone()),
                cell.priority.span,
            );
            let mut ok = true;
            for (labels, v, field) in [
                (&row_labels, &cell.row, rows),
                (&col_labels, &cell.column, cols),
            ] {
                if let Some(labels) = labels {
                    self.label_used(&field.node, v);
                    if !labels.contains(&v.text()) {
                        ok = false;
                        self.unknown_label(v, &field.node, labels);
                    }
                }
            }
            let priority_ok = self.declared_priority(&cell.priority);
            if let Some((_, prev, _)) = cells
                .iter()
                .find(|(c, _, _)| c.row == row && c.column == col)
            {
                let prev = *prev;
                self.report(
                    Diagnostic::new(
                        Code::MatrixCell,
                        format!("the cell `{row} x {col}` is given twice"),
                    )
                    .primary(cell.span, "given again here")
                    .secondary(prev, "first given here"),
                );
                continue;
            }
            // A cell with an undeclared priority still fills its place in the
            // matrix: it is reported once, not again as a missing cell.
            if ok {
                cells.push((
                    rules::MatrixCell {
                        row,
                        column: col,
                        priority: cell.priority.node.clone(),
                    },
                    cell.span,
                    priority_ok,
                ));
            }
        }
        if let (Some(rl), Some(cl), Some(first)) = (&row_labels, &col_labels, p.matrices.first()) {
            let given: Vec<&rules::MatrixCell> = cells.iter().map(|(c, _, _)| c).collect();
            self.missing_cells(first.span, rl, cl, &given);
        }
        cells
            .into_iter()
            .filter(|(_, _, priority_ok)| *priority_ok)
            .map(|(c, _, _)| c)
            .collect()
    }

    /// Whether a matrix cell's priority is declared (else reported, with
    /// the nearest declared name).
    fn declared_priority(&mut self, priority: &ast::Ident) -> bool {
        if self.priority_spans.iter().any(|(n, _)| *n == priority.node) {
            return true;
        }
        let d = Diagnostic::new(
            Code::PriorityLevel,
            format!("priority `{}` is not declared", priority.node),
        )
        .primary(priority.span, "not a declared priority");
        let d = match did_you_mean(
            &priority.node,
            self.priority_spans.iter().map(|(n, _)| n.as_str()),
        ) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!(
                "declare it in the priority block: `{} \"description\"`",
                priority.node
            )),
        };
        self.report(d);
        false
    }

    /// Every pair of row and column labels needs a cell of the matrix.
    fn missing_cells(
        &mut self,
        span: Span,
        rows: &[String],
        cols: &[String],
        given: &[&rules::MatrixCell],
    ) {
        let missing: Vec<String> = rows
            .iter()
            .flat_map(|r| cols.iter().map(move |c| (r, c)))
            .filter(|(r, c)| !given.iter().any(|x| &x.row == *r && &x.column == *c))
            .map(|(r, c)| format!("{r} x {c}"))
            .collect();
        let Some(first) = missing.first() else {
            return;
        };
        self.report(
            Diagnostic::new(
                Code::MatrixCell,
                format!("the priority matrix has no cell for {}", missing.join(", ")),
            )
            .primary(
                span,
                format!(
                    "{} of {} cells missing",
                    missing.len(),
                    rows.len() * cols.len()
                ),
            )
            .help(format!("add `{first} = PRIORITY`")),
        );
    }

    /// Record a label written where field `field`'s labels belong.
    pub(super) fn label_used(&mut self, field: &str, v: &ast::Value) {
        // Numbers are never labels.
        if let ast::Value::Ident(x) | ast::Value::Str(x) = v {
            let sym = Sym::Label {
                field: field.to_string(),
                label: x.node.clone(),
            };
            self.names.used(sym, x.span);
        }
    }

    pub(super) fn unknown_label(&mut self, v: &ast::Value, field: &str, labels: &[String]) {
        let text = v.text();
        let mut d = Diagnostic::new(
            Code::UnknownLabel,
            format!("`{text}` is not a label of field `{field}`"),
        )
        .primary(v.span(), "not in the label set");
        d = match did_you_mean(&text, labels.iter().map(String::as_str)) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.note(format!("`{field}` has the labels {}", labels.join(", "))),
        };
        self.report(d);
    }

    fn closure(&mut self, c: &ast::Closure) {
        let confirmed = self.timestamp_field(&c.confirmed, "a closure's confirmation");
        let from = self.timestamp_field(&c.from, "a closure's automatic close");
        let after = self.cal_span(&c.after);
        if let (true, true, Some(after)) = (confirmed, from, after) {
            self.closures.push(rules::Closure {
                name: c.name.node.clone(),
                confirmed: c.confirmed.node.clone(),
                from: c.from.node.clone(),
                after,
            });
        }
    }

    fn cal_span(&mut self, s: &ast::CalSpan) -> Option<rules::CalendarSpan> {
        let Ok(n) = u32::try_from(s.count.node) else {
            self.report(
                Diagnostic::new(Code::InvalidLiteral, "number out of range")
                    .primary(s.count.span, "too large"),
            );
            return None;
        };
        Some(if s.unit.node.starts_with("month") {
            rules::CalendarSpan::Months(n)
        } else {
            rules::CalendarSpan::Days(n)
        })
    }

    /// Where a clock starts or stops: a metric's stop (start only), a closure, or a timestamp field.
    fn instant_source(&mut self, name: &ast::Ident, start: bool) -> Option<rules::InstantSource> {
        if start && self.metric_spans.contains_key(&name.node) {
            self.names.used(Sym::Metric(name.node.clone()), name.span);
            self.used.insert(name.node.clone());
            return Some(rules::InstantSource::MetricStop(name.node.clone()));
        }
        if self.closure_spans.contains_key(&name.node) {
            self.names.used(Sym::Closure(name.node.clone()), name.span);
            self.used.insert(name.node.clone());
            return Some(rules::InstantSource::Closure(name.node.clone()));
        }
        if !self.fields.contains_key(&name.node)
            && !start
            && self.metric_spans.contains_key(&name.node)
        {
            self.names.used(Sym::Metric(name.node.clone()), name.span);
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "a clock stops at a timestamp or closure, not at metric `{}`",
                        name.node
                    ),
                )
                .primary(name.span, "a metric")
                .help("a metric may start where another stops; stop it at a timestamp field"),
            );
            return None;
        }
        let role = if start {
            "a clock's start"
        } else {
            "a clock's stop"
        };
        self.timestamp_field(name, role)
            .then(|| rules::InstantSource::Field(name.node.clone()))
    }

    /// A repeating clock's event: an activity of the event log.
    fn event(&mut self, name: &ast::Ident, code: Code, what: &str) -> Option<rules::InstantSource> {
        if let Some(a) = rules::activity_name(&name.node) {
            return Some(rules::InstantSource::Event(a.to_string()));
        }
        self.report(
            Diagnostic::new(
                code,
                format!(
                    "`{}` is not an event of the event log, so it cannot {what}",
                    name.node
                ),
            )
            .primary(name.span, "not an event")
            .help(format!(
                "a repeating clock starts and stops at activities: {}",
                rules::ACTIVITY_NAMES.map(|n| n[0]).join(", ")
            )),
        );
        None
    }

    /// Where a metric starts and stops, and how it repeats: `from each A to
    /// next B`, `from START to each B`, `from START to next B` (the first B
    /// after the start), or a plain clock.
    fn clock_ends(
        &mut self,
        m: &ast::Metric,
    ) -> (
        Option<rules::InstantSource>,
        Option<rules::InstantSource>,
        Option<rules::Repeat>,
    ) {
        let to = m.to_repeat.as_ref().map(|w| w.node.as_str());
        if m.from_each.is_some() {
            let start = self.event(
                &m.from,
                Code::RepeatWithoutEvent,
                "start a cycle at each occurrence",
            );
            if to != Some("next") {
                self.report(
                    Diagnostic::new(
                        Code::RepeatWithoutEvent,
                        format!(
                            "metric `{}` starts at each `{}`, but does not stop at the next occurrence of an event",
                            m.name.node, m.from.node
                        ),
                    )
                    .primary(m.to.span, "not `next EVENT`")
                    .help("stop each cycle at the next event: `from each customer_reply to next agent_reply`"),
                );
                return (start, None, None);
            }
            let stop = self.event(&m.to, Code::RepeatWithoutEvent, "stop a cycle");
            return (start, stop, Some(rules::Repeat::Next));
        }
        if rules::activity_name(&m.from.node).is_some() && !self.fields.contains_key(&m.from.node) {
            self.report(
                Diagnostic::new(
                    Code::RepeatWithoutEvent,
                    format!(
                        "metric `{}` starts at `{}`, an event that may happen many times",
                        m.name.node, m.from.node
                    ),
                )
                .primary(m.from.span, "an event")
                .help(format!(
                    "start a cycle at every one: `from each {}`",
                    m.from.node
                )),
            );
            return (None, None, None);
        }
        if let Some(word) = to {
            let start = self.instant_source(&m.from, true);
            let stop = self.event(&m.to, Code::RepeatWithoutEvent, "stop a cycle");
            let repeat = (word == "each").then_some(rules::Repeat::Periodic);
            return (start, stop, repeat);
        }
        let start = self.instant_source(&m.from, true);
        let stop = match &m.earliest {
            Some(e) => self.earliest(e),
            None => self.instant_source(&m.to, false),
        };
        (start, stop, None)
    }

    fn metric(&mut self, m: &ast::Metric) {
        let (start, stop, repeat) = self.clock_ends(m);
        let calendar = match &m.calendar {
            Some(r) => self.clock_calendar(r),
            None => Some(ALWAYS.to_string()),
        };
        let pause = m
            .pause
            .as_ref()
            .map(|(v, _)| v.iter().map(ast::Value::text).collect())
            .unwrap_or_default();
        let resolved: Vec<String> = m
            .resolved
            .as_ref()
            .map(|(v, _)| v.iter().map(ast::Value::text).collect())
            .unwrap_or_default();
        if let (Some(span), true) = (m.new_cycle, resolved.is_empty()) {
            self.report(
                Diagnostic::new(
                    Code::CannotReopen,
                    format!(
                        "metric `{}` starts a new cycle on reopening, but never learns that a ticket is resolved, so it cannot reopen",
                        m.name.node
                    ),
                )
                .primary(span, "no reopening to start a cycle")
                .help("name the statuses in which a ticket is resolved: `resolved while status in [resolved, closed]`"),
            );
        }
        if let (Some(span), Some(rules::Repeat::Next)) = (m.new_cycle, repeat) {
            self.report(
                Diagnostic::new(
                    Code::CannotReopen,
                    format!(
                        "metric `{}` already has a cycle per `{}`, and a reopening does not start one",
                        m.name.node, m.from.node
                    ),
                )
                .primary(span, "a cycle option on a clock that cannot reopen")
                .help("remove `new cycle on reopening`: a reply after a reopening starts the next cycle"),
            );
        }
        if let (Some(start), Some(stop), Some(calendar)) = (start, stop, calendar) {
            if self.metrics.iter().any(|x| x.name == m.name.node) {
                return;
            }
            self.metrics.push(rules::Metric {
                name: m.name.node.clone(),
                start,
                stop,
                pause,
                calendar,
                target_at: match m.target_at.as_ref().map(|(w, _)| w.node.as_str()) {
                    Some("start") => rules::TargetAt::Start,
                    _ => rules::TargetAt::Stop,
                },
                cycles: m.new_cycle.is_some() && !resolved.is_empty() && repeat.is_none(),
                resolved,
                repeat,
            });
        }
    }

    /// `earliest of a, b, status in [x]`; W0008 with fewer than two distinct stops.
    fn earliest(&mut self, e: &ast::Earliest) -> Option<rules::InstantSource> {
        let mut of: Vec<rules::InstantSource> = Vec::new();
        let mut ok = true;
        for alt in &e.alternatives {
            let source = match alt {
                // An activity of the event log (`agent_reply`): its first
                // occurrence at or after the clock's start, as a status is.
                ast::StopAlt::Instant(name) if !self.fields.contains_key(&name.node) => {
                    match rules::activity_name(&name.node) {
                        Some(a) => Some(rules::InstantSource::Event(a.to_string())),
                        None => self.instant_source(name, false),
                    }
                }
                ast::StopAlt::Instant(name) => self.instant_source(name, false),
                ast::StopAlt::Status(values, _) => Some(rules::InstantSource::Status(
                    values.iter().map(ast::Value::text).collect(),
                )),
            };
            match source {
                Some(s) if !of.contains(&s) => of.push(s),
                Some(_) => {}
                None => ok = false,
            }
        }
        if ok && of.len() < 2 {
            self.report(
                Diagnostic::new(
                    Code::EarliestOfOne,
                    "`earliest of` has fewer than two different stops",
                )
                .primary(e.span, "the clock can stop only here")
                .help("name the other instants the agreement counts (`earliest of responded_at, called_at`), or write the one stop plainly"),
            );
        }
        if !ok {
            return None;
        }
        Some(match of.len() {
            1 => of.remove(0),
            _ => rules::InstantSource::EarliestOf(of),
        })
    }

    fn metric_cycles(&mut self, metrics: &[&ast::Metric]) {
        for m in metrics {
            let mut cur = m.name.node.clone();
            for _ in 0..=metrics.len() {
                let Some(next) = metrics
                    .iter()
                    .find(|x| x.name.node == cur)
                    .map(|x| x.from.node.clone())
                else {
                    break;
                };
                if !self.metric_spans.contains_key(&next) {
                    break;
                }
                if next == m.name.node {
                    self.report(
                        Diagnostic::new(
                            Code::MetricCycle,
                            format!("metric `{}` starts from itself", m.name.node),
                        )
                        .primary(
                            m.from.span,
                            if m.from.node == m.name.node {
                                "starts at its own stop"
                            } else {
                                "through this chain it starts at its own stop"
                            },
                        )
                        .help("start the clock at a timestamp field, e.g. `from opened_at`"),
                    );
                    self.metrics.retain(|x| x.name != m.name.node);
                    break;
                }
                cur = next;
            }
        }
    }

    /// E0408: a clock that starts where a clock with a cycle per event
    /// stops (`from each A`, `to each B`), or with a cycle per reopening
    /// (`new cycle on reopening`), would start at every cycle's stop; it has
    /// no single start.
    fn starts_at_many_stops(&mut self, metrics: &[&ast::Metric]) {
        for m in metrics {
            let Some(other) = metrics.iter().find(|x| x.name.node == m.from.node) else {
                continue;
            };
            let per_event = other.from_each.is_some()
                || other.to_repeat.as_ref().is_some_and(|w| w.node == "each");
            let per_reopening = other.new_cycle.is_some() && other.resolved.is_some();
            if m.from_each.is_some() || !(per_event || per_reopening) {
                continue;
            }
            let (cycle, label, help) = if per_event {
                (
                    "once per cycle",
                    (other.name.span, "stops at the end of each cycle"),
                    format!(
                        "start `{}` at a timestamp field, or at a clock with one stop, such as `metric first_{} from opened_at to next {}`",
                        m.name.node, other.to.node, other.to.node
                    ),
                )
            } else {
                (
                    "once per reopening cycle",
                    (
                        other.new_cycle.unwrap_or(other.name.span),
                        "a cycle, and a stop, per reopening",
                    ),
                    format!(
                        "start `{}` at a timestamp field, or take `new cycle on reopening` off `{}`: its clock then continues across reopenings and stops at the last resolution",
                        m.name.node, other.name.node
                    ),
                )
            };
            self.report(
                Diagnostic::new(
                    Code::StartAtManyStops,
                    format!(
                        "metric `{}` starts at the stop of `{}`, which stops {cycle}, so it has no single start",
                        m.name.node, other.name.node
                    ),
                )
                .primary(m.from.span, "a clock with many stops")
                .secondary(label.0, label.1)
                .help(help),
            );
            self.metrics.retain(|x| x.name != m.name.node);
        }
    }

    fn finish(&mut self) -> RuleSet {
        RuleSet {
            schema: SCHEMA.into(),
            contract: std::mem::take(&mut self.info),
            timezone: self.timezone.clone().unwrap_or_else(|| "UTC".into()),
            calendars: std::mem::take(&mut self.calendars),
            calendar_choices: std::mem::take(&mut self.calendar_choices),
            fields: std::mem::take(&mut self.field_order),
            priority: self.priority.take(),
            closures: std::mem::take(&mut self.closures),
            metrics: std::mem::take(&mut self.metrics),
            targets: std::mem::take(&mut self.targets),
            objectives: std::mem::take(&mut self.objectives),
            exclusions: std::mem::take(&mut self.exclusions),
            escalation: self.escalation.take(),
            availability: std::mem::take(&mut self.availability),
            changes: self.changes.take(),
            credits: self.credits.take(),
            versions: Vec::new(),
        }
    }
}

fn header_key(item: &ast::HeaderItem) -> (&'static str, Span) {
    match item {
        ast::HeaderItem::Provider(s) => ("provider", s.span),
        ast::HeaderItem::Customer(s) => ("customer", s.span),
        ast::HeaderItem::Timezone(s) => ("timezone", s.span),
        ast::HeaderItem::Effective(s) => ("effective", s.span),
        ast::HeaderItem::Term(m) => ("term", m.span),
        ast::HeaderItem::Renewal(_, s) => ("renews", *s),
        ast::HeaderItem::Notice(m) => ("notice", m.span),
        ast::HeaderItem::Link { span, .. } => ("link", *span),
        ast::HeaderItem::Export(n) => ("export", n.span),
    }
}

pub(crate) fn kind_word(k: &FieldKind) -> &'static str {
    match k {
        FieldKind::Text => "a text field",
        FieldKind::Integer => "an integer field",
        FieldKind::Timestamp => "a timestamp field",
        FieldKind::Label { .. } => "a label field",
        FieldKind::Status => "a status field",
    }
}

pub(crate) fn spanned<T>(node: T, span: Span) -> Spanned<T> {
    Spanned { node, span }
}
