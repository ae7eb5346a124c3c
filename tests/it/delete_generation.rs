//! `delete --wait-processing` through the binary against the simulated server: videos still
//! generating are checked by their status and deleted once it ends, saying so on stderr
//! (those a sync stored as generating before any DELETE); a server without the status route
//! is said to be one, once, and retried blindly as before.

use std::process::Stdio;
use std::time::{Duration, Instant};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::mock::{answer_every_delete, api_error};
use crate::support::runs::{interrupted, json_lines};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, Sim, generating_only};
use elytron_tui::api::VideoId;
use elytron_tui::sim::{RouteOff, SimConfig};

/// Two of four videos generating for 10 s: long enough that a loaded machine still sends
/// their first DELETE before generation ends.
fn generating(status_off: Option<RouteOff>) -> Sim {
    Sim::start(SimConfig {
        videos: 4,
        status_off,
        ..generating_only(Duration::from_secs(10))
    })
}

#[test]
fn videos_still_generating_are_deleted_once_their_status_says_it_ended() {
    let sim = generating(None);
    let sandbox = sim.sandbox();
    let fixtures = sim.server.fixtures().clone();
    let every: Vec<_> = fixtures
        .deletable
        .iter()
        .chain(&fixtures.processing)
        .collect();
    sandbox.import(&every);
    let out = sandbox.run(&["delete", "--all", "--yes", "--wait-processing", "60"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("videos still generating are deleted once it ends"),
        "{stderr}"
    );
    assert!(!stderr.contains("does not report"), "{stderr}");
    let stats = sim.stats();
    assert_eq!(stats.deleted.len(), 4);
    // One refused DELETE each, not a blind retry every second or two.
    assert_eq!(stats.count(400), 2, "{stats:?}");
    assert!(
        stats
            .read_paths
            .iter()
            .any(|path| path.ends_with("/status"))
    );
    assert!(sandbox.known().is_empty());
}

#[test]
fn a_server_without_the_status_route_is_said_once_and_retried_blindly() {
    let sim = generating(Some(RouteOff::NotFound));
    let sandbox = sim.sandbox();
    let processing = sim.server.fixtures().processing.clone();
    sandbox.import(&processing);
    let out = sandbox.run(&["delete", "--all", "--yes", "--wait-processing", "60"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let said = stderr
        .matches("this server does not report a video's generation")
        .count();
    assert_eq!(said, 1, "{stderr}");
    assert!(stderr.contains("retried blindly"), "{stderr}");
    assert_eq!(sim.stats().deleted.len(), 2);
}

#[test]
fn ctrl_c_while_waiting_ends_them_cancelled_and_resumable() {
    let sim = Sim::start(generating_only(Duration::from_secs(600)));
    let sandbox = sim.sandbox();
    let processing = sim.server.fixtures().processing.clone();
    sandbox.import(&processing);
    let child = sandbox
        .command()
        .args([
            "delete",
            "--all",
            "--yes",
            "--json",
            "--wait-processing",
            "300",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both refused, and the first status checks asked: they wait.
    let deadline = Instant::now() + Duration::from_secs(60);
    while sim.stats().read_paths.len() < 2 {
        assert!(Instant::now() < deadline, "no status check in time");
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = interrupted(child);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2, "{lines:?}");
    for line in &lines {
        assert_eq!(line["outcome"], "cancelled", "{line}");
        let message = line["message"].as_str().unwrap_or_default();
        assert!(message.contains("waiting for its generation"), "{message}");
    }
    assert!(sim.stats().deleted.is_empty());
    assert_eq!(sandbox.pending().len(), 2, "both stay queued for --resume");
}

#[test]
fn before_sending_it_says_whether_videos_last_seen_generating_are_waited_for() {
    let sim = Sim::start(generating_only(Duration::from_secs(600)));
    let sandbox = sim.sandbox();
    sandbox.import(&sim.server.fixtures().processing);
    let first = sandbox.run(&["delete", "--all", "--yes"]);
    assert_eq!(first.status.code(), Some(1), "both end processing");
    for (args, says) in [
        (
            &["--wait-processing", "60"][..],
            "Those still generating are deleted once generation ends (waiting up to 60 s).",
        ),
        (
            &[][..],
            "Those still generating are left as they are (--wait-processing SECS waits for them).",
        ),
    ] {
        let mut run = vec!["delete", "--all", "--dry-run"];
        run.extend(args);
        let out = sandbox.run(&run);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("2 were still processing when last tried."),
            "{stderr}"
        );
        assert!(stderr.contains(says), "{stderr}");
    }
}

/// `delete` of one video still generating, against a server whose status route answers
/// `status_route`; what it said on standard error, once it reported the route missing.
async fn without_a_status_route(status_route: ResponseTemplate) -> String {
    let server = MockServer::start().await;
    answer_every_delete(
        &server,
        api_error(400, "VIDEO_IN_PROCESSING", "still generating"),
    )
    .await;
    Mock::given(method("GET"))
        .respond_with(status_route)
        .mount(&server)
        .await;
    let sandbox = Sandbox::new().at(server.uri()).with_key(KEY);
    let id = uuid::Uuid::new_v4().to_string();
    sandbox.import(&[&id]);
    let out = sandbox.run(&["delete", "--all", "--yes", "--wait-processing", "4"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains("does not report a video's generation"),
        "{stderr}"
    );
    stderr
}

/// A web page where the status route should be (a gateway that routes only what it knows)
/// is a server without the route, as its own 404 is: said once, retried blindly; not a
/// DELETE sent at once for a video still generating.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_404_for_the_status_route_is_a_missing_route() {
    without_a_status_route(
        ResponseTemplate::new(404).set_body_raw("<html><body>Not Found</body></html>", "text/html"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_missing_status_route_said_reaches_stderr_printable() {
    let stderr = without_a_status_route(api_error(
        404,
        "NOT_FOUND",
        "\u{1b}[2J\u{1b}]0;owned\u{7}gone",
    ))
    .await;
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
}

#[test]
fn videos_a_sync_stored_as_generating_get_no_delete_before_their_status_says_it_ended() {
    let sim = Sim::start(SimConfig {
        videos: 3,
        ..generating_only(Duration::from_secs(8))
    });
    let sandbox = sim.sandbox();
    let synced = sandbox.run(&["sync"]);
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let fixtures = sim.server.fixtures().clone();
    let (chosen, left) = (fixtures.processing[0], fixtures.processing[1]);
    let store = sandbox.store().videos().expect("the list reads");
    for id in [chosen, left] {
        let state = (store.get(&id).and_then(|video| video.details.as_ref()))
            .and_then(|details| details.generation.state);
        assert!(state.is_some_and(|state| !state.is_final()), "{state:?}");
    }
    let deletable = fixtures.deletable[0];
    let (one, two) = (deletable.to_string(), chosen.to_string());
    let out = sandbox.run(&["delete", &one, &two, "--yes", "--wait-processing", "60"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stats = sim.stats();
    assert_eq!(stats.count(400), 0, "no DELETE while generating: {stats:?}");
    assert_eq!(
        sim.deleted_ids(),
        [deletable, chosen].into_iter().collect(),
        "only the confirmed ones"
    );
    let checked =
        |id: VideoId| (stats.read_paths.iter()).any(|path| path.ends_with(&format!("{id}/status")));
    assert!(checked(chosen), "{:?}", stats.read_paths);
    assert!(!checked(left), "an unconfirmed video is not even checked");
}
