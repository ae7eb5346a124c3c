//! The terminal UI: model, messages, update, rendering, and the event loop that drives the
//! engine. Elm-shaped: `update` is pure and returns `Effect`s, `render` only draws, and `run`
//! is the only part that does I/O.

mod app;
mod batch;
mod effect;
mod filter;
mod keymap;
mod layout;
mod marks;
mod modal;
mod msg;
mod row;
mod rows;
mod run;
mod text_field;
mod update;
mod view;

pub use app::{App, Settings};
pub use effect::Effect;
pub use keymap::{Keymap, KeymapError};
pub use modal::ConfirmedBatch;
pub use msg::Msg;
pub use rows::{CHUNK, Rows};
pub use run::{PersistError, Persistence, check_terminal, run};
pub use update::update;
pub use view::{ColumnOrder, Palette, render};
