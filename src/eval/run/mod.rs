//! Running an evaluation: the streaming driver over the whole log, the one
//! ticket of `--explain`, the sinks rows go to, the ids seen (for
//! duplicates), and the summary of the run.

pub(crate) mod driver;
pub(crate) mod explain;
pub(crate) mod seen_ids;
pub(crate) mod sink;
pub(crate) mod summary;
