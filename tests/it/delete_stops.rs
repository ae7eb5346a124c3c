//! `delete` through the real binary where no retry can help: a server that cannot be reached or
//! refuses everything, a TLS handshake that fails, a wait longer than `max_wait_seconds` (a
//! `Retry-After`, or a far `Reset` with nothing remaining). Each stops sending within a bounded
//! time with one line naming the cause, exits 4, and leaves the unsent IDs resumable; and a long
//! wait that is honoured says so on stderr: what it waits for, and until when. And a key command
//! that hangs or fails: `delete` and `doctor` say which command, stop it, send nothing, and never
//! show what it printed.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::support::canned::{Canned, closed_port, http};
use crate::support::runs::{finish_within, json_lines, outcomes, stderr};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, Sim, plain, strings};
use elytron_tui::api::VideoId;

fn ids(n: usize) -> Vec<VideoId> {
    (0..n)
        .map(|_| VideoId::from_uuid(uuid::Uuid::new_v4()))
        .collect()
}

fn set(ids: &[VideoId]) -> HashSet<VideoId> {
    ids.iter().copied().collect()
}

/// Stopped, with the cause in one line, and nothing lost: every asked ID still listed and
/// resumable.
fn stopped_and_resumable(sandbox: &Sandbox, asked: &[VideoId], out: &std::process::Output) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("delete --resume"), "{err}");
    assert_eq!(sandbox.known(), set(asked));
    assert_eq!(sandbox.pending(), set(asked));
}

/// `delete --all --yes --json` with no standard input, failing the test unless it ends
/// within `limit` (a wait that is not bounded would hang it).
fn delete_all_within(sandbox: &Sandbox, limit: Duration) -> std::process::Output {
    let child = sandbox
        .command()
        .args(["delete", "--all", "--yes", "--json"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start elytron-tui");
    finish_within(child, limit)
}

/// A sandbox on `base_url`, with the key.
fn sandbox(base_url: String) -> Sandbox {
    Sandbox::new().at(base_url).with_key(KEY)
}

#[test]
fn a_closed_port_is_given_up_on_after_the_bounded_time_with_one_line() {
    let sandbox = sandbox(format!("http://{}/v1", closed_port()));
    let asked = ids(200);
    sandbox.import(&asked);
    let started = Instant::now();
    let out = sandbox.run(&["delete", "--all", "--yes", "--give-up-after", "2"]);
    let took = started.elapsed();
    stopped_and_resumable(&sandbox, &asked, &out);
    let err = stderr(&out);
    assert!(err.contains("could not connect"), "{err}");
    assert!(
        err.lines().filter(|line| line.contains("connect")).count() <= 2,
        "{err}"
    );
    let table = String::from_utf8_lossy(&out.stdout);
    let tried = table
        .lines()
        .filter(|line| line.contains("connect"))
        .count();
    assert!(tried <= 10, "{tried} IDs were tried: {table}");
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(30),
        "{took:?}"
    );
}

#[test]
fn a_server_that_hangs_up_on_every_request_is_probed_not_hammered() {
    let server = Canned::start(vec![String::new()]);
    let sandbox = sandbox(format!("http://{}/v1", server.addr));
    std::fs::write(sandbox.config_file(), "give_up_after_seconds = 3\n").expect("config");
    let asked = ids(200);
    sandbox.import(&asked);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    stopped_and_resumable(&sandbox, &asked, &out);
    let connections = server.accepted();
    assert!(
        connections <= 30,
        "{connections} connections for 200 IDs in 3 s"
    );
}

#[test]
fn a_tls_failure_stops_at_once_naming_the_host_and_the_cause() {
    // An https:// base URL at a plain-HTTP server: the handshake cannot succeed.
    let server = Canned::start(vec![http("400 Bad Request", &[])]);
    let sandbox = sandbox(format!("https://{}/v1", server.addr));
    let asked = ids(50);
    sandbox.import(&asked);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    stopped_and_resumable(&sandbox, &asked, &out);
    let err = stderr(&out);
    assert!(err.contains("TLS") && err.contains("127.0.0.1"), "{err}");
    let connections = server.accepted();
    assert!(connections <= 8, "{connections} handshakes tried");
}

#[test]
fn a_retry_after_beyond_max_wait_stops_instead_of_waiting_silently() {
    let server = Canned::start(vec![http(
        "429 Too Many Requests",
        &[("retry-after", "1000000000")],
    )]);
    let sandbox = sandbox(format!("http://{}/v1", server.addr));
    let asked = ids(20);
    sandbox.import(&asked);
    let out = delete_all_within(&sandbox, Duration::from_secs(30));
    stopped_and_resumable(&sandbox, &asked, &out);
    let err = stderr(&out);
    assert!(err.contains("max_wait_seconds"), "{err}");
}

#[test]
fn max_wait_seconds_from_the_config_bounds_what_is_waited() {
    let server = Canned::start(vec![http(
        "429 Too Many Requests",
        &[("retry-after", "11")],
    )]);
    let sandbox = sandbox(format!("http://{}/v1", server.addr));
    std::fs::write(sandbox.config_file(), "max_wait_seconds = 5\n").expect("config");
    let asked = ids(3);
    sandbox.import(&asked);
    let started = Instant::now();
    let out = sandbox.run(&["delete", "--all", "--yes"]);
    stopped_and_resumable(&sandbox, &asked, &out);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(stderr(&out).contains("11 s"), "{}", stderr(&out));
}

#[test]
fn a_long_wait_that_is_honoured_is_said_on_stderr_off_a_terminal() {
    let server = Canned::start(vec![
        http("429 Too Many Requests", &[("retry-after", "11")]),
        http("204 No Content", &[]),
    ]);
    let sandbox = sandbox(format!("http://{}/v1", server.addr));
    let asked = ids(1);
    let id = asked[0].to_string();
    let out = sandbox.run(&["delete", "--yes", "--json", &id]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let waits: Vec<&str> = err.lines().filter(|line| line.contains("11 s")).collect();
    assert_eq!(waits.len(), 1, "{err}");
}

/// Issue 17 §4: `api_key_command = "sleep 1000"` hung `delete` and `doctor` with no word;
/// a failing one printed its standard error ("… token sk-live-SECRET123 expired").
#[test]
fn a_key_command_that_hangs_or_fails_is_named_stopped_and_never_shown() {
    let sim = Sim::start(plain(2));
    // With ELYTRON_API_KEY, which the profile below does not take: its command must answer.
    let sandbox = sim.sandbox();
    let asked = strings(sim.deletable());
    let config = |command: &str| {
        let text = format!(
            "api_key_command_timeout_seconds = 2\ndefault_profile = \"cmd\"\n\
             [profiles.cmd]\napi_key_command = {command:?}\n"
        );
        std::fs::write(sandbox.config_file(), text).unwrap();
    };
    let delete = ["delete", "--yes", asked[0].as_str(), asked[1].as_str()];

    config("sleep 1000");
    let started = Instant::now();
    let out = sandbox.run(&delete);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("waiting for the key from api_key_command \"sleep 1000\" (at most 2 s)")
            && err.contains("gave no key within 2 s (api_key_command_timeout_seconds)"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it was stopped"
    );
    let out = sandbox.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("problem: api_key_command"),
        "{out:?}"
    );

    // Made by `tr`, so the config's text (which may be shown) holds neither secret.
    config(
        "echo sk-1ive-0UT | tr 10 lO; echo token sk-1ive-SECRET123 expired | tr 1 l >&2; exit 3",
    );
    for args in [&delete[..], &["doctor"]] {
        let out = sandbox.run(args);
        let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
        assert!(all.contains("failed (exit status: 3)"), "{all}");
        assert!(all.contains("run it yourself to see why"), "{all}");
        assert!(
            !all.contains("sk-live-SECRET123") && !all.contains("sk-live-OUT"),
            "{all}"
        );
    }
    assert_eq!(sim.stats().requests, 0);
}

/// Every answer a 503 (a proxy's page, no `Retry-After`): the server refuses everything.
/// Sending stops, said once; one probe at a time tries again; the batch is given up on like
/// an unreachable server's, and no video is failed for it: every one stays resumable.
#[test]
fn a_server_answering_503_to_everything_is_probed_then_given_up_on_failing_nothing() {
    let page = "503 Service Temporarily Unavailable";
    let server = Canned::start(vec![http(page, &[("content-type", "text/html")])]);
    let sandbox = sandbox(format!("http://{}/v1", server.addr));
    std::fs::write(sandbox.config_file(), "give_up_after_seconds = 3\n").expect("config");
    let asked = ids(100);
    sandbox.import(&asked);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    stopped_and_resumable(&sandbox, &asked, &out);
    let err = stderr(&out);
    assert!(err.contains("refuses every request"), "{err}");
    let said = err
        .lines()
        .filter(|line| line.contains("refuses every"))
        .count();
    assert_eq!(said, 2, "once when it stopped, once at the end: {err}");
    let failed = outcomes(&json_lines(&out.stdout))
        .into_values()
        .filter(|outcome| outcome == "failed")
        .count();
    assert_eq!(failed, 0, "{}", String::from_utf8_lossy(&out.stdout));
}

/// Issue 17 §5: `Remaining: 0` on a success, with a `Reset` far away (seconds from now, or a
/// Unix time in the year 5138): no silent wait, however long. It halts past
/// `max_wait_seconds`, naming what asked for the wait.
#[test]
fn a_far_reset_with_nothing_remaining_on_a_success_halts_and_says_why() {
    for reset in ["600", "99999999999"] {
        let spent = [
            ("x-ratelimit-limit", "10"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", reset),
        ];
        let server = Canned::start(vec![http("204 No Content", &spent)]);
        let sandbox = sandbox(format!("http://{}/v1", server.addr));
        let asked = ids(20);
        sandbox.import(&asked);
        let out = delete_all_within(&sandbox, Duration::from_secs(20));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{reset}: {err}");
        assert!(err.contains("max_wait_seconds"), "{reset}: {err}");
        assert!(err.contains("nothing remaining"), "{reset}: {err}");
        assert!(server.accepted() <= 4, "{} sent", server.accepted());
    }
}

/// A `Reset` within `max_wait_seconds` on a success with nothing remaining is waited, and
/// said on stderr off a terminal: what is waited for, and until when.
#[test]
fn a_reset_within_max_wait_is_waited_and_said_with_what_and_until_when() {
    let spent = [
        ("x-ratelimit-limit", "1"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "11"),
    ];
    // The first requests go together and each says the allowance is spent; the fifth waits.
    let mut replies = vec![http("204 No Content", &spent); 4];
    replies.push(http("204 No Content", &[]));
    let server = Canned::start(replies);
    let sandbox = sandbox(format!("http://{}/v1", server.addr));
    let asked = ids(5);
    sandbox.import(&asked);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(server.accepted(), 5, "{err}");
    let waits: Vec<&str> = err
        .lines()
        .filter(|line| line.starts_with("waiting"))
        .collect();
    assert_eq!(waits.len(), 1, "{err}");
    assert!(
        waits[0].contains("reset") && waits[0].contains(", until "),
        "{err}"
    );
    let until = waits[0].split(", until ").nth(1).unwrap_or_default();
    assert!(
        until.as_bytes().get(2) == Some(&b':'),
        "a time of day: {err}"
    );
}
