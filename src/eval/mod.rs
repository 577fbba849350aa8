//! The evaluator: a compiled rule set run against a ticket log.
//!
//! Its layers, bottom to top, each importing only from the ones below it
//! (`tests/layers.rs` checks this):
//!
//! - [`error`] and [`problems`]: the errors that stop a run, and the input
//!   problems it counts and goes on;
//! - [`contract`]: the contract loaded and turned into a [`Plan`];
//! - [`input`]: bytes to rows and events (CSV, JSON Lines, XLSX, export
//!   profiles, grouped exports, side logs), each cell typed;
//! - [`timeline`]: a ticket's history (its pauses);
//! - [`clock`]: one clock against one target (elapsed, deadline, status);
//! - [`verdict`]: per ticket and metric the target, exclusions and clock
//!   ([`verdict::ticket`]), escalations, objectives, availability, changes;
//! - [`run`]: the streaming driver that feeds the log through the layers
//!   and hands rows to a [`RowSink`], returning a [`Summary`].

pub(crate) mod clock;
pub(crate) mod contract;
pub(crate) mod error;
pub(crate) mod input;
pub(crate) mod problems;
pub(crate) mod run;
pub(crate) mod timeline;
pub(crate) mod verdict;

pub(crate) use clock::status::Status;
pub(crate) use contract::load::{load_plan, load_rules};
pub(crate) use contract::plan::Plan;
pub(crate) use error::EvalError;
pub(crate) use input::columns::open_tickets;
pub(crate) use input::event_log::EventLog;
pub(crate) use input::outage_log::OutageLog;
pub(crate) use input::profiles::Comparison;
pub(crate) use run::driver::{run, RunOptions};
pub(crate) use run::explain::explain;
pub(crate) use run::sink::{ChunkFormat, RowSink, RowText};
pub(crate) use run::summary::{Problems, Summary};
pub(crate) use verdict::availability::AvailabilityRow;
pub(crate) use verdict::changes::ChangeLog;
pub(crate) use verdict::escalations::EscalationRow;
pub(crate) use verdict::objectives::ObjectiveResult;
pub(crate) use verdict::row::Row;
pub(crate) use verdict::ticket::Context;
