//! The event loop: the only part of the TUI that does I/O. It turns terminal input, engine
//! events and time into `Msg`s, performs the `Effect`s `update` returns (engine commands,
//! store writes), and draws at most ~30 times a second, only after something changed.

use std::io;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use jiff::Timestamp;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::time::{Instant, sleep, sleep_until};

use super::app::App;
use super::effect::Effect;
use super::msg::Msg;
use super::update::update;
use super::view::render;
use crate::engine::{Command, Event};
use crate::stop_signals::StopSignals;
use crate::store::UserFileError;

mod persistence;
mod terminal;

pub use persistence::{PersistError, Persistence};
pub use terminal::check as check_terminal;

/// Shortest time between two frames (about 30 fps).
const FRAME: Duration = Duration::from_millis(33);
/// Tick while something animates (spinner, countdowns).
const FAST_TICK: Duration = Duration::from_millis(100);
/// Tick while idle: only relative times ("5m ago") change.
const IDLE_TICK: Duration = Duration::from_secs(30);
/// How long quitting waits for in-flight deletes to report, so their outcomes are saved.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(10);

/// Runs the TUI until the user quits or a termination signal arrives, restoring the terminal
/// on every way out (`terminal::take`'s panic hook covers panics, after logging them).
/// `list` brings the saved list (`Msg::ListChunk`, then `ListLoaded` or `ListFailed`) to an
/// app made with `App::awaiting_list`, and the key `api_key_command` fetched
/// (`Msg::KeyFetched`) when one runs; it may be closed at once for an app built with its list.
pub async fn run(
    app: App,
    list: UnboundedReceiver<Msg>,
    commands: UnboundedSender<Command>,
    events: UnboundedReceiver<Event>,
    persist: &mut impl Persistence,
) -> io::Result<()> {
    let mut terminal = terminal::take()?;
    let result = Loop {
        app,
        list,
        commands,
        events,
        persist,
    }
    .run(&mut terminal)
    .await;
    terminal::give_back(terminal);
    result
}

struct Loop<'s, P> {
    app: App,
    list: UnboundedReceiver<Msg>,
    commands: UnboundedSender<Command>,
    events: UnboundedReceiver<Event>,
    persist: &'s mut P,
}

impl<P: Persistence> Loop<'_, P> {
    async fn run(mut self, terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
        let size = terminal.size()?;
        self.app.resize(size.width, size.height);
        let mut input = EventStream::new();
        // SIGTERM and SIGHUP leave like `q` would, so the terminal is restored.
        let mut signals = StopSignals::listen(false)?;
        let mut engine_open = true;
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
                event = self.events.recv(), if engine_open => match event {
                    Some(event) => others.push(Msg::Engine(event)),
                    None => engine_open = false,
                },
                () = sleep(tick) => {}
                () = sleep_until(next_frame), if dirty => continue,
                _ = signals.recv() => return self.shutdown().await,
            }
            // Drain everything already pending so a burst of results costs one frame.
            while let Ok(msg) = self.list.try_recv() {
                msgs.push(msg);
            }
            msgs.append(&mut others);
            while let Ok(event) = self.events.try_recv() {
                msgs.push(Msg::Engine(event));
            }
            let mut pending = std::collections::VecDeque::from(msgs);
            pending.push_front(Msg::Tick(Timestamp::now()));
            if let Err(err) = self.persist.flush_if_due() {
                pending.push_back(failed("save outcomes", err));
            }
            while let Some(msg) = pending.pop_front() {
                for effect in update(&mut self.app, msg) {
                    match self.perform(effect) {
                        Step::Continue(follow_up) => pending.extend(follow_up),
                        Step::Quit => return self.shutdown().await,
                    }
                }
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
                let batch = batch.into_cleared();
                // Not being able to mark the batch resumable must not stop what the user
                // confirmed; they are told, and outcomes are still recorded as they come.
                let saved = self.persist.enqueued(batch.ids());
                let sent = self.command(Command::Enqueue(batch));
                let mut msgs = Vec::new();
                if let Err(err) = saved {
                    msgs.push(failed("save the batch as resumable", err));
                }
                if let Err((what, err)) = sent {
                    msgs.push(failed(what, err));
                }
                return Step::Continue(msgs);
            }
            Effect::CancelBatch => self.command(Command::Cancel),
            Effect::RetryNow => self.command(Command::Retry),
            Effect::SetKey { key, save } => {
                if save && let Err(err) = self.persist.save_key(&key) {
                    return Step::Continue(vec![failed("save the key", err)]);
                }
                self.command(Command::SetKey(key))
            }
            Effect::SaveList => self.save_list().map_err(|e| ("save the list", e)),
            Effect::SaveProtected(ids) => self
                .persist
                .save_protected(&ids)
                .map_err(|e| ("save the protected videos", e)),
            Effect::RecordOutcome { id, outcome } => self
                .persist
                .record(id, &outcome)
                .map_err(|e| ("save an outcome", e)),
            Effect::LoadHistory => match self.persist.history() {
                Ok(entries) => return Step::Continue(vec![Msg::HistoryLoaded(entries)]),
                Err(err) => Err(("read the history", err)),
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

    /// Saves the rows as the known list; a failure leaves it marked changed, so it is tried
    /// again on the way out.
    fn save_list(&mut self) -> Result<(), PersistError> {
        self.persist.save_list(self.app.rows().saved())?;
        self.app.list_saved();
        Ok(())
    }

    fn command(&self, command: Command) -> Result<(), (&'static str, PersistError)> {
        self.commands
            .send(command)
            .map_err(|_| ("reach the delete engine", "it has stopped".into()))
    }

    /// Asks the engine to stop and saves the outcomes it still reports (in-flight deletes
    /// finishing, queued ones cancelled), for at most `SHUTDOWN_WAIT`.
    async fn shutdown(mut self) -> io::Result<()> {
        let engine_running = self.commands.send(Command::Shutdown).is_ok();
        let deadline = Instant::now() + SHUTDOWN_WAIT;
        while engine_running
            && let Ok(Some(event)) = tokio::time::timeout_at(deadline, self.events.recv()).await
        {
            if event == Event::Stopped {
                break;
            }
            for effect in update(&mut self.app, Msg::Engine(event)) {
                if let Effect::RecordOutcome { id, outcome } = effect
                    && let Err(err) = self.persist.record(id, &outcome)
                {
                    tracing::warn!("could not save the outcome for {id}: {err}");
                }
            }
        }
        // The list first: saving it may only start its write, which `flush` waits for.
        let list_saved = if self.app.list_changed() && self.app.loading().is_none() {
            self.save_list()
        } else {
            Ok(())
        };
        let saved = list_saved.and_then(|()| self.persist.flush());
        saved.map_err(|err| {
            tracing::error!("could not save outcomes on exit: {err}");
            io::Error::other(format!("could not save outcomes on exit: {err}"))
        })
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
