//! `DataDir`: the data folder of one running instance, locked for it; opening sweeps temp
//! files a killed save left behind and notes a journal line a killed append left torn (it is
//! kept: the journal is append-only). `Store`: that folder with the known list loaded, as
//! the commands use it. No network, no UI.

use std::path::{Path, PathBuf};

use super::atomic::{create_private_dir, sweep_temp_files};
use super::history_read::torn_tail;
use super::{
    DataLock, KnownVideo, KnownVideos, Paths, SkippedLine, StoreError, journal_len, load_current,
    load_pending, save_known,
};
use crate::api::VideoId;

/// The data folder, locked for this process. Whoever holds it may write the files in it.
#[derive(Debug)]
pub struct DataDir {
    paths: Paths,
    _lock: DataLock,
    torn_journal_line: Option<SkippedLine>,
}

impl DataDir {
    /// Creates the folder (0700) if needed and takes its lock. Fails with
    /// `StoreError::Locked` when another instance has it.
    pub fn open(paths: &Paths) -> Result<Self, StoreError> {
        let dir = &paths.data_dir;
        if std::fs::metadata(dir).is_ok_and(|meta| !meta.is_dir()) {
            return Err(StoreError::NotAFolder { path: dir.clone() });
        }
        create_private_dir(dir).map_err(|err| StoreError::io(dir, err))?;
        let lock = DataLock::acquire(&paths.lock())?;
        for file in [paths.videos(), paths.pending(), paths.protected()] {
            sweep_temp_files(&file).map_err(|err| StoreError::io(dir, err))?;
        }
        Ok(Self {
            paths: paths.clone(),
            _lock: lock,
            torn_journal_line: torn_tail(&paths.history())?,
        })
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The journal's last line when an earlier run was killed (or ran out of disk) while
    /// appending it: it stays, is skipped when read, and new entries start after it. For the
    /// caller to report.
    pub fn torn_journal_line(&self) -> Option<&SkippedLine> {
        self.torn_journal_line.as_ref()
    }

    /// Writes `videos` as the known list, atomically, with how much of the journal it
    /// reflects: all of it, since results are journalled before they are applied to a list.
    pub fn save_list<'a>(
        &self,
        videos: impl IntoIterator<Item = &'a KnownVideo>,
    ) -> Result<(), StoreError> {
        let journal_offset = journal_len(&self.paths.history())?;
        save_known(&self.paths.videos(), videos, Some(journal_offset))
    }

    /// `list` to save later (or on another thread), stamped with the journal's length now.
    pub fn snapshot<L: ListSource>(&self, list: L) -> Result<ListSnapshot<L>, StoreError> {
        Ok(ListSnapshot {
            path: self.paths.videos(),
            journal_offset: journal_len(&self.paths.history())?,
            list,
        })
    }
}

/// A known list as of one moment, owned, so it can be written while its owner goes on
/// changing (the TUI's rows share their chunks with it instead of copying them).
pub trait ListSource {
    /// The videos to save, in order.
    fn videos(&self) -> impl Iterator<Item = &KnownVideo>;
}

impl ListSource for Vec<KnownVideo> {
    fn videos(&self) -> impl Iterator<Item = &KnownVideo> {
        self.iter()
    }
}

/// A known list ready to be written (`DataDir::snapshot`). Written only by the process
/// holding the data folder's lock.
#[derive(Debug)]
pub struct ListSnapshot<L> {
    path: PathBuf,
    journal_offset: u64,
    list: L,
}

impl<L: ListSource> ListSnapshot<L> {
    /// Replaces `videos.json` with this list, atomically.
    pub fn write(&self) -> Result<(), StoreError> {
        save_known(&self.path, self.list.videos(), Some(self.journal_offset))
    }
}

/// The data folder, locked, with the known list in memory.
#[derive(Debug)]
pub struct Store {
    dir: DataDir,
    videos: KnownVideos,
    skipped: Vec<SkippedLine>,
}

impl Store {
    /// Opens the data folder (`DataDir::open`) and loads `videos.json`, caught up with the
    /// journal. Fails with `Corrupt` / `UnknownVersion` (file untouched) when the list cannot
    /// be read.
    pub fn open(paths: &Paths) -> Result<Self, StoreError> {
        let dir = DataDir::open(paths)?;
        let (videos, caught_up) = load_current(paths)?;
        let mut skipped = caught_up.skipped;
        if let Some(torn) = dir.torn_journal_line()
            && !skipped.contains(torn)
        {
            skipped.push(torn.clone());
        }
        Ok(Self {
            dir,
            videos,
            skipped,
        })
    }

    /// Journal lines that are not records, met while opening: skipped and kept in the
    /// file, for the caller to report.
    pub fn skipped_journal_lines(&self) -> &[SkippedLine] {
        &self.skipped
    }

    pub fn paths(&self) -> &Paths {
        self.dir.paths()
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir.paths().data_dir
    }

    pub fn videos(&self) -> &KnownVideos {
        &self.videos
    }

    /// Changes stay in memory until `save`.
    pub fn videos_mut(&mut self) -> &mut KnownVideos {
        &mut self.videos
    }

    /// Writes the known list atomically (see `DataDir::save_list`).
    pub fn save(&self) -> Result<(), StoreError> {
        self.dir.save_list(&self.videos)
    }

    /// The IDs an interrupted batch left queued (empty when none): offer to resume them.
    pub fn pending(&self) -> Result<Vec<VideoId>, StoreError> {
        load_pending(self.paths())
    }
}
