//! The contract as evaluation uses it: a compiled rule set (or a `.sla`
//! source, checked and lowered in memory) validated into a [`plan::Plan`]
//! of indices, so that evaluating a ticket never looks a name up.

pub(crate) mod load;
pub(crate) mod plan;
pub(crate) mod selecting;
pub(crate) mod statuses;
