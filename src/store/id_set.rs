//! `IdSet` / `IdMap`: hash sets and maps keyed by `VideoId` with a fast non-cryptographic
//! hasher. Import and the known list hash a million IDs at a time; the default SipHash guards
//! against hash flooding, which a local tool reading the user's own files does not need.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::api::VideoId;

pub type IdSet = HashSet<VideoId, BuildHasherDefault<IdHasher>>;
pub type IdMap<V> = HashMap<VideoId, V, BuildHasherDefault<IdHasher>>;

/// Mixes each written word in with murmur3's 64-bit finalizer, so IDs differing only in a few
/// bits anywhere (sequential or hand-made ones) still differ in the low bits the table indexes
/// by and in the top bits it keeps as tags. (A bare FxHash fold clusters such IDs badly.)
#[derive(Clone, Copy, Default)]
pub struct IdHasher {
    hash: u64,
}

impl IdHasher {
    fn add(&mut self, word: u64) {
        let mut h = self.hash ^ word;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        self.hash = h ^ (h >> 33);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(n: u128) -> u64 {
        let mut hasher = IdHasher::default();
        std::hash::Hash::hash(&VideoId::from_uuid(uuid::Uuid::from_u128(n)), &mut hasher);
        hasher.finish()
    }

    /// The table picks buckets by the low bits and control bytes by the top 7: both must vary
    /// for IDs that differ only at either end.
    #[test]
    fn sequential_ids_spread_in_low_and_high_bits() {
        for shape in [0u32, 56, 64, 112] {
            let hashes: Vec<u64> = (0..10_000u128).map(|n| hash(n << shape)).collect();
            let low: HashSet<u64> = hashes.iter().map(|h| h & 0xffff).collect();
            let top: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
            assert!(
                low.len() > 8_500,
                "shift {shape}: {} distinct low words",
                low.len()
            );
            assert_eq!(top.len(), 128, "shift {shape}");
        }
    }
}
