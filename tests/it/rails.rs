//! The profile rails through the real binary against the simulated server, each counted at
//! the server: a read-only profile sends nothing; a protected video is never received,
//! whichever way `delete` is asked (IDs, `--from`, `--all`, `--resume`); a batch over the
//! limit sends nothing; a wrong name sends nothing; two profiles keep separate lists. And
//! `profiles`, `doctor`, `man` and the config errors the rails add.

use std::collections::HashSet;
use std::process::Output;

use crate::support::runs::{json_lines, outcomes, stderr};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, Sim, plain};
use elytron_tui::api::VideoId;
use elytron_tui::store::{Paths, Store};

/// A sandbox on `sim` whose config is `config`.
fn sandbox(sim: &Sim, config: &str) -> Sandbox {
    let sandbox = sim.sandbox();
    std::fs::write(sandbox.config_file(), config).unwrap();
    sandbox
}

fn set(ids: &[VideoId]) -> HashSet<VideoId> {
    ids.iter().copied().collect()
}

fn strings(ids: &[VideoId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `args` then `ids` as arguments.
fn with_ids<'a>(args: &[&'a str], ids: &'a [String]) -> Vec<&'a str> {
    args.iter()
        .copied()
        .chain(ids.iter().map(String::as_str))
        .collect()
}

#[test]
fn a_read_only_profile_browses_and_imports_but_sends_nothing() {
    let sim = Sim::start(plain(4));
    let sandbox = sandbox(
        &sim,
        "default_profile = \"production\"\n[profiles.production]\nread_only = true\n",
    );
    let ids = sim.server.fixtures().deletable.clone();
    sandbox.import_into("production", &ids);
    let listed = sandbox.run(&["list", "--json"]);
    assert_eq!(json_lines(&listed.stdout).len(), 4);
    for args in [
        &["delete", "--all", "--yes"][..],
        &["delete", "--all", "--dry-run"],
        &["delete", "--all", "--yes", "--confirm-name", "production"],
    ] {
        let run = sandbox.run(args);
        assert_eq!(code(&run), 2, "{args:?}: {}", stderr(&run));
        assert!(
            stderr(&run).contains("profile production is read-only"),
            "{}",
            stderr(&run)
        );
    }
    let stats = sim.server.stats();
    assert_eq!(stats.requests, 0, "{stats:?}");
    assert_eq!(sandbox.known_in("production").len(), 4);
}

/// Eight videos: two protected by ID, two by the rule `label:keep`, four not.
struct Protected {
    sim: Sim,
    sandbox: Sandbox,
    by_id: Vec<VideoId>,
    by_rule: Vec<VideoId>,
    free: Vec<VideoId>,
}

fn protected_setup() -> Protected {
    let sim = Sim::start(plain(8));
    let sandbox = sandbox(&sim, "protect = [\"label:keep\"]\n");
    let ids = sim.server.fixtures().deletable.clone();
    let (by_id, rest) = ids.split_at(2);
    let (by_rule, free) = rest.split_at(2);
    sandbox.import(by_id);
    sandbox.import(free);
    let keep = sandbox.cmd_run(&["import", "-", "--label", "keep"], by_rule);
    assert_eq!(code(&keep), 0, "{}", stderr(&keep));
    let protect = sandbox.run(&with_ids(&["protect"], &strings(by_id)));
    assert_eq!(code(&protect), 0, "{}", stderr(&protect));
    assert!(
        stdout(&protect).contains("protected 2"),
        "{}",
        stdout(&protect)
    );
    Protected {
        sim,
        sandbox,
        by_id: by_id.to_vec(),
        by_rule: by_rule.to_vec(),
        free: free.to_vec(),
    }
}

/// Runs `args` and checks: exit 1, every protected ID reported `protected`, the server
/// received no DELETE for any of them and deleted exactly `free`.
#[track_caller]
fn deletes_only_the_free_ones(p: &Protected, args: &[&str], stdin: Option<&[VideoId]>) {
    let run = match stdin {
        Some(ids) => p.sandbox.cmd_run(args, ids),
        None => p.sandbox.run(args),
    };
    assert_eq!(code(&run), 1, "{args:?}: {}", stderr(&run));
    let reported = outcomes(&json_lines(&run.stdout));
    for id in p.by_id.iter().chain(&p.by_rule) {
        assert_eq!(reported[id], "protected", "{id}");
    }
    for id in &p.free {
        assert_eq!(reported[id], "deleted", "{id}");
    }
    let stats = p.sim.server.stats();
    let sent: HashSet<String> = stats.delete_paths.iter().cloned().collect();
    for id in p.by_id.iter().chain(&p.by_rule) {
        assert!(!sent.contains(&format!("/v1/videos/{id}")), "{id} was sent");
    }
    assert_eq!(set(&stats.deleted), set(&p.free));
}

#[test]
fn protected_videos_are_never_sent_when_asked_by_id() {
    let p = protected_setup();
    let all: Vec<VideoId> = [&p.by_id[..], &p.by_rule, &p.free].concat();
    let ids = strings(&all);
    deletes_only_the_free_ones(&p, &with_ids(&["delete", "--yes", "--json"], &ids), None);
    let listed = json_lines(&p.sandbox.run(&["list", "--json"]).stdout);
    let protected: HashSet<String> = listed
        .iter()
        .filter(|line| line["protected"] == true)
        .map(|line| line["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(protected.len(), 4, "{listed:?}");
}

#[test]
fn protected_videos_are_never_sent_from_a_file_or_the_whole_list() {
    let p = protected_setup();
    let all: Vec<VideoId> = [&p.by_id[..], &p.by_rule, &p.free].concat();
    deletes_only_the_free_ones(
        &p,
        &["delete", "--from", "-", "--yes", "--json"],
        Some(&all),
    );
    let p = protected_setup();
    deletes_only_the_free_ones(&p, &["delete", "--all", "--yes", "--json"], None);
    assert_eq!(
        p.sandbox.known(),
        set(&[&p.by_id[..], &p.by_rule].concat()),
        "the protected videos stay in the list"
    );
}

#[test]
fn protected_videos_in_an_interrupted_batch_are_never_resumed() {
    let p = protected_setup();
    let all: Vec<VideoId> = [&p.by_id[..], &p.by_rule, &p.free].concat();
    let paths = Paths::in_dir(&p.sandbox.data_dir());
    // Queued before they were protected (the store's own queue leaves protected IDs out).
    let mut store = Store::open(&paths).unwrap();
    store.unprotect(&p.by_id).unwrap();
    store.enqueue(&all).unwrap();
    store.protect(&p.by_id).unwrap();
    assert_eq!(store.pending().unwrap(), all);
    deletes_only_the_free_ones(&p, &["delete", "--resume", "--yes", "--json"], None);
    assert!(
        store.pending().unwrap().is_empty(),
        "protected IDs leave the interrupted batch"
    );
}

#[test]
fn an_id_not_in_the_list_can_be_protected_and_unprotected() {
    let sim = Sim::start(plain(2));
    let sandbox = sandbox(&sim, "");
    let ids = strings(&sim.server.fixtures().deletable);
    sandbox.run(&["protect", &ids[0]]);
    let run = sandbox.run(&["delete", "--yes", &ids[0]]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    assert!(stdout(&run).contains("protected"), "{}", stdout(&run));
    assert_eq!(sim.server.stats().requests, 0);
    let unprotect = sandbox.run(&["unprotect", &ids[0], &ids[1]]);
    assert!(
        stdout(&unprotect).contains("unprotected 1, not protected by ID 1"),
        "{}",
        stdout(&unprotect)
    );
    let run = sandbox.run(&["delete", "--yes", &ids[0]]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(sim.server.stats().deleted.len(), 1);
    // From a file (here standard input), as `delete --from` reads one.
    let second = &sim.server.fixtures().deletable[1..];
    let protect = sandbox.cmd_run(&["protect", "--from", "-"], second);
    assert!(
        stdout(&protect).contains("protected 1"),
        "{}",
        stdout(&protect)
    );
    let run = sandbox.run(&["delete", "--yes", &ids[1]]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    assert_eq!(sim.server.stats().requests, 1);
}

#[test]
fn a_batch_over_the_limit_sends_nothing() {
    let sim = Sim::start(plain(4));
    let sandbox = sandbox(&sim, "max_delete = 3\n");
    let ids = sim.server.fixtures().deletable.clone();
    sandbox.import(&ids);
    let run = sandbox.run(&["delete", "--all", "--yes"]);
    assert_eq!(code(&run), 2, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("more than the limit of 3"),
        "{}",
        stderr(&run)
    );
    let run = sandbox.run(&["delete", "--all", "--yes", "--max-delete", "2"]);
    assert_eq!(code(&run), 2);
    let two = strings(&ids[..2]);
    let run = sandbox.run(&with_ids(&["delete", "--yes", "--max-delete", "1"], &two));
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("limit of 1"), "{}", stderr(&run));
    // The app's `--max-delete`, given before `delete`, was accepted and ignored.
    let run = sandbox.run(&with_ids(&["--max-delete", "1", "delete", "--yes"], &two));
    assert_eq!(code(&run), 2, "{}", stderr(&run));
    assert!(stderr(&run).contains("limit of 1"), "{}", stderr(&run));
    assert_eq!(sim.server.stats().requests, 0);
    // The flag cannot raise the profile's limit.
    let run = sandbox.run(&["delete", "--all", "--yes", "--max-delete", "9"]);
    assert_eq!(code(&run), 2);
    assert_eq!(sim.server.stats().requests, 0);
    // Protected videos are not counted: three are left to send.
    sandbox.run(&["protect", &ids[0].to_string()]);
    let run = sandbox.run(&["delete", "--all", "--yes"]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    assert_eq!(set(&sim.server.stats().deleted), set(&ids[1..]));
}

#[test]
fn a_profile_confirmed_by_name_sends_nothing_without_its_exact_name() {
    let sim = Sim::start(plain(2));
    let sandbox = sandbox(
        &sim,
        "[profiles.production]\nconfirm = \"name\"\napi_key_env = \"PROD_KEY\"\n",
    );
    let ids = sim.server.fixtures().deletable.clone();
    let profile = ["--profile", "production"];
    sandbox.import_into("production", &ids);
    let with_key = |args: &[&str]| sandbox.run_with_env(args, &[("PROD_KEY", KEY)]);
    for args in [
        &["delete", "--all", "--yes"][..],
        &["delete", "--all", "--yes", "--confirm-name", "Production"],
        &["delete", "--all", "--confirm-name", "staging"],
    ] {
        let run = with_key(&[&profile[..], args].concat());
        assert_eq!(code(&run), 2, "{args:?}: {}", stderr(&run));
    }
    assert_eq!(sim.server.stats().requests, 0);
    let run = with_key(
        &[
            &profile[..],
            &["delete", "--all", "--confirm-name", "production"],
        ]
        .concat(),
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(set(&sim.server.stats().deleted), set(&ids));
}

#[test]
fn two_profiles_keep_separate_lists_histories_and_keys() {
    let sim = Sim::start(plain(4));
    let sandbox = sandbox(
        &sim,
        "default_profile = \"staging\"\n\
         [profiles.staging]\napi_key_env = \"STAGING_KEY\"\n\
         [profiles.production]\napi_key_env = \"PROD_KEY\"\n",
    );
    let ids = sim.server.fixtures().deletable.clone();
    let (staging, production) = ids.split_at(2);
    let env = [("STAGING_KEY", KEY), ("PROD_KEY", "sk-not-this-one")];
    sandbox.import(staging);
    sandbox.import_into("production", production);
    assert_eq!(sandbox.known_in("staging"), set(staging));
    assert_eq!(sandbox.known_in("production"), set(production));
    assert!(
        sandbox.known().is_empty(),
        "the top level's list is its own"
    );
    // ELYTRON_PROFILE picks one, and --profile beats it.
    let picked = |args: &[&str]| {
        let run = sandbox.run_with_env(args, &[("ELYTRON_PROFILE", "production")]);
        assert_eq!(code(&run), 0, "{}", stderr(&run));
        let listed: HashSet<VideoId> = json_lines(&run.stdout)
            .iter()
            .map(|line| line["id"].as_str().unwrap().parse().unwrap())
            .collect();
        listed
    };
    assert_eq!(picked(&["list", "--json"]), set(production));
    assert_eq!(
        picked(&["--profile", "staging", "list", "--json"]),
        set(staging)
    );
    // Protecting a staging ID on production protects nothing on staging.
    let protect = sandbox.run(&[
        "--profile",
        "production",
        "protect",
        &staging[0].to_string(),
    ]);
    assert_eq!(code(&protect), 0, "{}", stderr(&protect));
    let production_store = Paths::in_dir(&sandbox.data_dir()).for_profile("production");
    assert_eq!(
        Store::open(&production_store).unwrap().protected().unwrap(),
        [staging[0]].into_iter().collect(),
        "protected on production only"
    );
    assert!(
        Store::open(&Paths::in_dir(&sandbox.data_dir()).for_profile("staging"))
            .unwrap()
            .protected()
            .unwrap()
            .is_empty()
    );

    let run = sandbox.run_with_env(&["delete", "--all", "--yes"], &env);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(set(&sim.server.stats().deleted), set(staging));
    assert!(sandbox.known_in("staging").is_empty());
    assert_eq!(sandbox.known_in("production"), set(production), "untouched");
    let history = sandbox.run_with_env(&["--profile", "production", "history", "--json"], &env);
    assert!(
        json_lines(&history.stdout).is_empty(),
        "production deleted nothing"
    );
    // Production's own key is wrong: the key exported for staging never reaches it.
    let run = sandbox.run_with_env(
        &["--profile", "production", "delete", "--all", "--yes"],
        &env,
    );
    assert_eq!(code(&run), 3, "{}", stderr(&run));
    assert_eq!(set(&sim.server.stats().deleted), set(staging));
}

#[test]
fn profiles_lists_each_one_and_never_a_key() {
    let sim = Sim::start(plain(1));
    let sandbox = sandbox(
        &sim,
        "base_url = \"https://api.elytron.com/v1\"\nmax_delete = 100\n\
         default_profile = \"production\"\n\
         [profiles.staging]\nbase_url = \"https://sandbox-api.elytron.com/v1\"\n\
         api_key_env = \"STAGING_KEY\"\n\
         [profiles.production]\napi_key_command = \"echo sk-from-command\"\nread_only = true\n\
         confirm = \"name\"\nmax_delete = 500\nprotect = [\"label:keep\", \"title:final\"]\n",
    );
    let out = sandbox.run_without_base_url(&["profiles"], &[("STAGING_KEY", "sk-staging-SECRET")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("SECRET") && !text.contains(KEY), "{text}");
    let line = |name: &str| {
        text.lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_owned()
    };
    let default = line("default ");
    assert!(
        default.contains("api.elytron.com") && default.contains("env ELYTRON_API_KEY"),
        "{default}"
    );
    assert!(default.contains("100"), "{default}");
    let staging = line("staging");
    assert!(
        staging.contains("sandbox-api.elytron.com") && staging.contains("env STAGING_KEY"),
        "{staging}"
    );
    let production = line("production *");
    for word in [
        "command `echo sk-from-command`",
        "yes",
        "500",
        "name",
        "label:keep, title:final",
    ] {
        assert!(production.contains(word), "{word}: {production}");
    }
}

#[test]
fn doctor_says_where_things_are_and_exits_1_on_a_problem() {
    let sim = Sim::start(plain(1));
    let sandbox = sandbox(&sim, "[profiles.production]\napi_key_env = \"PROD_KEY\"\n");
    let ok = sandbox.run_with_env(
        &["--profile", "production", "doctor"],
        &[("PROD_KEY", "sk-doctor-SECRET")],
    );
    let text = stdout(&ok);
    assert_eq!(code(&ok), 0, "{text}");
    for word in [
        "config",
        "profile    production (from --profile)",
        "env PROD_KEY: found",
        "profiles/production",
        "log",
        "ok: nothing wrong found",
    ] {
        assert!(text.contains(word), "{word}: {text}");
    }
    assert!(!text.contains("SECRET"), "{text}");

    let missing = sandbox.run(&["--profile", "production", "doctor"]);
    assert_eq!(code(&missing), 1, "{}", stdout(&missing));
    assert!(
        stdout(&missing).contains("problem: no API key for profile production"),
        "{}",
        stdout(&missing)
    );

    let shared = sim.sandbox();
    std::fs::write(shared.config_file(), "api_key = \"sk-shared-SECRET\"\n").unwrap();
    set_mode(&shared.config_file(), 0o640);
    let run = shared.run(&["doctor"]);
    assert_eq!(code(&run), 1, "{}", stdout(&run));
    assert!(
        stdout(&run).contains("other users can read it"),
        "{}",
        stdout(&run)
    );
    assert!(!stdout(&run).contains("SECRET") && !stderr(&run).contains("SECRET"));

    let unreadable = sim.sandbox();
    std::fs::remove_file(unreadable.config_file()).unwrap();
    std::fs::create_dir(unreadable.config_file()).unwrap();
    let run = unreadable.run(&["doctor"]);
    assert_eq!(code(&run), 1, "{}", stdout(&run));
    assert!(stdout(&run).contains("problem:"), "{}", stdout(&run));
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn man_prints_a_man_page_naming_the_commands() {
    let sandbox = Sandbox::new().at("http://127.0.0.1:9/v1").with_key(KEY);
    let run = sandbox.run(&["man"]);
    assert_eq!(code(&run), 0);
    let page = stdout(&run);
    assert!(page.contains(".TH elytron-tui 1"), "{page}");
    // roff writes every hyphen escaped.
    for word in [
        "delete",
        "protect",
        "profiles",
        "doctor",
        r"\-\-profile",
        r"\-\-max\-delete",
    ] {
        assert!(page.contains(word), "{word}");
    }
}

#[test]
fn bad_rails_in_the_config_are_errors_naming_the_line() {
    let sim = Sim::start(plain(1));
    for (config, line, what) in [
        (
            "[profiles.a]\nprotect = [\"label:ok\", \"label:\"]\n",
            2,
            "protect rule",
        ),
        (
            "[profiles.a]\nconfirm = \"yes\"\n",
            2,
            "the one value is \"name\"",
        ),
        ("default_profile = \"nope\"\n", 1, "no [profiles.nope]"),
        ("[profiles.default]\n", 1, "top-level settings"),
        ("[profiles.\"a b\"]\n", 1, "profile name"),
        (
            "[profiles.a]\napi_key_env = \"X\"\napi_key_command = \"y\"\n",
            0,
            "[profiles.a]: set one of",
        ),
    ] {
        let sandbox = sandbox(&sim, config);
        let run = sandbox.run(&["list"]);
        assert_eq!(code(&run), 2, "{config}: {}", stderr(&run));
        let text = stderr(&run);
        if line > 0 {
            assert!(
                text.contains(&format!("config.toml:{line}:")),
                "{config}: {text}"
            );
        }
        assert!(text.contains(what), "{config}: {text}");
    }
    let sandbox = sandbox(&sim, "");
    let run = sandbox.run(&["--profile", "nope", "list"]);
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("no profile `nope`"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_missing_key_names_the_profile_and_where_it_looks() {
    let sim = Sim::start(plain(1));
    let sandbox = sandbox(&sim, "[profiles.production]\napi_key_env = \"PROD_KEY\"\n");
    let id = sim.server.fixtures().deletable[0].to_string();
    // ELYTRON_API_KEY is set, but a profile naming its own variable never takes it.
    let run = sandbox.run(&["--profile", "production", "delete", "--yes", &id]);
    assert_eq!(code(&run), 2, "{}", stderr(&run));
    let text = stderr(&run);
    assert!(
        text.contains(
            "no API key (profile production, key source: env PROD_KEY (not set)): set PROD_KEY"
        ),
        "{text}"
    );
    assert_eq!(sim.server.stats().requests, 0);
}

#[test]
fn protected_ids_are_reported_only_once_the_batch_is_confirmed() {
    let p = protected_setup();
    let all: Vec<VideoId> = [&p.by_id[..], &p.free].concat();
    let ids = strings(&all);
    // Not on a terminal and no --yes: refused, so nothing is reported, protected or not.
    let run = p.sandbox.run(&with_ids(&["delete", "--json"], &ids));
    assert_eq!(code(&run), 2, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("2 protected video(s) left out"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        stdout(&run),
        "",
        "nothing on stdout for a batch not confirmed"
    );
    assert_eq!(p.sim.server.stats().requests, 0);
    // Only protected IDs asked: nothing to confirm, each reported at once.
    let run = p
        .sandbox
        .run(&with_ids(&["delete", "--json"], &strings(&p.by_id)));
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    let reported = outcomes(&json_lines(&run.stdout));
    assert_eq!(reported.len(), 2, "{}", stdout(&run));
    assert!(reported.values().all(|outcome| outcome == "protected"));
    assert_eq!(p.sim.server.stats().requests, 0);
}

/// Six videos imported from a CSV with titles: 0 and 3 final cuts, the rest drafts; 0 to 3
/// labelled `old`.
fn titled_setup(config: &str) -> (Sim, Sandbox, Vec<VideoId>) {
    let sim = Sim::start(plain(6));
    let sandbox = sandbox(&sim, config);
    let ids = sim.server.fixtures().deletable.clone();
    let titles = ["The final cut", "draft 1", "draft 2", "Final showcase"];
    let csv_of = |ids: &[VideoId], titles: &[&str]| {
        let rows: String = ids
            .iter()
            .zip(titles)
            .map(|(id, title)| format!("{id},{title}\n"))
            .collect();
        let path = sandbox
            .config_file()
            .with_file_name(format!("{}.csv", ids[0]));
        std::fs::write(&path, format!("video_id,title\n{rows}")).unwrap();
        path.display().to_string()
    };
    let old = csv_of(&ids[..4], &titles);
    let new = csv_of(&ids[4..], &["draft 3", "draft 4"]);
    for args in [&["import", &old, "--label", "old"][..], &["import", &new]] {
        let run = sandbox.run(args);
        assert_eq!(code(&run), 0, "{args:?}: {}", stderr(&run));
    }
    (sim, sandbox, ids)
}

#[test]
fn delete_query_goes_through_the_rails_too() {
    let (sim, sandbox, ids) = titled_setup("protect = [\"title:final\"]\nmax_delete = 3\n");
    // Four drafts: over the limit, refused whole.
    let run = sandbox.run(&["delete", "--query", "title:draft", "--yes"]);
    assert_eq!(code(&run), 2, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("more than the limit of 3"),
        "{}",
        stderr(&run)
    );
    // The two final cuts: both protected by the title rule, nothing to send.
    let run = sandbox.run(&["delete", "--query", "title:final", "--yes", "--json"]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 2, "{}", stdout(&run));
    for line in &lines {
        assert_eq!(line["outcome"], "protected");
        assert_eq!(line["message"], "protected: title:final");
    }
    assert_eq!(sim.server.stats().requests, 0);

    // Read-only, and confirming by name: refused before anything is sent.
    std::fs::write(sandbox.config_file(), "read_only = true\n").unwrap();
    let run = sandbox.run(&["delete", "--query", "label:old", "--yes"]);
    assert_eq!(code(&run), 2, "{}", stderr(&run));
    std::fs::write(
        sandbox.config_file(),
        "confirm = \"name\"\nprotect = [\"title:final\"]\n",
    )
    .unwrap();
    for args in [
        &["delete", "--query", "label:old", "--yes"][..],
        &[
            "delete",
            "--query",
            "label:old",
            "--confirm-name",
            "production",
        ],
    ] {
        let run = sandbox.run(args);
        assert_eq!(code(&run), 2, "{args:?}: {}", stderr(&run));
    }
    assert_eq!(sim.server.stats().requests, 0);

    // `old` picks two final cuts and two drafts: only the drafts reach the server.
    let run = sandbox.run(&[
        "delete",
        "--query",
        "label:old",
        "--confirm-name",
        "default",
        "--json",
    ]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    let reported = outcomes(&json_lines(&run.stdout));
    assert_eq!(reported[&ids[0]], "protected");
    assert_eq!(reported[&ids[3]], "protected");
    let stats = sim.server.stats();
    assert_eq!(set(&stats.deleted), set(&ids[1..3]));
    assert_eq!(stats.delete_paths.len(), 2, "{:?}", stats.delete_paths);
}

/// Issue 17: `--config` (or `ELYTRON_TUI_CONFIG`) naming a file that is not there was read
/// as an empty config, so the profile's rails did not apply and the DELETE went out.
#[test]
fn a_config_file_named_but_not_there_stops_every_command() {
    let sim = Sim::start(plain(2));
    let sandbox = sandbox(&sim, "read_only = true\n");
    let ids = sim.deletable().to_vec();
    sandbox.import(&ids);
    let typo = sandbox.config_file().with_file_name("confg.toml");
    let id = ids[0].to_string();
    let commands: [&[&str]; 10] = [
        &["delete", "--yes", &id],
        &["delete", "--all", "--yes"],
        &["import", "-"],
        &["list"],
        &["forget", &id],
        &["history"],
        &["protect", &id],
        &["profiles"],
        // The app: it stops before it needs a terminal.
        &[],
        &["--profile", "default"],
    ];
    let run = |args: &[&str], named: &str| {
        let mut cmd = sandbox.bare_command();
        cmd.args(["--data-dir".as_ref(), sandbox.data_dir().as_os_str()])
            .args(["--base-url", &sim.server.base_url()])
            .stdin(std::process::Stdio::null());
        if named == "--config" {
            cmd.arg("--config").arg(&typo);
        } else {
            cmd.env("ELYTRON_TUI_CONFIG", &typo);
        }
        cmd.args(args).output().expect("run elytron-tui")
    };
    for named in ["--config", "ELYTRON_TUI_CONFIG"] {
        for args in commands {
            let out = run(args, named);
            assert_eq!(code(&out), 2, "{args:?} with {named}: {}", stderr(&out));
            let want = format!("{}: no such config file (named by {named})", typo.display());
            assert!(stderr(&out).contains(&want), "{args:?}: {}", stderr(&out));
        }
        // doctor reports it as the problem it is, as it does any config it cannot use.
        let out = run(&["doctor"], named);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("problem: ")
                && String::from_utf8_lossy(&out.stdout).contains("no such config file"),
            "{out:?}"
        );
    }
    assert_eq!(sim.stats().requests, 0);
    assert!(!typo.exists(), "nothing created it");
    assert_eq!(sandbox.run(&["list", "--ids"]).stdout.len(), 2 * 37);
}
