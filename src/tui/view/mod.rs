//! `render`: draws the model into a frame and nothing else (no state changes, no I/O, no
//! clock: "now" is the model's). The screen is a header line, the table, and a two-line footer;
//! the open dialog draws itself on top (`Dialog::draw`, with the theme and the field drawing
//! here). Text from outside (titles, labels, the server's words, the config's,
//! notices) is drawn `printable`; a last pass over the frame (`scrub`) shows `�` for any cell
//! a view drew with a hidden character still in it, so none reaches the terminal raw.

mod bars;
mod columns;
mod field;
mod table;
mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::App;
use crate::printable::is_hidden;

pub use columns::ColumnOrder;
pub use field::field_spans;
pub use table::detail_text;
pub use theme::{Palette, Theme};

/// Lines the footer takes at the bottom.
const FOOTER_LINES: u16 = 2;

/// Where the table (its header line included) goes on a screen of `size`. `update` uses it
/// too, for page size and mouse clicks, so both sides agree on the geometry.
pub fn table_area((width, height): (u16, u16)) -> Rect {
    Rect::new(0, 1, width, height.saturating_sub(1 + FOOTER_LINES))
}

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(app.settings().no_color, &app.settings().palette);
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
    app.modal().draw(app, &theme, frame);
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

#[cfg(test)]
mod tests;
