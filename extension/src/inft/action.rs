//! The iNFT actions the wallet's pages ask for, checked and turned into
//! the `AgentNFT` call the engine signs after the user's approval.
//!
//! Checks here are the ones that need no chain state (an address that does
//! not parse, a transfer to oneself, a transfer without proofs, a proof for
//! another data item than the one named); everything that depends on state
//! (ownership, spent nonces, the oracle's signature) is left to the
//! contract, whose refusal [`super::revert`] explains.

use std::str::FromStr;

use alloy_primitives::{Address, U256};
use serde::Deserialize;

use super::abi::{self, IntelligentData, TokenId, TransferProof};

/// A page's request, as JSON `{action: "mint" | "transfer" | "clone" |
/// "authorize" | "revoke" | "delegate", …}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Action {
    /// Mint a token holding `datas` to `to` (default: the sender).
    Mint {
        /// The encrypted files' descriptions and roots.
        datas: Vec<IntelligentData>,
        /// Receiver (default: the sender).
        #[serde(default)]
        to: Option<String>,
    },
    /// `iTransferFrom` with the oracle's and the receiver's proofs.
    Transfer {
        /// Token id (decimal or `0x` hex).
        token_id: String,
        /// Receiver.
        to: String,
        /// One per data item.
        proofs: Vec<TransferProof>,
    },
    /// `iCloneFrom`: a new token with the same data, keys sealed to `to`.
    Clone {
        /// Token id.
        token_id: String,
        /// Receiver of the clone.
        to: String,
        /// One per data item.
        proofs: Vec<TransferProof>,
    },
    /// `authorizeUsage`.
    Authorize {
        /// Token id.
        token_id: String,
        /// The user.
        user: String,
    },
    /// `revokeAuthorization`.
    Revoke {
        /// Token id.
        token_id: String,
        /// The user.
        user: String,
    },
    /// `delegateAccess`: `assistant` may sign access proofs for the sender.
    Delegate {
        /// The assistant.
        assistant: String,
    },
    /// `update`: point the token at new data (after a transfer or clone).
    Update {
        /// Token id.
        token_id: String,
        /// The new data items.
        datas: Vec<IntelligentData>,
    },
    /// `Flow.submit`: register an upload's root on chain (0G's flow contract).
    Submit {
        /// The submission in the 0G SDK's JSON form `{length, tags, nodes}`.
        submission: aloft_light_client::storage::Submission,
    },
}

/// Why an action was refused before anything was signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActionError {
    /// An address field does not parse.
    #[error("{field} {value:?} is not an address (0x and 40 hexadecimal digits)")]
    BadAddress {
        /// Which field.
        field: &'static str,
        /// What was given.
        value: String,
    },
    /// The zero address where a real one is needed.
    #[error("{0} is the zero address: no one holds its key")]
    ZeroAddress(&'static str),
    /// A token id that is not a number.
    #[error("token id {0:?} is not a number")]
    BadTokenId(String),
    /// A transfer or clone to the sender.
    #[error("the receiver is the sender: choose another account")]
    ToSelf,
    /// A transfer or clone without proofs.
    #[error("a transfer needs the oracle's proof for each data item; there is none")]
    NoProof,
    /// A mint without data.
    #[error("an agent needs at least one encrypted file")]
    NoData,
}

fn address(field: &'static str, value: &str) -> Result<Address, ActionError> {
    let a = Address::from_str(value.trim()).map_err(|_| ActionError::BadAddress {
        field,
        value: value.to_string(),
    })?;
    if a.is_zero() {
        Err(ActionError::ZeroAddress(field))
    } else {
        Ok(a)
    }
}

/// A token id from decimal or `0x` hex.
pub fn token_id(value: &str) -> Result<TokenId, ActionError> {
    U256::from_str(value.trim())
        .map(TokenId)
        .map_err(|_| ActionError::BadTokenId(value.to_string()))
}

impl Action {
    /// The `AgentNFT` call data for `from`, or why not.
    pub fn call_data(&self, from: Address) -> Result<Vec<u8>, ActionError> {
        Ok(match self {
            Self::Mint { datas, to } => {
                if datas.is_empty() {
                    return Err(ActionError::NoData);
                }
                let to = match to {
                    Some(t) => address("receiver", t)?,
                    None => from,
                };
                abi::mint(datas, to)
            }
            Self::Transfer {
                token_id: id,
                to,
                proofs,
            }
            | Self::Clone {
                token_id: id,
                to,
                proofs,
            } => {
                let to = address("receiver", to)?;
                if to == from {
                    return Err(ActionError::ToSelf);
                }
                if proofs.is_empty() {
                    return Err(ActionError::NoProof);
                }
                let id = token_id(id)?;
                if matches!(self, Self::Transfer { .. }) {
                    abi::i_transfer_from(from, to, id, proofs)
                } else {
                    abi::i_clone_from(from, to, id, proofs)
                }
            }
            Self::Authorize { token_id: id, user } => {
                abi::authorize_usage(token_id(id)?, address("user", user)?)
            }
            Self::Revoke { token_id: id, user } => {
                abi::revoke_authorization(token_id(id)?, address("user", user)?)
            }
            Self::Delegate { assistant } => abi::delegate_access(address("assistant", assistant)?),
            Self::Update { token_id: id, datas } => {
                if datas.is_empty() {
                    return Err(ActionError::NoData);
                }
                abi::update(token_id(id)?, datas)
            }
            Self::Submit { submission } => {
                if submission.nodes.is_empty() {
                    return Err(ActionError::NoData);
                }
                abi::flow_submit(submission)
            }
        })
    }

    /// A short name for messages (`transfer`, `clone`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Mint { .. } => "mint",
            Self::Transfer { .. } => "transfer",
            Self::Clone { .. } => "clone",
            Self::Authorize { .. } => "authorize",
            Self::Revoke { .. } => "revoke",
            Self::Delegate { .. } => "delegate",
            Self::Update { .. } => "update",
            Self::Submit { .. } => "storage submission",
        }
    }

    /// Whether the call goes to the Flow contract (else to the agent NFT).
    pub fn is_flow(&self) -> bool {
        matches!(self, Self::Submit { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(v: serde_json::Value) -> Action {
        serde_json::from_value(v).expect("reads")
    }

    #[test]
    fn pages_requests_become_calls() {
        let me = Address::repeat_byte(1);
        let a = action(
            json!({"action": "authorize", "tokenId": "0x2", "user": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"}),
        );
        assert_eq!(
            a.call_data(me).expect("ok")[..4],
            abi::authorize_usage(TokenId(U256::from(2)), me)[..4]
        );
        let m = action(
            json!({"action": "mint", "datas": [{"dataDescription": "x", "dataHash": format!("0x{}", "ab".repeat(32))}]}),
        );
        assert!(m.call_data(me).is_ok());
    }

    #[test]
    fn bad_requests_are_named() {
        let me = Address::repeat_byte(1);
        let e = action(json!({"action": "revoke", "tokenId": "seven", "user": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"})).call_data(me);
        assert_eq!(e, Err(ActionError::BadTokenId("seven".into())));
        let e = action(json!({"action": "delegate", "assistant": "0x0000000000000000000000000000000000000000"})).call_data(me);
        assert_eq!(e, Err(ActionError::ZeroAddress("assistant")));
        let e = action(
            json!({"action": "transfer", "tokenId": "1", "to": me.to_string(), "proofs": []}),
        )
        .call_data(me);
        assert_eq!(e, Err(ActionError::ToSelf));
        let e = action(json!({"action": "clone", "tokenId": "1", "to": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "proofs": []})).call_data(me);
        assert_eq!(e, Err(ActionError::NoProof));
        assert_eq!(
            action(json!({"action": "mint", "datas": []})).call_data(me),
            Err(ActionError::NoData)
        );
        assert!(serde_json::from_value::<Action>(json!({"action": "burn"})).is_err());
        assert!(
            ActionError::BadAddress {
                field: "user",
                value: "zz".into()
            }
            .to_string()
            .contains("not an address")
        );
    }

    #[test]
    fn a_storage_submission_is_a_flow_call() {
        let me = Address::repeat_byte(1);
        let root = format!("0x{}", "11".repeat(32));
        let a = action(json!({"action": "submit", "submission": {"length": 5000, "tags": "0x", "nodes": [{"height": 5, "root": root}]}}));
        assert!(a.is_flow());
        let data = a.call_data(me).expect("encodes");
        assert_eq!(crate::decode::decode_call(&data)["function"], "submit");
        let empty = action(json!({"action": "submit", "submission": {"length": 0, "tags": "0x", "nodes": []}}));
        assert_eq!(empty.call_data(me), Err(ActionError::NoData));
    }
}
