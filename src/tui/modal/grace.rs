//! The undo window after confirming a delete: the confirmed batch waits for its deadline,
//! and `undo` or `close` drops it with nothing sent. Time arrives in `on_tick`.

use jiff::Timestamp;

use super::{ConfirmedBatch, Next, Press, Then};
use crate::tui::keymap::Action;

#[derive(Debug, PartialEq, Eq)]
pub struct Grace {
    batch: ConfirmedBatch,
    deadline: Timestamp,
}

impl Grace {
    pub fn new(batch: ConfirmedBatch, deadline: Timestamp) -> Self {
        Self { batch, deadline }
    }

    pub fn batch(&self) -> &ConfirmedBatch {
        &self.batch
    }

    pub fn deadline(&self) -> Timestamp {
        self.deadline
    }

    pub fn on_key(self, press: Press) -> Next<Self> {
        match press.action {
            Some(Action::Undo | Action::Close) => {
                Next::Then(Then::Notice("Undone: nothing was sent.".into()))
            }
            _ => Next::Stay(self),
        }
    }

    /// At the deadline the batch goes to the engine.
    pub fn on_tick(self, now: Timestamp) -> Next<Self> {
        if now >= self.deadline {
            Next::Then(Then::Send(self.batch))
        } else {
            Next::Stay(self)
        }
    }
}
