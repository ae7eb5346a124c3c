//! Protection in the table: which rows the profile's rails protect (by ID or by a `protect`
//! rule), the protect key, and putting a batch through the rails before it is shown for
//! confirmation. Whether a protected video can be sent is not decided here: that is
//! `Rails::check`, which every batch passes.

use super::App;
use crate::api::VideoId;
use crate::query::Reads;
use crate::rails::{Checked, Protection, Rails, Refusal};

/// What the protect key did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectChange {
    /// `true`: the rows were protected; `false`: unprotected.
    pub protected: bool,
    pub rows: usize,
    /// Of the unprotected rows, how many a `protect` rule still protects.
    pub still_by_rule: usize,
    /// The IDs whose protection changed.
    pub ids: Vec<VideoId>,
}

impl App {
    pub fn rails(&self) -> &Rails {
        &self.settings.rails
    }

    /// Why `row` is protected, if it is.
    pub fn protection(&self, row: u32) -> Option<Protection> {
        self.settings
            .rails
            .pass(self.now)
            .protects(&self.list.rows().subject(row, Reads::ALL))
    }

    /// Puts the rows asked (`rows`, holding `ids`, in order) through the rails: read-only
    /// and a batch over the limit are refused, protected rows left out.
    pub fn check(&self, rows: &[u32], ids: Vec<VideoId>) -> Result<Checked, Refusal> {
        let mut rows = rows.iter();
        self.settings.rails.check(
            ids,
            |_| {
                rows.next()
                    .map(|&row| self.list.rows().subject(row, Reads::ALL))
            },
            self.now,
        )
    }

    /// The protect key: protects the marked rows (or the current one), which leave the
    /// marks (and the marked-only view); when every one of them is protected by ID already,
    /// unprotects them instead. Rows in a batch, or gone, are left alone. `None` when there
    /// was nothing to change.
    pub fn toggle_protect(&mut self) -> Option<ProtectChange> {
        let current = self.cursor.filter(|_| self.selection.marks.count() == 0);
        let rows: Vec<u32> = self
            .selection
            .marks
            .iter()
            .chain(current)
            .filter(|&row| {
                let r = &self.list[row as usize];
                r.is_shown() && !r.is_active() && !r.is_gone()
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        let ids: Vec<VideoId> = rows.iter().map(|&row| self.list[row as usize].id).collect();
        let rails = &mut self.settings.rails;
        let protect = !ids.iter().all(|id| rails.listed().contains(id));
        if protect {
            rails.protect(ids.iter().copied());
            for &row in &rows {
                self.selection.marks.set(row, false);
            }
            self.recount_hidden();
            // In the marked-only view, rows that leave the marks leave the view.
            self.marks_changed();
        } else {
            rails.unprotect(ids.iter().copied());
        }
        let still_by_rule = if protect {
            0
        } else {
            let mut pass = self.settings.rails.pass(self.now);
            rows.iter()
                .filter(|&&row| {
                    pass.protects(&self.list.rows().subject(row, Reads::ALL))
                        .is_some()
                })
                .count()
        };
        Some(ProtectChange {
            protected: protect,
            rows: rows.len(),
            still_by_rule,
            ids,
        })
    }
}
