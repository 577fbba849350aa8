//! A temporary file for the rows a report writes after the ticket rows but
//! receives among them (escalations): memory must not grow with the log, so
//! they wait on disk and are copied in at the end.

use std::io::{Read, Write};

pub(crate) struct Spill {
    path: std::path::PathBuf,
    pub(crate) file: std::io::BufWriter<std::fs::File>,
}

impl Spill {
    /// A new, empty file in the temporary directory; `what` and `ext` name it.
    pub(crate) fn create(what: &str, ext: &str) -> std::io::Result<Spill> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("sla-{what}-{}-{nanos}.{ext}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Spill {
            path,
            file: std::io::BufWriter::new(file),
        })
    }

    /// What was written, for reading back from its start (after `skip`
    /// bytes).
    pub(crate) fn reader(&mut self, skip: u64) -> std::io::Result<impl Read> {
        self.file.flush()?;
        let mut text = std::fs::File::open(&self.path)?;
        std::io::copy(&mut (&mut text).take(skip), &mut std::io::sink())?;
        Ok(text)
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
