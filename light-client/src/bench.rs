//! Benchmark workloads for `cargo xtask bench` (feature `bench`).
//!
//! Why here: the same operation must be timed natively and in Chromium, and
//! the baselines (blst, c-kzg, noble, herumi, …) must check exactly the same
//! bytes. So the inputs are made once, natively ([`Fixtures::generate`], which
//! needs the signing and cell-computing code), written as JSON, and loaded by
//! both sides ([`Prepared::from_fixtures`]); each timed operation is one call
//! on [`Prepared`] that also checks its outcome, so a bench that silently does
//! the wrong thing fails instead of looking fast.
//!
//! Nothing here is used by the shipping verifier package or the extension.

use std::collections::BTreeMap;

use ark_bls12_381::{Bls12_381, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::{MillerLoopOutput, Pairing};
use ark_ec::{AffineRepr, VariableBaseMSM};
use ark_ff::PrimeField;
use ark_serialize::CanonicalDeserialize;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::bls::{self, PublicKey, SecretKey, Signature};
use crate::header::devchain::{Keyring, validator_key};
use crate::header::{
    BlockHash, ChainId, Commit, DaRoot, Header, Height, LightBlock, Next, Round, StateRoot, Syncer, Timestamp,
    VerifyOptions, verify,
};
use crate::kzg::{Blob, Cell, CellIndex, Commitment, Proof, TrustedSetup, VerifierSetup};
use crate::storage::{
    Coding, FileLayout, FileRootBuilder, FileTree, Root, SegmentIndex, SegmentProof, encode_segment,
    reconstruct_segment, verify_segment,
};

/// The message every BLS fixture signs (a 32-byte block-hash-like value).
pub const BLS_MESSAGE: [u8; 32] = *b"aloft bench: fast aggregate vfy!";

/// Blocks in the skipping-sync chain.
pub const SYNC_LEN: u64 = 1000;

/// Fills `buf` with the bench's deterministic file bytes starting at file
/// offset `offset` (xorshift32 of the 4-byte word index, little-endian). The
/// JavaScript side (`wasm-tests/bench/page/data.js`) produces the same bytes.
pub fn fill(buf: &mut [u8], offset: u64) {
    for (i, b) in buf.iter_mut().enumerate() {
        let pos = offset + i as u64;
        let mut x = (pos / 4) as u32 ^ 0x9e37_79b9;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x.to_le_bytes()[(pos % 4) as usize];
    }
}

/// Every input of the bench, hex-encoded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fixtures {
    /// The message all BLS signatures sign.
    pub message: String,
    /// 512 compressed G1 public keys.
    pub keys: Vec<String>,
    /// Signature of key 0 alone.
    pub sig1: String,
    /// Aggregate signature of keys 0..150.
    pub sig150: String,
    /// Aggregate signature of keys 0..512.
    pub sig512: String,
    /// A trusted light block whose next set has 150 validators.
    pub commit_trusted: String,
    /// The next light block, signed by all 150.
    pub commit_untrusted: String,
    /// The light blocks the skipping sync asks for, by height.
    pub sync_blocks: BTreeMap<u64, String>,
    /// 32 blob commitments.
    pub commitments: Vec<String>,
    /// All 128 cells of blob 0.
    pub blob0_cells: Vec<String>,
    /// Their proofs.
    pub blob0_proofs: Vec<String>,
    /// Blob 0.
    pub blob0: String,
    /// Cell indices of the 16-per-blob batch (the same for every blob).
    pub indices16: Vec<u64>,
    /// 16 cells of each of the 32 blobs, blob-major.
    pub cells16: Vec<String>,
    /// Their proofs.
    pub proofs16: Vec<String>,
}

fn block_time(h: u64) -> Timestamp {
    Timestamp(1_767_225_600_000 + (h - 1) * 1000)
}

/// The skipping-sync chain's schedule: four validators, half replaced at
/// heights 201, 401, 601 and 801 (the same as the header tests).
fn rotating(h: u64) -> Vec<(u32, u64)> {
    let e = ((h - 1) / 200) as u32;
    (0..4).map(|i| (2 * e + i, 10 + u64::from(i))).collect()
}

fn header(keys: &mut Keyring, h: u64, parent: BlockHash, members: &[(u32, u64)], next: &[(u32, u64)]) -> Header {
    let validators = keys.set(members);
    Header {
        chain_id: ChainId(31337),
        height: Height(h),
        time: block_time(h),
        parent_hash: parent,
        validators_hash: validators.hash(),
        next_validators_hash: keys.set(next).hash(),
        state_root: StateRoot(Sha256::digest(h.to_be_bytes()).into()),
        da_root: DaRoot::EMPTY,
        proposer: validators.validators()[(h % validators.len() as u64) as usize].address(),
    }
}

fn sign_block(keys: &mut Keyring, header: Header, members: &[(u32, u64)], next: &[(u32, u64)]) -> LightBlock {
    let validators = keys.set(members);
    let next_validators = keys.set(next);
    let secrets: Vec<(usize, SecretKey)> =
        members.iter().enumerate().map(|(pos, (i, _))| (pos, keys.key(*i).clone())).collect();
    let refs: Vec<(usize, &SecretKey)> = secrets.iter().map(|(p, k)| (*p, k)).collect();
    let commit = Commit::sign(&header, Round(0), validators.len(), &refs).expect("a validator set is never empty");
    LightBlock { header, commit, validators, next_validators }
}

fn hex_of(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    hex::decode(s).map_err(|e| format!("fixture hex: {e}"))
}

impl Fixtures {
    /// Makes every input. Signs ~1,200 messages and computes the cells and
    /// proofs of 32 blobs: seconds natively, which is why the browser loads
    /// the result instead of calling this.
    pub fn generate(setup: &TrustedSetup) -> Result<Self, String> {
        let seed = b"aloft-bench";
        let secrets: Vec<SecretKey> = (0..512).map(|i| validator_key(seed, i)).collect();
        let keys: Vec<String> = secrets.iter().map(|k| hex_of(&k.public_key().to_bytes())).collect();
        let sigs: Vec<Signature> = secrets.iter().map(|k| k.sign(&BLS_MESSAGE)).collect();
        let agg = |n: usize| -> Result<String, String> {
            Ok(hex_of(&bls::aggregate(&sigs[..n]).map_err(|e| e.to_string())?.to_bytes()))
        };

        // Commit of a 150-validator set: block 2 over trusted block 1.
        let mut ring = Keyring::new(seed);
        let set150: Vec<(u32, u64)> = (0..150).map(|i| (i, 10)).collect();
        let h1 = header(&mut ring, 1, BlockHash::default(), &set150, &set150);
        let b1 = sign_block(&mut ring, h1, &set150, &set150);
        let h2 = header(&mut ring, 2, b1.hash(), &set150, &set150);
        let b2 = sign_block(&mut ring, h2, &set150, &set150);

        // Skipping sync: headers for every height, commits only where asked.
        let mut ring = Keyring::new(b"test");
        let mut headers = Vec::with_capacity(SYNC_LEN as usize);
        let mut parent = BlockHash::default();
        for h in 1..=SYNC_LEN {
            let hd = header(&mut ring, h, parent, &rotating(h), &rotating(h + 1));
            parent = hd.hash();
            headers.push(hd);
        }
        let mut blocks: BTreeMap<u64, LightBlock> = BTreeMap::new();
        let mut block = |ring: &mut Keyring, h: u64| -> LightBlock {
            blocks
                .entry(h)
                .or_insert_with(|| sign_block(ring, headers[(h - 1) as usize].clone(), &rotating(h), &rotating(h + 1)))
                .clone()
        };
        let first = block(&mut ring, 1);
        let mut syncer = Syncer::new(first, Height(SYNC_LEN), VerifyOptions::default()).map_err(|e| e.to_string())?;
        let now = Timestamp(block_time(SYNC_LEN).0 + 1000);
        while let Next::Fetch(h) = syncer.next() {
            let b = block(&mut ring, h.0);
            syncer.feed(b, now).map_err(|e| e.to_string())?;
        }
        let sync_blocks = blocks.iter().map(|(h, b)| (*h, hex_of(&b.encode()))).collect();

        // KZG: 32 blobs of field elements below the modulus (top byte zero).
        let mut commitments = Vec::new();
        let mut cells16 = Vec::new();
        let mut proofs16 = Vec::new();
        let indices16: Vec<u64> = (0..16).map(|i| i * 8 + 3).collect();
        let mut blob0 = String::new();
        let mut blob0_cells = Vec::new();
        let mut blob0_proofs = Vec::new();
        for b in 0..32u64 {
            let mut bytes = vec![0u8; 131_072];
            fill(&mut bytes, b << 20);
            for fe in bytes.chunks_exact_mut(32) {
                fe[0] = 0;
            }
            let blob = Blob::from_bytes(&bytes).map_err(|e| e.to_string())?;
            let commitment = setup.blob_to_kzg_commitment(&blob).map_err(|e| e.to_string())?;
            let (cells, proofs) = setup.compute_cells_and_kzg_proofs(&blob).map_err(|e| e.to_string())?;
            commitments.push(hex_of(commitment.as_bytes()));
            for &i in &indices16 {
                cells16.push(hex_of(cells[i as usize].as_bytes()));
                proofs16.push(hex_of(proofs[i as usize].as_bytes()));
            }
            if b == 0 {
                blob0 = hex_of(&bytes);
                blob0_cells = cells.iter().map(|c| hex_of(c.as_bytes())).collect();
                blob0_proofs = proofs.iter().map(|p| hex_of(p.as_bytes())).collect();
            }
        }

        Ok(Self {
            message: hex_of(&BLS_MESSAGE),
            keys,
            sig1: hex_of(&sigs[0].to_bytes()),
            sig150: agg(150)?,
            sig512: agg(512)?,
            commit_trusted: hex_of(&b1.encode()),
            commit_untrusted: hex_of(&b2.encode()),
            sync_blocks,
            commitments,
            blob0_cells,
            blob0_proofs,
            blob0,
            indices16,
            cells16,
            proofs16,
        })
    }
}

/// The fixtures parsed into Aloft's types, ready to time.
pub struct Prepared {
    message: Vec<u8>,
    keys: Vec<PublicKey>,
    sig1: Signature,
    sig150: Signature,
    sig512: Signature,
    commit_trusted: LightBlock,
    commit_untrusted: LightBlock,
    sync_blocks: BTreeMap<u64, LightBlock>,
    verifier: VerifierSetup,
    commitments: Vec<Commitment>,
    blob0: Blob,
    blob0_cells: Vec<Cell>,
    blob0_proofs: Vec<Proof>,
    indices16: Vec<CellIndex>,
    cells16: Vec<Cell>,
    proofs16: Vec<Proof>,
    fav_inputs: (G2Affine, G1Affine),
    fav_miller: MillerLoopOutput<Bls12_381>,
    kzg_parts: KzgParts,
}

/// Inputs and answers of the `kzg16x32_part_*` rows: the 512 proofs of the
/// 16×32 batch decoded, and MSMs of the two sizes the batch check runs
/// (512 proofs; 32 commitments + 512 proofs + 64 setup-sized points), with
/// the MSM the check uses (`curve::msm`); the answers come from arkworks'.
struct KzgParts {
    proofs: Vec<G1Affine>,
    bases: Vec<G1Affine>,
    scalars: Vec<Fr>,
    msm_512: G1Projective,
    msm_608: G1Projective,
}

impl KzgParts {
    fn new(proofs: &[Proof], commitments: &[Commitment]) -> Result<Self, String> {
        let decode = |b: &[u8]| G1Affine::deserialize_compressed(b).map_err(|e| e.to_string());
        let proofs: Vec<G1Affine> = proofs.iter().map(|p| decode(p.as_bytes())).collect::<Result<_, _>>()?;
        let mut bases: Vec<G1Affine> = commitments.iter().map(|c| decode(c.as_bytes())).collect::<Result<_, _>>()?;
        bases.extend_from_slice(&proofs);
        bases.extend_from_slice(&proofs[..64]);
        let r = Fr::from_be_bytes_mod_order(&Sha256::digest(b"aloft bench kzg parts"));
        let scalars: Vec<Fr> = std::iter::successors(Some(r), |x| Some(*x * r)).take(bases.len()).collect();
        let msm_512 = G1Projective::msm_unchecked(&proofs, &scalars[..proofs.len()]);
        let msm_608 = G1Projective::msm_unchecked(&bases, &scalars);
        Ok(Self { proofs, bases, scalars, msm_512, msm_608 })
    }
}

fn parse_all<T>(items: &[String], f: impl Fn(&[u8]) -> Result<T, String>) -> Result<Vec<T>, String> {
    items.iter().map(|s| f(&unhex(s)?)).collect()
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(format!("{what} did not verify")) }
}

impl Prepared {
    /// Parses and validates every fixture (what a light client does once, at
    /// the edge, before the timed work).
    pub fn from_fixtures(f: &Fixtures) -> Result<Self, String> {
        let e = |e: &dyn core::fmt::Display| e.to_string();
        let sig = |s: &str| Signature::from_bytes(&unhex(s)?).map_err(|x| e(&x));
        let block = |s: &str| LightBlock::decode(&unhex(s)?).map_err(|x| e(&x));
        let message = unhex(&f.message)?;
        let keys: Vec<PublicKey> = parse_all(&f.keys, |b| PublicKey::from_bytes(b).map_err(|x| e(&x)))?;
        let sig512 = sig(&f.sig512)?;
        let hm = bls::hash_to_g2(&message, bls::DST_SIGNATURE).map_err(|x| e(&x))?;
        let agg = *bls::aggregate_public_keys(&keys).map_err(|x| e(&x))?.as_point();
        let commitments: Vec<Commitment> = parse_all(&f.commitments, |b| Commitment::from_bytes(b).map_err(|x| e(&x)))?;
        let proofs16: Vec<Proof> = parse_all(&f.proofs16, |b| Proof::from_bytes(b).map_err(|x| e(&x)))?;
        let fav_miller = Bls12_381::multi_miller_loop([agg, -G1Affine::generator()], [hm, *sig512.as_point()]);
        Ok(Self {
            message,
            keys,
            sig1: sig(&f.sig1)?,
            sig150: sig(&f.sig150)?,
            sig512,
            commit_trusted: block(&f.commit_trusted)?,
            commit_untrusted: block(&f.commit_untrusted)?,
            sync_blocks: f.sync_blocks.iter().map(|(h, s)| Ok((*h, block(s)?))).collect::<Result<_, String>>()?,
            verifier: VerifierSetup::ceremony().map_err(|x| e(&x))?,
            commitments: commitments.clone(),
            blob0: Blob::from_bytes(&unhex(&f.blob0)?).map_err(|x| e(&x))?,
            blob0_cells: parse_all(&f.blob0_cells, |b| Cell::from_bytes(b).map_err(|x| e(&x)))?,
            blob0_proofs: parse_all(&f.blob0_proofs, |b| Proof::from_bytes(b).map_err(|x| e(&x)))?,
            indices16: f.indices16.iter().map(|i| CellIndex::new(*i).map_err(|x| e(&x))).collect::<Result<_, _>>()?,
            cells16: parse_all(&f.cells16, |b| Cell::from_bytes(b).map_err(|x| e(&x)))?,
            proofs16: proofs16.clone(),
            kzg_parts: KzgParts::new(&proofs16, &commitments)?,
            fav_inputs: (hm, agg),
            fav_miller,
        })
    }

    /// BLS verify of one signature.
    pub fn bls_verify(&self) -> Result<(), String> {
        check(bls::verify(&self.keys[0], &self.message, &self.sig1), "verify")
    }

    /// fast_aggregate_verify over the first `n` keys (150 or 512).
    pub fn fast_aggregate_verify(&self, n: usize) -> Result<(), String> {
        let sig = if n == 150 { &self.sig150 } else { &self.sig512 };
        check(bls::fast_aggregate_verify(&self.keys[..n], &self.message, sig), "fast_aggregate_verify")
    }

    /// Times one part of fast_aggregate_verify over 512 keys, from inputs
    /// made beforehand: `hash_to_g2` (the message to G2), `aggregate_512`
    /// (adding the keys), `miller_loop_2` (the two-pair multi-Miller loop) or
    /// `final_exp` (the final exponentiation), each on the path the check
    /// itself takes on this target (`curve::miller_loop`,
    /// `curve::final_exponentiation_is_one`).
    pub fn fav_part(&self, part: &str) -> Result<(), String> {
        let (hm, agg) = &self.fav_inputs;
        match part {
            "hash_to_g2" => check(bls::hash_to_g2(&self.message, bls::DST_SIGNATURE).map_err(|e| e.to_string())? == *hm, "hash"),
            "aggregate_512" => check(bls::aggregate_public_keys(&self.keys).map_err(|e| e.to_string())?.as_point() == agg, "sum"),
            "miller_loop_2" => {
                let m = crate::curve::miller_loop(&[*agg, -G1Affine::generator()], &[*hm, *self.sig512.as_point()]);
                check(m == self.fav_miller.0, "Miller loop")
            }
            "final_exp" => check(crate::curve::final_exponentiation_is_one(&self.fav_miller.0), "final exponentiation"),
            other => Err(format!("unknown part {other}")),
        }
    }

    /// Times one part of the 16×32 KZG batch check: `decompress_512` (the 512
    /// proofs decoded with their subgroup checks, by the check's decoder),
    /// `decompress_unchecked_512` (the same without the subgroup checks: the
    /// square roots), `msm_512` and `msm_608` (MSMs of the batch's sizes, by
    /// `curve::msm` as in the check).
    pub fn kzg_part(&self, part: &str) -> Result<(), String> {
        let k = &self.kzg_parts;
        let decode = |checked: bool| -> Result<bool, String> {
            for (p, want) in self.proofs16.iter().zip(&k.proofs) {
                let b = p.as_bytes();
                let got = if checked {
                    crate::kzg::decode_g1_point(b, "proof").map_err(|e| e.to_string())?
                } else {
                    G1Affine::deserialize_compressed_unchecked(&b[..]).map_err(|e| e.to_string())?
                };
                if got != *want {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        match part {
            "decompress_512" => check(decode(true)?, "proof decoding"),
            "decompress_unchecked_512" => check(decode(false)?, "unchecked proof decoding"),
            "msm_512" => check(crate::curve::msm(&k.proofs, &k.scalars[..k.proofs.len()]) == k.msm_512, "MSM 512"),
            "msm_608" => check(crate::curve::msm(&k.bases, &k.scalars) == k.msm_608, "MSM 608"),
            other => Err(format!("unknown KZG part {other}")),
        }
    }

    /// The full commit check of a 150-validator block (bitmap, powers, key
    /// aggregation, vote bytes, hashing to G2, pairing).
    pub fn commit_check(&self) -> Result<(), String> {
        let now = Timestamp(self.commit_untrusted.time().0 + 1000);
        verify(&self.commit_trusted, &self.commit_untrusted, &VerifyOptions::default(), now).map_err(|e| e.to_string())
    }

    /// Skipping sync from block 1 to block 1,000; returns the commits verified.
    pub fn skipping_sync(&self) -> Result<u32, String> {
        let first = self.sync_blocks.get(&1).ok_or("no block 1")?.clone();
        let mut syncer = Syncer::new(first, Height(SYNC_LEN), VerifyOptions::default()).map_err(|e| e.to_string())?;
        let now = Timestamp(block_time(SYNC_LEN).0 + 1000);
        while let Next::Fetch(h) = syncer.next() {
            let b = self.sync_blocks.get(&h.0).ok_or_else(|| format!("no fixture block {h}"))?.clone();
            syncer.feed(b, now).map_err(|e| e.to_string())?;
        }
        check(syncer.trusted().height() == Height(SYNC_LEN), "skipping sync")?;
        Ok(syncer.commits_verified())
    }

    /// verify_cell_kzg_proof_batch of all 128 cells of blob 0.
    pub fn kzg_verify_one_blob(&self) -> Result<(), String> {
        let commitments = vec![self.commitments[0]; 128];
        let indices: Vec<CellIndex> = (0..128).map(|i| CellIndex::from_low_bits(i as u8)).collect();
        let ok = self
            .verifier
            .verify_cell_kzg_proof_batch(&commitments, &indices, &self.blob0_cells, &self.blob0_proofs)
            .map_err(|e| e.to_string())?;
        check(ok, "128-cell batch")
    }

    /// The KZG verifier's cold start: load the embedded verifier setup (the
    /// ceremony's G2 points and the few G1 values a verifier needs), then
    /// verify all 128 cells of blob 0.
    pub fn kzg_cold_verifier(&self) -> Result<(), String> {
        let verifier = VerifierSetup::ceremony().map_err(|e| e.to_string())?;
        let commitments = vec![self.commitments[0]; 128];
        let indices: Vec<CellIndex> = (0..128).map(|i| CellIndex::from_low_bits(i as u8)).collect();
        let ok = verifier
            .verify_cell_kzg_proof_batch(&commitments, &indices, &self.blob0_cells, &self.blob0_proofs)
            .map_err(|e| e.to_string())?;
        check(ok, "cold 128-cell batch")
    }

    /// verify_cell_kzg_proof_batch of 16 cells from each of 32 blobs.
    pub fn kzg_verify_32_blobs(&self) -> Result<(), String> {
        let commitments: Vec<Commitment> =
            self.commitments.iter().flat_map(|c| std::iter::repeat_n(*c, 16)).collect();
        let indices: Vec<CellIndex> = (0..32).flat_map(|_| self.indices16.iter().copied()).collect();
        let ok = self
            .verifier
            .verify_cell_kzg_proof_batch(&commitments, &indices, &self.cells16, &self.proofs16)
            .map_err(|e| e.to_string())?;
        check(ok, "16×32 batch")
    }

    /// compute_cells_and_kzg_proofs of blob 0 (needs the full setup).
    pub fn kzg_compute_cells(&self, setup: &TrustedSetup) -> Result<(), String> {
        let (cells, proofs) = setup.compute_cells_and_kzg_proofs(&self.blob0).map_err(|e| e.to_string())?;
        check(cells == self.blob0_cells && proofs == self.blob0_proofs, "computed cells")
    }

    /// recover_cells_and_kzg_proofs of blob 0 from its 64 even cells.
    pub fn kzg_recover(&self, setup: &TrustedSetup) -> Result<(), String> {
        let indices: Vec<CellIndex> = (0..64).map(|i| CellIndex::from_low_bits(2 * i as u8)).collect();
        let cells: Vec<Cell> = (0..64).map(|i| self.blob0_cells[2 * i].clone()).collect();
        let (all, proofs) = setup.recover_cells_and_kzg_proofs(&indices, &cells).map_err(|e| e.to_string())?;
        check(all == self.blob0_cells && proofs == self.blob0_proofs, "recovered cells")
    }
}

/// The storage workloads over one deterministic file.
pub struct StorageBench {
    size: u64,
    tree: FileTree,
    data: Vec<u8>,
    proofs: Vec<SegmentProof>,
    coding: Coding,
}

/// Every segment's six shards, as [`StorageBench::rs_encode`] made them.
pub type EncodedFile = Vec<Vec<Vec<u8>>>;

impl StorageBench {
    /// A file of `size` bytes made by [`fill`], with its tree and every
    /// segment's proof (a downloader receives the proofs with the shards).
    pub fn new(size: u64) -> Result<Self, String> {
        let mut data = vec![0u8; size as usize];
        fill(&mut data, 0);
        let tree = FileTree::of_bytes(&data).map_err(|e| e.to_string())?;
        let proofs = (0..data.len().div_ceil(262_144) as u64)
            .map(|i| tree.proof(SegmentIndex(i)).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        Ok(Self { size, tree, data, proofs, coding: Coding::new(4, 2).map_err(|e| e.to_string())? })
    }

    /// The file root.
    pub fn root(&self) -> Root {
        self.tree.root()
    }

    /// The file's bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// File root by streaming the bytes in 1 MiB slices (what `aloft root`
    /// and the browser do).
    pub fn file_root(&self) -> Result<Root, String> {
        let mut b = FileRootBuilder::new();
        for slice in self.data.chunks(1 << 20) {
            b.update(slice);
        }
        let root = b.finish().map_err(|e| e.to_string())?.root;
        check(root == self.tree.root(), "file root")?;
        Ok(root)
    }

    /// Verify segment 1's 0G proof against the root (the segment is hashed).
    pub fn segment_proof_verify(&self) -> Result<(), String> {
        let seg = &self.data[262_144..2 * 262_144];
        verify_segment(&self.tree.root(), self.size, SegmentIndex(1), seg, &self.proofs[1]).map_err(|e| e.to_string())
    }

    /// Reed-Solomon encode (4+2) every segment, with the data shards' roots.
    pub fn rs_encode(&self) -> Result<EncodedFile, String> {
        let layout = FileLayout::new(self.size).map_err(|e| e.to_string())?;
        self.data
            .chunks(262_144)
            .enumerate()
            .map(|(i, seg)| {
                encode_segment(self.coding, &layout, SegmentIndex(i as u64), seg).map(|e| e.shards).map_err(|e| e.to_string())
            })
            .collect()
    }

    /// Reconstruct every segment from shards 2..6 (two data shards lost) and
    /// verify it against the root.
    pub fn rs_reconstruct(&self, encoded: &EncodedFile) -> Result<(), String> {
        for (i, shards) in encoded.iter().enumerate() {
            let given: Vec<Option<Vec<u8>>> = shards.iter().enumerate().map(|(j, s)| (j >= 2).then(|| s.clone())).collect();
            let r = reconstruct_segment(&self.tree.root(), self.size, SegmentIndex(i as u64), self.coding, &self.proofs[i], &given)
                .map_err(|e| e.to_string())?;
            check(r.bad_shards.is_empty(), "reconstruction")?;
        }
        Ok(())
    }
}
