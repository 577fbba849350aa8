//! The compiled rule set: everything the evaluator needs and nothing of the
//! syntax. `sla compile` writes it as JSON; `sla eval` reads either a `.sla`
//! file (checked and lowered in memory) or this JSON, with the same results.
//!
//! Names are resolved: every reference below names something that exists in
//! the same rule set (the checker guarantees it for lowered contracts; the
//! evaluator validates it again for JSON read from disk).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::time::spec::CalendarSpan;
use crate::time::spec::CalendarSpec;

/// The version tag of the JSON form. Bump it on any incompatible change.
pub const SCHEMA: &str = "sla-rules/1";

/// The tag of a rule set with [`RuleSet::versions`]: an `sla` that reads
/// only [`SCHEMA`] would ignore the versions and judge every ticket by the
/// first, so such a rule set says it needs a newer reader. A contract
/// without versions keeps [`SCHEMA`] and compiles as before.
pub const SCHEMA_VERSIONED: &str = "sla-rules/2";

/// The export profiles a contract may name with `export NAME`, each with its
/// aliases. The names are part of the rule set's vocabulary, which the
/// checker needs; what each profile reads is the evaluator's business
/// (`src/eval/profiles.rs`, whose tests keep the two lists equal).
pub const EXPORT_PROFILES: &[(&str, &[&str])] = &[
    ("servicenow", &["snow"]),
    ("bpi2014", &["hpsm", "hp-service-manager"]),
    ("jira", &["jsm", "jira-service-management"]),
    ("zendesk", &[]),
];

/// The canonical name of the export profile called `name` (case-insensitive, aliases included).
pub fn export_profile(name: &str) -> Option<&'static str> {
    EXPORT_PROFILES
        .iter()
        .find(|(n, aliases)| {
            n.eq_ignore_ascii_case(name) || aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
        .map(|(n, _)| *n)
}

/// The name of the built-in always-open calendar.
pub const ALWAYS: &str = "24x7";

/// A compiled contract: what `sla compile` writes and `sla eval` reads.
/// The tag says whether it has versions, and the schema holds it to that
/// as the reader does: `sla-rules/2` with `versions`, `sla-rules/1` without.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend(
    "if" = {"required": ["versions"], "properties": {"versions": {"minItems": 1}}},
    "then" = {"properties": {"schema": {"const": "sla-rules/2"}}},
    "else" = {"properties": {"schema": {"const": "sla-rules/1"}}}
))]
pub struct RuleSet {
    /// `sla-rules/1` ([`SCHEMA`]), or `sla-rules/2` ([`SCHEMA_VERSIONED`])
    /// exactly when the rule set has `versions`.
    #[schemars(extend("enum" = ["sla-rules/1", "sla-rules/2"]))]
    pub schema: String,
    /// The header: the contract's name, parties and term.
    pub contract: ContractInfo,
    /// The contract's time zone: periods (months) and calendar days are counted in it.
    pub timezone: String,
    /// Every calendar by name, `24x7` included.
    pub calendars: BTreeMap<String, CalendarSpec>,
    /// Calendars chosen per ticket by a field (`calendar office by region
    /// { ... }`), by name; a metric or target may name one where it names a
    /// calendar. Absent from rule sets without any.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub calendar_choices: BTreeMap<String, CalendarChoice>,
    /// The columns of the ticket log the contract reads; `id` is always one.
    pub fields: Vec<Field>,
    /// How a ticket's priority is read; absent without a `priority` block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// The closures (`closure closed { ... }`), which metrics may start or stop at.
    #[serde(default)]
    pub closures: Vec<Closure>,
    /// The clocks (`metric response from opened_at to responded_at`), in source order.
    pub metrics: Vec<Metric>,
    /// In source order. A ticket gets, per metric, the first target whose
    /// selector matches (and, in a `first match` block, whose row is the
    /// first of its block to match).
    pub targets: Vec<Target>,
    /// The objectives: each `objective` item, and each share (`for 85%`) on a target row.
    pub objectives: Vec<Objective>,
    /// The exclusions (`exclude when ... as "..."`): tickets taken out, with the reason.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// The escalation ladder (`escalation { ... }`), if the contract has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<Escalation>,
    /// The required availability of each service (`availability portal { ... }`).
    #[serde(default)]
    pub availability: Vec<Availability>,
    /// The change windows (`changes { ... }`), if the contract has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
    /// The fee and the credits owed per missed objective (`credits { ... }`);
    /// availability tiers are on their windows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<Credits>,
    /// The versions that amend this one, each in force from a date, earliest
    /// first. The rules above are version `1` (the contract as first
    /// written, in force until the first of these); each entry holds the
    /// complete rules of its version, without versions of its own. Empty for
    /// a contract without `version` blocks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Version>,
}

/// The name of the contract as first written, before any `version` block.
pub const FIRST_VERSION: &str = "1";

/// A version of the contract and the date from which it is in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Version {
    /// The name after `version` (`2`).
    pub name: String,
    /// In force from the start of this day in the contract's time zone.
    pub from: NaiveDate,
    /// The whole contract as this version has it (not only what changed).
    pub rules: RuleSet,
}

impl RuleSet {
    /// Whether the contract says anything about service credits (a fee, a
    /// credit per missed objective, or tiers under an availability window).
    pub fn has_credits(&self) -> bool {
        self.credits.is_some()
            || self
                .availability
                .iter()
                .any(|a| a.windows.iter().any(|w| !w.credit_tiers.is_empty()))
    }
}

/// The contract header (`contract "NAME" { ... }`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContractInfo {
    /// The contract's name, the string after `contract`.
    pub name: String,
    /// `provider "Acme B.V."`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `customer "Example Corp"`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// `effective 2025-01-01`: the day the first term starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// Length of the term, in months (`term 1 year`: 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_months: Option<u32>,
    /// Length of each automatic renewal; `None` when the contract does not renew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_months: Option<u32>,
    /// Notice to be given before the end of the term or a renewal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_months: Option<u32>,
    /// The named links (`link status "https://..."`), in source order.
    #[serde(default)]
    pub links: Vec<Link>,
    /// The export profile the ticket log is read with (`export servicenow`);
    /// `sla eval --profile` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<String>,
}

/// A calendar chosen per ticket: the value of `field` names the calendar
/// (`region`: `us` → `new_york`). A ticket whose value has no calendar is
/// `invalid` on the clocks that count in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CalendarChoice {
    /// A label or text field of the ticket.
    pub field: String,
    /// Value (as the log spells it) → the name of a calendar of `calendars`.
    pub calendars: BTreeMap<String, String>,
}

/// `link status "https://status.example.com"`: a named link of the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Link {
    /// The link's name (`status`).
    pub name: String,
    /// The address, as written.
    pub url: String,
}

/// A column of the ticket log that the contract reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Field {
    /// The name the contract uses.
    pub name: String,
    /// The column's name in the log (equal to `name` unless renamed).
    pub column: String,
    /// The field's type (`type` in the JSON, with `labels` for a label field).
    #[serde(flatten)]
    pub kind: FieldKind,
    /// An optional field may be absent from the log; every value is then empty.
    #[serde(default)]
    pub optional: bool,
}

/// The type of a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// Any value, compared as text.
    Text,
    /// A whole number.
    Integer,
    /// An instant.
    Timestamp,
    /// One of a closed set of labels.
    Label {
        /// The set, in the contract's order.
        labels: Vec<String>,
    },
    /// The status field of the event log (`--events`); its values are free text.
    Status,
}

/// How a ticket's priority is read (`priority from ...`), and the priorities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Priority {
    /// The field or matrix it is read from (`from` in the JSON).
    #[serde(flatten)]
    pub source: PrioritySource,
    /// The priorities in the contract's order, with the agreement's description.
    pub levels: Vec<PriorityLevel>,
}

/// `high "loss of service with no alternative"`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriorityLevel {
    /// The priority's name (`high`).
    pub name: String,
    /// What the agreement says it means.
    pub description: String,
}

/// Where a ticket's priority comes from (`from` in the JSON: `field` or `matrix`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum PrioritySource {
    /// The ticket's label in `field` is its priority.
    Field {
        /// The label field (`priority`).
        field: String,
    },
    /// Looked up in a matrix over two label fields. Every pair of labels has exactly one cell.
    Matrix {
        /// The field whose labels are the rows (`urgency` in `from urgency x impact`).
        rows: String,
        /// The field whose labels are the columns (`impact`).
        columns: String,
        /// The cells, one per pair of labels.
        cells: Vec<MatrixCell>,
    },
}

/// `high x wide = p1`: the priority of one pair of labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatrixCell {
    /// A label of the rows' field (`high`).
    pub row: String,
    /// A label of the columns' field (`wide`).
    pub column: String,
    /// The priority of the pair (`p1`).
    pub priority: String,
}

/// A derived instant: the customer's confirmation, or automatically `after`
/// the solution if the customer has not confirmed by then (whichever is first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Closure {
    /// The closure's name (`closed`), which a metric may start or stop at.
    pub name: String,
    /// `confirmed by confirmed_at`: the timestamp field of the customer's confirmation.
    pub confirmed: String,
    /// `after resolved_at`: the timestamp field the automatic close counts from.
    pub from: String,
    /// `automatically 1 day`: how long after `from` (calendar time) it closes without confirmation.
    pub after: CalendarSpan,
}

/// Where a clock's start or stop comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum InstantSource {
    /// A timestamp field of the ticket.
    Field(String),
    /// An activity of the event log (`customer_reply`, `agent_reply`, …),
    /// as the contract names it: where a repeating clock starts or stops.
    Event(String),
    /// The stop of another metric.
    MetricStop(String),
    /// The effective instant of a closure rule.
    Closure(String),
    /// The first event, at or after the clock's start, that puts the ticket
    /// in one of these statuses (a stop only, as an alternative of `earliest_of`).
    Status(Vec<String>),
    /// The earliest of these (each a field, closure or status) that has
    /// happened: `to earliest of responded_at, called_at`. A stop only.
    EarliestOf(Vec<InstantSource>),
}

/// A clock: `metric resolution from opened_at to resolved_at in office`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Metric {
    /// The metric's name (`resolution`).
    pub name: String,
    /// Where the clock starts (`from ...`).
    pub start: InstantSource,
    /// Where it stops (`to ...`).
    pub stop: InstantSource,
    /// Event-log statuses during which the clock does not run.
    #[serde(default)]
    pub pause: Vec<String>,
    /// The calendar whose open time the clock counts (a name of
    /// `calendars` or of `calendar_choices`).
    pub calendar: String,
    /// Which instant's priority and fields choose the target when they
    /// change over the ticket's history.
    #[serde(default, skip_serializing_if = "TargetAt::is_stop")]
    pub target_at: TargetAt,
    /// Event-log statuses in which the ticket is resolved: a later status
    /// outside them reopens it (empty: reopenings are not read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<String>,
    /// Each reopening starts a new cycle with its own verdict (else the
    /// clock continues and the resolved stretch is not counted).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cycles: bool,
    /// How the clock repeats (SEMANTICS.md "Histories", Repeating clocks);
    /// none: one clock per ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
}

/// The activities an event log may record (README, "The event log"), each
/// with the names it may be written with, as compared (lower case, `_` for
/// spaces and `-`); the first is the one reports and contracts use.
pub(crate) const ACTIVITY_NAMES: [&[&str]; 3] = [
    &["agent_reply", "public_reply", "agent_update"],
    &["customer_reply", "requester_reply"],
    &["internal_note", "private_note"],
];

/// The name reports use for activity `word` (in any of its spellings), if
/// it is one.
pub(crate) fn activity_name(word: &str) -> Option<&'static str> {
    let key: String = word
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    ACTIVITY_NAMES
        .iter()
        .find(|names| names.contains(&key.as_str()))
        .map(|names| names[0])
}

/// A metric that reads reopenings but stops at no timestamp of its own,
/// under a contract whose metrics that stop at resolution stop at two
/// timestamps: which of them resolves the ticket for it is not said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AmbiguousResolution {
    /// Index of the metric without a resolution timestamp of its own.
    pub(crate) metric: usize,
    /// Indices of two metrics that stop at resolution at different timestamps.
    pub(crate) stops: [usize; 2],
}

/// Per metric of `metrics`, the timestamp field whose being set resolves the
/// ticket for it (SEMANTICS.md "Histories": a ticket is resolved when its
/// status becomes a resolved one "or its resolution timestamp is set").
///
/// A metric that names the statuses in which a ticket is resolved
/// (`resolved while status in [...]`) stops at the resolution, so the
/// timestamp it stops at is its resolution timestamp: `solved_at` in
/// Zendesk's export, `resolved_at` in Jira's. A metric that names them but
/// stops at an event (a next-reply or periodic-update clock) or at an
/// `earliest of` takes the contract's: the one timestamp at which the
/// others stop. None when no metric stops at a timestamp at resolution;
/// an error when they stop at two and a metric needs the contract's.
/// Metrics that read no reopenings have none.
pub(crate) fn resolution_fields(
    metrics: &[Metric],
) -> Result<Vec<Option<&str>>, AmbiguousResolution> {
    fn own(m: &Metric) -> Option<&str> {
        match &m.stop {
            InstantSource::Field(f) if !m.resolved.is_empty() => Some(f),
            _ => None,
        }
    }
    let mut contracts: Option<(usize, &str)> = None;
    let mut second: Option<usize> = None;
    for (i, m) in metrics.iter().enumerate() {
        match (own(m), contracts) {
            (Some(f), None) => contracts = Some((i, f)),
            (Some(f), Some((_, g))) if f != g && second.is_none() => second = Some(i),
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(metrics.len());
    for (i, m) in metrics.iter().enumerate() {
        out.push(match own(m) {
            Some(f) => Some(f),
            None if m.resolved.is_empty() => None,
            None => match (contracts, second) {
                (Some((first, _)), Some(second)) => {
                    return Err(AmbiguousResolution {
                        metric: i,
                        stops: [first, second],
                    })
                }
                (c, _) => c.map(|c| c.1),
            },
        });
    }
    Ok(out)
}

/// How a repeating clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// `from each A to next B`: a cycle starts at an A when none runs and
    /// the ticket is not resolved, and stops at the next B or the resolution.
    Next,
    /// `from START to each B`: while the ticket is open, a cycle from the
    /// start (a reopening, the last B) to the next B.
    Periodic,
}

/// The instant whose priority and fields choose a metric's target
/// (SEMANTICS.md "Histories": the stop by default, or the start).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetAt {
    /// The priority in force at the stop (at the as-of instant while running).
    #[default]
    Stop,
    /// The priority in force at the start.
    Start,
}

impl TargetAt {
    /// Whether this is the default, [`TargetAt::Stop`].
    pub fn is_stop(&self) -> bool {
        *self == TargetAt::Stop
    }
}

/// Which tickets a target or objective covers: all of the given conditions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Selector {
    /// The ticket's priority is one of these (`None`: any priority, or none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priorities: Option<Vec<String>>,
    /// `when type = incident`: the condition the tickets meet, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

/// A condition on a ticket's fields (`op` in the JSON). `f = v` is `in`
/// with one value, `f != v` the `not` of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    /// `a and b`: every one holds.
    All {
        /// The conditions.
        of: Vec<Condition>,
    },
    /// `a or b`: at least one holds.
    Any {
        /// The conditions.
        of: Vec<Condition>,
    },
    /// `not a`: the condition does not hold.
    Not {
        /// The condition negated.
        of: Box<Condition>,
    },
    /// The field's value is one of `values` (an empty cell is never in the list).
    In {
        /// The field tested.
        field: String,
        /// The values it may have.
        values: Vec<Value>,
    },
    /// The field's cell is empty.
    Empty {
        /// The field tested.
        field: String,
    },
    /// The timestamp `field` lies inside (`inside: true`) or outside the
    /// calendar's opening hours: the arrival window of SEMANTICS.md.
    Opened {
        /// The timestamp field tested (`opened_at` when absent from the JSON).
        #[serde(default = "opened_at")]
        field: String,
        /// The calendar whose opening hours it is tested against.
        calendar: String,
        /// `inside` (true) or `outside` (false).
        inside: bool,
    },
}

fn opened_at() -> String {
    "opened_at".into()
}

/// The tickets a selector covers in the language's own words: `high,
/// medium when type = complaint`; empty for all tickets, which each caller
/// names its own way.
impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(ps) = &self.priorities {
            f.write_str(&ps.join(", "))?;
        }
        if let Some(c) = &self.when {
            let gap = if self.priorities.is_some() { " " } else { "" };
            write!(f, "{gap}when {c}")?;
        }
        Ok(())
    }
}

/// A condition in the language's own words (`cause in [third_party,
/// customer]`, `type != question`, `opened_at outside office`): how the
/// checker names an objective by its condition and how `sla diff` says one.
impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |f: &mut std::fmt::Formatter<'_>, of: &[Condition], sep: &str| {
            for (i, x) in of.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                match x {
                    Condition::All { .. } | Condition::Any { .. } => write!(f, "({x})")?,
                    _ => write!(f, "{x}")?,
                }
            }
            Ok(())
        };
        match self {
            Condition::All { of } => join(f, of, " and "),
            Condition::Any { of } => join(f, of, " or "),
            Condition::Not { of } => match of.as_ref() {
                Condition::In { field, values } if values.len() == 1 => {
                    write!(f, "{field} != {}", values[0])
                }
                other => write!(f, "not ({other})"),
            },
            Condition::In { field, values } if values.len() == 1 => {
                write!(f, "{field} = {}", values[0])
            }
            Condition::In { field, values } => {
                let vs: Vec<String> = values.iter().map(ToString::to_string).collect();
                write!(f, "{field} in [{}]", vs.join(", "))
            }
            Condition::Empty { field } => write!(f, "{field} is empty"),
            Condition::Opened {
                field,
                calendar,
                inside,
            } => {
                let side = if *inside { "inside" } else { "outside" };
                write!(f, "{field} {side} {calendar}")
            }
        }
    }
}

/// A value a condition compares a field with: a number or a string in the JSON.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(untagged)]
pub enum Value {
    /// A whole number, for an integer field.
    Integer(i64),
    /// A label, or the text of a text field, as the log spells it.
    Label(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Integer(n) => write!(f, "{n}"),
            Value::Label(s) => f.write_str(s),
        }
    }
}

/// A target: how long one metric's clock may run for the tickets a selector covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    /// The metric (a name of `metrics`).
    pub metric: String,
    /// The tickets it covers.
    pub selector: Selector,
    /// How long the clock may run.
    pub duration: TargetDuration,
    /// The calendar the duration is counted in (the metric's unless the
    /// target names one): a name of `calendars` or of `calendar_choices`.
    pub calendar: String,
    /// Set on the targets of a `first match` block: the ticket gets this
    /// target only if its row is the first of the block whose selector holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRow>,
}

/// A row of a `first match` target block: the block (numbered from 0 in
/// source order) and the row within it (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PolicyRow {
    /// The `first match` block, from 0 in source order.
    pub block: u32,
    /// The row within the block, from 0.
    pub row: u32,
}

/// How long a target allows (`kind` in the JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetDuration {
    /// Open time of the calendar (wall-clock time in `24x7`).
    Seconds {
        /// `within 4 hours`: 14400.
        seconds: i64,
    },
    /// The same local time on the n-th following working day.
    WorkingDays {
        /// `within 5 working days`: 5.
        n: u32,
    },
    /// The close of the first working day whose opening comes after the start.
    NextWorkingDay,
    /// Calendar time in the contract's zone.
    Calendar {
        /// `within 3 days` or `within 1 month` (only in `24x7`).
        span: CalendarSpan,
    },
    /// No timed target: reported, never breached ("next release", "best effort").
    Untimed {
        /// The string after `untimed` or `best effort`; `untimed` when none is written.
        note: String,
    },
    /// The metric does not apply to these tickets.
    NotApplicable,
}

/// A required share of met tickets per period: `objective "NAME" METRIC for
/// SELECTOR at least N%`, or a share (`for 85%`) on a target row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Objective {
    /// The name reports use; a row's share is named after its metric and
    /// selector (`resolution high`).
    pub name: String,
    /// The metric whose verdicts it counts.
    pub metric: String,
    /// The tickets it counts.
    pub selector: Selector,
    /// An objective made from a share on a row of a `first match` block
    /// counts the tickets that row covers: those whose first matching row it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRow>,
    /// Required share, a percentage 0–100.
    pub required: f64,
    /// The period each share is counted over (`per month` by default).
    pub period: Period,
}

/// A calendar period in the contract's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A calendar month.
    Month,
    /// Three calendar months: January to March, April to June, ….
    Quarter,
    /// A calendar year.
    Year,
}

/// `exclude when cause = third_party as "third-party infrastructure"`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Exclusion {
    /// The tickets it takes out.
    pub when: Condition,
    /// The reason reported for each of them.
    pub reason: String,
    /// The metrics it takes the ticket out of (`None`: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Vec<String>>,
}

/// The escalation ladder (`escalation { ... }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Escalation {
    /// When escalation is possible (e.g. `24x7`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<String>,
    /// `contact email "..."`: how to reach the escalation, in source order.
    pub contacts: Vec<Contact>,
    /// The levels, lowest number first.
    pub levels: Vec<EscalationLevel>,
    /// Fields an escalation must carry.
    #[serde(default)]
    pub carries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// `owner "service manager"`: who runs the procedure.
    pub owner: Option<String>,
}

/// `contact phone "+31 20 000 0000"`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Contact {
    /// How to reach it (`phone`, `email`).
    pub channel: String,
    /// The number or address.
    pub address: String,
}

/// `level 1 "service manager" on 75% of resolution used, response breached`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EscalationLevel {
    /// The level's number (`1`).
    pub level: u32,
    /// Who the ticket escalates to.
    pub role: String,
    /// What makes the level due (empty: no automatic trigger).
    pub triggers: Vec<Trigger>,
}

/// What makes an escalation level due (`on` in the JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Trigger {
    /// The metric's target was breached.
    Breached {
        /// The metric (`resolution breached`).
        metric: String,
    },
    /// A share (percent) of the metric's target has been used.
    Used {
        /// The metric (`75% of resolution used`).
        metric: String,
        /// The share, 0–100 (`75`).
        percent: f64,
    },
    /// The ticket matches a condition (e.g. `type = complaint`).
    When {
        /// The condition.
        condition: Condition,
    },
}

/// `availability portal per month { 99.5% in support ... }`: what a service must deliver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Availability {
    /// The service, as the outages file names it (`portal`).
    pub service: String,
    /// The service windows, each with its required availability.
    pub windows: Vec<AvailabilityWindow>,
    /// `at most 3 interruptions`: per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_interruptions: Option<u32>,
    /// Sample interval in seconds; `None`: downtime counted exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_seconds: Option<u32>,
    /// The period availability is counted over (`per month` by default).
    pub period: Period,
}

/// `99.5% in support` or `95% outside support`: a window and the availability required in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AvailabilityWindow {
    /// How the report names the window, e.g. `support hours` or `outside support hours`.
    pub name: String,
    /// The window's calendar, a name of `calendars` (`outside support` for
    /// the complement of `support`).
    pub calendar: String,
    /// The required availability, a percentage 0–100.
    pub required: f64,
    /// Service credit tiers, highest threshold first; the tiers cover
    /// `[0, first.below)` without gaps or overlaps (the checker sees to it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credit_tiers: Vec<CreditTier>,
}

/// Availability in `[at_least, below)` earns `credit` percent of the fee of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreditTier {
    /// Percentage 0–100, exclusive.
    pub below: f64,
    /// Percentage 0–100, inclusive.
    pub at_least: f64,
    /// Percentage of the fee, 0–100.
    pub credit: f64,
}

/// Money an agreement pays back when it is not kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Credits {
    /// The fee percentages are taken of; without it credits are percentages only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Fee>,
    /// `5% for each missed objective, at most 20% per month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_missed_objective: Option<MissedObjectiveCredit>,
}

/// `fee 2500 EUR per month`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Fee {
    /// The amount per period (`2500`).
    pub amount: f64,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// The period the fee is paid per (`per month` by default).
    pub period: Period,
}

/// The credit for each objective not compliant in a period, and the most
/// those credits add up to in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MissedObjectiveCredit {
    /// The credit per objective not compliant in a period (`5%`).
    pub credit: CreditValue,
    /// `at most 20%`: the most those credits add up to in one period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<CreditValue>,
}

/// A percentage of the fee, or an amount of money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum CreditValue {
    /// `5%`: a share of the fee.
    Percent {
        /// The percentage, 0–100.
        percent: f64,
    },
    /// `250 EUR`: money.
    Amount {
        /// The amount (`250`).
        amount: f64,
        /// ISO 4217 code, e.g. `EUR`.
        currency: String,
    },
}

/// The change windows (`changes { go live mon..thu  by exception fri ... }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Changes {
    /// Calendar of the times at which changes may go live.
    pub allowed: String,
    /// Calendar of the times at which changes may go live by exception only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_exception: Option<String>,
    /// The `lead time ...` lines, in source order.
    #[serde(default)]
    pub lead_times: Vec<LeadTime>,
}

/// Guidance on lead times (not evaluated): work of `min_hours`–`max_hours`
/// takes the given number of weeks, by load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LeadTime {
    /// The least work it covers, in hours (0 for `up to N hours`).
    pub min_hours: u32,
    /// The most work it covers, in hours (`None` for `over N hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_hours: Option<u32>,
    /// `(load, min_weeks, max_weeks)`; empty means "agreed with the customer".
    pub weeks: Vec<LeadWeeks>,
}

/// `2..3 weeks at low load`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LeadWeeks {
    /// The load (`low`).
    pub load: String,
    /// The fewest weeks (`2`).
    pub min_weeks: u32,
    /// The most weeks (`3`).
    pub max_weeks: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A metric to `stop` (a field, or an event with `~`), reading
    /// reopenings when `resolved`.
    fn metric(name: &str, stop: &str, resolved: bool) -> Metric {
        Metric {
            name: name.into(),
            start: InstantSource::Field("opened_at".into()),
            stop: match stop.strip_prefix('~') {
                Some(e) => InstantSource::Event(e.into()),
                None => InstantSource::Field(stop.into()),
            },
            pause: Vec::new(),
            calendar: ALWAYS.into(),
            target_at: TargetAt::Stop,
            resolved: if resolved {
                vec!["solved".into()]
            } else {
                Vec::new()
            },
            cycles: false,
            repeat: None,
        }
    }

    #[test]
    fn the_resolution_timestamp_is_where_a_resolved_metric_stops() {
        let ms = [
            metric("response", "responded_at", false),
            metric("work", "solved_at", true),
            metric("next_reply", "~agent_reply", true),
        ];
        // Not a field named `resolved_at`: the one `work` stops at.
        assert_eq!(
            resolution_fields(&ms),
            Ok(vec![None, Some("solved_at"), Some("solved_at")])
        );
        // No metric stops at the resolution at a timestamp: none.
        let ms = [metric("next_reply", "~agent_reply", true)];
        assert_eq!(resolution_fields(&ms), Ok(vec![None]));
    }

    #[test]
    fn two_resolution_timestamps_are_each_their_metrics_own() {
        let ms = [
            metric("fix", "resolved_at", true),
            metric("close", "closed_at", true),
        ];
        assert_eq!(
            resolution_fields(&ms),
            Ok(vec![Some("resolved_at"), Some("closed_at")])
        );
        // A metric that needs the contract's cannot tell which.
        let ms = [
            metric("fix", "resolved_at", true),
            metric("close", "closed_at", true),
            metric("next_reply", "~agent_reply", true),
        ];
        assert_eq!(
            resolution_fields(&ms),
            Err(AmbiguousResolution {
                metric: 2,
                stops: [0, 1]
            })
        );
    }
}
