//! Reads the profile's list on a thread of its own and hands it to the TUI a chunk at a time,
//! so the first screen shows at once however long the list is (a million videos take most
//! of a second to read). The rows are indexed by ID on that thread too.

use std::thread::JoinHandle;

use tokio::sync::mpsc::UnboundedSender;

use crate::api::VideoId;
use crate::store::{KnownVideo, Labels, Paths, StoreError, Watcher};
use crate::tui::{Msg, RowIndex};

/// The thread reading the list; ask it afterwards why the list could not be read.
pub struct ListLoader {
    thread: JoinHandle<Result<(), StoreError>>,
}

/// Starts reading `paths`' list into `tx`. The batch an earlier run left queued comes with
/// the end of the list, when its rows can be marked.
pub fn spawn(paths: Paths, tx: UnboundedSender<Msg>) -> ListLoader {
    let thread = std::thread::spawn(move || {
        let result = load(&paths, &mut |msg| _ = tx.send(msg));
        if result.is_err() {
            _ = tx.send(Msg::ListFailed);
        }
        result
    });
    ListLoader { thread }
}

/// Rows per chunk: the first is a screenful, then they grow to this many.
const FIRST_CHUNK: usize = 256;
const MAX_CHUNK: usize = 65_536;

fn load(paths: &Paths, send: &mut dyn FnMut(Msg)) -> Result<(), StoreError> {
    let mut watcher = Watcher::open(paths)?;
    // Indexed here, a chunk at a time after it is sent, so neither the first screen nor the
    // UI thread waits for a million IDs to be indexed.
    let mut ids: Vec<VideoId> = Vec::new();
    let mut index = RowIndex::default();
    let mut labels = Labels::default();
    let mut chunk: Vec<KnownVideo> = Vec::with_capacity(FIRST_CHUNK);
    let mut hand_over = |chunk: Vec<KnownVideo>, ids: &mut Vec<VideoId>| {
        let first = ids.len();
        ids.extend(chunk.iter().map(|video| video.id));
        send(Msg::ListChunk(chunk));
        for row in first..ids.len() {
            index.insert(&ids[..], row as u32);
        }
    };
    let loaded = watcher.load(|row| {
        chunk.push(row.to_known(&mut labels));
        if chunk.len() == chunk.capacity() {
            let next = (chunk.len() * 4).min(MAX_CHUNK);
            hand_over(
                std::mem::replace(&mut chunk, Vec::with_capacity(next)),
                &mut ids,
            );
        }
    })?;
    if !chunk.is_empty() {
        hand_over(chunk, &mut ids);
    }
    send(Msg::ListLoaded {
        index,
        pending: loaded.pending,
    });
    Ok(())
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
    use crate::store::{IdMap, Store};
    use crate::tui::{App, Settings, update};

    fn messages(paths: &Paths) -> Vec<Msg> {
        let mut msgs = Vec::new();
        load(paths, &mut |msg| msgs.push(msg)).unwrap();
        msgs
    }

    #[test]
    fn the_rows_arrive_in_chunks_indexed_with_the_interrupted_batch_last() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let ids: Vec<VideoId> = (1..=300u128)
            .map(|n| VideoId::from_uuid(uuid::Uuid::from_u128(n << 64 | n)))
            .collect();
        let mut store = Store::open(&paths).unwrap();
        store
            .add(&ids, &IdMap::default(), None, jiff::Timestamp::UNIX_EPOCH)
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
                index: RowIndex::default(),
                pending: Vec::new()
            }]
        );
    }
}
