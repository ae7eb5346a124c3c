//! The terminal UI: model, messages, update, rendering, and the event loop that drives the engine.
