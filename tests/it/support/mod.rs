//! What the integration tests share: the sandbox every run of the real binary goes
//! through, one way to start each kind of server (the simulated one, wiremock, a raw TCP
//! server for what neither would say), the engine driver, the pseudo-terminal harness and
//! feeding the importer.

pub mod canned;
pub mod engine;
pub mod feeding;
pub mod mock;
pub mod pty;
pub mod pty_device;
pub mod runs;
pub mod sandbox;
pub mod sim;
