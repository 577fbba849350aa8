//! Calendars and business time, as SEMANTICS.md defines them.
//!
//! The engine counts in `i64` Unix seconds (UTC) and keeps local time at the
//! edges: [`instant`] reads and writes timestamps and maps local times to
//! instants; [`holidays`] names the closed days; [`calendar`] answers "how
//! much open time", "by when", and "which working day" from per-year tables,
//! so that no query walks over time step by step.
//!
//! One rule for local times holds throughout: a local time that occurs twice
//! (the autumn overlap) is the earlier instant; one that does not occur (the
//! spring gap) is, in a calendar, the first instant after the gap, and in a
//! log timestamp an input error.

pub mod calendar;
pub mod exact;
pub mod holiday_sets;
pub mod holidays;
pub mod instant;
pub mod spec;
pub mod zones;

pub use calendar::{
    add_calendar_span, Calendar, CalendarError, HORIZON_END_YEAR, HORIZON_FIRST_YEAR,
};
pub use exact::At;
pub use holidays::{easter_sunday, Holidays};
pub use instant::{
    format_rfc3339, local_date, local_to_instant, month_of, parse_timestamp, parse_tz, to_local,
    utc_offset, write_rfc3339, Parsed, Rfc3339Writer, TimestampError, TimestampErrorKind,
    TimezoneError,
};
pub use spec::CalendarSpec;
