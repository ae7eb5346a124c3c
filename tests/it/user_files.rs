//! The user's files through the real binary, in real folders: the `history.jsonl` of an
//! earlier version moves into the database once (a last record without its newline is a
//! record; a torn or damaged line is named, not imported, and kept in the renamed file, which
//! nothing rewrites), a symlinked database or data folder is used where it points, and a data
//! folder no command can use (a file where the folder should be, a folder where the database
//! or an old file should be) stops every command, the app's too, with an error that says so
//! and nothing created.

use std::fs;
use std::path::{Path, PathBuf};

use elytron_tui::api::VideoId;
use elytron_tui::config::save_api_key;
use predicates::prelude::*;
use predicates::str::contains;

use crate::support::pty::Tui;
use crate::support::sandbox::{BIN, Sandbox};
use crate::support::sim::{KEY, Sim, strings};

/// A sandbox with the key and its data folder made.
fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new().with_key(KEY);
    fs::create_dir_all(sandbox.data_dir()).unwrap();
    sandbox
}

fn history(sandbox: &Sandbox) -> PathBuf {
    sandbox.data_dir().join("history.jsonl")
}

fn migrated_history(sandbox: &Sandbox) -> PathBuf {
    sandbox.data_dir().join("history.jsonl.migrated")
}

/// The names in the data folder, sorted.
fn files(sandbox: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sandbox.data_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The binary on `data_dir` and the sandbox's config, on `sim` if given.
fn cmd_in(sandbox: &Sandbox, data_dir: &Path, sim: Option<&Sim>) -> assert_cmd::Command {
    let mut cmd = sandbox.bare_cmd();
    cmd.arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(sandbox.config_file());
    if let Some(sim) = sim {
        cmd.args(["--base-url", &sim.server.base_url()]);
    }
    cmd
}

fn cmd(sandbox: &Sandbox, sim: Option<&Sim>) -> assert_cmd::Command {
    cmd_in(sandbox, &sandbox.data_dir(), sim)
}

/// The IDs `history --json` prints, and what it said on stderr.
fn history_ids(sandbox: &Sandbox) -> (Vec<String>, String) {
    let out = cmd(sandbox, None)
        .args(["history", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let ids = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["id"].as_str().unwrap().to_owned()
        })
        .collect();
    (ids, String::from_utf8(out.stderr).unwrap())
}

fn record(id: &str, second: u32) -> String {
    format!(
        "{{\"at\":\"2026-01-01T00:00:{second:02}Z\",\"id\":\"{id}\",\"outcome\":\"deleted\",\
         \"status\":204,\"error_code\":null,\"message\":null,\"request_id\":null,\"attempts\":1,\
         \"host\":\"127.0.0.1\"}}"
    )
}

fn id(n: u128) -> String {
    VideoId::from_uuid(uuid::Uuid::from_u128(n)).to_string()
}

#[test]
fn a_last_record_without_its_newline_moves_in_and_the_old_file_is_kept_as_it_was() {
    let sim = Sim::seeded(0, 1);
    let sandbox = sandbox();
    let before = format!("{}\n{}", record(&id(1), 1), record(&id(2), 2));
    fs::write(history(&sandbox), &before).unwrap();

    let (shown, said) = history_ids(&sandbox);
    assert_eq!(shown, [id(1), id(2)]);
    assert!(said.contains("moved history.jsonl (2 entries)"), "{said}");
    assert!(!said.contains("warning"), "{said}");

    let doomed = &strings(sim.deletable())[0];
    cmd(&sandbox, Some(&sim))
        .args(["delete", "--yes", doomed])
        .assert()
        .code(0);
    let (shown, said) = history_ids(&sandbox);
    assert_eq!(shown, [id(1), id(2), doomed.clone()]);
    assert_eq!(said, "", "the move is said once");
    assert_eq!(
        fs::read_to_string(migrated_history(&sandbox)).unwrap(),
        before
    );
    assert!(!history(&sandbox).exists());
}

#[test]
fn a_torn_or_damaged_history_line_is_named_once_never_stops_a_command_and_is_kept() {
    let sim = Sim::seeded(0, 2);
    let sandbox = sandbox();
    let ids = strings(sim.deletable());
    let damaged = format!(
        "{}\nnot json at all\n{}\n{{\"at\":\"2026-01-01T00:",
        record(&id(1), 1),
        record(&id(2), 2)
    );
    fs::write(history(&sandbox), &damaged).unwrap();
    let history = history(&sandbox).display().to_string();

    let out = cmd(&sandbox, Some(&sim))
        .arg("import")
        .write_stdin(ids.join("\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8(out.stderr).unwrap();
    for line in [2, 4] {
        assert!(
            said.contains(&format!("{history}:{line}: not a whole record")),
            "{said}"
        );
    }
    assert!(said.contains("renamed history.jsonl.migrated"), "{said}");
    cmd(&sandbox, Some(&sim))
        .args(["delete", "--yes", &ids[0]])
        .assert()
        .code(0)
        .stderr(contains("not a whole record").not());
    let (shown, said) = history_ids(&sandbox);
    assert_eq!(shown, [id(1), id(2), ids[0].clone()]);
    assert_eq!(said, "");
    assert_eq!(
        fs::read_to_string(migrated_history(&sandbox)).unwrap(),
        damaged
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_database_is_used_where_it_points_and_stays_a_link() {
    let sandbox = sandbox();
    let dotfiles = sandbox.path().join("dotfiles");
    fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("videos.db");
    let link = sandbox.data_dir().join("elytron-tui.db");
    // Relative, as dotfile managers write them.
    std::os::unix::fs::symlink("../dotfiles/videos.db", &link).unwrap();
    for n in [1, 2] {
        cmd(&sandbox, None)
            .arg("import")
            .write_stdin(id(n))
            .assert()
            .code(0);
    }
    cmd(&sandbox, None)
        .args(["forget", &id(1)])
        .assert()
        .code(0);
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(target.is_file());
    cmd(&sandbox, None)
        .args(["list", "--ids"])
        .assert()
        .code(0)
        .stdout(format!("{}\n", id(2)));
    assert_eq!(
        files(&sandbox),
        ["elytron-tui.db"],
        "nothing beside the link"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_data_folder_and_a_symlinked_old_list_are_followed() {
    let sandbox = sandbox();
    let real = sandbox.path().join("real-data");
    fs::create_dir(&real).unwrap();
    let dotfiles = sandbox.path().join("dotfiles");
    fs::create_dir(&dotfiles).unwrap();
    let list = format!(
        "{{\"version\":1,\"videos\":[\n{{\"id\":\"{}\",\"added_at\":\"2024-01-01T00:00:00Z\"}}\n]}}\n",
        id(7)
    );
    fs::write(dotfiles.join("list.json"), &list).unwrap();
    std::os::unix::fs::symlink("../dotfiles/list.json", real.join("videos.json")).unwrap();
    let linked = sandbox.path().join("linked-data");
    std::os::unix::fs::symlink(&real, &linked).unwrap();
    cmd_in(&sandbox, &linked, None)
        .args(["list", "--ids"])
        .assert()
        .code(0)
        .stdout(format!("{}\n", id(7)));
    let moved = real.join("videos.json.migrated");
    assert!(
        fs::symlink_metadata(&moved).unwrap().is_symlink(),
        "the link was renamed"
    );
    assert_eq!(
        fs::read_to_string(&moved).unwrap(),
        list,
        "and its file kept"
    );
    assert!(real.join("elytron-tui.db").is_file());
}

#[cfg(unix)]
#[test]
fn a_key_saved_into_a_symlinked_config_goes_through_the_link() {
    let sandbox = sandbox();
    let elsewhere = sandbox.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let config_target = elsewhere.join("config.toml");
    fs::write(&config_target, "# mine\nconcurrency = 4\n").unwrap();
    let config_link = sandbox.path().join("config.toml");
    fs::remove_file(&config_link).unwrap();
    std::os::unix::fs::symlink(&config_target, &config_link).unwrap();
    let key = elytron_tui::api::ApiKey::new("sk-typed-in-the-app").unwrap();
    save_api_key(&config_link, None, &key).unwrap();
    assert!(fs::symlink_metadata(&config_link).unwrap().is_symlink());
    assert_eq!(
        fs::read_to_string(&config_target).unwrap(),
        "# mine\nconcurrency = 4\napi_key = \"sk-typed-in-the-app\"\n"
    );
}

/// Every command but the app, with its input.
const EVERY_COMMAND: [&[&str]; 8] = [
    &["list"],
    &["history"],
    &["doctor"],
    &["import", "-"],
    &["forget", "550e8400-e29b-41d4-a716-446655440000"],
    &["protect", "550e8400-e29b-41d4-a716-446655440000"],
    &["unprotect", "550e8400-e29b-41d4-a716-446655440000"],
    &[
        "delete",
        "--dry-run",
        "550e8400-e29b-41d4-a716-446655440000",
    ],
];

/// Runs `cmd`, which must exit 2; what it said (`doctor` reports on stdout, the others on
/// stderr).
fn refused(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.write_stdin(id(1)).output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{said}");
    said
}

/// Runs the app on `data_dir` in a terminal (with none it refuses before it looks at the
/// data folder), which must exit 2 before it draws anything; what it said.
fn app_refused(sandbox: &Sandbox, data_dir: &Path) -> String {
    let mut cmd = sandbox.on_pty("/bin/sh");
    cmd.args(["-c", "\"$0\" \"$@\"; echo \"exit=$?\""]);
    cmd.arg(BIN);
    cmd.arg("--data-dir");
    cmd.arg(data_dir);
    cmd.arg("--config");
    cmd.arg(sandbox.config_file());
    let mut tui = Tui::spawn(cmd, None);
    tui.wait_for_text("exit=");
    let said = tui.transcript();
    assert!(said.contains("exit=2"), "{said}");
    assert!(!said.contains("\x1b[?1049h"), "the app drew: {said}");
    said
}

#[test]
fn a_data_folder_that_is_a_file_is_named_as_such_by_every_command_and_left_alone() {
    let sandbox = sandbox();
    let file = sandbox.path().join("not-a-folder");
    fs::write(&file, "mine").unwrap();
    let mut said: Vec<(String, String)> = EVERY_COMMAND
        .iter()
        .map(|args| {
            let said = refused(cmd_in(&sandbox, &file, None).args(*args));
            (args.join(" "), said)
        })
        .collect();
    said.push(("the app".to_owned(), app_refused(&sandbox, &file)));
    for (command, said) in said {
        assert!(
            said.contains(&format!("{} is a file, not a folder", file.display()))
                && !said.contains("os error"),
            "{command}: {said}"
        );
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn a_folder_where_the_database_or_an_old_file_should_be_stops_every_command_creating_nothing() {
    for name in ["videos.json", "history.jsonl", "elytron-tui.db"] {
        let sandbox = sandbox();
        let folder = sandbox.data_dir().join(name);
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("keep"), "x").unwrap();
        let mut said: Vec<(String, String)> = EVERY_COMMAND
            .iter()
            .map(|args| {
                let said = refused(cmd(&sandbox, None).args(*args));
                (args.join(" "), said)
            })
            .collect();
        said.push((
            "the app".to_owned(),
            app_refused(&sandbox, &sandbox.data_dir()),
        ));
        for (command, said) in said {
            assert!(
                said.contains(&format!("{} is a folder, not a file", folder.display()))
                    && !said.contains("os error"),
                "{command}: {said}"
            );
        }
        assert_eq!(fs::read_to_string(folder.join("keep")).unwrap(), "x");
        assert_eq!(files(&sandbox), [name], "{name}: something was created");
    }
}

#[test]
fn a_damaged_pending_batch_stops_the_move_with_its_own_recovery_hint() {
    let sim = Sim::seeded(0, 1);
    let sandbox = sandbox();
    let pending = sandbox.data_dir().join("pending.json");
    fs::write(&pending, "{\"version\":1,\"ids\":[\"550e").unwrap();
    cmd(&sandbox, Some(&sim))
        .args(["delete", "--resume", "--yes"])
        .assert()
        .code(2)
        .stderr(
            contains("pending.json:1:")
                .and(contains("interrupted batch"))
                .and(contains("empty list").not()),
        );
    assert_eq!(
        fs::read_to_string(&pending).unwrap(),
        "{\"version\":1,\"ids\":[\"550e"
    );
    assert_eq!(files(&sandbox), ["pending.json"], "nothing created");
    assert!(sim.server.stats().requests == 0);
}
