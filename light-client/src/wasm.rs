//! The JavaScript API web apps embed (wasm32 only).
//!
//! A thin layer: every function validates what JavaScript hands it and throws
//! a JS `Error` whose message says what was wrong; nothing a caller passes can
//! make it panic. The header client, DA sampling and state proofs join this
//! API as they land; the TypeScript types come from wasm-bindgen's `.d.ts`.

use wasm_bindgen::prelude::*;

use crate::bls;

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
