//! The command line: argument parsing and the headless commands (import, list, forget, delete, history, sim, completions).
