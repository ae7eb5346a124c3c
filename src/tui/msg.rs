//! `Msg`: everything that can change the model: terminal input, time, engine events and the
//! answers to effects, and the saved list as it is read. Owned values only; producing them
//! is `run`'s job (and the list loader's).

use crossterm::event::{KeyEvent, MouseEvent};
use jiff::Timestamp;

use super::app::rows::Rows;
use crate::api::{ApiKey, VideoId};
use crate::engine::Event;
use crate::store::IdIndex;
use crate::store::{Changes, HistoryEntry, KnownVideo};
use crate::sync::SyncNews;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Bracketed paste: the whole pasted text at once.
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The wall clock moved on; drives countdowns, the spinner and relative times.
    Tick(Timestamp),
    Engine(Event),
    /// The history, oldest first (answer to `Effect::LoadHistory`).
    HistoryLoaded(Vec<HistoryEntry>),
    /// How the background sync goes (answer to `Effect::Sync`).
    Sync(SyncNews),
    /// One video as the store keeps it (answer to `Effect::LoadVideo`).
    VideoLoaded(Box<KnownVideo>),
    /// The next rows of the list being read, in order (until `ListLoaded` or `ListFailed`).
    ListChunk(Rows),
    /// The whole list has been read. `index`: its rows by ID (built by the reader, so the
    /// UI never stops to index a million rows); `pending`: the batch an earlier run left
    /// queued.
    ListLoaded {
        index: IdIndex,
        pending: Vec<VideoId>,
    },
    /// A confirmed batch was not queued, so nothing of it was sent (another process is
    /// sending on the profile, or the store could not take it): why.
    BatchRefused {
        ids: Vec<VideoId>,
        why: String,
    },
    /// The list could not be read: the app quits, and the error is reported once the
    /// terminal is restored.
    ListFailed,
    /// What changed in the store since the list was read (or since the last change): other
    /// processes' imports, forgets, protections and deletes.
    ListChanged(Changes<KnownVideo>),
    /// Performing an effect failed (store write, engine gone); shown to the user.
    EffectFailed(String),
    /// What `api_key_command` gave, run while the app started: the key, or why there is
    /// none (never what the command printed).
    KeyFetched(Result<ApiKey, String>),
    /// `count` IDs were written to `path` (answer to `Effect::Export`).
    Exported {
        path: std::path::PathBuf,
        count: usize,
    },
    /// A file is already at `path`: nothing was written, and the user is asked whether to
    /// replace it (answer to `Effect::Export` with `Existing::Keep`).
    ExportWouldReplace(std::path::PathBuf),
}
