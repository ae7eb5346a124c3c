//! The header (the demo, or the profile, and the account host; read-only, whether a key is
//! set: never the key) and the footer (counts, filter prompt, notices, and the batch gauge
//! with rate, ETA and pauses; a halted batch's banner in place of the counts).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::field::field_spans;
use super::theme::Theme;
use crate::engine::RateWait;
use crate::printable::{into_printable, printable};
use crate::time_text::countdown;
use crate::tui::app::batch::{BatchProgress, Paused};
use crate::tui::app::text_field::TextField;
use crate::tui::app::{App, SyncStatus};
use crate::tui::keymap::Action;

/// The filter line gets at least this many cells before its key hint is dropped.
const MIN_FILTER: usize = 8;

pub fn header(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let keymap = app.keymap();
    let key = match (app.key_needed(), app.key_set()) {
        _ if app.key_command().is_some() => "waiting for api_key_command".to_owned(),
        (true, true) => format!("key refused ({} to enter one)", keymap.key(Action::ApiKey)),
        (true, false) => format!("no key ({} to enter one)", keymap.key(Action::ApiKey)),
        (false, true) => "key set".to_owned(),
        (false, false) => "no key (asked on first delete)".to_owned(),
    };
    let settings = app.settings();
    let mut spans = vec![
        Span::styled(" elytron-tui ", theme.header()),
        Span::raw("│ "),
    ];
    if settings.demo {
        spans.extend([
            Span::styled("DEMO: nothing real is deleted", theme.marked()),
            Span::raw(" │ "),
        ]);
    }
    // The profile's name and the host come from the config: printable.
    if let Some(profile) = settings.profile.as_ref().filter(|_| !settings.demo) {
        spans.push(Span::styled(
            format!("{} @ ", printable(profile)),
            theme.accent(),
        ));
    }
    spans.push(Span::styled(
        printable(&settings.account_host),
        theme.accent(),
    ));
    if settings.rails.read_only() {
        spans.push(Span::styled(" (read-only)", theme.marked()));
    }
    spans.extend([
        Span::raw(" │ "),
        Span::raw(key),
        Span::styled(format!("  {} help", keymap.key(Action::Help)), theme.dim()),
    ]);
    let line = Line::from(spans);
    frame.render_widget(Paragraph::new(line), area);
}

pub fn footer(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let first = match app.batch().and_then(|batch| halt_banner(batch, theme)) {
        Some(banner) => banner,
        None => counts_line(app, theme, area.width),
    };
    frame.render_widget(Paragraph::new(first), Rect { height: 1, ..area });
    if area.height < 2 {
        return;
    }
    let second = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };
    if let Some(batch) = app.batch() {
        frame.render_widget(
            Paragraph::new(gauge_line(app, batch, theme, area.width)),
            second,
        );
    } else if let (Some(_), Some(error)) = (app.filter_line(), app.filter_error()) {
        // Under the filter being typed: why it does not parse, and which part.
        let part = app.filter().get(error.span()).unwrap_or_default();
        let text = format!(
            " ⚠ {part}: {error} (no row is shown until it parses; {} clears it)",
            app.keymap().key(Action::Clear)
        );
        frame.render_widget(
            Paragraph::new(Span::styled(into_printable(text), theme.danger())),
            second,
        );
    } else {
        // A notice may echo a file name, a path or an error's words.
        let text = app.notice().unwrap_or_else(|| app.keymap().hints());
        frame.render_widget(
            Paragraph::new(Span::styled(printable(text), theme.dim())),
            second,
        );
    }
}

/// ` 312 known · 4 marked (1 hidden by the filter) · filter: june · row 12 of 40`: every
/// count true at this moment, the list still loading included. While the filter is typed,
/// its line takes the place of the position, with how many rows it shows.
fn counts_line<'a>(app: &'a App, theme: &Theme, width: u16) -> Line<'a> {
    let shown = app.visible().len();
    let editing = app.filter_line();
    let mut spans = vec![match app.loading() {
        Some(so_far) => Span::styled(
            format!(" reading the list… {so_far} so far"),
            theme.accent(),
        ),
        None => Span::raw(format!(" {} known", app.known())),
    }];
    spans.push(Span::raw(format!(" · {} marked", app.marks().count())));
    if app.marks().count() > 0
        && let Some(size) = app.marked_shown_size()
    {
        spans.push(Span::raw(format!(" ({size})")));
    }
    if app.marked_hidden() > 0 {
        let hidden = if editing.is_some() {
            format!(" ({} hidden)", app.marked_hidden())
        } else {
            format!(" ({} hidden by the filter)", app.marked_hidden())
        };
        spans.push(Span::styled(hidden, theme.marked()));
    }
    if app.marked_only() {
        spans.push(Span::styled(" · marked only", theme.accent()));
    }
    if let Some(sync) = app.syncing() {
        spans.push(Span::styled(sync_text(sync), theme.accent()));
    }
    if let Some(filter) = editing {
        spans.push(Span::raw(format!(" · {shown} shown")));
        filter_line(app, filter, theme, width, &mut spans);
    } else {
        if !app.filter().is_empty() {
            let filter = printable(app.filter());
            spans.push(match app.filter_error() {
                Some(error) => Span::styled(
                    into_printable(format!(" · filter: {filter} (no row shown: {error})")),
                    theme.danger(),
                ),
                None => Span::styled(format!(" · filter: {filter}"), theme.accent()),
            });
        }
        match app.cursor_pos() {
            Some(pos) => spans.push(Span::raw(format!(" · row {} of {shown}", pos + 1))),
            None if shown == 0 && app.known() > 0 => spans.push(Span::raw(" · 0 shown")),
            None => {}
        }
        if app.following_end() {
            spans.push(Span::styled(" (following the end)", theme.dim()));
        }
    }
    if app.batch().is_some()
        && let Some(notice) = app.notice()
    {
        spans.push(Span::styled(
            format!("  {}", printable(notice)),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

/// ` · syncing: page 3, 250 of ~1000 listed`, and why it waits while it does.
fn sync_text(sync: &SyncStatus) -> String {
    let progress = &sync.progress;
    let of = progress
        .total
        .map(|total| format!(" of ~{total}"))
        .unwrap_or_default();
    let waiting = sync
        .waiting
        .as_deref()
        .map(|why| format!(" ({})", printable(why)))
        .unwrap_or_default();
    if progress.pages == 0 {
        format!(" · syncing…{waiting}")
    } else {
        format!(
            " · syncing: page {}, {}{of} listed{waiting}",
            progress.pages, progress.listed
        )
    }
}

/// `  /june▏ Enter keep · Esc clear`, or, when it does not parse, the text drawn in the
/// danger colour and `⚠` with the error when there is room (the line below says it whole):
/// the filter being typed, in what is left of the line.
fn filter_line(
    app: &App,
    filter: &TextField,
    theme: &Theme,
    width: u16,
    spans: &mut Vec<Span<'_>>,
) {
    let keymap = app.keymap();
    let (after, style) = match app.filter_error() {
        Some(error) => (
            Span::styled(into_printable(format!(" ⚠ {error}")), theme.danger()),
            theme.danger(),
        ),
        None => (
            Span::styled(
                format!(
                    " {} keep · {} clear",
                    keymap.key(Action::Submit),
                    keymap.key(Action::Clear)
                ),
                theme.dim(),
            ),
            theme.accent(),
        ),
    };
    spans.push(Span::styled("  /", theme.accent()));
    let used: usize = spans.iter().map(Span::width).sum();
    let room = usize::from(width).saturating_sub(used);
    let with_after = room.saturating_sub(after.width());
    if with_after >= MIN_FILTER {
        spans.extend(field_spans(filter, with_after, false, style));
        spans.push(after);
    } else {
        spans.extend(field_spans(filter, room, false, style));
        if app.filter_error().is_some() {
            spans.push(Span::styled(" ⚠", theme.danger()));
        }
    }
}

/// `⚠ halted: the server cannot be reached: …`: what stopped the batch, on the whole first
/// line (the keys and the next try are on the gauge line below).
fn halt_banner<'a>(batch: &BatchProgress, theme: &Theme) -> Option<Line<'a>> {
    let Some(Paused::Halted { cause, .. }) = &batch.paused else {
        return None;
    };
    Some(Line::from(vec![
        Span::styled(" ⚠ halted: ", theme.danger()),
        Span::raw(printable(cause).into_owned()),
    ]))
}

/// Most cells the progress bar takes.
const BAR: usize = 20;
/// A bar narrower than this says nothing; the words take the room instead.
const MIN_BAR: usize = 6;

/// `[████░░░░] 7/10 done · rate limited (Retry-After), resuming in 12s · 1.2/s (cap 20/s) · ETA
/// 0:02 · 5 not deleted`: most urgent first (a pause, then speed), so a narrow footer cuts the
/// least useful part.
fn gauge_line(app: &App, batch: &BatchProgress, theme: &Theme, width: u16) -> Line<'static> {
    let mut label = format!(" {}/{} done", batch.done, batch.total);
    match &batch.paused {
        Some(Paused::Unauthorized) => label.push_str(&format!(
            " · paused: needs a key ({})",
            app.keymap().key(Action::ApiKey)
        )),
        Some(Paused::RateLimited { waiting_for, .. }) => {
            let secs = batch.resume_in(app.now()).unwrap_or(0);
            let what = match waiting_for {
                RateWait::RetryAfter => "Retry-After",
                RateWait::Reset => "nothing left until its reset",
            };
            label.push_str(&format!(" · rate limited ({what}), resuming in {secs}s"));
        }
        Some(Paused::ByUser { .. }) => label.push_str(&format!(
            " · paused ({} resumes)",
            app.keymap().key(Action::Pause)
        )),
        Some(Paused::Halted { retry_at, .. }) => {
            if let (Some(_), Some(secs)) = (retry_at, batch.resume_in(app.now())) {
                label.push_str(&format!(" · halted, next try in {secs}s"));
            } else {
                label.push_str(" · halted");
            }
            let keymap = app.keymap();
            label.push_str(&format!(
                " · {} retry now · {} cancel",
                keymap.key(Action::Retry),
                keymap.key(Action::CancelBatch)
            ));
        }
        None => {}
    }
    let rate = batch.rate(app.now());
    let cap = app.settings().max_rate;
    match (rate > 0.0, cap) {
        (true, Some(cap)) => label.push_str(&format!(" · {rate:.1}/s (cap {cap})")),
        (true, None) => label.push_str(&format!(" · {rate:.1}/s")),
        (false, Some(cap)) => label.push_str(&format!(" · cap {cap}")),
        (false, None) => {}
    }
    if let Some(eta) = batch.eta(app.now()) {
        label.push_str(&format!(" · ETA {}", countdown(eta)));
    }
    if batch.failures > 0 {
        label.push_str(&format!(" · {} not deleted", batch.failures));
    }
    // The bar gets what the words leave, up to BAR cells, and goes when that is too little.
    let room = usize::from(width).saturating_sub(label.chars().count() + 1);
    let cells = room.min(BAR);
    let mut spans = Vec::new();
    if cells >= MIN_BAR {
        let filled = (batch.done * cells)
            .checked_div(batch.total)
            .unwrap_or(0)
            .min(cells);
        spans.push(Span::raw(" "));
        spans.push(Span::styled("█".repeat(filled), theme.gauge()));
        spans.push(Span::styled("░".repeat(cells - filled), theme.dim()));
    }
    spans.push(Span::raw(label));
    Line::from(spans)
}
