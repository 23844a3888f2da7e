//! Blocks on disk: one JSON file per sealed block under `<data-dir>/blocks/`,
//! holding what is needed to rebuild it (timestamp and raw transactions) and
//! what it must rebuild to (hash and state root).
//!
//! On start the chain replays every stored block from the genesis and checks
//! each hash, so a restart gives back exactly the chain that was running, and
//! a damaged directory is refused instead of silently forking. Each file is
//! written to a temporary name, synced, then renamed, and the directory is
//! synced, so a crash leaves either the whole block or none of it.

use std::io::Write;
use std::path::{Path, PathBuf};

use alloy_primitives::{B256, Bytes};
use serde::{Deserialize, Serialize};

/// One stored block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBlock {
    /// Its number.
    pub number: u64,
    /// Its timestamp.
    pub timestamp: u64,
    /// Its hash, which the replay must reproduce.
    pub hash: B256,
    /// Its state root, for people reading the file.
    pub state_root: B256,
    /// Its transactions, EIP-2718 encoded.
    pub transactions: Vec<Bytes>,
}

/// Why blocks could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file or directory operation failed.
    #[error("block store {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A block file is not a block.
    #[error("block file {path} is corrupt: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The `blocks/` directory of a data directory.
#[derive(Debug, Clone)]
pub struct BlockStore {
    dir: PathBuf,
}

impl BlockStore {
    /// Opens (creating) `<data_dir>/blocks`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let dir = data_dir.join("blocks");
        std::fs::create_dir_all(&dir).map_err(|source| io(&dir, source))?;
        Ok(Self { dir })
    }

    /// Every stored block, by number, checking that they run 1, 2, 3...
    pub fn load(&self) -> Result<Vec<StoredBlock>, StoreError> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map_err(|source| io(&self.dir, source))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut blocks = Vec::with_capacity(files.len());
        for (i, path) in files.iter().enumerate() {
            let bytes = std::fs::read(path).map_err(|source| io(path, source))?;
            let block: StoredBlock = serde_json::from_slice(&bytes)
                .map_err(|e| StoreError::Corrupt { path: path.display().to_string(), reason: e.to_string() })?;
            if block.number != i as u64 + 1 {
                return Err(StoreError::Corrupt {
                    path: path.display().to_string(),
                    reason: format!("expected block {}, found block {}", i + 1, block.number),
                });
            }
            blocks.push(block);
        }
        Ok(blocks)
    }

    /// Writes one block durably.
    pub fn save(&self, block: &StoredBlock) -> Result<(), StoreError> {
        let file = self.dir.join(format!("{:012}.json", block.number));
        let tmp = self.dir.join(format!("{:012}.json.tmp", block.number));
        let text = serde_json::to_vec_pretty(block).expect("a stored block always serializes");
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&text)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &file)?;
            std::fs::File::open(&self.dir)?.sync_all()
        };
        write().map_err(|source| io(&file, source))
    }
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.display().to_string(), source }
}
