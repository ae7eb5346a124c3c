//! The million videos the deciding benches (issue 12) sort and query, shared by `list.rs` and
//! `tui.rs` so both measure the same list: four imports (labels shared by runs of 250,000),
//! each video with a creation time and a title (half short and varied, half sharing their
//! first 26 bytes, so sorting them by title takes two rounds of sixteen bytes), every tenth
//! refused (forbidden) by an earlier batch.

use std::sync::Arc;

use elytron_tui::api::{Outcome, OutcomeKind, VideoId};
use elytron_tui::store::{KnownVideo, LastOutcome, VideoDetails};
use jiff::Timestamp;

pub const VIDEOS: u32 = 1_000_000;

/// When every video was added.
pub fn added() -> Timestamp {
    Timestamp::from_second(1_790_000_000).expect("valid timestamp")
}

pub fn deciding_videos() -> impl Iterator<Item = KnownVideo> {
    let added = added();
    let labels: Vec<Arc<str>> = (0..4).map(|n| format!("import {n}").into()).collect();
    (0..VIDEOS).map(move |i| {
        let n = u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        let label = Arc::clone(&labels[(i / (VIDEOS / 4)) as usize]);
        let mut video = KnownVideo::new(
            VideoId::from_uuid(uuid::Uuid::from_u128(n)),
            added,
            Some(label),
        );
        video.fill_details(&VideoDetails {
            title: Some(if i % 2 == 0 {
                format!("Clip {} take {}", n % 10_007, i % 7).into()
            } else {
                format!("Untitled video 2024-05-01 #{}", n % 1_000_003).into()
            }),
            created_at: Timestamp::from_second(1_700_000_000 + (n % 80_000_000) as i64).ok(),
            ..VideoDetails::default()
        });
        if i % 10 == 0 {
            video.last = Some(Box::new(LastOutcome {
                outcome: Outcome::unsent(OutcomeKind::Forbidden),
                at: added,
            }));
        }
        video
    })
}
