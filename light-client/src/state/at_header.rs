//! State reads against a verified header: the `eth_getProof` request for the
//! EVM block a header signs (EVM block `h` is header `h`'s block, so the
//! header's `state_root` is that block's state root), and the checks of the
//! answer against that root. Sans-IO: the caller sends the request and hands
//! back the raw JSON-RPC answer.
//!
//! A JSON-RPC error, a result that is not an `eth_getProof` answer, a proof
//! that does not reach the header's root, and a claimed field the proof
//! contradicts are each refused with their reason.

use serde_json::{Value, json};

use super::{Address, ProofResponse, StateProofError, StateRoot, StorageSlot, VerifiedAccount, Word, owner_slot, verify_owner};
use crate::header::Header;

/// The state root a verified header commits to, as the state module's type.
pub fn state_root_of(header: &Header) -> StateRoot {
    StateRoot(header.state_root.0)
}

/// The JSON-RPC request for `address`'s proof (and `slots`) at the EVM
/// block of `header`.
pub fn proof_request(header: &Header, address: &Address, slots: &[StorageSlot]) -> Value {
    let slots: Vec<String> = slots.iter().map(ToString::to_string).collect();
    json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "eth_getProof",
        "params": [address.to_string(), slots, format!("{:#x}", header.height.0)],
    })
}

/// The `eth_getProof` request that proves `ownerOf(token)` of `contract`.
pub fn owner_request(header: &Header, contract: &Address, token: &Word) -> Value {
    proof_request(header, contract, &[owner_slot(token)])
}

/// The `result` of a JSON-RPC answer, as an `eth_getProof` response.
pub fn parse_answer(body: &[u8]) -> Result<ProofResponse, StateProofError> {
    let bad = |reason: String| StateProofError::Field { field: "eth_getProof answer", reason };
    let value: Value = serde_json::from_slice(body).map_err(|e| bad(format!("not JSON: {e}")))?;
    if let Some(error) = value.get("error") {
        return Err(bad(format!("the RPC answered an error: {error}")));
    }
    let result = value.get("result").ok_or_else(|| bad("no result in the JSON-RPC answer".into()))?;
    serde_json::from_value(result.clone()).map_err(|e| bad(format!("not an eth_getProof result: {e}")))
}

/// Verifies an `eth_getProof` answer for `address` against `header`'s state root.
pub fn verify_account_at(header: &Header, address: &Address, body: &[u8]) -> Result<VerifiedAccount, StateProofError> {
    parse_answer(body)?.verify(&state_root_of(header), address)
}

/// Verifies an [`owner_request`] answer against `header`'s state root and
/// returns the proven owner of `token`.
pub fn verify_owner_at(header: &Header, contract: &Address, token: &Word, body: &[u8]) -> Result<Address, StateProofError> {
    verify_owner(&state_root_of(header), contract, token, &parse_answer(body)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::header::devchain::{BlockSpec, Keyring, produce};
    use crate::header::{ChainId, DaRoot, Height, StateRoot as HeaderRoot, Timestamp};

    fn header(height: u64) -> Header {
        let mut keys = Keyring::new(b"test");
        let members = [(0, 10)];
        let spec = BlockSpec {
            chain_id: ChainId(31337),
            height: Height(height),
            time: Timestamp(1),
            parent_hash: Default::default(),
            state_root: HeaderRoot::EMPTY_TRIE,
            da_root: DaRoot::EMPTY,
        };
        produce(&mut keys, &spec, &members, &members).header
    }

    #[test]
    fn the_request_names_the_headers_block() {
        let address = Address::from_hex("address", "0x00000000000000000000000000000000000000aa").unwrap();
        let req = proof_request(&header(42), &address, &[]);
        assert_eq!(req["method"], "eth_getProof");
        assert_eq!(req["params"][2], "0x2a");
        assert_eq!(req["params"][0], address.to_string());
    }

    #[test]
    fn errors_and_garbage_are_refused_with_their_reason() {
        let address = Address::from_hex("address", "0x00000000000000000000000000000000000000aa").unwrap();
        let h = header(1);
        let e = verify_account_at(&h, &address, br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header not found"}}"#)
            .unwrap_err();
        assert!(e.to_string().contains("header not found"), "{e}");
        let e = verify_account_at(&h, &address, b"<html>").unwrap_err();
        assert!(e.to_string().contains("not JSON"), "{e}");
        let e = verify_account_at(&h, &address, br#"{"jsonrpc":"2.0","id":1,"result":{"balance":"0x1"}}"#).unwrap_err();
        assert!(e.to_string().contains("not an eth_getProof result"), "{e}");
    }
}
