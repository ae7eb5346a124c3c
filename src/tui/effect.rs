//! `Effect`: what `update` asks the outer loop to do (talk to the delete pipeline, the disk,
//! quit).
//! Plain values compared with `==` in tests; performing them is `run`'s job, not this file's.

use super::modal::ConfirmedBatch;
use crate::api::{ApiKey, VideoId};
use crate::pipeline::Edit;
use crate::store::Existing;

#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    /// Send these IDs to the engine. Only a confirmation makes a `ConfirmedBatch`, so no
    /// other path can ask for a delete.
    Enqueue(ConfirmedBatch),
    /// Queued IDs end `cancelled`; in-flight ones finish.
    CancelBatch,
    /// The batch is halted (unreachable, wrong base URL, TLS, a long wait): try again now.
    RetryNow,
    /// The user's pause: nothing new is sent; in-flight requests finish.
    PauseBatch,
    /// Ends the user's pause.
    ResumeBatch,
    /// Back to the shell (Ctrl-z): the batch pauses, the screen is given back, the process
    /// stops until `fg`, then the screen is drawn again and the batch goes on as it was.
    Suspend,
    /// Give the engine a new key (resumes a 401 pause); `save` writes it to the config too.
    SetKey {
        key: ApiKey,
        save: bool,
    },
    /// Write a change the rows already show (an add, a forget, a protection) to the store.
    Edit(Edit),
    /// Read the history; the loop answers with `Msg::HistoryLoaded`.
    LoadHistory,
    /// Read one video as the store keeps it (every field, for the details view); the loop
    /// answers with `Msg::VideoLoaded` when the store has it.
    LoadVideo(VideoId),
    /// Start a sync of the account in the background; it answers with `Msg::Sync` news.
    Sync,
    /// Put this text on the clipboard, through the terminal (OSC 52).
    Copy(String),
    /// Write `text` (`count` IDs) to `path`, atomically, never to anything but a regular
    /// file, and over one already there only with `Existing::Replace`
    /// (`store::write_user_file`); the loop answers with `Msg::Exported`,
    /// `Msg::ExportWouldReplace`, or `Msg::EffectFailed` saying why nothing was written.
    Export {
        path: std::path::PathBuf,
        text: String,
        count: usize,
        existing: Existing,
    },
    Quit,
}
