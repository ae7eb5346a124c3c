//! Copy and export (what the clipboard and the file get, and what is said), and the history
//! view: its selection stops at the last entry, its search, and going to an entry's row.

use super::*;
use crate::store::Existing;

#[test]
fn y_copies_the_current_id_and_shift_y_the_marked_ones() {
    let mut a = app(5);
    send(&mut a, [ch('j')]);
    assert_eq!(
        send(&mut a, [ch('y')]),
        vec![Effect::Copy(id(1).to_string())]
    );
    assert_eq!(
        a.notice(),
        Some(format!("Copied {} to the clipboard.", id(1)).as_str())
    );
    assert_eq!(send(&mut a, [ch('Y')]), vec![], "nothing marked");
    assert_eq!(a.notice(), Some("Nothing is marked: nothing was copied."));
    send(&mut a, [ch(' '), ch('G'), ch(' ')]);
    assert_eq!(
        send(&mut a, [ch('Y')]),
        vec![Effect::Copy(format!("{}\n{}\n", id(1), id(4)))]
    );
    assert_eq!(a.notice(), Some("Copied 2 ID(s) to the clipboard."));
}

#[test]
fn more_ids_than_a_terminal_takes_are_not_copied_but_exported() {
    let mut a = app(30_000);
    send(&mut a, [ctrl('a')]);
    assert_eq!(send(&mut a, [ch('Y')]), vec![]);
    assert!(a.notice().unwrap().contains("export them to a file"));

    // As many as fit go; one more does not.
    let line = id(0).to_string().len() + 1;
    let fit = crate::tui::update::copy::COPY_LIMIT / line;
    let mut a = app(fit as u128);
    send(&mut a, [ctrl('a')]);
    match send(&mut a, [ch('Y')]).as_slice() {
        [Effect::Copy(text)] => assert_eq!(text.len(), fit * line),
        other => panic!("{other:?}"),
    }
    let mut a = app(fit as u128 + 1);
    send(&mut a, [ctrl('a')]);
    assert_eq!(send(&mut a, [ch('Y')]), vec![], "{:?}", a.notice());
}

#[test]
fn e_writes_the_marked_ids_to_the_file_named_and_says_so() {
    let mut a = app(5);
    assert_eq!(send(&mut a, [ch('e')]), vec![]);
    assert_eq!(*a.modal(), Modal::None, "nothing marked: no prompt");
    assert!(a.notice().unwrap().contains("Nothing is marked"));
    send(&mut a, [ch(' '), ch(' '), ch('e')]);
    assert!(matches!(a.modal(), Modal::Export(_)));
    send(&mut a, typed("out/ids.txt"));
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::Export {
            path: "out/ids.txt".into(),
            text: format!("{}\n{}\n", id(0), id(1)),
            count: 2,
            existing: Existing::Keep,
        }]
    );
    assert_eq!(*a.modal(), Modal::None);
    send(
        &mut a,
        [Msg::Exported {
            path: "out/ids.txt".into(),
            count: 2,
        }],
    );
    assert_eq!(a.notice(), Some("Wrote 2 ID(s) to out/ids.txt."));

    // Issue 17: a file already there was replaced unasked. Now the loop says it is there,
    // and the user is asked; `n` writes nothing, `y` replaces it.
    for (answer, effects) in [
        (ch('n'), vec![]),
        (
            ch('y'),
            vec![Effect::Export {
                path: "out/ids.txt".into(),
                text: format!("{}\n{}\n", id(0), id(1)),
                count: 2,
                existing: Existing::Replace,
            }],
        ),
    ] {
        send(&mut a, [Msg::ExportWouldReplace("out/ids.txt".into())]);
        assert!(matches!(a.modal(), Modal::ConfirmReplace(_)));
        // Keys that are not an answer leave the question open.
        assert_eq!(send(&mut a, [ch('d'), press(KeyCode::Enter)]), vec![]);
        assert_eq!(send(&mut a, [answer]), effects);
        assert_eq!(*a.modal(), Modal::None);
    }
    send(
        &mut a,
        [
            Msg::ExportWouldReplace("out/ids.txt".into()),
            press(KeyCode::Esc),
        ],
    );
    assert_eq!(
        a.notice(),
        Some("Nothing was written; out/ids.txt is as it was.")
    );
    assert_eq!(
        send(&mut a, [ch('e'), press(KeyCode::Esc)]),
        vec![],
        "Esc writes nothing"
    );
    assert_eq!(*a.modal(), Modal::None);
}

fn history_of(a: &mut App, entries: impl IntoIterator<Item = HistoryEntry>) {
    send(a, [ch('H')]);
    send(a, [Msg::HistoryLoaded(entries.into_iter().collect())]);
}

fn selected(a: &App) -> (usize, usize) {
    match a.modal() {
        Modal::History(history) => (history.selected(), history.top()),
        other => panic!("the history is not open: {other:?}"),
    }
}

#[test]
fn the_history_selection_stops_at_the_last_entry_and_one_k_comes_back_one() {
    let mut a = app(3);
    // 55 entries, oldest first, as the store reads them.
    history_of(
        &mut a,
        (0..55)
            .rev()
            .map(|n| history_entry(n, OutcomeKind::Forbidden)),
    );
    let rows = crate::tui::modal::History::rows(a.size());
    send(&mut a, (0..60).map(|_| ch('j')));
    assert_eq!(
        selected(&a),
        (54, 55 - rows),
        "the last entry, the box full"
    );
    send(&mut a, [ch('k')]);
    assert_eq!(selected(&a).0, 53);
    send(&mut a, [ch('g')]);
    assert_eq!(selected(&a), (0, 0));
}

#[test]
fn the_history_search_finds_ids_titles_outcomes_codes_and_messages() {
    let mut a = app(3);
    let mut titled = history_entry(2, OutcomeKind::NotFound);
    titled.title = Some("A Fox in the snow".into());
    history_of(
        &mut a,
        [
            history_entry(1, OutcomeKind::Forbidden),
            titled,
            history_entry(3, OutcomeKind::Failed),
        ],
    );
    let found = |a: &mut App, text: &str| {
        send(a, [ch('/'), ctrl('u')]);
        send(a, typed(text));
        send(a, [press(KeyCode::Enter)]);
        match a.modal() {
            Modal::History(history) => history.found().map(|e| e.id).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(found(&mut a, "NOT FOUND"), [id(2)], "outcome, any case");
    assert_eq!(found(&mut a, "forbidden"), [id(1)]);
    assert_eq!(found(&mut a, "internal"), [id(3)], "error code");
    assert_eq!(found(&mut a, "server error"), [id(3)], "message");
    assert_eq!(found(&mut a, "404"), [id(2)], "HTTP status");
    assert_eq!(found(&mut a, "fox in"), [id(2)], "title, any case");
    assert_eq!(found(&mut a, &id(3).to_string()[24..]), [id(3)], "ID");
    assert_eq!(found(&mut a, ""), [id(3), id(2), id(1)], "newest first");
    assert_eq!(found(&mut a, "jq"), [], "j and q are typed, not acted on");
    match a.modal() {
        Modal::History(history) => assert_eq!(history.search().text(), "jq"),
        other => panic!("j or q acted on: {other:?}"),
    }
}

#[test]
fn enter_in_the_history_goes_to_the_row_clearing_a_filter_that_hides_it() {
    let mut a = app(50);
    send(&mut a, [ch('/')]);
    send(&mut a, typed("label:7"));
    send(&mut a, [press(KeyCode::Enter)]);
    history_of(&mut a, [history_entry(40, OutcomeKind::Forbidden)]);
    send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(*a.modal(), Modal::None);
    assert_eq!(a.current_row().unwrap().id, id(40));
    assert_eq!(a.filter(), "", "the filter hid it");
    assert!(a.notice().unwrap().contains("cleared"));

    send(&mut a, [ch('x'), ch('y')]); // forget clip 40
    history_of(&mut a, [history_entry(40, OutcomeKind::Forbidden)]);
    send(&mut a, [press(KeyCode::Enter)]);
    assert!(a.notice().unwrap().contains("no longer in the list"));
}
