//! The dialogs: the questions, prompts and views that take the keyboard from the table. A
//! dialog is one module holding its state, its keys (its contexts: the actions it takes,
//! read through the keymap), its key handling, a paste and its drawing, behind `Dialog`; it
//! is registered with one line in `dialogs!` below, which makes `Modal` and hands each call
//! to the open one. A dialog answers every key with what happens next (`Next`): stay open
//! with a new state, close, or close and hand the app something to do (`Then`). One that does
//! not say `Stay` is closed, so none can be left open, or closed, by mistake. Its key
//! handling never draws: what both need (how many lines a view shows) is `scroll`'s.

mod add_ids;
mod confirm;
mod detail;
mod draw;
mod export;
mod forget;
mod grace;
mod help;
mod history;
mod key_prompt;
mod question;
mod quit;
mod refused;
mod replace;
mod scroll;

use std::path::PathBuf;

use jiff::Timestamp;
use ratatui::Frame;

pub use add_ids::AddIds;
pub use confirm::{ConfirmDelete, ConfirmedBatch};
pub use detail::Detail;
pub use export::ExportPrompt;
pub use forget::Forget;
pub use grace::Grace;
pub use help::Help;
pub use history::History;
pub use key_prompt::KeyPrompt;
pub use quit::Quit;
pub use refused::Refused;
pub use replace::Replace;

use super::app::App;
use super::app::text_field::TextField;
use super::keymap::{AnyContext, Key};
use super::view::Theme;
use crate::api::{ApiKey, VideoId};

/// One dialog, whole. Its items have no defaults: each dialog decides each.
pub trait Dialog: Sized {
    /// The contexts it reads keys in (one per mode: the history's list and its search line),
    /// for the keymap's checks.
    const CONTEXTS: &'static [AnyContext];
    /// Whether a prompt the app opens on its own (the key prompt after a 401) may take its
    /// place.
    const KIND: Kind;
    /// Reads `key` in its context and answers it; `app` is the rest of the model, read-only.
    fn on_key(self, key: Key, app: &App) -> Next<Self>;
    /// Pasted text, into its field if it has one (a paste never answers a question).
    fn on_paste(&mut self, text: &str, app: &App);
    /// Draws it over the table, and nothing else.
    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame);
}

/// What a dialog is to a prompt the app must open on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// It only shows something (the help, the details, the history): the prompt takes its
    /// place.
    View,
    /// It asks or holds something (a question, a prompt, a countdown): it stays.
    Asks,
}

/// Registers the dialogs: makes `Modal` (none open, or one of them) and hands each `Dialog`
/// call to the open one. A new dialog is its module and one line in the list below.
macro_rules! dialogs {
    ($($(#[$attr:meta])* $variant:ident($dialog:ty),)*) => {
        /// At most one dialog is open; the table gets the keys when it is `None`.
        #[derive(Debug, Default, PartialEq, Eq)]
        pub enum Modal {
            #[default]
            None,
            $($(#[$attr])* $variant($dialog),)*
        }

        impl Modal {
            /// Hands `key` to the open dialog.
            pub fn on_key(self, key: Key, app: &App) -> Next<Self> {
                match self {
                    Self::None => Next::Close,
                    $(Self::$variant(dialog) => dialog.on_key(key, app).map(Self::$variant),)*
                }
            }

            /// Hands pasted text to the open dialog.
            pub fn on_paste(&mut self, text: &str, app: &App) {
                match self {
                    Self::None => {}
                    $(Self::$variant(dialog) => dialog.on_paste(text, app),)*
                }
            }

            /// Draws the open dialog over the table.
            pub fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
                match self {
                    Self::None => {}
                    $(Self::$variant(dialog) => dialog.draw(app, theme, frame),)*
                }
            }

            /// Whether nothing is open, or only a view: what a question or prompt the app
            /// must ask may take the place of.
            pub fn is_view_or_none(&self) -> bool {
                match self {
                    Self::None => true,
                    $(Self::$variant(_) => <$dialog as Dialog>::KIND == Kind::View,)*
                }
            }

            /// The contexts the dialogs read keys in, for the keymap's checks.
            pub fn contexts() -> impl Iterator<Item = AnyContext> {
                [$(<$dialog as Dialog>::CONTEXTS,)*].into_iter().flatten().copied()
            }
        }
    };
}

dialogs! {
    Confirm(ConfirmDelete),
    /// The rails refused the batch whole (over the limit): nothing to confirm.
    Refused(Refused),
    Grace(Grace),
    ConfirmForget(Forget),
    ConfirmQuit(Quit),
    /// The export's file is already there: replace it?
    ConfirmReplace(Replace),
    AddIds(AddIds),
    KeyPrompt(KeyPrompt),
    Detail(Detail),
    Help(Help),
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
    /// Time passes: the grace countdown may run out.
    pub fn on_tick(self, now: Timestamp) -> Next<Self> {
        match self {
            Self::Grace(grace) => grace.on_tick(now).map(Self::Grace),
            other => Next::Stay(other),
        }
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
