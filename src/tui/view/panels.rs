//! Read-only overlays: the detail panel for the current row, the help (the key table), and
//! the history view. Drawing only.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

use super::centered;
use super::table::{detail_text, relative};
use super::theme::Theme;
use crate::store::HistoryEntry;
use crate::tui::app::App;
use crate::tui::modal::History;

/// Every key, as `update::table_keys` and `update::modal_keys` handle them.
pub const KEYS: &[(&str, &str)] = &[
    ("j k ↑ ↓", "move"),
    ("g G Home End", "first / last row"),
    ("PgUp PgDn", "page up / down"),
    ("Space", "mark / unmark, then move down"),
    ("v", "start a range; v or Space marks it"),
    ("Ctrl-a", "mark every visible row that can be deleted"),
    ("i", "invert marks on visible rows"),
    ("Esc", "clear the filter, else clear all marks"),
    ("/", "filter by ID or label (Enter keeps it)"),
    ("d Delete", "delete marked rows (or the current one)"),
    ("x", "forget marked rows locally (nothing sent)"),
    ("a", "add IDs by typing or pasting text"),
    ("R", "mark rows whose last delete failed"),
    ("r", "a halted batch: try again now"),
    ("Enter", "details of the current row"),
    ("K", "enter the API key"),
    ("H", "history"),
    ("?", "this help"),
    ("q", "quit (asks while a batch runs)"),
    ("Ctrl-c", "cancel the batch; when idle, quit"),
];

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
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<11}"), theme.dim()),
            Span::raw(value),
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
                relative(app.now, row.video.added_at)
            ),
        ),
        field(
            "Status",
            match row.status_word() {
                "" => "not deleted yet".to_owned(),
                word => word.to_owned(),
            },
        ),
        field("Detail", detail_text(row, app.now)),
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
    lines.push(Line::from(Span::styled("Esc or Enter closes", theme.dim())));
    overlay(frame, theme, "Video", lines, 70);
}

pub fn help(theme: &Theme, frame: &mut Frame) {
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:<14}"), theme.accent()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::from(Span::styled("Esc or ? closes", theme.dim())));
    overlay(frame, theme, "Keys", lines, 64);
}

pub fn history(history: &History, theme: &Theme, frame: &mut Frame) {
    let height = frame.area().height.saturating_sub(4).max(3);
    let mut lines: Vec<Line> = match &history.entries {
        None => vec![Line::from("Loading…")],
        Some(all) if all.is_empty() => vec![Line::from("No deletes recorded yet.")],
        Some(all) => all
            .iter()
            .rev()
            .skip(history.scroll)
            .take(usize::from(height.saturating_sub(3)))
            .map(|entry| history_line(entry, theme))
            .collect(),
    };
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Newest first · j/k scroll · Esc closes",
        theme.dim(),
    )));
    overlay(
        frame,
        theme,
        "History",
        lines,
        frame.area().width.saturating_sub(4),
    );
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
        Span::raw(format!("{}  {detail}", entry.id)),
    ])
}
