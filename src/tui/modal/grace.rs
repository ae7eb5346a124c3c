//! The undo window after confirming a delete: the confirmed batch waits for its deadline,
//! and `undo` or `close` drops it with nothing sent. Time arrives in `on_tick`.

use jiff::Timestamp;

use super::{ConfirmedBatch, Next, Then};
use crate::tui::app::App;
use crate::tui::keymap::{Context, Key, Press, Typing, keys};

keys! {
    /// The countdown's keys: `undo` or `close` drop the batch.
    pub enum GraceKey { Undo, Close }
}

impl Context for GraceKey {
    const NAME: &'static str = "the undo countdown";
    const TYPING: Typing = Typing::Nothing;
}

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

    pub fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Escape | Press::Action(GraceKey::Undo | GraceKey::Close) => {
                Next::Then(Then::Notice("Undone: nothing was sent.".into()))
            }
            Press::Other(_) => Next::Stay(self),
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
