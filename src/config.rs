//! Configuration: `config.toml`, where the API key comes from, and the permission checks on both.
