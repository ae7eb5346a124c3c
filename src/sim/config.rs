//! `SimConfig`: every knob of the simulated Elytron server (fixture mix, latency, rate limit
//! and how it shows, faults, answers not from the API, key revocation, error and success body
//! shapes, read routes switched off, churn, TLS) and the fixed `--demo` setup. Plain data: it
//! starts nothing.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::churn::Churn;
use super::impostor::Misroute;
use super::rate_limit::FixedWindowLimit;
use super::tls::SimTls;

/// Which of the two documented error body shapes the server answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorShape {
    /// `{"error":{"code":"VIDEO_NOT_FOUND","message":"..."},"meta":{"request_id":"..."}}`
    #[default]
    Nested,
    /// `{"error":"VIDEO_NOT_FOUND","message":"...","details":{},"meta":{"request_id":"..."}}`
    Flat,
    /// Nested and flat in turn, one error answer after the other, so a client meets both.
    Alternating,
}

/// How `X-RateLimit-Reset` is written. The real API does not say, so a client must accept
/// both; the knob lets its tests meet each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ResetStyle {
    /// Seconds from now until the bucket is full again (rounded up).
    #[default]
    DeltaSeconds,
    /// The Unix time, in seconds, at which the bucket is full again.
    UnixSeconds,
}

/// How the GET routes' successful answers are laid out: the API's pages show both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SuccessShape {
    /// `{"data": {...}, "meta": {"timestamp": "...", "request_id": "..."}}`, as the pages'
    /// examples answer.
    #[default]
    Wrapped,
    /// The fields at the top level, as the pages' schemas put them.
    Bare,
}

/// A read route switched off, answered as a server without it would answer (before the rate
/// limit and the key check, as a router or a gateway does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RouteOff {
    /// `404` with a JSON error body (`NOT_FOUND`, no such route).
    NotFound,
    /// `405 Method Not Allowed` with a JSON error body (the path takes other methods).
    MethodNotAllowed,
    /// `200` with an HTML page, as a web app's catch-all answers any path.
    HtmlPage,
}

/// In which form the rate-limit headers go out: the ones real servers and proxies send.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum HeaderForm {
    /// `X-RateLimit-Limit: 10`, `X-RateLimit-Remaining: 3`, `X-RateLimit-Reset: 1`.
    #[default]
    XRateLimit,
    /// As `XRateLimit`, the limit followed by its policy, as Envoy sends it:
    /// `X-RateLimit-Limit: 10, 10;w=1`.
    XRateLimitList,
    /// The IETF draft's first headers: `RateLimit-Limit`, `RateLimit-Remaining`,
    /// `RateLimit-Reset` (always seconds from now).
    Draft,
    /// The IETF draft's structured fields: `RateLimit-Policy: "default";q=10;w=1` and
    /// `RateLimit: "default";r=3;t=1`.
    Structured,
}

/// What a request the rate limit refuses is answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Refusal {
    /// The API's own: 429 with `Retry-After` and the rate headers.
    #[default]
    Api429,
    /// A reverse proxy's limiter in front of the API (nginx's `limit_req` as it comes): 503
    /// with its HTML page, no `Retry-After` and no rate headers on any answer.
    Proxy503,
}

/// Everything the simulated server can be told. Build it with struct update syntax over
/// `Default` (an open, fault-free server on `127.0.0.1:0`).
#[derive(Clone)]
pub struct SimConfig {
    /// Where to listen. Must be a loopback address: the server refuses anything else.
    pub addr: SocketAddr,
    /// The one bearer key the server accepts.
    pub key: String,
    /// Seeds the fixture IDs and the random faults: the same seed gives the same IDs and states.
    pub seed: u64,
    /// Videos the account owns, including the `processing` ones.
    pub videos: usize,
    /// How many of `videos` are still processing when the server starts (the newest ones:
    /// pending for the first fifth of `processing_for`, then processing).
    pub processing: usize,
    /// How many of `videos` end their generation `failed`, with an `error`, spread evenly
    /// over the ready ones (failed from the start) and the processing ones (failing when
    /// their time is up). Deletable once failed, like a completed video.
    pub failed: usize,
    /// Videos that exist but belong to another account (403), on top of `videos`.
    pub other_account: usize,
    /// IDs the server never heard of (404), handed out for "not found" cases.
    pub unknown: usize,
    /// How long after start the processing videos become deletable.
    pub processing_for: Duration,
    /// Fixed delay before every `/v1` answer.
    pub latency: Duration,
    /// Extra delay, uniform in `0..=jitter`, on top of `latency`.
    pub jitter: Duration,
    /// Token bucket refill rate; `None` (and no `fixed_window`) means no rate limit and no
    /// `X-RateLimit-*` headers.
    pub rate_per_sec: Option<f64>,
    /// Bucket capacity; `None` means one second's worth (`rate_per_sec`, at least 1).
    pub burst: Option<f64>,
    /// A fixed-window limit instead of the token bucket (not both).
    pub fixed_window: Option<FixedWindowLimit>,
    /// Whether answers carry `X-RateLimit-Limit/Remaining/Reset`. Without them a refusal says
    /// only 429 and `Retry-After`, as many servers do.
    pub rate_headers: bool,
    /// A 429's `Retry-After`, whatever the limiter would need; `None`: the limiter's own wait
    /// in whole seconds, rounded up (at least 1).
    pub retry_after: Option<Duration>,
    /// Whether a 429 carries `Retry-After` at all. Without it (and without `rate_headers`) a
    /// refusal says only 429, as some servers do, and a client must learn the rate from the
    /// refusals alone.
    pub retry_after_header: bool,
    /// How `X-RateLimit-Reset` is written.
    pub reset_style: ResetStyle,
    /// Which headers carry the limit.
    pub header_form: HeaderForm,
    /// What a request over the limit is answered.
    pub refusal: Refusal,
    /// Fraction of `/v1` requests answered 500, 502 (half of them an HTML proxy page) or 503,
    /// before anything is deleted.
    pub fault_rate: f64,
    /// Fraction of `/v1` requests answered a plain 503 (JSON body, no `Retry-After`), each
    /// drawn on its own: scattered failures of a healthy server, not overload. On top of
    /// `fault_rate`.
    pub unavailable_rate: f64,
    /// Fraction of successful deletes whose connection is then closed with no answer at all:
    /// the video is gone, the client only sees a connection error.
    pub drop_after_delete_rate: f64,
    /// Which error body shape to answer with.
    pub error_shape: ErrorShape,
    /// How `GET /videos`, `GET /videos/{id}` and `GET /videos/{id}/status` lay out a success.
    pub success_shape: SuccessShape,
    /// `GET /videos` answered as a server without the listing would answer.
    pub list_off: Option<RouteOff>,
    /// `GET /videos/{id}/status` answered as a server without it would answer.
    pub status_off: Option<RouteOff>,
    /// Another client deleting listed videos and creating new ones between listed pages.
    pub churn: Option<Churn>,
    /// Fraction of `/v1` requests (past the key check) answered `200` with a body that is not
    /// JSON, before anything is deleted: a proxy or portal answering in the API's place.
    pub garbage_2xx_rate: f64,
    /// Every request to a `/v1/videos` route answered as a wrong base URL would be (before
    /// the rate limit and the key check); nothing is deleted.
    pub misroute: Option<Misroute>,
    /// The key is refused (401) after this many requests carrying it, as if revoked mid-batch.
    pub revoke_key_after: Option<u64>,
    /// Serve HTTPS (HTTP/1.1 or HTTP/2, by ALPN) with this certificate instead of plain HTTP.
    pub tls: Option<SimTls>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            key: "sim-key".to_owned(),
            seed: 0,
            videos: 100,
            processing: 5,
            failed: 0,
            other_account: 5,
            unknown: 5,
            processing_for: Duration::from_secs(10),
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            rate_per_sec: None,
            burst: None,
            fixed_window: None,
            rate_headers: true,
            retry_after: None,
            retry_after_header: true,
            reset_style: ResetStyle::default(),
            header_form: HeaderForm::default(),
            refusal: Refusal::default(),
            fault_rate: 0.0,
            unavailable_rate: 0.0,
            drop_after_delete_rate: 0.0,
            error_shape: ErrorShape::default(),
            success_shape: SuccessShape::default(),
            list_off: None,
            status_off: None,
            churn: None,
            garbage_2xx_rate: 0.0,
            misroute: None,
            revoke_key_after: None,
            tls: None,
        }
    }
}

/// The key `--demo` uses. Public on purpose: it only opens the in-process simulated server.
pub const DEMO_KEY: &str = "elytron-demo-key";

/// How long the demo's newest videos keep generating after it starts.
const DEMO_GENERATING: Duration = Duration::from_secs(8 * 60);

/// The `--demo` server: a few hundred videos, mostly deletable, some generating for 8 minutes
/// (long enough that a newcomer meets `processing`), some failed, some of another account,
/// some unknown; 40 to 120 ms latency and 20 requests/s, low enough that pacing and the
/// occasional retry show on screen.
pub fn demo_config() -> SimConfig {
    SimConfig {
        key: DEMO_KEY.to_owned(),
        seed: 2026,
        videos: 300,
        processing: 24,
        failed: 15,
        other_account: 12,
        unknown: 12,
        processing_for: DEMO_GENERATING,
        latency: Duration::from_millis(40),
        jitter: Duration::from_millis(80),
        rate_per_sec: Some(20.0),
        burst: Some(5.0),
        fault_rate: 0.01,
        error_shape: ErrorShape::Alternating,
        ..SimConfig::default()
    }
}

impl fmt::Debug for SimConfig {
    /// Everything but the key, which prints as `***` like `ApiKey` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfig")
            .field("addr", &self.addr)
            .field("key", &"***")
            .field("seed", &self.seed)
            .field("videos", &self.videos)
            .field("processing", &self.processing)
            .field("failed", &self.failed)
            .field("other_account", &self.other_account)
            .field("unknown", &self.unknown)
            .field("processing_for", &self.processing_for)
            .field("latency", &self.latency)
            .field("jitter", &self.jitter)
            .field("rate_per_sec", &self.rate_per_sec)
            .field("burst", &self.burst)
            .field("fixed_window", &self.fixed_window)
            .field("rate_headers", &self.rate_headers)
            .field("retry_after", &self.retry_after)
            .field("retry_after_header", &self.retry_after_header)
            .field("reset_style", &self.reset_style)
            .field("header_form", &self.header_form)
            .field("refusal", &self.refusal)
            .field("fault_rate", &self.fault_rate)
            .field("unavailable_rate", &self.unavailable_rate)
            .field("drop_after_delete_rate", &self.drop_after_delete_rate)
            .field("error_shape", &self.error_shape)
            .field("success_shape", &self.success_shape)
            .field("list_off", &self.list_off)
            .field("status_off", &self.status_off)
            .field("churn", &self.churn)
            .field("garbage_2xx_rate", &self.garbage_2xx_rate)
            .field("misroute", &self.misroute)
            .field("revoke_key_after", &self.revoke_key_after)
            .field("tls", &self.tls)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let config = SimConfig {
            key: "SECRET-SIM-KEY".to_owned(),
            ..SimConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("videos: 100"), "{shown}");
    }
}
