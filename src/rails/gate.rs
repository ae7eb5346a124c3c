//! The gate: `Rails::check` turns the IDs a user asked to delete into a `Checked` batch
//! (read-only refused, protected videos left out, a batch over the limit refused), and only
//! `Checked::confirm` (with the profile's name, when it asks for it) makes the `Cleared`
//! batch the engine takes. Neither type can be built any other way, so whatever path a
//! delete takes (the app's confirmation, `delete` with IDs, `--from`, `--all`, `--resume`),
//! it went through here. `Rails::preview` shows a dry run the same batch, and why the rails
//! would refuse it, as a `Preview`, which nothing turns into a `Checked` one.

use jiff::Timestamp;

use super::{Protection, Rails, bare_subject};
use crate::api::VideoId;
use crate::query::Subject;
use crate::store::IdSet;

/// Why a batch is refused whole, before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{}: nothing is deleted", read_only_words(profile))]
    ReadOnly { profile: Option<String> },
    #[error(
        "{count} video(s) to delete is more than the limit of {max} ({}); nothing is \
         deleted: delete fewer at a time",
        limit_words(profile)
    )]
    OverLimit {
        profile: Option<String>,
        count: usize,
        max: usize,
    },
}

fn read_only_words(profile: &Option<String>) -> String {
    match profile {
        Some(name) => format!("profile {name} is read-only"),
        None => "read_only = true in the config".to_owned(),
    }
}

fn limit_words(profile: &Option<String>) -> String {
    match profile {
        Some(name) => format!("max_delete of profile {name}, or --max-delete"),
        None => "max_delete, or --max-delete".to_owned(),
    }
}

/// What the rails make of a batch, whether or not they refuse it: the IDs they would let
/// through, in the order asked, and the protected ones left out, with why. For a dry run:
/// nothing turns it into a batch that can be confirmed.
#[derive(Debug, PartialEq, Eq)]
pub struct Preview {
    batch: Passed,
    /// Why the batch is refused whole, when it is.
    refusal: Option<Refusal>,
}

/// The asked IDs protection lets pass, in order, and those it left out, with why: what a
/// `Checked` batch and a `Preview` both hold (and show through `Deref`).
#[derive(Debug, PartialEq, Eq)]
pub struct Passed {
    ids: Vec<VideoId>,
    /// Positions in the asked list of the IDs left out as protected, ascending.
    protected: Vec<usize>,
    /// Why each of `protected` is, in the same order.
    reasons: Vec<Protection>,
}

/// IDs past the rails, in the order asked, protected ones left out; not yet confirmed. Only
/// `Rails::check` makes one.
#[derive(Debug, PartialEq, Eq)]
pub struct Checked {
    /// What would be sent, and what was left out.
    batch: Passed,
    /// The profile's name, when the batch is confirmed by typing it.
    name: Option<String>,
}

/// IDs the user confirmed past the rails: the only thing the engine sends. Fields private and
/// no `Clone`, so only `Checked::confirm` makes one and it is sent at most once.
#[derive(Debug, PartialEq, Eq)]
pub struct Cleared {
    ids: Vec<VideoId>,
}

impl Rails {
    /// The one gate: refuses every batch on a read-only profile, leaves out what the profile
    /// protects, then refuses a batch that would still send more than `max_delete`. `asked`
    /// is taken whole (a million IDs are not copied when nothing is protected). `subject`
    /// tells the rules what is known of an ID (`None`: known only as an ID); when anything
    /// is protected at all, it is called once for each asked ID, in order, so a caller may
    /// walk its own rows alongside.
    pub fn check<'s>(
        &self,
        asked: Vec<VideoId>,
        subject: impl FnMut(VideoId) -> Option<Subject<'s>>,
        now: Timestamp,
    ) -> Result<Checked, Refusal> {
        let Preview { batch, refusal } = self.preview(asked, subject, now);
        match refusal {
            Some(refusal) => Err(refusal),
            None => Ok(Checked {
                batch,
                name: self.name_to_type().map(str::to_owned),
            }),
        }
    }

    /// What `check` would make of `asked`, refused or not: for a dry run, which shows the
    /// batch and why the real run would be refused. Protection is decided the same way.
    pub fn preview<'s>(
        &self,
        mut asked: Vec<VideoId>,
        mut subject: impl FnMut(VideoId) -> Option<Subject<'s>>,
        now: Timestamp,
    ) -> Preview {
        let mut protected = Vec::new();
        let mut reasons = Vec::new();
        if self.protects_anything() {
            let mut pass = self.pass(now);
            let mut at = 0;
            asked.retain(|&id| {
                let about = subject(id).unwrap_or_else(|| bare_subject(id, now));
                let why = pass.protects(&about);
                if let Some(why) = why {
                    protected.push(at);
                    reasons.push(why);
                }
                at += 1;
                why.is_none()
            });
        }
        let profile = &self.settings.profile;
        let refusal = match self.settings.max_delete {
            _ if self.settings.read_only => Some(Refusal::ReadOnly {
                profile: profile.clone(),
            }),
            Some(max) if asked.len() > max => Some(Refusal::OverLimit {
                profile: profile.clone(),
                count: asked.len(),
                max,
            }),
            _ => None,
        };
        Preview {
            batch: Passed {
                ids: asked,
                protected,
                reasons,
            },
            refusal,
        }
    }
}

impl Passed {
    /// What would be sent, in order (were a previewed batch not refused).
    pub fn ids(&self) -> &[VideoId] {
        &self.ids
    }

    /// Where the protected IDs were in the asked list, ascending.
    pub fn protected(&self) -> &[usize] {
        &self.protected
    }

    /// Why each of `protected` is protected, in the same order (for `Rails::reason`).
    pub fn reasons(&self) -> &[Protection] {
        &self.reasons
    }
}

impl std::ops::Deref for Preview {
    type Target = Passed;

    fn deref(&self) -> &Passed {
        &self.batch
    }
}

impl std::ops::Deref for Checked {
    type Target = Passed;

    fn deref(&self) -> &Passed {
        &self.batch
    }
}

impl Preview {
    /// Why the real run would be refused whole, if it would.
    pub fn refusal(&self) -> Option<&Refusal> {
        self.refusal.as_ref()
    }
}

impl Checked {
    /// The name to type to confirm, when the profile asks for it.
    pub fn name_to_type(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The user confirmed. A profile that asks for its name takes only that exact name
    /// (`typed`); any other answer, or none, gives the batch back unconfirmed.
    pub fn confirm(self, typed: Option<&str>) -> Result<Cleared, Self> {
        match &self.name {
            Some(name) if typed != Some(name.as_str()) => Err(self),
            _ => Ok(Cleared {
                ids: self.batch.ids,
            }),
        }
    }
}

impl Cleared {
    pub fn ids(&self) -> &[VideoId] {
        &self.ids
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Takes the IDs in `ids` out of the batch (protected since it was confirmed), and
    /// returns them in batch order. A batch only ever shrinks after its confirmation.
    pub fn leave_out(&mut self, ids: &IdSet) -> Vec<VideoId> {
        if ids.is_empty() {
            return Vec::new();
        }
        let mut left_out = Vec::new();
        self.ids.retain(|id| {
            let out = ids.contains(id);
            if out {
                left_out.push(*id);
            }
            !out
        });
        left_out
    }

    /// What the engine queues.
    pub fn into_ids(self) -> Vec<VideoId> {
        self.ids
    }
}
