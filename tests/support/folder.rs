//! A temporary folder for one test's files, and the real binary run from the
//! repository's root.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh folder under the system's temp dir, removed when dropped.
pub struct Folder(PathBuf);

impl Folder {
    /// `PREFIX-NAME-PID-N`: tests run in parallel threads of one process,
    /// several with the same name, and a counter keeps their folders apart.
    pub fn new(prefix: &str, name: &str) -> Folder {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("{prefix}-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        Folder(p)
    }

    /// Writes `text` to `name` in the folder and gives its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The repository's root, where the shipped contracts and test data are.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `sla ARGS` from the repository's root: its exit code, stdout and
/// stderr.
pub fn sla(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sla"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run sla");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
