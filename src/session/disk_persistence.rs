//! The TUI's `Persistence`: what its effects read and write besides the delete pipeline (which
//! records the batches and the list edits): the history and one video's every field, read
//! from the profile's store; a sync, started in the background with the key last given; a
//! typed key, saved to the config; the clipboard (the terminal's, OSC 52); exports, written
//! atomically, as the config is.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiKey, VideoId};
use crate::config::save_api_key;
use crate::engine::Command;
use crate::store::{
    Existing, HistoryEntry, KnownVideo, Paths, Store, UserFileError, write_user_file,
};
use crate::sync::Retries;
use crate::tui::{Msg, PersistError, Persistence};

/// How many of the newest history entries the history view (`H`) holds.
const HISTORY_SHOWN: usize = 5_000;

pub struct DiskPersistence {
    store: Store,
    config_file: PathBuf,
    /// The `[profiles.NAME]` a typed key is saved under; `None`: the top level.
    profile: Option<String>,
    /// What a sync runs with; `None` where the app cannot sync (tests of other effects).
    sync: Option<SyncSetup>,
}

/// What the app's sync runs with: the profile's data, the engine that sends its pages (the
/// one sending the deletes), the retries, whether a key was given, and where its news go.
pub struct SyncSetup {
    pub paths: Paths,
    pub commands: UnboundedSender<Command>,
    pub retries: Retries,
    pub key_set: bool,
    pub tell: UnboundedSender<Msg>,
}

impl DiskPersistence {
    pub fn new(
        store: Store,
        config_file: PathBuf,
        profile: Option<String>,
        sync: Option<SyncSetup>,
    ) -> Self {
        Self {
            store,
            config_file,
            profile,
            sync,
        }
    }
}

impl Persistence for DiskPersistence {
    /// The newest entries only: after a million deletes the whole history would take
    /// seconds to read and hundreds of megabytes to hold.
    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError> {
        Ok(self.store.history(Some(HISTORY_SHOWN))?)
    }

    fn video(&mut self, id: VideoId) -> Result<Option<KnownVideo>, PersistError> {
        Ok(self.store.videos_of(&[id])?.remove(&id))
    }

    fn key_given(&mut self, _key: &ApiKey) {
        if let Some(sync) = &mut self.sync {
            sync.key_set = true;
        }
    }

    fn start_sync(&mut self) -> Result<(), PersistError> {
        let Some(setup) = &self.sync else {
            return Err("this session cannot sync".into());
        };
        if !setup.key_set {
            return Err("no API key yet".into());
        }
        let tell = setup.tell.clone();
        // The app may have quit meanwhile: nobody is left to tell.
        crate::sync::spawn(
            setup.paths.clone(),
            setup.commands.clone(),
            setup.retries,
            move |news| _ = tell.send(Msg::Sync(news)),
        );
        Ok(())
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
    use super::*;

    #[test]
    fn an_export_replaces_its_file_whole_and_a_bad_place_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(&dir.path().join("data"));
        let mut persistence = DiskPersistence::new(
            Store::open(&paths).unwrap(),
            paths.config_file.clone(),
            None,
            None,
        );
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

    #[test]
    fn one_video_is_read_whole_from_the_store_and_an_unknown_one_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut store = Store::open(&paths).unwrap();
        let id = VideoId::from_uuid(uuid::Uuid::from_u128(3));
        let mut titled = crate::store::Details::default();
        titled.fill(
            0,
            &crate::store::VideoDetails::titled(Some("kept".into()), None),
        );
        store
            .add(&[id], &titled, Some("june"), jiff::Timestamp::UNIX_EPOCH)
            .unwrap();
        let mut persistence = DiskPersistence::new(store, paths.config_file.clone(), None, None);
        let video = persistence.video(id).unwrap().unwrap();
        assert_eq!(
            (video.title(), video.label.as_deref()),
            (Some("kept"), Some("june"))
        );
        let other = VideoId::from_uuid(uuid::Uuid::from_u128(4));
        assert_eq!(persistence.video(other).unwrap(), None);
    }
}
