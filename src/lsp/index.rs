//! The declarations of one parsed file by name, for what hover shows and
//! what completion offers: the syntax of a calendar, a field, a metric.
//!
//! Which declaration a name refers to is the checker's answer
//! ([`crate::check::Names`]); this only finds the declaration's node in the
//! tree. The first declaration of a name is kept, as in the checker, which
//! reports the others as duplicates.

use std::collections::BTreeMap;

use crate::syntax::ast;

/// The declarations of a file.
#[derive(Default)]
pub(crate) struct Defs<'a> {
    pub(crate) calendars: BTreeMap<&'a str, &'a ast::Calendar>,
    pub(crate) fields: BTreeMap<&'a str, &'a ast::FieldDecl>,
    pub(crate) priorities: BTreeMap<&'a str, (&'a ast::PriorityLevel, &'a ast::Priority)>,
    pub(crate) metrics: BTreeMap<&'a str, &'a ast::Metric>,
    pub(crate) closures: BTreeMap<&'a str, &'a ast::Closure>,
    pub(crate) objectives: BTreeMap<&'a str, &'a ast::Objective>,
    /// Every target clause, for listing a metric's targets.
    pub(crate) clauses: Vec<(&'a ast::TargetRow, &'a ast::TargetClause)>,
}

impl<'a> Defs<'a> {
    pub(crate) fn new(file: &'a ast::File) -> Defs<'a> {
        let mut d = Defs::default();
        d.add(&file.items);
        d
    }

    /// Declarations of `items`, those inside `version` blocks included (a
    /// version's block of an existing name is a later version of the same
    /// declaration: the first stays the definition).
    fn add(&mut self, items: &'a [ast::Item]) {
        let d = self;
        for item in items {
            match item {
                ast::Item::Version(v) => d.add(&v.items),
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
                ast::Item::Objective(o) => {
                    d.objectives.entry(o.name.node.as_str()).or_insert(o);
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
    }

    /// The labels a field declares (empty for other types).
    pub(crate) fn labels(&self, field: &str) -> &'a [ast::Value] {
        match self.fields.get(field).map(|f| &f.ty) {
            Some(ast::FieldType::Label(values, _)) => values,
            _ => &[],
        }
    }
}
