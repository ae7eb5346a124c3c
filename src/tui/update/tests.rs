//! Every key path and engine event, fed through `update`, with the returned effects compared
//! by `==`; and the property that no `Enqueue` ever holds an ID the user did not confirm.

pub use std::time::Duration;

pub use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
pub use jiff::Timestamp;

pub use super::update;
pub use crate::api::{ApiKey, Outcome, OutcomeKind, VideoId};
pub use crate::engine::{BatchCounts, Event, Halt, HaltCause, Pause, RateWait};
use crate::pipeline::Edit;
pub use crate::store::HistoryEntry;
use crate::store::KnownVideo;
pub use crate::tui::app::batch::Paused;
pub use crate::tui::app::row::{RowState, Wait};
pub use crate::tui::app::{App, Settings};
pub use crate::tui::effect::Effect;
pub use crate::tui::modal::{Detail, Forget, Modal, Quit};
pub use crate::tui::msg::Msg;

mod consistency;
mod copy_and_history;
mod engine_events;
mod keys;
mod loading;
mod rails;
mod safety;
mod views;

pub const T0: i64 = 1_790_000_000;

pub fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(
        0x550e8400_e29b_41d4_a716_000000000000 + n,
    ))
}

pub fn ids(range: std::ops::Range<u128>) -> Vec<VideoId> {
    range.map(id).collect()
}

pub fn at(secs: f64) -> Timestamp {
    Timestamp::from_millisecond(T0 * 1000 + (secs * 1000.0) as i64).unwrap()
}

/// `n` videos labelled "clip 0".."clip n-1", grace 3 s, threshold 100, 80x24.
pub fn app(n: u128) -> App {
    app_with(n, Settings::default())
}

/// As `app`, with these settings.
pub fn app_with(n: u128, settings: Settings) -> App {
    let videos = (0..n).map(|i| KnownVideo {
        id: id(i),
        added_at: at(-3_600.0),
        label: Some(format!("clip {i}").into()),
        details: None,
        last: None,
    });
    App::new(videos, settings, at(0.0))
}

/// Settings that send a confirmed batch at once.
pub fn no_grace() -> Settings {
    Settings {
        grace: Duration::ZERO,
        ..Settings::default()
    }
}

/// The IDs of each `Enqueue` among `effects`, in order.
pub fn enqueued(effects: &[Effect]) -> Vec<Vec<VideoId>> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Enqueue(batch) => Some(batch.ids().to_vec()),
            _ => None,
        })
        .collect()
}

pub fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    press(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Feeds every message, returning all effects in order.
pub fn send(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|m| update(app, m)).collect()
}

pub fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(ch).collect()
}

pub fn marked(app: &App) -> Vec<VideoId> {
    app.marks()
        .iter()
        .map(|r| app.rows()[r as usize].id)
        .collect()
}

/// The IDs the rows say are in the known list now (not removed, not found gone), in order.
pub fn saved(app: &App) -> Vec<VideoId> {
    app.rows()
        .iter()
        .filter(|row| row.is_shown() && !row.is_gone())
        .map(|row| row.id)
        .collect()
}

/// The IDs the table shows, in order.
pub fn shown(app: &App) -> Vec<VideoId> {
    app.visible()
        .iter()
        .map(|&r| app.rows()[r as usize].id)
        .collect()
}

pub fn history_entry(n: u128, kind: OutcomeKind) -> HistoryEntry {
    let (status, code, message) = match kind {
        OutcomeKind::NotFound => (404, "VIDEO_NOT_FOUND", "Video not found"),
        OutcomeKind::Forbidden => (403, "FORBIDDEN", "Not your video"),
        _ => (500, "INTERNAL", "Server error"),
    };
    let outcome = Outcome {
        attempts: 1,
        status: Some(status),
        error_code: Some(code.into()),
        message: Some(message.into()),
        ..Outcome::unsent(kind)
    };
    HistoryEntry::new(
        at(-60.0 * n as f64),
        id(n),
        &outcome,
        Some("api.elytron.com"),
    )
}

pub fn finished(id: VideoId, kind: OutcomeKind) -> Msg {
    Msg::Engine(Event::Finished {
        id,
        outcome: Outcome {
            attempts: 1,
            ..Outcome::unsent(kind)
        },
    })
}

#[test]
fn key_releases_are_ignored() {
    let mut a = app(3);
    let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(update(&mut a, Msg::Key(release)), vec![]);
    assert_eq!(a.cursor_pos(), Some(0));
}

#[test]
fn mouse_click_moves_the_cursor_and_the_wheel_scrolls() {
    let mut a = app(50);
    let mouse = |kind, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 5,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Header line 0, table header line 1, first row on line 2.
    send(&mut a, [mouse(MouseEventKind::Down(MouseButton::Left), 6)]);
    assert_eq!(a.cursor_pos(), Some(4));
    send(&mut a, [mouse(MouseEventKind::ScrollDown, 0)]);
    assert_eq!(a.cursor_pos(), Some(7));
    send(&mut a, [mouse(MouseEventKind::ScrollUp, 0)]);
    assert_eq!(a.cursor_pos(), Some(4));
    send(&mut a, [mouse(MouseEventKind::Down(MouseButton::Left), 23)]);
    assert_eq!(
        a.cursor_pos(),
        Some(4),
        "a click on the footer does nothing"
    );
}

#[test]
fn resize_keeps_the_cursor_on_screen() {
    let mut a = app(100);
    send(&mut a, [press(KeyCode::End)]);
    send(
        &mut a,
        [Msg::Resize {
            width: 60,
            height: 20,
        }],
    );
    assert_eq!(a.size(), (60, 20));
    assert_eq!(a.offset(), 100 - a.table_height());
}

#[test]
fn store_failures_are_shown() {
    let mut a = app(1);
    send(
        &mut a,
        [Msg::EffectFailed(
            "Could not save an outcome: disk full".into(),
        )],
    );
    assert_eq!(a.notice(), Some("Could not save an outcome: disk full"));
}

#[test]
fn the_grace_countdown_sets_a_deadline_for_the_fast_tick() {
    let mut a = app(1);
    assert_eq!(a.modal().grace_deadline(), None);
    send(&mut a, [ch('d'), ch('y')]);
    assert_eq!(a.modal().grace_deadline(), Some(at(3.0)));
}
