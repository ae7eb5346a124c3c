//! Keys while a modal is open. The delete confirmation is deliberately strict: `y` (or the
//! typed count) confirms, `n`/`Esc` cancels, and `Enter` alone never deletes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::list_edits;
use crate::api::ApiKey;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::modal::Modal;

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let code = key.code;
    let close = matches!(code, KeyCode::Esc) || (ctrl && code == KeyCode::Char('c'));
    match std::mem::take(&mut app.modal) {
        Modal::None => {}
        Modal::Confirm(mut confirm) => {
            let submit =
                code == KeyCode::Char('y') || (code == KeyCode::Enter && confirm.must_type);
            match code {
                _ if close || code == KeyCode::Char('n') => {
                    app.notice = Some("Cancelled: nothing was sent.".into());
                }
                _ if submit => match confirm.confirm() {
                    Ok(batch) => return list_edits::confirmed(app, batch),
                    Err(confirm) => app.modal = Modal::Confirm(confirm),
                },
                KeyCode::Char(c) if confirm.must_type && c.is_ascii_digit() => {
                    confirm.typed.push(c);
                    app.modal = Modal::Confirm(confirm);
                }
                KeyCode::Backspace => {
                    confirm.typed.pop();
                    app.modal = Modal::Confirm(confirm);
                }
                _ => app.modal = Modal::Confirm(confirm),
            }
        }
        Modal::Grace(grace) => {
            if close || code == KeyCode::Char('u') {
                app.notice = Some("Undone: nothing was sent.".into());
            } else {
                app.modal = Modal::Grace(grace);
            }
        }
        Modal::ConfirmForget(ids) => match code {
            KeyCode::Char('y') => return list_edits::forget(app, ids),
            KeyCode::Char('n') => {}
            _ if close => {}
            _ => app.modal = Modal::ConfirmForget(ids),
        },
        Modal::ConfirmQuit => match code {
            KeyCode::Char('y') => return vec![Effect::Quit],
            KeyCode::Char('n') => {}
            _ if close => {}
            _ => app.modal = Modal::ConfirmQuit,
        },
        Modal::AddIds(mut add) => match code {
            _ if close => {}
            KeyCode::Enter => {
                let label = Some(add.label.trim().to_owned()).filter(|l| !l.is_empty());
                return list_edits::add(app, add.found, label);
            }
            KeyCode::Tab | KeyCode::BackTab => {
                add.editing_label = !add.editing_label;
                app.modal = Modal::AddIds(add);
            }
            KeyCode::Backspace | KeyCode::Char(_) if add.editing_label => {
                match code {
                    KeyCode::Char(c) if !ctrl => add.label.push(c),
                    KeyCode::Backspace => _ = add.label.pop(),
                    _ => {}
                }
                app.modal = Modal::AddIds(add);
            }
            KeyCode::Backspace | KeyCode::Char(_) => {
                let mut text = std::mem::take(&mut add.text);
                match code {
                    KeyCode::Char(c) if !ctrl => text.push(c),
                    KeyCode::Backspace => _ = text.pop(),
                    _ => {}
                }
                add.set_text(text, |id| app.knows(id));
                app.modal = Modal::AddIds(add);
            }
            _ => app.modal = Modal::AddIds(add),
        },
        Modal::KeyPrompt(mut prompt) => match code {
            _ if close => {
                if app.key_needed {
                    app.notice = Some("Paused: the batch waits for a key (press K).".into());
                }
            }
            KeyCode::Enter => match ApiKey::new(prompt.input.as_str()) {
                Ok(key) => {
                    app.settings.key_set = true;
                    app.key_needed = false;
                    return vec![Effect::SetKey {
                        key,
                        save: prompt.save,
                    }];
                }
                Err(err) => {
                    prompt.error = Some(err.to_string());
                    app.modal = Modal::KeyPrompt(prompt);
                }
            },
            KeyCode::Tab => {
                prompt.save = !prompt.save;
                app.modal = Modal::KeyPrompt(prompt);
            }
            KeyCode::Backspace => {
                prompt.input.pop();
                app.modal = Modal::KeyPrompt(prompt);
            }
            KeyCode::Char(c) if !ctrl => {
                prompt.input.push(c);
                prompt.error = None;
                app.modal = Modal::KeyPrompt(prompt);
            }
            _ => app.modal = Modal::KeyPrompt(prompt),
        },
        Modal::Detail => {
            if !(close || matches!(code, KeyCode::Enter | KeyCode::Char('q'))) {
                app.modal = Modal::Detail;
            }
        }
        Modal::Help => {
            if !(close || matches!(code, KeyCode::Char('?') | KeyCode::Char('q'))) {
                app.modal = Modal::Help;
            }
        }
        Modal::History(mut history) => match code {
            _ if close => {}
            KeyCode::Char('H') | KeyCode::Char('q') => {}
            KeyCode::Char('j') | KeyCode::Down => {
                history.scroll += 1;
                app.modal = Modal::History(history);
            }
            KeyCode::Char('k') | KeyCode::Up => {
                history.scroll = history.scroll.saturating_sub(1);
                app.modal = Modal::History(history);
            }
            _ => app.modal = Modal::History(history),
        },
    }
    Vec::new()
}
