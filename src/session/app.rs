//! Starting the app on a `Session`: the profile's store (opened, and so checked, before
//! anything else is written, the log file included), the list loader, the engine behind the
//! delete pipeline and the disk behind the TUI's other effects; then the terminal goes to
//! `tui::run`. Nothing here decides what to delete; that is the TUI's confirmed flow.

use jiff::Timestamp;
use tokio::sync::mpsc::unbounded_channel;

use super::disk_persistence::{DiskPersistence, SyncSetup};
use super::{Session, SessionError, list_loader, log_file};
use crate::api::ElytronClient;
use crate::config::KeyLookup;
use crate::engine;
use crate::pipeline::Pipeline;
use crate::printable::out::say;
use crate::store::{Paths, Recorder, Store};
use crate::sync::{Retries, SyncNews};
use crate::tui::{self, App, Msg, Persistence, Settings};

/// `elytron-tui` with no subcommand: the user's own list, config and key.
pub fn run_app(session: Session) -> Result<(), SessionError> {
    tui::check_terminal().map_err(SessionError::NoTerminal)?;
    let key = session.key_lookup()?;
    // A data folder no command can use is refused before the log file is made in it.
    let store = Store::open(&session.paths)?;
    let _log = start_log(&session.paths);
    Session::runtime()?.block_on(run_tui(session, store, key, false))
}

/// The log file, or a warning on stderr (before the TUI takes the screen) saying why not.
pub(super) fn start_log(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    log_file::install(&paths.log_file())
        .inspect_err(|why| say!("warning: running without a log file: {why}"))
        .ok()
}

/// Runs the TUI on `store` (the profile's, open) until the user quits; outcomes are recorded
/// by the pipeline as they arrive. The list is read while the first screen shows; a list
/// that cannot be read ends the session with the same error the commands give. A key to be
/// fetched by `api_key_command` is fetched meanwhile too: the screen draws and answers keys
/// while the command runs. `demo`: on `--demo`'s simulated server (the header says so),
/// starting with a sync of its account.
pub(super) async fn run_tui(
    session: Session,
    store: Store,
    key: KeyLookup,
    demo: bool,
) -> Result<(), SessionError> {
    let rails = session.rails(&store)?;
    // Reading starts before the client is built: that loads the system's root certificates,
    // which takes longer than reading the first screenful of a million-video list.
    let (to_app, from_background) = unbounded_channel();
    let loader = list_loader::spawn(session.paths.clone(), to_app.clone());
    let client = ElytronClient::new(&session.client)?;
    let recorder = Recorder::open(&session.paths, Some(client.host().to_owned()))?
        .with_pace_of(client.base_url());
    let (key, fetching) = match key {
        KeyLookup::Found(key) => (key, None),
        KeyLookup::Command(command) => (None, Some(command)),
    };
    let settings = Settings {
        confirm_threshold: session.config.confirm_threshold,
        grace: session.config.grace,
        account_host: client.host().to_owned(),
        profile: Some(session.shown_profile().to_owned()),
        rails,
        key_configured: key.is_some(),
        max_rate: session.engine.max_rate,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty()),
        keymap: session.keymap,
        palette: session.palette,
        demo,
        mouse: session.config.mouse,
        columns: session.columns,
        wait_processing: session.engine.wait_processing,
    };
    let mut app = App::awaiting_list(settings, Timestamp::now());
    let retries = Retries {
        policy: session.engine.retry_policy(),
        give_up_after: session.config.give_up_after,
    };
    let key_set = key.is_some();
    let waits = session.engine.wait_processing.is_some();
    // The pace the last batch found this server to allow is where this session starts.
    let seed = recorder.kept_pace();
    let (commands, events) = engine::spawn_seeded(client, key, session.engine, seed);
    // A sync's pages go through the same engine as the deletes: one key, one allowance.
    let sync = SyncSetup {
        paths: session.paths.clone(),
        commands: commands.clone(),
        retries,
        key_set,
        tell: to_app.clone(),
    };
    if let Some(command) = fetching {
        app.waiting_for_key(command.to_string());
        // Quitting first drops the task, and with it the command (`kill_on_drop`).
        tokio::spawn(async move {
            let fetched = command.run().await.map_err(|err| err.to_string());
            if let Err(err) = &fetched {
                tracing::warn!("{err}");
            }
            // The app may have quit meanwhile: nobody is left to tell.
            let _ = to_app.send(Msg::KeyFetched(fetched));
        });
    }
    if let Some(migrated) = store.migrated() {
        for line in &migrated.skipped {
            tracing::warn!("{line}");
        }
        tracing::info!("{migrated}");
        app.set_notice(format!("Once: {migrated}."));
    }
    let (pipeline, news) = Pipeline::spawn(recorder, None, commands, events, waits);
    let mut persistence = DiskPersistence::new(
        store,
        session.paths.config_file,
        session.profile.table_name().map(str::to_owned),
        Some(sync),
    );
    if demo && app.start_sync() {
        app.set_notice("The list starts empty: syncing the account.");
        if let Err(err) = persistence.start_sync() {
            app.sync_news(SyncNews::Ended(Err(format!("it could not start: {err}"))));
        }
    }
    let ran = tui::run(app, from_background, news, pipeline, &mut persistence).await;
    if let Some(err) = loader.failure() {
        return Err(err.into());
    }
    ran.map_err(SessionError::Terminal)
}
