//! What the user keeps between sessions, in one SQLite database per profile
//! (`elytron-tui.db` in the profile's data folder): the known videos, the protected IDs, the
//! batch in progress and every finished delete. Nothing here talks to the network or the
//! screen; the commands, the app and the delete pipeline all go through [`Store`].
//!
//! # The database
//!
//! Schema version 2 (`schema.rs`; every version is one migration function and a test from
//! every earlier version):
//!
//! | table | one row per | columns |
//! |---|---|---|
//! | `videos` | known video, `seq` in the order added (list order) | `id` (16-byte UUID, unique), `added_*`, `label`, `title` (an import's, else the prompt a sync listed), `created_*`, `last_*` (the last delete's outcome, NULL when never sent), `rev`; since version 2 what a sync listed: `state`, `progress`, `file_size`, `duration_ms`, `completed_*`, `generation_error`, `download_url`, `listed` (NULL unknown, 1 listed, 0 not listed by the last complete sync) |
//! | `protected` | ID protected on this profile (`protect`, `p`) | `id` |
//! | `pending` | ID of the batch in progress not answered yet, in queue order | `id` |
//! | `outcomes` | finished delete, oldest first: the history | `at_*`, `id`, `outcome`, `status`, `error_code`, `message`, `request_id`, `attempts`, `host`; since version 3 `title` (the video's when recorded, NULL when the list knew none) |
//! | `removed` | video that left `videos` (forgotten, or gone on the server) | `id`, `rev`, `gone` |
//! | `meta` | setting of the store | `rev` (the last change's number), `protected_rev`, `migrated_files`, `sync` (`never`, `unfinished`, `complete`: how the last sync ended), `pace <base_url>` (JSON: the pace the last batch found that server to allow, a cache: `server_pace.rs`) |
//!
//! Times are two integers, Unix seconds and nanoseconds (`*_s`, `*_ns`): exact whatever the
//! value, and no text to parse for a million rows. The API key is never stored.
//!
//! A sync merges each page in place (`sync.rs`): a title and a creation time only filled in,
//! each generation field the listing gives written, labels, protections and outcomes left
//! alone. Every write to a row gives it the next `rev`, so another process's view (the app's,
//! `watch.rs`) picks up such updates with no further work.
//!
//! # One rule for outcomes
//!
//! `batch.rs` records finished deletes, in one transaction per flush: each outcome is appended
//! to `outcomes`; an answer (anything but cancelled, skipped, unauthorized) takes its ID off
//! `pending`; a video deleted or not found leaves `videos` (a `removed` row says so), any
//! other outcome becomes its `last_*`. That is the only place the rule is written; the app and
//! `delete` both feed it through `Recorder` (`recorder.rs`).
//!
//! # Several processes at once
//!
//! WAL mode: readers never wait for the writer, and writers take turns (each waits up to
//! `BUSY_WAIT` for another's transaction, which at most an import of a million videos holds
//! for a few seconds). So `import`, `forget`, `protect`, `list`, `history`, `doctor` and
//! `delete --dry-run` work while the app is open; the app polls `PRAGMA data_version` and
//! applies what changed since it last looked (rows with a newer `rev`, `removed` rows, the
//! protected IDs) to its rows without touching marks, cursor or filter (`watch.rs`). Only
//! sending is exclusive: a batch holds `send.lock` (an advisory lock, released by the
//! kernel when its process dies) from its first ID queued to its end, and a second batch on
//! the same profile is refused before anything is sent, naming the process that holds it.
//!
//! # Durability
//!
//! `synchronous = NORMAL` in WAL mode: a commit is in the WAL before it returns, so a killed
//! process (kill -9, a panic, a closed terminal) never loses one, and a power cut or an OS
//! crash can roll back only the last commits, never tear the database. Commits here come in
//! a few large transactions (an import is one), so what NORMAL saves is small, but it keeps
//! `protect` and `forget` from waiting on the disk. The exception is the recorder: its
//! commits are the only record of irreversible requests, so its connection runs
//! `synchronous = FULL` (the WAL is synced at each commit, as `history.jsonl` was at each
//! flush); it commits at most every 250 ms or 500 outcomes, so that costs nothing the
//! engine's pace shows.
//!
//! # Opening
//!
//! `Store::open` checks the data folder first (a file where the folder should be, a folder
//! where the database or an old file should be: refused, and nothing is created), then opens
//! or creates the database (created 0600 in a 0700 folder, its `-wal` and `-shm` taking the
//! same mode; a symlinked database is followed, so its WAL lives beside the real file). A
//! database that is damaged, or made by a newer elytron-tui, is reported with the way back
//! and never recreated. The first open of a data folder that holds the files of earlier
//! versions (`videos.json` v1/v2, `pending.json`, `protected.json`, `history.jsonl`) reads and
//! checks them all (a damaged one stops it with file, line and column, before anything is
//! written), imports them in the transaction that creates the schema, then renames them
//! `*.migrated`; a kill before the commit leaves nothing done, after it the next open
//! finishes the renames (`migrate_files.rs`, `legacy/`).

mod adding;
mod atomic;
mod batch;
mod columns;
mod connection;
mod db;
mod details;
mod error;
mod generation;
mod history;
mod id_index;
mod id_set;
mod inspect;
mod known;
mod known_list;
mod legacy;
mod migrate_files;
mod paths;
mod protection;
mod recorder;
mod schema;
mod send_lock;
mod server_pace;
mod sync;
#[cfg(test)]
mod testing;
mod user_file;
mod videos;
mod watch;

pub use adding::{AddBatch, AddReport, LateDetails};
pub use atomic::{create_private_dir, write_atomic};
pub use batch::{RecordedResult, answers};
pub use connection::BUSY_WAIT;
pub use db::Store;
pub use details::Details;
pub use error::{DataFile, StoreError};
pub use generation::{Generation, GenerationRow, LastSync, SizeTotal, shown_size};
pub use history::HistoryEntry;
pub use id_index::{IdIndex, IdsAt};
pub use id_set::{IdHasher, IdMap, IdSet};
pub use inspect::{DatabaseReport, Inspection, inspect};
pub use known::{KnownVideo, Labels, LastOutcome, VideoDetails};
pub use known_list::KnownVideos;
pub use legacy::SkippedLine;
pub use migrate_files::{Migrated, migrated_name};
pub use paths::Paths;
pub use recorder::{FlushPolicy, Recorder};
pub use schema::SCHEMA_VERSION;
pub use send_lock::SendLock;
pub use sync::{LastSyncRun, Merged};
pub use user_file::{Existing, UserFileError, write_user_file};
pub use videos::{Scope, VideoRow};
pub use watch::{Changes, Loaded, Watcher};
