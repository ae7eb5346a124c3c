//! The list arriving in chunks: rows show and filter as they come, nothing that edits the
//! list or sends a delete is allowed before the end, and the end offers to resume an
//! interrupted batch.

use super::*;
use crate::store::IdIndex;
use crate::store::{KnownVideo, LastOutcome};

fn video(n: u128) -> KnownVideo {
    KnownVideo {
        id: id(n),
        added_at: at(-60.0),
        label: Some(format!("clip {n}").into()),
        details: None,
        last: None,
    }
}

fn loading() -> App {
    App::awaiting_list(Settings::default(), at(0.0))
}

fn chunk(range: std::ops::Range<u128>) -> Msg {
    Msg::ListChunk(range.map(video).collect())
}

/// The end of the list, indexed as the loader indexes it.
fn loaded(a: &App, pending: Vec<VideoId>) -> Msg {
    Msg::ListLoaded {
        index: IdIndex::build(a.rows()),
        pending,
    }
}

#[test]
fn rows_show_and_filter_as_they_arrive() {
    let mut a = loading();
    send(&mut a, [chunk(0..3)]);
    assert_eq!(
        (a.rows().len(), a.visible().len(), a.loading()),
        (3, 3, Some(3))
    );
    assert_eq!(a.cursor(), Some(0), "the cursor lands on the first row");
    send(&mut a, [ch('/')]);
    send(&mut a, typed(r#""clip 1""#));
    send(&mut a, [press(KeyCode::Enter)]);
    send(&mut a, [chunk(3..12)]);
    assert_eq!(
        shown(&a),
        [id(1), id(10), id(11)],
        "new rows pass the filter too"
    );
    let end = loaded(&a, Vec::new());
    assert_eq!(send(&mut a, [end]), vec![], "nothing to write");
    assert_eq!(a.loading(), None);
    assert_eq!(a.row_of(&id(11)), Some(11));
}

#[test]
fn marking_adding_forgetting_and_deleting_wait_for_the_whole_list() {
    let mut a = loading();
    send(&mut a, [chunk(0..5)]);
    for key in [
        ch(' '),
        ch('v'),
        ctrl('a'),
        ch('i'),
        ch('R'),
        ch('d'),
        ch('x'),
        ch('a'),
    ] {
        assert_eq!(send(&mut a, [key.clone()]), vec![], "{key:?}");
        assert_eq!(*a.modal(), Modal::None, "{key:?}");
        assert_eq!(a.marks().count(), 0, "{key:?}");
        assert!(a.notice().unwrap().contains("5 videos so far"), "{key:?}");
    }
    send(&mut a, [Msg::Paste(id(9).to_string())]);
    assert_eq!(
        *a.modal(),
        Modal::None,
        "a paste does not open the add prompt"
    );
    send(&mut a, [ch('j'), ch('?')]);
    assert_eq!(a.cursor(), Some(1), "browsing works");
    assert!(matches!(a.modal(), Modal::Help(_)));
    let end = loaded(&a, Vec::new());
    send(&mut a, [press(KeyCode::Esc), end, ch(' ')]);
    assert_eq!(marked(&a), [id(1)]);
}

#[test]
fn the_end_marks_what_the_interrupted_batch_left_that_can_still_be_sent() {
    let mut a = loading();
    let mut videos: Vec<KnownVideo> = (0..4).map(video).collect();
    let forbidden = Outcome::unsent(OutcomeKind::Forbidden);
    videos[2].last = Some(Box::new(LastOutcome {
        outcome: forbidden,
        at: at(-4.0),
    }));
    send(&mut a, [Msg::ListChunk(videos.into_iter().collect())]);
    let end = loaded(&a, vec![id(9), id(2), id(3)]);
    send(&mut a, [end]);
    assert_eq!(shown(&a), [id(0), id(1), id(2), id(3)]);
    assert_eq!(a.rows()[2].status_word(), "forbidden");
    assert_eq!(
        marked(&a),
        [id(2), id(3)],
        "the batch's rows still listed are marked"
    );
}

#[test]
fn a_list_that_cannot_be_read_quits() {
    let mut a = loading();
    send(&mut a, [chunk(0..2)]);
    assert_eq!(send(&mut a, [Msg::ListFailed]), vec![Effect::Quit]);
}

#[test]
fn g_while_the_list_loads_follows_its_end_until_the_cursor_is_moved() {
    let mut a = loading();
    send(&mut a, [chunk(0..3), ch('G')]);
    assert_eq!(a.cursor(), Some(2));
    send(&mut a, [chunk(3..50)]);
    assert_eq!(a.cursor(), Some(49), "the end as rows arrive");
    assert!(a.following_end());
    assert_eq!(a.offset(), 50 - a.table_height(), "and on screen");
    send(&mut a, [press(KeyCode::PageUp), chunk(50..60)]);
    let moved_to = 49 - a.table_height() as u32;
    assert_eq!(a.cursor(), Some(moved_to), "moving stops following");
    assert!(!a.following_end());
    send(&mut a, [press(KeyCode::End), chunk(60..70)]);
    assert_eq!(a.cursor(), Some(69), "End is G");
    let end = loaded(&a, Vec::new());
    send(&mut a, [end]);
    assert!(!a.following_end(), "the list is in: nothing more to follow");
    assert_eq!(a.cursor(), Some(69));
}

#[test]
fn the_counts_and_page_keys_work_while_the_list_loads() {
    let mut a = loading();
    send(&mut a, [chunk(0..40), press(KeyCode::PageDown)]);
    assert_eq!(a.cursor_pos(), Some(a.table_height()));
    assert_eq!(a.loading(), Some(40));
    assert_eq!(a.known(), 40);
}
