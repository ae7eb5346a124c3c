//! The model, in parts: the rows with their index and counts (`known_rows`), the order they
//! are shown in and the filter line (`filter_line`) with the rows they let through
//! (`visible`), the selection (`selection`: marks, how many the filter hides, a range being
//! marked), the cursor and scroll offset, the open dialog, and the status (`status`: the
//! batch, the sync, the API key, the notice). Its fields are private: every change goes
//! through a method that keeps what depends on it consistent (`visible` on the filter, the
//! order and the rows; the hidden marks on the marks and `visible`; the cursor and offset on
//! `visible` and the screen). No I/O, no terminal, no clock (time arrives in `Msg::Tick`).
//! The model's own types live here too: a row and the rows (`row`, `rows`), the batch's
//! progress (`batch`), the filter, the marks and the text fields.

pub mod batch;
pub mod filter;
pub mod filter_line;
pub mod marks;
pub mod row;
pub mod rows;
pub mod text_field;

mod external;
mod filled;
mod known_rows;
mod list;
mod marking;
mod order;
mod protection;
mod resume;
mod selection;
mod sending;
mod status;
mod syncing;
mod visible;

use std::time::Duration;

pub use filled::Filled;
use known_rows::KnownRows;
use selection::Selection;
use status::Status;

use jiff::Timestamp;

use self::batch::{BatchProgress, Paused};
use self::filter_line::FilterLine;
use self::marks::Marks;
use self::row::{Row, Wait};
use self::rows::Rows;
use self::text_field::TextField;
use super::keymap::Keymap;
use super::modal::Modal;
use super::view::{ColumnOrder, Palette};
use crate::api::VideoId;
use crate::engine::Rate;
use crate::query::QueryError;
use crate::rails::Rails;
use crate::sort::SortOrder;
use crate::store::IdIndex;
use crate::store::KnownVideo;

pub use order::Sorted;
pub use syncing::SyncStatus;

/// What the TUI needs from the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// At or above this many videos the user must type the count to confirm.
    pub confirm_threshold: usize,
    /// Time to undo after confirming; zero sends at once.
    pub grace: Duration,
    /// Shown in the header so the user sees which account they are deleting from.
    pub account_host: String,
    /// The profile, shown beside the host and named in the confirmation; `None` when the
    /// config defines no profiles (the screen then looks as it always did).
    pub profile: Option<String>,
    /// The profile's rails and the IDs protected on it: what the table marks with a lock
    /// and every delete is checked against (`Rails::check`).
    pub rails: Rails,
    /// Whether an API key was configured at start (the key itself never reaches the UI
    /// model); `App::key_set` says whether one is now.
    pub key_configured: bool,
    /// `max_rate`: the cap on requests a second, shown beside the rate while a batch runs.
    pub max_rate: Option<Rate>,
    pub no_color: bool,
    /// The colours `[theme]` chose (`NO_COLOR` wins over them).
    pub palette: Palette,
    /// The keys, with the user's `[keys]` applied.
    pub keymap: Keymap,
    /// The app runs on `--demo`'s simulated server (the header says so).
    pub demo: bool,
    /// The app takes the mouse (`mouse = false` in the config leaves it to the terminal).
    pub mouse: bool,
    /// The table's columns, in order (`columns` in the config).
    pub columns: ColumnOrder,
    /// `wait_processing_seconds`: how long a batch waits for videos still generating
    /// (`None`: not at all), as the confirmation says.
    pub wait_processing: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            confirm_threshold: 100,
            grace: Duration::from_secs(3),
            account_host: "api.elytron.com".to_owned(),
            profile: None,
            rails: Rails::default(),
            key_configured: false,
            max_rate: None,
            no_color: false,
            palette: Palette::default(),
            keymap: Keymap::default(),
            demo: false,
            mouse: true,
            columns: ColumnOrder::default(),
            wait_processing: None,
        }
    }
}

/// The whole UI state.
#[derive(Debug)]
pub struct App {
    settings: Settings,
    /// The known list as this session shows it (the store holds it; changes made here are
    /// written there by the pipeline), with its index and counts.
    list: KnownRows,
    /// The list is still arriving from disk (`Some(rows so far)`): the table shows what has
    /// come, and nothing that edits the list or sends anything is allowed yet.
    loading: Option<usize>,
    /// The order rows are shown in, and (unless it is list order) the rows in it.
    order: SortOrder,
    sorted: Option<Sorted>,
    /// Indices of the rows the filter lets through, in the order shown.
    visible: Vec<u32>,
    /// The marks, with how many the filter hides and a range being marked.
    selection: Selection,
    /// The filter line (its text, parsed, and whether it has the keyboard).
    filter: FilterLine,
    /// Only marked rows are shown.
    marked_only: bool,
    /// The cursor goes to the last row as rows arrive (`G` while the list loads), until it
    /// is moved.
    follow_end: bool,
    /// The row (not position) under the cursor, so it follows its video through filters.
    cursor: Option<u32>,
    /// The cursor's row while no row is shown (a filter being typed that matches nothing or
    /// does not parse yet), so the cursor comes back to its video once rows show again.
    cursor_while_empty: Option<u32>,
    /// First visible position drawn.
    offset: usize,
    modal: Modal,
    /// The batch, the sync, the API key and the footer's notice.
    status: Status,
    /// The `columns` key hid the optional columns.
    optional_hidden: bool,
    /// Terminal size in cells, from `Msg::Resize`.
    size: (u16, u16),
    /// Wall time as of the last tick; all countdowns and relative times use it.
    now: Timestamp,
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
        app.append_rows(videos.into_iter().collect());
        let index = IdIndex::build(app.rows());
        app.loaded(index);
        app
    }

    /// An app whose list is still to come (`append_rows`, then `Msg::ListLoaded`): it can
    /// draw its first screen before a large list has been read.
    pub fn awaiting_list(settings: Settings, now: Timestamp) -> Self {
        Self {
            status: Status {
                key_set: settings.key_configured,
                ..Status::default()
            },
            settings,
            list: KnownRows::default(),
            loading: Some(0),
            order: SortOrder::default(),
            sorted: None,
            visible: Vec::new(),
            selection: Selection::default(),
            filter: FilterLine::default(),
            marked_only: false,
            follow_end: false,
            cursor: None,
            cursor_while_empty: None,
            offset: 0,
            modal: Modal::None,
            optional_hidden: false,
            size: (80, 24),
            now,
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn keymap(&self) -> &Keymap {
        &self.settings.keymap
    }

    pub fn rows(&self) -> &Rows {
        self.list.rows()
    }

    /// What `row` waits for, while it is retrying or generating.
    pub fn wait_of(&self, row: u32) -> Option<&Wait> {
        self.list.wait_of(row)
    }

    /// The rows the filter lets through, in the order shown.
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    /// The order rows are shown in.
    pub fn order(&self) -> SortOrder {
        self.order
    }

    /// Every row, in the order taken when the user last sorted (`None`: list order).
    pub fn sorted_rows(&self) -> Option<&[u32]> {
        self.sorted.as_ref().map(Sorted::rows)
    }

    /// Whether only marked rows are shown.
    pub fn marked_only(&self) -> bool {
        self.marked_only
    }

    /// Whether the `columns` key hid the optional columns.
    pub fn optional_columns_hidden(&self) -> bool {
        self.optional_hidden
    }

    /// The `columns` key: hides the optional columns, or shows them again.
    pub fn toggle_optional_columns(&mut self) {
        self.optional_hidden = !self.optional_hidden;
    }

    /// Whether `G` was pressed while the list loads and the cursor follows its end.
    pub fn following_end(&self) -> bool {
        self.follow_end
    }

    /// Which fields some row fills.
    pub fn filled(&self) -> Filled {
        self.list.filled()
    }

    pub fn marks(&self) -> &Marks {
        &self.selection.marks
    }

    /// Marked rows the filter hides.
    pub fn marked_hidden(&self) -> usize {
        self.selection.hidden
    }

    /// The filter as typed; empty means none.
    pub fn filter(&self) -> &str {
        self.filter.text()
    }

    /// Why the filter does not parse (it then shows no row).
    pub fn filter_error(&self) -> Option<&QueryError> {
        self.filter.query().err()
    }

    /// The filter line, with its cursor, while it has the keyboard.
    pub fn filter_line(&self) -> Option<&TextField> {
        self.filter.editing()
    }

    pub fn cursor(&self) -> Option<u32> {
        self.cursor
    }

    /// First visible position drawn.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The visible positions a range being marked spans (anchor to cursor), inclusive.
    pub fn range(&self) -> Option<(usize, usize)> {
        let anchor = self.selection.range_anchor?;
        let cursor = self.cursor_pos().unwrap_or(anchor);
        Some((anchor.min(cursor), anchor.max(cursor)))
    }

    pub fn modal(&self) -> &Modal {
        &self.modal
    }

    pub fn batch(&self) -> Option<&BatchProgress> {
        self.status.batch.as_ref()
    }

    pub fn key_needed(&self) -> bool {
        self.status.key_needed
    }

    /// Whether an API key is configured or was given since.
    pub fn key_set(&self) -> bool {
        self.status.key_set
    }

    /// A batch is on screen, paused until a key is entered (a key given now resumes it).
    pub fn batch_waits_for_key(&self) -> bool {
        self.status
            .batch
            .as_ref()
            .is_some_and(|batch| batch.paused == Some(Paused::Unauthorized))
    }

    /// The `api_key_command` being waited for, while it runs.
    pub fn key_command(&self) -> Option<&str> {
        self.status.key_command.as_deref()
    }

    /// `api_key_command` runs (the screen says so until it answers).
    pub fn waiting_for_key(&mut self, command: String) {
        self.status.notice = Some(format!(
            "Waiting for the key from {command}; the app works meanwhile."
        ));
        self.status.key_command = Some(command);
    }

    /// `api_key_command` answered, with a key or without.
    pub fn key_command_done(&mut self) {
        self.status.key_command = None;
    }

    pub fn notice(&self) -> Option<&str> {
        self.status.notice.as_deref()
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// `Some(rows so far)` while the list is still being read.
    pub fn loading(&self) -> Option<usize> {
        self.loading
    }

    pub fn set_notice(&mut self, notice: impl Into<String>) {
        self.status.notice = Some(notice.into());
    }

    pub fn clear_notice(&mut self) {
        self.status.notice = None;
    }

    /// Opens `modal` (or puts back the one a key was handed to), in place of any other.
    pub fn set_modal(&mut self, modal: Modal) {
        self.modal = modal;
    }

    /// Takes the open modal out, to hand it a key; the table has the keys until it is put
    /// back with `set_modal`.
    pub fn take_modal(&mut self) -> Modal {
        std::mem::take(&mut self.modal)
    }

    /// The wall clock moved on.
    pub fn tick(&mut self, now: Timestamp) {
        self.now = now;
    }

    /// The terminal changed size: the cursor stays on screen.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.settle_cursor();
    }

    /// A key was given (typed, or the configured one): the header says so.
    pub fn key_given(&mut self) {
        self.status.key_set = true;
        self.status.key_needed = false;
    }

    /// The row holding `id`, removed or not.
    pub fn row_of(&self, id: &VideoId) -> Option<u32> {
        self.list.row_of(id)
    }

    /// Whether `id` is in the table (so adding it adds nothing).
    pub fn knows(&self, id: &VideoId) -> bool {
        self.row_of(id)
            .is_some_and(|row| self.list[row as usize].is_shown())
    }

    /// Videos in the saved list: the rows not removed, nor found gone by a delete of this
    /// session (those stay on screen).
    pub fn known(&self) -> usize {
        self.list.in_list()
    }

    pub fn current_row(&self) -> Option<&Row> {
        self.cursor.map(|i| &self.list[i as usize])
    }

    /// The current row's label and title.
    pub fn current_text(&self) -> (Option<&str>, Option<&str>) {
        match self.cursor {
            Some(row) => (self.list.rows().label(row), self.list.rows().title(row)),
            None => (None, None),
        }
    }
}
