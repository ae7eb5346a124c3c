//! `ElytronClient`: the one HTTP client of the process and the single `DELETE /videos/{id}`
//! attempt. Owns base-URL validation (no key over plain http to a remote host), headers and
//! turning a response into an `Attempt` (the GETs, in `reads::requests`, build on the same
//! pieces). It must not retry, pace or queue: the engine does.

use std::error::Error as _;
use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{Response, Url};

use super::attempt::{Answer, Attempt, TransportFailure};
use super::error_body::ErrorBody;
use super::key::ApiKey;
use super::rate_limit::RateLimitHint;
use super::video_id::VideoId;

/// Where and how patiently to talk to Elytron.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// `https://api.elytron.com/v1` unless `--base-url` / `ELYTRON_BASE_URL` say otherwise.
    pub base_url: String,
    /// Whole-request timeout, after which the attempt counts as a (retryable) timeout.
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

impl ClientConfig {
    /// The API host, from the base URL (validated as `ElytronClient::new` validates it), for
    /// what must be known before the client is built.
    pub fn host(&self) -> Result<String, ClientError> {
        validate_base_url(&self.base_url).map(|(_, host)| host)
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            base_url: "https://api.elytron.com/v1".to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Why a client could not be built. Never contains the key (the client has not seen it yet).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("the base URL {url:?} is not usable: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    #[error(
        "refusing plain http:// to {host}: the API key would travel unencrypted. Use https://, \
         or a loopback host (127.0.0.0/8, ::1, localhost) for a local test server"
    )]
    InsecureBaseUrl { host: String },
    #[error("could not set up the HTTP client: {0}")]
    Setup(String),
}

/// Cheap to clone: every clone shares one connection pool.
#[derive(Clone, Debug)]
pub struct ElytronClient {
    pub(super) http: reqwest::Client,
    /// Validated, without a trailing slash.
    pub(super) base_url: String,
    pub(super) host: String,
}

/// Most of an error body we read; real ones are a few hundred bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

impl ElytronClient {
    /// Validates the base URL and builds the process's HTTP client. Does no I/O, so a refused
    /// URL is refused before any connection is attempted.
    pub fn new(config: &ClientConfig) -> Result<Self, ClientError> {
        let (base_url, host) = validate_base_url(&config.base_url)?;
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(concat!("elytron-tui/", env!("CARGO_PKG_VERSION")))
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            // A redirect would be answered by someone we did not choose; report it instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| ClientError::Setup(error_chain(&error)))?;
        Ok(Self {
            http,
            base_url,
            host,
        })
    }

    /// The validated base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The API host, for the history and the header line.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Sends `DELETE {base}/videos/{id}` once and reports what came back. Never panics and
    /// never fails: every way it can go wrong is an `Attempt` variant.
    pub async fn delete_video(&self, key: &ApiKey, id: VideoId) -> Attempt {
        let Some(bearer) = bearer(key) else {
            return Attempt::KeyUnusable;
        };
        let url = format!("{}/videos/{id}", self.base_url);
        let sent = self
            .http
            .delete(url)
            .header(AUTHORIZATION, bearer)
            .send()
            .await;
        match sent {
            Ok(response) => Attempt::Answered(read_answer(response, key).await),
            Err(error) => Attempt::NoAnswer(classify_failure(&error, &self.host)),
        }
    }
}

/// The `Authorization` value for `key`, marked sensitive; `None` when the key cannot be a
/// header value.
pub(super) fn bearer(key: &ApiKey) -> Option<HeaderValue> {
    let mut bearer = HeaderValue::from_str(&format!("Bearer {}", key.expose())).ok()?;
    bearer.set_sensitive(true);
    Some(bearer)
}

/// Reads status, headers and (a bounded amount of) body. A body that breaks off midway still
/// leaves us the status, which is what decides the outcome.
async fn read_answer(response: Response, key: &ApiKey) -> Answer {
    let received = receive(response, key, MAX_BODY_BYTES).await;
    let body = ErrorBody::parse(
        &received.bytes,
        received.answer.content_type.as_deref(),
        received.truncated,
    );
    received.with_body(body, key)
}

/// An answer as it came off the wire, its body not yet read for meaning.
pub(super) struct Received {
    /// Everything but the body's meaning (`body` is left empty).
    pub answer: Answer,
    /// `X-Request-Id`, for a body that names no request.
    header_request_id: Option<String>,
    /// At most the limit given to `receive`.
    pub bytes: Vec<u8>,
    /// The body stopped early: it broke off, or it was longer than the limit.
    pub truncated: bool,
}

impl Received {
    /// The answer with what its body said, the key taken out of it.
    pub(super) fn with_body(self, mut body: ErrorBody, key: &ApiKey) -> Answer {
        if body.request_id.is_none() {
            body.request_id = self.header_request_id;
        }
        Answer {
            body: body.redact(key.expose()),
            ..self.answer
        }
    }
}

/// Status, headers and up to `max_bytes` of the body.
pub(super) async fn receive(mut response: Response, key: &ApiKey, max_bytes: usize) -> Received {
    let status = response.status().as_u16();
    let rate_limit = RateLimitHint::from_headers(response.headers());
    let header_request_id = header_text(response.headers(), "x-request-id");
    let content_type = header_text(response.headers(), CONTENT_TYPE.as_str());
    let location = header_text(response.headers(), LOCATION.as_str())
        .map(|location| location.replace(key.expose(), "***"));
    let mut bytes = Vec::new();
    let mut truncated = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() <= max_bytes => {
                bytes.extend_from_slice(&chunk);
            }
            Ok(Some(_)) | Err(_) => {
                truncated = true;
                break;
            }
            Ok(None) => break,
        }
    }
    Received {
        answer: Answer {
            status,
            body: ErrorBody::default(),
            rate_limit,
            content_type,
            location,
        },
        header_request_id,
        bytes,
        truncated,
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

pub(super) fn classify_failure(error: &reqwest::Error, host: &str) -> TransportFailure {
    if let Some(tls) = tls_cause(error) {
        TransportFailure::Tls {
            host: host.to_owned(),
            detail: tls.to_string(),
        }
    } else if error.is_connect() {
        TransportFailure::Connect {
            detail: error_chain(error),
        }
    } else if error.is_timeout() {
        TransportFailure::Timeout
    } else {
        TransportFailure::Interrupted {
            detail: error_chain(error),
        }
    }
}

/// The TLS error behind a failed request, if that is what it was. rustls's error sits inside
/// `io::Error`s, whose `source` skips the error they wrap, so those are opened with `get_ref`.
fn tls_cause(error: &reqwest::Error) -> Option<&rustls::Error> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = next {
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        next = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => cause.source(),
        };
    }
    None
}

/// The error and its causes on one line ("error sending request: connection closed ...").
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// `(base without trailing slash, host)`, or why the URL cannot be used.
fn validate_base_url(raw: &str) -> Result<(String, String), ClientError> {
    let invalid = |reason: &str| ClientError::InvalidBaseUrl {
        url: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(raw.trim()).map_err(|error| invalid(&error.to_string()))?;
    let host = url
        .host_str()
        .ok_or_else(|| invalid("it has no host"))?
        .to_owned();
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it contains a user name or password; give the API key separately",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "it must not have a query (?...) or fragment (#...)",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => return Err(ClientError::InsecureBaseUrl { host }),
        other => return Err(invalid(&format!("the scheme must be https, not {other:?}"))),
    }
    let base = url.as_str().trim_end_matches('/').to_owned();
    Ok((base, host))
}

/// 127.0.0.0/8, ::1 or `localhost` (`host` as `Url::host_str` gives it: IPv6 in brackets).
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// reqwest is built without a default crypto provider (to avoid aws-lc); installing ring
/// here means no caller, test or binary, can forget it.
fn install_crypto_provider() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Err only means another thread installed a provider first, which is all we need.
            let _already_installed = rustls::crypto::ring::default_provider().install_default();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(raw: &str) -> Result<String, ClientError> {
        validate_base_url(raw).map(|(base, _)| base)
    }

    #[test]
    fn accepts_https_and_loopback_http_and_drops_the_trailing_slash() {
        let ok = [
            ("https://api.elytron.com/v1/", "https://api.elytron.com/v1"),
            ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"),
            ("http://127.3.2.1/v1//", "http://127.3.2.1/v1"),
            ("http://[::1]:9/v1", "http://[::1]:9/v1"),
            ("http://LOCALHOST:9/v1", "http://localhost:9/v1"),
        ];
        for (raw, want) in ok {
            assert_eq!(base(raw).as_deref(), Ok(want), "{raw}");
        }
    }

    #[test]
    fn refuses_remote_http_and_odd_urls() {
        assert!(matches!(
            base("http://api.elytron.com/v1"),
            Err(ClientError::InsecureBaseUrl { .. })
        ));
        assert!(matches!(
            base("http://10.0.0.1/v1"),
            Err(ClientError::InsecureBaseUrl { .. })
        ));
        for raw in [
            "api.elytron.com/v1",
            "ftp://api.elytron.com",
            "https://user:pw@api.elytron.com/v1",
            "https://api.elytron.com/v1?x=1",
            "http://localhost.evil.com/v1",
        ] {
            assert!(base(raw).is_err(), "{raw}");
        }
    }
}
