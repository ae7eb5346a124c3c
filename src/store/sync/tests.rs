use std::time::Duration;

use super::*;
use crate::api::{Outcome, OutcomeKind};
use crate::store::testing::{id, open, open_with};
use crate::store::{Details, IdSet, VideoDetails};

fn listed(n: u128, state: GenerationState) -> ListedVideo {
    ListedVideo {
        id: id(n),
        prompt: Some(format!("prompt {n}")),
        state: Some(state),
        progress: None,
        duration: Some(Duration::from_millis(4_500)),
        quality: None,
        aspect_ratio: None,
        style: None,
        created_at: Some(Timestamp::from_second(1_000 + n as i64).unwrap()),
        completed_at: None,
        download_url: Some(format!("https://cdn.example/{n}.mp4")),
        file_size: Some(12_500_000),
        error: None,
    }
}

/// Each video as the walk hands it on: compared with the store first.
fn to_merge(store: &Store, videos: &[ListedVideo]) -> Vec<ToMerge> {
    videos
        .iter()
        .map(|video| ToMerge {
            video: video.clone(),
            held: store.compare(video),
        })
        .collect()
}

#[test]
fn a_merge_keeps_labels_titles_and_outcomes_and_updates_rows_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let mut titled = Details::default();
    titled.fill(0, &VideoDetails::titled(Some("my own title".into()), None));
    store
        .add(
            &[id(1), id(2)],
            &titled,
            Some("june"),
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
    store.protect(&[id(2)]).unwrap();
    let refused = Outcome::unsent(OutcomeKind::Forbidden);
    store
        .record(&[(id(2), refused, Timestamp::UNIX_EPOCH)], None)
        .unwrap();

    let page = [
        listed(3, GenerationState::Processing),
        listed(1, GenerationState::Completed),
        listed(2, GenerationState::Failed),
    ];
    let merge = to_merge(&store, &page);
    assert_eq!(
        merge.iter().map(|m| m.held).collect::<Vec<_>>(),
        [Held::New, Held::Changed, Held::Changed]
    );
    let merged = store.merge_listed(&merge, Timestamp::UNIX_EPOCH).unwrap();
    assert_eq!(
        merged,
        Merged {
            added: 1,
            updated: 2
        }
    );

    let list = store.videos().unwrap();
    let order: Vec<_> = list.iter().map(|v| v.id).collect();
    assert_eq!(
        order,
        [id(1), id(2), id(3)],
        "known rows stay where they were"
    );
    let one = list.get(&id(1)).unwrap();
    assert_eq!(
        one.title(),
        Some("my own title"),
        "an import's title is kept"
    );
    assert_eq!(one.label.as_deref(), Some("june"));
    let two = list.get(&id(2)).unwrap();
    assert_eq!(
        two.title(),
        Some("prompt 2"),
        "the prompt fills a missing title"
    );
    assert_eq!(
        two.last.as_ref().unwrap().outcome.kind,
        OutcomeKind::Forbidden
    );
    assert!(store.protected().unwrap().contains(&id(2)));
    let generation = &two.details.as_ref().unwrap().generation;
    assert_eq!(generation.state, Some(GenerationState::Failed));
    assert_eq!(generation.file_size, Some(12_500_000));
    assert_eq!(generation.duration, Some(Duration::from_millis(4_500)));
    assert_eq!(
        generation.download_url.as_deref(),
        Some("https://cdn.example/2.mp4")
    );
    assert_eq!(generation.listed, LastSync::Listed);
    assert_eq!(store.unsettled().unwrap(), [id(3)]);
}

#[test]
fn a_video_is_held_the_same_only_when_merging_it_would_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let video = listed(1, GenerationState::Processing);
    assert_eq!(store.compare(&video), Held::New);
    let merge = to_merge(&store, std::slice::from_ref(&video));
    store.merge_listed(&merge, Timestamp::UNIX_EPOCH).unwrap();
    assert_eq!(store.compare(&video), Held::Same);
    let sparse = ListedVideo {
        file_size: None,
        download_url: None,
        ..video.clone()
    };
    assert_eq!(
        store.compare(&sparse),
        Held::Same,
        "what it leaves out is kept"
    );
    let done = ListedVideo {
        state: Some(GenerationState::Completed),
        completed_at: Some(Timestamp::from_second(9_000).unwrap()),
        ..video.clone()
    };
    assert_eq!(store.compare(&done), Held::Changed);
    let merge = to_merge(&store, std::slice::from_ref(&done));
    store.merge_listed(&merge, Timestamp::UNIX_EPOCH).unwrap();
    assert_eq!(store.compare(&done), Held::Same);
    assert_eq!(
        store.compare(&sparse),
        Held::Changed,
        "a state it no longer has"
    );
}

#[test]
fn only_a_complete_walk_of_every_state_marks_the_unlisted_and_lets_the_next_stop_early() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_with(&dir, &[id(1), id(2)]);
    assert_eq!(store.last_sync_run().unwrap(), LastSyncRun::Never);
    store.sync_started().unwrap();
    let page = [listed(1, GenerationState::Completed)];
    let merge = to_merge(&store, &page);
    store.merge_listed(&merge, Timestamp::UNIX_EPOCH).unwrap();
    let ids: IdSet = [id(1)].into_iter().collect();

    let failed_only = Listed::new(ids.clone(), Some(GenerationState::Failed));
    assert_eq!(store.sync_complete(&failed_only).unwrap(), 0);
    assert_eq!(store.last_sync_run().unwrap(), LastSyncRun::Unfinished);

    assert_eq!(
        store
            .sync_complete(&Listed::new(ids.clone(), None))
            .unwrap(),
        1
    );
    assert_eq!(store.last_sync_run().unwrap(), LastSyncRun::Complete);
    let list = store.videos().unwrap();
    let listed_of = |n| {
        list.get(&id(n))
            .and_then(|v| v.details.as_ref())
            .map(|d| d.generation.listed)
    };
    assert_eq!(listed_of(1), Some(LastSync::Listed));
    assert_eq!(
        listed_of(2),
        Some(LastSync::NotListed),
        "kept, marked, not removed"
    );
    assert_eq!(store.count_videos().unwrap(), 2);
    assert_eq!(
        store.sync_complete(&Listed::new(ids, None)).unwrap(),
        0,
        "marked once"
    );
}

#[test]
fn sizes_are_read_for_the_videos_a_sync_gave_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_with(&dir, &[id(1)]);
    let page = [listed(2, GenerationState::Completed)];
    let merge = to_merge(&store, &page);
    store.merge_listed(&merge, Timestamp::UNIX_EPOCH).unwrap();
    let videos = store.videos_of(&[id(1), id(2), id(3)]).unwrap();
    let size = |n| {
        videos
            .get(&id(n))
            .and_then(|video| video.details.as_ref()?.generation.file_size)
    };
    assert_eq!((size(1), size(2), size(3)), (None, Some(12_500_000), None));
}

#[test]
fn a_saved_listing_fills_only_what_is_missing_and_leaves_listed_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_with(&dir, &[id(1), id(2)]);
    store.sync_started().unwrap();
    let synced = [ListedVideo {
        file_size: None,
        ..listed(1, GenerationState::Completed)
    }];
    store
        .merge_listed(&to_merge(&store, &synced), Timestamp::UNIX_EPOCH)
        .unwrap();
    let ids: IdSet = [id(1)].into_iter().collect();
    store.sync_complete(&Listed::new(ids, None)).unwrap();

    let saved = [
        listed(1, GenerationState::Processing),
        listed(2, GenerationState::Failed),
        listed(3, GenerationState::Pending),
    ];
    store
        .add_with_listing(
            &[],
            &Details::default(),
            &saved,
            None,
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
    let list = store.videos().unwrap();
    let generation = |n| {
        list.get(&id(n))
            .and_then(|v| v.details.as_ref())
            .map(|d| d.generation.clone())
            .unwrap()
    };
    let one = generation(1);
    assert_eq!(
        (one.state, one.file_size, one.listed),
        (
            Some(GenerationState::Completed),
            Some(12_500_000),
            LastSync::Listed
        ),
        "a sync's state is kept, a missing size filled"
    );
    let two = generation(2);
    assert_eq!(
        (two.state, two.listed),
        (Some(GenerationState::Failed), LastSync::NotListed),
        "a saved page does not say it is listed now"
    );
    assert_eq!(list.get(&id(2)).unwrap().title(), Some("prompt 2"));
    let three = generation(3);
    assert_eq!(
        (three.state, three.listed),
        (Some(GenerationState::Pending), LastSync::Unknown)
    );
}

#[test]
fn progress_goes_with_the_state_a_listing_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let progress_of = |store: &mut Store| {
        let list = store.videos().unwrap();
        list.get(&id(1))
            .and_then(|v| v.details.as_ref())
            .and_then(|d| d.generation.progress)
    };
    let generating = ListedVideo {
        progress: Some(40),
        ..listed(1, GenerationState::Processing)
    };
    let merge = to_merge(&store, std::slice::from_ref(&generating));
    store.merge_listed(&merge, Timestamp::UNIX_EPOCH).unwrap();
    assert_eq!(progress_of(&mut store), Some(40));
    let further = ListedVideo {
        progress: Some(70),
        ..generating.clone()
    };
    assert_eq!(store.compare(&further), Held::Changed);
    store.set_progress(id(1), 55).unwrap();
    assert_eq!(progress_of(&mut store), Some(55), "a status check's");
    let done = listed(1, GenerationState::Completed);
    let merge = to_merge(&store, std::slice::from_ref(&done));
    store.merge_listed(&merge, Timestamp::UNIX_EPOCH).unwrap();
    assert_eq!(
        progress_of(&mut store),
        None,
        "no progress of a finished state"
    );
}
