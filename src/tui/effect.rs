//! `Effect`: what `update` asks the outer loop to do (talk to the engine, the store, quit).
//! Plain values compared with `==` in tests; performing them is `run`'s job, not this file's.

use crate::api::{ApiKey, Outcome, VideoId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Send these IDs to the engine. Only made by `ConfirmedBatch::into_enqueue`, after the
    /// modal was confirmed and the grace countdown ran out.
    Enqueue(Vec<VideoId>),
    /// Queued IDs end `cancelled`; in-flight ones finish.
    CancelBatch,
    /// Give the engine a new key (resumes a 401 pause); `save` writes it to the config too.
    SetKey {
        key: ApiKey,
        save: bool,
    },
    /// Remove these from the saved known list; nothing is sent to the server.
    Forget(Vec<VideoId>),
    /// Add these to the saved known list.
    Add {
        ids: Vec<VideoId>,
        label: Option<String>,
    },
    /// Save one final outcome (history journal and known list), as the CLI does.
    RecordOutcome {
        id: VideoId,
        outcome: Outcome,
    },
    /// Read the history journal; the loop answers with `Msg::HistoryLoaded`.
    LoadHistory,
    Quit,
}
