//! The help: every action with the keys bound to it now, section by section, straight from
//! the keymap. It scrolls with the table's movement keys; `help` (the key that opened it),
//! `quit` or `close` closes it.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::draw::{overlay, scroll_keys};
use super::scroll::{body_rows, stepped};
use super::{Dialog, Kind, Next};
use crate::tui::app::App;
use crate::tui::keymap::{
    Action, AnyContext, Context, Key, Keymap, Move, Press, Section, Typing, keys,
};
use crate::tui::view::Theme;

keys! {
    /// The help's keys: it scrolls as the table moves.
    pub enum HelpKey { Move(Move), Help, Quit, Close }
}

impl Context for HelpKey {
    const NAME: &'static str = "the help";
    const TYPING: Typing = Typing::Nothing;
}

/// Width of the help's key column, and of the help (help lines are at most 60 cells).
const KEY_COLUMN: usize = 14;
const WIDTH: u16 = 78;

/// The help, scrolled to `top`: the first line shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Help {
    top: usize,
}

impl Help {
    /// Moves as `to` says, over `total` lines of which `rows` show at once, never past the
    /// last screenful.
    fn moved(self, to: Move, total: usize, rows: usize) -> Self {
        let last = total.saturating_sub(rows.max(1));
        Self {
            top: stepped(self.top, to, rows, last),
        }
    }
}

/// One line of the help, before it is drawn.
enum HelpLine {
    Blank,
    Title(Section),
    /// An action: its keys, and what it does.
    Entry(Action),
}

/// The help: each section's title, then one line per action in it, in table order.
fn help_lines() -> Vec<HelpLine> {
    let mut lines = Vec::new();
    for section in Section::ALL {
        if !lines.is_empty() {
            lines.push(HelpLine::Blank);
        }
        lines.push(HelpLine::Title(section));
        lines.extend(
            Action::ALL
                .iter()
                .filter(|action| action.spec().section == section)
                .map(|&action| HelpLine::Entry(action)),
        );
    }
    lines
}

impl HelpLine {
    /// The line as drawn, its keys as bound now.
    fn drawn(&self, keymap: &Keymap, theme: &Theme) -> Line<'static> {
        match self {
            Self::Blank => Line::from(""),
            Self::Title(section) => Line::from(Span::styled(section.title(), theme.header())),
            Self::Entry(action) => Line::from(vec![
                Span::styled(
                    format!("{:<KEY_COLUMN$}", keymap.names(*action)),
                    theme.accent(),
                ),
                Span::raw(keymap.describe(action.spec())),
            ]),
        }
    }
}

impl Dialog for Help {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<HelpKey>()];
    const KIND: Kind = Kind::View;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Escape | Press::Action(HelpKey::Help | HelpKey::Quit | HelpKey::Close) => {
                Next::Close
            }
            Press::Action(HelpKey::Move(to)) => {
                Next::Stay(self.moved(to, help_lines().len(), body_rows(app.size())))
            }
            Press::Other(_) => Next::Stay(self),
        }
    }

    /// Ignored: there is nothing to type.
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let keymap = app.keymap();
        let all = help_lines();
        let rows = body_rows((frame.area().width, frame.area().height));
        let top = self.top.min(all.len().saturating_sub(rows));
        let mut lines: Vec<Line> = all
            .iter()
            .skip(top)
            .take(rows)
            .map(|line| line.drawn(keymap, theme))
            .collect();
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(
                "{} · {} or {} closes",
                scroll_keys(keymap),
                keymap.key(Action::Close),
                keymap.key(Action::Help)
            ),
            theme.dim(),
        )));
        overlay(frame, theme, "Keys", lines, WIDTH);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stops_at_the_last_screenful() {
        let scroll = |top, to| Help { top }.moved(to, 50, 20).top;
        assert_eq!(scroll(0, Move::Up), 0);
        assert_eq!(scroll(0, Move::Down), 1);
        assert_eq!(scroll(29, Move::Down), 30);
        assert_eq!(scroll(30, Move::Down), 30);
        assert_eq!(scroll(5, Move::PageDown), 25);
        assert_eq!(scroll(25, Move::PageDown), 30);
        assert_eq!(scroll(25, Move::PageUp), 5);
        assert_eq!(scroll(3, Move::Bottom), 30);
        assert_eq!(scroll(30, Move::Top), 0);
        assert_eq!(Help { top: 0 }.moved(Move::Down, 5, 20).top, 0, "all fits");
    }
}
