//! The wallet engine: state, vault, permissions and approvals, as one
//! sans-IO state machine.
//!
//! The service worker (`wasm.rs`) owns one [`Wallet`] and feeds it three
//! things: provider requests ([`Wallet::request`], with the origin the
//! browser reported), commands from extension pages ([`Wallet::command`]),
//! and network answers it fetched on the engine's behalf. The wallet answers
//! with a [`Step`] or a command reply, and queues [`Effect`]s (store this,
//! emit that event, open the approval window, arm the auto-lock) that the
//! worker drains with [`Wallet::take_effects`] and carries out. It takes no
//! clock, no randomness source of its own (the caller passes a function that
//! fills bytes from the platform CSPRNG) and no storage.
//!
//! Order of checks for a request that needs the user (4100 before any prompt):
//!
//! 1. the origin parses;
//! 2. the method is known (else 4200);
//! 3. the origin is connected and the account asked for is one it may use
//!    (else 4100);
//! 4. the params parse (else -32602);
//! 5. only then is an approval queued and the window opened.
//!
//! Locking does not drop queued approvals: the approval window asks for the
//! password first.

use std::collections::BTreeMap;

use alloy_primitives::Address;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::approvals::{Approval, ApprovalError, ApprovalId, Queue};
use crate::commands::{Command, CommandError, Effect, Outcome};
use crate::decode::decode_call;
use crate::inft::site_transfer::{self, TransferProofsRequest};
use crate::keys::keystore::{self, ExportKdf, ExportRandomness};
use crate::keys::mnemonic::Mnemonic;
use crate::keys::{PrivateKey, hd};
use crate::network::{ChainId, Network};
use crate::origin::Origin;
use crate::provider::{Provider, ProviderError, Request, Route};
use crate::sign::SignRequest;
use crate::tx::{Eip1559Tx, TxRequest, suggest_fees};
use crate::vault::{self, KDF_ITERATIONS, MIN_KDF_ITERATIONS, SealedVault, Secrets, VaultError, VaultKey};

/// Default idle minutes before the wallet locks itself.
pub const DEFAULT_AUTO_LOCK_MINUTES: f64 = 15.0;

/// Where an account's key comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AccountSource {
    /// `m/44'/60'/0'/0/index` of the phrase.
    Hd {
        /// The index.
        index: u32,
    },
    /// The `index`-th imported key.
    Imported {
        /// The index.
        index: usize,
    },
}

/// A public account entry (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Its address.
    pub address: Address,
    /// Where its key comes from.
    pub source: AccountSource,
}

/// A record of a transaction this wallet sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// Transaction hash.
    pub hash: String,
    /// Chain it was sent on.
    pub chain_id: ChainId,
    /// Sender.
    pub from: Address,
    /// `sent` until a receipt says `confirmed` or `failed`.
    pub status: String,
    /// Recipient (`None`: contract creation or not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Address>,
    /// Wei sent, decimal (`None`: not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The block of its receipt, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<u64>,
}

/// Everything the wallet keeps that is not secret (stored in clear).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletState {
    /// Known networks.
    pub networks: Vec<Network>,
    /// The selected one.
    pub selected: ChainId,
    /// Accounts, in order (the first is the default).
    pub accounts: Vec<Account>,
    /// Connected origins and the accounts each may see.
    pub permissions: BTreeMap<Origin, Vec<Address>>,
    /// Idle minutes before auto-lock.
    pub auto_lock_minutes: f64,
    /// Transactions sent.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

impl Default for WalletState {
    fn default() -> Self {
        Self {
            networks: Network::presets(),
            selected: Network::devnet().chain_id,
            accounts: Vec::new(),
            permissions: BTreeMap::new(),
            auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES,
            history: Vec::new(),
        }
    }
}

/// What needs the user.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ApprovalKind {
    /// `eth_requestAccounts` / `wallet_requestPermissions`.
    Connect {
        /// Answer with the EIP-2255 permissions instead of the accounts.
        as_permissions: bool,
    },
    /// `personal_sign` / `eth_signTypedData_v4`.
    Sign(SignRequest),
    /// `eth_sendTransaction`, complete.
    Transaction(Eip1559Tx, Address),
    /// `wallet_addEthereumChain`.
    AddNetwork(Network),
    /// `aloft_agentTransferProofs`, checked against the chain; `bool`: the
    /// receiver is an account of this wallet.
    AgentTransferProofs(TransferProofsRequest, bool),
}

/// What to do with a provider request.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Answer now.
    Answer(Value),
    /// Refuse now.
    Refuse(ProviderError),
    /// Forward to the RPC (read-only).
    Forward {
        /// Endpoint.
        url: String,
        /// JSON-RPC body.
        body: Value,
    },
    /// Fetch nonce, gas and fees, then call [`Wallet::queue_transaction`].
    PrepareTransaction(TxRequest),
    /// Wait for the user's decision on this approval.
    Wait(ApprovalId),
    /// Read the agent from chain (owner, sealed keys), then call
    /// [`Wallet::queue_agent_transfer_proofs`]; once approved, ask the
    /// transfer oracle (`wasm_inft.rs`).
    CheckAgentTransfer(TransferProofsRequest),
}

/// What the network said, for completing a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxFill {
    /// `eth_getTransactionCount(from, "pending")`.
    pub nonce: u64,
    /// `eth_estimateGas` (or the dapp's `gas`).
    pub gas: u64,
    /// The latest block's `baseFeePerGas`.
    pub base_fee: u128,
    /// `eth_maxPriorityFeePerGas`.
    pub tip: u128,
}

struct Unlocked {
    key: VaultKey,
    secrets: Secrets,
    /// Parallel to `state.accounts`.
    signers: Vec<PrivateKey>,
}

/// Fills a buffer from the platform's CSPRNG.
pub type Rng = Box<dyn FnMut(&mut [u8])>;

/// The engine.
pub struct Wallet {
    state: WalletState,
    vault: Option<SealedVault>,
    unlocked: Option<Unlocked>,
    queue: Queue<ApprovalKind>,
    pending_mnemonic: Option<(Mnemonic, Vec<usize>)>,
    effects: Vec<Effect>,
    rng: Rng,
    kdf_iterations: u32,
    min_kdf_iterations: u32,
    fallback: Network,
    /// Whether the selected network's RPC answered last time (EIP-1193
    /// `connect`/`disconnect` are emitted on changes).
    reachable: bool,
}

fn err(code: &'static str, message: impl Into<String>) -> CommandError {
    CommandError::new(code, message)
}

fn vault_err(e: VaultError) -> CommandError {
    match e {
        VaultError::WrongPassword => err("wrongPassword", "wrong password"),
        VaultError::WeakPassword => err("weakPassword", e.to_string()),
        other => err("corruptVault", other.to_string()),
    }
}

fn refuse(code: i64, message: impl Into<String>) -> Step {
    Step::Refuse(ProviderError { code, message: message.into() })
}

fn unauthorized() -> Step {
    refuse(
        ProviderError::UNAUTHORIZED,
        "this site is not connected to Aloft for that account: call eth_requestAccounts first",
    )
}

impl Wallet {
    /// The engine over stored state and vault (either may be absent on a
    /// fresh install). A state record that cannot be read is replaced by
    /// defaults; the vault is never discarded, and accounts are rebuilt from
    /// it on unlock.
    pub fn new(state: Option<&Value>, vault: Option<&Value>, rng: Rng) -> Result<Self, CommandError> {
        let mut state: WalletState = state.and_then(|s| serde_json::from_value(s.clone()).ok()).unwrap_or_default();
        if state.networks.is_empty() {
            state.networks = Network::presets();
        }
        if !state.networks.iter().any(|n| n.chain_id == state.selected) {
            state.selected = state.networks[0].chain_id;
        }
        let vault = match vault {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                serde_json::from_value(v.clone())
                    .map_err(|e| err("corruptVault", format!("the stored vault cannot be read: {e}")))?,
            ),
        };
        Ok(Self {
            state,
            vault,
            unlocked: None,
            queue: Queue::default(),
            pending_mnemonic: None,
            effects: Vec::new(),
            rng,
            kdf_iterations: KDF_ITERATIONS,
            min_kdf_iterations: MIN_KDF_ITERATIONS,
            fallback: Network::devnet(),
            reachable: true,
        })
    }

    /// Test speed: fewer KDF rounds (the browser always uses the default).
    #[cfg(test)]
    fn with_kdf_iterations(mut self, n: u32) -> Self {
        self.kdf_iterations = n;
        self.min_kdf_iterations = n;
        self
    }

    /// Reopens the vault with the key kept in the session store after the
    /// worker restarted. A key that does not open it is ignored (locked).
    pub fn resume(&mut self, session_key: &str) -> bool {
        let Some(vault) = &self.vault else { return false };
        let Ok(key) = VaultKey::from_session(session_key) else { return false };
        match vault.open(&key) {
            Ok(secrets) => {
                self.install(key, secrets, false).is_ok()
            }
            Err(_) => {
                self.effects.push(Effect::SessionKey { key: None });
                false
            }
        }
    }

    /// Effects queued since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The selected network.
    pub fn network(&self) -> &Network {
        // `new` guarantees a non-empty list containing the selected id.
        let first = self.state.networks.first();
        self.state.networks.iter().find(|n| n.chain_id == self.state.selected).or(first).unwrap_or(&self.fallback)
    }

    /// The accounts, if unlocked (empty while locked).
    pub fn unlocked_accounts(&self) -> Vec<Account> {
        if self.unlocked.is_some() { self.state.accounts.clone() } else { Vec::new() }
    }

    /// Whether the vault is open.
    pub fn is_unlocked(&self) -> bool {
        self.unlocked.is_some()
    }

    fn random<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0u8; N];
        (self.rng)(&mut b);
        b
    }

    fn save_state(&mut self) {
        if let Ok(state) = serde_json::to_value(&self.state) {
            self.effects.push(Effect::SaveState { state });
        }
    }

    fn touch(&mut self) {
        if self.unlocked.is_some() {
            self.effects.push(Effect::AutoLock { minutes: Some(self.state.auto_lock_minutes) });
        }
    }

    fn emit(&mut self, origin: Option<&Origin>, event: &str, data: Value) {
        self.effects.push(Effect::Emit { origin: origin.map(|o| o.to_string()), event: event.into(), data });
    }

    /// Rebuilds the signers from `secrets`; with `fresh_session` (a real
    /// unlock, not a worker restart), stores the key in the session, arms the
    /// auto-lock and tells connected pages their accounts.
    fn install(&mut self, key: VaultKey, secrets: Secrets, fresh_session: bool) -> Result<(), CommandError> {
        let mut accounts = Vec::new();
        let mut signers = Vec::new();
        if let Some(phrase) = &secrets.mnemonic {
            let m = Mnemonic::parse(phrase).map_err(|_| err("corruptVault", "the stored phrase is invalid"))?;
            let seed = m.seed("").map_err(|_| err("corruptVault", "the stored phrase is invalid"))?;
            for index in 0..secrets.hd_accounts.max(1) {
                let k = hd::ethereum_account(seed.as_ref(), index).map_err(|e| err("derive", e.to_string()))?;
                accounts.push(Account { address: k.address(), source: AccountSource::Hd { index } });
                signers.push(k);
            }
        }
        for (index, hex) in secrets.imported.iter().enumerate() {
            let k = PrivateKey::from_hex(hex).map_err(|_| err("corruptVault", "a stored key is invalid"))?;
            accounts.push(Account { address: k.address(), source: AccountSource::Imported { index } });
            signers.push(k);
        }
        if fresh_session {
            self.effects.push(Effect::SessionKey { key: Some(key.to_session().to_string()) });
        }
        self.unlocked = Some(Unlocked { key, secrets, signers });
        if self.state.accounts != accounts {
            self.state.accounts = accounts;
            self.save_state();
        }
        // A worker restart is not user activity: it neither extends the
        // auto-lock deadline nor tells pages anything changed.
        if !fresh_session {
            return Ok(());
        }
        self.touch();
        let origins: Vec<Origin> = self.state.permissions.keys().cloned().collect();
        for origin in origins {
            let accounts = self.accounts_for(&origin);
            self.emit(Some(&origin), "accountsChanged", json!(accounts));
        }
        Ok(())
    }

    /// Re-seals the open vault after its secrets changed.
    fn reseal(&mut self) -> Result<(), CommandError> {
        let iv = self.random::<12>();
        let (Some(vault), Some(u)) = (&self.vault, &self.unlocked) else {
            return Err(err("locked", "the wallet is locked"));
        };
        let sealed = SealedVault::reseal(vault, &u.key, &u.secrets, iv).map_err(vault_err)?;
        self.vault = Some(sealed.clone());
        self.effects.push(Effect::SaveVault { vault: Some(sealed) });
        Ok(())
    }

    fn create_vault(&mut self, secrets: Secrets, password: &str) -> Result<Value, CommandError> {
        if self.vault.is_some() {
            return Err(err("exists", "a wallet already exists: unlock it instead"));
        }
        let salt = self.random::<32>();
        let iv = self.random::<12>();
        let (key, sealed) = vault::seal(password, &secrets, salt, iv, self.kdf_iterations).map_err(vault_err)?;
        self.vault = Some(sealed.clone());
        self.effects.push(Effect::SaveVault { vault: Some(sealed) });
        self.install(key, secrets, true)?;
        self.save_state();
        Ok(self.status())
    }

    fn lock(&mut self) {
        if self.unlocked.take().is_some() {
            self.effects.push(Effect::SessionKey { key: None });
            self.effects.push(Effect::AutoLock { minutes: None });
            let origins: Vec<Origin> = self.state.permissions.keys().cloned().collect();
            for origin in origins {
                self.emit(Some(&origin), "accountsChanged", json!([]));
            }
        }
    }

    /// The alarm fired: lock.
    pub fn auto_lock(&mut self) {
        self.lock();
    }

    fn status(&self) -> Value {
        let n = self.network();
        json!({
            "initialized": self.vault.is_some(),
            "unlocked": self.unlocked.is_some(),
            "network": {"chainId": n.chain_id.to_hex(), "name": n.name, "rpcUrl": n.rpc_url},
            "networks": self.state.networks.iter().map(|n| json!({"chainId": n.chain_id.to_hex(), "name": n.name})).collect::<Vec<_>>(),
            "accounts": if self.unlocked.is_some() { json!(self.state.accounts) } else { json!([]) },
            "autoLockMinutes": self.state.auto_lock_minutes,
            "pendingApprovals": self.queue.len(),
            "history": self.state.history,
        })
    }

    fn accounts_for(&self, origin: &Origin) -> Vec<Address> {
        if self.unlocked.is_none() {
            return Vec::new();
        }
        let granted = self.state.permissions.get(origin).map(Vec::as_slice).unwrap_or_default();
        granted.iter().copied().filter(|a| self.state.accounts.iter().any(|x| x.address == *a)).collect()
    }

    fn permissions_json(&self, origin: &Origin) -> Value {
        match self.state.permissions.get(origin) {
            Some(accounts) => json!([{
                "invoker": origin.as_str(),
                "parentCapability": "eth_accounts",
                "caveats": [{"type": "restrictReturnedAccounts", "value": accounts}],
            }]),
            None => json!([]),
        }
    }

    fn signer(&self, address: Address) -> Option<&PrivateKey> {
        let u = self.unlocked.as_ref()?;
        let i = self.state.accounts.iter().position(|a| a.address == address)?;
        u.signers.get(i)
    }

    fn enqueue(&mut self, origin: Origin, kind: ApprovalKind) -> Step {
        let id = ApprovalId::from_random(self.random::<16>());
        self.queue.push(Approval { id: id.clone(), origin, kind });
        self.effects.push(Effect::OpenApproval);
        Step::Wait(id)
    }

    fn may_use(&self, origin: &Origin, address: Address) -> bool {
        self.state.permissions.get(origin).is_some_and(|a| a.contains(&address))
    }

    /// Decides what to do with one provider request from `origin`.
    pub fn request(&mut self, origin: &str, request: &Request) -> Step {
        let Ok(origin) = Origin::parse(origin) else {
            return unauthorized();
        };
        self.touch();
        let params = &request.params;
        let network = self.network().clone();
        match request.method.as_str() {
            "eth_chainId" => Step::Answer(json!(network.chain_id.to_hex())),
            "net_version" => Step::Answer(json!(network.chain_id.0.to_string())),
            "eth_accounts" => Step::Answer(json!(self.accounts_for(&origin))),
            "eth_coinbase" => Step::Answer(json!(self.accounts_for(&origin).first())),
            "eth_requestAccounts" | "wallet_requestPermissions" => {
                let as_permissions = request.method == "wallet_requestPermissions";
                if as_permissions && params.get(0).and_then(|p| p.get("eth_accounts")).is_none() {
                    return refuse(ProviderError::INVALID_PARAMS, "only the eth_accounts permission exists");
                }
                if self.vault.is_none() {
                    return refuse(ProviderError::UNAUTHORIZED, "Aloft has no wallet yet: open the extension to create one");
                }
                let accounts = self.accounts_for(&origin);
                if !accounts.is_empty() {
                    return Step::Answer(if as_permissions { self.permissions_json(&origin) } else { json!(accounts) });
                }
                self.enqueue(origin, ApprovalKind::Connect { as_permissions })
            }
            "wallet_getPermissions" => Step::Answer(self.permissions_json(&origin)),
            "wallet_revokePermissions" => {
                if self.state.permissions.remove(&origin).is_some() {
                    self.save_state();
                    self.emit(Some(&origin), "accountsChanged", json!([]));
                }
                Step::Answer(Value::Null)
            }
            "wallet_switchEthereumChain" => {
                let Some(id) = params.get(0).and_then(|p| p.get("chainId")).and_then(Value::as_str).and_then(ChainId::from_hex)
                else {
                    return refuse(ProviderError::INVALID_PARAMS, "wallet_switchEthereumChain takes [{ chainId }]");
                };
                if !self.state.networks.iter().any(|n| n.chain_id == id) {
                    return refuse(
                        ProviderError::UNRECOGNIZED_CHAIN,
                        format!("Aloft does not know chain {}: add it with wallet_addEthereumChain", id.to_hex()),
                    );
                }
                self.select_network(id);
                Step::Answer(Value::Null)
            }
            "wallet_addEthereumChain" => match Network::from_eip3085(params) {
                Err(e) => refuse(ProviderError::INVALID_PARAMS, e.to_string()),
                Ok(n) if self.state.networks.iter().any(|k| k.chain_id == n.chain_id) => {
                    self.select_network(n.chain_id);
                    Step::Answer(Value::Null)
                }
                Ok(n) => self.enqueue(origin, ApprovalKind::AddNetwork(n)),
            },
            "personal_sign" | "eth_signTypedData_v4" => {
                let parsed = if request.method == "personal_sign" {
                    SignRequest::personal(params)
                } else {
                    SignRequest::typed_data(params, network.chain_id.0)
                };
                // The account check comes first when the address is readable,
                // so an unconnected site learns nothing from param errors.
                let address = match request.method.as_str() {
                    "personal_sign" => params.get(1),
                    _ => params.get(0),
                }
                .and_then(|a| crate::tx::parse_address(a, "address").ok());
                if address.is_none_or(|a| !self.may_use(&origin, a)) {
                    return unauthorized();
                }
                match parsed {
                    Ok(sign) => self.enqueue(origin, ApprovalKind::Sign(sign)),
                    Err(e) => refuse(ProviderError::INVALID_PARAMS, e.to_string()),
                }
            }
            "eth_sendTransaction" => {
                let from = params.get(0).and_then(|t| t.get("from")).and_then(|a| crate::tx::parse_address(a, "from").ok());
                if from.is_none_or(|a| !self.may_use(&origin, a)) {
                    return unauthorized();
                }
                if let Some(chain) = params.get(0).and_then(|t| t.get("chainId")).and_then(Value::as_str)
                    && ChainId::from_hex(chain) != Some(network.chain_id)
                {
                    return refuse(
                        ProviderError::CHAIN_DISCONNECTED,
                        format!("the transaction is for chain {chain}, but Aloft is on {}", network.chain_id.to_hex()),
                    );
                }
                match TxRequest::from_params(params) {
                    Ok(tx) => Step::PrepareTransaction(tx),
                    Err(e) => refuse(ProviderError::INVALID_PARAMS, e.to_string()),
                }
            }
            site_transfer::METHOD => {
                // The site's connected account is the owner; nothing about the
                // request is read before the origin is known to be connected.
                let Some(from) = self.accounts_for(&origin).first().copied() else {
                    return unauthorized();
                };
                match TransferProofsRequest::from_params(params, from) {
                    Ok(req) => Step::CheckAgentTransfer(req),
                    Err(e) => Step::Refuse(e),
                }
            }
            _ => match Provider::new(network).route(origin.as_str(), request) {
                Route::Answer(v) => Step::Answer(v),
                Route::Refuse(e) => Step::Refuse(e),
                Route::Forward { url, body } => Step::Forward { url, body },
            },
        }
    }

    /// Completes a prepared transaction with what the network said and
    /// queues it for approval.
    pub fn queue_transaction(&mut self, origin: &str, req: TxRequest, fill: TxFill) -> Step {
        let Ok(origin) = Origin::parse(origin) else { return unauthorized() };
        if !self.may_use(&origin, req.from) {
            return unauthorized();
        }
        self.queue_checked_transaction(origin, req, fill)
    }

    /// Queues an `aloft_agentTransferProofs` request whose token the caller
    /// read from chain and checked (`site_transfer::check_token`).
    pub fn queue_agent_transfer_proofs(&mut self, origin: &str, req: TransferProofsRequest) -> Step {
        let Ok(origin) = Origin::parse(origin) else { return unauthorized() };
        if !self.may_use(&origin, req.from) || self.unlocked.is_none() {
            return unauthorized();
        }
        let own = self.signer(req.to).is_some();
        self.enqueue(origin, ApprovalKind::AgentTransferProofs(req, own))
    }

    /// Queues a transaction the wallet's own pages built (the iNFT screens):
    /// shown in the approval window like a dapp's, with the wallet as origin.
    pub fn queue_wallet_transaction(&mut self, req: TxRequest, fill: TxFill) -> Result<Step, CommandError> {
        self.require_unlocked()?;
        if self.signer(req.from).is_none() {
            return Err(err("noAccount", "the account is not in this wallet"));
        }
        self.touch();
        Ok(self.queue_checked_transaction(Origin::own_wallet(), req, fill))
    }

    /// The key of one of the wallet's accounts, for the iNFT flows the
    /// engine carries out itself (access proofs, unsealing data keys).
    pub fn account_key(&self, address: Address) -> Result<&PrivateKey, CommandError> {
        self.require_unlocked()?;
        self.signer(address).ok_or_else(|| err("noAccount", "the account is not in this wallet"))
    }

    fn queue_checked_transaction(&mut self, origin: Origin, req: TxRequest, fill: TxFill) -> Step {
        let (max_fee, tip) = suggest_fees(fill.base_fee, fill.tip);
        let tip = req.max_priority_fee_per_gas.unwrap_or(tip);
        let max_fee = req.max_fee_per_gas.unwrap_or(max_fee.max(tip));
        let tx = Eip1559Tx {
            chain_id: self.network().chain_id.0,
            nonce: req.nonce.unwrap_or(fill.nonce),
            max_priority_fee_per_gas: tip,
            max_fee_per_gas: max_fee,
            gas_limit: req.gas.unwrap_or(fill.gas),
            to: req.to,
            value: req.value,
            data: req.data,
        };
        self.enqueue(origin, ApprovalKind::Transaction(tx, req.from))
    }

    /// Records a broadcast transaction in the history.
    pub fn record_sent(&mut self, hash: &str, from: Address, to: Option<Address>, value: alloy_primitives::U256) {
        self.state.history.push(HistoryEntry {
            hash: hash.to_string(),
            chain_id: self.state.selected,
            from,
            status: "sent".into(),
            to,
            value: Some(value.to_string()),
            block: None,
        });
        self.save_state();
    }

    fn select_network(&mut self, id: ChainId) {
        if self.state.selected != id {
            self.state.selected = id;
            self.save_state();
            self.emit(None, "chainChanged", json!(id.to_hex()));
        }
    }

    /// What the approval window shows for the current request.
    pub fn approval_view(&self) -> Value {
        let Some(a) = self.queue.current() else { return Value::Null };
        let network = self.network();
        let detail = match &a.kind {
            ApprovalKind::Connect { .. } => json!({"type": "connect", "account": self.state.accounts.first().map(|a| a.address)}),
            ApprovalKind::Sign(s) => json!({"type": "sign", "account": s.address(), "content": s.display()}),
            ApprovalKind::AgentTransferProofs(req, own) => req.approval_detail(*own),
            ApprovalKind::AddNetwork(n) => json!({"type": "addNetwork", "network": {"chainId": n.chain_id.to_hex(), "name": n.name, "rpcUrl": n.rpc_url}}),
            ApprovalKind::Transaction(tx, from) => {
                let gas = alloy_primitives::U256::from(tx.gas_limit);
                let max_cost = gas * alloy_primitives::U256::from(tx.max_fee_per_gas) + tx.value;
                json!({
                    "type": "transaction",
                    "from": from,
                    "to": tx.to,
                    "value": tx.value.to_string(),
                    "nonce": tx.nonce,
                    "gasLimit": tx.gas_limit,
                    "maxFeePerGas": tx.max_fee_per_gas.to_string(),
                    "maxPriorityFeePerGas": tx.max_priority_fee_per_gas.to_string(),
                    "maxCost": max_cost.to_string(),
                    "call": decode_call(&tx.data),
                })
            }
        };
        json!({
            "id": a.id,
            "origin": a.origin.as_str(),
            "originWarning": a.origin.warning(),
            "network": {"chainId": network.chain_id.to_hex(), "name": network.name},
            "queued": self.queue.len(),
            "locked": self.unlocked.is_none(),
            "detail": detail,
        })
    }

    fn decide(&mut self, id: &ApprovalId, approve: bool) -> Result<Outcome, CommandError> {
        if approve && self.unlocked.is_none() {
            return Err(err("locked", "unlock the wallet to approve"));
        }
        let a = self.queue.take(id).map_err(|e| match e {
            ApprovalError::Replayed(_) => err("replayed", e.to_string()),
            _ => err("stale", e.to_string()),
        })?;
        if !approve {
            return Ok(Outcome::Error { code: ProviderError::USER_REJECTED, message: "the user rejected the request".into() });
        }
        let origin = a.origin;
        Ok(match a.kind {
            ApprovalKind::Connect { as_permissions } => {
                let Some(first) = self.state.accounts.first().map(|a| a.address) else {
                    return Err(err("noAccount", "the wallet has no account"));
                };
                self.state.permissions.insert(origin.clone(), vec![first]);
                self.save_state();
                self.emit(Some(&origin), "accountsChanged", json!([first]));
                Outcome::Answer(if as_permissions { self.permissions_json(&origin) } else { json!([first]) })
            }
            ApprovalKind::Sign(s) => {
                let key = self.signer(s.address()).ok_or_else(|| err("noAccount", "the account is not in this wallet"))?;
                let digest = s.digest().map_err(|e| err("sign", e.to_string()))?;
                Outcome::Answer(json!(format!("0x{}", hex::encode(key.sign_digest(&digest).to_rsv()))))
            }
            ApprovalKind::Transaction(tx, from) => {
                if tx.chain_id != self.network().chain_id.0 {
                    return Ok(Outcome::Error {
                        code: ProviderError::CHAIN_DISCONNECTED,
                        message: "the network changed while the transaction waited".into(),
                    });
                }
                let key = self.signer(from).ok_or_else(|| err("noAccount", "the account is not in this wallet"))?;
                let (raw, hash) = tx.sign(key);
                Outcome::Broadcast { raw: format!("0x{}", hex::encode(raw)), hash: format!("{hash:#x}") }
            }
            ApprovalKind::AgentTransferProofs(req, _) => {
                // Approved: the engine now asks the oracle (`wasm_inft.rs`).
                if !self.may_use(&origin, req.from) {
                    return Ok(Outcome::Error {
                        code: ProviderError::UNAUTHORIZED,
                        message: "the site was disconnected while the request waited".into(),
                    });
                }
                Outcome::Answer(json!({"approved": true}))
            }
            ApprovalKind::AddNetwork(n) => {
                let id = n.chain_id;
                self.state.networks.push(n);
                self.select_network(id);
                self.save_state();
                Outcome::Answer(Value::Null)
            }
        })
    }

    fn account_signer(&self, address: &str) -> Result<&PrivateKey, CommandError> {
        let address = crate::tx::parse_address(&json!(address), "address").map_err(|e| err("badAddress", e.to_string()))?;
        self.signer(address).ok_or_else(|| err("noAccount", "no such account in this wallet"))
    }

    fn require_unlocked(&self) -> Result<(), CommandError> {
        if self.unlocked.is_none() { Err(err("locked", "the wallet is locked")) } else { Ok(()) }
    }

    fn add_secret(&mut self, key: PrivateKey) -> Result<Value, CommandError> {
        self.require_unlocked()?;
        if self.state.accounts.iter().any(|a| a.address == key.address()) {
            return Err(err("duplicate", format!("account {} is already in the wallet", key.address())));
        }
        let hex = Zeroizing::new(hex::encode(key.to_bytes()));
        let u = self.unlocked.as_mut().ok_or_else(|| err("locked", "the wallet is locked"))?;
        u.secrets.imported.push(hex.to_string());
        u.signers.push(key.clone());
        let index = u.secrets.imported.len() - 1;
        self.state.accounts.push(Account { address: key.address(), source: AccountSource::Imported { index } });
        self.reseal()?;
        self.save_state();
        Ok(json!({"address": key.address()}))
    }

    /// Handles a command from an extension page. Returns the reply and the
    /// outcomes of requests that stop waiting because of it.
    pub fn command(&mut self, command: Command) -> Result<(Value, Vec<(ApprovalId, Outcome)>), CommandError> {
        self.touch();
        let mut done = Vec::new();
        let reply = match command {
            Command::Status => self.status(),
            Command::NewMnemonic => {
                if self.vault.is_some() {
                    return Err(err("exists", "a wallet already exists"));
                }
                let entropy = Zeroizing::new(self.random::<16>());
                let m = Mnemonic::from_entropy(entropy.as_ref()).map_err(|e| err("mnemonic", e.to_string()))?;
                let mut positions = Vec::new();
                while positions.len() < 3 {
                    let p = (self.random::<1>()[0] % 12) as usize + 1;
                    if !positions.contains(&p) {
                        positions.push(p);
                    }
                }
                positions.sort_unstable();
                let reply = json!({"phrase": m.phrase(), "confirm": positions});
                self.pending_mnemonic = Some((m, positions));
                reply
            }
            Command::ConfirmMnemonic { words, password } => {
                let password = Zeroizing::new(password);
                let Some((m, positions)) = self.pending_mnemonic.clone() else {
                    return Err(err("noMnemonic", "start again: no phrase is waiting for confirmation"));
                };
                let phrase: Vec<&str> = m.phrase().split(' ').collect();
                let typed: BTreeMap<usize, String> = words.into_iter().map(|(p, w)| (p, w.trim().to_lowercase())).collect();
                for p in &positions {
                    if typed.get(p).map(String::as_str) != phrase.get(p - 1).copied() {
                        return Err(err("confirmMismatch", format!("word {p} does not match the phrase you wrote down")));
                    }
                }
                let secrets = Secrets { mnemonic: Some(m.phrase().to_string()), hd_accounts: 1, imported: Vec::new() };
                let reply = self.create_vault(secrets, &password)?;
                self.pending_mnemonic = None;
                reply
            }
            Command::ImportMnemonic { phrase, password } => {
                let (phrase, password) = (Zeroizing::new(phrase), Zeroizing::new(password));
                let m = Mnemonic::parse(&phrase).map_err(|e| err("badMnemonic", e.to_string()))?;
                let secrets = Secrets { mnemonic: Some(m.phrase().to_string()), hd_accounts: 1, imported: Vec::new() };
                self.create_vault(secrets, &password)?
            }
            Command::OnboardPrivateKey { key, password } => {
                let key = PrivateKey::from_hex(&key).map_err(|e| err("badKey", e.to_string()))?;
                let secrets = Secrets { mnemonic: None, hd_accounts: 0, imported: vec![hex::encode(key.to_bytes())] };
                self.create_vault(secrets, &password)?
            }
            Command::OnboardKeystore { json, keystore_password, password } => {
                let key = keystore::import(&json, &keystore_password).map_err(|e| match e {
                    keystore::KeystoreError::WrongPassword => err("wrongPassword", "the keystore's password is wrong"),
                    other => err("badKeystore", other.to_string()),
                })?;
                let secrets = Secrets { mnemonic: None, hd_accounts: 0, imported: vec![hex::encode(key.to_bytes())] };
                self.create_vault(secrets, &password)?
            }
            Command::Unlock { password } => {
                let password = Zeroizing::new(password);
                let vault = self.vault.as_ref().ok_or_else(|| err("noWallet", "there is no wallet to unlock"))?;
                let (key, secrets) = vault.unlock(&password, self.min_kdf_iterations).map_err(vault_err)?;
                if self.unlocked.is_none() {
                    self.install(key, secrets, true)?;
                }
                self.status()
            }
            Command::Lock => {
                self.lock();
                self.status()
            }
            Command::ChangePassword { old, new } => {
                let (old, new) = (Zeroizing::new(old), Zeroizing::new(new));
                let vault = self.vault.as_ref().ok_or_else(|| err("noWallet", "there is no wallet"))?;
                let (_, secrets) = vault.unlock(&old, self.min_kdf_iterations).map_err(vault_err)?;
                let salt = self.random::<32>();
                let iv = self.random::<12>();
                let (key, sealed) = vault::seal(&new, &secrets, salt, iv, self.kdf_iterations).map_err(vault_err)?;
                self.vault = Some(sealed.clone());
                self.effects.push(Effect::SaveVault { vault: Some(sealed) });
                if let Some(u) = self.unlocked.as_mut() {
                    u.key = key.clone();
                    self.effects.push(Effect::SessionKey { key: Some(key.to_session().to_string()) });
                }
                json!(true)
            }
            Command::SetAutoLock { minutes } => {
                if !(0.5..=1440.0).contains(&minutes) {
                    return Err(err("badValue", "auto-lock takes 0.5 to 1440 minutes"));
                }
                self.state.auto_lock_minutes = minutes;
                self.save_state();
                self.touch();
                json!(minutes)
            }
            Command::AddAccount => {
                self.require_unlocked()?;
                let u = self.unlocked.as_mut().ok_or_else(|| err("locked", "the wallet is locked"))?;
                let phrase = u.secrets.mnemonic.clone().ok_or_else(|| err("noMnemonic", "this wallet has no recovery phrase"))?;
                let m = Mnemonic::parse(&phrase).map_err(|_| err("corruptVault", "the stored phrase is invalid"))?;
                let seed = m.seed("").map_err(|e| err("mnemonic", e.to_string()))?;
                let index = u.secrets.hd_accounts.max(1);
                let key = hd::ethereum_account(seed.as_ref(), index).map_err(|e| err("derive", e.to_string()))?;
                u.secrets.hd_accounts = index + 1;
                // HD accounts come before imported ones.
                let at = self.state.accounts.iter().filter(|a| matches!(a.source, AccountSource::Hd { .. })).count();
                self.state.accounts.insert(at, Account { address: key.address(), source: AccountSource::Hd { index } });
                u.signers.insert(at, key.clone());
                self.reseal()?;
                self.save_state();
                json!({"address": key.address()})
            }
            Command::ImportPrivateKey { key } => {
                let key = PrivateKey::from_hex(&key).map_err(|e| err("badKey", e.to_string()))?;
                self.add_secret(key)?
            }
            Command::ImportKeystore { json, password } => {
                let password = Zeroizing::new(password);
                self.require_unlocked()?;
                let key = keystore::import(&json, &password).map_err(|e| match e {
                    keystore::KeystoreError::WrongPassword => err("wrongPassword", e.to_string()),
                    other => err("badKeystore", other.to_string()),
                })?;
                self.add_secret(key)?
            }
            Command::ExportKeystore { address, wallet_password, password } => {
                let (wallet_password, password) = (Zeroizing::new(wallet_password), Zeroizing::new(password));
                self.require_unlocked()?;
                let vault = self.vault.as_ref().ok_or_else(|| err("noWallet", "there is no wallet"))?;
                vault.derive_key(&wallet_password, self.min_kdf_iterations).and_then(|k| vault.open(&k)).map_err(vault_err)?;
                if password.chars().count() < 8 {
                    return Err(err("weakPassword", "the file's password must have at least 8 characters"));
                }
                let random = ExportRandomness { salt: self.random(), iv: self.random(), uuid: self.random() };
                let key = self.account_signer(&address)?;
                let file = keystore::export(key, &password, ExportKdf::DEFAULT, &random).map_err(|e| err("export", e.to_string()))?;
                json!({"keystore": file})
            }
            Command::CurrentApproval => self.approval_view(),
            Command::Resolve { id, approve } => {
                let outcome = self.decide(&id, approve)?;
                done.push((id, outcome));
                json!({"next": !self.queue.is_empty()})
            }
            Command::RejectAll => {
                for a in self.queue.drain() {
                    done.push((a.id, Outcome::Error { code: ProviderError::USER_REJECTED, message: "the user rejected the request".into() }));
                }
                json!(true)
            }
            Command::SelectNetwork { chain_id } => {
                let id = ChainId::from_hex(&chain_id)
                    .filter(|id| self.state.networks.iter().any(|n| n.chain_id == *id))
                    .ok_or_else(|| err("unknownNetwork", format!("no network with chain id {chain_id}")))?;
                self.select_network(id);
                self.status()
            }
            Command::Permissions => json!(self.state.permissions.iter().map(|(o, a)| json!({"origin": o, "accounts": a})).collect::<Vec<_>>()),
            Command::Revoke { origin } => {
                let origin = Origin::parse(&origin).map_err(|e| err("badOrigin", e.to_string()))?;
                if self.state.permissions.remove(&origin).is_some() {
                    self.save_state();
                    self.emit(Some(&origin), "accountsChanged", json!([]));
                }
                json!(true)
            }
        };
        Ok((reply, done))
    }
}

mod own;

#[cfg(test)]
mod tests;
