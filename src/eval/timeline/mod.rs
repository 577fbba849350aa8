//! A ticket's history as the clocks read it: its pauses, from the `--events`
//! log or from the ticket's own status history.

pub(crate) mod pauses;
