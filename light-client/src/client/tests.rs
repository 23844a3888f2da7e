//! The driver over an in-memory platform: a chain built by
//! `header::devchain`, served as the devnet's header API serves it.

#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::*;
use crate::header::devchain::{ChainBuilder, Keyring};
use crate::header::{Commit, Round, StateRoot};

/// Runs a future whose IO completes immediately (the platform below never waits).
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[derive(Default)]
struct Memory {
    pages: HashMap<String, Vec<u8>>,
    storage: RefCell<HashMap<String, Vec<u8>>>,
    now: u64,
    fetches: RefCell<u32>,
}

impl Memory {
    fn serve(&mut self, base: &str, blocks: &[LightBlock]) {
        for b in blocks {
            let body = serde_json::json!({"height": b.height(), "light_block": format!("0x{}", hex::encode(b.encode()))});
            self.pages.insert(format!("{base}/light_block/{}", b.height()), body.to_string().into_bytes());
        }
        let head = blocks.last().unwrap();
        self.pages.insert(format!("{base}/status"), serde_json::json!({"latest_height": head.height()}).to_string().into_bytes());
        self.now = self.now.max(head.time().0 + 1000);
    }
}

impl Platform for &Memory {
    async fn get(&self, url: &str) -> Result<Vec<u8>, PlatformError> {
        *self.fetches.borrow_mut() += 1;
        self.pages.get(url).cloned().ok_or_else(|| PlatformError("404 not found".into()))
    }
    fn now_ms(&self) -> u64 {
        self.now
    }
    async fn load(&self, key: &str) -> Result<Option<Vec<u8>>, PlatformError> {
        Ok(self.storage.borrow().get(key).cloned())
    }
    async fn store(&self, key: &str, value: &[u8]) -> Result<(), PlatformError> {
        self.storage.borrow_mut().insert(key.into(), value.to_vec());
        Ok(())
    }
}

fn config(checkpoint: &LightBlock, witness: bool) -> ClientConfig {
    ClientConfig {
        rpc: "http://primary".into(),
        witness: witness.then(|| "http://witness".into()),
        checkpoint: Checkpoint { height: checkpoint.height(), hash: checkpoint.hash() },
        storage_key: "state".into(),
        options: VerifyOptions::default(),
    }
}

fn rotating(h: Height) -> Vec<(u32, u64)> {
    let e = ((h.0 - 1) / 50) as u32;
    (0..4).map(|i| (e + i, 10)).collect()
}

#[test]
fn checkpoints_parse_and_refuse_garbage() {
    let cp: Checkpoint = format!("12:0x{}", "ab".repeat(32)).parse().unwrap();
    assert_eq!(cp.height, Height(12));
    assert_eq!(cp.to_string().parse::<Checkpoint>().unwrap(), cp);
    for bad in ["", "12", "x:0xab", "0:0x00", "12:0xabc", &format!("12:{}", "zz".repeat(32))] {
        assert!(matches!(bad.parse::<Checkpoint>(), Err(ClientError::BadCheckpoint(_))), "{bad}");
    }
}

#[test]
fn sync_then_resume_from_storage_needs_at_most_one_commit() {
    let blocks = ChainBuilder::new().build(300, &rotating);
    let mut mem = Memory::default();
    mem.serve("http://primary", &blocks[..200]);
    mem.serve("http://witness", &blocks[..200]);
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[9], true))).unwrap();
    assert!(!client.resumed());
    let heads = block_on(client.sync_to_head()).unwrap();
    assert_eq!(heads.last().unwrap().height, Height(200));
    assert!(client.commits_verified() <= 20, "{}", client.commits_verified());
    assert_eq!(client.trusted(), &blocks[199]);
    drop(client);

    // A "reload": the chain grew; the client resumes from storage.
    mem.serve("http://primary", &blocks);
    mem.serve("http://witness", &blocks);
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[9], true))).unwrap();
    assert!(client.resumed());
    assert_eq!(client.trusted().height(), Height(200));
    block_on(client.sync_to_head()).unwrap();
    assert_eq!(client.commits_verified(), 1);
    assert_eq!(client.trusted(), &blocks[299]);

    // A header in the past is verified from the nearest verified block below it.
    let h = block_on(client.verified_header(Height(150))).unwrap();
    assert_eq!(h.hash, blocks[149].hash());
    assert!(matches!(block_on(client.verified_header(Height(3))), Err(ClientError::BelowCheckpoint(_))));
}

#[test]
fn corrupt_stored_state_is_ignored_and_the_checkpoint_used() {
    let blocks = ChainBuilder::new().build(5, &rotating);
    let mut mem = Memory::default();
    mem.serve("http://primary", &blocks);
    for junk in [vec![], vec![1], vec![9, 0, 0, 0, 3], vec![1, 0, 0, 0, 3, 0, 0, 0, 9, 1]] {
        mem.storage.borrow_mut().insert("state".into(), junk);
        let client = block_on(HeaderClient::start(&mem, config(&blocks[2], false))).unwrap();
        assert!(!client.resumed());
        assert_eq!(client.trusted(), &blocks[2]);
    }
}

#[test]
fn a_checkpoint_the_source_does_not_have_is_refused() {
    let blocks = ChainBuilder::new().build(5, &rotating);
    let mut mem = Memory::default();
    mem.serve("http://primary", &blocks);
    let mut cfg = config(&blocks[2], false);
    cfg.checkpoint.hash = BlockHash([1; 32]);
    assert!(matches!(block_on(HeaderClient::start(&mem, cfg)), Err(ClientError::CheckpointMismatch { .. })));
}

/// A 20-block chain, and a primary that serves it with block 20 carrying
/// block 19's commit signature.
fn bad_signature_at_20() -> (Vec<LightBlock>, Memory) {
    let blocks = ChainBuilder::new().build(20, &rotating);
    let mut bad = blocks.clone();
    bad[19].commit.signature = blocks[18].commit.signature;
    let mut mem = Memory::default();
    mem.serve("http://primary", &bad);
    (blocks, mem)
}

#[test]
fn a_bad_primary_is_rejected_and_recorded() {
    let (blocks, mem) = bad_signature_at_20();
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[0], false))).unwrap();
    let err = block_on(client.sync_to_head()).unwrap_err();
    assert!(matches!(err, ClientError::Sync(SyncError::Rejected { reason: VerifyError::InvalidSignature { .. }, .. })), "{err}");
    assert_eq!(client.rejections()[0].kind, "invalid_signature");
    assert_eq!(client.rejections()[0].height, Height(20));
    assert_eq!(client.trusted().height(), Height(1));
}

/// The status view lost its rejected headers whenever the extension's
/// service worker restarted: they were only kept in memory.
#[test]
fn rejections_survive_a_restart() {
    let (blocks, mem) = bad_signature_at_20();
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[0], false))).unwrap();
    for _ in 0..3 {
        assert!(block_on(client.sync_to_head()).is_err());
    }
    let before = client.rejections().to_vec();
    drop(client);

    let client = block_on(HeaderClient::start(&mem, config(&blocks[0], false))).unwrap();
    assert!(client.resumed());
    assert_eq!(client.rejections(), before.as_slice());
    assert_eq!(client.rejections_total(), 3);
    assert_eq!(client.rejections()[0].kind, "invalid_signature");
    assert!(client.rejections()[0].reason.len() > 20, "{}", client.rejections()[0].reason);
}

#[test]
fn an_equivocating_witness_yields_evidence_and_the_head_is_not_adopted() {
    let blocks = ChainBuilder::new().build(20, &rotating);
    let mut keys = Keyring::new(b"test");
    let mut other = blocks.clone();
    let mut b = blocks[19].clone();
    b.header.state_root = StateRoot([0xee; 32]);
    let members = rotating(Height(20));
    let secrets: Vec<_> = members.iter().map(|(i, _)| keys.key(*i).clone()).collect();
    let refs: Vec<_> = secrets.iter().enumerate().collect();
    b.commit = Commit::sign(&b.header, Round(0), 4, &refs).unwrap();
    other[19] = b;
    let mut mem = Memory::default();
    mem.serve("http://primary", &blocks);
    mem.serve("http://witness", &other);
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[0], true))).unwrap();
    let err = block_on(client.sync_to_head()).unwrap_err();
    assert!(matches!(err, ClientError::ForkDetected { height: Height(20), .. }), "{err}");
    assert_eq!(client.evidence().len(), 1);
    assert!(client.evidence()[0].is_conflict());
    assert_eq!(client.trusted().height(), Height(1));
    // The evidence is kept across a restart.
    drop(client);
    let client = block_on(HeaderClient::start(&mem, config(&blocks[0], true))).unwrap();
    assert!(client.resumed());
    assert_eq!(client.evidence().len(), 1);
}

#[test]
fn a_lying_witness_is_recorded_and_the_head_stands() {
    let blocks = ChainBuilder::new().build(20, &rotating);
    let liar = ChainBuilder { seed: b"forger".to_vec(), ..ChainBuilder::new() }.build(20, &rotating);
    let mut mem = Memory::default();
    mem.serve("http://primary", &blocks);
    mem.serve("http://witness", &liar);
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[0], true))).unwrap();
    block_on(client.sync_to_head()).unwrap();
    assert_eq!(client.trusted().height(), Height(20));
    assert!(client.rejections().iter().any(|r| r.source == "witness"), "{:?}", client.rejections());
}

#[test]
fn garbage_from_the_source_is_a_bad_response() {
    let blocks = ChainBuilder::new().build(3, &rotating);
    let mut mem = Memory::default();
    mem.serve("http://primary", &blocks);
    mem.pages.insert("http://primary/light_block/3".into(), b"{\"light_block\":\"0x0102\"}".to_vec());
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[0], false))).unwrap();
    assert!(matches!(block_on(client.sync_to_head()), Err(ClientError::BadResponse { .. })));
    assert!(parse_light_block(b"not json").is_err());
}

/// Found while writing the soak (`cargo xtask soak`): a primary serving a bad head on
/// every sync grew `rejections` without bound.
#[test]
fn unbounded_rejections_under_a_primary_that_is_bad_forever() {
    let blocks = ChainBuilder::new().build(20, &rotating);
    let mut bad = blocks.clone();
    bad[19].commit.signature = blocks[18].commit.signature;
    let mut mem = Memory::default();
    mem.serve("http://primary", &bad);
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[0], false))).unwrap();
    let syncs = MAX_REJECTIONS + 40;
    for _ in 0..syncs {
        assert!(block_on(client.sync_to_head()).is_err());
    }
    assert_eq!(client.rejections().len(), MAX_REJECTIONS);
    assert!(client.rejections_total() >= syncs as u64, "every rejection is still counted");
    assert_eq!(client.rejections().last().unwrap().kind, "invalid_signature");
}

/// Found while writing the soak: one equivocation seen on every sync was stored (and
/// persisted) once per sync.
#[test]
fn one_fork_seen_on_every_sync_was_evidence_every_time() {
    let blocks = ChainBuilder::new().build(20, &rotating);
    let mut keys = Keyring::new(b"test");
    let mut other = blocks.clone();
    let mut b = blocks[19].clone();
    b.header.state_root = StateRoot([0xee; 32]);
    let members = rotating(Height(20));
    let secrets: Vec<_> = members.iter().map(|(i, _)| keys.key(*i).clone()).collect();
    let refs: Vec<_> = secrets.iter().enumerate().collect();
    b.commit = Commit::sign(&b.header, Round(0), 4, &refs).unwrap();
    other[19] = b;
    let mut mem = Memory::default();
    mem.serve("http://primary", &blocks);
    mem.serve("http://witness", &other);
    let mut client = block_on(HeaderClient::start(&mem, config(&blocks[0], true))).unwrap();
    for _ in 0..5 {
        let err = block_on(client.sync_to_head()).unwrap_err();
        assert!(matches!(err, ClientError::ForkDetected { height: Height(20), .. }), "{err}");
    }
    assert_eq!(client.evidence().len(), 1);
    assert_eq!(client.rejections_total(), 5, "each sync still reports the fork");
}
