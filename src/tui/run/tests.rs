//! The loop's effect handling against a fake `Persistence`, a real delete pipeline over a
//! store in a temporary folder, and the channels an engine would use (no terminal).

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::*;
use crate::api::{ApiKey, Outcome, OutcomeKind, VideoId};
use crate::pipeline::Edit;
use crate::store::{Details, Existing, HistoryEntry, KnownVideo, Paths, Recorder, Store};
use crate::sync::SyncNews;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::app::Settings;
use crate::tui::modal::ConfirmedBatch;

#[derive(Default)]
struct FakeDisk {
    keys_given: usize,
    syncs: usize,
    keys_saved: usize,
    copied: Vec<String>,
    exported: Vec<(std::path::PathBuf, String)>,
    fail: bool,
}

impl FakeDisk {
    fn check(&self) -> Result<(), PersistError> {
        if self.fail {
            Err("disk full".into())
        } else {
            Ok(())
        }
    }
}

impl Persistence for FakeDisk {
    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError> {
        self.check()?;
        Ok(vec![entry()])
    }
    fn video(&mut self, id: VideoId) -> Result<Option<KnownVideo>, PersistError> {
        self.check()?;
        Ok(Some(KnownVideo::new(id, Timestamp::UNIX_EPOCH, None)))
    }
    fn key_given(&mut self, _key: &ApiKey) {
        self.keys_given += 1;
    }
    fn start_sync(&mut self) -> Result<(), PersistError> {
        self.check()?;
        self.syncs += 1;
        Ok(())
    }
    fn save_key(&mut self, _key: &ApiKey) -> Result<(), PersistError> {
        self.check()?;
        self.keys_saved += 1;
        Ok(())
    }
    fn copy(&mut self, text: &str) -> Result<(), PersistError> {
        self.check()?;
        self.copied.push(text.to_owned());
        Ok(())
    }
    fn export(
        &mut self,
        path: &std::path::Path,
        text: &str,
        existing: Existing,
    ) -> Result<(), UserFileError> {
        if self.fail {
            return Err(UserFileError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other("the disk is full"),
            });
        }
        if existing == Existing::Keep && self.exported.iter().any(|(at, _)| at == path) {
            return Err(UserFileError::Exists {
                path: path.to_path_buf(),
            });
        }
        self.exported.push((path.to_path_buf(), text.to_owned()));
        Ok(())
    }
}

fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n))
}

fn entry() -> HistoryEntry {
    let outcome = Outcome::unsent(OutcomeKind::Cancelled);
    HistoryEntry::new(Timestamp::UNIX_EPOCH, id(9), &outcome, None)
}

fn videos() -> [KnownVideo; 2] {
    [1, 2].map(|n| KnownVideo::new(id(n), Timestamp::UNIX_EPOCH, None))
}

/// A batch of both videos, confirmed the only way there is: in its modal.
fn confirmed_both() -> ConfirmedBatch {
    let mut app = App::new(
        videos(),
        Settings {
            grace: Duration::ZERO,
            ..Settings::default()
        },
        Timestamp::UNIX_EPOCH,
    );
    let keys = [
        KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('d'), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE),
    ];
    let mut effects: Vec<Effect> = keys
        .into_iter()
        .flat_map(|key| update(&mut app, Msg::Key(key)))
        .collect();
    match effects.pop() {
        Some(Effect::Enqueue(batch)) if effects.is_empty() => batch,
        other => panic!("{other:?}"),
    }
}

/// A loop over an app of videos 1 and 2 (its list already in, so its list channel is closed
/// at once), with a pipeline over a store holding them, and the engine's ends of the
/// channels: what reached the engine, and a way to feed it events.
struct Rig<'s> {
    run: Loop<'s, FakeDisk>,
    paths: Paths,
    engine: UnboundedReceiver<Command>,
    events: UnboundedSender<Event>,
}

fn rig<'s>(dir: &tempfile::TempDir, disk: &'s mut FakeDisk) -> Rig<'s> {
    let paths = Paths::in_dir(dir.path());
    let ids: Vec<VideoId> = videos().iter().map(|video| video.id).collect();
    Store::open(&paths)
        .unwrap()
        .add(&ids, &Details::default(), None, Timestamp::UNIX_EPOCH)
        .unwrap();
    let recorder = Recorder::open(&paths, None).unwrap();
    let (commands, engine) = unbounded_channel();
    let (events, engine_events) = unbounded_channel();
    let (pipeline, news) = Pipeline::spawn(recorder, None, commands, engine_events, true);
    let run = Loop {
        app: App::new(videos(), Settings::default(), Timestamp::UNIX_EPOCH),
        list: unbounded_channel().1,
        news,
        pipeline,
        persist: disk,
        suspension: None,
    };
    Rig {
        run,
        paths,
        engine,
        events,
    }
}

#[tokio::test]
async fn effects_reach_the_engine_through_the_pipeline_and_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut disk = FakeDisk::default();
    let mut rig = rig(&dir, &mut disk);
    let key = ApiKey::new("sk-1").unwrap();
    let effects = [
        Effect::Enqueue(confirmed_both()),
        Effect::CancelBatch,
        Effect::SetKey {
            key: key.clone(),
            save: true,
        },
        Effect::Edit(Edit::Protect(vec![id(2)])),
        Effect::Sync,
    ];
    for effect in effects {
        assert_eq!(rig.run.perform(effect), Step::Continue(Vec::new()));
    }
    assert_eq!(
        rig.run.perform(Effect::LoadHistory),
        Step::Continue(vec![Msg::HistoryLoaded(vec![entry()])])
    );
    assert_eq!(
        rig.run.perform(Effect::LoadVideo(id(4))),
        Step::Continue(vec![Msg::VideoLoaded(Box::new(KnownVideo::new(
            id(4),
            Timestamp::UNIX_EPOCH,
            None
        )))])
    );
    assert_eq!(rig.run.perform(Effect::Quit), Step::Quit);
    assert!(
        matches!(rig.engine.recv().await, Some(Command::Enqueue(ids)) if ids.ids() == [id(1), id(2)])
    );
    let store = Store::open(&rig.paths).unwrap();
    assert_eq!(store.pending().unwrap(), [id(1), id(2)], "queued first");
    assert!(matches!(rig.engine.recv().await, Some(Command::Cancel)));
    assert!(matches!(rig.engine.recv().await, Some(Command::SetKey(k)) if k == key));
    drop(rig.events);
    let finished = rig.run.pipeline.finish();
    assert_eq!(finished.failure, None);
    assert_eq!(store.protected().unwrap(), [id(2)].into_iter().collect());
    assert_eq!(disk.keys_saved, 1);
    assert_eq!(
        (disk.keys_given, disk.syncs),
        (1, 1),
        "a sync sends with the key given"
    );
}

#[tokio::test]
async fn failures_become_messages_not_silence() {
    let dir = tempfile::tempdir().unwrap();
    let mut disk = FakeDisk {
        fail: true,
        ..FakeDisk::default()
    };
    let mut rig = rig(&dir, &mut disk);
    let key = ApiKey::new("sk-1").unwrap();
    assert_eq!(
        rig.run.perform(Effect::SetKey { key, save: true }),
        Step::Continue(vec![Msg::EffectFailed(
            "Could not save the key: disk full".into()
        )])
    );
    assert!(
        matches!(rig.engine.recv().await, Some(Command::SetKey(_))),
        "the key is still used for this session"
    );
    assert_eq!(
        rig.run.perform(Effect::LoadHistory),
        Step::Continue(vec![Msg::EffectFailed(
            "Could not read the history: disk full".into()
        )])
    );
    assert_eq!(
        rig.run.perform(Effect::LoadVideo(id(1))),
        Step::Continue(vec![Msg::EffectFailed(
            "Could not read the video's details: disk full".into()
        )])
    );
    assert_eq!(
        rig.run.perform(Effect::Sync),
        Step::Continue(vec![Msg::Sync(SyncNews::Ended(Err(
            "it could not start: disk full".into()
        )))])
    );
}

#[tokio::test]
async fn quitting_asks_the_engine_to_stop_and_records_what_it_still_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut disk = FakeDisk::default();
    let mut rig = rig(&dir, &mut disk);
    for (n, kind) in [(1, OutcomeKind::Deleted), (2, OutcomeKind::Cancelled)] {
        let outcome = Outcome::unsent(kind);
        rig.events
            .send(Event::Finished { id: id(n), outcome })
            .unwrap();
    }
    rig.events.send(Event::Stopped).unwrap();
    rig.run.shutdown().await.unwrap();
    assert!(matches!(rig.engine.recv().await, Some(Command::Shutdown)));
    let mut store = Store::open(&rig.paths).unwrap();
    let kinds: Vec<_> = store
        .history(None)
        .unwrap()
        .iter()
        .map(|entry| entry.outcome)
        .collect();
    assert_eq!(kinds, [OutcomeKind::Deleted, OutcomeKind::Cancelled]);
    let left: Vec<_> = store.videos().unwrap().iter().map(|v| v.id).collect();
    assert_eq!(left, [id(2)], "the deleted video left the list");
}

#[test]
fn a_panic_is_logged_with_its_message_and_place_before_the_hook_it_wraps() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Only this thread's panics reach this subscriber; other tests' pass through unlogged.
    tracing::subscriber::with_default(subscriber, || {
        terminal::log_and_restore_on_panic();
        let line = line!() + 1;
        let caught = std::panic::catch_unwind(|| panic!("the sky fell on video {}", 7));
        assert!(caught.is_err());
        let log = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("ERROR"), "{log}");
        assert!(log.contains("the sky fell on video 7"), "{log}");
        assert!(
            log.contains(&format!("src/tui/run/tests.rs:{line}:")),
            "{log}"
        );
    });
}

#[tokio::test]
async fn copies_go_to_the_clipboard_and_exports_answer_with_how_many_or_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut disk = FakeDisk::default();
    let mut rig = rig(&dir, &mut disk);
    let run = &mut rig.run;
    assert_eq!(
        run.perform(Effect::Copy("a\nb\n".into())),
        Step::Continue(Vec::new())
    );
    let export = |existing| Effect::Export {
        path: "ids.txt".into(),
        text: "a\nb\n".into(),
        count: 2,
        existing,
    };
    assert_eq!(
        run.perform(export(Existing::Keep)),
        Step::Continue(vec![Msg::Exported {
            path: "ids.txt".into(),
            count: 2
        }])
    );
    assert_eq!(
        run.perform(export(Existing::Keep)),
        Step::Continue(vec![Msg::ExportWouldReplace("ids.txt".into())]),
        "a file already there is not written over unasked"
    );
    run.persist.fail = true;
    match run.perform(export(Existing::Replace)) {
        Step::Continue(msgs) => match msgs.as_slice() {
            [Msg::EffectFailed(why)] => {
                assert_eq!(why, "Nothing was written to ids.txt: the disk is full.");
            }
            other => panic!("{other:?}"),
        },
        Step::Quit => panic!("an export never quits"),
    }
    drop(rig);
    assert_eq!(disk.copied, ["a\nb\n"]);
    assert_eq!(disk.exported, [("ids.txt".into(), "a\nb\n".to_owned())]);
}
