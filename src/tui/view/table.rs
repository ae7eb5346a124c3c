//! The video table. Only the rows on screen are built each frame (the list may hold a
//! million), each cell by its column (`columns`: which show, in what order, at this width). A
//! row the profile protects carries the lock mark and says why in its detail.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row as TableRow, Table, Wrap};

use super::columns::{Column, Plan, RowView};
use super::theme::Theme;
use crate::printable::printable;
use crate::query::Reads;
use crate::rails;
use crate::tui::app::App;
use crate::tui::app::batch::{BatchProgress, remaining};
use crate::tui::app::row::{Generation, Row, RowState, Wait};
use crate::tui::keymap::Action;
use crate::tui::layout::Layout;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn table(app: &App, theme: &Theme, frame: &mut Frame, layout: &Layout) {
    let area = layout.table;
    if area.height == 0 {
        return;
    }
    let visible = app.visible();
    if visible.is_empty() {
        empty(app, theme, frame, area);
        return;
    }
    let filled = app.filled();
    let wanted: Vec<&'static Column> = (app.settings().columns.columns())
        .filter(|column| (column.filled)(filled, app))
        .filter(|column| !(column.optional && app.optional_columns_hidden()))
        .collect();
    let plan = Plan::new(&wanted, area.width);
    let height = layout.body_rows();
    let end = (app.offset() + height).min(visible.len());
    let range = app.range();
    let now = app.now();
    let paused = app.batch().is_some_and(BatchProgress::paused_by_user);
    let mut protection = app.rails().pass(now);
    let mut widest = vec![0u16; plan.columns.len()];
    let lines: Vec<(u32, &str, Vec<Line<'static>>)> = (app.offset()..end)
        .map(|pos| {
            let index = visible[pos];
            let row = &app.rows()[index as usize];
            let in_range = range.is_some_and(|(lo, hi)| (lo..=hi).contains(&pos));
            let protected = protection.protects(&app.rows().subject(index, Reads::ALL));
            let mark = if protected.is_some() {
                rails::LOCK_MARK
            } else if app.marks().contains(index) {
                "*"
            } else if in_range {
                "~"
            } else {
                " "
            };
            let view = RowView {
                app,
                index,
                row,
                now,
                protected,
                theme,
                id_width: plan.id_width,
                paused,
            };
            let cells: Vec<Line<'static>> = plan
                .columns
                .iter()
                .map(|column| (column.cell)(&view))
                .collect();
            for (wide, cell) in widest.iter_mut().zip(&cells) {
                *wide = (*wide).max(u16::try_from(cell.width()).unwrap_or(u16::MAX));
            }
            (index, mark, cells)
        })
        .collect();
    let header = plan.header(app.order());
    for (wide, name) in widest.iter_mut().zip(&header[1..]) {
        *wide = (*wide).max(u16::try_from(name.chars().count()).unwrap_or(u16::MAX));
    }
    let mut constraints = vec![Constraint::Length(1)];
    constraints.extend((plan.widths(area.width, &widest).into_iter()).map(Constraint::Length));
    let body = lines.into_iter().map(|(index, mark, cells)| {
        let mut row = vec![Cell::from(mark).style(theme.marked())];
        row.extend(cells.into_iter().map(Cell::from));
        let table_row = TableRow::new(row);
        if app.cursor() == Some(index) {
            table_row.style(theme.cursor())
        } else {
            table_row
        }
    });
    let table = Table::new(body, constraints)
        .header(TableRow::new(header).style(theme.header()))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn empty(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let keymap = app.keymap();
    let lines = if app.loading().is_some() {
        vec![
            Line::from(""),
            Line::from("  Reading the list…").style(theme.dim()),
        ]
    } else if app.known() == 0 {
        vec![
            Line::from(""),
            Line::from("  No known videos yet.").style(theme.header()),
            Line::from(""),
            Line::from(format!(
                "  Press {} to paste video IDs (any text: UUIDs are found in it),",
                keymap.key(Action::Add)
            )),
            Line::from("  or import a file first:  elytron-tui import ids.txt"),
        ]
    } else if app.marked_only() && app.marks().count() == 0 {
        vec![
            Line::from(""),
            Line::from("  No row is marked, and only marked rows are shown."),
            Line::from(format!(
                "  {} shows every row again.",
                keymap.key(Action::MarkedOnly)
            ))
            .style(theme.dim()),
        ]
    } else if app.filter_error().is_some() {
        vec![
            Line::from(""),
            Line::from(format!(
                "  The filter \"{}\" does not parse, so no row is shown",
                printable(app.filter())
            )),
            Line::from("  (nor marked, nor deleted) until it does: the line below says why."),
            Line::from(format!("  {} clears it.", keymap.key(Action::Clear))).style(theme.dim()),
        ]
    } else {
        vec![
            Line::from(""),
            Line::from(format!(
                "  No video matches the filter \"{}\"{}.",
                printable(app.filter()),
                if app.marked_only() {
                    " among the marked rows"
                } else {
                    ""
                }
            )),
            Line::from(format!("  {} clears it.", keymap.key(Action::Clear))).style(theme.dim()),
        ]
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The status word, with a spinner beside rows that are on their way; rows waiting to be
/// sent say `paused` while the user's pause holds them.
pub(super) fn status_text(row: &Row, now: Timestamp, paused: bool) -> Line<'static> {
    let word = row.status_word();
    if paused && matches!(row.state, RowState::Queued | RowState::Retrying) {
        Line::from("paused")
    } else if row.is_moving() {
        let frame = (now.as_millisecond() / 100).rem_euclid(SPINNER.len() as i64) as usize;
        Line::from(vec![
            Span::raw(SPINNER[frame]),
            Span::raw(" "),
            Span::raw(word),
        ])
    } else {
        Line::from(word)
    }
}

/// Error code and message, attempt number, retry countdown: whatever applies (`wait`: what
/// the row waits for, if it does).
pub fn detail_text(row: &Row, wait: Option<&Wait>, now: Timestamp) -> String {
    match (&row.state, wait) {
        (RowState::Queued | RowState::Removed, _) => String::new(),
        (RowState::Deleting { attempt }, _) => format!("attempt {attempt}"),
        (RowState::AwaitingKey, _) => "the key was refused; sent again with a new key".to_owned(),
        (RowState::Retrying, Some(Wait::Retry(retry))) => format!(
            "{}, attempt {} in {}s",
            retry.reason,
            retry.attempt + 1,
            remaining(now, retry.next_at).as_secs_f64().ceil(),
        ),
        (RowState::Generating, Some(Wait::Generation(generation))) => generation_text(generation),
        (RowState::Retrying | RowState::Generating, _) => String::new(),
        (RowState::Idle | RowState::Done, _) => {
            let Some(f) = row.finished() else {
                return String::new();
            };
            let o = &f.outcome;
            let mut text = match (&o.error_code, &o.message) {
                (Some(code), Some(msg)) => format!("{code}: {msg}"),
                (Some(code), None) => code.clone(),
                (None, Some(msg)) => msg.clone(),
                (None, None) if o.attempts == 0 => "not sent".to_owned(),
                (None, None) => o.status.map(|s| format!("HTTP {s}")).unwrap_or_default(),
            };
            if o.attempts > 1 {
                text.push_str(&format!(" · {} attempts", o.attempts));
            }
            text
        }
    }
}

/// `waiting for generation 65% · ~12:02 UTC`, with what the server said of the two.
fn generation_text(generation: &Generation) -> String {
    let mut text = "waiting for generation".to_owned();
    if let Some(percent) = generation.progress {
        text.push_str(&format!(" {percent}%"));
    }
    if let Some(eta) = generation.estimated_completion {
        text.push_str(&format!(" · ~{}", eta.strftime("%H:%M UTC")));
    }
    text
}
