//! The model: rows, the filter (indices of visible rows), marks, the cursor and scroll
//! offset, the open modal and the batch progress. Plain data and the small queries `update`
//! and `render` share; no I/O, no terminal, no clock (time arrives in `Msg::Tick`).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::Duration;

use jiff::Timestamp;

use super::batch::BatchProgress;
use super::marks::Marks;
use super::modal::Modal;
use super::row::{Labels, Needle, Row};
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
    pub rows: Vec<Row>,
    /// Row index by ID, so each engine event finds its row in O(1). Built after the first
    /// frame (`ensure_index`), not in `new`: at a million rows it is a large share of start-up.
    pub index: IdIndex,
    index_built: bool,
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
    /// Takes owned or borrowed entries, so the app can be built straight from the store's
    /// list without cloning it first. `now` is the wall time for relative times until the
    /// first tick.
    pub fn new(
        videos: impl IntoIterator<Item = impl Borrow<KnownVideo>>,
        settings: Settings,
        now: Timestamp,
    ) -> Self {
        let mut labels = Labels::default();
        let rows: Vec<Row> = videos
            .into_iter()
            .map(|video| Row::from_known(video.borrow(), &mut labels))
            .collect();
        let mut app = Self {
            settings,
            index: IdIndex::default(),
            index_built: false,
            visible: Vec::new(),
            marks: Marks::new(rows.len()),
            marked_hidden: 0,
            rows,
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
        };
        app.refilter(false);
        app
    }

    /// Builds the ID index unless it is built. `update` calls it before any message, and the
    /// loop right after drawing the first frame, so the screen shows before the index exists.
    pub fn ensure_index(&mut self) {
        if !self.index_built {
            self.rebuild_index();
        }
    }

    pub fn rebuild_index(&mut self) {
        self.index_built = true;
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| (row.id, i as u32))
            .collect();
    }

    /// Recomputes `visible` from `filter`. When `narrowing` (the new filter extends the old
    /// one) only the currently visible rows are scanned.
    pub fn refilter(&mut self, narrowing: bool) {
        let needle = Needle::new(&self.filter);
        if narrowing {
            let rows = &self.rows;
            self.visible.retain(|&i| rows[i as usize].matches(&needle));
        } else {
            self.visible.clear();
            self.visible.extend(
                self.rows
                    .iter()
                    .enumerate()
                    .filter(|(_, row)| row.matches(&needle))
                    .map(|(i, _)| i as u32),
            );
        }
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
        self.marked_hidden = if self.filter.is_empty() {
            0
        } else {
            self.marks
                .iter()
                .filter(|row| self.visible.binary_search(row).is_err())
                .count()
        };
    }

    pub fn current_row(&self) -> Option<&Row> {
        self.cursor.map(|i| &self.rows[i as usize])
    }

    pub fn row_mut(&mut self, id: &VideoId) -> Option<&mut Row> {
        let i = *self.index.get(id)?;
        self.rows.get_mut(i as usize)
    }
}

/// Row index by video ID.
pub type IdIndex = HashMap<VideoId, u32, BuildHasherDefault<IdHasher>>;

/// A fast hash for `VideoId`s. SipHash's defence against chosen keys buys nothing for a
/// user's own list and costs a large share of start-up with a million rows. The murmur3
/// finaliser spreads every input bit, so sequential IDs do not pile into one bucket.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn sequential_ids_spread_over_buckets() {
        let build = BuildHasherDefault::<IdHasher>::default();
        let low_bits: HashSet<u64> = (0..4096u128)
            .map(|n| build.hash_one(VideoId::from_uuid(uuid::Uuid::from_u128(n))) & 0xfff)
            .collect();
        assert!(
            low_bits.len() > 2_000,
            "{} distinct buckets of 4096",
            low_bits.len()
        );
    }
}
