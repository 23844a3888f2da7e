//! `aloft download ROOT OUT`: fetch a file's shards from any `k` peers,
//! rebuild and verify every segment against the root, stream it to OUT.
//!
//! 1. Ask the peers for the file's size (`zgs_getFileInfo`); every segment is
//!    later verified against the trusted root, so a lying size only fails.
//! 2. `--jobs` workers take segments in turn. For segment `i` a worker fetches
//!    data shards first, then parity, each from its placement peer, skipping
//!    peers already caught serving corrupt data. Each shard is checked
//!    ([`ShardWithProof::verify`]): a data shard that fails names its peer.
//! 3. [`reconstruct_segment`] rebuilds the segment from `k` shards, verifies
//!    it with the 0G proof and names any shard that disagrees (a corrupt
//!    parity shard); if no set verifies, one more shard is fetched and it tries again.
//! 4. The segment's file bytes are written at their offset into `OUT.part`;
//!    at the end it is synced and renamed to OUT. Memory stays at a few
//!    segments per worker whatever the file size.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use aloft_light_client::storage::{
    FileLayout, Placement, Root, SegmentIndex, SegmentProof, ShardIndex, StorageError, reconstruct_segment,
};
use anyhow::{Context, anyhow, bail};
use serde_json::json;

use crate::peers::Devnet;
use crate::workers::for_each_segment;
use crate::progress::Progress;
use crate::upload::Options;

/// Peers caught serving corrupt data, shared by all workers.
struct Blocklist(Vec<AtomicBool>);

impl Blocklist {
    fn block(&self, peer: usize, why: &str) {
        if let Some(flag) = self.0.get(peer) {
            if !flag.swap(true, Ordering::Relaxed) {
                eprintln!("\naloft: avoiding storage peer {peer} from now on: {why}");
            }
        }
    }

    fn blocked(&self, peer: usize) -> bool {
        self.0.get(peer).is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

struct Fetch<'a> {
    devnet: &'a Devnet,
    placement: Placement,
    root: Root,
    layout: FileLayout,
    blocklist: &'a Blocklist,
}

impl Fetch<'_> {
    /// Fetches and checks shard `j` of segment `index` from its peer.
    fn shard(&self, index: SegmentIndex, j: ShardIndex) -> Option<(Vec<u8>, SegmentProof)> {
        let peer = self.placement.peer_of(index, j);
        if self.blocklist.blocked(peer) {
            return None;
        }
        let message = self.devnet.download_shard(peer, &self.root, index, j).ok()??;
        let coding = self.placement.coding();
        let same_shape = message.root == self.root
            && message.index == index
            && message.shard == j
            && message.file_size == self.layout.size()
            && message.coding().ok() == Some(coding);
        if !same_shape {
            self.blocklist.block(peer, "it answered with another shard than the one asked for");
            return None;
        }
        if let Err(e) = message.verify() {
            self.blocklist.block(peer, &format!("shard {} of segment {index} failed verification: {e}", j.0));
            return None;
        }
        Some((message.data, message.proof))
    }

    /// Rebuilds and verifies segment `index`.
    fn segment(&self, index: SegmentIndex) -> anyhow::Result<Vec<u8>> {
        let coding = self.placement.coding();
        let n = coding.total_shards();
        let mut shards: Vec<Option<Vec<u8>>> = vec![None; n];
        let mut proof = None;
        let mut have = 0;
        let mut want = coding.data_shards();
        let mut next = 0usize;
        loop {
            while have < want && next < n {
                let j = ShardIndex(next as u16);
                next += 1;
                if let Some((data, p)) = self.shard(index, j) {
                    shards[usize::from(j.0)] = Some(data);
                    proof.get_or_insert(p);
                    have += 1;
                }
            }
            let Some(proof) = proof.as_ref() else {
                bail!("segment {index}: no storage peer served a usable shard");
            };
            match reconstruct_segment(&self.root, self.layout.size(), index, coding, proof, &shards) {
                Ok(rebuilt) => {
                    for bad in rebuilt.bad_shards {
                        let peer = self.placement.peer_of(index, bad);
                        self.blocklist.block(peer, &format!("parity shard {} of segment {index} was corrupt", bad.0));
                    }
                    return Ok(rebuilt.data);
                }
                Err(StorageError::NotEnoughShards { given, needed }) if next >= n => {
                    bail!("segment {index}: only {given} of the {needed} shards needed could be fetched from good peers")
                }
                Err(StorageError::Unrecoverable { .. }) if next < n => want = have + 1,
                Err(StorageError::NotEnoughShards { .. }) => want = want.max(have + 1),
                Err(e) => bail!("segment {index}: {e}"),
            }
        }
    }
}

/// Runs `aloft download`.
pub fn run(root: &str, out: &Path, options: &Options) -> anyhow::Result<ExitCode> {
    let root: Root = root.parse().map_err(|e| anyhow!("{e}: a root is 0x and 64 hex digits"))?;
    let devnet = Devnet::connect(&options.control, options.peers.clone())?;
    let placement = Placement::new(options.coding, devnet.peers.len())
        .map_err(|e| anyhow!("{e}: the devnet has {} peers", devnet.peers.len()))?;
    let size = devnet.file_size(&root)?;
    let layout = FileLayout::new(size)?;
    let part = PathBuf::from(format!("{}.part", out.display()));
    let file = File::create(&part).with_context(|| format!("cannot create {}", part.display()))?;
    file.set_len(size).with_context(|| format!("cannot size {}", part.display()))?;

    let blocklist = Blocklist((0..devnet.peers.len()).map(|_| AtomicBool::new(false)).collect());
    let fetch = Fetch { devnet: &devnet, placement, root, layout, blocklist: &blocklist };
    let segments = layout.data_segments();
    let progress = Progress::start("download", size);
    let result = for_each_segment(segments, options.jobs, &progress, |index, _abort| {
        let data = fetch.segment(index)?;
        let range = layout.segment_file_range(index)?;
        let len = (range.end - range.start) as usize;
        file.write_all_at(&data[..len], range.start).with_context(|| format!("cannot write {}", part.display()))?;
        Ok(len as u64)
    });
    progress.finish();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&part);
        return Err(e.context(format!("download of {root} failed")));
    }
    file.sync_all().with_context(|| format!("cannot sync {}", part.display()))?;
    std::fs::rename(&part, out).with_context(|| format!("cannot rename {} to {}", part.display(), out.display()))?;
    let avoided: Vec<usize> = (0..devnet.peers.len()).filter(|&p| blocklist.blocked(p)).collect();
    println!("{}", json!({"root": root, "length": size, "segments": segments, "avoidedPeers": avoided}));
    Ok(ExitCode::SUCCESS)
}
