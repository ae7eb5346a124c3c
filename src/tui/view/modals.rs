//! The modals that ask before acting: delete confirmation (and the refusal of a batch over
//! the limit), grace countdown, forget, quit, the add-IDs prompt, the masked key prompt and
//! the export prompt. Drawing only.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};

use super::field::field_spans;
use super::theme::Theme;
use super::{centered, inner_width};
use crate::api::VideoId;
use crate::printable::{into_printable, printable};
use crate::tui::app::App;
use crate::tui::batch::remaining;
use crate::tui::keymap::Action;
use crate::tui::modal::{AddIds, ConfirmDelete, ExportPrompt, Grace, KeyPrompt, Refused};

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

/// The width of the delete confirmation.
const CONFIRM_WIDTH: u16 = 56;

/// `api.elytron.com`, or `production (api.elytron.com)` when the config has profiles.
fn account(app: &App) -> String {
    let settings = app.settings();
    into_printable(match &settings.profile {
        Some(profile) => format!("{profile} ({})", settings.account_host),
        None => settings.account_host.clone(),
    })
}

pub fn confirm(app: &App, confirm: &ConfirmDelete, theme: &Theme, frame: &mut Frame) {
    let keymap = app.keymap();
    let n = confirm.ids().len();
    let mut lines = vec![Line::from(Span::styled(
        format!("Delete {n} video(s) from {}?", account(app)),
        theme.header(),
    ))];
    for (n, words) in [
        (
            confirm.protected,
            "more are protected: left out, never sent.",
        ),
        (confirm.hidden, "of them are hidden by the current filter."),
    ] {
        if n > 0 {
            lines.push(Line::from(Span::styled(
                format!("{n} {words}"),
                theme.marked(),
            )));
        }
    }
    lines.push(Line::from(""));
    let tail = if confirm.must_type() { 5 } else { 3 };
    id_list(confirm.ids(), room(frame, lines.len() + tail), &mut lines);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "This cannot be undone.",
        theme.danger(),
    )));
    if confirm.must_type() {
        let what = match confirm.name_to_type() {
            Some(name) => format!("the profile's name ({})", printable(name)),
            None => n.to_string(),
        };
        lines.push(Line::from(format!(
            "Type {what} and press {} to confirm:",
            keymap.key(Action::Submit)
        )));
        let room = inner_width(frame, CONFIRM_WIDTH).saturating_sub(2);
        let mut field = vec![Span::styled("> ", theme.accent())];
        field.extend(field_spans(&confirm.typed, room, false, theme.accent()));
        lines.push(Line::from(field));
        lines.push(Line::from(Span::styled(
            format!("{} cancel", keymap.key(Action::Close)),
            theme.dim(),
        )));
    } else {
        lines.push(Line::from(format!(
            "{} delete · {} / {} cancel",
            keymap.key(Action::Yes),
            keymap.key(Action::No),
            keymap.key(Action::Close)
        )));
    }
    boxed(frame, theme, "Delete videos", lines, CONFIRM_WIDTH);
}

/// A batch the rails refused whole: why, and nothing to confirm.
pub fn refused(app: &App, refused: &Refused, theme: &Theme, frame: &mut Frame) {
    let keymap = app.keymap();
    let lines = vec![
        Line::from(Span::styled(
            format!("Refused on {}.", account(app)),
            theme.header(),
        )),
        Line::from(""),
        Line::from(Span::styled(
            into_printable(refused.why.to_string()),
            theme.danger(),
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!("{} close: nothing was sent", keymap.key(Action::Close)),
            theme.dim(),
        )),
    ];
    boxed(frame, theme, "Delete videos", lines, CONFIRM_WIDTH);
}

pub fn grace(app: &App, grace: &Grace, theme: &Theme, frame: &mut Frame) {
    let secs = remaining(app.now(), grace.deadline()).as_secs_f64().ceil();
    let keymap = app.keymap();
    let lines = vec![
        Line::from(format!(
            "Deleting {} video(s) in {secs}s…",
            grace.batch().ids().len()
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!(
                "{} or {}: undo, nothing is sent",
                keymap.key(Action::Undo),
                keymap.key(Action::Close)
            ),
            theme.header(),
        )),
    ];
    boxed(frame, theme, "Last chance", lines, 44);
}

/// "y forget · n / Esc cancel": the keys of a yes/no question, with what yes does.
fn yes_no(app: &App, yes: &str, no: &str) -> Line<'static> {
    let keymap = app.keymap();
    Line::from(format!(
        "{} {yes} · {} / {} {no}",
        keymap.key(Action::Yes),
        keymap.key(Action::No),
        keymap.key(Action::Close)
    ))
}

pub fn forget(app: &App, ids: &[VideoId], theme: &Theme, frame: &mut Frame) {
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
    lines.push(yes_no(app, "forget", "cancel"));
    boxed(frame, theme, "Forget videos", lines, 56);
}

pub fn quit(app: &App, theme: &Theme, frame: &mut Frame) {
    let lines = vec![
        Line::from("A batch is running. Quit now?"),
        Line::from("Queued videos end cancelled; in-flight ones finish."),
        Line::from(""),
        yes_no(app, "quit", "keep going"),
    ];
    boxed(frame, theme, "Quit", lines, 56);
}

pub fn replace(app: &App, path: &std::path::Path, theme: &Theme, frame: &mut Frame) {
    let lines = vec![
        Line::from(format!("{} is already there.", path.display())),
        Line::from(format!(
            "Replace it with the {} marked ID(s)?",
            app.marks().count()
        )),
        Line::from(""),
        yes_no(app, "replace", "keep it"),
    ];
    boxed(frame, theme, "Export", lines, 56);
}

/// The width of the add-IDs prompt, and of the key prompt.
const ADD_WIDTH: u16 = 64;
const KEY_WIDTH: u16 = 58;

/// `Label: june▏`: a field after its name, in `width` cells.
fn field_line(
    name: &'static str,
    field: &crate::tui::text_field::TextField,
    width: usize,
    mask: bool,
    style: ratatui::style::Style,
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

pub fn add_ids(app: &App, add: &AddIds, theme: &Theme, frame: &mut Frame) {
    let style = |on: bool| if on { theme.accent() } else { theme.dim() };
    let width = inner_width(frame, ADD_WIDTH);
    let keymap = app.keymap();
    let lines = vec![
        Line::from("Type or paste any text; video IDs (UUIDs) are found in it."),
        Line::from(""),
        field_line(
            "IDs:   ",
            &add.text,
            width,
            false,
            style(!add.editing_label),
        ),
        field_line(
            "Label: ",
            &add.label,
            width,
            false,
            style(add.editing_label),
        ),
        Line::from(""),
        Line::from(format!("Found {} ID(s), {} new.", add.found.len(), add.new)),
        Line::from(Span::styled(
            format!(
                "{} add · {} label · {} cancel",
                keymap.key(Action::Submit),
                keymap.key(Action::SwitchField),
                keymap.key(Action::Close)
            ),
            theme.dim(),
        )),
    ];
    boxed(frame, theme, "Add videos", lines, ADD_WIDTH);
}

pub fn key_prompt(app: &App, prompt: &KeyPrompt, theme: &Theme, frame: &mut Frame) {
    let keymap = app.keymap();
    let width = inner_width(frame, KEY_WIDTH);
    // What Enter and Esc do depends on whether a batch waits for this key.
    let waiting = app.batch_waits_for_key();
    let mut lines = vec![
        Line::from(match (waiting, app.key_needed(), app.settings().key_set) {
            (true, _, true) => "The server refused the API key; the batch is paused.",
            (true, _, false) => "Deleting needs an API key; the batch waits for one.",
            (false, true, _) => "The server refused the last key; enter another.",
            (false, false, _) => "Enter the API key for this account.",
        }),
        Line::from(""),
        field_line("Key: ", &prompt.input, width, true, theme.accent()),
        Line::from(format!(
            "[{}] save to config ({})",
            if prompt.save { "x" } else { " " },
            keymap.key(Action::SwitchField)
        )),
    ];
    let keys = if waiting {
        ("resume", "stay paused")
    } else {
        ("use this key", "cancel")
    };
    prompt_end(app, prompt.error.as_deref(), keys, theme, &mut lines);
    boxed(frame, theme, "API key", lines, KEY_WIDTH);
}

pub fn export(app: &App, prompt: &ExportPrompt, theme: &Theme, frame: &mut Frame) {
    let width = inner_width(frame, KEY_WIDTH);
    let mut lines = vec![
        Line::from(format!(
            "Write the {} marked ID(s) to a file, one per line;",
            prompt.count
        )),
        Line::from("a file of that name is replaced."),
        Line::from(""),
        field_line("File: ", &prompt.path, width, false, theme.accent()),
    ];
    prompt_end(
        app,
        prompt.error.as_deref(),
        ("write", "cancel"),
        theme,
        &mut lines,
    );
    boxed(frame, theme, "Export", lines, KEY_WIDTH);
}

/// A one-field prompt's last lines: why its last answer was refused (if it was), then what
/// `submit` and `close` do.
fn prompt_end(
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
