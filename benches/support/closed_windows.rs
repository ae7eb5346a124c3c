//! How many requests a run sent into a fixed window it already knew was closed, from the 429s
//! it got: the figure issue 10 bounds, shared by `benches/engine` (which reports it) and
//! `tests/it/engine_pacing.rs` (which bounds it) so both count the same way.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Of `refusals` (each 429: when its request left, when the answer came), those whose request
/// left after an earlier 429 from the same window had come back. The windows run back to back
/// from `started`, each `window` long.
pub fn sent_into_known_closed(
    refusals: &[(Instant, Instant)],
    started: Instant,
    window: Duration,
) -> usize {
    late_by_window(refusals, started, window).values().sum()
}

/// The most requests sent into any one window already known closed (see
/// `sent_into_known_closed`).
pub fn most_into_one_known_closed(
    refusals: &[(Instant, Instant)],
    started: Instant,
    window: Duration,
) -> usize {
    (late_by_window(refusals, started, window).into_values())
        .max()
        .unwrap_or(0)
}

/// How many requests were sent into each window after it was known closed, by window.
fn late_by_window(
    refusals: &[(Instant, Instant)],
    started: Instant,
    window: Duration,
) -> HashMap<u128, usize> {
    let index = |at: Instant| at.saturating_duration_since(started).as_nanos() / window.as_nanos();
    let mut known_closed: HashMap<u128, Instant> = HashMap::new();
    for (sent, answered) in refusals {
        let first = known_closed.entry(index(*sent)).or_insert(*answered);
        *first = (*first).min(*answered);
    }
    let mut late = HashMap::new();
    for (sent, _) in refusals {
        if known_closed
            .get(&index(*sent))
            .is_some_and(|known| sent > known)
        {
            *late.entry(index(*sent)).or_insert(0) += 1;
        }
    }
    late
}
