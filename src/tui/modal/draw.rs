//! What dialogs draw alike: a box centred over the table (wrapped, or cut to hold its
//! height), an ID list that leaves room for the keys under it, a field after its name, a
//! prompt's last lines. Drawing only.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};

use crate::api::VideoId;
use crate::printable::printable;
use crate::tui::app::App;
use crate::tui::app::text_field::TextField;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::view::{Theme, field_spans};

/// IDs listed by name in a confirmation before "and N more".
const LISTED_IDS: usize = 5;

/// The width of a one-field prompt (the key, the export's file).
pub const PROMPT_WIDTH: u16 = 58;

/// A box of `width` as tall as `lines` are once wrapped, so a long message never pushes the
/// last line (the keys) out of the box.
pub fn boxed(frame: &mut Frame, theme: &Theme, title: &str, lines: Vec<Line<'_>>, width: u16) {
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.header()));
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    let wrapped = paragraph.line_count(inner_width(frame, width) as u16);
    let area = centered(frame.area(), width, wrapped.try_into().unwrap_or(u16::MAX));
    frame.render_widget(Clear, area);
    frame.render_widget(paragraph, area);
}

/// A bordered box sized to `lines`; long lines are cut, not wrapped, so the box height holds.
pub fn overlay(frame: &mut Frame, theme: &Theme, title: &str, lines: Vec<Line<'_>>, width: u16) {
    let area = centered(frame.area(), width, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.header()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Cells inside a box of `width` (border and padding off) on this frame.
pub fn inner_width(frame: &Frame, width: u16) -> usize {
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

/// Lists the first IDs, as many as `room` lines allow (at most `LISTED_IDS`), then "and N
/// more", so the lines that say how to confirm or cancel are never pushed off a short screen.
pub fn id_list(ids: &[VideoId], room: u16, lines: &mut Vec<Line<'_>>) {
    listed(ids.len(), |at| ids[at].to_string(), room, lines);
}

/// As `id_list`, for `count` items each drawn by `item` from its index (a video's line).
pub fn listed(count: usize, item: impl Fn(usize) -> String, room: u16, lines: &mut Vec<Line<'_>>) {
    let shown = if count <= usize::from(room) {
        count.min(LISTED_IDS)
    } else {
        usize::from(room.saturating_sub(1)).min(LISTED_IDS)
    };
    for at in 0..shown {
        lines.push(Line::from(format!("   {}", item(at))));
    }
    if count > shown {
        lines.push(Line::from(format!("   and {} more", count - shown)));
    }
}

/// Lines left for an ID list once `fixed` other lines and the border are drawn.
pub fn room(frame: &Frame, fixed: usize) -> u16 {
    frame.area().height.saturating_sub(fixed as u16 + 2)
}

/// `Label: june▏`: a field after its name, in `width` cells.
pub fn field_line(
    name: &'static str,
    field: &TextField,
    width: usize,
    mask: bool,
    style: Style,
) -> Line<'static> {
    let mut spans = vec![Span::styled(name, style)];
    spans.extend(field_spans(
        field,
        width.saturating_sub(name.chars().count()),
        mask,
        style,
    ));
    Line::from(spans)
}

/// A one-field prompt's last lines: why its last answer was refused (if it was), then what
/// `submit` and `close` do.
pub fn prompt_end(
    app: &App,
    error: Option<&str>,
    (submit, close): (&str, &str),
    theme: &Theme,
    lines: &mut Vec<Line<'_>>,
) {
    if let Some(error) = error {
        lines.push(Line::from(Span::styled(
            printable(error).into_owned(),
            theme.danger(),
        )));
    }
    lines.push(Line::from(""));
    let keymap = app.keymap();
    lines.push(Line::from(Span::styled(
        format!(
            "{} {submit} · {} {close}",
            keymap.key(Action::Submit),
            keymap.key(Action::Close)
        ),
        theme.dim(),
    )));
}

/// "j/k scroll": what moves a scrolling view.
pub fn scroll_keys(keymap: &Keymap) -> String {
    format!(
        "{}/{} scroll",
        keymap.key(Action::Down),
        keymap.key(Action::Up)
    )
}
