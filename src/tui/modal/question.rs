//! What the yes/no questions that are not about deleting (forget, quit, replace a file)
//! share: their keys, and the line that says them. `yes` acts; `no` and `close` leave things
//! as they are.

use ratatui::text::Line;

use crate::tui::app::App;
use crate::tui::keymap::{Action, Context, Typing, keys};

keys! {
    /// A yes/no question's keys.
    pub enum QuestionKey { Yes, No, Close }
}

impl Context for QuestionKey {
    const NAME: &'static str = "a yes/no question";
    const TYPING: Typing = Typing::Nothing;
}

/// "y forget · n / Esc cancel": the keys of a yes/no question, with what yes does.
pub fn yes_no(app: &App, yes: &str, no: &str) -> Line<'static> {
    let keymap = app.keymap();
    Line::from(format!(
        "{} {yes} · {} / {} {no}",
        keymap.key(Action::Yes),
        keymap.key(Action::No),
        keymap.key(Action::Close)
    ))
}
