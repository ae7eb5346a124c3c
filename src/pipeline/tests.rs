//! The pipeline against a real store in a temporary folder and a stand-in engine: the
//! channels it would use, read and fed by the test.

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::*;
use crate::account::{Held, ToMerge};
use crate::api::{GenerationState, ListedVideo};
use crate::rails::Rails;
use crate::store::{Details, FlushPolicy, Paths, Store};

fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n))
}

fn cleared(ids: &[VideoId]) -> Cleared {
    Rails::default()
        .check(ids.to_vec(), |_| None, Timestamp::UNIX_EPOCH)
        .unwrap()
        .confirm(None)
        .unwrap()
}

struct Rig {
    paths: Paths,
    pipeline: Pipeline,
    news: UnboundedReceiver<News>,
    engine: UnboundedReceiver<Command>,
    events: UnboundedSender<Event>,
}

fn rig(dir: &tempfile::TempDir, known: &[VideoId]) -> Rig {
    let paths = Paths::in_dir(dir.path());
    let mut store = Store::open(&paths).unwrap();
    store
        .add(known, &Details::default(), None, Timestamp::UNIX_EPOCH)
        .unwrap();
    let recorder = Recorder::open(&paths, Some("h".into()))
        .unwrap()
        .with_policy(FlushPolicy {
            max_delay: Duration::from_millis(20),
            max_results: 1000,
        });
    let (commands, engine) = unbounded_channel();
    let (events, engine_events) = unbounded_channel();
    let (pipeline, news) = Pipeline::spawn(recorder, None, commands, engine_events, true);
    Rig {
        paths,
        pipeline,
        news,
        engine,
        events,
    }
}

fn answered(kind: OutcomeKind) -> Outcome {
    Outcome {
        status: Some(204),
        attempts: 1,
        ..Outcome::unsent(kind)
    }
}

#[tokio::test]
async fn a_batch_is_queued_in_the_store_before_the_engine_gets_it_and_each_outcome_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = rig(&dir, &[id(1), id(2)]);
    rig.pipeline.send(cleared(&[id(1), id(2)]));
    match rig.engine.recv().await {
        Some(Command::Enqueue(batch)) => assert_eq!(batch.ids(), [id(1), id(2)]),
        other => panic!("{other:?}"),
    }
    let reader = Store::open(&rig.paths).unwrap();
    assert_eq!(reader.pending().unwrap(), [id(1), id(2)], "queued first");
    rig.events
        .send(Event::Finished {
            id: id(1),
            outcome: answered(OutcomeKind::Deleted),
        })
        .unwrap();
    let idle = Event::Idle {
        counts: Default::default(),
    };
    rig.events.send(idle.clone()).unwrap();
    assert!(matches!(
        rig.news.recv().await,
        Some(News::Engine(Event::Finished { .. }))
    ));
    assert_eq!(rig.news.recv().await, Some(News::Engine(idle)));
    assert_eq!(reader.history(None).unwrap().len(), 1, "written by the end");
    assert_eq!(reader.pending().unwrap(), [id(2)]);
    assert_eq!(reader.count_videos().unwrap(), 1);
    let finished = rig.pipeline.finish();
    assert_eq!(finished.resumable.unwrap(), 1);
    assert_eq!(finished.failure, None);
}

#[tokio::test]
async fn a_batch_that_stops_itself_records_what_it_never_sent_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = rig(&dir, &[id(1), id(2), id(3)]);
    rig.pipeline.send(cleared(&[id(1), id(2), id(3)]));
    rig.pipeline.stop();
    assert!(matches!(rig.engine.recv().await, Some(Command::Enqueue(_))));
    assert!(matches!(rig.engine.recv().await, Some(Command::Cancel)));
    let refused = Outcome {
        status: Some(401),
        attempts: 1,
        ..Outcome::unsent(OutcomeKind::Cancelled)
    };
    for (n, outcome) in [(1, refused), (2, Outcome::unsent(OutcomeKind::Cancelled))] {
        rig.events
            .send(Event::Finished { id: id(n), outcome })
            .unwrap();
    }
    let mut kinds = Vec::new();
    for _ in 0..2 {
        match rig.news.recv().await {
            Some(News::Engine(Event::Finished { outcome, .. })) => kinds.push(outcome.kind),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(kinds, [OutcomeKind::Unauthorized, OutcomeKind::Skipped]);
    let finished = rig.pipeline.finish();
    assert_eq!(finished.resumable.unwrap(), 3, "none of them was answered");
    let history = Store::open(&rig.paths).unwrap().history(None).unwrap();
    let kinds: Vec<_> = history.iter().map(|entry| entry.outcome).collect();
    assert_eq!(kinds, [OutcomeKind::Unauthorized, OutcomeKind::Skipped]);
}

#[tokio::test]
async fn a_second_batch_on_the_profile_is_refused_while_another_process_sends() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = rig(&dir, &[id(1)]);
    let other = SendLock::acquire(&rig.paths).unwrap();
    rig.pipeline.send(cleared(&[id(1)]));
    match rig.news.recv().await {
        Some(News::Refused { ids, why }) => {
            assert_eq!(ids, [id(1)]);
            assert!(why.contains("is sending deletes"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert!(rig.engine.try_recv().is_err(), "nothing reached the engine");
    drop(other);
    rig.pipeline.send(cleared(&[id(1)]));
    assert!(matches!(rig.engine.recv().await, Some(Command::Enqueue(_))));
    assert_eq!(rig.pipeline.finish().resumable.unwrap(), 1);
}

#[tokio::test]
async fn an_id_protected_since_the_confirmation_never_reaches_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = rig(&dir, &[id(1), id(2)]);
    Store::open(&rig.paths).unwrap().protect(&[id(2)]).unwrap();
    rig.pipeline.send(cleared(&[id(1), id(2)]));
    match rig.engine.recv().await {
        Some(Command::Enqueue(batch)) => assert_eq!(batch.ids(), [id(1)]),
        other => panic!("{other:?}"),
    }
    match rig.news.recv().await {
        Some(News::Engine(Event::Finished { id: left, outcome })) => {
            assert_eq!((left, outcome.kind), (id(2), OutcomeKind::Protected));
        }
        other => panic!("{other:?}"),
    }
    let finished = rig.pipeline.finish();
    assert_eq!(finished.resumable.unwrap(), 1);
    let reader = Store::open(&rig.paths).unwrap();
    assert!(reader.history(None).unwrap().is_empty(), "never recorded");
}

/// Stores `ids` as a sync listed them, all in `state`.
fn listed_as(paths: &Paths, ids: &[VideoId], state: GenerationState) {
    let videos: Vec<ToMerge> = (ids.iter())
        .map(|&id| ToMerge {
            video: ListedVideo {
                id,
                prompt: None,
                state: Some(state),
                progress: None,
                duration: None,
                quality: None,
                aspect_ratio: None,
                style: None,
                created_at: None,
                completed_at: None,
                download_url: None,
                file_size: None,
                error: None,
            },
            held: Held::Changed,
        })
        .collect();
    let mut store = Store::open(paths).unwrap();
    store.merge_listed(&videos, Timestamp::UNIX_EPOCH).unwrap();
}

#[tokio::test]
async fn the_engine_hears_which_confirmed_ids_are_generating_before_it_gets_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = rig(&dir, &[id(1), id(2), id(3), id(4), id(5)]);
    listed_as(&rig.paths, &[id(1), id(3)], GenerationState::Processing);
    listed_as(&rig.paths, &[id(2)], GenerationState::Pending);
    listed_as(&rig.paths, &[id(4)], GenerationState::Completed);
    // Id 3 is generating but not in the batch; id 2 was protected since it was confirmed.
    Store::open(&rig.paths).unwrap().protect(&[id(2)]).unwrap();
    rig.pipeline.send(cleared(&[id(1), id(2), id(4), id(5)]));
    match rig.engine.recv().await {
        Some(Command::Generating(ids)) => assert_eq!(ids, [id(1)]),
        other => panic!("{other:?}"),
    }
    match rig.engine.recv().await {
        Some(Command::Enqueue(batch)) => assert_eq!(batch.ids(), [id(1), id(4), id(5)]),
        other => panic!("{other:?}"),
    }
    rig.pipeline.finish();
}

#[tokio::test]
async fn a_status_checks_progress_is_written_before_the_driver_hears_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = rig(&dir, &[id(1), id(2)]);
    let generating = |n, progress| Event::Generating {
        id: id(n),
        progress,
        estimated_completion: None,
    };
    rig.events.send(generating(1, None)).unwrap();
    rig.events.send(generating(2, Some(65))).unwrap();
    assert_eq!(
        rig.news.recv().await,
        Some(News::Engine(generating(1, None)))
    );
    assert_eq!(
        rig.news.recv().await,
        Some(News::Engine(generating(2, Some(65))))
    );
    let list = Store::open(&rig.paths).unwrap().videos().unwrap();
    let progress = |n| {
        list.get(&id(n))
            .and_then(|video| video.details.as_ref())
            .and_then(|details| details.generation.progress)
    };
    assert_eq!((progress(1), progress(2)), (None, Some(65)));
    rig.pipeline.finish();
}
