//! `update`: the one place the model changes. Pure: it reads a `Msg`, asks the `App` to
//! change, and returns the `Effect`s for the loop to perform; it never touches the terminal,
//! the network, the disk or the clock. A key goes to whoever has the keyboard (the open
//! modal, the filter line, or the table), which reads it through the keymap as one of the
//! actions of its context.

mod copy;
mod engine;
mod table_keys;

pub use table_keys::{FilterKey, TableKey};

use crossterm::event::KeyEventKind;

use super::app::App;
use super::app::batch::after;
use super::effect::Effect;
use super::keymap::{Action, AnyContext, Key, SUSPEND_KEY};
use super::modal::{AddIds, ConfirmedBatch, Grace, KeyPrompt, Modal, Next, Replace, Then};
use super::msg::Msg;
use crate::api::ApiKey;
use crate::pipeline::Edit;
use crate::store::Existing;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(event) if event.kind != KeyEventKind::Press => Vec::new(),
        Msg::Key(event) => on_key(app, Key::from_event(&event)),
        Msg::Mouse(mouse) => {
            if *app.modal() == Modal::None {
                table_keys::on_mouse(app, mouse);
            }
            Vec::new()
        }
        Msg::Paste(text) => {
            on_paste(app, &text);
            Vec::new()
        }
        Msg::Resize { width, height } => {
            app.resize(width, height);
            Vec::new()
        }
        Msg::Tick(now) => {
            app.tick(now);
            let next = app.take_modal().on_tick(now);
            after_modal(app, next)
        }
        Msg::Engine(event) => engine::on_event(app, event),
        Msg::HistoryLoaded(entries) => {
            if let Modal::History(mut history) = app.take_modal() {
                history.loaded(entries);
                app.set_modal(Modal::History(history));
            }
            Vec::new()
        }
        Msg::Sync(news) => {
            app.sync_news(news);
            Vec::new()
        }
        Msg::VideoLoaded(video) => {
            if let Modal::Detail(mut detail) = app.take_modal() {
                detail.loaded(video, app);
                app.set_modal(Modal::Detail(detail));
            }
            Vec::new()
        }
        Msg::ListChunk(videos) => {
            app.append_rows(videos);
            Vec::new()
        }
        Msg::ListLoaded { index, pending } => {
            app.finish_loading(index, &pending);
            Vec::new()
        }
        Msg::BatchRefused { ids, why } => {
            app.unqueue(&ids);
            app.set_notice(format!(
                "Nothing was sent: {why}. The {} video(s) are marked again.",
                ids.len()
            ));
            Vec::new()
        }
        Msg::ListFailed => vec![Effect::Quit],
        Msg::ListChanged(changes) => {
            app.take_changes(changes);
            Vec::new()
        }
        Msg::EffectFailed(message) => {
            app.set_notice(message);
            Vec::new()
        }
        Msg::Exported { path, count } => {
            app.set_notice(format!("Wrote {count} ID(s) to {}.", path.display()));
            Vec::new()
        }
        Msg::KeyFetched(fetched) => key_fetched(app, fetched),
        Msg::ExportWouldReplace(path) => {
            app.set_modal(Modal::ConfirmReplace(Replace(path)));
            Vec::new()
        }
    }
}

/// Every context the app reads keys in: the table, the filter line, and each modal's (in
/// each of its modes). The keymap checks a rebinding against each.
pub fn contexts() -> impl Iterator<Item = AnyContext> {
    [AnyContext::of::<TableKey>(), AnyContext::of::<FilterKey>()]
        .into_iter()
        .chain(Modal::contexts())
}

fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    // The shell's suspend key, wherever the keyboard is; the screen stays as it is.
    if key == SUSPEND_KEY {
        return vec![Effect::Suspend];
    }
    if *app.modal() != Modal::None {
        let next = app.take_modal().on_key(key, app);
        return after_modal(app, next);
    }
    if app.filter_line().is_some() {
        let press = app.keymap().read(key);
        return table_keys::on_filter_key(app, press);
    }
    let press = app.keymap().read(key);
    table_keys::on_key(app, press)
}

/// Pasted text goes to whatever field has the keyboard; on the table it opens the add-IDs
/// prompt with it.
fn on_paste(app: &mut App, text: &str) {
    if *app.modal() != Modal::None {
        let mut modal = app.take_modal();
        modal.on_paste(text, app);
        app.set_modal(modal);
    } else if app.filter_line().is_some() {
        app.paste_in_filter(text);
    } else if app.loading().is_some() {
        app.refuse_while_loading();
    } else {
        let add = AddIds::pasted(text, app);
        app.set_modal(Modal::AddIds(add));
    }
}

/// Puts back the modal that stays open, or does what the one that closed asks.
fn after_modal(app: &mut App, next: Next<Modal>) -> Vec<Effect> {
    let then = match next {
        Next::Stay(modal) => {
            app.set_modal(modal);
            return Vec::new();
        }
        Next::Close => return Vec::new(),
        Next::Then(then) => then,
    };
    match then {
        Then::Notice(notice) => app.set_notice(notice),
        Then::Confirmed(batch) if app.settings().grace.is_zero() => return send(app, batch),
        Then::Confirmed(batch) => {
            let deadline = after(app.now(), app.settings().grace);
            app.set_modal(Modal::Grace(Grace::new(batch, deadline)));
        }
        Then::Send(batch) => return send(app, batch),
        Then::Forget(ids) => {
            app.forget(&ids);
            app.set_notice(format!("Forgot {} video(s); nothing was sent.", ids.len()));
            return vec![Effect::Edit(Edit::Forget(ids))];
        }
        Then::Add { ids, label } => {
            let added = app.add(ids, label.clone());
            if added.is_empty() {
                app.set_notice("No new video IDs found.");
            } else {
                app.set_notice(format!("Added {} video(s).", added.len()));
                let at = app.now();
                return vec![Effect::Edit(Edit::Add {
                    ids: added,
                    label,
                    at,
                })];
            }
        }
        Then::SetKey { key, save } => {
            app.key_given();
            return vec![Effect::SetKey { key, save }];
        }
        Then::Export(typed) => return copy::export(app, copy::expand_home(&typed), Existing::Keep),
        Then::Replace(path) => return copy::export(app, path, Existing::Replace),
        Then::GoTo(id) => app.go_to(&id),
        Then::Quit => return vec![Effect::Quit],
    }
    Vec::new()
}

/// `api_key_command` answered. A key goes to the engine (resuming a batch that waited for
/// it, and closing a key prompt opened meanwhile); without one, the footer says why, and a
/// batch waiting for a key gets the prompt.
fn key_fetched(app: &mut App, fetched: Result<ApiKey, String>) -> Vec<Effect> {
    app.key_command_done();
    match fetched {
        Ok(key) => {
            if matches!(app.modal(), Modal::KeyPrompt(_)) {
                app.set_modal(Modal::None);
            }
            app.key_given();
            app.set_notice("Got the key from api_key_command.");
            vec![Effect::SetKey { key, save: false }]
        }
        Err(why) => {
            app.set_notice(format!(
                "No key: {why}. {} enters one.",
                app.keymap().key(Action::ApiKey)
            ));
            if app.key_needed() && app.modal().is_view_or_none() {
                app.set_modal(Modal::KeyPrompt(KeyPrompt::default()));
            }
            Vec::new()
        }
    }
}

/// The confirmed IDs go to the engine; the table shows them queued.
fn send(app: &mut App, batch: ConfirmedBatch) -> Vec<Effect> {
    app.queue(&batch);
    vec![Effect::Enqueue(batch)]
}

#[cfg(test)]
pub mod tests;
