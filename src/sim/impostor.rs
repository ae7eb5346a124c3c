//! Answers that are not the API's, for the faults a client meets when something else answers
//! in its place: a misrouted request (an nginx 404 page, a gateway's JSON 404 with another
//! code, a redirect) and a 2xx that proves nothing (a proxy's or portal's page). It renders
//! and draws them (with its own seeded dice); it deletes nothing.

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Every request to a `/v1/videos` route answered as a wrong base URL would answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Misroute {
    /// `404` with nginx's HTML page.
    #[value(name = "html-404", alias = "html404")]
    Html404,
    /// `404` with a JSON body whose code is `NOT_FOUND`, not `VIDEO_NOT_FOUND`.
    #[value(name = "code-404", alias = "code404")]
    Code404,
    /// `308 Permanent Redirect` to the same path over https.
    Redirect,
}

/// The misrouted answer to a `method` request for `path` received on `host`.
pub(super) fn misrouted(misroute: Misroute, method: &Method, host: &str, path: &str) -> Response {
    match misroute {
        Misroute::Html404 => {
            const PAGE: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n\
                <center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n\
                </body>\r\n</html>\r\n";
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/html")],
                PAGE,
            )
                .into_response()
        }
        Misroute::Code404 => {
            let body = serde_json::json!({
                "error": { "code": "NOT_FOUND", "message": format!("No route for {method} {path}") },
            });
            (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
        }
        Misroute::Redirect => {
            let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
            if let Ok(location) = HeaderValue::from_str(&format!("https://{host}{path}")) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
    }
}

/// A `200 OK` whose body is neither empty nor JSON: what a captive portal or a proxy that
/// swallowed the API's answer sends.
pub(super) fn garbage_ok() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain")],
        "\u{1}\u{7f}ok?? <not the api>",
    )
        .into_response()
}

/// The dice for `garbage_ok`, seeded apart from the other faults.
pub(super) struct GarbageDice {
    rng: fastrand::Rng,
    pub(super) rate: f64,
}

/// Keeps these draws independent of the fixtures and the other faults from the same seed.
const GARBAGE_SEED_SALT: u64 = 0x6a7b_a6e2;

impl GarbageDice {
    pub(super) fn new(seed: u64, rate: f64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed ^ GARBAGE_SEED_SALT),
            rate,
        }
    }

    /// True for about `rate` of calls.
    pub(super) fn roll(&mut self) -> bool {
        self.rate > 0.0 && self.rng.f64() < self.rate
    }
}
