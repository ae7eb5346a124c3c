//! Reads the saved list on a thread of its own and hands it to the TUI a chunk at a time,
//! so the first screen shows at once however long the list is (a million videos take most
//! of a second to parse). Checks what loading a `Store` checks: damage, version, repeated
//! IDs; then catches up with the journal.

use std::thread::JoinHandle;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use crate::store::{Paths, StoreError, load_pending, missed_results, stream_known};
use crate::tui::Msg;

/// The thread reading the list; ask it afterwards why the list could not be read.
pub struct ListLoader {
    thread: JoinHandle<Result<(), StoreError>>,
}

/// Starts reading `paths`' list. The batch an earlier run left queued comes with the end of
/// the list, when its rows can be marked.
pub fn spawn(paths: Paths) -> (ListLoader, UnboundedReceiver<Msg>) {
    let (tx, rx) = unbounded_channel();
    let thread = std::thread::spawn(move || {
        let result = load(&paths, &mut |msg| _ = tx.send(msg));
        if result.is_err() {
            _ = tx.send(Msg::ListFailed);
        }
        result
    });
    (ListLoader { thread }, rx)
}

fn load(paths: &Paths, send: &mut dyn FnMut(Msg)) -> Result<(), StoreError> {
    let path = paths.videos();
    let mut ids = Vec::new();
    let journal_offset = stream_known(&path, &mut |chunk| {
        ids.extend(chunk.iter().map(|video| video.id));
        send(Msg::ListChunk(chunk));
    })?;
    // The rows are already on screen, but nothing can be marked or sent before this.
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(StoreError::DuplicateVideo { path, id: pair[0] });
    }
    drop(ids);
    let missed = missed_results(paths, journal_offset)?;
    let pending = load_pending(paths)?;
    send(Msg::ListLoaded { missed, pending });
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

    fn messages(paths: &Paths) -> (Result<(), StoreError>, Vec<Msg>) {
        let mut msgs = Vec::new();
        let result = load(paths, &mut |msg| msgs.push(msg));
        (result, msgs)
    }

    #[test]
    fn a_list_with_a_repeated_id_is_refused_after_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let id = "550e8400-e29b-41d4-a716-446655440000";
        std::fs::write(
            paths.videos(),
            format!(
                "{{\"version\":1,\"videos\":[\n{{\"id\":\"{id}\",\"added_at\":\"2026-01-01T00:00:00Z\"}},\n{{\"id\":\"{id}\",\"added_at\":\"2026-01-01T00:00:00Z\"}}\n]}}\n"
            ),
        )
        .unwrap();
        let (result, msgs) = messages(&paths);
        assert!(
            matches!(result, Err(StoreError::DuplicateVideo { .. })),
            "{result:?}"
        );
        assert!(matches!(&msgs[..], [Msg::ListChunk(rows)] if rows.len() == 2));
    }

    #[test]
    fn no_list_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let (result, msgs) = messages(&Paths::in_dir(dir.path()));
        result.unwrap();
        assert_eq!(
            msgs,
            [Msg::ListLoaded {
                missed: Vec::new(),
                pending: Vec::new()
            }]
        );
    }
}
