//! The evaluator: a compiled rule set run against a ticket log.
//!
//! [`contract::load_plan`] reads and validates the contract into a [`Plan`];
//! [`run::open_tickets`] opens the log and checks its columns; [`run::run`]
//! streams the log through [`ticket::evaluate`], handing rows to a
//! [`RowSink`] and returning the objective results in a [`Summary`].

pub mod availability;
pub mod cells;
pub mod changes;
pub mod clock;
pub mod contract;
pub mod error;
pub mod escalation;
pub mod events;
pub mod export;
pub mod log;
pub mod plan;
pub mod profiles;
pub mod records;
pub mod run;
pub mod select;
pub mod side;
pub mod tally;
pub mod ticket;
pub mod verdict;

pub use availability::{AvailabilityRow, OutageLog};
pub use changes::{ChangeLog, ChangeRow};
pub use contract::{load_plan, load_rules};
pub use error::EvalError;
pub use escalation::EscalationRow;
pub use events::EventLog;
pub use plan::{build, Plan};
pub use run::{
    explain, open_tickets, run, ChunkFormat, Problems, RowSink, RowText, RunOptions, Summary,
};
pub use tally::ObjectiveResult;
pub use ticket::{evaluate, Context, Outcome, Trace};
pub use verdict::{Counts, PeriodKey, Row, Status};
