//! The delete confirmation, as types: a `ConfirmDelete` (the modal's list) can only become a
//! `ConfirmedBatch` by the user confirming it, and only a `ConfirmedBatch` (after its grace
//! countdown) becomes `Effect::Enqueue`. So a DELETE is only ever sent for an ID the user saw
//! in the modal they confirmed. Nothing here draws or sends.

use jiff::Timestamp;

use super::effect::Effect;
use crate::api::VideoId;

/// The open confirmation modal: exactly these IDs, in this order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmDelete {
    ids: Vec<VideoId>,
    /// The table rows holding `ids`, in the same order: what the table updates when the
    /// batch is queued, without looking a million IDs up. Only `ids` are ever sent.
    rows: Vec<u32>,
    /// How many of `ids` the filter hides (shown so nobody deletes what they cannot see).
    pub hidden: usize,
    /// The count typed so far, when the batch is big enough to require it.
    pub typed: String,
    pub must_type: bool,
}

/// IDs the user confirmed; private so only `ConfirmDelete::confirm` makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmedBatch {
    ids: Vec<VideoId>,
    rows: Vec<u32>,
}

/// The undo window after confirming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grace {
    pub batch: ConfirmedBatch,
    pub deadline: Timestamp,
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
            typed: String::new(),
        }
    }

    pub fn ids(&self) -> &[VideoId] {
        &self.ids
    }

    /// Whether the confirmation condition is met: `y` for a small batch, the exact count typed
    /// for a large one.
    pub fn is_satisfied(&self) -> bool {
        !self.must_type || self.typed == self.ids.len().to_string()
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
}

impl ConfirmedBatch {
    pub fn ids(&self) -> &[VideoId] {
        &self.ids
    }

    /// The rows holding `ids`, in the same order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The only place an `Effect::Enqueue` is made.
    pub fn into_enqueue(self) -> Effect {
        Effect::Enqueue(self.ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<VideoId> {
        (1..=n)
            .map(|i| VideoId::from_uuid(uuid::Uuid::from_u128(i)))
            .collect()
    }

    fn ask(n: u128) -> ConfirmDelete {
        ConfirmDelete::new(ids(n), (0..n as u32).collect(), 0, 100)
    }

    #[test]
    fn large_batches_need_the_exact_count_typed() {
        let mut modal = ask(100);
        assert!(modal.must_type);
        modal.typed = "10".into();
        let mut modal = modal.confirm().unwrap_err();
        modal.typed = "100".into();
        let batch = modal.confirm().unwrap();
        assert_eq!(batch.clone().into_enqueue(), Effect::Enqueue(ids(100)));
        assert!(ask(99).confirm().is_ok());
    }
}
