//! `FaultPlan`: the seeded dice of the simulated server: latency, injected 5xx answers and
//! connections dropped after a delete. It only decides; the routes act on its decisions.

use std::time::Duration;

/// An injected failure, answered before anything is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fault {
    /// 500 with a JSON error body.
    InternalError,
    /// 502 with a JSON error body.
    BadGateway,
    /// 502 with an HTML page, as a proxy in front of the API sends.
    BadGatewayHtml,
    /// 503 with a JSON error body.
    Unavailable,
}

/// The live fault settings and the generator that draws them.
pub(super) struct FaultPlan {
    rng: fastrand::Rng,
    pub(super) latency: Duration,
    pub(super) jitter: Duration,
    pub(super) fault_rate: f64,
    pub(super) unavailable_rate: f64,
    pub(super) drop_after_delete_rate: f64,
}

/// Keeps the fault draws independent of the fixture IDs drawn from the same seed.
const FAULT_SEED_SALT: u64 = 0x5eed_fa17;

impl FaultPlan {
    pub(super) fn new(
        seed: u64,
        latency: Duration,
        jitter: Duration,
        fault_rate: f64,
        unavailable_rate: f64,
        drop_after_delete_rate: f64,
    ) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed ^ FAULT_SEED_SALT),
            latency,
            jitter,
            fault_rate,
            unavailable_rate,
            drop_after_delete_rate,
        }
    }

    /// `latency` plus a uniform share of `jitter`.
    pub(super) fn delay(&mut self) -> Duration {
        self.latency + self.jitter.mul_f64(self.rng.f64())
    }

    /// `Some` for about `fault_rate` of calls, spread evenly over the four faults.
    pub(super) fn fault(&mut self) -> Option<Fault> {
        if self.rng.f64() >= self.fault_rate {
            return None;
        }
        Some(match self.rng.u8(0..4) {
            0 => Fault::InternalError,
            1 => Fault::BadGateway,
            2 => Fault::BadGatewayHtml,
            _ => Fault::Unavailable,
        })
    }

    /// True for about `unavailable_rate` of calls: a plain 503, each drawn on its own.
    pub(super) fn unavailable(&mut self) -> bool {
        self.unavailable_rate > 0.0 && self.rng.f64() < self.unavailable_rate
    }

    /// True for about `drop_after_delete_rate` of successful deletes.
    pub(super) fn drop_after_delete(&mut self) -> bool {
        self.rng.f64() < self.drop_after_delete_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_rate_is_roughly_honoured_and_covers_every_fault() {
        let mut plan = FaultPlan::new(1, Duration::ZERO, Duration::ZERO, 0.2, 0.0, 0.0);
        let faults: Vec<Fault> = (0..10_000).filter_map(|_| plan.fault()).collect();
        assert!((1_700..2_300).contains(&faults.len()), "{}", faults.len());
        for kind in [
            Fault::InternalError,
            Fault::BadGateway,
            Fault::BadGatewayHtml,
            Fault::Unavailable,
        ] {
            assert!(faults.contains(&kind), "{kind:?} never drawn");
        }
    }

    #[test]
    fn delay_stays_within_latency_plus_jitter() {
        let (latency, jitter) = (Duration::from_millis(40), Duration::from_millis(80));
        let mut plan = FaultPlan::new(1, latency, jitter, 0.0, 0.0, 0.0);
        let delays: Vec<Duration> = (0..1_000).map(|_| plan.delay()).collect();
        assert!(
            delays
                .iter()
                .all(|d| (latency..=latency + jitter).contains(d))
        );
        assert!(delays.iter().any(|d| *d > latency + jitter / 2));
        assert!(plan.fault().is_none() && !plan.drop_after_delete() && !plan.unavailable());
    }
}
