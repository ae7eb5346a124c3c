//! `RetryPolicy::judge_read`: what follows one `Read`. The same budget, backoff and
//! server-ordered waits as a DELETE's (a 429, a 5xx, no answer: retry), the same refusals
//! (401, 403), and what is the read side's own: a 2xx is content or not the API's answer, a
//! route that is not there (404 without `VIDEO_NOT_FOUND`, 405, a redirect) means the
//! server does not serve that read, and a 404 `VIDEO_NOT_FOUND` means the video is gone. It
//! must not sleep, send or pace.

use std::fmt;
use std::time::Duration;

use super::{NotTheApis, Read, ReadRoute};
use crate::api::attempt::{Answer, Attempt, TransportFailure};
use crate::api::error_body::BodyForm;
use crate::api::retry_policy::{RetryPolicy, RetryState, VIDEO_NOT_FOUND};

/// What to do after one read.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadVerdict<T> {
    /// The route answered as the API does.
    Read(T),
    /// A 404 `VIDEO_NOT_FOUND` from the details or status route: no such video (any more).
    Gone,
    /// Send it again after `wait`.
    Retry { wait: Duration, reason: String },
    /// Asking again will not help.
    Failed(ReadFailure),
}

/// Why a read came to nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFailureKind {
    /// 401 (or a key no header can carry): every request with this key fails alike.
    KeyRefused,
    /// 403: another account's video, or a key that may not read this.
    Forbidden,
    /// The server does not serve this read: no such route, or answers that are not the API's.
    NotServed,
    /// What answered is plainly not the API (a redirect, a web server's HTML or bare 404):
    /// the base URL leads elsewhere. Nothing is known about the route or any video.
    WrongBaseUrl,
    /// The TLS handshake failed: nothing was sent, and asking again cannot change it.
    Tls,
    /// The server refused the request itself (a 400, or another status that says "never").
    Refused,
    /// Retryable failures used up the attempt budget.
    GaveUp,
}

/// A read's final failure, with what the server said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFailure {
    pub kind: ReadFailureKind,
    /// For the user: what happened and, where there is one, the way on.
    pub message: String,
    /// The last answer's status, if any came.
    pub status: Option<u16>,
    pub request_id: Option<String>,
    /// Requests sent for this read.
    pub attempts: u32,
}

impl fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(request_id) = &self.request_id {
            write!(f, " (request {request_id})")?;
        }
        Ok(())
    }
}

impl RetryPolicy {
    /// Records `read` in `state` (one per read, kept across its retries) and decides what
    /// follows.
    pub fn judge_read<T>(&self, state: &mut RetryState, read: Read<T>) -> ReadVerdict<T> {
        let route = read.route;
        let answer = match read.attempt {
            Attempt::KeyUnusable => {
                let message = "the API key has characters an HTTP header cannot carry; nothing \
                               was sent";
                return failed(state, None, ReadFailureKind::KeyRefused, message.to_owned());
            }
            Attempt::NoAnswer(failure @ TransportFailure::Tls { .. }) => {
                state.note_sent(None);
                return failed(state, None, ReadFailureKind::Tls, failure.describe());
            }
            Attempt::NoAnswer(failure) => {
                state.note_sent(None);
                return self.retry(state, None, None, failure.describe(), false);
            }
            Attempt::Answered(answer) => answer,
        };
        state.note_sent(Some(&answer));
        let said = said(&answer);
        let not_served = |why: String| NotTheApis { route, why }.to_string();
        match answer.status {
            200..=299 => match read.content {
                Some(Ok(content)) => ReadVerdict::Read(content),
                // JSON of another shape: the server answers, just not this.
                Some(Err(not)) if answer.body.form == BodyForm::Json => failed(
                    state,
                    Some(&answer),
                    ReadFailureKind::NotServed,
                    not.to_string(),
                ),
                // A page, garbage or nothing: a proxy's passing trouble, or no such route.
                Some(Err(not)) => {
                    let reason = not.to_string();
                    self.retry(state, Some(&answer), None, reason, false)
                }
                None => failed(
                    state,
                    Some(&answer),
                    ReadFailureKind::NotServed,
                    not_served("a 2xx answer whose body was not read".to_owned()),
                ),
            },
            404 if route != ReadRoute::List
                && answer.body.code.as_deref() == Some(VIDEO_NOT_FOUND) =>
            {
                ReadVerdict::Gone
            }
            // The listing is the API's root, where a sync first meets the server: a redirect
            // or a web page there means the base URL leads elsewhere. A video's own routes
            // are asked once DELETEs reach the API: the same there only says this server does
            // not serve that route (a gateway routing only what it knows).
            300..=399 if route == ReadRoute::List => {
                let misroute = answer.misroute().unwrap_or_default();
                wrong_base_url(state, &answer, misroute)
            }
            300..=399 => {
                let misroute = answer.misroute().unwrap_or_default();
                let why = format!("{misroute}; check base_url");
                failed(
                    state,
                    Some(&answer),
                    ReadFailureKind::NotServed,
                    not_served(why),
                )
            }
            // Only the API's own error (JSON) says that it lacks the route; a web page or
            // nothing at all is some other server's.
            404 | 405 | 501 if route == ReadRoute::List && answer.body.form != BodyForm::Json => {
                let what = match answer.body.form {
                    BodyForm::Empty => " with no body",
                    _ => &said,
                };
                let misroute = format!("answered {}{what}", answer.status);
                wrong_base_url(state, &answer, misroute)
            }
            404 | 405 | 501 => {
                let why = format!("it answered {}{said}", answer.status);
                failed(
                    state,
                    Some(&answer),
                    ReadFailureKind::NotServed,
                    not_served(why),
                )
            }
            401 => failed(
                state,
                Some(&answer),
                ReadFailureKind::KeyRefused,
                format!("the API key was refused{said}"),
            ),
            403 => failed(
                state,
                Some(&answer),
                ReadFailureKind::Forbidden,
                format!("not allowed{said}"),
            ),
            408 | 429 | 500 | 502 | 503 | 504 => {
                let reason = format!("HTTP {}{said}", answer.status);
                let wait = answer.rate_limit.hold_off();
                let pushed_back = answer.pushes_back();
                self.retry(state, Some(&answer), wait, reason, pushed_back)
            }
            status => failed(
                state,
                Some(&answer),
                ReadFailureKind::Refused,
                format!("the server refused the request: HTTP {status}{said}"),
            ),
        }
    }

    /// Retry after the server's wait or a backoff, unless the budget is spent.
    fn retry<T>(
        &self,
        state: &mut RetryState,
        answer: Option<&Answer>,
        server_wait: Option<Duration>,
        reason: String,
        pushed_back: bool,
    ) -> ReadVerdict<T> {
        match self.backoff(state, server_wait, pushed_back) {
            Some(wait) => ReadVerdict::Retry { wait, reason },
            None => {
                let message = format!("gave up after {} attempts: {reason}", state.sent());
                let kind = match answer {
                    // A 2xx that was never the API's, to the end: the route is not served.
                    Some(answer) if (200..300).contains(&answer.status) => {
                        ReadFailureKind::NotServed
                    }
                    _ => ReadFailureKind::GaveUp,
                };
                failed(state, answer, kind, message)
            }
        }
    }
}

fn failed<T>(
    state: &RetryState,
    answer: Option<&Answer>,
    kind: ReadFailureKind,
    message: String,
) -> ReadVerdict<T> {
    ReadVerdict::Failed(ReadFailure {
        kind,
        message,
        status: answer.map(|answer| answer.status),
        request_id: answer.and_then(|answer| answer.body.request_id.clone()),
        attempts: state.sent(),
    })
}

/// `misroute` (what answered, and how) is no answer of the API's.
fn wrong_base_url<T>(state: &RetryState, answer: &Answer, misroute: String) -> ReadVerdict<T> {
    let message = format!(
        "the base URL does not lead to the Elytron API: it {misroute}; check base_url \
         (--base-url, ELYTRON_BASE_URL)"
    );
    failed(state, Some(answer), ReadFailureKind::WrongBaseUrl, message)
}

/// `: CODE: message` from an error body, or nothing.
fn said(answer: &Answer) -> String {
    match (&answer.body.code, &answer.body.message) {
        (Some(code), Some(message)) => format!(": {code}: {message}"),
        (Some(text), None) | (None, Some(text)) => format!(": {text}"),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error_body::ErrorBody;

    fn answered(status: u16, code: Option<&str>) -> Attempt {
        Attempt::Answered(Answer {
            status,
            body: ErrorBody {
                form: BodyForm::Json,
                code: code.map(str::to_owned),
                message: Some("said so".to_owned()),
                request_id: Some("req_9".to_owned()),
            },
            ..Answer::default()
        })
    }

    fn read(
        route: ReadRoute,
        attempt: Attempt,
        content: Option<Result<u8, NotTheApis>>,
    ) -> Read<u8> {
        Read {
            route,
            attempt,
            content,
        }
    }

    fn failed_with(verdict: ReadVerdict<u8>) -> ReadFailure {
        match verdict {
            ReadVerdict::Failed(failure) => failure,
            other => panic!("not a failure: {other:?}"),
        }
    }

    #[test]
    fn content_is_read_and_a_missing_video_is_gone_except_from_the_listing() {
        let policy = RetryPolicy::default();
        let ok = read(ReadRoute::List, answered(200, None), Some(Ok(7)));
        assert_eq!(
            policy.judge_read(&mut RetryState::default(), ok),
            ReadVerdict::Read(7)
        );
        for route in [ReadRoute::Details, ReadRoute::Status] {
            let gone = read(route, answered(404, Some(VIDEO_NOT_FOUND)), None);
            assert_eq!(
                policy.judge_read(&mut RetryState::default(), gone),
                ReadVerdict::Gone
            );
        }
        let odd = read(ReadRoute::List, answered(404, Some(VIDEO_NOT_FOUND)), None);
        let failure = failed_with(policy.judge_read(&mut RetryState::default(), odd));
        assert_eq!(failure.kind, ReadFailureKind::NotServed);
    }

    #[test]
    fn a_route_that_is_not_there_is_not_served_and_says_the_way_on() {
        let policy = RetryPolicy::default();
        for (status, code) in [(404, Some("NOT_FOUND")), (405, None), (501, None)] {
            let verdict = policy.judge_read(
                &mut RetryState::default(),
                read(ReadRoute::List, answered(status, code), None),
            );
            let failure = failed_with(verdict);
            assert_eq!(
                (failure.kind, failure.status, failure.attempts),
                (ReadFailureKind::NotServed, Some(status), 1)
            );
            assert!(
                failure
                    .message
                    .starts_with("this server does not list videos (it answered"),
                "{failure}"
            );
            assert!(failure.message.ends_with("import IDs instead"), "{failure}");
            assert!(failure.to_string().ends_with("(request req_9)"));
        }
        let redirect = Attempt::Answered(Answer {
            status: 308,
            location: Some("https://elsewhere.example/v1/videos".to_owned()),
            ..Answer::default()
        });
        let failure = failed_with(policy.judge_read(
            &mut RetryState::default(),
            read(ReadRoute::List, redirect.clone(), None),
        ));
        assert_eq!(failure.kind, ReadFailureKind::WrongBaseUrl);
        assert!(
            failure.message.starts_with(
                "the base URL does not lead to the Elytron API: it redirected to \
                 https://elsewhere.example/v1/videos"
            ),
            "{failure}"
        );
        // A video's route, asked once DELETEs reach the API: only that route is missing.
        let failure = failed_with(policy.judge_read(
            &mut RetryState::default(),
            read(ReadRoute::Status, redirect, None),
        ));
        assert_eq!(failure.kind, ReadFailureKind::NotServed);
        assert!(
            failure.message.starts_with("this server does not report"),
            "{failure}"
        );
    }

    #[test]
    fn a_404_that_is_no_json_is_a_wrong_base_url_not_a_missing_route() {
        let policy = RetryPolicy::default();
        for (status, body, content_type, said) in [
            (
                404,
                &b"<html><head><title>404 Not Found</title></head><hr>nginx</html>"[..],
                Some("text/html"),
                "it answered 404: the answer was an HTML page",
            ),
            (405, &b""[..], None, "it answered 405 with no body"),
        ] {
            let attempt = Attempt::Answered(Answer {
                status,
                body: ErrorBody::parse(body, content_type, false),
                ..Answer::default()
            });
            let failure = failed_with(policy.judge_read(
                &mut RetryState::default(),
                read(ReadRoute::List, attempt, None),
            ));
            assert_eq!(
                (failure.kind, failure.attempts),
                (ReadFailureKind::WrongBaseUrl, 1)
            );
            assert!(failure.message.contains(said), "{failure}");
            assert!(failure.message.contains("check base_url"), "{failure}");
            assert!(
                !failure.message.contains("does not list videos"),
                "{failure}"
            );
        }
    }

    #[test]
    fn a_failed_tls_handshake_is_final_at_once() {
        let tls = Attempt::NoAnswer(TransportFailure::Tls {
            host: "api.example".to_owned(),
            detail: "received corrupt message".to_owned(),
        });
        let failure = failed_with(
            RetryPolicy::default()
                .judge_read(&mut RetryState::default(), read(ReadRoute::List, tls, None)),
        );
        assert_eq!((failure.kind, failure.attempts), (ReadFailureKind::Tls, 1));
        assert!(
            failure
                .message
                .starts_with("the TLS handshake with api.example failed"),
            "{failure}"
        );
    }

    #[test]
    fn json_of_another_shape_is_final_but_a_page_that_is_not_json_is_retried_first() {
        let policy = RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        };
        let not = || NotTheApis {
            route: ReadRoute::List,
            why: "it has no videos list".to_owned(),
        };
        let other_json = read(ReadRoute::List, answered(200, None), Some(Err(not())));
        let failure = failed_with(policy.judge_read(&mut RetryState::default(), other_json));
        assert_eq!(
            (failure.kind, failure.attempts),
            (ReadFailureKind::NotServed, 1)
        );
        let html = || {
            let attempt = Attempt::Answered(Answer {
                status: 200,
                body: ErrorBody::parse(
                    b"<html><title>App</title></html>",
                    Some("text/html"),
                    false,
                ),
                ..Answer::default()
            });
            read(ReadRoute::List, attempt, Some(Err(not())))
        };
        let mut state = RetryState::default();
        assert!(matches!(
            policy.judge_read(&mut state, html()),
            ReadVerdict::Retry { .. }
        ));
        let failure = failed_with(policy.judge_read(&mut state, html()));
        assert_eq!(
            (failure.kind, failure.attempts),
            (ReadFailureKind::NotServed, 2)
        );
        assert!(
            failure.message.contains("this server does not list videos"),
            "{failure}"
        );
    }

    #[test]
    fn retryable_failures_use_the_delete_budget_and_the_servers_wait() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        // A 500 is about the request; a 502, 503 or 504 would spend the larger budget.
        let mut state = RetryState::default();
        for _ in 0..2 {
            let verdict =
                policy.judge_read(&mut state, read(ReadRoute::List, answered(500, None), None));
            assert!(matches!(verdict, ReadVerdict::Retry { .. }), "{verdict:?}");
        }
        let failure = failed_with(
            policy.judge_read(&mut state, read(ReadRoute::List, answered(500, None), None)),
        );
        assert_eq!(
            (failure.kind, failure.attempts),
            (ReadFailureKind::GaveUp, 3)
        );
        assert!(
            failure
                .message
                .starts_with("gave up after 3 attempts: HTTP 500"),
            "{failure}"
        );

        let throttled = Attempt::Answered(Answer {
            status: 429,
            rate_limit: crate::api::RateLimitHint {
                retry_after: Some(Duration::from_secs(4)),
                ..Default::default()
            },
            ..Answer::default()
        });
        let verdict = policy.judge_read(
            &mut RetryState::default(),
            read(ReadRoute::Status, throttled, None),
        );
        assert!(
            matches!(verdict, ReadVerdict::Retry { wait, .. } if wait == Duration::from_secs(4))
        );
        let lost = Attempt::NoAnswer(TransportFailure::Timeout);
        let verdict = policy.judge_read(
            &mut RetryState::default(),
            read(ReadRoute::List, lost, None),
        );
        assert!(matches!(verdict, ReadVerdict::Retry { .. }));
    }

    #[test]
    fn refusals_are_final() {
        let policy = RetryPolicy::default();
        for (status, kind) in [
            (401, ReadFailureKind::KeyRefused),
            (403, ReadFailureKind::Forbidden),
            (400, ReadFailureKind::Refused),
            (422, ReadFailureKind::Refused),
        ] {
            let verdict = policy.judge_read(
                &mut RetryState::default(),
                read(ReadRoute::Details, answered(status, Some("X")), None),
            );
            assert_eq!(failed_with(verdict).kind, kind, "{status}");
        }
        let verdict = policy.judge_read(
            &mut RetryState::default(),
            read(ReadRoute::List, Attempt::KeyUnusable, None),
        );
        assert_eq!(failed_with(verdict).attempts, 0);
    }
}
