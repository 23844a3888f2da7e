//! Header, commit, validator-set, light-block and evidence bytes as an RPC
//! or witness serves them (docs/protocol.md formats): decoding refuses with a
//! typed error, a decoded block re-encodes to the same bytes, and verifying
//! any decoded block against a real trusted block (skipping and adjacent)
//! answers without panicking.
#![no_main]

use std::sync::OnceLock;

use aloft_light_client::header::{
    Commit, Evidence, Header, Height, LightBlock, Timestamp, ValidatorSet, VerifyOptions, devchain::ChainBuilder, validate_basic,
    verify,
};
use libfuzzer_sys::fuzz_target;

fn four(_: Height) -> Vec<(u32, u64)> {
    vec![(0, 10), (1, 10), (2, 10), (3, 10)]
}

fn trusted() -> &'static LightBlock {
    static BLOCK: OnceLock<LightBlock> = OnceLock::new();
    BLOCK.get_or_init(|| {
        let mut blocks = ChainBuilder::new().build(1, &four);
        blocks.remove(0)
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = Header::decode(data);
    let _ = Commit::decode(data);
    let _ = ValidatorSet::decode(data);
    if let Ok(e) = Evidence::decode(data) {
        let _ = e.is_conflict();
        let _ = e.to_json();
    }
    if let Ok(block) = LightBlock::decode(data) {
        assert_eq!(block.encode(), data, "a decoded light block re-encodes to its bytes");
        let _ = validate_basic(&block);
        let trusted = trusted();
        let now = Timestamp(trusted.time().0.saturating_add(60_000));
        let _ = verify(trusted, &block, &VerifyOptions::default(), now);
    }
});
