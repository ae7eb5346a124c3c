//! What the app is doing and has to say, beside the table: the batch's progress, the sync's,
//! where the API key stands, and the footer's one-line notice.

use super::SyncStatus;
use super::batch::BatchProgress;

#[derive(Debug, Default)]
pub struct Status {
    pub batch: Option<BatchProgress>,
    /// The account's sync, while one runs.
    pub sync: Option<SyncStatus>,
    /// A 401 paused the engine and no key has been given since.
    pub key_needed: bool,
    /// An API key is configured or was given since (the header says so).
    pub key_set: bool,
    /// The `api_key_command` being waited for (as its `Display` says it), while it runs.
    pub key_command: Option<String>,
    /// A one-line notice for the footer (what just happened, or why a key did nothing).
    pub notice: Option<String>,
}

impl Status {
    /// A pause over a sync's pages alone shows as a batch of no IDs: it goes once the pause
    /// or the sync does.
    pub fn drop_empty_batch(&mut self) {
        if self.batch.as_ref().is_some_and(|batch| batch.total == 0) {
            self.batch = None;
        }
    }
}
