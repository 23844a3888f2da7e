//! Loading the Ethereum KZG ceremony's trusted setup (deneb `KZG_SETUP_G1_LAGRANGE`,
//! `KZG_SETUP_G2_MONOMIAL`; fulu `KZG_SETUP_G1_MONOMIAL`).
//!
//! The text format is c-kzg-4844's: `4096`, `65`, then 4096 G1 points in
//! Lagrange form, 65 G2 points in monomial form and 4096 G1 points in monomial
//! form, each compressed and hex-encoded, separated by whitespace.
//!
//! Two setups exist because their costs differ by three orders of magnitude:
//!
//! - [`VerifierSetup`] is all that the verification functions need: the G2
//!   powers `[1]`, `[s]`, `[s^64]` and the first 64 monomial G1 points (for
//!   the interpolation term of the cell equation). It decodes 67 points and
//!   skips the rest of the text, so a browser verifier cold-starts in
//!   milliseconds.
//! - [`TrustedSetup`] is the prover's: all 8192 G1 points. Decoding them with
//!   subgroup checks dominates its construction, so
//!   [`TrustedSetup::from_ceremony_text`] skips the subgroup checks when the
//!   text hashes to the published ceremony file (points are still checked to
//!   be on the curve). Inputs from the network (commitments, proofs, cells)
//!   are validated in full whatever path loaded the setup.

use std::sync::OnceLock;

use ark_bls12_381::{Fr, G1Affine, G2Affine};
use sha2::{Digest, Sha256};

use super::encoding::{setup_g1, setup_g2};
use super::fft::{Domain, bit_reverse_permute, powers, primitive_root, reverse_bits};
use super::{CELLS_PER_EXT_BLOB, FIELD_ELEMENTS_PER_BLOB, FIELD_ELEMENTS_PER_CELL, FIELD_ELEMENTS_PER_EXT_BLOB, KzgError};

/// Number of G2 monomial points in the ceremony file.
pub const NUM_G2_POINTS: usize = 65;

/// SHA-256 of the ceremony file as distributed with c-kzg-4844
/// (`trusted_setup.txt`, LF line endings, trailing newline).
pub const CEREMONY_SETUP_SHA256: [u8; 32] = [
    0xd3, 0x9b, 0x9f, 0x2d, 0x04, 0x7c, 0xc9, 0xdc, 0xa2, 0xde, 0x58, 0xf2, 0x64, 0xb6, 0xa0, 0x94, 0x48, 0xcc, 0xd3,
    0x4d, 0xb9, 0x67, 0x88, 0x1a, 0x67, 0x13, 0xea, 0xca, 0xcf, 0x0f, 0x26, 0xb7,
];

/// `KZG_SETUP_G2_MONOMIAL[0, 1, 64]` and `KZG_SETUP_G1_MONOMIAL[..64]` of the ceremony.
const CEREMONY_VERIFIER_POINTS: &str = include_str!("ceremony_verifier.txt");

fn bad(msg: impl Into<String>) -> KzgError {
    KzgError::InvalidTrustedSetup(msg.into())
}

/// The whitespace-separated tokens of a setup text, checked for shape only.
struct Tokens<'a> {
    g1_lagrange: Vec<&'a str>,
    g2_monomial: Vec<&'a str>,
    g1_monomial: Vec<&'a str>,
}

impl<'a> Tokens<'a> {
    fn split(text: &'a str) -> Result<Self, KzgError> {
        let mut it = text.split_ascii_whitespace();
        let n1: usize = it.next().and_then(|t| t.parse().ok()).ok_or_else(|| bad("missing G1 count"))?;
        let n2: usize = it.next().and_then(|t| t.parse().ok()).ok_or_else(|| bad("missing G2 count"))?;
        if n1 != FIELD_ELEMENTS_PER_BLOB || n2 != NUM_G2_POINTS {
            return Err(bad(format!("expected 4096 G1 and 65 G2 points, header says {n1} and {n2}")));
        }
        let rest: Vec<&str> = it.collect();
        if rest.len() != 2 * n1 + n2 {
            return Err(bad(format!("expected {} points, found {}", 2 * n1 + n2, rest.len())));
        }
        let check = |t: &str, len: usize, what: &str| -> Result<(), KzgError> {
            let t = t.strip_prefix("0x").unwrap_or(t);
            if t.len() == len && t.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err(bad(format!("malformed {what} point {t:?}")))
            }
        };
        let (g1_lagrange, rest) = rest.split_at(n1);
        let (g2_monomial, g1_monomial) = rest.split_at(n2);
        for t in g1_lagrange.iter().chain(g1_monomial) {
            check(t, 96, "G1")?;
        }
        for t in g2_monomial {
            check(t, 192, "G2")?;
        }
        Ok(Self { g1_lagrange: g1_lagrange.to_vec(), g2_monomial: g2_monomial.to_vec(), g1_monomial: g1_monomial.to_vec() })
    }
}

fn hex_bytes(t: &str) -> Result<Vec<u8>, KzgError> {
    hex::decode(t.strip_prefix("0x").unwrap_or(t)).map_err(|e| bad(format!("bad hex: {e}")))
}

fn decode_g1s(tokens: &[&str], checked: bool, what: &str) -> Result<Vec<G1Affine>, KzgError> {
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| setup_g1(&hex_bytes(t)?, checked).ok_or_else(|| bad(format!("{what} point {i} is not valid"))))
        .collect()
}

fn decode_g2(tokens: &[&str], i: usize, checked: bool) -> Result<G2Affine, KzgError> {
    let t = tokens.get(i).ok_or_else(|| bad(format!("missing G2 point {i}")))?;
    setup_g2(&hex_bytes(t)?, checked).ok_or_else(|| bad(format!("G2 monomial point {i} is not valid")))
}

/// Domain data every verifier needs, derived from constants (no setup points).
#[derive(Clone, Debug)]
pub(crate) struct VerifierDomains {
    /// `bit_reversal_permutation(compute_roots_of_unity(FIELD_ELEMENTS_PER_BLOB))`.
    pub roots_brp: Vec<Fr>,
    /// The size-64 subgroup that every cell's coset is a shift of.
    pub cell_domain: Domain,
    /// `coset_shift_for_cell(k)^-1`.
    pub coset_shift_inv: Vec<Fr>,
    /// `coset_shift_for_cell(k)^FIELD_ELEMENTS_PER_CELL`.
    pub coset_shift_pow_n: Vec<Fr>,
}

impl VerifierDomains {
    fn new() -> Self {
        let mut roots_brp = Domain::new(FIELD_ELEMENTS_PER_BLOB).roots;
        bit_reverse_permute(&mut roots_brp);
        // brp(roots_8192)[64 k] = w_8192^(reverse_bits(64 k, 8192)) = w_8192^(reverse_bits(k, 128)).
        let w = powers(primitive_root(FIELD_ELEMENTS_PER_EXT_BLOB), CELLS_PER_EXT_BLOB);
        // coset_shift_for_cell(k) for every cell index k.
        let coset_shift: Vec<Fr> = (0..CELLS_PER_EXT_BLOB).map(|k| w[reverse_bits(k, CELLS_PER_EXT_BLOB)]).collect();
        let mut coset_shift_inv = coset_shift.clone();
        ark_ff::batch_inversion(&mut coset_shift_inv);
        let coset_shift_pow_n = coset_shift.iter().map(|h| ark_ff::Field::pow(h, [FIELD_ELEMENTS_PER_CELL as u64])).collect();
        Self { roots_brp, cell_domain: Domain::new(FIELD_ELEMENTS_PER_CELL), coset_shift_inv, coset_shift_pow_n }
    }
}

/// What verification needs from the trusted setup; cheap to build.
#[derive(Clone, Debug)]
pub struct VerifierSetup {
    /// `KZG_SETUP_G2_MONOMIAL[0]`, `[1]` and `[FIELD_ELEMENTS_PER_CELL]`.
    pub(crate) g2_one: G2Affine,
    pub(crate) g2_s: G2Affine,
    pub(crate) g2_s_pow_n: G2Affine,
    /// `KZG_SETUP_G1_MONOMIAL[..FIELD_ELEMENTS_PER_CELL]`.
    pub(crate) g1_monomial_cell: Vec<G1Affine>,
    pub(crate) domains: VerifierDomains,
}

impl VerifierSetup {
    /// Parses a setup text, decoding (with full validation) only the points a
    /// verifier uses. The rest of the text is checked for shape only.
    pub fn from_text(text: &str) -> Result<Self, KzgError> {
        let tokens = Tokens::split(text)?;
        Self::from_tokens(&tokens, true)
    }

    /// The verifier setup of the Ethereum ceremony, from the 67 points embedded
    /// in this crate (`ceremony_verifier.txt`, cut from the ceremony file), so
    /// a browser verifier needs neither the 800 KB setup text nor a fetch.
    /// The points are still fully validated.
    pub fn ceremony() -> Result<Self, KzgError> {
        let tokens: Vec<&str> = CEREMONY_VERIFIER_POINTS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if tokens.len() != 3 + FIELD_ELEMENTS_PER_CELL {
            return Err(bad("embedded ceremony points are incomplete"));
        }
        let (g2, g1) = tokens.split_at(3);
        Ok(Self {
            g2_one: decode_g2(g2, 0, true)?,
            g2_s: decode_g2(g2, 1, true)?,
            g2_s_pow_n: decode_g2(g2, 2, true)?,
            g1_monomial_cell: decode_g1s(g1, true, "G1 monomial")?,
            domains: VerifierDomains::new(),
        })
    }

    fn from_tokens(tokens: &Tokens<'_>, checked: bool) -> Result<Self, KzgError> {
        Ok(Self {
            g2_one: decode_g2(&tokens.g2_monomial, 0, checked)?,
            g2_s: decode_g2(&tokens.g2_monomial, 1, checked)?,
            g2_s_pow_n: decode_g2(&tokens.g2_monomial, FIELD_ELEMENTS_PER_CELL, checked)?,
            g1_monomial_cell: decode_g1s(&tokens.g1_monomial[..FIELD_ELEMENTS_PER_CELL], checked, "G1 monomial")?,
            domains: VerifierDomains::new(),
        })
    }
}

/// The full setup: everything [`VerifierSetup`] has plus all G1 points, for
/// computing commitments, proofs, cells and recovery.
pub struct TrustedSetup {
    pub(crate) verifier: VerifierSetup,
    /// `bit_reversal_permutation(KZG_SETUP_G1_LAGRANGE)`.
    pub(crate) g1_lagrange_brp: Vec<G1Affine>,
    /// `KZG_SETUP_G1_MONOMIAL`.
    pub(crate) g1_monomial: Vec<G1Affine>,
    pub(crate) blob_domain: Domain,
    pub(crate) ext_domain: Domain,
    pub(crate) fk20: OnceLock<super::fk20::Fk20Table>,
}

impl core::fmt::Debug for TrustedSetup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TrustedSetup").field("fk20_ready", &self.fk20.get().is_some()).finish_non_exhaustive()
    }
}

impl TrustedSetup {
    /// Parses and fully validates a setup text (every point on the curve and
    /// in its subgroup). Correct for any text, and the slowest path.
    pub fn from_text(text: &str) -> Result<Self, KzgError> {
        Self::parse(text, true)
    }

    /// Parses a setup text checking that points are on the curve but not that
    /// they are in the prime-order subgroup. Only for text the caller already
    /// trusts, such as a file whose hash it has checked.
    pub fn from_text_unchecked(text: &str) -> Result<Self, KzgError> {
        Self::parse(text, false)
    }

    /// Parses the Ethereum ceremony file: checks its SHA-256 against
    /// [`CEREMONY_SETUP_SHA256`], then loads it without subgroup checks.
    pub fn from_ceremony_text(text: &str) -> Result<Self, KzgError> {
        if Sha256::digest(text.as_bytes()).as_slice() != CEREMONY_SETUP_SHA256 {
            return Err(KzgError::NotCeremonySetup);
        }
        Self::parse(text, false)
    }

    fn parse(text: &str, checked: bool) -> Result<Self, KzgError> {
        let tokens = Tokens::split(text)?;
        let verifier = VerifierSetup::from_tokens(&tokens, checked)?;
        let mut g1_lagrange_brp = decode_g1s(&tokens.g1_lagrange, checked, "G1 Lagrange")?;
        bit_reverse_permute(&mut g1_lagrange_brp);
        let g1_monomial = decode_g1s(&tokens.g1_monomial, checked, "G1 monomial")?;
        Ok(Self {
            verifier,
            g1_lagrange_brp,
            g1_monomial,
            blob_domain: Domain::new(FIELD_ELEMENTS_PER_BLOB),
            ext_domain: Domain::new(FIELD_ELEMENTS_PER_EXT_BLOB),
            fk20: OnceLock::new(),
        })
    }

    /// The verifier part of this setup.
    pub fn verifier(&self) -> &VerifierSetup {
        &self.verifier
    }

    /// Builds the FK20 tables used by cell proofs now rather than on the first
    /// call that needs them (a few seconds natively).
    pub fn precompute_cell_proofs(&self) {
        self.fk20_table();
    }

    pub(crate) fn fk20_table(&self) -> &super::fk20::Fk20Table {
        self.fk20.get_or_init(|| super::fk20::Fk20Table::new(&self.g1_monomial))
    }
}
