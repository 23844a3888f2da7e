//! The JavaScript API web apps embed (wasm32 only).
//!
//! A thin layer: every function validates what JavaScript hands it and throws
//! a JS `Error` whose message says what was wrong; nothing a caller passes can
//! make it panic. State proofs: `verifyAccountProof`, `erc721OwnerSlot`,
//! `verifyErc721Owner`; headers: the `HeaderClient` class, with state read
//! against its verified headers (`verified`: `verifiedAccount`,
//! `verifiedOwnerOf`). DA sampling joins
//! this API as it lands; the TypeScript types come from wasm-bindgen's `.d.ts`.
//!
//! Modules: `headers` (the `HeaderClient` class), `platform` (fetch, clock
//! and IndexedDB through `glue.js`), `lock` (one operation at a time).

#[cfg(feature = "bench")]
mod bench;
pub(crate) mod headers;
mod lock;
mod platform;

use wasm_bindgen::prelude::*;

use crate::{bls, state};

mod storage;
mod verified;

/// The verifier's version.
#[wasm_bindgen(js_name = aloftVersion)]
pub fn aloft_version() -> String {
    crate::VERSION.to_string()
}

/// Verifies an IETF BLS signature (ciphersuite
/// `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`): a 48-byte compressed
/// public key, the message bytes, a 96-byte compressed signature. Returns
/// whether it is valid; throws when a key or signature cannot be decoded.
#[wasm_bindgen(js_name = blsVerify)]
pub fn bls_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<bool, JsError> {
    let pk = bls::PublicKey::from_bytes(public_key).map_err(|e| JsError::new(&format!("public key: {e}")))?;
    let sig = bls::Signature::from_bytes(signature).map_err(|e| JsError::new(&format!("signature: {e}")))?;
    Ok(bls::verify(&pk, message, &sig))
}

/// Verifies one signature by many keys over one message. `public_keys` is
/// the keys' 48-byte encodings concatenated.
#[wasm_bindgen(js_name = blsFastAggregateVerify)]
pub fn bls_fast_aggregate_verify(public_keys: &[u8], message: &[u8], signature: &[u8]) -> Result<bool, JsError> {
    if public_keys.is_empty() || public_keys.len() % bls::G1_COMPRESSED_SIZE != 0 {
        return Err(JsError::new(&format!(
            "public keys: expected a non-empty multiple of {} bytes, got {}",
            bls::G1_COMPRESSED_SIZE,
            public_keys.len()
        )));
    }
    let keys = public_keys
        .chunks(bls::G1_COMPRESSED_SIZE)
        .enumerate()
        .map(|(i, k)| bls::PublicKey::from_bytes(k).map_err(|e| JsError::new(&format!("public key {i}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let sig = bls::Signature::from_bytes(signature).map_err(|e| JsError::new(&format!("signature: {e}")))?;
    Ok(bls::fast_aggregate_verify(&keys, message, &sig))
}

fn state_err(what: &str, e: crate::state::StateProofError) -> JsError {
    JsError::new(&format!("{what}: {e}"))
}

fn parse_proof(proof_json: &str) -> Result<state::ProofResponse, JsError> {
    serde_json::from_str(proof_json).map_err(|e| JsError::new(&format!("proof: not an eth_getProof result: {e}")))
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| JsError::new("cannot build the result object"))
}

/// Verifies an `eth_getProof` result (its JSON text) for `address` against
/// `stateRoot` (hex, from a verified header). Every claimed field is checked.
/// Returns `{address, balance, nonce, codeHash, storageHash, storage}` with
/// `balance` a hex quantity, `nonce` a BigInt and `storage` a list of
/// `{slot, value}`; throws with the reason when anything does not verify.
#[wasm_bindgen(js_name = verifyAccountProof)]
pub fn verify_account_proof(state_root: &str, address: &str, proof_json: &str) -> Result<JsValue, JsError> {
    let root = state::StateRoot::from_hex("stateRoot", state_root).map_err(|e| state_err("state root", e))?;
    let address = state::Address::from_hex("address", address).map_err(|e| state_err("address", e))?;
    let verified = parse_proof(proof_json)?.verify(&root, &address).map_err(|e| state_err("proof", e))?;
    let out = js_sys::Object::new();
    set(&out, "address", &JsValue::from_str(&verified.address.to_string()))?;
    set(&out, "balance", &JsValue::from_str(&verified.account.balance.to_quantity()))?;
    set(&out, "nonce", &js_sys::BigInt::from(verified.account.nonce).into())?;
    set(&out, "codeHash", &JsValue::from_str(&verified.account.code_hash.to_string()))?;
    set(&out, "storageHash", &JsValue::from_str(&verified.account.storage_root.to_string()))?;
    let storage = js_sys::Array::new();
    for (slot, value) in &verified.storage {
        let entry = js_sys::Object::new();
        set(&entry, "slot", &JsValue::from_str(&slot.to_string()))?;
        set(&entry, "value", &JsValue::from_str(&value.to_quantity()))?;
        storage.push(&entry);
    }
    set(&out, "storage", &storage)?;
    Ok(out.into())
}

/// The storage slot of `ownerOf(tokenId)` in an OpenZeppelin-layout ERC-721
/// (what to pass to `eth_getProof`). `tokenId` is decimal or `0x` hex.
#[wasm_bindgen(js_name = erc721OwnerSlot)]
pub fn erc721_owner_slot(token_id: &str) -> Result<String, JsError> {
    let token = state::Word::parse("tokenId", token_id).map_err(|e| state_err("token id", e))?;
    Ok(state::owner_slot(&token).to_string())
}

/// Verifies `eth_getProof(contract, [erc721OwnerSlot(tokenId)])` against
/// `stateRoot` and returns the proven owner's address; throws if the proof
/// fails, the answer lies, or the token has no owner.
#[wasm_bindgen(js_name = verifyErc721Owner)]
pub fn verify_erc721_owner(state_root: &str, contract: &str, token_id: &str, proof_json: &str) -> Result<String, JsError> {
    let root = state::StateRoot::from_hex("stateRoot", state_root).map_err(|e| state_err("state root", e))?;
    let contract = state::Address::from_hex("contract", contract).map_err(|e| state_err("contract", e))?;
    let token = state::Word::parse("tokenId", token_id).map_err(|e| state_err("token id", e))?;
    let owner = state::verify_owner(&root, &contract, &token, &parse_proof(proof_json)?)
        .map_err(|e| state_err("ownerOf", e))?;
    Ok(owner.to_string())
}
