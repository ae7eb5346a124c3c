//! Engine events: rows update in place, the gauge counts, 401 asks for a key.

use super::*;
use crate::sync::SyncNews;

fn started(a: &mut App, n: u128) {
    send(a, [ch('G')]);
    send(
        a,
        [Msg::Engine(Event::Queued {
            ids: (0..n).map(id).collect(),
        })],
    );
}

#[test]
fn queued_started_retrying_finished_update_rows_and_the_gauge() {
    let mut a = app(4);
    started(&mut a, 3);
    let batch = a.batch().unwrap();
    assert_eq!((batch.total, batch.done), (3, 0));
    assert!((0..3).all(|i| a.rows()[i].state == RowState::Queued));
    send(
        &mut a,
        [Msg::Engine(Event::Started {
            id: id(0),
            attempt: 1,
        })],
    );
    assert_eq!(a.rows()[0].state, RowState::Deleting { attempt: 1 });
    send(
        &mut a,
        [Msg::Engine(Event::Retrying {
            id: id(0),
            attempt: 1,
            wait: Duration::from_secs(4),
            reason: "HTTP 503".into(),
        })],
    );
    assert_eq!(a.rows()[0].state, RowState::Retrying);
    let Some(Wait::Retry(retry)) = a.wait_of(0) else {
        panic!("{:?}", a.wait_of(0))
    };
    assert_eq!(
        (retry.attempt, retry.next_at, retry.reason.as_str()),
        (1, at(4.0), "HTTP 503")
    );
    let outcome = Outcome {
        attempts: 2,
        status: Some(204),
        ..Outcome::unsent(OutcomeKind::Deleted)
    };
    let effects = send(
        &mut a,
        [Msg::Engine(Event::Finished {
            id: id(0),
            outcome: outcome.clone(),
        })],
    );
    assert_eq!(
        effects,
        vec![],
        "the pipeline records it; the model only shows it"
    );
    assert_eq!(a.rows()[0].finished().map(|f| &f.outcome), Some(&outcome));
    assert!(!a.rows()[0].is_markable());
    send(&mut a, [finished(id(1), OutcomeKind::Forbidden)]);
    let batch = a.batch().unwrap();
    assert_eq!((batch.total, batch.done, batch.failures), (3, 2, 1));
    assert!(
        a.rows()[1].is_markable(),
        "a forbidden row can be marked again"
    );
    assert_eq!(
        a.current_row().unwrap().id,
        id(3),
        "the cursor stayed on its video"
    );
    let ids: Vec<_> = a.rows().iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        (0..4).map(id).collect::<Vec<_>>(),
        "row order is frozen"
    );
}

#[test]
fn events_for_unknown_ids_still_count() {
    let mut a = app(1);
    started(&mut a, 1);
    send(&mut a, [finished(id(99), OutcomeKind::NotFound)]);
    assert_eq!(a.batch().unwrap().done, 1);
    assert_eq!(shown(&a), [id(0)], "no row for it");
}

#[test]
fn a_401_pauses_and_asks_for_the_key_and_enter_resumes_with_it() {
    let mut a = app(2);
    started(&mut a, 2);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    assert!(a.key_needed());
    assert_eq!(a.batch().unwrap().paused, Some(Paused::Unauthorized));
    assert!(matches!(a.modal(), Modal::KeyPrompt(_)));
    send(&mut a, typed("sk-new"));
    send(&mut a, [press(KeyCode::Tab)]);
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::SetKey {
            key: ApiKey::new("sk-new").unwrap(),
            save: true
        }]
    );
    assert_eq!(*a.modal(), Modal::None);
    send(&mut a, [Msg::Engine(Event::Resumed)]);
    assert_eq!(a.batch().unwrap().paused, None);
}

#[test]
fn esc_on_the_key_prompt_leaves_the_batch_paused() {
    let mut a = app(2);
    started(&mut a, 2);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    assert_eq!(send(&mut a, [ch('s'), press(KeyCode::Esc)]), vec![]);
    assert_eq!(*a.modal(), Modal::None);
    assert!(a.key_needed());
    assert_eq!(a.batch().unwrap().paused, Some(Paused::Unauthorized));
    assert!(a.notice().unwrap().contains("press K"));
}

#[test]
fn a_401_does_not_replace_an_open_confirmation() {
    let mut a = app(3);
    started(&mut a, 1);
    send(&mut a, [ch('d')]);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    assert!(matches!(a.modal(), Modal::Confirm(_)));
    assert!(a.key_needed());
}

#[test]
fn rate_limit_pauses_show_a_countdown_and_idle_ends_the_batch() {
    let mut a = app(2);
    started(&mut a, 2);
    send(
        &mut a,
        [Msg::Engine(Event::Paused(Pause::RateLimited {
            resume_in: Duration::from_secs(7),
            waiting_for: RateWait::Reset,
        }))],
    );
    let batch = a.batch().unwrap();
    assert_eq!(
        batch.paused,
        Some(Paused::RateLimited {
            until: at(7.0),
            waiting_for: RateWait::Reset
        })
    );
    assert_eq!(batch.resume_in(at(2.5)), Some(5));
    send(&mut a, [Msg::Engine(Event::Resumed)]);
    assert_eq!(a.batch().unwrap().paused, None);
    let mut counts = BatchCounts::default();
    counts.add(OutcomeKind::Deleted);
    counts.add(OutcomeKind::Failed);
    send(&mut a, [Msg::Engine(Event::Idle { counts })]);
    assert_eq!(a.batch(), None);
    assert_eq!(
        a.notice(),
        Some("Batch done: 1 deleted, 0 not found, 1 did not succeed.")
    );
    send(&mut a, [Msg::Engine(Event::Stopped)]);
    assert_eq!(a.notice(), Some("The delete engine has stopped."));
}

fn unreachable(retry_in: Option<Duration>) -> Msg {
    Msg::Engine(Event::Paused(Pause::Halted(Halt {
        cause: HaltCause::Unreachable {
            detail: "could not connect: connection refused".into(),
        },
        retry_in,
    })))
}

/// A sync's pages share the engine: a halt over them alone shows (with `r` to retry) though
/// no batch runs, and leaves nothing behind once it ends.
#[test]
fn a_halt_over_a_syncs_pages_alone_shows_and_its_end_leaves_no_batch() {
    let mut a = app(2);
    assert!(a.start_sync());
    send(&mut a, [unreachable(Some(Duration::from_secs(4)))]);
    assert!(a.batch().is_some_and(|batch| batch.halted()));
    assert_eq!(send(&mut a, [ch('r')]), vec![Effect::RetryNow]);
    send(&mut a, [Msg::Engine(Event::Resumed)]);
    assert!(a.batch().is_none(), "no batch was queued");
}

/// A sync whose page the server refused ends at once; the engine's pause that comes after it
/// asks for a key, and no gauge says a batch is paused: nothing waits.
#[test]
fn a_401_after_the_sync_it_stopped_asks_for_a_key_and_shows_no_batch() {
    let mut a = app(2);
    assert!(a.start_sync());
    a.sync_news(SyncNews::Ended(Err("the API key was refused".into())));
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    assert!(a.key_needed());
    assert!(matches!(a.modal(), Modal::KeyPrompt(_)));
    assert_eq!(a.batch(), None);

    // A halt over a sync's pages shows while the sync lasts, and goes with it.
    assert!(a.start_sync());
    send(&mut a, [unreachable(Some(Duration::from_secs(4)))]);
    assert!(a.batch().is_some_and(|batch| batch.halted()));
    a.sync_news(SyncNews::Ended(Err("gave up".into())));
    assert_eq!(a.batch(), None);
}

#[test]
fn a_halt_shows_its_cause_and_next_try_and_r_retries_now() {
    let mut a = app(2);
    started(&mut a, 2);
    assert_eq!(send(&mut a, [ch('r')]), vec![], "r does nothing unhalted");
    send(&mut a, [unreachable(Some(Duration::from_secs(4)))]);
    let batch = a.batch().unwrap();
    assert!(batch.halted());
    assert_eq!(
        batch.paused,
        Some(Paused::Halted {
            cause: "the server cannot be reached: could not connect: connection refused".into(),
            retry_at: Some(at(4.0)),
        })
    );
    assert_eq!(batch.resume_in(at(1.2)), Some(3));
    assert_eq!(send(&mut a, [ch('r')]), vec![Effect::RetryNow]);
    assert_eq!(
        send(
            &mut a,
            [Msg::Key(KeyEvent::new(
                KeyCode::Char('c'),
                KeyModifiers::CONTROL
            ))]
        ),
        vec![Effect::CancelBatch]
    );
    send(&mut a, [Msg::Engine(Event::Resumed)]);
    assert_eq!(a.batch().unwrap().paused, None);
    assert_eq!(send(&mut a, [ch('r')]), vec![], "nothing halted any more");
}

#[test]
fn a_new_confirmed_batch_joins_the_running_one() {
    let mut a = app_with(4, no_grace());
    started(&mut a, 2);
    send(&mut a, [ch('g'), ch(' '), ch(' ')]);
    assert_eq!(marked(&a), vec![], "queued rows cannot be marked");
    send(&mut a, [ch(' '), ch(' ')]);
    let effects = send(&mut a, [ch('d'), ch('y')]);
    assert_eq!(enqueued(&effects), vec![vec![id(2), id(3)]]);
    send(
        &mut a,
        [Msg::Engine(Event::Queued {
            ids: vec![id(2), id(3)],
        })],
    );
    assert_eq!(a.batch().unwrap().total, 4);
}

#[test]
fn a_result_for_a_forgotten_row_is_counted_and_the_row_stays_forgotten() {
    let mut a = app(3);
    send(&mut a, [ch('x'), ch('y')]);
    assert_eq!((a.known(), shown(&a)), (2, vec![id(1), id(2)]));
    send(&mut a, [finished(id(0), OutcomeKind::Forbidden)]);
    assert_eq!((a.known(), shown(&a)), (2, vec![id(1), id(2)]));
    assert_eq!(saved(&a), vec![id(1), id(2)], "not back in the list");
}

#[test]
fn a_cancelled_batch_counts_what_it_never_sent_apart_from_what_failed() {
    let mut a = app(5);
    started(&mut a, 5);
    send(&mut a, [finished(id(0), OutcomeKind::Deleted)]);
    send(&mut a, [finished(id(1), OutcomeKind::Failed)]);
    // Cancelled mid-retry: a request went out, so it did not succeed; the rest never left.
    send(&mut a, [finished(id(2), OutcomeKind::Cancelled)]);
    let unsent = |n| {
        Msg::Engine(Event::Finished {
            id: id(n),
            outcome: Outcome::unsent(OutcomeKind::Cancelled),
        })
    };
    send(&mut a, [unsent(3), unsent(4)]);
    let batch = a.batch().unwrap();
    assert_eq!((batch.failures, batch.never_sent), (4, 2));
    let mut counts = BatchCounts::default();
    for kind in [
        OutcomeKind::Deleted,
        OutcomeKind::Failed,
        OutcomeKind::Cancelled,
        OutcomeKind::Cancelled,
        OutcomeKind::Cancelled,
    ] {
        counts.add(kind);
    }
    send(&mut a, [Msg::Engine(Event::Idle { counts })]);
    assert_eq!(
        a.notice(),
        Some(
            "Batch cancelled: 1 deleted, 0 not found, 2 did not succeed, 2 cancelled before \
             being sent."
        )
    );
}

#[test]
fn rows_refused_with_the_key_wait_for_a_new_one_and_are_sent_again_with_it() {
    let mut a = app(3);
    started(&mut a, 3);
    let start = |n, attempt| Msg::Engine(Event::Started { id: id(n), attempt });
    send(&mut a, [start(0, 1), start(1, 1)]);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    let states: Vec<&RowState> = (0..3).map(|n| &a.rows()[n].state).collect();
    assert_eq!(
        states,
        [
            &RowState::AwaitingKey,
            &RowState::AwaitingKey,
            &RowState::Queued
        ],
        "the refused requests are no longer on their way"
    );
    assert_eq!(a.rows()[0].status_word(), "needs key");
    assert!(!a.rows()[0].is_moving() && a.rows()[0].is_active());
    send(&mut a, [Msg::Engine(Event::Resumed), start(0, 2)]);
    assert_eq!(a.rows()[0].state, RowState::Deleting { attempt: 2 });
}

/// Issue 17 §4: the app waited for `api_key_command` before drawing anything. Now it runs
/// meanwhile: a batch waits for its answer without a prompt; a key resumes it, and a failure
/// says why (never what the command printed: `config::key_command`) and asks.
#[test]
fn the_key_command_answers_while_the_app_runs() {
    let waiting = "api_key_command \"pass show elytron\" (at most 30 s)";
    let mut a = app_with(3, no_grace());
    a.waiting_for_key(waiting.to_owned());
    assert!(a.notice().unwrap().contains(waiting));
    send(&mut a, [ch('d'), ch('y')]);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    assert_eq!(*a.modal(), Modal::None, "no prompt while the command runs");
    let key = ApiKey::new("sk-from-the-command").unwrap();
    let effects = send(&mut a, [Msg::KeyFetched(Ok(key.clone()))]);
    assert_eq!(effects, vec![Effect::SetKey { key, save: false }]);
    assert!(a.key_command().is_none() && !a.key_needed());
    assert!(a.key_set());

    let mut a = app_with(3, no_grace());
    a.waiting_for_key(waiting.to_owned());
    send(&mut a, [ch('d'), ch('y')]);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    let why = "api_key_command \"pass show elytron\" failed (exit status: 1); …".to_owned();
    let effects = send(&mut a, [Msg::KeyFetched(Err(why))]);
    assert_eq!(effects, vec![]);
    assert!(a.key_command().is_none());
    assert!(
        a.notice()
            .unwrap()
            .starts_with("No key: api_key_command \"pass show elytron\" failed"),
        "{:?}",
        a.notice()
    );
    assert!(
        matches!(a.modal(), Modal::KeyPrompt(_)),
        "the waiting batch asks"
    );
}

/// The `pause` key: it asks the engine; the engine's word pauses the screen (the gauge says
/// how to resume, waiting rows say `paused`, no ETA); the same key asks to resume, and
/// `Resumed` clears it. With no batch it says so and asks nothing.
#[test]
fn pause_asks_the_engine_and_its_word_pauses_and_resumes_the_screen() {
    let mut a = app(3);
    assert_eq!(send(&mut a, [ch('P')]), []);
    assert!(
        a.notice().unwrap_or_default().contains("No batch"),
        "{:?}",
        a.notice()
    );
    started(&mut a, 3);
    send(
        &mut a,
        [Msg::Engine(Event::Started {
            id: id(0),
            attempt: 1,
        })],
    );
    assert_eq!(send(&mut a, [ch('P')]), [Effect::PauseBatch]);
    send(
        &mut a,
        [
            Msg::Tick(at(4.0)),
            Msg::Engine(Event::Paused(Pause::ByUser { in_flight: 1 })),
        ],
    );
    let batch = a.batch().expect("a batch");
    assert!(batch.paused_by_user());
    assert_eq!(batch.eta(at(30.0)), None, "the ETA stops");
    assert_eq!(send(&mut a, [ch('P')]), [Effect::ResumeBatch]);
    send(&mut a, [Msg::Engine(Event::Resumed)]);
    assert!(!a.batch().expect("a batch").paused_by_user());
    assert_eq!(send(&mut a, [ch('P')]), [Effect::PauseBatch]);
}

/// Ctrl-z asks to go back to the shell wherever the keyboard is: the table, the filter line,
/// a dialog; the dialog stays as it was.
#[test]
fn ctrl_z_suspends_from_the_table_the_filter_and_a_dialog() {
    let mut a = app(3);
    assert_eq!(send(&mut a, [ctrl('z')]), [Effect::Suspend]);
    send(&mut a, [ch('/')]);
    assert_eq!(send(&mut a, [ctrl('z')]), [Effect::Suspend]);
    assert!(a.filter_line().is_some(), "the filter line stays open");
    send(&mut a, [press(KeyCode::Esc), ch('?')]);
    assert_eq!(send(&mut a, [ctrl('z')]), [Effect::Suspend]);
    assert!(matches!(a.modal(), Modal::Help(_)), "the help stays open");
}
