//! A request to stop the run (Ctrl-C, SIGTERM): shards in progress end at their next
//! batch without writing their output (the temporary file is removed), no new shard
//! starts, and `--resume` later redoes exactly the unfinished shards.
//!
//! The binary sets the flag from its signal handler; a library caller may set it from
//! anywhere. It is process-wide and stays set.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every running shard to stop at its next batch.
pub fn request() {
    STOP.store(true, Ordering::SeqCst);
}

/// True once [`request`] has been called.
pub fn requested() -> bool {
    STOP.load(Ordering::Relaxed)
}
