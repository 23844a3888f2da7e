//! The wallet's screens. Each takes what it shows from the engine through
//! signals the shell owns, and shows loading, empty and error states in words.

mod agents;
mod home;
mod settings;
mod status;

pub use agents::AgentsView;
pub use home::HomeView;
pub use settings::SettingsView;
pub use status::StatusView;

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::platform;

/// What the engine reports about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusInfo {
    /// Engine version.
    pub version: String,
    /// Selected network's name.
    pub network_name: String,
    /// Selected network's chain id, `0x` hex.
    pub chain_id: String,
    /// Selected network's RPC endpoint.
    pub rpc_url: String,
}

impl StatusInfo {
    /// Reads the engine's `status` answer; a malformed answer is an error.
    pub fn from_reply(reply: &Value) -> Result<Self, String> {
        if reply.get("ok") != Some(&Value::Bool(true)) {
            return Err(reply.get("error").and_then(Value::as_str).unwrap_or("the engine did not answer").to_string());
        }
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("the engine's status lacks {k}"));
        let network = reply.get("network").ok_or("the engine's status lacks network")?;
        Ok(Self {
            version: text(reply, "version")?,
            network_name: text(network, "name")?,
            chain_id: text(network, "chainId")?,
            rpc_url: text(network, "rpcUrl")?,
        })
    }
}

/// The engine's status: `None` while loading.
pub type EngineStatus = ReadSignal<Option<Result<StatusInfo, String>>>;

/// Asks the engine for its status once and returns the signal it lands in.
pub fn load_status() -> EngineStatus {
    let (status, set_status) = signal(None);
    leptos::task::spawn_local(async move {
        let reply = platform::send_to_engine(json!({"kind": "status"})).await;
        set_status.set(Some(reply.and_then(|r| StatusInfo::from_reply(&r))));
    });
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_replies_are_checked() {
        let ok = json!({"ok": true, "version": "0.1.0", "network": {"name": "Aloft devnet", "chainId": "0x7a69", "rpcUrl": "http://127.0.0.1:8545"}});
        assert_eq!(StatusInfo::from_reply(&ok).unwrap().chain_id, "0x7a69");
        assert_eq!(StatusInfo::from_reply(&json!({"ok": false, "error": "boom"})), Err("boom".into()));
        assert!(StatusInfo::from_reply(&json!({"ok": true, "version": "1"})).unwrap_err().contains("network"));
    }
}
