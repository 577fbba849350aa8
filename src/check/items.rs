//! Targets, objectives, conditions, exclusions, escalation, availability and
//! change windows; then the checks across items (overlapping targets) and the
//! warnings about what is legal but suspicious.

use std::collections::{BTreeSet, HashMap};

use super::overlap::never_holds;
use super::{kind_word, Checker, Kind, Sym};
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::{self, Condition, FieldKind, Selector, TargetDuration, Value, ALWAYS};
use crate::syntax::ast::{self, Span};
use crate::time::spec::{CalendarSpec, WeeklySpec};

impl Checker<'_> {
    pub(super) fn percent(&mut self, p: &ast::Spanned<f64>) -> Option<f64> {
        if p.node.is_finite() && (0.0..=100.0).contains(&p.node) {
            return Some(p.node);
        }
        self.report(
            Diagnostic::new(
                Code::BadPercentage,
                format!("{}% is not a percentage between 0% and 100%", p.node),
            )
            .primary(p.span, "out of range"),
        );
        None
    }

    pub(super) fn period(&mut self, p: Option<&ast::Spanned<String>>) -> rules::Period {
        match p.map(|p| p.node.as_str()) {
            Some("quarter") => rules::Period::Quarter,
            Some("year") => rules::Period::Year,
            _ => rules::Period::Month,
        }
    }

    fn metric_ref(&mut self, m: &ast::Ident) -> Option<rules::Metric> {
        self.names.used(Sym::Metric(m.node.clone()), m.span);
        if let Some(x) = self.metrics.iter().find(|x| x.name == m.node) {
            self.used.insert(m.node.clone());
            return Some(x.clone());
        }
        if !self.metric_spans.contains_key(&m.node) {
            self.unknown(Kind::Metric, m);
        }
        None
    }

    pub(super) fn selector(&mut self, s: &ast::Selector) -> Option<Selector> {
        let mut ok = true;
        let priorities = if s.priorities.is_empty() {
            None
        } else if self.priority.is_none() && self.priority_spans.is_empty() {
            // Once is enough: every further row would say the same.
            if std::mem::replace(&mut self.reported_no_priority, true) {
                return None;
            }
            self.report(
                Diagnostic::new(
                    Code::Missing,
                    "targets name priorities, but the contract declares none",
                )
                .primary(s.priorities[0].span, "a priority")
                .help("add a `priority from FIELD { ... }` block"),
            );
            return None;
        } else {
            let mut names = Vec::new();
            for p in &s.priorities {
                self.names.used(Sym::Priority(p.node.clone()), p.span);
                if self.priority_spans.iter().any(|(n, _)| *n == p.node) {
                    names.push(p.node.clone());
                } else {
                    ok = false;
                    self.unknown(Kind::Priority, p);
                }
            }
            Some(names)
        };
        let when = match &s.when {
            Some(c) => {
                let c = self.condition(c);
                ok &= c.is_some();
                c
            }
            None => None,
        };
        ok.then_some(Selector { priorities, when })
    }

    /// Check a condition against the fields' types and convert it.
    pub(super) fn condition(&mut self, c: &ast::Condition) -> Option<Condition> {
        Some(match c {
            ast::Condition::Or(parts, _) | ast::Condition::And(parts, _) => {
                let converted: Vec<Option<Condition>> =
                    parts.iter().map(|p| self.condition(p)).collect();
                let of = converted.into_iter().collect::<Option<Vec<_>>>()?;
                if matches!(c, ast::Condition::Or(..)) {
                    Condition::Any { of }
                } else {
                    Condition::All { of }
                }
            }
            ast::Condition::Not(inner, _) => Condition::Not {
                of: Box::new(self.condition(inner)?),
            },
            ast::Condition::In { field, values, .. } => Condition::In {
                field: field.node.clone(),
                values: self.values(field, values)?,
            },
            ast::Condition::Compare {
                field,
                negated,
                value,
                ..
            } => {
                let values = self.values(field, std::slice::from_ref(value))?;
                let cond = Condition::In {
                    field: field.node.clone(),
                    values,
                };
                if *negated {
                    Condition::Not { of: Box::new(cond) }
                } else {
                    cond
                }
            }
            ast::Condition::Empty { field, .. } => {
                self.field(field)?;
                Condition::Empty {
                    field: field.node.clone(),
                }
            }
            ast::Condition::Inside {
                field,
                inside,
                calendar,
                ..
            } => {
                let ok = self.timestamp_field(field, "the field before `inside` or `outside`");
                let cal = self.calendar_ref(calendar)?;
                ok.then_some(())?;
                Condition::Opened {
                    field: field.node.clone(),
                    calendar: cal,
                    inside: *inside,
                }
            }
        })
    }

    /// Values compared with a field: labels must be in its set, integers for integer fields.
    fn values(&mut self, field: &ast::Ident, values: &[ast::Value]) -> Option<Vec<Value>> {
        let f = self.field(field)?;
        let mut out = Vec::new();
        let mut ok = true;
        for v in values {
            match (&f.kind, v) {
                (FieldKind::Label { labels }, _) => {
                    self.label_used(&field.node, v);
                    if labels.contains(&v.text()) {
                        out.push(Value::Label(v.text()));
                    } else {
                        ok = false;
                        let labels = labels.clone();
                        self.unknown_label(v, &field.node, &labels);
                    }
                }
                (FieldKind::Integer, ast::Value::Int(n)) => out.push(Value::Integer(n.node)),
                (FieldKind::Text, _) => out.push(Value::Label(v.text())),
                (kind, _) => {
                    ok = false;
                    // A status field is the ticket's status history, read by
                    // pauses and reopenings; the evaluator has no one value
                    // of it to compare.
                    let help = match kind {
                        FieldKind::Integer => "compare it with a whole number",
                        FieldKind::Status => "a status field holds the ticket's status history, which pauses read; compare a label or text field instead, or test it with `is empty`",
                        _ => "compare it with `is empty` or `inside CALENDAR`",
                    };
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            format!(
                                "`{}` is {}; it cannot be compared with `{}`",
                                field.node,
                                kind_word(kind),
                                v.text()
                            ),
                        )
                        .primary(v.span(), "wrong kind of value")
                        .secondary(f.span, "declared here")
                        .help(help),
                    );
                }
            }
        }
        ok.then_some(out)
    }

    /// W0004 for a selector whose condition no ticket can meet.
    fn selector_applies(&mut self, s: &ast::Selector, checked: Option<&Selector>) {
        let (Some(Selector { when: Some(c), .. }), Some(ast_when)) = (checked, &s.when) else {
            return;
        };
        if never_holds(c, &self.calendars) {
            self.report(
                Diagnostic::new(Code::NeverApplies, "this selector can never apply")
                    .primary(ast_when.span(), "no ticket can meet this condition")
                    .help("check the values: a field cannot be in an empty list, nor equal two different values"),
            );
        }
    }

    pub(super) fn targets(&mut self, t: &ast::Targets) {
        let period = self.period(t.period.as_ref());
        let block = t.first_match.map(|_| {
            self.policy_blocks += 1;
            self.policy_blocks - 1
        });
        let mut checked_rows = Vec::new();
        for (r, row) in t.rows.iter().enumerate() {
            let policy = block.map(|b| rules::PolicyRow {
                block: b,
                row: r as u32,
            });
            let selector = self.selector(&row.selector);
            self.selector_applies(&row.selector, selector.as_ref());
            if let Some(s) = &selector {
                checked_rows.push((s.clone(), row.selector.span));
            }
            for clause in &row.clauses {
                let metric = self.metric_ref(&clause.metric);
                let share = clause.share.as_ref().and_then(|s| self.percent(s));
                let (Some(selector), Some(metric)) = (selector.clone(), metric) else {
                    self.spec_calendar_used(&clause.spec);
                    continue;
                };
                let Some((duration, calendar)) = self.target_spec(&clause.spec, &metric) else {
                    continue;
                };
                if let (Some(share), Some(_)) = (share, &clause.share) {
                    if matches!(
                        duration,
                        TargetDuration::Untimed { .. } | TargetDuration::NotApplicable
                    ) {
                        self.report(
                            Diagnostic::new(
                                Code::BadObjective,
                                "an untimed target has no share to meet",
                            )
                            .primary(clause.span, "untimed, yet with a share"),
                        );
                    } else {
                        let name = format!("{} {}", metric.name, selector_name(&selector));
                        let objective = rules::Objective {
                            name,
                            metric: metric.name.clone(),
                            selector: selector.clone(),
                            policy,
                            required: share,
                            period,
                        };
                        self.add_objective(objective, clause.span, true);
                    }
                }
                self.targets.push(rules::Target {
                    metric: metric.name.clone(),
                    selector: selector.clone(),
                    duration,
                    calendar,
                    policy,
                });
                self.target_spans.push((row.span, clause.span));
            }
        }
        // Only when every row checked: a row left out would shift the rest.
        if block.is_some() && checked_rows.len() == t.rows.len() {
            self.unreachable_rows(&checked_rows);
        }
    }

    /// The calendar a target clause names, recorded for editors when the
    /// clause is not checked further (its row or metric had errors).
    fn spec_calendar_used(&mut self, spec: &ast::TargetSpec) {
        if let ast::TargetSpec::Within {
            calendar: Some(r), ..
        }
        | ast::TargetSpec::NextWorkingDay {
            calendar: Some(r), ..
        } = spec
        {
            self.names
                .used(Sym::Calendar(r.name.node.clone()), r.name.span);
        }
    }

    fn add_objective(&mut self, objective: rules::Objective, span: Span, generated: bool) {
        let name = objective.name.clone();
        if let Some(prev) = self.objective_spans.get(&name) {
            let prev = *prev;
            let prev_generated = self.generated_objectives.contains(&name);
            // Two rows with the same selector overlap, and that is reported
            // (E0402); the objectives they name alike are only its echo.
            if generated && prev_generated {
                return;
            }
            let mut d = Diagnostic::new(
                Code::Duplicate,
                format!("objective `{name}` is defined twice"),
            )
            .primary(span, "defined again here")
            .secondary(prev, "first defined here");
            if generated || prev_generated {
                d = d
                    .note("a share on a target row makes an objective named after the metric and the row's selector")
                    .help("give one of them its own name with an `objective \"NAME\" METRIC for SELECTOR at least N%` item");
            } else {
                d = d.help("give each objective its own name");
            }
            self.report(d);
            return;
        }
        if generated {
            self.generated_objectives.insert(name.clone());
        }
        self.objective_spans.insert(name, span);
        self.objectives.push(objective);
    }

    fn target_spec(
        &mut self,
        spec: &ast::TargetSpec,
        metric: &rules::Metric,
    ) -> Option<(TargetDuration, String)> {
        let cal_of = |c: &mut Self, r: &Option<ast::CalendarRef>| match r {
            Some(r) => c.clock_calendar(r),
            None => Some(metric.calendar.clone()),
        };
        Some(match spec {
            ast::TargetSpec::Within {
                duration, calendar, ..
            } => {
                let cal = cal_of(self, calendar)?;
                (self.duration(duration, &cal)?, cal)
            }
            ast::TargetSpec::NextWorkingDay { calendar, span } => {
                let cal = cal_of(self, calendar)?;
                self.working_calendar(&cal, *span)?;
                (TargetDuration::NextWorkingDay, cal)
            }
            ast::TargetSpec::Untimed {
                note, best_effort, ..
            } => (
                TargetDuration::Untimed {
                    // Without a note, the words the contract used.
                    note: note.as_ref().map_or_else(
                        || {
                            if *best_effort {
                                "best effort"
                            } else {
                                "untimed"
                            }
                            .into()
                        },
                        |n| n.node.clone(),
                    ),
                },
                metric.calendar.clone(),
            ),
            ast::TargetSpec::NotApplicable(_) => {
                (TargetDuration::NotApplicable, metric.calendar.clone())
            }
        })
    }

    /// Working days need a calendar that has some.
    fn working_calendar(&mut self, cal: &str, span: Span) -> Option<()> {
        // A calendar whose hours had errors has already been reported.
        if self.broken_calendars.contains(cal) {
            return Some(());
        }
        if let Some(CalendarSpec::Weekly(WeeklySpec { open, .. })) = self.calendars.get(cal) {
            if open.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::BadDuration,
                        format!("calendar `{cal}` has no working days"),
                    )
                    .primary(span, "counts working days")
                    .help("give the calendar opening hours"),
                );
                return None;
            }
        }
        Some(())
    }

    fn duration(&mut self, d: &ast::Duration, cal: &str) -> Option<TargetDuration> {
        let amount = d.amount.node;
        let unit = d.unit.node.as_str();
        if !amount.is_finite() || amount > 1e6 {
            self.report(
                Diagnostic::new(
                    Code::InvalidLiteral,
                    "this number is too large for a target",
                )
                .primary(d.amount.span, "too large")
                .help("targets run to at most a million hours, days or months"),
            );
            return None;
        }
        let whole = amount.fract() == 0.0 && amount >= 0.0;
        let seconds_per = match unit {
            "hour" | "hours" => Some(3600.0),
            "minute" | "minutes" => Some(60.0),
            _ => None,
        };
        if let Some(per) = seconds_per {
            let secs = amount * per;
            if !(secs.is_finite() && secs.fract() == 0.0 && (0.0..=1e10).contains(&secs)) {
                self.report(
                    Diagnostic::new(
                        Code::InvalidLiteral,
                        format!(
                            "`{} {unit}` is not a whole number of seconds",
                            d.amount.node
                        ),
                    )
                    .primary(d.span, "use whole seconds"),
                );
                return None;
            }
            return Some(TargetDuration::Seconds {
                seconds: secs as i64,
            });
        }
        if !whole {
            self.report(
                Diagnostic::new(Code::InvalidLiteral, format!("`{unit}` are counted whole"))
                    .primary(d.amount.span, "not a whole number")
                    .help(format!("write e.g. `2 {unit}`")),
            );
            return None;
        }
        let n = amount as u32;
        match unit {
            "working day" | "working days" => {
                self.working_calendar(cal, d.span)?;
                Some(TargetDuration::WorkingDays { n })
            }
            _ => {
                if cal != ALWAYS {
                    let help = if unit.starts_with("month") {
                        format!("count calendar months in `24x7`: `within {n} {unit} in 24x7`")
                    } else {
                        let days = if n == 1 {
                            "working day"
                        } else {
                            "working days"
                        };
                        format!("write `{n} {days}`, or count calendar days in `24x7`: `within {n} {unit} in 24x7`")
                    };
                    self.report(
                        Diagnostic::new(Code::BadDuration, format!("`{n} {unit}` is calendar time, but this target counts in calendar `{cal}`"))
                            .primary(d.span, "calendar time in a calendar with opening hours")
                            .help(help),
                    );
                    return None;
                }
                let span = if unit.starts_with("month") {
                    rules::CalendarSpan::Months(n)
                } else {
                    rules::CalendarSpan::Days(n)
                };
                Some(TargetDuration::Calendar { span })
            }
        }
    }

    pub(super) fn objective(&mut self, o: &ast::Objective) {
        self.names
            .declare(Sym::Objective(o.name.node.clone()), o.name.span);
        let metric = self.metric_ref(&o.metric);
        let selector = self.selector(&o.selector);
        self.selector_applies(&o.selector, selector.as_ref());
        let required = self.percent(&o.required);
        let period = self.period(o.period.as_ref());
        let (Some(metric), Some(selector), Some(required)) = (metric, selector, required) else {
            return;
        };
        if !self.targets.iter().any(|t| t.metric == metric.name) {
            self.report(
                Diagnostic::new(
                    Code::BadObjective,
                    format!("metric `{}` has no targets to meet", metric.name),
                )
                .primary(o.metric.span, "no target names this metric")
                .help("add target rows for it in a `targets` block"),
            );
            return;
        }
        let objective = rules::Objective {
            name: o.name.node.clone(),
            metric: metric.name,
            selector,
            policy: None,
            required,
            period,
        };
        self.add_objective(objective, o.name.span, false);
    }

    pub(super) fn exclusion(&mut self, e: &ast::Exclusion) {
        let mut metrics = Vec::new();
        for m in &e.metrics {
            if let Some(m) = self.metric_ref(m) {
                metrics.push(m.name);
            }
        }
        let Some(when) = self.condition(&e.when) else {
            return;
        };
        if never_holds(&when, &self.calendars) {
            self.report(
                Diagnostic::new(Code::NeverApplies, "this exclusion can never apply")
                    .primary(e.when.span(), "no ticket can meet this condition")
                    .help("check the values: a field cannot be in an empty list, nor equal two different values"),
            );
        }
        self.exclusions.push(rules::Exclusion {
            when,
            reason: e.reason.node.clone(),
            metrics: if e.metrics.is_empty() {
                None
            } else {
                Some(metrics)
            },
        });
    }

    pub(super) fn escalation(&mut self, e: &ast::Escalation) {
        let mut out = rules::Escalation {
            available: None,
            contacts: Vec::new(),
            levels: Vec::new(),
            carries: Vec::new(),
            owner: None,
        };
        for item in &e.items {
            match item {
                ast::EscalationItem::Available(r, _) => out.available = self.calendar_ref(r),
                ast::EscalationItem::Contact {
                    channel, address, ..
                } => out.contacts.push(rules::Contact {
                    channel: channel.node.clone(),
                    address: address.node.clone(),
                }),
                ast::EscalationItem::Level {
                    level,
                    role,
                    triggers,
                    span,
                } => {
                    if out.levels.iter().any(|l| u64::from(l.level) == level.node) {
                        self.report(
                            Diagnostic::new(
                                Code::Duplicate,
                                format!("escalation level {} is defined twice", level.node),
                            )
                            .primary(*span, "defined again here"),
                        );
                        continue;
                    }
                    let mut ts = Vec::new();
                    for t in triggers {
                        match t {
                            ast::Trigger::Breached { metric, .. } => {
                                if let Some(m) = self.metric_ref(metric) {
                                    ts.push(rules::Trigger::Breached { metric: m.name });
                                }
                            }
                            ast::Trigger::Used {
                                percent, metric, ..
                            } => {
                                let p = self.percent(percent);
                                if let (Some(m), Some(p)) = (self.metric_ref(metric), p) {
                                    ts.push(rules::Trigger::Used {
                                        metric: m.name,
                                        percent: p,
                                    });
                                }
                            }
                            ast::Trigger::When(c) => {
                                if let Some(c) = self.condition(c) {
                                    ts.push(rules::Trigger::When { condition: c });
                                }
                            }
                        }
                    }
                    let Ok(n) = u32::try_from(level.node) else {
                        continue;
                    };
                    out.levels.push(rules::EscalationLevel {
                        level: n,
                        role: role.node.clone(),
                        triggers: ts,
                    });
                }
                ast::EscalationItem::Carries(fields, _) => {
                    for f in fields {
                        if self.field(f).is_some() {
                            out.carries.push(f.node.clone());
                        }
                    }
                }
                ast::EscalationItem::Owner(o, _) => out.owner = Some(o.node.clone()),
            }
        }
        out.levels.sort_by_key(|l| l.level);
        self.escalation = Some(out);
    }

    pub(super) fn availability(&mut self, a: &ast::Availability) {
        if let Some(prev) = self
            .availability
            .iter()
            .position(|x| x.service == a.service.node)
        {
            let _ = prev;
            self.report(
                Diagnostic::new(
                    Code::Duplicate,
                    format!("availability of `{}` is given twice", a.service.node),
                )
                .primary(a.service.span, "given again here")
                .help("put all windows of one service in one block"),
            );
            return;
        }
        let mut out = rules::Availability {
            service: a.service.node.clone(),
            windows: Vec::new(),
            max_interruptions: None,
            sample_seconds: None,
            period: self.period(a.period.as_ref()),
        };
        for item in &a.items {
            match item {
                ast::AvailabilityItem::Window {
                    required,
                    outside,
                    calendar,
                    tiers,
                    ..
                } => {
                    let credit_tiers = self.credit_tiers(tiers);
                    let p = self.percent(required);
                    let Some(cal) = self.calendar_ref(calendar) else {
                        continue;
                    };
                    let Some(p) = p else { continue };
                    let (name, cal_name) = if *outside {
                        let complement = format!("outside {cal}");
                        if let Some(inner) = self.calendars.get(&cal).cloned() {
                            self.calendars.entry(complement.clone()).or_insert(
                                CalendarSpec::Complement {
                                    of: Box::new(inner),
                                },
                            );
                        }
                        (format!("outside {}", window_name(&cal)), complement)
                    } else {
                        (window_name(&cal), cal)
                    };
                    out.windows.push(rules::AvailabilityWindow {
                        name,
                        calendar: cal_name,
                        required: p,
                        credit_tiers,
                    });
                }
                ast::AvailabilityItem::MaxInterruptions(n, _) => {
                    out.max_interruptions = u32::try_from(n.node).ok()
                }
                ast::AvailabilityItem::Measured(d, _) => {
                    let secs = match d.unit.node.as_str() {
                        "minute" | "minutes" => Some(d.amount.node * 60.0),
                        "hour" | "hours" => Some(d.amount.node * 3600.0),
                        _ => None,
                    };
                    let whole = d.amount.node.fract() == 0.0;
                    match secs.filter(|s| whole && *s >= 1.0 && *s <= 86400.0) {
                        Some(s) => out.sample_seconds = Some(s as u32),
                        None => self.report(
                            Diagnostic::new(Code::BadDuration, "a measurement interval is a whole number of minutes or hours, at most a day")
                                .primary(d.span, "not a sampling interval"),
                        ),
                    }
                }
            }
        }
        let written = a
            .items
            .iter()
            .any(|i| matches!(i, ast::AvailabilityItem::Window { .. }));
        if !written {
            self.report(
                Diagnostic::new(
                    Code::Missing,
                    format!(
                        "availability of `{}` names no service window",
                        a.service.node
                    ),
                )
                .primary(a.service.span, "no window")
                .help("add e.g. `99.5% in 24x7`"),
            );
        }
        self.availability.push(out);
    }

    pub(super) fn changes(&mut self, c: &ast::Changes) {
        if self.changes.is_some() {
            self.report(
                Diagnostic::new(Code::Duplicate, "change windows are given twice")
                    .primary(c.span, "second block"),
            );
            return;
        }
        let mut allowed = None;
        let mut exception = None;
        let mut lead_times = Vec::new();
        for item in &c.items {
            match item {
                ast::ChangeItem::GoLive { days, times, span }
                | ast::ChangeItem::Exception { days, times, span } => {
                    let is_exception = matches!(item, ast::ChangeItem::Exception { .. });
                    let name = if is_exception {
                        "changes by exception"
                    } else {
                        "changes"
                    };
                    let mut openings = Vec::new();
                    if times.is_empty() {
                        let whole_day = ast::TimeRange {
                            start: super::spanned("00:00".into(), *span),
                            end: super::spanned("24:00".into(), *span),
                            span: *span,
                        };
                        self.openings(days, std::slice::from_ref(&whole_day), &mut openings);
                    } else {
                        self.openings(days, times, &mut openings);
                    }
                    let spec = CalendarSpec::Weekly(WeeklySpec {
                        timezone: self.timezone.clone().unwrap_or_else(|| "UTC".into()),
                        open: openings.into_iter().map(|(o, _)| o).collect(),
                        closed: Vec::new(),
                        reopened: Vec::new(),
                    });
                    self.calendars.insert(name.into(), spec);
                    if is_exception {
                        exception = Some(name.to_string());
                    } else {
                        allowed = Some(name.to_string());
                    }
                }
                ast::ChangeItem::LeadTime {
                    min_hours,
                    max_hours,
                    weeks,
                    ..
                } => {
                    let mut ws = Vec::new();
                    for w in weeks {
                        if w.max.node < w.min.node {
                            self.report(
                                Diagnostic::new(
                                    Code::InvalidLiteral,
                                    "a range of weeks must not run backwards",
                                )
                                .primary(
                                    w.span,
                                    format!("{} is less than {}", w.max.node, w.min.node),
                                ),
                            );
                            continue;
                        }
                        ws.push(rules::LeadWeeks {
                            load: w.load.node.clone(),
                            min_weeks: w.min.node as u32,
                            max_weeks: w.max.node as u32,
                        });
                    }
                    lead_times.push(rules::LeadTime {
                        min_hours: min_hours.node as u32,
                        max_hours: max_hours.as_ref().map(|m| m.node as u32),
                        weeks: ws,
                    });
                }
            }
        }
        match allowed {
            Some(allowed) => {
                self.changes = Some(rules::Changes {
                    allowed,
                    by_exception: exception,
                    lead_times,
                })
            }
            None => self.report(
                Diagnostic::new(
                    Code::Missing,
                    "change windows need the days on which changes go live",
                )
                .primary(c.span, "no `go live` line")
                .help("add e.g. `go live mon..thu`"),
            ),
        }
    }

    pub(super) fn warnings(&mut self) {
        // After an error, "unused" and "no target" are mostly its echoes
        // (a reference that failed to resolve); they would only distract.
        let syntax_errors = !self.broken_names.is_empty() || !self.broken_blocks.is_empty();
        if syntax_errors || self.diags.iter().any(Diagnostic::is_error) {
            return;
        }
        let mut warn = self.priorities_without_target();
        warn.extend(self.shorter_later_targets());
        warn.extend(self.unused());
        for d in warn {
            self.report(d);
        }
    }

    /// A priority without any target, in a contract that has targets (one
    /// that states none at all gets no warning per priority).
    fn priorities_without_target(&self) -> Vec<Diagnostic> {
        let targeted: BTreeSet<&str> = self
            .targets
            .iter()
            .flat_map(|t| t.selector.priorities.iter().flatten().map(String::as_str))
            .collect();
        let any_unselective = self.targets.iter().any(|t| t.selector.priorities.is_none());
        if any_unselective || self.targets.is_empty() {
            return Vec::new();
        }
        self.priority_spans
            .iter()
            .filter(|(name, _)| !targeted.contains(name.as_str()))
            .map(|(name, span)| {
                Diagnostic::new(
                    Code::PriorityWithoutTarget,
                    format!("priority `{name}` has no target"),
                )
                .primary(*span, "no target row names it")
                .help("add a target row for it, or a comment saying why it has none")
            })
            .collect()
    }

    /// A later clock with the same start and a shorter target for the same
    /// tickets. Targets are grouped by what must be equal (the clock's
    /// start, its pauses and repetition, the selector and the calendar),
    /// so only candidates are paired. A clock that pauses in other
    /// statuses counts other time (Zendesk's agent work time against its
    /// requester wait time): its target may well be shorter.
    fn shorter_later_targets(&self) -> Vec<Diagnostic> {
        let metric_index: HashMap<&str, usize> = self
            .metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.as_str(), i))
            .collect();
        let mut groups: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (i, t) in self.targets.iter().enumerate() {
            if let Some(&m) = metric_index.get(t.metric.as_str()) {
                let metric = &self.metrics[m];
                let mut pause: Vec<&str> = metric.pause.iter().map(String::as_str).collect();
                pause.sort_unstable();
                let key = format!(
                    "{:?}|{:?}|{:?}|{:?}|{}",
                    metric.start, pause, metric.repeat, t.selector, t.calendar
                );
                groups.entry(key).or_default().push((m, i));
            }
        }
        let mut shorter: Vec<_> = groups
            .values_mut()
            .flat_map(|members| self.shorter_in_group(members))
            .collect();
        shorter.sort_unstable();
        shorter
            .into_iter()
            .map(|(late, early, l, e)| {
                let (late_t, early_t) = (&self.targets[late], &self.targets[early]);
                Diagnostic::new(
                    Code::ShorterLaterTarget,
                    format!(
                        "the `{}` target is shorter than the `{}` target for the same tickets",
                        late_t.metric, early_t.metric
                    ),
                )
                .primary(
                    self.target_spans[late].1,
                    format!("{} against {}", hm(l), hm(e)),
                )
                .help("check the numbers: the later clock usually has the longer target")
            })
            .collect()
    }

    /// In one group of (metric, target) pairs, in metric order, each later
    /// target held against the longest target of an earlier metric: one
    /// (late target, early target, late seconds, early seconds) per late
    /// target, in n log n however many rows repeat.
    fn shorter_in_group(&self, members: &mut [(usize, usize)]) -> Vec<(usize, usize, i64, i64)> {
        members.sort_unstable();
        let mut shorter = Vec::new();
        let mut longest: Option<(usize, usize, i64)> = None; // (metric, target, seconds)
        let mut pending: Option<(usize, usize, i64)> = None;
        for &(m, i) in members.iter() {
            let TargetDuration::Seconds { seconds } = self.targets[i].duration else {
                continue;
            };
            // Targets of the metric before this one become "earlier" once
            // the metric changes.
            if let Some(p) = pending {
                if p.0 < m {
                    if longest.is_none_or(|l| p.2 > l.2) {
                        longest = Some(p);
                    }
                    pending = None;
                }
            }
            if let Some((_, early, e)) = longest {
                if seconds < e {
                    shorter.push((i, early, seconds, e));
                }
            }
            if pending.is_none_or(|p| seconds > p.2) {
                pending = Some((m, i, seconds));
            }
        }
        shorter
    }

    /// Calendars, metrics and closures nothing refers to.
    fn unused(&self) -> Vec<Diagnostic> {
        let unused = |spans: &HashMap<String, Span>| -> Vec<(String, Span)> {
            spans
                .iter()
                .filter(|(n, _)| !self.used.contains(*n))
                .map(|(n, s)| (n.clone(), *s))
                .collect()
        };
        let mut warn = Vec::new();
        for (name, span) in unused(&self.calendar_spans) {
            warn.push(
                Diagnostic::new(Code::Unused, format!("calendar `{name}` is never used"))
                    .primary(span, "defined here"),
            );
        }
        if !self.targets.is_empty() {
            for (name, span) in unused(&self.metric_spans) {
                warn.push(
                    Diagnostic::new(
                        Code::Unused,
                        format!(
                            "metric `{name}` has no target, and no other metric starts from it"
                        ),
                    )
                    .primary(span, "defined here"),
                );
            }
        }
        let mut closures = unused(&self.closure_spans);
        closures.sort_by_key(|(_, s)| s.start);
        for (name, span) in closures {
            warn.push(
                Diagnostic::new(Code::Unused, format!("closure `{name}` is never used"))
                    .primary(span, "no metric starts or stops at it")
                    .help(format!(
                        "stop a metric at it: `metric resolution from opened_at to {name}`"
                    )),
            );
        }
        warn
    }
}

fn hm(seconds: i64) -> String {
    let (n, unit) = if seconds % 3600 == 0 {
        (seconds / 3600, "hour")
    } else {
        (seconds / 60, "minute")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// How an objective made from a target row's share is named: by its
/// priorities (`response high`), else by its condition (`response when type = question`).
fn selector_name(s: &Selector) -> String {
    match s.to_string() {
        s if s.is_empty() => "all".into(),
        s => s,
    }
}

/// How reports name a service window over calendar `cal`: `support` reads
/// as "support hours" (and its complement "outside support hours"); `24x7`
/// and names that already say "hours" stay as they are.
fn window_name(cal: &str) -> String {
    if cal == ALWAYS || cal.ends_with("hours") {
        cal.to_string()
    } else {
        format!("{cal} hours")
    }
}
