//! The refusal of a batch the rails refused whole (over the limit), in the confirmation's
//! place: it says why and offers nothing to confirm; any answer closes it with nothing sent.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::confirm::{CountKey, WIDTH, account};
use super::draw::boxed;
use super::{Dialog, Kind, Next, Then};
use crate::printable::into_printable;
use crate::rails::Refusal;
use crate::tui::app::App;
use crate::tui::keymap::{Action, AnyContext, Key, Press};
use crate::tui::view::Theme;

#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub why: Refusal,
}

impl Dialog for Refused {
    /// The confirmation's keys: it is drawn where the confirmation would be.
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<CountKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Escape
            | Press::Action(CountKey::No | CountKey::Close | CountKey::Yes | CountKey::Submit) => {
                Next::Then(Then::Notice("Nothing was sent.".into()))
            }
            Press::Action(CountKey::Edit(_)) | Press::Other(_) => Next::Stay(self),
        }
    }

    /// Ignored: there is nothing to type.
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let keymap = app.keymap();
        let lines = vec![
            Line::from(Span::styled(
                format!("Refused on {}.", account(app)),
                theme.header(),
            )),
            Line::from(""),
            Line::from(Span::styled(
                into_printable(self.why.to_string()),
                theme.danger(),
            )),
            Line::from(""),
            Line::from(Span::styled(
                format!("{} close: nothing was sent", keymap.key(Action::Close)),
                theme.dim(),
            )),
        ];
        boxed(frame, theme, "Delete videos", lines, WIDTH);
    }
}
