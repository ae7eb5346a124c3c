//! Read-only overlays: the detail panel for the current row, the help (drawn from the
//! keymap), and the history view. Drawing only.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

use super::centered;
use super::field::field_spans;
use super::table::{detail_text, relative};
use super::theme::Theme;
use crate::printable::{into_printable, printable};
use crate::store::HistoryEntry;
use crate::tui::app::App;
use crate::tui::keymap::{Action, Keymap, Section};
use crate::tui::modal::{History, Scroll};

/// Width of the help's key column, and of the help (help lines are at most 60 cells).
const KEY_COLUMN: usize = 14;
const HELP_WIDTH: u16 = 78;
/// Lines a scrolling view keeps off the screen: its border, the blank line and key line under
/// its body, and a margin that leaves the header and the footer in sight.
const VIEW_CHROME: u16 = 7;

/// How many lines of a scrolling view's body (the help, the history) show at this terminal
/// size; `update` scrolls by it too.
pub fn scroll_rows((_, height): (u16, u16)) -> usize {
    usize::from(height.saturating_sub(VIEW_CHROME).max(1))
}

/// How many entries the history shows at this terminal size: a line less than the help, for
/// its search line.
pub fn history_rows(size: (u16, u16)) -> usize {
    scroll_rows(size).saturating_sub(1).max(1)
}

/// How many lines the help has with this keymap.
pub fn help_lines(keymap: &Keymap) -> usize {
    help_text(keymap, &Theme::new(true)).len()
}

/// The help: each section's title, then one line per action (its keys as bound now, and
/// what it does), straight from the keymap.
fn help_text(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for section in Section::ALL {
        if !lines.is_empty() {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(section.title(), theme.header())));
        for &action in Action::ALL {
            let spec = action.spec();
            if spec.section != section {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:<KEY_COLUMN$}", keymap.names(action)),
                    theme.accent(),
                ),
                Span::raw(keymap.describe(spec)),
            ]));
        }
    }
    lines
}

/// A bordered box sized to `lines`; long lines are cut, not wrapped, so the box height holds.
fn overlay(frame: &mut Frame, theme: &Theme, title: &str, lines: Vec<Line<'_>>, width: u16) {
    let area = centered(frame.area(), width, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.header()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn detail(app: &App, theme: &Theme, frame: &mut Frame) {
    let Some(row) = app.current_row() else {
        return;
    };
    // Labels, the server's code, message and request id: printable, as every value here.
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<11}"), theme.dim()),
            Span::raw(into_printable(value)),
        ])
    };
    let mut lines = vec![
        field("ID", row.video.id.to_string()),
        field(
            "Label",
            row.video.label.as_deref().unwrap_or("-").to_owned(),
        ),
        field(
            "Added",
            format!(
                "{} ({})",
                row.video.added_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                relative(app.now(), row.video.added_at)
            ),
        ),
        field(
            "Status",
            match row.status_word() {
                "" => "not deleted yet".to_owned(),
                word => word.to_owned(),
            },
        ),
        field("Detail", detail_text(row, app.now())),
    ];
    if let Some(f) = row.finished() {
        let o = &f.outcome;
        let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        lines.push(field("HTTP", or_dash(o.status.map(|s| s.to_string()))));
        lines.push(field("Code", or_dash(o.error_code.clone())));
        lines.push(field("Message", or_dash(o.message.clone())));
        lines.push(field("Request id", or_dash(o.request_id.clone())));
        lines.push(field("Attempts", o.attempts.to_string()));
        lines.push(field(
            "At",
            f.at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        ));
    }
    lines.push(Line::from(""));
    let keymap = app.keymap();
    lines.push(Line::from(Span::styled(
        format!(
            "{} or {} closes",
            keymap.key(Action::Close),
            keymap.key(Action::Details)
        ),
        theme.dim(),
    )));
    overlay(frame, theme, "Video", lines, 70);
}

/// "j/k scroll": what moves a scrolling view.
fn scroll_keys(keymap: &Keymap) -> String {
    format!(
        "{}/{} scroll",
        keymap.key(Action::Down),
        keymap.key(Action::Up)
    )
}

pub fn help(app: &App, scroll: Scroll, theme: &Theme, frame: &mut Frame) {
    let keymap = app.keymap();
    let all = help_text(keymap, theme);
    let rows = scroll_rows((frame.area().width, frame.area().height));
    let top = scroll.top.min(all.len().saturating_sub(rows));
    let mut lines: Vec<Line> = all.into_iter().skip(top).take(rows).collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} · {} or {} closes",
            scroll_keys(keymap),
            keymap.key(Action::Close),
            keymap.key(Action::Help)
        ),
        theme.dim(),
    )));
    overlay(frame, theme, "Keys", lines, HELP_WIDTH);
}

pub fn history(app: &App, history: &History, theme: &Theme, frame: &mut Frame) {
    let rows = history_rows((frame.area().width, frame.area().height));
    let width = frame.area().width.saturating_sub(4);
    let mut lines: Vec<Line> = match history.entries() {
        None => vec![Line::from("Loading…")],
        Some([]) => vec![Line::from("No deletes recorded yet.")],
        Some(_) if history.found_count() == 0 => {
            vec![Line::from(format!(
                "No entry holds \"{}\".",
                printable(history.search().text())
            ))]
        }
        Some(_) => history
            .found()
            .enumerate()
            .skip(history.top())
            .take(rows)
            .map(|(at, entry)| {
                let line = history_line(entry, theme);
                if at == history.selected() {
                    line.style(theme.cursor())
                } else {
                    line
                }
            })
            .collect(),
    };
    lines.push(Line::from(""));
    let keymap = app.keymap();
    let place = format!(
        "{} of {}",
        (history.selected() + 1).min(history.found_count()),
        history.found_count()
    );
    if history.searching() || !history.search().is_empty() {
        let mut spans = vec![Span::styled("/", theme.accent())];
        let room = usize::from(width.saturating_sub(4)).saturating_sub(16);
        if history.searching() {
            spans.extend(field_spans(history.search(), room, false, theme.accent()));
        } else {
            spans.push(Span::styled(
                printable(history.search().text()).into_owned(),
                theme.accent(),
            ));
        }
        spans.push(Span::styled(
            format!("  {} found", history.found_count()),
            theme.dim(),
        ));
        lines.push(Line::from(spans));
    }
    let keys = if history.searching() {
        format!(
            "{} keep · {} clear",
            keymap.key(Action::Submit),
            keymap.key(Action::Clear)
        )
    } else {
        format!(
            "Newest first · {place} · {} search · {} go to its row · {} closes",
            keymap.key(Action::Filter),
            keymap.key(Action::GoToRow),
            keymap.key(Action::Close)
        )
    };
    lines.push(Line::from(Span::styled(keys, theme.dim())));
    overlay(frame, theme, "History", lines, width);
}

/// `2026-09-21 14:13  not found     550e8400-…  VIDEO_NOT_FOUND: Video not found`
fn history_line(entry: &HistoryEntry, theme: &Theme) -> Line<'static> {
    let detail = match (&entry.error_code, &entry.message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(text), None) | (None, Some(text)) => text.clone(),
        (None, None) => entry
            .status
            .map(|s| format!("HTTP {s}"))
            .unwrap_or_default(),
    };
    Line::from(vec![
        Span::styled(
            entry.at.strftime("%Y-%m-%d %H:%M  ").to_string(),
            theme.dim(),
        ),
        Span::styled(
            format!("{:<13}", entry.outcome.label()),
            theme.status(Some(entry.outcome)),
        ),
        Span::raw(format!("{}  {}", entry.id, printable(&detail))),
    ])
}
