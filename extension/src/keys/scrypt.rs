//! scrypt (RFC 7914), written out here because keystore files need it
//! without RFC 7914's `n < 2^(16·r)` rule.
//!
//! The Web3 Secret Storage test vector itself uses `n = 2^18, r = 1`, which
//! that rule forbids and which every Ethereum wallet nevertheless reads; the
//! `scrypt` crate enforces the rule, so the wallet carries the function
//! (PBKDF2-HMAC-SHA256 → ROMix with BlockMix over Salsa20/8 → PBKDF2). Cost
//! bounds are the caller's job ([`super::keystore`] caps memory first).

use sha2::Sha256;
use zeroize::Zeroizing;

/// The Salsa20/8 core on 16 little-endian words, in place.
fn salsa20_8(b: &mut [u32; 16]) {
    let mut x = *b;
    for _ in 0..4 {
        macro_rules! qr {
            ($a:expr, $b:expr, $c:expr, $d:expr) => {
                x[$b] ^= x[$a].wrapping_add(x[$d]).rotate_left(7);
                x[$c] ^= x[$b].wrapping_add(x[$a]).rotate_left(9);
                x[$d] ^= x[$c].wrapping_add(x[$b]).rotate_left(13);
                x[$a] ^= x[$d].wrapping_add(x[$c]).rotate_left(18);
            };
        }
        // Column round, then row round.
        qr!(0, 4, 8, 12);
        qr!(5, 9, 13, 1);
        qr!(10, 14, 2, 6);
        qr!(15, 3, 7, 11);
        qr!(0, 1, 2, 3);
        qr!(5, 6, 7, 4);
        qr!(10, 11, 8, 9);
        qr!(15, 12, 13, 14);
    }
    for (bi, xi) in b.iter_mut().zip(x) {
        *bi = bi.wrapping_add(xi);
    }
}

/// BlockMix_{Salsa20/8, r}: `input` is 2r blocks of 16 words; writes `output`.
fn block_mix(input: &[u32], output: &mut [u32], r: usize) {
    let mut x = [0u32; 16];
    x.copy_from_slice(&input[(2 * r - 1) * 16..]);
    for i in 0..2 * r {
        for (xj, bj) in x.iter_mut().zip(&input[i * 16..(i + 1) * 16]) {
            *xj ^= bj;
        }
        salsa20_8(&mut x);
        // Even blocks go to the first half, odd blocks to the second.
        let at = (i / 2 + (i % 2) * r) * 16;
        output[at..at + 16].copy_from_slice(&x);
    }
}

/// ROMix on one `128·r`-byte block, in place (as words).
fn ro_mix(block: &mut [u32], n: usize, r: usize) {
    let words = 32 * r;
    let mut v = Zeroizing::new(vec![0u32; words * n]);
    let mut x = Zeroizing::new(block.to_vec());
    let mut y = Zeroizing::new(vec![0u32; words]);
    for i in 0..n {
        v[i * words..(i + 1) * words].copy_from_slice(&x);
        block_mix(&x, &mut y, r);
        std::mem::swap(&mut x, &mut y);
    }
    for _ in 0..n {
        // Integerify: the first word of the last 64-byte block, mod n (n is a power of two).
        let j = (x[(2 * r - 1) * 16] as usize) & (n - 1);
        for (xk, vk) in x.iter_mut().zip(&v[j * words..(j + 1) * words]) {
            *xk ^= vk;
        }
        block_mix(&x, &mut y, r);
        std::mem::swap(&mut x, &mut y);
    }
    block.copy_from_slice(&x);
}

/// scrypt(password, salt, n = 2^log_n, r, p) into `out`.
///
/// The caller bounds `log_n`, `r` and `p`; this function only refuses values
/// that cannot work at all (zero, or sizes that overflow).
pub fn scrypt(password: &[u8], salt: &[u8], log_n: u8, r: u32, p: u32, out: &mut [u8]) -> Result<(), &'static str> {
    if log_n == 0 || log_n >= 40 || r == 0 || p == 0 {
        return Err("scrypt needs 1 ≤ log2(n) < 40, r ≥ 1 and p ≥ 1");
    }
    let (n, r, p) = (1usize << log_n, r as usize, p as usize);
    let block_bytes = 128usize.checked_mul(r).ok_or("scrypt r is too large")?;
    block_bytes.checked_mul(n).ok_or("scrypt n·r is too large")?;
    let total = block_bytes.checked_mul(p).ok_or("scrypt r·p is too large")?;
    let mut b = Zeroizing::new(vec![0u8; total]);
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, 1, &mut b);
    let mut words = Zeroizing::new(vec![0u32; block_bytes / 4]);
    for chunk in b.chunks_mut(block_bytes) {
        for (w, bytes) in words.iter_mut().zip(chunk.chunks(4)) {
            *w = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        ro_mix(&mut words, n, r);
        for (w, bytes) in words.iter().zip(chunk.chunks_mut(4)) {
            bytes.copy_from_slice(&w.to_le_bytes());
        }
    }
    pbkdf2::pbkdf2_hmac::<Sha256>(password, &b, 1, out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7914 section 12 test vectors (the two that run in well under a second).
    #[test]
    fn rfc7914_vectors() {
        let cases: [(&[u8], &[u8], u8, u32, u32, &str); 2] = [
            (b"", b"", 4, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
            (b"password", b"NaCl", 10, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        ];
        for (password, salt, log_n, r, p, expected) in cases {
            let mut out = [0u8; 64];
            scrypt(password, salt, log_n, r, p, &mut out).expect("valid parameters");
            assert_eq!(hex::encode(out), expected);
        }
    }

    #[test]
    fn impossible_parameters_are_refused() {
        let mut out = [0u8; 32];
        assert!(scrypt(b"", b"", 0, 1, 1, &mut out).is_err());
        assert!(scrypt(b"", b"", 4, 0, 1, &mut out).is_err());
        assert!(scrypt(b"", b"", 4, 1, 0, &mut out).is_err());
    }
}
