//! `--demo`: the app on the simulated Elytron server, in-process on loopback, with a
//! throwaway data folder seeded from the server's fixtures and the demo key. It never reads
//! or writes the user's real list or config.

use jiff::Timestamp;

use super::app::{run_tui, start_log};
use super::{Overrides, Session, SessionError};
use crate::api::{ApiKey, VideoId};
use crate::sim::{DEMO_KEY, Fixtures, SimServer, demo_config};
use crate::store::{Paths, Store};

/// Labels that make the demo list read like a real account's.
const READY_LABELS: [&str; 5] = [
    "ad variant",
    "storyboard test",
    "draft render",
    "intro take",
    "b-roll",
];

/// The demo's folder holds no config file, so the session has every default but the base
/// URL, and the key is the demo server's whatever `ELYTRON_API_KEY` says.
pub fn run_demo() -> Result<(), SessionError> {
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
        let mut store = Store::open(&paths)?;
        seed_known_list(&mut store, server.fixtures());
        store.save()?;
        drop(store);
        let key = ApiKey::new(DEMO_KEY).map_err(|err| SessionError::Demo(err.to_string()))?;
        let base_url = server.base_url();
        let overrides = Overrides {
            base_url: Some(&base_url),
            ..Overrides::default()
        };
        let ran = match Session::load(&paths, overrides) {
            Ok(session) => run_tui(session, Some(key)).await,
            Err(err) => Err(err),
        };
        server.shutdown().await.map_err(|err| {
            SessionError::Demo(format!("the simulated server did not stop cleanly: {err}"))
        })?;
        ran
    })
}

/// Every fixture ID, interleaved so the kinds are spread through the list, labelled so a
/// newcomer can guess what each will answer.
fn seed_known_list(store: &mut Store, fixtures: &Fixtures) {
    let now = Timestamp::now();
    let videos = store.videos_mut();
    let mut add = |ids: &[VideoId], label: &str| {
        videos.add(ids, Some(label), now);
    };
    let mut others = fixtures
        .processing
        .iter()
        .map(|id| (*id, "still rendering"))
        .chain(
            fixtures
                .other_account
                .iter()
                .map(|id| (*id, "teammate's video")),
        )
        .chain(fixtures.unknown.iter().map(|id| (*id, "old export")));
    for (n, id) in fixtures.deletable.iter().enumerate() {
        add(&[*id], READY_LABELS[n % READY_LABELS.len()]);
        if n % 6 == 5
            && let Some((other, label)) = others.next()
        {
            add(&[other], label);
        }
    }
    for (id, label) in others {
        add(&[id], label);
    }
}
