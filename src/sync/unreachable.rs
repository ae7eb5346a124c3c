//! How long a sync keeps asking for a page that gets no answer at all (refused, reset, timed
//! out): `give_up_after` (`--give-up-after`, `give_up_after_seconds`) from the first such
//! try in a row, probing 1 s later, then 2, 4 ... up to every 30 s, as `delete` probes an
//! unreachable server, rather than the read's attempt budget. Any answer ends the streak;
//! what it was is the retry policy's to judge. It sends, sleeps and merges nothing.

use std::time::{Duration, Instant};

use crate::api::{Attempt, ReadFailure, ReadFailureKind, TransportFailure};
use crate::engine::ProbeBackoff;

/// A streak of pages that got no answer.
#[derive(Debug)]
pub struct Unreachable {
    give_up_after: Duration,
    /// The first unanswered try of the streak, how many tries it holds, and the wait before
    /// the next.
    since: Option<(Instant, u32, ProbeBackoff)>,
}

/// What follows a try that got no answer.
#[derive(Debug, PartialEq)]
pub enum Probe {
    /// Ask again after `wait`; `reason` says why, for the user; `first`: the first of the
    /// streak (said once by a driver that says little).
    After {
        wait: Duration,
        reason: String,
        first: bool,
    },
    /// `give_up_after` has passed with no answer: the sync stops.
    GiveUp(ReadFailure),
}

impl Unreachable {
    pub fn new(give_up_after: Duration) -> Self {
        Self {
            give_up_after,
            since: None,
        }
    }

    /// Takes in what a page request came to, at `now`: `None` when an answer came (the
    /// streak ends) or the failure is one no wait can mend (TLS, an unusable key), for the
    /// retry policy to judge.
    pub fn judge(&mut self, attempt: &Attempt, now: Instant) -> Option<Probe> {
        let failure = match attempt {
            Attempt::NoAnswer(failure) if !matches!(failure, TransportFailure::Tls { .. }) => {
                failure
            }
            _ => {
                self.since = None;
                return None;
            }
        };
        let (since, tries, backoff) = self.since.get_or_insert((now, 0, ProbeBackoff::default()));
        *tries += 1;
        if *tries > 1 {
            backoff.failed();
        }
        let failure = failure.describe();
        let waited = now.saturating_duration_since(*since);
        let Some(left) = self
            .give_up_after
            .checked_sub(waited)
            .filter(|left| !left.is_zero())
        else {
            return Some(Probe::GiveUp(ReadFailure {
                kind: ReadFailureKind::GaveUp,
                message: format!(
                    "the server cannot be reached, gave up after {} s: {failure}",
                    self.give_up_after.as_secs()
                ),
                status: None,
                request_id: None,
                attempts: *tries,
            }));
        };
        Some(Probe::After {
            // The last probe goes when the time is up, so the whole of it is given.
            wait: backoff.wait().min(left),
            first: *tries == 1,
            // How long is said first: the cause's detail may be long enough to be cut.
            reason: format!(
                "the server cannot be reached, giving up in {} s: {failure}",
                left.as_secs().max(1)
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Answer;

    fn refused() -> Attempt {
        Attempt::NoAnswer(TransportFailure::Connect {
            detail: "connection refused".to_owned(),
        })
    }

    fn wait(probe: Option<Probe>) -> Duration {
        match probe {
            Some(Probe::After { wait, .. }) => wait,
            other => panic!("expected a probe, got {other:?}"),
        }
    }

    #[test]
    fn probes_back_off_until_the_time_is_up_then_give_up_saying_how_long() {
        let start = Instant::now();
        let mut unreachable = Unreachable::new(Duration::from_secs(10));
        let mut now = start;
        let mut waits = Vec::new();
        loop {
            match unreachable.judge(&refused(), now) {
                Some(Probe::After {
                    wait,
                    reason,
                    first,
                }) => {
                    assert!(reason.contains("could not connect"), "{reason}");
                    assert_eq!(first, waits.is_empty());
                    waits.push(wait.as_secs());
                    now += wait;
                }
                Some(Probe::GiveUp(failure)) => {
                    assert_eq!(failure.kind, ReadFailureKind::GaveUp);
                    assert!(
                        failure.message.starts_with(
                            "the server cannot be reached, gave up after 10 s: could not connect"
                        ),
                        "{}",
                        failure.message
                    );
                    assert_eq!(failure.attempts, 5);
                    break;
                }
                None => panic!("no answer is no answer"),
            }
        }
        // 1, 2, 4, then what is left of the 10 s.
        assert_eq!(waits, [1, 2, 4, 3]);
        assert_eq!(now - start, Duration::from_secs(10));
    }

    #[test]
    fn an_answer_ends_the_streak_and_the_next_one_has_the_whole_time() {
        let start = Instant::now();
        let mut unreachable = Unreachable::new(Duration::from_secs(10));
        wait(unreachable.judge(&refused(), start));
        let later = start + Duration::from_secs(9);
        let answered = Attempt::Answered(Answer {
            status: 503,
            ..Answer::default()
        });
        assert_eq!(unreachable.judge(&answered, later), None);
        let first = wait(unreachable.judge(&refused(), later + Duration::from_secs(5)));
        assert_eq!(
            first,
            ProbeBackoff::default().wait(),
            "a new streak starts over"
        );
    }

    #[test]
    fn a_tls_failure_is_not_waited_out() {
        let mut unreachable = Unreachable::new(Duration::from_secs(10));
        let tls = Attempt::NoAnswer(TransportFailure::Tls {
            host: "h".to_owned(),
            detail: "no https here".to_owned(),
        });
        assert_eq!(unreachable.judge(&tls, Instant::now()), None);
    }
}
