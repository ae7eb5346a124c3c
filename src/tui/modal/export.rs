//! The export prompt: the name of the file the marked rows' IDs are written to, one per line.
//! `submit` writes (the loop does, atomically; a failure is said in the footer and nothing is
//! written); `close` writes nothing.

use ratatui::Frame;
use ratatui::text::Line;

use super::draw::{PROMPT_WIDTH, boxed, field_line, inner_width, prompt_end};
use super::{Dialog, Kind, Next, Then, type_into};
use crate::tui::app::App;
use crate::tui::app::text_field::{Accepts, Edit, TextField};
use crate::tui::keymap::{AnyContext, Context, Key, Keymap, Press, Typing, keys};
use crate::tui::view::Theme;

keys! {
    /// The export prompt's keys.
    pub enum ExportKey { Submit, Close, Edit(Edit) }
}

impl Context for ExportKey {
    const NAME: &'static str = "the export prompt";
    const TYPING: Typing = Typing::Text;
}

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

    fn answer(mut self, keymap: &Keymap, key: Key) -> Next<Self> {
        let changed = match keymap.read(key) {
            Press::Escape | Press::Action(ExportKey::Close) => return Next::Close,
            Press::Action(ExportKey::Submit) => {
                let path = self.path.text().trim();
                if path.is_empty() {
                    self.error = Some("Type the name of the file to write.".to_owned());
                    return Next::Stay(self);
                }
                return Next::Then(Then::Export(path.to_owned()));
            }
            Press::Action(ExportKey::Edit(edit)) => self.path.edit(edit),
            Press::Other(key) => type_into(&mut self.path, key),
        };
        if changed {
            self.error = None;
        }
        Next::Stay(self)
    }
}

impl Dialog for ExportPrompt {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<ExportKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        self.answer(app.keymap(), key)
    }

    fn on_paste(&mut self, text: &str, _app: &App) {
        self.path.paste(text.trim());
    }

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let width = inner_width(frame, PROMPT_WIDTH);
        let mut lines = vec![
            Line::from(format!(
                "Write the {} marked ID(s) to a file, one per line;",
                self.count
            )),
            Line::from("a file of that name is replaced."),
            Line::from(""),
            field_line("File: ", &self.path, width, false, theme.accent()),
        ];
        prompt_end(
            app,
            self.error.as_deref(),
            ("write", "cancel"),
            theme,
            &mut lines,
        );
        boxed(frame, theme, "Export", lines, PROMPT_WIDTH);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyCode;

    #[test]
    fn submit_asks_for_the_file_typed_and_refuses_no_name() {
        let keymap = Keymap::default();
        let prompt = ExportPrompt::new(3);
        let enter = Key::plain(KeyCode::Enter);
        let Next::Stay(mut prompt) = prompt.answer(&keymap, enter) else {
            panic!("an empty name is refused");
        };
        assert!(prompt.error.is_some());
        prompt.on_paste("  ids.txt \n", &crate::tui::update::tests::app(0));
        assert_eq!(
            prompt.answer(&keymap, enter),
            Next::Then(Then::Export("ids.txt".to_owned()))
        );
        let esc = Key::plain(KeyCode::Esc);
        assert_eq!(ExportPrompt::new(1).answer(&keymap, esc), Next::Close);
    }
}
