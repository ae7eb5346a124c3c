//! The details of the current row: every field it has, the last outcome's in full, and what
//! the last sync listed (prompt, state, progress, size, duration, created, completed, error,
//! download URL, listed). The table's row holds only what it shows; the rest is read from
//! the store when the view opens (`Effect::LoadVideo`) and shown once it arrives. `details`
//! (the key that opened it), `quit` or `close` closes it.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::draw::overlay;
use super::{Dialog, Kind, Next};
use crate::printable::into_printable;
use crate::query::GenerationFacts;
use crate::store::{GenerationRow, KnownVideo, LastSync, shown_size};
use crate::time_text::{absolute, relative};
use crate::tui::app::App;
use crate::tui::app::row::Row;
use crate::tui::keymap::{Action, AnyContext, Context, Key, Press, Typing, keys};
use crate::tui::view::{Theme, detail_text};

keys! {
    /// The details view's keys: each closes it.
    pub enum DetailKey { Details, Quit, Close }
}

impl Context for DetailKey {
    const NAME: &'static str = "the details view";
    const TYPING: Typing = Typing::Nothing;
}

/// The details of the row under the cursor.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Detail {
    /// The video as the store keeps it, once read.
    stored: Option<Box<KnownVideo>>,
}

impl Detail {
    /// The store's copy of a video arrived: kept when it is the row still shown.
    pub fn loaded(&mut self, video: Box<KnownVideo>, app: &App) {
        if app.current_row().is_some_and(|row| row.id == video.id) {
            self.stored = Some(video);
        }
    }
}

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
        let added = app
            .cursor()
            .map_or(Timestamp::UNIX_EPOCH, |at| app.rows().added_at(at));
        let mut lines = vec![
            field("ID", row.id.to_string()),
            field("Label", app.current_text().0.unwrap_or("-").to_owned()),
            field(
                "Added",
                format!("{} ({})", absolute(added), relative(app.now(), added)),
            ),
            field(
                "Status",
                match row.status_word() {
                    "" => "not deleted yet".to_owned(),
                    word => word.to_owned(),
                },
            ),
            field(
                "Detail",
                detail_text(row, app.cursor().and_then(|at| app.wait_of(at)), app.now()),
            ),
        ];
        let stored = self.stored.as_deref().filter(|video| video.id == row.id);
        generation_lines(row, stored, &mut |name, value| {
            lines.push(field(name, value))
        });
        if let Some(f) = row.finished() {
            let o = &f.outcome;
            let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
            lines.push(field("HTTP", or_dash(o.status.map(|s| s.to_string()))));
            lines.push(field("Code", or_dash(o.error_code.clone())));
            lines.push(field("Message", or_dash(o.message.clone())));
            lines.push(field("Request id", or_dash(o.request_id.clone())));
            lines.push(field("Attempts", o.attempts.to_string()));
            lines.push(field("At", absolute(f.at)));
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

/// What the last sync listed of `row`, one field at a time: from the store's copy once it is
/// read, until then what the row keeps (state, size, duration, listed). Nothing when no sync
/// listed it.
fn generation_lines(row: &Row, stored: Option<&KnownVideo>, field: &mut dyn FnMut(&str, String)) {
    let generation = stored
        .and_then(|video| video.details.as_ref())
        .map(|details| &details.generation);
    let facts = generation.map_or_else(
        || row.generation(),
        |generation| GenerationFacts::of(GenerationRow::of(generation)),
    );
    if facts.state.is_none() && facts.listed == LastSync::Unknown && generation.is_none() {
        return;
    }
    if let Some(prompt) = stored.and_then(KnownVideo::title) {
        field("Prompt", prompt.to_owned());
    }
    if let Some(state) = facts.state {
        let progress = generation
            .and_then(|generation| generation.progress)
            .map(|progress| format!(" ({progress}%)"))
            .unwrap_or_default();
        field("State", format!("{state}{progress}"));
    }
    if let Some(size) = facts.file_size {
        field("Size", shown_size(size));
    }
    if let Some(duration) = facts.duration {
        field("Duration", format!("{:.1} s", duration.as_secs_f64()));
    }
    if let Some(created) = stored.and_then(KnownVideo::created_at) {
        field("Created", absolute(created));
    }
    if let Some(generation) = generation {
        if let Some(completed) = generation.completed_at {
            field("Completed", absolute(completed));
        }
        if let Some(error) = &generation.error {
            field("Error", error.to_string());
        }
        if let Some(url) = &generation.download_url {
            field("Download", url.to_string());
        }
    }
    field(
        "Listed",
        match facts.listed {
            LastSync::Listed => "by the last sync".to_owned(),
            LastSync::NotListed => {
                "not by the last complete sync (kept; it may be gone or another account's)"
                    .to_owned()
            }
            LastSync::Unknown => "no complete sync yet".to_owned(),
        },
    );
}
