//! `list --sort` and `list --query` at a million known videos: sorting the row numbers by
//! each column (the same `sort_rows` the app's sort key runs) and testing every video against
//! a query, on the list of `support/deciding.rs` (the one `tui.rs` sorts and filters).

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use elytron_tui::query::{Query, Subject};
use elytron_tui::sort::{SortKey, SortOrder, sort_rows};
use elytron_tui::store::KnownVideo;
use jiff::Timestamp;

#[path = "support/deciding.rs"]
mod deciding;

use deciding::{VIDEOS, deciding_videos};

fn benches(c: &mut Criterion) {
    let videos: Vec<KnownVideo> = deciding_videos().collect();
    let rows: Vec<u32> = (0..VIDEOS).collect();
    let mut group = c.benchmark_group("list, 1M videos");
    group.sample_size(10);
    for key in [
        SortKey::Id,
        SortKey::Label,
        SortKey::Title,
        SortKey::Created,
        SortKey::Status,
    ] {
        for descending in [false, true] {
            let order = SortOrder { key, descending };
            let name = format!(
                "sort by {}{}",
                key.name(),
                if descending { ", reversed" } else { "" }
            );
            group.bench_function(name, |b| {
                b.iter_batched_ref(
                    || rows.clone(),
                    |rows| {
                        sort_rows(rows, order, |row| {
                            Subject::reading(&videos[row as usize], key.reads())
                        })
                    },
                    BatchSize::LargeInput,
                )
            });
        }
    }
    let now = Timestamp::from_second(1_800_000_000).expect("valid timestamp");
    for text in [
        "age>30d -status:forbidden",
        "take 3",
        "label:\"import 2\" title:clip",
    ] {
        let query = Query::parse(text).expect("a query that parses");
        group.bench_function(format!("query {text:?}"), |b| {
            b.iter(|| {
                let mut matcher = query.matcher(now);
                black_box(
                    videos
                        .iter()
                        .filter(|video| matcher.matches(&Subject::of(video)))
                        .count(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(list, benches);
criterion_main!(list);
