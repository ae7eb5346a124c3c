//! `render`: draws the model into a frame and nothing else (no state changes, no I/O, no
//! clock: "now" is the model's). The screen is a header line, the table, and a two-line footer;
//! modals draw on top. Text from outside (titles, labels, the server's words, the config's,
//! notices) is drawn `printable`; a last pass over the frame (`scrub`) shows `�` for any cell
//! a view drew with a hidden character still in it, so none reaches the terminal raw.

mod bars;
mod field;
mod modals;
mod panels;
mod table;
mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::App;
use super::modal::Modal;
use crate::printable::is_hidden;

use theme::Theme;

pub use panels::{help_lines, history_rows, scroll_rows};

/// Lines the footer takes at the bottom.
const FOOTER_LINES: u16 = 2;

/// Where the table (its header line included) goes on a screen of `size`. `update` uses it
/// too, for page size and mouse clicks, so both sides agree on the geometry.
pub fn table_area((width, height): (u16, u16)) -> Rect {
    Rect::new(0, 1, width, height.saturating_sub(1 + FOOTER_LINES))
}

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(app.settings().no_color);
    let size = (area.width, area.height);
    bars::header(
        app,
        &theme,
        frame,
        Rect::new(area.x, area.y, area.width, 1.min(area.height)),
    );
    table::table(app, &theme, frame, table_area(size).intersection(area));
    let footer_y = area.bottom().saturating_sub(FOOTER_LINES).max(area.y);
    bars::footer(
        app,
        &theme,
        frame,
        Rect::new(area.x, footer_y, area.width, area.bottom() - footer_y),
    );
    match app.modal() {
        Modal::None => {}
        Modal::Confirm(confirm) => modals::confirm(app, confirm, &theme, frame),
        Modal::Refused(refused) => modals::refused(app, refused, &theme, frame),
        Modal::Grace(grace) => modals::grace(app, grace, &theme, frame),
        Modal::ConfirmForget(ids) => modals::forget(app, ids, &theme, frame),
        Modal::ConfirmQuit => modals::quit(app, &theme, frame),
        Modal::ConfirmReplace(path) => modals::replace(app, path, &theme, frame),
        Modal::AddIds(add) => modals::add_ids(app, add, &theme, frame),
        Modal::KeyPrompt(prompt) => modals::key_prompt(app, prompt, &theme, frame),
        Modal::Detail => panels::detail(app, &theme, frame),
        Modal::Help(scroll) => panels::help(app, *scroll, &theme, frame),
        Modal::History(history) => panels::history(app, history, &theme, frame),
        Modal::Export(prompt) => modals::export(app, prompt, &theme, frame),
    }
    scrub(frame.buffer_mut());
}

/// Cells that still hold a hidden character (`printable::is_hidden`) show `�`: ratatui leaves
/// out controls and zero-width clusters, but a joiner, a variation selector or a filler that
/// rides on a visible character would reach the terminal. Every view draws outside text
/// `printable`, so this finds nothing unless one forgot.
fn scrub(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(is_hidden) {
            cell.set_symbol(REPLACEMENT);
        }
    }
}

/// What `scrub` leaves in a cell it empties of a hidden character.
const REPLACEMENT: &str = "\u{fffd}";

/// Cells inside a box of `width` (border and padding off) on this frame.
fn inner_width(frame: &Frame, width: u16) -> usize {
    usize::from(width.min(frame.area().width).saturating_sub(4))
}

/// A box of at most `width` x `height` centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests;
