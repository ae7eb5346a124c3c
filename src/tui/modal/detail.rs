//! The details of the current row: every field it has, the last outcome's in full. `details`
//! (the key that opened it), `quit` or `close` closes it.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::draw::overlay;
use super::{Dialog, Kind, Next};
use crate::printable::into_printable;
use crate::tui::app::App;
use crate::tui::keymap::{Action, AnyContext, Context, Key, Press, Typing, keys};
use crate::tui::view::{Theme, detail_text, relative};

keys! {
    /// The details view's keys: each closes it.
    pub enum DetailKey { Details, Quit, Close }
}

impl Context for DetailKey {
    const NAME: &'static str = "the details view";
    const TYPING: Typing = Typing::Nothing;
}

/// The details of the row under the cursor.
#[derive(Debug, PartialEq, Eq)]
pub struct Detail;

impl Dialog for Detail {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<DetailKey>()];
    const KIND: Kind = Kind::View;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        match app.keymap().read(key) {
            Press::Escape
            | Press::Action(DetailKey::Details | DetailKey::Quit | DetailKey::Close) => Next::Close,
            Press::Other(_) => Next::Stay(self),
        }
    }

    /// Ignored: there is nothing to type.
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let Some(row) = app.current_row() else {
            return;
        };
        // Labels, the server's code, message and request id: printable, as every value here.
        let field = |name: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("{name:<11}"), theme.dim()),
                Span::raw(into_printable(value)),
            ])
        };
        let mut lines = vec![
            field("ID", row.id.to_string()),
            field("Label", app.current_text().0.unwrap_or("-").to_owned()),
            field(
                "Added",
                format!(
                    "{} ({})",
                    row.added_at().strftime("%Y-%m-%d %H:%M:%S UTC"),
                    relative(app.now(), row.added_at())
                ),
            ),
            field(
                "Status",
                match row.status_word() {
                    "" => "not deleted yet".to_owned(),
                    word => word.to_owned(),
                },
            ),
            field("Detail", detail_text(row, app.now())),
        ];
        if let Some(f) = row.finished() {
            let o = &f.outcome;
            let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
            lines.push(field("HTTP", or_dash(o.status.map(|s| s.to_string()))));
            lines.push(field("Code", or_dash(o.error_code.clone())));
            lines.push(field("Message", or_dash(o.message.clone())));
            lines.push(field("Request id", or_dash(o.request_id.clone())));
            lines.push(field("Attempts", o.attempts.to_string()));
            lines.push(field(
                "At",
                f.at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
            ));
        }
        lines.push(Line::from(""));
        let keymap = app.keymap();
        lines.push(Line::from(Span::styled(
            format!(
                "{} or {} closes",
                keymap.key(Action::Close),
                keymap.key(Action::Details)
            ),
            theme.dim(),
        )));
        overlay(frame, theme, "Video", lines, 70);
    }
}
