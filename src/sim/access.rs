//! `Access`: the bearer key the simulated server accepts, and its scheduled revocation (the
//! key refused from some request on, as if revoked mid-batch). Decides "is this request
//! authorized" only; it never prints the key.

use std::sync::Mutex;

use axum::http::{HeaderMap, header};

use super::routes::lock;

/// The accepted key and how many more authorized requests it has before it is revoked.
pub(super) struct Access {
    key: Mutex<Key>,
}

struct Key {
    secret: String,
    /// `Some(n)`: n more requests are accepted, then the key is refused.
    uses_left: Option<u64>,
}

impl Access {
    pub(super) fn new(secret: &str, revoke_after: Option<u64>) -> Self {
        Self {
            key: Mutex::new(Key {
                secret: secret.to_owned(),
                uses_left: revoke_after,
            }),
        }
    }

    /// Whether the request carries the accepted key, still unrevoked; counts it as a use.
    pub(super) fn authorize(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return false;
        };
        let Some((scheme, token)) = value.to_str().unwrap_or("").split_once(' ') else {
            return false;
        };
        let mut key = lock(&self.key);
        if !scheme.eq_ignore_ascii_case("bearer") || token != key.secret {
            return false;
        }
        match &mut key.uses_left {
            Some(0) => false,
            Some(left) => {
                *left -= 1;
                true
            }
            None => true,
        }
    }

    /// Accepts `secret` from now on, with no revocation scheduled (a rotated key).
    pub(super) fn replace(&self, secret: &str) {
        *lock(&self.key) = Key {
            secret: secret.to_owned(),
            uses_left: None,
        };
    }
}
