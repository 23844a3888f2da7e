//! Every message between the extension pages, the service worker and the
//! engine, in one place.
//!
//! - [`Command`]: what an extension page (onboarding, unlock, approval,
//!   popup) asks of the engine. `background.js` passes it through unchanged
//!   and only from this extension's own pages; content scripts and web pages
//!   can never send one.
//! - [`Effect`]: what the engine asks the worker to do in the browser (store,
//!   emit a provider event, open the approval window, arm the auto-lock
//!   alarm). The worker carries effects out and decides nothing.
//! - [`Outcome`]: how a request that waited for the user ends.
//!
//! All are serde enums tagged by `cmd` / `kind`, camelCase, so the JS side
//! is a switch over strings listed here.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::approvals::ApprovalId;
use crate::vault::SealedVault;

/// A command from an extension page. `Debug` prints the variant only:
/// commands carry passwords, phrases and keys.
#[derive(Clone, Deserialize)]
#[serde(tag = "cmd", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum Command {
    /// Is there a wallet, is it locked, which network and accounts.
    Status,
    /// Onboarding, create: draw a new 12-word phrase and the positions the
    /// user must re-type to confirm it.
    NewMnemonic,
    /// Onboarding, create: the confirmation words and the new password.
    ConfirmMnemonic {
        /// `(position (1-based), word)` for each position asked.
        words: Vec<(usize, String)>,
        /// The new password.
        password: String,
    },
    /// Onboarding, import: a phrase and a new password.
    ImportMnemonic {
        /// The phrase as typed.
        phrase: String,
        /// The new password.
        password: String,
    },
    /// Onboarding, import a raw private key (hex) as the wallet's only
    /// account, under a new password.
    OnboardPrivateKey {
        /// The key.
        key: String,
        /// The new password.
        password: String,
    },
    /// Onboarding, import a v3 keystore file as the wallet's only account.
    OnboardKeystore {
        /// The file's text.
        json: String,
        /// The file's password.
        keystore_password: String,
        /// The new wallet password.
        password: String,
    },
    /// Unlock with the password.
    Unlock {
        /// The password.
        password: String,
    },
    /// Lock now.
    Lock,
    /// Change the password (needs the current one).
    ChangePassword {
        /// The current password.
        old: String,
        /// The new password.
        new: String,
    },
    /// Auto-lock after this many idle minutes.
    SetAutoLock {
        /// Minutes (0.5 to 1440).
        minutes: f64,
    },
    /// Derive the next BIP-44 account.
    AddAccount,
    /// Import a raw private key (hex).
    ImportPrivateKey {
        /// The key.
        key: String,
    },
    /// Import a v3 keystore file.
    ImportKeystore {
        /// The file's text.
        json: String,
        /// The file's password.
        password: String,
    },
    /// Export an account as a v3 keystore, encrypted with `password`; the
    /// wallet password is asked again first.
    ExportKeystore {
        /// Which account.
        address: String,
        /// The wallet's password (re-confirmation).
        wallet_password: String,
        /// The password for the exported file.
        password: String,
    },
    /// The request the approval window should show.
    CurrentApproval,
    /// The user's decision on the shown request.
    Resolve {
        /// Which request.
        id: ApprovalId,
        /// Approve or reject.
        approve: bool,
    },
    /// Every waiting request is rejected (the approval window was closed).
    RejectAll,
    /// Select a known network.
    SelectNetwork {
        /// Its chain id, hex.
        chain_id: String,
    },
    /// Connected sites.
    Permissions,
    /// Disconnect a site.
    Revoke {
        /// The site's origin.
        origin: String,
    },
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Self::Status => "Status",
            Self::NewMnemonic => "NewMnemonic",
            Self::ConfirmMnemonic { .. } => "ConfirmMnemonic",
            Self::ImportMnemonic { .. } => "ImportMnemonic",
            Self::OnboardPrivateKey { .. } => "OnboardPrivateKey",
            Self::OnboardKeystore { .. } => "OnboardKeystore",
            Self::Unlock { .. } => "Unlock",
            Self::Lock => "Lock",
            Self::ChangePassword { .. } => "ChangePassword",
            Self::SetAutoLock { .. } => "SetAutoLock",
            Self::AddAccount => "AddAccount",
            Self::ImportPrivateKey { .. } => "ImportPrivateKey",
            Self::ImportKeystore { .. } => "ImportKeystore",
            Self::ExportKeystore { .. } => "ExportKeystore",
            Self::CurrentApproval => "CurrentApproval",
            Self::Resolve { .. } => "Resolve",
            Self::RejectAll => "RejectAll",
            Self::SelectNetwork { .. } => "SelectNetwork",
            Self::Permissions => "Permissions",
            Self::Revoke { .. } => "Revoke",
        };
        write!(f, "Command::{name}(..)")
    }
}

/// Something the worker must do in the browser.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum Effect {
    /// Store the non-secret wallet state (IndexedDB).
    SaveState {
        /// The state, JSON.
        state: Value,
    },
    /// Store the sealed vault (IndexedDB); `None` deletes it.
    SaveVault {
        /// The sealed record.
        vault: Option<SealedVault>,
    },
    /// Put the derived vault key in `chrome.storage.session` (or remove it).
    SessionKey {
        /// base64 key, or `None` to remove.
        key: Option<String>,
    },
    /// Send a provider event to the pages of `origin` (all pages if `None`).
    Emit {
        /// Target origin.
        origin: Option<String>,
        /// `accountsChanged`, `chainChanged`, `connect`, `disconnect`.
        event: String,
        /// The event's argument.
        data: Value,
    },
    /// Open (or focus) the approval window.
    OpenApproval,
    /// Arm the auto-lock alarm for `minutes` from now, or clear it.
    AutoLock {
        /// Minutes, or `None` to clear.
        minutes: Option<f64>,
    },
}

/// How a request that waited for the user ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Answer the page with this.
    Answer(Value),
    /// Send this signed transaction with `eth_sendRawTransaction`, then
    /// answer the page with its hash.
    Broadcast {
        /// `0x…` raw transaction.
        raw: String,
        /// Its hash, for history.
        hash: String,
    },
    /// The user said no (4001) or the request could not complete.
    Error {
        /// EIP-1193 code.
        code: i64,
        /// Why.
        message: String,
    },
}

/// Why a command failed (the page shows `message`). Never carries secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// A stable name for tests and pages: `wrongPassword`, `locked`, ….
    pub code: &'static str,
    /// What happened, for the user.
    pub message: String,
}

impl CommandError {
    /// A new error.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_as_pages_write_them() {
        let c: Command = serde_json::from_value(serde_json::json!({"cmd": "unlock", "password": "pw"})).expect("reads");
        assert!(matches!(c, Command::Unlock { .. }));
        let c: Command =
            serde_json::from_value(serde_json::json!({"cmd": "selectNetwork", "chainId": "0x7a69"})).expect("reads");
        assert!(matches!(c, Command::SelectNetwork { chain_id } if chain_id == "0x7a69"));
        let c: Command = serde_json::from_value(serde_json::json!({"cmd": "confirmMnemonic", "words": [[3, "abandon"]], "password": "p"}))
            .expect("reads");
        assert!(matches!(c, Command::ConfirmMnemonic { words, .. } if words == vec![(3, "abandon".to_string())]));
        assert!(serde_json::from_value::<Command>(serde_json::json!({"cmd": "format-disk"})).is_err());
        let secret: Command = serde_json::from_value(serde_json::json!({"cmd": "importPrivateKey", "key": "ab12"})).expect("reads");
        assert!(!format!("{secret:?}").contains("ab12"));
        let e = serde_json::to_value(Effect::Emit { origin: None, event: "chainChanged".into(), data: "0x1".into() }).expect("json");
        assert_eq!(e, serde_json::json!({"kind": "emit", "origin": null, "event": "chainChanged", "data": "0x1"}));
    }
}
