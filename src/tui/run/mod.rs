//! The event loop: the only part of the TUI that does I/O. It turns terminal input, the delete
//! pipeline's news (engine events, once recorded) and time into `Msg`s, performs the
//! `Effect`s `update` returns (batches, commands and list edits to the pipeline; the history,
//! a video's fields, the key, a sync, the clipboard and exports through `Persistence`), and draws at most ~30 times a
//! second, only after something changed.

use std::io;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::{Instant, sleep, sleep_until};

use super::app::App;
use super::effect::Effect;
use super::msg::Msg;
use super::update::update;
use super::view::render;
use crate::engine::{Command, Event, Pause};
use crate::pipeline::{News, Pipeline};
use crate::stop_signals::StopSignals;
use crate::store::UserFileError;
use crate::sync::SyncNews;
use suspend::Suspension;

mod persistence;
mod suspend;
mod terminal;

pub use persistence::{PersistError, Persistence};
pub use terminal::check as check_terminal;

/// Shortest time between two frames (about 30 fps).
const FRAME: Duration = Duration::from_millis(33);
/// Tick while something animates (spinner, countdowns).
const FAST_TICK: Duration = Duration::from_millis(100);
/// Tick while idle: only relative times ("5m ago") change.
const IDLE_TICK: Duration = Duration::from_secs(30);
/// How long quitting waits for in-flight deletes to report, so their outcomes are recorded.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(10);

/// Runs the TUI until the user quits or a termination signal arrives, restoring the terminal
/// on every way out (`terminal::take`'s panic hook covers panics, after logging them).
/// `list` brings the saved list (`Msg::ListChunk`, then `ListLoaded` or `ListFailed`) to an
/// app made with `App::awaiting_list`, and the key `api_key_command` fetched
/// (`Msg::KeyFetched`) when one runs; it may be closed at once for an app built with its list.
/// `pipeline` and its `news` carry batches to the engine and their results back.
pub async fn run(
    app: App,
    list: UnboundedReceiver<Msg>,
    news: UnboundedReceiver<News>,
    pipeline: Pipeline,
    persist: &mut impl Persistence,
) -> io::Result<()> {
    let mut terminal = terminal::take(app.settings().mouse)?;
    let result = Loop {
        app,
        list,
        news,
        pipeline,
        persist,
        suspension: None,
    }
    .run(&mut terminal)
    .await;
    terminal::give_back(terminal);
    result
}

struct Loop<'s, P> {
    app: App,
    list: UnboundedReceiver<Msg>,
    news: UnboundedReceiver<News>,
    pipeline: Pipeline,
    persist: &'s mut P,
    /// A Ctrl-z waiting for the requests on the wire to land.
    suspension: Option<Suspension>,
}

impl<P: Persistence> Loop<'_, P> {
    async fn run(mut self, terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
        let size = terminal.size()?;
        self.app.resize(size.width, size.height);
        let mut input = EventStream::new();
        // SIGTERM and SIGHUP leave like `q` would, so the terminal is restored.
        let mut signals = StopSignals::listen(false)?;
        let mut news_open = true;
        let mut list_open = true;
        let mut dirty = true;
        let mut next_frame = Instant::now();
        loop {
            if dirty && Instant::now() >= next_frame {
                if let Err(err) = terminal.draw(|frame| render(&self.app, frame)) {
                    // The terminal is gone: what the session holds is saved all the same.
                    tracing::error!("drawing failed: {err}");
                    self.shutdown().await?;
                    return Err(err);
                }
                dirty = false;
                next_frame = Instant::now() + FRAME;
            }
            let tick = if self.animating() {
                FAST_TICK
            } else {
                IDLE_TICK
            };
            // The list's messages go first: a key pressed once the list is read must not be
            // refused as "still reading" because the list's last message waited behind it.
            let mut msgs = Vec::new();
            let mut others = Vec::new();
            tokio::select! {
                term = input.next() => match term {
                    Some(Ok(term)) => others.extend(from_terminal(term)),
                    Some(Err(err)) => {
                        tracing::error!("terminal input failed: {err}");
                        self.shutdown().await?;
                        return Err(err);
                    }
                    None => return self.shutdown().await,
                },
                msg = self.list.recv(), if list_open => match msg {
                    Some(msg) => msgs.push(msg),
                    None => list_open = false,
                },
                news = self.news.recv(), if news_open => match news {
                    Some(news) => others.push(from_pipeline(news)),
                    None => news_open = false,
                },
                () = sleep(tick) => {}
                () = sleep_until(next_frame), if dirty => continue,
                () = sleep_until(self.suspension.as_ref().map_or(next_frame, |s| s.until)),
                    if self.suspension.is_some() => {}
                _ = signals.recv() => return self.shutdown().await,
            }
            // Drain everything already pending so a burst of results costs one frame.
            while let Ok(msg) = self.list.try_recv() {
                msgs.push(msg);
            }
            msgs.append(&mut others);
            while let Ok(news) = self.news.try_recv() {
                msgs.push(from_pipeline(news));
            }
            let mut pending = std::collections::VecDeque::from(msgs);
            pending.push_front(Msg::Tick(Timestamp::now()));
            let mut drained = false;
            while let Some(msg) = pending.pop_front() {
                drained |= matches!(
                    msg,
                    Msg::Engine(Event::Paused(Pause::ByUser { in_flight: 0 }))
                );
                for effect in update(&mut self.app, msg) {
                    match self.perform(effect) {
                        Step::Continue(follow_up) => pending.extend(follow_up),
                        Step::Quit => return self.shutdown().await,
                    }
                }
            }
            if let Some(suspension) = &self.suspension
                && (drained || Instant::now() >= suspension.until)
            {
                self.suspend(terminal)?;
            }
            dirty = true;
        }
    }

    /// Spinner rows, a countdown or a gauge on screen: tick often enough to animate them.
    fn animating(&self) -> bool {
        self.app.batch().is_some() || self.app.modal().grace_deadline().is_some()
    }

    fn perform(&mut self, effect: Effect) -> Step {
        let result = match effect {
            Effect::Quit => return Step::Quit,
            Effect::Enqueue(batch) => {
                self.pipeline.send(batch.into_cleared());
                Ok(())
            }
            Effect::CancelBatch => {
                self.pipeline.command(Command::Cancel);
                Ok(())
            }
            Effect::RetryNow => {
                self.pipeline.command(Command::Retry);
                Ok(())
            }
            Effect::PauseBatch => {
                self.pipeline.command(Command::Pause);
                Ok(())
            }
            Effect::ResumeBatch => {
                self.pipeline.command(Command::Resume);
                Ok(())
            }
            Effect::Suspend if self.suspension.is_none() => {
                // A running batch pauses first; the stop comes once its requests land.
                let pause = self
                    .app
                    .batch()
                    .is_some_and(|batch| !batch.paused_by_user());
                self.suspension = Some(Suspension::new(pause));
                if pause {
                    self.pipeline.command(Command::Pause);
                }
                Ok(())
            }
            Effect::Suspend => Ok(()),
            Effect::SetKey { key, save } => {
                let saved = if save {
                    self.persist.save_key(&key)
                } else {
                    Ok(())
                };
                self.persist.key_given(&key);
                self.pipeline.command(Command::SetKey(key));
                saved.map_err(|e| ("save the key", e))
            }
            Effect::Edit(edit) => {
                self.pipeline.edit(edit);
                Ok(())
            }
            Effect::LoadHistory => match self.persist.history() {
                Ok(entries) => return Step::Continue(vec![Msg::HistoryLoaded(entries)]),
                Err(err) => Err(("read the history", err)),
            },
            Effect::LoadVideo(id) => match self.persist.video(id) {
                Ok(video) => {
                    return Step::Continue(
                        video
                            .map(|video| Msg::VideoLoaded(Box::new(video)))
                            .into_iter()
                            .collect(),
                    );
                }
                Err(err) => Err(("read the video's details", err)),
            },
            Effect::Sync => match self.persist.start_sync() {
                Ok(()) => Ok(()),
                // The app shows a sync running until it hears it ended.
                Err(err) => {
                    let ended = SyncNews::Ended(Err(format!("it could not start: {err}")));
                    return Step::Continue(vec![Msg::Sync(ended)]);
                }
            },
            Effect::Copy(text) => self
                .persist
                .copy(&text)
                .map_err(|e| ("copy to the clipboard", e)),
            Effect::Export {
                path,
                text,
                count,
                existing,
            } => {
                return Step::Continue(vec![match self.persist.export(&path, &text, existing) {
                    Ok(()) => Msg::Exported { path, count },
                    Err(UserFileError::Exists { .. }) => Msg::ExportWouldReplace(path),
                    Err(err) => {
                        tracing::warn!("could not export to {}: {err}", path.display());
                        Msg::EffectFailed(format!(
                            "Nothing was written to {}: {err}.",
                            path.display()
                        ))
                    }
                }]);
            }
        };
        match result {
            Ok(()) => Step::Continue(Vec::new()),
            Err((what, err)) => Step::Continue(vec![failed(what, err)]),
        }
    }

    /// Ctrl-z, once the batch is paused and its requests landed: what was answered is written,
    /// the process stops until `fg`, and the batch resumes if it was paused for this.
    fn suspend(&mut self, terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
        let Some(suspension) = self.suspension.take() else {
            return Ok(());
        };
        self.pipeline.flush();
        terminal::to_shell(terminal, self.app.settings().mouse)?;
        let size = terminal.size()?;
        self.app.resize(size.width, size.height);
        if suspension.resume {
            self.pipeline.command(Command::Resume);
        }
        Ok(())
    }

    /// Asks the engine to stop, waits (at most `SHUTDOWN_WAIT`) for what it still reports
    /// (in-flight deletes finishing, queued ones cancelled), which the pipeline records, then
    /// has the pipeline write everything out.
    async fn shutdown(mut self) -> io::Result<()> {
        self.pipeline.command(Command::Shutdown);
        let deadline = Instant::now() + SHUTDOWN_WAIT;
        while let Ok(Some(news)) = tokio::time::timeout_at(deadline, self.news.recv()).await {
            if news == News::Engine(Event::Stopped) {
                break;
            }
            update(&mut self.app, from_pipeline(news));
        }
        let finished = self.pipeline.finish();
        match finished.failure {
            None => Ok(()),
            Some(err) => {
                tracing::error!("could not record outcomes on exit: {err}");
                Err(io::Error::other(format!(
                    "could not record outcomes on exit: {err}"
                )))
            }
        }
    }
}

/// Logs a failed effect and turns it into the message that shows it to the user.
fn failed(what: &str, err: PersistError) -> Msg {
    tracing::warn!("could not {what}: {err}");
    Msg::EffectFailed(format!("Could not {what}: {err}"))
}

#[derive(Debug, PartialEq)]
enum Step {
    Continue(Vec<Msg>),
    Quit,
}

/// What the pipeline says, as the model takes it.
fn from_pipeline(news: News) -> Msg {
    match news {
        News::Engine(event) => Msg::Engine(event),
        News::Refused { ids, why } => Msg::BatchRefused { ids, why },
        News::WriteFailed(why) => {
            tracing::error!("could not record outcomes: {why}");
            Msg::EffectFailed(format!(
                "Could not record outcomes ({why}): sending stopped, and what was not sent \
                 stays queued."
            ))
        }
        News::EditFailed(why) => {
            tracing::warn!("could not save a change to the list: {why}");
            Msg::EffectFailed(format!("Could not save a change to the list: {why}"))
        }
    }
}

fn from_terminal(event: TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Key(key) if key.is_press() => Some(Msg::Key(key)),
        TermEvent::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        TermEvent::Paste(text) => Some(Msg::Paste(text)),
        TermEvent::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
