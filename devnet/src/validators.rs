//! The devnet's validators: how many, their keys, and the schedule by which
//! the set changes.
//!
//! Keys come from the configured seed (`header::devchain::validator_key`),
//! so anyone can recompute them. The set at height `h` is `count`
//! consecutive key indices starting at epoch `e = (h − 1) / rotate_every`:
//! every `rotate_every` blocks the lowest-indexed validator leaves and the
//! next key joins, a validator-set change the light client must follow
//! through the next-validators hash. Powers vary (10 to 13 by key index) so
//! that power, not head count, decides quorums.

use aloft_light_client::header::Height;

/// The validator schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatorSchedule {
    seed: String,
    count: u32,
    rotate_every: u64,
}

impl ValidatorSchedule {
    /// `count` validators from `seed`, one replaced every `rotate_every`
    /// blocks (0: never).
    pub fn new(seed: String, count: u32, rotate_every: u64) -> Self {
        Self { seed, count, rotate_every }
    }

    /// The key seed.
    pub fn seed(&self) -> &str {
        &self.seed
    }

    /// How many validators.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The members (key index, power) at `height`, in set order.
    pub fn members(&self, height: Height) -> Vec<(u32, u64)> {
        let epoch = match self.rotate_every {
            0 => 0,
            n => (height.0.saturating_sub(1) / n) as u32,
        };
        (0..self.count).map(|i| epoch + i).map(|k| (k, 10 + u64::from(k % 4))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_validator_rotates_out_per_epoch() {
        let s = ValidatorSchedule::new("s".into(), 4, 10);
        assert_eq!(s.members(Height(1)), vec![(0, 10), (1, 11), (2, 12), (3, 13)]);
        assert_eq!(s.members(Height(10)), s.members(Height(1)));
        assert_eq!(s.members(Height(11)), vec![(1, 11), (2, 12), (3, 13), (4, 10)]);
        let fixed = ValidatorSchedule::new("s".into(), 3, 0);
        assert_eq!(fixed.members(Height(1_000_000)), fixed.members(Height(1)));
    }
}
