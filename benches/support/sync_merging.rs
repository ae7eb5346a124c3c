//! Issue 19's app target: a keystroke while a sync's pages merge stays under 16 ms. The
//! sync merges on a task of its own into the store; the app's loader thread polls the
//! store (every 500 ms) and hands the UI thread what changed as one `ListChanged`; a key
//! pressed just after it waits for it. So each iteration merges pages of 100 listed videos
//! (every field a sync keeps) into a real store and polls them, untimed, then times the UI
//! thread taking them in, one filter keystroke and a full 80x24 render, on a list of
//! 100,000 synced videos: one page of new videos (the list grows by it), or the 50 pages a
//! poll gathers at 100 requests a second, of videos already listed (a re-sync; the list
//! keeps its size).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use elytron_tui::account::{Held, ToMerge};
use elytron_tui::api::{GenerationState, ListedVideo, VideoId};
use elytron_tui::store::{IdIndex, Labels, Paths, Store, Watcher};
use elytron_tui::tui::{App, Msg, Rows, Settings, render, update};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The synced list before the pages timed arrive.
const SYNCED: u64 = 100_000;
const PAGE: u64 = 100;

fn listed(n: u64) -> ListedVideo {
    let created = Timestamp::from_second(1_790_000_000 - n as i64).expect("valid timestamp");
    let state = match n % 20 {
        0 => GenerationState::Failed,
        1 => GenerationState::Processing,
        _ => GenerationState::Completed,
    };
    ListedVideo {
        id: VideoId::from_uuid(uuid::Uuid::from_u64_pair(n, n.wrapping_mul(0x9e37_79b9))),
        prompt: Some(format!("a sunset over the harbour, take {n}")),
        state: Some(state),
        progress: (state == GenerationState::Processing).then_some(40),
        duration: Some(Duration::from_millis(4_000 + n % 6_000)),
        quality: Some("1080p".to_owned()),
        aspect_ratio: Some("16:9".to_owned()),
        style: None,
        created_at: Some(created),
        completed_at: Some(created),
        download_url: Some(format!("https://cdn.example/videos/{n}.mp4")),
        file_size: Some(12_000_000 + n * 1_000),
        error: (state == GenerationState::Failed).then(|| "CONTENT: refused".to_owned()),
    }
}

/// Merges videos `from..to` into `store`, a page at a time, as a sync does.
fn merge_pages(store: &mut Store, from: u64, to: u64, at: Timestamp) {
    let mut start = from;
    while start < to {
        let end = (start + PAGE).min(to);
        let page: Vec<ToMerge> = (start..end)
            .map(|n| ToMerge {
                video: listed(n),
                held: Held::New,
            })
            .collect();
        store.merge_listed(&page, at).expect("merge a page");
        start = end;
    }
}

/// What a case times of each iteration.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Timed {
    /// The pages taken in, then a filter keystroke and a render: a key pressed just after.
    Both,
    Changes,
    Key,
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn sync_merging(c: &mut Criterion) {
    let at = Timestamp::from_second(1_790_003_600).expect("valid timestamp");
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = Paths::in_dir(dir.path());
    let mut store = Store::open(&paths).expect("store");
    merge_pages(&mut store, 0, SYNCED, at);
    let mut watcher = Watcher::open(&paths).expect("open");
    let mut rows = Rows::default();
    watcher.load(|row| rows.push(row)).expect("load");
    let mut app = App::awaiting_list(Settings::default(), at);
    app.append_rows(rows);
    let index = IdIndex::build(app.rows());
    update(
        &mut app,
        Msg::ListLoaded {
            index,
            pending: Vec::new(),
        },
    );
    update(&mut app, key(KeyCode::Char('/')));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let mut labels = Labels::default();
    let (mut new, mut again) = (SYNCED, 0);

    let mut group = c.benchmark_group("sync merging");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    // What is timed: the list taking the pages in, then a key and a render, or one of them.
    let cases = [
        (
            1,
            true,
            Timed::Both,
            "behind a page of 100 new videos, 100k+ synced rows",
        ),
        (
            1,
            true,
            Timed::Changes,
            "a page of 100 new videos taken in alone, 100k+ rows",
        ),
        (
            0,
            true,
            Timed::Key,
            "filter keystroke + render alone, 100k+ synced rows",
        ),
        (
            50,
            false,
            Timed::Both,
            "behind 50 pages of 100 changed videos, 100k synced rows",
        ),
    ];
    for (pages, fresh, timed_part, name) in cases {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    let mut clock = Instant::now();
                    if pages > 0 {
                        let from = if fresh { &mut new } else { &mut again };
                        let start = *from;
                        merge_pages(&mut store, start, start + pages * PAGE, at);
                        *from = if fresh {
                            start + PAGE
                        } else {
                            (start + pages * PAGE) % SYNCED
                        };
                        let changes = watcher
                            .poll(|row| row.to_known(&mut labels))
                            .expect("poll")
                            .expect("the pages merged");
                        clock = Instant::now();
                        update(&mut app, Msg::ListChanged(changes));
                        if timed_part == Timed::Changes {
                            timed += clock.elapsed();
                            continue;
                        }
                    }
                    if timed_part == Timed::Key {
                        clock = Instant::now();
                    }
                    update(&mut app, key(KeyCode::Char('h')));
                    black_box(app.visible().len());
                    terminal.draw(|frame| render(&app, frame)).expect("draw");
                    timed += clock.elapsed();
                    update(&mut app, key(KeyCode::Backspace));
                }
                timed
            })
        });
    }
    group.finish();
}
