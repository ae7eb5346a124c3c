//! `WaitGate`: the server's "nothing before then" for every request: a 429's `Retry-After`
//! (or an exhausted window's `Reset`), a 503's `Retry-After`. A wait that comes with rate
//! headers holds every request until it ends. A 429 with only a `Retry-After` cannot say
//! whether the server now refuses everything (a fixed window that closed) or only turned that
//! one request away (a token bucket with a token back in milliseconds, its wait rounded up to
//! whole seconds or fixed by configuration). Such a wait is first unproven: it holds every
//! request, but lifts as soon as the server admits one sent after the refused one, and lone
//! probes test it, each after a longer pause than the last. A wait whose probes were refused
//! until it ended was meant, and from then on such waits hold every request to their end, with
//! no probes. Owns only that; the refused request's own wait is the retry policy's, and the
//! pace is the `Pacer`'s.

use std::time::{Duration, Instant};

use super::feedback::Feedback;

/// Each refused probe multiplies the pause before the next by this: a closed window costs a
/// handful of probes (a few milliseconds, then ever longer), a bucket with a token coming
/// back at the pace the probes started at costs one or two.
const PROBE_BACKOFF: u32 = 8;
/// A wait is taken as meant once this many of its probes were refused and it still ran out.
const MEANT_AFTER_REFUSALS: u32 = 2;

/// What the gate lets through now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    Open,
    Closed,
    /// One lone request, to test an unproven wait.
    Probe,
}

#[derive(Debug, Default)]
pub struct WaitGate {
    until: Option<Instant>,
    unproven: Option<Unproven>,
    /// An unproven wait ran its course with its probes refused: this server means its waits.
    waits_are_meant: bool,
}

/// An unproven wait's evidence and probing.
#[derive(Debug)]
struct Unproven {
    /// When the latest refused request left: an admitted request sent after it lifts the wait.
    refused_sent_at: Instant,
    probe_at: Instant,
    /// The pause before `probe_at`, from the last refusal.
    pause: Duration,
    /// When the probe on the wire left, if one is.
    probe_on_wire: Option<Instant>,
    probes_refused: u32,
}

impl WaitGate {
    /// The end of the wait, if it is still ahead: what a driver is told as a pause (an
    /// unproven one may end early, and the driver is told when it does).
    pub fn pause_until(&self, now: Instant) -> Option<Instant> {
        self.until.filter(|until| *until > now)
    }

    /// Whether an unproven wait ran its course with its probes refused: this server means the
    /// waits it asks for without rate headers.
    pub fn waits_are_meant(&self) -> bool {
        self.waits_are_meant
    }

    /// Holds every request for `wait` from `now`, no probes (a wait the headers back, or a
    /// 503's).
    pub fn close(&mut self, now: Instant, wait: Duration) {
        self.until = self.until.max(Some(now + wait));
        self.unproven = None;
    }

    /// A 429 with no rate headers, for a request that left at `sent_at`, asking for `wait`.
    /// The first probe may go `first_probe` from now (the pace the caller believes in).
    pub fn close_unproven(
        &mut self,
        sent_at: Instant,
        now: Instant,
        wait: Duration,
        first_probe: Duration,
    ) {
        self.expire(now);
        if self.waits_are_meant {
            return self.close(now, wait);
        }
        match (&mut self.unproven, self.until) {
            (Some(unproven), Some(_)) => {
                unproven.refused_sent_at = unproven.refused_sent_at.max(sent_at);
            }
            // A proven wait is under way: this refusal only lengthens it.
            (None, Some(_)) => {}
            (_, None) => {
                let pause = first_probe.min(wait);
                self.unproven = Some(Unproven {
                    refused_sent_at: sent_at,
                    probe_at: now + pause,
                    pause,
                    probe_on_wire: None,
                    probes_refused: 0,
                });
            }
        }
        self.until = self.until.max(Some(now + wait));
    }

    /// Whether a request may go now.
    pub fn admit(&mut self, now: Instant) -> Admission {
        self.expire(now);
        if self.until.is_none() {
            return Admission::Open;
        }
        match &self.unproven {
            Some(unproven) if unproven.probe_on_wire.is_none() && unproven.probe_at <= now => {
                Admission::Probe
            }
            _ => Admission::Closed,
        }
    }

    /// The probe `admit` allowed left at `now`.
    pub fn sent_probe(&mut self, now: Instant) {
        if let Some(unproven) = &mut self.unproven {
            unproven.probe_on_wire = Some(now);
        }
    }

    /// When `admit` may next say other than `Closed`; `None`: it is open now.
    pub fn opens_at(&mut self, now: Instant) -> Option<Instant> {
        self.expire(now);
        let until = self.until?;
        let probe = (self.unproven.as_ref())
            .filter(|unproven| unproven.probe_on_wire.is_none())
            .map(|unproven| unproven.probe_at);
        Some(probe.map_or(until, |probe| probe.min(until)))
    }

    /// The answer, at `now`, to a request that left at `sent_at`. Returns whether it was the
    /// probe (whose refusal says the wait holds, not that the pace was too fast).
    pub fn on_answer(&mut self, sent_at: Instant, now: Instant, feedback: Feedback) -> bool {
        let Some(unproven) = &mut self.unproven else {
            return false;
        };
        let probe = unproven.probe_on_wire == Some(sent_at);
        if probe {
            unproven.probe_on_wire = None;
        }
        match feedback {
            Feedback::Clean if probe || sent_at > unproven.refused_sent_at => {
                self.unproven = None;
                self.until = None;
            }
            Feedback::Throttled if probe => {
                unproven.probes_refused += 1;
                unproven.pause = unproven.pause.saturating_mul(PROBE_BACKOFF);
                unproven.probe_at = now + unproven.pause;
            }
            _ if probe => unproven.probe_at = now + unproven.pause,
            _ => {}
        }
        probe
    }

    /// Forgets a wait that has ended, learning whether it was meant.
    fn expire(&mut self, now: Instant) {
        if self.until.is_some_and(|until| until <= now) {
            self.until = None;
            if let Some(unproven) = self.unproven.take() {
                self.waits_are_meant |= unproven.probes_refused >= MEANT_AFTER_REFUSALS;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_proven_wait_holds_everything_to_its_end() {
        let start = Instant::now();
        let mut gate = WaitGate::default();
        gate.close(start, MS * 500);
        assert_eq!(gate.admit(start + MS * 499), Admission::Closed);
        assert_eq!(gate.opens_at(start), Some(start + MS * 500));
        assert_eq!(gate.pause_until(start), Some(start + MS * 500));
        assert_eq!(gate.admit(start + MS * 500), Admission::Open);
    }

    #[test]
    fn an_unproven_wait_lifts_when_a_later_request_is_admitted() {
        let start = Instant::now();
        let mut gate = WaitGate::default();
        gate.close_unproven(start + MS * 10, start + MS * 30, MS * 1000, MS * 10);
        assert_eq!(gate.admit(start + MS * 31), Admission::Closed);
        assert_eq!(gate.pause_until(start), Some(start + MS * 1030));
        // Sent with the refused one: says nothing. Sent after it: the server admits again.
        gate.on_answer(start + MS * 10, start + MS * 32, Feedback::Clean);
        assert_eq!(gate.admit(start + MS * 33), Admission::Closed);
        gate.on_answer(start + MS * 11, start + MS * 34, Feedback::Clean);
        assert_eq!(gate.admit(start + MS * 34), Admission::Open);
        assert_eq!(gate.pause_until(start + MS * 34), None);
    }

    /// Probes an unproven wait of `wait` from `start`, each refused while the server is
    /// closed (until `closed_for`), until the gate opens; the times the probes left.
    fn probe_times(
        gate: &mut WaitGate,
        start: Instant,
        wait: Duration,
        closed_for: Duration,
    ) -> Vec<Duration> {
        gate.close_unproven(start, start, wait, MS * 4);
        let mut probes = Vec::new();
        let mut now = start;
        loop {
            now = gate.opens_at(now).map_or(now, |at| at.max(now));
            match gate.admit(now) {
                Admission::Open => return probes,
                Admission::Closed => unreachable!("opens_at said it opens"),
                Admission::Probe => {
                    gate.sent_probe(now);
                    probes.push(now - start);
                    let answered = now + MS * 20;
                    let refused = answered - start < closed_for;
                    let feedback = if refused {
                        Feedback::Throttled
                    } else {
                        Feedback::Clean
                    };
                    gate.on_answer(now, answered, feedback);
                    if refused {
                        gate.close_unproven(
                            now,
                            answered,
                            wait.saturating_sub(answered - start),
                            MS * 4,
                        );
                    }
                    now = answered;
                }
            }
        }
    }

    #[test]
    fn probes_back_off_and_a_wait_refused_to_its_end_is_meant_from_then_on() {
        let start = Instant::now();
        let mut gate = WaitGate::default();
        // A token bucket with a token back in 100 ms behind a `Retry-After: 2`: lifted early.
        let bucket = probe_times(&mut gate, start, MS * 2000, MS * 100);
        assert_eq!(bucket, [MS * 4, MS * 56, MS * 332]);
        // A window closed for its whole wait: ever longer pauses, then it runs out.
        let later = start + MS * 5000;
        let window = probe_times(&mut gate, later, MS * 4000, MS * 4000);
        assert_eq!(window, [MS * 4, MS * 56, MS * 332, MS * 2400]);
        // From then on such waits hold to their end, with no probe at all.
        let next = later + MS * 5000;
        assert!(probe_times(&mut gate, next, MS * 4000, MS * 4000).is_empty());
        assert_eq!(gate.pause_until(next), None, "over");
    }
}
