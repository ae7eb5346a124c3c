//! The video table. Only the rows on screen are built each frame (the list may hold a
//! million); columns drop from the least to the most needed as the terminal narrows. A row
//! the profile protects carries the lock mark and says why in its detail.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row as TableRow, Table, Wrap};

use super::theme::Theme;
use crate::printable::{into_printable, printable};
use crate::query::Reads;
use crate::query::age_at;
use crate::rails;
use crate::sort::{SortKey, SortOrder};
use crate::tui::app::App;
use crate::tui::batch::{BatchProgress, elapsed, remaining};
use crate::tui::keymap::Action;
use crate::tui::row::{Row, RowState};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FULL_ID: u16 = 36;
const SHORT_ID: u16 = 8;
const STATUS: u16 = 12;
const ADDED: u16 = 10;
/// An age (`3d`, `11mo`) under its header, with room for the sort mark.
const CREATED: u16 = 9;
const MIN_LABEL: u16 = 10;
const MIN_TITLE: u16 = 12;
const MIN_DETAIL: u16 = 12;

/// Which columns fit at a width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Columns {
    id: u16,
    label: bool,
    title: bool,
    created: bool,
    added: bool,
    detail: bool,
}

impl Columns {
    /// The first plan that fits, from the richest down: the added column goes first, then
    /// (when there are titles) the label, then the full ID is shortened, then the creation
    /// time, the title and the detail go. Title and creation time are planned only when some
    /// row has them.
    fn for_width(width: u16, titles: bool, created: bool) -> Self {
        const Y: bool = true;
        const N: bool = false;
        let plans = [
            (FULL_ID, Y, Y, Y, Y, Y),
            (FULL_ID, Y, Y, Y, N, Y),
            (FULL_ID, N, Y, Y, N, Y),
            (SHORT_ID, Y, Y, Y, Y, Y),
            (SHORT_ID, Y, Y, Y, N, Y),
            (SHORT_ID, N, Y, Y, N, Y),
            (SHORT_ID, N, Y, N, N, Y),
            (SHORT_ID, N, N, N, N, Y),
            (SHORT_ID, N, N, N, N, N),
        ];
        plans
            .into_iter()
            // Without titles, dropping the label for them gains nothing.
            .filter(|&(_, label, title, ..)| label || !title || titles)
            .map(|(id, label, title, with_created, added, detail)| Self {
                id,
                label,
                title: title && titles,
                created: with_created && created,
                added,
                detail,
            })
            .find(|plan| plan.min_width() <= width)
            .unwrap_or(Self {
                id: SHORT_ID,
                label: false,
                title: false,
                created: false,
                added: false,
                detail: false,
            })
    }

    fn min_width(&self) -> u16 {
        let cols = [
            (true, 1),
            (true, self.id),
            (self.label, MIN_LABEL),
            (self.title, MIN_TITLE),
            (self.created, CREATED),
            (self.added, ADDED),
            (true, STATUS),
            (self.detail, MIN_DETAIL),
        ];
        let shown = cols.iter().filter(|(on, _)| *on);
        let count = shown.clone().count() as u16;
        shown.map(|(_, w)| w).sum::<u16>() + count - 1
    }

    fn constraints(&self) -> Vec<Constraint> {
        let mut out = vec![Constraint::Length(1), Constraint::Length(self.id)];
        if self.label {
            out.push(Constraint::Fill(1));
        }
        if self.title {
            out.push(Constraint::Fill(2));
        }
        if self.created {
            out.push(Constraint::Length(CREATED));
        }
        if self.added {
            out.push(Constraint::Length(ADDED));
        }
        out.push(Constraint::Length(STATUS));
        if self.detail {
            // Error details are longer than labels and matter more during a batch.
            out.push(Constraint::Fill(2));
        }
        out
    }

    /// The header line, the sorted column marked `▲` (ascending) or `▼`.
    fn header(&self, order: SortOrder) -> Vec<String> {
        let sorted = (!order.is_list_order()).then_some(order.key);
        let mark = if order.descending { " ▼" } else { " ▲" };
        let name = |text: &str, key: SortKey| match sorted {
            Some(sorted) if sorted == key => format!("{text}{mark}"),
            _ => text.to_owned(),
        };
        let mut header = vec![" ".to_owned(), name("ID", SortKey::Id)];
        if self.label {
            header.push(name("LABEL", SortKey::Label));
        }
        if self.title {
            header.push(name("TITLE", SortKey::Title));
        }
        if self.created {
            header.push(name("CREATED", SortKey::Created));
        }
        if self.added {
            header.push(name("ADDED", SortKey::Added));
        }
        header.push(name("STATUS", SortKey::Status));
        if self.detail {
            header.push("DETAIL".to_owned());
        }
        header
    }
}

pub fn table(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let visible = app.visible();
    if visible.is_empty() {
        empty(app, theme, frame, area);
        return;
    }
    let cols = Columns::for_width(area.width, app.has_titles(), app.has_created());
    let height = usize::from(area.height.saturating_sub(1));
    let end = (app.offset() + height).min(visible.len());
    let range = app.range();
    let now = app.now();
    let paused = app.batch().is_some_and(BatchProgress::paused_by_user);
    let mut protection = app.rails().pass(now);
    let body = (app.offset()..end).map(|pos| {
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
        let mut cells = vec![
            Cell::from(mark).style(theme.marked()),
            Cell::from(id_text(row, cols.id)),
        ];
        if cols.label {
            cells.push(Cell::from(printable(app.rows().label(index).unwrap_or(""))));
        }
        if cols.title {
            cells.push(Cell::from(printable(app.rows().title(index).unwrap_or(""))));
        }
        if cols.created {
            let age = row
                .created_at()
                .map(|at| age_at(now, at))
                .unwrap_or_default();
            cells.push(Cell::from(age).style(theme.dim()));
        }
        if cols.added {
            cells.push(Cell::from(relative(now, row.added_at())).style(theme.dim()));
        }
        let status = status_text(row, now, paused);
        cells.push(Cell::from(status).style(theme.status(row.outcome_kind())));
        if cols.detail {
            let detail = detail_text(row, now);
            // The server's words, and a protect rule's as the config has it: printable.
            cells.push(Cell::from(into_printable(match protected {
                Some(why) if detail.is_empty() => app.rails().reason(why),
                Some(why) => format!("{} · {detail}", app.rails().reason(why)),
                None => detail,
            })));
        }
        let table_row = TableRow::new(cells);
        if app.cursor() == Some(index) {
            table_row.style(theme.cursor())
        } else {
            table_row
        }
    });
    let table = Table::new(body, cols.constraints())
        .header(TableRow::new(cols.header(app.order())).style(theme.header()))
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
                app.filter()
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

fn id_text(row: &Row, width: u16) -> String {
    let id = row.id.to_string();
    if width >= FULL_ID {
        id
    } else {
        id[..usize::from(width)].to_owned()
    }
}

/// The status word, with a spinner beside rows that are on their way; rows waiting to be
/// sent say `paused` while the user's pause holds them.
fn status_text(row: &Row, now: Timestamp, paused: bool) -> Line<'static> {
    let word = row.status_word();
    if paused && matches!(row.state, RowState::Queued | RowState::Retrying(_)) {
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

/// Error code and message, attempt number, retry countdown: whatever applies.
pub fn detail_text(row: &Row, now: Timestamp) -> String {
    match &row.state {
        RowState::Queued | RowState::Removed => String::new(),
        RowState::Deleting { attempt } => format!("attempt {attempt}"),
        RowState::AwaitingKey => "the key was refused; sent again with a new key".to_owned(),
        RowState::Retrying(retry) => format!(
            "{}, attempt {} in {}s",
            retry.reason,
            retry.attempt + 1,
            remaining(now, retry.next_at).as_secs_f64().ceil(),
        ),
        RowState::Idle | RowState::Done => {
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

/// "just now", "5m ago", "3h ago", "12d ago", or the date for anything older.
pub fn relative(now: Timestamp, then: Timestamp) -> String {
    let secs = elapsed(then, now).as_secs();
    match secs {
        0..60 => "just now".to_owned(),
        60..3_600 => format!("{}m ago", secs / 60),
        3_600..86_400 => format!("{}h ago", secs / 3_600),
        86_400..2_592_000 => format!("{}d ago", secs / 86_400),
        _ => then.strftime("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_drop_as_the_terminal_narrows_and_never_overflow() {
        assert_eq!(Columns::for_width(120, false, false).id, FULL_ID);
        let at80 = Columns::for_width(80, false, false);
        assert!(at80.id == FULL_ID && at80.label && at80.detail && !at80.added);
        assert!(!at80.title && !at80.created, "no row has them");
        let at60 = Columns::for_width(60, false, false);
        assert!(at60.id == SHORT_ID && at60.added && at60.detail);
        for titles in [false, true] {
            for created in [false, true] {
                for width in 30..=200 {
                    let plan = Columns::for_width(width, titles, created);
                    assert!(plan.min_width() <= width, "{width}");
                    assert!(titles || !plan.title, "{width}");
                    assert!(created || !plan.created, "{width}");
                }
            }
        }
    }

    #[test]
    fn with_titles_the_label_goes_before_the_title_and_the_title_before_the_detail() {
        let wide = Columns::for_width(140, true, true);
        assert!(wide.label && wide.title && wide.created && wide.added && wide.id == FULL_ID);
        let at90 = Columns::for_width(90, true, true);
        assert!(!at90.label && at90.title && at90.created && !at90.added && at90.id == FULL_ID);
        let at60 = Columns::for_width(60, true, true);
        assert!(!at60.label && at60.title && at60.id == SHORT_ID && at60.detail);
        let at40 = Columns::for_width(40, true, true);
        assert!(!at40.title && !at40.created && at40.detail);
    }

    #[test]
    fn the_sorted_column_is_marked_in_the_header() {
        let cols = Columns::for_width(140, true, true);
        let order = |key, descending| SortOrder { key, descending };
        let header = cols.header(order(SortKey::Title, true));
        assert!(header.contains(&"TITLE ▼".to_owned()), "{header:?}");
        let header = cols.header(SortOrder::default());
        assert!(
            header.iter().all(|name| !name.contains('▲')),
            "list order is no sort"
        );
        let header = cols.header(order(SortKey::Added, true));
        assert!(header.contains(&"ADDED ▼".to_owned()), "{header:?}");
    }
}
