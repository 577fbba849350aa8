//! A rule set as a list of facts in the contract's terms: each fact is one
//! thing the agreement says (`target` `resolution high` = `within 4 hours
//! of office`), keyed by what it is about. Two contracts mean the same when
//! they state the same facts, whatever their layout, comments or order of
//! items; their difference is the facts added, removed and changed.

use crate::diff::terms;
use crate::rules::{
    Availability, Changes, ContractInfo, Credits, Escalation, FieldKind, InstantSource, Priority,
    PrioritySource, RuleSet,
};
use crate::time::spec::CalendarSpec;

/// One statement of a contract: `section` and `subject` say what it is
/// about, `text` what it says (empty for a fact that is there or not, such
/// as one closed day of a calendar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fact {
    pub(crate) section: String,
    pub(crate) subject: String,
    pub(crate) text: String,
    /// For a fact of what a version changes, what the version before said:
    /// shown beside `text` when the change is added or removed, left out
    /// when two contracts' versions say different things of one subject.
    pub(crate) was: Option<String>,
}

impl Fact {
    /// What the fact says, with what it replaced (`4 hours → 6 hours`).
    pub(crate) fn said(&self) -> String {
        match &self.was {
            Some(was) => format!("{was} → {}", self.text),
            None => self.text.clone(),
        }
    }
}

/// Every fact of a rule set, in the order of the contract's sections.
pub(crate) fn facts(rules: &RuleSet) -> Vec<Fact> {
    let mut out = Facts(Vec::new());
    contract(&mut out, &rules.contract, &rules.timezone);
    for (name, spec) in &rules.calendars {
        // The built-in always-open calendar follows the contract's zone, said above.
        if name != crate::rules::ALWAYS {
            calendar(&mut out, name, spec);
        }
    }
    for f in &rules.fields {
        let mut text = match &f.kind {
            FieldKind::Text => "text".to_string(),
            FieldKind::Integer => "integer".into(),
            FieldKind::Timestamp => "timestamp".into(),
            FieldKind::Status => "status".into(),
            FieldKind::Label { labels } => format!("label [{}]", labels.join(", ")),
        };
        if f.column != f.name {
            text.push_str(&format!(" from column {}", f.column));
        }
        if f.optional {
            text.push_str(", optional");
        }
        out.add("field", &f.name, text);
    }
    if let Some(p) = &rules.priority {
        priority(&mut out, p);
    }
    for c in &rules.closures {
        let text = format!(
            "at {}, or automatically {} after {}",
            c.confirmed, c.after, c.from
        );
        out.add("closure", &c.name, text);
    }
    for m in &rules.metrics {
        let mut text = format!(
            "from {} to {} in {}",
            source(&m.start),
            source(&m.stop),
            m.calendar
        );
        if !m.pause.is_empty() {
            text.push_str(&format!(", paused while {}", m.pause.join(", ")));
        }
        if m.target_at == crate::rules::TargetAt::Start {
            text.push_str(", target set at start");
        }
        out.add("metric", &m.name, text);
    }
    for t in &rules.targets {
        let subject = format!("{} {}", t.metric, terms::selector(&t.selector));
        // In a first-match block a row's place is part of its meaning:
        // moving it up or down changes which tickets it takes.
        let text = format!(
            "{}{}",
            policy_row(t.policy),
            terms::duration(&t.duration, &t.calendar)
        );
        out.add("target", &subject, text);
    }
    for o in &rules.objectives {
        let tickets = match terms::selector(&o.selector) {
            s if s == "all tickets" => String::new(),
            s => format!(" {s}"),
        };
        let text = format!(
            "{}{} of {}{tickets} per {}",
            policy_row(o.policy),
            terms::percent(o.required),
            o.metric,
            terms::period(o.period)
        );
        out.add("objective", &o.name, text);
    }
    for e in &rules.exclusions {
        let mut text = format!("\"{}\"", e.reason);
        if let Some(ms) = &e.metrics {
            text.push_str(&format!(" for {}", ms.join(", ")));
        }
        out.add("exclusion", &e.when.to_string(), text);
    }
    if let Some(e) = &rules.escalation {
        escalation(&mut out, e);
    }
    for a in &rules.availability {
        availability(&mut out, a);
    }
    if let Some(c) = &rules.changes {
        changes(&mut out, c);
    }
    if let Some(c) = &rules.credits {
        credits(&mut out, c);
    }
    out.0
}

/// `row 2 of first-match block 1: ` for a target or share of such a row
/// (the tickets it takes are those no row above it takes); empty otherwise.
fn policy_row(p: Option<crate::rules::PolicyRow>) -> String {
    p.map_or(String::new(), |p| {
        format!("row {} of first-match block {}: ", p.row + 1, p.block + 1)
    })
}

struct Facts(Vec<Fact>);

impl Facts {
    /// Adds a fact; a second fact on the same subject (two targets with the
    /// same selector, which a first-match list allows) is numbered.
    fn add(&mut self, section: &str, subject: &str, text: String) {
        let mut subject = subject.to_string();
        let mut n = 1;
        while self
            .0
            .iter()
            .any(|f| f.section == section && f.subject == subject)
        {
            n += 1;
            subject = format!("{subject} (#{n})");
        }
        self.0.push(Fact {
            section: section.into(),
            subject,
            text,
            was: None,
        });
    }

    fn flag(&mut self, section: &str, subject: &str) {
        self.add(section, subject, String::new());
    }
}

fn source(s: &InstantSource) -> String {
    match s {
        InstantSource::Field(f) => f.clone(),
        InstantSource::MetricStop(m) => format!("the stop of {m}"),
        InstantSource::Closure(c) => c.clone(),
        InstantSource::Event(e) => e.clone(),
        InstantSource::Status(ss) => format!("status in [{}]", ss.join(", ")),
        InstantSource::EarliestOf(of) => {
            let each: Vec<String> = of.iter().map(source).collect();
            format!("earliest of {}", each.join(", "))
        }
    }
}

fn contract(out: &mut Facts, c: &ContractInfo, timezone: &str) {
    let months = |n: u32| format!("{n} month{}", if n == 1 { "" } else { "s" });
    out.add("contract", "name", format!("\"{}\"", c.name));
    let optional = [
        ("provider", c.provider.as_ref().map(|p| format!("\"{p}\""))),
        ("customer", c.customer.as_ref().map(|p| format!("\"{p}\""))),
        ("effective", c.effective.map(|d| d.to_string())),
        ("term", c.term_months.map(months)),
        ("renewal", c.renewal_months.map(months)),
        ("notice", c.notice_months.map(months)),
        ("export", c.export.clone()),
    ];
    for (subject, text) in optional {
        if let Some(text) = text {
            out.add("contract", subject, text);
        }
    }
    out.add("contract", "timezone", timezone.to_string());
    for l in &c.links {
        out.add("contract", &format!("link {}", l.name), l.url.clone());
    }
}

fn calendar(out: &mut Facts, name: &str, spec: &CalendarSpec) {
    let section = format!("calendar {name}");
    match spec {
        CalendarSpec::Always { timezone } => {
            out.add(&section, "open", format!("24x7 in {timezone}"))
        }
        CalendarSpec::Complement { of } => out.add(
            &section,
            "open",
            format!("outside ({})", terms::calendar(of)),
        ),
        CalendarSpec::Weekly(w) => {
            out.add(&section, "timezone", w.timezone.clone());
            out.add(&section, "open", terms::opening(&w.open));
            for rule in &w.closed {
                out.flag(&section, &format!("closed on {}", terms::day_rule(rule)));
            }
            for d in &w.reopened {
                out.flag(&section, &format!("open on {d}"));
            }
        }
    }
}

fn priority(out: &mut Facts, p: &Priority) {
    match &p.source {
        PrioritySource::Field { field } => out.add("priority", "from", format!("field {field}")),
        PrioritySource::Matrix {
            rows,
            columns,
            cells,
        } => {
            out.add("priority", "from", format!("matrix {rows} × {columns}"));
            for c in cells {
                let subject = format!("{rows} {} × {columns} {}", c.row, c.column);
                out.add("priority", &subject, c.priority.clone());
            }
        }
    }
    for l in &p.levels {
        out.add("priority", &l.name, format!("\"{}\"", l.description));
    }
}

fn escalation(out: &mut Facts, e: &Escalation) {
    if let Some(a) = &e.available {
        out.add("escalation", "available", a.clone());
    }
    for c in &e.contacts {
        out.add(
            "escalation",
            &format!("contact {}", c.channel),
            c.address.clone(),
        );
    }
    for l in &e.levels {
        let triggers: Vec<String> = l.triggers.iter().map(terms::trigger).collect();
        let mut text = l.role.clone();
        if !triggers.is_empty() {
            text.push_str(&format!(", on {}", triggers.join(" or ")));
        }
        out.add("escalation", &format!("level {}", l.level), text);
    }
    if !e.carries.is_empty() {
        out.add("escalation", "carries", e.carries.join(", "));
    }
    if let Some(o) = &e.owner {
        out.add("escalation", "owner", o.clone());
    }
}

fn availability(out: &mut Facts, a: &Availability) {
    let section = format!("availability {}", a.service);
    out.add(&section, "period", terms::period(a.period).to_string());
    for w in &a.windows {
        let text = format!("{} in {}", terms::percent(w.required), w.calendar);
        out.add(&section, &w.name, text);
        for t in &w.credit_tiers {
            let subject = format!("{} below {}", w.name, terms::percent(t.below));
            out.add(
                &section,
                &subject,
                format!("credit {}", terms::percent(t.credit)),
            );
        }
    }
    if let Some(n) = a.max_interruptions {
        out.add(&section, "max interruptions", n.to_string());
    }
    if let Some(s) = a.sample_seconds {
        out.add(&section, "measured every", terms::seconds(i64::from(s)));
    }
}

fn changes(out: &mut Facts, c: &Changes) {
    out.add("changes", "go live", c.allowed.clone());
    if let Some(b) = &c.by_exception {
        out.add("changes", "by exception", b.clone());
    }
    for l in &c.lead_times {
        let subject = match l.max_hours {
            Some(max) => format!("lead time {} to {max} hours", l.min_hours),
            None => format!("lead time over {} hours", l.min_hours),
        };
        let text = if l.weeks.is_empty() {
            "agreed".to_string()
        } else {
            l.weeks
                .iter()
                .map(|w| format!("{}..{} weeks at {} load", w.min_weeks, w.max_weeks, w.load))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.add("changes", &subject, text);
    }
}

fn credits(out: &mut Facts, c: &Credits) {
    if let Some(f) = &c.fee {
        let text = format!(
            "{} {} per {}",
            f.amount,
            f.currency,
            terms::period(f.period)
        );
        out.add("credits", "fee", text);
    }
    if let Some(m) = &c.per_missed_objective {
        let mut text = terms::credit(&m.credit);
        if let Some(cap) = &m.cap {
            text.push_str(&format!(", at most {} per period", terms::credit(cap)));
        }
        out.add("credits", "per missed objective", text);
    }
}
