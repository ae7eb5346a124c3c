//! The engine under load, against tiny axum servers on loopback that measure what wiremock
//! cannot: the peak number of requests in flight, and a token-bucket rate limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::engine::{Driver, config, ids, key};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::delete;
use elytron_tui::engine::EngineConfig;
use tokio::net::TcpListener;

/// What the test server saw.
#[derive(Default)]
struct Tally {
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
    served: AtomicUsize,
    throttled: AtomicUsize,
}

/// A server admitting `rate` requests per second with a burst of `burst`, each answer taking
/// `latency`; `None` rate means unlimited.
struct LoadServer {
    tally: Tally,
    latency: Duration,
    rate: Option<f64>,
    burst: f64,
    /// Send `Retry-After: 1` (whole seconds, as most servers do) with each 429.
    retry_after: bool,
    /// (tokens, last refill)
    bucket: Mutex<(f64, Instant)>,
}

impl LoadServer {
    fn take_token(&self) -> bool {
        let Some(rate) = self.rate else { return true };
        let Ok(mut bucket) = self.bucket.lock() else {
            return false;
        };
        let now = Instant::now();
        let (tokens, refilled) = *bucket;
        let tokens = (tokens + rate * now.duration_since(refilled).as_secs_f64()).min(self.burst);
        let admitted = tokens >= 1.0;
        *bucket = (if admitted { tokens - 1.0 } else { tokens }, now);
        admitted
    }
}

async fn handle_delete(State(server): State<Arc<LoadServer>>) -> Response {
    let tally = &server.tally;
    let now = tally.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    tally.peak_in_flight.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(server.latency).await;
    tally.in_flight.fetch_sub(1, Ordering::SeqCst);
    if server.take_token() {
        tally.served.fetch_add(1, Ordering::SeqCst);
        StatusCode::NO_CONTENT.into_response()
    } else {
        tally.throttled.fetch_add(1, Ordering::SeqCst);
        if server.retry_after {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")]).into_response()
        } else {
            StatusCode::TOO_MANY_REQUESTS.into_response()
        }
    }
}

async fn start(
    latency: Duration,
    rate: Option<f64>,
    burst: f64,
    retry_after: bool,
) -> (String, Arc<LoadServer>) {
    let server = Arc::new(LoadServer {
        tally: Tally::default(),
        latency,
        rate,
        burst,
        retry_after,
        bucket: Mutex::new((burst, Instant::now())),
    });
    let app = Router::new()
        .route("/v1/videos/{id}", delete(handle_delete))
        .with_state(Arc::clone(&server));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/v1"), server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_in_flight_than_a_small_cap() {
    let (base, server) = start(Duration::from_millis(20), None, 0.0, false).await;
    let capped = EngineConfig {
        max_concurrency: 3,
        ..config()
    };
    let mut driver = Driver::start(&base, Some(key()), capped);
    driver.enqueue(ids(60));
    assert_eq!(driver.until_idle().await.deleted, 60);
    assert_eq!(server.tally.peak_in_flight.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_grows_from_small_but_stays_under_the_default_cap() {
    let (base, server) = start(Duration::from_millis(25), None, 0.0, false).await;
    let mut driver = Driver::start(&base, Some(key()), config());
    driver.enqueue(ids(600));
    assert_eq!(driver.until_idle().await.deleted, 600);
    let peak = server.tally.peak_in_flight.load(Ordering::SeqCst);
    assert!(peak > 16 && peak <= 256, "peak in flight {peak}");
}

/// Runs `n` deletes against a `rate`/s server; returns (elapsed, 429s served).
async fn paced_run(rate: f64, n: usize, retry_after: bool) -> (Duration, usize) {
    let (base, server) = start(Duration::from_millis(2), Some(rate), 5.0, retry_after).await;
    let mut driver = Driver::start(&base, Some(key()), config());
    let started = Instant::now();
    driver.enqueue(ids(n));
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, n, "{counts:?}");
    (
        started.elapsed(),
        server.tally.throttled.load(Ordering::SeqCst),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_learns_the_server_rate_from_bare_429s() {
    let (elapsed, throttled) = paced_run(50.0, 150, false).await;
    // The server cannot go faster than 150 / 50 = 3 s; a storm-then-idle client or one that
    // learned a rate far too low would take much longer.
    assert!(elapsed < Duration::from_secs(6), "took {elapsed:?}");
    assert!(throttled <= 25, "{throttled} 429s for 150 deletes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_with_retry_after_keeps_429s_few() {
    let (elapsed, throttled) = paced_run(50.0, 150, true).await;
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    assert!(throttled <= 25, "{throttled} 429s for 150 deletes");
}
