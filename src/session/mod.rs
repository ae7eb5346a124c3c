//! `Session`: what one run of any command works with, built in one place from `config.toml`
//! and the command line (the profile, its data paths and rails, the client's and the engine's
//! settings), and what they run on (the async runtime). The app's own start-up (log file,
//! list loader, persistence, `--demo`) lives beside it. Nothing here decides what to delete,
//! parses arguments or picks an exit code: that is the TUI's confirmed flow and `cli`'s job.

mod app;
mod demo;
mod disk_persistence;
mod list_loader;
mod log_file;

use std::path::Path;
use std::time::Duration;

use crate::api::{ApiKey, ClientConfig, ClientError, ElytronClient};
use crate::config::{Config, ConfigError, KeyCommand, KeyLookup, Profile};
use crate::engine::{EngineConfig, Rate};
use crate::rails::{self, Rails};
use crate::store::{Paths, Store, StoreError};
use crate::tui::{ColumnOrder, Keymap, Palette};

pub use app::run_app;
pub use demo::run_demo;

/// The settings one run works with, whatever starts it (the app, `delete`, the demo).
#[derive(Debug)]
pub struct Session {
    /// The profile's files: the data folder is its own (`Paths::for_profile`), except for the
    /// top-level settings, whose data stays where it always was.
    pub paths: Paths,
    /// The config file as read (the key is only read from it on demand: `api_key`).
    pub config: Config,
    /// The profile this run uses.
    pub profile: Profile,
    /// Its rails, `--max-delete` applied; the protected IDs are read by `rails`.
    pub rails: rails::Settings,
    pub client: ClientConfig,
    pub engine: EngineConfig,
    /// The app's keys: the defaults with the config's `[keys]` applied.
    pub keymap: Keymap,
    /// The app's colours: `[theme]`, read.
    pub palette: Palette,
    /// The app's table columns: the profile's `columns`, read.
    pub columns: ColumnOrder,
}

/// What a command line sets over the config file for one run; `None` leaves the file's
/// value (or the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct Overrides<'a> {
    /// `--base-url` / `ELYTRON_BASE_URL`.
    pub base_url: Option<&'a str>,
    /// `delete --concurrency`.
    pub concurrency: Option<usize>,
    /// `delete --max-rate`: with the profile's `max_rate`, the lower one holds.
    pub max_rate: Option<Rate>,
    /// `delete --wait-processing`.
    pub wait_processing: Option<Duration>,
    /// `--profile` / `ELYTRON_PROFILE`.
    pub profile: Option<&'a str>,
    /// `--max-delete`: it can lower the profile's `max_delete`, never raise it.
    pub max_delete: Option<usize>,
    /// How the config file was named (`--config`, `ELYTRON_TUI_CONFIG`), when it was: such
    /// a file must exist (a typo must not drop the profile's rails); only the default
    /// location may be absent.
    pub config_named_by: Option<&'a str>,
}

/// Why a run could not start or went wrong outside the work itself. Messages never hold the
/// API key.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The base URL cannot be used.
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("the terminal failed: {0}")]
    Terminal(std::io::Error),
    /// There is no terminal to run the app in (checked before anything starts).
    #[error(
        "no terminal to run the app in: {0}; run it in a terminal, or use the commands \
         (elytron-tui --help)"
    )]
    NoTerminal(String),
    /// The demo's own folder or server.
    #[error("{0}")]
    Demo(String),
}

impl Session {
    /// Reads `config.toml` (a missing file at the default location means every default;
    /// one named by `--config` must exist), picks the profile and
    /// applies `overrides`. A `[keys]` or `[theme]` entry the app refuses is a config error
    /// naming its line, for every command that reads the config, so no command accepts a
    /// file the app would refuse.
    pub fn load(paths: &Paths, overrides: Overrides<'_>) -> Result<Self, SessionError> {
        let config = match overrides.config_named_by {
            Some(by) => Config::load_named(&paths.config_file, by)?,
            None => Config::load(&paths.config_file)?,
        };
        let keymap = Keymap::with_bindings(&config.keys)
            .map_err(|refused| refused.in_config(&paths.config_file, "[keys]"))?;
        let palette = Palette::read(&config.theme)
            .map_err(|refused| refused.in_config(&paths.config_file, "[theme]"))?;
        let profile = config.profile(overrides.profile)?.clone();
        // Every profile's, so no command accepts a list the app would refuse on another.
        for other in config.profiles() {
            table_columns(other, &paths.config_file)?;
        }
        let columns = table_columns(&profile, &paths.config_file)?;
        let paths = match profile.table_name() {
            Some(name) => paths.for_profile(name),
            None => paths.clone(),
        };
        let mut rails = profile.rails.clone();
        rails.profile = Some(profile.name().to_owned());
        if let Some(flag) = overrides.max_delete {
            rails.max_delete = Some(rails.max_delete.map_or(flag, |max| max.min(flag)));
        }
        let client = ClientConfig {
            base_url: profile.base_url(overrides.base_url).to_owned(),
            timeout: config.request_timeout,
            connect_timeout: config.connect_timeout,
        };
        let defaults = EngineConfig::default();
        let engine = EngineConfig {
            max_concurrency: overrides
                .concurrency
                .or(config.concurrency)
                .unwrap_or(defaults.max_concurrency),
            wait_processing: overrides
                .wait_processing
                .or(profile.wait_processing())
                .filter(|wait| !wait.is_zero()),
            max_wait: config.max_wait,
            max_rate: stricter(overrides.max_rate, profile.max_rate),
            ..defaults
        };
        Ok(Self {
            paths,
            config,
            profile,
            rails,
            client,
            engine,
            keymap,
            palette,
            columns,
        })
    }

    /// Where the profile's key is (see `Profile::key_lookup_with_env` for the order of its
    /// sources): the app runs an `api_key_command` off its screen's thread.
    pub fn key_lookup(&self) -> Result<KeyLookup, SessionError> {
        Ok(self.profile.key_lookup()?)
    }

    /// The profile's key, for a command: an `api_key_command` is run here, and
    /// `still_waiting` told once it has taken more than a second.
    pub fn api_key(
        &self,
        still_waiting: impl FnOnce(&KeyCommand),
    ) -> Result<Option<ApiKey>, SessionError> {
        match self.key_lookup()? {
            KeyLookup::Found(key) => Ok(key),
            KeyLookup::Command(command) => Ok(Some(command.run_waiting(still_waiting)?)),
        }
    }

    /// The profile's name as the app's header and every confirmation show it (`default` for a
    /// config that defines no profiles, the demo's too).
    pub fn shown_profile(&self) -> &str {
        self.profile.name()
    }

    /// The rails, with the IDs protected on this profile (read from its store now).
    pub fn rails(&self, store: &Store) -> Result<Rails, SessionError> {
        Ok(Rails::new(self.rails.clone(), store.protected()?))
    }

    /// The HTTP client; fails on a base URL it cannot use.
    pub fn client(&self) -> Result<ElytronClient, SessionError> {
        Ok(ElytronClient::new(&self.client)?)
    }

    /// The runtime every async part runs on (the engine, the app's loop, the simulated
    /// server): two workers, enough for a few hundred requests in flight.
    pub fn runtime() -> Result<tokio::runtime::Runtime, SessionError> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(SessionError::Runtime)
    }
}

/// The lower of two caps, if either is set: a flag can tighten the profile's, never loosen it.
fn stricter(a: Option<Rate>, b: Option<Rate>) -> Option<Rate> {
    match (a, b) {
        (Some(a), Some(b)) if b.per_second() < a.per_second() => Some(b),
        (Some(a), _) => Some(a),
        (None, b) => b,
    }
}

/// The app's table columns as `profile` chooses them; a list the table cannot show is a
/// config error naming its line.
fn table_columns(profile: &Profile, config_file: &Path) -> Result<ColumnOrder, ConfigError> {
    let Some(chosen) = &profile.columns else {
        return Ok(ColumnOrder::default());
    };
    ColumnOrder::read(&chosen.names, chosen.line)
        .map_err(|refused| refused.in_config(config_file, "columns"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_beats_the_file_which_beats_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let session = Session::load(&paths, Overrides::default()).unwrap();
        assert_eq!(session.engine, EngineConfig::default());
        assert_eq!(session.client.base_url, crate::config::DEFAULT_BASE_URL);
        std::fs::write(
            &paths.config_file,
            "concurrency = 8\nbase_url = \"http://127.0.0.1:9/v1\"\nrequest_timeout_seconds = 5\n",
        )
        .unwrap();
        let session = Session::load(&paths, Overrides::default()).unwrap();
        assert_eq!(session.engine.max_concurrency, 8);
        assert_eq!(session.client.base_url, "http://127.0.0.1:9/v1");
        assert_eq!(session.client.timeout, Duration::from_secs(5));
        assert_eq!(
            session.shown_profile(),
            "default",
            "the header always names the profile, a config without profiles too"
        );
        assert_eq!(
            session.paths.data_dir, paths.data_dir,
            "its data where it was"
        );
        let session = Session::load(
            &paths,
            Overrides {
                base_url: Some("http://127.0.0.1:10/v1"),
                concurrency: Some(2),
                wait_processing: Some(Duration::from_secs(60)),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(session.engine.max_concurrency, 2);
        assert_eq!(
            session.engine.wait_processing,
            Some(Duration::from_secs(60))
        );
        assert_eq!(session.client.base_url, "http://127.0.0.1:10/v1");
    }

    const PROFILES: &str = "base_url = \"http://127.0.0.1:9/v1\"\nmax_delete = 50\n\
        default_profile = \"staging\"\n\
        [profiles.staging]\nbase_url = \"http://127.0.0.1:11/v1\"\n\
        [profiles.production]\nbase_url = \"http://127.0.0.1:12/v1\"\nmax_delete = 500\n";

    #[test]
    fn a_profile_is_picked_with_its_own_data_folder_and_limit() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        std::fs::write(&paths.config_file, PROFILES).unwrap();
        let session = Session::load(&paths, Overrides::default()).unwrap();
        assert_eq!(session.shown_profile(), "staging");
        assert_eq!(session.client.base_url, "http://127.0.0.1:11/v1");
        assert_eq!(session.paths.data_dir, dir.path().join("profiles/staging"));
        assert_eq!(session.rails.max_delete, Some(50), "the top level's");
        let pick = |profile, max_delete| {
            Session::load(
                &paths,
                Overrides {
                    profile: Some(profile),
                    max_delete,
                    ..Overrides::default()
                },
            )
            .unwrap()
        };
        let production = pick("production", Some(900));
        assert_eq!(
            production.rails.max_delete,
            Some(500),
            "the flag never raises it"
        );
        assert_eq!(pick("production", Some(20)).rails.max_delete, Some(20));
        let top = pick("default", None);
        assert_eq!(top.paths.data_dir, dir.path());
        assert_eq!(top.client.base_url, "http://127.0.0.1:9/v1");
        assert_eq!(top.shown_profile(), "default");
        let err = Session::load(
            &paths,
            Overrides {
                profile: Some("nope"),
                ..Overrides::default()
            },
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("no profile `nope`")
                && err.to_string().contains("default, staging, production"),
            "{err}"
        );
    }

    #[test]
    fn max_rate_is_inherited_by_profiles_and_a_flag_only_lowers_it() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        std::fs::write(
            &paths.config_file,
            "max_rate = 5\n[profiles.quiet]\n[profiles.slow]\nmax_rate = 0.5\n",
        )
        .unwrap();
        let cap = |profile: &str, flag: Option<&str>| {
            let session = Session::load(
                &paths,
                Overrides {
                    profile: Some(profile),
                    max_rate: flag.map(|flag| flag.parse().unwrap()),
                    ..Overrides::default()
                },
            )
            .unwrap();
            session.engine.max_rate.map(Rate::per_second)
        };
        assert_eq!(cap("default", None), Some(5.0));
        assert_eq!(cap("quiet", None), Some(5.0), "inherited");
        assert_eq!(cap("slow", None), Some(0.5), "its own");
        assert_eq!(cap("quiet", Some("2")), Some(2.0), "the flag lowers it");
        assert_eq!(cap("slow", Some("10")), Some(0.5), "never raises it");
    }

    #[test]
    fn wait_processing_seconds_is_per_profile_and_the_flag_wins() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let config = "wait_processing_seconds = 120\n\
            [profiles.quick]\n\
            [profiles.never]\nwait_processing_seconds = 0\n";
        std::fs::write(&paths.config_file, config).unwrap();
        let wait = |profile, flag: Option<u64>| {
            Session::load(
                &paths,
                Overrides {
                    profile: Some(profile),
                    wait_processing: flag.map(Duration::from_secs),
                    ..Overrides::default()
                },
            )
            .unwrap()
            .engine
            .wait_processing
        };
        let minutes = |secs| Some(Duration::from_secs(secs));
        assert_eq!(wait("default", None), minutes(120));
        assert_eq!(wait("quick", None), minutes(120), "the top level's");
        assert_eq!(wait("never", None), None, "0: not at all");
        assert_eq!(wait("never", Some(30)), minutes(30), "the flag wins");
        assert_eq!(wait("default", Some(0)), None);
    }
}
