//! The masked key prompt, opened by a 401 (or by the `key` action). `submit` hands the key
//! to the app; `switch` ticks "save to config". The typed key is never shown nor in `Debug`.

use ratatui::Frame;
use ratatui::text::Line;

use super::draw::{PROMPT_WIDTH, boxed, field_line, inner_width, prompt_end};
use super::{Dialog, Kind, Next, Then, type_into};
use crate::api::ApiKey;
use crate::tui::app::App;
use crate::tui::app::text_field::{Accepts, Edit, TextField};
use crate::tui::keymap::{Action, AnyContext, Context, Key, Press, Typing, keys};
use crate::tui::view::Theme;

keys! {
    /// The key prompt's keys: `switch` ticks "save to config".
    pub enum KeyPromptKey { Submit, SwitchField, Close, Edit(Edit) }
}

impl Context for KeyPromptKey {
    const NAME: &'static str = "the API key prompt";
    const TYPING: Typing = Typing::Text;
}

#[derive(PartialEq, Eq)]
pub struct KeyPrompt {
    pub input: TextField,
    pub save: bool,
    /// Why the last key given was refused (never the key itself).
    pub error: Option<String>,
}

impl Default for KeyPrompt {
    fn default() -> Self {
        Self {
            input: TextField::new(Accepts::Line),
            save: false,
            error: None,
        }
    }
}

impl std::fmt::Debug for KeyPrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPrompt")
            .field("input_len", &self.input.text().chars().count())
            .field("save", &self.save)
            .field("error", &self.error)
            .finish()
    }
}

impl Dialog for KeyPrompt {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<KeyPromptKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(mut self, key: Key, app: &App) -> Next<Self> {
        let changed = match app.keymap().read(key) {
            Press::Escape | Press::Action(KeyPromptKey::Close) if app.batch_waits_for_key() => {
                return Next::Then(Then::Notice(format!(
                    "Paused: the batch waits for a key (press {}).",
                    app.keymap().key(Action::ApiKey)
                )));
            }
            Press::Escape | Press::Action(KeyPromptKey::Close) => return Next::Close,
            Press::Action(KeyPromptKey::Submit) => match ApiKey::new(self.input.text()) {
                Ok(key) => {
                    return Next::Then(Then::SetKey {
                        key,
                        save: self.save,
                    });
                }
                Err(err) => {
                    self.error = Some(err.to_string());
                    false
                }
            },
            Press::Action(KeyPromptKey::SwitchField) => {
                self.save = !self.save;
                false
            }
            Press::Action(KeyPromptKey::Edit(edit)) => self.input.edit(edit),
            Press::Other(key) => type_into(&mut self.input, key),
        };
        if changed {
            self.error = None;
        }
        Next::Stay(self)
    }

    fn on_paste(&mut self, text: &str, _app: &App) {
        if self.input.paste(text) {
            self.error = None;
        }
    }

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let keymap = app.keymap();
        let width = inner_width(frame, PROMPT_WIDTH);
        // What Enter and Esc do depends on whether a batch waits for this key.
        let waiting = app.batch_waits_for_key();
        let mut lines = vec![
            Line::from(match (waiting, app.key_needed(), app.key_set()) {
                (true, _, true) => "The server refused the API key; the batch is paused.",
                (true, _, false) => "Deleting needs an API key; the batch waits for one.",
                (false, true, _) => "The server refused the last key; enter another.",
                (false, false, _) => "Enter the API key for this account.",
            }),
            Line::from(""),
            field_line("Key: ", &self.input, width, true, theme.accent()),
            Line::from(format!(
                "[{}] save to config ({})",
                if self.save { "x" } else { " " },
                keymap.key(Action::SwitchField)
            )),
        ];
        let keys = if waiting {
            ("resume", "stay paused")
        } else {
            ("use this key", "cancel")
        };
        prompt_end(app, self.error.as_deref(), keys, theme, &mut lines);
        boxed(frame, theme, "API key", lines, PROMPT_WIDTH);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_input() {
        let mut prompt = KeyPrompt::default();
        prompt.input.paste("sk-SECRET");
        assert!(!format!("{prompt:?}").contains("SECRET"));
    }
}
