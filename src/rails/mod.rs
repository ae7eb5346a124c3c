//! The safety rails of one profile: read-only, the delete limit, the videos it protects (the
//! IDs the user protected, and the profile's `protect` rules, which are queries), and whether
//! a batch is confirmed by typing the profile's name. `Rails::check` (in `gate`) is the one
//! gate every delete passes, from the app and from `delete` alike. Nothing here reads files,
//! draws or sends: the protected IDs are loaded and saved by `store`, and shown by the
//! callers.

mod gate;

use jiff::Timestamp;

use crate::api::VideoId;
use crate::query::{GenerationFacts, Matcher, Query, QueryError, Subject};
use crate::store::{IdMap, IdSet, KnownVideo};

pub use gate::{Checked, Cleared, Passed, Preview, Refusal};

/// The lock mark a protected video carries in the app's table and in `list`: one cell wide
/// in every terminal font (🔒 is two).
pub const LOCK_MARK: &str = "⊘";

/// The name the top-level settings go by, as a profile: `--profile default` picks them.
pub const DEFAULT_PROFILE: &str = "default";

/// One `protect` rule: a query; a video it matches is protected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectRule {
    text: String,
    query: Query,
}

impl ProtectRule {
    /// Why not, in words, when the rule does not parse. An empty rule is refused: it would
    /// match, and so protect, every video, which nobody writes on purpose (`read_only = true`
    /// says that).
    pub fn parse(text: &str) -> Result<Self, String> {
        let query = Query::parse(text).map_err(|err: QueryError| err.to_string())?;
        if query.is_empty() {
            return Err(
                "an empty rule would protect every video; write read_only = true for that"
                    .to_owned(),
            );
        }
        Ok(Self {
            text: text.to_owned(),
            query,
        })
    }

    /// The rule as written.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A profile's rails as configured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The profile's name; `None` for a config that defines no profiles (messages then name
    /// the config's settings instead).
    pub profile: Option<String>,
    /// Browse, import, filter, export: never delete.
    pub read_only: bool,
    /// Every batch is confirmed by typing the profile's name.
    pub confirm_by_name: bool,
    /// A batch that would send more than this is refused whole.
    pub max_delete: Option<usize>,
    pub rules: Vec<ProtectRule>,
    /// `dry_run = true`: every `delete` is a dry run unless `--no-dry-run` says otherwise.
    /// The gate does not read it (nothing is sent through it on a dry run); `delete` does.
    pub dry_run: bool,
}

/// Why a video is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// The user protected its ID (`protect`, or the app's protect key).
    Listed,
    /// The rule at this index of `Settings::rules` matches it.
    Rule(usize),
}

/// A profile's rails with the IDs its user protected. The default has none: nothing
/// protected, no limit, not read-only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rails {
    settings: Settings,
    listed: IdSet,
}

impl Rails {
    pub fn new(settings: Settings, listed: IdSet) -> Self {
        Self { settings, listed }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn read_only(&self) -> bool {
        self.settings.read_only
    }

    /// What to type to confirm a batch, when the profile asks for its name.
    pub fn name_to_type(&self) -> Option<&str> {
        self.settings
            .confirm_by_name
            .then(|| self.settings.profile.as_deref().unwrap_or(DEFAULT_PROFILE))
    }

    /// Whether any video could be protected: some ID listed, or some rule.
    pub fn protects_anything(&self) -> bool {
        !self.listed.is_empty() || !self.settings.rules.is_empty()
    }

    /// The IDs the user protected (the rules aside).
    pub fn listed(&self) -> &IdSet {
        &self.listed
    }

    /// The IDs protected by ID are now `listed` (as another process left them).
    pub fn replace_listed(&mut self, listed: IdSet) {
        self.listed = listed;
    }

    /// Protects these IDs; returns how many were not protected by ID before.
    pub fn protect(&mut self, ids: impl IntoIterator<Item = VideoId>) -> usize {
        ids.into_iter().filter(|id| self.listed.insert(*id)).count()
    }

    /// Unprotects these IDs; returns how many were protected by ID. A video a rule matches
    /// stays protected.
    pub fn unprotect(&mut self, ids: impl IntoIterator<Item = VideoId>) -> usize {
        ids.into_iter().filter(|id| self.listed.remove(id)).count()
    }

    /// `protected by ID`, or `protected: label:keep` naming the rule, for messages.
    pub fn reason(&self, protection: Protection) -> String {
        match protection {
            Protection::Listed => "protected by ID".to_owned(),
            Protection::Rule(at) => self.settings.rules.get(at).map_or_else(
                || "protected".to_owned(),
                |rule| format!("protected: {}", rule.text()),
            ),
        }
    }

    /// A tester for one pass over many videos (marking a million rows, checking a batch),
    /// with the rules' ages measured from `now`.
    pub fn pass<'s>(&self, now: Timestamp) -> ProtectionPass<'_, 's> {
        ProtectionPass {
            listed: (!self.listed.is_empty()).then_some(&self.listed),
            rules: self
                .settings
                .rules
                .iter()
                .map(|rule| rule.query.matcher(now))
                .collect(),
        }
    }
}

/// Tests videos for protection during one pass (see `Rails::pass`).
pub struct ProtectionPass<'r, 's> {
    /// `None` when no ID is protected, so a profile without rails costs nothing per row.
    listed: Option<&'r IdSet>,
    rules: Vec<Matcher<'r, 's>>,
}

impl<'s> ProtectionPass<'_, 's> {
    /// Why `subject` is protected, if it is: its ID first, then the first rule matching it.
    pub fn protects(&mut self, subject: &Subject<'s>) -> Option<Protection> {
        if self
            .listed
            .is_some_and(|listed| listed.contains(&subject.id))
        {
            return Some(Protection::Listed);
        }
        self.rules
            .iter_mut()
            .position(|rule| rule.matches(subject))
            .map(Protection::Rule)
    }
}

/// What the rules can read of IDs asked by ID (`delete`, `unprotect`): the known list's
/// videos, looked up by ID. The lookup is built only when some rule reads more than the ID,
/// so a profile without rules costs nothing per video.
pub struct Subjects<'v> {
    known: IdMap<&'v KnownVideo>,
    now: Timestamp,
}

impl<'v> Subjects<'v> {
    pub fn new(
        rails: &Rails,
        videos: impl IntoIterator<Item = &'v KnownVideo>,
        now: Timestamp,
    ) -> Self {
        let known = if rails.settings.rules.is_empty() {
            IdMap::default()
        } else {
            videos.into_iter().map(|video| (video.id, video)).collect()
        };
        Self { known, now }
    }

    /// When the rules' ages are measured from.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// What the known list says of `id`; `None` when it is known only as an ID (or no rule
    /// needs to know).
    pub fn known(&self, id: VideoId) -> Option<Subject<'v>> {
        self.known.get(&id).map(|video| Subject::of(video))
    }

    /// What the rules see of `id`, known or not.
    pub fn of(&self, id: VideoId) -> Subject<'v> {
        self.known(id).unwrap_or_else(|| bare_subject(id, self.now))
    }
}

/// An ID known only as an ID (`delete ID` takes IDs not in the list): the rules see no label,
/// title or status, and an age of zero.
pub fn bare_subject(id: VideoId, now: Timestamp) -> Subject<'static> {
    Subject {
        id,
        label: None,
        title: None,
        status: None,
        created_at: None,
        added_at: now,
        generation: GenerationFacts::default(),
    }
}

#[cfg(test)]
mod tests;
