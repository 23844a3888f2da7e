//! Storage objects as peers and uploaders send them (0G's camelCase JSON
//! with base64 data): `SegmentWithProof`, `ShardWithProof` and a bare
//! `SegmentProof`, then the storage node's own checks on whatever parses.
#![no_main]

use aloft_light_client::storage::{Root, SegmentIndex, SegmentProof, SegmentWithProof, ShardWithProof, verify_segment_root};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(segment) = serde_json::from_slice::<SegmentWithProof>(data) {
        let _ = segment.verify();
    }
    if let Ok(shard) = serde_json::from_slice::<ShardWithProof>(data) {
        let _ = shard.coding();
        let _ = shard.verify();
    }
    if let Ok(proof) = serde_json::from_slice::<SegmentProof>(data) {
        let _ = verify_segment_root(&Root::default(), 1 << 20, SegmentIndex(0), Root::default(), &proof);
    }
});
