//! The DA nodes' block store: each block's commitments, root, and every
//! blob's 128 cells and proofs, in memory and (with `--data-dir`) on disk.
//!
//! File format (`{data_dir}/da/{height:016}.bin`, all integers big-endian):
//! `"ALOFTDA1"`, height u64, blob count u32, then per blob its 48-byte
//! commitment, then per blob 128 × (2048-byte cell, 48-byte proof). The root
//! is recomputed on load, so a file cannot claim a root of its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use aloft_light_client::da::{DaRoot, commitments_root};
use aloft_light_client::kzg::{BYTES_PER_CELL, BYTES_PER_PROOF, CELLS_PER_EXT_BLOB, Cell, Commitment, Proof};

const MAGIC: &[u8; 8] = b"ALOFTDA1";

/// One block's DA data.
#[derive(Debug)]
pub struct DaBlock {
    /// Height.
    pub height: u64,
    /// DA commitments root (what the header will carry).
    pub root: DaRoot,
    /// Commitments, in blob order.
    pub commitments: Vec<Commitment>,
    /// Per blob, its cells and proofs.
    pub cells: Vec<(Vec<Cell>, Vec<Proof>)>,
}

impl DaBlock {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.height.to_be_bytes());
        out.extend_from_slice(&(self.commitments.len() as u32).to_be_bytes());
        for c in &self.commitments {
            out.extend_from_slice(c.as_bytes());
        }
        for (cells, proofs) in &self.cells {
            for (c, p) in cells.iter().zip(proofs) {
                out.extend_from_slice(c.as_bytes());
                out.extend_from_slice(p.as_bytes());
            }
        }
        out
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let height = u64::from_be_bytes(rest.get(..8)?.try_into().ok()?);
        let count = u32::from_be_bytes(rest.get(8..12)?.try_into().ok()?) as usize;
        let mut rest = rest.get(12..)?;
        let per_blob = CELLS_PER_EXT_BLOB * (BYTES_PER_CELL + BYTES_PER_PROOF);
        if count > aloft_light_client::da::MAX_BLOBS_PER_BLOCK || rest.len() != count * (48 + per_blob) {
            return None;
        }
        let mut commitments = Vec::with_capacity(count);
        for _ in 0..count {
            commitments.push(Commitment::from_bytes(&rest[..48]).ok()?);
            rest = &rest[48..];
        }
        let mut cells = Vec::with_capacity(count);
        for _ in 0..count {
            let (mut cs, mut ps) = (Vec::new(), Vec::new());
            for _ in 0..CELLS_PER_EXT_BLOB {
                cs.push(Cell::from_bytes(&rest[..BYTES_PER_CELL]).ok()?);
                ps.push(Proof::from_bytes(&rest[BYTES_PER_CELL..BYTES_PER_CELL + BYTES_PER_PROOF]).ok()?);
                rest = &rest[BYTES_PER_CELL + BYTES_PER_PROOF..];
            }
            cells.push((cs, ps));
        }
        let root = commitments_root(&commitments).ok()?;
        Some(Self { height, root, commitments, cells })
    }
}

/// Blocks with blobs by height, shared by every node (nodes differ only in
/// their switches). Empty blocks are not stored ([`super::DaNetwork::block`]).
#[derive(Debug, Default)]
pub struct DaStore {
    blocks: RwLock<BTreeMap<u64, Arc<DaBlock>>>,
    dir: Option<PathBuf>,
    retain: usize,
    /// Heights up to this one may have had blocks that were deleted.
    pruned_through: AtomicU64,
}

impl DaStore {
    /// A store keeping the newest `retain` blocks, loading any kept in `data_dir`.
    pub fn open(data_dir: Option<&Path>, retain: usize) -> std::io::Result<Self> {
        let dir = data_dir.map(|d| d.join("da"));
        let mut blocks = BTreeMap::new();
        if let Some(dir) = &dir {
            std::fs::create_dir_all(dir)?;
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == "bin") {
                    match std::fs::read(&path).ok().and_then(|b| DaBlock::decode(&b)) {
                        Some(block) => {
                            blocks.insert(block.height, Arc::new(block));
                        }
                        None => eprintln!("aloft-devnet: ignoring unreadable DA block file {}", path.display()),
                    }
                }
            }
        }
        let retain = retain.max(1);
        // A full store was pruning: heights below its oldest block are unknown.
        let pruned = if blocks.len() >= retain { blocks.keys().next().map_or(0, |h| h - 1) } else { 0 };
        Ok(Self { blocks: RwLock::new(blocks), dir, retain, pruned_through: AtomicU64::new(pruned) })
    }

    /// Heights up to this one may have had blocks with blobs that were deleted.
    pub fn pruned_through(&self) -> u64 {
        self.pruned_through.load(Ordering::SeqCst)
    }

    /// The newest height (0 when there is none).
    pub fn head(&self) -> Option<Arc<DaBlock>> {
        self.blocks.read().ok()?.values().next_back().cloned()
    }

    /// The block at `height`.
    pub fn get(&self, height: u64) -> Option<Arc<DaBlock>> {
        self.blocks.read().ok()?.get(&height).cloned()
    }

    /// Adds a block (persisting it) and forgets the oldest beyond the retention.
    pub fn insert(&self, block: DaBlock) -> std::io::Result<Arc<DaBlock>> {
        if let Some(dir) = &self.dir {
            let tmp = dir.join(format!("{:016}.tmp", block.height));
            // Whole file or none after a crash: write, sync, rename, sync the directory.
            let mut file = std::fs::File::create(&tmp)?;
            std::io::Write::write_all(&mut file, &block.encode())?;
            file.sync_all()?;
            std::fs::rename(&tmp, dir.join(format!("{:016}.bin", block.height)))?;
            std::fs::File::open(dir)?.sync_all()?;
        }
        let block = Arc::new(block);
        let Ok(mut blocks) = self.blocks.write() else { return Ok(block) };
        blocks.insert(block.height, block.clone());
        while blocks.len() > self.retain {
            let Some((&h, _)) = blocks.iter().next() else { break };
            blocks.remove(&h);
            self.pruned_through.fetch_max(h, Ordering::SeqCst);
            if let Some(dir) = &self.dir {
                let _ = std::fs::remove_file(dir.join(format!("{h:016}.bin")));
            }
        }
        Ok(block)
    }
}
