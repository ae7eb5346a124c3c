//! `Pacer`: whether a request may go out now, from what the server says about its limit. Three
//! checks, all of which must pass: the server's own allowance (never more requests on the wire
//! than its last `X-RateLimit-Remaining` covers; see `Allowance`); a token bucket at a learned
//! rate (unlimited until the first 429, then a bit under the rate the headers imply or the
//! server admitted, probing back up along a cubic; only a 429 cuts it, and an answer showing
//! the server's whole allowance unspent raises it), which a lone probe into a spent allowance
//! skips, paced by the allowance alone; and the server's waits (a
//! 429's `Retry-After`, or an exhausted window's `Reset`, gates every request, unless it is
//! only whole-second rounding: see `rounded_up_retry_after`; without rate headers the wait is
//! tested before it is believed: see `WaitGate`). It must not send, sleep or decide outcomes;
//! the run loop asks it "may I send now?" and "when next?".

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::api::RateLimitHint;

use super::allowance::Allowance;
use super::feedback::Feedback;
use super::protocol::RateWait;
use super::rate_cap::Rate;
use super::wait_gate::{Admission, WaitGate};
use super::window_quota::WindowQuota;

/// The admitted rate is measured over this trailing window.
const MEASURE_WINDOW: Duration = Duration::from_secs(1);
/// ...and over no less than this.
const SHORTEST_MEASURE: Duration = Duration::from_millis(100);
/// A rate the server shows to be too low grows by this factor...
const RAISE: f64 = 1.25;
/// ...at most this often.
const RAISE_EVERY: Duration = Duration::from_millis(100);
/// Never pace slower than this (3/minute); a slower server says so with `Retry-After`.
const MIN_RATE: f64 = 0.05;
/// After a 429, restart at this share of the believed limit...
const GENTLE_CUT: f64 = 0.9;
/// ...which is never believed to be under this share of the rate that drew the 429.
const HARD_CUT: f64 = 0.5;
/// Seconds of bucket-bound sending for the rate to climb back to the level it was cut at
/// (the plateau of the cubic probe, as in TCP CUBIC).
const PLATEAU: f64 = 3.0;
/// The cubic's steepness, so that it starts `1 - GENTLE_CUT` below the plateau.
const CUBIC: f64 = (1.0 - GENTLE_CUT) / (PLATEAU * PLATEAU * PLATEAU);
/// The bucket holds at most this much time's worth of tokens (and at least one token).
const BURST: Duration = Duration::from_millis(100);
/// Where no rate is known yet, the first probe of a wait without rate headers goes after this.
const BLIND_FIRST_PROBE: Duration = Duration::from_millis(100);
/// A 429's `Retry-After` of at most this is whole-second rounding when the headers show tokens
/// coming back faster (see `rounded_up_retry_after`).
const ROUNDED_WAIT: Duration = Duration::from_secs(1);

/// The bucket and what it has learned. One per engine, owned by the run loop.
#[derive(Debug)]
pub struct Pacer {
    /// Requests per second we believe the server admits; `None` until it first pushes back,
    /// so an unlimited server is only bounded by the concurrency window.
    rate: Option<f64>,
    tokens: f64,
    refilled_at: Instant,
    /// The server said: nothing before then.
    wait: WaitGate,
    /// When the rate was last cut; 429s for requests sent before it were already answered for.
    last_cut: Option<Instant>,
    /// The rate we believe the server's limit is near (set at each cut).
    ceiling: f64,
    /// Seconds spent waiting on the bucket since the last cut: the probe's clock. It only runs
    /// while the bucket is the bottleneck, so an idle engine does not inflate its rate.
    probe_clock: f64,
    /// The last `try_take` found the bucket empty.
    starved: bool,
    /// When the server last showed spare allowance and the rate was raised for it.
    raised_at: Option<Instant>,
    first_send: Option<Instant>,
    sends: VecDeque<Instant>,
    admitted: VecDeque<Instant>,
    /// What the server's last `X-RateLimit-Remaining` still lets us send.
    allowance: Allowance,
    /// A fixed window's quota, where the server sends no rate headers.
    quota: WindowQuota,
}

impl Pacer {
    pub fn new(now: Instant) -> Self {
        Self {
            rate: None,
            tokens: 1.0,
            refilled_at: now,
            wait: WaitGate::default(),
            last_cut: None,
            ceiling: 0.0,
            probe_clock: 0.0,
            starved: false,
            raised_at: None,
            first_send: None,
            sends: VecDeque::new(),
            admitted: VecDeque::new(),
            allowance: Allowance::new(now),
            quota: WindowQuota::default(),
        }
    }

    /// The learned rate, if the server ever pushed back.
    pub fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// Starts from a rate an earlier batch learned: at the top of the probe, as after a raise,
    /// so it keeps testing upward gently.
    pub fn seed(&mut self, rate: Rate) {
        let rate = rate.per_second().max(MIN_RATE);
        self.rate = Some(rate);
        self.ceiling = rate;
        self.probe_clock = PLATEAU;
    }

    /// Until when nothing may go, if that is ahead, and why: the server's `Retry-After` (a
    /// gate for every request), or, with nothing on the wire, an allowance spent until its
    /// reset (or until a lone probe is due).
    pub fn held_until(&mut self, now: Instant, in_flight: usize) -> Option<(Instant, RateWait)> {
        let gate = (self.wait.pause_until(now)).map(|at| (at, RateWait::RetryAfter));
        let spent = (in_flight == 0)
            .then(|| self.allowance.ready_at(now, 0, self.rate))
            .flatten()
            .filter(|at| *at > now)
            .map(|at| (at, RateWait::Reset));
        gate.into_iter().chain(spent).max_by_key(|(at, _)| *at)
    }

    /// Sending starts again after the user's pause: the time away taught nothing (the
    /// bucket did not go unused for want of a token, and no answer came to count).
    pub fn rebase(&mut self, now: Instant) {
        self.refilled_at = now;
        self.starved = false;
        self.allowance.rebase(now);
    }

    /// Forgets the learned rate: what a server refusing everything taught (nothing admitted,
    /// cut after cut) says nothing of its pace once it answers again. The concurrency window,
    /// cut as much, restarts it gently.
    pub fn forget_rate(&mut self) {
        self.rate = None;
    }

    /// Whether a refused request needs no wait of its own: the server has shown a fixed
    /// window, and the pacer holds every request until it turns, the refused one with them.
    pub fn holds_refused(&self) -> bool {
        self.allowance.window_proven()
    }

    /// Takes a token if a request may go out now, with `in_flight` requests on the wire.
    pub fn try_take(&mut self, now: Instant, in_flight: usize) -> bool {
        match self.wait.admit(now) {
            Admission::Open => {
                if let Some(quota) = self.quota.take_grant() {
                    self.allowance.grant(now, quota as f64 - in_flight as f64);
                }
            }
            Admission::Closed => {
                // The server is refusing: no tokens are saved up for a burst once it admits.
                self.refilled_at = now;
                return false;
            }
            Admission::Probe => {
                self.wait.sent_probe(now);
                self.allowance.spend();
                self.sent(now);
                return true;
            }
        }
        if !self.allowance.covers(now, in_flight, self.rate) {
            // The server's allowance, not our bucket, is what holds us: no probing upward.
            self.starved = false;
            return false;
        }
        // A lone probe into a spent allowance goes at the allowance's pace alone: its answer
        // is the server's own word, fresher than a rate learned before the allowance ran out.
        let probe = self.allowance.exhausted();
        self.refill(now);
        if probe {
            self.starved = false;
        } else if self.rate.is_some() {
            if self.tokens < 1.0 {
                self.starved = true;
                return false;
            }
            self.tokens -= 1.0;
            self.starved = false;
        }
        self.allowance.spend();
        self.sent(now);
        true
    }

    fn sent(&mut self, now: Instant) {
        self.first_send.get_or_insert(now);
        push_recent(&mut self.sends, now);
    }

    /// When `try_take` may next succeed; `None` when only an answer can tell.
    pub fn ready_at(&mut self, now: Instant, in_flight: usize) -> Option<Instant> {
        if let Some(opens) = self.wait.opens_at(now) {
            return Some(opens);
        }
        let allowed_at = self.allowance.ready_at(now, in_flight, self.rate)?;
        self.refill(now);
        let bucket_at = match self.rate {
            _ if self.allowance.exhausted() => now,
            Some(rate) if self.tokens < 1.0 => {
                let deficit = Duration::from_secs_f64((1.0 - self.tokens) / rate);
                now + deficit.max(Duration::from_millis(1))
            }
            _ => now,
        };
        Some(allowed_at.max(bucket_at))
    }

    /// Learns from one answer to a request that left at `sent_at`, with `in_flight` other
    /// requests still on the wire.
    pub fn on_answer(
        &mut self,
        sent_at: Instant,
        now: Instant,
        feedback: Feedback,
        hint: Option<&RateLimitHint>,
        in_flight: usize,
    ) {
        let probe = self.wait.on_answer(sent_at, now, feedback);
        let window_known = self.allowance.window_proven();
        self.allowance
            .on_answer(sent_at, now, feedback, hint, in_flight);
        // A fixed window: what its headers say paces it, and a rate learned before it was
        // known (from its windows closing) would only hold back the burst each window allows.
        let window = self.allowance.window_proven();
        if window && !window_known {
            self.rate = None;
        }
        if feedback == Feedback::Clean {
            push_recent(&mut self.admitted, now);
            self.quota.admitted();
        }
        // Only a 429 (or a crowd of 503s) cuts the rate. An allowance running out is no warning to
        // heed here: the `Allowance` already holds requests back, and a rate guessed from the few
        // answers before a burst runs out is far too low (it halved a run sharing its key). Nor
        // does a refused probe of a wait: it says the wait holds, not that the pace was too fast.
        // Nor a 429 from a server whose waits proved meant or whose window is known (a fixed
        // window): the wait paces it, and the next window's quota is best spent at once.
        let bare = hint.is_some_and(|hint| !hint.has_rate_headers());
        let meant = (self.wait.waits_are_meant() && bare) || window;
        let after_last_cut = self.last_cut.is_none_or(|cut| sent_at >= cut);
        let refused = match feedback {
            Feedback::Throttled => !meant,
            // Refused load, as a 429 refuses it, naming no wait.
            Feedback::Refusing => true,
            _ => false,
        };
        if refused && after_last_cut && !probe {
            self.cut(now, hint.and_then(RateLimitHint::refill_rate));
        }
        if feedback == Feedback::Clean
            && self.starved
            && hint.is_some_and(RateLimitHint::allowance_whole)
        {
            self.raise(now);
        }
        // A 429 stops everything for as long as the server says, unless that is only
        // whole-second rounding (the refused request still waits it out: the retry policy
        // sees to that), or a fixed window's (its clock knows better when it turns), or, with
        // no rate headers, until the server shows it admits again; any other answer only
        // through an explicit `Retry-After` (a 503 may carry one).
        match feedback {
            Feedback::Throttled if window && !bare => {}
            Feedback::Throttled => {
                let wait = hint
                    .and_then(RateLimitHint::hold_off)
                    .filter(|_| !hint.is_some_and(|hint| self.rounded_up_retry_after(hint)));
                match wait {
                    Some(wait) if bare => {
                        if self.wait.opens_at(now).is_none() {
                            self.quota.closed(self.wait.waits_are_meant());
                        }
                        let first_probe = self.rate.map_or(BLIND_FIRST_PROBE, |rate| {
                            Duration::from_secs_f64(1.0 / rate.max(MIN_RATE))
                        });
                        self.wait.close_unproven(sent_at, now, wait, first_probe);
                    }
                    Some(wait) => self.wait.close(now, wait),
                    None => {}
                }
            }
            _ => {
                if let Some(wait) = hint.and_then(|hint| hint.retry_after) {
                    self.wait.close(now, wait);
                }
            }
        }
    }

    /// Whether a 429's `Retry-After` is HTTP's whole-second rounding rather than the server's
    /// real wait: it is at most `ROUNDED_WAIT` and the same answer's `Limit/Remaining/Reset`,
    /// or the pace lone probes were admitted at, show at least two tokens back within it.
    /// Sending then goes on, held by the `Allowance` (this answer's `Remaining` is 0, so only
    /// later answers or a lone probe open it) and by the rate this 429 cuts. A long wait (a
    /// per-minute window answering `Retry-After: 40`), no sign of the refill, or no
    /// `Retry-After` at all (the wait is then the window's `Reset`) keep the gate for every
    /// request.
    fn rounded_up_retry_after(&self, hint: &RateLimitHint) -> bool {
        let refill = (hint.refill_floor().into_iter())
            .chain(self.allowance.proven_pace())
            .reduce(f64::max);
        hint.retry_after.is_some_and(|wait| {
            wait <= ROUNDED_WAIT && refill.is_some_and(|refill| refill * wait.as_secs_f64() >= 2.0)
        })
    }

    /// Multiplicative decrease. The limit is believed to be the rate the headers imply, or
    /// else the admitted rate: at most what we were sending and, once a rate is known, at
    /// least half of it (so one noisy measurement cannot collapse it). We restart a bit under.
    fn cut(&mut self, now: Instant, hinted: Option<f64>) {
        let current = self
            .rate
            .unwrap_or_else(|| self.recent_rate(&self.sends, now));
        let measured = self.recent_rate(&self.admitted, now);
        let ceiling = match (hinted, self.rate) {
            (Some(hinted), _) => hinted.min(current),
            // The first push-back: nothing better known than what the server just admitted.
            (None, None) if measured > 0.0 => measured.min(current),
            (None, _) => measured.clamp(current * HARD_CUT, current),
        }
        .max(MIN_RATE);
        self.rate = Some((ceiling * GENTLE_CUT).max(MIN_RATE));
        self.ceiling = ceiling;
        self.probe_clock = 0.0;
        self.tokens = 0.0;
        self.refilled_at = now;
        self.last_cut = Some(now);
    }

    /// The server shows its allowance whole while our bucket holds requests back: the
    /// learned rate is under what it admits (a key's other user stopped, or the cut
    /// overshot). A quarter more, at most once per `RAISE_EVERY`, from the top of the probe.
    fn raise(&mut self, now: Instant) {
        let Some(rate) = self.rate else { return };
        if self
            .raised_at
            .is_some_and(|at| now.saturating_duration_since(at) < RAISE_EVERY)
        {
            return;
        }
        self.raised_at = Some(now);
        self.ceiling = rate * RAISE;
        self.rate = Some(self.ceiling);
        self.probe_clock = PLATEAU;
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

    /// Events per second over the trailing window, or since the last cut (or the first send)
    /// if that is shorter: what came before a cut was already answered for, and a burst the
    /// server allowed at the start says nothing about its rate once the burst is spent.
    fn recent_rate(&self, events: &VecDeque<Instant>, now: Instant) -> f64 {
        let since = self
            .last_cut
            .max(self.first_send)
            .map_or(MEASURE_WINDOW, |since| now.saturating_duration_since(since));
        let span = since.clamp(SHORTEST_MEASURE, MEASURE_WINDOW);
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
                    pacer.on_answer(sent_at, due, feedback, None, in_flight.len());
                }
            }
            while in_flight.len() < 4 && pacer.try_take(now, 0) {
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
    fn a_503s_retry_after_closes_the_gate_for_everything() {
        let now = Instant::now();
        let mut pacer = Pacer::new(now);
        assert!(pacer.try_take(now, 0));
        let hint = RateLimitHint {
            retry_after: Some(Duration::from_secs(2)),
            ..RateLimitHint::default()
        };
        pacer.on_answer(now, now, Feedback::Overloaded, Some(&hint), 0);
        assert!(!pacer.try_take(now + Duration::from_secs(1), 0));
        assert_eq!(pacer.ready_at(now, 0), Some(now + Duration::from_secs(2)));
        assert!(pacer.try_take(now + Duration::from_secs(3), 0));
    }

    #[test]
    fn a_429_with_only_retry_after_holds_everything_until_one_probe_is_admitted() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        assert!((0..10).all(|_| pacer.try_take(start, 0)));
        let hint = RateLimitHint {
            retry_after: Some(Duration::from_secs(2)),
            ..RateLimitHint::default()
        };
        let refused = start + Duration::from_millis(20);
        pacer.on_answer(start, refused, Feedback::Throttled, Some(&hint), 9);
        let rate = pacer.rate().expect("the 429 cut a rate");
        assert!(!pacer.try_take(refused, 9));
        // One probe, a token's time at the cut rate later, not two seconds.
        let probe_at = pacer.ready_at(refused, 9).expect("a probe is due");
        assert!(
            probe_at - refused <= Duration::from_secs_f64(1.0 / rate) + Duration::from_millis(1)
        );
        assert!(pacer.try_take(probe_at, 9));
        assert!(!pacer.try_take(probe_at, 10), "one probe at a time");
        let admitted = probe_at + Duration::from_millis(20);
        pacer.on_answer(
            probe_at,
            admitted,
            Feedback::Clean,
            Some(&RateLimitHint::default()),
            9,
        );
        assert_eq!(pacer.wait.pause_until(admitted), None);
        assert_eq!(pacer.rate(), Some(rate), "the probe's answer cut nothing");
    }

    /// A 429 at `at` for a request sent then, with these headers.
    fn throttled(pacer: &mut Pacer, at: Instant, retry_after: u64, limit: u64, reset: u64) {
        let hint = RateLimitHint {
            retry_after: Some(Duration::from_secs(retry_after)),
            limit: Some(limit),
            remaining: Some(0),
            reset_in: Some(Duration::from_secs(reset)),
            window: None,
        };
        pacer.on_answer(at, at, Feedback::Throttled, Some(&hint), 0);
    }

    #[test]
    fn a_rounded_up_retry_after_holds_only_the_refused_request() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        assert!((0..20).all(|_| pacer.try_take(start, 0)));
        // `Retry-After: 1` from a bucket showing 10 tokens a second: no gate, a rate is cut,
        // and the allowance (Remaining 0) lets one probe out once a token is due.
        throttled(&mut pacer, start, 1, 10, 1);
        assert_eq!(pacer.wait.pause_until(start), None);
        assert!(pacer.rate().is_some());
        assert!(!pacer.try_take(start, 0), "Remaining 0: nothing right away");
        assert!(
            pacer
                .ready_at(start, 0)
                .is_some_and(|at| at < start + Duration::from_secs(1))
        );
        // Headers showing under two tokens back within the second keep the gate.
        let slow = start + Duration::from_secs(2);
        throttled(&mut pacer, slow, 1, 1, 1);
        assert_eq!(
            pacer.wait.pause_until(slow),
            Some(slow + Duration::from_secs(1))
        );
        // So do headers that do not show the refill at all.
        let bare = slow + Duration::from_secs(2);
        let hint = RateLimitHint {
            retry_after: Some(Duration::from_secs(1)),
            limit: Some(10),
            ..RateLimitHint::default()
        };
        pacer.on_answer(bare, bare, Feedback::Throttled, Some(&hint), 0);
        assert_eq!(
            pacer.wait.pause_until(bare),
            Some(bare + Duration::from_secs(1))
        );
    }

    #[test]
    fn a_long_retry_after_gates_everything_even_with_a_rate_known_and_a_fast_looking_floor() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        throttled(&mut pacer, start, 1, 100, 1);
        let later = start + Duration::from_secs(2);
        // A per-minute plan: 100 a window, 40 s to go; its refill floor (2.5/s) means nothing.
        throttled(&mut pacer, later, 40, 100, 40);
        assert_eq!(
            pacer.wait.pause_until(later),
            Some(later + Duration::from_secs(40))
        );
        assert!(!pacer.try_take(later + Duration::from_secs(39), 0));
    }

    #[test]
    fn lone_probes_into_a_spent_allowance_outrun_the_learned_rate_and_429s_stop_gating() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        // Four sent blind to a server allowing bursts of one: one admitted, three refused.
        assert!((0..4).all(|_| pacer.try_take(start, 0)));
        let spent = RateLimitHint {
            limit: Some(1),
            remaining: Some(0),
            reset_in: Some(Duration::from_secs(1)),
            ..RateLimitHint::default()
        };
        let answered = start + Duration::from_millis(1);
        pacer.on_answer(start, answered, Feedback::Clean, Some(&spent), 3);
        for _ in 0..3 {
            throttled(&mut pacer, answered, 1, 1, 1);
        }
        // Nothing shows the refill beats one a second yet: the whole second is waited out.
        let mut now = answered + Duration::from_secs(1);
        assert_eq!(pacer.wait.pause_until(answered), Some(now));
        let learned = pacer.rate().expect("the 429s cut a rate");
        let mut wait = Duration::ZERO;
        for _ in 0..8 {
            let due = pacer.ready_at(now, 0).expect("nothing on the wire");
            wait = due - now;
            now = due;
            assert!(pacer.try_take(now, 0));
            pacer.on_answer(now, now, Feedback::Clean, Some(&spent), 0);
        }
        assert!(
            wait.as_secs_f64() < 0.5 / learned,
            "probes every {wait:?}, learned rate {learned}/s"
        );
        // Probes admitted this fast show `Retry-After: 1` is rounding: no gate for the rest.
        assert!(pacer.try_take(now + wait, 0));
        throttled(&mut pacer, now + wait, 1, 1, 1);
        assert_eq!(pacer.wait.pause_until(now + wait), None);
    }

    #[test]
    fn never_more_on_the_wire_than_the_server_has_left() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        let hint = RateLimitHint {
            limit: Some(100),
            remaining: Some(10),
            reset_in: Some(Duration::from_secs(1)),
            ..RateLimitHint::default()
        };
        pacer.on_answer(start, start, Feedback::Clean, Some(&hint), 4);
        let sent = (4..100)
            .take_while(|&in_flight| pacer.try_take(start, in_flight))
            .count();
        assert_eq!(sent, 6, "4 on the wire + 6 = the 10 remaining");
        assert_eq!(
            pacer.ready_at(start, 10),
            None,
            "only an answer can say more"
        );
    }

    #[test]
    fn unlimited_until_pushed_back() {
        let now = Instant::now();
        let mut pacer = Pacer::new(now);
        assert!((0..1000).all(|_| pacer.try_take(now, 0)));
        assert_eq!(pacer.rate(), None);
    }

    #[test]
    fn a_whole_allowance_unspent_while_the_bucket_holds_us_raises_the_rate() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        throttled(&mut pacer, start, 1, 10, 1);
        let allowance = |remaining| RateLimitHint {
            limit: Some(10),
            remaining: Some(remaining),
            reset_in: Some(Duration::from_secs(1)),
            ..RateLimitHint::default()
        };
        let at = start + Duration::from_millis(10);
        pacer.on_answer(at, at, Feedback::Clean, Some(&allowance(5)), 0);
        let held = pacer.rate().unwrap_or_default();
        assert!(held > 0.0, "the 429 set a rate");
        // Nothing asked of the bucket yet: the learned rate is not what holds us, and the
        // allowance unspent says nothing about it.
        pacer.on_answer(at, at, Feedback::Clean, Some(&allowance(9)), 0);
        assert_eq!(
            pacer.rate(),
            Some(held),
            "not raised while the bucket holds nobody"
        );
        while pacer.try_take(at, 0) {}

        let answered = at + Duration::from_millis(1);
        pacer.on_answer(answered, answered, Feedback::Clean, Some(&allowance(9)), 0);
        let raised = pacer.rate().unwrap_or_default();
        assert!(
            raised >= held * 1.2,
            "{held} -> {raised}: the server had it all to spare"
        );

        let again = answered + Duration::from_millis(1);
        pacer.on_answer(again, again, Feedback::Clean, Some(&allowance(9)), 0);
        assert_eq!(
            pacer.rate(),
            Some(raised),
            "at most once per {RAISE_EVERY:?}"
        );

        let later = again + RAISE_EVERY;
        pacer.on_answer(later, later, Feedback::Clean, Some(&allowance(4)), 0);
        assert_eq!(
            pacer.rate(),
            Some(raised),
            "an allowance partly spent says nothing"
        );
    }
}
