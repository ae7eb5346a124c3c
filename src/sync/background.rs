//! A sync on a task of its own, for the app: its own connection to the store (the app's
//! list follows what it merges, as it follows any other process), and what happens told as
//! owned `SyncNews`, so the UI thread never waits for a page.

use tokio::task::JoinHandle;

use tokio::sync::mpsc::UnboundedSender;

use super::{Paced, Retries, SyncAsk, SyncEnd, SyncEvent, run};
use crate::account::WalkProgress;
use crate::engine::Command;
use crate::store::{Paths, Store};

/// What a sync running in the background says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncNews {
    /// A page was merged.
    Progress(WalkProgress),
    /// A page is asked again after a wait: why, and for how long.
    Waiting(String),
    /// It ended; `Err` when the store failed.
    Ended(Result<SyncEnd, String>),
}

/// Starts an incremental sync of the account into the profile's store at `paths`, its pages
/// sent by the engine behind `commands`, telling `tell` how it goes; its last word is
/// `SyncNews::Ended`.
pub fn spawn(
    paths: Paths,
    commands: UnboundedSender<Command>,
    retries: Retries,
    tell: impl Fn(SyncNews) + Send + Sync + 'static,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut sender = Paced::new(commands);
        let ended = match Store::open(&paths) {
            Ok(mut store) => {
                let on = |event: SyncEvent<'_>| match event {
                    SyncEvent::Merged { progress, .. } => tell(SyncNews::Progress(progress)),
                    SyncEvent::Waiting { wait, reason } => tell(SyncNews::Waiting(format!(
                        "waiting {}s: {reason}",
                        wait.as_secs_f64().ceil().max(1.0)
                    ))),
                    // The footer says it with every wait that follows.
                    SyncEvent::Unreachable { .. } => {}
                };
                run(&mut store, &mut sender, retries, SyncAsk::default(), on)
                    .await
                    .map_err(|err| err.to_string())
            }
            Err(err) => Err(err.to_string()),
        };
        tell(SyncNews::Ended(ended));
    })
}
