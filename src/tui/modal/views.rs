//! The read-only views over the table: the current row's details and the help (the history
//! has a file of its own). `close`, `quit` or the key that opened a view closes it; the help
//! scrolls with the table's movement keys.

use super::{Next, Press};
use crate::tui::app::App;
use crate::tui::keymap::Action;

/// How far a view is scrolled: the first line shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scroll {
    pub top: usize,
}

impl Scroll {
    /// Moves as `action` says, over `total` lines of which `rows` show at once, never past
    /// the last screenful.
    pub(super) fn moved(self, action: Action, total: usize, rows: usize) -> Self {
        let last = total.saturating_sub(rows.max(1));
        Self {
            top: stepped(self.top, action, rows, last),
        }
    }
}

/// Where a line at `at` goes when a movement key moves it (`page` lines a page), never past
/// `last`: the help's top line and the history's selection move alike.
pub(super) fn stepped(at: usize, action: Action, page: usize, last: usize) -> usize {
    match action {
        Action::Up => at.saturating_sub(1),
        Action::Down => at + 1,
        Action::PageUp => at.saturating_sub(page),
        Action::PageDown => at + page,
        Action::Top => 0,
        Action::Bottom => last,
        _ => at,
    }
    .min(last)
}

pub fn detail(press: Press) -> Next<()> {
    match press.action {
        Some(Action::Details | Action::Quit | Action::Close) => Next::Close,
        _ => Next::Stay(()),
    }
}

pub fn help(scroll: Scroll, press: Press, app: &App) -> Next<Scroll> {
    match press.action {
        Some(Action::Help | Action::Quit | Action::Close) => Next::Close,
        Some(action) => {
            let total = crate::tui::view::help_lines(app.keymap());
            let rows = crate::tui::view::scroll_rows(app.size());
            Next::Stay(scroll.moved(action, total, rows))
        }
        None => Next::Stay(scroll),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stops_at_the_last_screenful() {
        let scroll = |top, action| Scroll { top }.moved(action, 50, 20).top;
        assert_eq!(scroll(0, Action::Up), 0);
        assert_eq!(scroll(0, Action::Down), 1);
        assert_eq!(scroll(29, Action::Down), 30);
        assert_eq!(scroll(30, Action::Down), 30);
        assert_eq!(scroll(5, Action::PageDown), 25);
        assert_eq!(scroll(25, Action::PageDown), 30);
        assert_eq!(scroll(25, Action::PageUp), 5);
        assert_eq!(scroll(3, Action::Bottom), 30);
        assert_eq!(scroll(30, Action::Top), 0);
        assert_eq!(
            Scroll { top: 0 }.moved(Action::Down, 5, 20).top,
            0,
            "all fits"
        );
    }
}
