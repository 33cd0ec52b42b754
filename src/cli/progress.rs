//! What the user sees on stderr during a run: a progress bar when stderr is a terminal
//! (bytes, shards, rate, time left), warnings for skipped or kept records (the first few,
//! then a count), and nothing else. Never document text: messages come from
//! [`crate::Error`], which holds none.

use crate::Error;
use crate::job::{JobObserver, Shard};
use crate::shard::{Observer, OnError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bad-record warnings printed before the rest are only counted.
const MAX_WARNINGS: u64 = 20;

/// The run's progress bar and warnings.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    bad: AtomicU64,
}

impl Progress {
    /// A bar over `total` stored bytes (none for standard input), drawn only when stderr
    /// is a terminal and the user did not ask for `--quiet`.
    pub fn new(total: Option<u64>, quiet: bool) -> Progress {
        let show = !quiet && total.is_some() && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress {
            bar,
            quiet,
            bad: AtomicU64::new(0),
        }
    }

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the bar and prints the count of bad records beyond the ones shown.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let bad = self.bad.load(Ordering::Relaxed);
        let shown = if self.quiet { 0 } else { bad.min(MAX_WARNINGS) };
        if bad > shown {
            eprintln!(
                "shardscrub: warning: {} bad records in all ({} not shown); the report counts them",
                bad,
                bad - shown
            );
        }
    }
}

impl Observer for Progress {
    fn progress(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    fn bad_record(&self, error: &Error, action: OnError) {
        let n = self.bad.fetch_add(1, Ordering::Relaxed) + 1;
        if self.quiet || n > MAX_WARNINGS {
            return;
        }
        let what = match action {
            OnError::Keep => "kept UNREDACTED",
            _ => "skipped",
        };
        self.say(&format!("shardscrub: warning: {error} (record {what})"));
    }
}

impl JobObserver for Progress {
    fn shard_started(&self, index: usize, total: usize, _shard: &Shard) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("shard {}/{total}", index + 1));
        }
    }

    fn bad_shard(&self, error: &Error) {
        self.say(&format!("shardscrub: warning: {error} (shard skipped)"));
    }
}
