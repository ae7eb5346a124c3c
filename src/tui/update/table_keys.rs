//! The table's keys (no modal open), the filter line's, and the mouse on the table. Which
//! key is which action is the keymap's; this says which actions each takes (`TableKey`,
//! `FilterKey`) and what each does there.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::copy;
use crate::manifest::Breakdown;
use crate::pipeline::Edit;
use crate::query::Reads;
use crate::rails::Refusal;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::{Action, Context, Move, Press, Typing, keys};
use crate::tui::layout::Layout;
use crate::tui::modal::{
    AddIds, ConfirmDelete, Detail, Forget, Help, History, KeyPrompt, Modal, Quit, Refused,
};

/// Wheel notches move this many rows.
const WHEEL_ROWS: isize = 3;

keys! {
    /// The table's keys: no dialog open, the filter line closed.
    pub enum TableKey {
        Move(Move),
        Mark,
        Range,
        MarkAll,
        Invert,
        MarkedOnly,
        Clear,
        Filter,
        Sort,
        Reverse,
        Columns,
        Delete,
        Forget,
        Add,
        MarkFailed,
        Protect,
        Retry,
        Pause,
        Copy,
        CopyMarked,
        Export,
        Details,
        ApiKey,
        History,
        Sync,
        Help,
        Quit,
        CancelBatch,
    }
}

impl Context for TableKey {
    const NAME: &'static str = "the table";
    const TYPING: Typing = Typing::Nothing;
}

impl TableKey {
    /// Marks, sorts, adds, forgets or deletes: refused until the whole list is read.
    fn waits_for_list(self) -> bool {
        match self {
            Self::Mark
            | Self::Range
            | Self::MarkAll
            | Self::Invert
            | Self::Sort
            | Self::Reverse
            | Self::Delete
            | Self::Forget
            | Self::Add
            | Self::MarkFailed
            | Self::Protect => true,
            Self::Move(_)
            | Self::MarkedOnly
            | Self::Columns
            | Self::Clear
            | Self::Filter
            | Self::Retry
            | Self::Pause
            | Self::Copy
            | Self::CopyMarked
            | Self::Export
            | Self::Details
            | Self::ApiKey
            | Self::History
            | Self::Sync
            | Self::Help
            | Self::Quit
            | Self::CancelBatch => false,
        }
    }
}

keys! {
    /// The filter line's keys, while it is open: the table narrows as the user types.
    pub enum FilterKey { CancelBatch, Submit, Clear, Edit(crate::tui::app::text_field::Edit) }
}

impl Context for FilterKey {
    const NAME: &'static str = "the filter line";
    const TYPING: Typing = Typing::Text;
}

pub fn on_key(app: &mut App, press: Press<TableKey>) -> Vec<Effect> {
    let forbidden_offered = app.take_forbidden_offer();
    app.clear_notice();
    match press {
        Press::Action(key) if key.waits_for_list() && app.loading().is_some() => {
            app.refuse_while_loading();
            Vec::new()
        }
        Press::Action(key) => on_action(app, key, forbidden_offered),
        Press::Escape => cancel_or_quit(app),
        Press::Other(_) => Vec::new(),
    }
}

/// `forbidden_offered`: the key before was `mark-failed`, which left rows refused as forbidden
/// unmarked and offered them.
fn on_action(app: &mut App, key: TableKey, forbidden_offered: bool) -> Vec<Effect> {
    let page = app.table_height().max(1) as isize;
    match key {
        TableKey::CancelBatch => return cancel_or_quit(app),
        TableKey::Move(Move::Up) => app.move_by(-1),
        TableKey::Move(Move::Down) => app.move_by(1),
        TableKey::Move(Move::Top) => app.move_to(0),
        TableKey::Move(Move::Bottom) => app.move_to_end(),
        TableKey::Move(Move::PageUp) => app.move_by(-page),
        TableKey::Move(Move::PageDown) => app.move_by(page),
        TableKey::Mark => app.mark(),
        TableKey::Range => app.mark_range_or_start(),
        TableKey::MarkAll => app.mark_all_visible(),
        TableKey::Invert => app.invert_visible(),
        TableKey::MarkedOnly => app.toggle_marked_only(),
        TableKey::Sort => app.sort_by_next_column(),
        TableKey::Reverse => app.reverse_order(),
        TableKey::Columns => toggle_columns(app),
        TableKey::Copy => return copy::copy_current(app),
        TableKey::CopyMarked => return copy::copy_marked(app),
        TableKey::Export => copy::open_export(app),
        TableKey::Retry if app.batch().is_some_and(|batch| batch.halted()) => {
            app.set_notice("Trying again now…");
            return vec![Effect::RetryNow];
        }
        // Nothing is halted: nothing to try again.
        TableKey::Retry => {}
        TableKey::Pause => return toggle_pause(app),
        TableKey::MarkFailed => mark_failed(app, forbidden_offered),
        TableKey::Protect => return toggle_protect(app),
        TableKey::Clear if app.abandon_range() => {}
        TableKey::Clear if app.filter().is_empty() => app.clear_marks(),
        TableKey::Clear => app.clear_filter(),
        TableKey::Filter => app.start_filter(),
        TableKey::Delete => open_delete_confirm(app),
        TableKey::Forget => open_forget_confirm(app),
        TableKey::Add => app.set_modal(Modal::AddIds(AddIds::default())),
        TableKey::ApiKey => app.set_modal(Modal::KeyPrompt(KeyPrompt::default())),
        TableKey::Details => {
            // No row: no details.
            if let Some(row) = app.current_row() {
                let id = row.id;
                app.set_modal(Modal::Detail(Detail::default()));
                return vec![Effect::LoadVideo(id)];
            }
        }
        TableKey::History => {
            app.set_modal(Modal::History(History::default()));
            return vec![Effect::LoadHistory];
        }
        TableKey::Sync => return start_sync(app),
        TableKey::Help => app.set_modal(Modal::Help(Help::default())),
        TableKey::Quit if app.batch().is_some() => app.set_modal(Modal::ConfirmQuit(Quit)),
        TableKey::Quit => return vec![Effect::Quit],
    }
    Vec::new()
}

pub fn on_filter_key(app: &mut App, press: Press<FilterKey>) -> Vec<Effect> {
    match press {
        Press::Escape | Press::Action(FilterKey::CancelBatch) => return cancel_or_quit(app),
        Press::Action(FilterKey::Submit) => app.keep_filter(),
        Press::Action(FilterKey::Clear) => {
            app.clear_filter();
            app.keep_filter();
        }
        Press::Action(FilterKey::Edit(edit)) => app.edit_filter(edit),
        Press::Other(key) => {
            if let Some(c) = key.typed() {
                app.type_in_filter(c);
            }
        }
    }
    Vec::new()
}

/// Pauses the running batch, or resumes the one the user paused; the engine's word shows on
/// screen (`Pause::ByUser`, `Resumed`).
fn toggle_pause(app: &mut App) -> Vec<Effect> {
    match app.batch() {
        None => {
            app.set_notice("No batch is running: nothing to pause.");
            Vec::new()
        }
        Some(batch) if batch.paused_by_user() => vec![Effect::ResumeBatch],
        Some(_) => vec![Effect::PauseBatch],
    }
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
    let protected: Vec<String> = (checked.reasons().iter())
        .map(|&why| app.rails().reason(why))
        .collect();
    let mut confirm = ConfirmDelete::new(checked, rows, 0, threshold);
    confirm.hidden = app.hidden_among(confirm.rows().iter().copied());
    let last = Reads {
        label: false,
        title: false,
        status: true,
        created_at: false,
    };
    let videos = (confirm.rows().iter()).map(|&row| app.rows().subject(row, last));
    confirm.breakdown = Breakdown::new(videos, protected);
    app.set_modal(Modal::Confirm(confirm));
}

/// The `columns` key: the optional columns hide, or show again; the notice names them.
fn toggle_columns(app: &mut App) {
    app.toggle_optional_columns();
    let optional = app.settings().columns.optional();
    let key = app.keymap().key(Action::Columns);
    let notice = match (optional.is_empty(), app.optional_columns_hidden()) {
        (true, _) => "No optional column is chosen (`columns` in the config).".to_owned(),
        (false, true) => format!(
            "Optional columns hidden ({}): {key} shows them.",
            optional.join(", ")
        ),
        (false, false) => format!("Optional columns shown: {key} hides them."),
    };
    app.set_notice(notice);
}

/// Marks the rows whose last delete did not succeed; those refused as forbidden (403, an
/// answer no retry changes) only when the key before offered them, that is, on a second
/// press. Says what it marked and skipped.
fn mark_failed(app: &mut App, with_forbidden: bool) {
    let done = app.mark_failed(with_forbidden);
    let mut notice = format!(
        "Marked {} video(s) whose last delete did not succeed",
        done.marked
    );
    if with_forbidden {
        notice.push_str(", forbidden ones included");
    }
    notice.push('.');
    if done.forbidden > 0 {
        notice.push_str(&format!(
            " Skipped {} refused as forbidden (403, permanent): {} again marks them too.",
            done.forbidden,
            app.keymap().key(Action::MarkFailed)
        ));
    }
    if done.protected > 0 {
        notice.push_str(&format!(" Skipped {} protected.", done.protected));
    }
    app.set_notice(notice);
}

/// The protect key: the rows change, and the change is written to the store.
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
    let edit = if change.protected {
        Edit::Protect(change.ids)
    } else {
        Edit::Unprotect(change.ids)
    };
    vec![Effect::Edit(edit)]
}

/// Asks before forgetting the marked rows (or the current one). Rows in a batch stay.
fn open_forget_confirm(app: &mut App) {
    let (_, ids) = app.targets();
    if ids.is_empty() {
        app.set_notice("Nothing to forget.");
    } else {
        app.set_modal(Modal::ConfirmForget(Forget(ids)));
    }
}

/// A click moves the cursor to the clicked row; the wheel moves it a few rows.
pub fn on_mouse(app: &mut App, mouse: MouseEvent) {
    match mouse.kind {
        MouseEventKind::ScrollDown => app.move_by(WHEEL_ROWS),
        MouseEventKind::ScrollUp => app.move_by(-WHEEL_ROWS),
        MouseEventKind::Down(MouseButton::Left) => {
            let layout = Layout::of_screen(app.size());
            if let Some(line) = layout.body_line_at(mouse.column, mouse.row) {
                let clicked = app.offset() + line;
                if clicked < app.visible().len() {
                    app.move_to(clicked);
                }
            }
        }
        _ => {}
    }
}

/// The sync starts in the background, unless one runs or there is no key to send with.
fn start_sync(app: &mut App) -> Vec<Effect> {
    if !app.key_set() {
        app.set_notice(format!(
            "No API key to sync with: {} enters one.",
            app.keymap().key(Action::ApiKey)
        ));
        return Vec::new();
    }
    if !app.start_sync() {
        app.set_notice("A sync is already running.");
        return Vec::new();
    }
    vec![Effect::Sync]
}
