//! Which fields of a ticket select something (a priority, a target, an
//! objective, an exclusion, an escalation): the fields whose changes over a
//! ticket's history matter (SEMANTICS.md "Histories"). An event-shaped
//! export keeps the changes of these fields only.

use crate::eval::contract::plan::{Cond, Plan, PriorityPlan, SelectorPlan, TriggerPlan};

/// Per field of the plan, whether it selects something.
pub(crate) fn selecting_fields(plan: &Plan) -> Vec<bool> {
    let mut out = vec![false; plan.fields.len()];
    let mut mark = |f: usize| {
        if let Some(x) = out.get_mut(f) {
            *x = true;
        }
    };
    match &plan.priority {
        Some(PriorityPlan::Field { field, .. }) => mark(*field),
        Some(PriorityPlan::Matrix { rows, columns, .. }) => {
            mark(*rows);
            mark(*columns);
        }
        None => {}
    }
    let selectors = plan
        .targets
        .iter()
        .map(|t| &t.selector)
        .chain(plan.objectives.iter().map(|o| &o.selector));
    let mut conds: Vec<&Cond> = selectors
        .filter_map(|s: &SelectorPlan| s.when.as_ref())
        .collect();
    conds.extend(plan.exclusions.iter().map(|x| &x.when));
    conds.extend(plan.escalation.iter().flat_map(|l| {
        l.triggers.iter().filter_map(|t| match t {
            TriggerPlan::When(c) => Some(c),
            _ => None,
        })
    }));
    while let Some(c) = conds.pop() {
        match c {
            Cond::All(cs) | Cond::Any(cs) => conds.extend(cs),
            Cond::Not(c) => conds.push(c),
            Cond::In { field, .. } | Cond::Empty { field } | Cond::Opened { field, .. } => {
                mark(*field)
            }
        }
    }
    out
}
