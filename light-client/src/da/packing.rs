//! Payload packing: arbitrary bytes to blobs and back (`docs/protocol.md`,
//! "Payload packing").
//!
//! A blob holds 4096 field elements of 32 big-endian bytes, each below the
//! BLS12-381 scalar modulus. Packing puts 31 payload bytes after a zero byte
//! in every element, so any byte string is canonical without reductions:
//!
//! 1. the stream is `len` as 8 bytes big-endian, then the payload, then
//!    zeros up to a whole number of blobs (at least one);
//! 2. the stream is cut into 31-byte chunks; chunk `i` becomes field element
//!    `i mod 4096` of blob `i / 4096`, as `0x00 || chunk`.
//!
//! Unpacking checks everything packing guarantees (zero top bytes, a length
//! that fits, zero padding, the minimal number of blobs), so every payload has
//! exactly one packing and a blob list that was tampered with is refused
//! rather than decoded into something else.

use crate::kzg::{BYTES_PER_BLOB, BYTES_PER_FIELD_ELEMENT, Blob, FIELD_ELEMENTS_PER_BLOB};

/// Payload bytes carried by one field element.
pub const BYTES_PER_PACKED_ELEMENT: usize = 31;
/// Payload-stream bytes carried by one blob (126 976).
pub const PACKED_BYTES_PER_BLOB: usize = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_PACKED_ELEMENT;
/// Bytes of the big-endian length prefix.
pub const LENGTH_PREFIX_BYTES: usize = 8;
/// The most blobs one payload may span (a whole block's worth).
pub const MAX_BLOBS_PER_PAYLOAD: usize = super::MAX_BLOBS_PER_BLOCK;
/// The largest payload that packs (32 blobs less the length prefix).
pub const MAX_PAYLOAD_BYTES: usize = MAX_BLOBS_PER_PAYLOAD * PACKED_BYTES_PER_BLOB - LENGTH_PREFIX_BYTES;

/// Why a payload could not be packed or a blob list unpacked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PackingError {
    /// The payload needs more blobs than a block can carry.
    #[error("payload of {0} bytes is larger than the {MAX_PAYLOAD_BYTES}-byte limit")]
    TooLarge(usize),
    /// Unpacking was given no blobs.
    #[error("no blobs to unpack")]
    NoBlobs,
    /// A field element's top byte was not zero, so it was not packed here.
    #[error("blob {blob}, field element {element}: top byte is not zero")]
    NonZeroTopByte {
        /// Which blob.
        blob: usize,
        /// Which field element of it.
        element: usize,
    },
    /// The length prefix points past the blobs' capacity.
    #[error("length prefix {declared} exceeds the {capacity} bytes the blobs hold")]
    LengthTooLarge {
        /// What the prefix says.
        declared: u64,
        /// What the blobs can hold after the prefix.
        capacity: usize,
    },
    /// The blob count is not the minimal one for the length (trailing blobs).
    #[error("{given} blobs given, but a {len}-byte payload packs into {expected}")]
    WrongBlobCount {
        /// The payload length.
        len: usize,
        /// Blobs given.
        given: usize,
        /// Blobs packing produces.
        expected: usize,
    },
    /// The bytes after the payload were not all zero.
    #[error("padding after the payload is not zero")]
    NonZeroPadding,
}

/// How many blobs a payload of `len` bytes packs into (at least one).
pub fn blobs_needed(len: usize) -> usize {
    (LENGTH_PREFIX_BYTES + len).div_ceil(PACKED_BYTES_PER_BLOB).max(1)
}

/// Packs `payload` into its canonical blobs.
pub fn pack(payload: &[u8]) -> Result<Vec<Blob>, PackingError> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(PackingError::TooLarge(payload.len()));
    }
    let count = blobs_needed(payload.len());
    let mut stream = Vec::with_capacity(count * PACKED_BYTES_PER_BLOB);
    stream.extend_from_slice(&(payload.len() as u64).to_be_bytes());
    stream.extend_from_slice(payload);
    stream.resize(count * PACKED_BYTES_PER_BLOB, 0);
    let blobs = stream
        .chunks_exact(PACKED_BYTES_PER_BLOB)
        .map(|chunk| {
            let mut bytes = vec![0u8; BYTES_PER_BLOB];
            for (element, part) in bytes.chunks_exact_mut(BYTES_PER_FIELD_ELEMENT).zip(chunk.chunks_exact(BYTES_PER_PACKED_ELEMENT)) {
                element[1..].copy_from_slice(part);
            }
            Blob::from_bytes(&bytes).map_err(|_| PackingError::NoBlobs)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(blobs)
}

/// Unpacks the payload from its blobs, refusing anything `pack` would not
/// have produced.
pub fn unpack(blobs: &[Blob]) -> Result<Vec<u8>, PackingError> {
    if blobs.is_empty() {
        return Err(PackingError::NoBlobs);
    }
    let mut stream = Vec::with_capacity(blobs.len() * PACKED_BYTES_PER_BLOB);
    for (b, blob) in blobs.iter().enumerate() {
        for (e, element) in blob.as_bytes().chunks_exact(BYTES_PER_FIELD_ELEMENT).enumerate() {
            if element[0] != 0 {
                return Err(PackingError::NonZeroTopByte { blob: b, element: e });
            }
            stream.extend_from_slice(&element[1..]);
        }
    }
    let mut prefix = [0u8; LENGTH_PREFIX_BYTES];
    prefix.copy_from_slice(&stream[..LENGTH_PREFIX_BYTES]);
    let declared = u64::from_be_bytes(prefix);
    let capacity = stream.len() - LENGTH_PREFIX_BYTES;
    let len = usize::try_from(declared).ok().filter(|l| *l <= capacity).ok_or(PackingError::LengthTooLarge { declared, capacity })?;
    let expected = blobs_needed(len);
    if expected != blobs.len() {
        return Err(PackingError::WrongBlobCount { len, given: blobs.len(), expected });
    }
    let end = LENGTH_PREFIX_BYTES + len;
    if stream[end..].iter().any(|b| *b != 0) {
        return Err(PackingError::NonZeroPadding);
    }
    stream.truncate(end);
    stream.drain(..LENGTH_PREFIX_BYTES);
    Ok(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + 3) as u8).collect()
    }

    #[test]
    fn round_trips_at_the_edges() {
        let one = PACKED_BYTES_PER_BLOB - LENGTH_PREFIX_BYTES;
        for len in [0, 1, 30, 31, 32, 23, 24, one - 1, one, one + 1, 2 * PACKED_BYTES_PER_BLOB, MAX_PAYLOAD_BYTES] {
            let data = payload(len);
            let blobs = pack(&data).unwrap();
            assert_eq!(blobs.len(), blobs_needed(len), "len {len}");
            assert_eq!(unpack(&blobs).unwrap(), data, "len {len}");
        }
        assert_eq!(pack(&payload(one)).unwrap().len(), 1);
        assert_eq!(pack(&payload(one + 1)).unwrap().len(), 2);
        assert_eq!(pack(&payload(MAX_PAYLOAD_BYTES)).unwrap().len(), MAX_BLOBS_PER_PAYLOAD);
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        let blobs = pack(b"aloft").unwrap();
        let bytes = blobs[0].as_bytes();
        // Element 0: 0x00, the 8-byte length 5, then "aloft", then zeros.
        assert_eq!(bytes[0], 0);
        assert_eq!(&bytes[1..9], &5u64.to_be_bytes());
        assert_eq!(&bytes[9..14], b"aloft");
        assert!(bytes[14..].iter().all(|b| *b == 0));
    }

    #[test]
    fn too_large_payloads_are_refused() {
        assert_eq!(pack(&payload(MAX_PAYLOAD_BYTES + 1)).unwrap_err(), PackingError::TooLarge(MAX_PAYLOAD_BYTES + 1));
    }

    #[test]
    fn tampered_blobs_are_refused() {
        let data = payload(1000);
        let blobs = pack(&data).unwrap();
        let mut bytes = blobs[0].as_bytes().to_vec();
        bytes[32 * 100] = 1;
        let err = unpack(&[Blob::from_bytes(&bytes).unwrap()]).unwrap_err();
        assert_eq!(err, PackingError::NonZeroTopByte { blob: 0, element: 100 });

        let mut bytes = blobs[0].as_bytes().to_vec();
        bytes[BYTES_PER_BLOB - 1] = 9;
        assert_eq!(unpack(&[Blob::from_bytes(&bytes).unwrap()]).unwrap_err(), PackingError::NonZeroPadding);

        let mut bytes = blobs[0].as_bytes().to_vec();
        bytes[1..9].copy_from_slice(&u64::MAX.to_be_bytes());
        assert!(matches!(unpack(&[Blob::from_bytes(&bytes).unwrap()]), Err(PackingError::LengthTooLarge { .. })));

        let two = vec![blobs[0].clone(), pack(&[]).unwrap().remove(0)];
        assert!(matches!(unpack(&two), Err(PackingError::WrongBlobCount { expected: 1, given: 2, .. })));
        assert_eq!(unpack(&[]).unwrap_err(), PackingError::NoBlobs);
    }
}
