//! Web3 Secret Storage v3 files as a user imports them: every malformed
//! file, unknown cipher or KDF and out-of-bounds KDF cost is refused with a
//! typed error before any expensive work.
#![no_main]

use aloft_extension::keys::keystore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keystore::import(text, "testpassword");
    }
});
