//! Which of the table's fields any row fills: a label, a title, a creation time, an outcome
//! (or a place in a batch), a generation state or a size (a sync listed it). A column no row fills takes no space. Noted as rows arrive and
//! change, never recounted (a million rows), so a column, once shown, stays for the session.

use crate::tui::app::row::state_text;
use crate::tui::app::rows::Rows;

/// The fields some row has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    pub label: bool,
    pub title: bool,
    pub created: bool,
    /// Some row has a last outcome, or is in a batch of this session.
    pub outcome: bool,
    /// Some row has a generation state, or was not listed by the last complete sync.
    pub state: bool,
    /// Some row has a file size (a sync listed it).
    pub size: bool,
}

impl Filled {
    /// Notes what `row` has.
    pub fn note(&mut self, rows: &Rows, row: u32) {
        let r = &rows[row as usize];
        self.label |= rows.label(row).is_some();
        self.title |= rows.title(row).is_some();
        self.created |= rows.created_at(row).is_some();
        self.outcome |= r.last.is_some() || r.is_active();
        self.state |= state_text(r).is_some();
        self.size |= r.generation().file_size.is_some();
    }
}
