//! The simulated server's HTTP surface: `DELETE /v1/videos/{id}`, a JSON 404 for anything
//! else under it, and the inspection route `GET /_sim/stats`. It turns the library's, the
//! bucket's and the fault plan's decisions into answers; it holds no decision logic itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, Version, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};

use super::access::Access;
use super::config::SimConfig;
use super::faults::{Fault, FaultPlan};
use super::fixtures::Fixtures;
use super::impostor::{GarbageDice, Misroute, garbage_ok, misrouted};
use super::library::{DeleteVerdict, Library};
use super::rate_limit::{FixedWindow, Limiter, RateVerdict, TokenBucket};
use super::responses::{ApiError, ErrorRenderer, RateHeaders, html_bad_gateway};
use super::stats::StatsRecorder;
use crate::api::VideoId;

/// Everything the handlers share. Each lock is held for one decision, never across `.await`.
pub(super) struct SimState {
    pub(super) access: Access,
    misroute: Option<Misroute>,
    pub(super) garbage: Mutex<GarbageDice>,
    library: Mutex<Library>,
    pub(super) limiter: Mutex<Option<Limiter>>,
    rate_headers: RateHeaders,
    pub(super) faults: Mutex<FaultPlan>,
    errors: ErrorRenderer,
    pub(super) stats: StatsRecorder,
    request_seq: AtomicU64,
}

impl SimState {
    pub(super) fn new(config: &SimConfig, fixtures: &Fixtures) -> Self {
        let now = Instant::now();
        Self {
            access: Access::new(&config.key, config.revoke_key_after),
            misroute: config.misroute,
            garbage: Mutex::new(GarbageDice::new(config.seed, config.garbage_2xx_rate)),
            library: Mutex::new(Library::new(fixtures, now + config.processing_for)),
            limiter: Mutex::new(limiter(config, now)),
            rate_headers: RateHeaders {
                reset_style: config.reset_style,
                with_rate_headers: config.rate_headers,
                retry_after: config.retry_after,
                with_retry_after: config.retry_after_header,
            },
            faults: Mutex::new(FaultPlan::new(
                config.seed,
                config.latency,
                config.jitter,
                config.fault_rate,
                config.unavailable_rate,
                config.drop_after_delete_rate,
            )),
            errors: ErrorRenderer::new(config.error_shape),
            stats: StatsRecorder::default(),
            request_seq: AtomicU64::new(0),
        }
    }

    fn next_request_id(&self) -> String {
        format!(
            "req_sim_{:08}",
            self.request_seq.fetch_add(1, Ordering::Relaxed)
        )
    }
}

/// The configured limit, starting `now`: a token bucket, a fixed window, or none.
fn limiter(config: &SimConfig, now: Instant) -> Option<Limiter> {
    let bucket = (config.rate_per_sec)
        .map(|rate| Limiter::TokenBucket(TokenBucket::new(rate, config.burst, now)));
    let window =
        (config.fixed_window).map(|limit| Limiter::FixedWindow(FixedWindow::new(limit, now)));
    bucket.or(window)
}

/// A lock whose holder unwound (only possible through a dropped connection) left consistent
/// data behind: every critical section here is a single assignment or map operation.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(super) fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route(
            "/v1/videos/{id}",
            delete(delete_video).fallback(method_not_allowed),
        )
        .route("/_sim/stats", get(stats))
        .fallback(unknown_route)
        .with_state(state)
}

async fn delete_video(
    State(state): State<Arc<SimState>>,
    Path(raw_id): Path<String>,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
) -> Response {
    let in_flight = state.stats.begin(Some(uri.path()));
    state.stats.over(version);
    let delay = lock(&state.faults).delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some(misroute) = state.misroute {
        let host = headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .unwrap_or("127.0.0.1");
        let response = misrouted(misroute, host, uri.path());
        in_flight.answered(response.status().as_u16());
        return response;
    }
    let rate = lock(&state.limiter)
        .as_mut()
        .map(|limiter| limiter.take(Instant::now()));
    let request_id = state.next_request_id();
    let mut response = match answer_delete(&state, &raw_id, &headers, rate.as_ref()) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(Answer::Error(error)) => state.errors.render(&error, &request_id),
        Err(Answer::HtmlBadGateway) => html_bad_gateway(),
        Err(Answer::GarbageOk) => garbage_ok(),
        Err(Answer::DropConnection) => {
            in_flight.dropped();
            drop_connection();
        }
    };
    if let Some(rate) = &rate {
        state.rate_headers.add(response.headers_mut(), rate);
    }
    in_flight.answered(response.status().as_u16());
    response
}

/// Every answer but a plain 204.
enum Answer {
    Error(ApiError),
    HtmlBadGateway,
    /// A 200 that is not the API's; nothing was deleted.
    GarbageOk,
    /// The delete took effect; the client must get no answer at all.
    DropConnection,
}

/// The checks in the order a real API gateway applies them: rate limit, key, upstream
/// faults (a proxy's garbage 200 among them), then the video itself. A misroute, which never
/// reaches the API, was answered before all of them.
fn answer_delete(
    state: &SimState,
    raw_id: &str,
    headers: &HeaderMap,
    rate: Option<&RateVerdict>,
) -> Result<(), Answer> {
    if rate.is_some_and(|rate| !rate.allowed) {
        return Err(Answer::Error(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            "Too many requests, slow down",
        )));
    }
    if !state.access.authorize(headers) {
        return Err(Answer::Error(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Invalid API key",
        )));
    }
    if lock(&state.faults).unavailable() {
        return Err(Answer::Error(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "Service temporarily unavailable",
        )));
    }
    if let Some(fault) = lock(&state.faults).fault() {
        return Err(match fault {
            Fault::InternalError => Answer::Error(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "An unexpected error occurred",
            )),
            Fault::BadGateway => Answer::Error(ApiError::new(
                StatusCode::BAD_GATEWAY,
                "BAD_GATEWAY",
                "Upstream service error",
            )),
            Fault::BadGatewayHtml => Answer::HtmlBadGateway,
            Fault::Unavailable => Answer::Error(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "Service temporarily unavailable",
            )),
        });
    }
    if lock(&state.garbage).roll() {
        return Err(Answer::GarbageOk);
    }
    let Ok(id) = raw_id.parse::<VideoId>() else {
        return Err(Answer::Error(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_VIDEO_ID",
            "video_id must be a UUID",
        )));
    };
    match lock(&state.library).delete(id, Instant::now()) {
        DeleteVerdict::Deleted => {
            state.stats.deleted(id);
            if lock(&state.faults).drop_after_delete() {
                return Err(Answer::DropConnection);
            }
            Ok(())
        }
        DeleteVerdict::NotFound => Err(Answer::Error(ApiError::new(
            StatusCode::NOT_FOUND,
            "VIDEO_NOT_FOUND",
            "Video not found",
        ))),
        DeleteVerdict::Processing => Err(Answer::Error(ApiError::new(
            StatusCode::BAD_REQUEST,
            "VIDEO_IN_PROCESSING",
            "Cannot delete video while it is being processed",
        ))),
        DeleteVerdict::Forbidden => Err(Answer::Error(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "You do not have permission to delete this video",
        ))),
    }
}

/// Closes the connection without writing a response. axum serves each connection in its own
/// task, so unwinding out of the handler ends that task and hyper drops the socket;
/// `resume_unwind` skips the panic hook, so nothing is printed. Needs `panic = "unwind"`
/// (the default, and this crate's setting).
fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new(()))
}

/// Any path but the two routes: a JSON 404 in the configured shape, counted like every
/// other request.
async fn unknown_route(State(state): State<Arc<SimState>>, method: Method, uri: Uri) -> Response {
    let error = ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        format!("No route for {method} {}", uri.path()),
    );
    counted_error(&state, &error)
}

/// `/v1/videos/{id}` with a method other than DELETE: a JSON 405, counted.
async fn method_not_allowed(State(state): State<Arc<SimState>>, method: Method) -> Response {
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        format!("{method} is not supported here; use DELETE"),
    );
    let mut response = counted_error(&state, &error);
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("DELETE"));
    response
}

fn counted_error(state: &SimState, error: &ApiError) -> Response {
    let in_flight = state.stats.begin(None);
    let response = state.errors.render(error, &state.next_request_id());
    in_flight.answered(response.status().as_u16());
    response
}

async fn stats(State(state): State<Arc<SimState>>) -> axum::Json<super::SimStats> {
    axum::Json(state.stats.snapshot())
}
