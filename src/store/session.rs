//! `Store`: the open data folder of one running instance: it holds the lock, and the known
//! list as loaded. Opening sweeps temp files a killed save left behind. No network, no UI.

use std::path::Path;

use super::atomic::{create_private_dir, sweep_temp_files};
use super::{
    DataLock, KnownVideos, Paths, StoreError, journal_len, load_current, load_pending, save_known,
    save_pending,
};
use crate::api::VideoId;

/// The data folder, locked for this process, with the known list in memory.
#[derive(Debug)]
pub struct Store {
    paths: Paths,
    videos: KnownVideos,
    _lock: DataLock,
}

impl Store {
    /// Creates the data folder (0700) if needed, takes its lock, and loads `videos.json`.
    /// Fails with `StoreError::Locked` when another instance has it, and with `Corrupt` /
    /// `UnknownVersion` (file untouched) when the list cannot be read.
    pub fn open(paths: &Paths) -> Result<Self, StoreError> {
        let dir = &paths.data_dir;
        create_private_dir(dir).map_err(|err| StoreError::io(dir, err))?;
        let lock = DataLock::acquire(&paths.lock())?;
        for file in [paths.videos(), paths.pending()] {
            sweep_temp_files(&file).map_err(|err| StoreError::io(dir, err))?;
        }
        let (videos, _) = load_current(paths)?;
        Ok(Self {
            paths: paths.clone(),
            videos,
            _lock: lock,
        })
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn data_dir(&self) -> &Path {
        &self.paths.data_dir
    }

    pub fn videos(&self) -> &KnownVideos {
        &self.videos
    }

    /// Changes stay in memory until `save`.
    pub fn videos_mut(&mut self) -> &mut KnownVideos {
        &mut self.videos
    }

    /// Writes the known list atomically, with how much of the journal it reflects: all of it,
    /// since results are journalled before they are applied to the list.
    pub fn save(&self) -> Result<(), StoreError> {
        let journal_offset = journal_len(&self.paths.history())?;
        save_known(&self.paths.videos(), &self.videos, Some(journal_offset))
    }

    /// The IDs an interrupted batch left queued (empty when none): offer to resume them.
    pub fn pending(&self) -> Result<Vec<VideoId>, StoreError> {
        load_pending(&self.paths.pending())
    }

    /// The user declined to resume: forget the interrupted batch.
    pub fn discard_pending(&self) -> Result<(), StoreError> {
        save_pending(&self.paths.pending(), &[])
    }
}
