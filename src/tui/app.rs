//! The model: rows, the filter (indices of visible rows), marks, the cursor and scroll
//! offset, the open modal and the batch progress. Plain data and the small queries `update`
//! and `render` share; no I/O, no terminal, no clock (time arrives in `Msg::Tick`).

use std::time::Duration;

use jiff::Timestamp;

use super::batch::BatchProgress;
use super::filter::{Needle, matching};
use super::marks::Marks;
use super::modal::Modal;
use super::row::{Row, RowState};
use super::row_index::RowIndex;
use super::rows::Rows;
use crate::api::VideoId;
use crate::store::KnownVideo;

/// What the TUI needs from the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// At or above this many videos the user must type the count to confirm.
    pub confirm_threshold: usize,
    /// Time to undo after confirming; zero sends at once.
    pub grace: Duration,
    /// Shown in the header so the user sees which account they are deleting from.
    pub account_host: String,
    /// Whether a key is configured (the key itself never reaches the UI model).
    pub key_set: bool,
    pub no_color: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            confirm_threshold: 100,
            grace: Duration::from_secs(3),
            account_host: "api.elytron.com".to_owned(),
            key_set: false,
            no_color: false,
        }
    }
}

/// The whole UI state.
#[derive(Debug)]
pub struct App {
    pub settings: Settings,
    /// The known list: the only copy in memory (the list is saved from it). Rows are only
    /// appended; one that leaves the list stays, `RowState::Removed`, so row numbers hold.
    pub rows: Rows,
    /// How many rows are `RowState::Removed`, so the footer's count needs no scan.
    pub removed: usize,
    /// Row by ID, so each engine event finds its row in O(1).
    pub index: RowIndex,
    /// The list is still arriving from disk (`Some(rows so far)`): the table shows what has
    /// come, and nothing that edits the list or sends anything is allowed yet.
    pub loading: Option<usize>,
    /// The rows hold changes the saved list does not (outcomes, adds, forgets). The loop
    /// saves when `update` asks (`Effect::SaveList`) and on the way out.
    pub list_changed: bool,
    /// Indices of the rows the filter lets through, ascending (list order).
    pub visible: Vec<u32>,
    pub marks: Marks,
    /// Marked rows the filter hides (kept by `recount_hidden`).
    pub marked_hidden: usize,
    /// The lower-cased filter text; empty means no filter.
    pub filter: String,
    /// The filter prompt has the keyboard.
    pub filter_editing: bool,
    /// The row (not position) under the cursor, so it follows its video through filters.
    pub cursor: Option<u32>,
    /// First visible position drawn.
    pub offset: usize,
    /// Position where a `v` range mark started.
    pub range_anchor: Option<usize>,
    pub modal: Modal,
    pub batch: Option<BatchProgress>,
    /// A 401 paused the engine and no key has been given since.
    pub key_needed: bool,
    /// A one-line notice for the footer (what just happened, or why a key did nothing).
    pub notice: Option<String>,
    /// Terminal size in cells, from `Msg::Resize`.
    pub size: (u16, u16),
    /// Wall time as of the last tick; all countdowns and relative times use it.
    pub now: Timestamp,
}

impl App {
    /// An app over a list already in memory. `now` is the wall time for relative times until
    /// the first tick.
    pub fn new(
        videos: impl IntoIterator<Item = KnownVideo>,
        settings: Settings,
        now: Timestamp,
    ) -> Self {
        let mut app = Self::awaiting_list(settings, now);
        app.append_rows(videos);
        app.loaded(RowIndex::build(&app.rows));
        app
    }

    /// An app whose list is still to come (`append_rows`, then `loaded`): it can draw its
    /// first screen before a large list has been read.
    pub fn awaiting_list(settings: Settings, now: Timestamp) -> Self {
        Self {
            settings,
            rows: Rows::default(),
            removed: 0,
            index: RowIndex::default(),
            loading: Some(0),
            list_changed: false,
            visible: Vec::new(),
            marks: Marks::new(0),
            marked_hidden: 0,
            filter: String::new(),
            filter_editing: false,
            cursor: None,
            offset: 0,
            range_anchor: None,
            modal: Modal::None,
            batch: None,
            key_needed: false,
            notice: None,
            size: (80, 24),
            now,
        }
    }

    /// Appends rows read so far; those the filter lets through show at once.
    pub fn append_rows(&mut self, videos: impl IntoIterator<Item = KnownVideo>) {
        let first = self.rows.len();
        self.rows.extend(videos.into_iter().map(Row::new));
        let needle = Needle::new(&self.filter);
        let new = self.rows.len() - first;
        let shown = matching(&self.rows, new, |i| (first + i) as u32, &needle);
        self.visible.extend(shown);
        self.marks.resize(self.rows.len());
        if let Some(count) = &mut self.loading {
            *count = self.rows.len();
        }
        self.settle_cursor();
    }

    /// The whole list is in, with `index` over all its rows (built where the list was read,
    /// off the UI thread): allow what waited for it.
    pub fn loaded(&mut self, index: RowIndex) {
        debug_assert_eq!(
            index.len(),
            self.rows.len(),
            "saved lists hold each ID once"
        );
        self.loading = None;
        self.index = index;
    }

    /// The row holding `id`, removed or not.
    pub fn row_of(&self, id: &VideoId) -> Option<u32> {
        self.index.get(&self.rows, id)
    }

    /// Whether `id` is in the table (so adding it adds nothing).
    pub fn knows(&self, id: &VideoId) -> bool {
        knows(&self.rows, &self.index, id)
    }

    /// Videos in the table: the known list and this session's deleted ones.
    pub fn known(&self) -> usize {
        self.rows.len() - self.removed
    }

    /// Takes `rows` out of the list (see `RowState::Removed`): unmarked, hidden, not saved.
    pub fn remove(&mut self, mut rows: Vec<u32>) {
        rows.sort_unstable();
        rows.dedup();
        for &row in &rows {
            self.marks.set(row, false);
            let state = &mut self.rows[row as usize].state;
            if *state != RowState::Removed {
                *state = RowState::Removed;
                self.removed += 1;
            }
        }
        self.visible.retain(|row| rows.binary_search(row).is_err());
        self.range_anchor = None;
        self.settle_cursor();
        self.recount_hidden();
    }

    /// Shows those of `rows` (ascending) that the filter lets through, in list order.
    pub fn show(&mut self, rows: &[u32]) {
        let shown = matching(
            &self.rows,
            rows.len(),
            |i| rows[i],
            &Needle::new(&self.filter),
        );
        let Some(&first) = shown.first() else {
            return;
        };
        if self.visible.last().is_none_or(|&last| last < first) {
            self.visible.extend(shown);
        } else {
            self.visible = merge_ascending(&self.visible, &shown);
        }
        self.settle_cursor();
        self.recount_hidden();
    }

    /// Recomputes `visible` from `filter`. When `narrowing` (the new filter extends the old
    /// one) only the currently visible rows are scanned.
    pub fn refilter(&mut self, narrowing: bool) {
        let needle = Needle::new(&self.filter);
        self.visible = if narrowing {
            let visible = &self.visible;
            matching(&self.rows, visible.len(), |i| visible[i], &needle)
        } else {
            matching(&self.rows, self.rows.len(), |i| i as u32, &needle)
        };
        self.range_anchor = None;
        self.settle_cursor();
        self.recount_hidden();
    }

    /// The cursor's position within `visible`.
    pub fn cursor_pos(&self) -> Option<usize> {
        let row = self.cursor?;
        self.visible.binary_search(&row).ok()
    }

    /// Keeps the cursor on a visible row (the nearest one when its row got hidden) and the
    /// offset such that the cursor is on screen.
    pub fn settle_cursor(&mut self) {
        if self.visible.is_empty() {
            self.cursor = None;
            self.offset = 0;
            return;
        }
        let pos = match self.cursor {
            Some(row) => match self.visible.binary_search(&row) {
                Ok(pos) => pos,
                Err(pos) => pos.min(self.visible.len() - 1),
            },
            None => 0,
        };
        self.move_to(pos);
    }

    /// Puts the cursor on visible position `pos` (clamped) and scrolls just enough to show it.
    pub fn move_to(&mut self, pos: usize) {
        let Some(last) = self.visible.len().checked_sub(1) else {
            return;
        };
        let pos = pos.min(last);
        self.cursor = Some(self.visible[pos]);
        let height = self.table_height().max(1);
        if pos < self.offset {
            self.offset = pos;
        } else if pos >= self.offset + height {
            self.offset = pos + 1 - height;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(height));
    }

    /// Rows of the table body that fit on screen (the layout's arithmetic, kept in one place).
    pub fn table_height(&self) -> usize {
        super::view::table_area(self.size).height.saturating_sub(1) as usize
    }

    /// Recounts marked rows the filter hides. Called after marks or the filter change, not
    /// per frame: with a million marks it is a full scan.
    pub fn recount_hidden(&mut self) {
        self.marked_hidden = self.hidden_among(self.marks.iter());
    }

    /// How many of `rows` (ascending) the filter hides: one walk along `visible`, not a
    /// search per row (a million marked rows are counted in milliseconds).
    pub fn hidden_among(&self, rows: impl IntoIterator<Item = u32>) -> usize {
        if self.filter.is_empty() {
            return 0;
        }
        let mut visible = self.visible.iter().peekable();
        rows.into_iter()
            .filter(|&row| {
                while visible.next_if(|&&shown| shown < row).is_some() {}
                visible.peek() != Some(&&row)
            })
            .count()
    }

    pub fn current_row(&self) -> Option<&Row> {
        self.cursor.map(|i| &self.rows[i as usize])
    }

    pub fn row_mut(&mut self, id: &VideoId) -> Option<&mut Row> {
        let i = self.row_of(id)?;
        Some(&mut self.rows[i as usize])
    }
}

/// Whether `id` is in the table: the check `App::knows` makes, for code that holds a part of
/// the app mutably.
pub fn knows(rows: &Rows, index: &RowIndex, id: &VideoId) -> bool {
    index
        .get(rows, id)
        .is_some_and(|row| rows[row as usize].is_shown())
}

/// Two ascending lists of row numbers as one.
fn merge_ascending(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}
