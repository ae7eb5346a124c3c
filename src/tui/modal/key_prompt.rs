//! The masked key prompt, opened by a 401 (or by the `key` action). `submit` hands the key
//! to the app; `switch` ticks "save to config". The typed key is never shown nor in `Debug`.

use super::{Next, Then, type_into};
use crate::api::ApiKey;
use crate::tui::app::App;
use crate::tui::keymap::{Action, Context, Key, Press, Typing, keys};
use crate::tui::text_field::{Accepts, Edit, TextField};

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

impl KeyPrompt {
    pub fn on_key(mut self, key: Key, app: &App) -> Next<Self> {
        let changed = match app.keymap().read(key) {
            Press::Escape | Press::Action(KeyPromptKey::Close) if app.batch_waits_for_key() => {
                return Next::Then(Then::Notice(format!(
                    "Paused: the batch waits for a key (press {}).",
                    app.keymap().key(Action::Key)
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

    pub fn paste(&mut self, text: &str) {
        if self.input.paste(text) {
            self.error = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_input() {
        let mut prompt = KeyPrompt::default();
        prompt.paste("sk-SECRET");
        assert!(!format!("{prompt:?}").contains("SECRET"));
    }
}
