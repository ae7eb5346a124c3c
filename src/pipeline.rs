//! The one delete pipeline, which the app and `delete` both drive: between them and the
//! engine sits a thread that owns the profile's `Recorder`. A confirmed batch is queued in the
//! store before the engine may send any of it (and only while this process holds the
//! profile's send lock: one sending batch per profile); every engine event passes through it,
//! each finished delete handed to the recorder (written within its flush interval, and
//! before the batch's end is told) before the driver hears of it, and what the engine learned
//! of the server's pace kept for the next run (`Event::Learned`); the app's list edits go
//! through the same connection. The engine hears which of a batch the store holds as still
//! generating (`Command::Generating`) before it gets the batch. A write that fails stops the batch (what was never sent is
//! `skipped`, and stays queued); what it held is tried again, and `finish` says how many IDs
//! truly stay queued. Commands to the engine travel the same queue, so a cancel never
//! overtakes the batch it cancels.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::api::{Outcome, OutcomeKind, VideoId};
use crate::engine::{Command, Event};
use crate::rails::Cleared;
use crate::store::{Details, IdSet, Recorder, SendLock, StoreError};

/// What the pipeline tells its driver, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum News {
    /// An engine event; a finished delete is in the recorder by the time it arrives, and
    /// the whole batch is written by the time its `Idle` does.
    Engine(Event),
    /// A batch was not queued, so nothing of it was sent: why.
    Refused { ids: Vec<VideoId>, why: String },
    /// Writing to the store failed; sending stopped (the rest ends `skipped`, still queued).
    WriteFailed(String),
    /// A list edit of the driver's could not be written.
    EditFailed(String),
}

/// A change to the list the driver made (the app's add, forget and protect keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Add {
        ids: Vec<VideoId>,
        label: Option<String>,
        at: Timestamp,
    },
    Forget(Vec<VideoId>),
    Protect(Vec<VideoId>),
    Unprotect(Vec<VideoId>),
}

/// How the pipeline's work ended (`Pipeline::finish`).
#[derive(Debug)]
pub struct Finished {
    /// The IDs `delete --resume` would send, counted in the store after the last write.
    pub resumable: Result<usize, StoreError>,
    /// The first write that failed, if one did (and was not made good by the last try).
    pub failure: Option<String>,
}

enum Job {
    Send(Cleared),
    Command(Command),
    /// The batch stops itself: the engine cancels the rest, which is `skipped`, not cancelled.
    Stop,
    Engine(Event),
    Edit(Edit),
    Finish(mpsc::Sender<Finished>),
    Flush(mpsc::Sender<()>),
}

/// The driver's side of the pipeline.
pub struct Pipeline {
    jobs: mpsc::Sender<Job>,
    thread: Option<JoinHandle<()>>,
}

impl Pipeline {
    /// Starts the pipeline between a driver and an engine just spawned (its `commands` and
    /// `events`). `lock`: the profile's send lock when the driver took it already (`delete`
    /// takes it before asking to confirm); otherwise the first batch takes it. Call from
    /// within the runtime the engine runs on.
    pub fn spawn(
        recorder: Recorder,
        lock: Option<SendLock>,
        commands: UnboundedSender<Command>,
        mut events: UnboundedReceiver<Event>,
        waits_for_generation: bool,
    ) -> (Self, UnboundedReceiver<News>) {
        let (jobs, inbox) = mpsc::channel();
        let (news, out) = unbounded_channel();
        let forward = jobs.clone();
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if forward.send(Job::Engine(event)).is_err() {
                    break;
                }
            }
        });
        let worker = Worker {
            recorder,
            lock,
            commands,
            news,
            stopped: false,
            failure: None,
            waits_for_generation,
        };
        let thread = std::thread::spawn(move || worker.run(&inbox));
        let pipeline = Self {
            jobs,
            thread: Some(thread),
        };
        (pipeline, out)
    }

    /// Sends a batch the user confirmed: queued in the store first, then to the engine.
    pub fn send(&self, batch: Cleared) {
        self.post(Job::Send(batch));
    }

    /// Cancel, retry, a new key, shut down: to the engine, in order behind what came before.
    pub fn command(&self, command: Command) {
        self.post(Job::Command(command));
    }

    /// The batch stops itself (a refused key, a halt, a local fault): the engine cancels
    /// what is queued, and it is recorded as `skipped` (never sent), still resumable.
    pub fn stop(&self) {
        self.post(Job::Stop);
    }

    /// Writes what is buffered now, and returns once it is written (or failed, which is
    /// told as `News::WriteFailed`): before the process stops for Ctrl-z.
    pub fn flush(&self) {
        let (reply, done) = mpsc::channel();
        self.post(Job::Flush(reply));
        _ = done.recv();
    }

    pub fn edit(&self, edit: Edit) {
        self.post(Job::Edit(edit));
    }

    /// Writes what is still buffered (one more try after a failure) and says how many IDs
    /// stay queued. Waits for the thread, which ends.
    pub fn finish(mut self) -> Finished {
        let (reply, answer) = mpsc::channel();
        self.post(Job::Finish(reply));
        let finished = answer.recv().unwrap_or(Finished {
            resumable: Err(StoreError::io(
                "(the recorder)",
                std::io::Error::other("the recorder's thread ended early"),
            )),
            failure: Some("the recorder's thread ended early".to_owned()),
        });
        if let Some(thread) = self.thread.take()
            && let Err(panic) = thread.join()
        {
            std::panic::resume_unwind(panic);
        }
        finished
    }

    fn post(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            tracing::warn!("the recorder's thread has ended; a request to it was dropped");
        }
    }
}

struct Worker {
    recorder: Recorder,
    lock: Option<SendLock>,
    commands: UnboundedSender<Command>,
    news: UnboundedSender<News>,
    /// The batch stopped itself: cancelled IDs were never sent, and are `skipped`.
    stopped: bool,
    /// The first write that failed (reported once).
    failure: Option<String>,
    /// The engine waits for videos still generating (`wait_processing`): only then is it
    /// told which of a batch the store holds as generating (the engine takes no such hint
    /// otherwise, and finding them reads the whole list).
    waits_for_generation: bool,
}

impl Worker {
    fn run(mut self, inbox: &mpsc::Receiver<Job>) {
        loop {
            let wait = self.recorder.due_in().unwrap_or(Duration::from_secs(3600));
            match inbox.recv_timeout(wait) {
                Ok(Job::Finish(reply)) => {
                    let failure = self.write_out().err().or(self.failure.take());
                    let resumable = self.recorder.store().pending_count();
                    _ = reply.send(Finished { resumable, failure });
                    return;
                }
                Ok(Job::Send(batch)) => self.queue(batch),
                Ok(Job::Command(command)) => self.to_engine(command),
                Ok(Job::Stop) => {
                    self.stopped = true;
                    self.to_engine(Command::Cancel);
                }
                Ok(Job::Engine(event)) => self.event(event),
                Ok(Job::Edit(edit)) => self.edit(edit),
                Ok(Job::Flush(reply)) => {
                    self.flush();
                    _ = reply.send(());
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    _ = self.write_out();
                    return;
                }
            }
            if self.recorder.due() {
                self.flush();
            }
        }
    }

    /// Takes the send lock (unless held), queues the batch in the store, then hands the
    /// engine what is not protected now.
    fn queue(&mut self, mut batch: Cleared) {
        if self.failure.is_some() {
            let why = "writing to the data folder failed earlier; nothing more is sent";
            return self.refuse(batch, why.to_owned());
        }
        if self.lock.is_none() {
            match SendLock::acquire(self.recorder.store().paths()) {
                Ok(lock) => self.lock = Some(lock),
                Err(err) => return self.refuse(batch, err.to_string()),
            }
        }
        match self.recorder.enqueue(batch.ids()) {
            Ok(protected) => {
                let left_out = batch.leave_out(&protected);
                self.stopped = false;
                self.tell_generating(&batch);
                self.to_engine(Command::Enqueue(batch));
                for id in left_out {
                    let outcome = Outcome {
                        message: Some(
                            "protected since the batch was confirmed: not sent".to_owned(),
                        ),
                        ..Outcome::unsent(OutcomeKind::Protected)
                    };
                    self.tell(News::Engine(Event::Finished { id, outcome }));
                }
            }
            Err(err) => self.refuse(batch, format!("it could not be queued: {err}")),
        }
    }

    /// Tells the engine which of the batch (confirmed, not protected) the store holds as
    /// still generating, before it gets the batch, so none of them is sent a DELETE before
    /// its status is asked. A hint only: unread, a generating video is refused as processing
    /// and waits then, so a failed read is logged, not fatal.
    fn tell_generating(&mut self, batch: &Cleared) {
        if !self.waits_for_generation {
            return;
        }
        match self.recorder.store().unsettled() {
            Ok(unsettled) => {
                let unsettled: IdSet = unsettled.into_iter().collect();
                let generating: Vec<VideoId> = (batch.ids().iter())
                    .filter(|id| unsettled.contains(id))
                    .copied()
                    .collect();
                if !generating.is_empty() {
                    self.to_engine(Command::Generating(generating));
                }
            }
            Err(err) => tracing::warn!("could not read which videos are generating: {err}"),
        }
    }

    fn refuse(&mut self, batch: Cleared, why: String) {
        self.tell(News::Refused {
            ids: batch.into_ids(),
            why,
        });
    }

    fn event(&mut self, event: Event) {
        let event = match event {
            Event::Finished { id, outcome } => {
                let outcome = if self.stopped {
                    unsent_as_skipped(outcome)
                } else {
                    outcome
                };
                if outcome.kind != OutcomeKind::Protected {
                    self.recorder.record(id, &outcome);
                }
                Event::Finished { id, outcome }
            }
            Event::Generating {
                id,
                progress: Some(percent),
                estimated_completion,
            } => {
                // Shown with the row's state; a hint, so a failed write is only logged.
                if let Err(err) = self.recorder.store().set_progress(id, percent) {
                    tracing::warn!("could not record a generation's progress: {err}");
                }
                Event::Generating {
                    id,
                    progress: Some(percent),
                    estimated_completion,
                }
            }
            Event::Learned(pace) => {
                // A cache for the next batch's start: failing to keep it stops nothing.
                if let Err(err) = self.recorder.keep_pace(&pace) {
                    tracing::warn!("could not keep the server's pace for the next batch: {err}");
                }
                Event::Learned(pace)
            }
            Event::Idle { counts } => {
                // Everything of the batch is recorded before the driver hears it ended, and
                // another batch of the profile may send from now on.
                self.flush();
                self.lock = None;
                Event::Idle { counts }
            }
            other => other,
        };
        self.tell(News::Engine(event));
    }

    fn edit(&mut self, edit: Edit) {
        let store = self.recorder.store();
        let done = match edit {
            Edit::Add { ids, label, at } => store
                .add(&ids, &Details::default(), label.as_deref(), at)
                .map(drop),
            Edit::Forget(ids) => store.forget(&ids).map(drop),
            Edit::Protect(ids) => store.protect(&ids).map(drop),
            Edit::Unprotect(ids) => store.unprotect(&ids).map(drop),
        };
        if let Err(err) = done {
            self.tell(News::EditFailed(err.to_string()));
        }
    }

    /// Writes the buffered results when due; a failure stops the batch, once.
    fn flush(&mut self) {
        if let Err(err) = self.write_out()
            && self.failure.is_none()
        {
            let why = err.to_string();
            tracing::error!("could not record outcomes: {why}");
            self.failure = Some(why.clone());
            self.stopped = true;
            self.to_engine(Command::Cancel);
            self.tell(News::WriteFailed(why));
        }
    }

    fn write_out(&mut self) -> Result<(), String> {
        self.recorder.flush().map_err(|err| err.to_string())
    }

    fn to_engine(&self, command: Command) {
        if self.commands.send(command).is_err() {
            tracing::debug!("the engine has gone");
        }
    }

    fn tell(&self, news: News) {
        _ = self.news.send(news);
    }
}

/// Once the batch stopped itself (a refused key, a halt, a failed write), the engine cancels
/// the rest: what was never sent reads `skipped`, and an ID whose request was refused reads
/// `unauthorized`.
fn unsent_as_skipped(outcome: Outcome) -> Outcome {
    if outcome.kind != OutcomeKind::Cancelled {
        return outcome;
    }
    let kind = if outcome.status == Some(401) {
        OutcomeKind::Unauthorized
    } else if outcome.attempts == 0 {
        OutcomeKind::Skipped
    } else {
        OutcomeKind::Cancelled
    };
    Outcome { kind, ..outcome }
}

#[cfg(test)]
mod tests;
