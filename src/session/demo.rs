//! `--demo`: the app on the simulated Elytron server, in-process on loopback, with a
//! throwaway data folder seeded from the server's fixtures and the demo key. It never reads
//! or writes the user's real list or config.

use jiff::Timestamp;

use super::{CliError, Exit, GlobalArgs, Session, run_session, runtime, start_log};
use crate::api::{ApiKey, ClientConfig, VideoId};
use crate::engine::EngineConfig;
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

pub fn run_demo(global: &GlobalArgs) -> Result<Exit, CliError> {
    if global.data_dir.is_some() || global.base_url.is_some() {
        eprintln!(
            "note: --demo uses its own data folder and server; --data-dir and --base-url are ignored"
        );
    }
    let folder = tempfile::Builder::new()
        .prefix("elytron-tui-demo-")
        .tempdir()
        .map_err(|err| CliError::Usage(format!("cannot create the demo's data folder: {err}")))?;
    let paths = Paths::in_dir(folder.path());
    let _log = start_log(&paths);
    runtime()?.block_on(async {
        let server = SimServer::start(demo_config())
            .await
            .map_err(|err| CliError::Usage(format!("cannot start the simulated server: {err}")))?;
        let mut store = Store::open(&paths)?;
        seed_known_list(&mut store, server.fixtures());
        store.save()?;
        drop(store);
        let key = ApiKey::new(DEMO_KEY).map_err(|err| CliError::Usage(err.to_string()))?;
        let session = Session {
            paths,
            key: Some(key),
            client: ClientConfig {
                base_url: server.base_url(),
                ..ClientConfig::default()
            },
            engine: EngineConfig::default(),
            confirm_threshold: 100,
            grace: std::time::Duration::from_secs(3),
        };
        let exit = run_session(session).await;
        server.shutdown().await.map_err(|err| {
            CliError::Usage(format!("the simulated server did not stop cleanly: {err}"))
        })?;
        exit
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
