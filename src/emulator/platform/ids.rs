//! Seeded identifiers and secrets, so `--seed` reproduces the same ids run after run.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

#[derive(Debug)]
pub struct Ids {
    rng: ChaCha8Rng,
}

impl Ids {
    pub fn new(seed: u64) -> Self {
        Ids {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A version-4 UUID drawn from the seeded generator.
    pub fn uuid(&mut self) -> Uuid {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    /// `n` lower-case hex digits (direct hashes).
    pub fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.rng.gen_range(0..16), 16).unwrap_or('0'))
            .collect()
    }

    /// `n` letters and digits (access keys, demo passwords).
    pub fn alnum(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| ALNUM[self.rng.gen_range(0..ALNUM.len())] as char)
            .collect()
    }

    /// A conference's `direct_hash`: `direct.` + 12 hex digits.
    pub fn direct_hash(&mut self) -> String {
        format!("direct.{}", self.hex(12))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (Ids::new(7), Ids::new(7));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.alnum(20), b.alnum(20));
        assert_eq!(a.uuid().get_version_num(), 4);
        assert!(a.direct_hash().starts_with("direct."));
    }
}
