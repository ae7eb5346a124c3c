//! The TUI's `Persistence`: the same `OutcomeJournal` the `delete` command records through,
//! so results, the journal and the resumable batch are saved identically from both; the
//! known list is saved from the TUI's rows, which own it, on a thread of its own, so a
//! million-video list (most of a second to write) never freezes the screen. Exports are
//! written atomically, as the data files are; the clipboard is the terminal's (OSC 52).

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use crate::api::{ApiKey, Outcome, VideoId};
use crate::config::save_api_key;
use crate::store::{
    DataDir, Existing, HistoryEntry, ListSnapshot, OutcomeJournal, UserFileError, read_history,
    save_protected, write_user_file,
};
use crate::tui::{PersistError, Persistence, SavedRows};

/// How many of the newest journal entries the history view (`H`) holds.
const HISTORY_SHOWN: usize = 5_000;

pub struct DiskPersistence {
    dir: DataDir,
    journal: OutcomeJournal,
    config_file: PathBuf,
    /// The `[profiles.NAME]` a typed key is saved under; `None`: the top level.
    profile: Option<String>,
    list_save: ListSave,
}

/// The known list's last save. A snapshot that could not be written is kept until a newer
/// one replaces it or it is written on the way out: a failed save never drops the list.
enum ListSave {
    Done,
    Writing(JoinHandle<Result<(), (PersistError, ListSnapshot<SavedRows>)>>),
    Failed(ListSnapshot<SavedRows>),
}

impl DiskPersistence {
    pub fn new(
        dir: DataDir,
        journal: OutcomeJournal,
        config_file: PathBuf,
        profile: Option<String>,
    ) -> Self {
        Self {
            dir,
            journal,
            config_file,
            profile,
            list_save: ListSave::Done,
        }
    }

    /// Waits for a list save in progress; `Err` when it failed (the snapshot is kept).
    fn finish_list_save(&mut self, wait: bool) -> Result<(), PersistError> {
        let ListSave::Writing(thread) = &self.list_save else {
            return Ok(());
        };
        if !wait && !thread.is_finished() {
            return Ok(());
        }
        let ListSave::Writing(thread) = std::mem::replace(&mut self.list_save, ListSave::Done)
        else {
            unreachable!("checked above");
        };
        match thread.join() {
            Ok(Ok(())) => Ok(()),
            Ok(Err((err, snapshot))) => {
                self.list_save = ListSave::Failed(snapshot);
                Err(err)
            }
            Err(panic) => std::panic::resume_unwind(panic),
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
            self.journal.flush()?;
        }
        self.finish_list_save(false)
    }

    /// The journal, then any list save still being written (or one that failed, again).
    fn flush(&mut self) -> Result<(), PersistError> {
        self.journal.flush()?;
        self.finish_list_save(true)?;
        if let ListSave::Failed(snapshot) = &self.list_save {
            snapshot.write()?;
            self.list_save = ListSave::Done;
        }
        Ok(())
    }

    /// Writes `rows` (a copy sharing the table's chunks) on a thread. The journal is flushed
    /// first, so the list written truly reflects all of it.
    fn save_list(&mut self, rows: SavedRows) -> Result<(), PersistError> {
        // A newer snapshot replaces a failed one; its error was already reported.
        _ = self.finish_list_save(true);
        self.journal.flush()?;
        let snapshot = self.dir.snapshot(rows)?;
        self.list_save = ListSave::Writing(std::thread::spawn(move || {
            snapshot.write().map_err(|err| (err.into(), snapshot))
        }));
        Ok(())
    }

    /// The newest entries only: after a million deletes the whole journal would take
    /// seconds to read and hundreds of megabytes to hold.
    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError> {
        Ok(read_history(
            &self.dir.paths().history(),
            Some(HISTORY_SHOWN),
        )?)
    }

    fn save_protected(&mut self, ids: &[VideoId]) -> Result<(), PersistError> {
        let ids = ids.iter().copied().collect();
        Ok(save_protected(self.dir.paths(), &ids)?)
    }

    fn save_key(&mut self, key: &ApiKey) -> Result<(), PersistError> {
        Ok(save_api_key(
            &self.config_file,
            self.profile.as_deref(),
            key,
        )?)
    }

    fn copy(&mut self, text: &str) -> Result<(), PersistError> {
        let copy = crossterm::clipboard::CopyToClipboard::to_clipboard_from(text);
        Ok(crossterm::execute!(std::io::stdout(), copy)?)
    }

    fn export(&mut self, path: &Path, text: &str, existing: Existing) -> Result<(), UserFileError> {
        write_user_file(path, text.as_bytes(), existing)
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::store::{KnownVideo, Paths, load_known};
    use crate::tui::{App, Settings};

    /// The rows of a TUI holding `videos`, as a list save takes them.
    fn saved(videos: &[KnownVideo]) -> SavedRows {
        App::new(videos.to_vec(), Settings::default(), Timestamp::UNIX_EPOCH)
            .rows()
            .saved()
    }

    fn videos(n: u128) -> Vec<KnownVideo> {
        (0..n)
            .map(|i| KnownVideo {
                id: VideoId::from_uuid(uuid::Uuid::from_u128(i + 1)),
                added_at: Timestamp::UNIX_EPOCH,
                label: None,
                details: None,
                last: None,
            })
            .collect()
    }

    fn open(paths: &Paths) -> DiskPersistence {
        let journal = OutcomeJournal::open(paths, None).unwrap();
        DiskPersistence::new(
            DataDir::open(paths).unwrap(),
            journal,
            paths.config_file.clone(),
            None,
        )
    }

    #[test]
    fn the_list_is_written_in_the_background_and_waited_for_on_flush() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut persistence = open(&paths);
        let list = videos(3);
        persistence.save_list(saved(&list)).unwrap();
        persistence.flush().unwrap();
        assert_eq!(load_known(&paths.videos()).unwrap().as_slice(), list);
    }

    #[test]
    fn a_failed_write_keeps_its_snapshot_until_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut persistence = open(&paths);
        // A folder where the list should go: the atomic rename onto it fails.
        std::fs::create_dir(paths.videos()).unwrap();
        let list = videos(2);
        persistence.save_list(saved(&list)).unwrap();
        assert!(persistence.flush().is_err(), "the failure is reported");
        assert!(
            persistence.flush().is_err(),
            "and the retry on flush fails too"
        );
        std::fs::remove_dir(paths.videos()).unwrap();
        persistence.flush().unwrap();
        assert_eq!(load_known(&paths.videos()).unwrap().as_slice(), list);
    }

    #[test]
    fn an_export_replaces_its_file_whole_and_a_bad_place_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(&dir.path().join("data"));
        std::fs::create_dir(&paths.data_dir).unwrap();
        let mut persistence = open(&paths);
        let file = dir.path().join("ids.txt");
        std::fs::write(&file, "old\n").unwrap();
        let err = persistence
            .export(&file, "a\nb\n", Existing::Keep)
            .unwrap_err();
        assert!(matches!(err, UserFileError::Exists { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old\n");
        persistence
            .export(&file, "a\nb\n", Existing::Replace)
            .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a\nb\n");
        let nowhere = dir.path().join("no such folder").join("ids.txt");
        let err = persistence
            .export(&nowhere, "a\n", Existing::Keep)
            .unwrap_err();
        assert!(err.to_string().contains("No such file"), "{err}");
        assert!(!nowhere.exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            2,
            "ids.txt and data/, no temp file: {leftovers:?}"
        );
    }
}
