//! The run loop's side of a sync: the listing pages a sync asks for (`Command::ListPage`)
//! go out through the same user cap, pacer and halts as the DELETEs (one key, one
//! allowance), and each answer teaches the pacer before it is handed back to the sync.

use std::collections::VecDeque;
use std::time::Instant;

use tokio::sync::oneshot;

use crate::api::{ApiKey, Attempt, ElytronClient, Page, PageQuery, Read};

use super::Engine;
use crate::engine::tagged_tasks::TaggedTasks;

/// A page a sync asked for, and where its answer goes.
#[derive(Debug)]
pub struct PageAsk {
    pub query: PageQuery,
    pub reply: oneshot::Sender<Read<Page>>,
}

/// Pages asked for and not yet sent, and those on the wire.
#[derive(Default)]
pub(super) struct PageReads {
    asked: VecDeque<PageAsk>,
    /// Pages on the wire: where each answer goes, and how it left.
    on_wire: TaggedTasks<Read<Page>, (oneshot::Sender<Read<Page>>, Sent)>,
}

/// How a page left: when, as a probe or not, under which key.
#[derive(Clone, Copy)]
pub(super) struct Sent {
    pub at: Instant,
    pub probe: bool,
    pub key_generation: u64,
}

/// A page that came back; `read` is `None` when its task failed.
pub(super) struct PageLanded {
    reply: oneshot::Sender<Read<Page>>,
    sent: Sent,
    read: Option<Read<Page>>,
}

impl PageReads {
    pub fn ask(&mut self, ask: PageAsk) {
        self.asked.push_back(ask);
    }

    pub fn waiting(&self) -> bool {
        !self.asked.is_empty()
    }

    pub fn on_wire(&self) -> usize {
        self.on_wire.len()
    }

    /// Drops every page not yet sent and calls off those on the wire: their syncs hear that
    /// the engine stopped.
    pub fn drop_all(&mut self) {
        self.asked.clear();
        self.on_wire.abort_all();
    }

    fn send_next(&mut self, client: &ElytronClient, key: &ApiKey, sent: Sent) {
        let Some(PageAsk { query, reply }) = self.asked.pop_front() else {
            return;
        };
        if reply.is_closed() {
            return;
        }
        let (client, key) = (client.clone(), key.clone());
        self.on_wire.spawn(
            async move { client.list_videos(&key, &query).await },
            (reply, sent),
        );
    }

    /// The next page to come back; `None` when none is on the wire.
    pub async fn next_landed(&mut self) -> Option<PageLanded> {
        let ((reply, sent), read) = self.on_wire.next().await?;
        Some(PageLanded {
            reply,
            sent,
            read: read.ok(),
        })
    }
}

impl Engine {
    /// `Command::ListPage`: queued behind the pages asked before it.
    pub(super) fn ask_page(&mut self, ask: PageAsk) {
        if self.stopping {
            return;
        }
        self.pages.ask(ask);
    }

    /// Sends the asked pages the pacer and the user's cap allow.
    pub(super) fn dispatch_pages(&mut self, now: Instant, key: &ApiKey) {
        while self.pages.waiting() && self.take(now) {
            let sent = self.page_sent(now, false);
            self.pages.send_next(&self.client, key, sent);
        }
    }

    /// While halted with no ID to probe with, an asked page is the probe.
    pub(super) fn probe_with_page(&mut self, now: Instant, key: &ApiKey) -> bool {
        if !self.pages.waiting() || !self.take(now) {
            return false;
        }
        let sent = self.page_sent(now, true);
        self.pages.send_next(&self.client, key, sent);
        true
    }

    fn page_sent(&self, at: Instant, probe: bool) -> Sent {
        Sent {
            at,
            probe,
            key_generation: self.key_generation,
        }
    }

    /// A page came back: the pacer learns from it as from a DELETE, the sync gets it (with
    /// a wait too long for `max_wait` taken out: that halts), then the halt and the key
    /// learn from it. In that order, so a sync told of a halt its own page brought already
    /// holds that page to merge.
    pub(super) fn settle_page(&mut self, landed: PageLanded) {
        let now = Instant::now();
        let PageLanded { reply, sent, read } = landed;
        let Some(mut read) = read else { return };
        let (long_wait, _) = self.learn_from_answer(&mut read.attempt, sent.at, now);
        let attempt = read.attempt.clone();
        // The sync may have ended meanwhile: nobody waits for the page.
        _ = reply.send(read);
        if matches!(&attempt, Attempt::Answered(answer) if answer.status == 401) {
            self.key_refused(sent.key_generation);
        } else {
            self.follow_halt(long_wait, &attempt, sent.probe, now);
        }
    }
}
