//! `delete` through the real binary against the simulated server, where the answer is not the
//! API's or the machine fails: a 2xx that proves nothing, a 404 or a redirect from the wrong
//! base URL, a key revoked mid-batch, standard output closed or never read, a write failing
//! mid-batch. Each says what the server really did, keeps the list true, and leaves every
//! unsent ID resumable.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::runs::{PATIENCE, finish_within, json_lines, outcomes, stderr};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, Sim, plain};
use elytron_tui::api::VideoId;
use elytron_tui::sim::{Misroute, SimConfig};

fn set(ids: &[VideoId]) -> HashSet<VideoId> {
    ids.iter().copied().collect()
}

/// Fails saying how two sets of IDs differ (sizes and a few IDs, not thousands).
#[track_caller]
fn assert_same(got: &HashSet<VideoId>, want: &HashSet<VideoId>, what: &str) {
    let extra: Vec<_> = got.difference(want).take(3).collect();
    let missing: Vec<_> = want.difference(got).take(3).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{what}: {} instead of {}; e.g. extra {extra:?}, missing {missing:?}",
        got.len(),
        want.len()
    );
}

#[test]
fn a_200_that_is_not_the_apis_answer_deletes_nothing_and_the_ids_stay() {
    let sim = Sim::start(SimConfig {
        garbage_2xx_rate: 1.0,
        ..plain(3)
    });
    let ids = sim.server.fixtures().deletable.clone();
    let sandbox = sim.sandbox();
    sandbox.import(&ids);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for line in json_lines(&out.stdout) {
        assert_eq!(line["outcome"], "failed", "{line}");
        let message = line["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("unexpected 200 answer (text/plain)"),
            "{message}"
        );
    }
    assert!(sim.deleted_ids().is_empty());
    assert_same(&sandbox.known(), &set(&ids), "every video is still there");
}

#[test]
fn garbage_200s_among_real_answers_leave_the_list_exactly_what_the_server_still_has() {
    let sim = Sim::start(SimConfig {
        garbage_2xx_rate: 0.4,
        seed: 9,
        ..plain(300)
    });
    let ids = sim.server.fixtures().deletable.clone();
    let sandbox = sim.sandbox();
    sandbox.import(&ids);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let deleted = sim.deleted_ids();
    for (id, outcome) in outcomes(&json_lines(&out.stdout)) {
        assert_eq!(
            outcome == "deleted",
            deleted.contains(&id),
            "{id} reads {outcome}"
        );
    }
    let still_there: HashSet<VideoId> = set(&ids).difference(&deleted).copied().collect();
    assert_same(&sandbox.known(), &still_there, "the IDs");
}

/// Runs `delete --all` against a base URL that is not the API's and checks the batch stopped
/// after a few requests, with every video still listed and the unsent ones resumable.
fn stops_at_a_wrong_base_url(sim: &Sim, base_url: &str, says: &[&str]) {
    let ids = sim.server.fixtures().deletable.clone();
    let sandbox = Sandbox::new().at(base_url).with_key(KEY);
    sandbox.import(&ids);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    for text in says.iter().chain(&[base_url, "check base_url"]) {
        assert!(err.contains(text), "{text:?} missing from: {err}");
    }
    assert_eq!(err.matches("check base_url").count(), 1, "{err}");
    let sent = sim.server.stats().requests as usize;
    assert!(sent <= 10, "{sent} requests went to a wrong base URL");
    assert!(sim.deleted_ids().is_empty());
    assert_same(&sandbox.known(), &set(&ids), "no video left the list");
    let lines = outcomes(&json_lines(&out.stdout));
    let unsent: HashSet<VideoId> = lines
        .iter()
        .filter(|(_, outcome)| *outcome == "skipped")
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(unsent.len() + sent, ids.len(), "{} lines", lines.len());
    assert_same(&sandbox.pending(), &unsent, "the unsent stay resumable");
}

#[test]
fn a_wrong_base_path_answering_404s_stops_the_batch_and_empties_nothing() {
    let sim = Sim::start(plain(100));
    // No such route on the server: it answers a JSON 404 whose code is not VIDEO_NOT_FOUND.
    let base = sim.server.base_url().replace("/v1", "/v2");
    stops_at_a_wrong_base_url(&sim, &base, &["404", "NOT_FOUND"]);
}

#[test]
fn an_nginx_404_page_stops_the_batch() {
    let sim = Sim::start(SimConfig {
        misroute: Some(Misroute::Html404),
        ..plain(100)
    });
    stops_at_a_wrong_base_url(&sim, &sim.server.base_url(), &["404 Not Found"]);
}

#[test]
fn a_redirect_stops_the_batch_naming_where_it_pointed() {
    let sim = Sim::start(SimConfig {
        misroute: Some(Misroute::Redirect),
        ..plain(100)
    });
    let elsewhere = format!("https://{}/v1/videos/", sim.server.addr());
    stops_at_a_wrong_base_url(
        &sim,
        &sim.server.base_url(),
        &[
            &format!("redirected to {elsewhere}"),
            "requests are not followed there with your key",
        ],
    );
}

#[test]
fn a_key_revoked_mid_batch_leaves_every_unsent_id_to_resume_with_a_good_key() {
    let sim = Sim::start(SimConfig {
        revoke_key_after: Some(300),
        latency: Duration::from_millis(5),
        ..plain(2000)
    });
    let ids = sim.server.fixtures().deletable.clone();
    let sandbox = sim.sandbox();
    sandbox.import(&ids);
    let out = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let deleted = sim.deleted_ids();
    assert_eq!(deleted.len(), 300);
    let left: HashSet<VideoId> = set(&ids).difference(&deleted).copied().collect();
    assert_same(&sandbox.known(), &left, "the IDs");
    assert_same(
        &sandbox.pending(),
        &left,
        "every ID not deleted is resumable",
    );

    sim.server.set_key("sk-headless-ROTATED-5678");
    let resumed = Sandbox::new()
        .at(sim.server.base_url())
        .with_key("sk-headless-ROTATED-5678");
    let moved = std::fs::rename(sandbox.data_dir(), resumed.data_dir());
    moved.expect("move the data folder to the run with the new key");
    let out = resumed.run(&["delete", "--resume", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_same(
        &sim.deleted_ids(),
        &set(&ids),
        "every video is deleted in the end",
    );
    assert!(resumed.known().is_empty());
    assert!(resumed.pending().is_empty());
}

#[test]
fn closed_output_stops_sending_journals_every_answer_and_exits_non_zero() {
    let sim = Sim::start(SimConfig {
        latency: Duration::from_millis(50),
        ..plain(2000)
    });
    let ids = sim.server.fixtures().deletable.clone();
    let sandbox = sim.sandbox();
    sandbox.import(&ids);
    let mut child = sandbox
        .command()
        .args(["delete", "--all", "--yes", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start elytron-tui");
    // `| head -1`: one line read, then the pipe is closed.
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut first)
        .expect("one line");
    assert!(first.contains("\"outcome\""), "{first}");
    let out = finish_within(child, PATIENCE);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("standard output was closed"), "{err}");
    let deleted = sim.deleted_ids();
    assert!(deleted.len() < ids.len(), "it went on sending");
    let journalled: HashSet<VideoId> = sandbox
        .history()
        .iter()
        .filter(|entry| entry.outcome.is_gone())
        .map(|entry| entry.id)
        .collect();
    assert_same(
        &journalled,
        &deleted,
        "every deleted video is in the history",
    );
    let left: HashSet<VideoId> = set(&ids).difference(&deleted).copied().collect();
    assert_same(&sandbox.known(), &left, "the IDs");
    assert_same(&sandbox.pending(), &left, "the IDs");

    let out = sandbox.run(&["delete", "--resume", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_same(&sim.deleted_ids(), &set(&ids), "the IDs");
}

#[test]
fn the_journal_keeps_up_while_standard_output_is_not_read() {
    let sim = Sim::start(plain(3000));
    let ids = sim.server.fixtures().deletable.clone();
    let sandbox = sim.sandbox();
    sandbox.import(&ids);
    let child = sandbox
        .command()
        .args(["delete", "--all", "--yes", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start elytron-tui");
    // Nobody reads stdout: its pipe fills after a few hundred lines.
    let deadline = Instant::now() + PATIENCE;
    let mut journalled = 0;
    while journalled < ids.len() {
        assert!(
            Instant::now() < deadline,
            "{journalled} of {} journalled while stdout was not read ({} deleted)",
            ids.len(),
            sim.deleted_ids().len()
        );
        std::thread::sleep(Duration::from_millis(100));
        journalled = sandbox.history().len();
    }
    let out = finish_within(child, PATIENCE);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_lines(&out.stdout).len(), ids.len());
}

#[test]
fn a_write_failing_mid_batch_stops_with_true_counts_and_a_resumable_batch() {
    let sim = Sim::start(SimConfig {
        latency: Duration::from_millis(50),
        ..plain(400)
    });
    let ids = sim.server.fixtures().deletable.clone();
    let sandbox = sim.sandbox();
    sandbox.import(&ids);
    // As on a full disk: no file may grow much past the database as the import left it
    // (a little room for the batch to be queued), so the outcomes' writes soon fail.
    let database = std::fs::metadata(sandbox.data_dir().join("elytron-tui.db"))
        .expect("the database")
        .len();
    let mut cmd = sandbox.command_with_file_size_limit(database.max(32 * 1024) + 40 * 1024);
    // Four at a time: the batch takes seconds, so the write fails with most of it unsent.
    cmd.args(["delete", "--all", "--yes", "--concurrency", "4"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = finish_within(cmd.spawn().expect("start elytron-tui"), PATIENCE);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("could not be written"), "{err}");
    let deleted = sim.deleted_ids();
    assert!(
        !deleted.is_empty() && deleted.len() < ids.len(),
        "{} deleted: {err}",
        deleted.len()
    );
    let queued: u64 = err
        .split(" stay queued: `elytron-tui delete --resume` sends them")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no count of what stays queued: {err}"));

    // Room again: resuming sends exactly what the stop line said, and the list ends empty.
    let before = sim.server.stats().requests;
    let out = sandbox.run(&["delete", "--resume", "--yes"]);
    assert!(
        matches!(out.status.code(), Some(0)),
        "{:?}: {}",
        out.status,
        stderr(&out)
    );
    assert_eq!(
        sim.server.stats().requests - before,
        queued,
        "what `delete --resume` sent, against what the stop line said: {err}"
    );
    assert_same(&sim.deleted_ids(), &set(&ids), "the IDs");
    assert!(sandbox.known().is_empty(), "{:?}", sandbox.known().len());
}
