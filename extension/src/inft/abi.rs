//! The `AgentNFT` contract's calls and views, ABI-encoded and decoded with
//! `alloy-dyn-abi` from the human-readable signatures of
//! `contracts/src/IERC7857.sol` (0G's reference shapes), so the wallet and
//! the approval view's decoder (`decode.rs`) read the same ABI.

use alloy_dyn_abi::{DynSolValue, FunctionExt, JsonAbiExt};
use alloy_json_abi::Function;
use alloy_primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};

/// `TransferValidityProof[]`, component names dropped (not part of the ABI).
const PROOFS: &str = "((bytes32,bytes,bytes,bytes),(uint8,bytes32,bytes,bytes,bytes,bytes))[]";

/// Why an ABI answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AbiError {
    /// The contract's answer does not decode as the view's return type.
    #[error("the contract's answer to {function} does not decode: {reason}")]
    BadOutput {
        /// The view.
        function: &'static str,
        /// Decoder's reason.
        reason: String,
    },
}

/// An ERC-721 token id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenId(pub U256);

impl std::fmt::Display for TokenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An intelligent data item's hash: the 0G file root of its ciphertext.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DataHash(pub B256);

/// One `IntelligentData` entry of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntelligentData {
    /// Free text (the wallet writes the manifest's summary here).
    pub data_description: String,
    /// The ciphertext's file root.
    pub data_hash: DataHash,
}

/// Signed by the receiver (or its delegated assistant): it may access `data_hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessProof {
    /// The data it is about.
    pub data_hash: DataHash,
    /// The key the data's key should be sealed to (empty: the receiver's own).
    pub target_pubkey: alloy_primitives::Bytes,
    /// Spent once on chain.
    pub nonce: alloy_primitives::Bytes,
    /// 65-byte EIP-191 signature.
    pub proof: alloy_primitives::Bytes,
}

/// Signed by the transfer oracle: the data's key is sealed for `target_pubkey`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnershipProof {
    /// 0 = TEE (the only kind the devnet verifier accepts).
    #[serde(default)]
    pub oracle_type: u8,
    /// The data it is about.
    pub data_hash: DataHash,
    /// The data key sealed to the receiver (ECIES).
    pub sealed_key: alloy_primitives::Bytes,
    /// The receiver's 64-byte public key.
    pub target_pubkey: alloy_primitives::Bytes,
    /// Spent once on chain.
    pub nonce: alloy_primitives::Bytes,
    /// 65-byte EIP-191 signature by the oracle.
    pub proof: alloy_primitives::Bytes,
}

/// One `TransferValidityProof`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferProof {
    /// The receiver's side.
    pub access_proof: AccessProof,
    /// The oracle's side.
    pub ownership_proof: OwnershipProof,
}

fn function(signature: &str) -> Function {
    // Every signature here is a constant of this module, covered by the
    // selector test below; a parse failure is a programming error.
    #[allow(clippy::expect_used)]
    Function::parse(signature).expect("the module's signatures parse")
}

fn encode(signature: &str, args: &[DynSolValue]) -> Vec<u8> {
    // `abi_encode_input` writes the selector first.
    #[allow(clippy::expect_used)]
    function(signature)
        .abi_encode_input(args)
        .expect("arguments are built to match their signature")
}

fn proofs_value(proofs: &[TransferProof]) -> DynSolValue {
    DynSolValue::Array(
        proofs
            .iter()
            .map(|p| {
                let a = &p.access_proof;
                let o = &p.ownership_proof;
                DynSolValue::Tuple(vec![
                    DynSolValue::Tuple(vec![
                        DynSolValue::FixedBytes(a.data_hash.0, 32),
                        DynSolValue::Bytes(a.target_pubkey.to_vec()),
                        DynSolValue::Bytes(a.nonce.to_vec()),
                        DynSolValue::Bytes(a.proof.to_vec()),
                    ]),
                    DynSolValue::Tuple(vec![
                        DynSolValue::Uint(U256::from(o.oracle_type), 8),
                        DynSolValue::FixedBytes(o.data_hash.0, 32),
                        DynSolValue::Bytes(o.sealed_key.to_vec()),
                        DynSolValue::Bytes(o.target_pubkey.to_vec()),
                        DynSolValue::Bytes(o.nonce.to_vec()),
                        DynSolValue::Bytes(o.proof.to_vec()),
                    ]),
                ])
            })
            .collect(),
    )
}

/// `mint(IntelligentData[] iDatas, address to)`.
pub fn mint(datas: &[IntelligentData], to: Address) -> Vec<u8> {
    let items = datas
        .iter()
        .map(|d| {
            DynSolValue::Tuple(vec![
                DynSolValue::String(d.data_description.clone()),
                DynSolValue::FixedBytes(d.data_hash.0, 32),
            ])
        })
        .collect();
    encode(
        "function mint((string,bytes32)[] iDatas, address to)",
        &[DynSolValue::Array(items), DynSolValue::Address(to)],
    )
}

/// `update(tokenId, newDatas)`: the owner points the token at new data
/// (after a transfer, the ciphertext the oracle re-encrypted for it).
pub fn update(token: TokenId, datas: &[IntelligentData]) -> Vec<u8> {
    let items = datas
        .iter()
        .map(|d| DynSolValue::Tuple(vec![DynSolValue::String(d.data_description.clone()), DynSolValue::FixedBytes(d.data_hash.0, 32)]))
        .collect();
    encode("function update(uint256 tokenId, (string,bytes32)[] newDatas)", &[DynSolValue::Uint(token.0, 256), DynSolValue::Array(items)])
}

/// The ownership proofs' nonces in an `iTransferFrom` / `iCloneFrom` call:
/// the devnet oracle puts the re-encrypted ciphertext's root there
/// (docs/protocol.md, "Transfer oracle"). `None` if `input` is neither call.
pub fn ownership_nonces(input: &[u8]) -> Option<Vec<Vec<u8>>> {
    for name in ["iTransferFrom", "iCloneFrom"] {
        let f = function(&format!("function {name}(address from, address to, uint256 tokenId, {PROOFS} proofs)"));
        if input.len() < 4 || f.selector()[..] != input[..4] {
            continue;
        }
        let args = f.abi_decode_input(&input[4..]).ok()?;
        let proofs = args.get(3)?.as_array()?;
        return proofs
            .iter()
            .map(|p| {
                let parts = p.as_tuple()?;
                let ownership = parts.get(1)?.as_tuple()?;
                ownership.get(4)?.as_bytes().map(<[u8]>::to_vec)
            })
            .collect();
    }
    None
}

/// `iTransferFrom(from, to, tokenId, proofs)`.
pub fn i_transfer_from(
    from: Address,
    to: Address,
    token: TokenId,
    proofs: &[TransferProof],
) -> Vec<u8> {
    with_proofs("iTransferFrom", from, to, token, proofs)
}

/// `iCloneFrom(from, to, tokenId, proofs)`.
pub fn i_clone_from(
    from: Address,
    to: Address,
    token: TokenId,
    proofs: &[TransferProof],
) -> Vec<u8> {
    with_proofs("iCloneFrom", from, to, token, proofs)
}

/// The call data of `name(address from, address to, uint256 tokenId, proofs)`,
/// the shape ERC-7857's transfer and clone share.
fn with_proofs(
    name: &str,
    from: Address,
    to: Address,
    token: TokenId,
    proofs: &[TransferProof],
) -> Vec<u8> {
    encode(
        &format!("function {name}(address from, address to, uint256 tokenId, {PROOFS} proofs)"),
        &[
            DynSolValue::Address(from),
            DynSolValue::Address(to),
            DynSolValue::Uint(token.0, 256),
            proofs_value(proofs),
        ],
    )
}

/// `authorizeUsage(tokenId, user)`.
pub fn authorize_usage(token: TokenId, user: Address) -> Vec<u8> {
    encode(
        "function authorizeUsage(uint256 tokenId, address user)",
        &[DynSolValue::Uint(token.0, 256), DynSolValue::Address(user)],
    )
}

/// `revokeAuthorization(tokenId, user)`.
pub fn revoke_authorization(token: TokenId, user: Address) -> Vec<u8> {
    encode(
        "function revokeAuthorization(uint256 tokenId, address user)",
        &[DynSolValue::Uint(token.0, 256), DynSolValue::Address(user)],
    )
}

/// `delegateAccess(assistant)`.
pub fn delegate_access(assistant: Address) -> Vec<u8> {
    encode(
        "function delegateAccess(address assistant)",
        &[DynSolValue::Address(assistant)],
    )
}

/// `Flow.submit((uint256 length, bytes tags, (bytes32 root, uint256 height)[] nodes))`:
/// the 0G storage submission of a file, signed by the wallet so the storage
/// peers learn the root from the chain. The encoding is the light client's
/// ([`Submission::flow_submit_calldata`](aloft_light_client::storage::Submission::flow_submit_calldata)),
/// shared with the CLI and web pages; [`flow_submit_dyn`] cross-checks it in the tests.
pub fn flow_submit(s: &aloft_light_client::storage::Submission) -> Vec<u8> {
    s.flow_submit_calldata()
}

/// The same call data through alloy-dyn-abi (an independent encoder).
#[cfg(test)]
fn flow_submit_dyn(s: &aloft_light_client::storage::Submission) -> Vec<u8> {
    let nodes = s
        .nodes
        .iter()
        .map(|n| DynSolValue::Tuple(vec![DynSolValue::FixedBytes(B256::from(n.root.0), 32), DynSolValue::Uint(U256::from(n.height), 256)]))
        .collect();
    encode(
        "function submit((uint256,bytes,(bytes32,uint256)[]) submission)",
        &[DynSolValue::Tuple(vec![DynSolValue::Uint(U256::from(s.length), 256), DynSolValue::Bytes(s.tags.clone()), DynSolValue::Array(nodes)])],
    )
}

/// A read-only view of the contract: its call data and how to read its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum View {
    /// `ownerOf(tokenId) → address`.
    OwnerOf(TokenId),
    /// `intelligentDatasOf(tokenId) → IntelligentData[]`.
    IntelligentDatasOf(TokenId),
    /// `authorizedUsersOf(tokenId) → address[]`.
    AuthorizedUsersOf(TokenId),
    /// `getDelegateAccess(user) → address`.
    GetDelegateAccess(Address),
    /// `nextTokenId() → uint256`.
    NextTokenId,
}

impl View {
    fn signature(&self) -> &'static str {
        match self {
            Self::OwnerOf(_) => "function ownerOf(uint256 tokenId) returns (address)",
            Self::IntelligentDatasOf(_) => {
                "function intelligentDatasOf(uint256 tokenId) returns ((string,bytes32)[])"
            }
            Self::AuthorizedUsersOf(_) => {
                "function authorizedUsersOf(uint256 tokenId) returns (address[])"
            }
            Self::GetDelegateAccess(_) => {
                "function getDelegateAccess(address user) returns (address)"
            }
            Self::NextTokenId => "function nextTokenId() returns (uint256)",
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::OwnerOf(_) => "ownerOf",
            Self::IntelligentDatasOf(_) => "intelligentDatasOf",
            Self::AuthorizedUsersOf(_) => "authorizedUsersOf",
            Self::GetDelegateAccess(_) => "getDelegateAccess",
            Self::NextTokenId => "nextTokenId",
        }
    }

    /// The `eth_call` data.
    pub fn call_data(&self) -> Vec<u8> {
        let args = match self {
            Self::OwnerOf(t) | Self::IntelligentDatasOf(t) | Self::AuthorizedUsersOf(t) => {
                vec![DynSolValue::Uint(t.0, 256)]
            }
            Self::GetDelegateAccess(a) => vec![DynSolValue::Address(*a)],
            Self::NextTokenId => vec![],
        };
        encode(self.signature(), &args)
    }

    fn decode(&self, data: &[u8]) -> Result<DynSolValue, AbiError> {
        let bad = |reason: String| AbiError::BadOutput {
            function: self.name(),
            reason,
        };
        let mut out = function(self.signature())
            .abi_decode_output(data)
            .map_err(|e| bad(e.to_string()))?;
        if out.len() != 1 {
            return Err(bad(format!("{} values instead of 1", out.len())));
        }
        Ok(out.remove(0))
    }

    /// Reads an address answer (`ownerOf`, `getDelegateAccess`).
    pub fn address(&self, data: &[u8]) -> Result<Address, AbiError> {
        match self.decode(data)? {
            DynSolValue::Address(a) => Ok(a),
            other => Err(AbiError::BadOutput {
                function: self.name(),
                reason: format!("not an address: {other:?}"),
            }),
        }
    }

    /// Reads a uint answer (`nextTokenId`).
    pub fn uint(&self, data: &[u8]) -> Result<U256, AbiError> {
        match self.decode(data)? {
            DynSolValue::Uint(u, _) => Ok(u),
            other => Err(AbiError::BadOutput {
                function: self.name(),
                reason: format!("not a uint: {other:?}"),
            }),
        }
    }

    /// Reads an address list (`authorizedUsersOf`).
    pub fn addresses(&self, data: &[u8]) -> Result<Vec<Address>, AbiError> {
        let bad = || AbiError::BadOutput {
            function: self.name(),
            reason: "not an address[]".into(),
        };
        match self.decode(data)? {
            DynSolValue::Array(items) => items
                .into_iter()
                .map(|v| v.as_address().ok_or_else(bad))
                .collect(),
            _ => Err(bad()),
        }
    }

    /// Reads `IntelligentData[]` (`intelligentDatasOf`).
    pub fn datas(&self, data: &[u8]) -> Result<Vec<IntelligentData>, AbiError> {
        let bad = || AbiError::BadOutput {
            function: self.name(),
            reason: "not (string,bytes32)[]".into(),
        };
        let DynSolValue::Array(items) = self.decode(data)? else {
            return Err(bad());
        };
        items
            .into_iter()
            .map(|item| match item {
                DynSolValue::Tuple(mut t) if t.len() == 2 => {
                    let hash = t
                        .pop()
                        .and_then(|v| v.as_fixed_bytes().map(|(b, _)| B256::from_slice(b)))
                        .ok_or_else(bad)?;
                    let text = t
                        .pop()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .ok_or_else(bad)?;
                    Ok(IntelligentData {
                        data_description: text,
                        data_hash: DataHash(hash),
                    })
                }
                _ => Err(bad()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_call;

    fn selector(data: &[u8]) -> String {
        hex::encode(&data[..4])
    }

    #[test]
    fn selectors_are_the_contracts() {
        let t = TokenId(U256::from(7));
        let a = Address::repeat_byte(0x11);
        // keccak256 of the canonical signatures (checked with `cast sig` style hashing).
        assert_eq!(
            selector(&authorize_usage(t, a)),
            hex::encode(&crate::keys::keccak256("authorizeUsage(uint256,address)")[..4])
        );
        assert_eq!(
            selector(&revoke_authorization(t, a)),
            hex::encode(&crate::keys::keccak256("revokeAuthorization(uint256,address)")[..4])
        );
        assert_eq!(
            selector(&delegate_access(a)),
            hex::encode(&crate::keys::keccak256("delegateAccess(address)")[..4])
        );
        assert_eq!(
            selector(&mint(&[], a)),
            hex::encode(&crate::keys::keccak256("mint((string,bytes32)[],address)")[..4])
        );
        assert_eq!(
            selector(&i_transfer_from(a, a, t, &[])),
            hex::encode(
                &crate::keys::keccak256(
                    "iTransferFrom(address,address,uint256,((bytes32,bytes,bytes,bytes),(uint8,bytes32,bytes,bytes,bytes,bytes))[])"
                )[..4]
            )
        );
        assert_eq!(selector(&View::OwnerOf(t).call_data()), "6352211e");
        let sub = aloft_light_client::storage::Submission { length: 1, tags: vec![], nodes: vec![] };
        assert_eq!(selector(&flow_submit(&sub)), hex::encode(&crate::keys::keccak256("submit((uint256,bytes,(bytes32,uint256)[]))")[..4]));
    }

    /// The light client's hand-written `Flow.submit` encoding equals alloy-dyn-abi's,
    /// for tags of every padding and several node counts.
    #[test]
    fn flow_submit_matches_an_independent_abi_encoder() {
        use aloft_light_client::storage::{Root, Submission, SubmissionNode};
        for (tags, nodes) in [(0usize, 1usize), (1, 2), (31, 3), (32, 1), (33, 4), (70, 0)] {
            let sub = Submission {
                length: 1_234_567,
                tags: (0..tags).map(|i| i as u8).collect(),
                nodes: (0..nodes).map(|i| SubmissionNode { height: 12 - i as u32, root: Root([i as u8 + 1; 32]) }).collect(),
            };
            assert_eq!(hex::encode(flow_submit(&sub)), hex::encode(flow_submit_dyn(&sub)), "tags {tags}, nodes {nodes}");
        }
    }

    #[test]
    fn calls_read_back_through_the_approval_decoder() {
        let t = TokenId(U256::from(3));
        let user = Address::repeat_byte(0xab);
        let d = decode_call(&authorize_usage(t, user));
        assert_eq!(d["function"], "authorizeUsage");
        let proof = TransferProof {
            access_proof: AccessProof {
                data_hash: DataHash(B256::repeat_byte(1)),
                target_pubkey: vec![2; 64].into(),
                nonce: vec![3; 8].into(),
                proof: vec![4; 65].into(),
            },
            ownership_proof: OwnershipProof {
                oracle_type: 0,
                data_hash: DataHash(B256::repeat_byte(1)),
                sealed_key: vec![5; 129].into(),
                target_pubkey: vec![2; 64].into(),
                nonce: vec![6; 8].into(),
                proof: vec![7; 65].into(),
            },
        };
        let d = decode_call(&i_clone_from(user, user, t, &[proof]));
        assert_eq!(d["function"], "iCloneFrom", "{d}");
        let d = decode_call(&mint(
            &[IntelligentData {
                data_description: "agent".into(),
                data_hash: DataHash(B256::repeat_byte(9)),
            }],
            user,
        ));
        assert_eq!(d["function"], "mint", "{d}");
    }

    #[test]
    fn the_new_data_hash_is_read_back_from_a_transfer() {
        let a = Address::repeat_byte(1);
        let mut proof = TransferProof {
            access_proof: AccessProof { data_hash: DataHash(B256::ZERO), target_pubkey: Default::default(), nonce: vec![1].into(), proof: vec![2; 65].into() },
            ownership_proof: OwnershipProof {
                oracle_type: 0,
                data_hash: DataHash(B256::ZERO),
                sealed_key: vec![3; 129].into(),
                target_pubkey: vec![4; 64].into(),
                nonce: vec![5; 32].into(),
                proof: vec![6; 65].into(),
            },
        };
        let input = i_transfer_from(a, a, TokenId(U256::from(1)), std::slice::from_ref(&proof));
        assert_eq!(ownership_nonces(&input), Some(vec![vec![5; 32]]));
        proof.ownership_proof.nonce = vec![7; 32].into();
        assert_eq!(ownership_nonces(&i_clone_from(a, a, TokenId(U256::from(1)), &[proof])), Some(vec![vec![7; 32]]));
        assert_eq!(ownership_nonces(&authorize_usage(TokenId(U256::from(1)), a)), None);
        assert_eq!(hex::encode(&update(TokenId(U256::from(1)), &[])[..4]), hex::encode(&crate::keys::keccak256("update(uint256,(string,bytes32)[])")[..4]));
    }

    #[test]
    fn view_answers_decode_and_bad_ones_are_named() {
        let owner = Address::repeat_byte(0x42);
        let word = DynSolValue::Address(owner).abi_encode();
        assert_eq!(View::OwnerOf(TokenId(U256::ZERO)).address(&word), Ok(owner));
        let list = DynSolValue::Tuple(vec![DynSolValue::Array(vec![DynSolValue::Address(owner)])])
            .abi_encode_params();
        assert_eq!(
            View::AuthorizedUsersOf(TokenId(U256::ZERO)).addresses(&list),
            Ok(vec![owner])
        );
        let datas = DynSolValue::Tuple(vec![DynSolValue::Array(vec![DynSolValue::Tuple(vec![
            DynSolValue::String("d".into()),
            DynSolValue::FixedBytes(B256::repeat_byte(3), 32),
        ])])])
        .abi_encode_params();
        let got = View::IntelligentDatasOf(TokenId(U256::ZERO))
            .datas(&datas)
            .expect("decodes");
        assert_eq!(
            got,
            vec![IntelligentData {
                data_description: "d".into(),
                data_hash: DataHash(B256::repeat_byte(3))
            }]
        );
        let err = View::IntelligentDatasOf(TokenId(U256::ZERO))
            .datas(&[1, 2, 3])
            .unwrap_err();
        assert!(err.to_string().contains("intelligentDatasOf"), "{err}");
    }
}
