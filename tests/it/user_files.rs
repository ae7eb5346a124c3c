//! The user's files through the real binary, in real folders: `history.jsonl` is only ever
//! appended to (a last record without its newline is a record; a torn last line is reported,
//! skipped and kept), files reached through a symlink are written through it, and a data
//! folder that is a file or a `videos.json` that is a folder get an error that says so.

use std::fs;
use std::path::{Path, PathBuf};

use elytron_tui::api::VideoId;
use elytron_tui::config::save_api_key;
use predicates::prelude::*;
use predicates::str::contains;

use crate::support::sandbox::Sandbox;
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
fn a_last_record_without_its_newline_is_shown_and_kept_by_the_next_delete() {
    let sim = Sim::seeded(0, 1);
    let sandbox = sandbox();
    let before = format!("{}\n{}", record(&id(1), 1), record(&id(2), 2));
    fs::write(history(&sandbox), &before).unwrap();

    let (shown, warnings) = history_ids(&sandbox);
    assert_eq!(shown, [id(1), id(2)]);
    assert_eq!(warnings, "");

    let doomed = &strings(sim.deletable())[0];
    cmd(&sandbox, Some(&sim))
        .args(["delete", "--yes", doomed])
        .assert()
        .code(0);
    let after = fs::read_to_string(history(&sandbox)).unwrap();
    assert!(after.starts_with(&before), "rewritten:\n{after}");
    let (shown, warnings) = history_ids(&sandbox);
    assert_eq!(shown, [id(1), id(2), doomed.clone()]);
    assert_eq!(warnings, "");
}

#[test]
fn a_torn_last_line_is_reported_kept_and_written_after() {
    let sim = Sim::seeded(0, 1);
    let sandbox = sandbox();
    let torn = &record(&id(2), 2)[..57];
    let before = format!("{}\n{torn}", record(&id(1), 1));
    fs::write(history(&sandbox), &before).unwrap();
    let named = format!("{}:2:", history(&sandbox).display());

    let (shown, warnings) = history_ids(&sandbox);
    assert_eq!(shown, [id(1)]);
    assert!(warnings.contains(&named), "{warnings}");
    assert!(warnings.contains("skipped"), "{warnings}");

    let doomed = &strings(sim.deletable())[0];
    cmd(&sandbox, Some(&sim))
        .args(["delete", "--yes", doomed])
        .assert()
        .code(0)
        .stderr(contains(named.clone()));
    let after = fs::read_to_string(history(&sandbox)).unwrap();
    assert!(after.starts_with(&before), "cut or rewritten:\n{after}");
    let lines: Vec<&str> = after.lines().collect();
    assert_eq!(lines[1], torn, "{after}");
    assert_eq!(lines.len(), 3, "{after}");

    let (shown, warnings) = history_ids(&sandbox);
    assert_eq!(shown, [id(1), doomed.clone()]);
    assert!(warnings.contains(&named), "{warnings}");
}

#[test]
fn a_damaged_line_amid_the_history_never_stops_a_command_or_shrinks_the_file() {
    let sim = Sim::seeded(0, 2);
    let sandbox = sandbox();
    let ids = strings(sim.deletable());
    cmd(&sandbox, Some(&sim))
        .arg("import")
        .write_stdin(ids.join("\n"))
        .assert()
        .code(0);
    // The list was saved with no journal yet (offset 0), so every start reads all of it.
    let damaged = format!(
        "{}\nnot json at all\n{}\n{{\"at\":\"2026-01-01T00:",
        record(&id(1), 1),
        record(&id(2), 2)
    );
    fs::write(history(&sandbox), &damaged).unwrap();

    cmd(&sandbox, None)
        .arg("list")
        .assert()
        .code(0)
        .stdout(contains(ids[0].as_str()));
    cmd(&sandbox, Some(&sim))
        .args(["delete", "--yes", &ids[0]])
        .assert()
        .code(0);
    let after = fs::read_to_string(history(&sandbox)).unwrap();
    assert!(after.starts_with(&damaged), "cut or rewritten:\n{after}");
    let (shown, warnings) = history_ids(&sandbox);
    assert_eq!(shown, [id(1), id(2), ids[0].clone()]);
    let history = history(&sandbox).display().to_string();
    assert!(warnings.contains(&format!("{history}:2:")), "{warnings}");
    assert!(warnings.contains(&format!("{history}:4:")), "{warnings}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_list_is_written_through_and_stays_a_link() {
    let sandbox = sandbox();
    let dotfiles = sandbox.path().join("dotfiles");
    fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("videos.json");
    let link = sandbox.data_dir().join("videos.json");
    // Relative, as dotfile managers write them.
    std::os::unix::fs::symlink("../dotfiles/videos.json", &link).unwrap();

    for (n, expected) in [(1, 1), (2, 2)] {
        cmd(&sandbox, None)
            .arg("import")
            .write_stdin(id(n))
            .assert()
            .code(0);
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        let text = fs::read_to_string(&target).unwrap();
        assert_eq!(text.matches("\"id\"").count(), expected, "{text}");
    }
    cmd(&sandbox, None)
        .args(["forget", &id(1)])
        .assert()
        .code(0);
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    let text = fs::read_to_string(&target).unwrap();
    assert!(!text.contains(&id(1)) && text.contains(&id(2)), "{text}");
    let stray: Vec<_> = fs::read_dir(sandbox.data_dir())
        .unwrap()
        .chain(fs::read_dir(&dotfiles).unwrap())
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_pending_batch_is_written_through_and_removed_behind_the_link() {
    let sim = Sim::seeded(0, 3);
    let sandbox = sandbox();
    let elsewhere = sandbox.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let pending_target = elsewhere.join("pending.json");
    let pending_link = sandbox.data_dir().join("pending.json");
    std::os::unix::fs::symlink(&pending_target, &pending_link).unwrap();
    let ids = strings(sim.deletable());
    // The server refuses the key: the batch stays pending, written through the link.
    cmd(&sandbox, Some(&sim))
        .env("ELYTRON_API_KEY", "sk-wrong-key")
        .args(["delete", "--yes", "--concurrency", "1"])
        .args(&ids)
        .assert()
        .code(3);
    assert!(fs::symlink_metadata(&pending_link).unwrap().is_symlink());
    let pending = fs::read_to_string(&pending_target).unwrap();
    // The first was refused; the two never sent wait to be resumed.
    assert!(ids[1..].iter().all(|id| pending.contains(id)), "{pending}");
    cmd(&sandbox, Some(&sim))
        .args(["delete", "--resume", "--yes"])
        .assert()
        .code(0);
    assert!(fs::symlink_metadata(&pending_link).unwrap().is_symlink());
    assert!(
        !pending_target.exists(),
        "the finished batch is still pending"
    );
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

#[test]
fn a_data_folder_that_is_a_file_is_named_as_such_and_left_alone() {
    let sandbox = sandbox();
    let file = sandbox.path().join("not-a-folder");
    fs::write(&file, "mine").unwrap();
    for args in [
        &["list"][..],
        &["history"],
        &["import", "-"],
        &["forget", "550e8400-e29b-41d4-a716-446655440000"],
    ] {
        cmd_in(&sandbox, &file, None)
            .args(args)
            .write_stdin(id(1))
            .assert()
            .code(2)
            .stderr(
                contains(format!("{} is a file, not a folder", file.display()))
                    .and(contains("os error").not()),
            );
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn a_list_that_is_a_folder_is_named_as_such_and_left_alone() {
    let sandbox = sandbox();
    let videos = sandbox.data_dir().join("videos.json");
    fs::create_dir(&videos).unwrap();
    fs::write(videos.join("keep"), "x").unwrap();
    for args in [&["list"][..], &["import", "-"]] {
        cmd(&sandbox, None)
            .args(args)
            .write_stdin(id(1))
            .assert()
            .code(2)
            .stderr(
                contains(format!("{} is a folder, not a file", videos.display()))
                    .and(contains("os error").not()),
            );
    }
    assert_eq!(fs::read_to_string(videos.join("keep")).unwrap(), "x");
}

#[test]
fn a_damaged_pending_batch_gets_its_own_recovery_hint() {
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
    assert!(sim.server.stats().requests == 0);
}
