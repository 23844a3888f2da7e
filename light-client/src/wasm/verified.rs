//! Verified state on the header client: `verifiedAccount(address, height?)`
//! and `verifiedOwnerOf(contract, tokenId, height?)` ask the EVM RPC
//! (`evmRpc` option) for `eth_getProof` at the EVM block of a BLS-verified
//! header (the trusted head, or `height`) and check the answer against that
//! header's state root (`crate::state::at_header`). The RPC is never
//! believed: a proof that does not reach the root, or a field it
//! contradicts, throws with the reason.

use wasm_bindgen::prelude::*;

use super::headers::{HeaderClient, err, height_arg, to_js};
use super::platform::js_message;
use crate::client::VerifiedHead;
use crate::state::{self, Address, Word, at_header};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** An account proven against a verified header's state root. */
export interface VerifiedAccountAt {
  /** The verified header whose EVM block was read. */
  height: number; blockHash: string; stateRoot: string;
  address: string; balance: string; nonce: number; codeHash: string; storageHash: string;
}
/** An ERC-721 owner proven against a verified header's state root. */
export interface VerifiedOwnerAt {
  height: number; blockHash: string; stateRoot: string;
  contract: string; tokenId: string; owner: string;
}
"#;

#[wasm_bindgen(module = "/src/wasm/glue.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = httpPostJson)]
    async fn http_post_json(url: &str, body: &str) -> Result<JsValue, JsValue>;
}

impl HeaderClient {
    /// The verified header at `height`, for the DA sampler.
    pub(crate) async fn verified_header_for_da(&self, height: u64) -> Result<VerifiedHead, JsError> {
        self.header_for(Some(height as f64)).await
    }

    /// The verified header to read at: the trusted head, or `height`.
    async fn header_for(&self, height: Option<f64>) -> Result<VerifiedHead, JsError> {
        match height {
            Some(h) => {
                let h = height_arg(h)?;
                self.shared.with(async |c| c.verified_header(h).await).await?.map_err(err)
            }
            None => self.shared.with(async |c| VerifiedHead::of(c.trusted())).await,
        }
    }

    /// POSTs a JSON-RPC request to the EVM RPC; the answer's bytes.
    async fn evm_call(&self, request: &serde_json::Value) -> Result<Vec<u8>, JsError> {
        let url = self
            .shared
            .evm_rpc
            .clone()
            .ok_or_else(|| err("verified state reads need the evmRpc option of HeaderClient.create"))?;
        let v = http_post_json(&url, &request.to_string()).await.map_err(|e| err(format!("eth_getProof: {}", js_message(&e))))?;
        v.dyn_ref::<js_sys::Uint8Array>()
            .map(js_sys::Uint8Array::to_vec)
            .ok_or_else(|| err("eth_getProof: fetch gave no bytes"))
    }
}

fn refused(what: &str, head: &VerifiedHead, e: state::StateProofError) -> JsError {
    err(format!(
        "{what} does not verify against the state root {} of verified header {}: {e}",
        head.header.state_root, head.height.0
    ))
}

fn base(head: &VerifiedHead) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    out.insert("height".into(), head.height.0.into());
    out.insert("blockHash".into(), head.hash.to_string().into());
    out.insert("stateRoot".into(), head.header.state_root.to_string().into());
    out
}

#[wasm_bindgen]
impl HeaderClient {
    /// The account `address` (balance, nonce, code hash, storage root) at
    /// the EVM block of the verified head, or of verified header `height`,
    /// proven by `eth_getProof` against that header's state root.
    #[wasm_bindgen(js_name = verifiedAccount, unchecked_return_type = "VerifiedAccountAt")]
    pub async fn verified_account(&self, address: String, height: Option<f64>) -> Result<JsValue, JsError> {
        let address = Address::from_hex("address", &address).map_err(|e| err(format!("address: {e}")))?;
        let head = self.header_for(height).await?;
        let body = self.evm_call(&at_header::proof_request(&head.header, &address, &[])).await?;
        let account = at_header::verify_account_at(&head.header, &address, &body)
            .map_err(|e| refused(&format!("the account proof of {address}"), &head, e))?;
        let mut out = base(&head);
        out.insert("address".into(), account.address.to_string().into());
        out.insert("balance".into(), account.account.balance.to_quantity().into());
        out.insert("nonce".into(), account.account.nonce.into());
        out.insert("codeHash".into(), account.account.code_hash.to_string().into());
        out.insert("storageHash".into(), account.account.storage_root.to_string().into());
        Ok(to_js(&out))
    }

    /// Who owns token `tokenId` (decimal or `0x` hex) of the ERC-721
    /// `contract` at the verified head (or verified header `height`): the
    /// `_owners` slot proven against that header's state root. Throws when
    /// the proof fails, the answer lies, or the token has no owner.
    #[wasm_bindgen(js_name = verifiedOwnerOf, unchecked_return_type = "VerifiedOwnerAt")]
    pub async fn verified_owner_of(&self, contract: String, token_id: String, height: Option<f64>) -> Result<JsValue, JsError> {
        let contract = Address::from_hex("contract", &contract).map_err(|e| err(format!("contract: {e}")))?;
        let token = Word::parse("tokenId", &token_id).map_err(|e| err(format!("token id: {e}")))?;
        let head = self.header_for(height).await?;
        let body = self.evm_call(&at_header::owner_request(&head.header, &contract, &token)).await?;
        let owner = at_header::verify_owner_at(&head.header, &contract, &token, &body)
            .map_err(|e| refused(&format!("ownerOf({token_id}) of {contract}"), &head, e))?;
        let mut out = base(&head);
        out.insert("contract".into(), contract.to_string().into());
        out.insert("tokenId".into(), token_id.into());
        out.insert("owner".into(), owner.to_string().into());
        Ok(to_js(&out))
    }
}
