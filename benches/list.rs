//! `list --sort` and `list --query` at a million known videos: sorting the row numbers by
//! each column (the same `sort_rows` the app's sort key runs) and testing every video against
//! a query. Labels are shared by runs of 250,000 (as four imports give them); titles and
//! creation times are on every video, so the text sorts compare real text (half the titles
//! share their first 26 bytes, so sorting them takes two rounds of sixteen).

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use elytron_tui::api::{Outcome, OutcomeKind, VideoId};
use elytron_tui::query::{Query, Subject};
use elytron_tui::sort::{SortKey, SortOrder, sort_rows};
use elytron_tui::store::{KnownVideo, LastOutcome, VideoDetails};
use jiff::Timestamp;

const VIDEOS: u32 = 1_000_000;

fn videos() -> Vec<KnownVideo> {
    let added = Timestamp::from_second(1_790_000_000).expect("valid timestamp");
    let labels: Vec<std::sync::Arc<str>> = (0..4).map(|n| format!("import {n}").into()).collect();
    (0..VIDEOS)
        .map(|i| {
            let n = u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
            let mut video = KnownVideo::new(
                VideoId::from_uuid(uuid::Uuid::from_u128(n)),
                added,
                Some(labels[(i / 250_000) as usize].clone()),
            );
            video.details = Some(Box::new(VideoDetails {
                // Half short and varied, half sharing their first 26 bytes.
                title: Some(if i % 2 == 0 {
                    format!("Clip {} take {}", n % 10_007, i % 7).into()
                } else {
                    format!("Untitled video 2024-05-01 #{}", n % 1_000_003).into()
                }),
                created_at: Timestamp::from_second(1_700_000_000 + (n % 80_000_000) as i64).ok(),
            }));
            if i % 10 == 0 {
                video.last = Some(Box::new(LastOutcome {
                    outcome: Outcome::unsent(OutcomeKind::Forbidden),
                    at: added,
                }));
            }
            video
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let videos = videos();
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
                    |rows| sort_rows(rows, order, |row| Subject::of(&videos[row as usize])),
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
