//! The BLS12-381 base field with multiplication on 32-bit limbs.
//!
//! Same field, same Montgomery form (`R = 2^384`, so an element's six `u64`
//! limbs are bit-for-bit those of `ark_bls12_381::Fq`), different
//! multiplication. arkworks multiplies 64-bit limbs through `u128`, which
//! wasm32 has no instruction for: every limb product becomes a call to
//! compiler-rt's `__multi3`, a full 128×128-bit multiply. Here the limbs are
//! split into twelve 32-bit halves whose products fit an `i64`, so the inner
//! loops are plain `i64.mul`/`i64.add`: 0.19 µs a product against 0.27–0.31
//! µs for arkworks' in Chromium 156 (a loop of products, same page).
//!
//! Multiplication, squaring and the sum of two products (what an `Fp2`
//! multiplication asks for) are ours, and inversion (the binary GCD of
//! [`super::inverse`], with arkworks' as its fallback); addition, square
//! roots and conversions delegate to arkworks' own backend on the same bits.
//! A square is the product of an element with itself: a dedicated squaring
//! (cross products once, doubled) measured no faster in V8.
//!
//! Tried in session 7 and dropped (Chromium 156, A/B in one page): 14
//! unsaturated 28-bit limbs with no carries in the loop (2× slower: the
//! shifting accumulator spilled, and fully unrolled it bloated the pairing),
//! the outer loop unrolled (1.2× slower), two rows per pass over the
//! accumulator (no faster), limbs read from the `u64` words on the fly (a
//! product 6% faster, a sum of two products 12% slower), `simd128` codegen
//! (no change), and double-width "lazy" `Fq6` products (slower: a bare
//! 384×384 product costs as much as a Montgomery one here).
//!
//! The modulus has a spare top bit (`p < 2^381`), which is what lets the
//! Montgomery loop drop its last carry word and lets the sum of two products
//! be reduced once: `2p² < p·R`.

use ark_bls12_381::FqConfig as ArkFqConfig;
use ark_ff::fields::models::fp::{Fp, FpConfig, MontBackend, MontConfig};
use ark_ff::{BigInt, SqrtPrecomputation};
use core::marker::PhantomData;

/// arkworks' backend for the same field: the delegate for everything but products.
type Ark = MontBackend<ArkFqConfig, 6>;
type ArkFq = ark_bls12_381::Fq;

/// The BLS12-381 base field, multiplied on 32-bit limbs.
pub type Fq = Fp<Fq32Backend, 6>;

/// The [`FpConfig`] of [`Fq`].
pub struct Fq32Backend;

const MODULUS: [u64; 6] = <ArkFqConfig as MontConfig<6>>::MODULUS.0;

/// The modulus in twelve little-endian 32-bit limbs.
const P: [u32; 12] = split(&MODULUS);

/// `−p⁻¹ mod 2³²`, by Newton's iteration (each step doubles the correct bits).
const INV: u32 = {
    let mut inv: u32 = 1;
    let mut i = 0;
    while i < 5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(P[0].wrapping_mul(inv)));
        i += 1;
    }
    inv.wrapping_neg()
};

/// An arkworks element with the same bits (free: both are six `u64` limbs).
#[inline(always)]
pub const fn to_ark(a: &Fq) -> ArkFq {
    Fp::new_unchecked(a.0)
}

/// Ours from an arkworks element with the same bits.
#[inline(always)]
pub const fn from_ark(a: ArkFq) -> Fq {
    Fp(a.0, PhantomData)
}

/// The element with these Montgomery bits (`bits < p`).
#[inline(always)]
pub(crate) const fn from_bits(bits: [u64; 6]) -> Fq {
    Fp(BigInt(bits), PhantomData)
}

/// An arkworks element's inverse through ours (the binary GCD of [`super::inverse`]).
pub(crate) fn inverse_of_ark(a: &ArkFq) -> Option<ArkFq> {
    super::inverse::inverse(&from_ark(*a)).map(|x| to_ark(&x))
}

/// arkworks' inversion on the same bits (the fallback of [`super::inverse`]).
pub(crate) fn ark_inverse(a: &Fq) -> Option<Fq> {
    Ark::inverse(&to_ark(a)).map(from_ark)
}

#[inline(always)]
const fn split(x: &[u64; 6]) -> [u32; 12] {
    let mut out = [0u32; 12];
    let mut i = 0;
    while i < 6 {
        out[2 * i] = x[i] as u32;
        out[2 * i + 1] = (x[i] >> 32) as u32;
        i += 1;
    }
    out
}


/// `x − p` if `x ≥ p` (inputs are below `2p`).
#[inline(always)]
fn reduce_once(mut x: [u64; 6]) -> [u64; 6] {
    let mut geq = true;
    for i in (0..6).rev() {
        if x[i] != MODULUS[i] {
            geq = x[i] > MODULUS[i];
            break;
        }
    }
    if geq {
        let mut borrow = false;
        for i in 0..6 {
            let (d, b1) = x[i].overflowing_sub(MODULUS[i]);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            x[i] = d;
            borrow = b1 | b2;
        }
    }
    x
}

/// `a/2`: `a` or `a + p`, whichever is even, shifted right (halving is
/// linear, so the Montgomery form halves the same way). `a + p < 2³⁸²`.
pub fn halve(a: Fq) -> Fq {
    let mut x = (a.0).0;
    if x[0] & 1 == 1 {
        let mut carry = false;
        for (xi, pi) in x.iter_mut().zip(MODULUS) {
            let (s, c1) = xi.overflowing_add(pi);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            *xi = s;
            carry = c1 | c2;
        }
    }
    for i in 0..6 {
        x[i] = (x[i] >> 1) | if i < 5 { x[i + 1] << 63 } else { 0 };
    }
    Fp(BigInt(x), PhantomData)
}

/// `t += a·y` on twelve 32-bit limbs (each `t[j]` stays below `2³²`), the
/// carry out into `t[12]`.
#[inline(always)]
fn add_row(t: &mut [u64; 13], a: &[u32; 12], y: u64) {
    let mut c = 0u64;
    for j in 0..12 {
        let s = t[j] + u64::from(a[j]) * y + c;
        t[j] = s & 0xffff_ffff;
        c = s >> 32;
    }
    t[12] += c;
}

/// `a₀b₀ + a₁b₁` reduced once: CIOS with both products added into the
/// accumulator before each reduction step (`2p² < p·R`, so one step per limb
/// and one final subtraction still suffice).
#[inline(always)]
fn mont_sum2(a0: &[u64; 6], b0: &[u64; 6], a1: &[u64; 6], b1: &[u64; 6]) -> [u64; 6] {
    let (a0, b0, a1, b1) = (split(a0), split(b0), split(a1), split(b1));
    let mut t = [0u64; 13];
    for i in 0..12 {
        add_row(&mut t, &a0, u64::from(b0[i]));
        add_row(&mut t, &a1, u64::from(b1[i]));
        let m = u64::from((t[0] as u32).wrapping_mul(INV));
        let mut c = (t[0] + m * u64::from(P[0])) >> 32;
        for j in 1..12 {
            let s = t[j] + m * u64::from(P[j]) + c;
            t[j - 1] = s & 0xffff_ffff;
            c = s >> 32;
        }
        let s = t[12] + c;
        t[11] = s & 0xffff_ffff;
        t[12] = s >> 32;
    }
    let mut out = [0u64; 6];
    for i in 0..6 {
        out[i] = t[2 * i] | (t[2 * i + 1] << 32);
    }
    reduce_once(out)
}

/// Montgomery product `a·b·R⁻¹ mod p`: CIOS on 32-bit limbs, product and
/// reduction in one pass per limb of `b`, with no final carry word thanks to
/// the spare bit. The accumulator's limbs are kept in `u64` (each below
/// `2³²` between steps), which V8 runs about a fifth faster than `u32` limbs
/// widened at every step (measured in Chromium 156).
#[inline(always)]
fn mont_mul(a: &[u64; 6], b: &[u64; 6]) -> [u64; 6] {
    let a = split(a);
    let b = split(b);
    let mut t = [0u64; 12];
    for &bi in &b {
        let bi = u64::from(bi);
        let s = t[0] + u64::from(a[0]) * bi;
        let m = u64::from((s as u32).wrapping_mul(INV));
        let mut c1 = s >> 32;
        let mut c2 = ((s & 0xffff_ffff) + m * u64::from(P[0])) >> 32;
        for j in 1..12 {
            let s = t[j] + u64::from(a[j]) * bi + c1;
            c1 = s >> 32;
            let s2 = (s & 0xffff_ffff) + m * u64::from(P[j]) + c2;
            c2 = s2 >> 32;
            t[j - 1] = s2 & 0xffff_ffff;
        }
        t[11] = c1 + c2;
    }
    let mut out = [0u64; 6];
    for i in 0..6 {
        out[i] = t[2 * i] | (t[2 * i + 1] << 32);
    }
    reduce_once(out)
}

const fn sqrt_precomp() -> Option<SqrtPrecomputation<Fq>> {
    match <Ark as FpConfig<6>>::SQRT_PRECOMP {
        Some(SqrtPrecomputation::Case3Mod4 {
            modulus_plus_one_div_four,
        }) => Some(SqrtPrecomputation::Case3Mod4 {
            modulus_plus_one_div_four,
        }),
        _ => panic!("the BLS12-381 base field has p ≡ 3 mod 4"),
    }
}

impl FpConfig<6> for Fq32Backend {
    const MODULUS: BigInt<6> = BigInt(MODULUS);
    const GENERATOR: Fq = from_ark(<Ark as FpConfig<6>>::GENERATOR);
    const ZERO: Fq = from_ark(<Ark as FpConfig<6>>::ZERO);
    const ONE: Fq = from_ark(<Ark as FpConfig<6>>::ONE);
    const TWO_ADICITY: u32 = <Ark as FpConfig<6>>::TWO_ADICITY;
    const TWO_ADIC_ROOT_OF_UNITY: Fq = from_ark(<Ark as FpConfig<6>>::TWO_ADIC_ROOT_OF_UNITY);
    const SQRT_PRECOMP: Option<SqrtPrecomputation<Fq>> = sqrt_precomp();

    #[inline(always)]
    fn add_assign(a: &mut Fq, b: &Fq) {
        let mut x = to_ark(a);
        Ark::add_assign(&mut x, &to_ark(b));
        a.0 = x.0;
    }

    #[inline(always)]
    fn sub_assign(a: &mut Fq, b: &Fq) {
        let mut x = to_ark(a);
        Ark::sub_assign(&mut x, &to_ark(b));
        a.0 = x.0;
    }

    #[inline(always)]
    fn double_in_place(a: &mut Fq) {
        let mut x = to_ark(a);
        Ark::double_in_place(&mut x);
        a.0 = x.0;
    }

    #[inline(always)]
    fn neg_in_place(a: &mut Fq) {
        let mut x = to_ark(a);
        Ark::neg_in_place(&mut x);
        a.0 = x.0;
    }

    #[inline(always)]
    fn mul_assign(a: &mut Fq, b: &Fq) {
        a.0 = BigInt(mont_mul(&(a.0).0, &(b.0).0));
    }

    #[inline(always)]
    fn sum_of_products<const T: usize>(a: &[Fq; T], b: &[Fq; T]) -> Fq {
        if T == 2 {
            return Fp(BigInt(mont_sum2(&(a[0].0).0, &(b[0].0).0, &(a[1].0).0, &(b[1].0).0)), PhantomData);
        }
        let mut sum = Self::ZERO;
        for (x, y) in a.iter().zip(b) {
            let mut p = *x;
            Self::mul_assign(&mut p, y);
            Self::add_assign(&mut sum, &p);
        }
        sum
    }

    #[inline(always)]
    fn square_in_place(a: &mut Fq) {
        a.0 = BigInt(mont_mul(&(a.0).0, &(a.0).0));
    }

    fn inverse(a: &Fq) -> Option<Fq> {
        super::inverse::inverse(a)
    }

    fn from_bigint(other: BigInt<6>) -> Option<Fq> {
        Ark::from_bigint(other).map(from_ark)
    }

    fn into_bigint(other: Fq) -> BigInt<6> {
        Ark::into_bigint(to_ark(&other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{AdditiveGroup, Field, PrimeField};
    use sha2::{Digest, Sha512};

    /// Elements that stress the carries: 0, 1, p−1, p−2, and small values.
    fn edge() -> Vec<ArkFq> {
        vec![
            ArkFq::from(0u8),
            ArkFq::from(1u8),
            -ArkFq::from(1u8),
            -ArkFq::from(2u8),
            ArkFq::from(u64::MAX),
        ]
    }

    /// Edge values and 200 pseudo-random ones (SHA-512 of a counter, reduced).
    fn samples() -> Vec<ArkFq> {
        let mut v = edge();
        v.extend(
            (0u32..200).map(|i| ArkFq::from_le_bytes_mod_order(&Sha512::digest(i.to_le_bytes()))),
        );
        v
    }

    #[test]
    fn the_montgomery_constant_inverts_the_modulus() {
        assert_eq!(P[0].wrapping_mul(INV.wrapping_neg()), 1);
    }

    #[test]
    fn products_equal_arkworks() {
        let s = samples();
        for x in &s {
            for y in s.iter().step_by(7) {
                assert_eq!(to_ark(&(from_ark(*x) * from_ark(*y))), *x * y, "{x} * {y}");
            }
            assert_eq!(to_ark(&from_ark(*x).square()), x.square(), "{x}²");
        }
    }

    #[test]
    fn sums_of_products_equal_arkworks() {
        let s = samples();
        for w in s.windows(4) {
            let ours = Fq::sum_of_products(
                &[from_ark(w[0]), from_ark(w[1])],
                &[from_ark(w[2]), from_ark(w[3])],
            );
            assert_eq!(to_ark(&ours), w[0] * w[2] + w[1] * w[3]);
            let three = Fq::sum_of_products(
                &[from_ark(w[0]), from_ark(w[1]), from_ark(w[2])],
                &[from_ark(w[3]), from_ark(w[2]), from_ark(w[1])],
            );
            assert_eq!(to_ark(&three), w[0] * w[3] + w[1] * w[2] + w[2] * w[1]);
        }
    }

    #[test]
    fn the_rest_delegates_on_the_same_bits() {
        for x in samples() {
            let ours = from_ark(x);
            assert_eq!(ours.into_bigint(), x.into_bigint());
            assert_eq!(ours.inverse().map(|i| to_ark(&i)), x.inverse());
            assert_eq!(ours.sqrt().map(|r| to_ark(&r)), x.sqrt());
            assert_eq!(to_ark(&(ours + ours.double() - ours)), x + x.double() - x);
            assert_eq!(to_ark(&halve(ours).double()), x, "halving");
        }
        assert_eq!(to_ark(&Fq::from(12345u64)), ArkFq::from(12345u64));
    }
}
