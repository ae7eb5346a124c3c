//! Reads the profile's list on a thread of its own and hands it to the TUI a chunk at a time,
//! so the first screen shows at once however long the list is (a million videos take most
//! of a second to read); the rows are indexed by ID on that thread too. Then it follows the
//! store for as long as the app runs, handing over what other processes change (`Watcher`):
//! about twice a second it asks whether anything did, which costs nothing when nothing did.

use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::api::VideoId;
use crate::store::IdIndex;
use crate::store::{Labels, Paths, SendLock, StoreError, Watcher};
use crate::tui::{CHUNK, Msg, Rows};

/// The thread reading the list; ask it afterwards why the list could not be read.
pub struct ListLoader {
    thread: JoinHandle<Result<(), StoreError>>,
}

/// Starts reading `paths`' list into `tx`, then follows the store until the app is gone.
/// The batch an earlier run left queued comes with the end of the list, when its rows can
/// be marked.
pub fn spawn(paths: Paths, tx: UnboundedSender<Msg>) -> ListLoader {
    let thread = std::thread::spawn(move || match load(&paths, &mut |msg| _ = tx.send(msg)) {
        Ok(watcher) => {
            follow(watcher, &tx);
            Ok(())
        }
        Err(err) => {
            _ = tx.send(Msg::ListFailed);
            Err(err)
        }
    });
    ListLoader { thread }
}

/// How often the store is asked whether another process changed it.
const POLL: Duration = Duration::from_millis(500);

/// Hands the app what changes in the store, until the app is gone. A failure to read is
/// said once, and ends the following (the rows stay as they were).
fn follow(mut watcher: Watcher, tx: &UnboundedSender<Msg>) {
    let mut labels = Labels::default();
    while !tx.is_closed() {
        std::thread::sleep(POLL);
        match watcher.poll(|row| row.to_known(&mut labels)) {
            Ok(None) => {}
            Ok(Some(changes)) => _ = tx.send(Msg::ListChanged(changes)),
            Err(err) => {
                tracing::warn!("could not follow the store: {err}");
                _ = tx.send(Msg::EffectFailed(format!(
                    "Could not follow changes other processes make to the list: {err}"
                )));
                return;
            }
        }
    }
}

/// Reads the list into `send`; returns what follows the store from there on.
/// Reads the list into `send`; returns what follows the store from there on.
fn load(paths: &Paths, send: &mut dyn FnMut(Msg)) -> Result<Watcher, StoreError> {
    let mut watcher = Watcher::open(paths)?;
    // Indexed here, a chunk at a time after it is sent, so neither the first screen nor the
    // UI thread waits for a million IDs to be indexed.
    let mut ids: Vec<VideoId> = Vec::new();
    let mut index = IdIndex::default();
    let mut chunk = Rows::default();
    let mut hand_over = |chunk: Rows, ids: &mut Vec<VideoId>| {
        let first = ids.len();
        ids.extend(chunk.iter().map(|row| row.id));
        send(Msg::ListChunk(chunk));
        for row in first..ids.len() {
            index.insert(&ids[..], row as u32);
        }
    };
    let loaded = watcher.load(|row| {
        chunk.push(row);
        if chunk.len() == CHUNK {
            hand_over(std::mem::take(&mut chunk), &mut ids);
        }
    })?;
    if !chunk.is_empty() {
        hand_over(chunk, &mut ids);
    }
    // A batch another process is sending right now is its own, not one left interrupted.
    let pending = match SendLock::held_elsewhere(paths)? {
        None => loaded.pending,
        Some(holder) => {
            tracing::info!(
                "another elytron-tui ({holder:?}) is sending {} queued ID(s): no resume offered",
                loaded.pending.len()
            );
            Vec::new()
        }
    };
    send(Msg::ListLoaded { index, pending });
    Ok(watcher)
}

impl ListLoader {
    /// Why the list could not be read, once the thread is done; `None` when it read the list
    /// or is still reading (the user quit first: nothing waits for it).
    pub fn failure(self) -> Option<StoreError> {
        if !self.thread.is_finished() {
            return None;
        }
        match self.thread.join() {
            Ok(result) => result.err(),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Details, Store};
    use crate::tui::{App, Settings, update};

    fn messages(paths: &Paths) -> Vec<Msg> {
        let mut msgs = Vec::new();
        _ = load(paths, &mut |msg| msgs.push(msg)).unwrap();
        msgs
    }

    #[test]
    fn the_rows_arrive_in_chunks_indexed_with_the_interrupted_batch_last() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let ids: Vec<VideoId> = (1..=CHUNK as u128 + 300)
            .map(|n| VideoId::from_uuid(uuid::Uuid::from_u128(n << 64 | n)))
            .collect();
        let mut store = Store::open(&paths).unwrap();
        store
            .add(&ids, &Details::default(), None, jiff::Timestamp::UNIX_EPOCH)
            .unwrap();
        store.enqueue(&ids[7..9]).unwrap();
        let msgs = messages(&paths);
        assert!(msgs.len() > 2, "the list comes in more than one chunk");
        assert!(
            matches!(msgs.last(), Some(Msg::ListLoaded { pending, .. }) if pending == &ids[7..9])
        );
        let mut app = App::awaiting_list(Settings::default(), jiff::Timestamp::UNIX_EPOCH);
        for msg in msgs {
            update(&mut app, msg);
        }
        assert_eq!(app.loading(), None);
        for (row, id) in ids.iter().enumerate() {
            assert_eq!(app.row_of(id), Some(row as u32));
        }
    }

    #[test]
    fn no_list_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            messages(&Paths::in_dir(dir.path())),
            [Msg::ListLoaded {
                index: IdIndex::default(),
                pending: Vec::new()
            }]
        );
    }
}
