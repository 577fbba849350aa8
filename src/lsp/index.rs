//! What the names in a contract mean, for hover, go-to-definition and
//! completion: the declarations of one parsed file, and every identifier
//! with the declaration it refers to.
//!
//! Resolution follows the checker's namespaces (calendars, fields,
//! priorities, metrics with closures) but is rebuilt here from the syntax
//! tree: the checker's model drops spans and refuses broken input, while an
//! editor needs answers for a half-typed contract too. Built per request;
//! a walk over the tree is cheap next to a round trip to the editor.

use std::collections::BTreeMap;

use crate::rules::ALWAYS;
use crate::syntax::ast::{self, Span};

/// What a name denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sym {
    Calendar(String),
    /// The built-in calendar `24x7`.
    Always,
    Field(String),
    Priority(String),
    Metric(String),
    Closure(String),
    /// A label of a label field, as declared in `fields` or used in a condition.
    Label {
        field: String,
        label: String,
    },
}

/// One identifier in the text and what it names.
#[derive(Debug, Clone)]
pub struct Occurrence<'a> {
    pub span: Span,
    pub sym: Sym,
    /// For a metric named in a target row: the clause, so hover can show the
    /// target's duration.
    pub clause: Option<(&'a ast::TargetRow, &'a ast::TargetClause)>,
}

/// The declarations of a file. The first declaration of a name wins, as in
/// the checker, which reports the others as duplicates.
#[derive(Default)]
pub struct Defs<'a> {
    pub contract_tz: Option<&'a str>,
    pub calendars: BTreeMap<&'a str, &'a ast::Calendar>,
    pub fields: BTreeMap<&'a str, &'a ast::FieldDecl>,
    pub priorities: BTreeMap<&'a str, (&'a ast::PriorityLevel, &'a ast::Priority)>,
    pub metrics: BTreeMap<&'a str, &'a ast::Metric>,
    pub closures: BTreeMap<&'a str, &'a ast::Closure>,
    /// Every target clause, for listing a metric's targets.
    pub clauses: Vec<(&'a ast::TargetRow, &'a ast::TargetClause)>,
}

impl<'a> Defs<'a> {
    pub fn new(file: &'a ast::File) -> Defs<'a> {
        let mut d = Defs::default();
        for item in &file.items {
            match item {
                ast::Item::Contract(c) => {
                    for h in &c.items {
                        if let ast::HeaderItem::Timezone(tz) = h {
                            d.contract_tz.get_or_insert(tz.node.as_str());
                        }
                    }
                }
                ast::Item::Calendar(c) => {
                    d.calendars.entry(c.name.node.as_str()).or_insert(c);
                }
                ast::Item::Fields(f) => {
                    for decl in &f.fields {
                        d.fields.entry(decl.name.node.as_str()).or_insert(decl);
                    }
                }
                ast::Item::Priority(p) => {
                    for l in &p.levels {
                        d.priorities.entry(l.name.node.as_str()).or_insert((l, p));
                    }
                }
                ast::Item::Metric(m) => {
                    d.metrics.entry(m.name.node.as_str()).or_insert(m);
                }
                ast::Item::Closure(c) => {
                    d.closures.entry(c.name.node.as_str()).or_insert(c);
                }
                ast::Item::Targets(t) => {
                    for row in &t.rows {
                        for clause in &row.clauses {
                            d.clauses.push((row, clause));
                        }
                    }
                }
                _ => {}
            }
        }
        d
    }

    /// The labels a field declares (empty for other types).
    pub fn labels(&self, field: &str) -> &'a [ast::Value] {
        match self.fields.get(field).map(|f| &f.ty) {
            Some(ast::FieldType::Label(values, _)) => values,
            _ => &[],
        }
    }

    /// The span of the declaration's name, for go-to-definition.
    pub fn definition(&self, sym: &Sym) -> Option<Span> {
        match sym {
            Sym::Calendar(n) => self.calendars.get(n.as_str()).map(|c| c.name.span),
            Sym::Always => None,
            Sym::Field(n) => self.fields.get(n.as_str()).map(|f| f.name.span),
            Sym::Priority(n) => self.priorities.get(n.as_str()).map(|(l, _)| l.name.span),
            Sym::Metric(n) => self.metrics.get(n.as_str()).map(|m| m.name.span),
            Sym::Closure(n) => self.closures.get(n.as_str()).map(|c| c.name.span),
            Sym::Label { field, label } => self
                .labels(field)
                .iter()
                .find(|v| v.text() == *label)
                .map(ast::Value::span),
        }
    }

    /// A calendar reference: a declared calendar or the built-in.
    fn calendar(&self, name: &str) -> Sym {
        if name == ALWAYS {
            Sym::Always
        } else {
            Sym::Calendar(name.to_string())
        }
    }

    /// A name where a metric, a closure or (for a clock's ends) a timestamp
    /// field may stand: the checker's order of lookup.
    fn clock_end(&self, name: &str) -> Sym {
        if self.metrics.contains_key(name) {
            Sym::Metric(name.to_string())
        } else if self.closures.contains_key(name) {
            Sym::Closure(name.to_string())
        } else if self.fields.contains_key(name) {
            Sym::Field(name.to_string())
        } else {
            Sym::Metric(name.to_string())
        }
    }
}

/// Every identifier of the file that names something, in no particular order.
pub fn occurrences<'a>(file: &'a ast::File, defs: &Defs<'a>) -> Vec<Occurrence<'a>> {
    let mut w = Walker {
        defs,
        out: Vec::new(),
    };
    for item in &file.items {
        w.item(item);
    }
    w.out
}

/// The occurrence under a byte offset: the narrowest one containing it, a
/// cursor just after a name counting as on it (where editors put it after
/// typing or double-clicking).
pub fn at<'a, 'b>(occs: &'b [Occurrence<'a>], offset: usize) -> Option<&'b Occurrence<'a>> {
    let inside = occs
        .iter()
        .filter(|o| o.span.start <= offset && offset < o.span.end)
        .min_by_key(|o| o.span.end.saturating_sub(o.span.start));
    inside.or_else(|| occs.iter().find(|o| o.span.end == offset))
}

struct Walker<'a, 'd> {
    defs: &'d Defs<'a>,
    out: Vec<Occurrence<'a>>,
}

impl<'a> Walker<'a, '_> {
    fn push(&mut self, span: Span, sym: Sym) {
        self.out.push(Occurrence {
            span,
            sym,
            clause: None,
        });
    }

    fn ident(&mut self, id: &ast::Ident, make: fn(String) -> Sym) {
        self.push(id.span, make(id.node.clone()));
    }

    fn calendar_ref(&mut self, r: &ast::CalendarRef) {
        let sym = self.defs.calendar(&r.name.node);
        self.push(r.name.span, sym);
    }

    fn label_value(&mut self, field: &str, v: &ast::Value) {
        // Labels may be written bare or quoted; numbers are not labels.
        if let ast::Value::Ident(x) | ast::Value::Str(x) = v {
            self.push(
                x.span,
                Sym::Label {
                    field: field.to_string(),
                    label: x.node.clone(),
                },
            );
        }
    }

    fn item(&mut self, item: &'a ast::Item) {
        use ast::Item;
        match item {
            Item::Contract(_) => {}
            Item::Calendar(c) => {
                self.ident(&c.name, Sym::Calendar);
                if let ast::CalendarBody::Complement(r) = &c.body {
                    self.calendar_ref(r);
                }
            }
            Item::Fields(f) => {
                for decl in &f.fields {
                    self.ident(&decl.name, Sym::Field);
                    if let ast::FieldType::Label(values, _) = &decl.ty {
                        for v in values {
                            self.label_value(&decl.name.node, v);
                        }
                    }
                }
            }
            Item::Priority(p) => {
                for f in &p.from {
                    self.ident(f, Sym::Field);
                }
                for l in &p.levels {
                    self.ident(&l.name, Sym::Priority);
                }
                for m in &p.matrices {
                    for cell in &m.cells {
                        if let Some(rows) = p.from.first() {
                            self.label_value(&rows.node, &cell.row);
                        }
                        if let Some(cols) = p.from.get(1) {
                            self.label_value(&cols.node, &cell.column);
                        }
                        self.ident(&cell.priority, Sym::Priority);
                    }
                }
            }
            Item::Metric(m) => {
                self.ident(&m.name, Sym::Metric);
                let from = self.defs.clock_end(&m.from.node);
                self.push(m.from.span, from);
                let to = self.defs.clock_end(&m.to.node);
                self.push(m.to.span, to);
                if let Some(r) = &m.calendar {
                    self.calendar_ref(r);
                }
            }
            Item::Closure(c) => {
                self.ident(&c.name, Sym::Closure);
                self.ident(&c.confirmed, Sym::Field);
                self.ident(&c.from, Sym::Field);
            }
            Item::Targets(t) => {
                for row in &t.rows {
                    self.selector(&row.selector);
                    for clause in &row.clauses {
                        let sym = self.defs.clock_end(&clause.metric.node);
                        self.out.push(Occurrence {
                            span: clause.metric.span,
                            sym,
                            clause: Some((row, clause)),
                        });
                        match &clause.spec {
                            ast::TargetSpec::Within {
                                calendar: Some(r), ..
                            }
                            | ast::TargetSpec::NextWorkingDay {
                                calendar: Some(r), ..
                            } => self.calendar_ref(r),
                            _ => {}
                        }
                    }
                }
            }
            Item::Objective(o) => {
                let sym = self.defs.clock_end(&o.metric.node);
                self.push(o.metric.span, sym);
                self.selector(&o.selector);
            }
            Item::Exclusion(e) => {
                for m in &e.metrics {
                    let sym = self.defs.clock_end(&m.node);
                    self.push(m.span, sym);
                }
                self.condition(&e.when);
            }
            Item::Escalation(e) => {
                for it in &e.items {
                    match it {
                        ast::EscalationItem::Available(r, _) => self.calendar_ref(r),
                        ast::EscalationItem::Level { triggers, .. } => {
                            for t in triggers {
                                match t {
                                    ast::Trigger::Breached { metric, .. }
                                    | ast::Trigger::Used { metric, .. } => {
                                        let sym = self.defs.clock_end(&metric.node);
                                        self.push(metric.span, sym);
                                    }
                                    ast::Trigger::When(c) => self.condition(c),
                                }
                            }
                        }
                        ast::EscalationItem::Carries(fields, _) => {
                            for f in fields {
                                self.ident(f, Sym::Field);
                            }
                        }
                        ast::EscalationItem::Contact { .. } | ast::EscalationItem::Owner(..) => {}
                    }
                }
            }
            Item::Availability(a) => {
                for it in &a.items {
                    if let ast::AvailabilityItem::Window { calendar, .. } = it {
                        self.calendar_ref(calendar);
                    }
                }
            }
            Item::Changes(_) | Item::Credits(_) => {}
        }
    }

    fn selector(&mut self, s: &ast::Selector) {
        for p in &s.priorities {
            self.ident(p, Sym::Priority);
        }
        if let Some(c) = &s.when {
            self.condition(c);
        }
    }

    fn condition(&mut self, c: &ast::Condition) {
        use ast::Condition;
        match c {
            Condition::Or(cs, _) | Condition::And(cs, _) => {
                for c in cs {
                    self.condition(c);
                }
            }
            Condition::Not(c, _) => self.condition(c),
            Condition::In { field, values, .. } => {
                self.ident(field, Sym::Field);
                for v in values {
                    self.label_value(&field.node, v);
                }
            }
            Condition::Compare { field, value, .. } => {
                self.ident(field, Sym::Field);
                self.label_value(&field.node, value);
            }
            Condition::Empty { field, .. } => self.ident(field, Sym::Field),
            Condition::Inside {
                field, calendar, ..
            } => {
                self.ident(field, Sym::Field);
                self.calendar_ref(calendar);
            }
        }
    }
}
