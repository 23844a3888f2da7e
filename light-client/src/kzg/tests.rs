//! Round-trip and tamper tests against the ceremony setup in `vectors/kzg`.
//! They are slow in debug builds; run them with `--release`.

use std::sync::OnceLock;

use super::*;

fn setup() -> &'static TrustedSetup {
    static SETUP: OnceLock<TrustedSetup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/kzg/trusted_setup.txt");
        let text = std::fs::read_to_string(path).expect("vectors/kzg/trusted_setup.txt is readable");
        TrustedSetup::from_ceremony_text(&text).expect("the ceremony setup loads")
    })
}

/// A deterministic blob of canonical field elements (top byte kept small).
fn blob(seed: u64) -> Blob {
    let mut bytes = vec![0u8; BYTES_PER_BLOB];
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for (i, b) in bytes.iter_mut().enumerate() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = if i % 32 == 0 { (x as u8) & 0x3f } else { x as u8 };
    }
    Blob::from_bytes(&bytes).expect("right length")
}

#[test]
fn blob_proof_round_trip_and_tamper() {
    let s = setup();
    let b = blob(1);
    let c = s.blob_to_kzg_commitment(&b).expect("valid blob");
    let p = s.compute_blob_kzg_proof(&b, &c).expect("valid blob");
    assert_eq!(s.verify_blob_kzg_proof(&b, &c, &p), Ok(true));
    let other = s.blob_to_kzg_commitment(&blob(2)).expect("valid blob");
    assert_eq!(s.verify_blob_kzg_proof(&b, &other, &p), Ok(false));
    assert_eq!(s.verify_blob_kzg_proof_batch(&[b.clone(), blob(2)], &[c, other], &[p, p]), Ok(false));

    let z = [7u8; 32];
    let (proof, y) = s.compute_kzg_proof(&b, &z).expect("valid inputs");
    assert_eq!(s.verify_kzg_proof(&c, &z, &y, &proof), Ok(true));
    let mut y2 = y;
    y2[31] ^= 1;
    assert_eq!(s.verify_kzg_proof(&c, &z, &y2, &proof), Ok(false));
}

#[test]
fn cells_round_trip_tamper_and_recover_from_half() {
    let s = setup();
    let b = blob(3);
    let c = s.blob_to_kzg_commitment(&b).expect("valid blob");
    let (cells, proofs) = s.compute_cells_and_kzg_proofs(&b).expect("valid blob");
    assert_eq!(cells.len(), CELLS_PER_EXT_BLOB);
    // The first 64 cells are the blob itself (the extension is systematic).
    let first: Vec<u8> = cells[..64].iter().flat_map(|c| c.as_bytes().to_vec()).collect();
    assert_eq!(first, b.as_bytes().to_vec());

    let idx: Vec<CellIndex> = [0u64, 5, 64, 127].iter().map(|&i| CellIndex::new(i).expect("in range")).collect();
    let pick = |v: &[Cell]| -> Vec<Cell> { idx.iter().map(|i| v[i.as_usize()].clone()).collect() };
    let pick_p: Vec<Proof> = idx.iter().map(|i| proofs[i.as_usize()]).collect();
    let commits = vec![c; idx.len()];
    assert_eq!(s.verify_cell_kzg_proof_batch(&commits, &idx, &pick(&cells), &pick_p), Ok(true));
    let mut bad = pick(&cells);
    let mut bytes = bad[2].as_bytes().to_vec();
    bytes[100] ^= 1;
    bad[2] = Cell::from_bytes(&bytes).expect("right length");
    assert_eq!(s.verify_cell_kzg_proof_batch(&commits, &idx, &bad, &pick_p), Ok(false));
    let mut swapped = pick_p.clone();
    swapped.swap(0, 1);
    assert_eq!(s.verify_cell_kzg_proof_batch(&commits, &idx, &pick(&cells), &swapped), Ok(false));

    // Recovery from exactly half: every odd cell.
    let half: Vec<CellIndex> = (0..64u64).map(|i| CellIndex::new(2 * i + 1).expect("in range")).collect();
    let half_cells: Vec<Cell> = half.iter().map(|i| cells[i.as_usize()].clone()).collect();
    let (rc, rp) = s.recover_cells_and_kzg_proofs(&half, &half_cells).expect("enough cells");
    assert_eq!(rc, cells);
    assert_eq!(rp, proofs);
    assert_eq!(s.recover_cells_and_kzg_proofs(&half[1..], &half_cells[1..]), Err(KzgError::NotEnoughCells(63)));
}

#[test]
fn fk20_matches_direct_quotient() {
    use ark_bls12_381::{Fr, G1Projective};
    use ark_ec::VariableBaseMSM;
    let s = setup();
    let coeffs = s.polynomial_eval_to_coeff(encoding::blob_to_polynomial(&blob(4)).expect("valid"));
    let fk = s.fk20_table().prove(&coeffs);
    for k in [0usize, 1, 77, 127] {
        // q = f div (X^64 - c) by schoolbook division from the top.
        let c = s.verifier.domains.coset_shift_pow_n[k];
        let mut rem = coeffs.clone();
        let mut q = vec![Fr::from(0u64); FIELD_ELEMENTS_PER_BLOB - FIELD_ELEMENTS_PER_CELL];
        for i in (FIELD_ELEMENTS_PER_CELL..FIELD_ELEMENTS_PER_BLOB).rev() {
            q[i - FIELD_ELEMENTS_PER_CELL] = rem[i];
            let t = rem[i] * c;
            rem[i - FIELD_ELEMENTS_PER_CELL] += t;
        }
        let direct = G1Projective::msm_unchecked(&s.g1_monomial[..q.len()], &q);
        assert_eq!(direct, fk[k], "cell {k}");
    }
}

#[test]
fn verifier_setup_matches_full_setup() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/kzg/trusted_setup.txt");
    let text = std::fs::read_to_string(path).expect("readable");
    let v = VerifierSetup::from_text(&text).expect("valid");
    assert_eq!(v.g2_s, setup().verifier.g2_s);
    assert_eq!(v.g1_monomial_cell, setup().verifier.g1_monomial_cell);
    assert!(matches!(TrustedSetup::from_ceremony_text(&text[1..]), Err(KzgError::NotCeremonySetup)));
}
