//! The keymap: which key does which action in which context. Built from the table of actions
//! (`actions!`) and the user's `[keys]` in config.toml; each context reads a key through it
//! as one of its own actions (`read`), and the help, the footer and each dialog's key line
//! ask it which keys to show, so they always agree. It checks a rebinding against every
//! context the app has (`update::contexts`) before accepting it; it runs no action itself.

mod actions;
mod context;
mod key;

pub use actions::{Action, Section, Spec};
pub(crate) use context::keys;
pub use context::{Actions, AnyContext, Context, Move, Press, Typing};
pub use key::Key;

use crate::config::{KeyBinding, Refused};
use crate::tui::update::contexts;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    /// Each action's keys, by `Action as usize`; none is empty.
    keys: Vec<Vec<Key>>,
    /// Every key with its action, in table order: what `read` looks through.
    bound: Vec<(Key, Action)>,
    /// The footer's reminder, made once (every frame draws it).
    hints: String,
}

/// The way out no `[keys]` can take away (`Press::Escape` in every context): `cancel` in the
/// table and the filter line (cancel the batch, else quit), `close` everywhere else (and in
/// the history's search line, where neither works). Only those two actions may have it, and
/// both always do, so the help lists it.
const ESCAPE_HATCH: Key = Key::ctrl('c');

/// The shell's suspend key: the app answers it as the shell would (it stops, giving the
/// screen back; `fg` brings it back), wherever the keyboard is, before any action. No
/// `[keys]` entry can take it.
pub const SUSPEND_KEY: Key = Key::ctrl('z');

impl Default for Keymap {
    fn default() -> Self {
        Self::from_keys(
            Action::ALL
                .iter()
                .map(|action| action.spec().keys.to_vec())
                .collect(),
        )
    }
}

impl Keymap {
    /// The defaults with `bindings` in place of the keys of the actions they name. Refused
    /// when an action or key name is unknown, an action is left without a key, a key is
    /// bound twice in one context, a key would no longer type in a text field, `Ctrl-c` is
    /// given to an action other than `cancel` and `close` (`ESCAPE_HATCH`), `Ctrl-z` is given
    /// to any (`SUSPEND_KEY`), or a key that
    /// opens a question would also answer `yes` to it. `cancel` and `close` keep `Ctrl-c`
    /// whatever keys they are given, so no keymap can leave the user unable to quit.
    pub fn with_bindings(bindings: &[KeyBinding]) -> Result<Self, Refused> {
        let mut keymap = Self::default();
        // The line that rebound each action, for errors about a clash it causes.
        let mut rebound_at = vec![None; Action::ALL.len()];
        for binding in bindings {
            let fail = |line, reason| Err(Refused { line, reason });
            let Some(action) = Action::by_name(&binding.action) else {
                let renamed = actions::RENAMED
                    .iter()
                    .find(|(old, _)| *old == binding.action);
                return fail(
                    binding.line,
                    match renamed {
                        Some((old, new)) => format!("`{old}` is now called `{new}`"),
                        None => format!(
                            "`{}` is not an action; the README lists them (e.g. delete, mark, \
                             filter)",
                            binding.action
                        ),
                    },
                );
            };
            if binding.keys.is_empty() {
                return fail(
                    binding.line,
                    format!("`{}` needs at least one key", binding.action),
                );
            }
            let mut keys = Vec::new();
            for (name, line) in &binding.keys {
                let Some(key) = Key::parse(name) else {
                    return fail(
                        *line,
                        format!(
                            "`{name}` is not a key name; write keys as the help shows them \
                             (d, D, Space, Enter, Esc, Delete, Ctrl-a, PgDn, F5, ↑ or Up...)"
                        ),
                    );
                };
                if action == Action::Yes && key == Key::plain(crossterm::event::KeyCode::Enter) {
                    return fail(
                        *line,
                        "`yes` cannot be Enter: Enter alone never confirms a delete".to_owned(),
                    );
                }
                if key == SUSPEND_KEY {
                    return fail(
                        *line,
                        format!(
                            "`{key}` goes back to the shell (as in any terminal program; `fg` \
                             returns), so it cannot be `{}`; give it another key",
                            binding.action
                        ),
                    );
                }
                if key == ESCAPE_HATCH && !matches!(action, Action::CancelBatch | Action::Close) {
                    return fail(
                        *line,
                        format!(
                            "`{key}` always cancels or quits (the table, the filter line) and \
                             closes (dialogs, views), so no keymap can lock you out; give `{}` \
                             another key",
                            binding.action
                        ),
                    );
                }
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            if matches!(action, Action::CancelBatch | Action::Close)
                && !keys.contains(&ESCAPE_HATCH)
            {
                keys.push(ESCAPE_HATCH);
            }
            keymap.keys[action as usize] = keys;
            rebound_at[action as usize] = Some(binding.line);
        }
        if let Some((asks, key)) = keymap.question_answered_by_its_key() {
            let line = [asks, Action::Yes]
                .iter()
                .filter_map(|&action| rebound_at[action as usize])
                .max()
                .unwrap_or(0);
            return Err(Refused {
                line,
                reason: format!(
                    "`{key}` would be both `{}` and `yes`: a key that asks a question must not \
                     also answer it (pressed twice, it would say yes unasked); give one of \
                     them another key",
                    asks.spec().name
                ),
            });
        }
        let keymap = Self::from_keys(keymap.keys);
        match keymap.first_conflict() {
            None => Ok(keymap),
            Some(conflict) => {
                let line = conflict
                    .actions()
                    .iter()
                    .filter_map(|&action| rebound_at[action as usize])
                    .max()
                    .unwrap_or(0);
                Err(Refused {
                    line,
                    reason: conflict.to_string(),
                })
            }
        }
    }

    /// Each action's keys as given.
    fn from_keys(keys: Vec<Vec<Key>>) -> Self {
        let bound = Action::ALL
            .iter()
            .flat_map(|&action| keys[action as usize].iter().map(move |&key| (key, action)))
            .collect();
        let mut keymap = Self {
            keys,
            bound,
            hints: String::new(),
        };
        let hints: Vec<String> = Action::ALL
            .iter()
            .filter_map(|&action| Some((action, action.spec().hint?)))
            .map(|(action, hint)| format!("{} {hint}", keymap.key(action)))
            .collect();
        keymap.hints = hints.join("  ");
        keymap
    }

    /// What `key` is in the context `C`: one of its actions (the first bound to it, in table
    /// order; `with_bindings` refuses a key bound twice in one context), the way out, or
    /// neither.
    pub fn read<C: Context>(&self, key: Key) -> Press<C> {
        debug_assert!(
            contexts().any(|context| context.name == C::NAME),
            "{} is missing from update::contexts, so no rebinding is checked against it",
            C::NAME
        );
        if key == ESCAPE_HATCH {
            return Press::Escape;
        }
        self.action(&AnyContext::of::<C>(), key)
            .and_then(C::of)
            .map_or(Press::Other(key), Press::Action)
    }

    /// The action `key` has in `context`, if any: the first bound to it, in table order.
    fn action(&self, context: &AnyContext, key: Key) -> Option<Action> {
        self.bound
            .iter()
            .find(|&&(bound, action)| bound == key && context.takes(action))
            .map(|&(_, action)| action)
    }

    /// An action that asks a question and a key it shares with `yes`, if any.
    fn question_answered_by_its_key(&self) -> Option<(Action, Key)> {
        let yes = self.keys(Action::Yes);
        Action::ALL
            .iter()
            .filter(|action| action.spec().asks)
            .find_map(|&action| {
                self.keys(action)
                    .iter()
                    .find(|key| yes.contains(key))
                    .map(|&key| (action, key))
            })
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        &self.keys[action as usize]
    }

    /// The first key of `action`, as hints name it ("Esc cancel").
    pub fn key(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map_or_else(String::new, ToString::to_string)
    }

    /// Every key of `action`, as the help lists them ("d Delete").
    pub fn names(&self, action: Action) -> String {
        let names: Vec<String> = self.keys(action).iter().map(ToString::to_string).collect();
        names.join(" ")
    }

    /// The help line of `spec`, its `{action}` placeholders filled with the keys bound now.
    pub fn describe(&self, spec: &Spec) -> String {
        let mut out = String::new();
        let mut rest = spec.description;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                break;
            };
            match Action::by_name(&after[..close]) {
                Some(action) => out.push_str(&self.key(action)),
                None => out.push_str(&rest[open..=open + 1 + close]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The footer's reminder: `Space mark  v range  / filter ...`.
    pub fn hints(&self) -> &str {
        &self.hints
    }

    /// The first context where one key means two actions, or types text and acts.
    fn first_conflict(&self) -> Option<Conflict> {
        for context in contexts() {
            let bound: Vec<(Key, Action)> = self
                .bound
                .iter()
                .copied()
                .filter(|&(_, action)| context.takes(action))
                .collect();
            for (i, &(key, action)) in bound.iter().enumerate() {
                if context.types(key) {
                    return Some(Conflict::Types {
                        key,
                        action,
                        context: context.name,
                    });
                }
                if let Some(&(_, first)) = bound[..i].iter().find(|(k, _)| *k == key) {
                    return Some(Conflict::Twice {
                        key,
                        actions: [first, action],
                        context: context.name,
                    });
                }
            }
        }
        None
    }
}

/// A key that would mean two things in one context.
#[derive(Debug)]
enum Conflict {
    Twice {
        key: Key,
        actions: [Action; 2],
        context: &'static str,
    },
    Types {
        key: Key,
        action: Action,
        context: &'static str,
    },
}

impl Conflict {
    fn actions(&self) -> &[Action] {
        match self {
            Self::Twice { actions, .. } => actions,
            Self::Types { action, .. } => std::slice::from_ref(action),
        }
    }
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Twice {
                key,
                actions: [a, b],
                context,
            } => write!(
                f,
                "`{key}` would be both `{}` and `{}` in {context}; give one of them other keys",
                a.spec().name,
                b.spec().name,
            ),
            Self::Types {
                key,
                action,
                context,
            } => write!(
                f,
                "`{key}` types text in {context}, so it cannot also be `{}` there",
                action.spec().name
            ),
        }
    }
}

#[cfg(test)]
mod tests;
