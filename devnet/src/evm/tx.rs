//! Admission of raw transactions: decoding, and the checks a node makes
//! before a transaction may enter its pool, with the error messages go-ethereum
//! gives (wallets and libraries match on their prefixes: "nonce too low",
//! "insufficient funds for gas * price + value", "intrinsic gas too low"...).
//!
//! Order of the checks (as geth's `ValidateTransaction`): decode → type →
//! chain id → sender signature → size of gas → fee fields → intrinsic gas →
//! nonce → base fee → balance.

use alloy_consensus::transaction::{Recovered, SignerRecoverable};
use alloy_consensus::{Transaction, TxEnvelope};
use alloy_eips::eip2718::{Decodable2718, Encodable2718};
use alloy_primitives::{Address, B256, TxKind, U256};
use revm::context::TxEnv;

/// A transaction whose signature has been checked, with its hash.
pub type SignedTx = Recovered<TxEnvelope>;

/// Why a transaction was refused. The `Display` texts are go-ethereum's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TxError {
    /// The bytes are not a transaction.
    #[error("rlp: {0}")]
    Decode(String),
    /// A blob (EIP-4844) or set-code (EIP-7702) transaction: not served here.
    #[error("transaction type not supported")]
    TypeNotSupported,
    /// Signed for another chain.
    #[error("invalid chain id for signer: have {have} want {want}")]
    ChainId {
        /// The transaction's chain id.
        have: u64,
        /// This chain's.
        want: u64,
    },
    /// The signature does not recover to an address.
    #[error("invalid sender")]
    InvalidSender,
    /// The same transaction was already seen.
    #[error("already known")]
    AlreadyKnown,
    /// Gas limit above the block gas limit.
    #[error("exceeds block gas limit")]
    GasLimit,
    /// Tip above fee cap.
    #[error(
        "max priority fee per gas higher than max fee per gas: address {from}, maxPriorityFeePerGas: {tip}, maxFeePerGas: {cap}"
    )]
    TipAboveFeeCap {
        /// The sender.
        from: Address,
        /// The tip.
        tip: u128,
        /// The cap.
        cap: u128,
    },
    /// Gas limit below the intrinsic cost.
    #[error("intrinsic gas too low: have {have}, want {want}")]
    IntrinsicGas {
        /// The gas limit.
        have: u64,
        /// The intrinsic gas.
        want: u64,
    },
    /// Gas limit below the EIP-7623 calldata floor.
    #[error("insufficient gas for floor data gas cost: have {have}, want {want}")]
    FloorDataGas {
        /// The gas limit.
        have: u64,
        /// The floor.
        want: u64,
    },
    /// Nonce already used.
    #[error("nonce too low: address {from}, tx: {tx} state: {state}")]
    NonceTooLow {
        /// The sender.
        from: Address,
        /// The transaction's nonce.
        tx: u64,
        /// The next nonce.
        state: u64,
    },
    /// Nonce ahead of the account (this devnet does not queue gapped transactions).
    #[error("nonce too high: address {from}, tx: {tx} state: {state}")]
    NonceTooHigh {
        /// The sender.
        from: Address,
        /// The transaction's nonce.
        tx: u64,
        /// The next nonce.
        state: u64,
    },
    /// Fee cap below the next block's base fee.
    #[error("max fee per gas less than block base fee: address {from}, maxFeePerGas: {cap}, baseFee: {base_fee}")]
    FeeCapTooLow {
        /// The sender.
        from: Address,
        /// The fee cap.
        cap: u128,
        /// The base fee.
        base_fee: u64,
    },
    /// The sender cannot pay.
    #[error("insufficient funds for gas * price + value: address {from} have {have} want {want}")]
    InsufficientFunds {
        /// The sender.
        from: Address,
        /// Its balance.
        have: U256,
        /// gas limit × fee cap + value.
        want: U256,
    },
}

/// Decodes an EIP-2718 transaction (legacy, EIP-2930 or EIP-1559), checks its
/// type and chain id, and recovers its sender.
pub fn decode(raw: &[u8], chain_id: u64) -> Result<SignedTx, TxError> {
    let mut buf = raw;
    let envelope = TxEnvelope::decode_2718(&mut buf).map_err(|e| TxError::Decode(e.to_string()))?;
    if !buf.is_empty() {
        return Err(TxError::Decode(format!("{} trailing bytes after the transaction", buf.len())));
    }
    if !matches!(envelope, TxEnvelope::Legacy(_) | TxEnvelope::Eip2930(_) | TxEnvelope::Eip1559(_)) {
        return Err(TxError::TypeNotSupported);
    }
    if let Some(have) = envelope.chain_id()
        && have != chain_id
    {
        return Err(TxError::ChainId { have, want: chain_id });
    }
    let from = envelope.recover_signer().map_err(|_| TxError::InvalidSender)?;
    Ok(Recovered::new_unchecked(envelope, from))
}

/// The gas a transaction costs before it runs (EIP-2028 calldata, EIP-2930
/// access list, EIP-3860 initcode words) and its EIP-7623 calldata floor.
pub fn intrinsic_gas(tx: &TxEnvelope) -> (u64, u64) {
    let data = tx.input();
    let zeros = data.iter().filter(|b| **b == 0).count() as u64;
    let tokens = zeros + (data.len() as u64 - zeros) * 4;
    let create = tx.kind().is_create();
    let mut gas = if create { 53_000 } else { 21_000 };
    gas += tokens * 4;
    if create {
        gas += 2 * (data.len() as u64).div_ceil(32);
    }
    if let Some(list) = tx.access_list() {
        for item in list.iter() {
            gas += 2_400 + 1_900 * item.storage_keys.len() as u64;
        }
    }
    (gas, 21_000 + tokens * 10)
}

/// What the admission checks need to know about the chain.
#[derive(Debug, Clone, Copy)]
pub struct Admission {
    /// The block gas limit.
    pub block_gas_limit: u64,
    /// The next block's base fee.
    pub base_fee: u64,
    /// The sender's next nonce (its state nonce plus its pending transactions).
    pub next_nonce: u64,
    /// The sender's balance.
    pub balance: U256,
}

/// Runs the pool checks after [`decode`].
pub fn admit(tx: &SignedTx, chain: Admission) -> Result<(), TxError> {
    let from = tx.signer();
    let gas_limit = tx.gas_limit();
    if gas_limit > chain.block_gas_limit {
        return Err(TxError::GasLimit);
    }
    let cap = tx.max_fee_per_gas();
    if let Some(tip) = tx.max_priority_fee_per_gas()
        && tip > cap
    {
        return Err(TxError::TipAboveFeeCap { from, tip, cap });
    }
    let (intrinsic, floor) = intrinsic_gas(tx.inner());
    if gas_limit < intrinsic {
        return Err(TxError::IntrinsicGas { have: gas_limit, want: intrinsic });
    }
    if gas_limit < floor {
        return Err(TxError::FloorDataGas { have: gas_limit, want: floor });
    }
    let nonce = tx.nonce();
    if nonce < chain.next_nonce {
        return Err(TxError::NonceTooLow { from, tx: nonce, state: chain.next_nonce });
    }
    if nonce > chain.next_nonce {
        return Err(TxError::NonceTooHigh { from, tx: nonce, state: chain.next_nonce });
    }
    if cap < u128::from(chain.base_fee) {
        return Err(TxError::FeeCapTooLow { from, cap, base_fee: chain.base_fee });
    }
    let want = U256::from(gas_limit) * U256::from(cap) + tx.value();
    if want > chain.balance {
        return Err(TxError::InsufficientFunds { from, have: chain.balance, want });
    }
    Ok(())
}

/// The hash of a signed transaction.
pub fn hash(tx: &SignedTx) -> B256 {
    *tx.inner().tx_hash()
}

/// The raw EIP-2718 bytes of a signed transaction.
pub fn encode(tx: &SignedTx) -> Vec<u8> {
    tx.inner().encoded_2718()
}

/// The revm transaction for a signed transaction.
pub fn tx_env(tx: &SignedTx) -> TxEnv {
    let inner = tx.inner();
    TxEnv {
        tx_type: inner.tx_type() as u8,
        caller: tx.signer(),
        gas_limit: inner.gas_limit(),
        gas_price: inner.max_fee_per_gas(),
        gas_priority_fee: inner.max_priority_fee_per_gas(),
        kind: match inner.kind() {
            TxKind::Create => TxKind::Create,
            TxKind::Call(to) => TxKind::Call(to),
        },
        value: inner.value(),
        data: inner.input().clone(),
        nonce: inner.nonce(),
        chain_id: inner.chain_id(),
        access_list: inner.access_list().cloned().unwrap_or_default(),
        ..Default::default()
    }
}
