//! Which rules a ticket falls under: its priority (a field or a matrix),
//! conditions, and selectors (priorities + a condition). Also renders them as
//! text for `--explain`.

use crate::eval::contract::plan::{Cond, CondValues, FieldType, Plan, PriorityPlan, SelectorPlan};
use crate::eval::input::cells::{Cell, Ticket};

/// A ticket's priority and how it was found.
#[derive(Debug, Clone)]
pub(crate) struct PriorityOutcome {
    pub(crate) priority: Option<usize>,
    pub(crate) how: String,
}

pub(crate) fn derive_priority(plan: &Plan, t: &Ticket) -> PriorityOutcome {
    let Some(p) = &plan.priority else {
        return PriorityOutcome {
            priority: None,
            how: "the contract has no priorities".into(),
        };
    };
    match p {
        PriorityPlan::Field { field: f, .. } => match &t.cells[*f] {
            Cell::Label(l) => {
                let name = label_text(plan, *f, *l);
                let priority = plan.priority_names.iter().position(|p| *p == name);
                PriorityOutcome {
                    priority,
                    how: format!("field {} = {name}", plan.fields[*f].name),
                }
            }
            other => PriorityOutcome {
                priority: None,
                how: format!("field {} is {}", plan.fields[*f].name, cell_word(other)),
            },
        },
        PriorityPlan::Matrix {
            rows,
            columns,
            cells,
        } => {
            let (rn, cn) = (&plan.fields[*rows].name, &plan.fields[*columns].name);
            match (&t.cells[*rows], &t.cells[*columns]) {
                (Cell::Label(r), Cell::Label(c)) => {
                    let priority = cells.get(&(*r, *c)).copied();
                    let result = priority
                        .map(|p| plan.priority_names[p].clone())
                        .unwrap_or_else(|| "no cell".into());
                    PriorityOutcome {
                        priority,
                        how: format!(
                            "matrix {rn} = {} × {cn} = {} → {result}",
                            label_text(plan, *rows, *r),
                            label_text(plan, *columns, *c)
                        ),
                    }
                }
                (r, c) => PriorityOutcome {
                    priority: None,
                    how: format!(
                        "no priority: matrix input {rn} is {}, {cn} is {}",
                        cell_word(r),
                        cell_word(c)
                    ),
                },
            }
        }
    }
}

/// The ticket's priority, as [`derive_priority`] finds it, without saying
/// how (evaluation needs only this for every ticket; the text is for `--explain`).
pub(crate) fn priority_of(plan: &Plan, t: &Ticket) -> Option<usize> {
    match plan.priority.as_ref()? {
        PriorityPlan::Field { field, by_label } => match &t.cells[*field] {
            Cell::Label(l) => by_label.get(*l as usize).copied(),
            _ => None,
        },
        PriorityPlan::Matrix {
            rows,
            cells,
            columns,
        } => match (&t.cells[*rows], &t.cells[*columns]) {
            (Cell::Label(r), Cell::Label(c)) => cells.get(&(*r, *c)).copied(),
            _ => None,
        },
    }
}

fn cell_word(c: &Cell) -> &'static str {
    match c {
        Cell::Empty => "empty",
        Cell::Bad => "unreadable",
        _ => "not a label",
    }
}

fn label_text(plan: &Plan, field: usize, label: u32) -> String {
    match &plan.fields[field].kind {
        FieldType::Label(labels) => labels.get(label as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

pub(crate) fn selector_matches(
    plan: &Plan,
    s: &SelectorPlan,
    t: &Ticket,
    priority: Option<usize>,
) -> bool {
    if let Some(ps) = &s.priorities {
        if !priority.is_some_and(|p| ps.contains(&p)) {
            return false;
        }
    }
    s.when.as_ref().is_none_or(|c| holds(plan, c, t))
}

/// The first row of `first match` block `b` whose selector holds for the
/// ticket, looked up once per ticket and block.
pub(crate) fn first_row(
    plan: &Plan,
    t: &Ticket,
    priority: Option<usize>,
    cache: &mut Vec<Option<Option<usize>>>,
    b: usize,
) -> Option<usize> {
    if cache.len() <= b {
        cache.resize(plan.policy_rows.len().max(b + 1), None);
    }
    *cache[b].get_or_insert_with(|| {
        plan.policy_rows
            .get(b)?
            .iter()
            .position(|&ti| selector_matches(plan, &plan.targets[ti].selector, t, priority))
    })
}

/// Whether a condition holds. An unreadable cell matches no value and is not
/// empty (its row is `invalid` anyway).
///
/// A value in a list (`cause in [third_party, customer]`), the condition
/// of nearly every exclusion and selector, is decided here, inline; the
/// others (which may nest) by [`holds_any`].
#[inline]
pub(crate) fn holds(plan: &Plan, c: &Cond, t: &Ticket) -> bool {
    match c {
        Cond::In {
            field,
            values: CondValues::Labels(ls),
        } => matches!(t.cells[*field], Cell::Label(l) if ls.contains(&l)),
        _ => holds_any(plan, c, t),
    }
}

/// [`holds`] for every kind of condition.
fn holds_any(plan: &Plan, c: &Cond, t: &Ticket) -> bool {
    match c {
        Cond::All(cs) => cs.iter().all(|c| holds(plan, c, t)),
        Cond::Any(cs) => cs.iter().any(|c| holds(plan, c, t)),
        Cond::Not(c) => !holds(plan, c, t),
        Cond::Empty { field } => t.cells[*field] == Cell::Empty,
        Cond::In { field, values } => match (&t.cells[*field], values) {
            (Cell::Label(l), CondValues::Labels(ls)) => ls.contains(l),
            (Cell::Integer(n), CondValues::Integers(ns)) => ns.contains(n),
            (Cell::Text(s), CondValues::Texts(ss)) => ss.iter().any(|x| x.as_str() == &**s),
            _ => false,
        },
        Cond::Opened {
            field,
            calendar,
            inside,
        } => {
            match t.time(*field) {
                Some(at) => plan.calendar(*calendar).is_open(at) == *inside,
                // Not opened (yet): neither inside nor outside any hours.
                None => false,
            }
        }
    }
}

/// A selector as text: `priority high, medium and type = incident`.
pub(crate) fn describe_selector(plan: &Plan, s: &SelectorPlan) -> String {
    let mut parts = Vec::new();
    if let Some(ps) = &s.priorities {
        let names: Vec<&str> = ps
            .iter()
            .map(|p| plan.priority_names[*p].as_str())
            .collect();
        parts.push(format!("priority {}", names.join(", ")));
    }
    if let Some(c) = &s.when {
        parts.push(describe(plan, c));
    }
    if parts.is_empty() {
        "every ticket".into()
    } else {
        parts.join(" and ")
    }
}

pub(crate) fn describe(plan: &Plan, c: &Cond) -> String {
    match c {
        Cond::All(cs) => join(plan, cs, " and "),
        Cond::Any(cs) => format!("({})", join(plan, cs, " or ")),
        Cond::Not(c) => format!("not ({})", describe(plan, c)),
        Cond::Empty { field } => format!("{} is empty", plan.fields[*field].name),
        Cond::Opened {
            field,
            calendar,
            inside,
        } => format!(
            "{} {} {} hours",
            plan.fields[*field].name,
            if *inside { "inside" } else { "outside" },
            plan.calendars[*calendar].name
        ),
        Cond::In { field, values } => {
            let vals: Vec<String> = match values {
                CondValues::Labels(ls) => ls.iter().map(|l| label_text(plan, *field, *l)).collect(),
                CondValues::Integers(ns) => ns.iter().map(|n| n.to_string()).collect(),
                CondValues::Texts(ss) => ss.clone(),
            };
            let name = &plan.fields[*field].name;
            if vals.len() == 1 {
                format!("{name} = {}", vals[0])
            } else {
                format!("{name} in [{}]", vals.join(", "))
            }
        }
    }
}

fn join(plan: &Plan, cs: &[Cond], sep: &str) -> String {
    cs.iter()
        .map(|c| describe(plan, c))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A cell as text, for the ledger.
pub(crate) fn cell_text(plan: &Plan, field: usize, c: &Cell) -> String {
    match c {
        Cell::Empty => "(empty)".into(),
        Cell::Bad => "(unreadable)".into(),
        Cell::Text(s) => s.to_string(),
        Cell::Integer(n) => n.to_string(),
        Cell::Label(l) => label_text(plan, field, *l),
        Cell::Time(t) => crate::time::format_rfc3339(*t, plan.tz),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::contract::plan::build;

    /// A value in a list of labels, decided inline, as the general path
    /// decides it: for every label of the field, an empty cell, an
    /// unreadable one and cells of other kinds; alone and nested.
    #[test]
    fn a_label_in_a_list_holds_as_the_general_path_says() {
        let json = include_str!("../../../tests/eval/rules/care.json");
        let rules = serde_json::from_str(json).expect("rule set");
        let plan = build(rules).expect("plan");
        let field = plan
            .fields
            .iter()
            .position(|f| f.name == "cause")
            .expect("cause");
        let cells = [
            Cell::Label(0),
            Cell::Label(1),
            Cell::Label(2),
            Cell::Empty,
            Cell::Bad,
            Cell::Integer(1),
            Cell::Text("customer".into()),
        ];
        let lists: [&[u32]; 3] = [&[], &[1], &[0, 2]];
        for list in lists {
            let c = Cond::In {
                field,
                values: CondValues::Labels(list.to_vec()),
            };
            let not = Cond::Not(Box::new(Cond::In {
                field,
                values: CondValues::Labels(list.to_vec()),
            }));
            for cell in &cells {
                let mut t = Ticket {
                    cells: vec![Cell::Empty; plan.fields.len()],
                    ..Ticket::default()
                };
                t.cells[field] = cell.clone();
                let general = holds_any(&plan, &c, &t);
                assert_eq!(holds(&plan, &c, &t), general, "{list:?} {cell:?}");
                assert_eq!(holds(&plan, &not, &t), !general, "{list:?} {cell:?}");
            }
        }
    }
}
