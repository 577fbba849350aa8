//! A ticket's history as the clocks read it: one ordered timeline per
//! ticket, cut at the as-of instant, built once from every source
//! ([`history`]), its status events as intervals of pause ([`pauses`]), and
//! its field changes as the ticket as it stood at an instant ([`fields`]).

pub(crate) mod fields;
pub(crate) mod history;
pub(crate) mod pauses;
