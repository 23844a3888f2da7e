//! BLS12-381 public keys (48-byte compressed G1) and signatures (96-byte
//! compressed G2) as a peer sends them: decoding must refuse every invalid
//! point (off-curve, wrong subgroup, bad flags, infinity where forbidden)
//! with an error, and verifying whatever decodes must answer, never panic.
#![no_main]

use aloft_light_client::bls::{self, PublicKey, Signature, SignatureSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let pk = data.get(..48).map(PublicKey::from_bytes);
    let sig = data.get(48..144).map(Signature::from_bytes);
    let msg = data.get(144..).unwrap_or(&[]);
    if let (Some(Ok(pk)), Some(Ok(sig))) = (pk, sig) {
        let single = bls::verify(&pk, msg, &sig);
        let fast = bls::fast_aggregate_verify(std::slice::from_ref(&pk), msg, &sig);
        assert_eq!(single, fast, "one-key FastAggregateVerify must agree with Verify");
        let _ = bls::pop_verify(&pk, &sig);
        let set = SignatureSet::new(pk, msg, sig);
        let _ = bls::batch_verify(&[set], &[1u8; 32]);
    }
    // Any length at all: only the exact sizes may decode.
    if let Ok(p) = PublicKey::from_bytes(data) {
        assert_eq!(data.len(), 48);
        assert_eq!(p.to_bytes().as_slice(), data, "a decoded key re-encodes to its bytes");
    }
    if let Ok(s) = Signature::from_bytes(data) {
        assert_eq!(data.len(), 96);
        assert_eq!(s.to_bytes().as_slice(), data, "a decoded signature re-encodes to its bytes");
    }
});
