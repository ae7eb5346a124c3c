//! `update`: the one place the model changes. Pure: it reads a `Msg`, edits the `App`, and
//! returns the `Effect`s for the loop to perform; it never touches the terminal, the network,
//! the disk or the clock.

mod engine;
mod list_edits;
mod loading;
mod marking;
mod modal_keys;
mod table_keys;

use crossterm::event::KeyEventKind;

use super::app::{App, knows};
use super::effect::Effect;
use super::modal::{AddIds, Modal};
use super::msg::Msg;

use list_edits::release_grace;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Press => Vec::new(),
        Msg::Key(key) => {
            if app.modal != Modal::None {
                modal_keys::on_key(app, key)
            } else if app.filter_editing && !is_ctrl_c(&key) {
                table_keys::on_filter_key(app, key);
                Vec::new()
            } else {
                table_keys::on_key(app, key)
            }
        }
        Msg::Mouse(mouse) => {
            if app.modal == Modal::None {
                table_keys::on_mouse(app, mouse);
            }
            Vec::new()
        }
        Msg::Paste(text) => {
            on_paste(app, &text);
            Vec::new()
        }
        Msg::Resize { width, height } => {
            app.size = (width, height);
            app.settle_cursor();
            Vec::new()
        }
        Msg::Tick(now) => {
            app.now = now;
            match &app.modal {
                Modal::Grace(grace) if now >= grace.deadline => release_grace(app),
                _ => Vec::new(),
            }
        }
        Msg::Engine(event) => engine::on_event(app, event),
        Msg::HistoryLoaded(entries) => {
            if let Modal::History(history) = &mut app.modal {
                history.entries = Some(entries);
            }
            Vec::new()
        }
        Msg::ListChunk(videos) => {
            app.append_rows(videos);
            Vec::new()
        }
        Msg::ListLoaded {
            index,
            missed,
            pending,
        } => {
            loading::finish(app, index, &missed, &pending);
            Vec::new()
        }
        Msg::ListFailed => vec![Effect::Quit],
        Msg::EffectFailed(message) => {
            app.notice = Some(message);
            Vec::new()
        }
    }
}

/// Ctrl-c always reaches the table's handler (cancel the batch, or quit), even mid-filter.
fn is_ctrl_c(key: &crossterm::event::KeyEvent) -> bool {
    key.code == crossterm::event::KeyCode::Char('c')
        && key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL)
}

/// Pasted text goes to whatever prompt is open; on the table it opens the add-IDs prompt.
fn on_paste(app: &mut App, text: &str) {
    match &mut app.modal {
        Modal::AddIds(add) if add.editing_label => add.label.push_str(text.trim()),
        Modal::AddIds(add) => {
            let joined = format!("{}{text}", add.text);
            let (rows, index) = (&app.rows, &app.index);
            add.set_text(joined, |id| knows(rows, index, id));
        }
        Modal::KeyPrompt(prompt) => prompt.input.push_str(text.trim()),
        Modal::None if app.filter_editing => {
            app.filter.push_str(&text.trim().to_lowercase());
            app.refilter(true);
        }
        Modal::None if app.loading.is_some() => loading::refuse(app),
        Modal::None => {
            app.modal = Modal::AddIds(AddIds::with_text(text.to_owned(), |id| app.knows(id)));
        }
        _ => {}
    }
}

#[cfg(test)]
pub mod tests;
