//! Entry points for the cargo fuzz targets in `fuzz/`: each runs one stage
//! of `sla` on arbitrary input, so the targets need no other public API.
//! Not a stable interface.

use std::path::PathBuf;
use std::sync::OnceLock;

/// A contract that reads every kind of cell (labels, timestamps, text and
/// integers), for the log readers' fuzz targets.
const CONTRACT: &str = "contract \"Fuzz\" { timezone \"Europe/Amsterdam\" }
fields {
  opened_at:   timestamp
  priority:    label [high, low]
  team:        text optional
  reopened:    integer optional
  resolved_at: timestamp
}
priority from priority {
  high \"h\"
  low  \"l\"
}
metric resolution from opened_at to resolved_at
targets {
  high resolution within 4 hours
  low  resolution within 2 days
}
";

/// A directory of this process's own for the files the command reads.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sla-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("contract.sla"), CONTRACT);
        dir
    })
}

/// `sla eval` (the real command, in process) on `log` as a ticket log with
/// extension `ext` (`csv` or `jsonl`); its exit code.
pub fn eval_log(log: &[u8], ext: &str) -> i32 {
    let dir = scratch();
    let path = dir.join(format!("tickets.{ext}"));
    if std::fs::write(&path, log).is_err() {
        return 2;
    }
    crate::cli::run_from([
        "sla".into(),
        "eval".into(),
        dir.join("contract.sla").into_os_string(),
        path.into_os_string(),
        "--as-of".into(),
        "2025-06-01T00:00:00Z".into(),
        "--format".into(),
        "json".into(),
    ])
}

/// The language server's frame reader over `bytes` to their end; the count
/// of messages and errors it produced.
pub fn lsp_frames(bytes: &[u8]) -> usize {
    let mut reader = crate::lsp::transport::Reader::new(bytes);
    std::iter::from_fn(|| reader.next()).count()
}
