//! A temporary file for the rows a report writes after the ticket rows but
//! receives among them (escalations): memory must not grow with the log, so
//! they wait on disk and are copied in at the end.

use std::io::{Read, Seek, SeekFrom, Write};

pub(crate) struct Spill {
    pub(crate) file: std::io::BufWriter<std::fs::File>,
}

impl Spill {
    /// A new, empty file in the system's temporary folder. It has no name,
    /// so the system removes it however the run ends, killed or not.
    pub(crate) fn create() -> std::io::Result<Spill> {
        Ok(Spill {
            file: std::io::BufWriter::new(tempfile::tempfile()?),
        })
    }

    /// What was written, for reading back from its start (after `skip`
    /// bytes).
    pub(crate) fn reader(&mut self, skip: u64) -> std::io::Result<impl Read + '_> {
        self.file.flush()?;
        let file = self.file.get_mut();
        file.seek(SeekFrom::Start(skip))?;
        Ok(file)
    }
}
