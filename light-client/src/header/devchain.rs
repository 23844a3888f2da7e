//! Deterministic validator keys and block production, shared by the devnet
//! (which produces its chain with [`produce`]) and by tests (which build
//! whole chains in memory with [`ChainBuilder`]). Sharing the producer means
//! the tests exercise exactly the blocks the devnet serves.
//!
//! Key `i` under a seed is the IETF `KeyGen` of `SHA-256(seed ‖ i as u32
//! big-endian)` with key info `aloft-devnet-validator`: anyone with the seed
//! can recompute every devnet key, which is the point of a devnet and the
//! reason these keys must never secure anything real.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::block::Header;
use super::commit::Commit;
use super::light_block::LightBlock;
use super::types::{BlockHash, ChainId, DaRoot, Height, Round, StateRoot, Timestamp, VotingPower};
use super::validators::{Validator, ValidatorSet};
use crate::bls::SecretKey;

/// The validator key at `index` under `seed`.
pub fn validator_key(seed: &[u8], index: u32) -> SecretKey {
    let mut ikm = Sha256::new();
    ikm.update(seed);
    ikm.update(index.to_be_bytes());
    let ikm: [u8; 32] = ikm.finalize().into();
    SecretKey::key_gen(&ikm, b"aloft-devnet-validator").expect("32 bytes of key material is enough for KeyGen")
}

/// Which validators (key index, power) are in the set at each height.
pub type Schedule = dyn Fn(Height) -> Vec<(u32, u64)>;

/// Validator keys derived on first use and kept.
pub struct Keyring {
    seed: Vec<u8>,
    keys: BTreeMap<u32, SecretKey>,
    sets: BTreeMap<Vec<(u32, u64)>, ValidatorSet>,
}

impl Keyring {
    /// A keyring for `seed`.
    pub fn new(seed: &[u8]) -> Self {
        Self { seed: seed.to_vec(), keys: BTreeMap::new(), sets: BTreeMap::new() }
    }

    /// The key at `index`.
    pub fn key(&mut self, index: u32) -> &SecretKey {
        let seed = &self.seed;
        self.keys.entry(index).or_insert_with(|| validator_key(seed, index))
    }

    /// The validator set of `(key index, power)` members, in that order.
    /// Panics only on a member list no schedule should produce (empty, zero
    /// power, a repeated index).
    pub fn set(&mut self, members: &[(u32, u64)]) -> ValidatorSet {
        if let Some(set) = self.sets.get(members) {
            return set.clone();
        }
        let validators =
            members.iter().map(|(i, p)| Validator::new(self.key(*i).public_key(), VotingPower(*p))).collect();
        let set = ValidatorSet::new(validators).expect("a schedule gives distinct keys with non-zero powers");
        self.sets.insert(members.to_vec(), set.clone());
        set
    }
}

/// Everything [`produce`] needs for one block besides the keys.
#[derive(Debug, Clone)]
pub struct BlockSpec {
    /// The chain.
    pub chain_id: ChainId,
    /// The height.
    pub height: Height,
    /// The block time.
    pub time: Timestamp,
    /// The previous block's hash (zero at height 1).
    pub parent_hash: BlockHash,
    /// The EVM state root.
    pub state_root: StateRoot,
    /// The DA commitments root.
    pub da_root: DaRoot,
}

/// Produces the light block for `spec`: validators `members` sign (every one
/// of them, in round 0), `next_members` sign the next block. The proposer
/// rotates through the set by height.
pub fn produce(keys: &mut Keyring, spec: &BlockSpec, members: &[(u32, u64)], next_members: &[(u32, u64)]) -> LightBlock {
    let validators = keys.set(members);
    let next_validators = keys.set(next_members);
    let proposer = validators.validators()[(spec.height.0 % validators.len() as u64) as usize].address();
    let header = Header {
        chain_id: spec.chain_id,
        height: spec.height,
        time: spec.time,
        parent_hash: spec.parent_hash,
        validators_hash: validators.hash(),
        next_validators_hash: next_validators.hash(),
        state_root: spec.state_root,
        da_root: spec.da_root,
        proposer,
    };
    let signers: Vec<(usize, SecretKey)> =
        members.iter().enumerate().map(|(pos, (i, _))| (pos, keys.key(*i).clone())).collect();
    let refs: Vec<(usize, &SecretKey)> = signers.iter().map(|(p, k)| (*p, k)).collect();
    let commit = Commit::sign(&header, Round(0), validators.len(), &refs).expect("a validator set is never empty");
    LightBlock { header, commit, validators, next_validators }
}

/// Builds whole chains in memory.
pub struct ChainBuilder {
    /// The chain id.
    pub chain_id: ChainId,
    /// The time of block 1.
    pub genesis_time: Timestamp,
    /// Milliseconds between blocks.
    pub block_time_ms: u64,
    /// The key seed.
    pub seed: Vec<u8>,
}

impl ChainBuilder {
    /// Chain 31337, genesis at 2026-01-01T00:00:00Z, a block a second, seed `test`.
    pub fn new() -> Self {
        Self { chain_id: ChainId(31337), genesis_time: Timestamp(1_767_225_600_000), block_time_ms: 1000, seed: b"test".to_vec() }
    }

    /// Blocks 1..=`len` under `schedule`.
    pub fn build(&self, len: u64, schedule: &Schedule) -> Vec<LightBlock> {
        let mut keys = Keyring::new(&self.seed);
        let mut blocks: Vec<LightBlock> = Vec::with_capacity(len as usize);
        for h in 1..=len {
            let spec = BlockSpec {
                chain_id: self.chain_id,
                height: Height(h),
                time: Timestamp(self.genesis_time.0 + (h - 1) * self.block_time_ms),
                parent_hash: blocks.last().map(LightBlock::hash).unwrap_or_default(),
                state_root: StateRoot(Sha256::digest(h.to_be_bytes()).into()),
                da_root: DaRoot::EMPTY,
            };
            blocks.push(produce(&mut keys, &spec, &schedule(Height(h)), &schedule(Height(h + 1))));
        }
        blocks
    }
}

impl Default for ChainBuilder {
    fn default() -> Self {
        Self::new()
    }
}
