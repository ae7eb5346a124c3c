//! `EngineConfig`: the knobs a driver sets for the delete engine (`--concurrency`,
//! `--max-rate`, `--wait-processing`, retry budget, `max_wait_seconds`). Plain data with
//! defaults; no behaviour.

use std::time::Duration;

use crate::api::RetryPolicy;

use super::rate_cap::Rate;

/// Five minutes: longer than any per-minute window asks, short of an hourly quota's wait.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(300);

/// The first retry of a failure with no wait given (a plain 503, a dropped connection) comes
/// within this; it doubles with each failure of the same ID. Short, because one such failure
/// on a healthy server is noise, and an ID failing again waits ever longer anyway: with 5% of
/// answers a scattered 503, a batch's last retries set its end.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(250);

/// See `EngineConfig::max_concurrency`.
pub const DEFAULT_MAX_CONCURRENCY: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineConfig {
    /// `--concurrency`: never more requests in flight than this. It only binds on a fast
    /// server that sends no limit signal (any 429, `Remaining` or overload binds first), so
    /// the default is wide enough for a server far away: 2000 deletes 300 ms away take
    /// 2000 / 512 x 0.3 s = 1.2 s at the cap. Over HTTP/2 the requests share a connection.
    pub max_concurrency: usize,
    /// Where the adaptive window starts; small, so a strict server sees few requests at first.
    pub initial_concurrency: usize,
    /// Requests per ID for retryable failures, first one included.
    pub max_attempts: u32,
    /// `--wait-processing`: retry a 400 `VIDEO_IN_PROCESSING` for up to this long.
    pub wait_processing: Option<Duration>,
    /// Full-jitter backoff: the first retry waits up to `backoff_base`, doubling to the cap.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// `max_wait_seconds`: a wait the server asks for (`Retry-After`, `Reset`) beyond this is
    /// not waited; sending halts (`HaltCause::LongWait`) and the driver decides.
    pub max_wait: Duration,
    /// `--max-rate` / `max_rate`: never more requests than this in any one second, whatever
    /// the server allows. Every driver (the app, `delete`) sets it here, so each gets it.
    pub max_rate: Option<Rate>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        let retry = RetryPolicy::default();
        Self {
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            initial_concurrency: 4,
            max_attempts: retry.max_attempts,
            wait_processing: retry.wait_processing,
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_cap: retry.backoff_cap,
            max_wait: DEFAULT_MAX_WAIT,
            max_rate: None,
        }
    }
}

impl EngineConfig {
    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            backoff_base: self.backoff_base,
            backoff_cap: self.backoff_cap,
            wait_processing: self.wait_processing,
        }
    }
}
