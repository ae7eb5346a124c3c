//! elytron-tui: a keyboard-driven terminal app (and headless CLI) for deleting videos on the
//! Elytron video-generation API, safely and at the pace the server allows.
//!
//! # Glossary
//! One name per idea, in the code, the README and what the user reads.
//!
//! - **video**, **ID**: a video on the account, named by its UUID (`api::VideoId`).
//! - **known list**: the IDs the user has (imported, pasted, synced), one row each in the
//!   app's table (`store::known`). **Forget** takes an ID off it; nothing is sent.
//! - **sync**: walking the API's listing (`GET /videos`, page by page) into the known list
//!   (`sync`, `account`). **Listed**: seen by the last complete sync (`listed:no`: known, not
//!   listed; never taken for deleted).
//! - **generation state**: the API's `pending`/`processing`/`completed`/`failed`
//!   (`api::GenerationState`). Not to be confused with an **outcome**.
//! - **outcome**: how one delete of one ID ended (`deleted`, `not found`, `processing`,
//!   `forbidden`, `failed`, `cancelled`, `skipped`: `api::Outcome`); a video's **last outcome**
//!   is its latest (`store::LastOutcome`).
//! - **history**: every outcome ever recorded, in order, never rewritten
//!   (`store::history`). (Older code and files said "journal".)
//! - **batch**: the IDs confirmed together and sent by one run of the engine; its **queue** is
//!   what is not answered yet, kept in the store so a crashed batch **resumes**.
//! - **rails**: a profile's limits on deleting: read-only, confirm by name, `max_delete`,
//!   protect rules (`rails`). A **protected** video is never sent. A batch that passed the
//!   rails and the user's confirmation is **cleared** (`rails::Cleared`), the only thing the
//!   engine sends.
//! - **manifest**: what a batch is described as before it is confirmed (`manifest`).
//! - **config**: `config.toml` as written (`config::Config`); a **profile**: one account's
//!   resolved settings (`config::Profile`); **settings**: what one part takes from its profile
//!   (`rails::Settings`, `tui::Settings`); a **session**: one run's profile, store and
//!   command-line overrides (`session`).
//! - **API key**: the secret sent to the API (`api::ApiKey`, the app's `api-key` action). A
//!   **key** alone is a keyboard key (`tui::keymap::Key`).
//! - **engine**: sends the requests at the pace the server allows and retries what is worth
//!   retrying (`engine`); its **pacer** and **allowance** are that pace.
//! - **pause**: sending stopped for now with the queue kept (`engine::Pause`): rate-limited
//!   (resumes by itself), unauthorized (until a new API key), by the user, or **halted**: a
//!   stop no retry of one ID can get past (wrong base URL, unreachable, a far reset), tried
//!   again by a probe (`engine::HaltCause`). The app's `tui::app::batch::Paused` is the same with
//!   its times as instants.
//! - **pipeline**: the one way from the engine to the store: every outcome is recorded
//!   before anyone is told (`pipeline`).
//! - **dialog**: a window over the table, one module each (`tui::modal`); **view**: drawing
//!   (`tui::view`).
//! - **printable**: outside text made safe for the terminal (`printable`).

pub mod account;
pub mod api;
pub mod cli;
pub mod config;
pub mod engine;
pub mod import;
pub mod job_control;
pub mod manifest;
pub mod pipeline;
pub mod printable;
pub mod query;
pub mod rails;
pub mod session;
pub mod sim;
pub mod sort;
pub mod stop_signals;
pub mod store;
pub mod sync;
pub mod time_text;
pub mod tui;
