//! The modals and prompts that take the keyboard from the table. Each owns its state, its
//! keys (a context: the actions it takes, read through the keymap) and its key handling (one
//! file each), and answers every key with what happens next (`Next`): stay open with a new
//! state, close, or close and hand the app something to do (`Then`). A modal that does not
//! say `Stay` is closed, so none can be left open, or closed, by mistake. Drawing is
//! `view::modals`' and `view::panels`'.

mod add_ids;
mod confirm;
mod export;
mod grace;
mod help;
mod history;
mod key_prompt;
mod question;

use std::path::PathBuf;

use jiff::Timestamp;

pub use add_ids::AddIds;
pub use confirm::{ConfirmDelete, ConfirmedBatch, Refused};
pub use export::ExportPrompt;
pub use grace::Grace;
pub use help::Scroll;
pub use history::History;
pub use key_prompt::KeyPrompt;

use super::app::App;
use super::keymap::{AnyContext, Key};
use super::text_field::TextField;
use crate::api::{ApiKey, VideoId};

/// At most one modal is open; the table gets the keys when it is `None`.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Modal {
    #[default]
    None,
    Confirm(ConfirmDelete),
    /// The rails refused the batch whole (over the limit): nothing to confirm.
    Refused(Refused),
    Grace(Grace),
    ConfirmForget(Vec<VideoId>),
    ConfirmQuit,
    /// The export's file is already there: replace it?
    ConfirmReplace(PathBuf),
    AddIds(AddIds),
    KeyPrompt(KeyPrompt),
    Detail,
    Help(Scroll),
    History(History),
    Export(ExportPrompt),
}

/// What happens after a modal handled a key.
#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub enum Next<M> {
    /// Stay open, with this state.
    Stay(M),
    /// Close; nothing else happens.
    Close,
    /// Close, and the app does this.
    Then(Then),
}

impl<M> Next<M> {
    pub fn map<N>(self, open: impl FnOnce(M) -> N) -> Next<N> {
        match self {
            Self::Stay(modal) => Next::Stay(open(modal)),
            Self::Close => Next::Close,
            Self::Then(then) => Next::Then(then),
        }
    }
}

/// What a closing modal asks of the app.
#[derive(Debug, PartialEq, Eq)]
pub enum Then {
    /// Say this in the footer.
    Notice(String),
    /// The user confirmed these IDs: the grace countdown starts (or they go at once).
    Confirmed(ConfirmedBatch),
    /// The countdown ran out: they go to the engine.
    Send(ConfirmedBatch),
    /// Take these out of the local list.
    Forget(Vec<VideoId>),
    /// Add these to the local list.
    Add {
        ids: Vec<VideoId>,
        label: Option<String>,
    },
    /// Use this key from now on.
    SetKey {
        key: ApiKey,
        save: bool,
    },
    /// Write the marked rows' IDs to this file (as typed), unless a file is already there.
    Export(String),
    /// Write them to this file, replacing the one there.
    Replace(PathBuf),
    /// Show this video's row in the table.
    GoTo(VideoId),
    Quit,
}

impl Modal {
    /// Hands `key` to the open modal, which reads it in its context; `app` is the rest of the
    /// model, read-only.
    pub fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match self {
            Self::None => Next::Close,
            Self::Confirm(confirm) => confirm.on_key(key, app).map(Self::Confirm),
            Self::Refused(refused) => refused.on_key(key, app).map(Self::Refused),
            Self::Grace(grace) => grace.on_key(key, app).map(Self::Grace),
            Self::ConfirmForget(ids) => question::forget(ids, key, app).map(Self::ConfirmForget),
            Self::ConfirmQuit => question::quit(key, app).map(|()| Self::ConfirmQuit),
            Self::ConfirmReplace(path) => {
                question::replace(path, key, app).map(Self::ConfirmReplace)
            }
            Self::AddIds(add) => add.on_key(key, app).map(Self::AddIds),
            Self::KeyPrompt(prompt) => prompt.on_key(key, app).map(Self::KeyPrompt),
            Self::Detail => help::detail(key, app).map(|()| Self::Detail),
            Self::Help(scroll) => help::help(scroll, key, app).map(Self::Help),
            Self::History(history) => history.on_key(key, app).map(Self::History),
            Self::Export(prompt) => prompt.on_key(key, app).map(Self::Export),
        }
    }

    /// The contexts the modals read keys in, for the keymap's checks.
    pub fn contexts() -> [AnyContext; 11] {
        [
            AnyContext::of::<confirm::CountKey>(),
            AnyContext::of::<confirm::NameKey>(),
            AnyContext::of::<grace::GraceKey>(),
            AnyContext::of::<question::QuestionKey>(),
            AnyContext::of::<add_ids::AddIdsKey>(),
            AnyContext::of::<key_prompt::KeyPromptKey>(),
            AnyContext::of::<help::DetailKey>(),
            AnyContext::of::<help::HelpKey>(),
            AnyContext::of::<history::ListKey>(),
            AnyContext::of::<history::SearchKey>(),
            AnyContext::of::<export::ExportKey>(),
        ]
    }

    /// Pasted text goes to the open prompt's field; other modals ignore it (a paste never
    /// answers a question).
    pub fn on_paste(&mut self, text: &str, app: &App) {
        match self {
            Self::AddIds(add) => add.paste(text, app),
            Self::KeyPrompt(prompt) => prompt.paste(text),
            Self::Export(prompt) => prompt.paste(text),
            Self::History(history) => history.paste(text),
            _ => {}
        }
    }

    /// Time passes: the grace countdown may run out.
    pub fn on_tick(self, now: Timestamp) -> Next<Self> {
        match self {
            Self::Grace(grace) => grace.on_tick(now).map(Self::Grace),
            other => Next::Stay(other),
        }
    }

    /// Whether nothing is open, or only a view (help, details, history): what a question
    /// or prompt the app must ask may take the place of.
    pub fn is_view_or_none(&self) -> bool {
        matches!(
            self,
            Self::None | Self::Help(_) | Self::Detail | Self::History(_)
        )
    }

    /// The grace deadline, when a countdown is running (the loop ticks faster then).
    pub fn grace_deadline(&self) -> Option<Timestamp> {
        match self {
            Self::Grace(grace) => Some(grace.deadline()),
            _ => None,
        }
    }
}

/// Types `key` into `field`, if it is a character (with no Ctrl or Alt) the field takes;
/// whether the field changed.
pub fn type_into(field: &mut TextField, key: Key) -> bool {
    key.typed().is_some_and(|c| field.type_char(c))
}
