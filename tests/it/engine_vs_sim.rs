//! The delete engine against the project's simulated Elytron server, in-process on loopback:
//! the concurrency cap by the server's own peak counter, pacing against its token bucket (a
//! burst of one included), connections dropped after the delete, and the whole fixture mix
//! under injected faults.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::support::engine::{Driver, config};
use crate::support::sim::{api_key, serve};
use elytron_tui::api::{OutcomeKind, VideoId};
use elytron_tui::engine::EngineConfig;
use elytron_tui::sim::{ErrorShape, ResetStyle, SimConfig, SimServer};

fn drive(server: &SimServer, config: EngineConfig) -> Driver {
    Driver::start(&server.base_url(), Some(api_key()), config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_cap_is_never_exceeded() {
    let server = serve(SimConfig {
        videos: 200,
        processing: 0,
        latency: Duration::from_millis(15),
        jitter: Duration::from_millis(10),
        ..SimConfig::default()
    })
    .await;
    for cap in [5, 64] {
        server.reset_stats();
        let mut driver = drive(
            &server,
            EngineConfig {
                max_concurrency: cap,
                ..config()
            },
        );
        let batch: Vec<VideoId> = server.fixtures().deletable.clone();
        driver.enqueue(batch.clone());
        let counts = driver.until_idle().await;
        let stats = server.stats();
        assert!(stats.peak_in_flight <= cap as u64, "cap {cap}: {stats:?}");
        assert!(
            stats.peak_in_flight >= 2,
            "the window opened beyond 1: {stats:?}"
        );
        if cap == 5 {
            assert_eq!(counts.deleted, batch.len());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_settles_near_the_sim_rate_limit_with_few_429s() {
    let (rate, burst, n) = (50.0, 10.0, 200);
    let server = serve(SimConfig {
        videos: n,
        processing: 0,
        latency: Duration::from_millis(5),
        rate_per_sec: Some(rate),
        burst: Some(burst),
        ..SimConfig::default()
    })
    .await;
    let mut driver = drive(&server, config());
    let started = Instant::now();
    driver.enqueue(server.fixtures().deletable.clone());
    let counts = driver.until_idle().await;
    let elapsed = started.elapsed();
    let stats = server.stats();
    assert_eq!(counts.deleted, n, "{counts:?}");
    // The server allows (200 - 10) / 50 = 3.8 s at best. Generous bound for a loaded machine,
    // but far below what a 429 storm followed by whole-second waits would take.
    assert!(elapsed < Duration::from_secs(12), "took {elapsed:?}");
    let throttled = stats.count(429);
    assert!(
        throttled <= 20,
        "{throttled} 429s for {n} deletes: {stats:?}"
    );
}

/// The sim reports `X-RateLimit-Remaining` on every answer, 204s included: the engine must
/// never put more requests on the wire than it says are left, so the burst running out is
/// not a window's worth of 429s. (The sim's `Limit` is its bucket's capacity, so its peak in
/// flight bounds what any `Remaining` allowed.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_requests_on_the_wire_than_the_server_has_left() {
    let (burst, n) = (12, 60);
    let server = serve(SimConfig {
        videos: n,
        processing: 0,
        latency: Duration::from_millis(20),
        rate_per_sec: Some(20.0),
        burst: Some(burst as f64),
        ..SimConfig::default()
    })
    .await;
    let mut driver = drive(&server, config());
    driver.enqueue(server.fixtures().deletable.clone());
    let counts = driver.until_idle().await;
    let stats = server.stats();
    assert_eq!(counts.deleted, n, "{counts:?}");
    assert!(
        stats.peak_in_flight <= burst,
        "{} on the wire, {burst} allowed: {stats:?}",
        stats.peak_in_flight
    );
    // Only lone probes can meet an empty bucket: their search for the refill pace costs a few
    // 429s (more when the machine is loaded and they leave late or early), never a burst's
    // worth, which is what sending past `Remaining` costs.
    let throttled = stats.count(429);
    assert!(
        throttled < burst,
        "{throttled} 429s for {n} deletes: {stats:?}"
    );
}

/// A server allowing bursts of one answers `X-RateLimit-Limit: 1`, `Remaining: 0` and a
/// whole-second `Reset` to every request, however fast it refills: its headers justify one
/// request a second. The lone probes must find the real pace themselves, so the batch takes
/// about N/R (here 3 s), not N seconds (150 s), and the search costs a few 429s, not one per
/// cycle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_one_is_paced_near_the_server_rate_not_one_a_second() {
    let (rate, n) = (50.0, 150);
    let server = serve(SimConfig {
        videos: n,
        processing: 0,
        rate_per_sec: Some(rate),
        burst: Some(1.0),
        ..SimConfig::default()
    })
    .await;
    let mut driver = drive(&server, config());
    driver.enqueue(server.fixtures().deletable.clone());
    // Generous for a loaded machine: a second's gate for the first blind requests, about a
    // second to find the pace and a refused ID's one-second retry add to N/R.
    let bound = Duration::from_secs_f64(5.0 * n as f64 / rate);
    let Ok(counts) = tokio::time::timeout(bound, driver.until_idle()).await else {
        panic!("not done within {bound:?}: {:?}", server.stats());
    };
    let stats = server.stats();
    assert_eq!(counts.deleted, n, "{counts:?}");
    let throttled = stats.count(429);
    assert!(
        throttled <= 10,
        "{throttled} 429s for {n} deletes: {stats:?}"
    );
}

#[tokio::test]
async fn a_connection_dropped_after_the_delete_ends_gone_never_failed() {
    let server = serve(SimConfig {
        videos: 40,
        processing: 0,
        drop_after_delete_rate: 0.5,
        ..SimConfig::default()
    })
    .await;
    let mut driver = drive(&server, config());
    let batch = server.fixtures().deletable.clone();
    driver.enqueue(batch.clone());
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, batch.len(), "{counts:?}");
    let stats = server.stats();
    assert!(
        stats.dropped_connections > 0,
        "the fault was exercised: {stats:?}"
    );
    let lost_then_gone = batch
        .iter()
        .filter(|id| driver.outcome(**id).attempts > 1)
        .count();
    assert!(lost_then_gone > 0);
}

#[tokio::test]
async fn the_fixture_mix_under_faults_ends_truthfully_and_only_enqueued_ids_are_sent() {
    let server = serve(SimConfig {
        videos: 60,
        processing: 6,
        other_account: 6,
        unknown: 6,
        processing_for: Duration::from_secs(600),
        fault_rate: 0.15,
        error_shape: ErrorShape::Alternating,
        // A generous limit, so its headers (Reset as a Unix time) flow without stalling.
        rate_per_sec: Some(500.0),
        reset_style: ResetStyle::UnixSeconds,
        ..SimConfig::default()
    })
    .await;
    let fixtures = server.fixtures().clone();
    let batch: Vec<VideoId> = fixtures.all().collect();
    let mut driver = drive(
        &server,
        EngineConfig {
            max_attempts: 8,
            ..config()
        },
    );
    driver.enqueue(batch.clone());
    driver.until_idle().await;
    let expect = [
        (&fixtures.deletable, OutcomeKind::Deleted),
        (&fixtures.processing, OutcomeKind::Processing),
        (&fixtures.other_account, OutcomeKind::Forbidden),
        (&fixtures.unknown, OutcomeKind::NotFound),
    ];
    for (ids, kind) in expect {
        for id in ids {
            let outcome = driver.outcome(*id);
            assert_eq!(outcome.kind, kind, "{id}: {outcome:?}");
            assert!(outcome.message.is_some() || kind == OutcomeKind::Deleted);
        }
    }
    let stats = server.stats();
    let sent: HashSet<String> = stats.delete_paths.iter().cloned().collect();
    let enqueued: HashSet<String> = batch.iter().map(|id| format!("/v1/videos/{id}")).collect();
    assert_eq!(sent, enqueued);
    assert_eq!(driver.first_starts(), batch);
}
