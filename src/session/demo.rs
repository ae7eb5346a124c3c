//! `--demo`: the app on the simulated Elytron server, in-process on loopback, with a
//! throwaway data folder seeded from the server's fixtures and the demo key. It never reads
//! or writes the user's real list or config.

use jiff::{SignedDuration, Timestamp};

use super::app::{run_tui, start_log};
use super::{Overrides, Session, SessionError};
use crate::api::{ApiKey, VideoId};
use crate::config::KeyLookup;
use crate::sim::{DEMO_KEY, Fixtures, SimServer, demo_config};
use crate::store::{Details, Paths, Store, VideoDetails};

/// Labels that make the demo list read like a real account's.
const READY_LABELS: [&str; 5] = [
    "ad variant",
    "storyboard test",
    "draft render",
    "intro take",
    "b-roll",
];

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
        let mut store = Store::open(&paths)?;
        seed_known_list(&mut store, server.fixtures())?;
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

/// Prompts the demo's videos were "generated" from, as an account's export would title them.
const PROMPTS: [&str; 8] = [
    "a fox running through fresh snow at dawn",
    "product shot of a red sneaker, 360 spin",
    "city timelapse, night to morning",
    "drone shot over a rocky coastline",
    "logo reveal in gold particles",
    "final cut: spring campaign hero",
    "cat chasing a laser pointer, slow motion",
    "rain on a window, cozy lo-fi loop",
];

/// Every fixture ID, interleaved so the kinds are spread through the list, labelled so a
/// newcomer can guess what each will answer, and titled with a creation time as a structured
/// export gives them (ages from a day to four months, the ones still rendering hours old),
/// so the TITLE and CREATED columns and queries like `age>30d` have something to show. The
/// unknown IDs stay bare, as IDs pasted from elsewhere are.
fn seed_known_list(store: &mut Store, fixtures: &Fixtures) -> Result<(), SessionError> {
    let now = Timestamp::now();
    let mut add = |id: VideoId, label: &str, n: usize, days_old: Option<i64>| {
        let mut details = Details::default();
        if let Some(days) = days_old {
            let hours = days * 24 + (n as i64 * 7) % 24;
            let created_at = now.checked_sub(SignedDuration::from_hours(hours)).ok();
            let title = PROMPTS[n % PROMPTS.len()].into();
            details.fill(0, &VideoDetails::titled(Some(title), created_at));
        }
        store.add(&[id], &details, Some(label), now).map(drop)
    };
    // Spread over 1 to 120 days, not in list order, so a sort by age reorders the list.
    let age = |n: usize| Some(1 + (n as i64 * 37) % 120);
    let mut others = fixtures
        .processing
        .iter()
        .map(|id| (*id, "still rendering", Some(0)))
        .chain(
            fixtures
                .other_account
                .iter()
                .map(|id| (*id, "teammate's video", Some(45))),
        )
        .chain(fixtures.unknown.iter().map(|id| (*id, "old export", None)));
    for (n, id) in fixtures.deletable.iter().enumerate() {
        add(*id, READY_LABELS[n % READY_LABELS.len()], n, age(n))?;
        if n % 6 == 5
            && let Some((other, label, days)) = others.next()
        {
            add(other, label, n + 3, days)?;
        }
    }
    for (n, (id, label, days)) in others.enumerate() {
        add(id, label, n, days)?;
    }
    Ok(())
}
