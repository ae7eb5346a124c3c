//! `Attempt`: what came of sending one DELETE once, before any policy is applied. Owns the
//! distinction between "the server answered" and the ways it did not; it must not decide
//! outcomes or retries (`retry_policy` does).

use super::error_body::ErrorBody;
use super::rate_limit::RateLimitHint;

/// The result of one request.
#[derive(Clone, Debug, PartialEq)]
pub enum Attempt {
    /// An HTTP status came back (the body may still have been cut off: see `body`).
    Answered(Answer),
    /// No status came back.
    NoAnswer(TransportFailure),
    /// The key has characters an HTTP header cannot carry, so nothing was sent.
    KeyUnusable,
}

/// A status with what its headers and body said.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: ErrorBody,
    pub rate_limit: RateLimitHint,
}

/// Why no status came back. The split matters because DELETE may have taken effect on the
/// server when the request left but its answer was lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportFailure {
    /// The connection could not be made: the request never reached the server.
    Connect { detail: String },
    /// The request went out and no answer came before the timeout.
    Timeout,
    /// The request went out and the connection broke before a status came back.
    Interrupted { detail: String },
}

impl TransportFailure {
    /// Whether the server may have acted on the request (so a later 404 means "we deleted it").
    pub fn may_have_reached_server(&self) -> bool {
        !matches!(self, Self::Connect { .. })
    }

    /// One readable line for the user.
    pub fn describe(&self) -> String {
        match self {
            Self::Connect { detail } => format!("could not connect: {detail}"),
            Self::Timeout => "no answer before the timeout".to_owned(),
            Self::Interrupted { detail } => {
                format!("the connection closed before an answer came: {detail}")
            }
        }
    }
}
