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

use super::app::App;
use super::layout::Layout;
use crate::printable::is_hidden;

pub use columns::ColumnOrder;
pub use field::field_spans;
pub use table::detail_text;
pub use theme::{Palette, Theme};

pub fn render(app: &App, frame: &mut Frame) {
    let layout = Layout::of(frame.area());
    let theme = Theme::new(app.settings().no_color, &app.settings().palette);
    bars::header(app, &theme, frame, layout.header);
    table::table(app, &theme, frame, &layout);
    bars::footer(app, &theme, frame, layout.footer);
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
