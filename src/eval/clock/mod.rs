//! One clock against one target: elapsed time, deadline and [`status::Status`],
//! from the instants and pauses the layers below give it; the time engine
//! (`crate::time`) does the arithmetic.

pub(crate) mod judge;
pub(crate) mod status;
