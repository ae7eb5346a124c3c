//! The real binary, always on a temporary `--data-dir` (never the real home): import, list,
//! forget, history, completions, their exit codes and their error messages.

use std::fs;
use std::path::Path;

use elytron_tui::api::{Outcome, OutcomeKind, VideoId};
use elytron_tui::store::{Details, Recorder, SendLock, Store, VideoDetails};
use predicates::prelude::*;
use predicates::str::contains;

use crate::support::sandbox::Sandbox;

const A: &str = "550e8400-e29b-41d4-a716-446655440000";
const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const C: &str = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

/// The saved list's IDs, in list order.
fn known(sandbox: &Sandbox) -> Vec<String> {
    let list = Store::open(&sandbox.paths()).unwrap().videos().unwrap();
    list.iter().map(|video| video.id.to_string()).collect()
}

fn path_str(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn import_then_list_as_table_and_json_lines() {
    let sandbox = Sandbox::new();
    let input = sandbox.file(
        "ids.txt",
        &format!("{A}\n{{{}}}\nurn:uuid:{C}\n", B.to_uppercase()),
    );
    sandbox
        .cmd()
        .args(["import", "--label", "spring"])
        .arg(&input)
        .assert()
        .code(0)
        .stdout(contains("added 3, already known 0"));
    assert_eq!(known(&sandbox), [A, B, C]);

    sandbox
        .cmd()
        .arg("list")
        .assert()
        .code(0)
        .stdout(contains(A).and(contains("spring")));
    let out = sandbox.cmd().args(["list", "--json"]).output().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["id"], B);
    assert_eq!(lines[1]["label"], "spring");
    assert!(lines[1]["last_outcome"].is_null());
    assert!(lines[1]["added_at"].as_str().unwrap().starts_with("20"));
}

#[test]
fn import_from_stdin_dedupes_against_the_list() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .arg("import")
        .write_stdin(format!("{A}\n"))
        .assert()
        .code(0);
    sandbox
        .cmd()
        .args(["import", "-"])
        .write_stdin(format!("[\"{A}\",\n\"{B}\", \"{B}\"]\n"))
        .assert()
        .code(0)
        .stdout(contains(
            "added 1, already known 1, repeated in the input 1",
        ));
    assert_eq!(known(&sandbox), [A, B]);
}

#[test]
fn lines_without_an_id_are_named_and_the_good_ones_still_added_with_exit_1() {
    let sandbox = Sandbox::new();
    let input = sandbox.file(
        "export.csv",
        &format!("id,title\n{A},one\n\nno id here\n{B},two\n"),
    );
    sandbox
        .cmd()
        .arg("import")
        .arg(&input)
        .assert()
        .code(1)
        .stdout(contains("added 2").and(contains("read as a CSV table")))
        .stderr(
            // The header row is the table's, not a line without an ID.
            contains(format!("{}:1: no video ID", path_str(&input)))
                .not()
                .and(contains(format!("{}:4: no video ID", path_str(&input)))),
        );
    assert_eq!(known(&sandbox), [A, B]);
}

#[test]
fn strict_import_adds_nothing_and_exits_2_naming_the_first_bad_line() {
    let sandbox = Sandbox::new();
    let input = sandbox.file("ids.txt", &format!("{A}\noops\n{B}\n"));
    sandbox
        .cmd()
        .args(["import", "--strict"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(contains(format!("error: {}:2:", path_str(&input))));
    assert!(!sandbox.paths().videos().exists());
}

#[test]
fn more_than_ten_bad_lines_are_listed_then_counted() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .arg("import")
        .write_stdin("junk\n".repeat(13))
        .assert()
        .code(1)
        .stderr(
            contains("<stdin>:10:")
                .and(contains("<stdin>:11:").not())
                .and(contains("3 more")),
        );
}

#[test]
fn a_missing_input_file_is_an_input_error_naming_it() {
    let sandbox = Sandbox::new();
    let missing = sandbox.path().join("nope.txt");
    sandbox
        .cmd()
        .arg("import")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(contains(format!("error: {}", path_str(&missing))));
}

#[test]
fn forget_by_argument_and_from_a_file() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .arg("import")
        .write_stdin(format!("{A}\n{B}\n{C}\n"))
        .assert()
        .code(0);
    sandbox
        .cmd()
        .args(["forget", B, "00000000-0000-0000-0000-000000000001"])
        .assert()
        .code(0)
        .stdout(contains("forgot 1, not in the list 1"));
    let list = sandbox.file("forget.txt", &format!("drop {C} please\n"));
    sandbox
        .cmd()
        .args(["forget", "--from"])
        .arg(&list)
        .assert()
        .code(0);
    assert_eq!(known(&sandbox), [A]);
}

#[test]
fn usage_errors_exit_2_and_change_nothing() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .arg("import")
        .write_stdin(format!("{A}\n"))
        .assert()
        .code(0);
    sandbox
        .cmd()
        .args(["forget", "not-a-uuid"])
        .assert()
        .code(2);
    sandbox.cmd().arg("forget").assert().code(2);
    sandbox.cmd().arg("delete").assert().code(2);
    sandbox.cmd().args(["list", "--bogus"]).assert().code(2);
    assert_eq!(known(&sandbox), [A]);
}

/// The app and `delete` both stop with exit 2 and `said` on stderr, before anything starts
/// (the app before it takes the terminal: there is none here).
fn app_and_delete_refuse(sandbox: &Sandbox, said: &str) {
    sandbox.cmd().assert().code(2).stderr(contains(said));
    sandbox
        .cmd()
        .args(["delete", "--dry-run", A])
        .assert()
        .code(2)
        .stderr(contains(said));
}

#[test]
fn a_keys_entry_that_cannot_work_stops_the_app_and_delete_naming_its_line() {
    let sandbox = Sandbox::new();
    let config = sandbox.file(
        "config.toml",
        "grace_seconds = 0\n[keys]\nmark = [\"m\"]\ndelet = [\"D\"]\n",
    );
    let at = format!("{}:4: [keys]: `delet` is not an action", path_str(&config));
    app_and_delete_refuse(&sandbox, &at);
    sandbox.file(
        "config.toml",
        "[keys]\ndelete = [\"D\"]\nmark-all = [\"D\"]\n",
    );
    sandbox.cmd().assert().code(2).stderr(contains(
        ":3: [keys]: `D` would be both `mark-all` and `delete` in the table",
    ));
    // Issue 17: `d d` deleted with these; the app and `delete` refuse them.
    sandbox.file("config.toml", "grace_seconds = 0\n[keys]\nyes = [\"d\"]\n");
    for args in [&[][..], &["delete", "--dry-run", A][..]] {
        sandbox.cmd().args(args).assert().code(2).stderr(contains(
            ":3: [keys]: `d` would be both `delete` and `yes`: a key that asks a question",
        ));
    }
    sandbox.file("config.toml", "[keys]\nmark = [\"Space\", \"Ctrl-c\"]\n");
    sandbox
        .cmd()
        .assert()
        .code(2)
        .stderr(contains(":2: [keys]: `Ctrl-c` always cancels or quits"));
}

#[test]
fn history_prints_the_journal_tail_as_table_or_json() {
    let sandbox = Sandbox::new();
    sandbox.cmd().arg("history").assert().code(0).stdout("");
    let mut recorder = Recorder::open(&sandbox.paths(), Some("api.elytron.com".into())).unwrap();
    let mut titles = Details::default();
    titles.fill(0, &VideoDetails::titled(Some("a fox".into()), None));
    titles.fill(1, &VideoDetails::titled(Some("a hen".into()), None));
    let known = [A, B].map(|id| id.parse::<VideoId>().unwrap());
    recorder
        .store()
        .add(&known, &titles, None, jiff::Timestamp::UNIX_EPOCH)
        .unwrap();
    for (id, kind, status) in [
        (A, OutcomeKind::Deleted, 204),
        (B, OutcomeKind::Forbidden, 403),
    ] {
        let outcome = Outcome {
            status: Some(status),
            attempts: 1,
            message: Some(format!("{kind} message")),
            ..Outcome::unsent(kind)
        };
        recorder.record(id.parse::<VideoId>().unwrap(), &outcome);
    }
    recorder.flush().unwrap();

    sandbox.cmd().arg("history").assert().code(0).stdout(
        contains(format!("{A}  a fox "))
            .and(contains("forbidden message"))
            .and(contains("403")),
    );
    let out = sandbox
        .cmd()
        .args(["history", "--json", "--limit", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(line["id"], B);
    assert_eq!(line["outcome"], "forbidden");
    assert_eq!(line["status"], 403);
    assert_eq!(line["host"], "api.elytron.com");
    assert_eq!(line["title"], "a hen");
}

#[test]
fn a_damaged_list_stops_every_command_with_exit_2_and_stays_byte_identical() {
    let sandbox = Sandbox::new();
    fs::create_dir_all(sandbox.data_dir()).unwrap();
    let videos = sandbox.paths().videos();
    let damaged = format!(
        "{{\"version\":1,\"videos\":[\n{{\"id\":\"{A}\",\"added_at\":\"2024-01-01T00:00:00Z\"}}\n{{\"id\"\n"
    );
    fs::write(&videos, &damaged).unwrap();
    let expected = format!("error: {}:3:1:", path_str(&videos));
    sandbox
        .cmd()
        .arg("list")
        .assert()
        .code(2)
        .stderr(contains(expected.clone()));
    sandbox
        .cmd()
        .arg("import")
        .write_stdin(format!("{B}\n"))
        .assert()
        .code(2)
        .stderr(contains(expected).and(contains("left untouched")));
    sandbox.cmd().args(["forget", A]).assert().code(2);
    assert_eq!(fs::read_to_string(&videos).unwrap(), damaged);
}

#[test]
fn commands_work_while_another_process_has_the_store_open_and_a_second_batch_is_refused() {
    let sandbox = Sandbox::new();
    let mut open = Store::open(&sandbox.paths()).unwrap();
    sandbox
        .cmd()
        .arg("import")
        .write_stdin(format!("{A}\n{B}\n"))
        .assert()
        .code(0);
    sandbox.cmd().args(["forget", B]).assert().code(0);
    sandbox.cmd().args(["protect", C]).assert().code(0);
    let list = open.videos().unwrap();
    let ids: Vec<String> = list.iter().map(|video| video.id.to_string()).collect();
    assert_eq!(ids, [A], "the open store sees the other process's writes");
    assert_eq!(open.protected().unwrap().len(), 1);

    let sending = SendLock::acquire(&sandbox.paths()).unwrap();
    sandbox
        .cmd()
        .args(["--base-url", "http://127.0.0.1:9/v1", "delete", A, "--yes"])
        .env("ELYTRON_API_KEY", "sk-test")
        .assert()
        .code(2)
        .stderr(
            contains("is sending deletes")
                .and(contains(format!("process {}", std::process::id())))
                .and(contains("Nothing was sent")),
        );
    sandbox
        .cmd()
        .args([
            "--base-url",
            "http://127.0.0.1:9/v1",
            "delete",
            A,
            "--dry-run",
        ])
        .assert()
        .code(0);
    drop(sending);
    assert_eq!(open.pending().unwrap(), [], "nothing was queued");
}

#[test]
fn the_data_dir_can_come_from_the_environment() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.bare_cmd();
    cmd.env("ELYTRON_TUI_DATA_DIR", sandbox.data_dir())
        .env("ELYTRON_TUI_CONFIG", sandbox.config_file())
        .arg("import")
        .write_stdin(format!("{A}\n"))
        .assert()
        .code(0);
    assert_eq!(known(&sandbox), [A]);
}

#[test]
fn help_has_examples_and_completions_are_printed() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(contains("Examples:").and(contains("Exit codes")));
    sandbox
        .cmd()
        .args(["delete", "--help"])
        .assert()
        .code(0)
        .stdout(
            contains("--dry-run")
                .and(contains("--resume"))
                .and(contains("--wait-processing")),
        );
    sandbox
        .cmd()
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .stdout(contains("complete -F _elytron__tui"));
}

/// Issue 17: `--demo` took flags it then ignored, `--max-delete` among them (that one the
/// demo now honours: `tui_pty.rs`); and `--demo list` ran `list` on the real data.
#[test]
fn demo_refuses_what_it_would_ignore() {
    let sandbox = Sandbox::new();
    for args in [
        &["--demo", "list"][..],
        &["--demo", "delete", "--all", "--yes"],
        &["--demo", "--base-url", "http://127.0.0.1:9/v1"],
        &["--demo", "--profile", "production"],
    ] {
        sandbox.bare_cmd().args(args).assert().code(2).stderr(
            contains("error: --demo")
                .and(contains("drop"))
                .and(contains("panicked").not()),
        );
    }
    // What the sandbox's own flags (--data-dir, --config) would do: refused too.
    sandbox
        .cmd()
        .arg("--demo")
        .assert()
        .code(2)
        .stderr(contains("cannot honour --data-dir, --config"));
    assert!(known(&sandbox).is_empty(), "nothing was imported or listed");
}

/// Issue 21 B8: `--profile` completed file names. It completes the config's profile names
/// now, and nothing (never files) when there is no config to read them from.
#[test]
fn profile_completes_the_configs_profile_names_never_files() {
    let sandbox = Sandbox::new();
    let profile_case = |stdout: &[u8]| {
        let script = String::from_utf8_lossy(stdout).into_owned();
        let at = script.find("--profile)").expect("a --profile case");
        script[at..]
            .lines()
            .nth(1)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    sandbox.file("config.toml", "[profiles.staging]\n[profiles.production]\n");
    let named = sandbox
        .cmd()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert_eq!(
        profile_case(&named.stdout),
        r#"COMPREPLY=($(compgen -W "default staging production" -- "${cur}"))"#
    );
    let none = sandbox
        .bare_cmd()
        .args([
            "--config",
            "/nonexistent/config.toml",
            "completions",
            "bash",
        ])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(0));
    assert_eq!(profile_case(&none.stdout), r#"COMPREPLY=("${cur}")"#);
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("--profile will complete no name"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
}

/// Issue 21 B7: a `[theme]` entry that names no part, or no colour, stops the app and every
/// command with exit 2, naming the file and line, as a `[keys]` entry does.
#[test]
fn a_theme_entry_that_cannot_work_stops_the_app_and_delete_naming_its_line() {
    let sandbox = Sandbox::new();
    let config = sandbox.file(
        "config.toml",
        "[theme]\ndeleted = \"green\"\nstatuses = \"red\"\n",
    );
    let at = format!(
        "{}:3: [theme]: `statuses` is not something the theme colours",
        path_str(&config)
    );
    app_and_delete_refuse(&sandbox, &at);
    sandbox.file("config.toml", "[theme]\n\nfailed = \"blood\"\n");
    sandbox.cmd().arg("list").assert().code(2).stderr(contains(
        ":3: [theme]: failed = \"blood\": not a colour; use a name",
    ));
    sandbox.file(
        "config.toml",
        "[theme]\nfailed = \"light-red\"\nmarked = \"#ff8800\"\nheader = \"208\"\n",
    );
    sandbox.cmd().arg("list").assert().code(0);
}

/// Issue 21 B5: a `columns` name that is no column, at the top level or in any profile,
/// stops the app and every command with exit 2, naming the file and line; a good list passes.
#[test]
fn a_columns_name_that_is_no_column_stops_the_app_and_delete_naming_its_line() {
    let sandbox = Sandbox::new();
    let config = sandbox.file("config.toml", "columns = [\n  \"id\",\n  \"titel\",\n]\n");
    let at = format!(
        "{}:3: columns: `titel` is not a column (the columns: id, label, title, created, added, \
         size, state, status, detail)",
        path_str(&config)
    );
    app_and_delete_refuse(&sandbox, &at);
    sandbox.file(
        "config.toml",
        "columns = [\"title\", \"id\"]\n\n[profiles.prod]\ncolumns = [\"status\"]\n",
    );
    sandbox
        .cmd()
        .arg("list")
        .assert()
        .code(2)
        .stderr(contains(":4: columns: the list leaves out `id`"));
    sandbox.file(
        "config.toml",
        "columns = [\"title\", \"id\"]\n\n[profiles.prod]\ncolumns = [\"id\", \"status\"]\n",
    );
    sandbox.cmd().arg("list").assert().code(0);
}
