//! The chain: sealed blocks, their receipts and post-states, the pending
//! transactions, and the one operation that moves it forward,
//! [`Chain::seal_block`].
//!
//! Sealing a block:
//! 1. takes the pending transactions in arrival order;
//! 2. runs each on revm over the parent's state (a transaction revm refuses
//!    is dropped, as a miner drops it);
//! 3. applies each transaction's changes to the working state and records its
//!    receipt (status, cumulative gas, logs, bloom);
//! 4. builds the header (Prague fields, EIP-1559 base fee from the parent)
//!    whose state root is the Merkle-Patricia root of the new state;
//! 5. hashes the header as Ethereum does (keccak of its RLP), so block hashes
//!    mean what clients think they mean.
//!
//! The block producer (the devnet's miner now, the validators' proposer
//! later) calls [`Chain::seal_block`] with a timestamp and gets the new
//! block's [`BlockSummary`] back.

use std::collections::HashMap;
use std::convert::Infallible;

use alloy_consensus::proofs::{calculate_receipt_root, calculate_transaction_root};
use alloy_consensus::{Eip658Value, Header, Receipt, ReceiptEnvelope, ReceiptWithBloom, Transaction};
use alloy_eips::eip1559::{BaseFeeParams, INITIAL_BASE_FEE};
use alloy_eips::eip7685::EMPTY_REQUESTS_HASH;
use alloy_primitives::{Address, B256, Bloom, Bytes, Log, TxKind, U256, keccak256};
use alloy_trie::EMPTY_ROOT_HASH;
use revm::context::result::{EVMError, ExecutionResult, InvalidTransaction};
use revm::context::{BlockEnv, TxEnv};
use revm::database::WrapDatabaseRef;
use revm::handler::MainnetContext;
use revm::primitives::hardfork::SpecId;
use revm::{ExecuteEvm, MainBuilder};

use super::state::{StateView, WorldState};
use super::trie;
use super::tx::{self, Admission, SignedTx, TxError};

/// The block gas limit (as mainnet's and Anvil's default).
pub const BLOCK_GAS_LIMIT: u64 = 30_000_000;

/// The EVM revision the devnet runs.
pub const SPEC: SpecId = SpecId::PRAGUE;

/// The account that deploys the genesis contracts (no key exists for it).
pub fn genesis_deployer() -> Address {
    Address::from_word(keccak256(b"aloft devnet genesis deployer"))
}

/// A state change made at genesis by [`genesis_deployer`] (no block, no receipt).
#[derive(Debug, Clone)]
pub enum GenesisTx {
    /// Deploys this initcode (bytecode ‖ constructor arguments).
    Create(Bytes),
    /// Calls a contract deployed earlier.
    Call {
        /// The contract.
        to: Address,
        /// The calldata.
        data: Bytes,
    },
}

/// A transaction's receipt as stored with its block.
#[derive(Debug, Clone)]
pub struct StoredReceipt {
    /// The consensus receipt (status, cumulative gas, logs, bloom).
    pub envelope: ReceiptEnvelope<Log>,
    /// Gas this transaction used.
    pub gas_used: u64,
    /// What the sender paid per gas.
    pub effective_gas_price: u128,
    /// The created contract, for a deployment that succeeded.
    pub contract_address: Option<Address>,
}

/// A sealed block, its transactions, their receipts and the state after it.
#[derive(Debug, Clone)]
pub struct SealedBlock {
    /// The header.
    pub header: Header,
    /// keccak256 of the header's RLP.
    pub hash: B256,
    /// The transactions, in order.
    pub transactions: Vec<SignedTx>,
    /// One receipt per transaction.
    pub receipts: Vec<StoredReceipt>,
    /// The state after the block.
    pub state: WorldState,
}

/// What a block producer needs to know about a block it sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSummary {
    /// Its number.
    pub number: u64,
    /// Its hash.
    pub hash: B256,
    /// Its state root.
    pub state_root: B256,
    /// Its timestamp (seconds).
    pub timestamp: u64,
    /// How many transactions it holds.
    pub transactions: usize,
}

/// Why the chain refused something.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// A transaction was refused at admission.
    #[error(transparent)]
    Tx(#[from] TxError),
    /// A genesis contract's constructor failed.
    #[error("genesis contract {index} did not deploy: {reason}")]
    GenesisDeploy {
        /// Which one.
        index: usize,
        /// What went wrong.
        reason: String,
    },
    /// A call's parameters could not run at all.
    #[error("{0}")]
    Call(String),
    /// A call reverted; carries the revert data.
    #[error("execution reverted{}", reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    Reverted {
        /// The decoded `Error(string)` reason, if any.
        reason: Option<String>,
        /// The raw revert data.
        data: Bytes,
    },
    /// A call ran out of gas or halted.
    #[error("{0}")]
    Halted(String),
}

/// An `eth_call`/`eth_estimateGas` request.
#[derive(Debug, Clone, Default)]
pub struct CallRequest {
    /// The caller (zero address when absent).
    pub from: Option<Address>,
    /// The callee; `None` runs `data` as initcode.
    pub to: Option<Address>,
    /// Gas limit (block gas limit when absent).
    pub gas: Option<u64>,
    /// Value sent.
    pub value: Option<U256>,
    /// Calldata.
    pub data: Bytes,
    /// Gas price (zero when absent; then no base fee is charged, as geth does).
    pub gas_price: Option<u128>,
}

/// The result of a call that succeeded.
#[derive(Debug, Clone)]
pub struct CallOutcome {
    /// Return data.
    pub output: Bytes,
    /// Gas used.
    pub gas_used: u64,
}

/// The chain of sealed blocks plus the transaction pool.
#[derive(Debug)]
pub struct Chain {
    chain_id: u64,
    blocks: Vec<SealedBlock>,
    block_hashes: Vec<B256>,
    by_hash: HashMap<B256, u64>,
    tx_index: HashMap<B256, (u64, usize)>,
    pending: Vec<SignedTx>,
}

impl Chain {
    /// A chain at its genesis: `alloc` funded, then each of `genesis_txs`
    /// run by [`genesis_deployer`] with nonces 0, 1, 2... (so a contract
    /// created by the `i`-th lives at `genesis_deployer().create(i)`).
    pub fn genesis(chain_id: u64, alloc: &[(Address, U256)], genesis_txs: &[GenesisTx]) -> Result<Self, ChainError> {
        let mut state = WorldState::default();
        for (address, amount) in alloc {
            state.fund(*address, *amount);
        }
        let deployer = genesis_deployer();
        for (index, genesis_tx) in genesis_txs.iter().enumerate() {
            let (kind, data) = match genesis_tx {
                GenesisTx::Create(initcode) => (TxKind::Create, initcode.clone()),
                GenesisTx::Call { to, data } => (TxKind::Call(*to), data.clone()),
            };
            let env = TxEnv {
                caller: deployer,
                gas_limit: BLOCK_GAS_LIMIT,
                gas_price: 0,
                kind,
                data,
                nonce: index as u64,
                chain_id: Some(chain_id),
                ..Default::default()
            };
            let block = BlockEnv { gas_limit: BLOCK_GAS_LIMIT, timestamp: U256::ZERO, ..Default::default() };
            let out = run(&state, &[], block, chain_id, env)
                .map_err(|e| ChainError::GenesisDeploy { index, reason: format!("{e:?}") })?;
            if !out.result.is_success() {
                return Err(ChainError::GenesisDeploy { index, reason: format!("{:?}", out.result) });
            }
            state.apply(out.state);
        }
        let header = Header {
            beneficiary: Address::ZERO,
            state_root: trie::state_root(&state),
            transactions_root: EMPTY_ROOT_HASH,
            receipts_root: EMPTY_ROOT_HASH,
            withdrawals_root: Some(EMPTY_ROOT_HASH),
            gas_limit: BLOCK_GAS_LIMIT,
            base_fee_per_gas: Some(INITIAL_BASE_FEE),
            blob_gas_used: Some(0),
            excess_blob_gas: Some(0),
            parent_beacon_block_root: Some(B256::ZERO),
            requests_hash: Some(EMPTY_REQUESTS_HASH),
            ..Default::default()
        };
        let hash = header.hash_slow();
        let genesis = SealedBlock { header, hash, transactions: Vec::new(), receipts: Vec::new(), state };
        Ok(Self {
            chain_id,
            block_hashes: vec![hash],
            by_hash: HashMap::from([(hash, 0)]),
            blocks: vec![genesis],
            tx_index: HashMap::new(),
            pending: Vec::new(),
        })
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The newest block.
    pub fn head(&self) -> &SealedBlock {
        self.blocks.last().expect("a chain always has its genesis")
    }

    /// A block by number.
    pub fn block(&self, number: u64) -> Option<&SealedBlock> {
        usize::try_from(number).ok().and_then(|n| self.blocks.get(n))
    }

    /// A block by hash.
    pub fn block_by_hash(&self, hash: &B256) -> Option<&SealedBlock> {
        self.by_hash.get(hash).and_then(|n| self.block(*n))
    }

    /// A mined transaction: its block and index.
    pub fn transaction(&self, hash: &B256) -> Option<(&SealedBlock, usize)> {
        let (number, index) = self.tx_index.get(hash)?;
        Some((self.block(*number)?, *index))
    }

    /// A transaction waiting in the pool.
    pub fn pending_transaction(&self, hash: &B256) -> Option<&SignedTx> {
        self.pending.iter().find(|t| tx::hash(t) == *hash)
    }

    /// Transactions waiting for the next block.
    pub fn pending(&self) -> &[SignedTx] {
        &self.pending
    }

    /// The base fee the next block will charge.
    pub fn next_base_fee(&self) -> u64 {
        self.head().header.next_block_base_fee(BaseFeeParams::ethereum()).unwrap_or(INITIAL_BASE_FEE)
    }

    /// The nonce `address` must use next (its state nonce plus its pending transactions).
    pub fn next_nonce(&self, address: &Address) -> u64 {
        let base = self.head().state.account(address).map(|a| a.nonce).unwrap_or(0);
        base + self.pending.iter().filter(|t| t.signer() == *address).count() as u64
    }

    /// Decodes and admits a raw transaction into the pool; returns its hash.
    pub fn submit(&mut self, raw: &[u8]) -> Result<B256, TxError> {
        let signed = tx::decode(raw, self.chain_id)?;
        let hash = tx::hash(&signed);
        if self.tx_index.contains_key(&hash) || self.pending_transaction(&hash).is_some() {
            return Err(TxError::AlreadyKnown);
        }
        let from = signed.signer();
        let balance = self.head().state.account(&from).map(|a| a.balance).unwrap_or_default();
        tx::admit(
            &signed,
            Admission {
                block_gas_limit: BLOCK_GAS_LIMIT,
                base_fee: self.next_base_fee(),
                next_nonce: self.next_nonce(&from),
                balance,
            },
        )?;
        self.pending.push(signed);
        Ok(hash)
    }

    /// Seals the next block from the pending transactions. `timestamp` is
    /// raised to one second past the parent's if it is not later already.
    pub fn seal_block(&mut self, timestamp: u64) -> BlockSummary {
        let parent = self.head();
        let number = parent.header.number + 1;
        let timestamp = timestamp.max(parent.header.timestamp + 1);
        let base_fee = self.next_base_fee();
        let parent_hash = parent.hash;
        let mut state = parent.state.clone();
        let block_env = BlockEnv {
            number: U256::from(number),
            timestamp: U256::from(timestamp),
            gas_limit: BLOCK_GAS_LIMIT,
            basefee: base_fee,
            ..Default::default()
        };
        let mut transactions = Vec::new();
        let mut receipts = Vec::new();
        let mut cumulative = 0u64;
        for signed in std::mem::take(&mut self.pending) {
            if cumulative + signed.gas_limit() > BLOCK_GAS_LIMIT {
                // Does not fit: it waits for the next block.
                self.pending.push(signed);
                continue;
            }
            let out = match run(&state, &self.block_hashes, block_env.clone(), self.chain_id, tx::tx_env(&signed)) {
                Ok(out) => out,
                Err(e) => {
                    eprintln!("aloft-devnet: dropped transaction {}: {e:?}", tx::hash(&signed));
                    continue;
                }
            };
            let gas_used = out.result.tx_gas_used();
            cumulative += gas_used;
            let contract_address = out.result.created_address();
            let receipt = Receipt {
                status: Eip658Value::Eip658(out.result.is_success()),
                cumulative_gas_used: cumulative,
                logs: out.result.logs().to_vec(),
            };
            let inner = signed.inner();
            let effective_gas_price =
                inner.effective_gas_price(Some(base_fee));
            let envelope = ReceiptEnvelope::from_typed(inner.tx_type(), ReceiptWithBloom::from(receipt));
            state.apply(out.state);
            receipts.push(StoredReceipt { envelope, gas_used, effective_gas_price, contract_address });
            transactions.push(signed);
        }
        let mut logs_bloom = Bloom::ZERO;
        for r in &receipts {
            logs_bloom.accrue_bloom(r.envelope.logs_bloom());
        }
        let envelopes: Vec<_> = transactions.iter().map(|t| t.inner().clone()).collect();
        let receipt_envelopes: Vec<_> = receipts.iter().map(|r| r.envelope.clone()).collect();
        let header = Header {
            parent_hash,
            beneficiary: Address::ZERO,
            state_root: trie::state_root(&state),
            transactions_root: calculate_transaction_root(&envelopes),
            receipts_root: calculate_receipt_root(&receipt_envelopes),
            withdrawals_root: Some(EMPTY_ROOT_HASH),
            logs_bloom,
            number,
            gas_limit: BLOCK_GAS_LIMIT,
            gas_used: cumulative,
            timestamp,
            base_fee_per_gas: Some(base_fee),
            blob_gas_used: Some(0),
            excess_blob_gas: Some(0),
            parent_beacon_block_root: Some(B256::ZERO),
            requests_hash: Some(EMPTY_REQUESTS_HASH),
            ..Default::default()
        };
        let hash = header.hash_slow();
        for (index, t) in transactions.iter().enumerate() {
            self.tx_index.insert(tx::hash(t), (number, index));
        }
        let summary = BlockSummary {
            number,
            hash,
            state_root: header.state_root,
            timestamp,
            transactions: transactions.len(),
        };
        self.by_hash.insert(hash, number);
        self.block_hashes.push(hash);
        self.blocks.push(SealedBlock { header, hash, transactions, receipts, state });
        summary
    }

    /// Re-seals a stored block from its transactions and timestamp (used on
    /// restart); the pool is left as it was.
    pub(super) fn replay_block(&mut self, transactions: Vec<SignedTx>, timestamp: u64) -> BlockSummary {
        let pool = std::mem::replace(&mut self.pending, transactions);
        let summary = self.seal_block(timestamp);
        self.pending = pool;
        summary
    }

    /// Runs a call against the state after block `number` without changing
    /// anything, in the context of the block that would follow it.
    pub fn call(&self, number: u64, req: &CallRequest) -> Result<CallOutcome, ChainError> {
        let block = self.block(number).ok_or_else(|| ChainError::Call("header not found".into()))?;
        let from = req.from.unwrap_or_default();
        let gas_price = req.gas_price.unwrap_or(0);
        let env = TxEnv {
            caller: from,
            gas_limit: req.gas.unwrap_or(BLOCK_GAS_LIMIT).min(BLOCK_GAS_LIMIT),
            gas_price,
            kind: req.to.map(TxKind::Call).unwrap_or(TxKind::Create),
            value: req.value.unwrap_or_default(),
            data: req.data.clone(),
            nonce: block.state.account(&from).map(|a| a.nonce).unwrap_or(0),
            chain_id: Some(self.chain_id),
            ..Default::default()
        };
        let block_env = BlockEnv {
            number: U256::from(block.header.number + 1),
            timestamp: U256::from(block.header.timestamp + 1),
            gas_limit: BLOCK_GAS_LIMIT,
            // As geth: a call without a gas price is not charged the base fee.
            basefee: if gas_price == 0 { 0 } else { block.header.next_block_base_fee(BaseFeeParams::ethereum()).unwrap_or(0) },
            ..Default::default()
        };
        let hashes = &self.block_hashes[..=number as usize];
        let out = run(&block.state, hashes, block_env, self.chain_id, env).map_err(call_error)?;
        let gas_used = out.result.tx_gas_used();
        match out.result {
            ExecutionResult::Success { output, .. } => Ok(CallOutcome { output: output.into_data(), gas_used }),
            ExecutionResult::Revert { output, .. } => {
                Err(ChainError::Reverted { reason: revert_reason(&output), data: output })
            }
            ExecutionResult::Halt { reason, .. } => Err(ChainError::Halted(halt_message(&format!("{reason:?}")))),
        }
    }

    /// The least gas limit with which the call succeeds (binary search, as geth).
    pub fn estimate_gas(&self, number: u64, req: &CallRequest) -> Result<u64, ChainError> {
        let cap = req.gas.unwrap_or(BLOCK_GAS_LIMIT).min(BLOCK_GAS_LIMIT);
        let at = |gas: u64| self.call(number, &CallRequest { gas: Some(gas), ..req.clone() });
        // The call must succeed at the cap; its error is the answer otherwise.
        let first = at(cap)?;
        let mut lo = first.gas_used.saturating_sub(1).max(20_999);
        let mut hi = cap;
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2;
            match at(mid) {
                Ok(_) => hi = mid,
                Err(ChainError::Reverted { .. } | ChainError::Halted(_) | ChainError::Call(_)) => lo = mid,
                Err(e) => return Err(e),
            }
        }
        Ok(hi)
    }
}

fn call_error(e: EVMError<Infallible>) -> ChainError {
    match e {
        EVMError::Transaction(InvalidTransaction::LackOfFundForMaxFee { fee, balance }) => ChainError::Call(format!(
            "insufficient funds for gas * price + value: have {balance} want {fee}"
        )),
        EVMError::Transaction(InvalidTransaction::CallGasCostMoreThanGasLimit { initial_gas, gas_limit }) => {
            ChainError::Call(format!("intrinsic gas too low: have {gas_limit}, want {initial_gas}"))
        }
        EVMError::Transaction(t) => ChainError::Call(format!("invalid transaction: {t}")),
        other => ChainError::Call(format!("{other}")),
    }
}

fn halt_message(reason: &str) -> String {
    if reason.contains("OutOfGas") { "out of gas".into() } else { format!("execution halted: {reason}") }
}

/// Decodes `Error(string)` revert data (selector 0x08c379a0).
fn revert_reason(data: &[u8]) -> Option<String> {
    use alloy_sol_types::SolError;
    alloy_sol_types::Revert::abi_decode(data).ok().map(|r| r.reason)
}

struct Executed {
    result: ExecutionResult,
    state: revm::primitives::AddressMap<revm::state::Account>,
}

/// Runs one transaction on revm over `state`; nothing is committed.
fn run(
    state: &WorldState,
    block_hashes: &[B256],
    block: BlockEnv,
    chain_id: u64,
    env: TxEnv,
) -> Result<Executed, EVMError<Infallible>> {
    let view = StateView { state, block_hashes };
    let mut evm = MainnetContext::new(WrapDatabaseRef(view), SPEC)
        .with_block(block)
        .modify_cfg_chained(|cfg| cfg.chain_id = chain_id)
        .build_mainnet();
    let out = evm.transact(env)?;
    Ok(Executed { result: out.result, state: out.state })
}

