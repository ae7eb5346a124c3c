//! `WindowQuota`: how many requests a server whose waits proved meant (a fixed window that
//! sends no rate headers) admits per window, learned from what it admitted between one closing
//! and the next, so the next window is spent up to that and then tested by one lone request
//! instead of by every request in flight. Owns that count only: the `Allowance` holds requests
//! to it, the `WaitGate` says when a window closed and whether its waits are meant.

#[derive(Debug, Default)]
pub struct WindowQuota {
    /// Requests admitted so far.
    admitted: u64,
    /// `admitted` when the server last closed (its first 429 with a wait, after sending was
    /// open).
    at_last_close: Option<u64>,
    /// What the last whole window admitted.
    learned: Option<u64>,
    /// A meant wait began: when it ends, the next window's quota is to be granted.
    grant_due: bool,
}

impl WindowQuota {
    pub fn admitted(&mut self) {
        self.admitted += 1;
    }

    /// The server refused with a wait while sending was open: a window closed. `meant`: its
    /// waits proved meant, so the next window's quota is worth granting.
    pub fn closed(&mut self, meant: bool) {
        if let Some(at_last_close) = self.at_last_close {
            self.learned = Some(self.admitted - at_last_close).filter(|quota| *quota > 0);
        }
        self.at_last_close = Some(self.admitted);
        self.grant_due = meant && self.learned.is_some();
    }

    /// The quota to grant now that the wait is over, once per closing.
    pub fn take_grant(&mut self) -> Option<u64> {
        if !std::mem::take(&mut self.grant_due) {
            return None;
        }
        self.learned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_granted_what_the_last_whole_window_admitted_once_waits_are_meant() {
        let mut quota = WindowQuota::default();
        (0..50).for_each(|_| quota.admitted());
        quota.closed(false);
        assert_eq!(
            quota.take_grant(),
            None,
            "nothing learned from a single closing"
        );
        (0..48).for_each(|_| quota.admitted());
        quota.closed(false);
        assert_eq!(quota.take_grant(), None, "waits not yet meant");
        (0..50).for_each(|_| quota.admitted());
        quota.closed(true);
        assert_eq!(quota.take_grant(), Some(50));
        assert_eq!(quota.take_grant(), None, "once per closing");
    }
}
