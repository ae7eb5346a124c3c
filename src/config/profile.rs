//! Profiles: the accounts one config names (`[profiles.NAME]`), each with its base URL, where its
//! key comes from, its rails (read-only, `confirm = "name"`, `max_delete`, `protect` rules,
//! `dry_run`) and its rate cap (`max_rate`); the top-level settings are the profile called
//! `default`. This file reads a profile's table and answers for one profile (its key, its base
//! URL); picking one is `Config::profile`. It never puts the key in an error, a log or `Debug`.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::key_command::KeyCommand;
use super::{API_KEY_ENV, ConfigError, DEFAULT_BASE_URL, invalid};
use crate::api::{ApiKey, InvalidApiKey};
use crate::engine::Rate;
use crate::rails::{self, DEFAULT_PROFILE, ProtectRule};

/// The longest profile name: it names a folder.
const MAX_NAME: usize = 64;

/// One profile, with the top-level rails it inherits filled in.
#[derive(Clone, Debug)]
pub struct Profile {
    /// `None`: the top-level settings (the profile `default`, whose data stays where it has
    /// always been).
    name: Option<String>,
    base_url: Option<String>,
    key: KeySource,
    /// Its rails, the top level's filled in where it sets none.
    pub rails: rails::Settings,
    /// `max_rate`: never more requests a second than this; the top level's where it sets
    /// none.
    pub max_rate: Option<Rate>,
    /// `columns`, the top level's where it sets none: what the app's table shows (the app
    /// checks the names).
    pub columns: Option<Columns>,
    /// `wait_processing_seconds` (the top level's where it sets none): how long a batch waits
    /// for videos still generating; `None` or zero: not at all.
    wait_processing: Option<Duration>,
}

/// A `columns` list as written: each name with its line, and the line of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    pub names: Vec<(String, usize)>,
    pub line: usize,
}

#[derive(Clone)]
enum KeySource {
    None,
    Env(String),
    Inline(ApiKey),
    Command(KeyCommand),
}

/// Where the key is, once the environment has been looked at: at hand (or nowhere), or to be
/// fetched by running `api_key_command`, which may take a while (the app runs it off its
/// screen's thread; the commands say when it is slow: `KeyCommand::run_waiting`).
#[derive(Debug)]
pub enum KeyLookup {
    Found(Option<ApiKey>),
    Command(KeyCommand),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Env(var) => f.debug_tuple("Env").field(var).finish(),
            Self::Inline(_) => f.write_str("Inline(***)"),
            Self::Command(command) => f.debug_tuple("Command").field(command).finish(),
        }
    }
}

/// Where a profile's key comes from right now, as `profiles` and `doctor` say it: never the
/// key itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyOrigin {
    /// An environment variable, and whether it holds anything.
    Env {
        var: String,
        set: bool,
    },
    /// `api_key` in the config file.
    Config,
    /// `api_key_command`, run when the key is needed.
    Command(String),
    None,
}

impl fmt::Display for KeyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env { var, set: true } => write!(f, "env {var}"),
            Self::Env { var, set: false } => write!(f, "env {var} (not set)"),
            Self::Config => f.write_str("config (api_key)"),
            Self::Command(command) => write!(f, "command `{command}`"),
            Self::None => f.write_str("none"),
        }
    }
}

/// A profile's table as written (the top level holds the same keys among its settings).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ProfileFile {
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub api_key_env: Option<String>,
    pub api_key_command: Option<String>,
    pub read_only: Option<bool>,
    pub confirm: Option<Spanned<String>>,
    pub max_delete: Option<usize>,
    pub protect: Option<Vec<Spanned<String>>>,
    pub dry_run: Option<bool>,
    pub max_rate: Option<Spanned<f64>>,
    pub columns: Option<Spanned<Vec<Spanned<String>>>>,
    pub wait_processing_seconds: Option<u64>,
}

/// The file being read, for errors that name a line.
pub(super) struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    /// The line `offset` is on, counted from 1.
    pub fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn error(&self, span: std::ops::Range<usize>, reason: String) -> ConfigError {
        invalid(self.path, self.text, Some(span), &reason)
    }
}

impl ProfileFile {
    /// Whether the table holds a key itself (the file must then be private).
    pub fn holds_key(&self) -> bool {
        self.api_key.is_some()
    }
}

impl Profile {
    /// Reads the table of the profile `name` (`None`: the top level). A named profile takes the
    /// top level's rails, `max_rate` and `wait_processing_seconds` where it sets none of its
    /// own, and its `protect` rules as well as its own; never its base URL or key.
    pub(super) fn read(
        name: Option<String>,
        file: ProfileFile,
        top_profile: Option<&Profile>,
        key_timeout: Duration,
        source: &Source<'_>,
    ) -> Result<Self, ConfigError> {
        let top = top_profile.map(|top| &top.rails);
        let top_wait = top_profile.and_then(|top| top.wait_processing);
        let max_rate = match file.max_rate {
            None => top_profile.and_then(|top| top.max_rate),
            Some(rate) => Some(Rate::new(*rate.get_ref()).ok_or_else(|| {
                source.error(
                    rate.span(),
                    format!(
                        "max_rate = {}: give requests a second, a number above 0 (fractions \
                         allowed: 0.5 is one every 2 s)",
                        rate.get_ref()
                    ),
                )
            })?),
        };
        let columns = match file.columns {
            Some(list) => Some(Columns {
                line: source.line(list.span().start),
                names: (list.into_inner().into_iter())
                    .map(|name| (source.line(name.span().start), name))
                    .map(|(line, name)| (name.into_inner(), line))
                    .collect(),
            }),
            None => top_profile.and_then(|top| top.columns.clone()),
        };
        let table = name.as_deref().map_or_else(
            || "the top level".to_owned(),
            |name| format!("[profiles.{name}]"),
        );
        let key = match (file.api_key, file.api_key_env, file.api_key_command) {
            (None, None, None) => KeySource::None,
            (Some(raw), None, None) => {
                KeySource::Inline(ApiKey::new(raw).map_err(|reason| ConfigError::BadKey {
                    origin: format!("api_key of {table} in {}", source.path.display()),
                    reason,
                })?)
            }
            (None, Some(var), None) => KeySource::Env(var),
            (None, None, Some(command)) => {
                KeySource::Command(KeyCommand::new(command, key_timeout))
            }
            _ => {
                return Err(ConfigError::TwoKeySources {
                    path: source.path.into(),
                    table,
                });
            }
        };
        let confirm_by_name = match file.confirm {
            None => top.is_some_and(|top| top.confirm_by_name),
            Some(confirm) if confirm.get_ref() == "name" => true,
            Some(confirm) => {
                return Err(source.error(
                    confirm.span(),
                    format!(
                        "confirm = {:?}: the one value is \"name\" (type the profile's name \
                         to confirm every batch)",
                        confirm.get_ref()
                    ),
                ));
            }
        };
        let mut rules = top.map(|top| top.rules.clone()).unwrap_or_default();
        for rule in file.protect.unwrap_or_default() {
            let parsed = ProtectRule::parse(rule.get_ref()).map_err(|why| {
                source.error(
                    rule.span(),
                    format!("protect rule {:?}: {why}", rule.get_ref()),
                )
            })?;
            rules.push(parsed);
        }
        let rails = rails::Settings {
            profile: name.clone(),
            read_only: file
                .read_only
                .or(top.map(|top| top.read_only))
                .unwrap_or(false),
            confirm_by_name,
            max_delete: file.max_delete.or(top.and_then(|top| top.max_delete)),
            rules,
            dry_run: file.dry_run.or(top.map(|top| top.dry_run)).unwrap_or(false),
        };
        let wait_processing = match file.wait_processing_seconds {
            Some(0) => None,
            Some(seconds) => Some(Duration::from_secs(seconds)),
            None => top_wait,
        };
        Ok(Self {
            name,
            base_url: file.base_url,
            key,
            rails,
            max_rate,
            columns,
            wait_processing,
        })
    }

    /// How long a batch waits for videos still generating (`None`: it does not wait).
    pub fn wait_processing(&self) -> Option<Duration> {
        self.wait_processing
    }

    /// The name it goes by: `default` for the top-level settings.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_PROFILE)
    }

    /// The name of a `[profiles.NAME]` table; `None` for the top-level settings.
    pub fn table_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// `--base-url` (or `ELYTRON_BASE_URL`) beats the profile, which beats production.
    pub fn base_url<'a>(&'a self, flag: Option<&'a str>) -> &'a str {
        flag.or(self.base_url.as_deref())
            .unwrap_or(DEFAULT_BASE_URL)
    }

    /// Where the key to use is: see `key_lookup_with_env`.
    pub fn key_lookup(&self) -> Result<KeyLookup, ConfigError> {
        self.key_lookup_with_env(read_env(API_KEY_ENV)?)
    }

    /// The key, run `api_key_command` and all (saying nothing while it runs). `Ok(None)`
    /// when there is none (the app then asks for one).
    pub fn api_key_with_env(&self, env: Option<String>) -> Result<Option<ApiKey>, ConfigError> {
        match self.key_lookup_with_env(env)? {
            KeyLookup::Found(key) => Ok(key),
            KeyLookup::Command(command) => command.run_waiting(|_| {}).map(Some),
        }
    }

    /// Where the key is, with `ELYTRON_API_KEY`'s value passed in. The top-level settings
    /// take it first, as always; a named profile takes its own source first, and
    /// `ELYTRON_API_KEY` only when it names none, so a key exported for one account never
    /// reaches another.
    pub fn key_lookup_with_env(&self, env: Option<String>) -> Result<KeyLookup, ConfigError> {
        let env_key = || {
            env.clone()
                .filter(|raw| !raw.trim().is_empty())
                .map(|raw| {
                    ApiKey::new(raw).map_err(|reason| ConfigError::BadKey {
                        origin: API_KEY_ENV.to_owned(),
                        reason,
                    })
                })
                .transpose()
        };
        if self.name.is_none()
            && let Some(key) = env_key()?
        {
            return Ok(KeyLookup::Found(Some(key)));
        }
        let found = match &self.key {
            KeySource::None if self.name.is_some() => env_key()?,
            KeySource::None => None,
            KeySource::Env(var) => match read_env(var)? {
                Some(raw) if !raw.trim().is_empty() => {
                    Some(ApiKey::new(raw).map_err(|reason| ConfigError::BadKey {
                        origin: var.clone(),
                        reason,
                    })?)
                }
                _ => None,
            },
            KeySource::Inline(key) => Some(key.clone()),
            KeySource::Command(command) => return Ok(KeyLookup::Command(command.clone())),
        };
        Ok(KeyLookup::Found(found))
    }

    /// Where the key would come from now (environment variables are looked at, never shown).
    pub fn key_origin(&self) -> KeyOrigin {
        let env_set = |var: &str| std::env::var_os(var).is_some_and(|value| !value.is_empty());
        let default_env = || KeyOrigin::Env {
            var: API_KEY_ENV.to_owned(),
            set: env_set(API_KEY_ENV),
        };
        if self.name.is_none() && env_set(API_KEY_ENV) {
            return default_env();
        }
        match &self.key {
            KeySource::None if self.name.is_some() => default_env(),
            KeySource::None => KeyOrigin::None,
            KeySource::Env(var) => KeyOrigin::Env {
                var: var.clone(),
                set: env_set(var),
            },
            KeySource::Inline(_) => KeyOrigin::Config,
            KeySource::Command(command) => KeyOrigin::Command(command.command().to_owned()),
        }
    }
}

/// A profile name must be usable as a folder name, and `default` is the top level's.
pub(super) fn check_name(name: &Spanned<String>, source: &Source<'_>) -> Result<(), ConfigError> {
    let text = name.get_ref();
    let why = if text == DEFAULT_PROFILE {
        Some("`default` is the name of the top-level settings; pick another name".to_owned())
    } else if text.is_empty()
        || text.len() > MAX_NAME
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some(format!(
            "profile name {text:?}: use 1 to {MAX_NAME} letters, digits, '-' or '_' (it names \
             the profile's data folder)"
        ))
    } else {
        None
    };
    why.map_or(Ok(()), |why| Err(source.error(name.span(), why)))
}

/// An environment variable's value; `None` when unset. One that is not UTF-8 is an error
/// naming it (never its value).
fn read_env(var: &str) -> Result<Option<String>, ConfigError> {
    match std::env::var(var) {
        Ok(raw) => Ok(Some(raw)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::BadKey {
            origin: var.to_owned(),
            reason: InvalidApiKey::BadCharacters,
        }),
    }
}
