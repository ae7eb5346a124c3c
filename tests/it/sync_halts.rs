//! What `elytron-tui sync` says, and exits with, when its pages cannot be had, through the
//! real binary: nothing listening (probed for `give_up_after` first, as `delete` does),
//! https spoken to a plain server, a base URL that leads to a web server (HTML 404: not
//! "this server does not list videos") or to the API without the listing (its JSON 404), a
//! key revoked mid-walk, and a listing that stops being one after its first page. Each keeps what was known and every page merged before, and says
//! so. (A far `Reset` is in `sync_pace`.)

use std::time::{Duration, Instant};

use elytron_tui::sim::{Misroute, SimConfig};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::mock::{completed_page, sync_against};
use crate::support::runs::stderr;
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, Sim, plain};

/// A loopback address nothing listens on (bound, then let go).
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("its address");
    drop(listener);
    format!("http://{addr}/v1")
}

/// Runs `sync` in `sandbox` (which knows one video beforehand): its exit code and what it
/// said, after checking that the video is still known, as it was.
fn sync_keeping_the_list(sandbox: &Sandbox) -> (Option<i32>, String) {
    sandbox.import(&["00000000-0000-4000-8000-000000000001"]);
    let before = sandbox.store().videos().expect("the list reads");
    let output = sandbox.run(&["sync"]);
    let said = stderr(&output);
    let after = sandbox.store().videos().expect("the list reads");
    assert_eq!(after, before, "the list is unchanged: {said}");
    (output.status.code(), said)
}

#[test]
fn nothing_listening_is_probed_for_give_up_after_then_exit_4_saying_it_could_not_connect() {
    let sandbox = Sandbox::new().at(closed_port()).with_key(KEY);
    std::fs::write(sandbox.config_file(), "give_up_after_seconds = 2\n").expect("config");
    let started = Instant::now();
    let (code, said) = sync_keeping_the_list(&sandbox);
    let took = started.elapsed();
    assert_eq!(code, Some(4), "{said}");
    assert!(said.contains("could not connect"), "{said}");
    // Said once when it starts probing (off a terminal too), and once when it gives up.
    let probing: Vec<&str> = said
        .lines()
        .filter(|line| line.contains("giving up"))
        .collect();
    assert_eq!(probing.len(), 1, "{said}");
    assert!(
        probing[0].starts_with("the server cannot be reached, giving up in 2 s"),
        "{said}"
    );
    assert!(said.contains("gave up after 2 s"), "{said}");
    assert!(
        said.contains("the next sync walks everything again"),
        "{said}"
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(30),
        "{took:?}"
    );
}

#[test]
fn give_up_after_on_the_command_line_outranks_the_config() {
    let sandbox = Sandbox::new().at(closed_port()).with_key(KEY);
    std::fs::write(sandbox.config_file(), "give_up_after_seconds = 1\n").expect("config");
    let started = Instant::now();
    let output = sandbox.run(&["sync", "--give-up-after", "4"]);
    let took = started.elapsed();
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{said}");
    assert!(said.contains("gave up after 4 s"), "{said}");
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(30),
        "{took:?}"
    );
}

#[test]
fn https_to_a_plain_server_is_exit_4_at_once_saying_tls() {
    let sim = Sim::start(plain(10));
    let url = sim.server.base_url().replacen("http://", "https://", 1);
    let sandbox = Sandbox::new().at(url).with_key(KEY);
    let (code, said) = sync_keeping_the_list(&sandbox);
    assert_eq!(code, Some(4), "{said}");
    assert!(said.contains("TLS handshake"), "{said}");
    assert!(!said.contains("gave up after"), "not retried: {said}");
}

#[test]
fn a_web_server_at_the_base_url_is_a_wrong_base_url_not_a_server_without_the_listing() {
    for (misroute, says, never) in [
        (
            Misroute::Html404,
            "the base URL does not lead to the Elytron API: it answered 404: the answer was \
             an HTML page",
            "does not list videos",
        ),
        (
            Misroute::Redirect,
            "the base URL does not lead to the Elytron API: it redirected to https://",
            "does not list videos",
        ),
        (
            Misroute::Code404,
            "this server does not list videos (it answered 404: NOT_FOUND",
            "base URL",
        ),
    ] {
        let sim = Sim::start(SimConfig {
            misroute: Some(misroute),
            ..plain(10)
        });
        let (code, said) = sync_keeping_the_list(&sim.sandbox());
        assert_eq!(code, Some(4), "{misroute:?}: {said}");
        assert!(said.contains(says), "{misroute:?}: {said}");
        assert!(!said.contains(never), "{misroute:?}: {said}");
    }
}

#[test]
fn a_key_revoked_mid_walk_is_exit_3_keeping_the_pages_merged() {
    let sim = Sim::start(SimConfig {
        revoke_key_after: Some(3),
        ..plain(1_000)
    });
    let sandbox = sim.sandbox();
    let output = sandbox.run(&["sync"]);
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{said}");
    assert!(said.contains("the API key was refused"), "{said}");
    let kept = sandbox.known().len();
    assert!(
        (200..1_000).contains(&kept),
        "the three pages merged before stay: {kept}: {said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_stops_being_one_mid_walk_keeps_its_pages_and_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/videos"))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completed_page(100, 300)))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .mount(&server)
        .await;
    let (output, sandbox) = sync_against(&server).await;
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{said}");
    assert!(said.contains("this server does not list videos"), "{said}");
    assert!(!said.contains("nothing in the list changed"), "{said}");
    assert!(said.contains("100 new, 0 changed"), "{said}");
    assert_eq!(sandbox.known().len(), 100, "the first page stays");
}
