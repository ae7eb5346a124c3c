//! `SendPage`: the one seam through which a sync's `GET /videos` requests go out, so that
//! pacing them with the deletes is one implementation to swap in. `Unpaced` sends each
//! request at once; the driver waits out what the server asks for (429s, `Retry-After`).

use std::future::Future;

use crate::api::{ApiKey, ElytronClient, Page, PageQuery, Read};

/// Sends one page request, once, and gives back what it came to.
pub trait SendPage {
    fn send(&mut self, query: &PageQuery) -> impl Future<Output = Read<Page>>;
}

/// Sends each request as soon as the sync asks for it.
pub struct Unpaced {
    client: ElytronClient,
    key: ApiKey,
}

impl Unpaced {
    pub fn new(client: ElytronClient, key: ApiKey) -> Self {
        Self { client, key }
    }
}

impl SendPage for Unpaced {
    async fn send(&mut self, query: &PageQuery) -> Read<Page> {
        self.client.list_videos(&self.key, query).await
    }
}
