//! A revert from `AgentNFT`, `AgentVerifier` or OpenZeppelin's ERC-721,
//! explained in words.
//!
//! The chain answers a refused call with 4-byte-selector revert data (code 3
//! in JSON-RPC, as geth does). A wallet that shows `0x3c1c6f6e…` has told
//! the user nothing, so every custom error of the contracts the iNFT screens
//! call is listed here with what it means and what to do; `Error(string)`
//! and `Panic(uint256)` are read too, and anything else is shown as unknown
//! with its selector.

use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
use alloy_json_abi::Error as AbiErrorItem;
use serde::Serialize;

/// A revert, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explained {
    /// The error's name (`InvalidOwnershipProof`), or `unknown`.
    pub name: String,
    /// What happened and what to do, for the user.
    pub message: String,
}

/// (signature, explanation). `{0}` in the text is replaced by the first argument.
const KNOWN: &[(&str, &str)] = &[
    (
        "error InvalidOwnershipProof()",
        "the transfer oracle's ownership proof is not valid: it was not signed by the oracle this contract trusts, or it was changed after signing. Ask the oracle for a new proof.",
    ),
    (
        "error InvalidAccessProof()",
        "the receiver's access proof has no valid signature. Ask the receiver to sign a new one.",
    ),
    (
        "error InvalidDataHash()",
        "the access proof and the oracle's proof are about different data.",
    ),
    (
        "error UnsupportedOracleType()",
        "the proof names an oracle type this verifier does not accept (only TEE).",
    ),
    (
        "error ProofAlreadyUsed(bytes32 nonceKey)",
        "this proof's nonce was already spent on chain (key {0}): a proof can be used only once. Request fresh proofs.",
    ),
    (
        "error ERC7857WantedReceiverMismatch()",
        "the data key was sealed for a different account than the receiver: the proof is for the wrong receiver.",
    ),
    (
        "error ERC7857AccessAssistantMismatch()",
        "the access proof was signed by neither the receiver nor the receiver's delegated assistant.",
    ),
    (
        "error ERC7857EncryptedPubKeyMismatch()",
        "the oracle sealed the key to another public key than the one the receiver asked for.",
    ),
    (
        "error ERC7857DataHashMismatch()",
        "the proofs are about data other than this token's: its metadata changed or the proof belongs to another token.",
    ),
    (
        "error ERC7857ProofCountMismatch()",
        "the number of proofs differs from the number of data items of the token.",
    ),
    (
        "error ERC7857EmptyProof()",
        "the transfer carries no proof; an iNFT moves with its data only with the oracle's proof.",
    ),
    (
        "error ERC7857NotAuthorized()",
        "only the token's owner may change who is authorized to use it.",
    ),
    (
        "error ERC7857AlreadyAuthorized()",
        "this user is already authorized for the token.",
    ),
    (
        "error ERC7857TooManyAuthorizedUsers()",
        "the token has the maximum number of authorized users (100); revoke one first.",
    ),
    (
        "error ERC7857InvalidAuthorizedUser(address user)",
        "{0} is not a user that can be authorized or revoked here (not on the list, or the zero address).",
    ),
    (
        "error ERC7857InvalidAssistant(address assistant)",
        "{0} cannot be a delegated assistant (the zero address).",
    ),
    (
        "error ERC721NonexistentToken(uint256 tokenId)",
        "token {0} does not exist.",
    ),
    (
        "error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)",
        "{0} does not own this token.",
    ),
    (
        "error ERC721InvalidOwner(address owner)",
        "{0} is not the token's owner.",
    ),
    (
        "error ERC721InvalidSender(address sender)",
        "{0} does not own the token it tries to move.",
    ),
    (
        "error ERC721InvalidReceiver(address receiver)",
        "{0} cannot receive tokens (the zero address or a contract without onERC721Received).",
    ),
    (
        "error ERC721InsufficientApproval(address operator, uint256 tokenId)",
        "{0} is neither the owner nor approved for this token.",
    ),
    (
        "error ERC721InvalidApprover(address approver)",
        "{0} may not approve for this token.",
    ),
    (
        "error ERC721InvalidOperator(address operator)",
        "{0} cannot be an operator.",
    ),
    ("error Error(string reason)", "the contract refused: {0}"),
    (
        "error Panic(uint256 code)",
        "the contract stopped on an internal check (panic code {0}).",
    ),
];

fn show(v: &DynSolValue) -> String {
    match v {
        DynSolValue::Address(a) => a.to_checksum(None),
        DynSolValue::Uint(u, _) => u.to_string(),
        DynSolValue::FixedBytes(w, n) => format!("0x{}", hex::encode(&w[..*n])),
        DynSolValue::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

/// Reads revert `data`.
pub fn explain(data: &[u8]) -> Explained {
    if data.len() < 4 {
        return Explained {
            name: "unknown".into(),
            message: "the contract refused without saying why (no revert data)".into(),
        };
    }
    for (signature, text) in KNOWN {
        let Ok(item) = AbiErrorItem::parse(signature) else {
            continue;
        };
        if item.selector()[..] != data[..4] {
            continue;
        }
        let Ok(args) = item.abi_decode_input(&data[4..]) else {
            break;
        };
        let first = args.first().map(show).unwrap_or_default();
        return Explained {
            name: item.name.clone(),
            message: text.replace("{0}", &first),
        };
    }
    Explained {
        name: "unknown".into(),
        message: format!(
            "the contract refused with an error this wallet does not know (selector 0x{})",
            hex::encode(&data[..4])
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::keccak256;

    fn sel(sig: &str) -> Vec<u8> {
        keccak256(sig)[..4].to_vec()
    }

    #[test]
    fn every_listed_error_parses_and_reads_back() {
        for (signature, _) in KNOWN {
            let item = AbiErrorItem::parse(signature).expect("parses");
            assert!(!item.name.is_empty());
        }
        let e = explain(&sel("InvalidOwnershipProof()"));
        assert_eq!(e.name, "InvalidOwnershipProof");
        assert!(e.message.contains("oracle"), "{}", e.message);
        assert_eq!(
            explain(&sel("ERC7857WantedReceiverMismatch()")).name,
            "ERC7857WantedReceiverMismatch"
        );
    }

    #[test]
    fn arguments_are_shown() {
        let mut data = sel("ProofAlreadyUsed(bytes32)");
        data.extend([0xab; 32]);
        let e = explain(&data);
        assert_eq!(e.name, "ProofAlreadyUsed");
        assert!(
            e.message.contains("already spent") && e.message.contains("0xabab"),
            "{}",
            e.message
        );
        let mut data = sel("Error(string)");
        data.extend(
            DynSolValue::Tuple(vec![DynSolValue::String("nope".into())]).abi_encode_params(),
        );
        assert_eq!(explain(&data).message, "the contract refused: nope");
    }

    #[test]
    fn unknown_and_short_data_say_so() {
        assert_eq!(explain(&[]).name, "unknown");
        assert!(explain(&[1, 2, 3, 4, 5]).message.contains("0x01020304"));
        // A known selector with undecodable arguments is not misread.
        assert_eq!(explain(&sel("ProofAlreadyUsed(bytes32)")).name, "unknown");
    }
}
