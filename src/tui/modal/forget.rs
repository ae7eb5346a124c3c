//! "Forget these from the local list?": nothing is sent either way; `yes` takes the rows out
//! of the local list.

use ratatui::Frame;
use ratatui::text::Line;

use super::draw::{boxed, id_list, room};
use super::question::{QuestionKey, yes_no};
use super::{Dialog, Kind, Next, Then};
use crate::api::VideoId;
use crate::tui::app::App;
use crate::tui::keymap::{AnyContext, Key, Press};
use crate::tui::view::Theme;

/// The rows asked about, by ID.
#[derive(Debug, PartialEq, Eq)]
pub struct Forget(pub Vec<VideoId>);

impl Dialog for Forget {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<QuestionKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Action(QuestionKey::Yes) => Next::Then(Then::Forget(self.0)),
            Press::Escape | Press::Action(QuestionKey::No | QuestionKey::Close) => Next::Close,
            Press::Other(_) => Next::Stay(self),
        }
    }

    /// Ignored: a paste never answers a question.
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let ids = &self.0;
        let mut lines = vec![
            Line::from(format!(
                "Forget {} video(s) from the local list?",
                ids.len()
            )),
            Line::from("Nothing is sent; the videos stay on the server."),
            Line::from(""),
        ];
        id_list(ids, room(frame, lines.len() + 2), &mut lines);
        lines.push(Line::from(""));
        lines.push(yes_no(app, "forget", "cancel"));
        boxed(frame, theme, "Forget videos", lines, 56);
    }
}
