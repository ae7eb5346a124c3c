//! The engine under load, against the simulated server on loopback, which measures what
//! wiremock cannot: the peak number of requests in flight, and a token-bucket rate limit.

use std::time::{Duration, Instant};

use elytron_tui::api::VideoId;
use elytron_tui::engine::EngineConfig;
use elytron_tui::sim::{SimConfig, SimServer};

use crate::support::engine::{Driver, config};
use crate::support::sim::{api_key, plain, serve};

/// `config`'s videos, each answer taking `latency`, and no `X-RateLimit-*` headers.
async fn start(latency: Duration, config: SimConfig) -> SimServer {
    serve(SimConfig {
        latency,
        rate_headers: false,
        ..config
    })
    .await
}

fn deletable(server: &SimServer) -> Vec<VideoId> {
    server.fixtures().deletable.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_in_flight_than_a_small_cap() {
    let server = start(Duration::from_millis(20), plain(60)).await;
    let capped = EngineConfig {
        max_concurrency: 3,
        ..config()
    };
    let mut driver = Driver::start(&server.base_url(), Some(api_key()), capped);
    driver.enqueue(deletable(&server));
    assert_eq!(driver.until_idle().await.deleted, 60);
    assert_eq!(server.stats().peak_in_flight, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_grows_from_small_but_stays_under_the_default_cap() {
    let server = start(Duration::from_millis(25), plain(600)).await;
    let mut driver = Driver::start(&server.base_url(), Some(api_key()), config());
    driver.enqueue(deletable(&server));
    assert_eq!(driver.until_idle().await.deleted, 600);
    let peak = server.stats().peak_in_flight;
    assert!(peak > 16 && peak <= 256, "peak in flight {peak}");
}

/// Runs `n` deletes against a `rate`/s server (a token bucket of 5) whose 429s say
/// `Retry-After: 1` or, without `retry_after`, nothing at all; returns (elapsed, 429s served).
async fn paced_run(rate: f64, n: usize, retry_after: bool) -> (Duration, usize) {
    let limited = SimConfig {
        rate_per_sec: Some(rate),
        burst: Some(5.0),
        retry_after: retry_after.then_some(Duration::from_secs(1)),
        retry_after_header: retry_after,
        ..plain(n)
    };
    let server = start(Duration::from_millis(2), limited).await;
    let mut driver = Driver::start(&server.base_url(), Some(api_key()), config());
    let started = Instant::now();
    driver.enqueue(deletable(&server));
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, n, "{counts:?}");
    let throttled = server.stats().count(429);
    (
        started.elapsed(),
        usize::try_from(throttled).expect("a count of requests fits usize"),
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
