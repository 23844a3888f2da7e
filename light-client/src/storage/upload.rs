//! The `SegmentWithProof` object of 0G's `zgs_uploadSegment` and
//! `zgs_downloadSegmentWithProof`: one segment's bytes with the proof that
//! they are segment `index` of the file named by `root`.
//!
//! The JSON shape is the storage node's (0g-storage-node `node/rpc/src/types.rs`):
//! `{"root":"0x..","data":"<base64>","index":N,"proof":{"lemma":[..],"path":[..]},"fileSize":N}`,
//! with `data` in standard padded base64 as the node's `base64::encode` writes
//! it. [`SegmentWithProof::verify`] runs the node's checks ([`verify_segment`]).

use serde::{Deserialize, Serialize};

use super::error::StorageError;
use super::proof::{SegmentProof, verify_segment};
use super::root::{Root, SegmentIndex};
use super::tree::FileTree;

/// One segment with its proof, as uploaded to and downloaded from a storage node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentWithProof {
    /// The file root.
    pub root: Root,
    /// The segment's bytes: 262,144, or for the last segment the file's
    /// remainder rounded up to whole 256-byte chunks.
    #[serde(with = "base64_bytes")]
    pub data: Vec<u8>,
    /// The segment index.
    pub index: SegmentIndex,
    /// The proof whose leaf is the segment root.
    pub proof: SegmentProof,
    /// The file length in bytes.
    pub file_size: u64,
}

impl SegmentWithProof {
    /// Runs the storage node's checks: size, proof shape, position, leaf, root,
    /// chain and rear padding.
    pub fn verify(&self) -> Result<(), StorageError> {
        verify_segment(&self.root, self.file_size, self.index, &self.data, &self.proof)
    }
}

impl FileTree {
    /// The upload object for segment `index`, given the segment's file bytes
    /// (its last chunk may be short; it is zero-filled as 0G does).
    pub fn segment_with_proof(
        &self,
        index: SegmentIndex,
        file_bytes: &[u8],
    ) -> Result<SegmentWithProof, StorageError> {
        let layout = self.layout()?;
        let expected = layout.segment_upload_len(index)?;
        let range = layout.segment_file_range(index)?;
        let given = range.end - range.start;
        if file_bytes.len() as u64 != given {
            return Err(StorageError::SegmentSizeMismatch {
                index: index.0,
                expected: given as usize,
                actual: file_bytes.len(),
            });
        }
        let mut data = file_bytes.to_vec();
        data.resize(expected, 0);
        Ok(SegmentWithProof {
            root: self.root(),
            data,
            index,
            proof: self.proof(index)?,
            file_size: layout.size(),
        })
    }
}

/// Standard padded base64 (de)serialisation of bytes, as 0G's JSON uses.
pub(crate) mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(|e| serde::de::Error::custom(format_args!("data is not base64: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::layout::SEGMENT_SIZE;

    #[test]
    fn json_shape_matches_the_node() -> Result<(), Box<dyn std::error::Error>> {
        let data = b"hello, world".to_vec();
        let tree = FileTree::of_bytes(&data)?;
        let segment = tree.segment_with_proof(SegmentIndex(0), &data)?;
        segment.verify()?;
        let json = serde_json::to_value(&segment)?;
        assert_eq!(json["fileSize"], 12);
        assert_eq!(json["index"], 0);
        assert_eq!(json["root"], tree.root().to_string());
        // 256 bytes: "hello, world" and 244 zeros, in padded standard base64.
        let text = json["data"].as_str().ok_or("data is a string")?;
        assert!(text.starts_with("aGVsbG8sIHdvcmxk"));
        assert!(text.ends_with("AA=="));
        assert_eq!(json["proof"]["path"], serde_json::json!([]));
        let back: SegmentWithProof = serde_json::from_value(json)?;
        assert_eq!(back, segment);
        Ok(())
    }

    #[test]
    fn every_segment_of_a_file_verifies_and_tampering_fails() -> Result<(), StorageError> {
        let data: Vec<u8> = (0..3 * SEGMENT_SIZE + 999).map(|i| (i % 253) as u8).collect();
        let tree = FileTree::of_bytes(&data)?;
        for i in 0..4u64 {
            let start = i as usize * SEGMENT_SIZE;
            let end = (start + SEGMENT_SIZE).min(data.len());
            let mut segment = tree.segment_with_proof(SegmentIndex(i), &data[start..end])?;
            segment.verify()?;
            segment.data[0] ^= 1;
            assert!(matches!(segment.verify(), Err(StorageError::SegmentRootMismatch { .. })));
        }
        assert!(tree.segment_with_proof(SegmentIndex(0), &data[..10]).is_err());
        Ok(())
    }

    #[test]
    fn bad_base64_is_an_error() {
        let json = r#"{"root":"0x0000000000000000000000000000000000000000000000000000000000000000","data":"!!","index":0,"proof":{"lemma":[],"path":[]},"fileSize":1}"#;
        let err = serde_json::from_str::<SegmentWithProof>(json).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("base64")));
    }
}
