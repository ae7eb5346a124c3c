//! Catching the known list up with the journal. Results are journalled before the list is
//! saved (and the list is saved less often than the journal), so a kill can leave answers in
//! `history.jsonl` that `videos.json` does not show yet. Each saved list records how much of
//! the journal it reflects; loading applies whatever was journalled after that. Reads only.

use super::history_read::read_journal_from;
use super::known_file::load_known_file;
use super::{KnownVideos, Paths, RecordedResult, SkippedLine, StoreError};

/// What catching a saved list up with the journal took.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Journal entries applied (non-zero only after an interrupted session).
    pub applied: usize,
    /// Journal lines that were not records, skipped (the caller reports them).
    pub skipped: Vec<SkippedLine>,
}

/// The known list as of the last journalled answer, and what catching up took.
pub fn load_current(paths: &Paths) -> Result<(KnownVideos, CatchUp), StoreError> {
    let (mut videos, offset) = load_known_file(&paths.videos())?;
    let (missed, skipped) = missed_and_skipped(paths, offset)?;
    videos.apply_outcomes(&missed);
    let caught_up = CatchUp {
        applied: missed.len(),
        skipped,
    };
    Ok((videos, caught_up))
}

/// The results journalled after a list saved at `journal_offset` (none for a list saved
/// without one), oldest first: apply them to that list to bring it up to date. Journal lines
/// that are not records are skipped (and logged).
pub fn missed_results(
    paths: &Paths,
    journal_offset: Option<u64>,
) -> Result<Vec<RecordedResult>, StoreError> {
    missed_and_skipped(paths, journal_offset).map(|(missed, _)| missed)
}

fn missed_and_skipped(
    paths: &Paths,
    journal_offset: Option<u64>,
) -> Result<(Vec<RecordedResult>, Vec<SkippedLine>), StoreError> {
    let Some(offset) = journal_offset else {
        return Ok((Vec::new(), Vec::new()));
    };
    let read = read_journal_from(&paths.history(), offset)?;
    let missed: Vec<_> = read
        .entries
        .iter()
        .map(|entry| (entry.id, entry.outcome(), entry.at))
        .collect();
    if !missed.is_empty() {
        tracing::info!(
            "{} journalled result(s) the saved list did not show yet",
            missed.len()
        );
    }
    Ok((missed, read.skipped))
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind, VideoId};
    use crate::store::{HistoryEntry, HistoryWriter, journal_len, save_known};

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    fn journal(paths: &Paths, entries: &[(u128, OutcomeKind)]) {
        let mut writer = HistoryWriter::open(&paths.history()).unwrap();
        for &(n, kind) in entries {
            let outcome = Outcome::unsent(kind);
            writer
                .append(&HistoryEntry::new(
                    Timestamp::UNIX_EPOCH,
                    id(n),
                    &outcome,
                    None,
                ))
                .unwrap();
        }
        writer.flush().unwrap();
    }

    #[test]
    fn answers_journalled_after_the_last_save_are_applied_on_load() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        journal(&paths, &[(9, OutcomeKind::Deleted)]);
        let mut list = KnownVideos::default();
        list.add(&[id(1), id(2), id(3)], None, Timestamp::UNIX_EPOCH);
        save_known(
            &paths.videos(),
            &list,
            Some(journal_len(&paths.history()).unwrap()),
        )
        .unwrap();
        // The session then journals two answers and is killed before the list is saved.
        journal(
            &paths,
            &[(1, OutcomeKind::Deleted), (2, OutcomeKind::Processing)],
        );

        let (current, caught_up) = load_current(&paths).unwrap();
        assert_eq!(caught_up.applied, 2);
        let ids: Vec<_> = current.iter().map(|video| video.id).collect();
        assert_eq!(ids, [id(2), id(3)]);
        let last = current.get(&id(2)).unwrap().last.as_ref().unwrap();
        assert_eq!(last.outcome.kind, OutcomeKind::Processing);
    }

    #[test]
    fn entries_before_the_saved_offset_are_not_applied_again() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        journal(&paths, &[(1, OutcomeKind::Deleted)]);
        // The user imported the same ID again after it was deleted: the list wins.
        let mut list = KnownVideos::default();
        list.add(&[id(1)], None, Timestamp::UNIX_EPOCH);
        save_known(
            &paths.videos(),
            &list,
            Some(journal_len(&paths.history()).unwrap()),
        )
        .unwrap();
        assert_eq!(load_current(&paths).unwrap(), (list, CatchUp::default()));
    }
}
