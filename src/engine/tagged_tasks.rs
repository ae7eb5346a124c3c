//! Requests on the wire, each in its own task with a tag (what the run loop needs back when
//! it ends: the ID, when it left, where the answer goes). A task that ends, or dies without
//! a result, comes back with its tag, so no request is ever lost track of.

use std::collections::HashMap;
use std::future::Future;

use tokio::task::{self, JoinError, JoinSet};

#[derive(Debug)]
pub struct TaggedTasks<T, Tag> {
    tasks: JoinSet<T>,
    tags: HashMap<task::Id, Tag>,
}

impl<T, Tag> Default for TaggedTasks<T, Tag> {
    fn default() -> Self {
        Self {
            tasks: JoinSet::new(),
            tags: HashMap::new(),
        }
    }
}

impl<T: Send + 'static, Tag> TaggedTasks<T, Tag> {
    /// Runs `task`; `tag` comes back with its result.
    pub fn spawn(&mut self, task: impl Future<Output = T> + Send + 'static, tag: Tag) {
        let handle = self.tasks.spawn(task);
        self.tags.insert(handle.id(), tag);
    }

    /// Tasks not yet come back (aborted ones included until they have).
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    pub fn tags_mut(&mut self) -> impl Iterator<Item = &mut Tag> {
        self.tags.values_mut()
    }

    /// Calls off every task; each still comes back (as died) with its tag.
    pub fn abort_all(&mut self) {
        self.tasks.abort_all();
    }

    /// Calls off every task and forgets it: none comes back.
    pub fn forget_all(&mut self) {
        self.tasks.abort_all();
        self.tags.clear();
    }

    /// The next task to end, with its tag; `Err` with why when it died without a result.
    /// `None` when none is left.
    pub async fn next(&mut self) -> Option<(Tag, Result<T, String>)> {
        loop {
            let joined = self.tasks.join_next_with_id().await?;
            if let Some(ended) = self.tagged(joined) {
                return Some(ended);
            }
        }
    }

    /// A task that has already ended, if any, without waiting.
    pub fn ready(&mut self) -> Option<(Tag, Result<T, String>)> {
        loop {
            let joined = self.tasks.try_join_next_with_id()?;
            if let Some(ended) = self.tagged(joined) {
                return Some(ended);
            }
        }
    }

    fn tagged(
        &mut self,
        joined: Result<(task::Id, T), JoinError>,
    ) -> Option<(Tag, Result<T, String>)> {
        let (task_id, result) = match joined {
            Ok((task_id, value)) => (task_id, Ok(value)),
            Err(error) => (error.id(), Err(error.to_string())),
        };
        // Every task has its tag; one missing cannot happen, and has nothing to report.
        let tag = self.tags.remove(&task_id)?;
        Some((tag, result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_task_comes_back_with_its_tag_even_one_that_died() {
        let mut tasks = TaggedTasks::default();
        tasks.spawn(async { 7 }, "seven");
        tasks.spawn(async { panic!("the HTTP stack panicked") }, "died");
        tasks.spawn(std::future::pending(), "aborted");
        assert_eq!(tasks.len(), 3);
        let mut ended = Vec::new();
        while let Some((tag, result)) = tasks.next().await {
            ended.push((tag, result.ok()));
            if ended.len() == 2 {
                tasks.abort_all();
            }
        }
        ended.sort();
        assert_eq!(
            ended,
            [("aborted", None), ("died", None), ("seven", Some(7))]
        );
        assert!(tasks.is_empty());

        tasks.spawn(std::future::pending(), "forgotten");
        tasks.forget_all();
        assert!(tasks.is_empty());
        assert_eq!(tasks.next().await.map(|(tag, _)| tag), None);
    }
}
