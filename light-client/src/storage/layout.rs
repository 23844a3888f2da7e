//! How 0G cuts a file into chunks and segments, and how far it pads it.
//!
//! The rules, and where each official client states them:
//!
//! 1. A chunk is 256 bytes and a segment 1024 chunks (262,144 bytes); the last
//!    chunk of a file is zero-filled (0g-storage-client `core/dataflow.go`
//!    constants; 0g-storage-node `shared_types::CHUNK_SIZE`).
//! 2. The chunk count is padded with zero chunks before hashing: none when it
//!    is a power of two, otherwise up to a multiple of `next_pow2(chunks) / 16`
//!    (at least 1). That keeps every submission to at most four nodes, which the
//!    flow contract requires (0g-storage-client `core/flow.go`,
//!    `ComputePaddedSize`; 0g-ts-sdk `src.ts/file/utils.ts`, `computePaddedSize`;
//!    0g-storage-node `shared_types::compute_padded_chunk_size`).
//! 3. The submission nodes are the binary decomposition of the padded chunk
//!    count, largest first (`Flow.splitNodes` in Go and TS).
//! 4. Segments cover the padded data for hashing, but only those that hold file
//!    bytes are uploaded; a non-last uploaded segment is exactly 262,144 bytes
//!    and the last is the file's remainder rounded up to whole chunks
//!    (0g-storage-node `node/rpc/src/types.rs`, `split_file_into_segments`).

use core::ops::Range;

use super::error::StorageError;
use super::root::SegmentIndex;

/// Bytes in a chunk, the leaf unit of every 0G tree.
pub const CHUNK_SIZE: usize = 256;
/// Chunks in a segment, the unit of upload and download.
pub const SEGMENT_CHUNKS: usize = 1024;
/// Bytes in a full segment.
pub const SEGMENT_SIZE: usize = CHUNK_SIZE * SEGMENT_CHUNKS;
/// The height of a full segment's subtree: `log2(SEGMENT_CHUNKS)`.
pub const SEGMENT_HEIGHT: u32 = SEGMENT_CHUNKS.trailing_zeros();

const CHUNK_BYTES: u64 = CHUNK_SIZE as u64;
const SEGMENT_BYTES: u64 = SEGMENT_SIZE as u64;
const SEGMENT_LEAVES: u64 = SEGMENT_CHUNKS as u64;

/// Chunks needed for `size` bytes: `ceil(size / 256)`.
pub const fn chunk_count(size: u64) -> u64 {
    size.div_ceil(CHUNK_BYTES)
}

/// The chunk count after 0G's flow padding (rule 2 of the module docs).
///
/// Zero stays zero; 0G never commits to an empty file.
pub const fn padded_chunk_count(chunks: u64) -> u64 {
    if chunks == 0 {
        return 0;
    }
    let next_pow2 = chunks.next_power_of_two();
    if next_pow2 == chunks {
        return chunks;
    }
    let min_chunk = if next_pow2 >= 16 { next_pow2 / 16 } else { 1 };
    chunks.div_ceil(min_chunk) * min_chunk
}

/// The geometry of one non-empty file: sizes, padding, segments and node heights.
///
/// Built once from the byte length; every other number follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileLayout {
    size: u64,
    chunks: u64,
    padded_chunks: u64,
}

impl FileLayout {
    /// The layout of a file of `size` bytes; an empty file is refused.
    pub const fn new(size: u64) -> Result<Self, StorageError> {
        if size == 0 {
            return Err(StorageError::EmptyFile);
        }
        let chunks = chunk_count(size);
        Ok(FileLayout {
            size,
            chunks,
            padded_chunks: padded_chunk_count(chunks),
        })
    }

    /// The file length in bytes.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Chunks holding file bytes.
    pub const fn chunks(&self) -> u64 {
        self.chunks
    }

    /// Chunks after padding: the leaves of the file tree.
    pub const fn padded_chunks(&self) -> u64 {
        self.padded_chunks
    }

    /// Segments that hold file bytes: the ones an uploader sends.
    pub const fn data_segments(&self) -> u64 {
        self.size.div_ceil(SEGMENT_BYTES)
    }

    /// Segments of the padded data: the leaves of the tree segment proofs walk.
    pub const fn padded_segments(&self) -> u64 {
        self.padded_chunks.div_ceil(SEGMENT_LEAVES)
    }

    /// Chunks in padded segment `index` (1024 for all but possibly the last).
    pub const fn padded_segment_chunks(&self, index: SegmentIndex) -> u64 {
        let start = index.0.saturating_mul(SEGMENT_LEAVES);
        let end = start.saturating_add(SEGMENT_LEAVES);
        let end = if end < self.padded_chunks {
            end
        } else {
            self.padded_chunks
        };
        end.saturating_sub(start)
    }

    /// The bytes of the file that segment `index` carries.
    pub fn segment_file_range(&self, index: SegmentIndex) -> Result<Range<u64>, StorageError> {
        self.check_data_segment(index)?;
        let start = index.0 * SEGMENT_BYTES;
        Ok(start..(start + SEGMENT_BYTES).min(self.size))
    }

    /// The length of segment `index` as uploaded: the file bytes of the segment
    /// rounded up to whole chunks (the zero-filled last chunk).
    pub fn segment_upload_len(&self, index: SegmentIndex) -> Result<usize, StorageError> {
        let range = self.segment_file_range(index)?;
        // At most SEGMENT_SIZE, so the cast cannot truncate.
        Ok(((range.end - range.start).div_ceil(CHUNK_BYTES) * CHUNK_BYTES) as usize)
    }

    /// The submission node heights, largest first (rule 3 of the module docs).
    pub fn node_heights(&self) -> impl Iterator<Item = u32> + use<> {
        let padded = self.padded_chunks;
        (0..u64::BITS)
            .rev()
            .filter(move |h| padded & (1u64 << h) != 0)
    }

    fn check_data_segment(&self, index: SegmentIndex) -> Result<(), StorageError> {
        let segments = self.data_segments();
        if index.0 >= segments {
            return Err(StorageError::SegmentIndexOutOfRange {
                index: index.0,
                segments,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_table() {
        // (chunks, padded) pairs worked out from the rule and checked against
        // `ComputePaddedSize` in 0g-storage-client `core/flow.go`.
        let table: &[(u64, u64)] = &[
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 3),
            (5, 5),
            (7, 7),
            (9, 9),
            (15, 15),
            (16, 16),
            (17, 18),
            (31, 32),
            (33, 36),
            (63, 64),
            (65, 72),
            (79, 80),
            (100, 104),
            (1000, 1024),
            (1025, 1152),
            (1100, 1152),
            (3 * 1024 + 1, 3 * 1024 + 256),
            (8193, 9216),
            (32769, 36864),
            (1 << 40, 1 << 40),
            ((1 << 40) + 1, (1 << 40) + (1 << 37)),
        ];
        for &(chunks, padded) in table {
            assert_eq!(padded_chunk_count(chunks), padded, "chunks = {chunks}");
        }
    }

    #[test]
    fn padding_is_a_multiple_of_the_minimum_and_at_most_next_pow2() {
        for chunks in 1..5000u64 {
            let padded = padded_chunk_count(chunks);
            let np2 = chunks.next_power_of_two();
            assert!(padded >= chunks && padded <= np2);
            assert_eq!(padded % (np2 / 16).max(1), 0);
            // Never more than four nodes, as the flow contract requires.
            assert!(padded.count_ones() <= 4, "chunks = {chunks}");
        }
    }

    #[test]
    fn example_of_20182_bytes_has_heights_6_and_4() -> Result<(), StorageError> {
        let layout = FileLayout::new(20_182)?;
        assert_eq!(layout.chunks(), 79);
        assert_eq!(layout.padded_chunks(), 80);
        assert_eq!(layout.node_heights().collect::<Vec<_>>(), vec![6, 4]);
        Ok(())
    }

    #[test]
    fn empty_file_is_refused() {
        assert_eq!(FileLayout::new(0), Err(StorageError::EmptyFile));
    }

    #[test]
    fn segment_sizes() -> Result<(), StorageError> {
        let size = 2 * SEGMENT_BYTES + 300;
        let layout = FileLayout::new(size)?;
        assert_eq!(layout.data_segments(), 3);
        assert_eq!(layout.segment_upload_len(SegmentIndex(0))?, SEGMENT_SIZE);
        assert_eq!(layout.segment_upload_len(SegmentIndex(2))?, 512);
        assert_eq!(
            layout.segment_file_range(SegmentIndex(2))?,
            2 * SEGMENT_BYTES..size
        );
        assert_eq!(
            layout.segment_upload_len(SegmentIndex(3)),
            Err(StorageError::SegmentIndexOutOfRange {
                index: 3,
                segments: 3
            })
        );
        // 2050 chunks pad to 2304 = 2 * 1024 + 256.
        assert_eq!(layout.padded_chunks(), 2304);
        assert_eq!(layout.padded_segments(), 3);
        assert_eq!(layout.padded_segment_chunks(SegmentIndex(2)), 256);
        assert_eq!(layout.padded_segment_chunks(SegmentIndex(1)), 1024);
        Ok(())
    }
}
