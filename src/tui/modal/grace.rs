//! The undo window after confirming a delete: the confirmed batch waits for its deadline,
//! and `undo` or `close` drops it with nothing sent. Time arrives in `on_tick`.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::draw::boxed;
use super::{ConfirmedBatch, Dialog, Kind, Next, Then};
use crate::tui::app::App;
use crate::tui::app::batch::remaining;
use crate::tui::keymap::{Action, AnyContext, Context, Key, Press, Typing, keys};
use crate::tui::view::Theme;

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

    pub fn deadline(&self) -> Timestamp {
        self.deadline
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

impl Dialog for Grace {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<GraceKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Escape | Press::Action(GraceKey::Undo | GraceKey::Close) => {
                Next::Then(Then::Notice("Undone: nothing was sent.".into()))
            }
            Press::Other(_) => Next::Stay(self),
        }
    }

    /// Ignored: a paste never undoes, nor hurries, a countdown.
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let secs = remaining(app.now(), self.deadline).as_secs_f64().ceil();
        let keymap = app.keymap();
        let lines = vec![
            Line::from(format!(
                "Deleting {} video(s) in {secs}s…",
                self.batch.ids().len()
            )),
            Line::from(""),
            Line::from(Span::styled(
                format!(
                    "{} or {}: undo, nothing is sent",
                    keymap.key(Action::Undo),
                    keymap.key(Action::Close)
                ),
                theme.header(),
            )),
        ];
        boxed(frame, theme, "Last chance", lines, 44);
    }
}
