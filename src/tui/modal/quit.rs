//! "A batch is running. Quit now?": `yes` quits (queued videos end cancelled, in-flight ones
//! finish); `no` keeps going.

use ratatui::Frame;
use ratatui::text::Line;

use super::draw::boxed;
use super::question::{QuestionKey, yes_no};
use super::{Dialog, Kind, Next, Then};
use crate::tui::app::App;
use crate::tui::keymap::{AnyContext, Key, Press};
use crate::tui::view::Theme;

#[derive(Debug, PartialEq, Eq)]
pub struct Quit;

impl Dialog for Quit {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<QuestionKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Action(QuestionKey::Yes) => Next::Then(Then::Quit),
            Press::Escape | Press::Action(QuestionKey::No | QuestionKey::Close) => Next::Close,
            Press::Other(_) => Next::Stay(self),
        }
    }

    /// Ignored: a paste never answers a question.
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let lines = vec![
            Line::from("A batch is running. Quit now?"),
            Line::from("Queued videos end cancelled; in-flight ones finish."),
            Line::from(""),
            yes_no(app, "quit", "keep going"),
        ];
        boxed(frame, theme, "Quit", lines, 56);
    }
}
