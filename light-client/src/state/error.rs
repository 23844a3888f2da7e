//! Why a state proof was refused.

/// Every way an EIP-1186 answer can fail to prove what it claims.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateProofError {
    /// A field of the answer is not what it must be (bad hex, wrong length).
    #[error("{field}: {reason}")]
    Field {
        /// Which field.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A proof node is not canonical RLP.
    #[error("proof node {index}: bad RLP: {reason}")]
    Rlp {
        /// Which node.
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A proof node is neither a branch (17 items) nor a leaf/extension (2 items).
    #[error("proof node {index} is not a trie node ({items} items)")]
    NodeShape {
        /// Which node.
        index: usize,
        /// How many items it has.
        items: usize,
    },
    /// A node's hash is not the one its parent (or the root) names.
    #[error("proof node {index} does not hash to the reference its parent holds")]
    HashMismatch {
        /// Which node.
        index: usize,
    },
    /// The proof stops before reaching a leaf or an empty slot.
    #[error("the proof ends before the key's path does (after {nodes} nodes)")]
    Incomplete {
        /// How many nodes were given.
        nodes: usize,
    },
    /// Nodes follow the point where the path ended.
    #[error("the proof has {extra} node(s) after the key's path ended")]
    TrailingNodes {
        /// How many.
        extra: usize,
    },
    /// A leaf's value or an account record is malformed.
    #[error("malformed {what}: {reason}")]
    Value {
        /// What was being decoded.
        what: &'static str,
        /// Why it failed.
        reason: &'static str,
    },
    /// The proof is valid but says something else than the answer claims.
    #[error("the answer claims {field} = {claimed}, but the proof shows {proven}")]
    Mismatch {
        /// Which field.
        field: &'static str,
        /// What the answer says.
        claimed: String,
        /// What the proof shows.
        proven: String,
    },
    /// The answer is about another address than the one asked for.
    #[error("the answer is for address {answered}, not {asked}")]
    WrongAddress {
        /// Asked.
        asked: String,
        /// Answered.
        answered: String,
    },
    /// A storage slot that was asked for is missing from the answer.
    #[error("the answer has no storage proof for slot {0}")]
    MissingSlot(String),
    /// The ERC-721 token has no owner (the slot is proven empty).
    #[error("token {0} has no owner (proven: it does not exist)")]
    NoOwner(String),
}
