//! What the integration tests share: the engine driver, the headless and pseudo-terminal
//! runs of the real binary, and feeding the importer.

pub mod engine;
pub mod feeding;
pub mod headless;
pub mod pty;
