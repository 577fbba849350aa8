//! A progress bar on stderr while a long log is read: only when stderr is a
//! terminal (never in pipes, CI or tests) and only for logs big enough to wait on.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Logs smaller than this finish before a bar would be worth drawing.
const MIN_BYTES: u64 = 8 << 20;

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` bytes, or a silent stand-in.
    pub(crate) fn new(total: u64) -> Progress {
        if total < MIN_BYTES || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} reading tickets {bar:40} {bytes}/{total_bytes} ({eta} left)",
        ) {
            bar.set_style(style);
        }
        Progress { bar: Some(bar) }
    }

    pub(crate) fn set(&self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.set_position(bytes);
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
