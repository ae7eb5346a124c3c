//! Table keys, the filter prompt, and every modal's keys.

use super::*;

#[test]
fn moves_with_j_k_arrows_g_g_home_end_and_pages() {
    let mut a = app(100);
    let page = a.table_height();
    let steps: [(Msg, usize); 12] = [
        (ch('j'), 1),
        (press(KeyCode::Down), 2),
        (ch('k'), 1),
        (press(KeyCode::Up), 0),
        (ch('k'), 0),
        (ch('G'), 99),
        (ch('j'), 99),
        (ch('g'), 0),
        (press(KeyCode::End), 99),
        (press(KeyCode::Home), 0),
        (press(KeyCode::PageDown), page),
        (press(KeyCode::PageUp), 0),
    ];
    for (msg, want) in steps {
        let shown = format!("{msg:?}");
        assert_eq!(send(&mut a, [msg]), vec![]);
        assert_eq!(a.cursor_pos(), Some(want), "{shown}");
        let pos = a.cursor_pos().unwrap();
        assert!(
            a.offset() <= pos && pos < a.offset() + page,
            "cursor on screen"
        );
    }
}

#[test]
fn space_toggles_the_mark_and_moves_down() {
    let mut a = app(3);
    send(&mut a, [ch(' '), ch(' ')]);
    assert_eq!(marked(&a), vec![id(0), id(1)]);
    assert_eq!(a.cursor_pos(), Some(2));
    send(&mut a, [ch('k'), ch(' ')]);
    assert_eq!(marked(&a), vec![id(0)]);
}

#[test]
fn v_marks_a_range_and_esc_abandons_it() {
    let mut a = app(10);
    send(&mut a, [ch('j'), ch('v'), ch('j'), ch('j'), ch('v')]);
    assert_eq!(marked(&a), vec![id(1), id(2), id(3)]);
    send(&mut a, [ch('v'), ch('j'), press(KeyCode::Esc)]);
    assert_eq!(a.range(), None);
    assert_eq!(marked(&a).len(), 3, "Esc ended the range, marks kept");
    send(&mut a, [ch('v'), ch('G'), ch(' ')]);
    assert_eq!(
        marked(&a).len(),
        9,
        "Space also closes a range (4..=9 joined 1..=3)"
    );
}

#[test]
fn ctrl_a_marks_visible_rows_that_can_be_deleted_and_i_inverts() {
    let mut a = app(6);
    send(&mut a, [finished(id(1), OutcomeKind::Deleted)]);
    send(
        &mut a,
        [
            ch('/'),
            ch('c'),
            ch('l'),
            ch('i'),
            ch('p'),
            ch(' '),
            ch('1'),
        ],
    );
    send(
        &mut a,
        [
            press(KeyCode::Backspace),
            press(KeyCode::Backspace),
            press(KeyCode::Enter),
        ],
    );
    send(&mut a, [ctrl('a')]);
    assert_eq!(marked(&a).len(), 5, "the deleted row is never marked");
    assert!(!marked(&a).contains(&id(1)));
    send(&mut a, [press(KeyCode::Esc), ch('/')]);
    send(&mut a, typed("label:4"));
    send(&mut a, [press(KeyCode::Enter), ch('i')]);
    assert!(!marked(&a).contains(&id(4)));
    send(&mut a, [ch('i')]);
    assert!(marked(&a).contains(&id(4)));
}

#[test]
fn esc_clears_the_filter_first_then_the_marks() {
    let mut a = app(20);
    send(&mut a, [ch(' '), ch('/')]);
    send(&mut a, typed(r#""clip 1""#));
    send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(a.visible().len(), 11);
    assert_eq!(a.marked_hidden(), 1);
    send(&mut a, [press(KeyCode::Esc)]);
    assert_eq!((a.filter(), a.visible().len()), ("", 20));
    assert_eq!(marked(&a), vec![id(0)], "marks survive filter changes");
    send(&mut a, [press(KeyCode::Esc)]);
    assert_eq!(a.marks().count(), 0);
}

#[test]
fn the_filter_narrows_as_you_type_and_the_cursor_follows_its_video() {
    let mut a = app(30);
    send(&mut a, [ch('G')]); // clip 29
    send(&mut a, [ch('/')]);
    assert!(a.filter_line().is_some());
    send(&mut a, typed(r#""CLIP 2""#));
    assert_eq!(a.filter(), r#""CLIP 2""#, "as typed; matched ignoring case");
    assert_eq!(a.visible().len(), 11);
    assert_eq!(
        a.current_row().unwrap().id,
        id(29),
        "cursor still on its video"
    );
    send(&mut a, [press(KeyCode::Backspace)]);
    assert!(a.filter_error().is_some(), "a quote left open");
    assert_eq!(
        a.visible().len(),
        0,
        "a query that does not parse shows no row"
    );
    send(&mut a, [ch('"')]);
    assert_eq!(
        a.visible().len(),
        11,
        "parsing again, it shows what it picks"
    );
    send(&mut a, [press(KeyCode::Esc)]);
    assert!(a.filter_line().is_none() && a.filter().is_empty());
    send(
        &mut a,
        [
            ch('/'),
            Msg::Paste("550e8400-e29b-41d4-a716-00000000000a\n".into()),
        ],
    );
    assert_eq!(a.visible(), vec![10], "an ID matches, pasted text included");
    send(&mut a, [ctrl('u'), press(KeyCode::Enter)]);
    assert_eq!(a.visible().len(), 30);
    assert!(a.filter_line().is_none());
}

#[test]
fn the_filter_line_edits_like_a_text_field() {
    let mut a = app(30);
    send(&mut a, [ch('/')]);
    send(&mut a, typed(r#""clp 2""#));
    assert_eq!(a.visible().len(), 0);
    send(
        &mut a,
        [
            press(KeyCode::Home),
            press(KeyCode::Right),
            press(KeyCode::Right),
            press(KeyCode::Right),
        ],
    );
    send(&mut a, [ch('i')]);
    assert_eq!(a.filter(), r#""clip 2""#);
    assert_eq!(a.visible().len(), 11, "clip 2 and clip 20..29");
    send(&mut a, [press(KeyCode::End), ctrl('w')]);
    assert_eq!(a.filter(), r#""clip "#);
    assert_eq!(a.visible().len(), 0, "a quote left open shows no row");
    send(&mut a, [press(KeyCode::Left), press(KeyCode::Delete)]);
    assert_eq!(a.filter(), r#""clip"#);
    send(&mut a, [ctrl('u')]);
    assert_eq!((a.filter(), a.visible().len()), ("", 30));
    assert!(a.filter_line().is_some(), "still typing");
}

#[test]
fn the_add_prompt_fields_edit_like_text_fields() {
    let mut a = app(2);
    send(&mut a, [ch('a')]);
    send(&mut a, typed(&id(7).to_string()));
    assert!(matches!(a.modal(), Modal::AddIds(add) if add.found == [id(7)]));
    // Break the ID in its middle, then mend it.
    send(
        &mut a,
        [
            press(KeyCode::Home),
            press(KeyCode::Right),
            press(KeyCode::Delete),
        ],
    );
    assert!(matches!(a.modal(), Modal::AddIds(add) if add.found.is_empty()));
    send(&mut a, [ch('5')]);
    assert!(matches!(a.modal(), Modal::AddIds(add) if add.found == [id(7)] && add.new == 1));
    send(&mut a, [press(KeyCode::Tab)]);
    send(&mut a, typed("jnue"));
    send(
        &mut a,
        [
            press(KeyCode::Left),
            press(KeyCode::Left),
            press(KeyCode::Backspace),
        ],
    );
    send(&mut a, [press(KeyCode::End), ch('u'), ch('n'), ch('e')]);
    let Modal::AddIds(add) = a.modal() else {
        panic!("{:?}", a.modal())
    };
    assert_eq!(add.label.text(), "jueune");
    send(&mut a, [ctrl('u')]);
    send(&mut a, typed("june"));
    let at = a.now();
    assert_eq!(
        send(&mut a, [press(KeyCode::Enter)]),
        vec![Effect::Edit(Edit::Add {
            ids: vec![id(7)],
            label: Some("june".into()),
            at
        })]
    );
    assert_eq!(a.rows().label(2), Some("june"));
}

/// A pasted saved listing with an entry the API could not have listed takes no ID (read as
/// plain text it took every UUID in it), and the prompt says why.
#[test]
fn a_pasted_listing_with_an_odd_entry_adds_nothing_and_says_why() {
    let mut a = app(2);
    let listing = format!(
        r#"{{"videos": [{{"video_id": "{}", "status": "melting"}}], "meta": {{"request_id": "{}"}}}}"#,
        id(7),
        id(8)
    );
    update(&mut a, Msg::Paste(listing));
    let Modal::AddIds(add) = a.modal() else {
        panic!("{:?}", a.modal())
    };
    assert!(add.found.is_empty(), "{:?}", add.found);
    assert!(
        add.refused
            .as_deref()
            .is_some_and(|why| why.contains("videos[0].status")),
        "{:?}",
        add.refused
    );
}

#[test]
fn d_confirms_the_current_row_when_nothing_is_marked() {
    let mut a = app(5);
    send(&mut a, [ch('j'), ch('d')]);
    let Modal::Confirm(confirm) = &a.modal() else {
        panic!("{:?}", a.modal())
    };
    assert_eq!(confirm.ids(), &[id(1)]);
    assert!(!confirm.must_type());
    send(&mut a, [press(KeyCode::Delete)]);
    assert!(
        matches!(a.modal(), Modal::Confirm(_)),
        "other keys keep the modal"
    );
}

#[test]
fn the_delete_key_also_opens_the_confirmation_and_gone_rows_are_never_offered() {
    let mut a = app(2);
    send(&mut a, [press(KeyCode::Delete)]);
    assert!(matches!(a.modal(), Modal::Confirm(c) if c.ids() == [id(0)]));
    send(
        &mut a,
        [press(KeyCode::Esc), finished(id(0), OutcomeKind::Deleted)],
    );
    assert_eq!(send(&mut a, [ch('d')]), vec![]);
    assert_eq!(*a.modal(), Modal::None);
    assert_eq!(
        a.notice(),
        Some("Nothing to delete: mark rows with Space first.")
    );
}

#[test]
fn d_lists_marked_rows_and_counts_those_hidden_by_the_filter() {
    let mut a = app(20);
    send(&mut a, [ch(' '), ch(' '), ch('/')]);
    send(&mut a, typed(r#""clip 5""#));
    send(&mut a, [press(KeyCode::Enter), ch(' '), ch('d')]);
    let Modal::Confirm(confirm) = &a.modal() else {
        panic!("{:?}", a.modal())
    };
    assert_eq!(confirm.ids(), &[id(0), id(1), id(5)]);
    assert_eq!(confirm.hidden, 2);
}

#[test]
fn enter_never_deletes_n_and_esc_cancel_y_starts_the_grace_countdown() {
    let mut a = app(3);
    for cancel in [ch('n'), press(KeyCode::Esc)] {
        assert_eq!(
            send(&mut a, [ch('d'), press(KeyCode::Enter), cancel]),
            vec![]
        );
        assert_eq!(*a.modal(), Modal::None);
        assert_eq!(send(&mut a, [Msg::Tick(at(60.0))]), vec![]);
    }
    assert_eq!(send(&mut a, [Msg::Tick(at(0.0)), ch('d'), ch('y')]), vec![]);
    assert!(matches!(a.modal(), Modal::Grace(_)));
    assert_eq!(
        send(&mut a, [Msg::Tick(at(2.9))]),
        vec![],
        "still counting down"
    );
    assert_eq!(
        enqueued(&send(&mut a, [Msg::Tick(at(3.0))])),
        vec![vec![id(0)]]
    );
    assert_eq!(*a.modal(), Modal::None);
    assert_eq!(a.rows()[0].state, RowState::Queued);
    assert!(a.batch().is_some());
}

#[test]
fn at_the_threshold_the_count_must_be_typed() {
    let mut a = app(150);
    send(&mut a, [ch('v'), ch('G'), ch('k'), ch('v')]);
    assert_eq!(a.marks().count(), 149);
    send(&mut a, [ch('d'), ch('y'), press(KeyCode::Enter)]);
    assert!(
        matches!(a.modal(), Modal::Confirm(c) if c.must_type()),
        "y alone is not enough"
    );
    send(&mut a, typed("14"));
    send(&mut a, [press(KeyCode::Enter)]);
    assert!(
        matches!(a.modal(), Modal::Confirm(_)),
        "a wrong count does not confirm"
    );
    send(&mut a, typed("99"));
    send(&mut a, [press(KeyCode::Backspace), press(KeyCode::Enter)]);
    assert!(matches!(a.modal(), Modal::Grace(_)));
    let effects = send(&mut a, [Msg::Tick(at(5.0))]);
    let [batch] = &enqueued(&effects)[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(batch.len(), 149);
}

#[test]
fn with_no_grace_period_confirming_sends_at_once() {
    let mut a = app_with(2, no_grace());
    assert_eq!(
        enqueued(&send(&mut a, [ch('d'), ch('y')])),
        vec![vec![id(0)]]
    );
}

#[test]
fn u_esc_and_ctrl_c_undo_the_grace_countdown_and_nothing_is_sent() {
    for undo in [ch('u'), press(KeyCode::Esc), ctrl('c')] {
        let mut a = app(2);
        send(&mut a, [ch(' '), ch('d'), ch('y'), ch('j'), undo]);
        assert_eq!(*a.modal(), Modal::None);
        assert_eq!(send(&mut a, [Msg::Tick(at(10.0))]), vec![]);
        assert_eq!(marked(&a), vec![id(0)], "marks stay after an undo");
        assert_eq!(a.rows()[0].state, RowState::Idle);
    }
}

#[test]
fn x_forgets_after_asking_and_sends_nothing() {
    let mut a = app(4);
    send(&mut a, [ch('j'), ch(' '), ch(' '), ch('x')]);
    assert_eq!(*a.modal(), Modal::ConfirmForget(Forget(vec![id(1), id(2)])));
    assert_eq!(send(&mut a, [ch('n')]), vec![]);
    send(&mut a, [ch('x')]);
    assert_eq!(
        send(&mut a, [ch('y')]),
        vec![Effect::Edit(Edit::Forget(vec![id(1), id(2)]))]
    );
    assert_eq!(
        saved(&a),
        vec![id(0), id(3)],
        "the rows no longer hold them"
    );
    assert_eq!(a.marks().count(), 0);
    assert_eq!(a.current_row().unwrap().id, id(3));
}

#[test]
fn a_adds_the_new_uuids_found_in_typed_or_pasted_text() {
    let mut a = app(2);
    send(&mut a, [ch('a')]);
    send(&mut a, [Msg::Paste(format!("{}, {}\nbogus", id(1), id(7)))]);
    send(&mut a, [press(KeyCode::Tab)]);
    send(&mut a, typed("june"));
    let at = a.now();
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::Edit(Edit::Add {
            ids: vec![id(7)],
            label: Some("june".into()),
            at
        })],
        "only the new one"
    );
    assert_eq!(saved(&a), vec![id(0), id(1), id(7)]);
    assert_eq!(a.rows().label(2), Some("june"));
    assert_eq!(
        a.rows().added_at(2),
        Timestamp::from_second(a.now().as_second()).unwrap()
    );
    assert_eq!(a.row_of(&id(7)), Some(2));
    // Pasting on the table opens the prompt with the text.
    send(&mut a, [Msg::Paste(id(7).to_string())]);
    assert!(matches!(a.modal(), Modal::AddIds(add) if add.text.text() == id(7).to_string()));
    assert_eq!(send(&mut a, [press(KeyCode::Enter)]), vec![], "nothing new");
    send(&mut a, [ch('a'), ch('x'), press(KeyCode::Esc)]);
    assert_eq!(*a.modal(), Modal::None);
}

#[test]
fn forgotten_rows_stay_out_of_filters_and_come_back_when_added_again() {
    let mut a = app(4);
    send(&mut a, [ch('j'), ch(' '), ch('x'), ch('y')]);
    assert_eq!((a.known(), shown(&a)), (3, vec![id(0), id(2), id(3)]));
    send(&mut a, [ch('/'), ch('c'), press(KeyCode::Enter)]);
    assert_eq!(shown(&a), [id(0), id(2), id(3)], "a new filter skips it");
    send(&mut a, [press(KeyCode::Esc), ctrl('a')]);
    assert_eq!(marked(&a), [id(0), id(2), id(3)], "and so does marking");
    send(&mut a, [press(KeyCode::Esc)]);
    send(&mut a, [ch('a'), Msg::Paste(id(1).to_string())]);
    let at = a.now();
    assert_eq!(
        send(&mut a, [press(KeyCode::Enter)]),
        vec![Effect::Edit(Edit::Add {
            ids: vec![id(1)],
            label: None,
            at
        })]
    );
    assert_eq!(a.notice(), Some("Added 1 video(s)."));
    assert_eq!(a.row_of(&id(1)), Some(1), "back in its old row");
    assert_eq!((a.known(), shown(&a), saved(&a)), (4, ids(0..4), ids(0..4)));
    for _ in 0..4 {
        send(&mut a, [ch('x'), ch('y')]);
    }
    assert_eq!((a.known(), saved(&a), a.cursor()), (0, vec![], None));
}

/// Issue 21 B7: `R` marked videos refused with 403 again, though a retry only repeats that
/// answer. It skips them and says how many; `R` pressed again at once marks them too.
#[test]
fn r_marks_rows_whose_last_delete_did_not_succeed_forbidden_ones_when_asked_twice() {
    let mut a = app(6);
    send(
        &mut a,
        [
            finished(id(0), OutcomeKind::Deleted),
            finished(id(2), OutcomeKind::Forbidden),
            finished(id(4), OutcomeKind::Forbidden),
        ],
    );
    send(&mut a, [finished(id(3), OutcomeKind::Cancelled)]);
    send(&mut a, [ch('R')]);
    assert_eq!(marked(&a), vec![id(3)]);
    assert_eq!(
        a.notice(),
        Some(
            "Marked 1 video(s) whose last delete did not succeed. Skipped 2 refused as \
             forbidden (403, permanent): R again marks them too."
        )
    );
    send(&mut a, [ch('R')]);
    assert_eq!(marked(&a), vec![id(2), id(3), id(4)]);
    assert_eq!(
        a.notice(),
        Some("Marked 3 video(s) whose last delete did not succeed, forbidden ones included.")
    );
    // Any other key between takes the offer back.
    send(&mut a, [press(KeyCode::Esc), ch('R'), ch('j'), ch('R')]);
    assert_eq!(marked(&a), vec![id(3)]);
}

#[test]
fn enter_opens_the_detail_panel_help_and_history_open_and_close() {
    let mut a = app(2);
    assert_eq!(
        send(&mut a, [press(KeyCode::Enter)]),
        vec![Effect::LoadVideo(id(0))],
        "the store's copy is asked for"
    );
    assert_eq!(*a.modal(), Modal::Detail(Detail::default()));
    send(&mut a, [ch('j')]);
    assert_eq!(
        *a.modal(),
        Modal::Detail(Detail::default()),
        "keys do not leak to the table"
    );
    assert_eq!(a.cursor_pos(), Some(0));
    send(&mut a, [press(KeyCode::Esc)]);
    assert_eq!(*a.modal(), Modal::None);
    for close in [ch('?'), press(KeyCode::Esc)] {
        send(&mut a, [ch('?')]);
        assert!(matches!(a.modal(), Modal::Help(_)));
        send(&mut a, [close]);
        assert_eq!(*a.modal(), Modal::None);
    }
    assert_eq!(send(&mut a, [ch('H')]), vec![Effect::LoadHistory]);
    send(
        &mut a,
        [
            Msg::HistoryLoaded(vec![history_entry(1, OutcomeKind::Deleted)]),
            ch('j'),
        ],
    );
    let Modal::History(history) = &a.modal() else {
        panic!()
    };
    assert_eq!(
        history.entries(),
        Some(&[history_entry(1, OutcomeKind::Deleted)][..])
    );
    assert_eq!(
        (history.selected(), history.top()),
        (0, 0),
        "one entry: nothing to scroll"
    );
    send(&mut a, [press(KeyCode::Esc)]);
    assert_eq!(*a.modal(), Modal::None);
}

#[test]
fn q_and_ctrl_c_quit_when_idle() {
    assert_eq!(send(&mut app(1), [ch('q')]), vec![Effect::Quit]);
    assert_eq!(send(&mut app(1), [ctrl('c')]), vec![Effect::Quit]);
}

#[test]
fn during_a_batch_q_asks_first_and_ctrl_c_cancels() {
    let mut a = app(3);
    send(&mut a, [Msg::Engine(Event::Queued { ids: vec![id(0)] })]);
    assert_eq!(send(&mut a, [ch('q')]), vec![]);
    assert_eq!(*a.modal(), Modal::ConfirmQuit(Quit));
    assert_eq!(send(&mut a, [ch('n')]), vec![]);
    assert_eq!(send(&mut a, [ctrl('c')]), vec![Effect::CancelBatch]);
    assert_eq!(send(&mut a, [ch('q'), ch('y')]), vec![Effect::Quit]);
}

#[test]
fn k_opens_the_key_prompt_which_rejects_an_empty_key() {
    let mut a = app(1);
    send(&mut a, [ch('K'), press(KeyCode::Enter)]);
    let Modal::KeyPrompt(prompt) = &a.modal() else {
        panic!()
    };
    assert_eq!(prompt.error.as_deref(), Some("the API key is empty"));
    send(&mut a, typed("sk-1"));
    send(&mut a, [press(KeyCode::Backspace), ch('2')]);
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::SetKey {
            key: ApiKey::new("sk-2").unwrap(),
            save: false
        }]
    );
    assert!(a.key_set());
}
