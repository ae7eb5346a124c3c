//! The TUI's `Persistence`, backed by the same `OutcomeRecorder` the `delete` command uses, so
//! outcomes, the journal and the resumable batch are saved identically from both.

use std::path::PathBuf;

use jiff::Timestamp;

use crate::api::{ApiKey, Outcome, VideoId};
use crate::config::save_api_key;
use crate::store::{HistoryEntry, OutcomeRecorder, read_history};
use crate::tui::{PersistError, Persistence};

pub struct RecorderPersistence {
    recorder: OutcomeRecorder,
    config_file: PathBuf,
}

impl RecorderPersistence {
    pub fn new(recorder: OutcomeRecorder, config_file: PathBuf) -> Self {
        Self {
            recorder,
            config_file,
        }
    }
}

impl Persistence for RecorderPersistence {
    fn enqueued(&mut self, ids: &[VideoId]) -> Result<(), PersistError> {
        Ok(self.recorder.enqueued(ids)?)
    }

    fn record(&mut self, id: VideoId, outcome: &Outcome) -> Result<(), PersistError> {
        self.recorder.record(id, outcome)?;
        Ok(())
    }

    fn flush_if_due(&mut self) -> Result<(), PersistError> {
        self.recorder.flush_if_due()?;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), PersistError> {
        Ok(self.recorder.flush()?)
    }

    fn add(&mut self, ids: &[VideoId], label: Option<&str>) -> Result<(), PersistError> {
        let store = self.recorder.store_mut();
        store.videos_mut().add(ids, label, Timestamp::now());
        Ok(store.save()?)
    }

    fn forget(&mut self, ids: &[VideoId]) -> Result<(), PersistError> {
        let store = self.recorder.store_mut();
        store.videos_mut().forget(ids);
        Ok(store.save()?)
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError> {
        Ok(read_history(
            &self.recorder.store().paths().history(),
            None,
        )?)
    }

    fn save_key(&mut self, key: &ApiKey) -> Result<(), PersistError> {
        Ok(save_api_key(&self.config_file, key)?)
    }
}
