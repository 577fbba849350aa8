//! The syntax tree of a contract. Every node carries the byte span of the
//! source it came from, so every later stage can point back at the text.
//!
//! The tree is syntax only: names are not resolved and values not checked
//! (a time of day may still read `25:00`); the checker does that.

use serde::Serialize;

/// A byte range `[start, end)` in the source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

thread_local! {
    static SPANLESS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` with spans serialised as `null`: two trees that say the same
/// thing then serialise to the same bytes (the formatter's check that its
/// output means what its input meant, without building JSON values).
pub fn without_spans<R>(f: impl FnOnce() -> R) -> R {
    let before = SPANLESS.with(|s| s.replace(true));
    let out = f();
    SPANLESS.with(|s| s.set(before));
    out
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if SPANLESS.with(std::cell::Cell::get) {
            return s.serialize_unit();
        }
        let mut st = s.serialize_struct("Span", 2)?;
        st.serialize_field("start", &self.start)?;
        st.serialize_field("end", &self.end)?;
        st.end()
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

pub type Ident = Spanned<String>;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct File {
    pub items: Vec<Item>,
    /// Top-level blocks that did not parse, by keyword and (where it could be
    /// read) the name they declare: the checker keeps quiet about uses of
    /// these names, which the syntax error already explains.
    pub broken: Vec<Broken>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Broken {
    pub keyword: String,
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Contract(Contract),
    Calendar(Calendar),
    Fields(Fields),
    Priority(Priority),
    Metric(Metric),
    Closure(Closure),
    Targets(Targets),
    Objective(Objective),
    Exclusion(Exclusion),
    Escalation(Escalation),
    Availability(Availability),
    Changes(Changes),
    Credits(Credits),
    /// `version "2" from 2027-01-01 { ... }`: what changes from that date.
    Version(Version),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Contract(x) => x.span,
            Item::Calendar(x) => x.span,
            Item::Fields(x) => x.span,
            Item::Priority(x) => x.span,
            Item::Metric(x) => x.span,
            Item::Closure(x) => x.span,
            Item::Targets(x) => x.span,
            Item::Objective(x) => x.span,
            Item::Exclusion(x) => x.span,
            Item::Escalation(x) => x.span,
            Item::Availability(x) => x.span,
            Item::Changes(x) => x.span,
            Item::Credits(x) => x.span,
            Item::Version(x) => x.span,
        }
    }
}

// ------------------------------------------------------------------ header

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    pub name: Spanned<String>,
    pub items: Vec<HeaderItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum HeaderItem {
    Provider(Spanned<String>),
    Customer(Spanned<String>),
    Timezone(Spanned<String>),
    /// `effective 2025-01-01`; the text as written (checked later).
    Effective(Spanned<String>),
    Term(Months),
    /// `renews automatically` (`None`: each renewal as long as the term) or `renews every N months`.
    Renewal(Option<Months>, Span),
    Notice(Months),
    Link {
        name: Ident,
        url: Spanned<String>,
        span: Span,
    },
    /// `export servicenow`: the export profile the ticket log is read with.
    Export(Ident),
}

/// `12 months` or `1 year`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Months {
    pub count: Spanned<u64>,
    pub unit: Spanned<String>,
    pub span: Span,
}

/// `version "2" from 2027-01-01 { ... }`: the contract as amended from a
/// date. Its items replace those of the version before with the same
/// identity; the rest is inherited (the checker merges and checks them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    pub name: Spanned<String>,
    /// The date as written (checked later): local midnight of the contract's zone.
    pub from: Spanned<String>,
    pub items: Vec<Item>,
    pub span: Span,
}

// ------------------------------------------------------------------ calendars

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calendar {
    pub name: Ident,
    pub body: CalendarBody,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CalendarBody {
    Weekly(Vec<CalendarItem>),
    /// `= outside office`
    Complement(CalendarRef),
    /// `by region { us = new_york  [de, at] = berlin }`: per ticket, the
    /// calendar its field's value names.
    ByField {
        field: Ident,
        rows: Vec<ChoiceRow>,
    },
}

/// `us = new_york` or `[de, at] = berlin` in a calendar chosen by a field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceRow {
    pub values: Vec<Value>,
    pub calendar: CalendarRef,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CalendarItem {
    Timezone(Spanned<String>),
    Open(Opening),
    Closed(Vec<DayRule>, Span),
    Reopened(Vec<Spanned<String>>, Span),
}

/// `open mon..fri 08:30-12:00, 13:00-17:30`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opening {
    pub days: Vec<DayRange>,
    pub times: Vec<TimeRange>,
    pub span: Span,
}

/// `mon` or `mon..fri`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayRange {
    pub from: Spanned<String>,
    pub to: Option<Spanned<String>>,
    pub span: Span,
}

/// `09:00-17:00`: each end as written, checked later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeRange {
    pub start: Spanned<String>,
    pub end: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DayRule {
    /// `holidays NL`
    Set(Ident),
    /// `2025-12-24`
    Date(Spanned<String>),
    /// `easter`, `easter + 1`, `easter - 2`
    Easter { offset: Spanned<i64>, span: Span },
    /// `last mon of may`, `2nd tue of sep`, `4th thu of nov + 1`
    NthWeekday {
        ordinal: Spanned<String>,
        weekday: Spanned<String>,
        month: Spanned<String>,
        /// Days after (or, negative, before) the weekday.
        offset: Option<Spanned<i64>>,
        span: Span,
    },
    /// `apr 27 if sun then apr 26 in years divisible by 5`,
    /// `jan 1 if sat then dec 31 if sun then jan 2`
    Annual {
        month: Spanned<String>,
        day: Spanned<u64>,
        moved: Vec<MovedTo>,
        every_years: Option<Spanned<u64>>,
        span: Span,
    },
}

/// `if sat or sun then dec 27`, `if sun then next working day`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedTo {
    pub weekdays: Vec<Spanned<String>>,
    pub to: MoveTarget,
    pub span: Span,
}

/// Where a moved day goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum MoveTarget {
    /// Another date of the year (or of the year before or after).
    Date {
        month: Spanned<String>,
        day: Spanned<u64>,
    },
    /// The next day with opening hours that is not already closed.
    NextWorkingDay(Span),
}

/// A reference to a calendar by name, or the built-in `24x7`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarRef {
    pub name: Ident,
}

// ------------------------------------------------------------------ fields

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fields {
    pub fields: Vec<FieldDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDecl {
    pub name: Ident,
    pub ty: FieldType,
    pub optional: Option<Span>,
    pub column: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FieldType {
    Text(Span),
    Integer(Span),
    Timestamp(Span),
    Status(Span),
    Label(Vec<Value>, Span),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Value {
    Int(Spanned<i64>),
    Ident(Ident),
    Str(Spanned<String>),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Int(v) => v.span,
            Value::Ident(v) | Value::Str(v) => v.span,
        }
    }

    /// The value as the log would spell it.
    pub fn text(&self) -> String {
        match self {
            Value::Int(v) => v.node.to_string(),
            Value::Ident(v) | Value::Str(v) => v.node.clone(),
        }
    }
}

// ------------------------------------------------------------------ priorities

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    /// One field (a plain priority) or two (rows × columns of a matrix).
    pub from: Vec<Ident>,
    pub levels: Vec<PriorityLevel>,
    pub matrices: Vec<Matrix>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityLevel {
    pub name: Ident,
    pub description: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    pub cells: Vec<MatrixCell>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixCell {
    pub row: Value,
    pub column: Value,
    pub priority: Ident,
    pub span: Span,
}

// ------------------------------------------------------------------ metrics

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    pub name: Ident,
    pub from: Ident,
    /// The stop; for `to earliest of ...`, the whole clause as written (its
    /// whitespace made single spaces).
    pub to: Ident,
    /// `to earliest of responded_at, called_at, status in [solved]`.
    pub earliest: Option<Earliest>,
    pub calendar: Option<CalendarRef>,
    pub pause: Option<(Vec<Value>, Span)>,
    /// `target set at start|stop`: which instant's fields choose the
    /// target when they change; the word and the option's span.
    pub target_at: Option<(Spanned<String>, Span)>,
    /// `resolved while status in [...]`: the statuses in which the ticket
    /// is resolved, and the option's span.
    pub resolved: Option<(Vec<Value>, Span)>,
    /// `new cycle on reopening`: its span.
    pub new_cycle: Option<Span>,
    /// `from each EVENT`: the span of `each`.
    pub from_each: Option<Span>,
    /// `to next EVENT` or `to each EVENT`: the word and its span.
    pub to_repeat: Option<Spanned<String>>,
    pub span: Span,
}

/// `earliest of a, b, status in [x]`: the clock stops at the first of these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Earliest {
    pub alternatives: Vec<StopAlt>,
    pub span: Span,
}

/// One instant an `earliest of` stop may be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum StopAlt {
    /// A timestamp field or a closure.
    Instant(Ident),
    /// The first event that puts the ticket in one of these statuses.
    Status(Vec<Value>, Span),
}

impl StopAlt {
    pub fn span(&self) -> Span {
        match self {
            StopAlt::Instant(i) => i.span,
            StopAlt::Status(_, s) => *s,
        }
    }
}

/// `closure closed_at { confirmed by confirmed_at  automatically 1 day after resolved_at }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Closure {
    pub name: Ident,
    pub confirmed: Ident,
    pub after: CalSpan,
    pub from: Ident,
    pub span: Span,
}

/// `1 day`, `3 months`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalSpan {
    pub count: Spanned<u64>,
    pub unit: Spanned<String>,
    pub span: Span,
}

// ------------------------------------------------------------------ targets

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Targets {
    pub period: Option<Spanned<String>>,
    /// `targets first match { ... }`: rows tried in order, the first whose
    /// selector holds gives the ticket its targets.
    pub first_match: Option<Span>,
    pub rows: Vec<TargetRow>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRow {
    pub selector: Selector,
    pub clauses: Vec<TargetClause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selector {
    /// `all`, or no priorities named.
    pub all: bool,
    pub priorities: Vec<Ident>,
    pub when: Option<Condition>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetClause {
    pub metric: Ident,
    pub spec: TargetSpec,
    pub share: Option<Spanned<f64>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TargetSpec {
    Within {
        duration: Duration,
        calendar: Option<CalendarRef>,
        span: Span,
    },
    NextWorkingDay {
        calendar: Option<CalendarRef>,
        span: Span,
    },
    Untimed {
        note: Option<Spanned<String>>,
        span: Span,
    },
    NotApplicable(Span),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duration {
    pub amount: Spanned<f64>,
    /// `hours`, `minutes`, `working days`, `days`, `months` (singular or plural as written).
    pub unit: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    pub name: Spanned<String>,
    pub metric: Ident,
    pub selector: Selector,
    pub required: Spanned<f64>,
    pub period: Option<Spanned<String>>,
    pub span: Span,
}

// ------------------------------------------------------------------ conditions

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Condition {
    Or(Vec<Condition>, Span),
    And(Vec<Condition>, Span),
    Not(Box<Condition>, Span),
    /// `field in [a, b]`
    In {
        field: Ident,
        values: Vec<Value>,
        span: Span,
    },
    /// `field = a`, `field != a`
    Compare {
        field: Ident,
        negated: bool,
        value: Value,
        span: Span,
    },
    /// `field is empty`
    Empty {
        field: Ident,
        span: Span,
    },
    /// `opened_at inside office`, `opened_at outside office`
    Inside {
        field: Ident,
        inside: bool,
        calendar: CalendarRef,
        span: Span,
    },
}

impl Condition {
    pub fn span(&self) -> Span {
        match self {
            Condition::Or(_, s) | Condition::And(_, s) | Condition::Not(_, s) => *s,
            Condition::In { span, .. }
            | Condition::Compare { span, .. }
            | Condition::Empty { span, .. }
            | Condition::Inside { span, .. } => *span,
        }
    }
}

// ------------------------------------------------------------------ exclusions, escalation

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exclusion {
    pub metrics: Vec<Ident>,
    pub when: Condition,
    pub reason: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    pub items: Vec<EscalationItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum EscalationItem {
    Available(CalendarRef, Span),
    Contact {
        channel: Ident,
        address: Spanned<String>,
        span: Span,
    },
    Level {
        level: Spanned<u64>,
        role: Spanned<String>,
        triggers: Vec<Trigger>,
        span: Span,
    },
    Carries(Vec<Ident>, Span),
    Owner(Spanned<String>, Span),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Trigger {
    Breached {
        metric: Ident,
        span: Span,
    },
    Used {
        percent: Spanned<f64>,
        metric: Ident,
        span: Span,
    },
    When(Condition),
}

// ------------------------------------------------------------------ availability, changes

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Availability {
    pub service: Ident,
    pub period: Option<Spanned<String>>,
    pub items: Vec<AvailabilityItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AvailabilityItem {
    /// `99.5% in support` (`outside: false`) or `95% outside support`,
    /// with the credit tiers written under it.
    Window {
        required: Spanned<f64>,
        outside: bool,
        calendar: CalendarRef,
        tiers: Vec<CreditTier>,
        span: Span,
    },
    MaxInterruptions(Spanned<u64>, Span),
    Measured(Duration, Span),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub items: Vec<ChangeItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ChangeItem {
    GoLive {
        days: Vec<DayRange>,
        times: Vec<TimeRange>,
        span: Span,
    },
    Exception {
        days: Vec<DayRange>,
        times: Vec<TimeRange>,
        span: Span,
    },
    LeadTime {
        min_hours: Spanned<u64>,
        max_hours: Option<Spanned<u64>>,
        weeks: Vec<LeadWeeks>,
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadWeeks {
    pub min: Spanned<u64>,
    pub max: Spanned<u64>,
    pub load: Ident,
    pub span: Span,
}

// ------------------------------------------------------------------ service credits

/// `credit 10% below 99.99% but at least 99%`: a tier of an availability window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditTier {
    pub credit: Spanned<f64>,
    pub below: Spanned<f64>,
    pub at_least: Option<Spanned<f64>>,
    pub span: Span,
}

/// The `credits { ... }` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Credits {
    pub items: Vec<CreditsItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CreditsItem {
    /// `fee 2500 EUR per month`
    Fee {
        amount: Money,
        period: Option<Spanned<String>>,
        span: Span,
    },
    /// `5% for each missed objective, at most 20% per month`
    PerMissedObjective {
        credit: CreditAmount,
        cap: Option<CreditAmount>,
        cap_period: Option<Spanned<String>>,
        span: Span,
    },
}

/// `2500 EUR`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Money {
    pub amount: Spanned<f64>,
    pub currency: Ident,
    pub span: Span,
}

/// A credit given as a share of the fee or as money.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CreditAmount {
    Percent(Spanned<f64>),
    Money(Money),
}
