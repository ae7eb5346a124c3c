//! "ids.txt is already there. Replace it?", when the export would write over a file: `yes`
//! writes the marked IDs over it; `no` writes nothing and says so.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::text::Line;

use super::draw::boxed;
use super::question::{QuestionKey, yes_no};
use super::{Dialog, Kind, Next, Then};
use crate::tui::app::App;
use crate::tui::keymap::{AnyContext, Key, Press};
use crate::tui::view::Theme;

/// The file that is already there.
#[derive(Debug, PartialEq, Eq)]
pub struct Replace(pub PathBuf);

impl Dialog for Replace {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<QuestionKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Action(QuestionKey::Yes) => Next::Then(Then::Replace(self.0)),
            Press::Escape | Press::Action(QuestionKey::No | QuestionKey::Close) => {
                Next::Then(Then::Notice(format!(
                    "Nothing was written; {} is as it was.",
                    self.0.display()
                )))
            }
            Press::Other(_) => Next::Stay(self),
        }
    }

    /// Ignored: a paste never answers a question.
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let lines = vec![
            Line::from(format!("{} is already there.", self.0.display())),
            Line::from(format!(
                "Replace it with the {} marked ID(s)?",
                app.marks().count()
            )),
            Line::from(""),
            yes_no(app, "replace", "keep it"),
        ];
        boxed(frame, theme, "Export", lines, 56);
    }
}
