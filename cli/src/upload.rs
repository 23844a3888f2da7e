//! `aloft upload FILE`: submit a file and spread its erasure-coded segments
//! over the devnet's storage peers.
//!
//! 1. Stream the file once through [`FileTreeBuilder`] (constant memory plus
//!    64 bytes per 256 KiB segment) for the root, submission and proofs.
//! 2. Submit it: a signed EIP-1559 `Flow.submit` ([`crate::flow`]), waited
//!    for until it is in a block; the peers learn the root from its event.
//! 3. `--jobs` workers take segments in turn: read the segment with a
//!    positioned read, cut it into `k + m` shards
//!    ([`FileTree::shards_with_proof`]) and send shard `j` of segment `i` to
//!    peer `(i + j) mod n` ([`Placement`]). An unreachable peer is retried with
//!    backoff; a refusal (bad proof, unknown root) stops the upload at once.
//! 4. Print `{"root","submitTx","submitBlock","length","segments","dataShards","parityShards","peers"}`.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aloft_light_client::storage::{Coding, FileTree, FileTreeBuilder, Placement, StorageError};
use anyhow::{Context, anyhow, bail};
use serde_json::json;

use crate::flow::{Chain, KeySource};
use crate::peers::{CallError, Devnet};
use crate::progress::Progress;
use crate::workers::for_each_segment;

/// What `aloft upload` and `aloft download` share.
#[derive(Clone, Debug)]
pub struct Options {
    /// The devnet's control API.
    pub control: String,
    /// The EVM JSON-RPC endpoint (for `Flow.submit`).
    pub rpc: String,
    /// Who signs `Flow.submit`.
    pub key: KeySource,
    /// Peer URLs, when not asked from the devnet.
    pub peers: Option<Vec<String>>,
    /// Shards per segment.
    pub coding: Coding,
    /// Parallel workers.
    pub jobs: usize,
    /// Tries per shard against an unreachable peer.
    pub retries: u32,
}

/// Streams `file` into a tree: root, submission nodes and segment proofs.
pub fn tree_of(file: &Path) -> anyhow::Result<FileTree> {
    let handle = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut builder = FileTreeBuilder::new();
    crate::root::stream(handle, file, |buf| builder.update(buf))?;
    match builder.finish() {
        Ok(tree) => Ok(tree),
        Err(StorageError::EmptyFile) => bail!("{} is empty: 0G storage cannot store an empty file", file.display()),
        Err(e) => Err(e).with_context(|| format!("cannot compute the root of {}", file.display())),
    }
}

/// Sends one shard, retrying an unreachable peer with exponential backoff.
fn send_with_retries(
    devnet: &Devnet,
    peer: usize,
    shard: &aloft_light_client::storage::ShardWithProof,
    retries: u32,
    abort: &AtomicBool,
) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        match devnet.upload_shard(peer, shard) {
            Ok(()) => return Ok(()),
            Err(CallError::Refused { code, message }) => {
                bail!("peer {peer} refused shard {} of segment {}: {message} (code {code})", shard.shard.0, shard.index)
            }
            Err(CallError::Unreachable(why)) => {
                attempt += 1;
                if attempt >= retries || abort.load(Ordering::Relaxed) {
                    bail!("peer {peer} ({}) is unreachable after {attempt} tries: {why}", devnet.peers[peer]);
                }
                std::thread::sleep(Duration::from_millis(100 << attempt.min(6)));
            }
        }
    }
}

/// Runs `aloft upload`.
pub fn run(file: &Path, options: &Options) -> anyhow::Result<ExitCode> {
    let tree = tree_of(file)?;
    let layout = tree.layout()?;
    let devnet = Devnet::connect(&options.control, options.peers.clone())?;
    let placement = Placement::new(options.coding, devnet.peers.len())
        .map_err(|e| anyhow!("{e}: the devnet has {} peers", devnet.peers.len()))?;
    let submitted = Chain::new(&options.rpc)
        .submit(&tree.commitment().submission(Vec::new()), &options.key)
        .context("cannot register the file root with the Flow contract")?;
    eprintln!("aloft: Flow.submit {:#x} in block {} (from {})", submitted.tx, submitted.block, submitted.from);

    let handle = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let segments = layout.data_segments();
    let progress = Progress::start("upload", layout.size());
    let result = for_each_segment(segments, options.jobs, &progress, |index, abort| {
        let range = layout.segment_file_range(index)?;
        let mut bytes = vec![0u8; (range.end - range.start) as usize];
        handle
            .read_exact_at(&mut bytes, range.start)
            .with_context(|| format!("cannot read segment {} of {}", index.0, file.display()))?;
        for shard in tree.shards_with_proof(placement.coding(), index, &bytes)? {
            let peer = placement.peer_of(index, shard.shard);
            send_with_retries(&devnet, peer, &shard, options.retries, abort)?;
        }
        Ok(bytes.len() as u64)
    });
    progress.finish();
    if let Err(e) = result {
        return Err(e.context(format!("upload of {} failed", file.display())));
    }
    println!(
        "{}",
        json!({
            "root": tree.root(),
            "submitTx": format!("{:#x}", submitted.tx),
            "submitBlock": submitted.block,
            "length": layout.size(),
            "segments": segments,
            "dataShards": placement.coding().data_shards(),
            "parityShards": placement.coding().parity_shards(),
            "peers": devnet.peers,
        })
    );
    Ok(ExitCode::SUCCESS)
}
