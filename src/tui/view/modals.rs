//! The modals that ask before acting: delete confirmation, grace countdown, forget, quit,
//! the add-IDs prompt and the masked key prompt. Drawing only.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};

use super::centered;
use super::theme::Theme;
use crate::api::VideoId;
use crate::tui::app::App;
use crate::tui::batch::remaining;
use crate::tui::confirm::{ConfirmDelete, Grace};
use crate::tui::modal::{AddIds, KeyPrompt};

/// IDs listed by name in a confirmation before "and N more".
const LISTED_IDS: usize = 5;

fn boxed(frame: &mut Frame, theme: &Theme, title: &str, lines: Vec<Line<'_>>, width: u16) {
    let height = lines.len() as u16 + 2;
    let area = centered(frame.area(), width, height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.header()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Lists the first IDs, as many as `room` lines allow (at most `LISTED_IDS`), then "and N
/// more", so the lines that say how to confirm or cancel are never pushed off a short screen.
fn id_list(ids: &[VideoId], room: u16, lines: &mut Vec<Line<'_>>) {
    let listed = if ids.len() <= usize::from(room) {
        ids.len().min(LISTED_IDS)
    } else {
        usize::from(room.saturating_sub(1)).min(LISTED_IDS)
    };
    for id in &ids[..listed] {
        lines.push(Line::from(format!("   {id}")));
    }
    if ids.len() > listed {
        lines.push(Line::from(format!("   and {} more", ids.len() - listed)));
    }
}

/// Lines left for an ID list once `fixed` other lines and the border are drawn.
fn room(frame: &Frame, fixed: usize) -> u16 {
    frame.area().height.saturating_sub(fixed as u16 + 2)
}

pub fn confirm(app: &App, confirm: &ConfirmDelete, theme: &Theme, frame: &mut Frame) {
    let n = confirm.ids().len();
    let mut lines = vec![Line::from(Span::styled(
        format!("Delete {n} video(s) from {}?", app.settings.account_host),
        theme.header(),
    ))];
    if confirm.hidden > 0 {
        lines.push(Line::from(Span::styled(
            format!(
                "{} of them are hidden by the current filter.",
                confirm.hidden
            ),
            theme.marked(),
        )));
    }
    lines.push(Line::from(""));
    let tail = if confirm.must_type { 5 } else { 3 };
    id_list(confirm.ids(), room(frame, lines.len() + tail), &mut lines);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "This cannot be undone.",
        theme.danger(),
    )));
    if confirm.must_type {
        lines.push(Line::from(format!("Type {n} and press Enter to confirm:")));
        lines.push(Line::from(Span::styled(
            format!("> {}▏", confirm.typed),
            theme.accent(),
        )));
        lines.push(Line::from(Span::styled("Esc cancel", theme.dim())));
    } else {
        lines.push(Line::from("y delete · n / Esc cancel"));
    }
    boxed(frame, theme, "Delete videos", lines, 56);
}

pub fn grace(app: &App, grace: &Grace, theme: &Theme, frame: &mut Frame) {
    let secs = remaining(app.now, grace.deadline).as_secs_f64().ceil();
    let lines = vec![
        Line::from(format!(
            "Deleting {} video(s) in {secs}s…",
            grace.batch.ids().len()
        )),
        Line::from(""),
        Line::from(Span::styled(
            "u or Esc: undo, nothing is sent",
            theme.header(),
        )),
    ];
    boxed(frame, theme, "Last chance", lines, 44);
}

pub fn forget(ids: &[VideoId], theme: &Theme, frame: &mut Frame) {
    let mut lines = vec![
        Line::from(format!(
            "Forget {} video(s) from the local list?",
            ids.len()
        )),
        Line::from("Nothing is sent; the videos stay on the server."),
        Line::from(""),
    ];
    id_list(ids, room(frame, lines.len() + 2), &mut lines);
    lines.push(Line::from(""));
    lines.push(Line::from("y forget · n / Esc cancel"));
    boxed(frame, theme, "Forget videos", lines, 56);
}

pub fn quit(theme: &Theme, frame: &mut Frame) {
    let lines = vec![
        Line::from("A batch is running. Quit now?"),
        Line::from("Queued videos end cancelled; in-flight ones finish."),
        Line::from(""),
        Line::from("y quit · n / Esc keep going"),
    ];
    boxed(frame, theme, "Quit", lines, 56);
}

pub fn add_ids(add: &AddIds, theme: &Theme, frame: &mut Frame) {
    let tail: String = {
        let chars: Vec<char> = add.text.chars().collect();
        let start = chars.len().saturating_sub(48);
        chars[start..]
            .iter()
            .map(|&c| if c == '\n' { '⏎' } else { c })
            .collect()
    };
    let field = |on: bool| if on { theme.accent() } else { theme.dim() };
    let lines = vec![
        Line::from("Type or paste any text; video IDs (UUIDs) are found in it."),
        Line::from(""),
        Line::from(Span::styled(
            format!("IDs:   {tail}▏"),
            field(!add.editing_label),
        )),
        Line::from(Span::styled(
            format!("Label: {}▏", add.label),
            field(add.editing_label),
        )),
        Line::from(""),
        Line::from(format!("Found {} ID(s), {} new.", add.found.len(), add.new)),
        Line::from(Span::styled(
            "Enter add · Tab label · Esc cancel",
            theme.dim(),
        )),
    ];
    boxed(frame, theme, "Add videos", lines, 64);
}

pub fn key_prompt(app: &App, prompt: &KeyPrompt, theme: &Theme, frame: &mut Frame) {
    let masked = "•".repeat(prompt.input.chars().count());
    let mut lines = vec![
        Line::from(match (app.key_needed, app.settings.key_set) {
            (true, true) => "The server refused the API key; the batch is paused.",
            (true, false) => "Deleting needs an API key; the batch waits for one.",
            (false, _) => "Enter the API key for this account.",
        }),
        Line::from(""),
        Line::from(Span::styled(format!("Key: {masked}▏"), theme.accent())),
        Line::from(format!(
            "[{}] save to config (Tab)",
            if prompt.save { "x" } else { " " }
        )),
    ];
    if let Some(error) = &prompt.error {
        lines.push(Line::from(Span::styled(error.as_str(), theme.danger())));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Enter resume · Esc stay paused",
        theme.dim(),
    )));
    boxed(frame, theme, "API key", lines, 58);
}
