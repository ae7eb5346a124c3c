//! The simulated server's HTTP surface: `DELETE /v1/videos/{id}`, the read routes (`reads`),
//! the path every `/v1/videos` request takes before its route decides (`through_gateway`:
//! latency, a misroute, a route switched off, the rate limit, the key, injected faults), a
//! JSON 404 for anything else, and the inspection route `GET /_sim/stats`. It turns the
//! library's, the bucket's and the fault plan's decisions into answers; it holds no decision
//! logic itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, Version, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::access::Access;
use super::catalog::Catalog;
use super::churn::ChurnState;
use super::config::{Refusal, RouteOff, SimConfig, SuccessShape};
use super::faults::{Fault, FaultPlan};
use super::fixtures::Fixtures;
use super::impostor::{GarbageDice, Misroute, garbage_ok, misrouted};
use super::library::{DeleteVerdict, Library};
use super::rate_limit::{FixedWindow, Limiter, RateVerdict, TokenBucket};
use super::reads;
use super::responses::{
    ApiError, ErrorRenderer, RateHeaders, html_app_page, html_bad_gateway, html_unavailable,
};
use super::stats::{InFlight, StatsRecorder};
use super::video::SimClock;
use crate::api::VideoId;

/// Everything the handlers share. Each lock is held for one decision, never across `.await`.
pub(super) struct SimState {
    pub(super) access: Access,
    misroute: Option<Misroute>,
    pub(super) garbage: Mutex<GarbageDice>,
    pub(super) library: Mutex<Library>,
    pub(super) clock: SimClock,
    pub(super) churn: Option<Mutex<ChurnState>>,
    pub(super) success: SuccessShape,
    pub(super) list_off: Option<RouteOff>,
    pub(super) status_off: Option<RouteOff>,
    pub(super) limiter: Mutex<Option<Limiter>>,
    rate_headers: RateHeaders,
    refusal: Refusal,
    pub(super) faults: Mutex<FaultPlan>,
    pub(super) errors: ErrorRenderer,
    pub(super) stats: StatsRecorder,
    request_seq: AtomicU64,
}

impl SimState {
    pub(super) fn new(config: &SimConfig, fixtures: &Fixtures) -> Self {
        let clock = SimClock::now();
        let now = clock.start;
        let ours = Catalog::new(config.seed).account(
            fixtures,
            config.failed,
            &clock,
            now + config.processing_for,
        );
        Self {
            access: Access::new(&config.key, config.revoke_key_after),
            misroute: config.misroute,
            garbage: Mutex::new(GarbageDice::new(config.seed, config.garbage_2xx_rate)),
            library: Mutex::new(Library::new(ours, &fixtures.other_account)),
            clock,
            churn: (config.churn).map(|churn| {
                Mutex::new(ChurnState::new(churn, config.seed, config.processing_for))
            }),
            success: config.success_shape,
            list_off: config.list_off,
            status_off: config.status_off,
            limiter: Mutex::new(limiter(config, now)),
            rate_headers: RateHeaders {
                reset_style: config.reset_style,
                with_rate_headers: config.rate_headers,
                form: config.header_form,
                retry_after: config.retry_after,
                with_retry_after: config.retry_after_header,
            },
            refusal: config.refusal,
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

    pub(super) fn next_request_id(&self) -> String {
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

/// A lock whose holder unwound left consistent data behind: a connection is only dropped on
/// purpose with no lock held, and every critical section is a few map operations.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(super) fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route(
            "/v1/videos",
            get(reads::list_videos).fallback(|state: State<Arc<SimState>>, method: Method| {
                refuse_method(state, method, "GET")
            }),
        )
        .route(
            "/v1/videos/{id}",
            get(reads::video_details).delete(delete_video).fallback(
                |state: State<Arc<SimState>>, method: Method| {
                    refuse_method(state, method, "GET, DELETE")
                },
            ),
        )
        .route(
            "/v1/videos/{id}/status",
            get(reads::video_status).fallback(|state: State<Arc<SimState>>, method: Method| {
                refuse_method(state, method, "GET")
            }),
        )
        .route("/_sim/stats", get(stats))
        .fallback(unknown_route)
        .with_state(state)
}

/// Every answer but the route's own.
pub(super) enum Answer {
    Error(ApiError),
    HtmlBadGateway,
    /// A proxy's limiter refusing: 503 with its HTML page.
    HtmlUnavailable,
    /// A 200 that is not the API's; nothing was deleted.
    GarbageOk,
    /// The delete took effect; the client must get no answer at all.
    DropConnection,
}

/// One request to a `/v1/videos` route (`in_flight` counts it), taken through what stands
/// before its route in the order a real API gateway applies it: latency, a misroute (which
/// never reaches the API), the route switched off (`off`), the rate limit, the key, upstream
/// faults (a proxy's garbage 200 among them). Then `route` answers, given the request ID.
pub(super) async fn through_gateway(
    state: &SimState,
    in_flight: InFlight<'_>,
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    off: Option<RouteOff>,
    route: impl FnOnce(&str) -> Result<Response, Answer>,
) -> Response {
    let delay = lock(&state.faults).delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some(misroute) = state.misroute {
        let host = headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .unwrap_or("127.0.0.1");
        let response = misrouted(misroute, method, host, uri.path());
        in_flight.answered(response.status().as_u16());
        return response;
    }
    if let Some(off) = off {
        let response = switched_off(state, off, method, uri);
        in_flight.answered(response.status().as_u16());
        return response;
    }
    let rate = lock(&state.limiter)
        .as_mut()
        .map(|limiter| limiter.take(Instant::now()));
    let request_id = state.next_request_id();
    let answer = admit(state, headers, rate.as_ref()).and_then(|()| route(&request_id));
    let mut response = match answer {
        Ok(response) => response,
        Err(Answer::Error(error)) => state.errors.render(&error, &request_id),
        Err(Answer::HtmlBadGateway) => html_bad_gateway(),
        Err(Answer::HtmlUnavailable) => html_unavailable(),
        Err(Answer::GarbageOk) => garbage_ok(),
        Err(Answer::DropConnection) => {
            in_flight.dropped();
            drop_connection();
        }
    };
    // A proxy's limiter says nothing about its limit.
    if let Some(rate) = &rate
        && state.refusal == Refusal::Api429
    {
        state.rate_headers.add(response.headers_mut(), rate);
    }
    in_flight.answered(response.status().as_u16());
    response
}

/// The checks every request passes before its route: rate limit, key, upstream faults.
fn admit(state: &SimState, headers: &HeaderMap, rate: Option<&RateVerdict>) -> Result<(), Answer> {
    if rate.is_some_and(|rate| !rate.allowed) {
        if state.refusal == Refusal::Proxy503 {
            return Err(Answer::HtmlUnavailable);
        }
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
    Ok(())
}

/// What a server without the route answers.
fn switched_off(state: &SimState, off: RouteOff, method: &Method, uri: &Uri) -> Response {
    match off {
        RouteOff::NotFound => {
            let error = no_route(method, uri);
            state.errors.render(&error, &state.next_request_id())
        }
        RouteOff::MethodNotAllowed => {
            let error = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                format!("{method} is not supported here"),
            );
            let mut response = state.errors.render(&error, &state.next_request_id());
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            response
        }
        RouteOff::HtmlPage => html_app_page(),
    }
}

async fn delete_video(
    State(state): State<Arc<SimState>>,
    Path(raw_id): Path<String>,
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
) -> Response {
    let in_flight = state.stats.begin(Some(uri.path()));
    state.stats.over(version);
    let route =
        |_: &str| answer_delete(&state, &raw_id).map(|()| StatusCode::NO_CONTENT.into_response());
    through_gateway(&state, in_flight, &headers, &method, &uri, None, route).await
}

/// What the DELETE itself does, once the request is through the gateway.
fn answer_delete(state: &SimState, raw_id: &str) -> Result<(), Answer> {
    let id = parse_id(raw_id)?;
    match lock(&state.library).delete(id, Instant::now()) {
        DeleteVerdict::Deleted => {
            state.stats.deleted(id);
            if lock(&state.faults).drop_after_delete() {
                return Err(Answer::DropConnection);
            }
            Ok(())
        }
        DeleteVerdict::NotFound => Err(video_not_found()),
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

/// A path's ID, or the API's 400 for one that is not a UUID.
pub(super) fn parse_id(raw_id: &str) -> Result<VideoId, Answer> {
    raw_id.parse::<VideoId>().map_err(|_| {
        Answer::Error(ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_VIDEO_ID",
            "video_id must be a UUID",
        ))
    })
}

pub(super) fn video_not_found() -> Answer {
    Answer::Error(ApiError::new(
        StatusCode::NOT_FOUND,
        "VIDEO_NOT_FOUND",
        "Video not found",
    ))
}

/// Closes the connection without writing a response. axum serves each connection in its own
/// task, so unwinding out of the handler ends that task and hyper drops the socket;
/// `resume_unwind` skips the panic hook, so nothing is printed. Needs `panic = "unwind"`
/// (the default, and this crate's setting).
fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new(()))
}

fn no_route(method: &Method, uri: &Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        format!("No route for {method} {}", uri.path()),
    )
}

/// Any path but the routes: a JSON 404 in the configured shape, counted like every other
/// request.
async fn unknown_route(State(state): State<Arc<SimState>>, method: Method, uri: Uri) -> Response {
    counted_error(&state, &no_route(&method, &uri))
}

/// A `/v1/videos` route with a method it does not take: a JSON 405 naming those it does,
/// counted.
async fn refuse_method(
    State(state): State<Arc<SimState>>,
    method: Method,
    allow: &'static str,
) -> Response {
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        format!("{method} is not supported here; use {allow}"),
    );
    let mut response = counted_error(&state, &error);
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
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
