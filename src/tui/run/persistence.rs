//! `Persistence`: what the TUI's effects read and hand outside the app besides the delete
//! pipeline (which owns the batch and the list's writes), as a small trait so the loop does
//! not depend on where the history and the config are kept (`session::DiskPersistence`),
//! nor on how text reaches the clipboard or a file. No implementation here.

use crate::api::{ApiKey, VideoId};
use crate::store::{Existing, HistoryEntry, KnownVideo, UserFileError};

/// Any failure of the implementation; shown to the user and logged, never dropped.
pub type PersistError = Box<dyn std::error::Error + Send + Sync>;

pub trait Persistence {
    /// The newest entries of the history (the whole of a short one), oldest first.
    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError>;
    /// One video as the store keeps it; `None` when it is not in the list.
    fn video(&mut self, id: VideoId) -> Result<Option<KnownVideo>, PersistError>;
    /// The key the user gave (typed, or from `api_key_command`): a sync sends with it.
    fn key_given(&mut self, key: &ApiKey);
    /// Starts a sync of the account in the background, its news coming back as
    /// `Msg::Sync`; `Err` when it cannot start (no key yet).
    fn start_sync(&mut self) -> Result<(), PersistError>;
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
