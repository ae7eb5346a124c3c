//! `Persistence`: what the TUI's effects save, read and hand outside the app, as a small trait
//! so the loop does not depend on how the known list, the history journal, the pending batch
//! and the config are kept (`session::DiskPersistence` keeps them through
//! `store::OutcomeJournal` and the config file), nor on how text reaches the clipboard or a
//! file. No implementation here.

use crate::api::{ApiKey, Outcome, VideoId};
use crate::store::{Existing, HistoryEntry, UserFileError};
use crate::tui::rows::SavedRows;

/// Any failure of the implementation; shown to the user and logged, never dropped.
pub type PersistError = Box<dyn std::error::Error + Send + Sync>;

pub trait Persistence {
    /// Called right before the IDs go to the engine, so a kill from then on leaves them
    /// resumable (`OutcomeJournal::enqueued`).
    fn enqueued(&mut self, ids: &[VideoId]) -> Result<(), PersistError>;
    /// One final outcome, journalled exactly as the CLI does (history, pending batch).
    fn record(&mut self, id: VideoId, outcome: &Outcome) -> Result<(), PersistError>;
    /// Called on every wake of the loop, so a lone last result is not held in a buffer.
    fn flush_if_due(&mut self) -> Result<(), PersistError>;
    /// Called once on the way out.
    fn flush(&mut self) -> Result<(), PersistError>;
    /// Replaces the saved known list with `rows` (the rows own the list; the journal must
    /// be flushed first, so the saved list says truly how much of it it reflects).
    fn save_list(&mut self, rows: SavedRows) -> Result<(), PersistError>;
    /// The newest entries of the journal (the whole of a short one), oldest first.
    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError>;
    /// Replaces the protected IDs with `ids` (the protect key).
    fn save_protected(&mut self, ids: &[VideoId]) -> Result<(), PersistError>;
    /// Writes the key to the config (file mode 0600).
    fn save_key(&mut self, key: &ApiKey) -> Result<(), PersistError>;
    /// Puts `text` on the clipboard (through the terminal: OSC 52).
    fn copy(&mut self, text: &str) -> Result<(), PersistError>;
    /// Writes `text` to the file the user named, as `store::write_user_file` does: atomically
    /// (a crash leaves the old file or the new one; a failure leaves it as it was), never
    /// to a device, a FIFO, a socket or a folder, and over a file already there only with
    /// `Existing::Replace`.
    fn export(
        &mut self,
        path: &std::path::Path,
        text: &str,
        existing: Existing,
    ) -> Result<(), UserFileError>;
}
