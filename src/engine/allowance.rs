//! `Allowance`: how many more requests the server's last `X-RateLimit-Remaining` lets us send,
//! counting those already on the wire as spent, and, once it is spent, when a lone probe may
//! go: at a `ProbePace` the probes themselves earn, or, once a probe at the pace the headers
//! justify was refused (a fixed window gives nothing back until it turns), when the
//! `WindowClock` says the window turns. Owns that count and that timing only; it must not
//! learn the rate or honour `Retry-After` (the `Pacer` does) nor count requests in flight (the
//! run loop does and passes the number in).

use std::time::{Duration, Instant};

use crate::api::RateLimitHint;

use super::feedback::Feedback;
use super::probe_pace::ProbePace;
use super::window_clock::WindowClock;

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
    /// When the answer whose `Remaining` set `left` arrived, and that `Remaining`.
    counted: Option<(Instant, u64)>,
    /// Tokens per second the server at least refills at, by its own headers (see
    /// `RateLimitHint::refill_floor`).
    refill_floor: Option<f64>,
    updated_at: Instant,
    /// Set when time alone (no answer) made room for one request, at this pace: the request
    /// that takes it is a probe.
    idle_credit: Option<f64>,
    /// The idle credit came at the headers' floor, not at a pace probes earned...
    credit_at_floor: bool,
    /// ...and the probe on the wire took it.
    floor_probe_on_wire: bool,
    probe_pace: ProbePace,
    clock: WindowClock,
}

impl Allowance {
    pub fn new(now: Instant) -> Self {
        Self {
            left: None,
            counted: None,
            refill_floor: None,
            updated_at: now,
            idle_credit: None,
            credit_at_floor: false,
            floor_probe_on_wire: false,
            probe_pace: ProbePace::default(),
            clock: WindowClock::new(now),
        }
    }

    /// An answer came at `now` to a request sent at `sent_at`, with `in_flight` other
    /// requests still on the wire.
    pub fn on_answer(
        &mut self,
        sent_at: Instant,
        now: Instant,
        feedback: Feedback,
        hint: Option<&RateLimitHint>,
        in_flight: usize,
    ) {
        // Time on the wire earns no idle refill, whatever the answer says.
        self.updated_at = now;
        let remaining = hint.and_then(|hint| hint.remaining);
        let tiny_limit = hint.is_some_and(|hint| hint.limit.is_none_or(|limit| limit < TINY_LIMIT));
        let floor_probe = std::mem::take(&mut self.floor_probe_on_wire);
        match feedback {
            Feedback::Clean => self.probe_pace.admitted(remaining == Some(0) && tiny_limit),
            Feedback::Throttled | Feedback::Overloaded | Feedback::Crowded | Feedback::Refusing => {
                self.probe_pace.refused();
            }
            Feedback::Unavailable | Feedback::Neutral => self.probe_pace.inconclusive(),
        }
        if let Some(hint) = hint.filter(|hint| hint.has_rate_headers()) {
            match feedback {
                Feedback::Clean => self.clock.on_answer(sent_at, now, true, hint),
                Feedback::Throttled => {
                    // Refused at the pace an even refill would have allowed: nothing comes
                    // back until the window turns.
                    if floor_probe && self.refill_floor.is_some() {
                        self.clock.prove();
                    }
                    self.clock.on_answer(sent_at, now, false, hint);
                }
                _ => {}
            }
        }
        let (Some(hint), Some(remaining)) = (hint, remaining) else {
            return;
        };
        self.idle_credit = None;
        // Answers overtake each other. One to a request that was on the wire when the count
        // in force came, saying more remains than that count, was decided before it: the
        // count already took it in, though it was subtracted as on the wire. Any other is
        // the server's latest word.
        let earlier = self
            .counted
            .is_some_and(|(counted_at, counted)| sent_at < counted_at && remaining >= counted);
        match &mut self.left {
            Some(left) if earlier => *left += 1.0,
            _ => {
                self.left = Some(remaining as f64 - in_flight as f64);
                self.counted = Some((now, remaining));
            }
        }
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
        self.counted = None;
        self.idle_credit = None;
        self.updated_at = now;
    }

    /// Sending starts again after the user's pause: its time earns no idle refill.
    pub fn rebase(&mut self, now: Instant) {
        self.updated_at = now;
    }

    /// Counts a request sent.
    pub fn spend(&mut self) {
        if let Some(left) = &mut self.left {
            *left -= 1.0;
        }
        if let Some(pace) = self.idle_credit.take() {
            self.probe_pace.sent(pace);
            self.floor_probe_on_wire = std::mem::take(&mut self.credit_at_floor);
        }
    }

    /// Whether the server has shown a fixed window (see `WindowClock`): its refusals then
    /// only say the window is closed, and the clock holds requests until it turns.
    pub fn window_proven(&self) -> bool {
        self.clock.proven()
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
                if let Some(opens) = self.clock.opens_at() {
                    return Some(opens.max(now + Duration::from_millis(1)));
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
    /// A proven fixed window makes room only when the `WindowClock` says it turns.
    fn refill(&mut self, now: Instant, in_flight: usize, learned: Option<f64>) {
        let elapsed = now.saturating_duration_since(self.updated_at).as_secs_f64();
        self.updated_at = now;
        let rate = self.idle_rate(learned);
        let turned = self.clock.opens_at().map(|opens| opens <= now);
        if in_flight == 0
            && let Some(left) = &mut self.left
            && *left < 1.0
        {
            *left = match turned {
                Some(true) => 1.0,
                Some(false) => *left,
                None => (*left + rate * elapsed).min(1.0),
            };
            if *left >= 1.0 {
                self.idle_credit = Some(rate);
                self.credit_at_floor =
                    turned.is_none() && (self.refill_floor).is_some_and(|floor| rate <= floor);
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
        allowance.on_answer(now, now, Feedback::Clean, None, 0);
        assert!(take(&mut allowance, now, 0, None));
    }

    #[test]
    fn requests_on_the_wire_count_against_remaining() {
        let now = Instant::now();
        let mut allowance = Allowance::new(now);
        allowance.on_answer(now, now, Feedback::Clean, Some(&remaining(5)), 3);
        assert!(take(&mut allowance, now, 3, None));
        assert!(take(&mut allowance, now, 4, None));
        assert!(!take(&mut allowance, now, 5, None));
        // Answers, not time, raise it while requests are on the wire.
        let later = now + Duration::from_secs(10);
        assert!(!take(&mut allowance, later, 5, Some(100.0)));
        assert_eq!(allowance.ready_at(later, 5, Some(100.0)), None);
        allowance.on_answer(later, later, Feedback::Clean, Some(&remaining(6)), 4);
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
        allowance.on_answer(now, now, Feedback::Clean, Some(&drained), 0);
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
        allowance.on_answer(now, now, Feedback::Clean, Some(&spent), 0);
        let mut waits = Vec::new();
        for _ in 0..probes {
            let due = allowance
                .ready_at(now, 0, None)
                .expect("nothing on the wire");
            waits.push(due - now);
            now = due;
            assert!(take(&mut allowance, now, 0, None));
            allowance.on_answer(now, now, Feedback::Clean, Some(&spent), 0);
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
        allowance.on_answer(now, now, Feedback::Clean, Some(&spent), 0);
        let mut at = now;
        for feedback in [Feedback::Clean, Feedback::Clean, Feedback::Throttled] {
            at += Duration::from_secs(1);
            assert!(take(&mut allowance, at, 0, None));
            allowance.on_answer(at, at, feedback, Some(&spent), 0);
        }
        // Admitted at 1/s and 2/s, refused at 4/s: the next probe goes at 2/s.
        assert_eq!(allowance.proven_pace(), Some(2.0));
        assert_eq!(
            allowance.ready_at(at, 0, None),
            Some(at + Duration::from_millis(500))
        );
    }
}
