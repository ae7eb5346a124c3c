//! The two yes/no questions that are not about deleting: forgetting rows locally, and
//! quitting while a batch runs. `yes` acts; `no` and `close` leave things as they are.

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

/// "A batch is running. Quit now?"
pub fn quit(press: Press) -> Next<()> {
    match press.action {
        Some(Action::Yes) => Next::Then(Then::Quit),
        Some(Action::No | Action::Close) => Next::Close,
        _ => Next::Stay(()),
    }
}
