//! End to end: the real binary in a pseudo-terminal (`support::pty_device`), its output parsed by a
//! `vt100` screen, against the simulated server running in this test process. Keys in; the
//! screen, the exit status, the data folder and the server's own record out. Every test owns
//! a temporary data folder and its child is killed on every path (`Tui`'s `Drop`).

use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use elytron_tui::sim::SimConfig;

use crate::support::canned::{Canned, http};
use crate::support::pty::{self, DataDir, PATIENCE, Tui, is_marked, marked, path_str, shows};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY as RIGHT_KEY, Sim, generating_only, sorted, strings};

#[test]
fn marks_across_a_filter_delete_exactly_those_four_and_quit_restores_the_terminal() {
    let sim = Sim::seeded(101, 8);
    let data = DataDir::new("grace_seconds = 0\n");
    let (listed, needle) = (&sim.deletable()[..6], sim.deletable()[6]);
    data.import(&sim, listed, Some("old-tests"));
    data.import(&sim, &[needle], Some("needle-take"));
    let known = strings(&sim.deletable()[..7]);
    let needle = needle.to_string();

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    tui.send("   ");
    let screen = tui.wait_for("three marked rows", |s| marked(s, &known).len() == 3);
    let first_three = marked(&screen, &known);
    assert!(!first_three.contains(&needle), "{screen}");

    tui.send("/needle\r");
    tui.wait_for("the filter down to the needle", |s| {
        s.contains(&needle) && known.iter().filter(|id| s.contains(*id)).count() == 1
    });
    tui.send(" ");
    tui.wait_for("the needle marked", |s| is_marked(s, &needle));
    tui.send_esc();
    let screen = tui.wait_for("the filter cleared with four marks", |s| {
        known.iter().all(|id| s.contains(id)) && marked(s, &known).len() == 4
    });
    let four = marked(&screen, &known);
    assert_eq!(
        four,
        sorted(first_three.iter().cloned().chain([needle.clone()]))
    );

    tui.send("d");
    tui.wait_for_text("Delete 4 video(s)");
    tui.send("y");
    // After the batch is over, so a stray delete queued behind the four would have been sent.
    let screen = tui.wait_for("the four rows deleted and the batch done", |s| {
        s.contains("Batch done") && four.iter().all(|id| shows(s, id, "deleted"))
    });
    for id in known.iter().filter(|id| !four.contains(id)) {
        assert!(
            !shows(&screen, id, "deleted"),
            "{id} shows deleted:\n{screen}"
        );
    }
    let stats = sim.stats();
    assert_eq!(sim.deleted(), four, "the server deleted other videos");
    let paths = sorted(stats.delete_paths.iter().cloned());
    let expected: Vec<String> = four.iter().map(|id| format!("/v1/videos/{id}")).collect();
    assert_eq!(paths, expected, "DELETEs other than the four were sent");

    tui.quit_cleanly();
}

#[test]
fn a_csv_with_titles_and_ages_filtered_by_a_query_deletes_exactly_its_matches() {
    let sim = Sim::with_other_account(
        SimConfig {
            seed: 303,
            videos: 6,
            ..SimConfig::default()
        },
        2,
    );
    let data = DataDir::new("grace_seconds = 0\n");
    let (mine, theirs) = (sim.deletable(), sim.other_account());
    let ago = |days: i64| {
        let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
        at.to_string()
    };
    // (video, title, created): old ones, new ones, one with no creation time (its age is
    // from when it was added: now), and another account's old and new video.
    let rows = [
        (mine[0], "Old draft, take 1", Some(60)),
        (mine[1], "Old draft, take 2", Some(45)),
        (mine[2], "Fresh cut", Some(2)),
        (mine[3], "Undated", None),
        (mine[4], "Première prise", Some(90)),
        (mine[5], "Last week", Some(10)),
        (theirs[0], "Not ours, old", Some(40)),
        (theirs[1], "Not ours, new", Some(5)),
    ];
    let mut csv = String::from("video_id,title,created_at\n");
    for (id, title, days) in rows {
        let created = days.map(ago).unwrap_or_default();
        csv.push_str(&format!("{id},\"{title}\",{created}\n"));
    }
    let file = data.path().join("export.csv");
    std::fs::write(&file, csv).unwrap();
    data.run(&sim, &["import", path_str(&file)]);
    // The other account's old video was tried before: its last outcome is forbidden.
    let refused = theirs[0].to_string();
    let output = data.run_with(
        &sim,
        &["delete", &refused, "--yes"],
        &[("ELYTRON_API_KEY", RIGHT_KEY)],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(sim.deleted().is_empty());

    let everything = strings(&rows.map(|(id, ..)| id));
    let expected = sorted(strings(&[mine[0], mine[1], mine[4]]));
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    let screen = tui.wait_for("every video, with its title and age", |s| {
        everything.iter().all(|id| s.contains(id)) && s.contains("Première prise")
    });
    assert!(
        screen.contains("TITLE") && screen.contains("CREATED"),
        "{screen}"
    );
    assert!(
        screen.contains("2mo") && screen.contains("3mo"),
        "ages: {screen}"
    );

    tui.send("/age>30d -status:forbidden\r");
    let screen = tui.wait_for("only the old videos that are not refused", |s| {
        let shown: Vec<String> = everything
            .iter()
            .filter(|id| s.contains(*id))
            .cloned()
            .collect();
        sorted(shown) == expected
    });
    assert!(screen.contains("row 1 of 3"), "{screen}");
    tui.send("\x01"); // Ctrl-a: mark every row shown
    tui.wait_for("the three marked", |s| marked(s, &everything).len() == 3);
    tui.send("d");
    tui.wait_for_text("Delete 3 video(s)");
    tui.send("y");
    tui.wait_for("the batch done", |s| {
        s.contains("Batch done") && expected.iter().all(|id| shows(s, id, "deleted"))
    });
    assert_eq!(sim.deleted(), expected, "the server deleted other videos");
    let paths = sorted(sim.stats().delete_paths.iter().cloned());
    let sent = sorted(
        expected
            .iter()
            .chain([&refused])
            .map(|id| format!("/v1/videos/{id}")),
    );
    assert_eq!(paths, sent, "DELETEs other than the query's were sent");
    // Issue 21 B6: gone from the server, each deleted video's title is in the history.
    tui.send("H");
    tui.wait_for("the history with what each deleted video was", |s| {
        ["Old draft, take 1", "Old draft, take 2", "Première prise"]
            .iter()
            .all(|title| s.contains(&format!("deleted      {title}")))
            && s.contains("forbidden    Not ours, old")
    });
    tui.send("\x1b");
    tui.wait_for("the history closed", |s| !s.contains("Newest first"));
    tui.quit_cleanly();
    let left = data.json_lines(&sim, "list", "title");
    assert_eq!(left.len(), 5, "the three deleted left the list: {left:?}");
    assert!(
        left.iter()
            .any(|(_, title)| title.as_deref() == Some("Undated"))
    );
}

#[test]
fn a_refused_key_prompts_masked_and_the_batch_resumes_with_the_right_one() {
    let sim = Sim::seeded(202, 3);
    let data = DataDir::new("grace_seconds = 0\n");
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());
    let wrong_key = "sk-e2e-WRONG-0000";

    let mut tui = Tui::start(&sim, &data, wrong_key);
    tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    tui.send("  ");
    let screen = tui.wait_for("two marked rows", |s| marked(s, &known).len() == 2);
    let two = marked(&screen, &known);
    tui.send("d");
    tui.wait_for_text("Delete 2 video(s)");
    tui.send("y");
    tui.wait_for_text("The server refused the API key");
    assert!(sim.stats().count(401) >= 1, "{:?}", sim.stats());
    assert!(sim.deleted().is_empty(), "deleted with a refused key");
    // The refused rows say they wait for a key; none spins as if a request were on its way.
    let screen = tui.wait_for("the refused row waiting for a key", |s| {
        two.iter().any(|id| {
            s.lines()
                .any(|line| line.contains(id.as_str()) && line.contains("needs key"))
        })
    });
    assert!(!screen.contains("deleting"), "{screen}");

    tui.send(RIGHT_KEY);
    let dots = format!("Key: {}", "•".repeat(RIGHT_KEY.len()));
    let screen = tui.wait_for_text(&dots);
    assert!(
        !screen.contains(RIGHT_KEY),
        "the typed key is on screen:\n{screen}"
    );
    tui.send("\r");
    tui.wait_for("both rows deleted and the batch done", |s| {
        s.contains("Batch done") && two.iter().all(|id| shows(s, id, "deleted"))
    });
    assert_eq!(sim.deleted(), two);

    tui.quit_cleanly();
    let transcript = tui.transcript();
    for key in [RIGHT_KEY, wrong_key] {
        assert!(
            !transcript.contains(key),
            "a key was written to the terminal"
        );
    }
    assert!(!data.log().contains(RIGHT_KEY), "the key is in the log");
    let config = std::fs::read_to_string(data.config_file()).expect("config.toml");
    assert_eq!(
        config, "grace_seconds = 0\n",
        "the key was saved without Tab"
    );
}

/// The app sending all `batch` videos of a server, one request at a time at `latency` each,
/// with three deleted so far: a batch to interrupt. Returns the server, the folder, the app
/// and the videos' IDs.
fn batch_under_way(seed: u64, batch: usize, latency: Duration) -> (Sim, DataDir, Tui, Vec<String>) {
    let sim = Sim::deletable_only(SimConfig {
        seed,
        videos: batch,
        latency,
        ..SimConfig::default()
    });
    let known = strings(sim.deletable());
    let (data, tui) = pty::batch_under_way(&sim, sim.deletable(), 3);
    (sim, data, tui, known)
}

#[test]
fn ctrl_c_mid_batch_cancels_the_rest_and_the_app_keeps_running() {
    const BATCH: usize = 40;
    // 250 ms a request: the batch takes ~10 s, cancelled well before.
    let (sim, data, mut tui, known) = batch_under_way(303, BATCH, Duration::from_millis(250));
    tui.send("\x03");
    let screen = tui.wait_for_text("Batch cancelled");
    let deleted = sim.deleted();
    assert!(
        (3..BATCH).contains(&deleted.len()),
        "{} of {BATCH} deleted",
        deleted.len()
    );
    // The one on the wire finished; the rest were never sent, which is no failure.
    let summary = format!(
        "Batch cancelled: {} deleted, 0 not found, 0 did not succeed, {} cancelled before \
         being sent.",
        deleted.len(),
        BATCH - deleted.len()
    );
    assert!(screen.contains(&summary), "{summary}\n{screen}");
    for id in &known {
        let on_server = deleted.contains(id);
        assert!(
            !shows(&screen, id, "queued"),
            "{id} still queued:\n{screen}"
        );
        if shows(&screen, id, "deleted") {
            assert!(
                on_server,
                "{id} shows deleted but is not on the server:\n{screen}"
            );
        }
        if shows(&screen, id, "cancelled") {
            assert!(
                !on_server,
                "{id} shows cancelled but was deleted:\n{screen}"
            );
        }
    }
    // Still running: the table answers keys after the cancel.
    tui.send("?");
    tui.wait_for_text("clear the filter");
    tui.send_esc();
    tui.wait_for("help closed", |s| !s.contains("clear the filter"));
    tui.quit_cleanly();

    // Deleted videos leave the known list; the journal keeps them.
    let journalled = data.json_lines(&sim, "history", "outcome");
    let journal_deleted = sorted(
        journalled
            .iter()
            .filter(|(_, outcome)| outcome.as_deref() == Some("deleted"))
            .map(|(id, _)| id.clone()),
    );
    assert_eq!(
        journal_deleted, deleted,
        "the history disagrees with the server"
    );
    let listed = data.json_lines(&sim, "list", "last_outcome");
    let still_known = sorted(listed.iter().map(|(id, _)| id.clone()));
    let not_deleted = sorted(known.iter().filter(|id| !deleted.contains(id)).cloned());
    assert_eq!(
        still_known, not_deleted,
        "the list disagrees with the server"
    );
    for (id, last) in &listed {
        assert_eq!(last.as_deref(), Some("cancelled"), "{id}");
    }
    let stats = sim.stats();
    assert_eq!(
        stats.deleted.len(),
        deleted.len(),
        "deleted after the app quit"
    );
    assert_eq!(
        stats.peak_in_flight, 1,
        "config `concurrency = 1` was not honoured"
    );
}

/// Issue 20 item 4: Ctrl-z mid-batch pauses sending, gives the terminal back and stops the
/// app once its request on the wire has landed (what was answered on disk); nothing is sent
/// while it is stopped; `fg`
/// (SIGCONT) brings back the screen, and the batch goes on to its end.
#[test]
fn ctrl_z_stops_the_app_mid_batch_and_fg_brings_back_the_screen_and_the_batch() {
    const BATCH: usize = 30;
    // One request at a time, 150 ms each: the batch takes ~5 s, stopped well before its end.
    let (sim, data, mut tui, known) = batch_under_way(304, BATCH, Duration::from_millis(150));
    tui.suspend();
    let sent = sim.stats().requests;
    assert_eq!(
        sim.stats().in_flight,
        0,
        "it stopped with a request on the wire"
    );
    thread::sleep(Duration::from_millis(800));
    assert_eq!(sim.stats().requests, sent, "sent while stopped");
    assert!(sent < BATCH as u64, "the batch was not stopped mid-way");
    // What was answered is in the store before the app stops: a kill meanwhile loses none.
    let recorded = sorted(
        data.json_lines(&sim, "history", "outcome")
            .into_iter()
            .filter(|(_, outcome)| outcome.as_deref() == Some("deleted"))
            .map(|(id, _)| id),
    );
    assert_eq!(recorded, sim.deleted(), "recorded before it stopped");

    tui.continue_();
    tui.wait_for("the screen back", |screen| screen.contains("done"));
    tui.wait_for("the batch to end", |screen| screen.contains("Batch done"));
    assert_eq!(sim.deleted(), sorted(known), "every video deleted");
    tui.quit_cleanly();
}

#[test]
fn undo_during_the_grace_period_sends_nothing() {
    let sim = Sim::seeded(404, 3);
    let data = DataDir::new("grace_seconds = 3\n");
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    tui.send("  d");
    tui.wait_for_text("Delete 2 video(s)");
    tui.send("y");
    tui.wait_for_text("Deleting 2 video(s) in");
    tui.send("u");
    tui.wait_for_text("Undone: nothing was sent.");
    // Past the whole grace period: an undo that only hid the countdown would send now.
    thread::sleep(Duration::from_secs(4));
    let screen = tui.screen();
    for id in &known {
        assert!(
            !shows(&screen, id, "queued") && !shows(&screen, id, "deleted"),
            "{id} went ahead after undo:\n{screen}"
        );
    }
    let stats = sim.stats();
    assert!(stats.delete_paths.is_empty(), "sent after undo: {stats:?}");
    assert_eq!(stats.requests, 0, "{stats:?}");

    tui.quit_cleanly();
}

/// `--demo` and `args` in a terminal, its throwaway folder in a sandbox of its own (returned
/// with the app: the sandbox must outlive it).
fn start_demo(args: &[&str]) -> (Sandbox, Tui) {
    let home = Sandbox::new();
    let mut cmd = home.bare_pty_command();
    cmd.env("TMPDIR", home.path());
    cmd.arg("--demo");
    cmd.args(args);
    let tui = Tui::spawn(cmd, None);
    (home, tui)
}

/// The demo starts from an empty list and syncs the demo account: its 300 videos arrive
/// with their prompts and generation states.
#[test]
fn demo_syncs_its_account_into_an_empty_list_and_quits_cleanly() {
    let (home, mut tui) = start_demo(&[]);
    tui.wait_for("the demo's account synced", |s| {
        // No STATUS yet: nothing was sent, and an empty column takes no space.
        s.contains("ID")
            && s.contains("CREATED")
            && s.contains("TITLE")
            && s.contains("STATE")
            && s.contains("Synced 300 videos")
            && s.contains(" 300 known")
            && s.contains("DEMO: nothing real is deleted │ 127.0.0.1")
    });
    // The demo's throwaway folder is under TMPDIR while it runs, and gone after.
    let demo_folders = || -> Vec<_> {
        std::fs::read_dir(home.path())
            .expect("read the temporary home")
            .map(|entry| entry.expect("a directory entry").file_name())
            .filter(|name| name.to_string_lossy().starts_with("elytron-tui-demo-"))
            .collect()
    };
    assert_eq!(demo_folders().len(), 1, "{:?}", demo_folders());
    tui.quit_cleanly();
    assert!(demo_folders().is_empty(), "the demo left its data folder");
}

/// Issue 17 §1, as it was found: `--demo`, `/age>30x`, Enter, Ctrl-a, d offered "Delete 324
/// video(s)". Then the same on a server of our own, answered `y`, which must receive nothing.
#[test]
fn a_filter_that_does_not_parse_marks_nothing_and_sends_nothing() {
    let (_home, mut tui) = start_demo(&[]);
    tui.wait_for("the demo's account synced", |s| {
        s.contains("Synced 300 videos")
    });
    tui.send("/age>30x\r\x01d");
    // The refusal is drawn at the top of the table: the frame is whole once the rows under
    // it are gone too (a wait that read half a frame saw them still there).
    let screen = tui.wait_for("the filter refused, no row shown", |s| {
        s.contains("does not parse, so no row is shown")
            && s.contains("age>30xd")
            && !s.contains("completed")
    });
    assert!(screen.contains(" 0 marked"), "{screen}");
    assert!(!screen.contains("Delete "), "{screen}");
    tui.send_esc();
    tui.wait_for("every row again", |s| {
        s.contains("completed") && s.contains(" 0 marked")
    });
    tui.quit_cleanly();

    let sim = Sim::seeded(1717, 4);
    let data = DataDir::new("grace_seconds = 0\n");
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    tui.send("/age>30x\r\x01dy\r");
    let screen = tui.wait_for("the filter refused", |s| {
        s.contains("does not parse") && s.contains("age>30xdy")
    });
    assert!(marked(&screen, &known).is_empty(), "{screen}");
    tui.send_esc();
    tui.wait_for("every row again", |s| known.iter().all(|id| s.contains(id)));
    tui.quit_cleanly();
    let stats = sim.stats();
    assert_eq!(stats.requests, 0, "{stats:?}");
}

/// Issue 17: `--demo --max-delete 10` offered "Delete 324 … Type 324"; the demo's rails now
/// get the flag, as the app's do.
#[test]
fn the_demo_honours_max_delete() {
    let (_home, mut tui) = start_demo(&["--max-delete", "10"]);
    tui.wait_for("the whole account synced", |s| s.contains(" 300 known"));
    tui.send("\x01d");
    let screen = tui.wait_for("the refusal", |s| s.contains("more than the limit of 10"));
    assert!(!screen.contains("Type 3"), "{screen}");
    tui.send_esc();
    tui.quit_cleanly();
}

/// Issue 17 §5: `setsid -w elytron-tui </dev/null` panicked (exit 101, "failed to initialize
/// terminal"). In a terminal's window but with no controlling terminal to read keys from, or
/// with standard output not a terminal, the app says so and exits 5, having started nothing.
#[test]
fn with_no_terminal_the_app_says_so_and_exits_5() {
    let sim = Sim::seeded(1212, 2);
    let data = DataDir::new("");
    // The binary as the sandbox runs it, behind `setsid` in a shell on the terminal.
    let cmd = data.pty_shell(&sim, "setsid -w \"$0\" \"$@\" </dev/null; echo \"exit=$?\"");
    let mut tui = Tui::spawn(cmd, None);
    let screen = tui.wait_for_text("exit=");
    assert!(screen.contains("exit=5"), "{screen}");
    assert!(
        screen.contains("error: no terminal to run the app in: there is no terminal to read"),
        "{screen}"
    );
    assert!(!screen.contains("panicked"), "{screen}");

    let out = data
        .command(&sim)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run elytron-tui");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("no terminal to run the app in: standard output is not a terminal"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);
    let left: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(left.is_empty(), "nothing was started or created: {left:?}");
}

/// Issue 17 §5: the terminal closed under a running app (a window closed, `tmux
/// kill-session`) left "panicked at … failed printing to stderr" in the log. Now: no panic,
/// and what was deleted is recorded.
#[test]
fn a_terminal_closed_mid_batch_ends_the_app_without_a_panic_and_keeps_the_data() {
    const BATCH: usize = 30;
    let (sim, data, mut tui, known) = batch_under_way(1313, BATCH, Duration::from_millis(200));
    let status = tui.hang_up();
    let log = data.log();
    assert!(!log.contains("panicked"), "{log}");
    // It leaves as a hang-up asks (0), or as its terminal failing (5); not by a panic
    // (101), nor aborted by a panic while panicking, as it was.
    assert!(
        status.code().is_some_and(|code| [0, 5].contains(&code)),
        "{status:?}\n{log}"
    );
    // What the server deleted is out of the list, and journalled; the rest is still known.
    let deleted = sim.deleted();
    assert!(
        deleted.len() < BATCH,
        "the batch ran to its end before the hang-up"
    );
    let listed: Vec<String> = data
        .json_lines(&sim, "list", "last_outcome")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for id in &known {
        assert_eq!(
            listed.contains(id),
            !deleted.contains(id),
            "{id}: listed {}, deleted {}",
            listed.contains(id),
            deleted.contains(id)
        );
    }
    let journalled: Vec<String> = data
        .json_lines(&sim, "history", "outcome")
        .into_iter()
        .filter(|(_, outcome)| outcome.as_deref() == Some("deleted"))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(sorted(journalled), deleted);
}

/// Issue 17 §4: with `api_key_command = "sleep 1000"` the app showed a blank screen and
/// ignored `q`; a failing command's standard error could reach the screen. Now the command
/// runs while the app draws and answers keys, and a failure shows its status only.
#[test]
fn the_app_draws_and_quits_while_its_key_command_runs_and_never_shows_what_it_printed() {
    let sim = Sim::seeded(1414, 3);
    let known = strings(sim.deletable());
    let start = |command: &str| {
        let data = DataDir::new(&format!("api_key_command = {command:?}\n"));
        data.import(&sim, sim.deletable(), None);
        (Tui::start_keyless(&sim, &data), data)
    };

    let (mut tui, _data) = start("sleep 1000");
    let screen = tui.wait_for("the table, drawn while the command runs", |s| {
        known.iter().all(|id| s.contains(id)) && s.contains("waiting for api_key_command")
    });
    assert!(screen.contains("\"sleep 1000\" (at most 30 s)"), "{screen}");
    tui.quit_cleanly();

    // In a script, so the config's text (which the app may show) holds neither secret.
    let script = tempfile::tempdir().expect("a folder for the script");
    let key_script = script.path().join("key.sh");
    std::fs::write(
        &key_script,
        "echo sk-live-OUT\necho 'token sk-live-SECRET123 expired' >&2\nexit 3\n",
    )
    .unwrap();
    let (mut tui, data) = start(&format!("sh {}", path_str(&key_script)));
    let screen = tui.wait_for("the command's failure", |s| {
        s.contains("No key: api_key_command")
    });
    assert!(screen.contains("failed (exit status: 3)"), "{screen}");
    tui.quit_cleanly();
    let seen = format!("{}{}", tui.transcript(), data.log());
    assert!(
        !seen.contains("sk-live-SECRET123") && !seen.contains("sk-live-OUT"),
        "{seen}"
    );
    assert_eq!(sim.stats().requests, 0);
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    let sim = Sim::seeded(505, 2);
    let data = DataDir::new("");
    data.import(&sim, sim.deletable(), None);
    let first = strings(sim.deletable())[0].clone();
    for signal in ["TERM", "HUP"] {
        let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
        tui.wait_for("the table", |s| s.contains(&first));
        tui.signal_and_expect_restored(signal);
    }
}

#[test]
fn a_wrong_base_url_halts_the_batch_with_a_banner_and_r_probes_once() {
    let sim = Sim::deletable_only(SimConfig {
        seed: 606,
        videos: 30,
        misroute: Some(elytron_tui::sim::Misroute::Code404),
        ..SimConfig::default()
    });
    let data = DataDir::new("grace_seconds = 0\n");
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for_text(&known[0]);
    tui.send("\x01");
    tui.send("d");
    tui.wait_for_text("Delete 30 video(s)");
    tui.send("y");
    tui.wait_for_text("answered 404 without VIDEO_NOT_FOUND");
    tui.wait_for_text("halted · r retry now · Ctrl-c cancel");
    thread::sleep(Duration::from_millis(300));
    let sent = sim.stats().requests;
    assert!(sent <= 8, "{sent} requests to a wrong base URL");

    tui.send("r");
    let start = Instant::now();
    while sim.stats().requests == sent {
        if start.elapsed() > PATIENCE {
            tui.fail("r sent no probe");
        }
        thread::sleep(Duration::from_millis(20));
    }
    thread::sleep(Duration::from_millis(300));
    assert_eq!(sim.stats().requests, sent + 1, "r sends one probe");

    tui.send("\x03");
    tui.wait_for_text("Batch cancelled");
    tui.quit_cleanly();
    assert!(sim.deleted().is_empty());
    let listed = data.json_lines(&sim, "list", "last_outcome");
    let still_known = sorted(listed.iter().map(|(id, _)| id.clone()));
    assert_eq!(still_known, sorted(known), "a video left the list");
}

#[test]
fn the_files_of_an_earlier_version_move_in_at_start_said_once_and_kept_byte_for_byte() {
    let sim = Sim::seeded(707, 2);
    let data = DataDir::new("");
    let known = strings(sim.deletable());
    let entries: Vec<String> = known
        .iter()
        .map(|id| format!("{{\"id\":\"{id}\",\"added_at\":\"2024-01-01T00:00:00Z\"}}"))
        .collect();
    let videos = format!(
        "{{\"version\":1,\"videos\":[\n{}\n]}}\n",
        entries.join(",\n")
    );
    std::fs::write(data.path().join("videos.json"), &videos).expect("write videos.json");
    let record = |id: &str| {
        format!(
            "{{\"at\":\"2026-01-01T00:00:00Z\",\"id\":\"{id}\",\"outcome\":\"deleted\",\
             \"status\":204,\"error_code\":null,\"message\":null,\"request_id\":null,\
             \"attempts\":1,\"host\":\"127.0.0.1\"}}"
        )
    };
    let other = "550e8400-e29b-41d4-a716-446655440000";
    let damaged = format!("not a record\n{}\n{}", record(other), &record(other)[..60]);
    std::fs::write(data.path().join("history.jsonl"), &damaged).expect("write history.jsonl");

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("the list and the move said", |s| {
        known.iter().all(|id| s.contains(id)) && s.contains("moved videos.json")
    });
    tui.quit_cleanly();
    for (name, text) in [("videos.json", &videos), ("history.jsonl", &damaged)] {
        assert_eq!(
            std::fs::read_to_string(data.path().join(format!("{name}.migrated")))
                .expect("the old file is kept"),
            *text,
            "the app changed {name}"
        );
        assert!(!data.path().join(name).exists(), "{name} was not moved");
    }
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for_text(&known[0]);
    tui.send("H");
    tui.wait_for_text(other);
    assert!(!tui.screen().contains("moved videos.json"), "said once");
    tui.send("\x1b");
    tui.wait_for("the history closed", |s| !s.contains("Newest first"));
    tui.quit_cleanly();
}

#[test]
fn a_log_past_its_cap_is_moved_aside_and_started_afresh() {
    let sim = Sim::seeded(808, 1);
    let data = DataDir::new("");
    data.import(&sim, sim.deletable(), None);
    let log = data.path().join("elytron-tui.log");
    let old = "an old line from a long-gone session\n".repeat(200_000);
    std::fs::write(&log, &old).expect("write a 7 MB log");

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for_text(&sim.deletable()[0].to_string());
    tui.quit_cleanly();
    let kept = std::fs::read_to_string(data.path().join("elytron-tui.log.1"))
        .expect("the old log moved to elytron-tui.log.1");
    assert_eq!(kept, old, "the old log is kept whole, once");
    let size = std::fs::metadata(&log).expect("a new log").len();
    assert!(size < 64 * 1024, "the new log holds {size} bytes");
}

#[test]
fn delete_rebound_to_capital_d_in_config_works_end_to_end() {
    let sim = Sim::seeded(909, 2);
    let data = DataDir::new("grace_seconds = 0\n\n[keys]\ndelete = [\"D\"]\n");
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    tui.wait_for_text("D delete");
    // `d` first, then the help: keys are handled in order, so once the help shows, `d` has
    // been handled, and it opened nothing.
    tui.send("d?");
    let help = tui.wait_for_text("delete marked rows");
    assert!(
        !help.contains("Delete 1 video(s)"),
        "`d` still deletes:\n{help}"
    );
    assert!(
        help.lines()
            .any(|line| line.contains("│ D ") && line.contains("delete marked rows")),
        "the help does not show D:\n{help}"
    );
    tui.send_esc();
    tui.wait_for("the help closed", |s| !s.contains("delete marked rows"));
    tui.send("D");
    tui.wait_for_text("Delete 1 video(s)");
    tui.send("n");
    tui.wait_for_text("Cancelled: nothing was sent.");
    assert_eq!(sim.stats().requests, 0, "{:?}", sim.stats());
    tui.quit_cleanly();
}

#[test]
fn a_read_only_profile_shows_its_name_and_sends_nothing() {
    let sim = Sim::seeded(303, 3);
    let data = DataDir::new(
        "grace_seconds = 0\ndefault_profile = \"production\"\n\
         [profiles.production]\nread_only = true\n",
    );
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("every known video under the profile's name", |s| {
        s.contains("production @ 127.0.0.1 (read-only)") && known.iter().all(|id| s.contains(id))
    });
    tui.send("\x01d");
    tui.wait_for_text("profile production is read-only: nothing is deleted.");
    tui.send("y");
    thread::sleep(Duration::from_millis(300));
    assert_eq!(sim.stats().requests, 0, "{:?}", sim.stats());
    tui.quit_cleanly();
    assert!(sim.deleted().is_empty());
}

#[test]
fn protected_rows_carry_the_lock_are_never_marked_and_never_sent() {
    let sim = Sim::seeded(404, 6);
    let data = DataDir::new("grace_seconds = 0\nprotect = [\"label:keep\"]\n");
    let (keep, rest) = sim.deletable().split_at(2);
    data.import(&sim, keep, Some("keep"));
    data.import(&sim, rest, None);
    let by_id = rest[0].to_string();
    data.run(&sim, &["protect", &by_id]);
    let known = strings(sim.deletable());
    let protected: Vec<String> = strings(keep).into_iter().chain([by_id]).collect();
    let free = sorted(strings(&rest[1..]));

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    let screen = tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    for id in &protected {
        assert!(
            screen
                .lines()
                .any(|line| line.contains(id) && line.starts_with('⊘')),
            "{id} has no lock:\n{screen}"
        );
    }
    tui.send("\x01");
    let screen = tui.wait_for_text("Skipped 3 protected");
    assert_eq!(marked(&screen, &known), free);
    tui.send("d");
    tui.wait_for_text("Delete 3 video(s)");
    tui.send("y");
    tui.wait_for("the three deleted and the batch done", |s| {
        s.contains("Batch done") && free.iter().all(|id| shows(s, id, "deleted"))
    });
    assert_eq!(sim.deleted(), free);
    let paths = sorted(sim.stats().delete_paths.iter().cloned());
    let expected: Vec<String> = free.iter().map(|id| format!("/v1/videos/{id}")).collect();
    assert_eq!(paths, expected, "a DELETE for a protected video was sent");
    tui.quit_cleanly();
}

#[test]
fn y_and_shift_y_copy_through_osc_52_and_e_writes_the_marked_ids_to_a_file() {
    let sim = Sim::seeded(1010, 4);
    let data = DataDir::new("");
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    let screen = tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    let in_screen_order = |ids: Vec<String>| {
        let mut ids = ids;
        ids.sort_by_key(|id| screen.find(id.as_str()));
        ids
    };
    let rows = in_screen_order(known.clone());

    tui.send("y");
    tui.wait_for_text(&format!("Copied {} to the clipboard.", rows[0]));
    wait_for_osc_52(&mut tui, &rows[0]);

    tui.send("  Y");
    let screen = tui.wait_for_text("Copied 2 ID(s) to the clipboard.");
    let two = in_screen_order(marked(&screen, &known));
    assert_eq!(two, rows[..2], "{screen}");
    let lines = format!("{}\n{}\n", two[0], two[1]);
    wait_for_osc_52(&mut tui, &lines);

    let file = data.path().join("marked.txt");
    tui.send("e");
    tui.wait_for_text("Write the 2 marked ID(s) to a file");
    tui.send(&format!("{}\r", path_str(&file)));
    tui.wait_for_text("Wrote 2 ID(s) to");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), lines);
    tui.quit_cleanly();
    assert!(sim.deleted().is_empty());
}

#[test]
fn a_hostile_label_title_and_404_body_show_escaped_and_never_reach_the_terminal_raw() {
    const OSC: &str = "\u{1b}]0;pwned\u{7}";
    let body = serde_json::json!({
        "error": { "code": "VIDEO_NOT_FOUND", "message": format!("gone{OSC}\u{202e}") },
        "meta": { "request_id": "req\u{1b}[2J" },
    })
    .to_string();
    let server = Canned::start(vec![format!(
        "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )]);
    let sandbox = Sandbox::new()
        .at(format!("http://{}/v1", server.addr))
        .with_key(RIGHT_KEY);
    sandbox.file("config.toml", "grace_seconds = 0\n");
    let (labelled, titled) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let label = format!("lab{OSC}el");
    let out = sandbox.cmd_run(&["import", "--label", &label], &[labelled]);
    assert!(out.status.success(), "{out:?}");
    let csv = sandbox.file(
        "titles.csv",
        &format!("video_id,title\n{titled},ab\u{202e}cd\n"),
    );
    let out = sandbox.run(&["import", path_str(&csv)]);
    assert!(out.status.success(), "{out:?}");
    let (labelled, titled) = (labelled.to_string(), titled.to_string());

    let log = sandbox.data_dir().join("elytron-tui.log");
    let mut tui = Tui::spawn(sandbox.pty_command(), Some(log));
    let row_of = |screen: &str, id: &str| {
        screen
            .lines()
            .find(|line| line.contains(id))
            .unwrap_or_default()
            .to_owned()
    };
    let screen = tui.wait_for("both videos", |s| {
        s.contains(&labelled) && s.contains(&titled)
    });
    assert!(
        row_of(&screen, &titled).contains("ab\\u{202e}cd"),
        "{screen}"
    );
    assert!(row_of(&screen, &labelled).contains("lab\\x1b"), "{screen}");

    tui.send(" d");
    tui.wait_for_text("Delete 1 video(s)");
    tui.send("y");
    tui.wait_for("the answer on its row", |s| {
        row_of(s, &labelled).contains("not found")
    });
    // Space marked the row and moved down: back up to it, then its details.
    tui.send("k\r");
    let panel = tui.wait_for_text("Request id");
    for shown in [
        "lab\\x1b]0;pwned\\x07el",
        "gone\\x1b]0;pwned\\x07\\u{202e}",
        "req\\x1b[2J",
    ] {
        assert!(
            panel.contains(shown),
            "{shown} is not in the panel:\n{panel}"
        );
    }
    tui.send_esc();
    tui.quit_cleanly();
    let transcript = tui.transcript();
    assert!(
        !transcript.contains("\u{1b}]0;pwned"),
        "an OSC reached the terminal"
    );
    assert!(
        !transcript.contains('\u{202e}'),
        "a bidi override reached the terminal"
    );
}

#[test]
fn delete_on_a_terminal_shows_no_eta_while_it_waits_out_a_rate_limit() {
    let server = Canned::start(vec![http(
        "429 Too Many Requests",
        &[("retry-after", "120")],
    )]);
    let sandbox = Sandbox::new()
        .at(format!("http://{}/v1", server.addr))
        .with_key(RIGHT_KEY);
    sandbox.import(&[uuid::Uuid::new_v4()]);
    let mut cmd = sandbox.pty_command();
    cmd.args(["delete", "--all", "--yes"]);
    let mut tui = Tui::spawn(cmd, None);
    let screen = tui.wait_for_text("rate limited: waiting");
    let bar = screen
        .lines()
        .find(|line| line.contains("rate limited: waiting"))
        .unwrap_or_default();
    assert!(!bar.contains("eta"), "an ETA while nothing is sent: {bar}");
}

/// Issue 17 §2: exporting to a FIFO or a character device reported "Wrote 2 ID(s)" and
/// turned the node into a 0600 file; to a symlink it changed the target's mode; a file
/// already there was replaced unasked. The device is made here, in a temporary folder: never
/// a real device's path.
#[cfg(unix)]
#[test]
fn e_writes_only_regular_files_and_asks_before_replacing_one() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    let sim = Sim::seeded(1111, 3);
    let data = DataDir::new("");
    data.import(&sim, sim.deletable(), None);
    let known = strings(sim.deletable());
    let dir = data.path();
    let fifo = dir.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let device = dir.join("null");
    let mut refused = vec![(fifo.clone(), "a FIFO (named pipe)")];
    if Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|status| status.success())
    {
        refused.push((device.clone(), "a character device"));
    } else {
        eprintln!("mknod is not permitted here: only the FIFO is checked");
    }
    let existing = dir.join("old.txt");
    std::fs::write(&existing, "keep me\n").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o640)).unwrap();
    let target = dir.join("real.txt");
    std::fs::write(&target, "old\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.join("link.txt");
    std::os::unix::fs::symlink("real.txt", &link).unwrap();

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("every known video", |s| {
        known.iter().all(|id| s.contains(id))
    });
    tui.send("  ");
    let screen = tui.wait_for("two marked", |s| marked(s, &known).len() == 2);
    let lines: String = known
        .iter()
        .filter(|id| marked(&screen, &known).contains(id))
        .map(|id| format!("{id}\n"))
        .collect();
    let export = |tui: &mut Tui, path: &std::path::Path| {
        tui.send("e");
        tui.wait_for_text("Write the 2 marked ID(s) to a file");
        tui.send(&format!("{}\r", path_str(path)));
    };

    for (path, what) in &refused {
        export(&mut tui, path);
        tui.wait_for_text(&format!("it is {what}, not a regular file"));
        let kind = std::fs::symlink_metadata(path).unwrap().file_type();
        assert!(
            kind.is_fifo() || kind.is_char_device(),
            "{path:?} was replaced"
        );
    }

    export(&mut tui, &existing);
    tui.wait_for_text("Replace it with the 2 marked ID(s)?");
    tui.send("n");
    tui.wait_for_text("Nothing was written;");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me\n");
    export(&mut tui, &existing);
    tui.wait_for_text("Replace it with the 2 marked ID(s)?");
    tui.send("y");
    tui.wait_for_text("Wrote 2 ID(s) to");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), lines);
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&existing), 0o640, "its mode kept");

    export(&mut tui, &link);
    tui.wait_for_text("Replace it with the 2 marked ID(s)?");
    tui.send("y");
    tui.wait_for(&format!("wrote to {}", path_str(&link)), |s| {
        s.contains(&format!("Wrote 2 ID(s) to {}", path_str(&link)))
    });
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), lines);
    assert_eq!(mode(&target), 0o644, "as `>` would leave it");
    tui.quit_cleanly();
    assert!(sim.deleted().is_empty());
}

/// Waits for the app to have asked the terminal to put `text` on the clipboard (OSC 52, the
/// text in standard base64, as crossterm writes it).
fn wait_for_osc_52(tui: &mut Tui, text: &str) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut sequence = String::from("\x1b]52;c;");
    for chunk in text.as_bytes().chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let bits = byte(0) << 16 | byte(1) << 8 | byte(2);
        for i in 0..4 {
            sequence.push(if i <= chunk.len() {
                char::from(ALPHABET[(bits >> (18 - 6 * i) & 63) as usize])
            } else {
                '='
            });
        }
    }
    sequence.push_str("\x1b\\");
    let start = Instant::now();
    while !tui.transcript().contains(&sequence) {
        if start.elapsed() > PATIENCE {
            tui.fail(&format!("no OSC 52 sequence for {text:?}"));
        }
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn other_terminals_import_forget_and_protect_while_the_app_is_open_and_it_follows() {
    let sim = Sim::seeded(909, 6);
    let data = DataDir::new("");
    let ids = sim.deletable();
    data.import(&sim, &ids[..4], Some("first"));
    let s = strings(ids);
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for_text("4 known");
    tui.send("/first\r");
    tui.send("j ");
    tui.wait_for("the second row marked", |screen| is_marked(screen, &s[1]));

    // Another terminal, while the app is open: nothing is refused.
    data.import(&sim, &ids[4..5], Some("first"));
    data.import(&sim, &ids[5..6], Some("second"));
    data.run(&sim, &["forget", &s[3]]);
    data.run(&sim, &["protect", &s[2]]);
    let dry = data.run_with(
        &sim,
        &["delete", "--dry-run", &s[0]],
        &[("ELYTRON_API_KEY", RIGHT_KEY)],
    );
    assert_eq!(dry.status.code(), Some(0), "{dry:?}");
    data.run(&sim, &["list"]);
    data.run(&sim, &["history"]);

    let screen = tui.wait_for("the other terminal's changes", |screen| {
        screen.contains(&s[4]) && !screen.contains(&s[3]) && screen.contains("5 known")
    });
    assert!(
        !screen.contains(&s[5]),
        "the filter still applies:\n{screen}"
    );
    assert_eq!(
        marked(&screen, &s),
        [s[1].clone()],
        "the marks stay:\n{screen}"
    );
    let protected = screen
        .lines()
        .find(|line| line.contains(&s[2]))
        .unwrap_or_default();
    assert!(protected.trim_start().starts_with('⊘'), "{screen}");
    assert!(screen.contains("filter: first"), "{screen}");
    tui.quit_cleanly();
    assert!(sim.deleted().is_empty(), "nothing was sent");
}

#[test]
fn a_second_batch_on_the_profile_is_refused_wherever_it_starts() {
    let sim = Sim::start(SimConfig {
        seed: 1001,
        videos: 32,
        processing: 0,
        other_account: 0,
        unknown: 0,
        latency: Duration::from_millis(300),
        rate_per_sec: Some(2.0),
        burst: Some(1.0),
        ..SimConfig::default()
    });
    let data = DataDir::new("grace_seconds = 0\nconfirm_threshold = 1000\n");
    let ids = sim.deletable();
    let s = strings(ids);
    data.import(&sim, &ids[..10], Some("slow"));
    data.import(&sim, &ids[10..30], Some("later"));
    data.import(&sim, &ids[30..], Some("spare"));
    let key = [("ELYTRON_API_KEY", RIGHT_KEY)];

    // The app sends a slow batch; `delete` from another terminal is refused meanwhile.
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for_text("32 known");
    tui.send("/slow\r");
    tui.send("\x01");
    tui.wait_for_text("10 marked");
    tui.send("d");
    tui.wait_for_text("Delete 10 video(s)");
    tui.send("y");
    tui.wait_for("the batch under way", |screen| screen.contains("deleted"));
    let refused = data.run_with(&sim, &["delete", "--yes", &s[31]], &key);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("is sending deletes for this profile") && said.contains("Nothing was sent"),
        "{said}"
    );
    tui.send("\x03");
    tui.wait_for_text("Batch cancelled");
    tui.quit_cleanly();
    assert!(
        !sim.deleted().contains(&s[31]),
        "the refused batch sent nothing"
    );

    // `delete` sends a slow batch; the app's confirmed batch is refused meanwhile.
    let mut slow = data.command(&sim);
    slow.envs(key)
        .args([
            "delete",
            "--yes",
            "--concurrency",
            "1",
            "--query",
            "label:later",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let before = sim.stats().requests;
    let mut slow = slow.spawn().expect("start delete");
    let started = Instant::now();
    while sim.stats().requests == before {
        assert!(started.elapsed() < PATIENCE, "delete never started sending");
        thread::sleep(Duration::from_millis(20));
    }
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for_text("known");
    tui.send("/spare\r");
    tui.send(" ");
    tui.wait_for_text("1 marked");
    tui.send("d");
    tui.wait_for_text("Delete 1 video(s)");
    tui.send("y");
    let screen = tui.wait_for("the refusal", |screen| {
        screen.contains("Nothing was sent") && screen.contains("is sending deletes")
    });
    assert!(is_marked(&screen, &s[30]), "marked again:\n{screen}");
    assert!(
        matches!(slow.try_wait(), Ok(None)),
        "the other batch was still sending"
    );
    tui.quit_cleanly();
    slow.kill().expect("stop delete");
    slow.wait().expect("reap delete");
    let deleted = sim.deleted();
    assert!(
        !deleted.contains(&s[30]) && !deleted.contains(&s[31]),
        "the refused batches sent nothing"
    );
}

/// Issue 21 B7: `mouse = false` leaves the mouse to the terminal (its own selection and
/// scrolling): the app never turns mouse reporting on. By default it does.
#[test]
fn mouse_false_leaves_the_mouse_to_the_terminal() {
    const MOUSE_ON: &str = "\x1b[?1000h";
    let sim = Sim::seeded(2301, 2);
    for (config, taken) in [("", true), ("mouse = false\n", false)] {
        let data = DataDir::new(config);
        data.import(&sim, sim.deletable(), None);
        let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
        let id = sim.deletable()[0].to_string();
        tui.wait_for("the table", |s| s.contains(&id));
        assert_eq!(tui.transcript().contains(MOUSE_ON), taken, "{config:?}");
        // Taken again after Ctrl-z and `fg` as at the start: it took the mouse every time.
        // The main screen is back (it never showed the table) before the app is taken again.
        tui.suspend();
        let before = tui.transcript().len();
        tui.continue_();
        tui.wait_for("the table again", |s| s.contains(&id));
        let after = tui.transcript()[before..].to_owned();
        assert_eq!(after.contains(MOUSE_ON), taken, "{config:?} after fg");
        tui.quit_cleanly();
    }
}

/// Issue 21 B7: after a batch, `R` marks what may yet go (here: still processing), not the
/// videos refused as forbidden, and says how many it left; `R` again marks those too.
#[test]
fn r_leaves_forbidden_videos_unmarked_until_pressed_again() {
    let sim = Sim::start(SimConfig {
        seed: 2302,
        videos: 2,
        processing: 2,
        other_account: 2,
        unknown: 0,
        processing_for: Duration::from_secs(600),
        ..SimConfig::default()
    });
    let fixtures = sim.server.fixtures();
    let (processing, forbidden) = (
        strings(&fixtures.processing),
        strings(&fixtures.other_account),
    );
    let data = DataDir::new("grace_seconds = 0\n");
    let ids: Vec<_> = fixtures
        .processing
        .iter()
        .chain(&fixtures.other_account)
        .copied()
        .collect();
    data.import(&sim, &ids, None);
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("every known video", |s| {
        processing.iter().chain(&forbidden).all(|id| s.contains(id))
    });
    tui.send("\x01d");
    tui.wait_for_text("Delete 4 video(s)");
    tui.send("y");
    tui.wait_for("the batch done", |s| {
        s.contains("Batch done")
            && processing.iter().all(|id| shows(s, id, "processing"))
            && forbidden.iter().all(|id| shows(s, id, "forbidden"))
    });
    tui.send("R");
    let screen = tui.wait_for_text("Skipped 2 refused as forbidden");
    assert!(
        processing.iter().all(|id| is_marked(&screen, id)),
        "{screen}"
    );
    assert!(
        !forbidden.iter().any(|id| is_marked(&screen, id)),
        "{screen}"
    );
    tui.send("R");
    tui.wait_for("every failed row marked", |s| {
        processing
            .iter()
            .chain(&forbidden)
            .all(|id| is_marked(s, id))
    });
    tui.quit_cleanly();
}

/// The app on two videos generating for `generating`, with `wait_processing_seconds = 60`,
/// both marked and confirmed, shown waiting in their rows.
fn waiting_for_generation(generating: Duration) -> (Sim, DataDir, Tui, Vec<String>) {
    let sim = Sim::start(generating_only(generating));
    let busy = sim.server.fixtures().processing.clone();
    let data = DataDir::new("grace_seconds = 0\nwait_processing_seconds = 60\n");
    data.import(&sim, &busy, Some("busy"));
    let busy = strings(&busy);

    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for("both videos", |s| busy.iter().all(|id| s.contains(id)));
    tui.send("  d");
    tui.wait_for_text("Delete 2 video(s)");
    tui.send("y");
    tui.wait_for("both rows waiting for generation", |s| {
        busy.iter().all(|id| shows(s, id, "generating")) && s.contains("waiting for generation")
    });
    (sim, data, tui, busy)
}

#[test]
fn videos_still_generating_wait_in_their_rows_and_are_deleted_when_it_ends() {
    // Long enough that the app starts and sends before generation ends, on a loaded box.
    let (sim, _data, mut tui, busy) = waiting_for_generation(Duration::from_secs(15));
    tui.wait_for("both deleted once generation ended", |s| {
        s.contains("Batch done") && busy.iter().all(|id| shows(s, id, "deleted"))
    });
    assert_eq!(sim.deleted(), sorted(busy.iter().cloned()));
    let stats = sim.stats();
    assert_eq!(stats.count(400), 2, "one refused DELETE each: {stats:?}");
    tui.quit_cleanly();
}

#[test]
fn ctrl_c_ends_the_videos_waiting_for_generation_cancelled_and_undeleted() {
    let (sim, data, mut tui, busy) = waiting_for_generation(Duration::from_secs(600));
    tui.send("\x03");
    tui.wait_for("both rows cancelled", |s| {
        s.contains("Batch done: 0 deleted") && busy.iter().all(|id| shows(s, id, "cancelled"))
    });
    tui.quit_cleanly();
    assert!(sim.stats().deleted.is_empty());
    let pending = data.run(&sim, &["delete", "--resume", "--dry-run"]);
    let said = String::from_utf8_lossy(&pending.stderr);
    assert!(
        said.contains("dry run: 2"),
        "both stay queued for --resume: {said}"
    );
}

#[test]
fn the_sync_key_lists_the_account_while_the_user_filters_and_marks() {
    let sim = Sim::start(SimConfig {
        seed: 404,
        latency: Duration::from_millis(60),
        failed: 5,
        ..crate::support::sim::plain(30)
    });
    let data = DataDir::new("grace_seconds = 0\n");
    let known = sim.deletable()[0];
    data.import(&sim, &[known], Some("mine"));
    let mut tui = Tui::start(&sim, &data, RIGHT_KEY);
    tui.wait_for_text(&known.to_string());
    tui.send(" ");
    tui.send("L");
    tui.send("/state:failed\r");
    let screen = tui.wait_for(
        "the synced failures through the filter and the sync's end",
        |s| s.contains("Synced 30 videos") && s.matches("failed").count() >= 6,
    );
    assert!(screen.contains("1 marked"), "the mark stayed:\n{screen}");
    assert!(screen.contains("STATE"), "{screen}");
    assert!(sim.deleted().is_empty(), "a sync deletes nothing");
    let reads = sim.stats().read_paths;
    assert_eq!(reads, ["/v1/videos?limit=100&offset=0"], "{reads:?}");
    tui.quit_cleanly();
}
