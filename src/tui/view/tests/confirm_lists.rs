//! The delete confirmation shows what goes (issue 21 B1): each listed video's title, age and
//! last outcome, and the batch counted by last outcome, at 80 and 120 columns.

use super::*;

/// Every row of `with_details` marked (one refused before as forbidden), `d` pressed.
fn confirming(width: u16) -> Terminal<TestBackend> {
    let mut a = with_details(width, 24);
    send(&mut a, [ctrl('a'), ch('d')]);
    draw(&a, width, 24)
}

#[test]
fn the_confirmation_lists_titles_ages_and_last_outcomes_80x24() {
    let screen = confirming(80);
    let shown = format!("{}", screen.backend());
    assert!(
        shown.contains("1 was refused before (forbidden)."),
        "{shown}"
    );
    assert!(shown.contains("7 never tried."), "{shown}");
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn the_confirmation_lists_titles_ages_and_last_outcomes_120x24() {
    let screen = confirming(120);
    let shown = format!("{}", screen.backend());
    assert!(
        shown.contains("made 2mo ago · last: forbidden · \"Someone else's trailer\""),
        "{shown}"
    );
    insta::assert_snapshot!(screen.backend());
}
