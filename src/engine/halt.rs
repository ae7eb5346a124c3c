//! Halts: stopping the whole batch on what no retry of one request can fix (the key refused, the
//! base URL answering like something that is not the API, the server unreachable or refusing
//! everything, TLS failing, a wait asked for beyond `max_wait`), and the lone probe that tries
//! again. Owns the watch over consecutive attempts and the probe schedule. It sends nothing and
//! decides no ID's outcome (the retry policy does); the run loop acts on what it says.

use std::time::{Duration, Instant};

use crate::api::{Attempt, TransportFailure};

use super::protocol::{Halt, HaltCause, Pause};

/// Misroutes in a row, before the API answered anything in the batch, that mean the base URL
/// is wrong (one could be a fluke of one ID's path; three at the start are the route).
const MISROUTES_TO_HALT: u32 = 3;
/// Requests in a row with no answer at all that mean the server cannot be reached. A lone
/// dropped connection happens; five in a row with no answer between them is the network.
const UNANSWERED_TO_HALT: u32 = 5;
/// Unavailable answers (502, 503, 504) in a row, with no other answer between them, for at
/// least `STORM_FOR`, mean the server refuses everything: a storm, not load to pace.
const STORM_ANSWERS: u32 = 10;
const STORM_FOR: Duration = Duration::from_secs(2);
/// The first wait before probing an unreachable server; it doubles up to `MAX_PROBE_EVERY`
/// (`ProbeBackoff`).
/// A sync probes on the same schedule (`sync::unreachable`).
const FIRST_PROBE_AFTER: Duration = Duration::from_secs(1);
const MAX_PROBE_EVERY: Duration = Duration::from_secs(30);

/// Watches attempts, in the order they land, for the cause of a halt.
#[derive(Debug, Default)]
pub struct Watch {
    /// Something only the API would say came back in this batch: misroutes stop counting.
    api_answered: bool,
    misroutes: u32,
    unanswered: u32,
    /// Unavailable answers in a row, and when the first of them came.
    unavailable: u32,
    unavailable_since: Option<Instant>,
}

impl Watch {
    /// Counts `attempt`, landed `now`; returns the cause of a halt it completes (or keeps up:
    /// every further unanswered request of an unreachable server says so again, and every
    /// further unavailable answer of one refusing everything). `base_url` is what answered.
    pub fn on_attempt(
        &mut self,
        attempt: &Attempt,
        base_url: &str,
        now: Instant,
    ) -> Option<HaltCause> {
        match attempt {
            Attempt::NoAnswer(failure @ TransportFailure::Tls { .. }) => {
                self.unanswered += 1;
                Some(HaltCause::Tls {
                    detail: failure.describe(),
                })
            }
            Attempt::NoAnswer(failure) => {
                self.unanswered += 1;
                (self.unanswered >= UNANSWERED_TO_HALT).then(|| HaltCause::Unreachable {
                    detail: failure.describe(),
                })
            }
            Attempt::Answered(answer) if answer.is_unavailable() => {
                self.unanswered = 0;
                self.unavailable += 1;
                let since = *self.unavailable_since.get_or_insert(now);
                let storm = self.unavailable >= STORM_ANSWERS
                    && now.saturating_duration_since(since) >= STORM_FOR;
                storm.then(|| HaltCause::Overloaded {
                    detail: answer.status_line(),
                })
            }
            Attempt::Answered(answer) => {
                self.unanswered = 0;
                self.unavailable = 0;
                self.unavailable_since = None;
                match answer.misroute() {
                    Some(misroute) if !self.api_answered => {
                        self.misroutes += 1;
                        (self.misroutes >= MISROUTES_TO_HALT).then(|| HaltCause::WrongBaseUrl {
                            base_url: base_url.to_owned(),
                            answer: misroute,
                        })
                    }
                    Some(_) => None,
                    None => {
                        if answer.is_the_apis() {
                            self.api_answered = true;
                            self.misroutes = 0;
                        }
                        None
                    }
                }
            }
            Attempt::KeyUnusable => None,
        }
    }

    /// The batch is over: the next one is watched from scratch.
    pub fn batch_over(&mut self) {
        *self = Self::default();
    }
}

/// The wait before each probe of a server that does not answer: `FIRST_PROBE_AFTER`, then
/// twice as long after each probe that failed, up to `MAX_PROBE_EVERY`. The engine's halts
/// and a sync's page requests (`sync::Unreachable`) keep this one schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProbeBackoff {
    every: Duration,
}

impl Default for ProbeBackoff {
    fn default() -> Self {
        Self {
            every: FIRST_PROBE_AFTER,
        }
    }
}

impl ProbeBackoff {
    /// The wait before the next probe.
    pub fn wait(self) -> Duration {
        self.every
    }

    /// A probe got no answer: the next waits longer.
    pub fn failed(&mut self) {
        self.every = (self.every * 2).min(MAX_PROBE_EVERY);
    }
}

/// Sending has stopped; how it starts again.
#[derive(Debug)]
pub struct Halted {
    /// `Pause::Unauthorized`, or `Pause::Halted` with its cause.
    cause: Option<HaltCause>,
    /// When the next probe may go. `None`: only on `Command::Retry` (or, for a refused key, a
    /// new key, which resumes everything at once).
    probe_at: Option<Instant>,
    /// The wait between probes of an unreachable server.
    backoff: ProbeBackoff,
    /// A probe is on the wire: no other goes until it lands.
    probing: bool,
}

impl Halted {
    /// A refused key, or none: only `Command::SetKey` resumes.
    pub fn key() -> Self {
        Self {
            cause: None,
            probe_at: None,
            backoff: ProbeBackoff::default(),
            probing: false,
        }
    }

    pub fn new(cause: HaltCause, now: Instant) -> Self {
        let probe_at = match &cause {
            HaltCause::Unreachable { .. } | HaltCause::Overloaded { .. } => {
                Some(now + ProbeBackoff::default().wait())
            }
            HaltCause::LongWait { wait, .. } => now.checked_add(*wait),
            HaltCause::WrongBaseUrl { .. } | HaltCause::Tls { .. } => None,
        };
        Self {
            cause: Some(cause),
            probe_at,
            backoff: ProbeBackoff::default(),
            probing: false,
        }
    }

    /// What to tell the driver.
    pub fn pause(&self, now: Instant) -> Pause {
        match &self.cause {
            None => Pause::Unauthorized,
            Some(cause) => Pause::Halted(Halt {
                cause: cause.clone(),
                retry_in: self.probe_at.map(|at| at.saturating_duration_since(now)),
            }),
        }
    }

    pub fn is_key(&self) -> bool {
        self.cause.is_none()
    }

    /// Whether `attempt` is what halted sending (no answer from an unreachable server or a
    /// failing handshake; an unavailable answer from one refusing everything): its ID then
    /// waits, queued, instead of spending its retries.
    pub fn holds(&self, attempt: &Attempt) -> bool {
        match (&self.cause, attempt) {
            (Some(HaltCause::Unreachable { .. } | HaltCause::Tls { .. }), Attempt::NoAnswer(_)) => {
                true
            }
            (Some(HaltCause::Overloaded { .. }), Attempt::NoAnswer(_)) => true,
            (Some(HaltCause::Overloaded { .. }), Attempt::Answered(answer)) => {
                answer.is_unavailable()
            }
            _ => false,
        }
    }

    /// Halted because the server refused everything.
    pub fn is_overloaded(&self) -> bool {
        matches!(self.cause, Some(HaltCause::Overloaded { .. }))
    }

    /// Halted until the server answers again (unreachable, or refusing everything): probes go
    /// by themselves, ever further apart, and any answer that is not the trouble lifts it.
    pub fn backs_off(&self) -> bool {
        matches!(
            self.cause,
            Some(HaltCause::Unreachable { .. } | HaltCause::Overloaded { .. })
        )
    }

    /// Whether `cause` is this halt's kind (so it changes nothing but the probe schedule).
    pub fn same_kind(&self, cause: &HaltCause) -> bool {
        self.cause
            .as_ref()
            .is_some_and(|own| std::mem::discriminant(own) == std::mem::discriminant(cause))
    }

    /// A probe may go now.
    pub fn may_probe(&self, now: Instant) -> bool {
        !self.probing && self.probe_at.is_some_and(|at| at <= now)
    }

    pub fn probe_sent(&mut self) {
        self.probing = true;
    }

    /// The probe got no answer either: the next one waits twice as long (up to a cap); for a
    /// halt that only `Retry` lifts, none goes by itself.
    pub fn probe_failed(&mut self, now: Instant) {
        self.probing = false;
        self.probe_at = self.backs_off().then(|| {
            self.backoff.failed();
            now + self.backoff.wait()
        });
    }

    /// `Command::Retry`: probe now (a refused key waits for a key instead).
    pub fn retry_now(&mut self, now: Instant) {
        if !self.is_key() {
            self.probe_at = Some(now);
        }
    }

    /// When the loop must look again to send a probe.
    pub fn wake_at(&self) -> Option<Instant> {
        self.probe_at.filter(|_| !self.probing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Answer, ErrorBody};

    fn misroute() -> Attempt {
        Attempt::Answered(Answer {
            status: 404,
            body: ErrorBody::parse(b"<html>nginx</html>", Some("text/html"), false),
            ..Answer::default()
        })
    }

    fn api(status: u16) -> Attempt {
        Attempt::Answered(Answer {
            status,
            ..Answer::default()
        })
    }

    fn refused() -> Attempt {
        Attempt::NoAnswer(TransportFailure::Connect {
            detail: "refused".to_owned(),
        })
    }

    #[test]
    fn three_misroutes_before_any_api_answer_mean_the_base_url() {
        let mut watch = Watch::default();
        assert_eq!(watch.on_attempt(&misroute(), "b", Instant::now()), None);
        assert_eq!(
            watch.on_attempt(&api(503), "b", Instant::now()),
            None,
            "says nothing"
        );
        assert_eq!(watch.on_attempt(&misroute(), "b", Instant::now()), None);
        let cause = watch.on_attempt(&misroute(), "https://x/v2", Instant::now());
        assert!(
            matches!(&cause, Some(HaltCause::WrongBaseUrl { base_url, .. }) if base_url == "https://x/v2"),
            "{cause:?}"
        );

        let mut watch = Watch::default();
        assert_eq!(watch.on_attempt(&api(204), "b", Instant::now()), None);
        for _ in 0..5 {
            assert_eq!(
                watch.on_attempt(&misroute(), "b", Instant::now()),
                None,
                "the API answered"
            );
        }
        watch.batch_over();
        for _ in 0..2 {
            assert_eq!(watch.on_attempt(&misroute(), "b", Instant::now()), None);
        }
        assert!(
            watch.on_attempt(&misroute(), "b", Instant::now()).is_some(),
            "a new batch"
        );
    }

    #[test]
    fn five_unanswered_in_a_row_mean_unreachable_and_tls_at_once() {
        let mut watch = Watch::default();
        for _ in 0..4 {
            assert_eq!(watch.on_attempt(&refused(), "b", Instant::now()), None);
        }
        assert_eq!(
            watch.on_attempt(&api(403), "b", Instant::now()),
            None,
            "an answer between"
        );
        for _ in 0..4 {
            assert_eq!(watch.on_attempt(&refused(), "b", Instant::now()), None);
        }
        assert!(matches!(
            watch.on_attempt(&refused(), "b", Instant::now()),
            Some(HaltCause::Unreachable { .. })
        ));
        let tls = Attempt::NoAnswer(TransportFailure::Tls {
            host: "h".to_owned(),
            detail: "bad cert".to_owned(),
        });
        let cause = Watch::default().on_attempt(&tls, "b", Instant::now());
        assert!(
            matches!(&cause, Some(HaltCause::Tls { detail }) if detail.contains("h failed: bad cert"))
        );
    }

    #[test]
    fn unavailable_answers_and_nothing_else_for_two_seconds_are_a_storm() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let mut watch = Watch::default();
        // Ten in 1.8 s, with a 204 between: no storm.
        for n in 0..9 {
            assert_eq!(watch.on_attempt(&api(503), "b", at(n * 200)), None);
        }
        assert_eq!(watch.on_attempt(&api(204), "b", at(1_850)), None);
        for n in 0..9 {
            assert_eq!(watch.on_attempt(&api(502), "b", at(2_000 + n * 100)), None);
        }
        // The tenth in a row, but within 2 s of the first: still load to pace.
        assert_eq!(watch.on_attempt(&api(504), "b", at(2_900)), None);
        let cause = watch.on_attempt(&api(503), "b", at(4_000));
        assert!(
            matches!(&cause, Some(HaltCause::Overloaded { detail }) if detail == "HTTP 503"),
            "{cause:?}"
        );
        let halted = Halted::new(cause.expect("a storm"), at(4_000));
        assert!(halted.holds(&api(503)) && halted.holds(&refused()));
        assert!(!halted.holds(&api(500)), "a 500 is about the video");
        assert_eq!(halted.wake_at(), Some(at(5_000)), "probed a second later");
        assert!(halted.backs_off());
    }

    #[test]
    fn probes_of_an_unreachable_server_grow_apart_and_retry_sends_one_now() {
        let start = Instant::now();
        let unreachable = HaltCause::Unreachable {
            detail: "refused".to_owned(),
        };
        let mut halted = Halted::new(unreachable, start);
        assert!(!halted.may_probe(start));
        let mut at = start + FIRST_PROBE_AFTER;
        let mut gaps = Vec::new();
        for _ in 0..7 {
            assert!(halted.may_probe(at));
            halted.probe_sent();
            assert!(!halted.may_probe(at), "one probe at a time");
            halted.probe_failed(at);
            let next = halted.wake_at().expect("probes go on");
            gaps.push((next - at).as_secs());
            at = next;
        }
        assert_eq!(gaps, [2, 4, 8, 16, 30, 30, 30]);
        halted.retry_now(start);
        assert!(halted.may_probe(start));

        let wrong = HaltCause::WrongBaseUrl {
            base_url: "b".to_owned(),
            answer: "answered 404".to_owned(),
        };
        let mut halted = Halted::new(wrong, start);
        assert_eq!(halted.wake_at(), None, "only Retry tries again");
        halted.retry_now(start);
        halted.probe_sent();
        halted.probe_failed(start);
        assert_eq!(halted.wake_at(), None);

        let mut key = Halted::key();
        key.retry_now(start);
        assert!(!key.may_probe(start), "a refused key waits for a key");
        assert_eq!(key.pause(start), Pause::Unauthorized);
    }
}
