//! Import: finds every video ID (UUID) in arbitrary text (lists, CSV, JSON, logs) and reports the lines that had none.
