//! The history view shows each entry's title (issue 21 B6), escaped, in a column as wide as
//! the longest, at 80 and 120 columns; an entry without one leaves its cells blank.

use super::*;

/// The history of four deletes: a titled one, a long title, a hostile one, and an entry
/// whose video the list knew no title for.
fn history_with_titles(width: u16) -> Terminal<TestBackend> {
    let mut a = sized(app(3), width, 24);
    send(&mut a, [ch('H')]);
    let titles = [
        Some("A fox in the snow"),
        Some("Final cut, take 12 of the long opening sequence"),
        Some("Spoof\u{202e}txt.exe\u{1b}[2J"),
        None,
    ];
    let entries = titles
        .iter()
        .enumerate()
        .map(|(n, title)| {
            let mut entry = history_entry(4 - n as u128, OutcomeKind::NotFound);
            entry.title = title.map(str::to_owned);
            entry
        })
        .collect();
    send(&mut a, [Msg::HistoryLoaded(entries)]);
    draw(&a, width, 24)
}

#[test]
fn the_history_shows_titles_80x24() {
    let screen = history_with_titles(80);
    let shown = format!("{}", screen.backend());
    assert!(
        shown.contains("not found    A fox in the snow     550e8400…"),
        "{shown}"
    );
    assert!(
        shown.contains("Spoof\\u{202e}txt.ex…"),
        "escaped, cut: {shown}"
    );
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn the_history_shows_titles_120x24() {
    let screen = history_with_titles(120);
    let shown = format!("{}", screen.backend());
    assert!(
        shown.contains("A fox in the snow                  550e8400-e29b-41d4-a716-000000000004"),
        "{shown}"
    );
    insta::assert_snapshot!(screen.backend());
}
