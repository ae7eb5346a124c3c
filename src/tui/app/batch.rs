//! `BatchProgress`: the numbers behind the footer gauge (done/total, failures, rate, ETA,
//! pauses), folded from engine events. No rendering, no clock of its own.

use std::time::Duration;

use jiff::Timestamp;

use crate::engine::RateWait;
use crate::store::SizeTotal;

/// Why sending has stopped for now, with the wall time it should resume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paused {
    Unauthorized,
    RateLimited {
        until: Timestamp,
        waiting_for: RateWait,
    },
    /// The engine halted the batch (`engine::HaltCause`, in words); it tries again by itself
    /// at `retry_at`, if ever, and when the user presses `r`.
    Halted {
        cause: String,
        retry_at: Option<Timestamp>,
    },
    /// The user paused the batch (`pause`) at `since`; nothing new is sent.
    ByUser {
        since: Timestamp,
    },
}

/// Progress of everything queued since the engine was last idle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchProgress {
    pub total: usize,
    pub done: usize,
    /// Finished without the video gone.
    pub failures: usize,
    /// Of those, cancelled before any request for it went out (`Outcome::never_sent`).
    pub never_sent: usize,
    /// The sizes of the videos it deleted, as the last sync listed them.
    pub freed: SizeTotal,
    pub started_at: Timestamp,
    pub paused: Option<Paused>,
    /// Time spent paused by the user, which the rate does not count.
    paused_for: Duration,
}

impl BatchProgress {
    pub fn new(started_at: Timestamp) -> Self {
        Self {
            total: 0,
            done: 0,
            failures: 0,
            never_sent: 0,
            freed: SizeTotal::default(),
            started_at,
            paused: None,
            paused_for: Duration::ZERO,
        }
    }

    /// Sending stopped for `paused` at `now` (or, with `None`, goes on). A user's pause keeps
    /// the moment it began however often it is said, and its time is left out of the rate.
    pub fn set_paused(&mut self, paused: Option<Paused>, now: Timestamp) {
        let since = match &self.paused {
            Some(Paused::ByUser { since }) => Some(*since),
            _ => None,
        };
        self.paused = match (paused, since) {
            (Some(Paused::ByUser { .. }), Some(since)) => Some(Paused::ByUser { since }),
            (paused, since) => {
                if let Some(since) = since {
                    self.paused_for += elapsed(since, now);
                }
                paused
            }
        };
    }

    /// The user paused the batch (the `pause` key resumes it).
    pub fn paused_by_user(&self) -> bool {
        matches!(self.paused, Some(Paused::ByUser { .. }))
    }

    /// Time sending has run: since the start, less the user's pauses.
    fn running_for(&self, now: Timestamp) -> Duration {
        let pausing = match self.paused {
            Some(Paused::ByUser { since }) => elapsed(since, now),
            _ => Duration::ZERO,
        };
        elapsed(self.started_at, now).saturating_sub(self.paused_for + pausing)
    }

    /// Finished IDs per second since the batch started, the user's pauses left out.
    pub fn rate(&self, now: Timestamp) -> f64 {
        let secs = self.running_for(now).as_secs_f64();
        if secs < 0.5 {
            0.0
        } else {
            self.done as f64 / secs
        }
    }

    /// Time left at the current rate, a rate-limit pause's wait included; `None` until there
    /// is a rate to go by, while the batch waits for a key or is halted (it then waits on the
    /// user or on a server that may not come back, and no time can be promised), and while the
    /// user's pause stops the clock.
    pub fn eta(&self, now: Timestamp) -> Option<Duration> {
        let rate = self.rate(now);
        if rate <= 0.0 {
            return None;
        }
        let sending = Duration::from_secs_f64(self.total.saturating_sub(self.done) as f64 / rate);
        match self.paused {
            None => Some(sending),
            Some(Paused::RateLimited { until, .. }) => Some(remaining(now, until) + sending),
            Some(Paused::Unauthorized | Paused::Halted { .. } | Paused::ByUser { .. }) => None,
        }
    }

    /// Seconds left in a rate-limit pause, or until a halted batch tries again, rounded up.
    pub fn resume_in(&self, now: Timestamp) -> Option<u64> {
        match self.paused {
            Some(
                Paused::RateLimited { until, .. }
                | Paused::Halted {
                    retry_at: Some(until),
                    ..
                },
            ) => Some(remaining(now, until).as_secs_f64().ceil() as u64),
            _ => None,
        }
    }

    /// The engine halted the batch (the `r` key tries again).
    pub fn halted(&self) -> bool {
        matches!(self.paused, Some(Paused::Halted { .. }))
    }
}

/// Time from `from` to `to`, zero if `to` is earlier.
pub fn elapsed(from: Timestamp, to: Timestamp) -> Duration {
    Duration::try_from(to.duration_since(from)).unwrap_or(Duration::ZERO)
}

/// Time left until `deadline`, zero once passed.
pub fn remaining(now: Timestamp, deadline: Timestamp) -> Duration {
    elapsed(now, deadline)
}

/// `now + d`, saturating at the far end of time.
pub fn after(now: Timestamp, d: Duration) -> Timestamp {
    jiff::SignedDuration::try_from(d)
        .ok()
        .and_then(|d| now.checked_add(d).ok())
        .unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_eta_follow_done_over_elapsed() {
        let t0 = Timestamp::from_second(1_000).unwrap();
        let mut batch = BatchProgress::new(t0);
        batch.total = 30;
        assert_eq!(batch.eta(t0), None);
        batch.done = 10;
        let now = after(t0, Duration::from_secs(5));
        assert_eq!(batch.rate(now), 2.0);
        assert_eq!(batch.eta(now), Some(Duration::from_secs(10)));
        batch.paused = Some(Paused::RateLimited {
            until: after(now, Duration::from_millis(2_100)),
            waiting_for: RateWait::RetryAfter,
        });
        assert_eq!(batch.resume_in(now), Some(3));
    }

    #[test]
    fn the_eta_waits_out_a_rate_limit_and_promises_nothing_while_halted_or_without_a_key() {
        let t0 = Timestamp::from_second(1_000).unwrap();
        let mut batch = BatchProgress::new(t0);
        (batch.total, batch.done) = (30, 10);
        let now = after(t0, Duration::from_secs(5));
        batch.paused = Some(Paused::RateLimited {
            until: after(now, Duration::from_secs(20)),
            waiting_for: RateWait::Reset,
        });
        assert_eq!(
            batch.eta(now),
            Some(Duration::from_secs(30)),
            "20 s, then 10 s"
        );
        for paused in [
            Paused::Unauthorized,
            Paused::Halted {
                cause: "the server cannot be reached".into(),
                retry_at: Some(after(now, Duration::from_secs(388))),
            },
        ] {
            batch.paused = Some(paused);
            assert_eq!(batch.eta(now), None, "{:?}", batch.paused);
        }
    }

    #[test]
    fn the_users_pause_stops_the_eta_and_is_left_out_of_the_rate() {
        let t0 = Timestamp::from_second(1_000).unwrap();
        let at = |secs| after(t0, Duration::from_secs(secs));
        let mut batch = BatchProgress::new(t0);
        batch.total = 30;
        batch.done = 10;
        batch.set_paused(Some(Paused::ByUser { since: at(5) }), at(5));
        assert!(batch.paused_by_user());
        assert_eq!(batch.eta(at(20)), None, "the clock stops");
        // Said again when the requests on the wire land: it began when it began.
        batch.set_paused(Some(Paused::ByUser { since: at(9) }), at(9));
        assert_eq!(batch.rate(at(20)), 2.0);
        batch.set_paused(None, at(65));
        assert_eq!(
            batch.rate(at(65)),
            2.0,
            "an hour's pause is not an hour of sending"
        );
        assert_eq!(batch.eta(at(65)), Some(Duration::from_secs(10)));
    }
}
