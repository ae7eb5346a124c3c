//! The interactive app (no subcommand) and `--demo`: sets up what the TUI needs (log file,
//! config, store, key, client, engine) and hands the terminal to `tui::run`. Nothing here
//! decides what to delete; that is the TUI's confirmed flow.

mod demo;
mod disk_persistence;
mod list_loader;
mod log_file;

use std::time::Duration;

use jiff::Timestamp;

use crate::api::{ApiKey, ClientConfig, ClientError, ElytronClient};
use crate::cli::{CliError, Exit, GlobalArgs};
use crate::config::Config;
use crate::engine::{self, EngineConfig};
use crate::store::{DataDir, OutcomeJournal, Paths};
use crate::tui::{self, App, Settings};

pub use demo::run_demo;
use disk_persistence::DiskPersistence;

/// Everything a TUI session runs with, whatever the source (the user's config or the demo).
struct Session {
    paths: Paths,
    key: Option<ApiKey>,
    client: ClientConfig,
    engine: EngineConfig,
    confirm_threshold: usize,
    grace: Duration,
}

/// `elytron-tui` with no subcommand: the user's own list, config and key.
pub fn run(paths: &Paths, global: &GlobalArgs) -> Result<Exit, CliError> {
    let config = Config::load(&paths.config_file)?;
    let key = config.api_key()?;
    let session = Session {
        paths: paths.clone(),
        key,
        client: ClientConfig {
            base_url: config.base_url(global.base_url.as_deref()).to_owned(),
            timeout: config.request_timeout,
            connect_timeout: config.connect_timeout,
        },
        engine: EngineConfig {
            max_concurrency: config
                .concurrency
                .unwrap_or(EngineConfig::default().max_concurrency),
            max_wait: config.max_wait,
            ..EngineConfig::default()
        },
        confirm_threshold: config.confirm_threshold,
        grace: config.grace,
    };
    let _log = start_log(paths);
    runtime()?.block_on(run_session(session))
}

/// The log file, or a warning on stderr (before the TUI takes the screen) saying why not.
fn start_log(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    log_file::install(&paths.log_file())
        .inspect_err(|why| eprintln!("warning: running without a log file: {why}"))
        .ok()
}

pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
}

/// Runs the TUI until the user quits; outcomes are saved as they arrive and flushed on exit.
/// The list is read while the first screen shows; a list that cannot be read ends the
/// session with the same error the commands give.
async fn run_session(session: Session) -> Result<Exit, CliError> {
    let dir = DataDir::open(&session.paths)?;
    let usage = |err: ClientError| CliError::Usage(err.to_string());
    let journal = OutcomeJournal::open(dir.paths(), Some(session.client.host().map_err(usage)?))?;
    // Reading starts before the client is built: that loads the system's root certificates,
    // which takes longer than reading the first screenful of a million-video list. The
    // journal has read the interrupted batch, if any; the loader hands it on with the list.
    let (loader, list) = list_loader::spawn(dir.paths().clone(), journal.pending().to_vec());
    let client = ElytronClient::new(&session.client).map_err(usage)?;
    let settings = Settings {
        confirm_threshold: session.confirm_threshold,
        grace: session.grace,
        account_host: client.host().to_owned(),
        key_set: session.key.is_some(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty()),
    };
    let mut app = App::loading(settings, Timestamp::now());
    if let Some(torn) = dir.torn_journal_line() {
        tracing::warn!("{torn}");
        app.notice = Some(format!(
            "history.jsonl:{}: not a whole record (an earlier run was cut short writing it):              skipped, and kept in the file.",
            torn.line
        ));
    }
    let (commands, events) = engine::spawn(client, session.key, session.engine);
    let config_file = session.paths.config_file.clone();
    let mut persistence = DiskPersistence::new(dir, journal, config_file);
    let ran = tui::run(app, list, commands, events, &mut persistence).await;
    if let Some(err) = loader.failure() {
        return Err(err.into());
    }
    ran.map_err(CliError::Terminal)?;
    Ok(Exit::Success)
}
