//! How many samples give what confidence (`docs/protocol.md`, "Sampling
//! confidence").
//!
//! A blob whose data cannot be rebuilt has fewer than 64 of its 128 extended
//! cells available (any 64 rebuild it). The worst case for the client is an
//! adversary that keeps exactly 63 cells available and withholds the rest.
//! The client draws `n` *distinct* cells of the blob uniformly at random with
//! its own randomness, so the chance that all `n` land on available cells is
//! hypergeometric:
//!
//! `miss(n) = prod_{i=0}^{n-1} (63 - i) / (128 - i)`, which is below `2^-n`.
//!
//! An adversary makes a block unavailable by making any one blob
//! unavailable, and the client does not know which, so it samples every blob
//! `n` times and the block's confidence is `1 - max_b miss(n_b)` over its
//! blobs' verified sample counts `n_b`.

use crate::kzg::CELLS_PER_EXT_BLOB;

/// The most cells an unavailable blob can still have available.
pub const MAX_AVAILABLE_IF_UNAVAILABLE: u32 = (CELLS_PER_EXT_BLOB / 2 - 1) as u32;

/// The chance that `n` distinct uniform samples of an unavailable blob all
/// succeed (0 once `n` exceeds the 63 cells that can be available).
pub fn miss_probability(n: u32) -> f64 {
    let mut p = 1.0;
    for i in 0..n {
        if i >= MAX_AVAILABLE_IF_UNAVAILABLE {
            return 0.0;
        }
        p *= f64::from(MAX_AVAILABLE_IF_UNAVAILABLE - i) / (CELLS_PER_EXT_BLOB as f64 - f64::from(i));
    }
    p
}

/// The confidence `n` verified samples of one blob give.
pub fn confidence(n: u32) -> f64 {
    1.0 - miss_probability(n)
}

/// The fewest samples per blob that reach `target` (a probability below 1).
pub fn samples_per_blob(target: f64) -> u32 {
    (0..=MAX_AVAILABLE_IF_UNAVAILABLE + 1).find(|&n| confidence(n) >= target).unwrap_or(MAX_AVAILABLE_IF_UNAVAILABLE + 1)
}

/// A block's confidence from its blobs' verified sample counts (1 for a block without blobs).
pub fn block_confidence(verified_per_blob: &[u32]) -> f64 {
    verified_per_blob.iter().map(|&n| confidence(n)).fold(1.0, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_is_below_one_half_per_sample() {
        for n in 1..20 {
            assert!(miss_probability(n) < 0.5f64.powi(n as i32), "n = {n}");
        }
        assert_eq!(miss_probability(0), 1.0);
        assert_eq!(miss_probability(64), 0.0);
    }

    #[test]
    fn the_default_target_needs_thirteen_samples_per_blob() {
        assert_eq!(samples_per_blob(0.9999), 13);
        assert!(confidence(12) < 0.9999 && confidence(13) >= 0.9999);
        assert_eq!(block_confidence(&[]), 1.0);
        assert_eq!(block_confidence(&[13, 0]), 0.0);
    }
}
