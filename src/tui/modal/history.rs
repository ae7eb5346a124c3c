//! The history view: the newest entries of the history, newest first, one selected. The
//! table's movement keys move the selection (never past the last entry; the view scrolls to
//! keep it in sight), `filter` opens a search line (the entries whose ID, title, outcome,
//! HTTP status, error code or message hold the text, ignoring case), and `go-to-row` shows
//! the selected entry's video in the table, when it is still there. Each line shows the
//! video's title as recorded, in a column as wide as the longest (none without titles).

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::draw::overlay;
use super::scroll::{body_rows, stepped};
use super::{Dialog, Kind, Next, Then, type_into};
use crate::printable::{self, printable};
use crate::store::HistoryEntry;
use crate::tui::app::App;
use crate::tui::app::text_field::{Edit, TextField};
use crate::tui::keymap::{Action, AnyContext, Context, Key, Move, Press, Typing, keys};
use crate::tui::view::{Theme, field_spans};

keys! {
    /// The history's keys: the table's movement keys move the selection.
    pub enum ListKey { Move(Move), Filter, GoToRow, History, Quit, Close }
}

impl Context for ListKey {
    const NAME: &'static str = "the history";
    const TYPING: Typing = Typing::Nothing;
}

keys! {
    /// The keys of the history's search line. `close` is not one (Esc clears the search);
    /// `Ctrl-c` closes the history.
    pub enum SearchKey { Clear, Submit, Edit(Edit) }
}

impl Context for SearchKey {
    const NAME: &'static str = "the history's search line";
    const TYPING: Typing = Typing::Text;
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The history's newest entries, oldest first (as the store reads them), once loaded.
    entries: Option<Vec<HistoryEntry>>,
    /// What the search looks in, one lower-cased line per entry (`searchable`): made once
    /// when the entries arrive, not on every key typed in the search line.
    haystacks: Vec<String>,
    /// The cells the longest title takes (0: no entry has one, and the column takes none).
    longest_title: usize,
    search: TextField,
    /// The search line has the keyboard.
    searching: bool,
    /// The entries the search finds, by index into `entries`, newest first.
    found: Vec<usize>,
    /// The selected line (an index into `found`).
    selected: usize,
    /// The first line shown.
    top: usize,
}

impl History {
    /// The entries arrived (`Effect::LoadHistory`).
    pub fn loaded(&mut self, entries: Vec<HistoryEntry>) {
        self.haystacks = entries.iter().map(searchable).collect();
        self.longest_title = entries
            .iter()
            .filter_map(|entry| entry.title.as_deref())
            .map(printable::width)
            .max()
            .unwrap_or(0);
        self.entries = Some(entries);
        self.search_again();
    }

    /// `None` while loading.
    pub fn entries(&self) -> Option<&[HistoryEntry]> {
        self.entries.as_deref()
    }

    /// The entries shown, newest first.
    pub fn found(&self) -> impl Iterator<Item = &HistoryEntry> {
        let entries = self.entries.as_deref().unwrap_or_default();
        self.found.iter().map(move |&at| &entries[at])
    }

    pub fn found_count(&self) -> usize {
        self.found.len()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn top(&self) -> usize {
        self.top
    }

    pub fn search(&self) -> &TextField {
        &self.search
    }

    pub fn searching(&self) -> bool {
        self.searching
    }

    /// How many entries show at this terminal size: a line less than the help, for the
    /// search line.
    pub fn rows(size: (u16, u16)) -> usize {
        body_rows(size).saturating_sub(1).max(1)
    }

    /// Finds the entries the search text is in, and selects the first.
    fn search_again(&mut self) {
        let needle = self.search.text().trim().to_lowercase();
        let haystacks = &self.haystacks;
        self.found = (0..haystacks.len())
            .rev()
            .filter(|&at| needle.is_empty() || haystacks[at].contains(&needle))
            .collect();
        self.selected = 0;
        self.top = 0;
    }

    /// Scrolls just enough for the selected line to show among `rows`, never past the end.
    fn scroll_to_selected(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + rows {
            self.top = self.selected + 1 - rows;
        }
        self.top = self.top.min(self.found.len().saturating_sub(rows));
    }
}

impl Dialog for History {
    const CONTEXTS: &'static [AnyContext] =
        &[AnyContext::of::<ListKey>(), AnyContext::of::<SearchKey>()];
    const KIND: Kind = Kind::View;

    fn on_key(mut self, key: Key, app: &App) -> Next<Self> {
        let rows = Self::rows(app.size());
        if self.searching {
            let changed = match app.keymap().read(key) {
                Press::Escape => return Next::Close,
                Press::Action(SearchKey::Submit) => {
                    self.searching = false;
                    false
                }
                Press::Action(SearchKey::Clear) => {
                    self.searching = false;
                    self.search.clear();
                    true
                }
                Press::Action(SearchKey::Edit(edit)) => self.search.edit(edit),
                Press::Other(key) => type_into(&mut self.search, key),
            };
            if changed {
                self.search_again();
            }
            self.scroll_to_selected(rows);
            return Next::Stay(self);
        }
        match app.keymap().read(key) {
            Press::Escape | Press::Action(ListKey::History | ListKey::Quit | ListKey::Close) => {
                return Next::Close;
            }
            Press::Action(ListKey::Filter) => self.searching = true,
            Press::Action(ListKey::GoToRow) => {
                if let Some(entry) = self.found().nth(self.selected) {
                    return Next::Then(Then::GoTo(entry.id));
                }
            }
            Press::Action(ListKey::Move(to)) => {
                let last = self.found.len().saturating_sub(1);
                self.selected = stepped(self.selected, to, rows, last);
            }
            Press::Other(_) => {}
        }
        self.scroll_to_selected(rows);
        Next::Stay(self)
    }

    fn on_paste(&mut self, text: &str, _app: &App) {
        if self.searching && self.search.paste(text) {
            self.search_again();
        }
    }

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let rows = Self::rows((frame.area().width, frame.area().height));
        let width = frame.area().width.saturating_sub(4);
        let widths = Widths::of(usize::from(width.saturating_sub(4)), self.longest_title);
        let mut lines: Vec<Line> = match self.entries() {
            None => vec![Line::from("Loading…")],
            Some([]) => vec![Line::from("No deletes recorded yet.")],
            Some(_) if self.found_count() == 0 => {
                vec![Line::from(format!(
                    "No entry holds \"{}\".",
                    printable(self.search.text())
                ))]
            }
            Some(_) => self
                .found()
                .enumerate()
                .skip(self.top)
                .take(rows)
                .map(|(at, entry)| {
                    let line = history_line(entry, widths, theme);
                    if at == self.selected {
                        line.style(theme.cursor())
                    } else {
                        line
                    }
                })
                .collect(),
        };
        lines.push(Line::from(""));
        let keymap = app.keymap();
        let place = format!(
            "{} of {}",
            (self.selected + 1).min(self.found_count()),
            self.found_count()
        );
        if self.searching || !self.search.is_empty() {
            let mut spans = vec![Span::styled("/", theme.accent())];
            let room = usize::from(width.saturating_sub(4)).saturating_sub(16);
            if self.searching {
                spans.extend(field_spans(&self.search, room, false, theme.accent()));
            } else {
                spans.push(Span::styled(
                    printable(self.search.text()).into_owned(),
                    theme.accent(),
                ));
            }
            spans.push(Span::styled(
                format!("  {} found", self.found_count()),
                theme.dim(),
            ));
            lines.push(Line::from(spans));
        }
        let keys = if self.searching {
            format!(
                "{} keep · {} clear",
                keymap.key(Action::Submit),
                keymap.key(Action::Clear)
            )
        } else {
            format!(
                "Newest first · {place} · {} search · {} go to its row · {} closes",
                keymap.key(Action::Filter),
                keymap.key(Action::GoToRow),
                keymap.key(Action::Close)
            )
        };
        lines.push(Line::from(Span::styled(keys, theme.dim())));
        overlay(frame, theme, "History", lines, width);
    }
}

/// What a search looks in, lower-cased: ID, title, outcome, HTTP status, error code, message.
fn searchable(entry: &HistoryEntry) -> String {
    format!(
        "{} {} {} {} {} {} {}",
        entry.id,
        entry.title.as_deref().unwrap_or_default(),
        entry.outcome.as_str(),
        entry.outcome.label(),
        entry.status.map(|s| s.to_string()).unwrap_or_default(),
        entry.error_code.as_deref().unwrap_or_default(),
        entry.message.as_deref().unwrap_or_default(),
    )
    .to_lowercase()
}

/// The cells of a line's time and outcome, with the gaps after them.
const WHEN_AND_OUTCOME: usize = 18 + 13;
/// The cells of a whole ID, and of its first 8 digits and `…`.
const WHOLE_ID: usize = 36;
const SHORT_ID: usize = 9;
/// The most cells a title takes, and the fewest it must have before the ID is shortened.
const TITLE_MAX: usize = 40;
const TITLE_ROOMY: usize = 20;
/// The cells left for the detail before the title takes more.
const DETAIL_MIN: usize = 8;

/// How a line's cells are shared: the title column gets room first (as wide as the longest
/// title, up to `TITLE_MAX`), the ID shown whole when that leaves the title `TITLE_ROOMY`
/// cells or the short one none (else its first 8 digits: the search and `go-to-row` still
/// use the whole one), and the detail what is left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Widths {
    title: usize,
    id: usize,
}

impl Widths {
    fn of(inner: usize, longest_title: usize) -> Self {
        let wanted = longest_title.min(TITLE_MAX);
        let room = |id: usize| {
            inner
                .saturating_sub(WHEN_AND_OUTCOME + id + 2 + 2 + DETAIL_MIN)
                .min(wanted)
        };
        let id = if room(WHOLE_ID) >= wanted.min(TITLE_ROOMY) || room(SHORT_ID) == 0 {
            WHOLE_ID
        } else {
            SHORT_ID
        };
        Self {
            title: room(id),
            id,
        }
    }
}

/// `2026-09-21 14:13  not found    A fox in the snow  550e8400…  VIDEO_NOT_FOUND: Video not found`
fn history_line(entry: &HistoryEntry, widths: Widths, theme: &Theme) -> Line<'static> {
    let detail = match (&entry.error_code, &entry.message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(text), None) | (None, Some(text)) => text.clone(),
        (None, None) => entry
            .status
            .map(|s| format!("HTTP {s}"))
            .unwrap_or_default(),
    };
    let mut id = entry.id.to_string();
    if widths.id < WHOLE_ID {
        id.truncate(SHORT_ID - 1);
        id.push('…');
    }
    let mut spans = vec![
        Span::styled(
            entry.at.strftime("%Y-%m-%d %H:%M  ").to_string(),
            theme.dim(),
        ),
        Span::styled(
            format!("{:<13}", entry.outcome.label()),
            theme.status(Some(entry.outcome)),
        ),
    ];
    if widths.title > 0 {
        let title = printable::cut(entry.title.as_deref().unwrap_or_default(), widths.title);
        spans.push(Span::raw(printable::padded(&title, widths.title + 2)));
    }
    spans.push(Span::raw(format!("{id}  {}", printable(&detail))));
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_gets_room_before_the_whole_id_and_the_detail() {
        // 80 columns (72 inside the box): the ID shortened, the title 20 cells.
        assert_eq!(Widths::of(72, 30), Widths { title: 20, id: 9 });
        // 120 columns: the whole ID, and the title as wide as the longest one.
        assert_eq!(Widths::of(112, 17), Widths { title: 17, id: 36 });
        assert_eq!(Widths::of(112, 90), Widths { title: 33, id: 36 });
        // No titles: no column, the whole ID, as before titles were kept.
        assert_eq!(Widths::of(72, 0), Widths { title: 0, id: 36 });
        // Too narrow for any title: the whole ID, cut by the box as before.
        assert_eq!(Widths::of(40, 12), Widths { title: 0, id: 36 });
    }
}
