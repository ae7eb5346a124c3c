//! `Walk`: the plan of `GET /videos` requests that lists every video of the account even
//! while offsets shift, as a state machine: it says which page to ask for next (`next_request`),
//! takes each page as it comes (`take`, in any order when several are in flight), and ends
//! complete, stopped early (incremental) or failed (`WalkEnd`). No I/O, no clock.
//!
//! How it cannot miss a video. The listing is one order (whatever it is: newest first is
//! assumed for stopping early, never for completeness) in which videos are only inserted and
//! removed. A page is *trusted* when it is the first (offset 0: the top of the listing) or
//! lists a video some trusted page listed before (an anchor). Claim: after each trusted page
//! P, every video that exists for the whole walk and comes no later than P's last video has
//! been listed. For the first page it holds, as it starts at the top. For a later P, its
//! anchor A was listed by an earlier trusted page, so A comes no later than that page's last
//! video L, for which the claim already holds; P is a contiguous stretch of the listing from
//! before A to P's last video, so every lasting video between L and P's last video is in P.
//! A trusted page shorter than the page size is the end of the listing, so the claim then
//! covers every lasting video: the walk is complete.
//!
//! Pages overlap by `overlap` videos, so the next page finds its anchors unless more than
//! `overlap - 1` videos above them went away meanwhile (or more than `limit - overlap` new
//! ones pushed them past it). A page with no anchor is not trusted, its offset is past a gap
//! or before the walk's place, so the walk steps back until a page is trusted again (offset
//! 0 always is). Pages without an anchor still give their videos: they exist, they merge,
//! they count as listed.
//!
//! Where to step back, and how much to overlap, are guesses that only cost requests when
//! wrong, never videos: the drop in `total` between two pages is taken as how far the
//! listing moved up (deletions above the walk's place, the usual churn), so the first step
//! back goes that far, and later pages overlap that much more. When that guess fails, the
//! walk steps back a page, then two, four... This tool's own deletes are told to it
//! (`note_deleted`) and move the pages not yet asked for.

use std::collections::BTreeMap;

use crate::api::{GenerationState, Page, PageQuery, VideoId};
use crate::store::IdSet;

use super::holdings::{Held, Holdings, ToMerge};
use super::listed::{Listed, WalkEnd, WalkFailure};

/// Whether a walk may stop once it meets what is already held.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WalkMode {
    /// Stop early once the listing (newest first, as checked along the way) reaches videos
    /// held unchanged in a final state, every held video that could still change having
    /// been met again.
    #[default]
    Incremental,
    /// Walk every page.
    Full,
}

/// What to walk, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalkPlan {
    pub mode: WalkMode,
    /// Only the videos in this state (a walk of one state never stops early).
    pub status: Option<GenerationState>,
    /// Videos asked per page, 2 to `PageQuery::MAX_LIMIT`.
    pub limit: u32,
    /// Videos each page repeats from the one before, at least 1 and below `limit`: the more,
    /// the more videos may go away between two pages without a step back.
    pub overlap: u32,
    /// Requests in flight at once; 1 asks one page after the other.
    pub lookahead: usize,
}

impl Default for WalkPlan {
    /// Incremental, every state, 100 a page overlapping by 2, one page at a time.
    fn default() -> Self {
        Self {
            mode: WalkMode::Incremental,
            status: None,
            limit: PageQuery::MAX_LIMIT,
            overlap: 2,
            lookahead: 1,
        }
    }
}

/// One request the walk wants sent; its page goes back to `Walk::take` with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planned {
    seq: u64,
    pub query: PageQuery,
}

/// How far a walk has come, for a progress line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalkProgress {
    /// Requests planned so far.
    pub requests: u64,
    /// Pages taken in order (trusted or not).
    pub pages: u64,
    /// Distinct videos listed.
    pub listed: usize,
    /// The last `total` a page gave (an estimate: the account changes).
    pub total: Option<u64>,
}

/// An incremental walk stops when a page ends with this many videos held unchanged in a
/// final state (or the whole page, if smaller).
const STOP_RUN: usize = 10;
/// Trusted pages in a row listing exactly what the one before listed, at another offset,
/// before the walk gives up: the server does not move with the offset.
const MAX_STALLS: u32 = 3;

/// A page that came back, waiting for the pages before it.
#[derive(Debug)]
struct Arrived {
    query: PageQuery,
    ids: Vec<VideoId>,
    limit: Option<u64>,
    offset: Option<u64>,
    total: Option<u64>,
    /// Videos at the page's end held unchanged in a final state.
    settled_tail: usize,
    /// Every video had a creation time, none older than the one after it.
    newest_first: bool,
}

#[derive(Debug)]
pub struct Walk {
    plan: WalkPlan,
    /// The page size to ask for: the plan's, or less once the server applied less.
    limit: u32,
    /// The offset of the next request to plan.
    cursor: u64,
    next_seq: u64,
    /// The next page to process; those before it are behind the walk (stale).
    expect: u64,
    in_flight: BTreeMap<u64, PageQuery>,
    arrived: BTreeMap<u64, Arrived>,
    /// One request at a time: at the start, and after a page without an anchor.
    probing: bool,
    /// Pages in a row without an anchor.
    misses: u32,
    /// Trusted pages in a row that listed exactly what the one before did.
    stalls: u32,
    /// The `total` of the last trusted page.
    trusted_total: Option<u64>,
    /// How far the listing moved up between the last two trusted pages, as `total` dropped:
    /// pages overlap that much more.
    drift: u64,
    /// The last trusted page's offset and IDs.
    last_trusted: (u64, Vec<VideoId>),
    /// IDs listed by trusted pages.
    anchors: IdSet,
    /// IDs listed by any page.
    listed: IdSet,
    /// Held videos that may still change, not met again yet.
    unsettled: IdSet,
    /// Every trusted page so far was newest first.
    newest_first: bool,
    progress: WalkProgress,
    end: Option<WalkEnd>,
}

impl Walk {
    /// `unsettled`: the held videos whose state may still change (pending, processing), which
    /// an incremental walk must meet again before it stops early.
    pub fn new(plan: WalkPlan, unsettled: impl IntoIterator<Item = VideoId>) -> Self {
        let limit = plan.limit.clamp(2, PageQuery::MAX_LIMIT);
        Self {
            plan: WalkPlan {
                limit,
                overlap: plan.overlap.clamp(1, limit - 1),
                lookahead: plan.lookahead.max(1),
                ..plan
            },
            limit,
            cursor: 0,
            next_seq: 0,
            expect: 0,
            in_flight: BTreeMap::new(),
            arrived: BTreeMap::new(),
            probing: true,
            misses: 0,
            stalls: 0,
            trusted_total: None,
            drift: 0,
            last_trusted: (0, Vec::new()),
            anchors: IdSet::default(),
            listed: IdSet::default(),
            unsettled: unsettled.into_iter().collect(),
            newest_first: true,
            progress: WalkProgress::default(),
            end: None,
        }
    }

    /// The next request to send now, or `None` while enough are in flight or once the walk
    /// has ended.
    pub fn next_request(&mut self) -> Option<Planned> {
        let room = if self.probing { 1 } else { self.plan.lookahead };
        if self.end.is_some() || self.in_flight.len() + self.arrived.len() >= room {
            return None;
        }
        let query = PageQuery::new(self.cursor, self.limit, self.plan.status);
        let planned = Planned {
            seq: self.next_seq,
            query,
        };
        self.next_seq += 1;
        self.in_flight.insert(planned.seq, query);
        self.progress.requests += 1;
        // The page after it, if this one comes back full and nothing moves.
        self.cursor += u64::from(self.limit) - self.overlap();
        Some(planned)
    }

    /// Takes the page that answered `planned`, and returns its videos to merge, in the order
    /// listed: those this walk lists for the first time and `holdings` does not hold as
    /// listed. Call it before
    /// merging them (`holdings` must say what was held before). A page the walk has moved
    /// past (or any page once it ended) still gives its videos, and changes nothing else.
    pub fn take(&mut self, planned: Planned, page: Page, holdings: &impl Holdings) -> Vec<ToMerge> {
        let Page {
            videos,
            total,
            limit,
            offset,
            ..
        } = page;
        let newest_first =
            videos
                .windows(2)
                .all(|pair| match (pair[0].created_at, pair[1].created_at) {
                    (Some(newer), Some(older)) => newer >= older,
                    _ => false,
                })
                && videos.iter().all(|video| video.created_at.is_some());
        let ids: Vec<VideoId> = videos.iter().map(|video| video.id).collect();
        let mut settled_tail = 0;
        let mut merge = Vec::new();
        for video in videos {
            let held = holdings.compare(&video);
            let settled = held == Held::Same && video.state.is_some_and(GenerationState::is_final);
            settled_tail = if settled { settled_tail + 1 } else { 0 };
            self.unsettled.remove(&video.id);
            if self.listed.insert(video.id) && held != Held::Same {
                merge.push(ToMerge { video, held });
            }
        }
        self.progress.listed = self.listed.len();
        let current = self.in_flight.remove(&planned.seq).is_some() && self.end.is_none();
        if current {
            let arrived = Arrived {
                query: planned.query,
                ids,
                limit,
                offset,
                total,
                settled_tail,
                newest_first,
            };
            self.arrived.insert(planned.seq, arrived);
            while let Some(next) = self.arrived.remove(&self.expect) {
                self.expect += 1;
                self.process(next);
                if self.end.is_some() {
                    self.replan(0);
                    break;
                }
            }
        }
        merge
    }

    /// `planned` came to nothing (the server refused it, or retries ran out): the walk ends,
    /// failed, for `reason`.
    pub fn abandon(&mut self, reason: String) {
        if self.end.is_none() {
            self.end = Some(WalkEnd::Failed(WalkFailure::Abandoned(reason)));
            self.replan(0);
        }
    }

    /// This tool deleted `id`: if a trusted page listed it, it was above the walk's place,
    /// and the pages not yet asked for move up by one. (Only saves a step back: anchors keep
    /// the walk right without it.)
    pub fn note_deleted(&mut self, id: VideoId) {
        if self.anchors.contains(&id) {
            self.cursor = self.cursor.saturating_sub(1);
        }
    }

    pub fn progress(&self) -> WalkProgress {
        self.progress
    }

    /// How it ended; `None` while it goes on.
    pub fn end(&self) -> Option<&WalkEnd> {
        self.end.as_ref()
    }

    /// The end, once there is one.
    pub fn finish(self) -> Option<WalkEnd> {
        self.end
    }

    /// The overlap asked of the next page: the plan's, plus the drift, up to half a page
    /// (pages must still move on: a listing moving as fast as they do looks like a server
    /// that does not page).
    fn overlap(&self) -> u64 {
        let limit = u64::from(self.limit);
        let planned = u64::from(self.plan.overlap);
        (planned + self.drift)
            .min(planned.max(limit / 2))
            .min(limit - 1)
    }

    /// The next page in order: trust it or step back, then end or move on.
    fn process(&mut self, page: Arrived) {
        self.progress.pages += 1;
        self.progress.total = page.total.or(self.progress.total);
        let asked = page.query.offset;
        if let Some(answered) = page.offset.filter(|&answered| answered != asked) {
            self.end = Some(WalkEnd::Failed(WalkFailure::OffsetIgnored {
                asked,
                answered,
            }));
            return;
        }
        let count = page.ids.len() as u64;
        let applied = applied_limit(&page, count);
        if applied < u64::from(self.limit) {
            // The server's page size is below ours; ask for it from now on.
            self.limit = applied.max(2).min(u64::from(self.limit)) as u32;
        }
        let dropped = match (self.trusted_total, page.total) {
            (Some(before), Some(now)) => before.saturating_sub(now),
            _ => 0,
        };
        let trusted = asked == 0 || page.ids.iter().any(|id| self.anchors.contains(id));
        if !trusted {
            self.misses += 1;
            self.probing = true;
            let back = if self.misses == 1 && dropped > 0 {
                // The listing moved up about as far as `total` dropped.
                dropped + self.overlap()
            } else {
                let stride = u64::from(self.limit) - self.overlap();
                stride.saturating_mul(1 << (self.misses - 1).min(32))
            };
            self.replan(asked.saturating_sub(back));
            return;
        }
        self.misses = 0;
        self.drift = dropped;
        self.trusted_total = page.total;
        let (last_offset, last_ids) = &self.last_trusted;
        let same_again = *last_offset != asked && *last_ids == page.ids;
        self.anchors.extend(page.ids.iter().copied());
        self.newest_first &= page.newest_first;
        if count < applied {
            let listed = Listed::new(self.listed.clone(), self.plan.status);
            self.end = Some(WalkEnd::Complete(listed));
            return;
        }
        if applied < 2 {
            self.end = Some(WalkEnd::Failed(WalkFailure::PagesTooSmall {
                limit: applied,
            }));
            return;
        }
        if self.may_stop(&page, count) {
            self.end = Some(WalkEnd::StoppedEarly);
            return;
        }
        self.stalls = if same_again { self.stalls + 1 } else { 0 };
        if self.stalls >= MAX_STALLS {
            self.end = Some(WalkEnd::Failed(WalkFailure::NotAdvancing { offset: asked }));
            return;
        }
        self.last_trusted = (asked, page.ids);
        self.probing = false;
        let next = asked + count - self.overlap().min(applied - 1);
        let following = (self.in_flight.get(&self.expect))
            .or_else(|| self.arrived.get(&self.expect).map(|page| &page.query));
        if following.is_none_or(|query| query.offset != next) {
            self.replan(next);
        }
    }

    /// An incremental walk of every state stops at a page ending in videos held unchanged
    /// in a final state, once every held video that may still change was met again, and
    /// while the listing has been newest first (so what follows is older, and final).
    fn may_stop(&self, page: &Arrived, count: u64) -> bool {
        self.plan.mode == WalkMode::Incremental
            && self.plan.status.is_none()
            && self.newest_first
            && self.unsettled.is_empty()
            && page.settled_tail >= STOP_RUN.min(count as usize)
    }

    /// Forgets every request out and every page waiting (they are stale from now on), and
    /// plans the next from `offset`.
    fn replan(&mut self, offset: u64) {
        self.in_flight.clear();
        self.arrived.clear();
        self.expect = self.next_seq;
        self.cursor = offset;
    }
}

/// The page size the server applied to `page`: the one asked, or less if it says so
/// (`limit`), or the page's own size when it is shorter and its `total` shows more videos
/// past it (a cap it did not say; without `total`, a short page is the end).
fn applied_limit(page: &Arrived, count: u64) -> u64 {
    let asked = u64::from(page.query.limit());
    let said = page
        .limit
        .filter(|&limit| limit > 0)
        .map_or(asked, |limit| limit.min(asked));
    let more = page
        .total
        .is_some_and(|total| page.query.offset + count < total);
    if count < said && more { count } else { said }
}

#[cfg(test)]
mod tests;
