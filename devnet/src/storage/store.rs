//! One storage peer's shards and segments, on disk or in memory.
//!
//! Nothing is acknowledged before it is durable: [`write_durably`] writes a
//! temporary file, syncs it, renames it into place and syncs the directory,
//! and only then does the peer answer the upload. A restart rebuilds the
//! index by listing the directories, so whatever was acknowledged is served
//! again.
//!
//! Layout under the peer's directory (`<data-dir>/storage/peer-<i>/`):
//! - `<root>/coding.json`: `{"dataShards":k,"parityShards":m}`, the coding of
//!   the first shard accepted for the root;
//! - `<root>/<index>.seg`: a whole 0G segment (`zgs_uploadSegment`);
//! - `<root>/<index>.<shard>.shard`: one erasure-coded shard.
//!
//! Each item file is a 4-byte little-endian header length, the message's JSON
//! without its data (`"data":""`), then the raw data bytes: a shard is stored
//! once, not as base64.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use aloft_light_client::storage::{Coding, Root, SegmentIndex, SegmentWithProof, ShardIndex, ShardWithProof};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// What a peer holds of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Item {
    Segment,
    Shard(u16),
}

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A shard's coding differs from the one already held for its root.
    #[error("root {root} is stored with {held_data}+{held_parity} shards, not {data}+{parity}")]
    CodingMismatch {
        /// The file root.
        root: Root,
        /// Data shards held.
        held_data: usize,
        /// Parity shards held.
        held_parity: usize,
        /// Data shards offered.
        data: usize,
        /// Parity shards offered.
        parity: usize,
    },
    /// The disk failed.
    #[error("storage I/O on {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A stored file does not parse.
    #[error("stored item {path} is corrupt: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CodingFile {
    data_shards: usize,
    parity_shards: usize,
}

#[derive(Debug, Default)]
struct RootEntry {
    coding: Option<Coding>,
    items: BTreeSet<(u64, Item)>,
}

/// The items of one peer.
#[derive(Debug)]
pub struct PeerStore {
    dir: Option<PathBuf>,
    index: Mutex<HashMap<Root, RootEntry>>,
    memory: Mutex<HashMap<(Root, u64, Item), Vec<u8>>>,
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` so that after it returns a crash leaves either the
/// old file or the whole new one: temporary file, fsync, rename, fsync of the directory.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("item");
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn encode<T: Serialize>(header: &T, data: &[u8]) -> Vec<u8> {
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Vec::with_capacity(4 + json.len() + data.len());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(data);
    out
}

fn decode<T: DeserializeOwned>(bytes: &[u8], path: &str) -> Result<(T, Vec<u8>), StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { path: path.to_string(), reason };
    let len = bytes
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| corrupt("shorter than its header length".into()))? as usize;
    let header = bytes.get(4..4 + len).ok_or_else(|| corrupt("truncated header".into()))?;
    let value = serde_json::from_slice(header).map_err(|e| corrupt(e.to_string()))?;
    Ok((value, bytes[4 + len..].to_vec()))
}

impl PeerStore {
    /// A store that keeps everything in memory (a devnet without `--data-dir`).
    pub fn in_memory() -> Self {
        Self { dir: None, index: Mutex::default(), memory: Mutex::default() }
    }

    /// The store in `dir`, its index rebuilt from the files there.
    pub fn open(dir: PathBuf) -> Result<Self, StoreError> {
        let io = |path: &Path, source| StoreError::Io { path: path.display().to_string(), source };
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let mut index: HashMap<Root, RootEntry> = HashMap::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let entry = entry.map_err(|e| io(&dir, e))?;
            let Some(root) = entry.file_name().to_str().and_then(|n| n.parse::<Root>().ok()) else { continue };
            let root_dir = entry.path();
            let mut slot = RootEntry::default();
            for item in std::fs::read_dir(&root_dir).map_err(|e| io(&root_dir, e))? {
                let item = item.map_err(|e| io(&root_dir, e))?;
                let name = item.file_name();
                let Some(name) = name.to_str() else { continue };
                if name == "coding.json" {
                    let bytes = std::fs::read(item.path()).map_err(|e| io(&item.path(), e))?;
                    let file: CodingFile = serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
                        path: item.path().display().to_string(),
                        reason: e.to_string(),
                    })?;
                    slot.coding = Coding::new(file.data_shards, file.parity_shards).ok();
                } else if let Some(key) = parse_item_name(name) {
                    slot.items.insert(key);
                }
            }
            index.insert(root, slot);
        }
        Ok(Self { dir: Some(dir), index: Mutex::new(index), memory: Mutex::default() })
    }

    fn path_of(&self, root: &Root, index: u64, item: Item) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?.join(root.to_string());
        Some(match item {
            Item::Segment => dir.join(format!("{index}.seg")),
            Item::Shard(j) => dir.join(format!("{index}.{j}.shard")),
        })
    }

    fn put(&self, root: Root, index: u64, item: Item, bytes: Vec<u8>) -> Result<(), StoreError> {
        match self.path_of(&root, index, item) {
            Some(path) => write_durably(&path, &bytes)
                .map_err(|source| StoreError::Io { path: path.display().to_string(), source })?,
            None => {
                self.memory.lock().unwrap_or_else(|e| e.into_inner()).insert((root, index, item), bytes);
            }
        }
        self.index.lock().unwrap_or_else(|e| e.into_inner()).entry(root).or_default().items.insert((index, item));
        Ok(())
    }

    fn get(&self, root: &Root, index: u64, item: Item) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let held = self
            .index
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(root)
            .is_some_and(|e| e.items.contains(&(index, item)));
        if !held {
            return Ok(None);
        }
        match self.path_of(root, index, item) {
            Some(path) => match std::fs::read(&path) {
                Ok(bytes) => Ok(Some((bytes, path.display().to_string()))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(StoreError::Io { path: path.display().to_string(), source }),
            },
            None => Ok(self
                .memory
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&(*root, index, item))
                .map(|b| (b.clone(), "memory".to_string()))),
        }
    }

    /// Stores a verified whole segment.
    pub fn put_segment(&self, segment: &SegmentWithProof) -> Result<(), StoreError> {
        let header = SegmentWithProof { data: Vec::new(), ..segment.clone() };
        self.put(segment.root, segment.index.0, Item::Segment, encode(&header, &segment.data))
    }

    /// Stores a verified shard, after checking its coding against the root's.
    pub fn put_shard(&self, shard: &ShardWithProof) -> Result<(), StoreError> {
        let coding = shard.coding().map_err(|e| StoreError::Corrupt { path: "shard".into(), reason: e.to_string() })?;
        let first = {
            let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
            let entry = index.entry(shard.root).or_default();
            match entry.coding {
                Some(held) if held != coding => {
                    return Err(StoreError::CodingMismatch {
                        root: shard.root,
                        held_data: held.data_shards(),
                        held_parity: held.parity_shards(),
                        data: coding.data_shards(),
                        parity: coding.parity_shards(),
                    });
                }
                Some(_) => false,
                None => {
                    entry.coding = Some(coding);
                    true
                }
            }
        };
        if first {
            if let Some(dir) = &self.dir {
                let path = dir.join(shard.root.to_string()).join("coding.json");
                let file = CodingFile { data_shards: coding.data_shards(), parity_shards: coding.parity_shards() };
                let bytes = serde_json::to_vec(&file).unwrap_or_default();
                write_durably(&path, &bytes)
                    .map_err(|source| StoreError::Io { path: path.display().to_string(), source })?;
            }
        }
        let header = ShardWithProof { data: Vec::new(), ..shard.clone() };
        self.put(shard.root, shard.index.0, Item::Shard(shard.shard.0), encode(&header, &shard.data))
    }

    /// A whole segment, if held.
    pub fn segment(&self, root: &Root, index: SegmentIndex) -> Result<Option<SegmentWithProof>, StoreError> {
        let Some((bytes, path)) = self.get(root, index.0, Item::Segment)? else { return Ok(None) };
        let (mut segment, data): (SegmentWithProof, _) = decode(&bytes, &path)?;
        segment.data = data;
        Ok(Some(segment))
    }

    /// A shard, if held.
    pub fn shard(&self, root: &Root, index: SegmentIndex, shard: ShardIndex) -> Result<Option<ShardWithProof>, StoreError> {
        let Some((bytes, path)) = self.get(root, index.0, Item::Shard(shard.0))? else { return Ok(None) };
        let (mut message, data): (ShardWithProof, _) = decode(&bytes, &path)?;
        message.data = data;
        Ok(Some(message))
    }

    /// How many distinct segments of `root` this peer holds something of.
    pub fn segments_held(&self, root: &Root) -> usize {
        let index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        index.get(root).map_or(0, |e| e.items.iter().map(|(i, _)| *i).collect::<BTreeSet<_>>().len())
    }

    /// How many roots this peer holds something of.
    pub fn roots(&self) -> usize {
        self.index.lock().unwrap_or_else(|e| e.into_inner()).values().filter(|e| !e.items.is_empty()).count()
    }
}

fn parse_item_name(name: &str) -> Option<(u64, Item)> {
    if let Some(index) = name.strip_suffix(".seg") {
        return Some((index.parse().ok()?, Item::Segment));
    }
    let rest = name.strip_suffix(".shard")?;
    let (index, shard) = rest.split_once('.')?;
    Some((index.parse().ok()?, Item::Shard(shard.parse().ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aloft_light_client::storage::FileTree;

    #[test]
    fn items_survive_a_reopen() -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::env::temp_dir().join(format!("aloft-peer-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let tree = FileTree::of_bytes(&data)?;
        let shards = tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(1), &data[262_144..])?;
        let segment = tree.segment_with_proof(SegmentIndex(0), &data[..262_144])?;
        {
            let store = PeerStore::open(dir.clone())?;
            store.put_shard(&shards[3])?;
            store.put_segment(&segment)?;
            let other = ShardWithProof { data_shards: 2, parity_shards: 4, ..shards[2].clone() };
            assert!(matches!(store.put_shard(&other), Err(StoreError::CodingMismatch { .. })));
        }
        let store = PeerStore::open(dir.clone())?;
        assert_eq!(store.shard(&tree.root(), SegmentIndex(1), ShardIndex(3))?, Some(shards[3].clone()));
        assert_eq!(store.segment(&tree.root(), SegmentIndex(0))?, Some(segment));
        assert_eq!(store.shard(&tree.root(), SegmentIndex(1), ShardIndex(2))?, None);
        assert_eq!(store.segments_held(&tree.root()), 2);
        let other = ShardWithProof { data_shards: 2, parity_shards: 4, ..shards[2].clone() };
        assert!(matches!(store.put_shard(&other), Err(StoreError::CodingMismatch { .. })), "the coding is persisted");
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
