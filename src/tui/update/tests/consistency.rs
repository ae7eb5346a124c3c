//! Whatever arrives, the model stays consistent: the rows shown are exactly those the filter
//! lets through, in the order shown, the count of marked rows it hides is right, and the
//! cursor is on a shown row, on screen. (`App` keeps these itself; nothing outside it can set
//! them.)

use proptest::prelude::*;

use super::safety::any_msg;
use super::*;
use crate::query::Query;

fn check(a: &App) -> Result<(), TestCaseError> {
    let rows = a.rows();
    // The order as taken when the user sorted (outcomes since do not move rows).
    let order: Vec<u32> = match a.sorted_rows() {
        Some(sorted) => sorted.to_vec(),
        None => (0..rows.len() as u32).collect(),
    };
    prop_assert_eq!(
        order.len(),
        rows.len(),
        "every row has a place in the order"
    );
    // A query that does not parse shows no row.
    let query = Query::parse(a.filter()).ok();
    let expected: Vec<u32> = order
        .into_iter()
        .filter(|&r| {
            let row = &rows[r as usize];
            row.is_shown()
                && (!a.marked_only() || a.marks().contains(r))
                && query.as_ref().is_some_and(|query| {
                    query.matches(&rows.subject(r, crate::query::Reads::ALL), a.now())
                })
        })
        .collect();
    prop_assert_eq!(
        a.visible(),
        &expected[..],
        "shown rows, filter {:?}, {:?}, marked only {}",
        a.filter(),
        a.order(),
        a.marked_only()
    );
    let hidden = a
        .marks()
        .iter()
        .filter(|row| !a.visible().contains(row))
        .count();
    prop_assert_eq!(a.marked_hidden(), hidden, "marked rows the filter hides");
    match a.cursor() {
        None => prop_assert!(a.visible().is_empty() && a.offset() == 0),
        Some(row) => {
            let pos = a.visible().iter().position(|&shown| shown == row);
            prop_assert!(pos.is_some(), "the cursor's row {} is not shown", row);
            prop_assert_eq!(pos, a.cursor_pos(), "the cursor's position");
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
        1 => prop::sample::select(vec![ch('x'), ch('l'), ch('p'), ch(' '), ch('-'), ch('1')]),
        1 => prop::sample::select(vec![ch('s'), ch('S'), ch('M'), ch('G')]),
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
