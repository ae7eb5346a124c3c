//! Render tests: the screens a user sees, drawn into a `TestBackend` and compared with
//! reviewed insta snapshots. Time is the model's fixed "now", so snapshots never drift.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use super::{Palette, render};
use crate::store::KnownVideo;
use crate::tui::update::tests::*;

mod columns;
mod confirm_lists;
mod generation;
mod history_titles;
mod hostile;
mod key_waits;
mod synced;

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    terminal
}

fn sized(mut a: App, width: u16, height: u16) -> App {
    send(&mut a, [Msg::Resize { width, height }]);
    a
}

fn outcome(kind: OutcomeKind, status: u16, code: &str, message: &str) -> Outcome {
    Outcome {
        kind,
        status: Some(status),
        error_code: Some(code.into()),
        message: Some(message.into()),
        request_id: Some(format!("req_{status}")),
        attempts: 1,
    }
}

/// Ten rows, one in each status, mid-batch and rate limited.
fn batch_with_every_status(width: u16, height: u16) -> App {
    every_status_with(Settings::default(), width, height)
}

/// As `batch_with_every_status`, with these settings (and a key set).
fn every_status_with(settings: Settings, width: u16, height: u16) -> App {
    let settings = Settings {
        key_configured: true,
        ..settings
    };
    let mut a = sized(app_with(12, settings), width, height);
    let ids: Vec<_> = (0..10).map(id).collect();
    let engine = |e| Msg::Engine(e);
    send(&mut a, [engine(Event::Queued { ids })]);
    send(
        &mut a,
        [engine(Event::Started {
            id: id(1),
            attempt: 1,
        })],
    );
    send(
        &mut a,
        [engine(Event::Retrying {
            id: id(2),
            attempt: 2,
            wait: Duration::from_secs(8),
            reason: "HTTP 503".into(),
        })],
    );
    let done = [
        (
            3,
            Outcome {
                status: Some(204),
                attempts: 1,
                ..Outcome::unsent(OutcomeKind::Deleted)
            },
        ),
        (
            4,
            outcome(
                OutcomeKind::NotFound,
                404,
                "VIDEO_NOT_FOUND",
                "Video not found",
            ),
        ),
        (
            5,
            outcome(
                OutcomeKind::Processing,
                400,
                "VIDEO_IN_PROCESSING",
                "Video is processing",
            ),
        ),
        (
            6,
            outcome(OutcomeKind::Forbidden, 403, "FORBIDDEN", "Not your video"),
        ),
        (
            7,
            outcome(
                OutcomeKind::Unauthorized,
                401,
                "UNAUTHORIZED",
                "Invalid API key",
            ),
        ),
        (
            8,
            Outcome {
                attempts: 5,
                ..outcome(OutcomeKind::Failed, 500, "INTERNAL", "Server error")
            },
        ),
        (9, Outcome::unsent(OutcomeKind::Cancelled)),
    ];
    for (n, outcome) in done {
        send(&mut a, [engine(Event::Finished { id: id(n), outcome })]);
    }
    send(&mut a, [Msg::Tick(at(6.0))]);
    send(
        &mut a,
        [engine(Event::Paused(Pause::RateLimited {
            resume_in: Duration::from_secs(12),
            waiting_for: RateWait::RetryAfter,
        }))],
    );
    send(&mut a, [ch('G'), ch(' ')]);
    a
}

#[test]
fn empty_list_shows_how_to_import() {
    insta::assert_snapshot!(draw(&app(0), 80, 24).backend());
}

#[test]
fn a_list_still_being_read() {
    let mut a = App::awaiting_list(Settings::default(), at(0.0));
    assert!(
        draw(&a, 80, 24)
            .backend()
            .to_string()
            .contains("Reading the list…"),
        "the first screen shows before any row"
    );
    let videos = (0..3).map(|n| KnownVideo {
        id: id(n),
        added_at: at(-90.0),
        label: Some("june import".into()),
        details: None,
        last: None,
    });
    send(&mut a, [Msg::ListChunk(videos.collect())]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn marked_rows() {
    let mut a = app(30);
    send(
        &mut a,
        [ch(' '), ch(' '), ch('j'), ch(' '), ch('j'), ch('j')],
    );
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn filter_prompt_with_marks_hidden_by_it() {
    let mut a = app(30);
    send(&mut a, [ch(' '), ch(' '), ch('/')]);
    send(&mut a, typed(r#""clip 2""#));
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn confirm_modal_small() {
    let mut a = app(30);
    send(&mut a, [ch(' '), ch(' '), ch('/')]);
    send(&mut a, typed(r#""clip 2""#));
    send(&mut a, [press(KeyCode::Enter), ch(' '), ch('d')]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn confirm_modal_type_the_count() {
    let mut a = app(120);
    send(&mut a, [ctrl('a'), ch('d'), ch('1'), ch('2')]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

/// A profile `production`, read-only or not, protecting "clip 3" and whatever `rule` says
/// by rules, and row 1 by ID.
fn production(rows: u128, read_only: bool, confirm_by_name: bool, rule: &str) -> App {
    use crate::rails::{ProtectRule, Rails, Settings as RailSettings};
    let rails = RailSettings {
        profile: Some("production".into()),
        read_only,
        confirm_by_name,
        rules: ["label:\"clip 3\"", rule]
            .into_iter()
            .map(|rule| ProtectRule::parse(rule).unwrap())
            .collect(),
        ..RailSettings::default()
    };
    app_with(
        rows,
        Settings {
            profile: Some("production".into()),
            rails: Rails::new(rails, [id(1)].into_iter().collect()),
            key_configured: true,
            ..Settings::default()
        },
    )
}

#[test]
fn protected_rows_carry_the_lock_and_the_header_names_the_profile() {
    let mut a = production(8, true, false, "title:final");
    send(&mut a, [ctrl('a')]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn confirm_by_name_says_how_many_were_left_out_protected() {
    // Rows 0 and 2 are marked, then protected by `added>2h` as time passes: the
    // confirmation leaves them out; rows 4 and 5, added since, go.
    let mut a = production(4, false, true, "added>2h");
    send(&mut a, [ctrl('a'), Msg::Tick(at(7_200.0))]);
    a.add(vec![id(4), id(5)], Some("new take".into()));
    send(
        &mut a,
        [press(KeyCode::End), ch(' '), ch('k'), ch(' '), ch('d')],
    );
    send(&mut a, typed("prod"));
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn a_batch_over_the_limit_is_refused() {
    let mut a = app_with(
        8,
        Settings {
            rails: crate::rails::Rails::new(
                crate::rails::Settings {
                    max_delete: Some(5),
                    ..crate::rails::Settings::default()
                },
                Default::default(),
            ),
            ..Settings::default()
        },
    );
    send(&mut a, [ctrl('a'), ch('d')]);
    let screen = draw(&a, 80, 24);
    // Issue 21 B8: the box was sized by its lines before wrapping, which cut off this one.
    assert!(
        format!("{:?}", screen.backend()).contains("Esc close: nothing was sent"),
        "the key that closes it is shown"
    );
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn grace_countdown() {
    let mut a = app(10);
    send(
        &mut a,
        [ch(' '), ch(' '), ch('d'), ch('y'), Msg::Tick(at(1.2))],
    );
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn batch_with_every_status_80x24() {
    insta::assert_snapshot!(draw(&batch_with_every_status(80, 24), 80, 24).backend());
}

#[test]
fn batch_with_every_status_120x24() {
    insta::assert_snapshot!(draw(&batch_with_every_status(120, 24), 120, 24).backend());
}

#[test]
fn batch_at_60x20() {
    insta::assert_snapshot!(draw(&batch_with_every_status(60, 20), 60, 20).backend());
}

#[test]
fn help() {
    let mut a = app(5);
    send(&mut a, [ch('?')]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn help_scrolled_to_its_end() {
    let mut a = app(5);
    send(&mut a, [ch('?'), ch('G')]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn the_help_and_the_footer_show_rebound_keys() {
    let bindings = [crate::config::KeyBinding {
        action: "delete".into(),
        line: 2,
        keys: vec![("D".into(), 2)],
    }];
    let settings = Settings {
        keymap: crate::tui::Keymap::with_bindings(&bindings).unwrap(),
        ..Settings::default()
    };
    let mut a = sized(app_with(5, settings), 80, 30);
    send(&mut a, [ch('?')]);
    let screen = draw(&a, 80, 30).backend().to_string();
    assert!(
        screen.contains("│ D             delete marked rows (or the current one)"),
        "{screen}"
    );
    assert!(screen.contains("  D delete  "), "the footer: {screen}");
}

#[test]
fn every_help_line_fits_in_the_help() {
    let a = app(1);
    for action in crate::tui::keymap::Action::ALL {
        let spec = action.spec();
        let width = 14 + a.keymap().describe(spec).chars().count();
        assert!(width <= 74, "{}: {width} cells", spec.name);
    }
}

#[test]
fn key_prompt_after_a_401_is_masked() {
    let mut a = batch_with_every_status(80, 24);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    send(&mut a, typed("sk-SECRET"));
    send(&mut a, [press(KeyCode::Tab)]);
    let terminal = draw(&a, 80, 24);
    assert!(!format!("{}", terminal.backend()).contains("SECRET"));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_halted_batch_shows_a_banner_with_its_cause_and_keys() {
    let mut a = batch_with_every_status(100, 24);
    let wrong = HaltCause::WrongBaseUrl {
        base_url: "https://api.elytron.com/v2".into(),
        answer: "answered 404 without VIDEO_NOT_FOUND (the answer was an HTML page)".into(),
    };
    send(
        &mut a,
        [Msg::Engine(Event::Paused(Pause::Halted(Halt {
            cause: wrong,
            retry_in: None,
        })))],
    );
    insta::assert_snapshot!(draw(&a, 100, 24).backend());
    let unreachable = HaltCause::Unreachable {
        detail: "could not connect: connection refused".into(),
    };
    send(
        &mut a,
        [Msg::Engine(Event::Paused(Pause::Halted(Halt {
            cause: unreachable,
            retry_in: Some(Duration::from_secs(8)),
        })))],
    );
    let screen = format!("{}", draw(&a, 100, 24).backend());
    assert!(
        screen.contains("halted, next try in 8s · r retry now · Ctrl-c cancel"),
        "{screen}"
    );
}

#[test]
fn key_prompt_when_no_key_was_ever_set() {
    let mut a = app(2);
    send(&mut a, [ch('d'), ch('y'), Msg::Tick(at(3.0))]);
    send(&mut a, [Msg::Engine(Event::Queued { ids: vec![id(0)] })]);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn detail_panel() {
    let mut a = batch_with_every_status(80, 24);
    send(
        &mut a,
        [
            ch('g'),
            ch('j'),
            ch('j'),
            ch('j'),
            ch('j'),
            ch('j'),
            press(KeyCode::Enter),
        ],
    );
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn history_view_newest_first() {
    let mut a = app(3);
    send(&mut a, [ch('H')]);
    let entries = vec![
        history_entry(3, OutcomeKind::NotFound),
        history_entry(2, OutcomeKind::Forbidden),
        HistoryEntry::new(
            at(-60.0),
            id(1),
            &Outcome {
                status: Some(204),
                attempts: 1,
                ..Outcome::unsent(OutcomeKind::Deleted)
            },
            None,
        ),
    ];
    send(&mut a, [Msg::HistoryLoaded(entries)]);
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn add_ids_prompt_counts_what_it_found() {
    let mut a = app(3);
    send(
        &mut a,
        [Msg::Paste(format!("{}\n{}\nnot an id", id(1), id(42)))],
    );
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn pasted_carriage_returns_show_as_line_breaks_not_raw() {
    let mut a = app(3);
    // What tmux sends for a pasted two-line list: lines ended by a bare carriage return.
    send(&mut a, [Msg::Paste(format!("{}\r{}\r", id(1), id(42)))]);
    let screen = draw(&a, 80, 24).backend().to_string();
    assert!(!screen.contains('\r'), "{screen:?}");
    assert!(screen.contains("000000000001⏎550e8400"), "{screen}");
    assert!(screen.contains("Found 2 ID(s), 1 new."), "{screen}");
}

#[test]
fn the_key_field_stays_masked_wherever_its_cursor_is() {
    let mut a = app(1);
    send(&mut a, [ch('K')]);
    send(&mut a, typed("sk-SECRET"));
    send(
        &mut a,
        [
            press(KeyCode::Left),
            press(KeyCode::Left),
            press(KeyCode::Home),
        ],
    );
    let screen = draw(&a, 80, 24).backend().to_string();
    assert!(screen.contains("Key: •••••••••"), "{screen}");
    for part in ["sk", "SECRET", "S", "T"] {
        assert!(
            !screen
                .lines()
                .any(|l| l.contains("Key:") && l.contains(part)),
            "{part}: {screen}"
        );
    }
}

#[test]
fn no_color_draws_no_colour_at_all() {
    let no_color = Settings {
        no_color: true,
        ..Settings::default()
    };
    let terminal = draw(&every_status_with(no_color, 80, 24), 80, 24);
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    let coloured = draw(&batch_with_every_status(80, 24), 80, 24);
    assert!(
        coloured
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != Color::Reset)
    );
}

/// `max_rate` shows beside the rate while a batch runs, so the user sees why it is not faster.
#[test]
fn the_gauge_shows_the_rate_cap_beside_the_rate() {
    let capped = Settings {
        max_rate: "20".parse().ok(),
        ..Settings::default()
    };
    let terminal = draw(&every_status_with(capped, 120, 24), 120, 24);
    let gauge: String = (0..120)
        .map(|x| terminal.backend().buffer()[(x, 23)].symbol().to_owned())
        .collect();
    assert!(gauge.contains("1.2/s (cap 20/s)"), "{gauge}");
}

/// The user's pause shows on the gauge with the key that resumes, and rows waiting to be
/// sent say `paused` (the one on the wire still says `deleting`).
#[test]
fn a_paused_batch_says_so_on_the_gauge_and_on_its_waiting_rows() {
    let mut a = sized(app(3), 100, 12);
    send(
        &mut a,
        [Msg::Engine(Event::Queued {
            ids: (0..3).map(id).collect(),
        })],
    );
    send(
        &mut a,
        [Msg::Engine(Event::Started {
            id: id(0),
            attempt: 1,
        })],
    );
    send(
        &mut a,
        [Msg::Engine(Event::Paused(Pause::ByUser { in_flight: 1 }))],
    );
    let terminal = draw(&a, 100, 12);
    let text: Vec<String> = (0..12)
        .map(|y| {
            (0..100)
                .map(|x| terminal.backend().buffer()[(x, y)].symbol().to_owned())
                .collect()
        })
        .collect();
    let row = |n: u128| {
        let id = id(n).to_string();
        text.iter()
            .find(|line| line.contains(&id))
            .cloned()
            .unwrap_or_default()
    };
    assert!(row(0).contains("deleting"), "{text:#?}");
    assert!(
        row(1).contains("paused") && row(2).contains("paused"),
        "{text:#?}"
    );
    assert!(text[11].contains("paused (P resumes)"), "{text:#?}");
}

#[test]
fn tiny_terminals_never_panic() {
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (59, 19)] {
        for mut a in [batch_with_every_status(w, h), app(0)] {
            send(
                &mut a,
                [Msg::Resize {
                    width: w,
                    height: h,
                }],
            );
            draw(&a, w, h);
            send(&mut a, [ch('d')]);
            draw(&a, w, h);
            send(&mut a, [press(KeyCode::Esc), ch('?')]);
            draw(&a, w, h);
        }
    }
}

/// Eight videos of one import with titles and creation times (two without either), the
/// second of which a delete found forbidden; 100 days after the first was made.
fn with_details(width: u16, height: u16) -> App {
    use crate::store::{LastOutcome, VideoDetails};
    const DAY: f64 = 86_400.0;
    let titles = [
        Some("Final cut, take 3"),
        Some("Someone else's trailer"),
        Some("Draft render"),
        None,
        Some("Intro — première prise"),
        Some("B-roll of the harbour at dawn, long version"),
        None,
        Some("Storyboard v2"),
    ];
    let videos = titles.iter().enumerate().map(|(n, title)| {
        let mut video = KnownVideo::new(id(n as u128), at(-2.0 * DAY), Some("june".into()));
        if title.is_some() {
            video.fill_details(&VideoDetails {
                title: title.map(Into::into),
                created_at: Some(at(-DAY * (100.0 - 13.0 * n as f64))),
                ..Default::default()
            });
        }
        if n == 1 {
            video.last = Some(Box::new(LastOutcome {
                outcome: outcome(OutcomeKind::Forbidden, 403, "FORBIDDEN", "Not yours"),
                at: at(-DAY),
            }));
        }
        video
    });
    sized(
        App::new(videos, Settings::default(), at(0.0)),
        width,
        height,
    )
}

#[test]
fn titles_and_creation_times_as_columns_120x24() {
    insta::assert_snapshot!(draw(&with_details(120, 24), 120, 24).backend());
}

#[test]
fn sorted_by_creation_time_newest_first_80x24() {
    let mut a = with_details(80, 24);
    // added -> id -> label -> title -> created, then the other way round.
    send(
        &mut a,
        [ch('j'), ch('s'), ch('s'), ch('s'), ch('s'), ch('S')],
    );
    let screen = draw(&a, 80, 24);
    insta::assert_snapshot!(screen.backend());
    assert_eq!(
        a.current_row().unwrap().id,
        id(1),
        "the cursor stays on its video"
    );
}

#[test]
fn a_query_that_does_not_parse_shows_its_error_in_the_filter_line() {
    let mut a = with_details(80, 24);
    send(&mut a, [ch('/')]);
    send(&mut a, typed("age>30d stauts:forbidden"));
    insta::assert_snapshot!(draw(&a, 80, 24).backend());
}

#[test]
fn a_query_picks_old_videos_not_refused() {
    let mut a = with_details(100, 16);
    send(&mut a, [ch('/')]);
    send(&mut a, typed("age>30d -status:forbidden"));
    send(&mut a, [press(KeyCode::Enter)]);
    insta::assert_snapshot!(draw(&a, 100, 16).backend());
}

#[test]
fn only_the_marked_rows() {
    let mut a = with_details(80, 16);
    send(
        &mut a,
        [ch(' '), ch('j'), ch(' '), ch('j'), ch(' '), ch('M')],
    );
    insta::assert_snapshot!(draw(&a, 80, 16).backend());
}

#[test]
fn the_export_prompt() {
    let mut a = with_details(80, 16);
    send(&mut a, [ch(' '), ch(' '), ch('e')]);
    send(&mut a, typed("~/marked.txt"));
    insta::assert_snapshot!(draw(&a, 80, 16).backend());
}

#[test]
fn the_history_searched_with_an_entry_selected() {
    let mut a = app(6);
    send(&mut a, [ch('H')]);
    let kinds = [
        OutcomeKind::Forbidden,
        OutcomeKind::NotFound,
        OutcomeKind::Forbidden,
        OutcomeKind::Failed,
        OutcomeKind::Forbidden,
    ];
    let entries = kinds
        .iter()
        .enumerate()
        .map(|(n, kind)| history_entry(n as u128 + 1, *kind))
        .collect();
    send(&mut a, [Msg::HistoryLoaded(entries), ch('/')]);
    send(&mut a, typed("not your"));
    send(&mut a, [press(KeyCode::Enter), ch('j')]);
    insta::assert_snapshot!(draw(&a, 80, 20).backend());
}

#[test]
fn g_while_the_list_loads_follows_its_end() {
    let mut a = App::awaiting_list(Settings::default(), at(0.0));
    let chunk = |range: std::ops::Range<u128>| {
        Msg::ListChunk(
            range
                .map(|n| KnownVideo::new(id(n), at(-90.0), Some("june import".into())))
                .collect(),
        )
    };
    send(&mut a, [chunk(0..5), ch('G'), chunk(5..40)]);
    insta::assert_snapshot!(draw(&a, 80, 12).backend());
}

#[test]
fn the_export_asks_before_replacing_a_file() {
    let mut a = sized(app(4), 72, 12);
    send(
        &mut a,
        [ch(' '), ch(' '), Msg::ExportWouldReplace("ids.txt".into())],
    );
    insta::assert_snapshot!(draw(&a, 72, 12).backend());
}

/// Issue 21 B8: a creation time in the future (a wrong clock, an edited export) showed as
/// `0s`, the age of a video made this instant.
#[test]
fn a_creation_time_in_the_future_says_so() {
    use crate::store::VideoDetails;
    let mut video = KnownVideo::new(id(1), at(-60.0), None);
    video.fill_details(&VideoDetails {
        title: Some("from the future".into()),
        created_at: Some(at(3.0 * 86_400.0 + 5.0)),
        ..Default::default()
    });
    let a = sized(App::new([video], Settings::default(), at(0.0)), 120, 6);
    let screen = draw(&a, 120, 6);
    let row = format!("{:?}", screen.backend())
        .lines()
        .find(|line| line.contains("from the future"))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(row.contains(" in 3d "), "{row}");
    assert!(!row.contains(" 0s "), "{row}");
}

/// Issue 21 B8: a wrong typed count did nothing and said nothing.
#[test]
fn a_wrong_count_is_said_in_the_confirmation() {
    let mut a = app(120);
    send(
        &mut a,
        [ctrl('a'), ch('d'), ch('1'), ch('2'), press(KeyCode::Enter)],
    );
    let screen = format!("{:?}", draw(&a, 80, 24).backend());
    assert!(
        screen.contains("12 is not 120: nothing was sent. Type 120 exactly."),
        "{screen}"
    );
    assert!(screen.contains("Esc cancel"), "{screen}");
}

/// Issue 21 B8: the demo's header looked like a real account's (`default @ 127.0.0.1`).
#[test]
fn the_demo_says_so_in_the_header() {
    let settings = Settings {
        demo: true,
        profile: Some("default".into()),
        account_host: "127.0.0.1".into(),
        key_configured: true,
        ..Settings::default()
    };
    let a = sized(app_with(3, settings), 80, 10);
    let screen = format!("{:?}", draw(&a, 80, 10).backend());
    let header = screen
        .lines()
        .find(|line| line.contains(" elytron-tui "))
        .unwrap_or_default();
    assert!(
        header.contains("elytron-tui │ DEMO: nothing real is deleted │ 127.0.0.1 │ key set"),
        "{header}"
    );
    assert!(!header.contains("default @"), "{header}");
}

/// Each cell's foreground as one character (`.` none), beside the text: what a theme
/// snapshot compares.
fn colour_map(buffer: &ratatui::buffer::Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let cells = buffer.content();
    let mut map = String::new();
    for row in cells.chunks(width) {
        let text: String = row.iter().map(|cell| cell.symbol()).collect();
        let colours: String = row
            .iter()
            .map(|cell| match cell.fg {
                Color::Reset => '.',
                Color::Red => 'r',
                Color::Green => 'g',
                Color::Yellow => 'y',
                Color::Blue => 'b',
                Color::Magenta => 'm',
                Color::Cyan => 'c',
                Color::Rgb(..) => '#',
                Color::Indexed(_) => 'i',
                _ => '?',
            })
            .collect();
        map.push_str(&format!("{text}|\n{colours}|\n"));
    }
    map
}

/// Issue 21 B7: `[theme]` gives statuses, marks and the header colours of the user's; the
/// parts it leaves keep theirs, and `NO_COLOR` still wins over all of it.
#[test]
fn a_theme_colours_statuses_marks_and_the_header() {
    use crate::config::ThemeColour;
    let entry = |part: &str, colour: &str| ThemeColour {
        part: part.into(),
        colour: colour.into(),
        line: 1,
    };
    let palette = Palette::read(&[
        entry("header", "blue"),
        entry("marked", "#ff8800"),
        entry("deleted", "magenta"),
        entry("forbidden", "208"),
        entry("cancelled", "yellow"),
    ])
    .unwrap();
    let themed = Settings {
        palette: palette.clone(),
        ..Settings::default()
    };
    let terminal = draw(&every_status_with(themed, 80, 24), 80, 24);
    insta::assert_snapshot!(colour_map(terminal.backend().buffer()));
    let no_color = Settings {
        palette,
        no_color: true,
        ..Settings::default()
    };
    let terminal = draw(&every_status_with(no_color, 80, 24), 80, 24);
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}
