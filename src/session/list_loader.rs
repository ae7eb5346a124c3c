//! Reads the saved list on a thread of its own and hands it to the TUI a chunk at a time,
//! so the first screen shows at once however long the list is (a million videos take most
//! of a second to parse). Checks what loading a `Store` checks: damage, version, repeated
//! IDs; then catches up with the journal.

use std::thread::JoinHandle;

use tokio::sync::mpsc::UnboundedSender;

use crate::api::VideoId;
use crate::store::{Paths, StoreError, missed_results, stream_known};
use crate::tui::{Msg, RowIndex};

/// The thread reading the list; ask it afterwards why the list could not be read.
pub struct ListLoader {
    thread: JoinHandle<Result<(), StoreError>>,
}

/// Starts reading `paths`' list into `tx`. `pending`, the batch an earlier run left queued
/// (as the journal read it), comes with the end of the list, when its rows can be marked.
pub fn spawn(paths: Paths, pending: Vec<VideoId>, tx: UnboundedSender<Msg>) -> ListLoader {
    let thread = std::thread::spawn(move || {
        let result = load(&paths, pending, &mut |msg| _ = tx.send(msg));
        if result.is_err() {
            _ = tx.send(Msg::ListFailed);
        }
        result
    });
    ListLoader { thread }
}

fn load(paths: &Paths, pending: Vec<VideoId>, send: &mut dyn FnMut(Msg)) -> Result<(), StoreError> {
    let path = paths.videos();
    // Indexed here, a chunk at a time after it is sent, so neither the first screen nor the
    // UI thread waits for a million IDs to be indexed.
    let mut ids: Vec<VideoId> = Vec::new();
    let mut index = RowIndex::default();
    let mut repeated = None;
    let journal_offset = stream_known(&path, &mut |chunk| {
        let first = ids.len();
        ids.extend(chunk.iter().map(|video| video.id));
        send(Msg::ListChunk(chunk));
        for row in first..ids.len() {
            if !index.insert(&ids[..], row as u32) && repeated.is_none() {
                repeated = Some(ids[row]);
            }
        }
    })?;
    // The rows are already on screen, but nothing can be marked or sent before this.
    if let Some(id) = repeated {
        return Err(StoreError::DuplicateVideo { path, id });
    }
    drop(ids);
    let missed = missed_results(paths, journal_offset)?;
    send(Msg::ListLoaded {
        index,
        missed,
        pending,
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
    use crate::store::{KnownVideo, save_known};
    use crate::tui::{App, Settings, update};

    fn messages(paths: &Paths) -> (Result<(), StoreError>, Vec<Msg>) {
        let mut msgs = Vec::new();
        let result = load(paths, Vec::new(), &mut |msg| msgs.push(msg));
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
    fn the_rows_arrive_indexed() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let videos: Vec<KnownVideo> = (1..=300u128)
            .map(|n| KnownVideo {
                id: VideoId::from_uuid(uuid::Uuid::from_u128(n << 64 | n)),
                added_at: jiff::Timestamp::UNIX_EPOCH,
                label: None,
                details: None,
                last: None,
            })
            .collect();
        save_known(&paths.videos(), &videos, None).unwrap();
        let (result, msgs) = messages(&paths);
        result.unwrap();
        assert!(msgs.len() > 2, "the list comes in more than one chunk");
        let mut app = App::awaiting_list(Settings::default(), jiff::Timestamp::UNIX_EPOCH);
        for msg in msgs {
            update(&mut app, msg);
        }
        assert_eq!(app.loading(), None);
        for (row, video) in videos.iter().enumerate() {
            assert_eq!(app.row_of(&video.id), Some(row as u32));
        }
    }

    #[test]
    fn no_list_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let (result, msgs) = messages(&Paths::in_dir(dir.path()));
        result.unwrap();
        assert_eq!(
            msgs,
            [Msg::ListLoaded {
                index: RowIndex::default(),
                missed: Vec::new(),
                pending: Vec::new()
            }]
        );
    }
}
