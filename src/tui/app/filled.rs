//! Which of the table's fields any row fills: a label, a title, a creation time, an outcome
//! (or a place in a batch). A column no row fills takes no space. Noted as rows arrive and
//! change, never recounted (a million rows), so a column, once shown, stays for the session.

use crate::tui::rows::Rows;

/// The fields some row has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    pub label: bool,
    pub title: bool,
    pub created: bool,
    /// Some row has a last outcome, or is in a batch of this session.
    pub outcome: bool,
}

impl Filled {
    /// Notes what `row` has.
    pub fn note(&mut self, rows: &Rows, row: u32) {
        let r = &rows[row as usize];
        self.label |= rows.label(row).is_some();
        self.title |= rows.title(row).is_some();
        self.created |= r.created_at().is_some();
        self.outcome |= r.last.is_some() || r.is_active();
    }
}
