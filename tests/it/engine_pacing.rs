//! The delete engine against the simulated server where it says little or is hard to read:
//! rate limits with no `X-RateLimit-*` headers (a token bucket whose `Retry-After` overstates
//! the wait, a fixed window), a fixed window that sends them, a proxy's limiter answering 503,
//! scattered and clustered plain 503s and a server refusing everything, and an unlimited
//! server far away. Bounds are
//! loose (a loaded 2-core CI box), but each is far from what the engine did before it
//! handled the case: `BENCHMARKS.md` has the measured figures.

#[path = "../../benches/support/closed_windows.rs"]
mod closed_windows;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::support::engine::{Driver, cleared, config};
use crate::support::sim::{api_key, serve};
use closed_windows::{most_into_one_known_closed, sent_into_known_closed};
use elytron_tui::api::VideoId;
use elytron_tui::engine::{Command, EngineConfig, Event, HaltCause, Pause, ServerPace};
use elytron_tui::sim::{FixedWindowLimit, Refusal, ResetStyle, SimConfig, SimServer, SimStats};

/// `config`'s videos, every one deletable.
async fn sim(config: SimConfig) -> SimServer {
    serve(SimConfig {
        processing: 0,
        other_account: 0,
        unknown: 0,
        ..config
    })
    .await
}

/// Deletes every deletable video with `config`; how long it took and what the server saw.
async fn delete_all(server: &SimServer, config: EngineConfig) -> (Driver, Duration, SimStats) {
    let key = api_key();
    let mut driver = Driver::start(&server.base_url(), Some(key), config);
    let batch: Vec<VideoId> = server.fixtures().deletable.clone();
    let started = Instant::now();
    driver.send(Command::Enqueue(cleared(batch.clone())));
    let counts = driver.until_idle().await;
    let elapsed = started.elapsed();
    assert_eq!(counts.deleted, batch.len(), "{counts:?}");
    (driver, elapsed, server.stats())
}

/// A bucket refilling 20 a second that says only `Retry-After: 2` (a wait a hundred times
/// what it needs): honouring it for every request, as the engine did, took about twice the
/// ideal; a probe shows the server admits again within 50 ms.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_without_rate_headers_is_paced_near_its_rate_despite_a_long_retry_after() {
    let (rate, burst, n) = (20.0, 5.0, 100);
    let server = sim(SimConfig {
        videos: n,
        latency: Duration::from_millis(5),
        rate_per_sec: Some(rate),
        burst: Some(burst),
        rate_headers: false,
        retry_after: Some(Duration::from_secs(2)),
        ..SimConfig::default()
    })
    .await;
    let (_, elapsed, stats) = delete_all(&server, config()).await;
    // Ideal (100 - 5) / 20 = 4.75 s; before: 11 s.
    assert!(
        elapsed < Duration::from_secs_f64(6.5),
        "took {elapsed:?}, answers {:?}",
        stats.by_status
    );
    let throttled = stats.count(429);
    assert!(throttled <= 25, "{throttled} 429s for {n} deletes");
}

/// 100/s with a burst of 20 and `Retry-After: 1`, no headers: the 429s stay a small share
/// (issue 10's bound is 3% at 600; this is 300, so the start weighs more).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_without_rate_headers_draws_few_429s() {
    let n = 300;
    let server = sim(SimConfig {
        videos: n,
        latency: Duration::from_millis(10),
        rate_per_sec: Some(100.0),
        burst: Some(20.0),
        rate_headers: false,
        retry_after: Some(Duration::from_secs(1)),
        ..SimConfig::default()
    })
    .await;
    let (_, elapsed, stats) = delete_all(&server, config()).await;
    let throttled = stats.count(429);
    assert!(throttled <= 30, "{throttled} 429s for {n} deletes");
    // Ideal 2.8 s.
    assert!(elapsed < Duration::from_secs(6), "took {elapsed:?}");
}

/// Deletes every deletable video, noting when each request left and, for each 429, when its
/// request left and when the answer came. Returns the time from the server's start to the
/// end, and those refusals.
async fn delete_all_noting_refusals(
    server: &SimServer,
    server_started: Instant,
) -> (Duration, Vec<(Instant, Instant)>) {
    let key = api_key();
    let mut driver = Driver::start(&server.base_url(), Some(key), config());
    let batch = server.fixtures().deletable.clone();
    driver.send(Command::Enqueue(cleared(batch.clone())));
    let mut sent_at = HashMap::new();
    let mut refusals = Vec::new();
    let deleted = loop {
        match driver.next().await {
            Event::Started { id, .. } => {
                sent_at.insert(id, Instant::now());
            }
            // The retry policy's wording for a 429 it retries.
            Event::Retrying { id, reason, .. } if reason.starts_with("HTTP 429") => {
                refusals.push((sent_at[&id], Instant::now()));
            }
            Event::Idle { counts } => break counts.deleted,
            _ => {}
        }
    };
    let elapsed = server_started.elapsed();
    assert_eq!(deleted, batch.len());
    assert_eq!(
        refusals.len() as u64,
        server.stats().count(429),
        "every 429 seen"
    );
    (elapsed, refusals)
}

/// 20 requests per 2-second window, no headers: the engine learns that the window's waits are
/// meant and spends each window's quota, then tests the next with one request, instead of
/// sending into a window it knows is closed; and it does not pace itself below the windows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_window_without_rate_headers_is_used_fully_and_not_hammered_when_closed() {
    let window = Duration::from_secs(2);
    let server_started = Instant::now();
    let server = sim(SimConfig {
        videos: 80,
        latency: Duration::from_millis(5),
        fixed_window: Some(FixedWindowLimit { limit: 20, window }),
        rate_headers: false,
        ..SimConfig::default()
    })
    .await;
    let (elapsed, refusals) = delete_all_noting_refusals(&server, server_started).await;
    // The fourth window opens at 6 s; each wait is whole seconds, rounded up.
    assert!(elapsed < Duration::from_secs(9), "took {elapsed:?}");
    let late = sent_into_known_closed(&refusals, server_started, window);
    assert!(late <= 8, "{late} requests sent into windows known closed");
}

/// 10 requests a second in fixed windows, said in `X-RateLimit-*` (`Reset` in whole seconds
/// from now, or as a Unix time): each window's quota goes at its turn, and at most one
/// request goes into any window known closed. Before, the engine probed each closed window
/// at the pace an even refill would allow, every probe refused: 0.37 and 0.52 of the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_window_with_rate_headers_is_spent_at_each_turn_not_probed_while_closed() {
    let window = Duration::from_secs(1);
    for reset_style in [ResetStyle::DeltaSeconds, ResetStyle::UnixSeconds] {
        let server_started = Instant::now();
        let server = sim(SimConfig {
            videos: 60,
            latency: Duration::from_millis(10),
            fixed_window: Some(FixedWindowLimit { limit: 10, window }),
            reset_style,
            ..SimConfig::default()
        })
        .await;
        let (elapsed, refusals) = delete_all_noting_refusals(&server, server_started).await;
        // The sixth window opens at 5 s.
        assert!(
            elapsed < Duration::from_secs_f64(6.5),
            "{reset_style:?}: took {elapsed:?}, {} refused",
            refusals.len()
        );
        let most = most_into_one_known_closed(&refusals, server_started, window);
        assert!(
            most <= 1,
            "{reset_style:?}: {most} into one window known closed"
        );
    }
}

/// 5% of answers a plain 503, at random: not overload. The window must not halve for each.
/// Counted from the engine's own `Narrowed` events, not from how many requests a loaded
/// machine keeps in flight: 150 ms away, an answer counts as slow (and a slow 503 rightly
/// halves the window) only after a 300 ms stall, and a chance crowd (5 of 20 answers) comes
/// about once in 400 answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scattered_plain_503s_do_not_collapse_the_window() {
    let server = sim(SimConfig {
        videos: 800,
        latency: Duration::from_millis(150),
        unavailable_rate: 0.05,
        ..SimConfig::default()
    })
    .await;
    let (driver, _, stats) = delete_all(&server, config()).await;
    let unavailable = stats.count(503);
    assert!(
        unavailable >= 10,
        "the fault was exercised: {:?}",
        stats.by_status
    );
    let narrowed: Vec<usize> = driver
        .seen
        .iter()
        .filter_map(|event| match event {
            Event::Narrowed { in_flight } => Some(*in_flight),
            _ => None,
        })
        .collect();
    // Before: each 503 halved the window, which hovered around 10 to 20.
    assert!(
        narrowed.len() as u64 * 4 <= unavailable,
        "halved {} times for {unavailable} 503s, to {narrowed:?}",
        narrowed.len()
    );
}

/// Issue 20's proxy: a leaky-bucket limiter at 100/s (burst 20) in front of the API,
/// answering 503 with its HTML page and no `Retry-After`. Its 503s come in crowds and are
/// paced like 429s, and they do not spend a video's attempts (here two, so that a video
/// refused twice would fail): before, a third of the requests were refused, and videos
/// failed ("gave up after 2 attempts: HTTP 503").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_limiter_answering_503_is_paced_and_fails_no_video() {
    let n = 600;
    let server = sim(SimConfig {
        videos: n,
        latency: Duration::from_millis(20),
        rate_per_sec: Some(100.0),
        burst: Some(20.0),
        refusal: Refusal::Proxy503,
        ..SimConfig::default()
    })
    .await;
    let two_attempts = EngineConfig {
        max_attempts: 2,
        ..EngineConfig::default()
    };
    // `delete_all` checks every video ended deleted.
    let (_, elapsed, stats) = delete_all(&server, two_attempts).await;
    // Ideal (600 - 20) / 100 = 5.8 s.
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    let refused = stats.count(503);
    assert!(refused <= 150, "{refused} 503s for {n} deletes");
}

/// A server that answers 503 to everything (down for maintenance) halts the batch: nothing is
/// failed for it (with the real backoff: its 503s spend their own, fourfold budget), one
/// request at a time probes it, and the first answer that is not a 503 resumes sending.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_refusing_everything_halts_the_batch_until_it_answers_again() {
    let server = sim(SimConfig {
        videos: 40,
        unavailable_rate: 1.0,
        ..SimConfig::default()
    })
    .await;
    let key = api_key();
    let mut driver = Driver::start(&server.base_url(), Some(key), EngineConfig::default());
    let batch = server.fixtures().deletable.clone();
    driver.send(Command::Enqueue(cleared(batch.clone())));
    driver
        .until(|event| {
            matches!(event, Event::Paused(Pause::Halted(halt))
                if matches!(halt.cause, HaltCause::Overloaded { .. }))
        })
        .await;
    let tried = server.stats().requests;
    server.set_unavailable_rate(0.0);
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, batch.len(), "{counts:?}");
    assert!(driver.seen.contains(&Event::Resumed));
    // While halted, probes one at a time: a few requests, not one per video per second.
    let after = server.stats().requests - tried;
    assert!(
        after <= batch.len() as u64 + 8,
        "{after} requests after the halt"
    );
}

/// Half the answers a plain 503: that is a server in trouble, and the window stays small.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clustered_plain_503s_keep_the_window_small() {
    let server = sim(SimConfig {
        videos: 150,
        latency: Duration::from_millis(20),
        unavailable_rate: 0.5,
        ..SimConfig::default()
    })
    .await;
    let patient = EngineConfig {
        max_attempts: 20,
        ..config()
    };
    let (_, _, stats) = delete_all(&server, patient).await;
    assert!(
        stats.peak_in_flight <= 32,
        "peak in flight {}",
        stats.peak_in_flight
    );
}

/// 300 ms away and unlimited: the default cap leaves room for hundreds in flight (it was 64,
/// a floor of N / 64 round trips).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn far_away_the_window_opens_to_hundreds_by_default() {
    let n = 1500;
    let server = sim(SimConfig {
        videos: n,
        latency: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let defaults = EngineConfig {
        backoff_base: config().backoff_base,
        backoff_cap: config().backoff_cap,
        ..EngineConfig::default()
    };
    let (_, elapsed, stats) = delete_all(&server, defaults).await;
    assert!(
        stats.peak_in_flight > 256,
        "peak in flight {}",
        stats.peak_in_flight
    );
    // 1500 / 64 x 0.3 s = 7 s at the old cap, before its ramp.
    assert!(elapsed < Duration::from_secs(6), "took {elapsed:?}");
}

/// Issue 20 item 4, the user's pause: nothing is sent while paused (not even a probe), the
/// requests on the wire finish (the engine says when the last has landed), and `Resume` goes
/// on at the pace learned before, however long the pause: the 429s that taught it are not
/// drawn again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_batch_sends_nothing_and_resumes_at_the_pace_it_had() {
    let server = sim(SimConfig {
        videos: 80,
        latency: Duration::from_millis(10),
        rate_per_sec: Some(40.0),
        burst: Some(5.0),
        rate_headers: false,
        retry_after: Some(Duration::from_secs(1)),
        ..SimConfig::default()
    })
    .await;
    let key = api_key();
    let mut driver = Driver::start(&server.base_url(), Some(key), config());
    let batch = server.fixtures().deletable.clone();
    driver.send(Command::Enqueue(cleared(batch.clone())));
    let mut finished = 0;
    driver
        .until(|event| {
            finished += usize::from(matches!(event, Event::Finished { .. }));
            finished >= 30
        })
        .await;
    driver.send(Command::Pause);
    driver
        .until(|event| *event == Event::Paused(Pause::ByUser { in_flight: 0 }))
        .await;
    let (sent, refused) = (server.stats().requests, server.stats().count(429));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(server.stats().requests, sent, "sent while paused");
    driver.send(Command::Resume);
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, batch.len(), "{counts:?}");
    assert!(driver.seen.contains(&Event::Resumed));
    let again = server.stats().count(429) - refused;
    assert!(again <= 4, "{again} 429s after resuming ({refused} before)");
}

/// Issue 20 item 5: a batch says what it learned of the server's pace (`Learned`: small, and
/// kept as JSON as it is), and an engine seeded with it starts from there. Far away and
/// unlimited, its first round is half the window the last batch grew to, not four requests;
/// behind a limit, the rate it found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_says_what_it_learned_and_a_seeded_one_starts_from_it() {
    let far = || {
        sim(SimConfig {
            videos: 600,
            latency: Duration::from_millis(200),
            ..SimConfig::default()
        })
    };
    let learned = |driver: &Driver| {
        driver.seen.iter().find_map(|event| match event {
            Event::Learned(pace) => Some(*pace),
            _ => None,
        })
    };
    let server = far().await;
    let (driver, _, _) = delete_all(&server, EngineConfig::default()).await;
    let pace = learned(&driver).expect("said before Idle");
    assert!(pace.in_flight >= 256 && pace.rate.is_none(), "{pace:?}");
    let kept = serde_json::to_string(&pace).expect("serializable");
    let pace: ServerPace = serde_json::from_str(&kept).expect("read back");

    let server = far().await;
    let key = api_key();
    let config = EngineConfig::default();
    let mut seeded = Driver::start_seeded(&server.base_url(), Some(key), config, Some(pace));
    seeded.send(Command::Enqueue(cleared(
        server.fixtures().deletable.clone(),
    )));
    let first_round = seeded
        .until(|event| matches!(event, Event::Finished { .. }))
        .await
        .iter()
        .filter(|event| matches!(event, Event::Started { .. }))
        .count();
    assert!(
        first_round >= 128,
        "{first_round} sent before the first answer"
    );
    seeded.until_idle().await;

    let limited = sim(SimConfig {
        videos: 200,
        latency: Duration::from_millis(10),
        rate_per_sec: Some(50.0),
        burst: Some(5.0),
        rate_headers: false,
        retry_after: Some(Duration::from_secs(1)),
        ..SimConfig::default()
    })
    .await;
    let (driver, _, _) = delete_all(&limited, config).await;
    let rate = learned(&driver)
        .and_then(|pace| pace.rate)
        .expect("a limit pushed back")
        .per_second();
    assert!((25.0..=80.0).contains(&rate), "learned {rate}/s of 50/s");
}
