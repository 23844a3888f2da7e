//! Multi-scalar multiplication with bucket sums in affine form.
//!
//! The KZG batch check is two MSMs of a few hundred G1 points with full-size
//! scalars. arkworks' Pippenger adds each point into its bucket with a mixed
//! addition (7 multiplications and 4 squarings). Here each window's points
//! are sorted by bucket and every bucket is summed as a tree of affine
//! additions whose inversions are shared across all buckets (the Montgomery
//! trick: one inversion and three products per addition, plus the addition's
//! two products and a squaring), about 6 products per point instead of 11.
//! Levels with only a few additions left would pay a whole inversion for
//! little; their buckets are finished with mixed additions.
//!
//! The window is 7 bits with signed digits (64 buckets): for 500–600 points
//! that balances the per-point additions against the buckets' running sums.
//! Results equal arkworks' `msm_unchecked` exactly (tests below).

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::{AdditiveGroup, PrimeField, Zero, batch_inversion};
use super::affine_sum::{add_with_inverse, pair_denominator};

/// Window width in bits.
const WINDOW: usize = 7;

/// A level of shared-inversion additions needs at least this many pairs to
/// pay for its inversion.
const MIN_PAIRS: usize = 24;

/// Bits `start..start + WINDOW` of a little-endian limb array.
fn window_bits(limbs: &[u64], start: usize) -> i64 {
    let (limb, offset) = (start / 64, start % 64);
    let Some(&low) = limbs.get(limb) else { return 0 };
    let mut v = low >> offset;
    if offset + WINDOW > 64 {
        if let Some(&high) = limbs.get(limb + 1) {
            v |= high << (64 - offset);
        }
    }
    (v & ((1 << WINDOW) - 1)) as i64
}

/// Signed base-2^WINDOW digits in `-2^(WINDOW-1) ..= 2^(WINDOW-1)`, lowest first.
fn signed_digits(limbs: &[u64], windows: usize, out: &mut Vec<i8>) {
    let mut carry = 0i64;
    for w in 0..windows {
        let mut d = window_bits(limbs, w * WINDOW) + carry;
        carry = 0;
        if d > 1 << (WINDOW - 1) {
            d -= 1 << WINDOW;
            carry = 1;
        }
        out.push(d as i8);
    }
}

/// `Σ scalars[i]·bases[i]` over the shorter of the two slices.
pub fn msm<P: SWCurveConfig>(bases: &[Affine<P>], scalars: &[P::ScalarField]) -> Projective<P> {
    let n = bases.len().min(scalars.len());
    let bits = P::ScalarField::MODULUS_BIT_SIZE as usize;
    // One window more than the bits need, so the top digit absorbs the carry.
    let windows = (bits + WINDOW) / WINDOW;
    let mut digits = Vec::with_capacity(n * windows);
    for s in &scalars[..n] {
        signed_digits(s.into_bigint().as_ref(), windows, &mut digits);
    }
    let buckets = 1 << (WINDOW - 1);
    let mut total = Projective::<P>::zero();
    let mut counts = vec![0usize; buckets + 1];
    let mut sorted: Vec<Affine<P>> = Vec::with_capacity(n);
    for w in (0..windows).rev() {
        for _ in 0..WINDOW {
            total.double_in_place();
        }
        // Counting sort of this window's points by bucket (|digit| − 1).
        counts.iter_mut().for_each(|c| *c = 0);
        for (i, base) in bases[..n].iter().enumerate() {
            let d = digits[i * windows + w];
            if d != 0 && !base.infinity {
                counts[d.unsigned_abs() as usize] += 1;
            }
        }
        let mut starts = vec![0usize; buckets + 1];
        for b in 1..=buckets {
            starts[b] = starts[b - 1] + counts[b];
        }
        let filled = starts[buckets];
        sorted.clear();
        sorted.resize(filled, Affine::identity());
        let mut next = starts.clone();
        for (i, base) in bases[..n].iter().enumerate() {
            let d = digits[i * windows + w];
            if d != 0 && !base.infinity {
                let slot = &mut next[d.unsigned_abs() as usize - 1];
                sorted[*slot] = if d < 0 { -*base } else { *base };
                *slot += 1;
            }
        }
        // Segment b (bucket b + 1) is sorted[starts[b]..starts[b + 1]].
        let bucket_sums = sum_segments(std::mem::take(&mut sorted), starts);
        let mut running = Projective::<P>::zero();
        let mut window_sum = Projective::<P>::zero();
        for sum in bucket_sums.iter().rev() {
            running += sum;
            window_sum += &running;
        }
        total += window_sum;
    }
    total
}

/// The sum of each segment `points[bounds[b]..bounds[b + 1]]`, by levels of
/// pairwise affine additions with one shared inversion per level.
fn sum_segments<P: SWCurveConfig>(mut points: Vec<Affine<P>>, mut bounds: Vec<usize>) -> Vec<Projective<P>> {
    let segments = bounds.len() - 1;
    let mut denominators: Vec<P::BaseField> = Vec::new();
    let mut next_points: Vec<Affine<P>> = Vec::with_capacity(points.len());
    let mut next_bounds: Vec<usize> = Vec::with_capacity(bounds.len());
    loop {
        let pairs: usize = (0..segments).map(|b| (bounds[b + 1] - bounds[b]) / 2).sum();
        if pairs < MIN_PAIRS {
            break;
        }
        denominators.clear();
        for b in 0..segments {
            denominators.extend(points[bounds[b]..bounds[b + 1]].chunks_exact(2).map(|pair| pair_denominator(&pair[0], &pair[1])));
        }
        batch_inversion(&mut denominators);
        next_points.clear();
        next_bounds.clear();
        next_bounds.push(0);
        let mut inverses = denominators.iter();
        for b in 0..segments {
            let segment = &points[bounds[b]..bounds[b + 1]];
            for pair in segment.chunks_exact(2) {
                let Some(inverse) = inverses.next() else { break };
                next_points.extend(add_with_inverse(&pair[0], &pair[1], inverse));
            }
            if segment.len() % 2 == 1 {
                next_points.push(segment[segment.len() - 1]);
            }
            next_bounds.push(next_points.len());
        }
        std::mem::swap(&mut points, &mut next_points);
        std::mem::swap(&mut bounds, &mut next_bounds);
    }
    (0..segments)
        .map(|b| points[bounds[b]..bounds[b + 1]].iter().fold(Projective::<P>::zero(), |acc, p| acc + p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::{Fr, G1Affine, G1Projective};
    use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};

    fn scalar(i: u32) -> Fr {
        crate::curve::sample(i)
    }

    #[test]
    fn digits_recompose_the_scalar() {
        for i in 0..50 {
            let s = if i == 0 { -Fr::from(1u8) } else { scalar(i) };
            let windows = (255 + WINDOW) / WINDOW;
            let mut digits = Vec::new();
            signed_digits(s.into_bigint().as_ref(), windows, &mut digits);
            let base = Fr::from(1u64 << WINDOW);
            let back = digits.iter().rev().fold(Fr::zero(), |acc, d| acc * base + Fr::from(i64::from(*d)));
            assert_eq!(back, s);
        }
    }

    #[test]
    fn equals_arkworks_msm() {
        let points: Vec<G1Affine> =
            G1Projective::normalize_batch(&(0..608).map(|i| G1Affine::generator() * scalar(1000 + i)).collect::<Vec<_>>());
        let scalars: Vec<Fr> = (0..608).map(scalar).collect();
        for n in [0, 1, 5, 64, 512, 608] {
            assert_eq!(msm(&points[..n], &scalars[..n]), G1Projective::msm_unchecked(&points[..n], &scalars[..n]), "{n} points");
        }
    }

    #[test]
    fn repeated_points_small_scalars_and_the_identity() {
        // Same point many times (doublings inside buckets), its negation, the
        // identity, and scalars 0, 1, −1.
        let p = (G1Affine::generator() * scalar(7)).into_affine();
        let mut points = vec![p; 200];
        points.extend(vec![-p; 100]);
        points.extend(vec![G1Affine::zero(); 10]);
        let mut scalars: Vec<Fr> = (0..310).map(|i| Fr::from((i % 5) as u64)).collect();
        scalars[0] = -Fr::from(1u8);
        scalars[1] = Fr::zero();
        assert_eq!(msm(&points, &scalars), G1Projective::msm_unchecked(&points, &scalars));
        let same_scalar = vec![scalar(3); 310];
        assert_eq!(msm(&points, &same_scalar), G1Projective::msm_unchecked(&points, &same_scalar));
    }
}
