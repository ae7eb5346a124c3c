//! The delete engine end to end against wiremock on loopback: every outcome, retries and
//! waits, the "only what was enqueued, in order" invariant, cancel, shutdown, 401 pause and
//! resume, and the key absent from every event.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use elytron_tui::api::{OutcomeKind, VideoId};
use elytron_tui::engine::{Command, EngineConfig, Event, Pause, RateWait};
use elytron_tui::sim::SimConfig;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::engine::{Driver, SECRET, config, ids, key};
use crate::support::mock::{answer_every_delete, api_error};
use crate::support::sim;

fn video_path(id: VideoId) -> String {
    format!("/v1/videos/{id}")
}

async fn answer(server: &MockServer, id: VideoId, response: ResponseTemplate, times: u64) {
    Mock::given(method("DELETE"))
        .and(path(video_path(id)))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

fn base(server: &MockServer) -> String {
    format!("{}/v1", server.uri())
}

#[tokio::test]
async fn every_outcome_and_non_retryable_answers_are_sent_exactly_once() {
    let server = MockServer::start().await;
    let batch = ids(7);
    let cases = [
        (ResponseTemplate::new(204), 1, OutcomeKind::Deleted),
        (
            api_error(404, "VIDEO_NOT_FOUND", "Video not found"),
            1,
            OutcomeKind::NotFound,
        ),
        (
            api_error(400, "VIDEO_IN_PROCESSING", "Busy"),
            1,
            OutcomeKind::Processing,
        ),
        (
            api_error(403, "FORBIDDEN", "Not yours"),
            1,
            OutcomeKind::Forbidden,
        ),
        (
            api_error(400, "BAD_REQUEST", "Nope"),
            1,
            OutcomeKind::Failed,
        ),
        (api_error(500, "INTERNAL", "Boom"), 3, OutcomeKind::Failed),
        (ResponseTemplate::new(410), 1, OutcomeKind::Failed),
    ];
    for (id, (response, times, _)) in batch.iter().zip(&cases) {
        answer(&server, *id, response.clone(), *times).await;
    }
    let config = EngineConfig {
        max_attempts: 3,
        ..config()
    };
    let mut driver = Driver::start(&base(&server), Some(key()), config);
    driver.enqueue(batch.clone());
    let counts = driver.until_idle().await;
    for (id, (_, times, kind)) in batch.iter().zip(&cases) {
        let outcome = driver.outcome(*id);
        assert_eq!(outcome.kind, *kind, "{id}: {outcome:?}");
        assert_eq!(u64::from(outcome.attempts), *times, "{id}: {outcome:?}");
    }
    assert_eq!(
        driver.outcome(batch[3]).error_code.as_deref(),
        Some("FORBIDDEN")
    );
    assert_eq!(
        (
            counts.deleted,
            counts.not_found,
            counts.processing,
            counts.forbidden,
            counts.failed
        ),
        (1, 1, 1, 1, 3)
    );
    server.verify().await;
}

#[tokio::test]
async fn a_transient_failure_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    let [id] = ids(1)[..] else { unreachable!() };
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    answer(&server, id, ResponseTemplate::new(204), 1).await;
    let mut driver = Driver::start(&base(&server), Some(key()), config());
    driver.enqueue(vec![id]);
    driver.until_idle().await;
    assert!(driver.seen.iter().any(|e| matches!(
        e,
        Event::Retrying { id: retried, attempt: 2, reason, .. } if *retried == id && reason.contains("503")
    )));
    let outcome = driver.outcome(id);
    assert_eq!((outcome.kind, outcome.attempts), (OutcomeKind::Deleted, 2));
}

async fn rate_limited_once_then_deleted(headers: &[(&str, String)]) -> (Driver, Duration) {
    let server = MockServer::start().await;
    let refusal = headers
        .iter()
        .fold(ResponseTemplate::new(429), |response, (name, value)| {
            response.insert_header(*name, value.as_str())
        });
    Mock::given(method("DELETE"))
        .respond_with(refusal)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    let mut driver = Driver::start(&base(&server), Some(key()), config());
    let started = Instant::now();
    driver.enqueue(ids(1));
    driver.until_idle().await;
    (driver, started.elapsed())
}

#[tokio::test]
async fn retry_after_in_seconds_pauses_then_resumes() {
    let (driver, elapsed) =
        rate_limited_once_then_deleted(&[("retry-after", "1".to_owned())]).await;
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    let pause = driver.seen.iter().position(|e| {
        matches!(e, Event::Paused(Pause::RateLimited { resume_in, waiting_for: RateWait::RetryAfter })
            if *resume_in > Duration::from_millis(500) && *resume_in <= Duration::from_secs(1))
    });
    let resume = driver.seen.iter().position(|e| *e == Event::Resumed);
    assert!(
        matches!((pause, resume), (Some(p), Some(r)) if p < r),
        "{:?}",
        driver.seen
    );
    assert_eq!(
        driver
            .seen
            .iter()
            .filter(|e| matches!(e, Event::Finished { .. }))
            .count(),
        1
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let at = std::time::SystemTime::now() + Duration::from_secs(3);
    let date = httpdate::fmt_http_date(at);
    let (driver, _) = rate_limited_once_then_deleted(&[("retry-after", date.clone())]).await;
    // Against the clock, not a stopwatch: however long the setup took on a loaded machine,
    // the retry (and so `Idle`) cannot come before the date itself.
    let not_before = httpdate::parse_http_date(&date).expect("a date we formatted");
    assert!(
        std::time::SystemTime::now() >= not_before,
        "retried before {date}"
    );
    assert!(
        driver
            .seen
            .iter()
            .any(|e| matches!(e, Event::Paused(Pause::RateLimited { .. })))
    );
}

#[tokio::test]
async fn without_retry_after_an_exhausted_window_waits_for_its_reset() {
    let headers = [
        ("x-ratelimit-limit", "10".to_owned()),
        ("x-ratelimit-remaining", "0".to_owned()),
        ("x-ratelimit-reset", "1".to_owned()),
    ];
    let (driver, elapsed) = rate_limited_once_then_deleted(&headers).await;
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(
        driver
            .seen
            .iter()
            .any(|e| matches!(e, Event::Paused(Pause::RateLimited { .. })))
    );
    assert!(driver.seen.contains(&Event::Resumed));
}

#[tokio::test]
async fn a_dropped_connection_then_404_ends_deleted() {
    // The delete takes effect and the connection closes unanswered; the retry finds the
    // video gone, 404.
    let server = sim::serve(SimConfig {
        drop_after_delete_rate: 1.0,
        ..sim::plain(1)
    })
    .await;
    let mut driver = Driver::start(&server.base_url(), Some(sim::api_key()), config());
    let batch = server.fixtures().deletable.clone();
    driver.enqueue(batch.clone());
    driver.until_idle().await;
    let outcome = driver.outcome(batch[0]);
    assert_eq!(
        (outcome.kind, outcome.attempts, outcome.status),
        (OutcomeKind::Deleted, 2, Some(404))
    );
    assert!(outcome.message.unwrap_or_default().contains("lost"));
}

#[tokio::test]
async fn only_enqueued_ids_are_sent_and_first_attempts_keep_their_order() {
    let server = MockServer::start().await;
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    // One at a time: the server sees exactly the order the engine starts them in.
    let serial = EngineConfig {
        max_concurrency: 1,
        ..config()
    };
    let mut driver = Driver::start(&base(&server), Some(key()), serial);
    let (first, second) = (ids(15), ids(10));
    driver.enqueue(first.clone());
    driver.enqueue(second.clone());
    let counts = driver.until_idle().await;
    let enqueued: Vec<VideoId> = first.into_iter().chain(second).collect();
    let requested: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    let expected: Vec<String> = enqueued.iter().map(|id| video_path(*id)).collect();
    assert_eq!(requested, expected);
    assert_eq!(driver.first_starts(), enqueued);
    assert_eq!(counts.deleted, 25);
}

#[tokio::test]
async fn concurrent_runs_still_send_exactly_the_enqueued_set_in_start_order() {
    let server = MockServer::start().await;
    answer_every_delete(
        &server,
        ResponseTemplate::new(204).set_delay(Duration::from_millis(5)),
    )
    .await;
    let mut driver = Driver::start(&base(&server), Some(key()), config());
    let batch = ids(80);
    driver.enqueue(batch.clone());
    driver.until_idle().await;
    let requested: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    let expected: HashSet<String> = batch.iter().map(|id| video_path(*id)).collect();
    assert_eq!(requested.len(), batch.len(), "one request per ID");
    assert_eq!(requested.into_iter().collect::<HashSet<_>>(), expected);
    assert_eq!(driver.first_starts(), batch);
}

#[tokio::test]
async fn cancel_ends_the_queue_at_once_and_lets_in_flight_finish() {
    let server = MockServer::start().await;
    answer_every_delete(
        &server,
        ResponseTemplate::new(204).set_delay(Duration::from_millis(300)),
    )
    .await;
    let two_at_a_time = EngineConfig {
        max_concurrency: 2,
        ..config()
    };
    let mut driver = Driver::start(&base(&server), Some(key()), two_at_a_time);
    let batch = ids(10);
    driver.enqueue(batch.clone());
    driver
        .until(|e| matches!(e, Event::Started { id, .. } if *id == batch[1]))
        .await;
    driver.send(Command::Cancel);
    let counts = driver.until_idle().await;
    assert_eq!((counts.deleted, counts.cancelled), (2, 8));
    for id in &batch[2..] {
        let outcome = driver.outcome(*id);
        assert_eq!(
            (outcome.kind, outcome.attempts),
            (OutcomeKind::Cancelled, 0)
        );
    }
    // The cancellations were reported before the in-flight requests came back.
    let first_cancel = driver.seen.iter().position(
        |e| matches!(e, Event::Finished { outcome, .. } if outcome.kind == OutcomeKind::Cancelled),
    );
    let first_deleted = driver.seen.iter().position(
        |e| matches!(e, Event::Finished { outcome, .. } if outcome.kind == OutcomeKind::Deleted),
    );
    assert!(first_cancel < first_deleted, "{:?}", driver.seen);
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2
    );
}

#[tokio::test]
async fn shutdown_cancels_the_queue_finishes_in_flight_then_stops() {
    let server = MockServer::start().await;
    answer_every_delete(
        &server,
        ResponseTemplate::new(204).set_delay(Duration::from_millis(200)),
    )
    .await;
    let one = EngineConfig {
        max_concurrency: 1,
        ..config()
    };
    let mut driver = Driver::start(&base(&server), Some(key()), one);
    let batch = ids(5);
    driver.enqueue(batch.clone());
    driver.until(|e| matches!(e, Event::Started { .. })).await;
    driver.send(Command::Shutdown);
    driver.until(|e| *e == Event::Stopped).await;
    assert_eq!(driver.outcome(batch[0]).kind, OutcomeKind::Deleted);
    assert!(
        batch[1..]
            .iter()
            .all(|id| driver.outcome(*id).kind == OutcomeKind::Cancelled)
    );
    assert!(
        driver.events.recv().await.is_none(),
        "nothing after Stopped"
    );
}

#[tokio::test]
async fn a_refused_key_pauses_everything_and_a_new_key_resumes_the_same_batch() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(header("authorization", "Bearer sk-good"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(1)
        .mount(&server)
        .await;
    // The server echoes the refused key: it must not reach any event.
    Mock::given(method("DELETE"))
        .respond_with(api_error(
            401,
            "UNAUTHORIZED",
            &format!("Invalid API key {SECRET}"),
        ))
        .mount(&server)
        .await;
    let one = EngineConfig {
        max_concurrency: 1,
        ..config()
    };
    let mut driver = Driver::start(&base(&server), Some(key()), one);
    let batch = ids(6);
    driver.enqueue(batch.clone());
    driver
        .until(|e| *e == Event::Paused(Pause::Unauthorized))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1,
        "stopped at once"
    );
    assert!(
        !driver
            .seen
            .iter()
            .any(|e| matches!(e, Event::Finished { .. })),
        "nothing finished"
    );

    driver.send(Command::SetKey(
        elytron_tui::api::ApiKey::new("sk-good").expect("valid key"),
    ));
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, 6);
    assert!(driver.seen.contains(&Event::Resumed));
    assert_eq!(
        driver.first_starts(),
        batch,
        "the refused ID kept its place"
    );
    assert_eq!(driver.outcome(batch[0]).attempts, 2);
    for event in &driver.seen {
        let text = format!("{event:?}");
        assert!(
            !text.contains(SECRET) && !text.contains("sk-good"),
            "key leaked: {text}"
        );
    }
}

#[tokio::test]
async fn without_a_key_nothing_is_sent_until_one_is_given() {
    let server = MockServer::start().await;
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    let mut driver = Driver::start(&base(&server), None, config());
    let batch = ids(3);
    driver.enqueue(batch.clone());
    assert_eq!(driver.next().await, Event::Queued { ids: batch.clone() });
    assert_eq!(driver.next().await, Event::Paused(Pause::Unauthorized));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
    driver.send(Command::SetKey(key()));
    assert_eq!(driver.next().await, Event::Resumed);
    assert_eq!(driver.until_idle().await.deleted, 3);
}

#[tokio::test]
async fn wait_processing_retries_until_the_video_is_deletable() {
    let server = MockServer::start().await;
    let [id] = ids(1)[..] else { unreachable!() };
    Mock::given(method("DELETE"))
        .respond_with(api_error(400, "VIDEO_IN_PROCESSING", "Busy"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    answer(&server, id, ResponseTemplate::new(204), 1).await;
    let waiting = EngineConfig {
        wait_processing: Some(Duration::from_secs(20)),
        ..config()
    };
    let mut driver = Driver::start(&base(&server), Some(key()), waiting);
    driver.enqueue(vec![id]);
    driver.until_idle().await;
    let outcome = driver.outcome(id);
    assert_eq!((outcome.kind, outcome.attempts), (OutcomeKind::Deleted, 3));
}

#[tokio::test]
async fn cancel_during_a_backoff_ends_the_id_cancelled_with_its_last_answer() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        // A server-given wait makes the backoff certain to outlast the test.
        .respond_with(api_error(503, "UNAVAILABLE", "Try later").insert_header("retry-after", "20"))
        .expect(1)
        .mount(&server)
        .await;
    let mut driver = Driver::start(&base(&server), Some(key()), config());
    let batch = ids(1);
    driver.enqueue(batch.clone());
    driver.until(|e| matches!(e, Event::Retrying { .. })).await;
    driver.send(Command::Cancel);
    let counts = driver.until_idle().await;
    assert_eq!(counts.cancelled, 1);
    let outcome = driver.outcome(batch[0]);
    assert_eq!(
        (outcome.kind, outcome.attempts, outcome.status),
        (OutcomeKind::Cancelled, 1, Some(503))
    );
    assert!(outcome.message.unwrap_or_default().contains("503"));
    server.verify().await;
}
