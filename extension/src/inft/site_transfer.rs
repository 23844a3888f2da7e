//! `aloft_agentTransferProofs`: a connected site asks the wallet for the
//! ERC-7857 transfer proofs of one of its account's agents, sans-IO.
//!
//! Why the wallet and not the site: a transfer needs the transfer oracle to
//! re-encrypt the agent's data for the receiver, and the oracle needs the
//! owner's data key, which only the wallet can open (it is sealed to the
//! owner's key). The site gets `{proofs, newDataHash}` (the new key sealed to
//! the receiver, signed by the oracle) and builds and sends
//! `iTransferFrom(from, to, tokenId, proofs)` itself with
//! `eth_sendTransaction`, which the user approves separately with the call
//! decoded.
//!
//! Order (see `wallet.rs`): the origin is connected (else 4100), the params
//! parse (else -32602, [`TransferProofsRequest::from_params`]); then the
//! engine reads the token: it exists (else -32602), the site's account owns
//! it (else 4100) and a data key is sealed to that account for each data
//! item (else -32602) ([`check_token`]); only then is the approval window
//! opened ([`TransferProofsRequest::approval_detail`]). Nothing is sealed
//! to the oracle before the user approves.

use alloy_primitives::Address;
use serde_json::{Value, json};

use super::{AccessProof, TokenId};
use crate::provider::ProviderError;

/// The provider method.
pub const METHOD: &str = "aloft_agentTransferProofs";

/// The devnet's transfer oracle (docs/protocol.md, "Transfer oracle").
pub const DEVNET_ORACLE: &str = "http://127.0.0.1:8592";

/// A checked `aloft_agentTransferProofs` request.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferProofsRequest {
    /// The site's connected account: the owner the agent moves from.
    pub from: Address,
    /// The agent.
    pub token_id: TokenId,
    /// The receiver.
    pub to: Address,
    /// The receiver's access proof, when the receiver is not in this wallet.
    pub access_proof: Option<AccessProof>,
}

fn bad(message: impl Into<String>) -> ProviderError {
    ProviderError::new(ProviderError::INVALID_PARAMS, message)
}

const SHAPE: &str = "aloft_agentTransferProofs takes [{ tokenId, to, accessProof? }]";

impl TransferProofsRequest {
    /// Parses `[{tokenId, to, accessProof?}]` for the site's account `from`.
    pub fn from_params(params: &Value, from: Address) -> Result<Self, ProviderError> {
        let p = params.get(0).filter(|p| p.is_object()).ok_or_else(|| bad(SHAPE))?;
        let token_id = match p.get("tokenId") {
            Some(Value::String(s)) => super::action::token_id(s).map_err(|e| bad(format!("tokenId: {e}")))?,
            Some(Value::Number(n)) => n
                .as_u64()
                .map(|n| TokenId(alloy_primitives::U256::from(n)))
                .ok_or_else(|| bad(format!("tokenId {n} is not a whole number ≥ 0")))?,
            _ => return Err(bad(format!("{SHAPE}: tokenId (a decimal or 0x string) is missing"))),
        };
        let to = p
            .get("to")
            .ok_or_else(|| bad(format!("{SHAPE}: to (the receiver's address) is missing")))
            .and_then(|a| crate::tx::parse_address(a, "to").map_err(|e| bad(e.to_string())))?;
        if to.is_zero() {
            return Err(bad("the receiver cannot be the zero address"));
        }
        if to == from {
            return Err(bad(format!("the receiver {to} already owns agent #{token_id}")));
        }
        let access_proof = match p.get("accessProof") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                serde_json::from_value(v.clone())
                    .map_err(|e| bad(format!("accessProof must be {{dataHash, targetPubkey, nonce, proof}} as 0x hex: {e}")))?,
            ),
        };
        Ok(Self { from, token_id, to, access_proof })
    }

    /// The one sentence the approval window leads with.
    pub fn summary(&self) -> String {
        format!(
            "Re-encrypt agent #{} for {:#x} through the transfer oracle; the site gets the proofs, not the key.",
            self.token_id, self.to
        )
    }

    /// What the approval window shows; `receiver_is_own` says whether the
    /// receiver is an account of this wallet (whose access proof the
    /// wallet then signs).
    pub fn approval_detail(&self, receiver_is_own: bool) -> Value {
        let access = match (&self.access_proof, receiver_is_own) {
            (Some(_), _) => "given by the site, signed by the receiver",
            (None, true) => "signed by Aloft with the receiver's key (an account of this wallet)",
            (None, false) => "none: the receiver is not in this wallet, so the oracle will refuse",
        };
        json!({
            "type": "agentTransferProofs",
            "summary": self.summary(),
            "account": self.from,
            "tokenId": self.token_id.to_string(),
            "to": self.to,
            "receiverIsOwn": receiver_is_own,
            "oracle": DEVNET_ORACLE,
            "accessProof": access,
            "siteGets": "the transfer proofs: the data key re-sealed to the receiver and the oracle's signature, never the key",
        })
    }
}

/// The pre-approval check of the token read from chain: `owner` is its
/// `ownerOf`, `keyed` how many of its `items` data items have a data key
/// sealed to the site's account.
pub fn check_token(req: &TransferProofsRequest, owner: Address, items: usize, keyed: usize) -> Result<(), ProviderError> {
    if owner != req.from {
        return Err(ProviderError::new(
            ProviderError::UNAUTHORIZED,
            format!("agent #{} belongs to {owner:#x}, not to this site's account {:#x}", req.token_id, req.from),
        ));
    }
    if items == 0 || keyed < items {
        return Err(bad(format!(
            "agent #{} has no data key sealed to {:#x} (its data was not encrypted by a wallet), so there is nothing the transfer oracle can re-encrypt",
            req.token_id, req.from
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    const B: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    fn a() -> Address {
        A.parse().unwrap_or_default()
    }

    fn parse(params: Value) -> Result<TransferProofsRequest, ProviderError> {
        TransferProofsRequest::from_params(&params, a())
    }

    #[test]
    fn a_well_formed_request_parses_with_decimal_hex_or_number_ids() {
        for id in [json!("7"), json!("0x7"), json!(7)] {
            let r = parse(json!([{"tokenId": id, "to": B}])).expect("parses");
            assert_eq!(r.token_id.to_string(), "7");
            assert_eq!(format!("{:#x}", r.to), B);
            assert_eq!(r.from, a());
            assert!(r.access_proof.is_none());
        }
    }

    #[test]
    fn bad_params_are_32602_with_the_reason() {
        let cases = [
            (json!([]), "takes [{ tokenId, to, accessProof? }]"),
            (json!([{"to": B}]), "tokenId"),
            (json!([{"tokenId": "x", "to": B}]), "tokenId"),
            (json!([{"tokenId": -1, "to": B}]), "whole number"),
            (json!([{"tokenId": "1"}]), "receiver's address"),
            (json!([{"tokenId": "1", "to": "0x12"}]), "to"),
            (json!([{"tokenId": "1", "to": "0x0000000000000000000000000000000000000000"}]), "zero address"),
            (json!([{"tokenId": "1", "to": A}]), "already owns"),
            (json!([{"tokenId": "1", "to": B, "accessProof": {"nonce": "0x"}}]), "accessProof"),
        ];
        for (params, why) in cases {
            let e = parse(params.clone()).expect_err("refused");
            assert_eq!(e.code, ProviderError::INVALID_PARAMS, "{params}");
            assert!(e.message.contains(why), "{params}: {}", e.message);
        }
    }

    #[test]
    fn the_approval_says_plainly_what_the_site_asks() {
        let r = parse(json!([{"tokenId": "3", "to": B}])).expect("parses");
        let d = r.approval_detail(true);
        assert_eq!(d["type"], "agentTransferProofs");
        assert_eq!(
            d["summary"],
            format!("Re-encrypt agent #3 for {B} through the transfer oracle; the site gets the proofs, not the key.")
        );
        assert_eq!(d["oracle"], DEVNET_ORACLE);
        assert!(d["accessProof"].as_str().unwrap_or_default().contains("signed by Aloft"));
        assert!(r.approval_detail(false)["accessProof"].as_str().unwrap_or_default().contains("oracle will refuse"));
    }

    #[test]
    fn only_the_owner_with_a_sealed_key_gets_an_approval() {
        let r = parse(json!([{"tokenId": "3", "to": B}])).expect("parses");
        let b: Address = B.parse().unwrap_or_default();
        let e = check_token(&r, b, 1, 1).expect_err("not the owner");
        assert_eq!(e.code, ProviderError::UNAUTHORIZED);
        assert!(e.message.contains("belongs to"), "{}", e.message);
        let e = check_token(&r, a(), 1, 0).expect_err("no key");
        assert_eq!(e.code, ProviderError::INVALID_PARAMS);
        assert!(e.message.contains("no data key"), "{}", e.message);
        assert!(check_token(&r, a(), 1, 1).is_ok());
    }
}
