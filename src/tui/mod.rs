//! The terminal UI: model, messages, update, rendering, and the event loop that drives the
//! engine. Elm-shaped: `update` is pure and returns `Effect`s, `render` only draws, and `run`
//! is the only part that does I/O.

mod app;
mod effect;
mod keymap;
mod layout;
mod modal;
mod msg;
mod run;
mod update;
mod view;

pub use app::rows::{CHUNK, Rows};
pub use app::{App, Settings};
pub use effect::Effect;
pub use keymap::Keymap;
pub use modal::ConfirmedBatch;
pub use msg::Msg;
pub use run::{PersistError, Persistence, check_terminal, run};
pub use update::update;
pub use view::{ColumnOrder, Palette, render};
