//! Typing a raw row: each cell read as its field's type (timestamp, label,
//! integer, text). A cell that cannot be read is kept as [`Cell::Bad`] with a
//! problem naming the line, the column, what was there and what was expected;
//! the row then gets `invalid` verdicts instead of being dropped.

use chrono_tz::Tz;
use compact_str::CompactString;

use crate::eval::contract::plan::{FieldPlan, FieldType, Plan};
use crate::eval::contract::statuses::status_key;
use crate::eval::input::log_reader::{RawRow, RowExtra, RowRef};
use crate::eval::input::profiles::label_key;
use crate::time::{parse_timestamp, At, HORIZON_END_YEAR, HORIZON_FIRST_YEAR};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Has not happened (yet) / not given.
    Empty,
    /// Inline up to 24 bytes: a ticket's text cells (its id, a group, a
    /// category) are short, and each row of the log makes them anew.
    Text(CompactString),
    Integer(i64),
    /// An index into the field's label set.
    Label(u32),
    /// Unix seconds.
    Time(i64),
    /// Could not be read; the ticket's `problems` say why.
    Bad,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Ticket {
    pub(crate) line: u64,
    pub(crate) id: CompactString,
    /// One per field of the plan, in the plan's order.
    pub(crate) cells: Vec<Cell>,
    /// Why the row cannot be used (each names the file, line and column).
    pub(crate) problems: Vec<String>,
    /// Readable but worth saying (an ambiguous local time read as the earlier instant).
    pub(crate) warnings: Vec<String>,
    /// The ticket's own status history (an event-shaped export), sorted by
    /// time: (instant, status as compared, line); `None`: look in the
    /// `--events` log.
    pub(crate) history: Option<Vec<(At, Box<str>, u64)>>,
    /// The ticket's own field changes (an event-shaped export), sorted by
    /// time; empty otherwise. Its cells hold each field's first value.
    pub(crate) changes: Vec<Change>,
    /// The fractions of a second of the timestamps that have one: (field,
    /// nanoseconds). Few logs have any, so the list is mostly empty.
    pub(crate) fractions: Vec<(usize, u32)>,
    /// The latest of its timestamps, rounded up to the second (`i64::MIN`
    /// without one): the timeline cuts at the as-of instant only tickets
    /// that reach past it.
    pub(crate) latest: i64,
    /// The export's own verdict (`made_sla`), when it has one.
    pub(crate) verdict: Option<bool>,
}

/// A field of a ticket given a new value at an instant (SEMANTICS.md
/// "Histories": priority, group, … changes).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Change {
    pub(crate) at: At,
    /// Index into the plan's fields.
    pub(crate) field: usize,
    pub(crate) value: Cell,
    /// The line of the log it came from.
    pub(crate) line: u64,
}

impl Ticket {
    #[inline]
    pub(crate) fn time(&self, field: usize) -> Option<i64> {
        match self.cells.get(field) {
            Some(Cell::Time(t)) => Some(*t),
            _ => None,
        }
    }

    /// Timestamp `field` with its fraction of a second.
    #[inline]
    pub(crate) fn at(&self, field: usize) -> Option<At> {
        self.time(field).map(|secs| At {
            secs,
            nanos: self.fraction(field),
        })
    }

    /// The fraction of a second of timestamp `field`, in nanoseconds.
    #[inline]
    pub(crate) fn fraction(&self, field: usize) -> u32 {
        self.fractions
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(0, |(_, n)| *n)
    }
}

/// Types the cells of `raw` (whose cells follow the plan's fields).
pub(crate) fn type_row(plan: &Plan, raw: &RawRow, log_tz: Tz, file: &str) -> Ticket {
    let mut t = Ticket::default();
    type_row_into(plan, &raw.as_ref(), log_tz, file, &mut t);
    t
}

/// [`type_row`] into `t`, reusing its buffers (the evaluator types every
/// row of a chunk into the same ticket).
pub(crate) fn type_row_into(plan: &Plan, raw: &RowRef, log_tz: Tz, file: &str, t: &mut Ticket) {
    t.problems.clear();
    t.warnings.clear();
    t.fractions.clear();
    let extra = raw.extra;
    if extra.is_some() || raw.error.is_some() || raw.id.is_empty() {
        row_problems(plan, raw, file, &mut t.problems);
    }
    let mut typed = Typed {
        problems: &mut t.problems,
        warnings: &mut t.warnings,
        fractions: &mut t.fractions,
        latest: i64::MIN,
        horizon: plan.calendar(0).horizon(),
        log_tz,
        file,
        line: raw.line,
        lines: extra.map_or(&[][..], |x| &x.lines[..]),
    };
    let cells = &mut t.cells;
    cells.clear();
    // The rare cases (a cell that cannot be read, a warning, an export's
    // history) are out of line, which leaves the registers to this loop.
    let fields = &plan.fields[..raw.len().min(plan.fields.len())];
    for (i, f) in fields.iter().enumerate() {
        typed.push(cells, f, i, raw.cell(i));
    }
    t.latest = typed.latest;
    t.changes.clear();
    match extra {
        None => {
            t.history = None;
            t.verdict = None;
        }
        Some(x) => type_extra(plan, x, log_tz, file, t),
    }
    t.line = raw.line;
    t.id = CompactString::new(raw.id);
}

/// What an export adds to a row (its history, its field changes, its own
/// verdict), typed into `t`.
#[inline(never)]
fn type_extra(plan: &Plan, x: &RowExtra, log_tz: Tz, file: &str, t: &mut Ticket) {
    let (problems, warnings) = (&mut t.problems, &mut t.warnings);
    t.history = x
        .has_history
        .then(|| type_history(x, log_tz, file, problems, warnings));
    if !x.changes.is_empty() {
        type_changes(plan, x, log_tz, file, problems, &mut t.changes);
    }
    t.verdict = x.verdict;
}

/// The problems of row `raw` as a whole, before its cells': those of the
/// export rows it was made of, its own error, a missing id.
#[cold]
#[inline(never)]
fn row_problems(plan: &Plan, raw: &RowRef, file: &str, problems: &mut Vec<String>) {
    if let Some(x) = raw.extra {
        problems.extend(x.problems.iter().cloned());
    }
    if let Some(e) = &raw.error {
        let column = raw.error_column.map_or(String::new(), |c| format!(":{c}"));
        problems.push(format!("{file}:{}{column}: {e}", raw.line));
    }
    if raw.id.is_empty() && raw.error.is_none() {
        problems.push(format!(
            "{file}:{}: column `{}`: the ticket has no id; every row needs one",
            raw.line, plan.id_column
        ));
    }
}

/// Where typing a row's cells puts what it finds besides the cells.
struct Typed<'t> {
    problems: &'t mut Vec<String>,
    warnings: &'t mut Vec<String>,
    fractions: &'t mut Vec<(usize, u32)>,
    /// The latest timestamp so far ([`Ticket::latest`]).
    latest: i64,
    /// The instants the calendars cover.
    horizon: (i64, i64),
    log_tz: Tz,
    file: &'t str,
    /// The row's line, and the line of each cell where they differ (an
    /// event-shaped export's tickets span many lines; else empty).
    line: u64,
    lines: &'t [u64],
}

impl Typed<'_> {
    /// Where cell `i` (of column `column`) is, for a message.
    fn at(&self, i: usize, column: &str) -> String {
        let line = self.lines.get(i).copied().unwrap_or(self.line);
        format!("{}:{line}: column `{column}`", self.file)
    }

    /// Pushes onto `cells` the cell of field `f` (the `i`th) whose text is
    /// `text`: empty, or read as the field's type.
    #[inline(always)]
    fn push(&mut self, cells: &mut Vec<Cell>, f: &FieldPlan, i: usize, text: &str) {
        let cell = if text.is_empty() {
            Cell::Empty
        } else {
            self.cell(i, f, text)
        };
        cells.push(cell);
    }

    /// `text` (not empty), the cell of field `f` (the `i`th), read as the
    /// field's type; [`Cell::Bad`] when it cannot be, with a problem that
    /// says where.
    #[inline(always)]
    fn cell(&mut self, i: usize, f: &FieldPlan, text: &str) -> Cell {
        match &f.kind {
            FieldType::Text | FieldType::Status => Cell::Text(text.into()),
            FieldType::Integer => match text.parse::<i64>() {
                Ok(n) => Cell::Integer(n),
                Err(_) => self.bad(
                    i,
                    f,
                    format!("`{text}` is not an integer; expected a whole number such as 2"),
                ),
            },
            FieldType::Label(labels) => match labels.iter().position(|l| l == text) {
                Some(i) => Cell::Label(i as u32),
                None => self.bad_label(i, f, labels, text),
            },
            FieldType::Timestamp => match parse_timestamp(text, self.log_tz) {
                Ok(parsed)
                    if parsed.warning.is_none()
                        && (self.horizon.0..self.horizon.1).contains(&parsed.at) =>
                {
                    self.time(i, parsed.at, parsed.nanos)
                }
                other => self.timestamp(i, f, text, other),
            },
        }
    }

    /// A timestamp cell read as `at` and `nanos`.
    #[inline]
    fn time(&mut self, i: usize, at: i64, nanos: u32) -> Cell {
        if nanos > 0 {
            self.fractions.push((i, nanos));
        }
        self.latest = self.latest.max(at + i64::from(nanos > 0));
        Cell::Time(at)
    }

    /// [`Cell::Bad`], with the problem `why` at cell `i` of field `f`.
    #[cold]
    #[inline(never)]
    fn bad(&mut self, i: usize, f: &FieldPlan, why: String) -> Cell {
        let at = self.at(i, &f.column);
        self.problems.push(format!("{at}: {why}"));
        Cell::Bad
    }

    #[cold]
    #[inline(never)]
    fn bad_label(&mut self, i: usize, f: &FieldPlan, labels: &[String], text: &str) -> Cell {
        let why = format!(
            "`{text}` is not a label of field `{}`; expected one of: {}",
            f.name,
            labels.join(", ")
        );
        self.bad(i, f, why)
    }

    /// [`Typed::cell`] of a timestamp field, in the rare cases: outside
    /// the calendars' years, read with a warning, or not read.
    #[cold]
    #[inline(never)]
    fn timestamp(
        &mut self,
        i: usize,
        f: &FieldPlan,
        text: &str,
        parsed: Result<crate::time::Parsed, crate::time::TimestampError>,
    ) -> Cell {
        let horizon = self.horizon;
        match parsed {
            Ok(parsed) if !(horizon.0..horizon.1).contains(&parsed.at) => {
                let why = format!(
                    "`{text}` lies outside the years {HORIZON_FIRST_YEAR}–{} that calendars cover; check the export for a wrong or placeholder date",
                    HORIZON_END_YEAR - 1
                );
                self.bad(i, f, why)
            }
            Ok(parsed) => {
                if let Some(w) = parsed.warning {
                    let at = self.at(i, &f.column);
                    self.warnings.push(format!("{at}: {w}"));
                }
                self.time(i, parsed.at, parsed.nanos)
            }
            Err(e) => self.bad(i, f, timestamp_message(&e)),
        }
    }
}

/// An export's field changes, typed as their fields and sorted by time.
fn type_changes(
    plan: &Plan,
    x: &RowExtra,
    log_tz: Tz,
    file: &str,
    problems: &mut Vec<String>,
    out: &mut Vec<Change>,
) {
    for (line, at, field, text) in &x.changes {
        let Some(f) = plan.fields.get(*field) else {
            continue;
        };
        let at = match parse_timestamp(at, log_tz) {
            Ok(parsed) => parsed.instant(),
            Err(e) => {
                problems.push(format!(
                    "{file}:{line}: update time of the change of `{}`: {}",
                    f.name,
                    timestamp_message(&e)
                ));
                continue;
            }
        };
        match field_value(&f.name, &f.kind, text) {
            Ok(value) => out.push(Change {
                at,
                field: *field,
                value,
                line: *line,
            }),
            Err(e) => problems.push(format!("{file}:{line}: column `{}`: {e}", f.column)),
        }
    }
    out.sort_by_key(|c| c.at);
}

/// An export's status history, typed and sorted by time (stably: updates at
/// the same instant keep their order, the last one wins).
fn type_history(
    x: &RowExtra,
    log_tz: Tz,
    file: &str,
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Vec<(At, Box<str>, u64)> {
    let mut out = Vec::with_capacity(x.history.len());
    for (line, at, status) in &x.history {
        match parse_timestamp(at, log_tz) {
            Ok(parsed) => {
                out.push((parsed.instant(), status_key(status).into(), *line));
                if let Some(w) = parsed.warning {
                    warnings.push(format!("{file}:{line}: update time: {w}"));
                }
            }
            Err(e) => problems.push(format!(
                "{file}:{line}: update time of status `{status}`: {}",
                timestamp_message(&e)
            )),
        }
    }
    out.sort_by_key(|e| e.0);
    out
}

/// A timestamp error of a ticket row as the user reads it (the row's
/// verdicts are `invalid`). The time engine's message names the value; what
/// is expected is added when it does not say.
pub(crate) fn timestamp_message(e: &crate::time::TimestampError) -> String {
    let gap = matches!(e.kind, crate::time::TimestampErrorKind::Nonexistent { .. });
    let e = timestamp_reason(e);
    if gap {
        format!("{e}; the row's verdicts are invalid")
    } else {
        e
    }
}

/// [`timestamp_message`] of a row that is left out (an event, an outage),
/// whose consequence the caller says.
pub(crate) fn timestamp_reason(e: &crate::time::TimestampError) -> String {
    let gap = matches!(e.kind, crate::time::TimestampErrorKind::Nonexistent { .. });
    let e = e.to_string();
    if e.contains("expected") {
        e
    } else if gap {
        // Well-formed, in a zone's spring-forward gap: no other form would help.
        format!("{e} (if the log is not in this zone, say which with --log-tz)")
    } else {
        format!("{e}; expected RFC 3339 such as 2025-03-03T09:15:00+01:00, or a local time such as 2025-03-03 09:15:00")
    }
}
/// A new value of a field, typed as the field is; `Err` says why it cannot
/// be read. An empty text clears the field. Only fields that select targets
/// (labels, text, integers) change through events: a timestamp field is a
/// column of the ticket log.
pub(crate) fn field_value(name: &str, kind: &FieldType, text: &str) -> Result<Cell, String> {
    if text.is_empty() {
        return Ok(Cell::Empty);
    }
    match kind {
        FieldType::Text => Ok(Cell::Text(text.into())),
        FieldType::Integer => text.parse::<i64>().map(Cell::Integer).map_err(|_| {
            format!("`{text}` is not an integer; field `{name}` takes whole numbers such as 2")
        }),
        FieldType::Label(labels) => {
            let key = label_key(text);
            labels
                .iter()
                .position(|l| l == text || label_key(l) == key)
                .map(|i| Cell::Label(i as u32))
                .ok_or_else(|| {
                    format!(
                        "`{text}` is not a label of field `{name}`; expected one of: {}",
                        labels.join(", ")
                    )
                })
        }
        FieldType::Timestamp | FieldType::Status => Err(format!(
            "field `{name}` is a {}, which events do not change; give it in the ticket log{}",
            if *kind == FieldType::Status {
                "status"
            } else {
                "timestamp"
            },
            if *kind == FieldType::Status {
                " or as the event's `status`"
            } else {
                ""
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_values_are_typed_as_the_field() {
        let labels = FieldType::Label(vec!["high".into(), "low".into()]);
        assert_eq!(field_value("priority", &labels, "High"), Ok(Cell::Label(0)));
        assert_eq!(
            field_value("priority", &labels, "1 - High"),
            Ok(Cell::Label(0))
        );
        assert_eq!(field_value("priority", &labels, ""), Ok(Cell::Empty));
        assert!(field_value("priority", &labels, "urgent")
            .is_err_and(|e| e.contains("expected one of: high, low")));
        assert_eq!(
            field_value("n", &FieldType::Integer, "3"),
            Ok(Cell::Integer(3))
        );
        assert!(field_value("opened_at", &FieldType::Timestamp, "x").is_err());
    }
}
