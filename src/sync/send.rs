//! `SendPage`: the one seam through which a sync's `GET /videos` requests go out. `Paced`
//! hands each one to the delete engine (`Command::ListPage`), so pages and DELETEs share one
//! allowance: the user's `max_rate`, the pace the server's answers set (429s, `Retry-After`,
//! rate headers) and its halts. The driver still retries a refused page as
//! `RetryPolicy::judge_read` says.

use std::future::Future;

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

use crate::api::{Attempt, Page, PageQuery, Read, ReadRoute, TransportFailure};
use crate::engine::{Command, PageAsk};

/// Sends one page request, once, and gives back what it came to.
pub trait SendPage {
    fn send(&mut self, query: &PageQuery) -> impl Future<Output = Read<Page>>;

    /// Nothing can be sent any more (the engine stopped): no page is waited for then.
    fn stopped(&self) -> bool {
        false
    }
}

/// Sends each page through the engine behind `commands`, when its allowance lets it go.
pub struct Paced {
    commands: UnboundedSender<Command>,
}

impl Paced {
    pub fn new(commands: UnboundedSender<Command>) -> Self {
        Self { commands }
    }
}

impl SendPage for Paced {
    async fn send(&mut self, query: &PageQuery) -> Read<Page> {
        let (reply, answer) = oneshot::channel();
        let ask = PageAsk {
            query: *query,
            reply,
        };
        if self.commands.send(Command::ListPage(ask)).is_err() {
            return engine_gone();
        }
        answer.await.unwrap_or_else(|_| engine_gone())
    }

    fn stopped(&self) -> bool {
        self.commands.is_closed()
    }
}

/// What a page comes to when the engine stopped before sending it (the app quitting).
fn engine_gone() -> Read<Page> {
    Read {
        route: ReadRoute::List,
        attempt: Attempt::NoAnswer(TransportFailure::Interrupted {
            detail: "sending stopped before this page went out".to_owned(),
        }),
        content: None,
    }
}
