//! The what-if: one ticket log judged under two contracts. Both evaluations
//! stream side by side (each the evaluator's own driver, on its own reader
//! of the log); their rows meet here ticket by ticket, in log order, through
//! bounded channels, so memory stays flat however long the log. What comes
//! out: each ticket whose verdict on a metric changes, the count of each
//! change (met → breached …), and the objectives whose share or compliance
//! changes, per period.

use crate::time::At;
use std::collections::{BTreeMap, VecDeque};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use serde::Serialize;

use crate::eval::{AvailabilityRow, ChunkFormat, ObjectiveResult, Row};
use crate::eval::{EvalError, Plan, RowSink, RowText, Status, Summary};
use crate::rules::FIRST_VERSION;

/// A ticket whose verdict on one metric differs between the two contracts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TicketChange {
    pub(crate) id: String,
    /// The line of the ticket in the log.
    pub(crate) line: u64,
    pub(crate) metric: Option<String>,
    pub(crate) priority: Option<String>,
    /// The status under the old contract; `None` when it has no row for that metric.
    pub(crate) old: Option<Status>,
    pub(crate) new: Option<Status>,
    pub(crate) old_deadline: Option<At>,
    pub(crate) new_deadline: Option<At>,
}

/// An objective in a period whose counts, share or compliance differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ObjectiveChange {
    pub(crate) name: String,
    pub(crate) period: String,
    pub(crate) old: Option<Compliance>,
    pub(crate) new: Option<Compliance>,
    /// Compliant under one contract and not under the other (a period
    /// present under one only counts as compliant-and-empty under the other).
    pub(crate) compliance_changed: bool,
}

/// An objective's standing in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Compliance {
    pub(crate) met: u64,
    pub(crate) breached: u64,
    /// Percent; `None` when no ticket is met or breached.
    pub(crate) share: Option<f64>,
    pub(crate) required: f64,
    pub(crate) compliant: bool,
}

impl From<&ObjectiveResult> for Compliance {
    fn from(o: &ObjectiveResult) -> Self {
        Compliance {
            met: o.counts.get(Status::Met),
            breached: o.counts.get(Status::Breached),
            share: o.share,
            required: o.required,
            compliant: o.compliant,
        }
    }
}

/// A service window in a period whose availability or compliance differs
/// (the outages are the same; the windows and requirements are not).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct AvailabilityChange {
    pub(crate) service: String,
    pub(crate) window: String,
    pub(crate) period: String,
    /// (availability in percent, required, compliant) under each contract.
    pub(crate) old: Option<(Option<f64>, f64, bool)>,
    pub(crate) new: Option<(Option<f64>, f64, bool)>,
    pub(crate) compliance_changed: bool,
}

/// The credits owed in one period under each contract, where they differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CreditChange {
    pub(crate) period: String,
    pub(crate) old: Owed,
    pub(crate) new: Owed,
}

/// The credits of a period added up: percent of the fee and money.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Owed {
    pub(crate) percent: f64,
    pub(crate) amount: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) currency: Option<String>,
}

/// What the two evaluations add up to.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Tickets judged (under the old contract).
    pub(crate) tickets: u64,
    /// Tickets with at least one changed verdict.
    pub(crate) tickets_changed: u64,
    /// (old status, new status) → rows; `None` where a side has no row.
    pub(crate) transitions: BTreeMap<(Option<Status>, Option<Status>), u64>,
    pub(crate) objectives: Vec<ObjectiveChange>,
    pub(crate) availability: Vec<AvailabilityChange>,
    pub(crate) credits: Vec<CreditChange>,
    pub(crate) old: Summary,
    pub(crate) new: Summary,
}

/// What the comparison needs of a contract: the names rows point to.
pub(crate) struct Names {
    /// Per version of the contract (one for a contract without versions).
    metrics: Vec<Vec<String>>,
    priorities: Vec<Vec<String>>,
}

impl Names {
    pub(crate) fn of(first: &Plan) -> Names {
        let plans = std::iter::once(first).chain(first.versions.iter().map(|v| &v.plan));
        let (metrics, priorities) = plans
            .map(|plan| {
                (
                    plan.metrics.iter().map(|m| m.name.clone()).collect(),
                    plan.priority_names.clone(),
                )
            })
            .unzip();
        Names {
            metrics,
            priorities,
        }
    }

    fn metric(&self, r: &Row) -> Option<&str> {
        let names = self.metrics.get(usize::from(r.version))?;
        r.metric.and_then(|m| names.get(m)).map(String::as_str)
    }

    fn priority(&self, r: &Row) -> Option<String> {
        let names = self.priorities.get(usize::from(r.version))?;
        r.priority.and_then(|p| names.get(p)).cloned()
    }
}

/// Rows of a chunk, handed from one evaluation to the comparison.
type Batch = Vec<Row>;

/// Sends each chunk's rows on; writes no text.
struct Forward(SyncSender<Batch>);

impl RowSink for Forward {
    fn rows(&mut self, rows: &[Row], _text: &[u8]) -> std::io::Result<()> {
        self.0
            .send(rows.to_vec())
            .map_err(|_| std::io::Error::other("the comparison stopped"))
    }
}

/// Makes no report text: the what-if reads the rows themselves.
struct NoText;

impl RowText for NoText {
    fn write(&mut self, _rows: &[Row], _out: &mut Vec<u8>) {}
}

impl ChunkFormat for NoText {
    fn writer(&self) -> Box<dyn RowText + '_> {
        Box::new(NoText)
    }
}

/// Judges the log under both contracts. `run_old` and `run_new` each run
/// one evaluation (the evaluator's driver, with availability and credits)
/// into the sink and with the text format they are given; they run side
/// by side. `each` is told every ticket change in log order as it is found
/// (nothing of them is kept here).
pub(crate) fn what_if<A, B>(
    old_plan: &Names,
    new_plan: &Names,
    run_old: A,
    run_new: B,
    each: &mut dyn FnMut(&TicketChange) -> std::io::Result<()>,
) -> Result<Outcome, EvalError>
where
    A: FnOnce(&mut dyn RowSink, &dyn ChunkFormat) -> Result<Summary, EvalError> + Send,
    B: FnOnce(&mut dyn RowSink, &dyn ChunkFormat) -> Result<Summary, EvalError> + Send,
{
    // A few chunks of each side in flight: enough to keep both busy.
    let (old_tx, old_rx) = sync_channel::<Batch>(4);
    let (new_tx, new_rx) = sync_channel::<Batch>(4);
    let (a, b, compared) = std::thread::scope(|scope| {
        let a = scope.spawn(move || run_old(&mut Forward(old_tx), &NoText));
        let b = scope.spawn(move || run_new(&mut Forward(new_tx), &NoText));
        let compared = Zip::new(old_rx, new_rx).compare(old_plan, new_plan, each);
        let join = |h: std::thread::ScopedJoinHandle<Result<Summary, EvalError>>| {
            h.join()
                .unwrap_or_else(|_| Err(EvalError::new("an evaluation stopped unexpectedly")))
        };
        (join(a), join(b), compared)
    });
    let (old_summary, new_summary) = (a?, b?);
    let mut out = compared?;
    out.objectives = objective_changes(&old_summary.objectives, &new_summary.objectives);
    out.availability = availability_changes(&old_summary, &new_summary);
    out.credits = credit_changes(&old_summary, &new_summary);
    out.old = old_summary;
    out.new = new_summary;
    Ok(out)
}

/// The rows of both evaluations, ticket by ticket. Every chunk holds whole
/// tickets, so every row queued belongs to a complete ticket.
struct Zip {
    old: (Receiver<Batch>, VecDeque<Row>, bool),
    new: (Receiver<Batch>, VecDeque<Row>, bool),
}

impl Zip {
    fn new(old: Receiver<Batch>, new: Receiver<Batch>) -> Zip {
        Zip {
            old: (old, VecDeque::new(), false),
            new: (new, VecDeque::new(), false),
        }
    }

    /// Fills an empty queue from its channel, unless the side is done.
    fn fill(side: &mut (Receiver<Batch>, VecDeque<Row>, bool)) {
        while side.1.is_empty() && !side.2 {
            match side.0.recv() {
                Ok(batch) => side.1.extend(batch),
                Err(_) => side.2 = true,
            }
        }
    }

    /// The rows of the ticket at the front of a queue.
    fn take(queue: &mut VecDeque<Row>, line: u64) -> Vec<Row> {
        let mut out = Vec::new();
        while queue.front().is_some_and(|r| r.line == line) {
            out.extend(queue.pop_front());
        }
        out
    }

    fn compare(
        mut self,
        old_plan: &Names,
        new_plan: &Names,
        each: &mut dyn FnMut(&TicketChange) -> std::io::Result<()>,
    ) -> Result<Outcome, EvalError> {
        let mut out = Outcome::default();
        let write_err = |e: std::io::Error| EvalError::new(format!("cannot write the report: {e}"));
        loop {
            Self::fill(&mut self.old);
            Self::fill(&mut self.new);
            let line = match (self.old.1.front(), self.new.1.front()) {
                (Some(a), Some(b)) => a.line.min(b.line),
                (Some(a), None) => a.line,
                (None, Some(b)) => b.line,
                (None, None) => break,
            };
            let a = Self::take(&mut self.old.1, line);
            let b = Self::take(&mut self.new.1, line);
            out.tickets += 1;
            let pairs = pairs(old_plan, &a, new_plan, &b);
            for (_, x, y) in &pairs {
                *out.transitions
                    .entry((x.map(|r| r.status), y.map(|r| r.status)))
                    .or_default() += 1;
            }
            if pairs
                .iter()
                .any(|(_, x, y)| x.map(|r| r.status) != y.map(|r| r.status))
            {
                out.tickets_changed += 1;
                for c in &ticket_changes(old_plan, new_plan, &pairs) {
                    each(c).map_err(write_err)?;
                }
            }
        }
        Ok(out)
    }
}

/// A ticket's rows under both contracts, paired by metric name and
/// occurrence (cycles of a repeating clock come in order): (metric, old, new).
type Pair<'a> = (Option<&'a str>, Option<&'a Row>, Option<&'a Row>);

fn pairs<'a>(
    old_plan: &'a Names,
    a: &'a [Row],
    new_plan: &'a Names,
    b: &'a [Row],
) -> Vec<Pair<'a>> {
    let key = |plan: &'a Names, rows: &'a [Row], i: usize| {
        let name = |r: &Row| plan.metric(r);
        let n = rows[..i]
            .iter()
            .filter(|r| name(r) == name(&rows[i]))
            .count();
        (name(&rows[i]), n)
    };
    let mut out: Vec<Pair> = Vec::with_capacity(a.len().max(b.len()));
    for i in 0..a.len() {
        let k = key(old_plan, a, i);
        let other = (0..b.len())
            .find(|&j| key(new_plan, b, j) == k)
            .map(|j| &b[j]);
        out.push((k.0, Some(&a[i]), other));
    }
    for j in 0..b.len() {
        let k = key(new_plan, b, j);
        if !(0..a.len()).any(|i| key(old_plan, a, i) == k) {
            out.push((k.0, None, Some(&b[j])));
        }
    }
    out
}

fn ticket_changes(old_plan: &Names, new_plan: &Names, pairs: &[Pair]) -> Vec<TicketChange> {
    let priority = |plan: &Names, r: Option<&Row>| r.and_then(|r| plan.priority(r));
    pairs
        .iter()
        .filter(|(_, x, y)| x.map(|r| r.status) != y.map(|r| r.status))
        .map(|&(metric, x, y)| {
            let any = x.or(y);
            TicketChange {
                id: any.map(|r| r.id.to_string()).unwrap_or_default(),
                line: any.map(|r| r.line).unwrap_or(0),
                metric: metric.map(str::to_string),
                priority: priority(new_plan, y).or_else(|| priority(old_plan, x)),
                old: x.map(|r| r.status),
                new: y.map(|r| r.status),
                old_deadline: x.and_then(|r| r.deadline),
                new_deadline: y.and_then(|r| r.deadline),
            }
        })
        .collect()
}

/// Objectives and periods whose counts, share or compliance differ, in
/// the new contract's order (then those only the old one has).
fn objective_changes(old: &[ObjectiveResult], new: &[ObjectiveResult]) -> Vec<ObjectiveChange> {
    // Under a contract with versions each version's objective is its own
    // (SEMANTICS.md): named with its version, and paired only with the same.
    // A contract without versions is its own version 1, so that adding a
    // version changes only the periods from its day on.
    let label = |o: &ObjectiveResult| match &o.version {
        Some(v) => format!("{} (version {v})", o.name),
        None => o.name.clone(),
    };
    let key = |o: &ObjectiveResult| {
        let version = o.version.as_deref().unwrap_or(FIRST_VERSION);
        (o.name.clone(), version.to_string(), o.period.clone())
    };
    let mut out = Vec::new();
    let mut push =
        |name: &str, period: &str, a: Option<&ObjectiveResult>, b: Option<&ObjectiveResult>| {
            let (ca, cb) = (a.map(Compliance::from), b.map(Compliance::from));
            if ca == cb {
                return;
            }
            // A period one side does not have is empty there, hence compliant.
            let compliant = |c: &Option<Compliance>| c.as_ref().is_none_or(|c| c.compliant);
            out.push(ObjectiveChange {
                name: name.to_string(),
                period: period.to_string(),
                compliance_changed: compliant(&ca) != compliant(&cb),
                old: ca,
                new: cb,
            });
        };
    for b in new {
        let a = old.iter().find(|a| key(a) == key(b));
        push(&label(b), &b.period, a, Some(b));
    }
    for a in old {
        if !new.iter().any(|b| key(a) == key(b)) {
            push(&label(a), &a.period, Some(a), None);
        }
    }
    out
}

/// Credits per period under each contract, for the periods where they differ.
fn credit_changes(old: &Summary, new: &Summary) -> Vec<CreditChange> {
    let totals = |s: &Summary| {
        let mut by: BTreeMap<String, Owed> = BTreeMap::new();
        for c in &s.credits {
            let o = by.entry(c.period.clone()).or_default();
            o.percent += c.percent.unwrap_or(0.0);
            o.amount += c.amount.unwrap_or(0.0);
            if o.currency.is_none() {
                o.currency.clone_from(&c.currency);
            }
        }
        by
    };
    let (a, b) = (totals(old), totals(new));
    let mut periods: Vec<&String> = a.keys().chain(b.keys()).collect();
    periods.sort();
    periods.dedup();
    periods
        .into_iter()
        .filter_map(|p| {
            let (x, y) = (
                a.get(p).cloned().unwrap_or_default(),
                b.get(p).cloned().unwrap_or_default(),
            );
            (x.percent != y.percent || x.amount != y.amount).then(|| CreditChange {
                period: p.clone(),
                old: x,
                new: y,
            })
        })
        .collect()
}

/// Service windows and periods whose availability or compliance differ.
fn availability_changes(old: &Summary, new: &Summary) -> Vec<AvailabilityChange> {
    let key = |a: &AvailabilityRow| (a.service.clone(), a.window.clone(), a.period.clone());
    let value = |a: &AvailabilityRow| (a.availability, a.required, a.compliant);
    let mut keys: Vec<(String, String, String)> = new
        .availability
        .iter()
        .chain(&old.availability)
        .map(key)
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let x = old.availability.iter().find(|a| key(a) == k).map(value);
            let y = new.availability.iter().find(|a| key(a) == k).map(value);
            let compliant = |v: &Option<(Option<f64>, f64, bool)>| v.is_none_or(|v| v.2);
            (x != y).then(|| AvailabilityChange {
                compliance_changed: compliant(&x) != compliant(&y),
                service: k.0,
                window: k.1,
                period: k.2,
                old: x,
                new: y,
            })
        })
        .collect()
}
