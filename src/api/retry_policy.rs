//! `RetryPolicy`: turns each `Attempt` for one ID into either its final `Outcome` or "retry
//! after this wait". Owns status classification (which answers prove anything about the
//! video), the attempt budget, backoff with full jitter and the "documented 404 after a lost
//! answer means we deleted it" rule. It must not sleep, send or pace: the engine does those
//! with the verdicts given here.

use std::time::{Duration, Instant};

use super::attempt::{Answer, Attempt};
use super::outcome::{Outcome, OutcomeKind};

/// The error code that makes a 400 mean "not yet" rather than "never".
pub const VIDEO_IN_PROCESSING: &str = "VIDEO_IN_PROCESSING";
/// The error code that makes a 404 mean "no such video": without it, the 404 is a route's.
pub const VIDEO_NOT_FOUND: &str = "VIDEO_NOT_FOUND";

/// How hard to try for one ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests per ID for retryable failures (429, 5xx, timeouts, ...), first one included.
    pub max_attempts: u32,
    /// The first backoff's upper bound; it doubles per failure up to `backoff_cap`.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// `--wait-processing`: keep retrying a 400 `VIDEO_IN_PROCESSING` for this long.
    pub wait_processing: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(30),
            wait_processing: None,
        }
    }
}

/// A 429, 502, 503 or 504 is the server (or a proxy in front of it) pacing us or refusing
/// load, not trouble with the video, so it gets this many times the attempt budget before the
/// ID is given up on.
const PUSHBACK_BUDGET_FACTOR: u32 = 4;

/// While waiting out processing, poll no faster than this: generation takes minutes.
const MIN_PROCESSING_POLL: Duration = Duration::from_secs(1);

/// What one ID has been through. Owned by whoever runs the attempts for that ID.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryState {
    sent: u32,
    /// Retryable failures so far: they drive the backoff and use up the attempt budget.
    failures: u32,
    /// 429s, 502s, 503s and 504s so far, with their own (larger) budget.
    pushed_back: u32,
    /// An earlier request went out and its answer was lost, so the server may have deleted it.
    answer_lost: bool,
    processing_since: Option<Instant>,
    processing_polls: u32,
    last: Option<Answer>,
}

/// The policy's decision about one attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Final(Outcome),
    Retry {
        wait: Duration,
        reason: String,
    },
    /// A 400 `VIDEO_IN_PROCESSING` within `wait_processing`: the video may be deleted once its
    /// generation ends, at most `left` from now. `wait` is the blind retry's, for a server
    /// whose status route cannot say when that is.
    Generating {
        wait: Duration,
        left: Duration,
    },
}

impl RetryState {
    /// Requests sent so far; the next `Started` event carries `sent() + 1`.
    pub fn sent(&self) -> u32 {
        self.sent
    }

    /// The outcome for an ID whose retry was called off (cancel or shutdown): `Cancelled`,
    /// keeping what the server last said so the user sees why it was being retried.
    pub fn cancelled(&self) -> Outcome {
        let mut outcome = self.outcome(OutcomeKind::Cancelled, None);
        outcome.message = Some(match (&self.last, self.answer_lost) {
            (_, true) => "cancelled before a retry; an earlier request's answer was lost, so \
                          the video may already be deleted"
                .to_owned(),
            (Some(answer), false) => format!(
                "cancelled before a retry; the last answer was {}",
                answer.status_line()
            ),
            (None, false) => "cancelled before a retry".to_owned(),
        });
        outcome
    }

    /// Counts a request that went out, and its answer if one came: the read side's record of
    /// an attempt (it has no processing wait and no lost delete to remember).
    pub(super) fn note_sent(&mut self, answer: Option<&Answer>) {
        self.sent += 1;
        if let Some(answer) = answer {
            self.last = Some(answer.clone());
        }
    }

    /// Records a request that got no answer, or the answer every request gets, while sending
    /// is halted for that very reason (the server unreachable, TLS failing, everything
    /// refused): it went out, and may have reached the server, but it does not count against
    /// the ID's budget: the server's state says nothing about the video, and the ID waits,
    /// queued, for the server to come back. Returns what happened, for the user.
    pub fn note_held(&mut self, attempt: &Attempt) -> String {
        self.sent += 1;
        match attempt {
            Attempt::NoAnswer(failure) => {
                self.answer_lost |= failure.may_have_reached_server();
                failure.describe()
            }
            Attempt::Answered(answer) => {
                self.last = Some(answer.clone());
                answer.status_line()
            }
            Attempt::KeyUnusable => "the key cannot be sent".to_owned(),
        }
    }

    fn outcome(&self, kind: OutcomeKind, default_message: Option<&str>) -> Outcome {
        let body = self.last.as_ref().map(|answer| &answer.body);
        Outcome {
            kind,
            status: self.last.as_ref().map(|answer| answer.status),
            error_code: body.and_then(|body| body.code.clone()),
            message: body
                .and_then(|body| body.message.clone())
                .or_else(|| default_message.map(str::to_owned)),
            request_id: body.and_then(|body| body.request_id.clone()),
            attempts: self.sent,
        }
    }
}

impl RetryPolicy {
    /// Records `attempt` in `state` and decides what follows. `now` anchors the processing wait.
    pub fn judge(&self, state: &mut RetryState, attempt: &Attempt, now: Instant) -> Verdict {
        match attempt {
            Attempt::KeyUnusable => {
                let mut outcome = state.outcome(OutcomeKind::Unauthorized, None);
                outcome.message = Some(
                    "the API key has characters an HTTP header cannot carry; nothing was sent"
                        .to_owned(),
                );
                Verdict::Final(outcome)
            }
            Attempt::NoAnswer(failure) => {
                state.sent += 1;
                state.answer_lost |= failure.may_have_reached_server();
                let reason = failure.describe();
                self.retry_or_fail(state, None, reason, false)
            }
            Attempt::Answered(answer) => {
                state.sent += 1;
                state.last = Some(answer.clone());
                self.judge_answer(state, answer, now)
            }
        }
    }

    fn judge_answer(&self, state: &mut RetryState, answer: &Answer, now: Instant) -> Verdict {
        let code = answer.body.code.as_deref();
        if let Some(misroute) = answer.misroute() {
            // Not the API's answer about this video: the request never reached its route.
            let mut outcome = state.outcome(OutcomeKind::Failed, None);
            outcome.message = Some(format!(
                "{misroute}: nothing is known about the video; check base_url"
            ));
            return Verdict::Final(outcome);
        }
        let kind = match answer.status {
            _ if answer.proves_deleted() => OutcomeKind::Deleted,
            200..=299 => {
                // Not the API's answer (a portal's page, a proxy's garbage): it proves
                // nothing, and the request may have reached the API, so a later documented 404
                // means this request deleted the video.
                state.answer_lost = true;
                let kind = answer.content_type.as_deref().unwrap_or("no content type");
                let reason = format!(
                    "unexpected {} answer ({kind}){}",
                    answer.status,
                    suffix(answer.body.message.as_deref())
                );
                return self.retry_or_fail(state, None, reason, false);
            }
            404 if state.answer_lost => {
                // DELETE is idempotent and an earlier request for this ID went out without an
                // answer coming back: that request most likely deleted the video. So it ends
                // `Deleted` (not `NotFound`, and never `Failed`), saying why.
                let mut outcome = state.outcome(OutcomeKind::Deleted, None);
                outcome.message = Some(
                    "deleted: an earlier request's answer was lost and the video is now gone, \
                     so that request most likely deleted it"
                        .to_owned(),
                );
                return Verdict::Final(outcome);
            }
            404 => OutcomeKind::NotFound,
            400 if code == Some(VIDEO_IN_PROCESSING) => {
                return self.wait_out_processing(state, now);
            }
            401 => OutcomeKind::Unauthorized,
            403 => OutcomeKind::Forbidden,
            408 | 429 | 500 | 502 | 503 | 504 => {
                let wait = answer.rate_limit.hold_off();
                return self.retry_or_fail(state, wait, answer.status_line(), answer.pushes_back());
            }
            _ => OutcomeKind::Failed,
        };
        let default_message = match kind {
            OutcomeKind::Deleted => None,
            OutcomeKind::NotFound => Some("video not found"),
            OutcomeKind::Unauthorized => Some("the API key was refused"),
            OutcomeKind::Forbidden => Some("this video belongs to another account"),
            _ => Some("the server refused the request"),
        };
        let mut outcome = state.outcome(kind, default_message);
        if kind == OutcomeKind::Deleted {
            // A success body's text (a JSON envelope) is not a message for the user.
            outcome.message = None;
            outcome.error_code = None;
        }
        Verdict::Final(outcome)
    }

    fn wait_out_processing(&self, state: &mut RetryState, now: Instant) -> Verdict {
        let processing = |state: &RetryState| {
            Verdict::Final(state.outcome(
                OutcomeKind::Processing,
                Some("the video is still processing; it can be deleted once generation ends"),
            ))
        };
        let Some(limit) = self.wait_processing else {
            return processing(state);
        };
        let since = *state.processing_since.get_or_insert(now);
        let left = (since + limit).saturating_duration_since(now);
        if left.is_zero() {
            return processing(state);
        }
        state.processing_polls += 1;
        let base = self.backoff_base.max(MIN_PROCESSING_POLL);
        let wait = full_jitter(state.processing_polls, base, self.backoff_cap)
            .max(MIN_PROCESSING_POLL)
            .min(left);
        Verdict::Generating { wait, left }
    }

    /// A retryable failure: retry after the server's wait (if it gave one) or a jittered
    /// backoff, unless the attempt budget is used up.
    fn retry_or_fail(
        &self,
        state: &mut RetryState,
        server_wait: Option<Duration>,
        reason: String,
        pushed_back: bool,
    ) -> Verdict {
        if let Some(wait) = self.backoff(state, server_wait, pushed_back) {
            return Verdict::Retry { wait, reason };
        }
        let mut outcome = state.outcome(OutcomeKind::Failed, None);
        let lost = if state.answer_lost {
            "; an answer was lost along the way, so the video may already be deleted"
        } else {
            ""
        };
        outcome.message = Some(format!(
            "gave up after {} attempts: {reason}{lost}",
            state.sent
        ));
        Verdict::Final(outcome)
    }

    /// Counts a retryable failure (`pushed_back`: a 429, 502, 503 or 504, with its larger
    /// budget) and gives the wait before the next attempt: the server's, else a jittered
    /// backoff; `None` once the attempt budget is used up. Deletes and reads share it.
    pub(super) fn backoff(
        &self,
        state: &mut RetryState,
        server_wait: Option<Duration>,
        pushed_back: bool,
    ) -> Option<Duration> {
        let spent = if pushed_back {
            state.pushed_back += 1;
            state.pushed_back >= self.max_attempts.saturating_mul(PUSHBACK_BUDGET_FACTOR)
        } else {
            state.failures += 1;
            state.failures >= self.max_attempts
        };
        if spent {
            return None;
        }
        let step = state.failures + state.pushed_back;
        Some(server_wait.unwrap_or_else(|| full_jitter(step, self.backoff_base, self.backoff_cap)))
    }
}

/// "Full jitter" backoff: uniformly random in `[0, min(cap, base * 2^(step-1))]`, which spreads
/// retries from many IDs instead of sending them back in lockstep.
fn full_jitter(step: u32, base: Duration, cap: Duration) -> Duration {
    let ceiling = base
        .saturating_mul(1u32 << step.saturating_sub(1).min(20))
        .min(cap);
    ceiling.mul_f64(fastrand::f64())
}

fn suffix(message: Option<&str>) -> String {
    message.map(|text| format!(": {text}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::attempt::TransportFailure;
    use crate::api::error_body::{BodyForm, ErrorBody};
    use crate::api::rate_limit::RateLimitHint;

    fn answer(status: u16, code: Option<&str>) -> Attempt {
        Attempt::Answered(Answer {
            status,
            body: ErrorBody {
                form: BodyForm::Json,
                code: code.map(str::to_owned),
                message: Some("server says".to_owned()),
                request_id: Some("req_1".to_owned()),
            },
            content_type: Some("application/json".to_owned()),
            ..Answer::default()
        })
    }

    /// A `status` answer with `body` (`content_type`) as a client would read it.
    fn raw(status: u16, body: &str, content_type: &str) -> Attempt {
        Attempt::Answered(Answer {
            status,
            body: ErrorBody::parse(body.as_bytes(), Some(content_type), false),
            content_type: Some(content_type.to_owned()),
            ..Answer::default()
        })
    }

    fn final_kind(verdict: &Verdict) -> Option<OutcomeKind> {
        match verdict {
            Verdict::Final(outcome) => Some(outcome.kind),
            Verdict::Retry { .. } | Verdict::Generating { .. } => None,
        }
    }

    #[test]
    fn classifies_every_documented_answer_without_retrying() {
        let policy = RetryPolicy::default();
        let cases = [
            (204, None, OutcomeKind::Deleted),
            (200, None, OutcomeKind::Deleted),
            (404, Some("VIDEO_NOT_FOUND"), OutcomeKind::NotFound),
            (400, Some(VIDEO_IN_PROCESSING), OutcomeKind::Processing),
            (400, Some("BAD_REQUEST"), OutcomeKind::Failed),
            (401, Some("UNAUTHORIZED"), OutcomeKind::Unauthorized),
            (403, Some("FORBIDDEN"), OutcomeKind::Forbidden),
            (418, None, OutcomeKind::Failed),
            (202, None, OutcomeKind::Deleted),
        ];
        for (status, code, want) in cases {
            let mut state = RetryState::default();
            let verdict = policy.judge(&mut state, &answer(status, code), Instant::now());
            assert_eq!(final_kind(&verdict), Some(want), "{status} {code:?}");
            let Verdict::Final(outcome) = verdict else {
                unreachable!()
            };
            assert_eq!((outcome.status, outcome.attempts), (Some(status), 1));
            assert_eq!(outcome.request_id.as_deref(), Some("req_1"));
        }
    }

    #[test]
    fn retries_transient_failures_until_the_budget_is_spent() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        // 429, 502, 503 and 504 say nothing of the video: four times the budget.
        for (status, budget) in [
            (408, 3),
            (429, 12),
            (500, 3),
            (502, 12),
            (503, 12),
            (504, 12),
        ] {
            let mut state = RetryState::default();
            let now = Instant::now();
            for _ in 1..budget {
                let verdict = policy.judge(&mut state, &answer(status, None), now);
                assert_eq!(final_kind(&verdict), None, "{status}");
            }
            let last = policy.judge(&mut state, &answer(status, None), now);
            assert_eq!(final_kind(&last), Some(OutcomeKind::Failed), "{status}");
            assert_eq!(state.sent(), budget);
        }
    }

    #[test]
    fn a_404_after_a_lost_answer_is_deleted_but_after_a_refused_connection_is_not() {
        let policy = RetryPolicy::default();
        let now = Instant::now();
        let lost = Attempt::NoAnswer(TransportFailure::Timeout);
        let mut state = RetryState::default();
        assert_eq!(final_kind(&policy.judge(&mut state, &lost, now)), None);
        let verdict = policy.judge(&mut state, &answer(404, Some("VIDEO_NOT_FOUND")), now);
        assert_eq!(final_kind(&verdict), Some(OutcomeKind::Deleted));

        let refused = Attempt::NoAnswer(TransportFailure::Connect {
            detail: "refused".to_owned(),
        });
        let mut state = RetryState::default();
        assert_eq!(final_kind(&policy.judge(&mut state, &refused, now)), None);
        let verdict = policy.judge(&mut state, &answer(404, Some("VIDEO_NOT_FOUND")), now);
        assert_eq!(final_kind(&verdict), Some(OutcomeKind::NotFound));
    }

    #[test]
    fn a_2xx_proves_a_delete_only_when_it_is_204_or_an_empty_or_json_200_or_202() {
        let policy = RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        };
        let now = Instant::now();
        for proof in [
            raw(204, "", "text/plain"),
            raw(200, "", "text/html"),
            raw(202, r#"{"data":null}"#, "application/json"),
        ] {
            let verdict = policy.judge(&mut RetryState::default(), &proof, now);
            assert_eq!(
                final_kind(&verdict),
                Some(OutcomeKind::Deleted),
                "{proof:?}"
            );
        }
        let portal = raw(200, "<html><title>Login</title></html>", "text/html");
        let odd = raw(201, r#"{"created":true}"#, "application/json");
        for nothing in [portal, odd] {
            let mut state = RetryState::default();
            let first = policy.judge(&mut state, &nothing, now);
            assert_eq!(final_kind(&first), None, "retried: {nothing:?}");
            let Verdict::Final(last) = policy.judge(&mut state, &nothing, now) else {
                panic!("the budget is spent");
            };
            assert_eq!(last.kind, OutcomeKind::Failed);
            let message = last.message.unwrap_or_default();
            assert!(message.contains("unexpected 20"), "{message}");
            assert!(message.contains("may already be deleted"), "{message}");
        }
        let Verdict::Retry { reason, .. } = policy.judge(
            &mut RetryState::default(),
            &raw(200, "<html><title>Login</title></html>", "text/html"),
            now,
        ) else {
            panic!("a garbage 200 is retried");
        };
        assert!(
            reason.starts_with("unexpected 200 answer (text/html)"),
            "{reason}"
        );
    }

    #[test]
    fn after_a_2xx_that_proved_nothing_the_documented_404_means_deleted() {
        let policy = RetryPolicy::default();
        let now = Instant::now();
        let mut state = RetryState::default();
        let garbage = raw(200, "\u{1}ok??", "text/plain");
        assert_eq!(final_kind(&policy.judge(&mut state, &garbage, now)), None);
        let gone = answer(404, Some(VIDEO_NOT_FOUND));
        let verdict = policy.judge(&mut state, &gone, now);
        assert_eq!(final_kind(&verdict), Some(OutcomeKind::Deleted));
    }

    #[test]
    fn a_404_without_video_not_found_or_a_redirect_is_failed_not_gone() {
        let policy = RetryPolicy::default();
        let now = Instant::now();
        let nginx = raw(
            404,
            "<html><title>404 Not Found</title></html>",
            "text/html",
        );
        let other_code = answer(404, Some("NOT_FOUND"));
        let empty = raw(404, "", "text/plain");
        let redirect = Attempt::Answered(Answer {
            status: 308,
            location: Some("https://elsewhere.example/v1/videos/x".to_owned()),
            ..Answer::default()
        });
        for misrouted in [nginx, other_code, empty, redirect] {
            for lost_first in [false, true] {
                let mut state = RetryState::default();
                if lost_first {
                    let lost = Attempt::NoAnswer(TransportFailure::Timeout);
                    assert_eq!(final_kind(&policy.judge(&mut state, &lost, now)), None);
                }
                let Verdict::Final(outcome) = policy.judge(&mut state, &misrouted, now) else {
                    panic!("never retried: {misrouted:?}");
                };
                assert_eq!(outcome.kind, OutcomeKind::Failed, "{misrouted:?}");
                let message = outcome.message.unwrap_or_default();
                assert!(message.contains("check base_url"), "{message}");
            }
        }
    }

    #[test]
    fn server_wait_wins_over_backoff() {
        let policy = RetryPolicy::default();
        let mut state = RetryState::default();
        let attempt = Attempt::Answered(Answer {
            status: 429,
            rate_limit: RateLimitHint {
                retry_after: Some(Duration::from_secs(7)),
                ..RateLimitHint::default()
            },
            ..Answer::default()
        });
        let verdict = policy.judge(&mut state, &attempt, Instant::now());
        assert!(matches!(verdict, Verdict::Retry { wait, .. } if wait == Duration::from_secs(7)));
    }

    #[test]
    fn processing_is_waited_out_only_when_asked_and_only_for_so_long() {
        let policy = RetryPolicy {
            wait_processing: Some(Duration::from_secs(60)),
            ..RetryPolicy::default()
        };
        let start = Instant::now();
        let mut state = RetryState::default();
        let busy = answer(400, Some(VIDEO_IN_PROCESSING));
        for _ in 0..10 {
            let verdict = policy.judge(&mut state, &busy, start);
            assert!(matches!(
                verdict,
                Verdict::Generating { wait, left }
                    if wait <= Duration::from_secs(60) && left == Duration::from_secs(60)
            ));
        }
        let late = start + Duration::from_secs(61);
        let verdict = policy.judge(&mut state, &busy, late);
        assert_eq!(final_kind(&verdict), Some(OutcomeKind::Processing));
    }

    #[test]
    fn backoff_is_bounded_by_the_cap() {
        let cap = Duration::from_secs(2);
        for step in 1..40 {
            assert!(full_jitter(step, Duration::from_millis(100), cap) <= cap);
        }
    }
}
