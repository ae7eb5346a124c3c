//! `sort_rows`, `reverse_sorted` and the text rounds against a plain stable sort.

use jiff::Timestamp;

use super::*;
use crate::api::{OutcomeKind, VideoId};

struct Video {
    id: u128,
    label: Option<&'static str>,
    title: Option<&'static str>,
    created: Option<i64>,
    status: Option<OutcomeKind>,
}

fn videos() -> Vec<Video> {
    let video = |id, label, title, created, status| Video {
        id,
        label,
        title,
        created,
        status,
    };
    vec![
        video(3, Some("b"), Some("Zebra crossing"), Some(30), None),
        video(
            1,
            None,
            Some("apple pie, take 2"),
            None,
            Some(OutcomeKind::Failed),
        ),
        video(2, Some("A"), None, Some(10), Some(OutcomeKind::Forbidden)),
        video(5, Some("b"), Some("apple pie, take 1"), Some(20), None),
        video(
            4,
            Some("a"),
            Some("Apple"),
            Some(20),
            Some(OutcomeKind::Failed),
        ),
    ]
}

/// Sorted by `key`, then (when `reversed`) reversed, as `S` does.
fn sorted_then(key: SortKey, descending: bool, reversed: bool) -> Vec<u32> {
    let videos = videos();
    let subject = |row: u32| {
        let video = &videos[row as usize];
        Subject {
            id: VideoId::from_uuid(uuid::Uuid::from_u128(video.id)),
            label: video.label,
            title: video.title,
            status: video.status,
            created_at: video.created.map(|s| Timestamp::from_second(s).unwrap()),
            added_at: Timestamp::UNIX_EPOCH,
            generation: crate::query::GenerationFacts::default(),
        }
    };
    let mut rows: Vec<u32> = (0..videos.len() as u32).collect();
    let mut ties = sort_rows(&mut rows, SortOrder { key, descending }, subject);
    if reversed {
        reverse_sorted(&mut rows, &mut ties);
        let mut again = ties.clone();
        let mut back = rows.clone();
        reverse_sorted(&mut back, &mut again);
        let mut fresh: Vec<u32> = (0..videos.len() as u32).collect();
        let fresh_ties = sort_rows(&mut fresh, SortOrder { key, descending }, subject);
        assert_eq!((back, again), (fresh, fresh_ties), "reversed twice");
    }
    rows
}

fn sorted(key: SortKey, descending: bool) -> Vec<u32> {
    sorted_then(key, descending, false)
}

#[test]
fn reversing_a_sort_gives_the_sort_the_other_way() {
    for key in SortKey::ALL {
        for descending in [false, true] {
            assert_eq!(
                sorted_then(key, descending, true),
                sorted(key, !descending),
                "{key:?}, descending {descending}, reversed"
            );
        }
    }
}

#[test]
fn every_column_sorts_both_ways_with_missing_values_last_and_ties_in_list_order() {
    assert_eq!(sorted(SortKey::Added, false), [0, 1, 2, 3, 4]);
    assert_eq!(
        sorted(SortKey::Added, true),
        [4, 3, 2, 1, 0],
        "all added at once, and still the other way round (issue 21 B8)"
    );
    assert_eq!(sorted(SortKey::Id, false), [1, 2, 0, 4, 3]);
    assert_eq!(sorted(SortKey::Id, true), [3, 4, 0, 2, 1]);
    assert_eq!(sorted(SortKey::Label, false), [2, 4, 0, 3, 1]);
    assert_eq!(sorted(SortKey::Label, true), [0, 3, 2, 4, 1]);
    assert_eq!(sorted(SortKey::Title, false), [4, 3, 1, 0, 2]);
    assert_eq!(sorted(SortKey::Title, true), [0, 1, 3, 4, 2]);
    assert_eq!(sorted(SortKey::Created, false), [2, 3, 4, 0, 1]);
    assert_eq!(sorted(SortKey::Created, true), [0, 3, 4, 2, 1]);
    assert_eq!(sorted(SortKey::Status, false), [2, 1, 4, 0, 3]);
    assert_eq!(sorted(SortKey::Status, true), [1, 4, 2, 0, 3]);
}

#[test]
fn text_sorts_ignoring_case_past_the_first_sixteen_bytes() {
    let words = [
        "Intro take 10",
        "intro take 1",
        "INTRO",
        "intro take 02",
        "Intro",
        "intro take 1",
        "intro take 10, second half b",
        "intro take 10, second half a",
        "Zintro take 10, longer",
        "zintro take 10, ",
    ];
    let mut rows: Vec<u32> = (0..words.len() as u32).collect();
    let order = |descending| SortOrder {
        key: SortKey::Title,
        descending,
    };
    sort_by_text(&mut rows, order(false), |row| Some(words[row as usize]));
    assert_eq!(rows, [2, 4, 3, 1, 5, 0, 7, 6, 9, 8]);
    rows.sort_unstable();
    sort_by_text(&mut rows, order(true), |row| Some(words[row as usize]));
    assert_eq!(rows, [8, 9, 6, 7, 0, 1, 5, 3, 2, 4]);
}

/// What a plain stable sort says: present values by the column (case-folded text), then
/// the missing, ties in row order.
fn reference(titles: &[Option<String>], descending: bool) -> Vec<u32> {
    let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
    rows.sort_by(|&a, &b| {
        let (x, y) = (&titles[a as usize], &titles[b as usize]);
        match (x, y) {
            (Some(x), Some(y)) => {
                let ordering = compare_folded(x.as_bytes(), y.as_bytes());
                if descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    });
    rows
}

fn sorted_titles(titles: &[Option<String>], descending: bool) -> Vec<u32> {
    let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
    let order = SortOrder {
        key: SortKey::Title,
        descending,
    };
    sort_by_text(&mut rows, order, |row| titles[row as usize].as_deref());
    rows
}

/// Sorted by title, then reversed in place (as `S` does), then again: back where it was.
fn reversed_titles(titles: &[Option<String>], descending: bool) -> Vec<u32> {
    let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
    let order = SortOrder {
        key: SortKey::Title,
        descending,
    };
    let mut ties = sort_by_text(&mut rows, order, |row| titles[row as usize].as_deref());
    let sorted = (rows.clone(), ties.clone());
    reverse_sorted(&mut rows, &mut ties);
    let reversed = rows.clone();
    reverse_sorted(&mut rows, &mut ties);
    assert_eq!((rows, ties), sorted, "reversed twice");
    reversed
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn text_sorts_as_a_plain_stable_sort_would(
        titles in proptest::collection::vec(
            proptest::option::of((
                proptest::sample::select(vec!["", "Untitled video 2024-05-01 #", "intro TAKE "]),
                "[a-cA-C0-9 ]{0,40}",
            )),
            0..200,
        ),
        descending in proptest::bool::ANY,
    ) {
        let titles: Vec<Option<String>> = titles
            .into_iter()
            .map(|title| title.map(|(prefix, rest)| format!("{prefix}{rest}")))
            .collect();
        proptest::prop_assert_eq!(sorted_titles(&titles, descending), reference(&titles, descending));
        proptest::prop_assert_eq!(
            reversed_titles(&titles, descending),
            reference(&titles, !descending),
            "sorted, then reversed"
        );
    }
}

#[test]
fn many_rows_sorted_on_two_threads_sort_as_one_would() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let titles: Vec<Option<String>> = (0..PARALLEL_FROM as u64 * 40 + 7)
        .map(|_| {
            let n = next();
            (n % 5 != 0).then(|| format!("Untitled video 2024-05-01 #{}", n % 500))
        })
        .collect();
    for descending in [false, true] {
        assert_eq!(
            sorted_titles(&titles, descending),
            reference(&titles, descending)
        );
        assert_eq!(
            reversed_titles(&titles, descending),
            reference(&titles, !descending)
        );
    }
    let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
    let numbers: Vec<Option<u128>> = titles
        .iter()
        .map(|_| Some(u128::from(next() % 1000)))
        .collect();
    sort_keyed(&mut rows, SortOrder::default(), &|row| {
        numbers[row as usize].map(|n| (n, 0))
    });
    let mut want: Vec<u32> = (0..titles.len() as u32).collect();
    want.sort_by_key(|&row| numbers[row as usize]);
    assert_eq!(rows, want);
}

#[test]
fn the_second_thread_is_handed_its_memory_and_never_allocates_it() {
    let rows: Vec<u32> = (0..1000).collect();
    let made_on = std::sync::Mutex::new(Vec::new());
    let room = |len: usize| {
        made_on.lock().unwrap().push(std::thread::current().id());
        Buffers::for_rows(len)
    };
    let order = SortOrder {
        key: SortKey::Id,
        descending: false,
    };
    let key = |row: u32| (!row.is_multiple_of(3)).then_some((u128::from(row % 7), 0));
    let (front, back) = on_halves(&rows, room, |half, buffers| {
        let given = (buffers.keyed.as_ptr(), buffers.missing.as_ptr());
        let (keyed, missing) = keyed_part(half, order, &key, buffers);
        assert_eq!((keyed.as_ptr(), missing.as_ptr()), given, "filled in place");
        (keyed.len(), missing.len())
    });
    assert_eq!(front.0 + front.1 + back.0 + back.1, rows.len());
    assert_eq!(
        *made_on.lock().unwrap(),
        [std::thread::current().id(); 2],
        "both halves' room made on the calling thread"
    );
}
