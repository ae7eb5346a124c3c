//! The integration tests, as one test binary (`cargo test --test it`): one module per area,
//! sharing `support` (the sandbox every run of the binary goes through, and the servers).
//! One binary links once, where one per file linked the whole crate and its dependencies
//! each time.
//!
//! A new test file is a module here (`layout` fails the suite if one is left out).

mod support;

mod account_walk;

mod cli;
mod client;
mod client_reads;
mod config;
mod delete;
mod delete_generation;
mod delete_pace;
mod delete_prompt;
mod delete_stops;
mod delete_tls;
mod delete_truth;
mod dry_run;
mod engine;
mod engine_generation;
mod engine_halts;
mod engine_load;
mod engine_pacing;
mod engine_pause;
mod engine_vs_sim;
mod hostile_text;
mod import;
mod import_as_read;
mod import_listing;
mod import_records;
mod kill_campaign;
mod kill_mid_save;
mod layout;
mod pace_memory;
mod query_cli;
mod rails;
mod sim;
mod sim_limits;
mod sim_reads;
mod store;
mod sync;
mod sync_halts;
mod sync_pace;
mod tui_columns;
mod tui_pty;
mod tui_sync_pty;
mod user_files;
