//! Contexts: where keys go (the table, the filter line, a dialog in one of its modes), each a
//! type whose variants are the actions it takes. The keymap reads a key as one of them
//! (`Keymap::read`) and gives a context nothing else, so its handler, a `match` with no `_`
//! arm, says what every key that can reach it does: a context that takes a new action does
//! not compile until its handler does something with it. A context is declared with `keys!`
//! and `impl Context`, whose items have no defaults, so each one decides them.

use super::Action;
use super::key::Key;
use crate::tui::app::text_field::Edit;

/// Some of the actions, as a type of their own: a context's keys, or a group of actions
/// contexts take together (`Move`, `Edit`).
pub trait Actions: Copy {
    /// `action` as one of these; `None` when it is not one.
    fn of(action: Action) -> Option<Self>;
}

/// Where keys go. `keys!` makes the enum and its `Actions`; this says the rest.
pub trait Context: Actions {
    /// How the help and config errors name it ("the filter line").
    const NAME: &'static str;
    /// What typing does there: a key that types cannot also be an action.
    const TYPING: Typing;
}

/// What typing does in a context with a text field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Typing {
    /// No field: every key is free for actions.
    Nothing,
    /// Only digits are typed (the count that confirms a large delete).
    Digits,
    /// Any character is typed.
    Text,
}

/// A key as a context reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Press<C> {
    /// One of the context's actions.
    Action(C),
    /// `Ctrl-c`, whatever the keymap: the way out of every context (cancel or quit in the
    /// table and the filter line, close elsewhere), so no keymap can lock the user in.
    Escape,
    /// A key that is none of its actions: a character typed, in a context with a field.
    Other(Key),
}

/// A context as the keymap's checks see it, whatever its type.
#[derive(Clone, Copy, Debug)]
pub struct AnyContext {
    pub name: &'static str,
    pub typing: Typing,
    takes: fn(Action) -> bool,
}

impl AnyContext {
    pub const fn of<C: Context>() -> Self {
        Self {
            name: C::NAME,
            typing: C::TYPING,
            takes: |action| C::of(action).is_some(),
        }
    }

    /// Whether `action` works here.
    pub fn takes(&self, action: Action) -> bool {
        (self.takes)(action)
    }

    /// Whether typing here would type `key` instead of acting on it.
    pub fn types(&self, key: Key) -> bool {
        match (self.typing, key.typed()) {
            (Typing::Text, Some(_)) => true,
            (Typing::Digits, Some(c)) => c.is_ascii_digit(),
            (Typing::Nothing, _) | (Typing::Text | Typing::Digits, None) => false,
        }
    }
}

/// Declares a context's keys (or a group of actions): an enum whose variants are named as the
/// actions they are (`Yes`), or hold a group of them (`Edit(Edit)`), and its `Actions`, which
/// reads an action as one of them. The variants are the whole list: nothing else reaches it.
macro_rules! keys {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident { $($variant:ident $(($group:ty))?),* $(,)? }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $($variant $(($group))?,)*
        }

        impl $crate::tui::keymap::Actions for $name {
            fn of(action: $crate::tui::keymap::Action) -> Option<Self> {
                $($crate::tui::keymap::keys!(@read action, $variant $(($group))?);)*
                None
            }
        }
    };
    (@read $action:ident, $variant:ident) => {
        if $action == $crate::tui::keymap::Action::$variant {
            return Some(Self::$variant);
        }
    };
    (@read $action:ident, $variant:ident ($group:ty)) => {
        if let Some(keys) = <$group as $crate::tui::keymap::Actions>::of($action) {
            return Some(Self::$variant(keys));
        }
    };
}
pub(crate) use keys;

keys! {
    /// The movement keys: the table's cursor, and the scrolling views (the help, the history).
    pub enum Move { Up, Down, Top, Bottom, PageUp, PageDown }
}

/// The editing keys of a text field.
impl Actions for Edit {
    fn of(action: Action) -> Option<Self> {
        Some(match action {
            Action::CursorLeft => Self::Left,
            Action::CursorRight => Self::Right,
            Action::LineStart => Self::Start,
            Action::LineEnd => Self::End,
            Action::DeleteBack => Self::DeleteBack,
            Action::DeleteForward => Self::DeleteForward,
            Action::DeleteWord => Self::DeleteWord,
            Action::DeleteToStart => Self::DeleteToStart,
            _ => return None,
        })
    }
}
