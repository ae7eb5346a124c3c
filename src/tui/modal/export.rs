//! The export prompt: the name of the file the marked rows' IDs are written to, one per line.
//! `submit` writes (the loop does, atomically; a failure is said in the footer and nothing is
//! written); `close` writes nothing.

use super::{Next, Press, Then, edit_field};
use crate::tui::keymap::Action;
use crate::tui::text_field::{Accepts, TextField};

#[derive(Debug, PartialEq, Eq)]
pub struct ExportPrompt {
    pub path: TextField,
    /// How many IDs it will write (the marked rows when it opened).
    pub count: usize,
    /// Why the last `submit` was refused (an empty name).
    pub error: Option<String>,
}

impl ExportPrompt {
    pub fn new(count: usize) -> Self {
        Self {
            path: TextField::new(Accepts::Line),
            count,
            error: None,
        }
    }

    pub fn on_key(mut self, press: Press) -> Next<Self> {
        match press.action {
            Some(Action::Close) => Next::Close,
            Some(Action::Submit) => {
                let path = self.path.text().trim();
                if path.is_empty() {
                    self.error = Some("Type the name of the file to write.".to_owned());
                    Next::Stay(self)
                } else {
                    Next::Then(Then::Export(path.to_owned()))
                }
            }
            _ => {
                if edit_field(&mut self.path, press) == Some(true) {
                    self.error = None;
                }
                Next::Stay(self)
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.path.paste(text.trim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Key;
    use crossterm::event::KeyCode;

    fn press(action: Option<Action>, key: Key) -> Press {
        Press { action, key }
    }

    #[test]
    fn submit_asks_for_the_file_typed_and_refuses_no_name() {
        let prompt = ExportPrompt::new(3);
        let enter = press(Some(Action::Submit), Key::plain(KeyCode::Enter));
        let Next::Stay(mut prompt) = prompt.on_key(enter) else {
            panic!("an empty name is refused");
        };
        assert!(prompt.error.is_some());
        prompt.paste("  ids.txt \n");
        assert_eq!(
            prompt.on_key(enter),
            Next::Then(Then::Export("ids.txt".to_owned()))
        );
        let esc = press(Some(Action::Close), Key::plain(KeyCode::Esc));
        assert_eq!(ExportPrompt::new(1).on_key(esc), Next::Close);
    }
}
