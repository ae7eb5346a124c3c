//! `config.toml`: defaults, key precedence, the permission refusal, saving a key, and that the
//! key never shows in `Debug` or in any error.

use std::fs;
use std::path::{Path, PathBuf};

use elytron_tui::api::ApiKey;
use elytron_tui::config::{Config, ConfigError, DEFAULT_BASE_URL, save_api_key};

const SECRET: &str = "sk-live-SECRET-1234";

fn write_config(dir: &Path, text: &str, mode: u32) -> PathBuf {
    let path = dir.join("config.toml");
    fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
    path
}

fn key(config: &Config, env: Option<&str>) -> Option<String> {
    let key = config
        .profile(None)
        .unwrap()
        .api_key_with_env(env.map(str::to_owned))
        .unwrap();
    key.map(|key| key.expose().to_owned())
}

#[test]
fn a_missing_file_means_defaults_and_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::load(&dir.path().join("config.toml")).unwrap();
    assert_eq!(config.confirm_threshold, 100);
    assert_eq!(config.grace.as_secs(), 3);
    assert_eq!(config.max_wait.as_secs(), 300);
    assert_eq!(config.give_up_after.as_secs(), 120);
    assert_eq!(
        config.profile(None).unwrap().base_url(None),
        DEFAULT_BASE_URL
    );
    assert_eq!(key(&config, None), None);
}

#[test]
fn settings_are_read_and_the_flag_beats_the_file_for_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let text = "base_url = \"http://127.0.0.1:9\"\nconcurrency = 4\nrequest_timeout_seconds = 5\n\
                connect_timeout_seconds = 2\nconfirm_threshold = 10\ngrace_seconds = 0\n\
                max_wait_seconds = 30\ngive_up_after_seconds = 9\n";
    let config = Config::load(&write_config(dir.path(), text, 0o644)).unwrap();
    assert_eq!(config.concurrency, Some(4));
    assert_eq!(config.request_timeout.as_secs(), 5);
    assert_eq!(config.connect_timeout.as_secs(), 2);
    assert_eq!(config.confirm_threshold, 10);
    assert_eq!(config.grace.as_secs(), 0);
    assert_eq!(config.max_wait.as_secs(), 30);
    assert_eq!(config.give_up_after.as_secs(), 9);
    assert_eq!(
        config.profile(None).unwrap().base_url(None),
        "http://127.0.0.1:9"
    );
    assert_eq!(
        config.profile(None).unwrap().base_url(Some("http://flag")),
        "http://flag"
    );
}

#[test]
fn the_environment_beats_the_file_which_beats_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &format!("api_key = \"{SECRET}\"\n"), 0o600);
    let config = Config::load(&path).unwrap();
    assert_eq!(key(&config, None).as_deref(), Some(SECRET));
    assert_eq!(key(&config, Some("env-key")).as_deref(), Some("env-key"));
    assert_eq!(
        key(&config, Some("  ")).as_deref(),
        Some(SECRET),
        "a blank variable is unset"
    );
}

#[cfg(unix)]
#[test]
fn a_key_command_supplies_the_key_and_its_failure_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "api_key_command = \"echo cmd-key\"\n", 0o644);
    assert_eq!(
        key(&Config::load(&path).unwrap(), None).as_deref(),
        Some("cmd-key")
    );

    let path = write_config(
        dir.path(),
        "api_key_command = \"echo l0cked | tr 0 o >&2; exit 3\"\n",
        0o644,
    );
    let err = Config::load(&path)
        .unwrap()
        .profile(None)
        .unwrap()
        .api_key_with_env(None)
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, ConfigError::KeyCommand { .. }), "{err:?}");
    // What it printed may hold a secret: only its status is said.
    assert!(
        !message.contains("locked") && message.contains("exit status: 3"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn a_key_readable_by_others_is_refused_with_the_chmod_fix() {
    let dir = tempfile::tempdir().unwrap();
    for mode in [0o644, 0o640, 0o604] {
        let path = write_config(dir.path(), &format!("api_key = \"{SECRET}\"\n"), mode);
        let err = Config::load(&path).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(&format!("chmod 600 {}", path.display())),
            "{message}"
        );
        assert!(!message.contains(SECRET));
    }
}

#[test]
fn both_key_sources_at_once_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("api_key = \"{SECRET}\"\napi_key_command = \"pass x\"\n");
    let err = Config::load(&write_config(dir.path(), &text, 0o600)).unwrap_err();
    assert!(matches!(err, ConfigError::TwoKeySources { .. }), "{err:?}");
}

#[test]
fn bad_toml_names_file_line_and_column_without_quoting_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("concurrency = 2\napi_key = {SECRET}\n");
    let path = write_config(dir.path(), &text, 0o600);
    let message = Config::load(&path).unwrap_err().to_string();
    assert!(
        message.starts_with(&format!("{}:2:", path.display())),
        "{message}"
    );
    assert!(!message.contains("SECRET"), "{message}");

    let path = write_config(dir.path(), "concurrency = 2\ncolour = \"red\"\n", 0o600);
    let message = Config::load(&path).unwrap_err().to_string();
    assert!(
        message.contains(":2:") && message.contains("colour"),
        "{message}"
    );
}

#[test]
fn the_key_never_shows_in_debug() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &format!("api_key = \"{SECRET}\"\n"), 0o600);
    let config = Config::load(&path).unwrap();
    assert!(!format!("{config:?}").contains("SECRET"));
}

#[test]
fn a_saved_key_is_private_keeps_other_settings_and_replaces_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "concurrency = 3\napi_key_command = \"pass x\"\n",
        0o644,
    );
    save_api_key(&path, None, &ApiKey::new(SECRET).unwrap()).unwrap();
    let config = Config::load(&path).unwrap();
    assert_eq!(config.concurrency, Some(3));
    assert_eq!(key(&config, None).as_deref(), Some(SECRET));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let fresh = dir.path().join("new/dir/config.toml");
    save_api_key(&fresh, None, &ApiKey::new("k2").unwrap()).unwrap();
    assert_eq!(
        key(&Config::load(&fresh).unwrap(), None).as_deref(),
        Some("k2")
    );
}

/// A hand-written file: comments above, beside and below settings, odd spacing, a blank line.
const COMMENTED: &str = "# my settings\n\
base_url = \"http://127.0.0.1:9/v1\"   # the staging box\n\
\n\
# from the password store, for now\n\
api_key_command = \"pass show elytron\"  # was slow\n\
concurrency   =   4\n\
# end\n";

#[test]
fn saving_a_key_keeps_comments_order_and_other_settings_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), COMMENTED, 0o600);
    save_api_key(&path, None, &ApiKey::new(SECRET).unwrap()).unwrap();
    let expected = format!(
        "# my settings\n\
         base_url = \"http://127.0.0.1:9/v1\"   # the staging box\n\
         \n\
         # from the password store, for now\n\
         api_key = \"{SECRET}\"\n\
         concurrency   =   4\n\
         # end\n"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    let config = Config::load(&path).unwrap();
    assert_eq!(key(&config, None).as_deref(), Some(SECRET));
    assert_eq!(config.concurrency, Some(4));

    // Saving again replaces the value in place, keeping that line's own comment.
    let text = expected.replace(
        &format!("api_key = \"{SECRET}\"\n"),
        "api_key = \"old\"  # rotated monthly\n",
    );
    fs::write(&path, &text).unwrap();
    save_api_key(&path, None, &ApiKey::new("k2").unwrap()).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text.replace("\"old\"", "\"k2\"")
    );

    // With neither key line, the key is added after the settings, the rest untouched.
    let text = "# mine\nconcurrency = 4 # low\n";
    fs::write(&path, text).unwrap();
    save_api_key(&path, None, &ApiKey::new("k3").unwrap()).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("{text}api_key = \"k3\"\n")
    );
}

#[test]
fn an_unparsable_file_is_reported_with_its_position_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# mine\nconcurrency = 4\nbase_url = \"http://unclosed\n";
    let path = write_config(dir.path(), text, 0o644);
    let err = save_api_key(&path, None, &ApiKey::new(SECRET).unwrap()).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, ConfigError::Invalid { line: 3, .. }),
        "{err:?}"
    );
    assert!(
        message.starts_with(&format!("{}:3:", path.display())),
        "{message}"
    );
    assert!(!message.contains(SECRET), "{message}");
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644,
            "not rewritten"
        );
    }
}

#[test]
fn keys_are_read_as_written_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "grace_seconds = 0\n\n[keys]\nmark = [\n  \"Space\",\n  \"m\",\n]\ndelete = [\"D\"]\n";
    let config = Config::load(&write_config(dir.path(), text, 0o644)).unwrap();
    let keys: Vec<_> = config
        .keys
        .iter()
        .map(|b| (b.action.as_str(), b.line, b.keys.clone()))
        .collect();
    assert_eq!(
        keys,
        [
            ("mark", 4, vec![("Space".into(), 5), ("m".into(), 6)]),
            ("delete", 8, vec![("D".into(), 8)]),
        ]
    );
    let err = Config::load(&write_config(dir.path(), "[keys]\ndelete = \"D\"\n", 0o644));
    assert!(
        matches!(err, Err(ConfigError::Invalid { line: 2, .. })),
        "a single key is still a list: {err:?}"
    );
}

#[test]
fn the_example_config_is_valid() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/config.example.toml");
    let config = Config::load(&example).unwrap();
    assert_eq!(config.confirm_threshold, 100);
    let production = config.profile(Some("production")).unwrap();
    assert!(production.rails.read_only && production.rails.confirm_by_name);
    assert_eq!(production.rails.max_delete, Some(500));
    let rules: Vec<&str> = production.rails.rules.iter().map(|r| r.text()).collect();
    assert_eq!(rules, ["label:keep", "title:final"]);
    let columns = production.columns.as_ref().unwrap();
    assert!(elytron_tui::tui::ColumnOrder::read(&columns.names, columns.line).is_ok());
    assert_eq!(config.profile(None).unwrap().name(), "default");
}

#[test]
fn a_named_profile_takes_its_own_key_before_elytron_api_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "api_key = \"{SECRET}\"\n\
         [profiles.inline]\napi_key = \"sk-inline\"\n\
         [profiles.bare]\nbase_url = \"http://127.0.0.1:9/v1\"\n\
         [profiles.command]\napi_key_command = \"echo sk-command\"\n"
    );
    let config = Config::load(&write_config(dir.path(), &text, 0o600)).unwrap();
    let key = |profile: &str, env: Option<&str>| {
        config
            .profile(Some(profile))
            .unwrap()
            .api_key_with_env(env.map(str::to_owned))
            .unwrap()
            .map(|key| key.expose().to_owned())
    };
    // The top level as always: the environment first.
    assert_eq!(key("default", Some("sk-env")).as_deref(), Some("sk-env"));
    assert_eq!(key("default", None).as_deref(), Some(SECRET));
    // A named profile: its own source first, the environment only when it names none.
    assert_eq!(key("inline", Some("sk-env")).as_deref(), Some("sk-inline"));
    assert_eq!(
        key("command", Some("sk-env")).as_deref(),
        Some("sk-command")
    );
    assert_eq!(key("bare", Some("sk-env")).as_deref(), Some("sk-env"));
    assert_eq!(key("bare", None), None);
    assert_eq!(
        config.profile(Some("bare")).unwrap().base_url(None),
        "http://127.0.0.1:9/v1"
    );
    assert_eq!(
        config.profile(Some("inline")).unwrap().base_url(None),
        DEFAULT_BASE_URL,
        "never the top level's"
    );
    assert!(!format!("{config:?}").contains("sk-inline"));
}

#[test]
fn a_profile_with_a_key_in_a_shared_file_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[profiles.p]\napi_key = \"sk-shared\"\n";
    let err = Config::load(&write_config(dir.path(), text, 0o644)).unwrap_err();
    assert!(
        matches!(err, ConfigError::KeyReadableByOthers { .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("sk-shared"));
}

#[test]
fn a_key_saved_for_a_profile_goes_in_its_table_in_place_of_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let text = "api_key_command = \"pass top\"\n\n\
                [profiles.prod]\n# from the shell\napi_key_env = \"PROD_KEY\"\nmax_delete = 5\n";
    let path = write_config(dir.path(), text, 0o600);
    save_api_key(&path, Some("prod"), &ApiKey::new(SECRET).unwrap()).unwrap();
    let expected = format!(
        "api_key_command = \"pass top\"\n\n\
         [profiles.prod]\n# from the shell\napi_key = \"{SECRET}\"\nmax_delete = 5\n"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    let config = Config::load(&path).unwrap();
    let prod = config.profile(Some("prod")).unwrap();
    assert_eq!(
        prod.api_key_with_env(None).unwrap().unwrap().expose(),
        SECRET
    );
    assert!(save_api_key(&path, Some("nope"), &ApiKey::new(SECRET).unwrap()).is_err());
}
