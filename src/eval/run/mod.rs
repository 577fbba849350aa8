//! Running an evaluation: the streaming driver over the whole log, the one
//! ticket of `--explain`, the sinks rows go to, finding duplicate ids (in
//! a table of ids seen, or listed on disk for a long log), and the summary
//! of the run.

pub(crate) mod driver;
pub(crate) mod duplicate_list;
pub(crate) mod duplicates;
pub(crate) mod explain;
pub(crate) mod seen_ids;
pub(crate) mod sink;
pub(crate) mod summary;
