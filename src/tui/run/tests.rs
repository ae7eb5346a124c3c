//! The loop's effect handling against a fake `Persistence` and real channels (no terminal).

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::*;
use crate::api::{ApiKey, Outcome, OutcomeKind, VideoId};
use crate::store::{Existing, HistoryEntry, KnownVideo, ListSource};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::app::Settings;
use crate::tui::modal::ConfirmedBatch;
use crate::tui::rows::SavedRows;

#[derive(Default)]
struct FakeStore {
    enqueued: Vec<VideoId>,
    recorded: Vec<(VideoId, OutcomeKind)>,
    saved_lists: Vec<Vec<VideoId>>,
    keys_saved: usize,
    protected_saved: Vec<Vec<VideoId>>,
    flushes: usize,
    copied: Vec<String>,
    exported: Vec<(std::path::PathBuf, String)>,
    fail: bool,
}

impl FakeStore {
    fn check(&self) -> Result<(), PersistError> {
        if self.fail {
            Err("disk full".into())
        } else {
            Ok(())
        }
    }
}

impl Persistence for FakeStore {
    fn enqueued(&mut self, ids: &[VideoId]) -> Result<(), PersistError> {
        self.check()?;
        self.enqueued.extend_from_slice(ids);
        Ok(())
    }
    fn record(&mut self, id: VideoId, outcome: &Outcome) -> Result<(), PersistError> {
        self.check()?;
        self.recorded.push((id, outcome.kind));
        Ok(())
    }
    fn flush_if_due(&mut self) -> Result<(), PersistError> {
        self.check()
    }
    fn flush(&mut self) -> Result<(), PersistError> {
        self.check()?;
        self.flushes += 1;
        Ok(())
    }
    fn save_list(&mut self, rows: SavedRows) -> Result<(), PersistError> {
        self.check()?;
        self.saved_lists
            .push(rows.videos().map(|video| video.id).collect());
        Ok(())
    }
    fn history(&mut self) -> Result<Vec<HistoryEntry>, PersistError> {
        self.check()?;
        Ok(vec![entry()])
    }
    fn save_protected(&mut self, ids: &[VideoId]) -> Result<(), PersistError> {
        self.check()?;
        self.protected_saved.push(ids.to_vec());
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

/// An app over videos 1 and 2.
fn app() -> App {
    let videos = [1, 2].map(|n| KnownVideo {
        id: id(n),
        added_at: Timestamp::UNIX_EPOCH,
        label: None,
        details: None,
        last: None,
    });
    App::new(videos, Settings::default(), Timestamp::UNIX_EPOCH)
}

/// A batch of both videos of `app()`, confirmed the only way there is: in its modal.
fn confirmed_both() -> ConfirmedBatch {
    let mut app = App::new(
        [1, 2].map(|n| KnownVideo {
            id: id(n),
            added_at: Timestamp::UNIX_EPOCH,
            label: None,
            details: None,
            last: None,
        }),
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

/// A loop over `app()`, whose list is already in (so its list channel is closed at once).
fn looped<'s>(
    commands: UnboundedSender<Command>,
    events: UnboundedReceiver<Event>,
    persist: &'s mut FakeStore,
) -> Loop<'s, FakeStore> {
    Loop {
        app: app(),
        list: unbounded_channel().1,
        commands,
        events,
        persist,
    }
}

#[test]
fn effects_reach_the_engine_and_the_store() {
    let (commands, mut sent) = unbounded_channel();
    let (_events_tx, events) = unbounded_channel();
    let mut store = FakeStore::default();
    let mut run = looped(commands, events, &mut store);
    let key = ApiKey::new("sk-1").unwrap();
    let effects = [
        Effect::Enqueue(confirmed_both()),
        Effect::CancelBatch,
        Effect::SetKey {
            key: key.clone(),
            save: true,
        },
        Effect::SaveList,
        Effect::SaveProtected(vec![id(2)]),
        Effect::RecordOutcome {
            id: id(1),
            outcome: Outcome::unsent(OutcomeKind::Cancelled),
        },
    ];
    for effect in effects {
        assert_eq!(run.perform(effect), Step::Continue(Vec::new()));
    }
    assert_eq!(
        run.perform(Effect::LoadHistory),
        Step::Continue(vec![Msg::HistoryLoaded(vec![entry()])])
    );
    assert_eq!(run.perform(Effect::Quit), Step::Quit);
    assert!(matches!(sent.try_recv(), Ok(Command::Enqueue(ids)) if ids.ids() == [id(1), id(2)]));
    assert!(matches!(sent.try_recv(), Ok(Command::Cancel)));
    assert!(matches!(sent.try_recv(), Ok(Command::SetKey(k)) if k == key));
    assert!(sent.try_recv().is_err());
    assert_eq!(store.enqueued, vec![id(1), id(2)], "saved as pending first");
    assert_eq!(store.keys_saved, 1);
    assert_eq!(store.protected_saved, vec![vec![id(2)]]);
    assert_eq!(
        store.saved_lists,
        vec![vec![id(1), id(2)]],
        "the rows are the list"
    );
    assert_eq!(store.recorded, vec![(id(1), OutcomeKind::Cancelled)]);
}

#[test]
fn failures_become_messages_not_silence() {
    let (commands, mut sent) = unbounded_channel();
    let (_events_tx, events) = unbounded_channel();
    let mut store = FakeStore {
        fail: true,
        ..FakeStore::default()
    };
    let mut run = looped(commands, events, &mut store);
    assert_eq!(
        run.perform(Effect::SaveList),
        Step::Continue(vec![Msg::EffectFailed(
            "Could not save the list: disk full".into()
        )])
    );
    assert_eq!(
        run.perform(Effect::Enqueue(confirmed_both())),
        Step::Continue(vec![Msg::EffectFailed(
            "Could not save the batch as resumable: disk full".into()
        )])
    );
    assert!(
        matches!(sent.try_recv(), Ok(Command::Enqueue(_))),
        "a confirmed batch is still sent"
    );
    let key = ApiKey::new("sk-1").unwrap();
    assert_eq!(
        run.perform(Effect::SetKey { key, save: true }),
        Step::Continue(vec![Msg::EffectFailed(
            "Could not save the key: disk full".into()
        )])
    );
    drop(sent);
    assert_eq!(
        run.perform(Effect::CancelBatch),
        Step::Continue(vec![Msg::EffectFailed(
            "Could not reach the delete engine: it has stopped".into()
        )])
    );
}

#[tokio::test]
async fn quitting_asks_the_engine_to_stop_and_saves_what_it_still_reports() {
    let (commands, mut sent) = unbounded_channel();
    let (events_tx, events) = unbounded_channel();
    let mut store = FakeStore::default();
    for (n, kind) in [(1, OutcomeKind::Deleted), (2, OutcomeKind::Cancelled)] {
        let outcome = Outcome::unsent(kind);
        events_tx
            .send(Event::Finished { id: id(n), outcome })
            .unwrap();
    }
    events_tx.send(Event::Stopped).unwrap();
    let run = looped(commands, events, &mut store);
    run.shutdown().await.unwrap();
    assert!(matches!(sent.try_recv(), Ok(Command::Shutdown)));
    assert_eq!(
        store.recorded,
        vec![
            (id(1), OutcomeKind::Deleted),
            (id(2), OutcomeKind::Cancelled)
        ]
    );
    assert_eq!(store.flushes, 1);
    assert_eq!(
        store.saved_lists,
        vec![vec![id(2)]],
        "the list is saved on the way out, without the deleted video"
    );
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

#[test]
fn copies_go_to_the_clipboard_and_exports_answer_with_how_many_or_why_not() {
    let (commands, _sent) = unbounded_channel();
    let (_events_tx, events) = unbounded_channel();
    let mut store = FakeStore::default();
    let mut run = looped(commands, events, &mut store);
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
    assert_eq!(store.copied, ["a\nb\n"]);
    assert_eq!(store.exported, [("ids.txt".into(), "a\nb\n".to_owned())]);
}
