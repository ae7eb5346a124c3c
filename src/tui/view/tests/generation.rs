//! Waiting for generation, as the app shows it: the row's progress and expected end, the
//! footer when the server has no status route, a cancel that ends the waiting rows, and the
//! confirmation saying whether the batch waits for videos that were generating (when last
//! tried, or when last synced).

use super::*;
use crate::api::GenerationState;
use crate::store::{Generation, LastSync, VideoDetails};

fn screen(app: &App) -> String {
    format!("{}", draw(app, 200, 24).backend())
}

fn generating(n: u128, progress: Option<u8>, eta: Option<Timestamp>) -> Msg {
    Msg::Engine(Event::Generating {
        id: id(n),
        progress,
        estimated_completion: eta,
    })
}

#[test]
fn a_row_waiting_for_generation_says_how_far_and_until_when() {
    let mut a = sized(app(3), 200, 24);
    send(&mut a, [Msg::Engine(Event::Queued { ids: ids(0..2) })]);
    let eta: Timestamp = "2026-01-01T12:02:00Z".parse().unwrap();
    send(
        &mut a,
        [
            generating(0, Some(65), Some(eta)),
            generating(1, None, None),
        ],
    );
    let shown = screen(&a);
    assert!(
        shown.contains("generating") && shown.contains("waiting for generation 65% · ~12:02 UTC"),
        "{shown}"
    );
    assert!(shown.contains("waiting for generation "), "{shown}");
    assert!(!a.rows()[0].is_markable(), "in the batch still");
    // Its DELETE goes again once generation ends: the row shows the attempt.
    send(
        &mut a,
        [Msg::Engine(Event::Started {
            id: id(0),
            attempt: 2,
        })],
    );
    assert!(!screen(&a).contains("65%"));
}

#[test]
fn cancelling_ends_the_waiting_rows_as_the_engine_says() {
    let mut a = sized(app(2), 200, 24);
    send(&mut a, [Msg::Engine(Event::Queued { ids: ids(0..1) })]);
    send(&mut a, [generating(0, Some(40), None)]);
    assert!(a.rows()[0].is_active());
    let outcome = Outcome {
        message: Some("cancelled while waiting for its generation to end (at 40%)".into()),
        attempts: 1,
        ..Outcome::unsent(OutcomeKind::Cancelled)
    };
    send(
        &mut a,
        [Msg::Engine(Event::Finished { id: id(0), outcome })],
    );
    let row = &a.rows()[0];
    assert!(
        !row.is_active() && row.is_markable(),
        "resumable, markable again"
    );
    assert!(screen(&a).contains("cancelled while waiting for its generation"));
}

#[test]
fn a_server_without_the_status_route_is_said_in_the_footer() {
    let mut a = sized(app(1), 200, 24);
    send(
        &mut a,
        [Msg::Engine(Event::StatusUnavailable {
            reason: "this server does not report a video's generation (it answered 404)".into(),
        })],
    );
    let shown = screen(&a);
    assert!(
        shown.contains("does not report a video's generation"),
        "{shown}"
    );
}

/// An app whose first two rows' last delete ended `processing`, with these settings.
fn last_seen_generating(settings: Settings) -> App {
    let mut a = sized(app_with(4, settings), 120, 40);
    for n in [0, 1] {
        send(&mut a, [finished(id(n), OutcomeKind::Processing)]);
    }
    a
}

/// The confirmation's text on one line, box and line breaks taken out.
fn confirmation(a: &App) -> String {
    let shown = screen(a).replace(['│', '\n', '"'], " ");
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_confirmation_says_whether_the_batch_waits_for_videos_generating() {
    let waits = Settings {
        wait_processing: Some(Duration::from_secs(600)),
        ..Settings::default()
    };
    for (settings, says) in [
        (
            waits,
            "Those still generating are deleted once generation ends (waiting up to 600 s).",
        ),
        (
            Settings::default(),
            "Those still generating are left as they are (wait_processing_seconds waits for \
             them).",
        ),
    ] {
        let mut a = last_seen_generating(settings);
        send(&mut a, [ch(' '), ch(' '), ch(' '), ch('d')]);
        let shown = confirmation(&a);
        assert!(shown.contains("Delete 3 video(s)"), "{shown}");
        assert!(
            shown.contains("2 were still processing when last tried."),
            "{shown}"
        );
        assert!(shown.contains(says), "{shown}");
    }
    let mut a = last_seen_generating(Settings::default());
    send(&mut a, [ch(' '), ch('d')]);
    let shown = confirmation(&a);
    assert!(
        shown.contains(
            "If it is still generating, it is left as it is (wait_processing_seconds waits for it)."
        ),
        "{shown}"
    );
    // None generating: nothing said.
    let mut a = sized(app(3), 120, 40);
    send(&mut a, [ch(' '), ch('d')]);
    assert!(!confirmation(&a).contains("still generating"));
}

/// Three videos, the first two generating when the last sync listed them (pending,
/// processing), none tried yet.
fn synced_generating(settings: Settings) -> App {
    let states = [GenerationState::Pending, GenerationState::Processing];
    let videos = (0..3u128).map(|n| {
        let mut video = KnownVideo::new(id(n), at(0.0), None);
        if let Some(&state) = states.get(n as usize) {
            video.details = Some(Box::new(VideoDetails {
                generation: Generation {
                    state: Some(state),
                    listed: LastSync::Listed,
                    ..Generation::default()
                },
                ..VideoDetails::default()
            }));
        }
        video
    });
    sized(App::new(videos, settings, at(0.0)), 120, 40)
}

#[test]
fn the_confirmation_counts_the_videos_generating_when_last_synced() {
    let waits = Settings {
        wait_processing: Some(Duration::from_secs(600)),
        ..Settings::default()
    };
    let mut a = synced_generating(waits);
    send(&mut a, [ch(' '), ch(' '), ch(' '), ch('d')]);
    let shown = confirmation(&a);
    assert!(shown.contains("Delete 3 video(s)"), "{shown}");
    assert!(
        shown.contains("2 were still generating when last synced."),
        "{shown}"
    );
    assert!(
        shown.contains(
            "Those still generating are deleted once generation ends (waiting up to 600 s)."
        ),
        "{shown}"
    );
    let mut a = synced_generating(Settings::default());
    send(&mut a, [ch(' '), ch(' '), ch('d')]);
    let shown = confirmation(&a);
    assert!(
        shown.contains("2 were still generating when last synced."),
        "{shown}"
    );
    assert!(
        shown.contains("Those still generating are left as they are"),
        "{shown}"
    );
}
