//! `ConcurrencyWindow`: how many requests may be in flight at once, adapted AIMD-style as
//! TCP does with its congestion window. Owns that number only; it never exceeds the user's
//! cap. It must not pace (the `Pacer` does) or count in-flight requests (the run loop does).

use std::time::{Duration, Instant};

use super::feedback::Feedback;

/// An answer slower than both `SLOW_FACTOR` times the fastest seen and the fastest plus
/// `SLOW_MARGIN` means requests are queueing somewhere: stop growing.
const SLOW_FACTOR: u32 = 3;
const SLOW_MARGIN: Duration = Duration::from_millis(100);

#[derive(Debug)]
pub struct ConcurrencyWindow {
    window: f64,
    /// Below this the window doubles per round trip (slow start); above it, grows by one.
    threshold: f64,
    cap: usize,
    last_cut: Option<Instant>,
    fastest: Option<Duration>,
}

impl ConcurrencyWindow {
    /// `cap` is the user's `--concurrency` (at least 1); the window starts at `initial`.
    pub fn new(initial: usize, cap: usize) -> Self {
        let cap = cap.max(1);
        Self {
            window: initial.clamp(1, cap) as f64,
            threshold: cap as f64,
            cap,
            last_cut: None,
            fastest: None,
        }
    }

    /// Requests allowed in flight right now: between 1 and the cap.
    pub fn limit(&self) -> usize {
        (self.window.floor() as usize).clamp(1, self.cap)
    }

    /// Adjusts to the answer, at `now`, to a request sent at `sent_at`. `was_full` says the
    /// window was the limit when it left (growing a window nobody fills only allows a burst
    /// later).
    pub fn on_answer(
        &mut self,
        sent_at: Instant,
        now: Instant,
        feedback: Feedback,
        was_full: bool,
    ) {
        let latency = now.saturating_duration_since(sent_at);
        match feedback {
            Feedback::Throttled | Feedback::Overloaded => {
                // One cut per round trip: answers to requests sent before the last cut were
                // already reacted to.
                if self.last_cut.is_none_or(|cut| sent_at >= cut) {
                    self.window = (self.window / 2.0).max(1.0);
                    self.threshold = self.window;
                    self.last_cut = Some(now);
                }
            }
            Feedback::Clean => {
                let fastest = *self.fastest.get_or_insert(latency);
                self.fastest = Some(fastest.min(latency));
                let slow = latency > (fastest * SLOW_FACTOR).max(fastest + SLOW_MARGIN);
                if was_full && !slow {
                    let step = if self.window < self.threshold {
                        1.0
                    } else {
                        1.0 / self.window
                    };
                    self.window = (self.window + step).min(self.cap as f64);
                }
            }
            Feedback::Neutral => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: Duration = Duration::from_millis(10);

    fn answer(
        window: &mut ConcurrencyWindow,
        sent_at: Instant,
        took: Duration,
        f: Feedback,
        full: bool,
    ) {
        window.on_answer(sent_at, sent_at + took, f, full);
    }

    #[test]
    fn grows_while_clean_and_full_but_never_past_the_cap() {
        let mut window = ConcurrencyWindow::new(4, 16);
        for _ in 0..100 {
            answer(&mut window, Instant::now(), FAST, Feedback::Clean, true);
        }
        assert_eq!(window.limit(), 16);
    }

    #[test]
    fn does_not_grow_when_idle_or_slow() {
        let mut window = ConcurrencyWindow::new(4, 64);
        answer(&mut window, Instant::now(), FAST, Feedback::Clean, true);
        for _ in 0..50 {
            answer(&mut window, Instant::now(), FAST, Feedback::Clean, false);
            answer(
                &mut window,
                Instant::now(),
                Duration::from_secs(2),
                Feedback::Clean,
                true,
            );
        }
        assert_eq!(window.limit(), 5);
    }

    #[test]
    fn halves_once_per_round_trip_on_congestion() {
        let mut window = ConcurrencyWindow::new(32, 64);
        let start = Instant::now();
        answer(&mut window, start, FAST, Feedback::Throttled, true);
        assert_eq!(window.limit(), 16);
        // Sent before that cut (which happened at start + FAST): already accounted for.
        answer(
            &mut window,
            start + Duration::from_millis(5),
            FAST,
            Feedback::Overloaded,
            true,
        );
        assert_eq!(window.limit(), 16);
        answer(
            &mut window,
            start + FAST * 2,
            FAST,
            Feedback::Overloaded,
            true,
        );
        assert_eq!(window.limit(), 8);
    }
}
