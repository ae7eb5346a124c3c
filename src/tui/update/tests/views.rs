//! What the table shows and in which order: the query filter, sorting, the marked-only view,
//! and counts that stay true (a deleted video leaves the count of the saved list at once).

use super::*;
use crate::store::{KnownVideo, LastOutcome, VideoDetails};

/// Six videos: "clip 0".."clip 5", titled "take 5".."take 0" (clip 4 untitled), made 10, 20
/// ... 60 days ago; clip 2's last delete was refused (forbidden).
fn titled() -> App {
    const DAY: f64 = 86_400.0;
    let videos = (0..6u128).map(|n| {
        let mut video = KnownVideo::new(id(n), at(-DAY), Some(format!("clip {n}").into()));
        video.fill_details(&VideoDetails {
            title: (n != 4).then(|| format!("take {}", 5 - n).into()),
            created_at: Some(at(-DAY * 10.0 * (n + 1) as f64)),
            ..Default::default()
        });
        if n == 2 {
            video.last = Some(Box::new(LastOutcome {
                outcome: Outcome::unsent(OutcomeKind::Forbidden),
                at: at(-DAY),
            }));
        }
        video
    });
    App::new(videos, Settings::default(), at(0.0))
}

#[test]
fn the_filter_is_a_query_on_id_label_title_status_and_age() {
    let mut a = titled();
    let filter = |a: &mut App, query: &str| {
        send(a, [press(KeyCode::Esc), ch('/')]);
        send(a, typed(query));
        send(a, [press(KeyCode::Enter)]);
        shown(a)
    };
    assert_eq!(
        filter(&mut a, "take"),
        ids(0..4).into_iter().chain([id(5)]).collect::<Vec<_>>()
    );
    assert_eq!(
        filter(&mut a, "status:forb"),
        [id(2)],
        "forb finds the refused one"
    );
    assert_eq!(
        filter(&mut a, "age>30d -status:forbidden"),
        [id(3), id(4), id(5)]
    );
    assert_eq!(filter(&mut a, r#"title:"take 5" "#), [id(0)]);
    assert_eq!(filter(&mut a, "label:\"clip 1\" id:550e"), [id(1)]);
    // One that does not parse shows no row, and says why.
    assert_eq!(filter(&mut a, "stauts:forbidden").len(), 0);
    assert!(
        a.filter_error()
            .unwrap()
            .to_string()
            .contains("unknown field")
    );
}

#[test]
fn typing_on_scans_only_what_the_last_query_showed_and_still_finds_what_it_must() {
    let mut a = titled();
    send(&mut a, [ch('/')]);
    let keys = "take clip 3".chars().zip([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2]);
    for (c, want) in keys {
        send(&mut a, [ch(c)]);
        assert_eq!(a.visible().len(), want, "after {c:?}");
    }
    assert_eq!(
        shown(&a),
        [id(2), id(3)],
        "clip 3, and clip 2 titled take 3"
    );
    // A dash widens a term's meaning: everything is scanned again.
    send(&mut a, [ctrl('u')]);
    send(&mut a, typed("-take"));
    assert_eq!(shown(&a), [id(4)]);
    send(&mut a, [ch('s')]);
    assert_eq!(
        shown(&a),
        ids(0..6),
        "no title holds takes: nothing is left out"
    );
    send(
        &mut a,
        [press(KeyCode::Backspace), press(KeyCode::Backspace)],
    );
    assert_eq!(a.filter(), "-tak");
    assert_eq!(shown(&a), [id(4)]);
}

#[test]
fn sorting_orders_what_is_shown_and_keeps_marks_and_the_cursor_on_their_videos() {
    let mut a = titled();
    send(&mut a, [ch('j'), ch(' '), ch('j')]); // clip 1 marked, cursor on clip 2
    let cursor = a.current_row().unwrap().id;
    let sort = |a: &mut App, keys: &str| {
        send(a, typed(keys));
        shown(a)
    };
    assert_eq!(sort(&mut a, "s"), ids(0..6), "by ID: made in order");
    assert_eq!(sort(&mut a, "s"), ids(0..6), "by label");
    assert_eq!(
        sort(&mut a, "s"),
        [id(5), id(3), id(2), id(1), id(0), id(4)],
        "by title, the untitled last"
    );
    assert_eq!(
        sort(&mut a, "S"),
        [id(0), id(1), id(2), id(3), id(5), id(4)],
        "reversed, the untitled still last"
    );
    assert_eq!(a.notice(), Some("Sorted by title, descending."));
    let oldest_first: Vec<VideoId> = ids(0..6).into_iter().rev().collect();
    assert_eq!(
        sort(&mut a, "s"),
        oldest_first,
        "by creation time, oldest first"
    );
    assert_eq!(sort(&mut a, "S"), ids(0..6));
    assert_eq!(
        sort(&mut a, "s")[0],
        id(2),
        "by status: the one with an outcome first"
    );
    assert_eq!(sort(&mut a, "s"), ids(0..6), "and back to list order");
    assert_eq!(marked(&a), [id(1)], "marks survive sorting");
    assert_eq!(a.current_row().unwrap().id, cursor, "so does the cursor");
}

#[test]
fn a_sort_with_a_filter_shows_the_filtered_rows_in_order_and_new_rows_take_their_place() {
    let mut a = titled();
    send(&mut a, [ch('s'), ch('s'), ch('s'), ch('S'), ch('/')]);
    send(&mut a, typed("take"));
    send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(shown(&a), [id(0), id(1), id(2), id(3), id(5)]);
    send(&mut a, [press(KeyCode::Backspace)]);
    // An ID added later joins in its place (no title: last).
    let new = id(99);
    send(
        &mut a,
        [ch('a'), Msg::Paste(new.to_string()), press(KeyCode::Enter)],
    );
    send(&mut a, [press(KeyCode::Esc)]);
    assert_eq!(shown(&a).last(), Some(&new));
}

#[test]
fn the_marked_only_view_shows_the_marks_and_loses_a_row_unmarked() {
    let mut a = app(10);
    send(&mut a, [ch(' '), ch('j'), ch(' '), ch('G'), ch(' ')]);
    send(&mut a, [ch('M')]);
    assert_eq!(shown(&a), [id(0), id(2), id(9)]);
    assert!(a.marked_only());
    send(&mut a, [ch('g'), ch(' ')]);
    assert_eq!(shown(&a), [id(2), id(9)], "unmarked: out of the view");
    assert_eq!(a.current_row().unwrap().id, id(2));
    send(&mut a, [ch('/')]);
    send(&mut a, typed("label:9"));
    assert_eq!(shown(&a), [id(9)], "the filter applies within it");
    assert_eq!(a.marked_hidden(), 1);
    send(&mut a, [press(KeyCode::Esc), ch('M')]);
    assert_eq!(shown(&a), ids(0..10));
    assert_eq!(a.marked_hidden(), 0);
}

#[test]
fn known_counts_the_saved_list_and_drops_as_videos_are_deleted() {
    let mut a = app(5);
    assert_eq!(a.known(), 5);
    send(
        &mut a,
        [
            Msg::Engine(Event::Queued { ids: ids(0..4) }),
            finished(id(0), OutcomeKind::Deleted),
            finished(id(1), OutcomeKind::NotFound),
            finished(id(2), OutcomeKind::Forbidden),
        ],
    );
    assert_eq!(a.known(), 3, "deleted and not found left the saved list");
    assert_eq!(a.visible().len(), 5, "they stay on screen for the session");
    assert_eq!(saved(&a).len(), a.known());
    send(&mut a, [ch('G'), ch('x'), ch('y')]); // forget clip 4, the one never sent
    assert_eq!(a.known(), 2, "a forgotten video left it too");
    assert_eq!(saved(&a).len(), a.known());
}

#[test]
fn a_marked_row_the_batch_deletes_or_queues_leaves_the_marked_only_view() {
    let mut a = app(6);
    send(&mut a, [ch('i'), ch('M')]);
    assert_eq!(shown(&a), ids(0..6));
    send(&mut a, [finished(id(1), OutcomeKind::Deleted)]);
    assert_eq!(
        shown(&a),
        [id(0), id(2), id(3), id(4), id(5)],
        "gone: unmarked"
    );
    send(&mut a, [finished(id(2), OutcomeKind::Forbidden)]);
    assert_eq!(shown(&a).len(), 5, "refused: still marked, still shown");
    send(&mut a, [ch('g'), ch(' ')]);
    assert_eq!(shown(&a), [id(2), id(3), id(4), id(5)]);
    send(&mut a, [ch('d'), ch('y'), Msg::Tick(at(3.0))]);
    assert!(shown(&a).is_empty(), "queued: unmarked, so out of the view");
}

#[test]
fn reversing_a_sort_gives_the_sort_the_other_way_with_outcomes_that_arrived_since() {
    let fresh = |keys: &str| {
        let mut a = titled();
        send(&mut a, [finished(id(4), OutcomeKind::Failed)]);
        send(&mut a, typed(keys));
        shown(&a)
    };
    for presses in 1..=5 {
        let sort = "s".repeat(presses);
        let mut a = titled();
        send(&mut a, typed(&sort));
        // Arrives after the order was taken: the status sort must read it when reversed.
        send(&mut a, [finished(id(4), OutcomeKind::Failed)]);
        send(&mut a, typed("S"));
        let descending = fresh(&format!("{sort}S"));
        assert_eq!(shown(&a), descending, "{sort}S");
        send(&mut a, typed("S"));
        assert_eq!(shown(&a), fresh(&sort), "{sort}SS");
    }
}
