//! Where evaluated rows go: the report's text writers (one per worker thread)
//! and the sink that receives rows in log order.

use crate::eval::verdict::escalations::EscalationRow;
use crate::eval::verdict::row::Row;

/// Turns rows into report text on the worker threads: each worker gets a
/// [`RowText`] of its own, which may keep caches (a report's running state
/// lives in its [`RowSink`]).
pub(crate) trait ChunkFormat: Sync {
    fn writer(&self) -> Box<dyn RowText + '_>;
}

/// One worker's writer of report text.
pub(crate) trait RowText {
    /// Appends the text of `rows` to `out`.
    fn write(&mut self, rows: &[Row], out: &mut Vec<u8>);
}

/// Where rows go, in log order, with the text [`RowText`] made of them.
pub(crate) trait RowSink {
    /// The rows of a chunk and their text. Without [`RowSink::keeps_rows`],
    /// `rows` is empty: the text is all the sink is given.
    fn rows(&mut self, rows: &[Row], text: &[u8]) -> std::io::Result<()>;

    /// Whether the sink reads the rows themselves, not only their text.
    /// Rows that no one reads are not kept: each ticket's are written out
    /// as text while they are fresh, and their memory is used again.
    fn keeps_rows(&self) -> bool {
        true
    }

    /// Escalations due, in log order (reports that show none ignore them).
    fn escalations(&mut self, _rows: &[EscalationRow]) -> std::io::Result<()> {
        Ok(())
    }
}
