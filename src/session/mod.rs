//! `Session`: what one run of the app or of `delete` works with, built in one place from
//! `config.toml` and the command line (the data paths, the client's and the engine's
//! settings), and what they run on (the async runtime). The app's own start-up (log file,
//! list loader, persistence, `--demo`) lives beside it. Nothing here decides what to delete,
//! parses arguments or picks an exit code: that is the TUI's confirmed flow and `cli`'s job.

mod app;
mod demo;
mod disk_persistence;
mod list_loader;
mod log_file;

use std::time::Duration;

use crate::api::{ApiKey, ClientConfig, ClientError, ElytronClient};
use crate::config::{Config, ConfigError};
use crate::engine::EngineConfig;
use crate::store::{Paths, StoreError};
use crate::tui::Keymap;

pub use app::run_app;
pub use demo::run_demo;

/// The settings one run works with, whatever starts it (the app, `delete`, the demo).
#[derive(Debug)]
pub struct Session {
    pub paths: Paths,
    /// The config file as read (the key is only read from it on demand: `api_key`).
    pub config: Config,
    pub client: ClientConfig,
    pub engine: EngineConfig,
    /// The app's keys: the defaults with the config's `[keys]` applied.
    pub keymap: Keymap,
}

/// What a command line sets over the config file for one run; `None` leaves the file's
/// value (or the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct Overrides<'a> {
    /// `--base-url` / `ELYTRON_BASE_URL`.
    pub base_url: Option<&'a str>,
    /// `delete --concurrency`.
    pub concurrency: Option<usize>,
    /// `delete --wait-processing`.
    pub wait_processing: Option<Duration>,
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
    /// The demo's own folder or server.
    #[error("{0}")]
    Demo(String),
}

impl Session {
    /// Reads `config.toml` (a missing file means every default) and applies `overrides`.
    /// A `[keys]` entry the keymap refuses is a config error naming its line, for every
    /// command that reads the config, so no command accepts a file the app would refuse.
    pub fn load(paths: &Paths, overrides: Overrides<'_>) -> Result<Self, SessionError> {
        let config = Config::load(&paths.config_file)?;
        let keymap = Keymap::with_bindings(&config.keys).map_err(|err| ConfigError::Keys {
            path: paths.config_file.clone(),
            line: err.line,
            reason: err.reason,
        })?;
        let client = ClientConfig {
            base_url: config.base_url(overrides.base_url).to_owned(),
            timeout: config.request_timeout,
            connect_timeout: config.connect_timeout,
        };
        let defaults = EngineConfig::default();
        let engine = EngineConfig {
            max_concurrency: overrides
                .concurrency
                .or(config.concurrency)
                .unwrap_or(defaults.max_concurrency),
            wait_processing: overrides.wait_processing,
            max_wait: config.max_wait,
            ..defaults
        };
        Ok(Self {
            paths: paths.clone(),
            config,
            client,
            engine,
            keymap,
        })
    }

    /// The key: `ELYTRON_API_KEY`, then the config's `api_key` / `api_key_command`.
    pub fn api_key(&self) -> Result<Option<ApiKey>, SessionError> {
        Ok(self.config.api_key()?)
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
        let session = Session::load(
            &paths,
            Overrides {
                base_url: Some("http://127.0.0.1:10/v1"),
                concurrency: Some(2),
                wait_processing: Some(Duration::from_secs(60)),
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
}
