//! Bytes to rows and events: the ticket log (CSV read in blocks, JSON Lines,
//! spreadsheets), export profiles and the grouping of event-shaped exports,
//! the side logs (events, outages, changes), and each row's cells typed;
//! and the sort on disk that the evaluator uses where what it must keep
//! outgrows memory (`sorted_runs`: the event log's index here, the ids of a
//! long log in `run`).
//!
//! Order within the layer: `sorted_runs` first; `piped_log`, `text_encoding`
//! → `csv_records`, `json_lines` → `profiles` → `log_reader` → `columns` →
//! `export_groups`; `cells` → `event_kind` → `logged_event` → `event_spill`
//! → `event_store` → `side_log` → the side logs.

pub(crate) mod cells;
pub(crate) mod columns;
pub(crate) mod csv_records;
pub(crate) mod event_kind;
pub(crate) mod event_log;
pub(crate) mod event_spill;
pub(crate) mod event_store;
pub(crate) mod export_groups;
pub(crate) mod json_lines;
pub(crate) mod log_reader;
pub(crate) mod logged_event;
pub(crate) mod memory_budget;
pub(crate) mod outage_log;
pub(crate) mod piped_log;
pub(crate) mod profiles;
pub(crate) mod side_log;
pub(crate) mod sorted_runs;
pub(crate) mod text_encoding;
