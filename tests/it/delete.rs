//! `delete` through the real binary against a loopback HTTP server (wiremock): outcomes, exit
//! codes, what the list, history and pending batch hold afterwards, the refusal without a
//! terminal, `--dry-run`, a refused key, and resuming a batch killed mid-way.

use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::mock::{answer_every_delete, error_body};
use crate::support::runs::{interrupted, json_lines};
use crate::support::sandbox::Sandbox;

const KEY: &str = "sk-live-CLI-SECRET-42";

/// A sandbox on `server`, with the key.
fn sandbox(server: &MockServer) -> Sandbox {
    Sandbox::new().at(server.uri()).with_key(KEY)
}

/// The known list's IDs as the app would load it, in list order.
fn known_ids(sandbox: &Sandbox) -> Vec<String> {
    let list = sandbox.store().videos().unwrap();
    list.iter().map(|video| video.id.to_string()).collect()
}

/// The real binary running in the background, for tests that interrupt it.
fn spawn(sandbox: &Sandbox, args: &[&str], stdout: Stdio) -> std::process::Child {
    sandbox
        .command()
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|_| uuid::Uuid::new_v4().to_string()).collect()
}

async fn answer(server: &MockServer, id: &str, status: u16, body: Option<Value>) {
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response.set_body_json(body);
    }
    Mock::given(method("DELETE"))
        .and(path(format!("/videos/{id}")))
        .and(header("authorization", format!("Bearer {KEY}")))
        .respond_with(response)
        .mount(server)
        .await;
}

fn outcome_of<'a>(lines: &'a [Value], id: &str) -> &'a str {
    let line = lines.iter().find(|line| line["id"] == id).unwrap();
    line["outcome"].as_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_outcomes_are_printed_recorded_and_exit_1() {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(3);
    sandbox.import(&asked);
    answer(&server, &asked[0], 204, None).await;
    answer(
        &server,
        &asked[1],
        404,
        Some(error_body("VIDEO_NOT_FOUND", "Video not found")),
    )
    .await;
    answer(
        &server,
        &asked[2],
        403,
        Some(error_body("FORBIDDEN", "Not yours")),
    )
    .await;

    let out = sandbox
        .cmd()
        .args(["delete", "--all", "--yes", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(outcome_of(&lines, &asked[0]), "deleted");
    assert_eq!(outcome_of(&lines, &asked[1]), "not_found");
    assert_eq!(outcome_of(&lines, &asked[2]), "forbidden");
    let forbidden = lines
        .iter()
        .find(|line| line["id"] == asked[2].as_str())
        .unwrap();
    assert_eq!(forbidden["status"], 403);
    assert_eq!(forbidden["attempts"], 1);
    assert!(!String::from_utf8_lossy(&out.stderr).contains(KEY));

    assert_eq!(known_ids(&sandbox), [asked[2].clone()]);
    assert_eq!(sandbox.history().len(), 3);
    assert!(sandbox.pending().is_empty());
    sandbox
        .cmd()
        .args(["list", "--json"])
        .assert()
        .stdout(contains("\"last_outcome\":\"forbidden\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_all_gone_exit_0_and_unknown_ids_stay_out_of_the_list() {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(2);
    sandbox.import(&asked[..1]);
    for id in &asked {
        answer(&server, id, 204, None).await;
    }
    sandbox
        .cmd()
        .args(["delete", "--yes", &asked[0], &asked[1]])
        .assert()
        .code(0)
        .stdout(contains(asked[1].as_str()).and(contains("deleted")))
        .stderr(contains("2 deleted"));
    assert!(known_ids(&sandbox).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_yes_and_without_a_terminal_it_refuses_and_sends_nothing() {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(2);
    sandbox.import(&asked);
    sandbox
        .cmd()
        .args(["delete", "--all"])
        .write_stdin("y\n")
        .assert()
        .code(2)
        .stderr(contains("refusing to delete 2").and(contains("--yes")));
    assert!(server.received_requests().await.unwrap().is_empty());
    assert_eq!(known_ids(&sandbox), asked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_requests_and_sends_nothing() {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(2);
    sandbox.import(&asked);
    sandbox
        .cmd()
        .args(["delete", "--all", "--dry-run"])
        .assert()
        .code(0)
        .stdout(contains(format!(
            "DELETE {}/videos/{}",
            server.uri(),
            asked[1]
        )));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_key_is_a_config_error_and_sends_nothing() {
    let server = MockServer::start().await;
    let sandbox = Sandbox::new().at(server.uri());
    let asked = ids(1);
    sandbox
        .cmd()
        .args(["delete", "--yes", &asked[0]])
        .assert()
        .code(2)
        .stderr(contains("no API key"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_exits_3_skips_the_rest_and_leaves_them_resumable() {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(5);
    sandbox.import(&asked);
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(error_body("UNAUTHORIZED", "Invalid API key")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;

    let out = sandbox
        .cmd()
        .args(["delete", "--all", "--yes", "--json", "--concurrency", "1"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 5);
    assert_eq!(outcome_of(&lines, &asked[0]), "unauthorized");
    for id in &asked[1..] {
        assert_eq!(outcome_of(&lines, id), "skipped");
    }
    assert_eq!(known_ids(&sandbox), asked);
    let pending = sandbox.pending();
    assert_eq!(pending.len(), 5, "the refused one was not deleted either");

    for id in &asked {
        answer(&server, id, 204, None).await;
    }
    sandbox
        .cmd()
        .args(["delete", "--resume", "--yes"])
        .assert()
        .code(0);
    assert!(known_ids(&sandbox).is_empty());
    assert!(sandbox.pending().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_killed_mid_way_keeps_what_was_answered_and_resumes_the_rest() {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(12);
    sandbox.import(&asked);
    answer_every_delete(
        &server,
        ResponseTemplate::new(204).set_delay(Duration::from_millis(150)),
    )
    .await;

    let mut child = spawn(
        &sandbox,
        &["delete", "--all", "--yes", "--concurrency", "1"],
        Stdio::null(),
    );
    // Results are saved as they arrive, not at the end: wait for the list to shrink mid-batch.
    let deadline = Instant::now() + Duration::from_secs(60);
    while known_ids(&sandbox).len() == asked.len() {
        assert!(
            Instant::now() < deadline,
            "no result reached the list in time"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let answered: Vec<String> = sandbox
        .history()
        .iter()
        .map(|entry| entry.id.to_string())
        .collect();
    let known = known_ids(&sandbox);
    assert!(
        answered.len() < asked.len(),
        "the kill came too late to test anything"
    );
    let pending: Vec<String> = sandbox
        .store()
        .pending()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    // Every recorded answer shows in the list: the two are written in one transaction.
    let unanswered: Vec<String> = asked
        .iter()
        .filter(|id| !answered.contains(id))
        .cloned()
        .collect();
    assert_eq!(
        known, unanswered,
        "the list does not match what was answered"
    );
    for id in &known {
        assert!(
            pending.contains(id),
            "{id} is listed but would not be resumed"
        );
    }

    sandbox
        .cmd()
        .args(["delete", "--resume", "--yes"])
        .assert()
        .code(0);
    assert!(known_ids(&sandbox).is_empty());
}

/// Ten known IDs, each DELETE answered 204 after 200 ms, `delete --all --yes --concurrency 1`
/// (and `extra`) interrupted by SIGINT once two requests have arrived; it exits 130.
async fn interrupted_batch(extra: &[&str]) -> (MockServer, Sandbox, Vec<String>, Output) {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(10);
    sandbox.import(&asked);
    answer_every_delete(
        &server,
        ResponseTemplate::new(204).set_delay(Duration::from_millis(200)),
    )
    .await;

    let mut args = vec!["delete", "--all", "--yes", "--concurrency", "1"];
    args.extend(extra);
    let child = spawn(&sandbox, &args, Stdio::piped());
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.received_requests().await.unwrap().len() < 2 {
        assert!(Instant::now() < deadline, "no request arrived in time");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let out = interrupted(child);
    (server, sandbox, asked, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_cancels_the_queue_records_what_finished_and_exits_130() {
    let (server, sandbox, asked, out) = interrupted_batch(&["--json"]).await;

    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), asked.len(), "one line per asked ID");
    let deleted: Vec<&str> = lines
        .iter()
        .filter(|line| line["outcome"] == "deleted")
        .map(|line| line["id"].as_str().unwrap())
        .collect();
    let cancelled = lines
        .iter()
        .filter(|line| line["outcome"] == "cancelled")
        .count();
    assert!(!deleted.is_empty() && cancelled > 0, "{lines:?}");
    assert_eq!(deleted.len() + cancelled, asked.len());
    let sent = server.received_requests().await.unwrap().len();
    assert_eq!(sent, deleted.len(), "a cancelled ID was sent");

    let known = known_ids(&sandbox);
    assert_eq!(known.len(), cancelled);
    for id in &deleted {
        assert!(!known.iter().any(|known| known == id));
    }
    let pending = sandbox.pending();
    assert_eq!(pending.len(), cancelled, "the cancelled IDs are resumable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_lists_what_was_sent_and_says_in_one_line_what_resume_sends() {
    let (server, sandbox, asked, out) = interrupted_batch(&[]).await;
    let err = String::from_utf8_lossy(&out.stderr);

    let sent = server.received_requests().await.unwrap().len();
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(table.lines().count(), sent, "one row per ID sent:\n{table}");
    assert!(table.lines().all(|row| row.contains("deleted")), "{table}");
    let unsent = asked.len() - sent;
    let line = format!(
        "interrupted; sent {sent} of 10 ({sent} deleted), {unsent} never sent; {unsent} stay \
         queued: `elytron-tui delete --resume` sends them"
    );
    assert_eq!(
        err.lines().filter(|l| **l == line).count(),
        1,
        "{line}\n{err}"
    );

    // The line is true: resuming sends exactly the IDs never sent, each once.
    sandbox
        .cmd()
        .args(["delete", "--resume", "--yes"])
        .assert()
        .code(0);
    let requests = server.received_requests().await.unwrap();
    let mut paths: Vec<String> = requests.iter().map(|r| r.url.path().to_owned()).collect();
    paths.sort();
    let mut every: Vec<String> = asked.iter().map(|id| format!("/videos/{id}")).collect();
    every.sort();
    assert_eq!(
        paths, every,
        "each asked ID sent once, in the batch or on resume"
    );
    assert!(sandbox.known().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processing_videos_stay_listed_or_are_waited_out_with_wait_processing() {
    let server = MockServer::start().await;
    let sandbox = sandbox(&server);
    let asked = ids(1);
    sandbox.import(&asked);
    let processing = error_body(
        "VIDEO_IN_PROCESSING",
        "Cannot delete video while it is being processed",
    );
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(400).set_body_json(processing))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    answer(&server, &asked[0], 204, None).await;

    let out = sandbox
        .cmd()
        .args(["delete", "--all", "--yes", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out.stdout);
    assert_eq!(outcome_of(&lines, &asked[0]), "processing");
    assert_eq!(lines[0]["error_code"], "VIDEO_IN_PROCESSING");
    assert_eq!(known_ids(&sandbox), asked);

    // One more 400, then the video is deletable: waiting it out ends deleted.
    sandbox
        .cmd()
        .args(["delete", "--all", "--yes", "--wait-processing", "30"])
        .assert()
        .code(0);
    assert!(known_ids(&sandbox).is_empty());
}
