//! What a run learns of a server's pace is kept for the next run on the same base URL,
//! through the real binary against the simulated server: a second `delete` behind a limit
//! without rate headers starts at the rate the first found (fewer 429s, counted at the
//! server), a run against another base URL starts from scratch, `sync` and the app keep it
//! too, and a kept value that does not read back is ignored.

use std::time::Duration;

use crate::support::pty::batch_under_way;
use crate::support::runs::{most_in_a_second, stderr};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{Sim, plain};
use elytron_tui::api::VideoId;
use elytron_tui::sim::SimConfig;
use elytron_tui::store::{Paths, Store};
use rusqlite::Connection;

/// Requests a second the limited server admits.
const LIMIT: f64 = 10.0;

/// A server admitting `LIMIT` requests a second, saying only 429 and `Retry-After` when
/// over it (no rate headers), 50 ms away, with `videos` videos.
fn limited(videos: usize) -> Sim {
    Sim::deletable_only(SimConfig {
        rate_per_sec: Some(LIMIT),
        rate_headers: false,
        latency: Duration::from_millis(50),
        ..plain(videos)
    })
}

/// Deletes `ids` through `sandbox`; the 429s the server answered meanwhile.
fn delete(sim: &Sim, sandbox: &Sandbox, ids: &[VideoId]) -> u64 {
    let before = sim.stats().count(429);
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let mut args = vec!["delete", "--yes"];
    args.extend(ids.iter().map(String::as_str));
    let out = sandbox.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    sim.stats().count(429) - before
}

#[test]
fn a_second_delete_starts_at_the_pace_the_first_found_and_gets_fewer_429s() {
    let sim = limited(120);
    let sandbox = sim.sandbox();
    let (first, second) = sim.deletable().split_at(60);
    let url = sim.server.base_url();
    assert_eq!(sandbox.store().server_pace(&url), None);
    let refused_first = delete(&sim, &sandbox, first);
    let kept = sandbox.store().server_pace(&url).expect("the pace is kept");
    let rate = kept.rate.expect("a rate was found").per_second();
    assert!(rate <= LIMIT * 1.5, "{kept:?}");
    let refused_second = delete(&sim, &sandbox, second);
    // From scratch, a run here draws 8 to 24 429s (its first round overshoots); started at
    // the kept rate, one or two where its probe upward finds the limit.
    assert!(
        refused_second <= 4 && refused_second < refused_first,
        "{refused_second} 429s in the second run, {refused_first} in the first"
    );
}

/// Deletes every video of `sim` through `sandbox`, on `sim`'s base URL; the most DELETEs that
/// arrived there within one second.
fn delete_all_at(sim: &Sim, sandbox: &Sandbox) -> usize {
    let url = sim.server.base_url();
    let ids: Vec<String> = sim.deletable().iter().map(ToString::to_string).collect();
    let mut args = vec!["delete", "--yes", "--base-url", &url];
    args.extend(ids.iter().map(String::as_str));
    let out = sandbox.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(sim.deleted().len(), ids.len());
    most_in_a_second(&sim.stats().delete_arrivals_us)
}

#[test]
fn a_pace_learned_on_another_base_url_is_not_used() {
    let slow = limited(40);
    let sandbox = slow.sandbox();
    delete(&slow, &sandbox, slow.deletable());
    let kept = sandbox.store().server_pace(&slow.server.base_url());
    assert!(kept.and_then(|pace| pace.rate).is_some(), "{kept:?}");
    // An unlimited server, at another base URL: nothing holds the run to the slow one's pace
    // (from scratch all 150 arrive within a second; started at the slow one's, about 30).
    let fast = Sim::deletable_only(plain(150));
    let most = delete_all_at(&fast, &sandbox);
    assert!(
        most as f64 > 6.0 * LIMIT,
        "{most} DELETEs in one second: held to the other server's pace"
    );
    // Each base URL keeps its own.
    assert_eq!(
        sandbox.store().server_pace(&slow.server.base_url()),
        kept,
        "the slow server's pace is left alone"
    );
    let fast_pace = sandbox.store().server_pace(&fast.server.base_url());
    assert_eq!(fast_pace.and_then(|pace| pace.rate), None, "{fast_pace:?}");
}

#[test]
fn a_kept_pace_that_does_not_read_back_is_ignored_and_replaced() {
    let sim = limited(30);
    let sandbox = sim.sandbox();
    let url = sim.server.base_url();
    sandbox.import(&["00000000-0000-4000-8000-000000000001"]);
    let db = Connection::open(sandbox.paths().database()).expect("the database opens");
    db.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '{\"rate\": \"fast\"')",
        [format!("pace {url}")],
    )
    .expect("a corrupt pace is written");
    drop(db);
    assert_eq!(sandbox.store().server_pace(&url), None);
    delete(&sim, &sandbox, sim.deletable());
    let kept = sandbox
        .store()
        .server_pace(&url)
        .expect("a pace is kept anew");
    assert!(kept.rate.is_some(), "{kept:?}");
}

#[test]
fn a_sync_keeps_the_pace_its_pages_found() {
    let sim = Sim::start(SimConfig {
        rate_per_sec: Some(LIMIT),
        burst: Some(2.0),
        rate_headers: false,
        ..plain(1_000)
    });
    let sandbox = sim.sandbox();
    let output = sandbox.run(&["sync"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let kept = sandbox.store().server_pace(&sim.server.base_url());
    let rate = kept
        .and_then(|pace| pace.rate)
        .map(|rate| rate.per_second());
    assert!(rate.is_some_and(|rate| rate <= LIMIT * 1.5), "{kept:?}");
}

#[test]
fn the_app_keeps_the_pace_its_batch_found() {
    let sim = limited(30);
    let url = sim.server.base_url();
    let (data, mut tui) = batch_under_way(&sim, sim.deletable(), 1);
    tui.wait_for_text("Batch done: 30 deleted");
    tui.quit_cleanly();
    assert!(sim.stats().count(429) > 0, "the limit was met");
    let store = Store::open(&Paths::in_dir(&data.path())).expect("the store opens");
    let kept = store.server_pace(&url);
    let rate = kept
        .and_then(|pace| pace.rate)
        .map(|rate| rate.per_second());
    assert!(rate.is_some_and(|rate| rate <= LIMIT * 1.5), "{kept:?}");
}
