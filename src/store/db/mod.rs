//! The store on SQLite (see `store`'s docs for the plan): opening a connection, the schema
//! and its migrations, how values sit in columns, and the reads and writes of each table.

mod batch;
mod columns;
mod database;
mod history;
mod migrate_files;
mod protection;
mod recorder;
mod schema;
mod send_lock;
mod store;
mod videos;
mod watch;

pub use batch::{RecordedResult, answers};
pub use database::{Access, BUSY_WAIT, Durability, connect, real_path};
pub use migrate_files::Migrated;
pub use recorder::{FlushPolicy, Recorder};
pub use schema::{Found, Refused, SCHEMA_VERSION, bring_up_to_date};
pub use send_lock::SendLock;
pub use store::Store;
pub use videos::{AddReport, Scope, VideoRow};
pub use watch::{Changes, Loaded, Watcher};
