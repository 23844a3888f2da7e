//! Inverses in Fq by Pornin's optimized binary GCD ("Optimized Binary GCD
//! for Modular Inversion", eprint 2020/972).
//!
//! A signature check inverts about a dozen times (affine results, the easy
//! part of the final exponentiation, decompressing Karabina's squarings,
//! the SWU map). arkworks inverts by a bit-at-a-time binary Euclid on six
//! 64-bit limbs: about 16 µs in Chromium, as much as ninety products. The
//! optimized binary GCD runs the bit steps on two 64-bit approximations of
//! the operands (the low 31 bits and the top 33), 31 steps at a time, and
//! applies the 31 steps to the full numbers as one linear combination with
//! small coefficients. Limbs are 31 bits wide so that those combinations
//! fit `i64` without carries in between.
//!
//! The paper shows that each round still shortens the two operands
//! together by at least 31 bits despite the approximations, so
//! `⌈(2·381 − 1)/31⌉ = 25` rounds reach the GCD; two more are run (a round
//! after the end changes nothing), and the answer is checked with one
//! product: if `x·x⁻¹ ≠ 1`, arkworks' inversion answers instead. The tests
//! hold the binary GCD alone, without that fallback, to arkworks' answers on
//! 2,400 inputs (edges, powers of two, random).

use ark_ff::{Field, One, Zero};

use super::fq32::Fq;

/// Bits per limb.
const W: u32 = 31;
const MASK: i64 = (1 << W) - 1;
/// Limbs: 14 × 31 = 434 bits, room for `2³¹·p` and a sign.
const N: usize = 14;
/// Rounds of 31 steps.
const ROUNDS: usize = 27;

type Limbs = [i64; N];

const MODULUS: [u64; 6] = <ark_bls12_381::FqConfig as ark_ff::MontConfig<6>>::MODULUS.0;
const M: Limbs = split(&MODULUS);

/// `−p⁻¹ mod 2³¹`.
const M_NEG_INV: i64 = {
    let p0 = M[0];
    let mut inv: i64 = 1;
    let mut i = 0;
    while i < 5 {
        inv = (inv * (2 - ((p0 * inv) & MASK))) & MASK;
        i += 1;
    }
    (-inv) & MASK
};

/// 31-bit limbs of a 384-bit number.
const fn split(x: &[u64; 6]) -> Limbs {
    let mut out = [0i64; N];
    let mut k = 0;
    while k < N {
        let bit = W as usize * k;
        let (w, off) = (bit / 64, bit % 64);
        let mut v = if w < 6 { x[w] >> off } else { 0 };
        if off + W as usize > 64 && w + 1 < 6 {
            v |= x[w + 1] << (64 - off);
        }
        out[k] = (v as i64) & MASK;
        k += 1;
    }
    out
}

/// The 384-bit number of normalized limbs (the value is below `2³⁸⁴`).
fn join(l: &Limbs) -> [u64; 6] {
    let mut out = [0u64; 6];
    for (k, &limb) in l.iter().enumerate() {
        let bit = W as usize * k;
        let (w, off) = (bit / 64, bit % 64);
        if w < 6 {
            out[w] |= (limb as u64) << off;
        }
        if off + W as usize > 64 && w + 1 < 6 {
            out[w + 1] |= (limb as u64) >> (64 - off);
        }
    }
    out
}

/// The bit length of a non-negative number.
fn bit_len(x: &Limbs) -> u32 {
    for k in (0..N).rev() {
        if x[k] != 0 {
            return W * k as u32 + (64 - (x[k] as u64).leading_zeros());
        }
    }
    0
}

/// `⌊x / 2^start⌋ mod 2⁶⁴`.
fn bits_from(x: &Limbs, start: u32) -> u64 {
    let (q, r) = ((start / W) as usize, start % W);
    let mut v = 0u64;
    let mut shift = 0i32 - r as i32;
    for &limb in x.iter().skip(q).take(4) {
        let limb = limb as u64;
        v |= if shift >= 0 { limb << shift } else { limb >> -shift };
        shift += W as i32;
        if shift >= 64 {
            break;
        }
    }
    v
}

/// `(a·f₀ + b·g₀) / 2³¹` and `(a·f₁ + b·g₁) / 2³¹` for exactly divisible
/// sums, in one pass: limbs of the magnitudes and whether each was negative.
fn combine_shift(a: &Limbs, b: &Limbs, (f0, g0): (i64, i64), (f1, g1): (i64, i64)) -> ([Limbs; 2], [bool; 2]) {
    let mut out = [[0i64; N]; 2];
    let (mut c0, mut c1) = (0i64, 0i64);
    for k in 0..N {
        let s0 = a[k] * f0 + b[k] * g0 + c0;
        let s1 = a[k] * f1 + b[k] * g1 + c1;
        if k > 0 {
            out[0][k - 1] = s0 & MASK;
            out[1][k - 1] = s1 & MASK;
        }
        c0 = s0 >> W;
        c1 = s1 >> W;
    }
    // Each carry is the sign (0 or −1) above 14 limbs; the top limb after
    // the shift holds it.
    out[0][N - 1] = c0 & MASK;
    out[1][N - 1] = c1 & MASK;
    let negative = [c0 < 0, c1 < 0];
    for (x, &neg) in out.iter_mut().zip(&negative) {
        if neg {
            negate(x);
        }
    }
    (out, negative)
}

/// Two's complement negation over the limbs.
fn negate(x: &mut Limbs) {
    let mut c = 1i64;
    for limb in x.iter_mut() {
        let s = (*limb ^ MASK) + c;
        *limb = s & MASK;
        c = s >> W;
    }
}

/// `(u·f₀ + v·g₀)·2⁻³¹ mod p` and `(u·f₁ + v·g₁)·2⁻³¹ mod p` for `u, v < p`
/// and `|f| + |g| ≤ 2³¹`, in `[0, p)`, in one pass.
fn combine_mod(u: &Limbs, v: &Limbs, (f0, g0): (i64, i64), (f1, g1): (i64, i64)) -> [Limbs; 2] {
    let mut w = [[0i64; N]; 2];
    let mut c = [0i64; 2];
    for k in 0..N {
        let s0 = u[k] * f0 + v[k] * g0 + c[0];
        let s1 = u[k] * f1 + v[k] * g1 + c[1];
        w[0][k] = s0 & MASK;
        w[1][k] = s1 & MASK;
        c = [s0 >> W, s1 >> W];
    }
    // w + t·p ≡ 0 mod 2³¹, then divide exactly; |w| < 2³¹p, so the result
    // lies in (−p, 2p).
    let t = [(w[0][0] * M_NEG_INV) & MASK, (w[1][0] * M_NEG_INV) & MASK];
    let mut out = [[0i64; N]; 2];
    let mut carry = [0i64; 2];
    for k in 0..N {
        let top = if k == N - 1 { [c[0] << W, c[1] << W] } else { [0, 0] };
        let s0 = w[0][k] + top[0] + t[0] * M[k] + carry[0];
        let s1 = w[1][k] + top[1] + t[1] * M[k] + carry[1];
        if k > 0 {
            out[0][k - 1] = s0 & MASK;
            out[1][k - 1] = s1 & MASK;
        }
        carry = [s0 >> W, s1 >> W];
    }
    for (x, cy) in out.iter_mut().zip(carry) {
        x[N - 1] = cy & MASK;
        if cy < 0 {
            // Negative: add p (the two's complement top limb wraps away).
            add_m(x);
        } else if !less_than_m(x) {
            sub_m(x);
        }
    }
    out
}

fn add_m(x: &mut Limbs) {
    let mut c = 0i64;
    for k in 0..N {
        let s = x[k] + M[k] + c;
        x[k] = s & MASK;
        c = s >> W;
    }
}

fn sub_m(x: &mut Limbs) {
    let mut c = 0i64;
    for k in 0..N {
        let s = x[k] - M[k] + c;
        x[k] = s & MASK;
        c = s >> W;
    }
}

fn less_than_m(x: &Limbs) -> bool {
    for k in (0..N).rev() {
        if x[k] != M[k] {
            return x[k] < M[k];
        }
    }
    false
}

/// `y⁻¹ mod p` of a plain integer `0 < y < p`, or `None` if the rounds did
/// not end at `gcd = 1` (never for a prime modulus; the caller checks).
fn binary_gcd_inverse(y: &[u64; 6]) -> [u64; 6] {
    let (mut a, mut b) = (split(y), M);
    let (mut u, mut v) = ([0i64; N], [0i64; N]);
    u[0] = 1;
    for _ in 0..ROUNDS {
        let n = bit_len(&a).max(bit_len(&b)).max(64);
        let approx = |x: &Limbs| ((x[0] & MASK) as u64) | (bits_from(x, n - 33) << W);
        let (mut xa, mut xb) = (approx(&a), approx(&b));
        let (mut f0, mut g0, mut f1, mut g1) = (1i64, 0i64, 0i64, 1i64);
        for _ in 0..W {
            // Branch-free (the branches are unpredictable): if xa is odd,
            // swap when xa < xb, then subtract; always halve xa.
            let odd = 0u64.wrapping_sub(xa & 1);
            let swap = odd & 0u64.wrapping_sub(u64::from(xa < xb));
            let t = (xa ^ xb) & swap;
            (xa, xb) = (xa ^ t, xb ^ t);
            let swap = swap as i64;
            let t = (f0 ^ f1) & swap;
            (f0, f1) = (f0 ^ t, f1 ^ t);
            let t = (g0 ^ g1) & swap;
            (g0, g1) = (g0 ^ t, g1 ^ t);
            let odd_i = odd as i64;
            xa = (xa - (xb & odd)) >> 1;
            f0 -= f1 & odd_i;
            g0 -= g1 & odd_i;
            f1 <<= 1;
            g1 <<= 1;
        }
        let ([na, nb], [neg_a, neg_b]) = combine_shift(&a, &b, (f0, g0), (f1, g1));
        if neg_a {
            (f0, g0) = (-f0, -g0);
        }
        if neg_b {
            (f1, g1) = (-f1, -g1);
        }
        let [nu, nv] = combine_mod(&u, &v, (f0, g0), (f1, g1));
        (a, b, u, v) = (na, nb, nu, nv);
    }
    join(&v)
}

/// `R³ mod p` as the bits of an element: multiplying the plain inverse of
/// `aR` by it (one Montgomery product) gives `a⁻¹R`.
fn r_cubed() -> Fq {
    use std::sync::OnceLock;
    static C: OnceLock<Fq> = OnceLock::new();
    *C.get_or_init(|| Fq::from(2u64).pow([768u64]))
}

/// `a⁻¹`, `None` for zero.
pub fn inverse(a: &Fq) -> Option<Fq> {
    if a.is_zero() {
        return None;
    }
    let plain = binary_gcd_inverse(&(a.0).0);
    let inv = super::fq32::from_bits(plain) * r_cubed();
    if (inv * a).is_one() { Some(inv) } else { super::fq32::ark_inverse(a) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::AdditiveGroup;

    #[test]
    fn inverses_equal_arkworks_at_the_edges_and_at_random() {
        let mut xs = vec![Fq::ONE, -Fq::ONE, Fq::from(2u8), -Fq::from(2u8), Fq::from(3u8), Fq::from(u64::MAX)];
        xs.extend((0..2000).map(|i| super::super::fq32::from_ark(crate::curve::sample(i))));
        // Plain values (not Montgomery bits) that are small, or powers of two.
        xs.extend((0..381).map(|k| super::super::fq32::from_bits({
            let mut b = [0u64; 6];
            b[k / 64] = 1 << (k % 64);
            b
        })));
        for x in xs {
            let plain = binary_gcd_inverse(&(x.0).0);
            let ours = super::super::fq32::from_bits(plain) * r_cubed();
            assert_eq!(Some(ours), super::super::fq32::ark_inverse(&x), "the binary GCD alone, {x}");
            assert_eq!(inverse(&x), x.inverse(), "{x}");
        }
        assert_eq!(inverse(&Fq::ZERO), None);
    }

    #[test]
    fn the_constants_are_what_they_claim() {
        assert_eq!((M[0] * M_NEG_INV) & MASK, MASK, "p·(−p⁻¹) ≡ −1 mod 2³¹");
        assert_eq!(join(&M), MODULUS);
    }
}
