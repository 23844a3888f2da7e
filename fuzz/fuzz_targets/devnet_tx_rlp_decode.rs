//! Raw transactions as `eth_sendRawTransaction` hands them to the devnet
//! (EIP-2718 envelopes, chain id and sender recovery), and the light
//! client's strict RLP and Merkle-Patricia proof walk on the same bytes.
#![no_main]

use aloft_devnet::evm::tx;
use aloft_light_client::state::{rlp, trie};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(signed) = tx::decode(data, 31337) {
        let _ = tx::intrinsic_gas(signed.inner());
    }
    let _ = rlp::decode(data);
    if let Ok(items) = rlp::decode_list(data) {
        for item in &items {
            let _ = rlp::uint(item);
        }
    }
    let _ = rlp::decode_bytes(data);
    // The same bytes as a one-node proof against its own hash and a key.
    let root = trie::keccak(data);
    let proof = vec![data.to_vec()];
    let _ = trie::verify(&root, &[0u8; 32], &proof);
    let _ = trie::verify(&root, &trie::keccak(&[]), &proof);
});
