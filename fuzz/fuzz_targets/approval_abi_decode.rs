//! Transaction calldata as a dapp passes it, decoded for the approval view
//! (ERC-20, ERC-721, ERC-7857): any bytes become a view, never a panic.
#![no_main]

use aloft_extension::decode::decode_call;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let view = decode_call(data);
    assert!(view.get("kind").and_then(|k| k.as_str()).is_some(), "every view says its kind");
});
