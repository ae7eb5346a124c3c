//! End to end, in a pseudo-terminal: the app's sync (`L`) against the simulated server.
//! Pressed while a confirmed batch runs, the account's rows arrive while the batch sends, the
//! footer follows both, the batch finishes, and the server deleted exactly the IDs confirmed
//! (a row a sync brings in is never part of a batch confirmed before it). Halted by a key the
//! server stops taking, it asks for another and keeps the pages merged. On a server that
//! cannot be reached, it gives up after `give_up_after_seconds`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use elytron_tui::sim::SimConfig;

use crate::support::canned::closed_port;
use crate::support::pty::{DataDir, Tui, batch_under_way};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, Sim, plain, sorted, strings};

#[test]
fn a_sync_beside_a_batch_brings_the_rows_and_deletes_only_the_confirmed() {
    const ACCOUNT: usize = 1_000;
    const BATCH: usize = 30;
    // 120 ms a request, one at a time: the batch takes ~4 s, the sync's 11 pages ~1.5 s.
    let sim = Sim::deletable_only(SimConfig {
        seed: 1919,
        videos: ACCOUNT,
        latency: Duration::from_millis(120),
        ..SimConfig::default()
    });
    let confirmed = &sim.deletable()[..BATCH];
    let (data, mut tui) = batch_under_way(&sim, confirmed, 2);

    tui.send("L");
    let both = tui.wait_for("the footer says the sync beside the batch", |s| {
        s.contains("syncing: page") && s.contains(&format!("/{BATCH} done"))
    });
    assert!(
        sim.stats().deleted.len() < BATCH,
        "the batch still runs while the sync does:\n{both}"
    );
    tui.wait_for("the batch finished and the sync synced", |s| {
        s.contains(&format!("Batch done: {BATCH} deleted"))
            && !s.contains("syncing")
            && s.contains(&format!(" {} known", ACCOUNT - BATCH))
    });
    tui.quit_cleanly();

    assert_eq!(
        sim.deleted(),
        sorted(strings(confirmed)),
        "exactly the confirmed IDs were deleted"
    );
    let known: HashSet<String> = data
        .json_lines(&sim, "list", "last_outcome")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let rest: HashSet<String> = strings(&sim.deletable()[BATCH..]).into_iter().collect();
    assert_eq!(
        known, rest,
        "every video left on the server is known, and only those"
    );
}

#[test]
fn a_key_revoked_mid_sync_asks_for_another_and_keeps_the_pages_merged() {
    // The key works for three requests, then never again: the sync's first pages merge,
    // the next is refused.
    let sim = Sim::start(SimConfig {
        seed: 2323,
        revoke_key_after: Some(3),
        ..plain(1_000)
    });
    let data = DataDir::new("grace_seconds = 0\n");
    let mut tui = Tui::start(&sim, &data, KEY);
    tui.wait_for_text("0 known");
    tui.send("L");
    let asked = tui.wait_for("the key prompt, the sync stopped", |s| {
        s.contains("The server refused the last key; enter another.")
            && s.contains("The sync stopped: the API key was refused")
    });
    assert!(
        !asked.contains("0/0 done") && !asked.contains("batch is paused"),
        "no batch waits: the sync stopped\n{asked}"
    );
    tui.send_esc();
    let after = tui.wait_for("the prompt closed, the rows kept", |s| {
        !s.contains("the sync is paused") && s.contains(" known")
    });
    tui.quit_cleanly();

    let known = data.json_lines(&sim, "list", "last_outcome").len();
    assert!(
        (200..1_000).contains(&known),
        "the pages merged before the refusal stay: {known}\n{asked}\n{after}"
    );
    assert!(sim.deleted().is_empty(), "a sync deletes nothing");
}

/// The app's sync (`L`) on a server that cannot be reached probes it for
/// `give_up_after_seconds`, as `sync` and `delete` do, saying meanwhile when it gives up.
#[test]
fn the_apps_sync_probes_an_unreachable_server_for_give_up_after_seconds() {
    let sandbox = Sandbox::new()
        .at(format!("http://{}/v1", closed_port()))
        .with_key(KEY);
    std::fs::write(sandbox.config_file(), "give_up_after_seconds = 3\n").expect("config");
    let log = sandbox.data_dir().join("elytron-tui.log");
    let mut tui = Tui::spawn(sandbox.pty_command(), Some(log));
    tui.wait_for("the app is up", |s| s.contains(" 0 known"));
    tui.send("L");
    let asked = Instant::now();
    tui.wait_for_text("giving up in");
    tui.wait_for_text("The sync stopped: the server cannot be reached, gave up after 3 s");
    let took = asked.elapsed();
    assert!(took >= Duration::from_secs(3), "gave up after {took:?}");
    tui.quit_cleanly();
}
