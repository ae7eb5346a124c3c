//! `--demo`: the app on the simulated Elytron server, in-process on loopback, with a
//! throwaway data folder and the demo key. The list starts empty and the app syncs the demo
//! account at once, so a newcomer sees the account listed first. It never reads or writes
//! the user's real list or config.

use super::app::{run_tui, start_log};
use super::{Overrides, Session, SessionError};
use crate::api::ApiKey;
use crate::config::KeyLookup;
use crate::sim::{DEMO_KEY, SimServer, demo_config};
use crate::store::{Paths, Store};

/// The demo's folder holds no config file, so the session has every default but the base
/// URL (and `--max-delete`, a rail the demo honours as the app does), and the key is the
/// demo server's whatever `ELYTRON_API_KEY` says.
pub fn run_demo(max_delete: Option<usize>) -> Result<(), SessionError> {
    crate::tui::check_terminal().map_err(SessionError::NoTerminal)?;
    let folder = tempfile::Builder::new()
        .prefix("elytron-tui-demo-")
        .tempdir()
        .map_err(|err| {
            SessionError::Demo(format!("cannot create the demo's data folder: {err}"))
        })?;
    let paths = Paths::in_dir(folder.path());
    let _log = start_log(&paths);
    Session::runtime()?.block_on(async {
        let server = SimServer::start(demo_config()).await.map_err(|err| {
            SessionError::Demo(format!("cannot start the simulated server: {err}"))
        })?;
        let store = Store::open(&paths)?;
        let key = ApiKey::new(DEMO_KEY).map_err(|err| SessionError::Demo(err.to_string()))?;
        let base_url = server.base_url();
        let overrides = Overrides {
            base_url: Some(&base_url),
            max_delete,
            ..Overrides::default()
        };
        let ran = match Session::load(&paths, overrides) {
            Ok(session) => run_tui(session, store, KeyLookup::Found(Some(key)), true).await,
            Err(err) => Err(err),
        };
        server.shutdown().await.map_err(|err| {
            SessionError::Demo(format!("the simulated server did not stop cleanly: {err}"))
        })?;
        ran
    })
}
