//! `Feedback`: how one attempt's result bears on congestion, shared by the pacer and the
//! concurrency window. Owns that classification only; outcomes are `RetryPolicy`'s business.

use crate::api::{Attempt, TransportFailure};

/// What an attempt tells us about the server's capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feedback {
    /// A definitive answer (2xx, 400, 401, 403, 404): the server is keeping up.
    Clean,
    /// 429: we are over the rate limit.
    Throttled,
    /// A 502, 503 or 504 with `Retry-After`, or a timeout: the server is overloaded.
    Overloaded,
    /// A plain 502, 503 or 504 (the server's or a proxy's): alone, a scattered failure of a
    /// healthy server; when they cluster (`Pushback` tells) they are `Crowded`, and with
    /// rising latency they mean overload (the concurrency window tells).
    Unavailable,
    /// An unavailable answer among many: the server, or a limiter in front of it, is short
    /// of room. Fewer requests in flight may be enough (a healthy server's unlucky streak is
    /// over by then), so only the concurrency window halves.
    Crowded,
    /// A crowd that fewer requests in flight did not thin: a limiter refusing load. Paced like
    /// a 429 that names no wait.
    Refusing,
    /// Anything else (a 500, broken connections): says nothing about load.
    Neutral,
}

impl Feedback {
    pub fn of(attempt: &Attempt) -> Self {
        match attempt {
            Attempt::Answered(answer) => match answer.status {
                429 => Self::Throttled,
                _ if answer.is_unavailable() && answer.rate_limit.retry_after.is_some() => {
                    Self::Overloaded
                }
                _ if answer.is_unavailable() => Self::Unavailable,
                200..=299 | 400 | 401 | 403 | 404 => Self::Clean,
                _ => Self::Neutral,
            },
            Attempt::NoAnswer(TransportFailure::Timeout) => Self::Overloaded,
            Attempt::NoAnswer(_) | Attempt::KeyUnusable => Self::Neutral,
        }
    }
}
