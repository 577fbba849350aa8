//! The evaluation plan: a [`RuleSet`] validated once and turned into indices
//! (fields, labels, calendars, metrics), so that evaluating a ticket never
//! looks a name up. A rule set read from JSON has not been through the
//! checker, so every reference is validated here and reported by name.

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;

use crate::eval::contract::statuses::status_key;
use crate::rules::{
    CalendarSpan, Condition, FieldKind, InstantSource, Period, PrioritySource, RuleSet, Selector,
    TargetDuration, Trigger, Value, Version, ALWAYS, FIRST_VERSION, SCHEMA, SCHEMA_VERSIONED,
};
use crate::time::spec::CalendarSpec;
use crate::time::{local_to_instant, parse_tz, Calendar};
use chrono::NaiveDate;

/// The column a ticket's id is read from when the rule set declares no `id` field.
pub(crate) const ID_FIELD: &str = "id";
/// The field that arrival windows (`opened inside office hours`) look at.
pub(crate) const OPENED_FIELD: &str = "opened_at";

pub(crate) struct Plan {
    pub(crate) rules: RuleSet,
    /// The contract's zone: periods and calendar days are counted in it.
    pub(crate) tz: Tz,
    /// The zone as an always-open calendar, whose tables give the local
    /// month of an instant (see [`Plan::month_of`]).
    zone: Calendar,
    pub(crate) calendars: Vec<NamedCalendar>,
    /// Calendars chosen per ticket by a field.
    pub(crate) choices: Vec<ChoicePlan>,
    pub(crate) fields: Vec<FieldPlan>,
    /// The column holding the ticket id (the `id` field's column, or `id`).
    pub(crate) id_column: String,
    pub(crate) id_field: Option<usize>,
    pub(crate) opened_field: Option<usize>,
    /// The field whose instant decides the version a ticket is judged by:
    /// the ticket's opening, where the first metric that starts at a field
    /// starts (else `opened_at`).
    pub(crate) opening: Option<usize>,
    pub(crate) priority: Option<PriorityPlan>,
    /// Priority names in the contract's order; a ticket's priority is an index into it.
    pub(crate) priority_names: Vec<String>,
    pub(crate) closures: Vec<ClosurePlan>,
    pub(crate) metrics: Vec<MetricPlan>,
    pub(crate) stops: Stops,
    pub(crate) targets: Vec<TargetPlan>,
    /// Per `first match` block, per row: a target of the row, whose
    /// selector is the row's.
    pub(crate) policy_rows: Vec<Vec<usize>>,
    pub(crate) objectives: Vec<ObjectivePlan>,
    pub(crate) exclusions: Vec<ExclusionPlan>,
    /// The escalation ladder's levels, in order (empty without a ladder).
    pub(crate) escalation: Vec<LevelPlan>,
    /// The versions after the first, each in force from an instant, earliest
    /// first; this plan is version 1. Empty for a contract without versions
    /// (and in the plan of a version).
    pub(crate) versions: Vec<VersionPlan>,
}

/// A later version of the contract: its plan and when it comes into force.
pub(crate) struct VersionPlan {
    pub(crate) name: String,
    /// The start of its `from` day in the contract's zone.
    pub(crate) from: i64,
    pub(crate) plan: Plan,
}

/// Which version of a contract a row was judged by: 0 is the first (the
/// plan itself), `n` is `Plan::versions[n - 1]`.
pub(crate) type VersionIndex = u16;

impl Plan {
    /// The plan of version `v` (the first for 0, or one out of range).
    pub(crate) fn version(&self, v: VersionIndex) -> &Plan {
        match usize::from(v).checked_sub(1) {
            Some(i) => self.versions.get(i).map_or(self, |x| &x.plan),
            None => self,
        }
    }

    /// The name of version `v`, for reports; `None` for a contract without versions.
    pub(crate) fn version_name(&self, v: VersionIndex) -> Option<&str> {
        if self.versions.is_empty() {
            return None;
        }
        match usize::from(v).checked_sub(1) {
            Some(i) => self.versions.get(i).map(|x| x.name.as_str()),
            None => Some(FIRST_VERSION),
        }
    }

    /// The version in force at instant `at`: the last whose day has begun
    /// by then (the first before any).
    pub(crate) fn version_at(&self, at: i64) -> VersionIndex {
        let n = self.versions.partition_point(|v| v.from <= at);
        VersionIndex::try_from(n).unwrap_or(VersionIndex::MAX)
    }
}

pub(crate) struct LevelPlan {
    pub(crate) level: u32,
    pub(crate) role: String,
    pub(crate) triggers: Vec<TriggerPlan>,
}

pub(crate) enum TriggerPlan {
    Breached(usize),
    Used(usize, f64),
    When(Cond),
}

pub(crate) struct NamedCalendar {
    pub(crate) name: String,
    pub(crate) calendar: Calendar,
}

/// A calendar chosen per ticket by a field's value.
pub(crate) struct ChoicePlan {
    pub(crate) name: String,
    pub(crate) field: usize,
    /// For a label field: per label, the calendar it chooses.
    pub(crate) by_label: Vec<Option<usize>>,
    /// For a text field: per value as the log spells it.
    pub(crate) by_text: HashMap<String, usize>,
}

/// Where a clock's or target's calendar comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CalSlot {
    /// Index into `Plan::calendars`.
    Fixed(usize),
    /// Index into `Plan::choices`: decided per ticket.
    Chosen(usize),
}

/// A target whose calendars depend on the ticket: one variant of the
/// target per pair of calendars (the target's, the metric's) the ticket
/// may choose, appended to `Plan::targets`.
pub(crate) struct Chosen {
    pub(crate) target: CalSlot,
    pub(crate) metric: CalSlot,
    /// ((target calendar, metric calendar), index of the variant in `Plan::targets`).
    pub(crate) variants: Vec<((usize, usize), usize)>,
}

#[derive(Debug, Clone)]
pub(crate) struct FieldPlan {
    pub(crate) name: String,
    pub(crate) column: String,
    pub(crate) kind: FieldType,
    pub(crate) optional: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldType {
    Text,
    Integer,
    Timestamp,
    Label(Vec<String>),
    /// The event log's status column; not a column of the ticket log.
    Status,
}

pub(crate) enum PriorityPlan {
    /// The label of this field names the priority.
    Field {
        field: usize,
        /// The priority each label of the field names, by label index:
        /// found once here, not by comparing names for every ticket.
        by_label: Vec<usize>,
    },
    /// Looked up by (row label, column label).
    Matrix {
        rows: usize,
        columns: usize,
        cells: HashMap<(u32, u32), usize>,
    },
}

pub(crate) struct ClosurePlan {
    pub(crate) name: String,
    pub(crate) confirmed: usize,
    pub(crate) from: usize,
    pub(crate) after: CalendarSpan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Field(usize),
    MetricStop(usize),
    Closure(usize),
    /// An activity of the event log, an index into
    /// [`crate::rules::ACTIVITY_NAMES`]: where a repeating clock starts or
    /// stops (no single instant of the ticket).
    Event(usize),
    /// Index into `Stops::statuses`: the first event in one of them.
    Status(usize),
    /// Index into `Stops::earliest`: the first of these to happen.
    Earliest(usize),
}

/// The stops that are more than one instant: `earliest of` alternatives and
/// statuses (as compared, [`status_key`]). Events plug in here: a kind of
/// activity (a public reply) would be one more `Source` an alternative can be.
#[derive(Default)]
pub(crate) struct Stops {
    pub(crate) earliest: Vec<Vec<Source>>,
    pub(crate) statuses: Vec<Vec<String>>,
}

pub(crate) struct MetricPlan {
    pub(crate) name: String,
    pub(crate) start: Source,
    pub(crate) stop: Source,
    pub(crate) pause: Vec<String>,
    /// `pause` as statuses are compared ([`status_key`]), in the same order.
    pub(crate) pause_keys: Vec<String>,
    pub(crate) calendar: CalSlot,
    /// Which instant's priority chooses the target when it changes.
    pub(crate) target_at: crate::rules::TargetAt,
    /// The statuses in which the ticket is resolved, as the contract names them.
    pub(crate) resolved: Vec<String>,
    /// The statuses in which the ticket is resolved, as compared
    /// ([`status_key`]), `closed` among them; empty: reopenings are not read.
    pub(crate) resolved_keys: Vec<String>,
    /// The timestamp field whose being set resolves the ticket for this
    /// metric, whatever the statuses say ([`crate::rules::resolution_fields`]).
    pub(crate) resolution: Option<usize>,
    /// Each reopening starts a new cycle with its own verdict.
    pub(crate) cycles: bool,
    /// How the clock repeats; none: one clock (per reopening cycle).
    pub(crate) repeat: Option<crate::rules::Repeat>,
    /// Indices into `Plan::targets`, in source order: the first match applies.
    pub(crate) targets: Vec<usize>,
    /// Indices into `Plan::objectives` of those on this metric.
    pub(crate) objectives: Vec<usize>,
    /// `objectives` by the priority of a ticket.
    objectives_by_priority: ByPriority,
    /// `targets` by the priority of a ticket.
    targets_by_priority: ByPriority,
}

/// A metric's targets or objectives by the priority of a ticket: one list
/// per priority, then one for a ticket without; in each, those whose
/// selector admits the priority (a `first match` row is decided by its
/// block, whatever its priorities).
#[derive(Default)]
struct ByPriority(Vec<Vec<usize>>);

impl ByPriority {
    /// `all` by each of `priorities` priorities; `selector(i)` says whether
    /// item `i` is a `first match` row and which priorities its selector
    /// admits (`None`: any).
    fn new<'s>(
        all: &[usize],
        priorities: usize,
        selector: impl Fn(usize) -> (bool, Option<&'s [usize]>),
    ) -> Self {
        let admits = |i: usize, p: usize| {
            let (first_match, admitted) = selector(i);
            first_match || admitted.is_none_or(|ps| ps.contains(&p))
        };
        let list = |p| all.iter().copied().filter(|&i| admits(i, p)).collect();
        ByPriority((0..=priorities).map(list).collect())
    }

    /// Those of `all` that a ticket of `priority` may match, in order (all
    /// of them before the lists are made).
    fn of<'a>(&'a self, all: &'a [usize], priority: Option<usize>) -> &'a [usize] {
        let none = self.0.len().saturating_sub(1);
        let list = match priority {
            Some(p) if p < none => self.0.get(p),
            Some(_) => None,
            None => self.0.get(none),
        };
        list.map_or(all, Vec::as_slice)
    }
}

impl MetricPlan {
    /// The objectives on this metric that a ticket of `priority` may count
    /// in, in order: a priority that an objective's selector leaves out
    /// rules it out before anything else is looked at (the rest of the
    /// selector still decides).
    pub(crate) fn objectives_for(&self, priority: Option<usize>) -> &[usize] {
        self.objectives_by_priority.of(&self.objectives, priority)
    }

    /// The targets of this metric that may cover a ticket of `priority`, in
    /// order: `targets` without those whose selector leaves the priority
    /// out (they cannot match; the rest of the selector still decides).
    pub(crate) fn targets_for(&self, priority: Option<usize>) -> &[usize] {
        self.targets_by_priority.of(&self.targets, priority)
    }
}

pub(crate) struct TargetPlan {
    pub(crate) selector: SelectorPlan,
    pub(crate) duration: TargetDuration,
    /// The calendar the duration counts in.
    pub(crate) calendar: usize,
    /// The metric's calendar (elapsed time of a target not in hours).
    pub(crate) metric_calendar: usize,
    /// Index into `RuleSet::targets` of the rule this target comes from.
    pub(crate) rule: usize,
    /// Set on a target whose calendars a ticket chooses: the ticket is
    /// judged by one of its variants (whose `chosen` is `None`).
    pub(crate) chosen: Option<Chosen>,
    /// In a `first match` block: (block, row).
    pub(crate) policy: Option<(usize, usize)>,
}

#[derive(Default)]
pub(crate) struct SelectorPlan {
    pub(crate) priorities: Option<Vec<usize>>,
    pub(crate) when: Option<Cond>,
}

pub(crate) enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    In {
        field: usize,
        values: CondValues,
    },
    Empty {
        field: usize,
    },
    Opened {
        field: usize,
        calendar: usize,
        inside: bool,
    },
}

pub(crate) enum CondValues {
    Labels(Vec<u32>),
    Integers(Vec<i64>),
    Texts(Vec<String>),
}

pub(crate) struct ObjectivePlan {
    pub(crate) name: String,
    pub(crate) metric: usize,
    pub(crate) selector: SelectorPlan,
    /// Made from a share on a `first match` row: (block, row).
    pub(crate) policy: Option<(usize, usize)>,
    pub(crate) required: f64,
    pub(crate) period: Period,
}

pub(crate) struct ExclusionPlan {
    pub(crate) when: Cond,
    pub(crate) reason: String,
    /// `None`: every metric.
    pub(crate) metrics: Option<Vec<usize>>,
}

/// Builds a plan, naming the first problem found. `origin` names the rule
/// set in messages (its file).
pub(crate) fn build(rules: RuleSet) -> Result<Plan, String> {
    let mut rules = rules;
    let versions = std::mem::take(&mut rules.versions);
    let versioned = rules.schema == SCHEMA_VERSIONED;
    if versioned == versions.is_empty() {
        return Err(format!(
            "this rule set is of schema `{}` but has {} versions; `{SCHEMA_VERSIONED}` is the tag of a rule set with versions and only of one; compile the contract again with `sla compile`",
            rules.schema,
            versions.len()
        ));
    }
    if versioned {
        rules.schema = SCHEMA.into();
    }
    let mut plan = build_one(rules)?;
    plan.versions = build_versions(&plan, versions)?;
    Ok(plan)
}

/// The plans of the versions after the first: each a whole rule set over
/// the same fields, from a later day than the one before.
fn build_versions(first: &Plan, versions: Vec<Version>) -> Result<Vec<VersionPlan>, String> {
    let mut out: Vec<VersionPlan> = Vec::with_capacity(versions.len());
    let mut before: Option<NaiveDate> = first.rules.contract.effective;
    let mut names = vec![FIRST_VERSION.to_string()];
    for v in versions {
        let what = format!("version `{}`", v.name);
        if names.contains(&v.name) {
            return Err(format!("{what} is named twice (`{FIRST_VERSION}` is the contract as first written); name each version once"));
        }
        if let Some(b) = before.filter(|b| v.from <= *b) {
            return Err(format!(
                "{what} is in force from {}, not after {b} (the version before it, or the contract's effective date); versions come in the order of their dates",
                v.from
            ));
        }
        if !v.rules.versions.is_empty() {
            return Err(format!(
                "{what} has versions of its own; a version's rules are one whole contract"
            ));
        }
        let mut rules = v.rules;
        if rules.schema == SCHEMA_VERSIONED {
            rules.schema = SCHEMA.into();
        }
        if rules.fields != first.rules.fields {
            return Err(format!("{what} reads other fields than the first version; every version reads the same ticket log, so their `fields` are the same"));
        }
        let plan = build_one(rules).map_err(|m| format!("{what}: {m}"))?;
        let from = start_of_day(first.tz, v.from).ok_or_else(|| {
            format!(
                "{what}: the start of {} does not exist in {}",
                v.from, first.tz
            )
        })?;
        before = Some(v.from);
        names.push(v.name.clone());
        out.push(VersionPlan {
            name: v.name,
            from,
            plan,
        });
    }
    Ok(out)
}

/// The first instant of a local day: its midnight, or the end of a gap
/// that swallows midnight (zones that move their clocks at 00:00).
fn start_of_day(tz: Tz, day: NaiveDate) -> Option<i64> {
    local_to_instant(tz, day.and_time(chrono::NaiveTime::MIN))
}

/// Builds the plan of one version (a rule set without versions).
fn build_one(rules: RuleSet) -> Result<Plan, String> {
    if rules.schema != SCHEMA {
        return Err(format!(
            "this rule set is of schema `{}`, but this sla reads `{SCHEMA}`; compile the contract again with `sla compile`",
            rules.schema
        ));
    }
    let tz = parse_tz(&rules.timezone).map_err(|e| {
        format!(
            "the contract's time zone `{}` is not a known IANA zone ({e}); use a name such as Europe/Amsterdam",
            rules.timezone
        )
    })?;
    let calendars = build_calendars(&rules)?;
    let cal_index: HashMap<&str, usize> = calendars
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let fields = build_fields(&rules)?;
    let choices = build_choices(&rules, &fields, &cal_index)?;
    let choice_index: HashMap<&str, usize> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let names = Names {
        fields: &fields,
        calendars: &cal_index,
        choices: &choice_index,
        metrics: rules.metrics.iter().map(|m| m.name.as_str()).collect(),
        priorities: rules
            .priority
            .as_ref()
            .map(|p| p.levels.iter().map(|l| l.name.as_str()).collect())
            .unwrap_or_default(),
    };
    let id_field = names.field_index(ID_FIELD);
    let opened_field = names.field_index(OPENED_FIELD);
    let id_column = id_field
        .map(|i| fields[i].column.clone())
        .unwrap_or_else(|| ID_FIELD.to_string());
    let priority = build_priority(&rules, &names)?;
    let priority_names = names.priorities.iter().map(|s| s.to_string()).collect();
    let closures = build_closures(&rules, &names)?;
    let mut stops = Stops::default();
    let mut metrics = build_metrics(&rules, &names, &closures, &mut stops)?;
    let opening = metrics
        .iter()
        .find_map(|m| match m.start {
            Source::Field(f) => Some(f),
            _ => None,
        })
        .or(opened_field);
    let mut targets = build_targets(&rules, &names, &choices, &mut metrics)?;
    let policy_rows = build_policy_rows(&targets)?;
    add_chosen_variants(&mut targets);
    let objectives = build_objectives(&rules, &names, &policy_rows, &mut metrics)?;
    let exclusions = build_exclusions(&rules, &names)?;
    let escalation = build_escalation(&rules, &names)?;
    Ok(Plan {
        tz,
        zone: Calendar::always(tz),
        calendars,
        choices,
        fields,
        id_column,
        id_field,
        opened_field,
        opening,
        priority,
        priority_names,
        closures,
        metrics,
        stops,
        targets,
        policy_rows,
        objectives,
        exclusions,
        escalation,
        rules,
        versions: Vec::new(),
    })
}

impl Plan {
    /// The local (year, month) of instant `t` in the contract's zone: the
    /// key of a period. Looked up in the zone's year tables, not worked out
    /// from the zone's rules, as every clock of every ticket asks.
    pub(crate) fn month_of(&self, t: i64) -> (i32, u32) {
        self.zone
            .month_of(t)
            .unwrap_or_else(|| crate::time::month_of(self.tz, t))
    }

    /// The local year of instant `t` and the first instants of its months
    /// and of the next year, from the zone's tables; `None` outside them.
    pub(crate) fn months_of_year(&self, t: i64) -> Option<(i32, [i64; 13])> {
        self.zone.months_of_year(t)
    }

    /// Applies `--column FIELD=COLUMN` renames.
    pub(crate) fn rename_columns(&mut self, renames: &[(String, String)]) -> Result<(), String> {
        for (field, column) in renames {
            match self.fields.iter_mut().find(|f| &f.name == field) {
                Some(f) => f.column = column.clone(),
                None if field == ID_FIELD => {}
                None => {
                    let known: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
                    return Err(format!(
                        "--column {field}={column}: the contract has no field `{field}`{}; its fields are: {}",
                        did_you_mean(field, known.iter().copied()),
                        known.join(", ")
                    ));
                }
            }
            if field == ID_FIELD {
                self.id_column = column.clone();
            }
        }
        Ok(())
    }

    pub(crate) fn calendar(&self, i: usize) -> &Calendar {
        &self.calendars[i].calendar
    }

    /// The name of a calendar slot: a calendar's, or a choice's.
    pub(crate) fn slot_name(&self, s: CalSlot) -> &str {
        match s {
            CalSlot::Fixed(c) => &self.calendars[c].name,
            CalSlot::Chosen(c) => &self.choices[c].name,
        }
    }

    pub(crate) fn source_name(&self, s: Source) -> String {
        match s {
            Source::Field(f) => self.fields[f].name.clone(),
            Source::MetricStop(m) => format!("the stop of {}", self.metrics[m].name),
            Source::Closure(c) => format!("closure {}", self.closures[c].name),
            Source::Event(e) => crate::rules::ACTIVITY_NAMES[e][0].to_string(),
            Source::Status(i) => format!("status in [{}]", self.stops.statuses[i].join(", ")),
            Source::Earliest(i) => {
                let each: Vec<String> = self.stops.earliest[i]
                    .iter()
                    .map(|s| self.source_name(*s))
                    .collect();
                format!("the earliest of {}", each.join(", "))
            }
        }
    }
}

/// The targets of the rule set, each added to its metric's list; a target
/// whose calendars a ticket chooses gets its variants later
/// ([`add_chosen_variants`]).
fn build_targets(
    rules: &RuleSet,
    names: &Names,
    choices: &[ChoicePlan],
    metrics: &mut [MetricPlan],
) -> Result<Vec<TargetPlan>, String> {
    let mut targets = Vec::with_capacity(rules.targets.len());
    for (i, t) in rules.targets.iter().enumerate() {
        let what = format!("target {} (for metric `{}`)", i + 1, t.metric);
        let metric = names.metric_index(&t.metric, &what)?;
        let calendar = names.slot(&t.calendar, &what)?;
        let selector = names.selector(&t.selector, &what)?;
        if let TargetDuration::Seconds { seconds } = t.duration {
            if seconds < 0 {
                return Err(format!("{what}: a negative duration ({seconds} s)"));
            }
        }
        metrics[metric].targets.push(targets.len());
        let metric_calendar = metrics[metric].calendar;
        let (fixed, chosen) = match (calendar, metric_calendar) {
            (CalSlot::Fixed(c), CalSlot::Fixed(m)) => ((c, m), None),
            (tc, mc) => {
                let pairs = slot_calendars(choices, tc)
                    .into_iter()
                    .flat_map(|c| slot_calendars(choices, mc).into_iter().map(move |m| (c, m)));
                let chosen = Chosen {
                    target: tc,
                    metric: mc,
                    variants: pairs.map(|p| (p, usize::MAX)).collect(),
                };
                // The base is never judged itself; its calendars are those of
                // its first variant so that every index stays valid.
                let first = chosen.variants.first().map_or((0, 0), |v| v.0);
                (first, Some(chosen))
            }
        };
        targets.push(TargetPlan {
            selector,
            duration: t.duration.clone(),
            calendar: fixed.0,
            metric_calendar: fixed.1,
            rule: i,
            chosen,
            policy: t.policy.map(|p| (p.block as usize, p.row as usize)),
        });
    }
    for m in metrics.iter_mut() {
        m.targets_by_priority = ByPriority::new(&m.targets, names.priorities.len(), |ti| {
            let t = &targets[ti];
            (t.policy.is_some(), t.selector.priorities.as_deref())
        });
    }
    Ok(targets)
}

/// Appends the variants of each target whose calendars a ticket chooses.
fn add_chosen_variants(targets: &mut Vec<TargetPlan>) {
    // The variants of chosen targets, after every rule's own target, so that
    // a rule's target keeps the rule's index.
    for base in 0..targets.len() {
        let Some(mut chosen) = targets[base].chosen.take() else {
            continue;
        };
        for v in &mut chosen.variants {
            v.1 = targets.len();
            let b = &targets[base];
            targets.push(TargetPlan {
                selector: SelectorPlan::default(),
                duration: b.duration.clone(),
                calendar: v.0 .0,
                metric_calendar: v.0 .1,
                rule: b.rule,
                chosen: None,
                policy: None,
            });
        }
        targets[base].chosen = Some(chosen);
    }
}

/// The objectives, each added to its metric's list.
fn build_objectives(
    rules: &RuleSet,
    names: &Names,
    policy_rows: &[Vec<usize>],
    metrics: &mut [MetricPlan],
) -> Result<Vec<ObjectivePlan>, String> {
    let mut objectives = Vec::with_capacity(rules.objectives.len());
    for o in &rules.objectives {
        let what = format!("objective `{}`", o.name);
        if !(0.0..=100.0).contains(&o.required) {
            return Err(format!(
                "{what}: required share {} is not a percentage between 0 and 100",
                o.required
            ));
        }
        let metric = names.metric_index(&o.metric, &what)?;
        metrics[metric].objectives.push(objectives.len());
        let policy = o.policy.map(|p| (p.block as usize, p.row as usize));
        if let Some((b, r)) = policy {
            if policy_rows.get(b).and_then(|rows| rows.get(r)).is_none() {
                return Err(format!(
                    "{what}: it counts row {} of `first match` block {}, which has no targets",
                    r + 1,
                    b + 1
                ));
            }
        }
        objectives.push(ObjectivePlan {
            name: o.name.clone(),
            metric,
            policy,
            selector: names.selector(&o.selector, &what)?,
            required: o.required,
            period: o.period,
        });
    }
    for m in metrics.iter_mut() {
        // A share on a `first match` row is decided by the row.
        m.objectives_by_priority = ByPriority::new(&m.objectives, names.priorities.len(), |oi| {
            let o = &objectives[oi];
            (o.policy.is_some(), o.selector.priorities.as_deref())
        });
    }
    Ok(objectives)
}

fn build_exclusions(rules: &RuleSet, names: &Names) -> Result<Vec<ExclusionPlan>, String> {
    let mut exclusions = Vec::with_capacity(rules.exclusions.len());
    for (i, x) in rules.exclusions.iter().enumerate() {
        let what = format!("exclusion {} (\"{}\")", i + 1, x.reason);
        let metrics = match &x.metrics {
            None => None,
            Some(ms) => Some(
                ms.iter()
                    .map(|m| names.metric_index(m, &what))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        exclusions.push(ExclusionPlan {
            when: names.condition(&x.when, &what)?,
            reason: x.reason.clone(),
            metrics,
        });
    }
    Ok(exclusions)
}

/// The escalation ladder's levels, in order.
fn build_escalation(rules: &RuleSet, names: &Names) -> Result<Vec<LevelPlan>, String> {
    let mut escalation = Vec::new();
    for l in rules.escalation.iter().flat_map(|e| &e.levels) {
        let what = format!("escalation level {} ({})", l.level, l.role);
        let triggers = l
            .triggers
            .iter()
            .map(|t| {
                Ok(match t {
                    Trigger::Breached { metric } => {
                        TriggerPlan::Breached(names.metric_index(metric, &what)?)
                    }
                    Trigger::Used { metric, percent } => {
                        TriggerPlan::Used(names.metric_index(metric, &what)?, *percent)
                    }
                    Trigger::When { condition } => {
                        TriggerPlan::When(names.condition(condition, &what)?)
                    }
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        escalation.push(LevelPlan {
            level: l.level,
            role: l.role.clone(),
            triggers,
        });
    }
    Ok(escalation)
}

/// " (did you mean `x`?)" when a known name is close, else "".
/// ` (did you mean `x`?)` for an error message, or nothing: the one
/// suggestion rule of the project, [`crate::diagnostic::did_you_mean`].
pub(crate) fn did_you_mean<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> String {
    crate::diagnostic::did_you_mean(name, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn build_calendars(rules: &RuleSet) -> Result<Vec<NamedCalendar>, String> {
    let mut specs: BTreeMap<String, CalendarSpec> = rules.calendars.clone();
    // `24x7` is built in: a rule set that uses it need not spell it out.
    specs
        .entry(ALWAYS.to_string())
        .or_insert_with(|| CalendarSpec::Always {
            timezone: rules.timezone.clone(),
        });
    specs
        .into_iter()
        .map(|(name, spec)| match Calendar::new(&spec) {
            Ok(calendar) => Ok(NamedCalendar { name, calendar }),
            Err(e) => Err(format!("calendar `{name}`: {e}")),
        })
        .collect()
}

/// Per `first match` block, per row, the first target of the row; every
/// block's rows numbered from 0 without a gap.
fn build_policy_rows(targets: &[TargetPlan]) -> Result<Vec<Vec<usize>>, String> {
    let mut blocks: Vec<Vec<Option<usize>>> = Vec::new();
    for (ti, t) in targets.iter().enumerate() {
        let Some((b, r)) = t.policy else { continue };
        if b > targets.len() || r > targets.len() {
            return Err(format!(
                "target {}: its `first match` row is out of range",
                ti + 1
            ));
        }
        if blocks.len() <= b {
            blocks.resize_with(b + 1, Vec::new);
        }
        let rows = &mut blocks[b];
        if rows.len() <= r {
            rows.resize(r + 1, None);
        }
        rows[r].get_or_insert(ti);
    }
    blocks
        .into_iter()
        .enumerate()
        .map(|(b, rows)| {
            rows.into_iter()
                .enumerate()
                .map(|(r, t)| {
                    t.ok_or_else(|| {
                        format!(
                            "`first match` block {} has no target in row {}; number the rows of each block from 0 without gaps",
                            b + 1,
                            r + 1
                        )
                    })
                })
                .collect()
        })
        .collect()
}

fn build_choices(
    rules: &RuleSet,
    fields: &[FieldPlan],
    calendars: &HashMap<&str, usize>,
) -> Result<Vec<ChoicePlan>, String> {
    let mut out = Vec::with_capacity(rules.calendar_choices.len());
    for (name, c) in &rules.calendar_choices {
        let what = format!("calendar `{name}` (chosen by `{}`)", c.field);
        if calendars.contains_key(name.as_str()) {
            return Err(format!(
                "{what}: `{name}` names both a calendar and a calendar chosen by a field"
            ));
        }
        let field = fields
            .iter()
            .position(|f| f.name == c.field)
            .ok_or_else(|| {
                format!(
                    "{what}: there is no field `{}`{}",
                    c.field,
                    did_you_mean(&c.field, fields.iter().map(|f| f.name.as_str()))
                )
            })?;
        let mut by_label = Vec::new();
        let mut by_text = HashMap::new();
        for (value, cal) in &c.calendars {
            let ci = calendars.get(cal.as_str()).copied().ok_or_else(|| {
                format!(
                    "{what}: `{value}` names no calendar `{cal}`{}",
                    did_you_mean(cal, calendars.keys().copied())
                )
            })?;
            match &fields[field].kind {
                FieldType::Label(labels) => {
                    let li = labels.iter().position(|l| l == value).ok_or_else(|| {
                        format!(
                            "{what}: `{value}` is not a label of field `{}`{}",
                            c.field,
                            did_you_mean(value, labels.iter().map(String::as_str))
                        )
                    })?;
                    by_label.resize(labels.len(), None);
                    by_label[li] = Some(ci);
                }
                FieldType::Text => {
                    by_text.insert(value.clone(), ci);
                }
                _ => {
                    return Err(format!(
                    "{what}: a calendar is chosen by a label or text field, and `{}` is neither",
                    c.field
                ))
                }
            }
        }
        out.push(ChoicePlan {
            name: name.clone(),
            field,
            by_label,
            by_text,
        });
    }
    Ok(out)
}

/// The calendars a slot may stand for, each once, in order.
fn slot_calendars(choices: &[ChoicePlan], s: CalSlot) -> Vec<usize> {
    match s {
        CalSlot::Fixed(c) => vec![c],
        CalSlot::Chosen(i) => {
            let c = &choices[i];
            let mut all: Vec<usize> = c
                .by_label
                .iter()
                .flatten()
                .chain(c.by_text.values())
                .copied()
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

fn build_fields(rules: &RuleSet) -> Result<Vec<FieldPlan>, String> {
    let mut seen = HashMap::new();
    let mut out = Vec::with_capacity(rules.fields.len());
    for f in &rules.fields {
        if seen.insert(f.name.as_str(), ()).is_some() {
            return Err(format!("field `{}` is declared twice", f.name));
        }
        let kind = match &f.kind {
            FieldKind::Text => FieldType::Text,
            FieldKind::Integer => FieldType::Integer,
            FieldKind::Timestamp => FieldType::Timestamp,
            FieldKind::Label { labels } => {
                if labels.is_empty() {
                    return Err(format!("field `{}` has an empty label set", f.name));
                }
                FieldType::Label(labels.clone())
            }
            FieldKind::Status => FieldType::Status,
        };
        out.push(FieldPlan {
            name: f.name.clone(),
            column: f.column.clone(),
            kind,
            optional: f.optional,
        });
    }
    Ok(out)
}

fn build_priority(rules: &RuleSet, names: &Names) -> Result<Option<PriorityPlan>, String> {
    let Some(p) = &rules.priority else {
        return Ok(None);
    };
    let level = |name: &str, what: &str| {
        names
            .priorities
            .iter()
            .position(|l| *l == name)
            .ok_or_else(|| {
                format!(
                    "{what}: `{name}` is not a priority of the contract{}; its priorities are: {}",
                    did_you_mean(name, names.priorities.iter().copied()),
                    names.priorities.join(", ")
                )
            })
    };
    match &p.source {
        PrioritySource::Field { field } => {
            let f = names.label_field(field, "the priority")?;
            let mut by_label = Vec::new();
            if let FieldType::Label(labels) = &names.fields[f].kind {
                for l in labels {
                    by_label.push(level(
                        l,
                        &format!("label `{l}` of the priority field `{field}`"),
                    )?);
                }
            }
            Ok(Some(PriorityPlan::Field { field: f, by_label }))
        }
        PrioritySource::Matrix {
            rows,
            columns,
            cells,
        } => {
            let r = names.label_field(rows, "the priority matrix")?;
            let c = names.label_field(columns, "the priority matrix")?;
            let mut map = HashMap::new();
            for cell in cells {
                let what = format!("matrix cell ({}, {})", cell.row, cell.column);
                let ri = names.label(r, &cell.row, &what)?;
                let ci = names.label(c, &cell.column, &what)?;
                if map
                    .insert((ri, ci), level(&cell.priority, &what)?)
                    .is_some()
                {
                    return Err(format!("{what} is given twice"));
                }
            }
            Ok(Some(PriorityPlan::Matrix {
                rows: r,
                columns: c,
                cells: map,
            }))
        }
    }
}

fn build_closures(rules: &RuleSet, names: &Names) -> Result<Vec<ClosurePlan>, String> {
    rules
        .closures
        .iter()
        .map(|c| {
            let what = format!("closure `{}`", c.name);
            Ok(ClosurePlan {
                name: c.name.clone(),
                confirmed: names.timestamp_field(&c.confirmed, &what)?,
                from: names.timestamp_field(&c.from, &what)?,
                after: c.after,
            })
        })
        .collect()
}

/// The statuses in which a metric's ticket is resolved, as compared:
/// those the contract names and `closed` (SEMANTICS.md, "Histories":
/// resolved → closed is not a reopening); none when it names none.
fn resolved_keys(named: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = named.iter().map(|s| status_key(s)).collect();
    if !keys.is_empty() && !keys.iter().any(|k| k == "closed") {
        keys.push("closed".into());
    }
    keys
}

fn build_metrics(
    rules: &RuleSet,
    names: &Names,
    closures: &[ClosurePlan],
    stops: &mut Stops,
) -> Result<Vec<MetricPlan>, String> {
    let plain = |s: &InstantSource, what: &str| -> Result<Source, String> {
        match s {
            InstantSource::Field(f) => Ok(Source::Field(names.timestamp_field(f, what)?)),
            InstantSource::MetricStop(m) => Ok(Source::MetricStop(names.metric_index(m, what)?)),
            InstantSource::Closure(c) => closures
                .iter()
                .position(|x| &x.name == c)
                .map(Source::Closure)
                .ok_or_else(|| format!("{what}: there is no closure `{c}`")),
            InstantSource::Event(e) => crate::rules::ACTIVITY_NAMES
                .iter()
                .position(|n| n[0] == e)
                .map(Source::Event)
                .ok_or_else(|| format!("{what}: there is no event `{e}`")),
            InstantSource::Status(_) | InstantSource::EarliestOf(_) => Err(format!(
                "{what}: a status or `earliest of` is a stop, and only an alternative of one `earliest of`"
            )),
        }
    };
    let mut stop_source = |s: &InstantSource, what: &str| -> Result<Source, String> {
        let mut status = |ss: &[String]| {
            stops
                .statuses
                .push(ss.iter().map(|x| status_key(x)).collect());
            Source::Status(stops.statuses.len() - 1)
        };
        match s {
            InstantSource::Status(ss) => Ok(status(ss)),
            InstantSource::EarliestOf(of) => {
                let alts = of
                    .iter()
                    .map(|a| match a {
                        InstantSource::Status(ss) => Ok(status(ss)),
                        other => plain(other, what),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if alts.is_empty() {
                    return Err(format!("{what}: `earliest of` names no stop"));
                }
                stops.earliest.push(alts);
                Ok(Source::Earliest(stops.earliest.len() - 1))
            }
            other => plain(other, what),
        }
    };
    let mut out: Vec<MetricPlan> = Vec::with_capacity(rules.metrics.len());
    for m in &rules.metrics {
        let what = format!("metric `{}`", m.name);
        if out.iter().any(|o| o.name == m.name) {
            return Err(format!("{what} is declared twice"));
        }
        out.push(MetricPlan {
            name: m.name.clone(),
            start: plain(&m.start, &what)?,
            stop: stop_source(&m.stop, &what)?,
            pause: m.pause.clone(),
            pause_keys: m.pause.iter().map(|s| status_key(s)).collect(),
            calendar: names.slot(&m.calendar, &what)?,
            target_at: m.target_at,
            resolved: m.resolved.clone(),
            resolved_keys: resolved_keys(&m.resolved),
            resolution: None,
            cycles: m.cycles,
            repeat: m.repeat,
            targets: Vec::new(),
            objectives: Vec::new(),
            objectives_by_priority: ByPriority::default(),
            targets_by_priority: ByPriority::default(),
        });
    }
    let resolutions = crate::rules::resolution_fields(&rules.metrics).map_err(|a| {
        let name = |i: usize| rules.metrics[i].name.as_str();
        format!(
            "metric `{}` reads reopenings but stops at no timestamp, and the metrics that stop at the resolution stop at two: `{}` and `{}`; a ticket has one resolution timestamp (E0409)",
            name(a.metric),
            name(a.stops[0]),
            name(a.stops[1])
        )
    })?;
    for (m, field) in out.iter_mut().zip(resolutions) {
        m.resolution = field.and_then(|f| names.field_index(f));
    }
    metric_chains_end(&out)?;
    Ok(out)
}

/// A start or stop that is another metric's stop must end at a timestamp
/// (of a clock with one stop): each chain is followed at most once around
/// the metrics.
fn metric_chains_end(metrics: &[MetricPlan]) -> Result<(), String> {
    for m in metrics {
        for s in [m.start, m.stop] {
            let mut cur = s;
            let mut steps = 0;
            while let Source::MetricStop(next) = cur {
                steps += 1;
                if steps > metrics.len() {
                    return Err(format!(
                        "metric `{}` starts or stops at another metric's stop in a circle; one of them must stop at a ticket timestamp",
                        m.name
                    ));
                }
                if metrics[next].repeat.is_some() || metrics[next].cycles {
                    return Err(format!(
                        "metric `{}` starts at the stop of `{}`, which stops once per cycle; start it at a timestamp or at a clock with one stop (E0408)",
                        m.name, metrics[next].name
                    ));
                }
                cur = metrics[next].stop;
            }
        }
    }
    Ok(())
}

/// Name lookups with messages that say what exists.
struct Names<'a> {
    fields: &'a [FieldPlan],
    calendars: &'a HashMap<&'a str, usize>,
    choices: &'a HashMap<&'a str, usize>,
    metrics: Vec<&'a str>,
    priorities: Vec<&'a str>,
}

impl Names<'_> {
    fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    fn field(&self, name: &str, what: &str) -> Result<usize, String> {
        self.field_index(name).ok_or_else(|| {
            format!(
                "{what}: there is no field `{name}`{}",
                did_you_mean(name, self.fields.iter().map(|f| f.name.as_str()))
            )
        })
    }

    fn timestamp_field(&self, name: &str, what: &str) -> Result<usize, String> {
        let i = self.field(name, what)?;
        if self.fields[i].kind != FieldType::Timestamp {
            return Err(format!("{what}: field `{name}` is not a timestamp"));
        }
        Ok(i)
    }

    fn label_field(&self, name: &str, what: &str) -> Result<usize, String> {
        let i = self.field(name, what)?;
        if !matches!(self.fields[i].kind, FieldType::Label(_)) {
            return Err(format!("{what}: field `{name}` is not a label field"));
        }
        Ok(i)
    }

    fn label(&self, field: usize, label: &str, what: &str) -> Result<u32, String> {
        let f = &self.fields[field];
        let FieldType::Label(labels) = &f.kind else {
            return Err(format!("{what}: field `{}` is not a label field", f.name));
        };
        labels
            .iter()
            .position(|l| l == label)
            .map(|i| i as u32)
            .ok_or_else(|| {
                format!(
                    "{what}: `{label}` is not a label of field `{}`{}; its labels are: {}",
                    f.name,
                    did_you_mean(label, labels.iter().map(String::as_str)),
                    labels.join(", ")
                )
            })
    }

    fn metric_index(&self, name: &str, what: &str) -> Result<usize, String> {
        self.metrics.iter().position(|m| *m == name).ok_or_else(|| {
            format!(
                "{what}: there is no metric `{name}`{}",
                did_you_mean(name, self.metrics.iter().copied())
            )
        })
    }

    fn calendar(&self, name: &str, what: &str) -> Result<usize, String> {
        self.calendars.get(name).copied().ok_or_else(|| {
            format!(
                "{what}: there is no calendar `{name}`{}",
                did_you_mean(name, self.calendars.keys().copied())
            )
        })
    }

    /// A calendar or a calendar chosen by a field, where a clock counts.
    fn slot(&self, name: &str, what: &str) -> Result<CalSlot, String> {
        match self.choices.get(name) {
            Some(&c) => Ok(CalSlot::Chosen(c)),
            None => self.calendar(name, what).map(CalSlot::Fixed),
        }
    }

    fn selector(&self, s: &Selector, what: &str) -> Result<SelectorPlan, String> {
        let priorities = match &s.priorities {
            None => None,
            Some(ps) => Some(
                ps.iter()
                    .map(|p| {
                        self.priorities.iter().position(|l| l == p).ok_or_else(|| {
                            format!(
                                "{what}: `{p}` is not a priority of the contract{}",
                                did_you_mean(p, self.priorities.iter().copied())
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let when = match &s.when {
            None => None,
            Some(c) => Some(self.condition(c, what)?),
        };
        Ok(SelectorPlan { priorities, when })
    }

    fn condition(&self, c: &Condition, what: &str) -> Result<Cond, String> {
        Ok(match c {
            Condition::All { of } => Cond::All(
                of.iter()
                    .map(|c| self.condition(c, what))
                    .collect::<Result<_, _>>()?,
            ),
            Condition::Any { of } => Cond::Any(
                of.iter()
                    .map(|c| self.condition(c, what))
                    .collect::<Result<_, _>>()?,
            ),
            Condition::Not { of } => Cond::Not(Box::new(self.condition(of, what)?)),
            Condition::Empty { field } => Cond::Empty {
                field: self.field(field, what)?,
            },
            Condition::Opened {
                field,
                calendar,
                inside,
            } => {
                let fi = self.field(field, what)?;
                if self.fields[fi].kind != FieldType::Timestamp {
                    return Err(format!(
                        "{what}: `{field} inside {calendar}` needs a timestamp field, but `{field}` is not one"
                    ));
                }
                Cond::Opened {
                    field: fi,
                    calendar: self.calendar(calendar, what)?,
                    inside: *inside,
                }
            }
            Condition::In { field, values } => {
                let fi = self.field(field, what)?;
                let values = match &self.fields[fi].kind {
                    FieldType::Label(_) => CondValues::Labels(
                        values
                            .iter()
                            .map(|v| self.label(fi, &v.to_string(), what))
                            .collect::<Result<_, _>>()?,
                    ),
                    FieldType::Integer => CondValues::Integers(
                        values
                            .iter()
                            .map(|v| match v {
                                Value::Integer(n) => Ok(*n),
                                Value::Label(s) => s.trim().parse().map_err(|_| {
                                    format!("{what}: field `{field}` holds integers, not `{s}`")
                                }),
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    FieldType::Text => {
                        CondValues::Texts(values.iter().map(|v| v.to_string()).collect())
                    }
                    FieldType::Timestamp | FieldType::Status => {
                        return Err(format!(
                            "{what}: field `{field}` cannot be compared with values; only labels, integers and text can"
                        ))
                    }
                };
                Cond::In { field: fi, values }
            }
        })
    }
}
