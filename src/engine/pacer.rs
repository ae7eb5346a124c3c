//! `Pacer`: the shared token bucket every request takes a token from. It learns the server's
//! allowed rate from 429s and honours the server's explicit waits (`Retry-After`, an
//! exhausted `X-RateLimit-Remaining` until `X-RateLimit-Reset`). It must not send, sleep or
//! decide outcomes; the run loop asks it "may I send now?" and "when next?".

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::api::RateLimitHint;

use super::feedback::Feedback;

/// The admitted rate is measured over this trailing window.
const MEASURE_WINDOW: Duration = Duration::from_secs(1);
/// Never pace slower than this (3/minute); a slower server says so with `Retry-After`.
const MIN_RATE: f64 = 0.05;
/// On a 429, never keep more than this share of the rate...
const GENTLE_CUT: f64 = 0.9;
/// ...and never cut below this share, unless the measured admitted rate says lower.
const HARD_CUT: f64 = 0.5;
/// Aim this far under the rate the server was seen to admit.
const UNDER_MEASURED: f64 = 0.95;
/// Seconds of bucket-bound sending for the rate to climb back to the level it was cut at
/// (the plateau of the cubic probe, as in TCP CUBIC).
const PLATEAU: f64 = 3.0;
/// The cubic's steepness, so that it starts `1 - GENTLE_CUT` below the plateau.
const CUBIC: f64 = (1.0 - GENTLE_CUT) / (PLATEAU * PLATEAU * PLATEAU);
/// The bucket holds at most this much time's worth of tokens (and at least one token).
const BURST: Duration = Duration::from_millis(100);

/// The bucket and what it has learned. One per engine, owned by the run loop.
#[derive(Debug)]
pub struct Pacer {
    /// Requests per second we believe the server admits; `None` until it first pushes back,
    /// so an unlimited server is only bounded by the concurrency window.
    rate: Option<f64>,
    tokens: f64,
    refilled_at: Instant,
    /// The server said: nothing before this instant.
    gate: Option<Instant>,
    /// When the rate was last cut; 429s for requests sent before it were already answered for.
    last_cut: Option<Instant>,
    /// The rate we believe the server's limit is near (set at each cut).
    ceiling: f64,
    /// Seconds spent waiting on the bucket since the last cut: the probe's clock. It only runs
    /// while the bucket is the bottleneck, so an idle engine does not inflate its rate.
    probe_clock: f64,
    /// The last `try_take` found the bucket empty.
    starved: bool,
    first_send: Option<Instant>,
    sends: VecDeque<Instant>,
    admitted: VecDeque<Instant>,
}

impl Pacer {
    pub fn new(now: Instant) -> Self {
        Self {
            rate: None,
            tokens: 1.0,
            refilled_at: now,
            gate: None,
            last_cut: None,
            ceiling: 0.0,
            probe_clock: 0.0,
            starved: false,
            first_send: None,
            sends: VecDeque::new(),
            admitted: VecDeque::new(),
        }
    }

    /// The learned rate (tests check what it converged to).
    #[cfg(test)]
    pub fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// The instant the server asked us to wait for, if it is still ahead.
    pub fn gate(&self, now: Instant) -> Option<Instant> {
        self.gate.filter(|gate| *gate > now)
    }

    /// Takes a token if a request may go out now.
    pub fn try_take(&mut self, now: Instant) -> bool {
        if self.gate(now).is_some() {
            return false;
        }
        self.refill(now);
        if self.rate.is_some() {
            if self.tokens < 1.0 {
                self.starved = true;
                return false;
            }
            self.tokens -= 1.0;
            self.starved = false;
        }
        self.first_send.get_or_insert(now);
        push_recent(&mut self.sends, now);
        true
    }

    /// When `try_take` may next succeed.
    pub fn ready_at(&mut self, now: Instant) -> Instant {
        if let Some(gate) = self.gate(now) {
            return gate;
        }
        self.refill(now);
        match self.rate {
            Some(rate) if self.tokens < 1.0 => {
                let deficit = Duration::from_secs_f64((1.0 - self.tokens) / rate);
                now + deficit.max(Duration::from_millis(1))
            }
            _ => now,
        }
    }

    /// Learns from one answer to a request that left at `sent_at`.
    pub fn on_answer(
        &mut self,
        sent_at: Instant,
        now: Instant,
        feedback: Feedback,
        hint: Option<&RateLimitHint>,
    ) {
        if let Some(wait) = hint.and_then(RateLimitHint::hold_off) {
            self.gate = self.gate.max(Some(now + wait));
        }
        let after_last_cut = self.last_cut.is_none_or(|cut| sent_at >= cut);
        match feedback {
            Feedback::Throttled if after_last_cut => self.cut(now),
            Feedback::Clean => push_recent(&mut self.admitted, now),
            _ => {}
        }
    }

    /// Multiplicative decrease, steered by what the server was seen to admit: far above the
    /// admitted rate it halves (fast convergence from "unlimited"); near it, it trims 10%.
    fn cut(&mut self, now: Instant) {
        let current = self
            .rate
            .unwrap_or_else(|| self.recent_rate(&self.sends, now));
        let measured = self.recent_rate(&self.admitted, now);
        let target = (current * HARD_CUT).max(measured * UNDER_MEASURED);
        let rate = target.min(current * GENTLE_CUT).max(MIN_RATE);
        self.rate = Some(rate);
        self.ceiling = rate / GENTLE_CUT;
        self.probe_clock = 0.0;
        self.tokens = 0.0;
        self.refilled_at = now;
        self.last_cut = Some(now);
    }

    /// Refills the bucket and, while it is the bottleneck, probes upward along a cubic: fast
    /// back towards the ceiling, flat around it (where 429s are likely), then ever faster
    /// beyond it (the limit may have risen, or the cut overshot).
    fn refill(&mut self, now: Instant) {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        if self.rate.is_some() && self.starved {
            self.probe_clock += elapsed;
            let t = self.probe_clock - PLATEAU;
            self.rate = Some((self.ceiling * (1.0 + CUBIC * t * t * t)).max(MIN_RATE));
        }
        if let Some(rate) = self.rate {
            let capacity = (rate * BURST.as_secs_f64()).max(1.0);
            self.tokens = (self.tokens + rate * elapsed).min(capacity);
        }
        self.refilled_at = now;
    }

    /// Events per second over the trailing window (or since the first send, if shorter).
    fn recent_rate(&self, events: &VecDeque<Instant>, now: Instant) -> f64 {
        let since_start = self
            .first_send
            .map_or(MEASURE_WINDOW, |first| now.saturating_duration_since(first));
        let span = since_start.clamp(Duration::from_millis(50), MEASURE_WINDOW);
        let cutoff = now.checked_sub(span);
        let count = events
            .iter()
            .filter(|at| cutoff.is_none_or(|cutoff| **at >= cutoff))
            .count();
        count as f64 / span.as_secs_f64()
    }
}

/// Appends `now`, dropping entries older than the measuring window.
fn push_recent(events: &mut VecDeque<Instant>, now: Instant) {
    events.push_back(now);
    while events
        .front()
        .is_some_and(|at| now.saturating_duration_since(*at) > MEASURE_WINDOW)
    {
        events.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token-bucket server admitting `limit`/s (burst 10), 5 ms away, driven by a pacer
    /// that always has work and at most 4 requests in flight: returns (admitted, throttled)
    /// over `seconds` of virtual time.
    fn simulate(pacer: &mut Pacer, start: Instant, limit: f64, seconds: u64) -> (u32, u32) {
        let (mut admitted, mut throttled) = (0, 0);
        let mut server_tokens = 10.0;
        let latency = Duration::from_millis(5);
        let mut in_flight: VecDeque<(Instant, Instant, Feedback)> = VecDeque::new();
        let mut now = start;
        while now < start + Duration::from_secs(seconds) {
            server_tokens = f64::min(server_tokens + limit * 0.001, 10.0);
            while in_flight.front().is_some_and(|(_, due, _)| *due <= now) {
                if let Some((sent_at, due, feedback)) = in_flight.pop_front() {
                    pacer.on_answer(sent_at, due, feedback, None);
                }
            }
            while in_flight.len() < 4 && pacer.try_take(now) {
                let feedback = if server_tokens >= 1.0 {
                    server_tokens -= 1.0;
                    admitted += 1;
                    Feedback::Clean
                } else {
                    throttled += 1;
                    Feedback::Throttled
                };
                in_flight.push_back((now, now + latency, feedback));
            }
            now += Duration::from_millis(1);
        }
        (admitted, throttled)
    }

    #[test]
    fn settles_near_the_server_limit_with_few_429s() {
        for limit in [20.0, 100.0, 400.0] {
            let start = Instant::now();
            let mut pacer = Pacer::new(start);
            let (_, warmup_throttled) = simulate(&mut pacer, start, limit, 5);
            let later = start + Duration::from_secs(5);
            let (admitted, throttled) = simulate(&mut pacer, later, limit, 20);
            let rate = pacer.rate().unwrap_or(0.0);
            assert!(
                rate >= 0.7 * limit && rate <= 1.3 * limit,
                "limit {limit}: learned rate {rate}"
            );
            assert!(
                f64::from(admitted) >= 0.85 * 20.0 * limit,
                "admitted {admitted}"
            );
            assert!(throttled <= 20, "{throttled} 429s in steady state");
            assert!(
                warmup_throttled <= 40,
                "{warmup_throttled} 429s while learning"
            );
        }
    }

    #[test]
    fn retry_after_closes_the_gate() {
        let now = Instant::now();
        let mut pacer = Pacer::new(now);
        assert!(pacer.try_take(now));
        let hint = RateLimitHint {
            retry_after: Some(Duration::from_secs(2)),
            ..RateLimitHint::default()
        };
        pacer.on_answer(now, now, Feedback::Throttled, Some(&hint));
        assert!(!pacer.try_take(now + Duration::from_secs(1)));
        assert_eq!(pacer.ready_at(now), now + Duration::from_secs(2));
        assert!(pacer.try_take(now + Duration::from_secs(3)));
    }

    #[test]
    fn unlimited_until_pushed_back() {
        let now = Instant::now();
        let mut pacer = Pacer::new(now);
        assert!((0..1000).all(|_| pacer.try_take(now)));
        assert_eq!(pacer.rate(), None);
    }
}
