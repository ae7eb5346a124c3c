//! The read-only views over the table: the current row's details and the help (the history
//! has a file of its own). `close`, `quit` or the key that opened a view closes it; the help
//! scrolls with the table's movement keys.

use super::Next;
use crate::tui::app::App;
use crate::tui::keymap::{Context, Key, Move, Press, Typing, keys};

keys! {
    /// The details view's keys: each closes it.
    pub enum DetailKey { Details, Quit, Close }
}

impl Context for DetailKey {
    const NAME: &'static str = "the details view";
    const TYPING: Typing = Typing::Nothing;
}

keys! {
    /// The help's keys: it scrolls as the table moves.
    pub enum HelpKey { Move(Move), Help, Quit, Close }
}

impl Context for HelpKey {
    const NAME: &'static str = "the help";
    const TYPING: Typing = Typing::Nothing;
}

/// How far a view is scrolled: the first line shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scroll {
    pub top: usize,
}

impl Scroll {
    /// Moves as `to` says, over `total` lines of which `rows` show at once, never past the
    /// last screenful.
    pub(super) fn moved(self, to: Move, total: usize, rows: usize) -> Self {
        let last = total.saturating_sub(rows.max(1));
        Self {
            top: stepped(self.top, to, rows, last),
        }
    }
}

/// Where a line at `at` goes when a movement key moves it (`page` lines a page), never past
/// `last`: the help's top line and the history's selection move alike.
pub(super) fn stepped(at: usize, to: Move, page: usize, last: usize) -> usize {
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

pub fn detail(key: Key, app: &App) -> Next<()> {
    match app.keymap().read(key) {
        Press::Escape | Press::Action(DetailKey::Details | DetailKey::Quit | DetailKey::Close) => {
            Next::Close
        }
        Press::Other(_) => Next::Stay(()),
    }
}

pub fn help(scroll: Scroll, key: Key, app: &App) -> Next<Scroll> {
    match app.keymap().read(key) {
        Press::Escape | Press::Action(HelpKey::Help | HelpKey::Quit | HelpKey::Close) => {
            Next::Close
        }
        Press::Action(HelpKey::Move(to)) => {
            let total = crate::tui::view::help_lines(app.keymap());
            let rows = crate::tui::view::scroll_rows(app.size());
            Next::Stay(scroll.moved(to, total, rows))
        }
        Press::Other(_) => Next::Stay(scroll),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stops_at_the_last_screenful() {
        let scroll = |top, to| Scroll { top }.moved(to, 50, 20).top;
        assert_eq!(scroll(0, Move::Up), 0);
        assert_eq!(scroll(0, Move::Down), 1);
        assert_eq!(scroll(29, Move::Down), 30);
        assert_eq!(scroll(30, Move::Down), 30);
        assert_eq!(scroll(5, Move::PageDown), 25);
        assert_eq!(scroll(25, Move::PageDown), 30);
        assert_eq!(scroll(25, Move::PageUp), 5);
        assert_eq!(scroll(3, Move::Bottom), 30);
        assert_eq!(scroll(30, Move::Top), 0);
        assert_eq!(
            Scroll { top: 0 }.moved(Move::Down, 5, 20).top,
            0,
            "all fits"
        );
    }
}
