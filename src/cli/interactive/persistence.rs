//! The TUI's `Persistence`: the same `OutcomeJournal` the `delete` command records through,
//! so results, the journal and the resumable batch are saved identically from both; the
//! known list is saved from the TUI's rows, which own it.

use std::path::PathBuf;

use crate::api::{ApiKey, Outcome, VideoId};
use crate::config::save_api_key;
use crate::store::{DataDir, HistoryEntry, KnownVideo, OutcomeJournal, read_history};
use crate::tui::{PersistError, Persistence};

pub struct DiskPersistence {
    dir: DataDir,
    journal: OutcomeJournal,
    config_file: PathBuf,
}

impl DiskPersistence {
    pub fn new(dir: DataDir, journal: OutcomeJournal, config_file: PathBuf) -> Self {
        Self {
            dir,
            journal,
            config_file,
        }
    }
}

impl Persistence for DiskPersistence {
    fn enqueued(&mut self, ids: &[VideoId]) -> Result<(), PersistError> {
        Ok(self.journal.enqueued(ids)?)
    }

    fn record(&mut self, id: VideoId, outcome: &Outcome) -> Result<(), PersistError> {
        self.journal.record(id, outcome);
        self.flush_if_due()
    }

    fn flush_if_due(&mut self) -> Result<(), PersistError> {
        if self.journal.due() {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), PersistError> {
        self.journal.flush()?;
        Ok(())
    }

    fn save_list<'a>(
        &mut self,
        videos: impl Iterator<Item = &'a KnownVideo>,
    ) -> Result<(), PersistError> {
        self.flush()?;
        Ok(self.dir.save_list(videos)?)
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError> {
        Ok(read_history(&self.dir.paths().history(), None)?)
    }

    fn save_key(&mut self, key: &ApiKey) -> Result<(), PersistError> {
        Ok(save_api_key(&self.config_file, key)?)
    }
}
