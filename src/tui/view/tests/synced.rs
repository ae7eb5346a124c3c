//! What a sync listed, on screen: the STATE column beside the status (only once a sync has
//! listed something), `not listed` for a video the last complete sync did not list, sorting
//! by state, size and duration, the details view; and the sync action, its footer and the
//! rows it changes arriving while the user browses.

use super::*;
use crate::api::GenerationState;
use crate::store::{Generation, LastSync, VideoDetails};
use crate::sync::{SyncEnd, SyncNews, SyncResult};

/// The screen's text, one line per row of cells.
fn screen(app: &App, width: u16, height: u16) -> Vec<String> {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

/// Four videos: failed (2 GB), processing (10 MB), one not listed by the last complete sync,
/// one never synced.
fn synced_list() -> App {
    let generations = [
        Some((
            Some(GenerationState::Failed),
            Some(2_000_000_000),
            LastSync::Listed,
        )),
        Some((
            Some(GenerationState::Processing),
            Some(10_000_000),
            LastSync::Listed,
        )),
        Some((None, None, LastSync::NotListed)),
        None,
    ];
    let videos = generations.iter().enumerate().map(|(n, generation)| {
        let mut video = KnownVideo::new(id(n as u128), at(0.0), None);
        if let Some((state, file_size, listed)) = *generation {
            video.details = Some(Box::new(VideoDetails {
                title: Some(format!("prompt {n}").into()),
                generation: Generation {
                    state,
                    file_size,
                    listed,
                    ..Generation::default()
                },
                ..VideoDetails::default()
            }));
        }
        video
    });
    sized(App::new(videos, Settings::default(), at(0.0)), 120, 12)
}

#[test]
fn a_synced_list_shows_each_state_beside_the_status() {
    let mut app = synced_list();
    // An outcome, so the STATUS column shows beside the state.
    send(&mut app, [finished(id(3), OutcomeKind::Forbidden)]);
    let lines = screen(&app, 120, 12);
    let header = lines.iter().find(|line| line.contains("STATUS")).unwrap();
    let state_at = header.find("STATE").expect("a STATE column");
    assert!(state_at < header.find("STATUS").unwrap(), "{header}");
    assert!(header.contains("SIZE"), "{header}");
    let row_of = |n: u128| {
        // The ID may be shortened to its first 8 characters: the test's IDs differ at the end.
        let id = id(n).to_string();
        (lines.iter())
            .find(|line| line.contains(&id) || line.contains(&id[24..]))
            .unwrap_or_else(|| panic!("no row of {id}:\n{}", lines.join("\n")))
            .clone()
    };
    assert_eq!(
        row_of(0)[state_at..].split_whitespace().next(),
        Some("failed")
    );
    assert_eq!(
        row_of(1)[state_at..].split_whitespace().next(),
        Some("processing")
    );
    assert!(
        row_of(2)[state_at..].starts_with("not listed"),
        "{}",
        row_of(2)
    );
    assert!(row_of(3)[state_at..state_at + 10].trim().is_empty());
}

#[test]
fn a_list_no_sync_listed_has_no_state_column() {
    let videos = (0..3).map(|n| KnownVideo::new(id(n), at(0.0), None));
    let app = sized(App::new(videos, Settings::default(), at(0.0)), 120, 12);
    assert!(
        !screen(&app, 120, 12)
            .iter()
            .any(|line| line.contains("STATE"))
    );
}

#[test]
fn rows_sort_by_state_and_by_size_unknown_last() {
    let mut a = synced_list();
    a.sort(crate::sort::SortOrder {
        key: crate::sort::SortKey::Size,
        descending: false,
    });
    assert_eq!(a.visible(), [1, 0, 2, 3]);
    a.sort(crate::sort::SortOrder {
        key: crate::sort::SortKey::State,
        descending: true,
    });
    assert_eq!(
        a.visible(),
        [0, 1, 2, 3],
        "failed, processing, then the unknown"
    );
    let lines = screen(&a, 120, 12);
    assert!(lines.iter().any(|line| line.contains("STATE ▼")));
}

#[test]
fn the_details_view_shows_every_synced_field_once_read_from_the_store_printable() {
    let mut a = synced_list();
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(effects, vec![Effect::LoadVideo(id(0))]);
    let before = screen(&a, 120, 30).join("\n");
    assert!(
        before.contains("failed") && before.contains("2.0 GB"),
        "{before}"
    );
    assert!(!before.contains("Download"), "not read yet");

    let mut stored = KnownVideo::new(id(0), at(0.0), None);
    stored.details = Some(Box::new(VideoDetails {
        title: Some("a fox in the snow".into()),
        created_at: Some(at(-3_600.0)),
        generation: Generation {
            state: Some(GenerationState::Failed),
            progress: Some(65),
            file_size: Some(2_000_000_000),
            duration: Some(std::time::Duration::from_millis(4_500)),
            completed_at: Some(at(-60.0)),
            error: Some("CONTENT: \u{1b}[2Jrefused".into()),
            download_url: Some("https://cdn.example/fox.mp4".into()),
            listed: LastSync::Listed,
        },
    }));
    let mut other = stored.clone();
    other.id = id(1);
    send(&mut a, [Msg::VideoLoaded(Box::new(other))]);
    assert!(
        !screen(&a, 120, 30).join("\n").contains("cdn.example"),
        "another row's"
    );
    send(&mut a, [Msg::VideoLoaded(Box::new(stored))]);
    let shown = screen(&a, 120, 30).join("\n");
    for text in [
        "a fox in the snow",
        "failed (65%)",
        "2.0 GB",
        "4.5 s",
        "Created",
        "Completed",
        "CONTENT: \\x1b[2Jrefused",
        "https://cdn.example/fox.mp4",
        "by the last sync",
    ] {
        assert!(shown.contains(text), "{text} is not shown:\n{shown}");
    }
    assert!(!shown.contains('\u{1b}'));
}

/// `n` videos with nothing synced, and a key set.
fn keyed(n: u128) -> App {
    let settings = Settings {
        key_configured: true,
        ..Settings::default()
    };
    let videos = (0..n).map(|n| KnownVideo::new(id(n), at(0.0), None));
    App::new(videos, settings, at(0.0))
}

#[test]
fn the_sync_key_starts_one_sync_and_the_footer_follows_it_to_its_end() {
    let mut a = app(3);
    assert_eq!(send(&mut a, [ch('L')]), vec![], "no key: nothing starts");
    assert!(
        a.notice().unwrap().contains("No API key to sync with"),
        "{:?}",
        a.notice()
    );
    let mut a = sized(keyed(0), 100, 10);
    assert_eq!(send(&mut a, [ch('L')]), vec![Effect::Sync]);
    assert_eq!(send(&mut a, [ch('L')]), vec![], "one at a time");
    assert_eq!(a.notice(), Some("A sync is already running."));
    let progress = crate::account::WalkProgress {
        requests: 3,
        pages: 3,
        listed: 250,
        total: Some(1_000),
    };
    send(&mut a, [Msg::Sync(SyncNews::Progress(progress))]);
    let footer = screen(&a, 100, 10).join("\n");
    assert!(
        footer.contains("syncing: page 3, 250 of ~1000 listed"),
        "{footer}"
    );
    send(
        &mut a,
        [Msg::Sync(SyncNews::Waiting("waiting 2s: HTTP 429".into()))],
    );
    assert!(
        screen(&a, 100, 10)
            .join("\n")
            .contains("(waiting 2s: HTTP 429)")
    );
    let end = SyncEnd {
        end: SyncResult::Complete,
        mode: crate::account::WalkMode::Full,
        progress,
        added: 240,
        updated: 10,
        unlisted: 2,
    };
    send(&mut a, [Msg::Sync(SyncNews::Ended(Ok(end)))]);
    assert!(a.syncing().is_none());
    assert_eq!(
        a.notice(),
        Some("Synced 250 videos: 240 new, 10 changed; 2 known ones not listed (listed:no, kept).")
    );
    assert_eq!(
        send(&mut a, [ch('L')]),
        vec![Effect::Sync],
        "another may start"
    );
}

#[test]
fn a_sync_that_stops_says_why_and_that_its_pages_are_kept() {
    use crate::api::{ReadFailure, ReadFailureKind};
    for (kind, message, not_said) in [
        (
            ReadFailureKind::WrongBaseUrl,
            "the base URL does not lead to the Elytron API: it answered 404: the answer was an \
             HTML page (\"404 Not Found\"); check base_url (--base-url, ELYTRON_BASE_URL)",
            "Nothing in the list changed",
        ),
        (
            ReadFailureKind::KeyRefused,
            "the API key was refused: UNAUTHORIZED: revoked",
            "Nothing in the list changed",
        ),
        (
            ReadFailureKind::NotServed,
            "this server does not list videos (it answered 404: NOT_FOUND: no route): import \
             IDs instead",
            "Nothing in the list changed",
        ),
    ] {
        let mut a = sized(keyed(0), 100, 10);
        send(&mut a, [ch('L')]);
        let failure = ReadFailure {
            kind,
            message: message.to_owned(),
            status: Some(404),
            request_id: None,
            attempts: 1,
        };
        let end = SyncEnd {
            end: SyncResult::ReadFailed(failure),
            mode: crate::account::WalkMode::Full,
            progress: crate::account::WalkProgress::default(),
            added: 200,
            updated: 0,
            unlisted: 0,
        };
        send(&mut a, [Msg::Sync(SyncNews::Ended(Ok(end)))]);
        let notice = a.notice().unwrap_or_default();
        assert!(notice.contains(message), "{kind:?}: {notice}");
        assert!(!notice.contains(not_said), "{kind:?}: {notice}");
        assert!(notice.ends_with("200 new, 0 changed kept."), "{notice}");
    }
}

#[test]
fn rows_a_sync_changes_arrive_while_the_user_filters_and_marks() {
    let mut a = keyed(4);
    send(&mut a, [ch('L')]);
    send(&mut a, [ch(' ')]);
    send(&mut a, [ch('/')]);
    send(&mut a, typed("state:failed"));
    send(&mut a, [press(KeyCode::Enter)]);
    assert!(a.visible().is_empty(), "nothing synced yet");
    let failed = |n: u128| {
        let mut video = KnownVideo::new(id(n), at(0.0), None);
        video.details = Some(Box::new(VideoDetails {
            title: Some("a prompt".into()),
            generation: Generation {
                state: Some(GenerationState::Failed),
                listed: LastSync::Listed,
                ..Generation::default()
            },
            ..VideoDetails::default()
        }));
        video
    };
    let changes = crate::store::Changes {
        videos: vec![failed(2), failed(9)],
        removed: Vec::new(),
        protected: None,
        present: None,
    };
    send(&mut a, [Msg::ListChanged(changes)]);
    assert_eq!(
        a.visible(),
        [2, 4],
        "a changed row and a new one, through the filter"
    );
    assert_eq!(marked(&a), vec![id(0)], "marks stay");
    assert!(a.filled().state);
    assert!(a.syncing().is_some(), "the sync goes on");
}

#[test]
fn the_space_a_batch_frees_shows_in_the_footer_the_confirmation_and_the_summary() {
    let settings = Settings {
        grace: std::time::Duration::ZERO,
        ..Settings::default()
    };
    let mut a = sized(
        App::new(
            (0..4).map(|n| {
                let mut video = KnownVideo::new(id(n), at(0.0), None);
                video.details = Some(Box::new(VideoDetails {
                    generation: Generation {
                        file_size: [Some(2_000_000_000), Some(10_000_000), None, None][n as usize],
                        ..Generation::default()
                    },
                    ..VideoDetails::default()
                }));
                video
            }),
            settings,
            at(0.0),
        ),
        120,
        20,
    );
    send(&mut a, [ch(' '), ch(' ')]);
    let footer = screen(&a, 120, 20).join("\n");
    assert!(footer.contains("2 marked (2.0 GB)"), "{footer}");
    send(&mut a, [ch(' ')]);
    assert!(
        screen(&a, 120, 20)
            .join("\n")
            .contains("3 marked (at least 2.0 GB)"),
        "one of unknown size"
    );
    send(&mut a, [ch('k'), ch(' ')]);
    send(&mut a, [ch('d')]);
    let asked = screen(&a, 120, 20).join("\n");
    assert!(asked.contains("Delete 2 video(s) · 2.0 GB from"), "{asked}");
    let effects = send(&mut a, [ch('y')]);
    assert_eq!(enqueued(&effects), vec![vec![id(0), id(1)]]);
    let mut counts = crate::engine::BatchCounts::default();
    counts.add(OutcomeKind::Deleted);
    counts.add(OutcomeKind::NotFound);
    send(
        &mut a,
        [
            Msg::Engine(crate::engine::Event::Queued {
                ids: vec![id(0), id(1)],
            }),
            finished(id(0), OutcomeKind::Deleted),
            finished(id(1), OutcomeKind::NotFound),
            Msg::Engine(crate::engine::Event::Idle { counts }),
        ],
    );
    assert_eq!(
        a.notice(),
        Some("Batch done: 1 deleted (2.0 GB freed), 1 not found, 0 did not succeed."),
        "only what this batch deleted counts as freed"
    );
}
