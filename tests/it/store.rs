//! The data folder end to end through the public API: round trip, damaged and future files
//! left byte-identical with a clear error, the lock, and private file modes.

use std::fs;

use elytron_tui::api::{Outcome, OutcomeKind, VideoId};
use elytron_tui::store::{OutcomeRecorder, Paths, Store, StoreError};
use jiff::Timestamp;

fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n))
}

fn store_in(dir: &tempfile::TempDir) -> (Paths, Store) {
    let paths = Paths::in_dir(&dir.path().join("data"));
    let store = Store::open(&paths).unwrap();
    (paths, store)
}

#[test]
fn the_list_survives_a_reopen_in_order_with_labels_and_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, mut store) = store_in(&dir);
    let ids: Vec<_> = [9, 2, 5, 1].into_iter().map(id).collect();
    store
        .videos_mut()
        .add(&ids, Some("q1 \"tests\" ✓"), Timestamp::now());
    store.save().unwrap();
    let mut recorder = OutcomeRecorder::new(store, Some("api.elytron.com".into())).unwrap();
    let failed = Outcome {
        status: Some(500),
        message: Some("boom".into()),
        attempts: 3,
        ..Outcome::unsent(OutcomeKind::Failed)
    };
    recorder.record(id(2), &failed).unwrap();
    let before = recorder.finish().unwrap().videos().clone();

    let reopened = Store::open(&paths).unwrap().videos().clone();
    assert_eq!(reopened, before);
    let order: Vec<_> = reopened.iter().map(|video| video.id).collect();
    assert_eq!(order, ids);
    assert_eq!(
        reopened.get(&id(2)).unwrap().last.as_ref().unwrap().outcome,
        failed
    );
}

fn assert_refused_untouched(content: &[u8], check: impl Fn(&StoreError)) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(dir.path());
    fs::write(paths.videos(), content).unwrap();
    let err = Store::open(&paths).unwrap_err();
    check(&err);
    let message = err.to_string();
    assert!(
        message.contains(&paths.videos().display().to_string()),
        "{message}"
    );
    assert!(message.contains("left untouched"), "{message}");
    assert_eq!(
        fs::read(paths.videos()).unwrap(),
        content,
        "the file was modified"
    );
}

#[test]
fn a_damaged_list_is_refused_with_its_position_and_left_byte_identical() {
    let content = b"{\"version\":1,\"videos\":[\n{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"added_at\":\"2024-01-01T00:00:00Z\"},\n{\"id\":\"550e8400-e29b-41d4-a716-446655440001\",\"added_at\":\"2024-01-01T00:00:00Z\"\n]}\n";
    assert_refused_untouched(content, |err| match err {
        StoreError::Corrupt { line, .. } => assert_eq!(*line, 4),
        other => panic!("expected Corrupt, got {other:?}"),
    });
    let message = {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        fs::write(paths.videos(), content).unwrap();
        Store::open(&paths).unwrap_err().to_string()
    };
    assert!(message.contains("videos.json:4:1"), "{message}");
    assert!(message.contains("move it aside"), "{message}");
}

#[test]
fn a_truncated_or_empty_list_is_damage_too() {
    for content in [&b""[..], b"{\"version\":1,\"videos\":[\n{\"id\":\"550e84"] {
        assert_refused_untouched(content, |err| {
            assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        });
    }
}

#[test]
fn a_future_version_is_named_and_left_byte_identical() {
    let content = b"{\"version\":3,\"videos\":[],\"shiny\":true}\n";
    assert_refused_untouched(content, |err| match err {
        StoreError::UnknownVersion {
            found, supported, ..
        } => {
            assert_eq!((found.as_str(), *supported), ("3", 2));
        }
        other => panic!("expected UnknownVersion, got {other:?}"),
    });
}

#[test]
fn a_second_store_on_the_same_folder_is_refused_until_the_first_closes() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, first) = store_in(&dir);
    let err = Store::open(&paths).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    assert!(message.contains("elytron-tui.lock"), "{message}");
    assert!(
        message.contains(&format!("process {}", std::process::id())),
        "{message}"
    );
    drop(first);
    Store::open(&paths).unwrap();
}

#[cfg(unix)]
#[test]
fn everything_written_is_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (paths, mut store) = store_in(&dir);
    store
        .videos_mut()
        .add(&[id(1), id(2)], None, Timestamp::now());
    store.save().unwrap();
    let mut recorder = OutcomeRecorder::new(store, None).unwrap();
    recorder.enqueued(&[id(1), id(2)]).unwrap();
    recorder
        .record(
            id(1),
            &Outcome {
                status: Some(204),
                attempts: 1,
                ..Outcome::unsent(OutcomeKind::Deleted)
            },
        )
        .unwrap();
    recorder.finish().unwrap();
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&paths.data_dir), 0o700);
    for file in [
        paths.videos(),
        paths.history(),
        paths.pending(),
        paths.lock(),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[test]
fn temp_files_left_by_a_killed_save_are_swept_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(dir.path());
    let stale = dir.path().join(".videos.json.tmp-4242-0");
    fs::write(&stale, b"{\"version\":1,\"vid").unwrap();
    Store::open(&paths).unwrap();
    assert!(!stale.exists());
}
