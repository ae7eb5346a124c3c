//! Marking: toggle, range, all visible, invert, retry-failed, clear. Only rows that can still
//! be deleted are ever marked.

use crate::tui::app::App;

pub fn toggle_current(app: &mut App) {
    if let Some(row) = app.cursor {
        if app.rows[row as usize].is_markable() {
            let on = !app.marks.contains(row);
            app.marks.set(row, on);
        } else {
            app.notice = Some("That row cannot be marked (already gone or in a batch).".into());
        }
    }
    if let Some(pos) = app.cursor_pos() {
        app.move_to(pos + 1);
    }
}

/// Marks every markable row between visible positions `a` and `b`, inclusive.
pub fn mark_range(app: &mut App, a: usize, b: usize) {
    let (lo, hi) = (a.min(b), a.max(b));
    for pos in lo..=hi.min(app.visible.len().saturating_sub(1)) {
        let row = app.visible[pos];
        if app.rows[row as usize].is_markable() {
            app.marks.set(row, true);
        }
    }
}

pub fn mark_all_visible(app: &mut App) {
    for &row in &app.visible {
        if app.rows[row as usize].is_markable() {
            app.marks.set(row, true);
        }
    }
}

pub fn invert_visible(app: &mut App) {
    for &row in &app.visible {
        if app.rows[row as usize].is_markable() {
            let on = !app.marks.contains(row);
            app.marks.set(row, on);
        }
    }
}

/// `R`: marks every row whose last delete did not succeed, visible or not.
pub fn mark_failed(app: &mut App) -> usize {
    let mut n = 0;
    for (i, row) in app.rows.iter().enumerate() {
        if row.last_failed() && row.is_markable() {
            app.marks.set(i as u32, true);
            n += 1;
        }
    }
    n
}
