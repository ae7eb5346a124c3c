//! `Attempt`: what came of sending one DELETE once, before any policy is applied. Owns the
//! distinction between "the server answered" and the ways it did not, and which answers come
//! from somewhere other than the API's video route (a redirect, a 404 without
//! `VIDEO_NOT_FOUND`); it must not decide outcomes or retries (`retry_policy` does).

use super::error_body::{BodyForm, ErrorBody};
use super::rate_limit::RateLimitHint;
use super::retry_policy::VIDEO_NOT_FOUND;

/// The result of one request.
#[derive(Clone, Debug, PartialEq)]
pub enum Attempt {
    /// An HTTP status came back (the body may still have been cut off: see `body`).
    Answered(Answer),
    /// No status came back.
    NoAnswer(TransportFailure),
    /// The key has bytes an HTTP header cannot carry, so nothing was sent. `ApiKey` already
    /// refuses control characters, so this is the safe answer to a fallible header API rather
    /// than an expected path.
    KeyUnusable,
}

/// A status with what its headers and body said.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: ErrorBody,
    pub rate_limit: RateLimitHint,
    /// `Content-Type`, as sent.
    pub content_type: Option<String>,
    /// `Location` (on a redirect), as sent.
    pub location: Option<String>,
}

impl Answer {
    /// `HTTP 503`, or `HTTP 503: message` when the body said one.
    pub fn status_line(&self) -> String {
        match &self.body.message {
            Some(message) => format!("HTTP {}: {message}", self.status),
            None => format!("HTTP {}", self.status),
        }
    }

    /// 502, 503, 504: the server's (or a proxy's) "not now", about no video in particular.
    pub fn is_unavailable(&self) -> bool {
        matches!(self.status, 502..=504)
    }

    /// Pacing or refusing load (a 429, or unavailable): retried within the larger budget.
    pub fn pushes_back(&self) -> bool {
        self.status == 429 || self.is_unavailable()
    }

    /// A 2xx that proves the video was deleted: 204, or 200/202 whose body is empty or JSON.
    /// Any other 2xx (a portal's HTML, a proxy's garbage, an odd code) proves nothing.
    pub fn proves_deleted(&self) -> bool {
        self.status == 204
            || (matches!(self.status, 200 | 202) && self.body.form != BodyForm::Other)
    }

    /// Whether only the API would have said this: a 2xx that proves a delete, or a 4xx of its
    /// own (not a misroute; not 408 or 429, which any proxy says too). A 5xx proves nothing.
    pub fn is_the_apis(&self) -> bool {
        match self.status {
            200..=299 => self.proves_deleted(),
            408 | 429 => false,
            400..=499 => self.misroute().is_none(),
            _ => false,
        }
    }

    /// Why this answer cannot be the API's about the video, when the request did not reach its
    /// video route: a redirect (never followed: the key would go where nobody chose), or a 404
    /// without `VIDEO_NOT_FOUND` (a proxy's page, a gateway that knows no such path). It says
    /// nothing about the video, and much about the base URL. `None` for any other answer.
    pub fn misroute(&self) -> Option<String> {
        match self.status {
            300..=399 => Some(match &self.location {
                Some(location) => format!(
                    "redirected to {location}: requests are not followed there with your key"
                ),
                None => format!("answered {} (a redirect) without a Location", self.status),
            }),
            404 if self.body.code.as_deref() != Some(VIDEO_NOT_FOUND) => {
                let said = match (&self.body.code, &self.body.message) {
                    (Some(code), Some(message)) => format!("{code}: {message}"),
                    (Some(text), None) | (None, Some(text)) => text.clone(),
                    (None, None) => "no body".to_owned(),
                };
                Some(format!("answered 404 without {VIDEO_NOT_FOUND} ({said})"))
            }
            _ => None,
        }
    }
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
    /// The TLS handshake with `host` failed (a certificate not trusted or not for that host, or
    /// no https spoken there): nothing was sent, and retrying cannot change it.
    Tls { host: String, detail: String },
}

impl TransportFailure {
    /// Whether the server may have acted on the request (so a later 404 means "we deleted it").
    pub fn may_have_reached_server(&self) -> bool {
        !matches!(self, Self::Connect { .. } | Self::Tls { .. })
    }

    /// One readable line for the user.
    pub fn describe(&self) -> String {
        match self {
            Self::Connect { detail } => format!("could not connect: {detail}"),
            Self::Timeout => "no answer before the timeout".to_owned(),
            Self::Interrupted { detail } => {
                format!("the connection closed before an answer came: {detail}")
            }
            Self::Tls { host, detail } => format!(
                "the TLS handshake with {host} failed: {detail} (a certificate that is not \
                 trusted or not for this host, or no https at this address)"
            ),
        }
    }
}
