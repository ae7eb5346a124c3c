//! `Allowance`: how many more requests the server's last `X-RateLimit-Remaining` lets us send,
//! counting those already on the wire as spent. Owns that count only; it must not learn the
//! rate or honour `Retry-After` (the `Pacer` does) nor count requests in flight (the run loop
//! does and passes the number in).

use std::time::{Duration, Instant};

use crate::api::RateLimitHint;

/// With nothing on the wire and nothing better known, one probe request per this long.
const BLIND_PROBE_EVERY: Duration = Duration::from_secs(1);

/// What the server's last reported allowance still covers.
#[derive(Debug)]
pub struct Allowance {
    /// Requests we may still start: the last `Remaining` minus the requests that were on the
    /// wire when it came (the server may not have counted them yet) and those sent since.
    /// `None` until an answer carries `Remaining`: then nothing is limited here.
    left: Option<f64>,
    /// Tokens per second the server at least refills at, by its own headers (see
    /// `RateLimitHint::refill_floor`).
    refill_floor: Option<f64>,
    updated_at: Instant,
}

impl Allowance {
    pub fn new(now: Instant) -> Self {
        Self {
            left: None,
            refill_floor: None,
            updated_at: now,
        }
    }

    /// An answer came, with `in_flight` other requests still on the wire.
    pub fn on_answer(&mut self, now: Instant, hint: Option<&RateLimitHint>, in_flight: usize) {
        // Time on the wire earns no idle refill, whatever the answer says.
        self.updated_at = now;
        let Some(hint) = hint else { return };
        let Some(remaining) = hint.remaining else {
            return;
        };
        self.left = Some(remaining as f64 - in_flight as f64);
        if let Some(floor) = hint.refill_floor() {
            self.refill_floor = Some(floor);
        }
    }

    /// Whether the allowance covers one more request now (`learned`: the pacer's rate).
    pub fn covers(&mut self, now: Instant, in_flight: usize, learned: Option<f64>) -> bool {
        self.refill(now, in_flight, learned);
        self.left.is_none_or(|left| left >= 1.0)
    }

    /// Counts a request sent.
    pub fn spend(&mut self) {
        if let Some(left) = &mut self.left {
            *left -= 1.0;
        }
    }

    /// When `covers` may next be true: `None` while it waits for an answer to say more.
    pub fn ready_at(
        &mut self,
        now: Instant,
        in_flight: usize,
        learned: Option<f64>,
    ) -> Option<Instant> {
        self.refill(now, in_flight, learned);
        match self.left {
            Some(left) if left < 1.0 => {
                if in_flight > 0 {
                    return None;
                }
                let rate = self.idle_rate(learned);
                let wait = Duration::from_secs_f64((1.0 - left) / rate);
                Some(now + wait.max(Duration::from_millis(1)))
            }
            _ => Some(now),
        }
    }

    /// With requests on the wire, only their answers raise the allowance. With none, the
    /// server's bucket refills unseen: one request may go once a token is due, at the
    /// slowest rate we can justify (the headers' floor, else the learned rate, else a blind
    /// probe a second), never more than one at a time; its answer then says the rest.
    fn refill(&mut self, now: Instant, in_flight: usize, learned: Option<f64>) {
        let elapsed = now.saturating_duration_since(self.updated_at).as_secs_f64();
        self.updated_at = now;
        let rate = self.idle_rate(learned);
        if in_flight == 0
            && let Some(left) = &mut self.left
            && *left < 1.0
        {
            *left = (*left + rate * elapsed).min(1.0);
        }
    }

    fn idle_rate(&self, learned: Option<f64>) -> f64 {
        self.refill_floor
            .or(learned)
            .unwrap_or(1.0 / BLIND_PROBE_EVERY.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remaining(remaining: u64) -> RateLimitHint {
        RateLimitHint {
            remaining: Some(remaining),
            ..RateLimitHint::default()
        }
    }

    fn take(
        allowance: &mut Allowance,
        now: Instant,
        in_flight: usize,
        learned: Option<f64>,
    ) -> bool {
        let covered = allowance.covers(now, in_flight, learned);
        if covered {
            allowance.spend();
        }
        covered
    }

    #[test]
    fn unlimited_until_the_server_reports_a_remaining() {
        let now = Instant::now();
        let mut allowance = Allowance::new(now);
        assert!((0..1000).all(|_| take(&mut allowance, now, 0, None)));
        allowance.on_answer(now, None, 0);
        assert!(take(&mut allowance, now, 0, None));
    }

    #[test]
    fn requests_on_the_wire_count_against_remaining() {
        let now = Instant::now();
        let mut allowance = Allowance::new(now);
        allowance.on_answer(now, Some(&remaining(5)), 3);
        assert!(take(&mut allowance, now, 3, None));
        assert!(take(&mut allowance, now, 4, None));
        assert!(!take(&mut allowance, now, 5, None));
        // Answers, not time, raise it while requests are on the wire.
        let later = now + Duration::from_secs(10);
        assert!(!take(&mut allowance, later, 5, Some(100.0)));
        assert_eq!(allowance.ready_at(later, 5, Some(100.0)), None);
        allowance.on_answer(later, Some(&remaining(6)), 4);
        assert!(take(&mut allowance, later, 4, None));
    }

    #[test]
    fn with_nothing_on_the_wire_one_probe_goes_when_a_token_is_due() {
        let now = Instant::now();
        let mut allowance = Allowance::new(now);
        let drained = RateLimitHint {
            limit: Some(10),
            remaining: Some(0),
            reset_in: Some(Duration::from_secs(1)),
            ..RateLimitHint::default()
        };
        allowance.on_answer(now, Some(&drained), 0);
        assert!(!take(&mut allowance, now, 0, Some(1000.0)));
        // The headers say 10 tokens a second at least: one is due within 100 ms.
        assert_eq!(
            allowance.ready_at(now, 0, Some(1000.0)),
            Some(now + Duration::from_millis(100))
        );
        let later = now + Duration::from_secs(5);
        assert!(take(&mut allowance, later, 0, None));
        assert!(!take(&mut allowance, later, 1, None), "one probe at a time");
    }
}
