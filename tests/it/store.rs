//! The profile's store end to end through the public API: a round trip through a reopen,
//! damaged and newer databases left byte-identical with a clear error, old files that do not
//! read stopping the move into a database before anything is created, and private modes.

use std::fs;

use elytron_tui::api::{Outcome, OutcomeKind, VideoId};
use elytron_tui::store::{Details, Paths, Recorder, SCHEMA_VERSION, SendLock, Store, StoreError};
use jiff::Timestamp;

fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n))
}

fn paths_in(dir: &tempfile::TempDir) -> Paths {
    Paths::in_dir(&dir.path().join("data"))
}

#[test]
fn the_list_survives_a_reopen_in_order_with_labels_and_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(&dir);
    let mut store = Store::open(&paths).unwrap();
    let ids: Vec<_> = [9, 2, 5, 1].into_iter().map(id).collect();
    store
        .add(
            &ids,
            &Details::default(),
            Some("q1 \"tests\" ✓"),
            Timestamp::now(),
        )
        .unwrap();
    let mut recorder = Recorder::open(&paths, Some("api.elytron.com".into())).unwrap();
    let failed = Outcome {
        status: Some(500),
        message: Some("boom".into()),
        attempts: 3,
        ..Outcome::unsent(OutcomeKind::Failed)
    };
    recorder.record(id(2), &failed);
    recorder.flush().unwrap();
    let before = store.videos().unwrap();
    drop((store, recorder));

    let reopened = Store::open(&paths).unwrap().videos().unwrap();
    assert_eq!(reopened, before);
    let order: Vec<_> = reopened.iter().map(|video| video.id).collect();
    assert_eq!(order, ids);
    assert_eq!(
        reopened.get(&id(2)).unwrap().last.as_ref().unwrap().outcome,
        failed
    );
    assert_eq!(
        reopened.get(&id(9)).unwrap().label.as_deref(),
        Some("q1 \"tests\" ✓")
    );
}

/// A file in place of the database: refused with `check`, named, and left as it was.
fn assert_refused_untouched(content: &[u8], check: impl Fn(&StoreError)) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(dir.path());
    fs::write(paths.database(), content).unwrap();
    let err = Store::open(&paths).unwrap_err();
    check(&err);
    let message = err.to_string();
    assert!(
        message.contains(&paths.database().display().to_string()),
        "{message}"
    );
    assert!(message.contains("left untouched"), "{message}");
    assert_eq!(
        fs::read(paths.database()).unwrap(),
        content,
        "the file was modified"
    );
}

#[test]
fn a_damaged_database_is_reported_never_recreated_and_left_byte_identical() {
    let text = b"SQLite format 3\0 but the rest of a header is missing".repeat(30);
    assert_refused_untouched(&text, |err| {
        assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    });
    // A sound database whose pages were overwritten in the middle: opening reads only its
    // first pages, so the damage is met (and named) when the list is read.
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(dir.path());
    let mut store = Store::open(&paths).unwrap();
    let ids: Vec<_> = (1..=2000).map(id).collect();
    store
        .add(&ids, &Details::default(), Some("label"), Timestamp::now())
        .unwrap();
    drop(store);
    let mut bytes = fs::read(paths.database()).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0x5a);
    fs::write(paths.database(), &bytes).unwrap();
    let err = Store::open(&paths)
        .and_then(|mut store| store.videos().map(drop))
        .unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("never recreates"), "{err}");
    assert_eq!(fs::read(paths.database()).unwrap(), bytes);
}

#[test]
fn a_database_of_a_newer_version_is_named_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(dir.path());
    drop(Store::open(&paths).unwrap());
    bump_version(&paths);
    let before = fs::read(paths.database()).unwrap();
    match Store::open(&paths).unwrap_err() {
        StoreError::NewerDatabase {
            found, supported, ..
        } => assert_eq!(
            (found, supported),
            (i64::from(SCHEMA_VERSION) + 1, SCHEMA_VERSION)
        ),
        other => panic!("expected NewerDatabase, got {other:?}"),
    }
    assert_eq!(fs::read(paths.database()).unwrap(), before);
}

/// Sets the database's version one past this build's, as a newer build would leave it, by
/// writing the header's `user_version` field (bytes 60..64, big-endian) in place.
fn bump_version(paths: &Paths) {
    let mut bytes = fs::read(paths.database()).unwrap();
    let next = (SCHEMA_VERSION + 1).to_be_bytes();
    bytes[60..64].copy_from_slice(&next);
    fs::write(paths.database(), bytes).unwrap();
}

fn old_list_refused(content: &[u8], check: impl Fn(&StoreError)) {
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
    assert_eq!(fs::read(paths.videos()).unwrap(), content, "modified");
    assert!(!paths.database().exists(), "nothing was created");
}

#[test]
fn a_damaged_old_list_stops_the_move_with_its_position_and_nothing_is_created() {
    let content = b"{\"version\":1,\"videos\":[\n{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"added_at\":\"2024-01-01T00:00:00Z\"},\n{\"id\":\"550e8400-e29b-41d4-a716-446655440001\",\"added_at\":\"2024-01-01T00:00:00Z\"\n]}\n";
    old_list_refused(content, |err| match err {
        StoreError::Corrupt { line, .. } => assert_eq!(*line, 4),
        other => panic!("expected Corrupt, got {other:?}"),
    });
    for content in [&b""[..], b"{\"version\":1,\"videos\":[\n{\"id\":\"550e84"] {
        old_list_refused(content, |err| {
            assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        });
    }
    old_list_refused(b"{\"version\":3,\"videos\":[],\"shiny\":true}\n", |err| {
        assert!(
            matches!(err, StoreError::UnknownVersion { found, .. } if found == "3"),
            "{err:?}"
        );
    });
}

#[cfg(unix)]
#[test]
fn everything_written_is_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(&dir);
    let mut store = Store::open(&paths).unwrap();
    store
        .add(&[id(1), id(2)], &Details::default(), None, Timestamp::now())
        .unwrap();
    let _lock = SendLock::acquire(&paths).unwrap();
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&paths.data_dir), 0o700);
    let mut files = vec![paths.database(), paths.send_lock()];
    for suffix in ["-wal", "-shm"] {
        let mut name = paths.database().into_os_string();
        name.push(suffix);
        files.push(name.into());
    }
    for file in files {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}
