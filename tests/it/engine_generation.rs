//! Deleting videos once their generation ends (issue 19 part 3): the engine asks the status
//! route of a video refused `VIDEO_IN_PROCESSING`, waits by what it says, and deletes the same
//! confirmed ID when generation ends; against the simulated server (ending mid-wait, failing,
//! the route off, cancel) and wiremock (status bodies that are not the API's).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::support::engine::{Driver, config, ids};
use crate::support::mock::api_error;
use crate::support::sim::{api_key, serve};
use elytron_tui::api::{OutcomeKind, VideoId};
use elytron_tui::engine::{BatchCounts, Command, EngineConfig, Event, Pause, ServerPace};
use elytron_tui::sim::{RouteOff, SimConfig, SimServer};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Waiting for generation, within a minute.
fn waiting() -> EngineConfig {
    EngineConfig {
        wait_processing: Some(Duration::from_secs(60)),
        ..config()
    }
}

/// A sim whose `processing` videos generate for `generating`; `failed` of its videos (all of
/// them when equal to `videos`) end failed.
async fn sim(videos: usize, processing: usize, failed: usize, generating: Duration) -> SimServer {
    serve(SimConfig {
        videos,
        processing,
        failed,
        other_account: 0,
        unknown: 0,
        processing_for: generating,
        ..SimConfig::default()
    })
    .await
}

/// The engine on `server`, waiting for generation.
fn driving(server: &SimServer) -> Driver {
    Driver::start(&server.base_url(), Some(api_key()), waiting())
}

/// The engine on `server`, sent its generating videos; and those videos.
fn sending_the_generating(server: &SimServer) -> (Driver, Vec<VideoId>) {
    let batch = server.fixtures().processing.clone();
    let driver = driving(server);
    driver.enqueue(batch.clone());
    (driver, batch)
}

/// The engine on `server`, sent `id` alone and run until it is idle.
async fn sent_alone(
    server: &MockServer,
    id: VideoId,
    config: EngineConfig,
) -> (Driver, BatchCounts) {
    let mut driver = Driver::start(&server.uri(), Some(api_key()), config);
    driver.enqueue(vec![id]);
    let counts = driver.until_idle().await;
    (driver, counts)
}

/// Whether the engine said anything `like` this.
fn saw(driver: &Driver, like: impl Fn(&Event) -> bool) -> bool {
    driver.seen.iter().any(like)
}

/// The status GETs the server saw, per video.
fn status_reads(server: &SimServer) -> Vec<String> {
    server
        .stats()
        .read_paths
        .into_iter()
        .filter(|path| path.ends_with("/status"))
        .collect()
}

/// The IDs of every DELETE the server received.
fn deleted_paths(server: &SimServer) -> HashSet<VideoId> {
    server
        .stats()
        .delete_paths
        .iter()
        .filter_map(|path| path.rsplit('/').next()?.parse().ok())
        .collect()
}

fn generating_events(driver: &Driver, id: VideoId) -> Vec<Option<u8>> {
    driver
        .seen
        .iter()
        .filter_map(|event| match event {
            Event::Generating {
                id: about,
                progress,
                ..
            } if *about == id => Some(*progress),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_generating_is_deleted_once_its_status_says_it_ended() {
    let server = sim(4, 2, 0, Duration::from_secs(5)).await;
    let fixtures = server.fixtures().clone();
    let batch: Vec<VideoId> = fixtures
        .processing
        .iter()
        .chain(&fixtures.deletable)
        .copied()
        .collect();
    let started = Instant::now();
    let mut driver = driving(&server);
    driver.enqueue(batch.clone());
    let counts = driver.until_idle().await;
    let took = started.elapsed();

    assert_eq!(counts.deleted, batch.len(), "{:?}", driver.seen);
    let busy = fixtures.processing[0];
    let progress = generating_events(&driver, busy);
    assert!(
        progress.iter().any(Option::is_some),
        "the row learns how far along it is: {progress:?}"
    );
    // Checks, not blind DELETEs: one refused DELETE each, then the one that deleted it.
    let stats = server.stats();
    assert_eq!(stats.count(400), 2, "{stats:?}");
    // At most one status request per video per MIN_CHECK (3 s), from its refused DELETE on.
    let reads = status_reads(&server);
    for id in &fixtures.processing {
        let asked = reads.iter().filter(|p| p.contains(&id.to_string())).count();
        let allowed = (took.as_secs_f64() / 3.0).floor() as usize;
        assert!(asked >= 1 && asked <= allowed, "{asked} checks in {took:?}");
    }
    // The confirmed set holds: every DELETE and every check was for a queued ID.
    let queued: HashSet<VideoId> = batch.iter().copied().collect();
    assert_eq!(deleted_paths(&server), queued);
    assert_eq!(
        server.stats().deleted.into_iter().collect::<HashSet<_>>(),
        queued
    );
    assert!(
        reads.iter().all(|path| fixtures
            .processing
            .iter()
            .any(|id| path.contains(&id.to_string()))),
        "{reads:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generation_that_fails_is_deleted_too() {
    let server = sim(2, 2, 2, Duration::from_secs(4)).await;
    let (mut driver, _) = sending_the_generating(&server);
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, 2, "{:?}", driver.seen);
    assert!(!status_reads(&server).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_status_route_it_says_so_once_and_retries_blindly() {
    tokio::join!(
        without_the_status_route(RouteOff::NotFound),
        without_the_status_route(RouteOff::MethodNotAllowed),
        without_the_status_route(RouteOff::HtmlPage),
    );
}

async fn without_the_status_route(off: RouteOff) {
    let server = serve(SimConfig {
        videos: 3,
        processing: 3,
        other_account: 0,
        unknown: 0,
        // Long enough to outlast the checks a page of HTML gets before it is given up on.
        processing_for: Duration::from_secs(10),
        status_off: Some(off),
        ..SimConfig::default()
    })
    .await;
    let batch = server.fixtures().processing.clone();
    let mut driver = Driver::start(
        &server.base_url(),
        Some(api_key()),
        EngineConfig {
            max_attempts: 2,
            ..waiting()
        },
    );
    driver.enqueue(batch.clone());
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, 3, "{off:?}: {:?}", driver.seen);
    let told: Vec<&String> = driver
        .seen
        .iter()
        .filter_map(|event| match event {
            Event::StatusUnavailable { reason } => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(told.len(), 1, "{off:?}: said once: {told:?}");
    assert!(
        told[0].contains("does not report a video's generation"),
        "{off:?}: {}",
        told[0]
    );
    assert!(
        saw(&driver, |event| matches!(event, Event::Retrying { .. })),
        "{off:?}: blind retries, as before"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_ends_the_waiting_videos_cancelled_and_undeleted() {
    let server = sim(3, 2, 0, Duration::from_secs(600)).await;
    let (mut driver, batch) = sending_the_generating(&server);
    let mut waiting_for = HashSet::new();
    while waiting_for.len() < batch.len() {
        if let Event::Generating { id, .. } = driver.next().await {
            waiting_for.insert(id);
        }
    }
    driver.send(Command::Cancel);
    let counts = driver.until_idle().await;
    assert_eq!(counts.cancelled, 2, "{:?}", driver.seen);
    for id in &batch {
        let outcome = driver.outcome(*id);
        assert_eq!(outcome.kind, OutcomeKind::Cancelled);
        let message = outcome.message.unwrap_or_default();
        assert!(message.contains("waiting for its generation"), "{message}");
    }
    assert!(server.stats().deleted.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_generating_ids_are_checked_before_any_delete() {
    let server = sim(3, 2, 0, Duration::from_secs(4)).await;
    let batch = server.fixtures().processing.clone();
    let mut driver = driving(&server);
    // A hint for an ID never queued sends nothing for it.
    let stranger = ids(1)[0];
    driver.send(Command::Generating(vec![batch[0], batch[1], stranger]));
    driver.enqueue(batch.clone());
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, 2, "{:?}", driver.seen);
    let stats = server.stats();
    assert_eq!(stats.count(400), 0, "no DELETE before generation ended");
    assert_eq!(
        deleted_paths(&server),
        batch.iter().copied().collect::<HashSet<_>>()
    );
    assert!(
        !status_reads(&server)
            .iter()
            .any(|path| path.contains(&stranger.to_string()))
    );
}

/// A server whose every DELETE says the video is still generating.
async fn always_generating() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(api_error(400, "VIDEO_IN_PROCESSING", "still generating"))
        .mount(&server)
        .await;
    server
}

/// A server whose DELETE always says the video is generating and whose status route answers
/// `body`: nothing in it is taken as the video's generation ending.
async fn hostile_status(body: ResponseTemplate) -> (MockServer, Driver, VideoId) {
    let server = always_generating().await;
    Mock::given(method("GET"))
        .and(path_regex("/status$"))
        .respond_with(body)
        .mount(&server)
        .await;
    let id = ids(1)[0];
    let config = EngineConfig {
        wait_processing: Some(Duration::from_secs(8)),
        max_attempts: 2,
        ..config()
    };
    let (driver, _) = sent_alone(&server, id, config).await;
    (server, driver, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_answer_that_is_not_the_apis_proves_nothing() {
    let other = ids(1)[0];
    let [another_video, another_shape, portal] = [
        // Another video's status.
        ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"video_id": other.to_string(), "status": "completed"}),
        ),
        // Another shape altogether.
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"state": "done"})),
        // A portal's page that happens to say the word.
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/html")
            .set_body_string("<html>completed</html>"),
    ];
    let (a, b, c) = tokio::join!(
        hostile_status(another_video),
        hostile_status(another_shape),
        hostile_status(portal)
    );
    for (server, driver, id) in [a, b, c] {
        let outcome = driver.outcome(id);
        assert_eq!(outcome.kind, OutcomeKind::Processing, "{:?}", driver.seen);
        assert!(
            saw(&driver, |event| matches!(
                event,
                Event::StatusUnavailable { .. }
            )),
            "{:?}",
            driver.seen
        );
        let requests = server.received_requests().await.unwrap_or_default();
        assert!(
            requests
                .iter()
                .all(|request| request.url.path().contains(&id.to_string())),
            "only the confirmed ID was asked about"
        );
    }
}

/// A server where `id`'s first DELETE says it is generating, and its status route answers
/// `first` once, then `completed`; its second DELETE deletes it.
async fn status_answers(id: VideoId, first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(api_error(400, "VIDEO_IN_PROCESSING", "still generating"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/status$"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/status$"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"video_id": id.to_string(), "status": "completed"}),
            ),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_on_a_status_check_slows_the_pacer_the_deletes_share() {
    let id = ids(1)[0];
    let limited = api_error(429, "RATE_LIMITED", "slow down").insert_header("retry-after", "2");
    let server = status_answers(id, limited).await;
    let (driver, counts) = sent_alone(&server, id, waiting()).await;
    assert_eq!(counts.deleted, 1, "{:?}", driver.seen);
    // The one refusal of the batch was the status check's: the pace learned is from it.
    assert!(
        saw(&driver, |event| matches!(
            event,
            Event::Learned(ServerPace { rate: Some(_), .. })
        )),
        "the status answer reached the pacer: {:?}",
        driver.seen
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_on_a_status_check_pauses_the_batch_for_a_new_one() {
    let id = ids(1)[0];
    let refused = api_error(401, "UNAUTHORIZED", "Invalid API key");
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(api_error(400, "VIDEO_IN_PROCESSING", "still generating"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(refused.clone())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(refused)
        .mount(&server)
        .await;
    let mut driver = Driver::start(&server.uri(), Some(api_key()), waiting());
    driver.enqueue(vec![id]);
    driver
        .until(|event| matches!(event, Event::Paused(Pause::Unauthorized)))
        .await;
    driver.send(Command::Cancel);
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halt_from_a_status_check_still_ends_the_wait_on_time() {
    let id = ids(1)[0];
    let server = always_generating().await;
    // A wait beyond max_wait halts sending; with nothing but this wait left, the halt's
    // probe must still find the video's last DELETE.
    Mock::given(method("GET"))
        .respond_with(api_error(429, "RATE_LIMITED", "later").insert_header("retry-after", "6"))
        .mount(&server)
        .await;
    let config = EngineConfig {
        wait_processing: Some(Duration::from_secs(4)),
        max_wait: Duration::from_secs(2),
        ..config()
    };
    let (driver, counts) = sent_alone(&server, id, config).await;
    assert_eq!(counts.processing, 1, "{:?}", driver.seen);
    assert!(
        saw(&driver, |event| matches!(
            event,
            Event::Paused(Pause::Halted(_))
        )),
        "{:?}",
        driver.seen
    );
}
