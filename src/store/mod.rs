//! What the user keeps between sessions: the known list, the history journal, the pending
//! (resumable) batch, and where they live on disk.

mod known;

pub use known::{KnownVideo, LastOutcome};
