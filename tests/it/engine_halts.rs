//! The engine's halts against real HTTP on loopback: a server that cannot be reached (probed
//! at growing intervals, resumed when it answers), a wrong base URL (three misroutes, then
//! one probe per `Retry`), a TLS failure (at once, no retries), a wait past `max_wait`
//! (halted with the wait shown, `Retry` goes on now). Every halt keeps the queue intact and
//! sends only enqueued IDs.

use std::collections::HashSet;
use std::time::Duration;

use crate::support::engine::{Driver, config, ids, key};
use crate::support::mock::answer_every_delete;
use elytron_tui::api::{OutcomeKind, VideoId};
use elytron_tui::engine::{Command, EngineConfig, Event, Halt, HaltCause, Pause};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn halt_of(event: &Event) -> Option<&Halt> {
    match event {
        Event::Paused(Pause::Halted(halt)) => Some(halt),
        _ => None,
    }
}

fn starts(driver: &Driver) -> usize {
    driver
        .seen
        .iter()
        .filter(|event| matches!(event, Event::Started { .. }))
        .count()
}

/// Every ID the engine started a request for was enqueued.
fn only_enqueued_were_sent(driver: &Driver, batch: &[VideoId]) {
    let asked: HashSet<&VideoId> = batch.iter().collect();
    for event in &driver.seen {
        if let Event::Started { id, .. } = event {
            assert!(asked.contains(id), "{id} was never enqueued");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_probed_at_growing_intervals_and_resumed_when_it_answers() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let mut driver = Driver::start(&format!("http://{addr}/v1"), Some(key()), config());
    let batch = ids(50);
    driver.enqueue(batch.clone());

    let first = driver.until(|e| halt_of(e).is_some()).await;
    let halt = halt_of(first.last().expect("an event"))
        .expect("halted")
        .clone();
    assert!(
        matches!(&halt.cause, HaltCause::Unreachable { detail } if detail.contains("could not connect")),
        "{halt:?}"
    );
    assert_eq!(halt.retry_in.map(|d| d.as_secs_f64().round()), Some(1.0));
    let sent_before_halt = starts(&driver);
    assert!(
        sent_before_halt <= 10,
        "{sent_before_halt} tries before halting"
    );

    // The first probe finds nobody either: the next waits twice as long.
    let second = driver.until(|e| halt_of(e).is_some()).await;
    let retry_in = halt_of(second.last().expect("an event"))
        .and_then(|halt| halt.retry_in)
        .expect("probes go on");
    assert!(
        retry_in > Duration::from_millis(1500) && retry_in <= Duration::from_secs(2),
        "{retry_in:?}"
    );
    assert_eq!(starts(&driver), sent_before_halt + 1, "one probe, alone");
    assert!(
        !driver
            .seen
            .iter()
            .any(|e| matches!(e, Event::Finished { .. })),
        "no ID gave up while the server was away"
    );

    // The server comes back; `Retry` probes at once, and the batch goes on.
    let listener = std::net::TcpListener::bind(addr).expect("the port is free again");
    let server = MockServer::builder().listener(listener).start().await;
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    driver.send(Command::Retry);
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, batch.len());
    assert!(driver.seen.contains(&Event::Resumed));
    only_enqueued_were_sent(&driver, &batch);
}

#[tokio::test]
async fn three_route_404s_halt_the_batch_and_retry_sends_one_probe() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            "<html><head><title>404 Not Found</title></head><body>nginx</body></html>",
            "text/html",
        ))
        .mount(&server)
        .await;
    let base = format!("{}/v2", server.uri());
    let mut driver = Driver::start(&base, Some(key()), config());
    let batch = ids(20);
    driver.enqueue(batch.clone());
    let seen = driver.until(|e| halt_of(e).is_some()).await;
    let halt = halt_of(seen.last().expect("an event"))
        .expect("halted")
        .clone();
    let HaltCause::WrongBaseUrl { base_url, answer } = &halt.cause else {
        panic!("{halt:?}");
    };
    assert_eq!(base_url, &base);
    assert!(answer.contains("404 Not Found"), "{answer}");
    assert_eq!(halt.retry_in, None, "only Retry tries again");
    assert!(halt.cause.to_string().ends_with("check base_url"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = server.received_requests().await.unwrap_or_default().len();
    assert!(sent <= 8, "{sent} requests to a wrong base URL");

    driver.send(Command::Retry);
    driver.until(|e| halt_of(e).is_some()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let probed = server.received_requests().await.unwrap_or_default().len();
    assert_eq!(probed, sent + 1, "one probe");

    driver.send(Command::Cancel);
    let counts = driver.until_idle().await;
    assert_eq!(counts.failed, probed, "each route 404 ends failed");
    assert_eq!(counts.cancelled, batch.len() - probed);
    assert!(counts.not_found == 0 && counts.deleted == 0);
}

#[tokio::test]
async fn a_tls_failure_halts_at_once_without_retries() {
    let server = MockServer::start().await;
    let base = format!("https://{}/v1", server.address());
    let mut driver = Driver::start(&base, Some(key()), config());
    let batch = ids(30);
    driver.enqueue(batch.clone());
    let seen = driver.until(|e| halt_of(e).is_some()).await;
    let halt = halt_of(seen.last().expect("an event"))
        .expect("halted")
        .clone();
    let HaltCause::Tls { detail } = &halt.cause else {
        panic!("{halt:?}");
    };
    assert!(detail.contains("127.0.0.1"), "{detail}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    driver.send(Command::Cancel);
    let counts = driver.until_idle().await;
    assert_eq!(counts.cancelled, batch.len(), "every ID stays unsent");
    let tried: Vec<VideoId> = driver
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::Started { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    let once: HashSet<&VideoId> = tried.iter().collect();
    assert_eq!(once.len(), tried.len(), "TLS is not retried: {tried:?}");
    assert!(tried.len() <= 4, "{} handshakes", tried.len());
}

#[tokio::test]
async fn a_wait_past_max_wait_halts_showing_it_and_retry_goes_on_now() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    let patient = EngineConfig {
        max_wait: Duration::from_secs(60),
        max_concurrency: 1,
        ..config()
    };
    let mut driver = Driver::start(&format!("{}/v1", server.uri()), Some(key()), patient);
    let batch = ids(3);
    driver.enqueue(batch.clone());
    let seen = driver.until(|e| halt_of(e).is_some()).await;
    let halt = halt_of(seen.last().expect("an event"))
        .expect("halted")
        .clone();
    assert!(
        matches!(halt.cause, HaltCause::LongWait { wait, .. } if wait == Duration::from_secs(120)),
        "{halt:?}"
    );
    assert!(
        halt.retry_in
            .is_some_and(|wait| wait > Duration::from_secs(110)),
        "{halt:?}"
    );
    assert!(halt.cause.to_string().contains("2 min"), "{}", halt.cause);
    assert!(
        !driver
            .seen
            .iter()
            .any(|e| matches!(e, Event::Paused(Pause::RateLimited { .. }))),
        "not waited as a rate limit"
    );
    driver.send(Command::Retry);
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, 3);
    assert_eq!(driver.outcome(batch[0]).kind, OutcomeKind::Deleted);
}
