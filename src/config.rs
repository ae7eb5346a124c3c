//! Configuration: `config.toml` (concurrency, timeouts, confirmation threshold, grace
//! seconds, the longest wait and the give-up time, `[keys]` and `[theme]` as written, the
//! mouse, and the profiles: the top-level settings and each `[profiles.NAME]` with its base
//! URL, key source, rails and rate cap), which profile a run uses, and the permission check on
//! a file holding a key. It must never put the key in an error, a log or `Debug`. What the
//! `[keys]` and `[theme]` names mean is the TUI's to check (its keymap, its palette); what the
//! rails do is `rails`'.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::api::InvalidApiKey;
use crate::engine::DEFAULT_MAX_WAIT;
use crate::rails::DEFAULT_PROFILE;

mod key_command;
mod profile;
mod save_key;

pub use key_command::KeyCommand;
pub use profile::{Columns, KeyLookup, KeyOrigin, Profile};
pub use save_key::save_api_key;

use profile::{ProfileFile, Source, check_name};

/// The production API, used when neither `--base-url` nor the config names one.
pub const DEFAULT_BASE_URL: &str = "https://api.elytron.com/v1";
/// The key's environment variable: it beats the top-level settings' key, and serves a
/// profile that names no key source of its own.
pub const API_KEY_ENV: &str = "ELYTRON_API_KEY";

/// The settings, with defaults filled in. `Debug` shows where the key comes from, never it.
#[derive(Clone, Debug)]
pub struct Config {
    pub path: PathBuf,
    /// Cap on requests in flight; `None` leaves the engine's default.
    pub concurrency: Option<usize>,
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// Batches at least this large need the count typed to confirm.
    pub confirm_threshold: usize,
    /// The pause after confirming, during which a batch can still be undone.
    pub grace: Duration,
    /// A wait the server asks for beyond this is not waited: the app pauses, `delete` stops.
    pub max_wait: Duration,
    /// How long `delete` probes a server it cannot reach before it stops.
    pub give_up_after: Duration,
    /// `[keys]`: actions given other keys, in the order written.
    pub keys: Vec<KeyBinding>,
    /// The app takes the mouse (wheel and clicks); `mouse = false` leaves it to the
    /// terminal (its own selection and scrolling).
    pub mouse: bool,
    /// `[theme]`: parts given other colours, in the order written.
    pub theme: Vec<ThemeColour>,
    /// The top-level settings, as the profile `default`.
    top: Profile,
    /// `[profiles.NAME]`, in the order written.
    profiles: Vec<Profile>,
    /// `default_profile`, checked to name a profile.
    default_profile: Option<String>,
}

/// One `[keys]` entry (`delete = ["D"]`) as written, with the lines for error messages. The
/// keys replace the action's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyBinding {
    pub action: String,
    pub line: usize,
    /// Each key name, with the line it is on.
    pub keys: Vec<(String, usize)>,
}

/// One `[theme]` entry (`deleted = "green"`) as written, with its line for error messages.
/// What it colours and whether the colour is one are the app's to check (`tui::Palette`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeColour {
    pub part: String,
    pub colour: String,
    pub line: usize,
}

/// The file as written; every field optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    base_url: Option<String>,
    api_key: Option<String>,
    api_key_env: Option<String>,
    api_key_command: Option<String>,
    read_only: Option<bool>,
    confirm: Option<Spanned<String>>,
    max_delete: Option<usize>,
    protect: Option<Vec<Spanned<String>>>,
    dry_run: Option<bool>,
    max_rate: Option<Spanned<f64>>,
    columns: Option<Spanned<Vec<Spanned<String>>>>,
    wait_processing_seconds: Option<u64>,
    default_profile: Option<Spanned<String>>,
    profiles: Option<BTreeMap<Spanned<String>, ProfileFile>>,
    concurrency: Option<usize>,
    request_timeout_seconds: Option<u64>,
    connect_timeout_seconds: Option<u64>,
    confirm_threshold: Option<usize>,
    grace_seconds: Option<u64>,
    max_wait_seconds: Option<u64>,
    give_up_after_seconds: Option<u64>,
    api_key_command_timeout_seconds: Option<Spanned<u64>>,
    keys: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    mouse: Option<bool>,
    theme: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// An entry of the config the app cannot use (the keymap, the table's columns, the palette
/// read their own), with why and the line it is on.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub line: usize,
    pub reason: String,
}

impl Refused {
    /// The config error it is, in `section` of the file at `path`.
    pub fn in_config(self, path: &std::path::Path, section: &'static str) -> ConfigError {
        ConfigError::Refused {
            path: path.to_path_buf(),
            section,
            refused: self,
        }
    }
}

/// Why the configuration or the key could not be used. Messages never contain the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {reason}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    /// An entry the app refused (a key binding, a column list, a colour), in `section`.
    #[error("{}:{line}: {section}: {reason}", path.display(), line = refused.line, reason = refused.reason)]
    Refused {
        path: PathBuf,
        section: &'static str,
        refused: Refused,
    },
    #[error(
        "{} holds an API key but other users can read it (mode {mode:o}); run `chmod 600 {}`",
        path.display(),
        path.display()
    )]
    KeyReadableByOthers { path: PathBuf, mode: u32 },
    #[error(
        "{}: {table}: set one of api_key, api_key_env and api_key_command, not several",
        path.display()
    )]
    TwoKeySources { path: PathBuf, table: String },
    #[error("no profile `{name}` in {} (profiles: {known})", path.display())]
    UnknownProfile {
        path: PathBuf,
        name: String,
        known: String,
    },
    #[error("the API key from {origin} is unusable: {reason}")]
    BadKey {
        origin: String,
        reason: InvalidApiKey,
    },
    #[error(
        "{}: no such config file (named by {named_by}); only the default location may be \
         absent, so a mistyped name cannot drop the profile's rails: check the name, or \
         create the file",
        path.display()
    )]
    Missing { path: PathBuf, named_by: String },
    /// `api_key_command` gave no key; `detail` says how (never what it printed).
    #[error(
        "api_key_command {command:?} {detail}; what it printed is not shown (it may hold the \
         key): run it yourself to see why"
    )]
    KeyCommand { command: String, detail: String },
}

impl Config {
    /// Reads `path`, a file the user named (`named_by`: `--config` or
    /// `ELYTRON_TUI_CONFIG`): it must be there.
    pub fn load_named(path: &Path, named_by: &str) -> Result<Self, ConfigError> {
        // Followed through links: a link to nothing names no file either.
        match std::fs::metadata(path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(ConfigError::Missing {
                path: path.to_path_buf(),
                named_by: named_by.to_owned(),
            }),
            _ => Self::load(path),
        }
    }

    /// Reads `path`; a missing file means all defaults. A file with `api_key` that group or
    /// others can read is refused.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(io_error(path, source)),
        };
        let mut file: ConfigFile =
            toml::from_str(&text).map_err(|err| invalid(path, &text, err.span(), err.message()))?;
        let source = Source { path, text: &text };
        let named = file.profiles.take().unwrap_or_default();
        let top_file = ProfileFile {
            base_url: file.base_url.take(),
            api_key: file.api_key.take(),
            api_key_env: file.api_key_env.take(),
            api_key_command: file.api_key_command.take(),
            read_only: file.read_only,
            confirm: file.confirm.take(),
            max_delete: file.max_delete,
            protect: file.protect.take(),
            dry_run: file.dry_run,
            max_rate: file.max_rate.take(),
            columns: file.columns.take(),
            wait_processing_seconds: file.wait_processing_seconds,
        };
        if top_file.holds_key() || named.values().any(ProfileFile::holds_key) {
            refuse_if_shared(path)?;
        }
        let key_timeout = match file.api_key_command_timeout_seconds {
            None => key_command::DEFAULT_KEY_TIMEOUT,
            Some(seconds) if *seconds.get_ref() == 0 => {
                return Err(invalid(
                    path,
                    &text,
                    Some(seconds.span()),
                    "api_key_command_timeout_seconds = 0: give the command at least 1 second",
                ));
            }
            Some(seconds) => Duration::from_secs(seconds.into_inner()),
        };
        let top = Profile::read(None, top_file, None, key_timeout, &source)?;
        let mut named: Vec<(Spanned<String>, ProfileFile)> = named.into_iter().collect();
        named.sort_by_key(|(name, _)| name.span().start);
        let mut profiles = Vec::with_capacity(named.len());
        for (name, table) in named {
            check_name(&name, &source)?;
            let name = name.into_inner();
            profiles.push(Profile::read(
                Some(name),
                table,
                Some(&top),
                key_timeout,
                &source,
            )?);
        }
        let default_profile = match file.default_profile {
            None => None,
            Some(name) if name.get_ref() == DEFAULT_PROFILE => None,
            Some(name) if profiles.iter().any(|p| p.name() == name.get_ref()) => {
                Some(name.into_inner())
            }
            Some(name) => {
                return Err(invalid(
                    path,
                    &text,
                    Some(name.span()),
                    &format!(
                        "default_profile = {:?}: no [profiles.{}] in this file (profiles: {})",
                        name.get_ref(),
                        name.get_ref(),
                        names(&top, &profiles)
                    ),
                ));
            }
        };
        let line = |offset: usize| source.line(offset);
        let mut keys: Vec<KeyBinding> = file
            .keys
            .unwrap_or_default()
            .into_iter()
            .map(|(action, keys)| KeyBinding {
                line: line(action.span().start),
                action: action.into_inner(),
                keys: keys
                    .into_iter()
                    .map(|key| {
                        let at = line(key.span().start);
                        (key.into_inner(), at)
                    })
                    .collect(),
            })
            .collect();
        keys.sort_by_key(|binding| binding.line);
        let mut theme: Vec<ThemeColour> = file
            .theme
            .unwrap_or_default()
            .into_iter()
            .map(|(part, colour)| ThemeColour {
                line: line(part.span().start),
                part: part.into_inner(),
                colour: colour.into_inner(),
            })
            .collect();
        theme.sort_by_key(|entry| entry.line);
        let seconds = |value: Option<u64>, default| Duration::from_secs(value.unwrap_or(default));
        Ok(Self {
            path: path.to_path_buf(),
            concurrency: file.concurrency,
            request_timeout: seconds(file.request_timeout_seconds, 30),
            connect_timeout: seconds(file.connect_timeout_seconds, 10),
            confirm_threshold: file.confirm_threshold.unwrap_or(100),
            grace: seconds(file.grace_seconds, 3),
            max_wait: seconds(file.max_wait_seconds, DEFAULT_MAX_WAIT.as_secs()),
            give_up_after: seconds(file.give_up_after_seconds, 120),
            keys,
            mouse: file.mouse.unwrap_or(true),
            theme,
            top,
            profiles,
            default_profile,
        })
    }

    /// The profile a run uses: `chosen` (`--profile` or `ELYTRON_PROFILE`), else
    /// `default_profile`, else the top-level settings. `default` names the top level.
    pub fn profile(&self, chosen: Option<&str>) -> Result<&Profile, ConfigError> {
        match chosen.or(self.default_profile.as_deref()) {
            None | Some(DEFAULT_PROFILE) => Ok(&self.top),
            Some(name) => self
                .profiles
                .iter()
                .find(|profile| profile.name() == name)
                .ok_or_else(|| ConfigError::UnknownProfile {
                    path: self.path.clone(),
                    name: name.to_owned(),
                    known: names(&self.top, &self.profiles),
                }),
        }
    }

    /// Every profile: the top-level settings (`default`) first, then the others as written.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        std::iter::once(&self.top).chain(&self.profiles)
    }

    /// The profile used when none is chosen.
    pub fn default_profile(&self) -> &str {
        self.default_profile.as_deref().unwrap_or(DEFAULT_PROFILE)
    }
}

/// `default, staging, production`.
fn names(top: &Profile, profiles: &[Profile]) -> String {
    let names: Vec<&str> = std::iter::once(top)
        .chain(profiles)
        .map(Profile::name)
        .collect();
    names.join(", ")
}

#[cfg(unix)]
fn refuse_if_shared(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|source| io_error(path, source))?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError::KeyReadableByOthers {
            path: path.into(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_shared(_path: &Path) -> Result<(), ConfigError> {
    Ok(())
}

fn io_error(path: &Path, source: std::io::Error) -> ConfigError {
    ConfigError::Io {
        path: path.into(),
        source,
    }
}

/// A parse error with its position. toml's full rendering quotes the offending line, which
/// could be the key's own line, so only its short message is used, and not even that for a
/// fault on a line that mentions `api_key`.
fn invalid(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> ConfigError {
    let offset = span.map_or(0, |span| span.start).min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let column = before[line_start..].chars().count() + 1;
    let line_text = text[line_start..].lines().next().unwrap_or("");
    let reason = if line_text.contains("api_key") {
        "this api_key line is not valid TOML (expected api_key = \"...\")".to_owned()
    } else {
        message.to_owned()
    };
    ConfigError::Invalid {
        path: path.into(),
        line,
        column,
        reason,
    }
}
