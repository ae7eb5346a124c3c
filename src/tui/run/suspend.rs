//! Ctrl-z: when to leave the screen to the shell. The batch is paused first (unless the user
//! had paused it), and the process stops once the requests on the wire have landed (or after
//! `DRAIN`); on `fg` the batch goes on as it was. Owns that timing only: the terminal's modes
//! across the stop are `terminal`'s, the commands the loop's.

use std::time::Duration;

use tokio::time::Instant;

/// The process stops this long after Ctrl-z at the latest, even with requests on the wire
/// (their answers are read when it is continued).
const DRAIN: Duration = Duration::from_secs(5);

/// A Ctrl-z waiting for the requests on the wire to land.
#[derive(Debug)]
pub struct Suspension {
    /// Stop by then in any case.
    pub until: Instant,
    /// The batch was paused for it, and resumes after.
    pub resume: bool,
}

impl Suspension {
    /// `paused_for_it`: the loop sent `Command::Pause` for this Ctrl-z (and waits for its
    /// requests to land); otherwise nothing is sending, and the stop comes at once.
    pub fn new(paused_for_it: bool) -> Self {
        let wait = if paused_for_it { DRAIN } else { Duration::ZERO };
        Self {
            until: Instant::now() + wait,
            resume: paused_for_it,
        }
    }
}
