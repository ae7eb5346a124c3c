//! The delete confirmation, as types: a `ConfirmDelete` (the modal's list) can only become a
//! `ConfirmedBatch` by the user confirming it, and only a `ConfirmedBatch` becomes
//! `Effect::Enqueue`. So a DELETE is only ever sent for an ID the user saw in the modal they
//! confirmed. Its keys are deliberately strict: `yes` (or the typed count and `submit`)
//! confirms, `no` or `close` cancels, and Enter alone never deletes. Nothing here draws or
//! sends.

use super::{Next, Press, Then, edit_field};
use crate::api::VideoId;
use crate::tui::keymap::Action;
use crate::tui::text_field::{Accepts, TextField};

/// The open confirmation modal: exactly these IDs, in this order.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfirmDelete {
    ids: Vec<VideoId>,
    /// The table rows holding `ids`, in the same order: what the table updates when the
    /// batch is queued, without looking a million IDs up. Only `ids` are ever sent.
    rows: Vec<u32>,
    /// How many of `ids` the filter hides (shown so nobody deletes what they cannot see).
    pub hidden: usize,
    /// The count typed so far, when the batch is big enough to require it.
    pub typed: TextField,
    pub must_type: bool,
}

/// IDs the user confirmed; fields private and no `Clone`, so only `ConfirmDelete::confirm`
/// makes one and it is sent at most once.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfirmedBatch {
    ids: Vec<VideoId>,
    rows: Vec<u32>,
}

impl ConfirmDelete {
    /// Asks about `ids`, held by `rows` (one row per ID, in the same order).
    pub fn new(ids: Vec<VideoId>, rows: Vec<u32>, hidden: usize, threshold: usize) -> Self {
        debug_assert_eq!(ids.len(), rows.len());
        Self {
            must_type: ids.len() >= threshold,
            ids,
            rows,
            hidden,
            typed: TextField::new(Accepts::Digits),
        }
    }

    pub fn ids(&self) -> &[VideoId] {
        &self.ids
    }

    /// Whether the confirmation condition is met: `yes` for a small batch, the exact count
    /// typed for a large one.
    pub fn is_satisfied(&self) -> bool {
        !self.must_type || self.typed.text() == self.ids.len().to_string()
    }

    /// The user confirmed. Returns the modal back when the typed count is not right yet.
    pub fn confirm(self) -> Result<ConfirmedBatch, Self> {
        if self.is_satisfied() {
            Ok(ConfirmedBatch {
                ids: self.ids,
                rows: self.rows,
            })
        } else {
            Err(self)
        }
    }

    pub fn on_key(mut self, press: Press) -> Next<Self> {
        let submit = match press.action {
            Some(Action::No | Action::Close) => {
                return Next::Then(Then::Notice("Cancelled: nothing was sent.".into()));
            }
            Some(Action::Yes) => true,
            Some(Action::Submit) => self.must_type,
            _ => false,
        };
        if submit {
            return match self.confirm() {
                Ok(batch) => Next::Then(Then::Confirmed(batch)),
                Err(unchanged) => Next::Stay(unchanged),
            };
        }
        if self.must_type {
            _ = edit_field(&mut self.typed, press);
        }
        Next::Stay(self)
    }
}

impl ConfirmedBatch {
    pub fn ids(&self) -> &[VideoId] {
        &self.ids
    }

    /// The rows holding `ids`, in the same order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// What goes to the engine.
    pub fn into_ids(self) -> Vec<VideoId> {
        self.ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Key;

    fn ids(n: u128) -> Vec<VideoId> {
        (1..=n)
            .map(|i| VideoId::from_uuid(uuid::Uuid::from_u128(i)))
            .collect()
    }

    fn ask(n: u128) -> ConfirmDelete {
        ConfirmDelete::new(ids(n), (0..n as u32).collect(), 0, 100)
    }

    fn typed(mut modal: ConfirmDelete, text: &str) -> ConfirmDelete {
        for c in text.chars() {
            let press = Press {
                action: None,
                key: Key::char(c),
            };
            let Next::Stay(stays) = modal.on_key(press) else {
                panic!("typing closed the modal");
            };
            modal = stays;
        }
        modal
    }

    #[test]
    fn large_batches_need_the_exact_count_typed() {
        let modal = typed(ask(100), "10");
        assert!(modal.must_type);
        let modal = modal.confirm().unwrap_err();
        let batch = typed(modal, "0").confirm().unwrap();
        assert_eq!(batch.into_ids(), ids(100));
        assert!(ask(99).confirm().is_ok());
    }
}
