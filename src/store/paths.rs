//! Where the user's files live: the platform's data, config and state folders
//! (`directories::ProjectDirs`), unless `--data-dir` / `--config` (or their environment
//! variables, which clap folds into the same options) say otherwise. Creates nothing.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

use super::StoreError;

/// Every file location the tool uses, resolved once at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// Holds the profile's database (`elytron-tui.db`) and its send lock.
    pub data_dir: PathBuf,
    /// `config.toml`.
    pub config_file: PathBuf,
    /// Holds the log file.
    pub state_dir: PathBuf,
}

impl Paths {
    /// Uses the overrides when given; otherwise the platform folders. With `--data-dir` the
    /// log goes there too, so a test that overrides both never writes into a real home.
    pub fn resolve(
        data_dir: Option<&Path>,
        config_file: Option<&Path>,
    ) -> Result<Self, StoreError> {
        let project = || ProjectDirs::from("", "", "elytron-tui").ok_or(StoreError::NoHome);
        let (data_dir, state_dir) = match data_dir {
            Some(dir) => (dir.to_path_buf(), dir.to_path_buf()),
            None => {
                let project = project()?;
                let state = project
                    .state_dir()
                    .unwrap_or_else(|| project.data_local_dir())
                    .to_path_buf();
                (project.data_dir().to_path_buf(), state)
            }
        };
        let config_file = match config_file {
            Some(file) => file.to_path_buf(),
            None => project()?.config_dir().join("config.toml"),
        };
        Ok(Self {
            data_dir,
            config_file,
            state_dir,
        })
    }

    /// The same files for the named profile `name`: its own data folder (known list, history,
    /// pending batch, protected IDs and lock) under `profiles/` in this one; the config and
    /// the log stay shared. The top-level settings keep the data folder itself.
    pub fn for_profile(&self, name: &str) -> Self {
        Self {
            data_dir: self.data_dir.join("profiles").join(name),
            ..self.clone()
        }
    }

    /// Everything under one folder: what tests and `--demo` use.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            data_dir: dir.to_path_buf(),
            config_file: dir.join("config.toml"),
            state_dir: dir.to_path_buf(),
        }
    }

    /// The profile's database: everything but the config and the log.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join("elytron-tui.db")
    }

    /// Held while a batch of this profile sends deletes (`SendLock`).
    pub fn send_lock(&self) -> PathBuf {
        self.data_dir.join("send.lock")
    }

    /// `videos.json`: the known list of earlier versions (moved into the database).
    pub fn videos(&self) -> PathBuf {
        self.data_dir.join("videos.json")
    }

    /// `history.jsonl` of earlier versions (moved into the database).
    pub fn history(&self) -> PathBuf {
        self.data_dir.join("history.jsonl")
    }

    /// `pending.json` of earlier versions (moved into the database).
    pub fn pending(&self) -> PathBuf {
        self.data_dir.join("pending.json")
    }

    /// `protected.json` of earlier versions (moved into the database).
    pub fn protected(&self) -> PathBuf {
        self.data_dir.join("protected.json")
    }

    pub fn log_file(&self) -> PathBuf {
        self.state_dir.join("elytron-tui.log")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_and_keep_everything_out_of_home() {
        let paths = Paths::resolve(Some(Path::new("/d")), Some(Path::new("/c/x.toml"))).unwrap();
        assert_eq!(paths.videos(), Path::new("/d/videos.json"));
        assert_eq!(paths.history(), Path::new("/d/history.jsonl"));
        assert_eq!(paths.log_file(), Path::new("/d/elytron-tui.log"));
        assert_eq!(paths.config_file, Path::new("/c/x.toml"));
        let staging = paths.for_profile("staging");
        assert_eq!(
            staging.videos(),
            Path::new("/d/profiles/staging/videos.json")
        );
        assert_eq!(staging.log_file(), paths.log_file());
        assert_eq!(staging.config_file, paths.config_file);
    }
}
