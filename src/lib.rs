//! elytron-tui: a keyboard-driven terminal app (and headless CLI) for deleting videos on the
//! Elytron video-generation API, safely and at the pace the server allows.

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
