//! End to end, in a pseudo-terminal: the app's sync (`L`) pressed while a confirmed batch
//! runs against the simulated server. The account's rows arrive while the batch sends, the
//! footer follows both, the batch finishes, and the server deleted exactly the IDs confirmed
//! (a row a sync brings in is never part of a batch confirmed before it).

use std::collections::HashSet;
use std::time::Duration;

use elytron_tui::sim::SimConfig;

use crate::support::pty::batch_under_way;
use crate::support::sim::{Sim, sorted, strings};

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
