//! The walk against an in-memory account that changes between answers: random churn
//! (proptests: every video that lasts the whole walk is listed, whatever the order and however
//! many requests are in flight), a server that does not page as asked, and the incremental
//! rule against held videos.

use std::collections::HashSet;

use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::api::{ListedVideo, Shape};

/// The account as a server holds it: one ordered listing that churn changes.
struct Account {
    /// In listing order.
    videos: Vec<ListedVideo>,
    next: u128,
    /// The creation time of the oldest video so far, counting down as the first are made.
    oldest: i64,
    /// The creation time of the newest video so far, counting up as new ones are made.
    newest: i64,
    /// Ever listed here, for checking the walk lists nothing made up.
    ever: HashSet<VideoId>,
    /// What the server does with a request.
    serving: Serving,
}

#[derive(Clone, Copy, Default)]
struct Serving {
    /// The offset asked is ignored (always the top).
    ignore_offset: bool,
    /// Pages hold at most this many, whatever is asked, and `limit` is not echoed.
    silent_cap: Option<usize>,
}

fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n))
}

impl Account {
    fn new(size: usize) -> Self {
        let mut account = Self {
            videos: Vec::new(),
            next: 1,
            oldest: 1_700_000_000,
            newest: 1_700_000_000,
            ever: HashSet::new(),
            serving: Serving::default(),
        };
        for _ in 0..size {
            account.oldest -= 1;
            let video = account.make(account.oldest, GenerationState::Completed);
            account.videos.push(video);
        }
        account
    }

    fn make(&mut self, created: i64, state: GenerationState) -> ListedVideo {
        self.next += 1;
        let video = listed(id(self.next), Some(created), Some(state));
        self.ever.insert(video.id);
        video
    }

    /// A new video (the newest) at the top, or at `at` when the listing is not newest first.
    fn create(&mut self, at: Option<usize>) {
        self.newest += 1;
        let video = self.make(self.newest, GenerationState::Pending);
        let at = at.map_or(0, |at| at % (self.videos.len() + 1));
        self.videos.insert(at, video);
    }

    fn delete_at(&mut self, seed: usize) {
        if !self.videos.is_empty() {
            let at = seed % self.videos.len();
            self.videos.remove(at);
        }
    }

    fn answer(&self, query: PageQuery) -> Page {
        let offset = if self.serving.ignore_offset {
            0
        } else {
            query.offset as usize
        };
        let size = (query.limit() as usize).min(self.serving.silent_cap.unwrap_or(usize::MAX));
        let videos: Vec<ListedVideo> = self
            .videos
            .iter()
            .skip(offset)
            .take(size)
            .cloned()
            .collect();
        Page {
            videos,
            total: Some(self.videos.len() as u64),
            limit: self
                .serving
                .silent_cap
                .is_none()
                .then_some(u64::from(query.limit())),
            offset: Some(query.offset),
            shape: Shape::Bare,
            dropped: Vec::new(),
        }
    }
}

fn listed(id: VideoId, created: Option<i64>, state: Option<GenerationState>) -> ListedVideo {
    ListedVideo {
        id,
        prompt: None,
        state,
        progress: None,
        duration: None,
        quality: None,
        aspect_ratio: None,
        style: None,
        created_at: created.and_then(|s| Timestamp::from_second(s).ok()),
        completed_at: None,
        download_url: None,
        file_size: None,
        error: None,
    }
}

/// The churn between two answers.
#[derive(Clone, Debug)]
struct Change {
    deletes: Vec<usize>,
    creates: usize,
    /// Where new videos go when the listing is not newest first.
    insert_at: usize,
}

/// What one walk against a churning account came to.
struct Run {
    end: WalkEnd,
    requests: u64,
    /// What the walk gave to merge, and how it was held.
    merged: Vec<(VideoId, Held)>,
    /// Videos there from start to end.
    lasting: HashSet<VideoId>,
    ever: HashSet<VideoId>,
}

/// Walks `account` with `plan`, answering the requests in flight in the order `picks` says,
/// `churn[n]` applied before the n-th answer (none after it runs out).
fn drive(
    mut account: Account,
    plan: WalkPlan,
    holdings: &impl Holdings,
    unsettled: Vec<VideoId>,
    churn: &[Change],
    picks: &[usize],
    newest_first: bool,
) -> Run {
    let start: HashSet<VideoId> = account.videos.iter().map(|v| v.id).collect();
    let mut gone = HashSet::new();
    let mut walk = Walk::new(plan, unsettled);
    let mut out: Vec<Planned> = Vec::new();
    let mut merged = Vec::new();
    let mut answers = 0;
    while walk.end().is_none() {
        while let Some(planned) = walk.next_request() {
            out.push(planned);
        }
        assert!(!out.is_empty(), "a walk that has not ended wants a request");
        assert!(answers < 20_000, "the walk does not end");
        if let Some(change) = churn.get(answers) {
            for &seed in &change.deletes {
                if let Some(video) = account.videos.get(seed % account.videos.len().max(1)) {
                    gone.insert(video.id);
                }
                account.delete_at(seed);
            }
            for _ in 0..change.creates {
                account.create((!newest_first).then_some(change.insert_at));
            }
        }
        let pick = picks.get(answers).copied().unwrap_or(0) % out.len();
        let planned = out.remove(pick);
        let page = account.answer(planned.query);
        let merge = walk.take(planned, page, holdings);
        merged.extend(merge.into_iter().map(|m| (m.video.id, m.held)));
        answers += 1;
    }
    Run {
        end: walk.finish().expect("ended"),
        requests: answers as u64,
        merged,
        lasting: start.difference(&gone).copied().collect(),
        ever: account.ever,
    }
}

fn full(limit: u32, overlap: u32, lookahead: usize) -> WalkPlan {
    WalkPlan {
        mode: WalkMode::Full,
        limit,
        overlap,
        lookahead,
        ..WalkPlan::default()
    }
}

fn change_strategy(max_deletes: usize, max_creates: usize) -> impl Strategy<Value = Change> {
    (
        prop::collection::vec(any::<usize>(), 0..=max_deletes),
        0..=max_creates,
        any::<usize>(),
    )
        .prop_map(|(deletes, creates, insert_at)| Change {
            deletes,
            creates,
            insert_at,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The walk's promise: every video there from start to end is listed by a complete walk,
    /// whatever churns between answers, in whatever order the answers come, newest first or
    /// not; and it lists nothing that never was.
    /// (At most 2 new videos between answers, fewer than a page moves on, 3 or more with the
    /// overlap at its widest (half a page): a listing that moves as fast as the walk is one
    /// it cannot tell from a server that does not page.)
    #[test]
    fn every_lasting_video_is_listed_whatever_churns(
        size in 0usize..300,
        overlap in 1u32..6,
        wider in 4u32..25,
        lookahead in 1usize..4,
        churn in prop::collection::vec(change_strategy(12, 2), 0..25),
        picks in prop::collection::vec(any::<usize>(), 0..60),
        newest_first in any::<bool>(),
    ) {
        let plan = full(overlap + wider, overlap, lookahead);
        let run = drive(Account::new(size), plan, &(), Vec::new(), &churn, &picks, newest_first);
        let WalkEnd::Complete(listed) = &run.end else {
            panic!("a full walk of a server that pages ends complete, not {:?}", run.end);
        };
        for video in &run.lasting {
            prop_assert!(listed.contains(*video), "{video} lasted the whole walk but was not listed");
            prop_assert!(!listed.proves_unlisted(*video));
        }
        prop_assert_eq!(listed.len(), run.merged.len(), "every listed video merges once");
        prop_assert!(run.merged.iter().all(|(id, held)| run.ever.contains(id) && *held == Held::New));
    }

    /// Without churn, a walk costs one request per `limit - overlap` videos (and one more),
    /// however many are in flight.
    #[test]
    fn an_unchanging_account_costs_a_request_per_page(
        size in 0usize..500,
        limit in 2u32..40,
        overlap in 1u32..4,
        lookahead in 1usize..4,
        picks in prop::collection::vec(any::<usize>(), 0..80),
    ) {
        let plan = full(limit, overlap, lookahead);
        let run = drive(Account::new(size), plan, &(), Vec::new(), &[], &picks, true);
        let WalkEnd::Complete(listed) = &run.end else { panic!("{:?}", run.end) };
        prop_assert_eq!(listed.len(), size);
        let stride = u64::from(limit - overlap.min(limit - 1));
        let pages = (size as u64).saturating_sub(u64::from(limit)) / stride + 2;
        // Requests in flight when the last page comes back are answered, and wasted.
        prop_assert!(run.requests <= pages + lookahead as u64, "{} requests for {} pages", run.requests, pages);
    }
}

#[test]
fn the_api_limit_walks_100_000_videos_in_about_1_020_pages() {
    let run = drive(
        Account::new(100_000),
        full(100, 2, 1),
        &(),
        Vec::new(),
        &[],
        &[],
        true,
    );
    let WalkEnd::Complete(listed) = &run.end else {
        panic!("{:?}", run.end)
    };
    assert_eq!(listed.len(), 100_000);
    assert_eq!(run.requests, 1_021);
}

#[test]
fn many_deletions_above_the_walk_cost_a_step_back_and_no_video() {
    // After the first page, 40 of its videos go (this tool deleting them): the second page's
    // anchors moved 40 places up, out of its reach.
    let churn = [
        Change {
            deletes: vec![],
            creates: 0,
            insert_at: 0,
        },
        Change {
            deletes: vec![0; 40],
            creates: 0,
            insert_at: 0,
        },
    ];
    let run = drive(
        Account::new(300),
        full(50, 2, 1),
        &(),
        Vec::new(),
        &churn,
        &[],
        true,
    );
    let WalkEnd::Complete(listed) = &run.end else {
        panic!("{:?}", run.end)
    };
    assert!(run.lasting.iter().all(|id| listed.contains(*id)));
    // The first page, the page that found no anchor, the step back (to the top), and the
    // five pages of the 210 videos left past it.
    assert_eq!(run.requests, 8);
}

#[test]
fn told_of_its_own_deletes_the_walk_needs_no_step_back() {
    let mut account = Account::new(300);
    let mut walk = Walk::new(full(50, 2, 1), []);
    let first = walk.next_request().unwrap();
    let page = account.answer(first.query);
    let deleted: Vec<VideoId> = page.videos[..40].iter().map(|v| v.id).collect();
    walk.take(first, page, &());
    for &gone in &deleted {
        account.videos.retain(|v| v.id != gone);
        walk.note_deleted(gone);
    }
    let mut requests = 1;
    while walk.end().is_none() {
        let planned = walk.next_request().unwrap();
        walk.take(planned, account.answer(planned.query), &());
        requests += 1;
    }
    assert!(matches!(walk.end(), Some(WalkEnd::Complete(listed)) if listed.len() == 300));
    // The first page, then six over the 260 left: none missed its anchors.
    assert_eq!(requests, 7);
}

#[test]
fn a_server_that_ignores_the_offset_ends_the_walk_failed() {
    let mut account = Account::new(500);
    account.serving.ignore_offset = true;
    let mut walk = Walk::new(full(100, 2, 1), []);
    let mut requests = 0;
    while walk.end().is_none() && requests < 20 {
        let planned = walk.next_request().unwrap();
        let mut page = account.answer(planned.query);
        page.offset = None;
        walk.take(planned, page, &());
        requests += 1;
    }
    assert!(matches!(
        walk.end(),
        Some(WalkEnd::Failed(WalkFailure::NotAdvancing { .. }))
    ));
    assert_eq!(requests, 4);
    let mut walk = Walk::new(full(100, 2, 1), []);
    let planned = walk.next_request().unwrap();
    walk.take(planned, account.answer(planned.query), &());
    let planned = walk.next_request().unwrap();
    let mut page = account.answer(planned.query);
    page.offset = Some(0);
    walk.take(planned, page, &());
    let Some(WalkEnd::Failed(failure)) = walk.end() else {
        panic!("{:?}", walk.end())
    };
    assert_eq!(
        *failure,
        WalkFailure::OffsetIgnored {
            asked: 98,
            answered: 0
        }
    );
    assert!(failure.to_string().contains("does not page by offset"));
}

#[test]
fn a_page_size_the_server_caps_without_saying_is_followed_not_taken_for_the_end() {
    let mut account = Account::new(230);
    account.serving.silent_cap = Some(40);
    let mut walk = Walk::new(full(100, 2, 1), []);
    let mut queries = Vec::new();
    while walk.end().is_none() {
        let planned = walk.next_request().unwrap();
        queries.push(planned.query);
        walk.take(planned, account.answer(planned.query), &());
    }
    assert!(matches!(walk.end(), Some(WalkEnd::Complete(listed)) if listed.len() == 230));
    assert_eq!(queries[1].limit(), 40, "asks for what the server gives");
    assert_eq!(queries[1].offset, 38);
}

#[test]
fn a_request_that_fails_ends_the_walk_and_late_pages_still_give_their_videos() {
    let account = Account::new(300);
    let mut walk = Walk::new(full(50, 2, 3), []);
    let first = walk.next_request().unwrap();
    walk.take(first, account.answer(first.query), &());
    let out: Vec<Planned> = std::iter::from_fn(|| walk.next_request()).collect();
    assert_eq!(out.len(), 3, "three in flight once the first page is in");
    walk.abandon("HTTP 503 five times".to_owned());
    assert_eq!(walk.next_request(), None);
    let late = walk.take(out[0], account.answer(out[0].query), &());
    assert_eq!(late.len(), 48, "the new ones are still merged");
    let Some(WalkEnd::Failed(failure)) = walk.finish() else {
        panic!("failed")
    };
    assert_eq!(failure.to_string(), "HTTP 503 five times");
}

/// What a store holds: the videos as they were listed.
type Store = std::collections::HashMap<VideoId, ListedVideo>;

fn holding_all(account: &Account) -> Store {
    account.videos.iter().map(|v| (v.id, v.clone())).collect()
}

fn incremental() -> WalkPlan {
    WalkPlan::default()
}

#[test]
fn an_unchanged_account_is_resynced_in_one_request() {
    let account = Account::new(100_000);
    let held = holding_all(&account);
    let run = drive(account, incremental(), &held, Vec::new(), &[], &[], true);
    assert_eq!(
        (run.end, run.requests, run.merged.len()),
        (WalkEnd::StoppedEarly, 1, 0)
    );
}

#[test]
fn new_videos_above_the_held_ones_are_merged_then_the_walk_stops() {
    let mut account = Account::new(1_000);
    let held = holding_all(&account);
    for _ in 0..130 {
        account.create(None);
    }
    let new: Vec<VideoId> = account.videos[..130].iter().map(|v| v.id).collect();
    let run = drive(account, incremental(), &held, Vec::new(), &[], &[], true);
    assert_eq!(run.end, WalkEnd::StoppedEarly);
    let new: Vec<_> = new.into_iter().map(|id| (id, Held::New)).collect();
    assert_eq!(run.merged, new, "the new ones, in the order listed");
    assert_eq!(run.requests, 2);
}

#[test]
fn a_held_video_that_could_still_change_is_met_before_the_walk_stops() {
    let account = Account::new(1_000);
    let mut held = holding_all(&account);
    // Held as processing when last synced; listed completed now, deep in the listing.
    let deep = account.videos[450].id;
    if let Some(video) = held.get_mut(&deep) {
        video.state = Some(GenerationState::Processing);
    }
    let run = drive(account, incremental(), &held, vec![deep], &[], &[], true);
    assert_eq!(run.end, WalkEnd::StoppedEarly);
    assert_eq!(run.merged, [(deep, Held::Changed)]);
    assert_eq!(run.requests, 5, "until the page holding it");
}

#[test]
fn without_newest_first_a_held_listing_is_walked_to_the_end() {
    let mut account = Account::new(500);
    let held = holding_all(&account);
    account.videos.swap(10, 20);
    let run = drive(account, incremental(), &held, Vec::new(), &[], &[], true);
    assert!(matches!(run.end, WalkEnd::Complete(_)), "{:?}", run.end);
    assert_eq!(run.requests, 6);
}

#[test]
fn a_walk_of_one_state_never_stops_early_and_proves_nothing_unlisted() {
    let account = Account::new(300);
    let held = holding_all(&account);
    let plan = WalkPlan {
        status: Some(GenerationState::Completed),
        ..incremental()
    };
    let run = drive(account, plan, &held, Vec::new(), &[], &[], true);
    let WalkEnd::Complete(listed) = &run.end else {
        panic!("{:?}", run.end)
    };
    assert_eq!(listed.len(), 300);
    assert!(!listed.proves_unlisted(id(u128::MAX)));
    let full_plan = WalkPlan {
        mode: WalkMode::Full,
        ..incremental()
    };
    let account = Account::new(300);
    let held = holding_all(&account);
    let run = drive(account, full_plan, &held, Vec::new(), &[], &[], true);
    assert!(matches!(&run.end, WalkEnd::Complete(listed) if listed.proves_unlisted(id(u128::MAX))));
}

#[test]
fn an_empty_account_is_complete_after_one_request() {
    let run = drive(
        Account::new(0),
        incremental(),
        &(),
        Vec::new(),
        &[],
        &[],
        true,
    );
    assert!(matches!(&run.end, WalkEnd::Complete(listed) if listed.is_empty()));
    assert_eq!(run.requests, 1);
}
