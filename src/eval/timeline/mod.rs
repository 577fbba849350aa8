//! A ticket's history as the clocks read it: one ordered timeline per
//! ticket, cut at the as-of instant, built once from every source
//! ([`history`]), and its status events as intervals of pause ([`pauses`]).

pub(crate) mod history;
pub(crate) mod pauses;
