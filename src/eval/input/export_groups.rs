//! Reading a ticket system's export through its profile (`profiles.rs`).
//!
//! A row-shaped export (one row per ticket) only has its cells rewritten. An
//! event-shaped export (one row per update of a ticket, such as ServiceNow's
//! incident audit log) is grouped into tickets here: the rows of a ticket
//! are put in update order (the order column, e.g. `sys_mod_count`; the file's
//! order where it ties or is unreadable), each field is taken from the first
//! or last row that has a value, fields the export lacks are derived from
//! the status history (the first time a ticket left `New`, say), and the
//! statuses with their times become the ticket's own status history, which
//! pause clauses read instead of an `--events` log.
//!
//! Grouping streams. The rows of a ticket are normally contiguous (they are
//! in the ServiceNow log: 24,918 runs for 24,918 incidents), so a ticket is
//! complete when the next ticket's rows begin; if its last row has a final
//! status (`Closed`) it is handed on at once and memory holds one ticket.
//! A ticket whose run ends in another status is parked until its rows
//! continue or the file ends, so memory is proportional to the tickets left
//! open, never to the file; a parked ticket's cells are packed into one
//! string ([`Parked`]), and at the end of the file they are handed on one
//! at a time (1.4 KB an open ticket of 3.6 rows, 2.5 KB as read). Rows of
//! a ticket that reappear after it was handed on cannot be merged into it
//! any more: they make a second ticket of that id, which the evaluator
//! finds as it finds any duplicate id (`run/duplicates.rs`, within its
//! memory budget however long the export), and whose verdicts are
//! `invalid`, with the reason and how to mend it
//! ([`RowExtra::final_statuses`]). So memory grows with the tickets open at
//! the end of the export, not with its length.

use std::cmp::Reverse;
use std::collections::{HashMap, VecDeque};
use std::path::Path;

use crate::eval::contract::plan::{FieldType, Plan};
use crate::eval::contract::selecting::selecting_fields;
use crate::eval::error::EvalError;
use crate::eval::input::columns::wanted_columns;
use crate::eval::input::log_reader::{Grouping, LogReader, RawRow, RowExtra, WantedColumn};
use crate::eval::input::profiles::{CellNorm, Derive, Normaliser, Profile};

/// A ticket log opened through a profile.
pub(crate) struct Export {
    pub(crate) reader: LogReader,
    /// One row per update of a ticket, grouped here.
    pub(crate) event_shaped: bool,
    /// The export's own verdict column, when it has one.
    pub(crate) verdict_column: Option<&'static str>,
}

/// Opens `path` as an export of `profile`: event-shaped when its header has
/// the profile's order column, else one row per ticket.
pub(crate) fn open_export(
    plan: &Plan,
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
    profile: &'static Profile,
) -> Result<Export, EvalError> {
    let mut reader = LogReader::open_unresolved(path, encoding)?;
    let shape = profile
        .events
        .filter(|e| reader.header().iter().any(|h| h == e.order));
    let mut wanted = wanted_columns(plan);
    let mut norms: Vec<CellNorm> = plan.fields.iter().map(|f| CellNorm::of(&f.kind)).collect();
    let fields = wanted.len();
    if shape.is_some() {
        // A field the export lacks may be derived from the status history.
        for (w, f) in wanted.iter_mut().zip(&plan.fields) {
            if profile.derive(&f.name).is_some() && f.kind == FieldType::Timestamp {
                w.optional = true;
            }
        }
    }
    let extra = |field: &str, column: &str, optional: bool| WantedColumn {
        field: field.into(),
        column: column.into(),
        optional,
    };
    if let Some(e) = shape {
        wanted.push(extra("the update counter", e.order, false));
        norms.push(CellNorm::Plain);
        wanted.push(extra("the status", e.status, false));
        norms.push(CellNorm::Plain);
        wanted.push(extra("the update time", e.time, false));
        norms.push(CellNorm::Time);
    }
    let verdict = profile
        .verdict
        .filter(|v| reader.header().iter().any(|h| h == v.column));
    if let Some(v) = verdict {
        wanted.push(extra("the export's verdict", v.column, true));
        norms.push(CellNorm::Plain);
    }
    reader.resolve(&plan.id_column, &wanted)?;
    let normaliser = Normaliser { profile };
    if shape.is_some() {
        // Rows only lose their empty markers; the cells a ticket keeps are
        // rewritten once it is assembled (most rows repeat the same values).
        let plain = vec![CellNorm::Plain; norms.len()];
        reader.set_normaliser(normaliser.clone(), plain);
    } else {
        reader.set_normaliser(normaliser.clone(), norms.clone());
    }
    let pausing = plan.metrics.iter().any(|m| !m.pause.is_empty());
    let tracked = tracked_fields(plan);
    let history = pausing || tracked.contains(&true);
    reader.set_grouper(Grouper {
        shape: shape.map(|e| Shape {
            order: fields,
            status: fields + 1,
            time: fields + 2,
            first: plan
                .fields
                .iter()
                .map(|f| e.first.contains(&f.name.as_str()))
                .collect(),
            derived: plan
                .fields
                .iter()
                .map(|f| match f.kind {
                    FieldType::Timestamp => profile.derive(&f.name),
                    _ => None,
                })
                .collect(),
            final_statuses: e.final_statuses,
            history,
            tracked,
            file: path.display().to_string(),
            normaliser,
            norms,
        }),
        fields,
        verdict: verdict.map(|v| (fields + if shape.is_some() { 3 } else { 0 }, v)),
        current: None,
        parked: HashMap::new(),
        rest: Vec::new(),
        ready: VecDeque::new(),
        done: false,
    });
    Ok(Export {
        reader,
        event_shaped: shape.is_some(),
        verdict_column: verdict.map(|v| v.column),
    })
}

/// The fields whose changes over a ticket's rows matter (a priority raised
/// on the third update): those that select targets, with typed values, not
/// timestamps.
fn tracked_fields(plan: &Plan) -> Vec<bool> {
    selecting_fields(plan)
        .into_iter()
        .zip(&plan.fields)
        .map(|(sel, f)| {
            sel && matches!(
                f.kind,
                FieldType::Label(_) | FieldType::Text | FieldType::Integer
            )
        })
        .collect()
}

#[derive(Clone)]
struct Shape {
    /// Positions among the row's cells.
    order: usize,
    status: usize,
    time: usize,
    /// Per field: take the first non-empty value (else the last).
    first: Vec<bool>,
    derived: Vec<Option<Derive>>,
    final_statuses: &'static [&'static str],
    /// Keep the status history and field changes (some metric pauses, or
    /// some field selects a target).
    history: bool,
    /// Per field: keep its changes (it selects something); its cell is then
    /// its first value, the changes say the rest.
    tracked: Vec<bool>,
    file: String,
    normaliser: Normaliser,
    /// Per cell of a row (the plan's fields, then the profile's columns).
    norms: Vec<CellNorm>,
}

impl Shape {
    /// Cell `i` of a row, rewritten by the profile.
    fn norm(&self, r: &RawRow, i: usize) -> String {
        let mut c = cell(r, i).to_string();
        if let Some(n) = self.norms.get(i) {
            self.normaliser.apply(n, &mut c);
        }
        c
    }
}

/// The rows of one ticket read so far.
struct Group {
    id: String,
    rows: Vec<RawRow>,
}

/// The rows of a parked ticket (its id is the key it is parked under): the
/// cells of all of them in one string, each row's other parts on their own.
struct Parked {
    text: String,
    /// The end of each cell in `text`, row after row.
    ends: Vec<usize>,
    /// Each row, with its cells taken out.
    rows: Vec<(usize, RawRow)>,
}

impl Parked {
    fn pack(g: Group) -> (String, Parked) {
        let mut p = Parked {
            text: String::with_capacity(
                g.rows.iter().flat_map(|r| &r.cells).map(String::len).sum(),
            ),
            ends: Vec::with_capacity(g.rows.iter().map(|r| r.cells.len()).sum()),
            rows: Vec::with_capacity(g.rows.len()),
        };
        for mut row in g.rows {
            let cells = std::mem::take(&mut row.cells);
            for c in &cells {
                p.text.push_str(c);
                p.ends.push(p.text.len());
            }
            // The id is the group's: not kept once for each row.
            row.id = String::new();
            p.rows.push((cells.len(), row));
        }
        (g.id, p)
    }

    fn unpack(self, id: String) -> Group {
        let mut ends = self.ends.iter();
        let mut start = 0;
        let rows = self
            .rows
            .into_iter()
            .map(|(n, mut row)| {
                row.id.clone_from(&id);
                row.cells = ends
                    .by_ref()
                    .take(n)
                    .map(|&end| {
                        let cell = self.text.get(start..end).unwrap_or_default().to_string();
                        start = end;
                        cell
                    })
                    .collect();
                row
            })
            .collect();
        Group { id, rows }
    }
}

/// Turns rows into tickets: for a row-shaped export it only reads the
/// export's verdict; for an event-shaped one it groups (see the module docs).
pub(crate) struct Grouper {
    shape: Option<Shape>,
    /// Number of the plan's fields: the cells beyond are the profile's own columns.
    fields: usize,
    verdict: Option<(usize, crate::eval::input::profiles::SourceVerdict)>,
    current: Option<Group>,
    parked: HashMap<String, Parked>,
    /// Once the file ends, the tickets parked, last first: handed on one
    /// at a time, so that they are never all unpacked at once.
    rest: Vec<(String, Parked)>,
    ready: VecDeque<RawRow>,
    done: bool,
}

impl Grouping for Grouper {
    fn restart(&self) -> Box<dyn Grouping> {
        Box::new(Grouper {
            shape: self.shape.clone(),
            fields: self.fields,
            verdict: self.verdict,
            current: None,
            parked: HashMap::new(),
            rest: Vec::new(),
            ready: VecDeque::new(),
            done: false,
        })
    }

    fn next(&mut self, reader: &mut LogReader) -> Option<Result<RawRow, EvalError>> {
        if self.shape.is_none() {
            return reader
                .next_normalised()
                .map(|r| r.map(|row| self.row_shaped(row)));
        }
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Some(Ok(row));
            }
            if self.done {
                let (id, parked) = self.rest.pop()?;
                self.hand_on(parked.unpack(id));
                continue;
            }
            match reader.next_normalised() {
                None => {
                    self.done = true;
                    if let Some(g) = self.current.take() {
                        self.hand_on(g);
                    }
                    // In the order of their first rows.
                    self.rest = std::mem::take(&mut self.parked).into_iter().collect();
                    self.rest
                        .sort_by_key(|(_, p)| Reverse(p.rows.first().map_or(0, |r| r.1.line)));
                }
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok(row)) => self.add(row),
            }
        }
    }
}

impl Grouper {
    fn row_shaped(&self, mut row: RawRow) -> RawRow {
        if let Some((at, v)) = &self.verdict {
            let verdict = row.cells.get(*at).and_then(|c| verdict_of(v, c));
            row.cells.truncate(self.fields);
            row.extra = Some(Box::new(RowExtra {
                verdict,
                ..RowExtra::default()
            }));
        }
        row
    }

    fn add(&mut self, row: RawRow) {
        if row.id.is_empty() {
            // No ticket to put it in: it is reported on its own.
            let mut row = row;
            row.cells.truncate(self.fields);
            self.ready.push_back(row);
            return;
        }
        if self.current.as_ref().is_some_and(|g| g.id == row.id) {
            if let Some(g) = self.current.as_mut() {
                g.rows.push(row);
            }
            return;
        }
        if let Some(g) = self.current.take() {
            if self.is_final(&g) {
                self.hand_on(g);
            } else {
                let (id, parked) = Parked::pack(g);
                self.parked.insert(id, parked);
            }
        }
        let mut group = self.parked.remove_entry(&row.id).map_or_else(
            || Group {
                id: row.id.clone(),
                rows: Vec::new(),
            },
            |(id, p)| p.unpack(id),
        );
        group.rows.push(row);
        self.current = Some(group);
    }

    fn is_final(&self, g: &Group) -> bool {
        let Some(s) = &self.shape else { return true };
        g.rows.last().is_some_and(|r| {
            r.cells
                .get(s.status)
                .is_some_and(|st| s.final_statuses.iter().any(|f| f.eq_ignore_ascii_case(st)))
        })
    }

    fn hand_on(&mut self, g: Group) {
        let row = self.assemble(g);
        self.ready.push_back(row);
    }

    /// One ticket from its rows.
    fn assemble(&self, mut g: Group) -> RawRow {
        let Some(s) = &self.shape else {
            // Not reached: without a shape rows are not grouped.
            return g.rows.pop().unwrap_or(RawRow {
                line: 0,
                id: g.id,
                cells: Vec::new(),
                ..RawRow::default()
            });
        };
        let first_line = g.rows.iter().map(|r| r.line).min().unwrap_or(0);
        // Update order: the counter, then the file's order.
        let order = |r: &RawRow| {
            r.cells
                .get(s.order)
                .and_then(|c| c.parse::<i64>().ok())
                .unwrap_or(i64::MAX)
        };
        if g.rows.windows(2).any(|w| order(&w[0]) > order(&w[1])) {
            g.rows.sort_by_key(|r| (order(r), r.line));
        }
        let mut problems = Vec::new();
        for r in &g.rows {
            if let Some(e) = &r.error {
                problems.push(format!("{}:{}: {e}", s.file, r.line));
            }
        }
        let rows: Vec<&RawRow> = g.rows.iter().filter(|r| r.error.is_none()).collect();
        let mut cells = Vec::with_capacity(self.fields);
        let mut lines = Vec::with_capacity(self.fields);
        let mut changes = Vec::new();
        for f in 0..self.fields {
            let has = |r: &&&RawRow| r.cells.get(f).is_some_and(|c| !c.is_empty());
            let tracked = s.history && s.tracked.get(f).copied().unwrap_or(false);
            if tracked {
                // Each row whose value differs from the one before is a change.
                let mut last: Option<String> = None;
                for r in rows.iter().filter(has) {
                    let v = s.norm(r, f);
                    if last.as_ref().is_some_and(|l| *l != v) {
                        changes.push((r.line, s.norm(r, s.time), f, v.clone()));
                    }
                    last = Some(v);
                }
            }
            let found = if tracked || s.first.get(f).copied().unwrap_or(false) {
                rows.iter().find(has)
            } else {
                rows.iter().rev().find(has)
            };
            let (text, line) = match found {
                Some(r) => (s.norm(r, f), r.line),
                None => match s.derived.get(f).copied().flatten() {
                    Some(d) => derive(d, &rows, s).unwrap_or_default(),
                    None => (String::new(), first_line),
                },
            };
            cells.push(text);
            lines.push(line);
        }
        let history = if s.history {
            rows.iter()
                .filter(|r| !cell(r, s.status).is_empty())
                .map(|r| (r.line, s.norm(r, s.time), cell(r, s.status).to_string()))
                .collect()
        } else {
            Vec::new()
        };
        let verdict = self.verdict.as_ref().and_then(|(at, v)| {
            rows.iter()
                .rev()
                .filter_map(|r| r.cells.get(*at))
                .find(|c| !c.is_empty())
                .and_then(|c| verdict_of(v, c))
        });
        RawRow {
            line: first_line,
            id: g.id,
            cells,
            error: None,
            error_column: None,
            extra: Some(Box::new(RowExtra {
                lines,
                history,
                changes,
                has_history: s.history,
                verdict,
                problems,
                final_statuses: s.final_statuses,
            })),
        }
    }
}

/// The time of the first row (in update order) whose status matches.
fn derive(d: Derive, rows: &[&RawRow], s: &Shape) -> Option<(String, u64)> {
    let (list, wanted) = match d {
        Derive::FirstStatusIn(l) => (l, true),
        Derive::FirstStatusNotIn(l) => (l, false),
    };
    rows.iter()
        .find(|r| {
            let st = cell(r, s.status);
            !st.is_empty() && list.iter().any(|x| x.eq_ignore_ascii_case(st)) == wanted
        })
        .map(|r| (s.norm(r, s.time), r.line))
}

fn cell(r: &RawRow, i: usize) -> &str {
    r.cells.get(i).map(String::as_str).unwrap_or("")
}

fn verdict_of(v: &crate::eval::input::profiles::SourceVerdict, cell: &str) -> Option<bool> {
    if v.met.iter().any(|m| m.eq_ignore_ascii_case(cell)) {
        Some(true)
    } else if v.breached.iter().any(|b| b.eq_ignore_ascii_case(cell)) {
        Some(false)
    } else {
        None
    }
}
