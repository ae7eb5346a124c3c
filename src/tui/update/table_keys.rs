//! Keys and mouse on the table (no modal open), and keys in the filter prompt. The key map
//! here is the one the help overlay lists (`view::help`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::{list_edits, loading, marking};
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::modal::{History, KeyPrompt, Modal};

/// Wheel notches move this many rows.
const WHEEL_ROWS: usize = 3;

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let pos = app.cursor_pos().unwrap_or(0);
    let page = app.table_height().max(1);
    app.notice = None;
    match key.code {
        KeyCode::Char('c') if ctrl => {
            return if app.batch.is_some() {
                app.notice = Some("Cancelling: queued videos end cancelled.".into());
                vec![Effect::CancelBatch]
            } else {
                vec![Effect::Quit]
            };
        }
        _ if app.loading.is_some() && edits_list(&key) => loading::refuse(app),
        KeyCode::Char('a') if ctrl => marking::mark_all_visible(app),
        _ if ctrl => {}
        KeyCode::Char('j') | KeyCode::Down => app.move_to(pos + 1),
        KeyCode::Char('k') | KeyCode::Up => app.move_to(pos.saturating_sub(1)),
        KeyCode::Char('g') | KeyCode::Home => app.move_to(0),
        KeyCode::Char('G') | KeyCode::End => app.move_to(usize::MAX),
        KeyCode::PageDown => app.move_to(pos + page),
        KeyCode::PageUp => app.move_to(pos.saturating_sub(page)),
        KeyCode::Char(' ') => match app.range_anchor.take() {
            Some(anchor) => marking::mark_range(app, anchor, pos),
            None => marking::toggle_current(app),
        },
        KeyCode::Char('v') => match app.range_anchor.take() {
            Some(anchor) => marking::mark_range(app, anchor, pos),
            None => app.range_anchor = app.cursor_pos(),
        },
        KeyCode::Char('i') => marking::invert_visible(app),
        KeyCode::Char('r') if app.batch.as_ref().is_some_and(|batch| batch.halted()) => {
            app.notice = Some("Trying again now…".into());
            return vec![Effect::RetryNow];
        }
        KeyCode::Char('R') => {
            let n = marking::mark_failed(app);
            app.notice = Some(format!(
                "Marked {n} video(s) whose last delete did not succeed."
            ));
        }
        KeyCode::Esc if app.range_anchor.take().is_some() => {}
        KeyCode::Esc if app.filter.is_empty() => app.marks.clear(),
        KeyCode::Esc => {
            app.filter.clear();
            app.refilter(false);
        }
        KeyCode::Char('/') => app.filter_editing = true,
        KeyCode::Char('d') | KeyCode::Delete => list_edits::open_delete_confirm(app),
        KeyCode::Char('x') => list_edits::open_forget_confirm(app),
        KeyCode::Char('a') => app.modal = Modal::AddIds(Default::default()),
        KeyCode::Char('K') => app.modal = Modal::KeyPrompt(KeyPrompt::default()),
        KeyCode::Enter if app.cursor.is_some() => app.modal = Modal::Detail,
        KeyCode::Char('H') => {
            app.modal = Modal::History(History::default());
            return vec![Effect::LoadHistory];
        }
        KeyCode::Char('?') => app.modal = Modal::Help,
        KeyCode::Char('q') if app.batch.is_some() => app.modal = Modal::ConfirmQuit,
        KeyCode::Char('q') => return vec![Effect::Quit],
        _ => {}
    }
    let marks_changed = ctrl
        || matches!(
            key.code,
            KeyCode::Char(' ' | 'v' | 'i' | 'R') | KeyCode::Esc
        );
    if marks_changed {
        app.recount_hidden();
    }
    Vec::new()
}

/// Keys that mark, add, forget or delete: they wait until the whole list is in.
fn edits_list(key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('a') => true,
        KeyCode::Char(' ' | 'v' | 'i' | 'R' | 'd' | 'x') => !ctrl,
        KeyCode::Delete => true,
        _ => false,
    }
}

/// Keys while the filter prompt is open: the table narrows as the user types.
pub fn on_filter_key(app: &mut App, key: KeyEvent) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => app.filter_editing = false,
        KeyCode::Esc => {
            app.filter_editing = false;
            app.filter.clear();
            app.refilter(false);
        }
        KeyCode::Char('u') if ctrl => {
            app.filter.clear();
            app.refilter(false);
        }
        KeyCode::Backspace if app.filter.pop().is_some() => app.refilter(false),
        KeyCode::Char(c) if !ctrl => {
            app.filter.extend(c.to_lowercase());
            app.refilter(true);
        }
        _ => {}
    }
}

/// A click moves the cursor to the clicked row; the wheel moves it a few rows.
pub fn on_mouse(app: &mut App, mouse: MouseEvent) {
    let pos = app.cursor_pos().unwrap_or(0);
    match mouse.kind {
        MouseEventKind::ScrollDown => app.move_to(pos + WHEEL_ROWS),
        MouseEventKind::ScrollUp => app.move_to(pos.saturating_sub(WHEEL_ROWS)),
        MouseEventKind::Down(MouseButton::Left) => {
            let area = crate::tui::view::table_area(app.size);
            let body_top = area.y + 1;
            if mouse.row >= body_top && mouse.row < area.bottom() && mouse.column < area.right() {
                let clicked = app.offset + usize::from(mouse.row - body_top);
                if clicked < app.visible.len() {
                    app.move_to(clicked);
                }
            }
        }
        _ => {}
    }
}
