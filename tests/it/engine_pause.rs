//! The user's pause (`Command::Pause`, what Ctrl-z sends before the process stops) counts
//! every request on the wire, not only DELETEs: a status check or a listing page still out
//! when the pause comes is waited for, and `Paused(ByUser { in_flight: 0 })` comes only once
//! it has landed (its answer handed on), against the simulated server far away.

use std::time::Duration;

use elytron_tui::api::PageQuery;
use elytron_tui::engine::{Command, EngineConfig, Event, PageAsk, Pause};
use elytron_tui::sim::{SimConfig, SimServer};
use tokio::sync::oneshot;

use crate::support::engine::{Driver, config};
use crate::support::sim::{api_key, serve};

/// A server 400 ms away, with one video generating for a minute.
async fn far() -> SimServer {
    serve(SimConfig {
        videos: 1,
        processing: 1,
        other_account: 0,
        unknown: 0,
        processing_for: Duration::from_secs(60),
        latency: Duration::from_millis(400),
        ..SimConfig::default()
    })
    .await
}

/// Pauses sending; what the pause said at once.
async fn paused(driver: &mut Driver) -> Pause {
    driver.send(Command::Pause);
    let said = driver
        .until(|event| matches!(event, Event::Paused(Pause::ByUser { .. })))
        .await;
    match said.last() {
        Some(Event::Paused(pause)) => pause.clone(),
        other => panic!("expected the pause, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_check_on_the_wire_is_waited_for_under_the_users_pause() {
    let server = far().await;
    let id = server.fixtures().processing[0];
    let waiting = EngineConfig {
        wait_processing: Some(Duration::from_secs(60)),
        ..config()
    };
    let mut driver = Driver::start(&server.base_url(), Some(api_key()), waiting);
    // Known to be generating: its status is asked before any DELETE.
    driver.send(Command::Generating(vec![id]));
    driver.enqueue(vec![id]);
    driver
        .until(|event| matches!(event, Event::Generating { .. }))
        .await;
    assert_eq!(paused(&mut driver).await, Pause::ByUser { in_flight: 1 });
    let landed = driver
        .until(|event| *event == Event::Paused(Pause::ByUser { in_flight: 0 }))
        .await;
    // The check's answer was taken in before: its video says how far it is.
    assert!(
        landed.iter().any(|event| matches!(
            event,
            Event::Generating {
                progress: Some(_),
                ..
            }
        )),
        "{landed:?}"
    );
    assert!(
        server
            .stats()
            .read_paths
            .iter()
            .all(|path| path.ends_with("/status")),
        "only the status was asked"
    );
    assert!(
        server.stats().delete_paths.is_empty(),
        "nothing was deleted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_page_on_the_wire_is_waited_for_under_the_users_pause() {
    let server = far().await;
    let mut driver = Driver::start(&server.base_url(), Some(api_key()), config());
    let (reply, mut answer) = oneshot::channel();
    let query = PageQuery::new(0, 100, None);
    driver.send(Command::ListPage(PageAsk { query, reply }));
    assert_eq!(paused(&mut driver).await, Pause::ByUser { in_flight: 1 });
    assert!(answer.try_recv().is_err(), "the page is still on the wire");
    driver
        .until(|event| *event == Event::Paused(Pause::ByUser { in_flight: 0 }))
        .await;
    let read = answer
        .try_recv()
        .expect("the page landed before the pause said so");
    assert!(read.content.is_some_and(|page| page.is_ok()), "a page read");
}
