//! The Miller loop and the final exponentiation on the twin, with the
//! shortcuts arkworks' generic `Bls12` code cannot take.
//!
//! The values are arkworks' own, bit for bit (tests compare both halves with
//! `bls12::Bls12_381`); only the way to them is cheaper:
//!
//! - **Doubling steps** (63 a point, two points a check). arkworks multiplies
//!   by the curve's `b = 4(1 + u)` with a full `Fq2` product and halves with
//!   two products by `1/2`; here `3b·c` is `12·((c₀ − c₁) + (c₀ + c₁)u)`, a
//!   few additions, and halving is a shift. That is 7 of the step's 28 base
//!   products. Lines are used as they are made, not stored for a second pass.
//! - **Lines two at a time.** With two pairs (every signature check), the
//!   two lines of a step are multiplied together first (6 `Fq2` products,
//!   the result has a zero coefficient) and then into `f` (17): 23 products
//!   where two sparse line products take 26.
//! - **`f^x` in the hard part** (five per check, 63 squarings each). In the
//!   cyclotomic subgroup an element is fixed by four of its six `Fq2`
//!   coefficients, and Karabina's compressed squaring squares those four with
//!   6 `Fq2` squarings where the Granger–Scott squaring arkworks uses takes 6
//!   `Fq2` products. `f^x` squares compressed all the way and decompresses
//!   the six powers it multiplies (the set bits of `x`) with one shared
//!   inversion.
//!
//! Karabina, "Squaring in cyclotomic subgroups", Math. Comp. 82 (2013).

use ark_ec::bls12::Bls12Config;
use ark_ec::short_weierstrass::Affine;
use ark_ff::fields::models::fp12_2over3over2::{Fp12, Fp12Config};
use ark_ff::fields::models::fp6_3over2::Fp6Config;
use ark_ff::{AdditiveGroup, BitIteratorBE, CyclotomicMultSubgroup, Field, One, Zero, batch_inversion};

use super::bls12::{Config, Fq2, Fq6, Fq6Config, Fq12Config, G1Config, G2Config};
use super::fq32::{Fq, halve};

/// The pairing's target field over the twin.
pub type Fq12 = Fp12<Fq12Config>;

/// A line's three coefficients, as arkworks' `EllCoeff` (M-type twist).
type Line = (Fq2, Fq2, Fq2);

/// `ξ·a` with `ξ = 1 + u`, the non-residue of `Fq6`.
#[inline(always)]
fn mul_by_xi(a: Fq2) -> Fq2 {
    let mut a = a;
    <Fq6Config as Fp6Config>::mul_fp2_by_nonresidue_in_place(&mut a);
    a
}

/// `a/2` in `Fq2`.
#[inline(always)]
fn halve2(a: Fq2) -> Fq2 {
    Fq2::new(halve(a.c0), halve(a.c1))
}

/// `3b·c` for G2's `b = 4(1 + u)`: `12·ξ·c`, by additions only.
#[inline(always)]
fn mul_by_3b(c: Fq2) -> Fq2 {
    let four = mul_by_xi(c).double().double();
    four.double() + four
}

/// A point of G2 in homogeneous projective coordinates, moved along the loop.
struct Runner {
    x: Fq2,
    y: Fq2,
    z: Fq2,
}

impl Runner {
    /// `2R` and the tangent line at `R` (arkworks' `double_in_place`).
    fn double(&mut self) -> Line {
        let a = halve2(self.x * self.y);
        let b = self.y.square();
        let c = self.z.square();
        let e = mul_by_3b(c);
        let f = e.double() + e;
        let g = halve2(b + f);
        let h = (self.y + self.z).square() - (b + c);
        let i = e - b;
        let j = self.x.square();
        let e_square = e.square();
        self.x = a * (b - f);
        self.y = g.square() - (e_square.double() + e_square);
        self.z = b * h;
        (i, j.double() + j, -h)
    }

    /// `R + Q` and the line through them (arkworks' `add_in_place`).
    fn add(&mut self, qx: &Fq2, qy: &Fq2) -> Line {
        let theta = self.y - *qy * self.z;
        let lambda = self.x - *qx * self.z;
        let c = theta.square();
        let d = lambda.square();
        let e = lambda * d;
        let f = self.z * c;
        let g = self.x * d;
        let h = e + f - g.double();
        self.x = lambda * h;
        self.y = theta * (g - h) - e * self.y;
        self.z *= e;
        let j = theta * qx - lambda * qy;
        (j, -theta, lambda)
    }
}

/// A line evaluated at a G1 point: `c₀ + c₁v + c₄vw` (M-type twist).
#[inline(always)]
fn evaluate((c0, mut c1, mut c4): Line, px: &Fq, py: &Fq) -> Line {
    c4.mul_assign_by_fp(py);
    c1.mul_assign_by_fp(px);
    (c0, c1, c4)
}

/// The product of two evaluated lines, `(a₀ + a₁v + a₄vw)(b₀ + b₁v + b₄vw)`:
/// `(a₀b₀ + ξa₄b₄, a₀b₁ + a₁b₀, a₁b₁) + (0, a₀b₄ + a₄b₀, a₁b₄ + a₄b₁)w`, by
/// Karatsuba: 6 `Fq2` products.
fn line_product(a: &Line, b: &Line) -> Fq12 {
    let (p00, p11, p44) = (a.0 * b.0, a.1 * b.1, a.2 * b.2);
    let x01 = (a.0 + a.1) * (b.0 + b.1) - p00 - p11;
    let x04 = (a.0 + a.2) * (b.0 + b.2) - p00 - p44;
    let x14 = (a.1 + a.2) * (b.1 + b.2) - p11 - p44;
    Fq12::new(Fq6::new(p00 + mul_by_xi(p44), x01, p11), Fq6::new(Fq2::ZERO, x04, x14))
}

/// `a·(b₁v + b₂v²)` in `Fq6`: `(ξ(a₁b₂ + a₂b₁), a₀b₁ + ξa₂b₂, a₀b₂ + a₁b₁)`,
/// 5 `Fq2` products.
fn fq6_mul_by_12(a: &Fq6, b1: &Fq2, b2: &Fq2) -> Fq6 {
    let (v1, v2) = (a.c1 * b1, a.c2 * b2);
    let x = (a.c1 + a.c2) * (*b1 + b2) - v1 - v2;
    Fq6::new(mul_by_xi(x), a.c0 * b1 + mul_by_xi(v2), a.c0 * b2 + v1)
}

/// `f·g` for `g` with `g₁.c₀ = 0` (a [`line_product`]): Karatsuba over
/// `Fq6`, 17 `Fq2` products where a dense product takes 18 and two line
/// products 26.
fn mul_by_line_product(f: &mut Fq12, g: &Fq12) {
    let t0 = f.c0 * g.c0;
    let t1 = fq6_mul_by_12(&f.c1, &g.c1.c1, &g.c1.c2);
    let t2 = (f.c0 + f.c1) * (g.c0 + g.c1);
    let mut v_t1 = t1;
    <Fq12Config as Fp12Config>::mul_fp6_by_nonresidue_in_place(&mut v_t1);
    f.c0 = t0 + v_t1;
    f.c1 = t2 - t0 - t1;
}

/// `f` times every line of one step: two at a time through
/// [`line_product`], a last odd one as arkworks' sparse `mul_by_014`.
fn absorb(f: &mut Fq12, lines: &[Line]) {
    let mut pairs = lines.chunks_exact(2);
    for two in &mut pairs {
        let g = line_product(&two[0], &two[1]);
        // The loop starts from f = 1 (a cheap test: the first limb differs).
        if f.is_one() { *f = g } else { mul_by_line_product(f, &g) }
    }
    if let [last] = pairs.remainder() {
        f.mul_by_014(&last.0, &last.1, &last.2);
    }
}

/// `∏ fᵢ` over the pairs, before the final exponentiation: the same value as
/// arkworks' `multi_miller_loop` (pairs with an identity point are skipped).
pub fn multi_miller_loop(pairs: &[(Affine<G1Config>, Affine<G2Config>)]) -> Fq12 {
    struct Pair {
        px: Fq,
        py: Fq,
        qx: Fq2,
        qy: Fq2,
        r: Runner,
    }
    let mut live: Vec<Pair> = pairs
        .iter()
        .filter(|(p, q)| !p.infinity && !q.infinity)
        .map(|(p, q)| Pair { px: p.x, py: p.y, qx: q.x, qy: q.y, r: Runner { x: q.x, y: q.y, z: Fq2::ONE } })
        .collect();
    let mut f = Fq12::one();
    let mut lines = Vec::with_capacity(live.len());
    let mut first = true;
    for bit in BitIteratorBE::without_leading_zeros(<Config as Bls12Config>::X).skip(1) {
        if !first {
            f.square_in_place();
        }
        first = false;
        lines.clear();
        lines.extend(live.iter_mut().map(|p| evaluate(p.r.double(), &p.px, &p.py)));
        absorb(&mut f, &lines);
        if bit {
            lines.clear();
            lines.extend(live.iter_mut().map(|p| evaluate(p.r.add(&p.qx, &p.qy), &p.px, &p.py)));
            absorb(&mut f, &lines);
        }
    }
    if <Config as Bls12Config>::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    f
}

/// An element of the cyclotomic subgroup by four of its coefficients:
/// `(c1.c0, c0.c2, c0.c1, c1.c2)`, Karabina's `(g₂, g₃, g₄, g₅)` (the naming
/// of arkworks' Granger–Scott squaring).
#[derive(Clone, Copy)]
struct Compressed {
    g2: Fq2,
    g3: Fq2,
    g4: Fq2,
    g5: Fq2,
}

impl Compressed {
    fn of(f: &Fq12) -> Self {
        Compressed { g2: f.c1.c0, g3: f.c0.c2, g4: f.c0.c1, g5: f.c1.c2 }
    }

    /// The square: 6 `Fq2` squarings (the four coefficients of arkworks'
    /// Granger–Scott squaring, with each product `2ab` as `(a + b)² − a² − b²`).
    fn square(&self) -> Self {
        let (s2, s3, s4, s5) = (self.g2.square(), self.g3.square(), self.g4.square(), self.g5.square());
        let t2 = s2 + mul_by_xi(s3);
        let t3 = (self.g2 + self.g3).square() - s2 - s3;
        let t4 = s4 + mul_by_xi(s5);
        let t5 = (self.g4 + self.g5).square() - s4 - s5;
        let xi_t5 = mul_by_xi(t5);
        // 2g₂ + 3ξt₅, 3t₄ − 2g₃, 3t₂ − 2g₄, 2g₅ + 3t₃, each as 2(·) + t.
        Compressed {
            g2: (self.g2 + xi_t5).double() + xi_t5,
            g3: (t4 - self.g3).double() + t4,
            g4: (t2 - self.g4).double() + t2,
            g5: (self.g5 + t3).double() + t3,
        }
    }

    /// `(numerator, denominator)` of the missing `g₁`; `None` when both
    /// candidate denominators vanish.
    fn g1_fraction(&self) -> Option<(Fq2, Fq2)> {
        if !self.g2.is_zero() {
            // g₁ = (ξ·g₅² + 3g₄² − 2g₃) / 4g₂
            let s4 = self.g4.square();
            Some((mul_by_xi(self.g5.square()) + s4.double() + s4 - self.g3.double(), self.g2.double().double()))
        } else if !self.g3.is_zero() {
            // g₁ = 2g₄g₅ / g₃
            Some(((self.g4 * self.g5).double(), self.g3))
        } else {
            None
        }
    }

    /// The whole element, given `g₁`: `g₀ = ξ(2g₁² + g₂g₅ − 3g₃g₄) + 1`.
    fn with_g1(&self, g1: Fq2) -> Fq12 {
        let g34 = self.g3 * self.g4;
        let g0 = mul_by_xi(g1.square().double() + self.g2 * self.g5 - g34.double() - g34) + Fq2::ONE;
        let mut f = Fq12::one();
        f.c0.c0 = g0;
        f.c0.c1 = self.g4;
        f.c0.c2 = self.g3;
        f.c1.c0 = self.g2;
        f.c1.c1 = g1;
        f.c1.c2 = self.g5;
        f
    }
}

/// `f^|x|` for `f` in the cyclotomic subgroup: compressed squarings, the
/// powers at the set bits of `|x|` decompressed together.
fn cyclotomic_exp_by_abs_x(f: &Fq12) -> Fq12 {
    let x = <Config as Bls12Config>::X;
    debug_assert_eq!(x.len(), 1, "BLS12-381's x fits one limb");
    let x = x[0];
    let top = 63 - x.leading_zeros();
    let mut powers = Vec::with_capacity(x.count_ones() as usize);
    let mut c = Compressed::of(f);
    for k in 1..=top {
        c = c.square();
        if (x >> k) & 1 == 1 {
            powers.push(c);
        }
    }
    let mut fractions = Vec::with_capacity(powers.len());
    for p in &powers {
        match p.g1_fraction() {
            Some(nd) => fractions.push(nd),
            // g₂ = g₃ = 0: not decompressible this way; arkworks' plain route.
            None => return f.cyclotomic_exp(<Config as Bls12Config>::X),
        }
    }
    let mut dens: Vec<Fq2> = fractions.iter().map(|(_, d)| *d).collect();
    batch_inversion(&mut dens);
    let mut out = if x & 1 == 1 { *f } else { Fq12::one() };
    for ((p, (num, _)), inv) in powers.iter().zip(&fractions).zip(&dens) {
        out *= p.with_g1(*num * inv);
    }
    out
}

/// arkworks' `exp_by_x`: `f^x`, `x` negative for BLS12-381.
fn exp_by_x(f: &Fq12) -> Fq12 {
    let mut out = cyclotomic_exp_by_abs_x(f);
    if <Config as Bls12Config>::X_IS_NEGATIVE {
        out.cyclotomic_inverse_in_place();
    }
    out
}

/// The final exponentiation, step for step arkworks' (the hard part of
/// Fuentes-Castañeda et al.), with [`exp_by_x`] for theirs. `None` for zero.
pub fn final_exponentiation(f: &Fq12) -> Option<Fq12> {
    let mut f1 = *f;
    f1.cyclotomic_inverse_in_place();
    let f2 = f.inverse()?;
    // Easy part: r = f^((p⁶ − 1)(p² + 1)).
    let mut r = f1 * f2;
    let f2 = r;
    r.frobenius_map_in_place(2);
    r *= &f2;
    // Hard part.
    let y0 = r.cyclotomic_square();
    let mut y1 = exp_by_x(&r);
    let mut y2 = r;
    y2.cyclotomic_inverse_in_place();
    y1 *= &y2;
    y2 = exp_by_x(&y1);
    y1.cyclotomic_inverse_in_place();
    y1 *= &y2;
    y2 = exp_by_x(&y1);
    y1.frobenius_map_in_place(1);
    y1 *= &y2;
    r *= &y0;
    let y0 = exp_by_x(&y1);
    let y2 = exp_by_x(&y0);
    let mut y0 = y1;
    y0.frobenius_map_in_place(2);
    y1.cyclotomic_inverse_in_place();
    y1 *= &y2;
    y1 *= &y0;
    r *= &y1;
    Some(r)
}

/// arkworks' `Fq12` with the same bits (for the bench's parts).
#[cfg(feature = "bench")]
pub fn fq12_to_ark(x: &Fq12) -> ark_bls12_381::Fq12 {
    use super::fq32::to_ark;
    let f2 = |a: &Fq2| ark_bls12_381::Fq2::new(to_ark(&a.c0), to_ark(&a.c1));
    let f6 = |a: &Fq6| ark_bls12_381::Fq6::new(f2(&a.c0), f2(&a.c1), f2(&a.c2));
    ark_bls12_381::Fq12::new(f6(&x.c0), f6(&x.c1))
}

/// Ours with the same bits as arkworks' `Fq12` (for the bench's parts).
#[cfg(feature = "bench")]
pub fn fq12_from_ark(x: &ark_bls12_381::Fq12) -> Fq12 {
    use super::fq32::from_ark;
    let f2 = |a: &ark_bls12_381::Fq2| Fq2::new(from_ark(a.c0), from_ark(a.c1));
    let f6 = |a: &ark_bls12_381::Fq6| Fq6::new(f2(&a.c0), f2(&a.c1), f2(&a.c2));
    Fq12::new(f6(&x.c0), f6(&x.c1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::bls12::{Bls12_381, Twin};
    use ark_ec::pairing::Pairing;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_bls12_381::{Fr, G1Affine, G2Affine};

    fn pairs(n: u32) -> Vec<(Affine<G1Config>, Affine<G2Config>)> {
        (0..n)
            .map(|i| {
                let p = (G1Affine::generator() * crate::curve::sample::<Fr>(2 * i)).into_affine();
                let q = (G2Affine::generator() * crate::curve::sample::<Fr>(2 * i + 1)).into_affine();
                (ark_bls12_381::g1::Config::to_fast(&p), ark_bls12_381::g2::Config::to_fast(&q))
            })
            .collect()
    }

    /// A cyclotomic element that is not one: a Miller value after the final exponentiation.
    fn cyclotomic(i: u32) -> Fq12 {
        let (p, q) = pairs(i + 1)[i as usize];
        Bls12_381::pairing(p, q).0
    }

    #[test]
    fn the_miller_loop_equals_arkworks() {
        for n in [1, 2, 3, 4] {
            let ps = pairs(n);
            let theirs = Bls12_381::multi_miller_loop(ps.iter().map(|p| p.0), ps.iter().map(|p| p.1)).0;
            assert_eq!(multi_miller_loop(&ps), theirs, "{n} pairs");
        }
    }

    #[test]
    fn identity_points_are_skipped_as_arkworks_does() {
        let mut ps = pairs(2);
        ps[0].0 = Affine::identity();
        ps.push((Affine::<G1Config>::generator(), Affine::identity()));
        let theirs = Bls12_381::multi_miller_loop(ps.iter().map(|p| p.0), ps.iter().map(|p| p.1)).0;
        assert_eq!(multi_miller_loop(&ps), theirs);
        assert_eq!(multi_miller_loop(&[]), Fq12::one());
    }

    #[test]
    fn compressed_squarings_equal_granger_scott() {
        let f = cyclotomic(3);
        let (mut c, mut g) = (Compressed::of(&f), f);
        for k in 0..20 {
            c = c.square();
            g.cyclotomic_square_in_place();
            let (num, den) = c.g1_fraction().expect("a random element decompresses");
            assert_eq!(c.with_g1(num * den.inverse().expect("nonzero")), g, "after {} squarings", k + 1);
        }
    }

    #[test]
    fn the_identity_falls_back_to_the_plain_power() {
        // g₂ = g₃ = 0: no decompression formula applies.
        assert!(Compressed::of(&Fq12::one()).square().g1_fraction().is_none());
        assert_eq!(exp_by_x(&Fq12::one()), Fq12::one());
    }

    #[test]
    fn powers_by_x_equal_arkworks() {
        for i in 0..3 {
            let f = cyclotomic(i);
            let mut theirs = f.cyclotomic_exp(<Config as Bls12Config>::X);
            theirs.cyclotomic_inverse_in_place();
            assert_eq!(exp_by_x(&f), theirs, "element {i}");
        }
    }

    #[test]
    fn the_final_exponentiation_equals_arkworks() {
        for n in [1, 2] {
            let m = multi_miller_loop(&pairs(n));
            let theirs = Bls12_381::final_exponentiation(ark_ec::pairing::MillerLoopOutput(m)).map(|o| o.0);
            assert_eq!(final_exponentiation(&m), theirs, "{n} pairs");
        }
        assert_eq!(final_exponentiation(&Fq12::zero()), None);
    }
}
