use jiff::Timestamp;

use super::*;
use crate::api::{Outcome, OutcomeKind};
use crate::store::Store;
use crate::store::testing::id;

fn line(n: u128, kind: OutcomeKind) -> String {
    let outcome = Outcome {
        attempts: 1,
        ..Outcome::unsent(kind)
    };
    let entry = HistoryEntry::new(Timestamp::UNIX_EPOCH, id(n), &outcome, Some("h"));
    format!("{}\n", serde_json::to_string(&entry).unwrap())
}

/// A data folder as the last file-based version left it after a killed session: the list
/// was saved when the history held `before`; then `after` was journalled (3 deleted, 2
/// refused), and the session died with 2, 3 and 4 queued (2 and 3 answered since).
fn old_folder(dir: &Path) -> Paths {
    let paths = Paths::in_dir(dir);
    let before = line(9, OutcomeKind::Deleted);
    let after = line(3, OutcomeKind::Deleted) + &line(2, OutcomeKind::Forbidden);
    let torn = "{\"at\":\"1970-01-01T00:00:00Z\",\"id\":\"000";
    std::fs::write(paths.history(), format!("{before}{after}{torn}")).unwrap();
    let offset = before.len();
    let videos = format!(
        "{{\"version\":1,\"journal_offset\":{offset},\"videos\":[\n\
         {{\"id\":\"{}\",\"added_at\":\"2024-01-01T00:00:00.5Z\",\"label\":\"a\"}},\n\
         {{\"id\":\"{}\",\"added_at\":\"2024-01-01T00:00:00Z\"}},\n\
         {{\"id\":\"{}\",\"added_at\":\"2024-01-01T00:00:00Z\",\"last\":{{\"kind\":\"failed\",\
           \"status\":500,\"error_code\":null,\"message\":\"boom\",\"request_id\":null,\
           \"attempts\":5,\"at\":\"2024-02-01T00:00:00Z\"}}}},\n\
         {{\"id\":\"{}\",\"added_at\":\"2024-01-01T00:00:00Z\"}}\n]}}\n",
        id(1),
        id(2),
        id(3),
        id(4)
    );
    std::fs::write(paths.videos(), videos).unwrap();
    std::fs::write(
        paths.pending(),
        format!(
            "{{\"version\":1,\"journal_offset\":{offset},\"ids\":[\"{}\",\"{}\",\"{}\"]}}",
            id(2),
            id(3),
            id(4)
        ),
    )
    .unwrap();
    std::fs::write(
        paths.protected(),
        format!("{{\"version\": 1, \"ids\": [\n\"{}\"\n]}}\n", id(4)),
    )
    .unwrap();
    paths
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("elytron-tui.db"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_old_file_moves_in_at_once_caught_up_with_the_history_and_is_kept_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let paths = old_folder(dir.path());
    let mut store = Store::open(&paths).unwrap();
    let migrated = store.migrated().unwrap().clone();
    assert_eq!(
        (
            migrated.videos,
            migrated.pending,
            migrated.protected,
            migrated.history
        ),
        (4, 1, 1, 3)
    );
    assert_eq!(migrated.skipped.len(), 1, "the torn last line");
    assert_eq!(migrated.skipped[0].line, 4);
    let said = migrated.to_string();
    assert!(
        said.contains("videos.json (4 video(s))") && said.contains("*.migrated"),
        "{said}"
    );

    let list = store.videos().unwrap();
    let ids: Vec<_> = list.iter().map(|v| v.id).collect();
    assert_eq!(
        ids,
        [id(1), id(2), id(4)],
        "3 was deleted after the list was saved"
    );
    assert_eq!(
        list.get(&id(1)).unwrap().added_at,
        "2024-01-01T00:00:00.5Z".parse::<Timestamp>().unwrap()
    );
    let two = list.get(&id(2)).unwrap().last.as_ref().unwrap();
    assert_eq!(two.outcome.kind, OutcomeKind::Forbidden);
    assert_eq!(store.pending().unwrap(), [id(4)], "2 and 3 were answered");
    assert_eq!(store.protected().unwrap(), [id(4)].into_iter().collect());
    assert_eq!(store.history(None).unwrap().len(), 3);
    assert_eq!(
        file_names(dir.path()),
        [
            "history.jsonl.migrated",
            "pending.json.migrated",
            "protected.json.migrated",
            "videos.json.migrated"
        ]
    );
    drop(store);
    let again = Store::open(&paths).unwrap();
    assert_eq!(again.migrated(), None, "said once");
}

#[test]
fn a_damaged_old_file_stops_the_move_with_its_place_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let paths = old_folder(dir.path());
    let damaged = format!(
        "{{\"version\": 1, \"ids\": [\n\"{}\",\n\"not-an-id\"\n]}}\n",
        id(1)
    );
    std::fs::write(paths.protected(), &damaged).unwrap();
    let before = file_names(dir.path());
    let err = Store::open(&paths).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("protected.json:3:"), "{message}");
    assert!(!paths.database().exists(), "no database was created");
    assert_eq!(file_names(dir.path()), before);
    assert_eq!(std::fs::read_to_string(paths.protected()).unwrap(), damaged);
}

#[test]
fn a_database_killed_before_its_first_commit_is_filled_from_the_old_files_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let paths = old_folder(dir.path());
    // What a kill right after the file was made leaves: an empty database file.
    std::fs::write(paths.database(), b"").unwrap();
    let store = Store::open(&paths).unwrap();
    assert_eq!(store.migrated().map(|m| m.videos), Some(4));
    assert_eq!(store.count_videos().unwrap(), 3);
}

#[test]
fn renames_a_kill_interrupted_are_finished_without_importing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let paths = old_folder(dir.path());
    drop(Store::open(&paths).unwrap());
    // As if the kill came after the commit, before the renames.
    for file in [paths.videos(), paths.history()] {
        std::fs::rename(migrated_name(&file), &file).unwrap();
    }
    let store = Store::open(&paths).unwrap();
    assert_eq!(store.migrated(), None);
    assert_eq!(store.count_videos().unwrap(), 3);
    assert_eq!(store.history(None).unwrap().len(), 3, "not imported twice");
    assert!(!paths.videos().exists() && migrated_name(&paths.videos()).exists());
}

#[test]
fn an_old_file_beside_a_database_it_did_not_make_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(dir.path());
    drop(Store::open(&paths).unwrap());
    let text = format!(
        "{{\"version\":2,\"videos\":[\n{{\"id\":\"{}\",\"added_at\":\"2024-01-01T00:00:00Z\"}}\n]}}\n",
        id(1)
    );
    std::fs::write(paths.videos(), &text).unwrap();
    let err = Store::open(&paths).unwrap_err();
    assert!(
        matches!(err, StoreError::OldFileBesideDatabase { .. }),
        "{err:?}"
    );
    assert_eq!(std::fs::read_to_string(paths.videos()).unwrap(), text);

    let dir = tempfile::tempdir().unwrap();
    let paths = old_folder(dir.path());
    drop(Store::open(&paths).unwrap());
    std::fs::write(paths.videos(), &text).unwrap();
    let err = Store::open(&paths).unwrap_err();
    assert!(
        matches!(err, StoreError::OldFileAfterMigration { .. }),
        "{err:?}"
    );
}

/// A `videos.json` of version 2 in `dir` holding video 7, with `fields` (JSON members).
fn version_2_list(dir: &Path, fields: &str) -> Paths {
    let paths = Paths::in_dir(dir);
    let video = format!(
        r#"{{"id":"{}","added_at":"2024-01-01T00:00:00Z",{fields}}}"#,
        id(7)
    );
    let list = format!("{{\"version\":2,\"videos\":[\n{video}\n]}}\n");
    std::fs::write(paths.videos(), list).unwrap();
    paths
}

#[test]
fn a_version_2_list_keeps_its_titles_and_creation_times() {
    let dir = tempfile::tempdir().unwrap();
    let paths = version_2_list(
        dir.path(),
        r#""title":"Final \"cut\"","created_at":"2023-05-06T07:08:09.123Z""#,
    );
    let mut store = Store::open(&paths).unwrap();
    let list = store.videos().unwrap();
    let video = list.get(&id(7)).unwrap();
    assert_eq!(video.title(), Some("Final \"cut\""));
    assert_eq!(
        video.created_at(),
        Some("2023-05-06T07:08:09.123Z".parse().unwrap())
    );
    assert_eq!(store.pending().unwrap(), []);
}

#[test]
fn history_entries_get_the_titles_of_videos_the_list_still_holds() {
    let dir = tempfile::tempdir().unwrap();
    let paths = version_2_list(dir.path(), r#""title":"a fox""#);
    let history = line(7, OutcomeKind::Forbidden) + &line(8, OutcomeKind::Deleted);
    std::fs::write(paths.history(), history).unwrap();
    let store = Store::open(&paths).unwrap();
    let titles: Vec<_> = store
        .history(None)
        .unwrap()
        .into_iter()
        .map(|entry| (entry.id, entry.title))
        .collect();
    assert_eq!(
        titles,
        [(id(7), Some("a fox".to_owned())), (id(8), None)],
        "8 left the list before: its title is not known"
    );
}
