//! What DA nodes and clients say over HTTP (`docs/protocol.md`, "DA node
//! HTTP API"): the sample list of a cells request and the binary cells
//! response. Binary, because cells are most of the bytes a client fetches
//! and hex would double them.
//!
//! - Request: `GET {node}/da/v1/blocks/{height}/cells?samples=B.C,B.C,...`
//!   (blob index `B`, cell index `C`, decimal; at most [`MAX_SAMPLES_PER_REQUEST`]).
//! - Response (`application/octet-stream`), one record per requested sample,
//!   in request order: a status byte, `1` then the 2048-byte cell and the
//!   48-byte proof, or `0` (the node does not have the cell).

use crate::kzg::{BYTES_PER_CELL, BYTES_PER_PROOF, CELLS_PER_EXT_BLOB, Cell, CellIndex, Proof};

/// The most samples one request may name.
pub const MAX_SAMPLES_PER_REQUEST: usize = 256;
/// Bytes of a served record: status, cell, proof.
pub const SERVED_RECORD_BYTES: usize = 1 + BYTES_PER_CELL + BYTES_PER_PROOF;

/// One sample: a cell of a blob of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct SampleId {
    /// The blob's index in the block.
    pub blob: u16,
    /// The cell's index in the blob's extension (below 128).
    pub cell: u8,
}

impl SampleId {
    /// The cell index as the KZG module's type (`cell` is below 128 wherever
    /// a `SampleId` is built: the query parser and the sampler check it).
    pub fn cell_index(&self) -> CellIndex {
        CellIndex::from_low_bits(self.cell)
    }
}

/// Why a request or response did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// A sample in the query was not `blob.cell`.
    #[error("sample {0:?} is not BLOB.CELL with CELL below 128")]
    BadSample(String),
    /// No samples, or too many.
    #[error("a request names 1 to {MAX_SAMPLES_PER_REQUEST} samples, got {0}")]
    SampleCount(usize),
    /// The response was cut short or had extra bytes.
    #[error("cells response has the wrong length: {0}")]
    BadLength(String),
    /// A record's status byte was neither 0 nor 1.
    #[error("record {0} has status byte {1}, not 0 or 1")]
    BadStatus(usize, u8),
}

/// The `samples=` query value for a list of samples.
pub fn samples_query(samples: &[SampleId]) -> String {
    samples.iter().map(|s| format!("{}.{}", s.blob, s.cell)).collect::<Vec<_>>().join(",")
}

/// Parses a `samples=` query value.
pub fn parse_samples_query(text: &str) -> Result<Vec<SampleId>, WireError> {
    let samples = text
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let bad = || WireError::BadSample(s.chars().take(20).collect());
            let (b, c) = s.split_once('.').ok_or_else(bad)?;
            let blob = b.parse::<u16>().map_err(|_| bad())?;
            let cell = c.parse::<u8>().ok().filter(|c| usize::from(*c) < CELLS_PER_EXT_BLOB).ok_or_else(bad)?;
            Ok(SampleId { blob, cell })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if samples.is_empty() || samples.len() > MAX_SAMPLES_PER_REQUEST {
        return Err(WireError::SampleCount(samples.len()));
    }
    Ok(samples)
}

/// Encodes a cells response.
pub fn encode_cells_response(records: &[Option<(&Cell, &Proof)>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * SERVED_RECORD_BYTES);
    for record in records {
        match record {
            Some((cell, proof)) => {
                out.push(1);
                out.extend_from_slice(cell.as_bytes());
                out.extend_from_slice(proof.as_bytes());
            }
            None => out.push(0),
        }
    }
    out
}

/// Decodes a cells response for `expected` requested samples.
pub fn decode_cells_response(bytes: &[u8], expected: usize) -> Result<Vec<Option<(Cell, Proof)>>, WireError> {
    let mut out = Vec::with_capacity(expected);
    let mut rest = bytes;
    for i in 0..expected {
        let (&status, tail) = rest.split_first().ok_or_else(|| WireError::BadLength(format!("ends at record {i} of {expected}")))?;
        match status {
            0 => {
                out.push(None);
                rest = tail;
            }
            1 => {
                if tail.len() < BYTES_PER_CELL + BYTES_PER_PROOF {
                    return Err(WireError::BadLength(format!("record {i} is cut short")));
                }
                let (cell, tail) = tail.split_at(BYTES_PER_CELL);
                let (proof, tail) = tail.split_at(BYTES_PER_PROOF);
                let cell = Cell::from_bytes(cell).map_err(|e| WireError::BadLength(e.to_string()))?;
                let proof = Proof::from_bytes(proof).map_err(|e| WireError::BadLength(e.to_string()))?;
                out.push(Some((cell, proof)));
                rest = tail;
            }
            other => return Err(WireError::BadStatus(i, other)),
        }
    }
    if !rest.is_empty() {
        return Err(WireError::BadLength(format!("{} bytes after the last record", rest.len())));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_round_trip_and_bad_ones_are_refused() {
        let samples = vec![SampleId { blob: 0, cell: 5 }, SampleId { blob: 31, cell: 127 }];
        assert_eq!(samples_query(&samples), "0.5,31.127");
        assert_eq!(parse_samples_query("0.5,31.127").unwrap(), samples);
        assert!(parse_samples_query("0.128").is_err());
        assert!(parse_samples_query("0").is_err());
        assert!(parse_samples_query("").is_err());
        assert!(parse_samples_query("x.1").is_err());
    }

    #[test]
    fn responses_round_trip_and_truncation_is_refused() {
        let cell = Cell::from_bytes(&[7u8; BYTES_PER_CELL]).unwrap();
        let proof = Proof([9u8; 48]);
        let bytes = encode_cells_response(&[Some((&cell, &proof)), None]);
        assert_eq!(bytes.len(), SERVED_RECORD_BYTES + 1);
        let back = decode_cells_response(&bytes, 2).unwrap();
        assert_eq!(back, vec![Some((cell, proof)), None]);
        assert!(decode_cells_response(&bytes[..bytes.len() - 2], 2).is_err());
        assert!(decode_cells_response(&bytes, 1).is_err());
        assert!(decode_cells_response(&bytes, 3).is_err());
        assert_eq!(decode_cells_response(&[2], 1), Err(WireError::BadStatus(0, 2)));
    }
}
