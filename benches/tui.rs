//! TUI speed at a million known videos (issue 4 §6): drawing a full 80x24 screen, one filter
//! keystroke, forgetting and adding, applying 100k engine events, and start-up: the first
//! rows of a million-video store (what the first screen waits for), all of them, and the end
//! of loading. Then deciding (issue 12):
//! sorting a million rows by each column, and the query's slowest keystrokes, on a million
//! videos with titles, creation times and last outcomes. And a keystroke while a sync's
//! pages merge (issue 19, `sync_merging`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use elytron_tui::api::{Outcome, OutcomeKind, VideoId};
use elytron_tui::engine::Event;
use elytron_tui::pipeline::Edit;
use elytron_tui::rails::{ProtectRule, Rails, Settings as RailSettings};
use elytron_tui::store::IdIndex;
use elytron_tui::store::{Details, KnownVideo, Paths, Store, Watcher};
use elytron_tui::tui::{App, Effect, Msg, Rows, Settings, render, update};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support/deciding.rs"]
mod deciding;
#[path = "support/sync_merging.rs"]
mod sync_merging;

const ROWS: u128 = 1_000_000;

fn videos(n: u128) -> Vec<KnownVideo> {
    let at = Timestamp::from_second(1_790_000_000).expect("valid timestamp");
    (0..n)
        .map(|i| KnownVideo {
            id: id(i),
            added_at: at,
            label: Some(format!("upload batch {} clip {i}", i % 97).into()),
            details: None,
            last: None,
        })
        .collect()
}

/// The ID of the `n`th video of `videos`.
fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n * 0x9e37_79b9_7f4a_7c15))
}

/// The engine's answer for video `n`: deleted, or forbidden for every tenth.
fn finished(n: u128) -> Msg {
    Msg::Engine(Event::Finished {
        id: id(n),
        outcome: Outcome {
            attempts: 1,
            ..Outcome::unsent(if n.is_multiple_of(10) {
                OutcomeKind::Forbidden
            } else {
                OutcomeKind::Deleted
            })
        },
    })
}

fn app() -> App {
    let now = Timestamp::from_second(1_790_003_600).expect("valid timestamp");
    App::new(videos(ROWS), Settings::default(), now)
}

/// As `app`, on a profile that protects a thousand IDs and, by a rule, every video of one
/// upload batch in 97 (about 10,300): marking and the confirmation test every row.
fn railed_app() -> App {
    let now = Timestamp::from_second(1_790_003_600).expect("valid timestamp");
    let rails = Rails::new(
        RailSettings {
            rules: vec![ProtectRule::parse("label:\"batch 13 \"").expect("a valid rule")],
            ..RailSettings::default()
        },
        (0..1_000).map(|n| id(n * 997)).collect(),
    );
    let settings = Settings {
        rails,
        ..Settings::default()
    };
    App::new(videos(ROWS), settings, now)
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Times only the last typed filter key of `typed`; the keys before it and the Backspaces
/// that restore the full list are not timed.
fn one_keystroke(app: &mut App, typed: &str, iters: u64) -> Duration {
    let mut timed = Duration::ZERO;
    for _ in 0..iters {
        let mut keys = typed.chars();
        let last = keys.next_back().expect("at least one key");
        for c in keys {
            update(app, key(KeyCode::Char(c)));
        }
        let start = Instant::now();
        update(app, key(KeyCode::Char(last)));
        black_box(app.visible().len());
        timed += start.elapsed();
        for _ in typed.chars() {
            update(app, key(KeyCode::Backspace));
        }
    }
    timed
}

fn benches(c: &mut Criterion) {
    let mut app = app();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    c.bench_function("render 80x24, 1M rows", |b| {
        b.iter(|| {
            terminal.draw(|frame| render(&app, frame)).expect("draw");
        })
    });

    update(&mut app, key(KeyCode::Char('j')));
    c.bench_function("cursor key + render, 1M rows", |b| {
        b.iter(|| {
            update(&mut app, key(KeyCode::Char('j')));
            terminal.draw(|frame| render(&app, frame)).expect("draw");
        })
    });

    update(&mut app, key(KeyCode::Char('/')));
    c.bench_function("filter keystroke over 1M, label ('c')", |b| {
        b.iter_custom(|iters| one_keystroke(&mut app, "c", iters))
    });
    // No label holds an 'f': every row's ID is searched.
    c.bench_function("filter keystroke over 1M, ID fragment ('f')", |b| {
        b.iter_custom(|iters| one_keystroke(&mut app, "f", iters))
    });
    // 'f' leaves most rows visible; the second key formats each of their IDs.
    c.bench_function(
        "filter keystroke over 1M, ID fragment, second key ('fa')",
        |b| b.iter_custom(|iters| one_keystroke(&mut app, "fa", iters)),
    );
    update(&mut app, key(KeyCode::Esc));

    // Forgetting and adding leave every other row where it is: no re-indexing, no rescan.
    // (Before any engine event: a deleted row under the cursor could not be forgotten.)
    update(&mut app, key(KeyCode::Char('g')));
    c.bench_function("x y: forget the current row, 1M rows", |b| {
        b.iter(|| {
            update(&mut app, key(KeyCode::Char('x')));
            let effects = update(&mut app, key(KeyCode::Char('y')));
            assert!(
                matches!(&effects[..], [Effect::Edit(Edit::Forget(_))]),
                "a row was forgotten"
            );
            effects
        })
    });
    let mut n = ROWS;
    c.bench_function("a, paste, Enter: add one new ID, 1M rows", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                update(&mut app, key(KeyCode::Char('a')));
                update(&mut app, Msg::Paste(id(n).to_string()));
                let start = Instant::now();
                let effects = update(&mut app, key(KeyCode::Enter));
                timed += start.elapsed();
                assert!(
                    matches!(&effects[..], [Effect::Edit(Edit::Add { .. })]),
                    "an ID was added"
                );
            }
            timed
        })
    });

    let events: Vec<Msg> = (0..100_000u128).map(finished).collect();
    c.bench_function("apply 100k engine events, 1M rows", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                for msg in events {
                    black_box(update(&mut app, msg));
                }
            },
            BatchSize::LargeInput,
        )
    });

    drop(app);
    bulk(c);
    let mut group = c.benchmark_group("start-up");
    group.sample_size(10);
    let now = Timestamp::from_second(1_790_003_600).expect("valid timestamp");
    group.bench_function("App::new (rows and index) with 1M known videos", |b| {
        b.iter_batched(
            || videos(ROWS),
            |videos| black_box(App::new(videos, Settings::default(), now)),
            BatchSize::LargeInput,
        )
    });
    group.bench_function(
        "ListLoaded: the end of a 1M-row list on the UI thread (the loader built the index)",
        |b| {
            b.iter_batched(
                || {
                    let mut app = App::awaiting_list(Settings::default(), now);
                    app.append_rows(videos(ROWS).into_iter().collect());
                    let index = IdIndex::build(app.rows());
                    let end = Msg::ListLoaded {
                        index,
                        pending: Vec::new(),
                    };
                    (app, end)
                },
                |(mut app, end)| {
                    black_box(update(&mut app, end));
                    app
                },
                BatchSize::LargeInput,
            )
        },
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let paths = Paths::in_dir(dir.path());
    let all = videos(ROWS);
    let ids: Vec<VideoId> = all.iter().map(|video| video.id).collect();
    let mut store = Store::open(&paths).expect("store");
    let label = all[0].label.as_deref();
    store
        .add(&ids, &Details::default(), label, all[0].added_at)
        .expect("add 1M videos");
    drop((all, ids, store));
    // What the first screen waits for: opening the store and reading its first rows.
    group.bench_function("the first row of a 1M-video store", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let mut first = None;
                let mut watcher = Watcher::open(&paths).expect("open");
                watcher
                    .load(|row| {
                        first.get_or_insert_with(|| start.elapsed());
                        black_box(row.id);
                    })
                    .expect("load");
                total += first.expect("a row");
            }
            total
        })
    });
    group.bench_function(
        "all of a 1M-video store, as the app's loader reads it",
        |b| {
            b.iter(|| {
                let mut rows = Rows::default();
                let mut watcher = Watcher::open(&paths).expect("open");
                watcher.load(|row| rows.push(row)).expect("load");
                black_box(rows)
            })
        },
    );
    group.finish();
}

/// A million rows at once: marking them all, the confirmation for all of them, and the
/// grace countdown ending (every row queued). Each starts from a fresh million-row app.
fn bulk(c: &mut Criterion) {
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);
    let later = Timestamp::from_second(1_790_003_660).expect("valid timestamp");
    let marked = || sent(app(), [ctrl('a')]);
    let all_marked = |app: &App, _: &[Effect]| assert_eq!(app.marks().count(), ROWS as usize);
    let unchecked = |_: &App, _: &[Effect]| {};
    time_one(
        &mut group,
        "Ctrl-a: mark 1M rows",
        app,
        || ctrl('a'),
        all_marked,
    );
    time_one(
        &mut group,
        "Ctrl-a: mark 1M rows, 11k of them protected",
        railed_app,
        || ctrl('a'),
        |app, _| assert_eq!(app.marks().count(), 988_700),
    );
    time_one(
        &mut group,
        "i: invert the marks of 1M rows",
        app,
        || key(KeyCode::Char('i')),
        all_marked,
    );
    time_one(
        &mut group,
        "R: mark again every failed row of 1M",
        app,
        || key(KeyCode::Char('R')),
        unchecked,
    );
    time_one(
        &mut group,
        "Esc: clear a filter, 1M rows shown again",
        || {
            sent(
                app(),
                "/fa"
                    .chars()
                    .map(|c| key(KeyCode::Char(c)))
                    .chain([key(KeyCode::Enter)]),
            )
        },
        || key(KeyCode::Esc),
        |app, _| assert_eq!(app.visible().len(), ROWS as usize),
    );
    time_one(
        &mut group,
        "d: the confirmation for 1M marked rows",
        marked,
        || key(KeyCode::Char('d')),
        unchecked,
    );
    time_one(
        &mut group,
        "d: the confirmation for 989k marked rows, checked against the rails",
        || sent(railed_app(), [ctrl('a')]),
        || key(KeyCode::Char('d')),
        unchecked,
    );
    time_one(
        &mut group,
        "the grace countdown ends: 1M rows queued",
        || {
            let typed = ROWS
                .to_string()
                .chars()
                .map(|c| key(KeyCode::Char(c)))
                .collect::<Vec<_>>();
            sent(
                marked(),
                [key(KeyCode::Char('d'))]
                    .into_iter()
                    .chain(typed)
                    .chain([key(KeyCode::Enter)]),
            )
        },
        || Msg::Tick(later),
        |_, effects| assert_eq!(effects.len(), 1, "the batch goes to the engine"),
    );
    // What the pipeline does with that batch before the engine gets it (on its own thread,
    // not the UI's): queues it in the store, resumable.
    let ids: Vec<VideoId> = (0..ROWS).map(id).collect();
    group.bench_function(
        "the batch queued in the store, 1M IDs (the pipeline's thread)",
        |b| {
            b.iter_batched(
                || {
                    // A fresh store each time: no batch left from the last iteration.
                    let folder = tempfile::tempdir().expect("temp dir");
                    let store = Store::open(&Paths::in_dir(folder.path())).expect("store");
                    (folder, store)
                },
                |(folder, mut store)| {
                    store.enqueue(&ids).expect("queued");
                    (folder, store)
                },
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

/// Times `msg()` sent to a fresh app from `setup`, then checks what it did.
fn time_one(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    setup: impl Fn() -> App,
    msg: impl Fn() -> Msg,
    check: impl Fn(&App, &[Effect]),
) {
    group.bench_function(name, |b| {
        b.iter_batched(
            || (setup(), msg()),
            |(mut app, msg)| {
                let effects = update(&mut app, msg);
                check(&app, &effects);
                (app, effects)
            },
            BatchSize::LargeInput,
        )
    });
}

/// `app` after `msgs`.
fn sent(mut app: App, msgs: impl IntoIterator<Item = Msg>) -> App {
    for msg in msgs {
        update(&mut app, msg);
    }
    app
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The million videos of `support/deciding.rs`, an hour after they were added.
fn deciding_app() -> App {
    let now = deciding::added() + jiff::SignedDuration::from_hours(1);
    App::new(deciding::deciding_videos(), Settings::default(), now)
}

/// Times only the last key of a query: the rest is pasted into the filter line first (one
/// scan, not timed), and the line cleared after.
fn query_keystroke(app: &mut App, before: &str, last: char, iters: u64) -> Duration {
    let mut timed = Duration::ZERO;
    for _ in 0..iters {
        update(app, Msg::Paste(before.to_owned()));
        let start = Instant::now();
        update(app, key(KeyCode::Char(last)));
        black_box(app.visible().len());
        timed += start.elapsed();
        update(app, ctrl('u'));
    }
    timed
}

fn deciding(c: &mut Criterion) {
    let mut group = c.benchmark_group("deciding");
    group.sample_size(10);
    let mut app = deciding_app();
    // Each sort from list order, the cursor on a row in the middle.
    let keys = ["id", "label", "title", "created", "status"];
    for (presses, name) in keys.iter().enumerate() {
        group.bench_function(format!("s: sort 1M rows by {name}"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    for _ in 0..presses {
                        update(&mut app, key(KeyCode::Char('s')));
                    }
                    let start = Instant::now();
                    update(&mut app, key(KeyCode::Char('s')));
                    timed += start.elapsed();
                    // Round the cycle back to list order.
                    for _ in presses + 1..=keys.len() {
                        update(&mut app, key(KeyCode::Char('s')));
                    }
                }
                timed
            })
        });
    }
    for _ in 0..3 {
        update(&mut app, key(KeyCode::Char('s')));
    }
    group.bench_function("S: reverse the sort by title, 1M rows", |b| {
        b.iter(|| update(&mut app, key(KeyCode::Char('S'))))
    });
    // title -> created -> status -> added.
    for _ in 0..3 {
        update(&mut app, key(KeyCode::Char('s')));
    }
    assert!(app.order().is_list_order(), "back in list order");
    update(&mut app, key(KeyCode::Char('/')));
    // The slowest keys: each scans every row (a negated term typed on widens; a query after
    // one that did not parse starts from every row).
    let queries = [
        (
            "age>30d -status:forbidde",
            'n',
            "two terms, negated: every row",
        ),
        (
            "status:",
            'f',
            "after a query that did not parse: every row",
        ),
        (
            "title:\"untitled video 2024-05-01 #1",
            '"',
            "a quote closed: every row's title",
        ),
        ("-ta", 'k', "negated text: every label, title and ID"),
        ("tak", 'e', "text on from tak: the rows shown"),
    ];
    for (before, last, what) in queries {
        group.bench_function(format!("query key over 1M: {before}{last} ({what})"), |b| {
            b.iter_custom(|iters| query_keystroke(&mut app, before, last, iters))
        });
    }
    update(&mut app, key(KeyCode::Esc));
    group.finish();
}

criterion_group!(tui, benches);
criterion_group!(decide, deciding);
criterion_group!(sync, sync_merging::sync_merging);
criterion_main!(tui, decide, sync);
