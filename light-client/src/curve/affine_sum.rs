//! Summing many affine points with batched inversions (the Montgomery trick).
//!
//! Key aggregation adds up to hundreds of public keys per commit. Adding an
//! affine point into a projective sum (what `Iterator::sum` does) costs 7
//! multiplications and 4 squarings each. Adding two affine points costs one
//! inversion, two multiplications and a squaring; with the inversions of a
//! whole row of additions shared (one inversion plus three multiplications
//! per element), that is about 6 products per point instead of 11. So the
//! points are added pairwise as a tree: each level halves the list with one
//! shared inversion, and once the list is short enough that an inversion
//! would cost more than it saves, the rest goes into a projective sum.
//!
//! Every addition case is handled, since the points come from callers: the
//! identity is skipped, `P + P` doubles, and `P + (−P)` gives the identity.
//! The result equals the projective sum exactly (tests below).

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::{AdditiveGroup, Field, Zero, batch_inversion};

/// Below this many points a level of pairwise additions costs more (one
/// field inversion) than it saves over mixed additions.
const PROJECTIVE_BELOW: usize = 32;

/// The sum of `points`, which may contain the identity, repeats and
/// negations of each other.
pub fn sum_affine<P: SWCurveConfig>(points: &[Affine<P>]) -> Projective<P> {
    let mut level: Vec<Affine<P>> = points.iter().filter(|p| !p.infinity).copied().collect();
    let mut rest = Projective::<P>::zero();
    let mut denominators: Vec<P::BaseField> = Vec::with_capacity(level.len() / 2);
    let mut next: Vec<Affine<P>> = Vec::with_capacity(level.len() / 2);
    while level.len() >= PROJECTIVE_BELOW {
        if level.len() % 2 == 1 {
            if let Some(odd) = level.pop() {
                rest += odd;
            }
        }
        denominators.clear();
        denominators.extend(level.chunks_exact(2).map(|pair| pair_denominator(&pair[0], &pair[1])));
        // Zeros are left as they are; their pairs never read them.
        batch_inversion(&mut denominators);
        next.clear();
        next.extend(level.chunks_exact(2).zip(&denominators).filter_map(|(pair, inverse)| add_with_inverse(&pair[0], &pair[1], inverse)));
        std::mem::swap(&mut level, &mut next);
    }
    level.iter().fold(rest, |acc, p| acc + p)
}

/// The denominator of the slope of `a + b` (affine, neither the identity):
/// `x_b − x_a`, or `2y` when doubling; zero when the sum is the identity
/// (`a = −b`), which needs no inversion.
pub(super) fn pair_denominator<P: SWCurveConfig>(a: &Affine<P>, b: &Affine<P>) -> P::BaseField {
    if a.x != b.x {
        b.x - a.x
    } else if a.y == b.y {
        // Doubling: λ = (3x² + A) / 2y; zero (skipped) when y = 0.
        a.y.double()
    } else {
        P::BaseField::zero()
    }
}

/// `a + b` given the inverse of [`pair_denominator`]`(a, b)`; `None` for the
/// identity (`P + (−P)`, or doubling a point of order two).
pub(super) fn add_with_inverse<P: SWCurveConfig>(a: &Affine<P>, b: &Affine<P>, inverse: &P::BaseField) -> Option<Affine<P>> {
    let lambda = if a.x != b.x {
        (b.y - a.y) * inverse
    } else if a.y == b.y && !a.y.is_zero() {
        let x2 = a.x.square();
        (x2.double() + x2 + P::COEFF_A) * inverse
    } else {
        return None;
    };
    let x3 = lambda.square() - a.x - b.x;
    let y3 = lambda * (a.x - x3) - a.y;
    Some(Affine::new_unchecked(x3, y3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{AffineRepr, CurveGroup};

    fn scalar(i: u32) -> Fr {
        crate::curve::sample(i)
    }

    fn g1_points(n: u32) -> Vec<G1Affine> {
        G1Projective::normalize_batch(&(0..n).map(|i| G1Affine::generator() * scalar(i)).collect::<Vec<_>>())
    }

    fn projective_sum<P: SWCurveConfig>(points: &[Affine<P>]) -> Projective<P> {
        points.iter().map(|p| Projective::<P>::from(*p)).sum()
    }

    #[test]
    fn equals_the_projective_sum_for_every_size_around_the_levels() {
        let points = g1_points(300);
        for n in [0, 1, 2, 31, 32, 33, 63, 64, 65, 150, 255, 300] {
            let ours = sum_affine(&points[..n]);
            assert_eq!(ours, projective_sum(&points[..n]), "{n} points");
        }
    }

    #[test]
    fn repeats_negations_and_the_identity_are_added_correctly() {
        let base = g1_points(40);
        // Each pair of a level is (p, p), (p, −p), or involves the identity.
        let mut points = Vec::new();
        for p in &base {
            points.extend([*p, *p, *p, -*p, G1Affine::zero(), *p]);
        }
        assert_eq!(sum_affine(&points), projective_sum(&points));
        // Everything cancels: the identity.
        let cancelling: Vec<G1Affine> = base.iter().flat_map(|p| [*p, -*p]).collect();
        assert!(sum_affine(&cancelling).is_zero());
        // Sums that meet at a later level: the same point 64 times.
        let same = vec![base[0]; 64];
        assert_eq!(sum_affine(&same).into_affine(), (base[0] * Fr::from(64u8)).into_affine());
    }

    #[test]
    fn works_on_g2_too() {
        let points = G2Projective::normalize_batch(&(0..70).map(|i| G2Affine::generator() * scalar(i)).collect::<Vec<_>>());
        assert_eq!(sum_affine(&points), projective_sum(&points));
    }
}
