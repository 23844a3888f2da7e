//! Browser tests of the light client and the wallet engine, run in headless
//! Chromium by wasm-bindgen-test-runner. Add new browser tests here (one
//! test binary keeps link time down).
#![cfg(target_arch = "wasm32")]

use aloft_light_client::bls::{self, PublicKey, SecretKey, Signature};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn secret(seed: u8) -> SecretKey {
    let mut bytes = [0u8; 32];
    bytes[31] = seed;
    bytes[0] = 0x11;
    SecretKey::from_bytes(&bytes).expect("a small non-zero scalar is a valid key")
}

/// Bilinearity, seen through BLS: signatures by two keys on one message
/// aggregate into one that verifies under the sum of the keys, because
/// e(pk1 + pk2, H(m)) = e(pk1, H(m)) · e(pk2, H(m)) = e(g1, s1 + s2).
#[wasm_bindgen_test]
fn pairing_bilinearity_holds_in_the_browser() {
    let (a, b) = (secret(1), secret(2));
    let msg = b"aloft: a pairing identity in Chromium";
    let aggregate = bls::aggregate(&[a.sign(msg), b.sign(msg)]).expect("two signatures aggregate");
    let keys = [a.public_key(), b.public_key()];
    assert!(bls::fast_aggregate_verify(&keys, msg, &aggregate));
    let summed = bls::aggregate_public_keys(&keys).expect("two keys aggregate");
    assert!(bls::verify(&summed, msg, &aggregate));
    // The identity must fail for anything else: another message, or one key missing.
    assert!(!bls::verify(&summed, b"another message", &aggregate));
    assert!(!bls::verify(&keys[0], msg, &aggregate));
}

/// The public IETF vector `verify_valid_case_195246ee3bd3b6ec`
/// (ethereum/bls12-381-tests) verifies in the browser exactly as natively.
#[wasm_bindgen_test]
fn ietf_vector_verifies_in_the_browser() {
    let pk = hex::decode("b53d21a4cfd562c469cc81514d4ce5a6b577d8403d32a394dc265dd190b47fa9f829fdd7963afdf972e5e77854051f6f").unwrap();
    let sig = hex::decode("ae82747ddeefe4fd64cf9cedb9b04ae3e8a43420cd255e3c7cd06a8d88b7c7f8638543719981c5d16fa3527c468c25f0026704a6951bde891360c7e8d12ddee0559004ccdbe6046b55bae1b257ee97f7cdb955773d7cf29adf3ccbb9975e4eb9").unwrap();
    let pk = PublicKey::from_bytes(&pk).expect("the vector's key decodes");
    let sig = Signature::from_bytes(&sig).expect("the vector's signature decodes");
    assert!(bls::verify(&pk, &[0xab; 32], &sig));
    assert!(!bls::verify(&pk, &[0xac; 32], &sig));
}

/// Hashing to G2 (module `bls::sswu`, the SWU map with two exponentiations)
/// gives RFC 9380's answer in the browser: the ethereum/bls12-381-tests
/// vector for `"a512_" + "a" × 512` under the RFC's test tag.
#[wasm_bindgen_test]
fn hash_to_g2_gives_the_rfc_point_in_the_browser() {
    let msg = format!("a512_{}", "a".repeat(512));
    let p = bls::hash_to_g2(msg.as_bytes(), b"QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_").expect("non-empty tag");
    // Compressed: x.c1 (with the three flag bits) then x.c0.
    let mut bytes = Signature::from_point(p).expect("a subgroup point").to_bytes();
    bytes[0] &= 0x1f;
    assert_eq!(
        hex::encode(&bytes[48..]),
        "01a6ba2f9a11fa5598b2d8ace0fbe0a0eacb65deceb476fbbcb64fd24557c2f4b18ecfc5663e54ae16a84f5ab7f62534"
    );
    assert_eq!(
        hex::encode(&bytes[..48]),
        "11fca2ff525572795a801eed17eb12785887c7b63fb77a42be46ce4a34131d71f7a73e95fee3f812aea3de78b4d01569"
    );
}

/// Key and signature sums over more points than `curve::sum_affine` adds
/// projectively (shared-inversion levels) agree in the browser: 64 signers
/// verify, 63 of them do not.
#[wasm_bindgen_test]
fn large_aggregates_verify_in_the_browser() {
    let msg = b"aloft: 64 signers in Chromium";
    let secrets: Vec<SecretKey> = (1..=64).map(secret).collect();
    let keys: Vec<PublicKey> = secrets.iter().map(SecretKey::public_key).collect();
    let sigs: Vec<Signature> = secrets.iter().map(|k| k.sign(msg)).collect();
    let aggregate = bls::aggregate(&sigs).expect("64 signatures aggregate");
    assert!(bls::fast_aggregate_verify(&keys, msg, &aggregate));
    assert!(!bls::fast_aggregate_verify(&keys[1..], msg, &aggregate));
    let partial = bls::aggregate(&sigs[1..]).expect("63 signatures aggregate");
    assert!(bls::fast_aggregate_verify(&keys[1..], msg, &partial));
}

/// Malformed input from JavaScript is refused with a reason, never a panic.
#[wasm_bindgen_test]
fn malformed_keys_are_refused_with_a_reason() {
    let err = PublicKey::from_bytes(&[0u8; 47]).unwrap_err();
    assert!(err.to_string().contains("48"), "{err}");
    assert!(PublicKey::from_bytes(&[0xff; 48]).is_err());
    assert!(Signature::from_bytes(&[0u8; 96]).is_err());
}

/// The wallet engine's routing runs in the browser too.
#[wasm_bindgen_test]
fn engine_answers_chain_id_in_the_browser() {
    use aloft_extension::network::Network;
    use aloft_extension::provider::{Provider, Request, Route};
    let provider = Provider::new(Network::devnet());
    let request = Request::from_json(&serde_json::json!({"method": "eth_chainId"})).unwrap();
    assert_eq!(provider.route("http://127.0.0.1", &request), Route::Answer(serde_json::json!("0x7a69")));
}

/// The header light client's sans-IO core in the browser: skipping sync with
/// bisection across validator-set changes (half the set replaced every 20
/// blocks), and a forged commit rejected with its reason.
#[wasm_bindgen_test]
fn header_sync_bisects_and_rejects_in_the_browser() {
    use aloft_light_client::header::devchain::ChainBuilder;
    use aloft_light_client::header::{Height, Next, SyncError, Syncer, Timestamp, VerifyError, VerifyOptions};
    let blocks = ChainBuilder::new().build(80, &|h: Height| {
        let e = ((h.0 - 1) / 20) as u32;
        (0..4).map(|i| (2 * e + i, 10)).collect()
    });
    let now = Timestamp(blocks[79].time().0 + 1000);
    let mut s = Syncer::new(blocks[0].clone(), Height(80), VerifyOptions::default()).expect("a forward target");
    let mut fetched = Vec::new();
    while let Next::Fetch(h) = s.next() {
        fetched.push(h.0);
        s.feed(blocks[(h.0 - 1) as usize].clone(), now).expect("honest blocks verify");
    }
    assert_eq!(s.trusted().hash(), blocks[79].hash());
    // Block 80 shares no validator with block 1's next set, so the sync bisects to 40 first.
    assert_eq!(fetched, vec![80, 40]);
    assert_eq!(s.commits_verified(), 2);

    let mut forged = blocks[79].clone();
    forged.commit.signature = blocks[78].commit.signature;
    let mut s = Syncer::new(blocks[70].clone(), Height(80), VerifyOptions::default()).expect("a forward target");
    match s.feed(forged, now) {
        Err(SyncError::Rejected { height, reason: VerifyError::InvalidSignature { .. } }) => assert_eq!(height, Height(80)),
        other => panic!("{other:?}"),
    }
}

/// Payload packing and the DA commitments root behave in the browser as
/// natively: a payload round-trips through its blobs, and a commitment
/// branch proves one commitment and refuses another.
#[wasm_bindgen_test]
fn da_packing_and_commitment_proofs_work_in_the_browser() {
    use aloft_light_client::da::{CommitmentProof, commitments_root, pack, unpack};
    use aloft_light_client::kzg::Commitment;
    let payload: Vec<u8> = (0..130_000u32).map(|i| (i % 251) as u8).collect();
    let blobs = pack(&payload).expect("130 kB packs");
    assert_eq!(blobs.len(), 2);
    assert_eq!(unpack(&blobs).expect("its own packing unpacks"), payload);
    let list: Vec<Commitment> = (0..5u8).map(|i| Commitment([i; 48])).collect();
    let root = commitments_root(&list).expect("5 commitments fit");
    let proof = CommitmentProof::new(&list, 3).expect("index 3 exists");
    assert!(proof.verify(&list[3], &root).is_ok());
    assert!(proof.verify(&list[2], &root).is_err());
}

/// The sampler's state survives a JSON round trip in the browser (what the
/// JS API keeps in IndexedDB).
#[wasm_bindgen_test]
fn da_sampler_state_round_trips_in_the_browser() {
    use aloft_light_client::da::{Action, DaRoot, Height, PeerId, Sampler, SamplerConfig};
    let mut s = Sampler::new(SamplerConfig::default()).expect("defaults are valid");
    s.add_peer(PeerId("http://127.0.0.1:8591/nodes/0".into()));
    s.sample_block(Height(3), DaRoot([7; 32]), [1; 32], 0);
    assert!(matches!(s.poll(0).as_slice(), [Action::FetchCommitments { .. }]));
    let restored = Sampler::from_json(&s.to_json()).expect("its own state restores");
    assert_eq!(restored.block(Height(3)), s.block(Height(3)));
    assert!(Sampler::from_json("{}").is_err());
}

/// Erasure placement in the browser: a file's segments cut into 4 + 2 shards
/// that each verify, and any 4 of them (here: two data shards lost) rebuild
/// a segment that verifies against the root, exactly as natively.
#[wasm_bindgen_test]
fn storage_shards_rebuild_in_the_browser() {
    use aloft_light_client::storage::{Coding, FileTree, SegmentIndex, reconstruct_segment};
    let data: Vec<u8> = (0..600_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let tree = FileTree::of_bytes(&data).expect("a non-empty file has a tree");
    let index = SegmentIndex(1);
    let bytes = &data[262_144..524_288];
    let shards = tree.shards_with_proof(Coding::DEFAULT, index, bytes).expect("shards");
    for shard in &shards {
        shard.verify().expect("every shard is bound to the root");
    }
    let mut given: Vec<Option<Vec<u8>>> = shards.iter().map(|s| Some(s.data.clone())).collect();
    given[0] = None;
    given[3] = None;
    let rebuilt = reconstruct_segment(&tree.root(), data.len() as u64, index, Coding::DEFAULT, &shards[0].proof, &given)
        .expect("any four shards rebuild the segment");
    assert_eq!(rebuilt.data, bytes);
    assert!(rebuilt.bad_shards.is_empty());
}

mod vectors {
    include!(concat!(env!("OUT_DIR"), "/vectors.rs"));
}

/// Every public BLS vector (ethereum/bls12-381-tests) passes in the browser,
/// where the pairing, key sums, subgroup tests, square roots and cofactor
/// clearing run on the 32-bit-limb field: the same runner as
/// `cargo xtask conformance`, which runs them natively on arkworks' field.
#[wasm_bindgen_test]
fn bls_vectors_pass_on_the_field_wasm32_ships() {
    use aloft_light_client::conformance::bls::run_case_text;
    let failed: Vec<String> = vectors::BLS
        .iter()
        .filter_map(|(suite, file, text)| run_case_text(suite, text).err().map(|e| format!("bls/{suite}/{file}: {e}")))
        .collect();
    assert!(vectors::BLS.len() >= 72, "{} BLS vectors embedded", vectors::BLS.len());
    assert!(failed.is_empty(), "{failed:#?}");
}

/// The EIP-7594 cell-proof batch vectors (c-kzg-4844's copies of the
/// consensus-specs cases, all but the three full-blob ones) pass in the
/// browser: decoding, subgroup tests, the MSMs and the pairing on the
/// 32-bit-limb field.
#[wasm_bindgen_test]
fn kzg_cell_vectors_pass_on_the_field_wasm32_ships() {
    use aloft_light_client::conformance::kzg::run_case_text;
    let setup = aloft_light_client::kzg::TrustedSetup::from_text(vectors::TRUSTED_SETUP).expect("the ceremony setup parses");
    let failed: Vec<String> = vectors::KZG_CELLS
        .iter()
        .filter_map(|(case, text)| run_case_text(&setup, "verify_cell_kzg_proof_batch", text).err().map(|e| format!("{case}: {e}")))
        .collect();
    assert!(vectors::KZG_CELLS.len() >= 15, "{} KZG vectors embedded", vectors::KZG_CELLS.len());
    assert!(failed.is_empty(), "{failed:#?}");
}
