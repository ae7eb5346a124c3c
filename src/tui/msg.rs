//! `Msg`: everything that can change the model: terminal input, time, engine events and the
//! answers to effects. Owned values only; producing them is `run`'s job.

use crossterm::event::{KeyEvent, MouseEvent};
use jiff::Timestamp;

use crate::engine::Event;
use crate::store::HistoryEntry;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Bracketed paste: the whole pasted text at once.
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The wall clock moved on; drives countdowns, the spinner and relative times.
    Tick(Timestamp),
    Engine(Event),
    /// The history journal, oldest first (answer to `Effect::LoadHistory`).
    HistoryLoaded(Vec<HistoryEntry>),
    /// Performing an effect failed (store write, engine gone); shown to the user.
    EffectFailed(String),
}
