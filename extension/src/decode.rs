//! Call decoding for the approval view: what a transaction's data does.
//!
//! The data's 4-byte selector is looked up among the ERC-20, ERC-721 and
//! ERC-7857 functions a user is most often asked to approve, and the
//! arguments are ABI-decoded with that function's signature. ERC-20 and
//! ERC-721 share `approve` and `transferFrom` (same selectors); the view
//! names both readings. Anything unknown, or data that does not decode
//! under its selector's signature, is shown raw, flagged as such: a wrong
//! decoding would be worse than none.
//!
//! ERC-7857 signatures follow 0G's current `IERC7857` (0gfoundation/0g-agent-nft):
//! `TransferValidityProof = (AccessProof(bytes32 dataHash, bytes targetPubkey,
//! bytes nonce, bytes proof), OwnershipProof(uint8 oracleType, bytes32
//! dataHash, bytes sealedKey, bytes targetPubkey, bytes nonce, bytes proof))`.

use alloy_dyn_abi::{DynSolValue, JsonAbiExt};
use alloy_json_abi::Function;
use serde_json::{Value, json};

/// `TransferValidityProof[] proofs` (component names are not part of the ABI).
const PROOF: &str = "((bytes32,bytes,bytes,bytes),(uint8,bytes32,bytes,bytes,bytes,bytes))[] proofs";

/// (standard, human-readable signature).
fn known() -> Vec<(&'static str, String)> {
    vec![
        ("ERC-20", "function transfer(address to, uint256 amount)".into()),
        ("ERC-20 / ERC-721", "function approve(address spender, uint256 amountOrTokenId)".into()),
        ("ERC-20 / ERC-721", "function transferFrom(address from, address to, uint256 amountOrTokenId)".into()),
        ("ERC-20", "function increaseAllowance(address spender, uint256 addedValue)".into()),
        ("ERC-721", "function safeTransferFrom(address from, address to, uint256 tokenId)".into()),
        ("ERC-721", "function safeTransferFrom(address from, address to, uint256 tokenId, bytes data)".into()),
        ("ERC-721", "function setApprovalForAll(address operator, bool approved)".into()),
        ("ERC-7857", format!("function iTransferFrom(address from, address to, uint256 tokenId, {PROOF})")),
        ("ERC-7857", format!("function iCloneFrom(address from, address to, uint256 tokenId, {PROOF})")),
        ("ERC-7857", "function authorizeUsage(uint256 tokenId, address user)".into()),
        ("ERC-7857", "function revokeAuthorization(uint256 tokenId, address user)".into()),
        ("ERC-7857", "function delegateAccess(address assistant)".into()),
        ("ERC-7857", "function mint((string,bytes32)[] iDatas, address to)".into()),
        ("ERC-7857", "function update(uint256 tokenId, (string,bytes32)[] newDatas)".into()),
        ("0G Flow", "function submit((uint256,bytes,(bytes32,uint256)[]) submission)".into()),
    ]
}

fn show(value: &DynSolValue) -> Value {
    match value {
        DynSolValue::Address(a) => json!(a.to_checksum(None)),
        DynSolValue::Uint(u, _) => json!(u.to_string()),
        DynSolValue::Int(i, _) => json!(i.to_string()),
        DynSolValue::Bool(b) => json!(b),
        DynSolValue::FixedBytes(w, size) => json!(format!("0x{}", hex::encode(&w[..*size]))),
        DynSolValue::Bytes(b) => json!(format!("0x{}", hex::encode(b))),
        DynSolValue::String(s) => json!(s),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            Value::Array(items.iter().map(show).collect())
        }
        other => json!(format!("{other:?}")),
    }
}

/// Decodes `data` for display: `{kind: "call", standard, function,
/// signature, args: [{name, type, value}]}`, `{kind: "transfer"}` for
/// empty data, or `{kind: "raw", selector, data, note}`.
pub fn decode_call(data: &[u8]) -> Value {
    if data.is_empty() {
        return json!({"kind": "transfer"});
    }
    let raw = |note: &str| {
        json!({
            "kind": "raw",
            "selector": (data.len() >= 4).then(|| format!("0x{}", hex::encode(&data[..4]))),
            "data": format!("0x{}", hex::encode(data)),
            "note": note,
        })
    };
    if data.len() < 4 {
        return raw("data shorter than a function selector");
    }
    for (standard, signature) in known() {
        let Ok(function) = Function::parse(&signature) else { continue };
        if function.selector()[..] != data[..4] {
            continue;
        }
        return match function.abi_decode_input(&data[4..]) {
            Ok(values) => json!({
                "kind": "call",
                "standard": standard,
                "function": function.name,
                "signature": function.signature(),
                "args": function.inputs.iter().zip(&values).map(|(param, value)| json!({
                    "name": param.name,
                    "type": param.selector_type(),
                    "value": show(value),
                })).collect::<Vec<_>>(),
            }),
            Err(_) => raw(&format!("the selector is {standard} {} but the arguments do not decode", function.name)),
        };
    }
    raw("unknown function: shown as raw data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erc20_transfer_decodes() {
        // transfer(0x1111…11, 1e18): selector a9059cbb.
        let data = hex::decode(concat!(
            "a9059cbb",
            "0000000000000000000000001111111111111111111111111111111111111111",
            "0000000000000000000000000000000000000000000000000de0b6b3a7640000"
        ))
        .expect("hex");
        let d = decode_call(&data);
        assert_eq!(d["kind"], "call");
        assert_eq!(d["standard"], "ERC-20");
        assert_eq!(d["function"], "transfer");
        assert_eq!(d["args"][0]["value"], "0x1111111111111111111111111111111111111111");
        assert_eq!(d["args"][1]["value"], "1000000000000000000");
    }

    #[test]
    fn known_selectors_match_the_standards() {
        let selector = |sig: &str| hex::encode(Function::parse(sig).expect("parses").selector());
        assert_eq!(selector("function approve(address,uint256)"), "095ea7b3");
        assert_eq!(selector("function transferFrom(address,address,uint256)"), "23b872dd");
        assert_eq!(selector("function safeTransferFrom(address,address,uint256)"), "42842e0e");
        assert_eq!(selector("function safeTransferFrom(address,address,uint256,bytes)"), "b88d4fde");
        assert_eq!(selector("function setApprovalForAll(address,bool)"), "a22cb465");
        for (_, sig) in known() {
            assert!(Function::parse(&sig).is_ok(), "{sig}");
        }
    }

    #[test]
    fn erc721_and_erc7857_calls_decode() {
        let f = Function::parse("function setApprovalForAll(address operator, bool approved)").expect("parses");
        let data = f
            .abi_encode_input(&[DynSolValue::Address([0x22; 20].into()), DynSolValue::Bool(true)])
            .expect("encodes");
        let d = decode_call(&data);
        assert_eq!((d["standard"].as_str(), d["args"][1]["value"].as_bool()), (Some("ERC-721"), Some(true)));

        let (_, sig) = known().into_iter().find(|(_, s)| s.contains("iTransferFrom")).expect("listed");
        let f = Function::parse(&sig).expect("parses");
        let proof = DynSolValue::Tuple(vec![
            DynSolValue::Tuple(vec![
                DynSolValue::FixedBytes([1; 32].into(), 32),
                DynSolValue::Bytes(vec![2; 33]),
                DynSolValue::Bytes(vec![3; 4]),
                DynSolValue::Bytes(vec![4; 65]),
            ]),
            DynSolValue::Tuple(vec![
                DynSolValue::Uint(alloy_primitives::U256::from(0u8), 8),
                DynSolValue::FixedBytes([1; 32].into(), 32),
                DynSolValue::Bytes(vec![5; 16]),
                DynSolValue::Bytes(vec![2; 33]),
                DynSolValue::Bytes(vec![3; 4]),
                DynSolValue::Bytes(vec![6; 65]),
            ]),
        ]);
        let data = f
            .abi_encode_input(&[
                DynSolValue::Address([0x33; 20].into()),
                DynSolValue::Address([0x44; 20].into()),
                DynSolValue::Uint(alloy_primitives::U256::from(7u8), 256),
                DynSolValue::Array(vec![proof]),
            ])
            .expect("encodes");
        let d = decode_call(&data);
        assert_eq!(d["standard"], "ERC-7857");
        assert_eq!(d["function"], "iTransferFrom");
        assert_eq!(d["args"][2]["value"], "7");
        assert_eq!(d["args"][3]["value"][0][0][0], format!("0x{}", "01".repeat(32)));
    }

    #[test]
    fn the_claim_update_the_wallet_sends_decodes() {
        use crate::inft::abi::{DataHash, IntelligentData, TokenId, update};
        let datas = [IntelligentData { data_description: "{\"name\":\"agent\"}".into(), data_hash: DataHash([9; 32].into()) }];
        let d = decode_call(&update(TokenId(alloy_primitives::U256::from(5u8)), &datas));
        assert_eq!((d["standard"].as_str(), d["function"].as_str()), (Some("ERC-7857"), Some("update")), "{d}");
        assert_eq!(d["args"][0]["value"], "5");
        assert_eq!(d["args"][1]["value"][0][0], "{\"name\":\"agent\"}");
        assert_eq!(d["args"][1]["value"][0][1], format!("0x{}", "09".repeat(32)));
    }

    #[test]
    fn unknown_or_broken_data_is_shown_raw() {
        assert_eq!(decode_call(&[])["kind"], "transfer");
        assert_eq!(decode_call(&[1, 2])["kind"], "raw");
        let unknown = decode_call(&[0xde, 0xad, 0xbe, 0xef, 0]);
        assert_eq!((unknown["kind"].as_str(), unknown["selector"].as_str()), (Some("raw"), Some("0xdeadbeef")));
        // A transfer selector with truncated arguments is not guessed at.
        let truncated = decode_call(&[0xa9, 0x05, 0x9c, 0xbb, 0, 0, 0]);
        assert_eq!(truncated["kind"], "raw");
        assert!(truncated["note"].as_str().is_some_and(|n| n.contains("do not decode")));
    }
}
