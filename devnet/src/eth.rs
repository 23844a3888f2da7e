//! The `eth_*` methods over the execution layer: JSON parameters in, the
//! shapes of `alloy-rpc-types-eth` out (so the answers are byte for byte what
//! alloy, ethers and viem parse from geth or Anvil).
//!
//! Block parameters accept the tags (`latest`, `earliest`, `pending`,
//! `safe`, `finalized`), numbers, and EIP-1898 objects (`{"blockHash": ...}`,
//! `{"blockNumber": ...}`). Every block is final here (one producer, no
//! reorgs), so `safe` and `finalized` are the head; `pending` is the head
//! too, except for nonces, which count the pool.

use alloy_consensus::Transaction as _;
use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{Address, B256, Bytes, TxKind, U256};
use alloy_rpc_types_eth::{
    Block, BlockTransactions, EIP1186AccountProofResponse, EIP1186StorageProof, FeeHistory, Filter, FilterBlockOption,
    Header as RpcHeader, Log as RpcLog, Transaction as RpcTransaction, TransactionReceipt, TransactionRequest,
};
use alloy_serde::storage::JsonStorageKey;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::evm::chain::{CallRequest, Chain, ChainError, SealedBlock};
use crate::evm::{ExecutionLayer, SubmitError, trie, tx};
use crate::rpc::RpcError;

/// The priority fee the devnet suggests (1 gwei, as Anvil).
pub const SUGGESTED_TIP: u128 = 1_000_000_000;

/// The most blocks one `eth_getLogs` may scan, and one `eth_feeHistory` may cover.
pub const MAX_RANGE: u64 = 10_000;

/// Answers an `eth_*` method the execution layer serves; `None` if it is not one.
pub fn dispatch(evm: &ExecutionLayer, method: &str, params: &[Value]) -> Option<Result<Value, RpcError>> {
    let result = match method {
        "eth_sendRawTransaction" => send_raw(evm, params),
        _ => {
            let chain = evm.read();
            match method {
                "eth_blockNumber" => Ok(quantity(chain.head().header.number)),
                "eth_gasPrice" => Ok(quantity_u128(u128::from(chain.next_base_fee()) + SUGGESTED_TIP)),
                "eth_maxPriorityFeePerGas" => Ok(quantity_u128(SUGGESTED_TIP)),
                "eth_syncing" => Ok(json!(false)),
                "eth_getBalance" => account_read(&chain, params, |b, a| quantity_u256(balance(b, a))),
                "eth_getTransactionCount" => get_transaction_count(&chain, params),
                "eth_getCode" => account_read(&chain, params, |b, a| json!(b.state.code(a))),
                "eth_getStorageAt" => get_storage_at(&chain, params),
                "eth_call" => call(&chain, params).map(|out| json!(out)),
                "eth_estimateGas" => estimate_gas(&chain, params),
                "eth_feeHistory" => fee_history(&chain, params),
                "eth_getTransactionByHash" => transaction_by_hash(&chain, params),
                "eth_getTransactionReceipt" => receipt(&chain, params),
                "eth_getBlockByNumber" => param::<BlockNumberOrTag>(params, 0).and_then(|id| {
                    full_param(params).map(|full| block_json(&chain, resolve(&chain, BlockId::Number(id)).ok(), full))
                }),
                "eth_getBlockByHash" => param::<B256>(params, 0).and_then(|hash| {
                    full_param(params)
                        .map(|full| block_json(&chain, chain.block_by_hash(&hash).map(|b| b.header.number), full))
                }),
                "eth_getLogs" => get_logs(&chain, params),
                "eth_getProof" => get_proof(&chain, params),
                _ => return None,
            }
        }
    };
    Some(result)
}

fn param<T: DeserializeOwned>(params: &[Value], index: usize) -> Result<T, RpcError> {
    let value = params
        .get(index)
        .ok_or_else(|| RpcError::invalid_params(format!("missing value for required argument {index}")))?;
    serde_json::from_value(value.clone()).map_err(|e| RpcError::invalid_params(format!("invalid argument {index}: {e}")))
}

fn opt_param<T: DeserializeOwned>(params: &[Value], index: usize) -> Result<Option<T>, RpcError> {
    match params.get(index) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => param(params, index).map(Some),
    }
}

fn full_param(params: &[Value]) -> Result<bool, RpcError> {
    Ok(opt_param::<bool>(params, 1)?.unwrap_or(false))
}

fn header_not_found() -> RpcError {
    RpcError::server("header not found")
}

/// The block number a block parameter names (absent: latest).
fn resolve(chain: &Chain, id: BlockId) -> Result<u64, RpcError> {
    let head = chain.head().header.number;
    match id {
        BlockId::Hash(h) => chain.block_by_hash(&h.block_hash).map(|b| b.header.number).ok_or_else(header_not_found),
        BlockId::Number(tag) => match tag {
            BlockNumberOrTag::Earliest => Ok(0),
            BlockNumberOrTag::Number(n) if n <= head => Ok(n),
            BlockNumberOrTag::Number(_) => Err(header_not_found()),
            _ => Ok(head),
        },
    }
}

fn block_at<'c>(chain: &'c Chain, params: &[Value], index: usize) -> Result<&'c SealedBlock, RpcError> {
    let id = opt_param::<BlockId>(params, index)?.unwrap_or_default();
    let number = resolve(chain, id)?;
    chain.block(number).ok_or_else(header_not_found)
}

fn is_pending(params: &[Value], index: usize) -> bool {
    params.get(index).and_then(Value::as_str) == Some("pending")
}

fn balance(block: &SealedBlock, address: &Address) -> U256 {
    block.state.account(address).map(|a| a.balance).unwrap_or_default()
}

fn account_read(
    chain: &Chain,
    params: &[Value],
    read: impl Fn(&SealedBlock, &Address) -> Value,
) -> Result<Value, RpcError> {
    let address = param::<Address>(params, 0)?;
    Ok(read(block_at(chain, params, 1)?, &address))
}

fn get_transaction_count(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let address = param::<Address>(params, 0)?;
    if is_pending(params, 1) {
        return Ok(quantity(chain.next_nonce(&address)));
    }
    let block = block_at(chain, params, 1)?;
    Ok(quantity(block.state.account(&address).map(|a| a.nonce).unwrap_or(0)))
}

fn get_storage_at(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let address = param::<Address>(params, 0)?;
    let slot = param::<JsonStorageKey>(params, 1)?.as_b256();
    let block = block_at(chain, params, 2)?;
    let value = block.state.storage(&address, &U256::from_be_bytes(slot.0));
    Ok(json!(B256::from(value.to_be_bytes::<32>())))
}

fn call_request(params: &[Value]) -> Result<CallRequest, RpcError> {
    let req = param::<TransactionRequest>(params, 0)?;
    Ok(CallRequest {
        from: req.from,
        to: match req.to {
            Some(TxKind::Call(to)) => Some(to),
            _ => None,
        },
        gas: req.gas,
        value: req.value,
        data: req.input.input().cloned().unwrap_or_default(),
        gas_price: req.gas_price.or(req.max_fee_per_gas),
    })
}

fn call(chain: &Chain, params: &[Value]) -> Result<Bytes, RpcError> {
    let req = call_request(params)?;
    let number = block_at(chain, params, 1)?.header.number;
    chain.call(number, &req).map(|out| out.output).map_err(chain_error)
}

fn estimate_gas(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let req = call_request(params)?;
    let number = block_at(chain, params, 1)?.header.number;
    chain.estimate_gas(number, &req).map(quantity).map_err(chain_error)
}

/// Reverts get code 3 with the revert data, as geth answers them.
fn chain_error(e: ChainError) -> RpcError {
    match &e {
        ChainError::Reverted { data, .. } => RpcError { code: 3, message: e.to_string(), data: Some(json!(data)) },
        _ => RpcError::server(e.to_string()),
    }
}

fn send_raw(evm: &ExecutionLayer, params: &[Value]) -> Result<Value, RpcError> {
    let raw = param::<Bytes>(params, 0)?;
    match evm.send_raw_transaction(&raw) {
        Ok(hash) => Ok(json!(hash)),
        Err(SubmitError::Tx(e)) => Err(RpcError::server(e.to_string())),
        Err(e) => Err(RpcError { code: -32603, message: e.to_string(), data: None }),
    }
}

fn rpc_transaction(block: &SealedBlock, index: usize) -> RpcTransaction {
    let signed = &block.transactions[index];
    RpcTransaction {
        inner: signed.clone(),
        block_hash: Some(block.hash),
        block_number: Some(block.header.number),
        transaction_index: Some(index as u64),
        effective_gas_price: Some(block.receipts[index].effective_gas_price),
        block_timestamp: Some(block.header.timestamp),
    }
}

fn transaction_by_hash(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let hash = param::<B256>(params, 0)?;
    if let Some((block, index)) = chain.transaction(&hash) {
        return Ok(json!(rpc_transaction(block, index)));
    }
    Ok(match chain.pending_transaction(&hash) {
        Some(signed) => json!(RpcTransaction {
            inner: signed.clone(),
            block_hash: None,
            block_number: None,
            transaction_index: None,
            effective_gas_price: None,
            block_timestamp: None,
        }),
        None => Value::Null,
    })
}

/// The logs of transaction `index` of `block`, with their positions; `first`
/// is the block-wide index of its first log.
fn rpc_logs(block: &SealedBlock, index: usize, first: u64) -> Vec<RpcLog> {
    block.receipts[index]
        .envelope
        .logs()
        .iter()
        .enumerate()
        .map(|(i, log)| RpcLog {
            inner: log.clone(),
            block_hash: Some(block.hash),
            block_number: Some(block.header.number),
            block_timestamp: Some(block.header.timestamp),
            transaction_hash: Some(tx::hash(&block.transactions[index])),
            transaction_index: Some(index as u64),
            log_index: Some(first + i as u64),
            removed: false,
        })
        .collect()
}

fn first_log_index(block: &SealedBlock, index: usize) -> u64 {
    block.receipts[..index].iter().map(|r| r.envelope.logs().len() as u64).sum()
}

fn receipt(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let hash = param::<B256>(params, 0)?;
    let Some((block, index)) = chain.transaction(&hash) else { return Ok(Value::Null) };
    let stored = &block.receipts[index];
    let signed = &block.transactions[index];
    let mut logs = rpc_logs(block, index, first_log_index(block, index)).into_iter();
    let inner = stored.envelope.clone().map_logs(|_| logs.next().expect("one rpc log per log"));
    Ok(json!(TransactionReceipt {
        inner,
        transaction_hash: hash,
        transaction_index: Some(index as u64),
        block_hash: Some(block.hash),
        block_number: Some(block.header.number),
        gas_used: stored.gas_used,
        effective_gas_price: stored.effective_gas_price,
        blob_gas_used: None,
        blob_gas_price: None,
        from: signed.signer(),
        to: signed.to(),
        contract_address: stored.contract_address,
    }))
}

fn block_json(chain: &Chain, number: Option<u64>, full: bool) -> Value {
    let Some(block) = number.and_then(|n| chain.block(n)) else { return Value::Null };
    let transactions = if full {
        BlockTransactions::Full((0..block.transactions.len()).map(|i| rpc_transaction(block, i)).collect())
    } else {
        BlockTransactions::Hashes(block.transactions.iter().map(tx::hash).collect())
    };
    let size = alloy_rlp::encode(&block.header).len()
        + block.transactions.iter().map(|t| tx::encode(t).len()).sum::<usize>();
    let header = RpcHeader {
        hash: block.hash,
        inner: block.header.clone(),
        total_difficulty: Some(U256::ZERO),
        size: Some(U256::from(size)),
    };
    json!(Block { header, uncles: Vec::new(), transactions, withdrawals: Some(Default::default()) })
}

fn get_logs(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let filter = param::<Filter>(params, 0)?;
    let (from, to) = match filter.block_option {
        FilterBlockOption::AtBlockHash(hash) => {
            let n = chain.block_by_hash(&hash).map(|b| b.header.number).ok_or_else(|| RpcError::server("unknown block"))?;
            (n, n)
        }
        FilterBlockOption::Range { from_block, to_block } => {
            let end = |t: Option<BlockNumberOrTag>| resolve(chain, BlockId::Number(t.unwrap_or_default()));
            let to = end(to_block).or_else(|_| Ok::<_, RpcError>(chain.head().header.number))?;
            (end(from_block)?, to)
        }
    };
    if from > to {
        return Err(RpcError::invalid_params("invalid block range params"));
    }
    if to - from >= MAX_RANGE {
        return Err(RpcError::server(format!("query exceeds max block range {MAX_RANGE}")));
    }
    let mut out = Vec::new();
    for number in from..=to {
        let Some(block) = chain.block(number) else { break };
        if !filter.matches_bloom(block.header.logs_bloom) {
            continue;
        }
        let mut first = 0;
        for index in 0..block.transactions.len() {
            for log in rpc_logs(block, index, first) {
                if filter.matches(&log.inner) {
                    out.push(log);
                }
            }
            first += block.receipts[index].envelope.logs().len() as u64;
        }
    }
    Ok(json!(out))
}

fn get_proof(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let address = param::<Address>(params, 0)?;
    let keys = param::<Vec<JsonStorageKey>>(params, 1)?;
    let block = block_at(chain, params, 2)?;
    let slots: Vec<U256> = keys.iter().map(|k| U256::from_be_bytes(k.as_b256().0)).collect();
    let (account_proof, storage_proofs) = trie::prove(&block.state, &address, &slots);
    let account = block.state.account(&address).cloned().unwrap_or_default();
    let storage_hash = trie::storage_root(&account);
    let storage_proof = keys
        .into_iter()
        .zip(slots)
        .zip(storage_proofs)
        .map(|((key, slot), proof)| EIP1186StorageProof {
            key,
            value: account.storage.get(&slot).copied().unwrap_or_default(),
            proof,
        })
        .collect();
    Ok(json!(EIP1186AccountProofResponse {
        address,
        balance: account.balance,
        code_hash: account.code_hash,
        nonce: account.nonce,
        storage_hash,
        account_proof,
        storage_proof,
    }))
}

fn fee_history(chain: &Chain, params: &[Value]) -> Result<Value, RpcError> {
    let count: u64 = match params.first() {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| RpcError::invalid_params("invalid argument 0"))?,
        _ => param::<alloy_primitives::U64>(params, 0)?.to::<u64>(),
    };
    let newest = resolve(chain, BlockId::Number(param::<BlockNumberOrTag>(params, 1)?))?;
    let percentiles = opt_param::<Vec<f64>>(params, 2)?;
    if let Some(p) = &percentiles
        && (p.iter().any(|x| !(0.0..=100.0).contains(x)) || p.windows(2).any(|w| w[0] > w[1]))
    {
        return Err(RpcError::invalid_params("invalid reward percentiles: must be ascending values in [0, 100]"));
    }
    let count = count.clamp(1, 1024).min(newest + 1);
    let oldest = newest + 1 - count;
    let mut base_fee_per_gas = Vec::new();
    let mut gas_used_ratio = Vec::new();
    let mut reward = Vec::new();
    for number in oldest..=newest {
        let block = chain.block(number).ok_or_else(header_not_found)?;
        let base_fee = block.header.base_fee_per_gas.unwrap_or_default();
        base_fee_per_gas.push(u128::from(base_fee));
        gas_used_ratio.push(block.header.gas_used as f64 / block.header.gas_limit as f64);
        if let Some(p) = &percentiles {
            reward.push(block_rewards(block, base_fee, p));
        }
    }
    let last = chain.block(newest).ok_or_else(header_not_found)?;
    let next = last.header.next_block_base_fee(alloy_eips::eip1559::BaseFeeParams::ethereum()).unwrap_or_default();
    base_fee_per_gas.push(u128::from(next));
    Ok(json!(FeeHistory {
        base_fee_per_gas,
        gas_used_ratio,
        base_fee_per_blob_gas: vec![0; count as usize + 1],
        blob_gas_used_ratio: vec![0.0; count as usize],
        oldest_block: oldest,
        reward: percentiles.map(|_| reward),
    }))
}

/// The tips at the given percentiles of gas used, as geth computes them.
fn block_rewards(block: &SealedBlock, base_fee: u64, percentiles: &[f64]) -> Vec<u128> {
    let mut tips: Vec<(u128, u64)> = block
        .transactions
        .iter()
        .zip(&block.receipts)
        .map(|(t, r)| (t.effective_tip_per_gas(base_fee).unwrap_or_default(), r.gas_used))
        .collect();
    if tips.is_empty() {
        return vec![0; percentiles.len()];
    }
    tips.sort_unstable();
    let total: u64 = tips.iter().map(|t| t.1).sum();
    percentiles
        .iter()
        .map(|p| {
            let threshold = (total as f64 * p / 100.0) as u64;
            let mut sum = 0;
            for (tip, gas) in &tips {
                sum += gas;
                if sum >= threshold {
                    return *tip;
                }
            }
            tips.last().map(|t| t.0).unwrap_or_default()
        })
        .collect()
}

fn quantity(n: u64) -> Value {
    json!(format!("{n:#x}"))
}

fn quantity_u128(n: u128) -> Value {
    json!(format!("{n:#x}"))
}

fn quantity_u256(n: U256) -> Value {
    json!(format!("{n:#x}"))
}
