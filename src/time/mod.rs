//! Calendars and business time, as SEMANTICS.md defines them.

pub mod spec;
