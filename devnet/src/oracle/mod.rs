//! The ERC-7857 transfer oracle of the devnet: a **SIMULATED TEE**.
//!
//! ERC-7857 moves an agent's data key from owner to owner through an oracle
//! that sees the plaintext: a TEE (with remote attestation) or a ZK prover.
//! This service plays the TEE's part in an ordinary process. **It has no
//! hardware isolation and no attestation: whoever runs the devnet can read
//! every agent it re-encrypts, and its signing key is public**
//! ([`contracts::oracle_signer`], `keccak256("aloft devnet oracle")`). It
//! exists so the protocol can run end to end on one machine; nothing here
//! is a security claim. Its address is the one the genesis `AgentVerifier`
//! trusts, and it signs exactly what that contract checks.
//!
//! `aloft_oracleTransfer` (JSON-RPC on `POST /`, default `127.0.0.1:8592`), in order:
//! 1. read the token's data hash (`intelligentDatasOf(tokenId)[dataIndex]`) from the chain;
//! 2. check the receiver's access proof as `AgentVerifier` will: its data
//!    hash is the token's ([`OracleError::HashMismatch`]), its EIP-191 signer over
//!    `keccak256(dataHash ‖ targetPubkey ‖ nonce)` is the receiver or its delegate
//!    ([`OracleError::BadAccessProof`]), its nonce is unused here and on chain
//!    ([`OracleError::ReplayedNonce`]); the key to seal to is the one the proof
//!    wants, or else one whose address is the receiver ([`OracleError::WrongReceiver`]);
//! 3. open the sealed data key with the oracle's secret key ([`OracleError::WrongKey`]);
//! 4. stream the ciphertext from the storage peers through the envelope
//!    [`Decryptor`] (the key commitment names a wrong key at once) and check
//!    that its 0G root is the token's data hash;
//! 5. re-encrypt every byte under a fresh data key into a scratch file,
//!    building the new ciphertext's 0G tree on the way;
//! 6. submit the new root and upload it erasure-coded to the peers;
//! 7. seal the new key to the receiver (ECIES, eciesjs format) and sign the
//!    ownership proof `keccak256(dataHash ‖ sealedKey ‖ targetPubkey ‖ nonce)`
//!    (EIP-191 over its 66-character hex, as `AgentVerifier` recovers it).
//!
//! The ownership proof's nonce is the new ciphertext's 0G root (32 bytes):
//! unique for every re-encryption (fresh key), and it tells the receiver,
//! from the `iTransferFrom`/`iCloneFrom` calldata, where its copy is. The
//! contract keeps the token's data hash on transfer, so the new owner then
//! calls `update(tokenId, [{description, newDataHash}])`. Cloning uses the
//! same request: `iCloneFrom` checks the same proofs.

mod error;
mod http;
pub mod storage;

use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use alloy_primitives::{Address, B256, Bytes, Signature, U256, keccak256};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::{SolCall, SolValue, sol};
use aloft_light_client::inft::{
    ChunkSize, DataKey, Decryptor, Encryptor, FileBytes, NoncePrefix, PublicKey, SecretKey, open_data_key,
    seal_data_key,
};
use aloft_light_client::storage::{FileTreeBuilder, Root};
use serde::{Deserialize, Serialize};

use crate::contracts;
use crate::evm::ExecutionLayer;
use crate::evm::chain::CallRequest;
pub use error::OracleError;
pub use http::router;
use storage::PeerSet;

sol! {
    struct IntelligentData { string dataDescription; bytes32 dataHash; }
    function intelligentDatasOf(uint256 tokenId) returns (IntelligentData[]);
    function getDelegateAccess(address user) returns (address);
    function usedProofs(bytes32 key) returns (bool);
}

/// The receiver's access proof, as `AgentVerifier` takes it (hex strings in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessProof {
    /// The data hash the receiver asks for.
    pub data_hash: B256,
    /// The key the receiver wants the data sealed to; empty: any key of the receiver's address.
    pub target_pubkey: Bytes,
    /// A fresh nonce.
    pub nonce: Bytes,
    /// EIP-191 signature (65 bytes) over `keccak256(dataHash ‖ targetPubkey ‖ nonce)`'s hex.
    pub proof: Bytes,
}

/// The oracle's ownership proof, as `AgentVerifier` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnershipProof {
    /// 0: TEE.
    pub oracle_type: u8,
    /// The token's data hash.
    pub data_hash: B256,
    /// The new data key sealed to `target_pubkey` (129 bytes).
    pub sealed_key: Bytes,
    /// The receiver's key (64 raw bytes, or the access proof's wanted key).
    pub target_pubkey: Bytes,
    /// The new ciphertext's 0G root.
    pub nonce: Bytes,
    /// The oracle's EIP-191 signature over `keccak256(dataHash ‖ sealedKey ‖ targetPubkey ‖ nonce)`'s hex.
    pub proof: Bytes,
}

/// `aloft_oracleTransfer`'s one parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransferRequest {
    /// The token (decimal or 0x hex string).
    pub token_id: String,
    /// Which of its intelligent data (default 0).
    #[serde(default)]
    pub data_index: usize,
    /// The current data key sealed to the oracle's public key.
    pub sealed_key: Bytes,
    /// The new owner.
    pub receiver: Address,
    /// The new owner's public key (33, 64 or 65 bytes).
    pub receiver_pubkey: Bytes,
    /// The new owner's access proof.
    pub access_proof: AccessProof,
}

/// `aloft_oracleTransfer`'s answer: the `TransferValidityProof` to pass to
/// `iTransferFrom`/`iCloneFrom`, and where the new ciphertext is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferResponse {
    /// The access proof, as given.
    pub access_proof: AccessProof,
    /// The oracle's proof.
    pub ownership_proof: OwnershipProof,
    /// The new ciphertext's 0G root (also the ownership nonce).
    pub new_data_hash: B256,
    /// The new ciphertext's length in bytes.
    pub new_length: u64,
}

/// The oracle: its keys, the chain it reads and the storage it uses.
#[derive(Debug)]
pub struct Oracle {
    secret: SecretKey,
    signer: PrivateKeySigner,
    evm: Arc<ExecutionLayer>,
    storage: PeerSet,
    used: Mutex<HashSet<Vec<u8>>>,
}

/// A scratch file removed when dropped.
struct Scratch(PathBuf, File);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn random<const N: usize>() -> Result<[u8; N], OracleError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| OracleError::Storage(format!("no OS randomness: {e}")))?;
    Ok(out)
}

fn storage_io(what: &str) -> impl Fn(std::io::Error) -> OracleError + '_ {
    move |e| OracleError::Storage(format!("{what}: {e}"))
}

/// The EIP-191 signer of `inner`'s 66-character hex, as `AgentVerifier` recovers it.
pub fn recover(inner: B256, signature: &[u8]) -> Option<Address> {
    let sig = Signature::try_from(signature).ok()?;
    sig.recover_address_from_msg(format!("{inner:#x}").as_bytes()).ok()
}

/// The address of a 64-byte raw public key (`AgentNFT._pubKeyToAddress`).
fn address_of(raw64: &[u8]) -> Address {
    Address::from_slice(&keccak256(raw64)[12..])
}

impl Oracle {
    /// The devnet oracle over `evm` and `storage`, with the public devnet key.
    pub fn new(evm: Arc<ExecutionLayer>, storage: PeerSet) -> Self {
        let signer = contracts::oracle_signer();
        let secret = SecretKey::from_bytes(&signer.to_bytes()[..]).expect("the oracle signer's key is a valid secret key");
        Oracle { secret, signer, evm, storage, used: Mutex::new(HashSet::new()) }
    }

    /// The key data keys are sealed to for the oracle.
    pub fn public_key(&self) -> PublicKey {
        self.secret.public_key()
    }

    /// The address `AgentVerifier` trusts.
    pub fn address(&self) -> Address {
        self.signer.address()
    }

    fn call<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return, OracleError> {
        let req = CallRequest { to: Some(to), data: call.abi_encode().into(), ..Default::default() };
        let chain = self.evm.read();
        let out = chain.call(chain.head().header.number, &req).map_err(|e| OracleError::Chain(e.to_string()))?;
        C::abi_decode_returns(&out.output).map_err(|e| OracleError::Chain(e.to_string()))
    }

    /// Steps 1–7 of the module doc. Blocking (I/O and CPU): run it off the async threads.
    pub fn transfer(&self, req: &TransferRequest) -> Result<TransferResponse, OracleError> {
        let at = contracts::addresses();
        let token: U256 = req
            .token_id
            .parse()
            .map_err(|_| OracleError::BadRequest(format!("tokenId {:?} is not a number", req.token_id)))?;
        let no_data = || OracleError::NoSuchData { token: token.to_string(), index: req.data_index };
        let datas = self.call(at.agent_nft, intelligentDatasOfCall { tokenId: token }).map_err(|_| no_data())?;
        let data_hash = datas.get(req.data_index).ok_or_else(no_data)?.dataHash;
        let root = Root(data_hash.0);

        let access = &req.access_proof;
        if access.data_hash != data_hash {
            return Err(OracleError::HashMismatch { token: root, given: Root(access.data_hash.0) });
        }
        let inner = keccak256([data_hash.as_slice(), &access.target_pubkey, &access.nonce].concat());
        let signer = recover(inner, &access.proof).unwrap_or(Address::ZERO);
        let delegate = self.call(at.agent_nft, getDelegateAccessCall { user: req.receiver })?;
        if signer == Address::ZERO || (signer != req.receiver && signer != delegate) {
            return Err(OracleError::BadAccessProof { signer: signer.to_string(), receiver: req.receiver.to_string() });
        }
        let receiver_key = PublicKey::from_bytes(&req.receiver_pubkey)
            .map_err(|e| OracleError::BadRequest(format!("receiverPubkey: {e}")))?;
        let target = if access.target_pubkey.is_empty() {
            let raw = receiver_key.to_raw64();
            if address_of(&raw) != req.receiver {
                return Err(OracleError::WrongReceiver(format!(
                    "receiverPubkey is the key of {}, not of the receiver {}",
                    address_of(&raw),
                    req.receiver
                )));
            }
            Bytes::from(raw.to_vec())
        } else {
            if access.target_pubkey != req.receiver_pubkey {
                return Err(OracleError::WrongReceiver(
                    "the access proof wants the data sealed to another key than receiverPubkey".into(),
                ));
            }
            access.target_pubkey.clone()
        };
        let nonce_key = keccak256((access.nonce.clone(), at.agent_nft).abi_encode_params());
        let replayed = || OracleError::ReplayedNonce(hex::encode(&access.nonce));
        if self.call(at.verifier, usedProofsCall { key: nonce_key })? {
            return Err(replayed());
        }
        if !self.used.lock().unwrap_or_else(|p| p.into_inner()).insert(access.nonce.to_vec()) {
            return Err(replayed());
        }
        let result = self.reencrypt_and_prove(req, data_hash, root, &receiver_key, target);
        if result.is_err() {
            self.used.lock().unwrap_or_else(|p| p.into_inner()).remove(&access.nonce.to_vec());
        }
        result
    }

    fn reencrypt_and_prove(
        &self,
        req: &TransferRequest,
        data_hash: B256,
        root: Root,
        receiver_key: &PublicKey,
        target: Bytes,
    ) -> Result<TransferResponse, OracleError> {
        let key = open_data_key(&self.secret, &req.sealed_key).map_err(OracleError::from_ecies)?;
        let path = std::env::temp_dir().join(format!("aloft-oracle-{}", hex::encode(random::<8>()?)));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(storage_io("cannot create the scratch file"))?;
        let mut scratch = Scratch(path, file);
        let mut job = Reencrypt {
            dec: Some(Decryptor::new(key)),
            enc: None,
            new_key: DataKey::from_bytes(random()?),
            prefix: NoncePrefix(random()?),
            tree: FileTreeBuilder::new(),
            out: Vec::new(),
            file: &mut scratch.1,
        };
        self.storage.fetch(&root, |bytes| job.feed(bytes))?;
        let (new_key, tree) = job.finish(root)?;
        let new_root = tree.root();
        let new_length = tree.commitment().length;
        let file = &scratch.1;
        self.storage.upload(&tree, |range| {
            let mut buf = vec![0u8; (range.end - range.start) as usize];
            file.read_exact_at(&mut buf, range.start).map_err(storage_io("cannot read the scratch file"))?;
            Ok(buf)
        })?;
        drop(scratch);

        let sealed = loop {
            match seal_data_key(receiver_key, &new_key, &random()?, &random()?) {
                Err(aloft_light_client::inft::EciesError::BadEphemeralSecret) => continue,
                other => break other.map_err(|e| OracleError::BadRequest(format!("receiverPubkey: {e}")))?,
            }
        };
        let sealed = Bytes::from(sealed);
        let nonce = Bytes::from(new_root.0.to_vec());
        let inner = keccak256([data_hash.as_slice(), &sealed, &target, &nonce].concat());
        let proof = self
            .signer
            .sign_message_sync(format!("{inner:#x}").as_bytes())
            .map_err(|e| OracleError::Chain(format!("cannot sign: {e}")))?;
        Ok(TransferResponse {
            access_proof: req.access_proof.clone(),
            ownership_proof: OwnershipProof {
                oracle_type: 0,
                data_hash,
                sealed_key: sealed,
                target_pubkey: target,
                nonce,
                proof: Bytes::from(proof.as_bytes().to_vec()),
            },
            new_data_hash: B256::from(new_root.0),
            new_length,
        })
    }
}

/// Steps 4 and 5: decrypt what storage serves, re-encrypt it, keep the new ciphertext.
struct Reencrypt<'a> {
    dec: Option<Decryptor>,
    enc: Option<Encryptor>,
    new_key: DataKey,
    prefix: NoncePrefix,
    tree: FileTreeBuilder,
    out: Vec<u8>,
    file: &'a mut File,
}

impl Reencrypt<'_> {
    fn map(e: aloft_light_client::inft::EnvelopeError) -> OracleError {
        match e {
            aloft_light_client::inft::EnvelopeError::WrongKey => {
                OracleError::WrongKey("the sealed key is not the key of this token's data".into())
            }
            other => OracleError::Envelope(other),
        }
    }

    fn feed(&mut self, bytes: &[u8]) -> Result<(), OracleError> {
        let dec = self.dec.as_mut().ok_or(OracleError::Envelope(aloft_light_client::inft::EnvelopeError::Poisoned))?;
        let pieces = dec.push(bytes).map_err(Self::map)?;
        if self.enc.is_none() {
            if let Some(m) = dec.manifest() {
                self.enc = Some(Encryptor::new(&self.new_key, self.prefix, ChunkSize::DEFAULT, m.clone()));
            }
        }
        self.write(pieces)
    }

    fn write(&mut self, pieces: Vec<FileBytes>) -> Result<(), OracleError> {
        let Some(enc) = self.enc.as_mut() else { return Ok(()) };
        for p in pieces {
            enc.push(&p.bytes, &mut self.out).map_err(OracleError::Envelope)?;
        }
        self.flush()
    }

    fn flush(&mut self) -> Result<(), OracleError> {
        self.tree.update(&self.out);
        self.file.write_all(&self.out).map_err(storage_io("cannot write the scratch file"))?;
        self.out.clear();
        Ok(())
    }

    fn finish(mut self, root: Root) -> Result<(DataKey, aloft_light_client::storage::FileTree), OracleError> {
        let dec = self.dec.take().ok_or(OracleError::Envelope(aloft_light_client::inft::EnvelopeError::Poisoned))?;
        let opened = dec.finish().map_err(Self::map)?;
        if opened.commitment.root != root {
            return Err(OracleError::HashMismatch { token: root, given: opened.commitment.root });
        }
        if self.enc.is_none() {
            self.enc = Some(Encryptor::new(&self.new_key, self.prefix, ChunkSize::DEFAULT, opened.manifest.clone()));
        }
        self.write(opened.last)?;
        let enc = self.enc.take().ok_or(OracleError::Envelope(aloft_light_client::inft::EnvelopeError::Poisoned))?;
        let done = enc.finish(&mut self.out).map_err(OracleError::Envelope)?;
        self.flush()?;
        let tree = self.tree.finish().map_err(|e| OracleError::Storage(e.to_string()))?;
        if tree.root() != done.commitment.root {
            return Err(OracleError::Storage("the new ciphertext's tree and commitment disagree".into()));
        }
        Ok((self.new_key, tree))
    }
}
