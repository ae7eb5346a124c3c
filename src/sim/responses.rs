//! The simulated server's answers as HTTP: error bodies in both documented shapes, success
//! bodies bare or wrapped, the HTML pages of what is not the API, and the rate-limit headers.
//! It decides nothing about which answer to give.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::config::{ErrorShape, HeaderForm, ResetStyle, SuccessShape};
use super::rate_limit::RateVerdict;

/// An error answer before it is given a body shape.
#[derive(Clone, Debug)]
pub(super) struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
}

/// Renders error bodies in the configured shape; `Alternating` flips on every error answer.
pub(super) struct ErrorRenderer {
    shape: ErrorShape,
    rendered: AtomicU64,
}

impl ErrorRenderer {
    pub(super) fn new(shape: ErrorShape) -> Self {
        Self {
            shape,
            rendered: AtomicU64::new(0),
        }
    }

    pub(super) fn render(&self, error: &ApiError, request_id: &str) -> Response {
        let nested = match self.shape {
            ErrorShape::Nested => true,
            ErrorShape::Flat => false,
            ErrorShape::Alternating => self
                .rendered
                .fetch_add(1, Ordering::Relaxed)
                .is_multiple_of(2),
        };
        let meta = json!({ "request_id": request_id });
        let body = if nested {
            json!({
                "error": { "code": error.code, "message": error.message },
                "meta": meta,
            })
        } else {
            json!({
                "error": error.code,
                "message": error.message,
                "details": {},
                "meta": meta,
            })
        };
        (error.status, axum::Json(body)).into_response()
    }
}

impl SuccessShape {
    /// A `200` carrying `body`, at the top level or under `data` with `meta`.
    pub(super) fn render(self, body: Value, request_id: &str) -> Response {
        let body = match self {
            Self::Bare => body,
            Self::Wrapped => json!({
                "data": body,
                "meta": {
                    "timestamp": jiff::Timestamp::now().to_string(),
                    "request_id": request_id,
                },
            }),
        };
        (StatusCode::OK, axum::Json(body)).into_response()
    }
}

/// What a web app's catch-all route answers for any path: its own page, `200`.
pub(super) fn html_app_page() -> Response {
    const PAGE: &str = "<!doctype html>\n<html><head><title>Elytron</title></head>\n\
        <body><div id=\"root\">Loading…</div></body></html>\n";
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/html")], PAGE).into_response()
}

/// What nginx's `limit_req` answers a request over its rate, as it comes: 503 with nginx's
/// own page, no `Retry-After`, nothing about the limit.
pub(super) fn html_unavailable() -> Response {
    const PAGE: &str = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n\
        <body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n\
        <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html")],
        PAGE,
    )
        .into_response()
}

/// What nginx in front of an API answers when the upstream is down: not JSON at all.
pub(super) fn html_bad_gateway() -> Response {
    const PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
        <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html")],
        PAGE,
    )
        .into_response()
}

/// How the rate limit shows in the headers.
pub(super) struct RateHeaders {
    pub reset_style: ResetStyle,
    /// Whether rate headers are sent at all.
    pub with_rate_headers: bool,
    pub form: HeaderForm,
    /// A fixed `Retry-After` in place of the limiter's own wait.
    pub retry_after: Option<Duration>,
    /// Whether a refusal says `Retry-After` at all.
    pub with_retry_after: bool,
}

impl RateHeaders {
    /// Adds the rate headers in their form to any answer (unless they are off), and
    /// `Retry-After` (whole seconds, rounded up, at least 1) to a refusal.
    pub(super) fn add(&self, headers: &mut HeaderMap, verdict: &RateVerdict) {
        let mut set = |name: &'static str, value: String| {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        };
        if !verdict.allowed && self.with_retry_after {
            let wait = self.retry_after.unwrap_or(verdict.retry_after);
            set("retry-after", whole_seconds_up(wait).max(1).to_string());
        }
        if !self.with_rate_headers {
            return;
        }
        let (limit, remaining) = (verdict.limit, verdict.remaining);
        let window = whole_seconds_up(verdict.window).max(1);
        // The drafts' reset is always seconds from now.
        let delta = whole_seconds_up(verdict.until_full);
        let reset = match self.reset_style {
            ResetStyle::DeltaSeconds => delta,
            ResetStyle::UnixSeconds => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                whole_seconds_up(now + verdict.until_full)
            }
        };
        match self.form {
            HeaderForm::XRateLimit | HeaderForm::XRateLimitList => {
                let limit = if self.form == HeaderForm::XRateLimitList {
                    format!("{limit}, {limit};w={window}")
                } else {
                    limit.to_string()
                };
                set("x-ratelimit-limit", limit);
                set("x-ratelimit-remaining", remaining.to_string());
                set("x-ratelimit-reset", reset.to_string());
            }
            HeaderForm::Draft => {
                set("ratelimit-limit", limit.to_string());
                set("ratelimit-remaining", remaining.to_string());
                set("ratelimit-reset", delta.to_string());
            }
            HeaderForm::Structured => {
                set(
                    "ratelimit-policy",
                    format!("\"default\";q={limit};w={window}"),
                );
                set("ratelimit", format!("\"default\";r={remaining};t={delta}"));
            }
        }
    }
}

fn whole_seconds_up(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_seconds_up() {
        assert_eq!(whole_seconds_up(Duration::ZERO), 0);
        assert_eq!(whole_seconds_up(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds_up(Duration::from_secs(2)), 2);
        assert_eq!(whole_seconds_up(Duration::from_millis(2001)), 3);
    }
}
