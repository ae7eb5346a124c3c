//! `ConcurrencyWindow`: how many requests may be in flight at once, adapted AIMD-style as
//! TCP does with its congestion window: doubling per round trip while answers are clean and
//! fast (slow start; far away, with the answers' latency flat, as many doublings per round
//! trip as 50 ms rounds fit in it), halving on overload (timeouts, crowded or slow 5xx
//! answers). Owns that number only; it never exceeds the user's cap. It must not pace (the
//! `Pacer` does, and a 429 is its business, not a sign of overload) or count in-flight
//! requests (the run loop does).

use std::time::{Duration, Instant};

use super::feedback::Feedback;

/// An answer slower than both `SLOW_FACTOR` times the fastest seen and the fastest plus
/// `SLOW_MARGIN` means requests are queueing somewhere: stop growing.
const SLOW_FACTOR: u32 = 3;
const SLOW_MARGIN: Duration = Duration::from_millis(100);
/// Slow start doubles the window at most once per this long, however short the round trip:
/// a server answering in 20 ms with a burst allowance in front of its rate limit (and no rate
/// headers) looks unlimited until the burst is spent, and every request in flight then is
/// refused (at 100/s with a burst of 20, 16 to 24 of 600 requests drew a 429 without this
/// bound, 9 to 10 with it). Far away, where the window matters most, a round trip is longer
/// than this, and while the answers' latency stays flat (nothing queues), a round trip grows
/// the window as its 50 ms rounds would have doubled it, up to `MOST_GROWTH`: 300 ms away,
/// it reaches the default cap in two round trips, not seven.
const SHORTEST_ROUND: Duration = Duration::from_millis(50);
/// At most this many times larger per round trip.
const MOST_GROWTH: f64 = 64.0;
/// Latency within this share over the fastest seen is flat: nothing queues yet.
const FLAT: f64 = 1.25;

#[derive(Debug)]
pub struct ConcurrencyWindow {
    window: f64,
    /// Below this the window doubles per round trip (slow start); above it, grows by one.
    threshold: f64,
    cap: usize,
    last_cut: Option<Instant>,
    fastest: Option<Duration>,
    /// The current slow-start round: when it began and the window then (it may double).
    round: Option<(Instant, f64)>,
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
            round: None,
        }
    }

    /// Requests allowed in flight right now: between 1 and the cap.
    pub fn limit(&self) -> usize {
        (self.window.floor() as usize).clamp(1, self.cap)
    }

    /// Adjusts to the answer, at `now`, to a request sent at `sent_at`. `was_full` says the
    /// window was the limit when it left (growing a window nobody fills only allows a burst
    /// later). `true`: this answer halved the window.
    pub fn on_answer(
        &mut self,
        sent_at: Instant,
        now: Instant,
        feedback: Feedback,
        was_full: bool,
    ) -> bool {
        let latency = now.saturating_duration_since(sent_at);
        match feedback {
            Feedback::Overloaded | Feedback::Crowded | Feedback::Refusing => self.cut(sent_at, now),
            Feedback::Unavailable => self.is_slow(latency) && self.cut(sent_at, now),
            Feedback::Clean => {
                let fastest = *self.fastest.get_or_insert(latency);
                self.fastest = Some(fastest.min(latency));
                if was_full && !self.is_slow(latency) {
                    self.grow(now, latency);
                }
                false
            }
            Feedback::Throttled | Feedback::Neutral => false,
        }
    }

    /// One clean answer, `latency` after its request, grows the window: in slow start by up
    /// to the round's growth less one (so that a round's answers at most double the window
    /// it began with, or multiply it as the 50 ms rounds in a flat round trip would), else by
    /// a window's fraction of one.
    fn grow(&mut self, now: Instant, latency: Duration) {
        let step = if self.window < self.threshold {
            let flat = self
                .fastest
                .is_some_and(|fastest| latency.as_secs_f64() <= fastest.as_secs_f64() * FLAT);
            let rounds = latency.as_millis() / SHORTEST_ROUND.as_millis();
            let growth = if flat {
                2f64.powi(rounds.clamp(1, 16) as i32).min(MOST_GROWTH)
            } else {
                2.0
            };
            let (started, base) = match self.round {
                Some((started, base))
                    if now.saturating_duration_since(started) < SHORTEST_ROUND =>
                {
                    (started, base)
                }
                _ => (now, self.window),
            };
            self.round = Some((started, base));
            (growth * base - self.window).clamp(0.0, growth - 1.0)
        } else {
            1.0 / self.window
        };
        self.window = (self.window + step).min(self.cap as f64);
    }

    /// Slower than the fastest answer seen by enough to mean requests queue somewhere.
    fn is_slow(&self, latency: Duration) -> bool {
        self.fastest
            .is_some_and(|fastest| latency > (fastest * SLOW_FACTOR).max(fastest + SLOW_MARGIN))
    }

    /// Halves the window, once per round trip: answers to requests sent before the last cut
    /// were already reacted to. `true`: it was halved now.
    fn cut(&mut self, sent_at: Instant, now: Instant) -> bool {
        let due = self.last_cut.is_none_or(|cut| sent_at >= cut);
        if due {
            self.window = (self.window / 2.0).max(1.0);
            self.threshold = self.window;
            self.last_cut = Some(now);
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: Duration = Duration::from_millis(10);

    /// Whether the answer halved the window.
    fn answer(
        window: &mut ConcurrencyWindow,
        sent_at: Instant,
        took: Duration,
        f: Feedback,
        full: bool,
    ) -> bool {
        window.on_answer(sent_at, sent_at + took, f, full)
    }

    #[test]
    fn grows_while_clean_and_full_but_never_past_the_cap() {
        let mut window = ConcurrencyWindow::new(4, 16);
        let start = Instant::now();
        for n in 0..100 {
            answer(&mut window, start + FAST * n, FAST, Feedback::Clean, true);
        }
        assert_eq!(window.limit(), 16);
    }

    #[test]
    fn slow_start_grows_per_50_ms_round_and_doubles_at_most_when_latency_rises() {
        let start = Instant::now();
        let ms = Duration::from_millis;
        // Far away (300 ms), latency flat: each round trip grows the window as its six 50 ms
        // rounds would, 64 times; with latency rising (up by half), it only doubles.
        let rounds = |latencies: [u64; 3]| {
            let mut far = ConcurrencyWindow::new(4, 2048);
            let mut sent = start;
            let mut limits = Vec::new();
            for latency in latencies {
                let window = far.limit();
                for n in 0..window {
                    let at = sent + ms(n as u64 / 100);
                    answer(&mut far, at, ms(latency), Feedback::Clean, true);
                }
                limits.push(far.limit());
                sent += ms(latency);
            }
            limits
        };
        assert_eq!(rounds([300, 300, 300]), [256, 2048, 2048]);
        assert_eq!(rounds([300, 450, 700]), [256, 512, 1024]);
        // Close by (5 ms): eight round trips fit in 40 ms, the window only doubles once.
        let mut near = ConcurrencyWindow::new(4, 256);
        for n in 0..20 {
            answer(&mut near, start + ms(2 * n), ms(5), Feedback::Clean, true);
        }
        assert_eq!(near.limit(), 8);
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
        let overloaded = |window: &mut ConcurrencyWindow, sent_at| {
            answer(window, sent_at, FAST, Feedback::Overloaded, true)
        };
        assert!(overloaded(&mut window, start), "halved");
        assert_eq!(window.limit(), 16);
        // Sent before that cut (which happened at start + FAST): already accounted for.
        let before_the_cut = start + Duration::from_millis(5);
        assert!(!overloaded(&mut window, before_the_cut), "not halved again");
        assert_eq!(window.limit(), 16);
        assert!(overloaded(&mut window, start + FAST * 2), "halved");
        assert_eq!(window.limit(), 8);
    }

    #[test]
    fn a_429_is_the_pacers_business_not_overload() {
        let mut window = ConcurrencyWindow::new(32, 64);
        let start = Instant::now();
        for step in 0..10 {
            let sent = start + FAST * (2 * step);
            answer(&mut window, sent, FAST, Feedback::Throttled, true);
        }
        assert_eq!(window.limit(), 32);
    }

    /// `answers` answers 10 ms apart, every `every`th `unavailable` (the rest clean), each
    /// taking `took`; the window they leave.
    fn after(answers: u32, every: u32, unavailable: Feedback, took: Duration) -> usize {
        let mut window = ConcurrencyWindow::new(32, 32);
        let start = Instant::now();
        answer(&mut window, start, FAST, Feedback::Clean, true);
        for n in 1..=answers {
            let feedback = if n % every == 0 {
                unavailable
            } else {
                Feedback::Clean
            };
            answer(&mut window, start + FAST * n, took, feedback, true);
        }
        window.limit()
    }

    #[test]
    fn scattered_plain_503s_leave_the_window_alone_but_crowded_or_slow_ones_halve_it() {
        let plain = Feedback::Unavailable;
        assert_eq!(
            after(400, 20, plain, FAST),
            32,
            "one in 20, fast: scattered"
        );
        assert!(after(40, 2, Feedback::Crowded, FAST) <= 8, "crowded");
        let slow = Duration::from_millis(500);
        assert_eq!(
            after(60, 20, plain, slow),
            16,
            "one in 20, with latency risen"
        );
    }
}
