//! The walk of the account's listing end to end: `Walk` planning, `ElytronClient` reading,
//! the simulated server deleting listed videos and creating new ones between pages (its
//! churn), driven by plain client calls in a loop (no pacing: that driver is the engine's).
//! Every video there for the whole walk is listed; an unchanged account re-syncs in one
//! request.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use elytron_tui::account::{Walk, WalkEnd, WalkMode, WalkPlan};
use elytron_tui::api::{
    ClientConfig, ElytronClient, GenerationState, ListedVideo, ReadVerdict, RetryPolicy,
    RetryState, VideoId,
};
use elytron_tui::sim::{Churn, SimConfig, SimServer, SuccessShape};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::support::sim::{api_key, plain, serve};

/// The videos a walk merged, as a store would hold them.
type Store = HashMap<VideoId, ListedVideo>;

/// What may still change: the videos held pending or processing.
fn unsettled(store: &Store) -> Vec<VideoId> {
    let settled = |video: &ListedVideo| video.state.is_some_and(GenerationState::is_final);
    store
        .values()
        .filter(|v| !settled(v))
        .map(|v| v.id)
        .collect()
}

/// Walks `server`'s listing with `plan`, `plan.lookahead` requests at a time, merging into
/// `store`; returns how it ended and how many requests it sent.
async fn walk(server: &SimServer, plan: WalkPlan, store: &mut Store) -> (WalkEnd, u64) {
    let client = ElytronClient::new(&ClientConfig {
        base_url: server.base_url(),
        ..ClientConfig::default()
    })
    .expect("loopback");
    let key = api_key();
    let mut walk = Walk::new(plan, unsettled(store));
    let mut in_flight = FuturesUnordered::new();
    let mut sent = 0;
    loop {
        while let Some(planned) = walk.next_request() {
            let (client, key) = (client.clone(), key.clone());
            in_flight
                .push(async move { (planned, client.list_videos(&key, &planned.query).await) });
            sent += 1;
        }
        let Some((planned, read)) = in_flight.next().await else {
            break;
        };
        match RetryPolicy::default().judge_read(&mut RetryState::default(), read) {
            ReadVerdict::Read(page) => {
                assert!(page.dropped.is_empty(), "{:?}", page.dropped);
                for merge in walk.take(planned, page, store) {
                    store.insert(merge.video.id, merge.video);
                }
            }
            other => walk.abandon(format!("{other:?}")),
        }
    }
    (walk.finish().expect("the walk ended"), sent)
}

#[tokio::test]
async fn every_video_there_for_the_whole_walk_is_listed_while_the_account_churns() {
    for (shape, lookahead, jitter) in [
        (SuccessShape::Wrapped, 1, Duration::ZERO),
        (SuccessShape::Bare, 3, Duration::from_millis(15)),
    ] {
        let server = serve(SimConfig {
            seed: 19,
            videos: 1_500,
            processing: 20,
            success_shape: shape,
            // Between pages, another client deletes 8 videos already listed (every later
            // offset moves up 8: past the overlap of 2) and makes 3 (moving them down 3).
            churn: Some(Churn {
                delete_listed: 8,
                create: 3,
            }),
            jitter,
            ..plain(0)
        })
        .await;
        let plan = WalkPlan {
            mode: WalkMode::Full,
            lookahead,
            ..WalkPlan::default()
        };
        let mut store = Store::default();
        let (end, _) = walk(&server, plan, &mut store).await;
        let WalkEnd::Complete(listed) = end else {
            panic!("{shape:?}: {end:?}")
        };
        let stats = server.stats();
        let fixtures = server.fixtures();
        let churned: HashSet<VideoId> = stats.churn_deleted.iter().copied().collect();
        let lasting: Vec<VideoId> = (fixtures.deletable.iter())
            .chain(&fixtures.processing)
            .filter(|id| !churned.contains(id))
            .copied()
            .collect();
        assert!(
            churned.len() >= 100,
            "{shape:?}: the account churned ({})",
            churned.len()
        );
        // A precondition, not the property: how many pages churned depends on how often
        // the walk stepped back, which timing (jitter, load) changes.
        assert!(lasting.len() >= 700, "{shape:?}: {} lasted", lasting.len());
        let missed: Vec<&VideoId> = lasting.iter().filter(|id| !listed.contains(**id)).collect();
        assert!(
            missed.is_empty(),
            "{shape:?}: {} lasting videos not listed: {missed:?}",
            missed.len()
        );
        assert!(lasting.iter().all(|id| store.contains_key(id)));
        assert!(!listed.proves_unlisted(lasting[0]));
        assert!(stats.deleted.is_empty(), "a walk deletes nothing");
    }
}

#[tokio::test]
async fn an_unchanged_account_resyncs_in_one_request() {
    let server = serve(SimConfig {
        videos: 2_000,
        processing: 15,
        failed: 40,
        processing_for: Duration::from_secs(600),
        ..plain(0)
    })
    .await;
    let mut store = Store::default();
    let (first, sent) = walk(&server, WalkPlan::default(), &mut store).await;
    assert!(
        matches!(first, WalkEnd::Complete(ref listed) if listed.len() == 2_000),
        "{first:?}"
    );
    assert_eq!(sent, 21);
    assert_eq!(unsettled(&store).len(), 15);
    server.reset_stats();
    let (again, sent) = walk(&server, WalkPlan::default(), &mut store).await;
    assert_eq!((again, sent), (WalkEnd::StoppedEarly, 1));
    assert_eq!(server.stats().read_paths, ["/v1/videos?limit=100&offset=0"]);
    let full = WalkPlan {
        mode: WalkMode::Full,
        ..WalkPlan::default()
    };
    let (all, sent) = walk(&server, full, &mut store).await;
    assert!(
        matches!(all, WalkEnd::Complete(_)) && sent == 21,
        "--full walks all"
    );
}
