//! A scratch folder per generated case, for the property tests that run the
//! real binary on generated logs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh folder under the system's temp dir, named `PREFIX-PID-N`, with
/// `contract` written to `contract.sla` in it.
pub fn scratch_dir(prefix: &str, contract: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "{prefix}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a scratch dir");
    std::fs::write(dir.join("contract.sla"), contract).expect("write the contract");
    dir
}
