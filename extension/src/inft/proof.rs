//! The digests ERC-7857 proofs sign, as `contracts/src/AgentVerifier.sol`
//! (and 0G's reference verifier) checks them: an EIP-191 personal signature
//! over the 66-character `0x…` lower-case hex text of a keccak256 digest.
//!
//! - access:    keccak256(dataHash ‖ targetPubkey ‖ nonce), signed by the receiver;
//! - ownership: keccak256(dataHash ‖ sealedKey ‖ targetPubkey ‖ nonce), signed by the oracle.
//!
//! The receiver's signature also tells the sender the receiver's public key
//! (recovered from it), which is what the data key must be sealed to.

use alloy_primitives::{Address, B256};

use super::abi::{AccessProof, DataHash, OwnershipProof};
use crate::keys::{KeyError, PrivateKey, Signature, keccak256};
use crate::sign::personal_digest;

fn personal(inner: B256) -> B256 {
    personal_digest(format!("{inner:#x}").as_bytes())
}

/// The digest the receiver signs for an access proof.
pub fn access_digest(data_hash: &DataHash, target_pubkey: &[u8], nonce: &[u8]) -> B256 {
    let mut bytes = data_hash.0.to_vec();
    bytes.extend_from_slice(target_pubkey);
    bytes.extend_from_slice(nonce);
    personal(keccak256(bytes))
}

/// The digest the oracle signs for an ownership proof.
pub fn ownership_digest(p: &OwnershipProof) -> B256 {
    let mut bytes = p.data_hash.0.to_vec();
    bytes.extend_from_slice(&p.sealed_key);
    bytes.extend_from_slice(&p.target_pubkey);
    bytes.extend_from_slice(&p.nonce);
    personal(keccak256(bytes))
}

/// Signs an access proof for `data_hash` with the receiver's `key`.
/// `target_pubkey` empty means "seal to my own key" (the contract then checks
/// the oracle's target key against the receiver's address).
pub fn sign_access(
    key: &PrivateKey,
    data_hash: DataHash,
    target_pubkey: Vec<u8>,
    nonce: Vec<u8>,
) -> AccessProof {
    let digest = access_digest(&data_hash, &target_pubkey, &nonce);
    let proof = key.sign_digest(&digest).to_rsv().to_vec();
    AccessProof {
        data_hash,
        target_pubkey: target_pubkey.into(),
        nonce: nonce.into(),
        proof: proof.into(),
    }
}

/// Who signed an access proof, and their public key (64 bytes).
pub fn access_signer(p: &AccessProof) -> Result<(Address, [u8; 64]), KeyError> {
    let digest = access_digest(&p.data_hash, &p.target_pubkey, &p.nonce);
    let sig = Signature::from_rsv(&p.proof)?;
    Ok((sig.recover(&digest)?, sig.recover_public_key(&digest)?))
}

/// Who signed an ownership proof (the contract wants the oracle).
pub fn ownership_signer(p: &OwnershipProof) -> Result<Address, KeyError> {
    Signature::from_rsv(&p.proof)?.recover(&ownership_digest(p))
}

/// The address of a 64-byte public key (what the contract computes from `targetPubkey`).
pub fn pubkey_address(pubkey: &[u8]) -> Option<Address> {
    (pubkey.len() == 64).then(|| Address::from_slice(&keccak256(pubkey)[12..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> PrivateKey {
        PrivateKey::from_bytes(&[byte; 32]).expect("valid key")
    }

    #[test]
    fn an_access_proof_names_its_signer_and_key() {
        let k = key(7);
        let p = sign_access(
            &k,
            DataHash(B256::repeat_byte(1)),
            vec![],
            b"nonce-1".to_vec(),
        );
        let (who, pubkey) = access_signer(&p).expect("recovers");
        assert_eq!(who, k.address());
        assert_eq!(pubkey, k.public_key());
        assert_eq!(pubkey_address(&pubkey), Some(k.address()));
        // Any changed field changes the signer.
        let mut tampered = p.clone();
        tampered.nonce = b"nonce-2".to_vec().into();
        assert_ne!(access_signer(&tampered).map(|r| r.0), Ok(k.address()));
        assert_eq!(pubkey_address(&[0; 33]), None);
    }

    #[test]
    fn the_digest_is_eip191_over_the_hex_text() {
        // keccak256(0x00..00 ‖ "" ‖ "") as 66 hex characters, then EIP-191.
        let inner = keccak256([0u8; 32]);
        let text = format!("{inner:#x}");
        assert_eq!(text.len(), 66);
        let mut msg = format!("\x19Ethereum Signed Message:\n{}", text.len()).into_bytes();
        msg.extend_from_slice(text.as_bytes());
        assert_eq!(
            access_digest(&DataHash(B256::ZERO), &[], &[]),
            keccak256(msg)
        );
    }

    #[test]
    fn an_ownership_proof_recovers_the_oracle() {
        let oracle = key(9);
        let mut p = OwnershipProof {
            oracle_type: 0,
            data_hash: DataHash(B256::repeat_byte(2)),
            sealed_key: vec![1, 2, 3].into(),
            target_pubkey: key(7).public_key().to_vec().into(),
            nonce: b"n".to_vec().into(),
            proof: Default::default(),
        };
        p.proof = oracle
            .sign_digest(&ownership_digest(&p))
            .to_rsv()
            .to_vec()
            .into();
        assert_eq!(ownership_signer(&p), Ok(oracle.address()));
        p.proof = vec![0; 10].into();
        assert_eq!(ownership_signer(&p), Err(KeyError::BadSignature));
    }
}
