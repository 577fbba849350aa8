//! The syntax tree of a contract. Every node carries the byte span of the
//! source it came from, so every later stage can point back at the text.
//!
//! The tree is syntax only: names are not resolved and values not checked
//! (a time of day may still read `25:00`); the checker does that.

use serde::Serialize;

/// A byte range `[start, end)` in the source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
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
    /// The bytes `[start, end)`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it is written.
    pub span: Span,
}

/// A name as written (`office`, `opened_at`, `high`), with its span.
pub type Ident = Spanned<String>;

/// A whole `.sla` file: its top-level blocks in source order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct File {
    /// The blocks that parsed, in source order.
    pub items: Vec<Item>,
    /// Top-level blocks that did not parse, by keyword and (where it could be
    /// read) the name they declare: the checker keeps quiet about uses of
    /// these names, which the syntax error already explains.
    pub broken: Vec<Broken>,
}

/// A top-level block that did not parse (`metric response from ...` with a typo).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Broken {
    /// The block's first word: `calendar`, `metric`, `targets`, ….
    pub keyword: String,
    /// The name after it, for `calendar`, `metric`, `closure` and `availability` blocks.
    pub name: Option<String>,
    /// An empty span at the block's first word.
    pub span: Span,
}

/// A top-level block of a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    /// `contract "NAME" { provider ... }`: the header.
    Contract(Contract),
    /// `calendar NAME { ... }`, `calendar NAME = outside OTHER` or `calendar NAME by FIELD { ... }`.
    Calendar(Calendar),
    /// `fields { ... }`: the columns of the ticket log the contract reads.
    Fields(Fields),
    /// `priority from FIELD { ... }` or `priority from A x B { ... matrix { ... } }`.
    Priority(Priority),
    /// `metric NAME from START to STOP ...`: a clock.
    Metric(Metric),
    /// `closure NAME { confirmed by ... automatically ... after ... }`.
    Closure(Closure),
    /// `targets [first match] [per PERIOD] { ... }`: rows of targets.
    Targets(Targets),
    /// `objective "NAME" METRIC for SELECTOR at least N%`.
    Objective(Objective),
    /// `exclude [from METRICS] when CONDITION as "REASON"`.
    Exclusion(Exclusion),
    /// `escalation { ... }`: the escalation ladder.
    Escalation(Escalation),
    /// `availability SERVICE [per PERIOD] { ... }`: required availability of a service.
    Availability(Availability),
    /// `changes { ... }`: when changes may go live, and lead times.
    Changes(Changes),
    /// `credits { ... }`: the fee and the credit per missed objective.
    Credits(Credits),
    /// `version "2" from 2027-01-01 { ... }`: what changes from that date.
    Version(Version),
}

impl Item {
    /// The whole block's span.
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

/// `contract "Acme hosting" { provider "Acme B.V."  timezone "Europe/Amsterdam" ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    /// The contract's name, the string after `contract`.
    pub name: Spanned<String>,
    /// The lines of the header, in source order.
    pub items: Vec<HeaderItem>,
    /// The whole block.
    pub span: Span,
}

/// A line of the contract header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum HeaderItem {
    /// `provider "Acme B.V."`
    Provider(Spanned<String>),
    /// `customer "Example Corp"`
    Customer(Spanned<String>),
    /// `timezone "Europe/Amsterdam"`: the IANA zone periods and calendar days count in.
    Timezone(Spanned<String>),
    /// `effective 2025-01-01`; the text as written (checked later).
    Effective(Spanned<String>),
    /// `term 12 months`: the length of the term.
    Term(Months),
    /// `renews automatically` (`None`: each renewal as long as the term) or `renews every N months`.
    Renewal(Option<Months>, Span),
    /// `notice 2 months`: notice before the end of the term or a renewal.
    Notice(Months),
    /// `link status "https://status.example.com"`: a named link.
    Link {
        /// The link's name (`status`).
        name: Ident,
        /// The address, as written.
        url: Spanned<String>,
        /// The whole line.
        span: Span,
    },
    /// `export servicenow`: the export profile the ticket log is read with.
    Export(Ident),
}

/// `12 months` or `1 year`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Months {
    /// The number (`12`).
    pub count: Spanned<u64>,
    /// `month`, `months`, `year` or `years`, as written.
    pub unit: Spanned<String>,
    /// Number and unit.
    pub span: Span,
}

/// `version "2" from 2027-01-01 { ... }`: the contract as amended from a
/// date. Its items replace those of the version before with the same
/// identity; the rest is inherited (the checker merges and checks them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// The version's name, the string after `version`.
    pub name: Spanned<String>,
    /// The date as written (checked later): local midnight of the contract's zone.
    pub from: Spanned<String>,
    /// The blocks this version replaces or adds.
    pub items: Vec<Item>,
    /// The whole block.
    pub span: Span,
}

// ------------------------------------------------------------------ calendars

/// `calendar office { ... }`: a named calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calendar {
    /// The calendar's name (`office`).
    pub name: Ident,
    /// What follows the name.
    pub body: CalendarBody,
    /// The whole block.
    pub span: Span,
}

/// The three forms of a calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CalendarBody {
    /// `{ open mon..fri 09:00-17:00  closed on holidays NL }`: weekly hours and closed days.
    Weekly(Vec<CalendarItem>),
    /// `= outside office`
    Complement(CalendarRef),
    /// `by region { us = new_york  [de, at] = berlin }`: per ticket, the
    /// calendar its field's value names.
    ByField {
        /// The label or text field whose value chooses (`region`).
        field: Ident,
        /// The value → calendar rows.
        rows: Vec<ChoiceRow>,
    },
}

/// `us = new_york` or `[de, at] = berlin` in a calendar chosen by a field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceRow {
    /// The values left of `=` (`us`, or `de` and `at`).
    pub values: Vec<Value>,
    /// The calendar they choose.
    pub calendar: CalendarRef,
    /// The whole row.
    pub span: Span,
}

/// A line of a weekly calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CalendarItem {
    /// `timezone "Europe/Brussels"`: the calendar's own zone, instead of the contract's.
    Timezone(Spanned<String>),
    /// `open mon..fri 09:00-17:00`: weekly opening hours.
    Open(Opening),
    /// `closed on holidays NL, easter +1, 2025-12-24`: the days it is closed, and the line's span.
    Closed(Vec<DayRule>, Span),
    /// `open on 2025-05-05`: single dates open after all (as written), and the line's span.
    Reopened(Vec<Spanned<String>>, Span),
}

/// `open mon..fri 08:30-12:00, 13:00-17:30`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opening {
    /// The weekdays (`mon..fri`, `sat`).
    pub days: Vec<DayRange>,
    /// The hours open on each of them.
    pub times: Vec<TimeRange>,
    /// The whole line.
    pub span: Span,
}

/// `mon` or `mon..fri`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayRange {
    /// The first weekday (`mon`).
    pub from: Spanned<String>,
    /// The last weekday after `..` (`fri`); `None` for a single day.
    pub to: Option<Spanned<String>>,
    /// The whole range.
    pub span: Span,
}

/// `09:00-17:00`: each end as written, checked later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeRange {
    /// The opening time (`09:00`).
    pub start: Spanned<String>,
    /// The closing time, not included (`17:00`; `24:00` for midnight).
    pub end: Spanned<String>,
    /// The whole range.
    pub span: Span,
}

/// A day or rule of days after `closed on`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DayRule {
    /// `holidays NL`
    Set(Ident),
    /// `2025-12-24`
    Date(Spanned<String>),
    /// `easter`, `easter + 1`, `easter - 2`
    Easter {
        /// Days after (or, negative, before) Easter Sunday; 0 for `easter`.
        offset: Spanned<i64>,
        /// The whole rule.
        span: Span,
    },
    /// `last mon of may`, `2nd tue of sep`, `4th thu of nov + 1`
    NthWeekday {
        /// `1st` to `5th`, or `last`, as written.
        ordinal: Spanned<String>,
        /// `mon` to `sun`.
        weekday: Spanned<String>,
        /// `jan` to `dec`.
        month: Spanned<String>,
        /// Days after (or, negative, before) the weekday.
        offset: Option<Spanned<i64>>,
        /// The whole rule.
        span: Span,
    },
    /// `apr 27 if sun then apr 26 in years divisible by 5`,
    /// `jan 1 if sat then dec 31 if sun then jan 2`
    Annual {
        /// `jan` to `dec`.
        month: Spanned<String>,
        /// The day of the month (`27`).
        day: Spanned<u64>,
        /// The `if WEEKDAY then ...` moves, in source order.
        moved: Vec<MovedTo>,
        /// `in years divisible by 5`: the divisor; `None`: every year.
        every_years: Option<Spanned<u64>>,
        /// The whole rule.
        span: Span,
    },
}

/// `if sat or sun then dec 27`, `if sun then next working day`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedTo {
    /// The weekdays on which the day moves (`sat`, `sun`).
    pub weekdays: Vec<Spanned<String>>,
    /// Where it moves to.
    pub to: MoveTarget,
    /// The whole `if ... then ...`.
    pub span: Span,
}

/// Where a moved day goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum MoveTarget {
    /// Another date of the year (or of the year before or after).
    Date {
        /// `jan` to `dec`.
        month: Spanned<String>,
        /// The day of the month.
        day: Spanned<u64>,
    },
    /// The next day with opening hours that is not already closed.
    NextWorkingDay(Span),
}

/// A reference to a calendar by name, or the built-in `24x7`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarRef {
    /// The name as written (`office`, `24x7`).
    pub name: Ident,
}

// ------------------------------------------------------------------ fields

/// `fields { opened_at: timestamp  priority: label [high, low] ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fields {
    /// The declarations, in source order.
    pub fields: Vec<FieldDecl>,
    /// The whole block.
    pub span: Span,
}

/// `reporter: text from "Reported by"`, `confirmed_at: timestamp optional`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDecl {
    /// The name the contract uses (`reporter`).
    pub name: Ident,
    /// The type after `:`.
    pub ty: FieldType,
    /// `optional`: its span; the column may be missing from the log.
    pub optional: Option<Span>,
    /// `from "Reported by"`: the log's name for the column, when it differs.
    pub column: Option<Spanned<String>>,
    /// The whole declaration.
    pub span: Span,
}

/// A field's type, each with the span of the type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FieldType {
    /// `text`: any value.
    Text(Span),
    /// `integer`: a whole number.
    Integer(Span),
    /// `timestamp`: an instant.
    Timestamp(Span),
    /// `status`: the ticket's status (free text), whose history pauses and reopenings read.
    Status(Span),
    /// `label [high, medium, low]`: one of a closed set of values.
    Label(Vec<Value>, Span),
}

/// A value a field may hold, as written in a list or comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Value {
    /// A whole number (`3`).
    Int(Spanned<i64>),
    /// A bare word (`high`, `third_party`).
    Ident(Ident),
    /// A quoted string (`"on hold"`), unescaped.
    Str(Spanned<String>),
}

impl Value {
    /// Where the value is written.
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

/// `priority from priority { high "..." }` or `priority from urgency x impact { ... matrix { ... } }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    /// One field (a plain priority) or two (rows × columns of a matrix).
    pub from: Vec<Ident>,
    /// The priorities, each with the agreement's description, in source order.
    pub levels: Vec<PriorityLevel>,
    /// The `matrix { ... }` blocks (one is expected, with two fields).
    pub matrices: Vec<Matrix>,
    /// The whole block.
    pub span: Span,
}

/// `high "loss of service with no alternative"`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityLevel {
    /// The priority's name (`high`).
    pub name: Ident,
    /// What the agreement says it means.
    pub description: Spanned<String>,
    /// The whole line.
    pub span: Span,
}

/// `matrix { high x wide = p1  high x narrow = p2 ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    /// The cells, in source order.
    pub cells: Vec<MatrixCell>,
    /// The whole block.
    pub span: Span,
}

/// `high x wide = p1`: the priority of one pair of labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixCell {
    /// The label of the first field (`high`).
    pub row: Value,
    /// The label of the second field (`wide`).
    pub column: Value,
    /// The priority of the pair (`p1`).
    pub priority: Ident,
    /// The whole cell.
    pub span: Span,
}

// ------------------------------------------------------------------ metrics

/// `metric resolution from response to closed in office paused while status in [...]`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// The metric's name (`resolution`).
    pub name: Ident,
    /// The start: a timestamp field, a closure, another metric (at its stop),
    /// or after `from each` an event (`customer_reply`).
    pub from: Ident,
    /// The stop; for `to earliest of ...`, the whole clause as written (its
    /// whitespace made single spaces).
    pub to: Ident,
    /// `to earliest of responded_at, called_at, status in [solved]`.
    pub earliest: Option<Earliest>,
    /// `in office`: the calendar whose open time the clock counts (`None`: `24x7`).
    pub calendar: Option<CalendarRef>,
    /// `paused while status in [...]`: the statuses that pause the clock,
    /// and the option's span.
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
    /// The whole definition, options included.
    pub span: Span,
}

/// `earliest of a, b, status in [x]`: the clock stops at the first of these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Earliest {
    /// The instants, in source order.
    pub alternatives: Vec<StopAlt>,
    /// From `earliest` to the last alternative.
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
    /// Where the alternative is written.
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
    /// The closure's name (`closed_at`), which a metric may start or stop at.
    pub name: Ident,
    /// `confirmed by confirmed_at`: the timestamp of the customer's confirmation.
    pub confirmed: Ident,
    /// `automatically 1 day`: how long after `from` the ticket closes without one.
    pub after: CalSpan,
    /// `after resolved_at`: the timestamp the automatic close counts from.
    pub from: Ident,
    /// The whole block.
    pub span: Span,
}

/// `1 day`, `3 months`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalSpan {
    /// The number (`1`).
    pub count: Spanned<u64>,
    /// `day`, `days`, `month` or `months`, as written.
    pub unit: Spanned<String>,
    /// Number and unit.
    pub span: Span,
}

// ------------------------------------------------------------------ targets

/// `targets per month { high response within 2 hours for 100% ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Targets {
    /// `per month|quarter|year`: the period of the objectives its shares make (month when absent).
    pub period: Option<Spanned<String>>,
    /// `targets first match { ... }`: rows tried in order, the first whose
    /// selector holds gives the ticket its targets.
    pub first_match: Option<Span>,
    /// The rows, in source order.
    pub rows: Vec<TargetRow>,
    /// The whole block.
    pub span: Span,
}

/// `high  response within 2 hours for 100%  resolution within 4 hours`: a
/// selector and the targets it gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRow {
    /// Which tickets the row covers.
    pub selector: Selector,
    /// One target per metric named.
    pub clauses: Vec<TargetClause>,
    /// The whole row.
    pub span: Span,
}

/// `all`, `high`, `[high, medium] when type = incident`, or `when type = question`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selector {
    /// `all` is written (false for priorities or a `when` alone).
    pub all: bool,
    /// `high` or `[high, medium]`: the priorities named (empty: any).
    pub priorities: Vec<Ident>,
    /// `when type = incident`: the condition the tickets meet.
    pub when: Option<Condition>,
    /// The whole selector.
    pub span: Span,
}

/// `resolution within 4 hours in office for 85%`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetClause {
    /// The metric the target is for (`resolution`).
    pub metric: Ident,
    /// The target itself.
    pub spec: TargetSpec,
    /// `for 85%`: the required share, which makes an objective of the row.
    pub share: Option<Spanned<f64>>,
    /// The whole clause.
    pub span: Span,
}

/// What a target clause promises.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TargetSpec {
    /// `within 4 hours`, `within 5 working days in support`
    Within {
        /// `4 hours`: the target's length.
        duration: Duration,
        /// `in support`: counted in this calendar instead of the metric's.
        calendar: Option<CalendarRef>,
        /// The whole spec.
        span: Span,
    },
    /// `by end of next working day [in CALENDAR]`
    NextWorkingDay {
        /// `in support`: counted in this calendar instead of the metric's.
        calendar: Option<CalendarRef>,
        /// The whole spec.
        span: Span,
    },
    /// `untimed "in the next release"` or `best effort`: reported, never breached.
    Untimed {
        /// Written `best effort` (else `untimed`): the same meaning, and the
        /// words a report and `sla fmt` keep.
        best_effort: bool,
        /// The string after the word, if any.
        note: Option<Spanned<String>>,
        /// The whole spec.
        span: Span,
    },
    /// `not applicable`: the metric does not apply to these tickets.
    NotApplicable(Span),
}

/// `4 hours`, `1.5 hours`, `5 working days`, `1 month`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duration {
    /// The number, decimals allowed (`1.5`).
    pub amount: Spanned<f64>,
    /// `hours`, `minutes`, `working days`, `days`, `months` (singular or plural as written).
    pub unit: Spanned<String>,
    /// Number and unit.
    pub span: Span,
}

/// `objective "response normal" response for normal when type = incident at least 80% per quarter`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    /// The objective's name, the string after `objective`.
    pub name: Spanned<String>,
    /// The metric whose verdicts it counts.
    pub metric: Ident,
    /// `for SELECTOR`: which tickets it counts.
    pub selector: Selector,
    /// `at least 80%`: the required share of met tickets.
    pub required: Spanned<f64>,
    /// `per quarter`: the period it is judged over (month when absent).
    pub period: Option<Spanned<String>>,
    /// The whole item.
    pub span: Span,
}

// ------------------------------------------------------------------ conditions

/// A condition on a ticket's fields, as in `when ...` and `exclude when ...`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Condition {
    /// `a or b`: one of these holds.
    Or(Vec<Condition>, Span),
    /// `a and b`: all of these hold.
    And(Vec<Condition>, Span),
    /// `not a`
    Not(Box<Condition>, Span),
    /// `field in [a, b]`
    In {
        /// The field tested.
        field: Ident,
        /// The values in the list.
        values: Vec<Value>,
        /// The whole test.
        span: Span,
    },
    /// `field = a`, `field != a`
    Compare {
        /// The field tested.
        field: Ident,
        /// `!=` rather than `=`.
        negated: bool,
        /// The value compared with.
        value: Value,
        /// The whole test.
        span: Span,
    },
    /// `field is empty`
    Empty {
        /// The field tested.
        field: Ident,
        /// The whole test.
        span: Span,
    },
    /// `opened_at inside office`, `opened_at outside office`
    Inside {
        /// The timestamp field tested.
        field: Ident,
        /// `inside` (true) or `outside` (false).
        inside: bool,
        /// The calendar whose opening hours it is tested against.
        calendar: CalendarRef,
        /// The whole test.
        span: Span,
    },
}

impl Condition {
    /// The whole condition's span.
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

/// `exclude from response, resolution when cause = customer as "caused by the customer"`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exclusion {
    /// `from response, resolution`: the metrics it applies to (empty: all).
    pub metrics: Vec<Ident>,
    /// `when ...`: the tickets it takes out.
    pub when: Condition,
    /// `as "..."`: the reason reported for each such ticket.
    pub reason: Spanned<String>,
    /// The whole item.
    pub span: Span,
}

/// `escalation { available 24x7  level 1 "service manager" on ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    /// The lines of the block, in source order.
    pub items: Vec<EscalationItem>,
    /// The whole block.
    pub span: Span,
}

/// A line of the escalation block, each with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum EscalationItem {
    /// `available 24x7`: the calendar in which escalation is possible.
    Available(CalendarRef, Span),
    /// `contact phone "+31 20 000 0000"`
    Contact {
        /// How to reach it (`phone`, `email`).
        channel: Ident,
        /// The number or address.
        address: Spanned<String>,
        /// The whole line.
        span: Span,
    },
    /// `level 1 "service manager" on 75% of resolution used, response breached`
    Level {
        /// The level's number (`1`).
        level: Spanned<u64>,
        /// Who the ticket escalates to.
        role: Spanned<String>,
        /// What escalates to this level (none: no automatic trigger).
        triggers: Vec<Trigger>,
        /// The whole line.
        span: Span,
    },
    /// `carries id, reporter`: the fields an escalation must carry.
    Carries(Vec<Ident>, Span),
    /// `owner "service manager"`: who runs the procedure.
    Owner(Spanned<String>, Span),
}

/// What escalates a ticket to a level, after `on`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Trigger {
    /// `resolution breached`: the metric's target was breached.
    Breached {
        /// The metric (`resolution`).
        metric: Ident,
        /// The whole trigger.
        span: Span,
    },
    /// `75% of resolution used`: the clock has used that share of its target.
    Used {
        /// The share of the target (`75`).
        percent: Spanned<f64>,
        /// The metric (`resolution`).
        metric: Ident,
        /// The whole trigger.
        span: Span,
    },
    /// `type = complaint`: the ticket meets the condition.
    When(Condition),
}

// ------------------------------------------------------------------ availability, changes

/// `availability portal per month { 99.5% in support  at most 3 interruptions ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Availability {
    /// The service, as the outages file names it (`portal`).
    pub service: Ident,
    /// `per month|quarter|year`: the period availability is judged over (month when absent).
    pub period: Option<Spanned<String>>,
    /// The lines of the block, in source order.
    pub items: Vec<AvailabilityItem>,
    /// The whole block.
    pub span: Span,
}

/// A line of an availability block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AvailabilityItem {
    /// `99.5% in support` (`outside: false`) or `95% outside support`,
    /// with the credit tiers written under it.
    Window {
        /// The required availability (`99.5`).
        required: Spanned<f64>,
        /// `outside`: the window is the calendar's complement.
        outside: bool,
        /// The calendar of the window (`support`).
        calendar: CalendarRef,
        /// `credit 10% below 99.99% ...` lines, in source order.
        tiers: Vec<CreditTier>,
        /// The window's line and its tiers.
        span: Span,
    },
    /// `at most 3 interruptions`: per period, and the line's span.
    MaxInterruptions(Spanned<u64>, Span),
    /// `measured every 15 minutes`: the sampling interval, and the line's span.
    Measured(Duration, Span),
}

/// `changes { go live mon..thu 06:00-18:00  by exception fri  lead time ... }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// The lines of the block, in source order.
    pub items: Vec<ChangeItem>,
    /// The whole block.
    pub span: Span,
}

/// A line of the changes block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ChangeItem {
    /// `go live mon..thu 06:00-18:00`: when changes may go live.
    GoLive {
        /// The weekdays.
        days: Vec<DayRange>,
        /// The hours on them (empty: the whole day).
        times: Vec<TimeRange>,
        /// The whole line.
        span: Span,
    },
    /// `by exception fri`: when changes may go live by exception only.
    Exception {
        /// The weekdays.
        days: Vec<DayRange>,
        /// The hours on them (empty: the whole day).
        times: Vec<TimeRange>,
        /// The whole line.
        span: Span,
    },
    /// `lead time 4 to 8 hours: 2..3 weeks at low load` (guidance, not evaluated).
    LeadTime {
        /// The least work it covers, in hours (0 for `up to N hours`).
        min_hours: Spanned<u64>,
        /// The most work it covers, in hours (`None` for `over N hours`).
        max_hours: Option<Spanned<u64>>,
        /// The weeks per load (empty: `agreed`, with the customer).
        weeks: Vec<LeadWeeks>,
        /// The whole line.
        span: Span,
    },
}

/// `2..3 weeks at low load`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadWeeks {
    /// The fewest weeks (`2`).
    pub min: Spanned<u64>,
    /// The most weeks (`3`).
    pub max: Spanned<u64>,
    /// The load (`low`).
    pub load: Ident,
    /// The whole range.
    pub span: Span,
}

// ------------------------------------------------------------------ service credits

/// `credit 10% below 99.99% but at least 99%`: a tier of an availability window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditTier {
    /// The credit, a percentage of the fee (`10`).
    pub credit: Spanned<f64>,
    /// The availability it applies below (`99.99`).
    pub below: Spanned<f64>,
    /// `but at least 99%`: the lowest availability it covers (`None`: down
    /// to the next tier's threshold, or 0%).
    pub at_least: Option<Spanned<f64>>,
    /// The whole line.
    pub span: Span,
}

/// The `credits { ... }` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Credits {
    /// The lines of the block, in source order.
    pub items: Vec<CreditsItem>,
    /// The whole block.
    pub span: Span,
}

/// A line of the credits block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CreditsItem {
    /// `fee 2500 EUR per month`
    Fee {
        /// `2500 EUR`
        amount: Money,
        /// `per month|quarter|year` (month when absent).
        period: Option<Spanned<String>>,
        /// The whole line.
        span: Span,
    },
    /// `5% for each missed objective, at most 20% per month`
    PerMissedObjective {
        /// The credit per missed objective (`5%`).
        credit: CreditAmount,
        /// `at most 20%`: the most the credits add up to in a period.
        cap: Option<CreditAmount>,
        /// The period after the cap (`per month`).
        cap_period: Option<Spanned<String>>,
        /// The whole line.
        span: Span,
    },
}

/// `2500 EUR`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Money {
    /// The number (`2500`).
    pub amount: Spanned<f64>,
    /// The currency code (`EUR`).
    pub currency: Ident,
    /// Number and currency.
    pub span: Span,
}

/// A credit given as a share of the fee or as money.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CreditAmount {
    /// `5%`: a percentage of the fee.
    Percent(Spanned<f64>),
    /// `250 EUR`: an amount.
    Money(Money),
}
