//! A ticket's field changes (SEMANTICS.md "Histories"): the ticket as it
//! stood at an instant, with the value of each field that was in force then.
//! Before a field's first change its value is the ticket log's cell.

use crate::eval::contract::plan::{FieldType, Plan};
use crate::eval::input::cells::{Cell, Change, Ticket};
use crate::time::At;

/// Keeps the ticket log's cells of the changed fields in `initial` and puts
/// the values in force at the as-of instant (the last change of each,
/// `changes` being cut there and in time order) into `t`'s cells.
pub(crate) fn settle(t: &mut Ticket, changes: &[Change], initial: &mut Vec<(usize, Cell)>) {
    for c in changes {
        if !initial.iter().any(|(f, _)| *f == c.field) {
            if let Some(cell) = t.cells.get(c.field) {
                initial.push((c.field, cell.clone()));
            }
        }
        if let Some(cell) = t.cells.get_mut(c.field) {
            *cell = c.value.clone();
        }
    }
}

/// `t` (as [`settle`] left it) as it stood at instant `at`: the `initial`
/// cells with the changes at or before `at` (strictly before it, with
/// `before`), into `out`.
pub(crate) fn ticket_at(
    t: &Ticket,
    initial: &[(usize, Cell)],
    changes: &[Change],
    (at, before): (At, bool),
    out: &mut Ticket,
) {
    out.clone_from(t);
    for (f, cell) in initial {
        if let Some(c) = out.cells.get_mut(*f) {
            *c = cell.clone();
        }
    }
    for c in changes {
        if c.at > at || (before && c.at == at) {
            break;
        }
        if let Some(cell) = out.cells.get_mut(c.field) {
            *cell = c.value.clone();
        }
    }
}

/// A field's value in words, for `--explain`.
pub(crate) fn value_text(plan: &Plan, field: usize, cell: &Cell) -> String {
    match (cell, plan.fields.get(field).map(|f| &f.kind)) {
        (Cell::Label(i), Some(FieldType::Label(labels))) => labels
            .get(*i as usize)
            .cloned()
            .unwrap_or_else(|| "?".into()),
        (Cell::Text(s), _) => s.to_string(),
        (Cell::Integer(n), _) => n.to_string(),
        (Cell::Empty, _) => "(empty)".into(),
        _ => "?".into(),
    }
}
