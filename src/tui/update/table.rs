//! The table's actions (no modal open), the filter line's, and the mouse on the table. Which
//! key is which action is the keymap's; this says what each action does here.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::copy;
use crate::rails::Refusal;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::{Action, Key};
use crate::tui::modal::{
    AddIds, ConfirmDelete, History, KeyPrompt, Modal, Refused, Scroll, edit_of,
};

/// Wheel notches move this many rows.
const WHEEL_ROWS: isize = 3;

pub fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    app.clear_notice();
    if action.spec().waits_for_list && app.loading().is_some() {
        app.refuse_while_loading();
        return Vec::new();
    }
    let page = app.table_height().max(1) as isize;
    match action {
        Action::CancelBatch => return cancel_or_quit(app),
        Action::Up => app.move_by(-1),
        Action::Down => app.move_by(1),
        Action::Top => app.move_to(0),
        Action::Bottom => app.move_to_end(),
        Action::PageUp => app.move_by(-page),
        Action::PageDown => app.move_by(page),
        Action::Mark => app.mark(),
        Action::Range => app.mark_range_or_start(),
        Action::MarkAll => app.mark_all_visible(),
        Action::Invert => app.invert_visible(),
        Action::MarkedOnly => app.toggle_marked_only(),
        Action::Sort => app.sort_by_next_column(),
        Action::Reverse => app.reverse_order(),
        Action::Copy => return copy::copy_current(app),
        Action::CopyMarked => return copy::copy_marked(app),
        Action::Export => copy::open_export(app),
        Action::Retry if app.batch().is_some_and(|batch| batch.halted()) => {
            app.set_notice("Trying again now…");
            return vec![Effect::RetryNow];
        }
        Action::MarkFailed => {
            let (n, protected) = app.mark_failed();
            let skipped = if protected > 0 {
                format!(" Skipped {protected} protected.")
            } else {
                String::new()
            };
            app.set_notice(format!(
                "Marked {n} video(s) whose last delete did not succeed.{skipped}"
            ));
        }
        Action::Protect => return toggle_protect(app),
        Action::Clear if app.abandon_range() => {}
        Action::Clear if app.filter().is_empty() => app.clear_marks(),
        Action::Clear => app.clear_filter(),
        Action::Filter => app.start_filter(),
        Action::Delete => open_delete_confirm(app),
        Action::Forget => open_forget_confirm(app),
        Action::Add => app.set_modal(Modal::AddIds(AddIds::default())),
        Action::Key => app.set_modal(Modal::KeyPrompt(KeyPrompt::default())),
        Action::Details if app.cursor().is_some() => app.set_modal(Modal::Detail),
        Action::History => {
            app.set_modal(Modal::History(History::default()));
            return vec![Effect::LoadHistory];
        }
        Action::Help => app.set_modal(Modal::Help(Scroll::default())),
        Action::Quit if app.batch().is_some() => app.set_modal(Modal::ConfirmQuit),
        Action::Quit => return vec![Effect::Quit],
        // The keymap gives the table only its own actions.
        _ => {}
    }
    Vec::new()
}

/// Keys while the filter line is open: the table narrows as the user types.
pub fn on_filter_key(app: &mut App, action: Option<Action>, key: Key) -> Vec<Effect> {
    match action {
        Some(Action::CancelBatch) => return cancel_or_quit(app),
        Some(Action::Submit) => app.keep_filter(),
        Some(Action::Clear) => {
            app.clear_filter();
            app.keep_filter();
        }
        Some(action) => {
            if let Some(edit) = edit_of(action) {
                app.edit_filter(edit);
            }
        }
        None => {
            if let Some(c) = key.typed() {
                app.type_in_filter(c);
            }
        }
    }
    Vec::new()
}

/// During a batch, queued videos end cancelled (in-flight ones finish); else the app quits.
fn cancel_or_quit(app: &mut App) -> Vec<Effect> {
    if app.batch().is_some() {
        app.set_notice("Cancelling: queued videos end cancelled.");
        vec![Effect::CancelBatch]
    } else {
        vec![Effect::Quit]
    }
}

/// Opens the confirmation for the marked rows (or the current one), past the rails: a
/// read-only profile says so, a batch over the limit gets a refusal with nothing to confirm,
/// and protected rows are left out (the confirmation says how many).
fn open_delete_confirm(app: &mut App) {
    let (rows, ids) = app.targets();
    // The gate first: a read-only profile says so even when nothing is marked.
    let checked = match app.check(&rows, ids) {
        Ok(checked) => checked,
        Err(why @ Refusal::ReadOnly { .. }) => {
            app.set_notice(format!("{why}."));
            return;
        }
        Err(why) => {
            app.set_modal(Modal::Refused(Refused { why }));
            return;
        }
    };
    if rows.is_empty() {
        app.set_notice(format!(
            "Nothing to delete: mark rows with {} first.",
            app.keymap().key(Action::Mark)
        ));
        return;
    }
    if checked.ids().is_empty() {
        app.set_notice(format!(
            "Nothing to delete: the {} video(s) asked are protected.",
            checked.protected().len()
        ));
        return;
    }
    let threshold = app.settings().confirm_threshold;
    let mut confirm = ConfirmDelete::new(checked, rows, 0, threshold);
    confirm.hidden = app.hidden_among(confirm.rows().iter().copied());
    app.set_modal(Modal::Confirm(confirm));
}

/// The protect key: the rows change, and the protected IDs are saved.
fn toggle_protect(app: &mut App) -> Vec<Effect> {
    let Some(change) = app.toggle_protect() else {
        app.set_notice("Nothing to protect: the row is gone or in a batch.");
        return Vec::new();
    };
    let notice = if change.protected {
        format!(
            "Protected {} video(s): they are never marked or sent.",
            change.rows
        )
    } else if change.still_by_rule > 0 {
        format!(
            "Unprotected {} video(s); {} stay protected by a protect rule.",
            change.rows, change.still_by_rule
        )
    } else {
        format!("Unprotected {} video(s).", change.rows)
    };
    app.set_notice(notice);
    vec![Effect::SaveProtected(change.listed)]
}

/// Asks before forgetting the marked rows (or the current one). Rows in a batch stay.
fn open_forget_confirm(app: &mut App) {
    let (_, ids) = app.targets();
    if ids.is_empty() {
        app.set_notice("Nothing to forget.");
    } else {
        app.set_modal(Modal::ConfirmForget(ids));
    }
}

/// A click moves the cursor to the clicked row; the wheel moves it a few rows.
pub fn on_mouse(app: &mut App, mouse: MouseEvent) {
    match mouse.kind {
        MouseEventKind::ScrollDown => app.move_by(WHEEL_ROWS),
        MouseEventKind::ScrollUp => app.move_by(-WHEEL_ROWS),
        MouseEventKind::Down(MouseButton::Left) => {
            let area = crate::tui::view::table_area(app.size());
            let body_top = area.y + 1;
            if mouse.row >= body_top && mouse.row < area.bottom() && mouse.column < area.right() {
                let clicked = app.offset() + usize::from(mouse.row - body_top);
                if clicked < app.visible().len() {
                    app.move_to(clicked);
                }
            }
        }
        _ => {}
    }
}
