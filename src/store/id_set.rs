//! `IdSet` / `IdMap`: hash sets and maps keyed by `VideoId` with a fast non-cryptographic
//! hasher. Import and the known list hash a million IDs at a time; the default SipHash guards
//! against hash flooding, which a local tool reading the user's own files does not need.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::api::VideoId;

pub type IdSet = HashSet<VideoId, BuildHasherDefault<IdHasher>>;
pub type IdMap<V> = HashMap<VideoId, V, BuildHasherDefault<IdHasher>>;

/// Folds the written words with a multiply and rotate (the FxHash step): a UUID is 16 bytes of
/// mostly random bits, so mixing is cheap and still spreads sequential IDs.
#[derive(Clone, Copy, Default)]
pub struct IdHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
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

    #[test]
    fn sequential_ids_spread_over_buckets() {
        let hashes: HashSet<u64> = (0..10_000u128)
            .map(|n| {
                let mut hasher = IdHasher::default();
                std::hash::Hash::hash(&VideoId::from_uuid(uuid::Uuid::from_u128(n)), &mut hasher);
                hasher.finish() >> 50
            })
            .collect();
        assert!(hashes.len() > 8_000, "{} distinct top bits", hashes.len());
    }
}
