//! `ApiKey`: the bearer secret. It can only be read through `expose`, which the client calls
//! to build the (sensitive-marked) header; every other rendering prints `***`.

use std::fmt;

/// The Elytron API key. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

/// The key given was empty or had characters that cannot go in an HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidApiKey {
    #[error("the API key is empty")]
    Empty,
    #[error("the API key contains whitespace or control characters")]
    BadCharacters,
}

impl ApiKey {
    /// Trims surrounding whitespace (keys are often pasted or read from a command with a
    /// trailing newline) and rejects what could never be a valid header value.
    pub fn new(raw: impl Into<String>) -> Result<Self, InvalidApiKey> {
        let raw = raw.into();
        let key = raw.trim();
        if key.is_empty() {
            return Err(InvalidApiKey::Empty);
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidApiKey::BadCharacters);
        }
        Ok(Self(key.to_owned()))
    }

    /// The secret itself. Call sites: the HTTP header, and the simulated server's check.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_secret() {
        let key = ApiKey::new("sk-live-SECRET123\n").unwrap();
        assert_eq!(key.expose(), "sk-live-SECRET123");
        assert!(!format!("{key:?} {key} {key:#?}").contains("SECRET"));
    }

    #[test]
    fn rejects_empty_and_multi_word_keys() {
        assert_eq!(ApiKey::new("  \n"), Err(InvalidApiKey::Empty));
        assert_eq!(ApiKey::new("a b"), Err(InvalidApiKey::BadCharacters));
    }
}
