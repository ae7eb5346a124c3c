//! The one property that matters most: a DELETE is only ever sent for an ID that was in the
//! confirmation modal the user confirmed, whatever happens between confirming and sending.

use proptest::prelude::*;

use super::*;

/// Marks changed, filter changed, rows forgotten during the countdown: the batch is the
/// confirmed list, unchanged.
#[test]
fn enqueue_holds_exactly_the_confirmed_ids_whatever_changes_during_the_countdown() {
    let mut a = app(10);
    send(&mut a, [ch(' '), ch(' '), ch('/')]);
    send(&mut a, typed(r#""clip 9""#));
    send(&mut a, [press(KeyCode::Enter), ch(' '), ch('d')]);
    let Modal::Confirm(confirm) = &a.modal() else {
        panic!()
    };
    let confirmed = confirm.ids().to_vec();
    assert_eq!(confirmed, vec![id(0), id(1), id(9)]);
    assert_eq!(confirm.hidden, 2);
    send(&mut a, [ch('y')]);
    // Keys during the countdown do not reach the table.
    send(
        &mut a,
        [ctrl('a'), ch('i'), ch(' '), ch('x'), ch('y'), ch('d')],
    );
    send(&mut a, [Msg::Paste(id(5).to_string())]);
    assert!(matches!(a.modal(), Modal::Grace(_)));
    let effects = send(&mut a, [Msg::Tick(at(3.0))]);
    assert_eq!(enqueued(&effects), vec![confirmed]);
    assert_eq!(effects.len(), 1);
}

#[test]
fn pasted_text_never_confirms() {
    let mut a = app_with(3, no_grace());
    send(&mut a, [ch('d'), Msg::Paste("y\n".into())]);
    assert!(matches!(a.modal(), Modal::Confirm(_)));
    let mut a = app_with(
        3,
        Settings {
            confirm_threshold: 1,
            ..no_grace()
        },
    );
    let effects = send(&mut a, [ch('d'), Msg::Paste("1\n".into())]);
    assert!(matches!(a.modal(), Modal::Confirm(c) if c.typed.is_empty()));
    assert_eq!(effects, vec![]);
}

/// Issue 17: `/`, `age>30x`, Enter, Ctrl-a, d offered every video. A query that does not
/// parse shows no row, Enter does not leave it, and nothing can be marked through it.
#[test]
fn a_filter_that_does_not_parse_marks_and_deletes_nothing() {
    let mut a = app_with(5, no_grace());
    send(&mut a, [ch('/')]);
    send(&mut a, typed("age>30x"));
    assert!(a.filter_error().is_some());
    assert!(
        a.visible().is_empty(),
        "no row shows while it does not parse"
    );
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert!(
        a.filter_line().is_some(),
        "Enter does not keep a filter that does not parse"
    );
    assert_eq!(effects, vec![]);
    // What was the issue's Ctrl-a, d: neither marks nor opens a confirmation.
    let effects = send(&mut a, [ctrl('a'), ch('d'), ch('y'), ch('i'), ch('R')]);
    assert_eq!(effects, vec![]);
    assert_eq!(a.marks().count(), 0);
    assert_eq!(*a.modal(), Modal::None);
    assert_eq!(
        a.filter(),
        "age>30xdyiR",
        "the keys were typed into the line"
    );
    // Esc clears and closes it; `/` opens an empty line; every row shows again.
    send(&mut a, [press(KeyCode::Esc)]);
    assert!(a.filter_line().is_none() && a.filter().is_empty());
    assert_eq!(a.visible().len(), 5);
    send(&mut a, [ch('/')]);
    assert_eq!(a.filter(), "");
    send(&mut a, [press(KeyCode::Esc)]);

    // Rows marked before a filter that stops parsing stay marked, and are counted hidden.
    send(&mut a, [ch(' '), ch('/')]);
    send(&mut a, typed("clip -"));
    assert_eq!((a.marks().count(), a.marked_hidden()), (1, 1));
    // Fixed, Enter keeps it and the table has the keys again.
    send(&mut a, [press(KeyCode::Backspace), press(KeyCode::Enter)]);
    assert!(a.filter_line().is_none());
    assert_eq!(a.visible().len(), 5);
}

/// Issue 17: with `quit` and `cancel` moved to keys nobody has, Ctrl-c still leaves: it
/// quits the idle table, closes the history (its search line too) and cancels a batch.
#[test]
fn no_keymap_takes_ctrl_c_away() {
    let binding = |action: &str, key: &str| crate::config::KeyBinding {
        action: action.to_owned(),
        line: 1,
        keys: vec![(key.to_owned(), 1)],
    };
    let keymap = crate::tui::Keymap::with_bindings(&[
        binding("quit", "F24"),
        binding("cancel", "F23"),
        binding("close", "F22"),
        binding("clear", "F21"),
    ])
    .unwrap();
    let settings = || Settings {
        keymap: keymap.clone(),
        ..no_grace()
    };
    let mut a = app_with(3, settings());
    assert_eq!(send(&mut a, [ch('q'), press(KeyCode::Esc)]), vec![]);
    send(&mut a, [ch('H'), ch('/'), ctrl('c')]);
    assert_eq!(*a.modal(), Modal::None, "Ctrl-c left the history's search");
    assert_eq!(send(&mut a, [ctrl('c')]), vec![Effect::Quit]);

    let mut a = app_with(3, settings());
    let effects = send(&mut a, [ch('d'), ch('y')]);
    assert_eq!(enqueued(&effects).len(), 1);
    assert_eq!(send(&mut a, [ctrl('c')]), vec![Effect::CancelBatch]);
}

#[test]
fn ctrl_c_mid_filter_still_cancels_or_quits() {
    let mut a = app(3);
    assert_eq!(
        send(&mut a, [ch('/'), ch('c'), ctrl('c')]),
        vec![Effect::Quit]
    );
}

#[test]
fn undo_sends_nothing_ever() {
    let mut a = app(3);
    send(&mut a, [ctrl('a'), ch('d'), ch('y'), ch('u')]);
    let later: Vec<Msg> = (1..20).map(|s| Msg::Tick(at(f64::from(s)))).collect();
    assert_eq!(send(&mut a, later), vec![]);
}

pub fn any_msg() -> impl Strategy<Value = Msg> {
    let keys = prop::sample::select(vec![
        ch(' '),
        ch('j'),
        ch('k'),
        ch('g'),
        ch('G'),
        ch('v'),
        ch('i'),
        ctrl('a'),
        ch('R'),
        ch('/'),
        ch('1'),
        ch('c'),
        press(KeyCode::Enter),
        press(KeyCode::Esc),
        press(KeyCode::Backspace),
        ch('d'),
        ch('y'),
        ch('n'),
        ch('u'),
        ch('x'),
        ch('0'),
        ch('5'),
        ch('q'),
        ctrl('c'),
        press(KeyCode::PageDown),
        press(KeyCode::Delete),
        press(KeyCode::Left),
        press(KeyCode::Home),
        press(KeyCode::Tab),
        ctrl('u'),
        ctrl('w'),
        ch('a'),
        ch('?'),
        ch('s'),
        ch('S'),
        ch('M'),
        ch('e'),
        ch('Y'),
        ch('H'),
        Msg::Paste("5\n".into()),
    ]);
    prop_oneof![
        8 => keys,
        1 => (0u32..40).prop_map(|s| Msg::Tick(at(f64::from(s)))),
        1 => (0u128..12).prop_map(|n| finished(id(n), OutcomeKind::Forbidden)),
        1 => (0u128..12).prop_map(|n| finished(id(n), OutcomeKind::Deleted)),
        1 => (0u128..12).prop_map(|n| Msg::Engine(Event::Started { id: id(n), attempt: 1 })),
    ]
}

proptest! {
    #[test]
    fn no_enqueue_ever_holds_an_unconfirmed_id(
        msgs in prop::collection::vec(any_msg(), 1..120),
        grace in prop::bool::ANY,
    ) {
        let defaults = Settings::default();
        let mut a = app_with(12, Settings {
            confirm_threshold: 5,
            grace: if grace { defaults.grace } else { Duration::ZERO },
            ..defaults
        });
        // The list shown in the modal the user last confirmed, until it is sent.
        let mut confirmed: Option<Vec<VideoId>> = None;
        for msg in msgs {
            let shown = match &a.modal() {
                Modal::Confirm(c) => Some(c.ids().to_vec()),
                _ => None,
            };
            let effects = update(&mut a, msg);
            let sent_now = effects.iter().any(|e| matches!(e, Effect::Enqueue(_)));
            if shown.is_some() && (matches!(a.modal(), Modal::Grace(_)) || sent_now) {
                confirmed = shown;
            }
            for ids in enqueued(&effects) {
                let expected = confirmed.take();
                prop_assert_eq!(Some(ids), expected, "sent only what was confirmed, once");
            }
        }
    }
}
