//! `Allowance`: how many more requests the server's last `X-RateLimit-Remaining` lets us send,
//! counting those already on the wire as spent, and, once it is spent, when a lone probe may
//! go (at a `ProbePace` the probes themselves earn). Owns that count and that pace only; it
//! must not learn the rate or honour `Retry-After` (the `Pacer` does) nor count requests in
//! flight (the run loop does and passes the number in).

use std::time::{Duration, Instant};

use crate::api::RateLimitHint;

use super::feedback::Feedback;
use super::probe_pace::ProbePace;

/// With nothing on the wire and nothing better known, one probe request per this long.
const BLIND_PROBE_EVERY: Duration = Duration::from_secs(1);
/// A `Limit` under this is tiny: with the whole-second `Reset` servers send, the headers' floor
/// is then under this many requests a second however fast the server really refills, so only
/// the probes can tell the pace (see `ProbePace`); so with no `Limit` at all. From it up, the
/// floor is pace enough, and probing faster would only draw 429s from a server running at just
/// that rate.
const TINY_LIMIT: u64 = 10;

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
    /// Set when time alone (no answer) made room for one request, at this pace: the request
    /// that takes it is a probe.
    idle_credit: Option<f64>,
    probe_pace: ProbePace,
}

impl Allowance {
    pub fn new(now: Instant) -> Self {
        Self {
            left: None,
            refill_floor: None,
            updated_at: now,
            idle_credit: None,
            probe_pace: ProbePace::default(),
        }
    }

    /// An answer came, with `in_flight` other requests still on the wire.
    pub fn on_answer(
        &mut self,
        now: Instant,
        feedback: Feedback,
        hint: Option<&RateLimitHint>,
        in_flight: usize,
    ) {
        // Time on the wire earns no idle refill, whatever the answer says.
        self.updated_at = now;
        let remaining = hint.and_then(|hint| hint.remaining);
        let tiny_limit = hint.is_some_and(|hint| hint.limit.is_none_or(|limit| limit < TINY_LIMIT));
        match feedback {
            Feedback::Clean => self.probe_pace.admitted(remaining == Some(0) && tiny_limit),
            Feedback::Throttled | Feedback::Overloaded => self.probe_pace.refused(),
            Feedback::Unavailable | Feedback::Neutral => self.probe_pace.inconclusive(),
        }
        let (Some(hint), Some(remaining)) = (hint, remaining) else {
            return;
        };
        self.idle_credit = None;
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

    /// Lets `requests` more go from `now`, as if the server had said so (a window's quota
    /// learned by `WindowQuota`); once spent, a lone probe tests for more.
    pub fn grant(&mut self, now: Instant, requests: f64) {
        self.left = Some(requests);
        self.idle_credit = None;
        self.updated_at = now;
    }

    /// Counts a request sent.
    pub fn spend(&mut self) {
        if let Some(left) = &mut self.left {
            *left -= 1.0;
        }
        if let Some(pace) = self.idle_credit.take() {
            self.probe_pace.sent(pace);
        }
    }

    /// Whether the next request to go is a lone probe: the server's last `Remaining` is
    /// spent, and only waiting makes room.
    pub fn exhausted(&self) -> bool {
        self.idle_credit.is_some() || self.left.is_some_and(|left| left < 1.0)
    }

    /// The pace admitted probes went at (see `ProbePace::proven`).
    pub fn proven_pace(&self) -> Option<f64> {
        self.probe_pace.proven()
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
    /// server's bucket refills unseen: one request may go once a token is due, never more
    /// than one at a time; its answer then says the rest. The pace starts at the slowest
    /// rate we can justify (the headers' floor, else the learned rate, else a blind probe a
    /// second) and from there is what the probes earn (`ProbePace`).
    fn refill(&mut self, now: Instant, in_flight: usize, learned: Option<f64>) {
        let elapsed = now.saturating_duration_since(self.updated_at).as_secs_f64();
        self.updated_at = now;
        let rate = self.idle_rate(learned);
        if in_flight == 0
            && let Some(left) = &mut self.left
            && *left < 1.0
        {
            *left = (*left + rate * elapsed).min(1.0);
            if *left >= 1.0 {
                self.idle_credit = Some(rate);
            }
        }
    }

    fn idle_rate(&self, learned: Option<f64>) -> f64 {
        let start = self
            .refill_floor
            .or(learned)
            .unwrap_or(1.0 / BLIND_PROBE_EVERY.as_secs_f64());
        self.probe_pace.pace(start)
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
        allowance.on_answer(now, Feedback::Clean, None, 0);
        assert!(take(&mut allowance, now, 0, None));
    }

    #[test]
    fn requests_on_the_wire_count_against_remaining() {
        let now = Instant::now();
        let mut allowance = Allowance::new(now);
        allowance.on_answer(now, Feedback::Clean, Some(&remaining(5)), 3);
        assert!(take(&mut allowance, now, 3, None));
        assert!(take(&mut allowance, now, 4, None));
        assert!(!take(&mut allowance, now, 5, None));
        // Answers, not time, raise it while requests are on the wire.
        let later = now + Duration::from_secs(10);
        assert!(!take(&mut allowance, later, 5, Some(100.0)));
        assert_eq!(allowance.ready_at(later, 5, Some(100.0)), None);
        allowance.on_answer(later, Feedback::Clean, Some(&remaining(6)), 4);
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
        allowance.on_answer(now, Feedback::Clean, Some(&drained), 0);
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

    /// `Remaining: 0` of `limit` a window, resetting in a second.
    fn spent(limit: u64) -> RateLimitHint {
        RateLimitHint {
            limit: Some(limit),
            remaining: Some(0),
            reset_in: Some(Duration::from_secs(1)),
            ..RateLimitHint::default()
        }
    }

    /// Probes each admitted with `Remaining: 0` from a server whose headers say `limit` a
    /// window resetting in a second; returns how long each probe waited for its turn.
    fn waits_between_admitted_probes(limit: u64, probes: usize) -> Vec<Duration> {
        let mut now = Instant::now();
        let mut allowance = Allowance::new(now);
        let spent = spent(limit);
        allowance.on_answer(now, Feedback::Clean, Some(&spent), 0);
        let mut waits = Vec::new();
        for _ in 0..probes {
            let due = allowance
                .ready_at(now, 0, None)
                .expect("nothing on the wire");
            waits.push(due - now);
            now = due;
            assert!(take(&mut allowance, now, 0, None));
            allowance.on_answer(now, Feedback::Clean, Some(&spent), 0);
        }
        waits
    }

    #[test]
    fn a_tiny_limit_lets_admitted_probes_earn_a_faster_pace_and_a_limit_of_ten_does_not() {
        let ms = Duration::from_millis;
        // `Limit: 1, Reset: 1` justifies one a second; each admitted probe doubles the pace.
        assert_eq!(
            waits_between_admitted_probes(1, 4),
            [ms(1000), ms(500), ms(250), ms(125)]
        );
        // From a limit of 10 the headers' floor is the pace, as before.
        assert_eq!(waits_between_admitted_probes(10, 3), [ms(100); 3]);
    }

    #[test]
    fn a_refused_probe_falls_back_to_the_last_pace_admitted() {
        let now = Instant::now();
        let mut allowance = Allowance::new(now);
        let spent = spent(1);
        allowance.on_answer(now, Feedback::Clean, Some(&spent), 0);
        let mut at = now;
        for feedback in [Feedback::Clean, Feedback::Clean, Feedback::Throttled] {
            at += Duration::from_secs(1);
            assert!(take(&mut allowance, at, 0, None));
            allowance.on_answer(at, feedback, Some(&spent), 0);
        }
        // Admitted at 1/s and 2/s, refused at 4/s: the next probe goes at 2/s.
        assert_eq!(allowance.proven_pace(), Some(2.0));
        assert_eq!(
            allowance.ready_at(at, 0, None),
            Some(at + Duration::from_millis(500))
        );
    }
}
