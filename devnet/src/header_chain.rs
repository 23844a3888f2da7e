//! The devnet's chain of headers and commits (the consensus chain; the EVM's
//! blocks are `crate::evm::chain`): produced by the validators,
//! kept in memory and appended to `headers.bin` in the data directory, so a
//! restart continues the same chain.
//!
//! Validator sets are not stored: they follow from the configured seed,
//! count and rotation schedule ([`crate::validators`]), so a data directory
//! must be reopened with the same `[validators]` settings (checked on open).
//!
//! Misbehaviour: every block records which fault switches were on when it
//! was produced ([`Faults`]). Serving applies them ([`HeaderChain::light_block`]):
//! the primary view can carry a forged signature, a sub-quorum commit or a
//! chain signed by keys outside the set; the witness view serves, for
//! equivocated heights, a second header the same validators also signed.
//! Blocks produced while every switch was off are always served honestly.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use aloft_light_client::bls::SecretKey;
use aloft_light_client::header::devchain::{BlockSpec, Keyring, produce};
use aloft_light_client::header::{
    BlockHash, ChainId, Commit, DaRoot, Header, Height, LightBlock, Round, StateRoot, Timestamp,
};
use sha2::{Digest, Sha256};

use crate::validators::ValidatorSchedule;

/// Fault switches that were on when a block was produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults(pub u8);

impl Faults {
    /// The commit's aggregate signature is over another message.
    pub const BAD_SIGNATURE: u8 = 1;
    /// The commit is signed by validators holding at most 2/3 of the power.
    pub const SUB_QUORUM: u8 = 2;
    /// The validators also signed a conflicting header, served to witnesses.
    pub const EQUIVOCATE: u8 = 4;
    /// The primary serves a forged block signed by keys outside the set.
    pub const LYING_RPC: u8 = 8;

    /// Whether `flag` is set.
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

/// Which client-facing node is asking: the primary RPC or a witness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The main header API.
    Primary,
    /// The witness endpoint (`/witness/...`).
    Witness,
}

/// Why the chain could not be opened or extended.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// Reading or writing the chain file failed.
    #[error("chain file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The stored chain was made with another chain id or validator configuration.
    #[error("chain file {path} was made with another configuration ({why}); use another --data-dir or the old config")]
    Mismatch {
        /// The file.
        path: String,
        /// What differs.
        why: String,
    },
}

struct Record {
    header: Header,
    commit: Commit,
    faults: Faults,
}

/// The chain, its keys and its file.
pub struct HeaderChain {
    chain_id: ChainId,
    schedule: ValidatorSchedule,
    keys: Keyring,
    forger: Keyring,
    records: Vec<Record>,
    file: Option<(PathBuf, File)>,
}

impl HeaderChain {
    /// Opens the chain in `dir` (or an in-memory one), reading every stored block.
    pub fn open(chain_id: ChainId, schedule: ValidatorSchedule, dir: Option<&Path>) -> Result<Self, ChainError> {
        let keys = Keyring::new(schedule.seed().as_bytes());
        let forger = Keyring::new(format!("{}/forger", schedule.seed()).as_bytes());
        let mut chain = Self { chain_id, schedule, keys, forger, records: Vec::new(), file: None };
        if let Some(dir) = dir {
            let path = dir.join("headers.bin");
            let shown = path.display().to_string();
            let io = |source| ChainError::Io { path: shown.clone(), source };
            std::fs::create_dir_all(dir).map_err(io)?;
            let mut file = OpenOptions::new().read(true).append(true).create(true).open(&path).map_err(io)?;
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).map_err(io)?;
            let good = chain.load(&bytes, &shown)?;
            if good < bytes.len() {
                // A crash mid-append leaves a partial record: drop it.
                file.set_len(good as u64).map_err(io)?;
            }
            chain.file = Some((path, file));
        }
        Ok(chain)
    }

    /// Reads records; returns how many bytes were whole records.
    fn load(&mut self, bytes: &[u8], path: &str) -> Result<usize, ChainError> {
        let mut at = 0;
        let mismatch = |why: String| ChainError::Mismatch { path: path.to_string(), why };
        while bytes.len() >= at + 4 {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize;
            let Some(body) = bytes.get(at + 4..at + 4 + len) else { break };
            if body.len() < 1 + 205 {
                break;
            }
            let (Ok(header), Ok(commit)) = (Header::decode(&body[1..206]), Commit::decode(&body[206..])) else {
                break;
            };
            let expected = Height(self.records.len() as u64 + 1);
            if header.height != expected || header.chain_id != self.chain_id {
                return Err(mismatch(format!("record for chain {} height {}, expected chain {} height {expected}", header.chain_id, header.height, self.chain_id)));
            }
            let members = self.schedule.members(header.height);
            if self.keys.set(&members).hash() != header.validators_hash {
                return Err(mismatch(format!("the validator set at height {} differs", header.height)));
            }
            self.records.push(Record { header, commit, faults: Faults(body[0]) });
            at += 4 + len;
        }
        Ok(at)
    }

    /// The latest height, if any block exists.
    pub fn latest(&self) -> Option<Height> {
        (!self.records.is_empty()).then_some(Height(self.records.len() as u64))
    }

    /// The latest block's time.
    pub fn latest_time(&self) -> Option<Timestamp> {
        self.records.last().map(|r| r.header.time)
    }

    /// Produces, stores and returns the next block.
    pub fn produce(&mut self, time: Timestamp, state_root: StateRoot, da_root: DaRoot, faults: Faults) -> Result<LightBlock, ChainError> {
        let height = Height(self.records.len() as u64 + 1);
        let parent_hash = self.records.last().map(|r| r.header.hash()).unwrap_or_default();
        let time = match self.latest_time() {
            Some(last) if time <= last => Timestamp(last.0 + 1),
            _ => time,
        };
        let spec = BlockSpec { chain_id: self.chain_id, height, time, parent_hash, state_root, da_root };
        let block = produce(
            &mut self.keys,
            &spec,
            &self.schedule.members(height),
            &self.schedule.members(Height(height.0 + 1)),
        );
        if let Some((path, file)) = &mut self.file {
            let commit = block.commit.encode();
            let mut record = Vec::with_capacity(4 + 1 + 205 + commit.len());
            record.extend_from_slice(&((1 + 205 + commit.len()) as u32).to_be_bytes());
            record.push(faults.0);
            record.extend_from_slice(&block.header.encode());
            record.extend_from_slice(&commit);
            // Synced before the block is served: a client may trust it, so an
            // OS crash must not let the devnet sign another block at this height.
            file.write_all(&record)
                .and_then(|()| file.flush())
                .and_then(|()| file.sync_data())
                .map_err(|source| ChainError::Io { path: path.display().to_string(), source })?;
        }
        self.records.push(Record { header: block.header.clone(), commit: block.commit.clone(), faults });
        Ok(block)
    }

    /// The honest light block at `height`.
    pub fn honest(&mut self, height: Height) -> Option<LightBlock> {
        let record = self.records.get((height.0.checked_sub(1)?) as usize)?;
        let (header, commit) = (record.header.clone(), record.commit.clone());
        Some(LightBlock {
            header,
            commit,
            validators: self.keys.set(&self.schedule.members(height)),
            next_validators: self.keys.set(&self.schedule.members(Height(height.0 + 1))),
        })
    }

    /// The block at `height` as `view` serves it, faults applied.
    pub fn light_block(&mut self, height: Height, view: View) -> Option<LightBlock> {
        let honest = self.honest(height)?;
        let faults = self.records[(height.0 - 1) as usize].faults;
        let members = self.schedule.members(height);
        Some(match view {
            View::Witness if faults.has(Faults::EQUIVOCATE) => {
                // The same validators sign a second header at this height.
                let h = &honest.header;
                let mut root = h.state_root.0;
                root.iter_mut().for_each(|b| *b ^= 0xff);
                let spec = BlockSpec { state_root: StateRoot(root), ..spec_of(h) };
                produce(&mut self.keys, &spec, &members, &self.schedule.members(Height(height.0 + 1)))
            }
            View::Witness => honest,
            View::Primary if faults.has(Faults::LYING_RPC) => {
                // A forged block by keys that were never in the set.
                let h = &honest.header;
                let digest: [u8; 32] = Sha256::digest([b"forged".as_slice(), &h.height.0.to_be_bytes()].concat()).into();
                let spec = BlockSpec { state_root: StateRoot(digest), ..spec_of(h) };
                produce(&mut self.forger, &spec, &members, &members)
            }
            View::Primary if faults.has(Faults::BAD_SIGNATURE) => {
                let mut block = honest;
                let wrong = self.sign(&block.header, Round(block.commit.round.0 + 1), &members, members.len());
                block.commit.signature = wrong.signature;
                block
            }
            View::Primary if faults.has(Faults::SUB_QUORUM) => {
                let mut block = honest;
                let total: u64 = members.iter().map(|m| m.1).sum();
                let mut signed = 0;
                let mut count = 0;
                for (_, power) in &members {
                    if 3 * (signed + power) > 2 * total {
                        break;
                    }
                    signed += power;
                    count += 1;
                }
                block.commit = self.sign(&block.header, block.commit.round, &members, count.max(1));
                block
            }
            View::Primary => honest,
        })
    }

    /// A commit on `header` by the first `count` members.
    fn sign(&mut self, header: &Header, round: Round, members: &[(u32, u64)], count: usize) -> Commit {
        let keys: Vec<(usize, SecretKey)> =
            members.iter().take(count).enumerate().map(|(pos, (i, _))| (pos, self.keys.key(*i).clone())).collect();
        let refs: Vec<(usize, &SecretKey)> = keys.iter().map(|(p, k)| (*p, k)).collect();
        Commit::sign(header, round, members.len(), &refs).expect("at least one signer")
    }

    /// The chain id.
    pub fn chain_id(&self) -> ChainId {
        self.chain_id
    }

    /// The validator schedule.
    pub fn schedule(&self) -> &ValidatorSchedule {
        &self.schedule
    }

    /// The hash of block `height` as `view` serves it.
    pub fn hash(&mut self, height: Height, view: View) -> Option<BlockHash> {
        self.light_block(height, view).map(|b| b.hash())
    }
}

fn spec_of(h: &Header) -> BlockSpec {
    BlockSpec {
        chain_id: h.chain_id,
        height: h.height,
        time: h.time,
        parent_hash: h.parent_hash,
        state_root: h.state_root,
        da_root: h.da_root,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use aloft_light_client::header::{VerifyError, VerifyOptions, verify};

    fn schedule() -> ValidatorSchedule {
        ValidatorSchedule::new("test-seed".into(), 4, 3)
    }

    fn chain_with(faults: &[Faults]) -> HeaderChain {
        let mut chain = HeaderChain::open(ChainId(31337), schedule(), None).unwrap();
        for (i, f) in faults.iter().enumerate() {
            chain.produce(Timestamp(1_000_000 + i as u64 * 1000), StateRoot::EMPTY_TRIE, DaRoot::EMPTY, *f).unwrap();
        }
        chain
    }

    fn check(chain: &mut HeaderChain, h: u64, view: View) -> Result<(), VerifyError> {
        let trusted = chain.honest(Height(h - 1)).unwrap();
        let block = chain.light_block(Height(h), view).unwrap();
        verify(&trusted, &block, &VerifyOptions::default(), Timestamp(1_000_000 + 60_000))
    }

    #[test]
    fn honest_blocks_verify_across_rotations() {
        let mut chain = chain_with(&[Faults::default(); 10]);
        for h in 2..=10 {
            check(&mut chain, h, View::Primary).unwrap();
            check(&mut chain, h, View::Witness).unwrap();
        }
    }

    #[test]
    fn each_fault_is_rejected_for_its_reason() {
        let f = |x| Faults(x);
        let mut chain = chain_with(&[f(0), f(Faults::BAD_SIGNATURE), f(Faults::SUB_QUORUM), f(Faults::LYING_RPC), f(Faults::EQUIVOCATE)]);
        assert!(matches!(check(&mut chain, 2, View::Primary), Err(VerifyError::InvalidSignature { .. })));
        assert!(matches!(check(&mut chain, 3, View::Primary), Err(VerifyError::InsufficientVotingPower { .. })));
        assert!(matches!(check(&mut chain, 4, View::Primary), Err(VerifyError::ValidatorSetChainBroken { .. })));
        // Equivocation: both views verify, and they differ.
        check(&mut chain, 5, View::Primary).unwrap();
        check(&mut chain, 5, View::Witness).unwrap();
        assert_ne!(chain.hash(Height(5), View::Primary), chain.hash(Height(5), View::Witness));
        // The witness serves the other faulty heights honestly.
        check(&mut chain, 2, View::Witness).unwrap();
    }

    #[test]
    fn the_chain_survives_a_restart_and_a_torn_write() {
        let dir = std::env::temp_dir().join(format!("aloft-chain-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut chain = HeaderChain::open(ChainId(31337), schedule(), Some(&dir)).unwrap();
        for i in 0..5 {
            chain.produce(Timestamp(1000 + i), StateRoot::EMPTY_TRIE, DaRoot::EMPTY, Faults::default()).unwrap();
        }
        let head = chain.honest(Height(5)).unwrap();
        drop(chain);
        // A torn append.
        let mut file = OpenOptions::new().append(true).open(dir.join("headers.bin")).unwrap();
        file.write_all(&[0, 0, 1, 0, 7]).unwrap();
        drop(file);
        let mut chain = HeaderChain::open(ChainId(31337), schedule(), Some(&dir)).unwrap();
        assert_eq!(chain.latest(), Some(Height(5)));
        assert_eq!(chain.honest(Height(5)).unwrap(), head);
        let next = chain.produce(Timestamp(0), StateRoot::EMPTY_TRIE, DaRoot::EMPTY, Faults::default()).unwrap();
        assert_eq!(next.header.parent_hash, head.hash());
        assert!(next.header.time > head.header.time, "time stays monotonic");
        drop(chain);
        assert!(matches!(HeaderChain::open(ChainId(1), schedule(), Some(&dir)), Err(ChainError::Mismatch { .. })));
        let other = ValidatorSchedule::new("other".into(), 4, 3);
        assert!(matches!(HeaderChain::open(ChainId(31337), other, Some(&dir)), Err(ChainError::Mismatch { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
