//! A log read through a pipe (`cat log.csv | sla eval C /dev/stdin`, a named
//! pipe), made readable twice: every byte taken from the pipe is also written
//! to an unnamed temporary file, so that the log can be read again from its
//! start, as finding the duplicate ids of a long log does
//! (`run/duplicates.rs`). A log in a file is read as it is; only what cannot
//! be read twice takes this way.
//!
//! Each reader of the log has its own place in it. The one furthest ahead
//! reads the pipe (and copies what it reads); one behind reads the copy. So
//! two readings go on side by side, each in step with no other, and memory
//! holds neither: the copy is on disk, in a file that has no name (it goes
//! however the run ends). Writing the copy can fail (no room in TMPDIR); the
//! first reading then goes on, and a reading behind it stops with an error
//! at the first byte the copy lacks, never with other bytes in their place.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::sync::{Arc, Mutex};

/// The pipe and the copy of what has been taken from it.
struct Copied {
    pipe: Box<dyn Read + Send>,
    /// The copy; `None` if it could not be made (`failure`).
    copy: Option<File>,
    /// Bytes taken from the pipe.
    taken: u64,
    /// Bytes of them in the copy: all, unless writing it failed.
    kept: u64,
    /// Why the copy stops at `kept`.
    failure: Option<String>,
}

/// One reading of a piped log, from its start.
pub(crate) struct PipedLog {
    shared: Arc<Mutex<Copied>>,
    /// Bytes this reading has had.
    at: u64,
}

impl PipedLog {
    /// The log that `pipe` reads, its first reading.
    pub(crate) fn new(pipe: impl Read + Send + 'static) -> PipedLog {
        let (copy, failure) = match tempfile::tempfile() {
            Ok(file) => (Some(file), None),
            Err(e) => (None, Some(e.to_string())),
        };
        PipedLog {
            shared: Arc::new(Mutex::new(Copied {
                pipe: Box::new(pipe),
                copy,
                taken: 0,
                kept: 0,
                failure,
            })),
            at: 0,
        }
    }

    /// Another reading of the same log, from its start.
    pub(crate) fn again(&self) -> PipedLog {
        PipedLog {
            shared: Arc::clone(&self.shared),
            at: 0,
        }
    }
}

impl Read for PipedLog {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut guard = self
            .shared
            .lock()
            .map_err(|_| io::Error::other("another reading of the piped log failed"))?;
        let c = &mut *guard;
        if self.at < c.kept {
            // Behind: the copy has it.
            let room = usize::try_from(c.kept - self.at).unwrap_or(usize::MAX);
            let n = buf.len().min(room);
            let Some(copy) = &c.copy else {
                return Err(io::Error::other("the copy of the piped log is gone"));
            };
            let got = copy.read_at(&mut buf[..n], self.at)?;
            self.at += got as u64;
            return Ok(got);
        }
        if self.at < c.taken {
            // Behind, where the copy stops: those bytes are lost.
            return Err(io::Error::other(format!(
                "the log comes through a pipe, and its copy in a temporary file in {} (kept so that it can be read twice) could not be written ({}); point TMPDIR to a folder with room, or give the log as a file",
                std::env::temp_dir().display(),
                c.failure.as_deref().unwrap_or("unknown failure")
            )));
        }
        let n = c.pipe.read(buf)?;
        c.taken += n as u64;
        self.at += n as u64;
        // The copy is written in order (this reading is the one ahead),
        // and not at all once a write has failed.
        let written = match (&mut c.copy, &c.failure) {
            (Some(copy), None) => Some(copy.write_all(&buf[..n])),
            _ => None,
        };
        match written {
            Some(Ok(())) => c.kept += n as u64,
            Some(Err(e)) => c.failure = Some(e.to_string()),
            None => {}
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `r` in pieces of `step` bytes, `pieces` times at most.
    fn take(r: &mut PipedLog, step: usize, pieces: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = vec![0; step];
        for _ in 0..pieces {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    }

    #[test]
    fn two_readings_in_turns_read_the_same_bytes() {
        let log: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut first = PipedLog::new(io::Cursor::new(log.clone()));
        let mut second = first.again();
        // The first reads ahead; the second overtakes it; they take turns.
        let mut a = take(&mut first, 1000, 50);
        let mut b = take(&mut second, 7000, 40);
        a.extend(take(&mut first, 4096, usize::MAX));
        b.extend(take(&mut second, 333, usize::MAX));
        assert_eq!(a, log);
        assert_eq!(b, log);
        // A third, started late, reads it all from the copy.
        assert_eq!(take(&mut first.again(), 65536, usize::MAX), log);
    }

    #[test]
    fn a_reading_behind_a_lost_copy_fails_and_the_first_goes_on() {
        let mut first = PipedLog::new(io::Cursor::new(vec![7u8; 10_000]));
        let mut second = first.again();
        assert_eq!(take(&mut first, 1000, 2).len(), 2000);
        {
            // As if the disk filled up: the copy stops here.
            let mut c = first.shared.lock().unwrap();
            c.failure = Some("no room".into());
        }
        assert_eq!(take(&mut first, 1000, usize::MAX).len(), 8000);
        assert_eq!(take(&mut second, 2000, 1).len(), 2000);
        let err = second.read(&mut [0; 100]).unwrap_err().to_string();
        assert!(err.contains("no room") && err.contains("TMPDIR"), "{err}");
    }
}
