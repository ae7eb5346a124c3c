//! Copy and export: the current row's ID or the marked rows' IDs, one per line, to the
//! clipboard (through the terminal, OSC 52: it works over SSH) or to a file the user names.
//! Only asks the loop (`Effect::Copy`, `Effect::Export`); says what it asked in the footer.

use std::path::PathBuf;

use crate::api::VideoId;
use crate::store::Existing;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::modal::{ExportPrompt, Modal};

/// The most text the clipboard is sent at once: terminals drop longer OSC 52 sequences
/// (about 27,000 IDs); more are exported to a file instead.
pub const COPY_LIMIT: usize = 1 << 20;

/// `y`: the current row's ID.
pub fn copy_current(app: &mut App) -> Vec<Effect> {
    let Some(row) = app.current_row() else {
        app.set_notice("No row to copy.");
        return Vec::new();
    };
    let id = row.id;
    app.set_notice(format!("Copied {id} to the clipboard."));
    vec![Effect::Copy(id.to_string())]
}

/// `Y`: every marked row's ID, in list order.
pub fn copy_marked(app: &mut App) -> Vec<Effect> {
    let count = app.marks().count();
    if count == 0 {
        app.set_notice("Nothing is marked: nothing was copied.");
        return Vec::new();
    }
    // Every line is as long, so the size is known before a million IDs are gathered.
    if count * LINE > COPY_LIMIT {
        app.set_notice(format!(
            "{count} IDs are too many for the clipboard (terminals drop that much): \
             export them to a file instead."
        ));
        return Vec::new();
    }
    let text = lines(&app.marked_ids());
    app.set_notice(format!("Copied {count} ID(s) to the clipboard."));
    vec![Effect::Copy(text)]
}

/// `e`: asks for the file the marked IDs go to.
pub fn open_export(app: &mut App) {
    let count = app.marks().count();
    if count == 0 {
        app.set_notice("Nothing is marked: mark the rows to export first.");
    } else {
        app.set_modal(Modal::Export(ExportPrompt::new(count)));
    }
}

/// The prompt was answered (or, for a file already there, the question whether to replace
/// it): the marked IDs go to `path`.
pub fn export(app: &mut App, path: PathBuf, existing: Existing) -> Vec<Effect> {
    let ids = app.marked_ids();
    if ids.is_empty() {
        app.set_notice("Nothing is marked: nothing was written.");
        return Vec::new();
    }
    vec![Effect::Export {
        path,
        text: lines(&ids),
        count: ids.len(),
        existing,
    }]
}

/// Bytes of one line: an ID (36) and its line break.
const LINE: usize = 37;

/// One ID per line, each line ended.
fn lines(ids: &[VideoId]) -> String {
    let mut text = String::with_capacity(ids.len() * LINE);
    for id in ids {
        text.push_str(&id.to_string());
        text.push('\n');
    }
    text
}

/// `~/x` as the shell would read it; any other name as typed (relative to where the app
/// was started).
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}
