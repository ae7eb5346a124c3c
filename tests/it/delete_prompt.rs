//! `delete` asking on a real terminal (a pseudo-terminal), counted at the simulated server:
//! `[y/N]` for a small batch, the count typed from `confirm_threshold` up, the profile's name
//! for `confirm = "name"`; asked on the terminal when the IDs come down a pipe, and refused
//! when there is no terminal at all. Nothing is sent on any answer but the one asked for, and
//! a wrong one says what was wrong.

use std::process::Command;

use crate::support::pty::Tui;
use crate::support::runs::stderr;
use crate::support::sandbox::Sandbox;
use crate::support::sim::{Sim, plain, sorted};

/// A server of `n` deletable videos and a sandbox that knows them, its config `config`.
fn known(seed: u64, n: usize, config: &str) -> (Sim, Sandbox) {
    let sim = Sim::seeded(seed, n);
    let sandbox = sim.sandbox();
    sandbox.file("config.toml", config);
    sandbox.import(sim.deletable());
    (sim, sandbox)
}

/// Runs `cmd` on a terminal, waits for `question`, answers `answer` and returns the exit
/// code and everything the terminal was sent.
fn answering(cmd: Command, question: &str, answer: &str) -> (i32, String) {
    let mut tui = Tui::spawn(cmd, None);
    tui.wait_for_text(question);
    tui.send(answer);
    let status = tui.wait_exit();
    let code = status.code().expect("exited, not killed");
    (code, tui.transcript())
}

/// `delete --all` on a terminal.
fn delete_all(sandbox: &Sandbox) -> Command {
    let mut cmd = sandbox.pty_command();
    cmd.args(["delete", "--all"]);
    cmd
}

#[test]
fn the_prompt_sends_nothing_unless_answered_yes() {
    let (sim, sandbox) = known(2101, 2, "");
    for (answer, said) in [
        ("\r", None),
        ("n\r", None),
        ("2\r", Some("\"2\" is not y or yes")),
    ] {
        let (code, screen) = answering(delete_all(&sandbox), "[y/N]", answer);
        assert!(
            screen.contains(
                "Delete 2 video(s) on 127.0.0.1 (profile default)? This cannot be undone. [y/N]"
            ),
            "{screen}"
        );
        assert_eq!(code, 1, "{answer:?}: {screen}");
        assert!(screen.contains("nothing was sent"), "{screen}");
        if let Some(said) = said {
            assert!(screen.contains(said), "{screen}");
        }
    }
    assert_eq!(sim.stats().requests, 0);
    let (code, screen) = answering(delete_all(&sandbox), "[y/N]", "y\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(sim.stats().deleted.len(), 2);
}

/// Issue 21 B2: 2,004 videos were asked `[y/N]`, and typing 2004 counted as no. From
/// `confirm_threshold` up the count is typed, as in the app; `y` is not enough, and a wrong
/// count says so.
#[test]
fn from_the_threshold_up_the_count_is_typed() {
    let (sim, sandbox) = known(2102, 3, "confirm_threshold = 3\n");
    for (answer, said) in [
        (
            "y\r",
            "\"y\" is not 3: a batch this large is confirmed by typing its count",
        ),
        ("4\r", "\"4\" is not 3"),
        ("\r", "\"\" is not 3"),
    ] {
        let (code, screen) = answering(delete_all(&sandbox), "Type 3 to confirm:", answer);
        assert!(
            screen.contains("Delete 3 video(s) on 127.0.0.1 (profile default)? This cannot be undone. Type 3 to confirm:"),
            "{screen}"
        );
        assert_eq!(code, 1, "{answer:?}: {screen}");
        assert!(screen.contains(said), "{answer:?}: {screen}");
        assert!(screen.contains("nothing was sent"), "{screen}");
    }
    assert_eq!(sim.stats().requests, 0);
    let (code, screen) = answering(delete_all(&sandbox), "Type 3 to confirm:", "3\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(sim.stats().deleted.len(), 3);
}

#[test]
fn a_profile_confirmed_by_name_sends_nothing_on_a_wrong_name() {
    let (sim, sandbox) = known(2103, 2, "confirm = \"name\"\n");
    let question = "Type the profile's name (default) to confirm";
    for wrong in ["y\r", "Default\r", "\r"] {
        let (code, screen) = answering(delete_all(&sandbox), question, wrong);
        assert_eq!(code, 1, "{wrong:?}: {screen}");
        assert!(
            screen.contains("is not the profile's name (default)"),
            "{screen}"
        );
        assert!(screen.contains("nothing was sent"), "{screen}");
    }
    assert_eq!(sim.stats().requests, 0);
    let (code, screen) = answering(delete_all(&sandbox), question, "default\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(sim.stats().deleted.len(), 2);
}

/// `printf IDS | elytron-tui delete --from -` in a terminal, through a shell: the IDs come
/// down the pipe and the question goes to the terminal.
fn piped(sandbox: &Sandbox, ids: &str) -> Command {
    let mut cmd = sandbox.pty_shell(
        "printf '%s\\n' \"$IDS\" | \"$0\" \"$@\"",
        &["delete", "--from", "-"],
    );
    cmd.env("IDS", ids);
    cmd
}

/// Issue 21 B2: with the IDs on standard input, `delete` refused to ask. It asks on the
/// terminal, and the pipe never answers for the user.
#[test]
fn ids_piped_in_are_confirmed_on_the_terminal() {
    let sim = Sim::seeded(2104, 3);
    let sandbox = sim.sandbox();
    let ids: Vec<String> = sim.deletable().iter().map(ToString::to_string).collect();
    // A "y" line in the pipe is not an answer.
    let input = format!("{}\ny", ids[..2].join("\n"));
    let (code, screen) = answering(piped(&sandbox, &input), "[y/N]", "\r");
    assert!(screen.contains("Delete 2 video(s)"), "{screen}");
    assert_eq!(code, 1, "{screen}");
    assert_eq!(sim.stats().requests, 0);
    let (code, screen) = answering(piped(&sandbox, &input), "[y/N]", "y\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(sim.deleted(), sorted(ids[..2].iter().cloned()));
}

/// With no terminal at all (a cron job, a pipeline with no controlling terminal), it still
/// refuses: exit 2, nothing sent, and how to confirm without one.
#[test]
fn with_no_terminal_at_all_it_refuses() {
    let sim = Sim::seeded(2105, 2);
    let sandbox = sim.sandbox();
    let run = sandbox.cmd_run(&["delete", "--from", "-"], sim.deletable());
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "refusing to delete 2 video(s) without confirmation: there is no terminal to ask on"
        ),
        "{err}"
    );
    assert!(err.contains("Pass --yes to confirm"), "{err}");
    assert_eq!(sim.stats().requests, 0);
}

/// Two deletable videos and one of another account, known with titles (the other account's
/// `Not ours`), that one refused once before as forbidden.
fn titled_with_one_refused(seed: u64) -> (Sim, Sandbox) {
    let sim = Sim::with_other_account(elytron_tui::sim::SimConfig { seed, ..plain(2) }, 1);
    let sandbox = sim.sandbox();
    let [a, b] = sim.deletable() else {
        panic!("two deletable videos");
    };
    let foreign = sim.other_account()[0];
    let csv = sandbox.file(
        "videos.csv",
        &format!(
            "video_id,title,created_at\n{a},Harbour at dawn,2020-01-02T00:00:00Z\n\
             {b},\"Spoof\u{202e}txt\",2020-01-02T00:00:00Z\n{foreign},Not ours,\n"
        ),
    );
    let import = sandbox.run(&["import", &csv.to_string_lossy()]);
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    let refused = sandbox.run(&["delete", &foreign.to_string(), "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    (sim, sandbox)
}

/// Issue 21 B1: the question showed only a count. It lists each video with its title, age
/// and last outcome (outside text made printable) and counts the batch by last outcome; the
/// answer no sends nothing.
#[test]
fn the_question_lists_titles_and_what_happened_before() {
    let (sim, sandbox) = titled_with_one_refused(2106);
    let asked = sim.stats().requests;
    let (code, screen) = answering(delete_all(&sandbox), "[y/N]", "n\r");
    assert_eq!(code, 1, "{screen}");
    let foreign = sim.other_account()[0];
    assert!(
        screen.contains(&format!("{foreign}  last: forbidden · \"Not ours\"")),
        "{screen}"
    );
    assert!(screen.contains(" ago · \"Harbour at dawn\""), "{screen}");
    assert!(
        screen.contains("\"Spoof\\u{202e}txt\""),
        "escaped: {screen}"
    );
    assert!(!screen.contains('\u{202e}'), "raw: {screen}");
    assert!(
        screen.contains("1 was refused before (forbidden)."),
        "{screen}"
    );
    assert!(screen.contains("2 never tried."), "{screen}");
    assert_eq!(sim.stats().requests, asked, "the answer no sent nothing");
    assert!(sim.deleted().is_empty());
}

/// Issue 19 part 4: once a sync listed their sizes, the question says how much the batch
/// frees, and the summary what it freed.
#[test]
fn after_a_sync_the_prompt_and_the_summary_say_the_space_freed() {
    let sim = Sim::seeded(2109, 3);
    let sandbox = sim.sandbox();
    assert!(sandbox.run(&["sync"]).status.success());
    let list = sandbox.run(&["list", "--json"]);
    let total: u64 = crate::support::runs::json_lines(&list.stdout)
        .iter()
        .map(|line| line["file_size"].as_u64().expect("a synced size"))
        .sum();
    let size = elytron_tui::store::shown_size(total);
    let (code, screen) = answering(delete_all(&sandbox), "[y/N]", "y\r");
    assert!(
        screen.contains(&format!(
            "Delete 3 video(s) · {size} on 127.0.0.1 (profile default)?"
        )),
        "{screen}"
    );
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains(&format!("3 deleted ({size} freed)")),
        "{screen}"
    );
    assert_eq!(sim.deleted().len(), 3);
}
