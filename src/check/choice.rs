//! Calendars chosen per ticket by a field (`calendar office by region {
//! us = new_york ... }`): the field, the values and the calendars named, a
//! row for every label (E0205), and a choice used only where a ticket can
//! make it (E0206).

use std::collections::BTreeMap;

use super::{Checker, FieldInfo, Sym};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::rules::{CalendarChoice, FieldKind};
use crate::syntax::ast::{self, Span};

/// The values a calendar choice may name, by the kind of its field.
enum ChoiceValues {
    /// A label field's labels: each must be given a calendar.
    Labels(Vec<String>),
    /// A text field's: any value, and the rows say which have a calendar.
    AnyText,
}

impl Checker<'_> {
    /// Checks each calendar chosen by a field and records the sound ones.
    pub(super) fn choices(&mut self, choices: &[(&ast::Ident, &ast::Ident, &[ast::ChoiceRow])]) {
        for (name, field, rows) in choices {
            if let Some(choice) = self.choice(name, field, rows) {
                self.calendar_choices.insert(name.node.clone(), choice);
            } else {
                self.broken_calendars.insert(name.node.clone());
            }
        }
    }

    fn choice(
        &mut self,
        name: &ast::Ident,
        field: &ast::Ident,
        rows: &[ast::ChoiceRow],
    ) -> Option<CalendarChoice> {
        let info = self.field(field)?;
        let labels = match self.choice_values(field, &info)? {
            ChoiceValues::Labels(labels) => Some(labels),
            ChoiceValues::AnyText => None,
        };
        let mut ok = true;
        let mut calendars = BTreeMap::new();
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        // Labels a misspelt value was meant for: E0102 already says so.
        let mut meant: Vec<String> = Vec::new();
        for row in rows {
            let target = self.chosen_calendar(&row.calendar);
            ok &= target.is_some();
            for v in &row.values {
                if labels.is_some() {
                    self.label_used(&field.node, v);
                }
                let text = v.text();
                if let Some(labels) = &labels {
                    if !labels.contains(&text) {
                        self.unknown_label(v, &field.node, labels);
                        meant.extend(
                            did_you_mean(&text, labels.iter().map(String::as_str))
                                .map(str::to_string),
                        );
                        ok = false;
                        continue;
                    }
                }
                if let Some(prev) = seen.get(&text) {
                    self.report(
                        Diagnostic::new(
                            Code::Duplicate,
                            format!("`{text}` is given a calendar twice in `{}`", name.node),
                        )
                        .primary(v.span(), "given again here")
                        .secondary(*prev, "first given here")
                        .help("give each value one calendar"),
                    );
                    ok = false;
                    continue;
                }
                seen.insert(text.clone(), v.span());
                if let Some(cal) = &target {
                    calendars.insert(text, cal.clone());
                }
            }
        }
        if let Some(labels) = &labels {
            let missing: Vec<&str> = labels
                .iter()
                .filter(|l| !seen.contains_key(*l) && !meant.contains(l))
                .map(String::as_str)
                .collect();
            ok &= meant.is_empty();
            if !missing.is_empty() {
                self.missing_choices(name, field, info.span, &missing, rows);
                ok = false;
            }
        }
        ok.then(|| CalendarChoice {
            field: field.node.clone(),
            calendars,
        })
    }

    /// The values a choice may name; `None` (reported) for a field that is
    /// neither a label nor a text field.
    fn choice_values(&mut self, field: &ast::Ident, info: &FieldInfo) -> Option<ChoiceValues> {
        match &info.kind {
            FieldKind::Label { labels } => Some(ChoiceValues::Labels(labels.clone())),
            FieldKind::Text => Some(ChoiceValues::AnyText),
            other => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!(
                            "a calendar is chosen by a label or text field, but `{}` is {}",
                            field.node,
                            super::kind_word(other)
                        ),
                    )
                    .primary(field.span, "not a label or text field")
                    .secondary(info.span, "declared here")
                    .help("choose by a field such as `region: label [us, de, jp]`"),
                );
                None
            }
        }
    }

    /// Labels of the field no row of the choice gives a calendar.
    fn missing_choices(
        &mut self,
        name: &ast::Ident,
        field: &ast::Ident,
        declared: Span,
        missing: &[&str],
        rows: &[ast::ChoiceRow],
    ) {
        let list = missing
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let example = rows
            .first()
            .map_or("CALENDAR".to_string(), |r| r.calendar.name.node.clone());
        self.report(
            Diagnostic::new(
                Code::ChoiceMissing,
                format!(
                    "calendar `{}` has no calendar for {list} of field `{}`",
                    name.node, field.node
                ),
            )
            .primary(name.span, "tickets with these labels could not be judged")
            .secondary(declared, format!("`{}` declared here", field.node))
            .help(format!(
                "add a row for each, e.g. `{} = {example}`",
                missing[0]
            )),
        );
    }

    /// A calendar a choice names: a calendar of the contract, not a choice.
    fn chosen_calendar(&mut self, r: &ast::CalendarRef) -> Option<String> {
        if self.choice_names.contains(&r.name.node) {
            self.names
                .used(Sym::Calendar(r.name.node.clone()), r.name.span);
            self.report(
                Diagnostic::new(
                    Code::ChoiceOutOfPlace,
                    format!(
                        "`{}` is itself chosen by a field; a choice names calendars",
                        r.name.node
                    ),
                )
                .primary(r.name.span, "a calendar chosen by a field")
                .help("name one of the calendars it chooses between"),
            );
            return None;
        }
        self.calendar_ref(r)
    }

    /// The calendar a clock counts in: a calendar, or one chosen by a field.
    pub(super) fn clock_calendar(&mut self, r: &ast::CalendarRef) -> Option<String> {
        let name = &r.name.node;
        if self.choice_names.contains(name) {
            self.used.insert(name.clone());
            self.names.used(Sym::Calendar(name.clone()), r.name.span);
            // A choice with errors has been reported; uses stay quiet.
            return self
                .calendar_choices
                .contains_key(name)
                .then(|| name.clone());
        }
        self.calendar_ref(r)
    }

    /// E0206 when `r` names a choice where no ticket chooses; `true` then.
    pub(super) fn choice_out_of_place(&mut self, r: &ast::CalendarRef) -> bool {
        if !self.choice_names.contains(&r.name.node) {
            return false;
        }
        let d = Diagnostic::new(
            Code::ChoiceOutOfPlace,
            format!(
                "calendar `{}` is chosen per ticket by a field, but here no ticket chooses",
                r.name.node
            ),
        )
        .primary(r.name.span, "a calendar chosen by a field")
        .help("only a metric or a target counts in such a calendar; name one of the calendars it chooses between");
        self.report(d);
        true
    }
}
