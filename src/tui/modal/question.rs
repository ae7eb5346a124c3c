//! The yes/no questions that are not about deleting: forgetting rows locally, quitting while
//! a batch runs, and replacing a file the export would write over. `yes` acts; `no` and
//! `close` leave things as they are.

use std::path::PathBuf;

use super::{Next, Then};
use crate::api::VideoId;
use crate::tui::app::App;
use crate::tui::keymap::{Context, Key, Press, Typing, keys};

keys! {
    /// A yes/no question's keys.
    pub enum QuestionKey { Yes, No, Close }
}

impl Context for QuestionKey {
    const NAME: &'static str = "a yes/no question";
    const TYPING: Typing = Typing::Nothing;
}

/// "Forget these from the local list?" (nothing is sent either way).
pub fn forget(ids: Vec<VideoId>, key: Key, app: &App) -> Next<Vec<VideoId>> {
    match app.keymap().read(key) {
        Press::Action(QuestionKey::Yes) => Next::Then(Then::Forget(ids)),
        Press::Escape | Press::Action(QuestionKey::No | QuestionKey::Close) => Next::Close,
        Press::Other(_) => Next::Stay(ids),
    }
}

/// "ids.txt is already there. Replace it?" (no: nothing is written).
pub fn replace(path: PathBuf, key: Key, app: &App) -> Next<PathBuf> {
    match app.keymap().read(key) {
        Press::Action(QuestionKey::Yes) => Next::Then(Then::Replace(path)),
        Press::Escape | Press::Action(QuestionKey::No | QuestionKey::Close) => {
            Next::Then(Then::Notice(format!(
                "Nothing was written; {} is as it was.",
                path.display()
            )))
        }
        Press::Other(_) => Next::Stay(path),
    }
}

/// "A batch is running. Quit now?"
pub fn quit(key: Key, app: &App) -> Next<()> {
    match app.keymap().read(key) {
        Press::Action(QuestionKey::Yes) => Next::Then(Then::Quit),
        Press::Escape | Press::Action(QuestionKey::No | QuestionKey::Close) => Next::Close,
        Press::Other(_) => Next::Stay(()),
    }
}
