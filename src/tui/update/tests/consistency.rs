//! Whatever arrives, the model stays consistent: the rows shown are exactly those the filter
//! lets through, the count of marked rows it hides is right, and the cursor is on a shown
//! row, on screen. (`App` keeps these itself; nothing outside it can set them.)

use proptest::prelude::*;

use super::safety::any_msg;
use super::*;
use crate::tui::filter::{Needle, matching};

fn check(a: &App) -> Result<(), TestCaseError> {
    let rows = a.rows();
    let expected = matching(rows, rows.len(), |i| i as u32, &Needle::new(a.filter()));
    prop_assert_eq!(
        a.visible(),
        &expected[..],
        "shown rows, filter {:?}",
        a.filter()
    );
    let hidden = a
        .marks()
        .iter()
        .filter(|row| a.visible().binary_search(row).is_err())
        .count();
    prop_assert_eq!(a.marked_hidden(), hidden, "marked rows the filter hides");
    match a.cursor() {
        None => prop_assert!(a.visible().is_empty() && a.offset() == 0),
        Some(row) => {
            let pos = a.visible().binary_search(&row);
            prop_assert!(pos.is_ok(), "the cursor's row {} is not shown", row);
            let pos = pos.unwrap_or_default();
            let height = a.table_height().max(1);
            prop_assert!(
                a.offset() <= pos && pos < a.offset() + height,
                "cursor on screen"
            );
        }
    }
    Ok(())
}

fn any_event() -> impl Strategy<Value = Msg> {
    prop_oneof![
        6 => any_msg(),
        1 => (4u16..120, 3u16..40).prop_map(|(width, height)| Msg::Resize { width, height }),
        1 => (0u128..14).prop_map(|n| Msg::Paste(id(n).to_string())),
        1 => prop::sample::select(vec![ch('x'), ch('l'), ch('p'), ch(' ')]),
    ]
}

proptest! {
    #[test]
    fn filter_marks_and_cursor_stay_consistent_whatever_happens(
        msgs in prop::collection::vec(any_event(), 1..150),
    ) {
        let mut a = app(12);
        check(&a)?;
        for msg in msgs {
            update(&mut a, msg);
            check(&a)?;
        }
    }
}
