//! The Flow contract's log: roots submitted on the devnet's chain.
//!
//! 0G storage nodes learn files from the flow contract's `Submit` events.
//! [`FlowSubmissionLog`] does the same on the devnet: it reads the receipts
//! of sealed blocks, keeps the `Submit` logs emitted by the genesis `Flow`
//! contract, decodes their `Submission` and folds its nodes into the file
//! root ([`Submission::root`]), exactly as an uploader computed it. Blocks are
//! scanned once, incrementally, on the first question after they are sealed.
//!
//! The devnet's peers ask [`EitherLog`]: this log first, then the registry
//! ([`super::submissions::DevnetSubmissions`]) that stands in for clients
//! that cannot sign a transaction yet (the browser page before the wallet).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolEvent, sol};
use aloft_light_client::storage::{Root, Submission, SubmissionNode};

use super::submissions::{SubmissionLog, SubmittedFile};
use crate::evm::ExecutionLayer;

sol! {
    struct FlowSubmissionNode { bytes32 root; uint256 height; }
    struct FlowSubmission { uint256 length; bytes tags; FlowSubmissionNode[] nodes; }
    event Submit(address indexed sender, bytes32 indexed identity, uint256 submissionIndex, uint256 startPos, uint256 length, FlowSubmission submission);
}

/// Roots from the `Submit` events of the Flow contract at `flow`.
#[derive(Debug)]
pub struct FlowSubmissionLog {
    evm: Arc<ExecutionLayer>,
    flow: Address,
    seen: Mutex<Scan>,
}

#[derive(Debug, Default)]
struct Scan {
    /// Blocks below this number are scanned.
    next_block: u64,
    by_root: HashMap<Root, SubmittedFile>,
}

fn small(value: U256) -> Option<u64> {
    u64::try_from(value).ok()
}

/// The light client's submission from the event's ABI struct; `None` for
/// values out of 0G's ranges (such a submission could not be stored anyway).
fn decode(event: &Submit) -> Option<SubmittedFile> {
    let s = &event.submission;
    let nodes = s
        .nodes
        .iter()
        .map(|n| Some(SubmissionNode { height: u32::try_from(small(n.height)?).ok()?, root: Root(n.root.0) }))
        .collect::<Option<Vec<_>>>()?;
    let submission = Submission { length: small(s.length)?, tags: s.tags.to_vec(), nodes };
    submission.check().ok()?;
    Some(SubmittedFile {
        seq: small(event.submissionIndex)?,
        root: submission.root()?,
        start_entry_index: small(event.startPos)?,
        submission,
    })
}

impl FlowSubmissionLog {
    /// Watches the Flow contract at `flow` on `evm`.
    pub fn new(evm: Arc<ExecutionLayer>, flow: Address) -> Self {
        Self { evm, flow, seen: Mutex::default() }
    }

    fn catch_up(&self, scan: &mut Scan) {
        let chain = self.evm.read();
        let head = chain.head().header.number;
        while scan.next_block <= head {
            if let Some(block) = chain.block(scan.next_block) {
                for receipt in &block.receipts {
                    if !receipt.envelope.status() {
                        continue;
                    }
                    for log in receipt.envelope.logs() {
                        if log.address != self.flow || log.topics().first() != Some(&Submit::SIGNATURE_HASH) {
                            continue;
                        }
                        if let Some(file) = Submit::decode_log_data(&log.data).ok().as_ref().and_then(decode) {
                            scan.by_root.entry(file.root).or_insert(file);
                        }
                    }
                }
            }
            scan.next_block += 1;
        }
    }
}

impl SubmissionLog for FlowSubmissionLog {
    fn submitted(&self, root: &Root) -> Option<SubmittedFile> {
        let mut scan = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = scan.by_root.get(root) {
            return Some(file.clone());
        }
        self.catch_up(&mut scan);
        scan.by_root.get(root).cloned()
    }
}

/// Asks each log in turn: a root known to any is submitted.
#[derive(Debug)]
pub struct EitherLog(pub Vec<Arc<dyn SubmissionLog>>);

impl SubmissionLog for EitherLog {
    fn submitted(&self, root: &Root) -> Option<SubmittedFile> {
        self.0.iter().find_map(|log| log.submitted(root))
    }
}
