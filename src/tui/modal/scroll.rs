//! The scrolling views (the help, the history): how many lines of a body show at a terminal
//! size, and where a movement key moves a line. Arithmetic only, so a view's keys and its
//! drawing agree on it without the keys calling any drawing.

use crate::tui::keymap::Move;

/// Lines a scrolling view keeps off the screen: its border, the blank line and key line under
/// its body, and a margin that leaves the header and the footer in sight.
const VIEW_CHROME: u16 = 7;

/// How many lines of a scrolling view's body show at this terminal size (a page).
pub fn body_rows((_, height): (u16, u16)) -> usize {
    usize::from(height.saturating_sub(VIEW_CHROME).max(1))
}

/// Where a line at `at` goes when a movement key moves it (`page` lines a page), never past
/// `last`: the help's top line and the history's selection move alike.
pub fn stepped(at: usize, to: Move, page: usize, last: usize) -> usize {
    match to {
        Move::Up => at.saturating_sub(1),
        Move::Down => at + 1,
        Move::PageUp => at.saturating_sub(page),
        Move::PageDown => at + page,
        Move::Top => 0,
        Move::Bottom => last,
    }
    .min(last)
}
