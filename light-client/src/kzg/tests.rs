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
    let embedded = VerifierSetup::ceremony().expect("embedded points are valid");
    assert_eq!(embedded.g2_one, v.g2_one);
    assert_eq!(embedded.g2_s, v.g2_s);
    assert_eq!(embedded.g2_s_pow_n, v.g2_s_pow_n);
    assert_eq!(embedded.g1_monomial_cell, v.g1_monomial_cell);
    assert!(matches!(TrustedSetup::from_ceremony_text(&text[1..]), Err(KzgError::NotCeremonySetup)));
}

/// Rough native timings; run with
/// `cargo test --release -p aloft-light-client kzg::tests::timings -- --ignored --nocapture`.
#[test]
#[ignore]
fn timings() {
    use std::time::Instant;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/kzg/trusted_setup.txt");
    let text = std::fs::read_to_string(path).expect("readable");
    let t = Instant::now();
    let v = VerifierSetup::from_text(&text).expect("valid");
    println!("VerifierSetup::from_text            {:?}", t.elapsed());
    let t = Instant::now();
    let _ = VerifierSetup::ceremony().expect("valid");
    println!("VerifierSetup::ceremony             {:?}", t.elapsed());
    let t = Instant::now();
    let _checked = TrustedSetup::from_text(&text).expect("valid");
    println!("TrustedSetup::from_text (checked)   {:?}", t.elapsed());
    let t = Instant::now();
    let s = TrustedSetup::from_ceremony_text(&text).expect("valid");
    println!("TrustedSetup::from_ceremony_text    {:?}", t.elapsed());
    let t = Instant::now();
    s.precompute_cell_proofs();
    println!("FK20 table                          {:?}", t.elapsed());

    let blobs: Vec<Blob> = (0..32).map(blob).collect();
    let t = Instant::now();
    let commitments: Vec<Commitment> = blobs.iter().map(|b| s.blob_to_kzg_commitment(b).expect("valid")).collect();
    println!("blob_to_kzg_commitment (each)       {:?}", t.elapsed() / 32);
    let t = Instant::now();
    let proofs: Vec<Proof> = blobs.iter().zip(&commitments).map(|(b, c)| s.compute_blob_kzg_proof(b, c).expect("valid")).collect();
    println!("compute_blob_kzg_proof (each)       {:?}", t.elapsed() / 32);
    let t = Instant::now();
    assert_eq!(v.verify_blob_kzg_proof(&blobs[0], &commitments[0], &proofs[0]), Ok(true));
    println!("verify_blob_kzg_proof               {:?}", t.elapsed());
    let t = Instant::now();
    assert_eq!(v.verify_blob_kzg_proof_batch(&blobs, &commitments, &proofs), Ok(true));
    println!("verify_blob_kzg_proof_batch (32)    {:?}", t.elapsed());

    let t = Instant::now();
    let all: Vec<(Vec<Cell>, Vec<Proof>)> = blobs.iter().map(|b| s.compute_cells_and_kzg_proofs(b).expect("valid")).collect();
    println!("compute_cells_and_kzg_proofs (each) {:?}", t.elapsed() / 32);

    let (mut cs, mut is, mut cells, mut ps) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (b, (bc, bp)) in all.iter().enumerate() {
        for j in 0..16u64 {
            let idx = (j * 8 + b as u64) % 128;
            cs.push(commitments[b]);
            is.push(CellIndex::new(idx).expect("in range"));
            cells.push(bc[idx as usize].clone());
            ps.push(bp[idx as usize]);
        }
    }
    let t = Instant::now();
    assert_eq!(v.verify_cell_kzg_proof_batch(&cs, &is, &cells, &ps), Ok(true));
    println!("verify_cell_kzg_proof_batch 16x32   {:?}", t.elapsed());

    let half: Vec<CellIndex> = (64..128u64).map(|i| CellIndex::new(i).expect("in range")).collect();
    let half_cells: Vec<Cell> = half.iter().map(|i| all[0].0[i.as_usize()].clone()).collect();
    let t = Instant::now();
    let (rc, _) = s.recover_cells_and_kzg_proofs(&half, &half_cells).expect("enough");
    println!("recover_cells_and_kzg_proofs        {:?}", t.elapsed());
    assert_eq!(rc, all[0].0);
}

/// Where the time of a 512-cell batch goes (decode, MSM, pairing); `--ignored --nocapture`.
#[test]
#[ignore]
fn timings_breakdown() {
    use ark_bls12_381::{Bls12_381, Fr, G1Affine, G1Projective};
    use ark_ec::pairing::Pairing;
    use ark_ec::{CurveGroup, VariableBaseMSM};
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
    use std::time::Instant;
    let pts: Vec<G1Affine> = setup().g1_monomial[..512].to_vec();
    let bytes: Vec<[u8; 48]> = pts
        .iter()
        .map(|p| {
            let mut b = [0u8; 48];
            p.serialize_compressed(&mut b[..]).expect("fits");
            b
        })
        .collect();
    let t = Instant::now();
    for b in &bytes {
        let _p = G1Affine::deserialize_compressed_unchecked(&b[..]).expect("valid");
    }
    println!("512 G1 decompress (no subgroup)  {:?}", t.elapsed());
    let t = Instant::now();
    for b in &bytes {
        let _p = G1Affine::deserialize_compressed(&b[..]).expect("valid");
    }
    println!("512 G1 decompress + subgroup     {:?}", t.elapsed());
    let scalars: Vec<Fr> = (0..512u64).map(|i| Fr::from(i * 7919 + 1).square_root_or_default()).collect();
    let t = Instant::now();
    let m = G1Projective::msm_unchecked(&pts, &scalars);
    println!("MSM 512                          {:?}", t.elapsed());
    let t = Instant::now();
    let _ = Bls12_381::multi_pairing([m.into_affine(), pts[1]], [setup().verifier.g2_s, setup().verifier.g2_one]);
    println!("2-pairing                        {:?}", t.elapsed());
    let cell = Cell::from_bytes(&[0x11u8; BYTES_PER_CELL]).expect("len");
    let t = Instant::now();
    for _ in 0..512 {
        encoding::cell_to_coset_evals(&cell).expect("canonical");
    }
    println!("512 cells to field elements      {:?}", t.elapsed());
}

trait SqrtOrDefault {
    fn square_root_or_default(self) -> Self;
}
impl SqrtOrDefault for ark_bls12_381::Fr {
    fn square_root_or_default(self) -> Self {
        ark_ff::Field::inverse(&self).unwrap_or_default()
    }
}
