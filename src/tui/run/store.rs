//! `Store`: the persistence the TUI's effects need, as a small trait so the loop does not
//! depend on how the known list, history and config are kept. No implementation here.

use crate::api::{ApiKey, Outcome, VideoId};

pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// What the TUI needs saved. The lead wires the real store; tests and `--demo` can pass
/// their own.
pub trait Store {
    fn add(&mut self, ids: &[VideoId], label: Option<&str>) -> Result<(), StoreError>;
    fn forget(&mut self, ids: &[VideoId]) -> Result<(), StoreError>;
    /// Saves one final outcome, exactly as the CLI does (journal, and the known list).
    fn record(&mut self, id: VideoId, outcome: &Outcome) -> Result<(), StoreError>;
    /// History lines, newest first.
    fn history(&mut self) -> Result<Vec<String>, StoreError>;
    /// Writes the key to the config (file mode 0600).
    fn save_key(&mut self, key: &ApiKey) -> Result<(), StoreError>;
}
