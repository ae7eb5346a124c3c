//! Text from outside with terminal controls, bidi overrides and zero-width characters in it,
//! drawn in every place the app shows such text: each shows as its printable escape, and no
//! cell holds a hidden character (nor needed `scrub`'s `�`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::scrub;
use super::*;
use crate::printable::is_hidden;
use crate::rails::{ProtectRule, Rails, Settings as RailSettings};
use crate::store::LastOutcome;

const OSC_TITLE: &str = "\u{1b}]0;pwned\u{7}";
const OSC_SHOWN: &str = "\\x1b]0;pwned\\x07";
const CLEAR: &str = "\u{1b}[2J";
const CLEAR_SHOWN: &str = "\\x1b[2J";
const RLO: char = '\u{202e}';
const RLO_SHOWN: &str = "\\u{202e}";

/// The screen's text, row by row, exactly as the cells hold it.
fn screen(app: &App, width: u16, height: u16) -> String {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..height {
        for x in 0..width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// No hidden character on `screen` (nor `scrub`'s `�`), and each of `escaped` on it.
fn assert_shown(screen: &str, escaped: &[String]) {
    assert_nothing_hidden(screen);
    for text in escaped {
        assert!(screen.contains(text), "{text} is not on screen:\n{screen}");
    }
}

fn assert_nothing_hidden(screen: &str) {
    assert!(
        !screen.chars().any(|c| is_hidden(c) && c != '\n'),
        "a hidden character reached the screen:\n{screen}"
    );
    assert!(
        !screen.contains('\u{fffd}'),
        "a view drew raw text:\n{screen}"
    );
}

/// A profile whose name, host and protect rule carry controls, over two videos: one whose
/// label and title do, and whose last delete the server answered with them in its code,
/// message and request id; one the rule protects.
fn hostile_app() -> App {
    let rule = format!("label:lock{RLO}ed");
    let rails = RailSettings {
        profile: Some(format!("prod{RLO}")),
        rules: vec![ProtectRule::parse(&rule).unwrap()],
        ..RailSettings::default()
    };
    let settings = Settings {
        profile: Some(format!("prod{RLO}")),
        account_host: format!("host{CLEAR}"),
        rails: Rails::new(rails, Default::default()),
        key_configured: true,
        ..Settings::default()
    };
    let mut answered = KnownVideo::new(id(0), at(-60.0), Some(format!("lab{OSC_TITLE}el").into()));
    answered.fill_details(&crate::store::VideoDetails {
        title: Some(format!("tit{RLO}le\u{200b}{CLEAR}").into()),
        created_at: None,
        ..Default::default()
    });
    answered.last = Some(Box::new(LastOutcome {
        outcome: Outcome {
            kind: OutcomeKind::NotFound,
            status: Some(404),
            error_code: Some(format!("CODE{CLEAR}")),
            message: Some(format!("gone{RLO}{OSC_TITLE}")),
            request_id: Some(format!("req{OSC_TITLE}")),
            attempts: 1,
        },
        at: at(-30.0),
    }));
    let locked = KnownVideo::new(id(1), at(-60.0), Some(format!("lock{RLO}ed").into()));
    sized(App::new([answered, locked], settings, at(0.0)), 200, 24)
}

#[test]
fn labels_titles_the_servers_words_and_the_config_show_escaped_in_the_table() {
    let mut a = hostile_app();
    a.set_notice(format!("could not write {OSC_TITLE}.txt"));
    let shown = screen(&a, 200, 24);
    assert_shown(
        &shown,
        &[
            format!("lab{OSC_SHOWN}el"),
            format!("tit{RLO_SHOWN}le\\u{{200b}}{CLEAR_SHOWN}"),
            format!("CODE{CLEAR_SHOWN}: gone{RLO_SHOWN}{OSC_SHOWN}"),
            format!("lock{RLO_SHOWN}ed"),
            format!("protected: label:lock{RLO_SHOWN}ed"),
            format!("prod{RLO_SHOWN} @ host{CLEAR_SHOWN}"),
            format!("could not write {OSC_SHOWN}.txt"),
        ],
    );
}

#[test]
fn the_detail_panel_shows_code_message_and_request_id_escaped() {
    let mut a = hostile_app();
    send(&mut a, [press(KeyCode::Enter)]);
    let shown = screen(&a, 200, 24);
    assert_shown(
        &shown,
        &[
            format!("lab{OSC_SHOWN}el"),
            format!("CODE{CLEAR_SHOWN}"),
            format!("gone{RLO_SHOWN}{OSC_SHOWN}"),
            format!("req{OSC_SHOWN}"),
        ],
    );
}

#[test]
fn the_history_and_a_halt_banner_show_the_servers_words_escaped() {
    let mut a = hostile_app();
    let answer = Outcome {
        kind: OutcomeKind::Forbidden,
        status: Some(403),
        error_code: Some(format!("NO{CLEAR}")),
        message: Some(format!("not{RLO}yours")),
        request_id: None,
        attempts: 1,
    };
    send(&mut a, [ch('H')]);
    let entry = HistoryEntry::new(at(-5.0), id(0), &answer, Some("api.elytron.com"));
    send(&mut a, [Msg::HistoryLoaded(vec![entry])]);
    let shown = screen(&a, 200, 24);
    assert_shown(&shown, &[format!("NO{CLEAR_SHOWN}: not{RLO_SHOWN}yours")]);

    send(&mut a, [press(KeyCode::Esc)]);
    a.add(vec![id(7)], None);
    send(&mut a, [Msg::Engine(Event::Queued { ids: vec![id(7)] })]);
    let cause = HaltCause::WrongBaseUrl {
        base_url: "https://api.elytron.com/v1".into(),
        answer: format!("answered 404 {OSC_TITLE}{RLO}"),
    };
    send(
        &mut a,
        [Msg::Engine(Event::Paused(Pause::Halted(Halt {
            cause,
            retry_in: None,
        })))],
    );
    let shown = screen(&a, 200, 24);
    assert_shown(&shown, &[format!("answered 404 {OSC_SHOWN}{RLO_SHOWN}")]);
}

#[test]
fn a_pasted_filter_and_a_profile_name_to_type_show_escaped() {
    let mut a = hostile_app();
    send(&mut a, [ch('/'), Msg::Paste(format!("lab{RLO}"))]);
    let shown = screen(&a, 200, 24);
    assert_nothing_hidden(&shown);
    assert!(shown.contains(&format!("/lab{RLO_SHOWN}")), "{shown}");
    send(&mut a, [press(KeyCode::Enter)]);
    let shown = screen(&a, 200, 24);
    assert!(
        shown.contains(&format!("filter: lab{RLO_SHOWN}")),
        "{shown}"
    );
}

#[test]
fn a_cell_a_view_drew_raw_shows_the_replacement_character() {
    let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
    buffer[(0, 0)].set_symbol("a\u{200d}");
    buffer[(1, 0)].set_symbol("b");
    buffer[(2, 0)].set_symbol("x\u{fe0f}");
    scrub(&mut buffer);
    let cells: Vec<&str> = (0..3).map(|x| buffer[(x, 0)].symbol()).collect();
    assert_eq!(cells, ["\u{fffd}", "b", "\u{fffd}"]);
}
