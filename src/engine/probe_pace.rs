//! `ProbePace`: how fast lone probes go while the server's `X-RateLimit-Remaining` stays at 0.
//! The headers only justify a floor (`RateLimitHint::refill_floor`), and with whole-second
//! resets that floor can be far below the real refill: a server allowing bursts of one at 100
//! requests a second says `Limit: 1, Reset: 1`, a floor of one a second. So the pace is
//! learned from the probes themselves, as TCP's slow start learns a window: it doubles while
//! probes are admitted with nothing to spare; a refused probe falls back to the last pace
//! admitted, and from then on each admitted probe only halves the distance to the refused
//! pace, stopping once that step is small (so a steady server draws a handful of 429s, not
//! one per cycle). Owns that pace only: when a probe may go is `Allowance`'s business.

/// Steps smaller than this share of the current pace are not worth a 429: the pace holds.
const SMALLEST_STEP: f64 = 0.1;

#[derive(Debug, Default)]
pub struct ProbePace {
    /// The pace of the probe on the wire, if the request on the wire is one.
    on_wire: Option<f64>,
    /// The pace the last admitted probe went at: the server kept up with it.
    admitted: Option<f64>,
    /// The pace the last refused probe went at: the server did not keep up with it.
    refused: Option<f64>,
    /// The pace earned for the next probe; `None`: nothing earned, the caller's start pace.
    next: Option<f64>,
}

impl ProbePace {
    /// The pace for the next probe: what probes earned, never under `start` (the pace the
    /// headers justify).
    pub fn pace(&self, start: f64) -> f64 {
        self.next.map_or(start, |next| next.max(start))
    }

    /// A probe left at `pace`.
    pub fn sent(&mut self, pace: f64) {
        self.on_wire = Some(pace);
    }

    /// Pace admitted probes proved the server refills at, roughly: a hint that a short
    /// `Retry-After` is only rounding.
    pub fn proven(&self) -> Option<f64> {
        self.admitted
    }

    /// The probe on the wire was admitted. `faster`: whether that earns a faster pace, which
    /// only a probe that left the allowance spent again does (otherwise `Remaining` says what
    /// to send next, not the pace), and only where the headers cannot tell the pace (the
    /// caller knows).
    pub fn admitted(&mut self, faster: bool) {
        let Some(pace) = self.on_wire.take() else {
            return;
        };
        self.admitted = Some(pace);
        if !faster {
            return;
        }
        let target = match self.refused.filter(|refused| *refused > pace) {
            Some(refused) => (pace + refused) / 2.0,
            None => pace * 2.0,
        };
        self.next = Some(if target >= pace * (1.0 + SMALLEST_STEP) {
            target
        } else {
            pace
        });
    }

    /// The probe on the wire was refused (429) or overloaded the server: back to the last pace
    /// admitted below it, or to the start pace if none was.
    pub fn refused(&mut self) {
        let Some(pace) = self.on_wire.take() else {
            return;
        };
        self.refused = Some(pace);
        self.admitted = self.admitted.filter(|admitted| *admitted < pace);
        self.next = self.admitted;
    }

    /// The answer to the probe on the wire says nothing about the pace (a 5xx, a dropped
    /// connection).
    pub fn inconclusive(&mut self) {
        self.on_wire = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends one probe at the current pace and reports it admitted (earning a faster pace) or
    /// refused; returns the pace it went at.
    fn probe(pace: &mut ProbePace, start: f64, admitted: bool) -> f64 {
        let at = pace.pace(start);
        pace.sent(at);
        if admitted {
            pace.admitted(true);
        } else {
            pace.refused();
        }
        at
    }

    #[test]
    fn doubles_while_admitted_then_settles_below_the_refused_pace() {
        let mut pace = ProbePace::default();
        let server = 100.0;
        let mut went = Vec::new();
        let mut refusals = 0;
        for _ in 0..40 {
            let at = pace.pace(1.0);
            let admitted = at <= server;
            refusals += u32::from(!admitted);
            went.push(probe(&mut pace, 1.0, admitted));
        }
        assert_eq!(&went[..8], [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]);
        let settled = pace.pace(1.0);
        assert!((80.0..=100.0).contains(&settled), "settled at {settled}");
        assert!(refusals <= 3, "{refusals} refusals: {went:?}");
        assert_eq!(pace.proven(), Some(settled));
    }

    #[test]
    fn never_under_the_start_pace_and_a_probe_that_earns_nothing_keeps_it() {
        let mut pace = ProbePace::default();
        assert_eq!(pace.pace(5.0), 5.0);
        probe(&mut pace, 5.0, false);
        assert_eq!(
            pace.pace(5.0),
            5.0,
            "refused at the start pace: stays there"
        );
        pace.sent(5.0);
        pace.admitted(false);
        assert_eq!(pace.pace(5.0), 5.0);
        assert_eq!(pace.proven(), Some(5.0));
    }

    #[test]
    fn a_server_that_slows_down_sends_the_pace_back_to_the_start() {
        let mut pace = ProbePace::default();
        for _ in 0..4 {
            probe(&mut pace, 1.0, true);
        }
        assert_eq!(pace.pace(1.0), 16.0);
        // Refused at 16: back to 8, which is then refused too.
        probe(&mut pace, 1.0, false);
        assert_eq!(pace.pace(1.0), 8.0);
        probe(&mut pace, 1.0, false);
        assert_eq!(pace.pace(1.0), 1.0);
        assert_eq!(pace.proven(), None);
    }

    #[test]
    fn answers_to_requests_that_were_not_probes_change_nothing() {
        let mut pace = ProbePace::default();
        pace.admitted(true);
        pace.refused();
        assert_eq!((pace.pace(2.0), pace.proven()), (2.0, None));
        pace.sent(2.0);
        pace.inconclusive();
        pace.admitted(true);
        assert_eq!(pace.pace(2.0), 2.0);
    }
}
