//! The yes/no questions that are not about deleting: forgetting rows locally, quitting while
//! a batch runs, and replacing a file the export would write over. `yes` acts; `no` and
//! `close` leave things as they are.

use std::path::PathBuf;

use super::{Next, Press, Then};
use crate::api::VideoId;
use crate::tui::keymap::Action;

/// "Forget these from the local list?" (nothing is sent either way).
pub fn forget(ids: Vec<VideoId>, press: Press) -> Next<Vec<VideoId>> {
    match press.action {
        Some(Action::Yes) => Next::Then(Then::Forget(ids)),
        Some(Action::No | Action::Close) => Next::Close,
        _ => Next::Stay(ids),
    }
}

/// "ids.txt is already there. Replace it?" (no: nothing is written).
pub fn replace(path: PathBuf, press: Press) -> Next<PathBuf> {
    match press.action {
        Some(Action::Yes) => Next::Then(Then::Replace(path)),
        Some(Action::No | Action::Close) => Next::Then(Then::Notice(format!(
            "Nothing was written; {} is as it was.",
            path.display()
        ))),
        _ => Next::Stay(path),
    }
}

/// "A batch is running. Quit now?"
pub fn quit(press: Press) -> Next<()> {
    match press.action {
        Some(Action::Yes) => Next::Then(Then::Quit),
        Some(Action::No | Action::Close) => Next::Close,
        _ => Next::Stay(()),
    }
}
