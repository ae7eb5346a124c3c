//! Issue 21 B1 and B5 end to end, the real app in a pseudo-terminal against the simulated
//! server: the delete confirmation shows what goes (titles, ages, what happened before), and
//! the table's columns.

use elytron_tui::sim::SimConfig;

use crate::support::pty::{DataDir, Tui, path_str};
use crate::support::sim::{KEY, Sim};

/// Two deletable videos and one of another account, known with titles; the other account's
/// refused once before (403, forbidden).
fn titled_with_one_refused(seed: u64) -> (Sim, DataDir) {
    let sim = Sim::with_other_account(
        SimConfig {
            seed,
            videos: 2,
            ..SimConfig::default()
        },
        1,
    );
    let data = DataDir::new("grace_seconds = 0\n");
    let (mine, theirs) = (sim.deletable(), sim.other_account());
    let csv = format!(
        "video_id,title,created_at\n{},Harbour at dawn,2020-01-02T00:00:00Z\n{},Storyboard,\n\
         {},Not ours,\n",
        mine[0], mine[1], theirs[0]
    );
    let file = data.path().join("export.csv");
    std::fs::write(&file, csv).unwrap();
    data.run(&sim, &["import", path_str(&file)]);
    let refused = data.run_with(
        &sim,
        &["delete", &theirs[0].to_string(), "--yes"],
        &[("ELYTRON_API_KEY", KEY)],
    );
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    (sim, data)
}

/// The confirmation lists each video's title, age and last outcome and counts the batch by
/// last outcome; `n` sends nothing.
#[test]
fn the_confirmation_shows_titles_ages_and_what_was_refused_before() {
    let (sim, data) = titled_with_one_refused(2121);
    let sent = sim.stats().requests;
    let mut tui = Tui::start(&sim, &data, KEY);
    tui.wait_for_text("Not ours");
    tui.send("\x01d"); // Ctrl-a marks every row; d asks
    let screen = tui.wait_for_text("1 was refused before (forbidden).");
    let theirs = sim.other_account()[0];
    assert!(
        screen.contains(&format!("{theirs}  last: forbidden · \"Not ours\"")),
        "{screen}"
    );
    assert!(screen.contains(" ago · \"Harbour at dawn\""), "{screen}");
    assert!(screen.contains("2 never tried."), "{screen}");
    assert!(screen.contains("Delete 3 video(s)"), "{screen}");
    tui.send("n");
    tui.wait_for_text("Cancelled: nothing was sent.");
    assert_eq!(sim.stats().requests, sent, "n sent nothing");
    assert!(sim.deleted().is_empty());
    tui.quit_cleanly();
}

/// The header line of a screen.
fn header(screen: &str) -> String {
    screen
        .lines()
        .find(|line| line.contains("ID "))
        .unwrap_or_default()
        .to_owned()
}

/// The `columns` key (`c`, rebound here to `C` in the config) hides the optional columns,
/// says so, and shows them again.
#[test]
fn the_columns_key_hides_the_optional_columns_and_shows_them_again() {
    let (sim, data) = titled_with_one_refused(2122);
    std::fs::write(
        data.config_file(),
        "grace_seconds = 0\n[keys]\ncolumns = [\"C\"]\n",
    )
    .unwrap();
    let mut tui = Tui::start(&sim, &data, KEY);
    let screen = tui.wait_for_text("Not ours");
    let head = header(&screen);
    assert!(
        head.contains("CREATED") && head.contains("DETAIL"),
        "{screen}"
    );
    tui.send("C");
    let screen =
        tui.wait_for_text("Optional columns hidden (created, added, size, detail): C shows");
    let head = header(&screen);
    assert!(
        !head.contains("CREATED") && !head.contains("DETAIL"),
        "{screen}"
    );
    assert!(
        head.contains("TITLE") && head.contains("STATUS"),
        "{screen}"
    );
    tui.send("C");
    let screen = tui.wait_for_text("Optional columns shown: C hides them.");
    assert!(header(&screen).contains("CREATED"), "{screen}");
    tui.quit_cleanly();
}
