//! The history view: the newest entries of the journal, newest first, one selected. The
//! table's movement keys move the selection (never past the last entry; the view scrolls to
//! keep it in sight), `filter` opens a search line (the entries whose ID, outcome, HTTP
//! status, error code or message hold the text, ignoring case), and `go-to-row` shows the
//! selected entry's video in the table, when it is still there.

use super::views::stepped;
use super::{Next, Press, Then, edit_field};
use crate::store::HistoryEntry;
use crate::tui::app::App;
use crate::tui::keymap::Action;
use crate::tui::text_field::TextField;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The journal's newest entries, oldest first (as the store reads them), once loaded.
    entries: Option<Vec<HistoryEntry>>,
    /// What the search looks in, one lower-cased line per entry (`searchable`): made once
    /// when the entries arrive, not on every key typed in the search line.
    haystacks: Vec<String>,
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

    pub fn on_key(mut self, press: Press, app: &App) -> Next<Self> {
        let rows = crate::tui::view::history_rows(app.size());
        if self.searching {
            match press.action {
                Some(Action::Close) => return Next::Close,
                Some(Action::Submit) => self.searching = false,
                Some(Action::Clear) => {
                    self.searching = false;
                    self.search.clear();
                    self.search_again();
                }
                _ => {
                    if edit_field(&mut self.search, press) == Some(true) {
                        self.search_again();
                    }
                }
            }
            self.scroll_to_selected(rows);
            return Next::Stay(self);
        }
        match press.action {
            Some(Action::History | Action::Quit | Action::Close) => return Next::Close,
            Some(Action::Filter) => self.searching = true,
            Some(Action::GoToRow) => {
                if let Some(entry) = self.found().nth(self.selected) {
                    return Next::Then(Then::GoTo(entry.id));
                }
            }
            Some(action) => {
                let last = self.found.len().saturating_sub(1);
                self.selected = stepped(self.selected, action, rows, last);
            }
            None => {}
        }
        self.scroll_to_selected(rows);
        Next::Stay(self)
    }

    pub fn paste(&mut self, text: &str) {
        if self.searching && self.search.paste(text) {
            self.search_again();
        }
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

/// What a search looks in, lower-cased: ID, outcome, HTTP status, error code, message.
fn searchable(entry: &HistoryEntry) -> String {
    format!(
        "{} {} {} {} {} {}",
        entry.id,
        entry.outcome.as_str(),
        entry.outcome.label(),
        entry.status.map(|s| s.to_string()).unwrap_or_default(),
        entry.error_code.as_deref().unwrap_or_default(),
        entry.message.as_deref().unwrap_or_default(),
    )
    .to_lowercase()
}
