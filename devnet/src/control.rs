//! The control API: switches that make devnet nodes misbehave, for tests.
//!
//! `GET /switches` lists every switch with its value; `PUT /switches/{name}`
//! with a JSON body (`true`, `false` or a number) sets one. Unknown names and
//! wrong value types are refused with 400 and a sentence. Later parts of the
//! devnet (validators, DA nodes, storage peers) add their switches here, so a
//! test or the soak drives every fault through one API. The DA nodes' switches
//! are `da.{node}.{switch}` ([`crate::da::switches`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::da::DaSwitches;

/// Every misbehaviour switch, readable from any node without locks.
#[derive(Debug, Default)]
pub struct Switches {
    rpc_offline: AtomicBool,
    rpc_delay_ms: AtomicU64,
    bad_signatures: AtomicBool,
    sub_quorum: AtomicBool,
    equivocate: AtomicBool,
    lying_rpc: AtomicBool,
    da: Arc<DaSwitches>,
    storage: Vec<PeerSwitches>,
}

/// The switches of one storage peer, named `storage_peer_<i>_offline`,
/// `storage_peer_<i>_delay_ms` and `storage_peer_<i>_corrupt` (peers from 0).
#[derive(Debug, Default)]
pub struct PeerSwitches {
    offline: AtomicBool,
    delay_ms: AtomicU64,
    corrupt: AtomicBool,
}

impl PeerSwitches {
    /// The peer answers nothing: HTTP 503, no WebRTC answers, no new channels.
    pub fn offline(&self) -> bool {
        self.offline.load(Ordering::Relaxed)
    }

    /// Milliseconds the peer waits before each answer.
    pub fn delay_ms(&self) -> u64 {
        self.delay_ms.load(Ordering::Relaxed)
    }

    /// The peer flips a byte of every segment or shard it serves.
    pub fn corrupt(&self) -> bool {
        self.corrupt.load(Ordering::Relaxed)
    }
}

/// The validator misbehaviours, each a boolean switch. Blocks produced
/// while one is on carry it (see [`crate::header_chain::Faults`]).
const FAULT_SWITCHES: [(&str, u8); 4] = [
    ("bad_signatures", crate::header_chain::Faults::BAD_SIGNATURE),
    ("sub_quorum", crate::header_chain::Faults::SUB_QUORUM),
    ("equivocate", crate::header_chain::Faults::EQUIVOCATE),
    ("lying_rpc", crate::header_chain::Faults::LYING_RPC),
];

/// Why a switch could not be set.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SwitchError {
    /// No switch has that name.
    #[error("there is no switch named {0:?}; GET /switches lists them")]
    Unknown(String),
    /// The value has the wrong type or range.
    #[error("switch {name} takes {expected}, not {given}")]
    BadValue {
        /// The switch.
        name: &'static str,
        /// What it takes.
        expected: &'static str,
        /// What was sent.
        given: String,
    },
}

impl Switches {
    /// Switches for a devnet with `da_nodes` DA nodes and `storage_peers` storage peers, all off.
    pub fn new(da_nodes: usize, storage_peers: usize) -> Self {
        Self {
            da: Arc::new(DaSwitches::new(da_nodes)),
            storage: (0..storage_peers).map(|_| PeerSwitches::default()).collect(),
            ..Self::default()
        }
    }

    /// The DA nodes' switches (`da.{node}.{switch}`, see [`crate::da::switches`]).
    pub fn da(&self) -> Arc<DaSwitches> {
        self.da.clone()
    }

    /// The switches of storage peer `id`.
    pub fn storage_peer(&self, id: usize) -> Option<&PeerSwitches> {
        self.storage.get(id)
    }

    /// The JSON-RPC endpoint answers 503 to everything.
    pub fn rpc_offline(&self) -> bool {
        self.rpc_offline.load(Ordering::Relaxed)
    }

    /// Milliseconds the JSON-RPC endpoint waits before each answer.
    pub fn rpc_delay_ms(&self) -> u64 {
        self.rpc_delay_ms.load(Ordering::Relaxed)
    }

    fn fault_flag(&self, name: &str) -> Option<&AtomicBool> {
        match name {
            "bad_signatures" => Some(&self.bad_signatures),
            "sub_quorum" => Some(&self.sub_quorum),
            "equivocate" => Some(&self.equivocate),
            "lying_rpc" => Some(&self.lying_rpc),
            _ => None,
        }
    }

    /// The validator faults that are on: `bad_signatures` (commits carry a
    /// signature over another message), `sub_quorum` (commits signed by at
    /// most 2/3 of the power), `equivocate` (validators also sign a
    /// conflicting header, served at `/witness`), `lying_rpc` (the header API
    /// serves a forged chain signed by keys outside the set, and the EVM RPC
    /// claims inflated balances in `eth_getProof`).
    pub fn faults(&self) -> crate::header_chain::Faults {
        let mut bits = 0;
        for (name, bit) in FAULT_SWITCHES {
            if self.fault_flag(name).is_some_and(|f| f.load(Ordering::Relaxed)) {
                bits |= bit;
            }
        }
        crate::header_chain::Faults(bits)
    }

    /// Every switch and its value.
    pub fn snapshot(&self) -> Value {
        let mut all = json!({
            "rpc_offline": self.rpc_offline(),
            "rpc_delay_ms": self.rpc_delay_ms(),
            "da": self.da.snapshot(),
        });
        for (name, _) in FAULT_SWITCHES {
            let on = self.fault_flag(name).is_some_and(|f| f.load(Ordering::Relaxed));
            all[name] = json!(on);
        }
        if let Some(map) = all.as_object_mut() {
            for (i, peer) in self.storage.iter().enumerate() {
                map.insert(format!("storage_peer_{i}_offline"), json!(peer.offline()));
                map.insert(format!("storage_peer_{i}_delay_ms"), json!(peer.delay_ms()));
                map.insert(format!("storage_peer_{i}_corrupt"), json!(peer.corrupt()));
            }
        }
        all
    }

    /// Sets one switch from its JSON value.
    pub fn set(&self, name: &str, value: &Value) -> Result<(), SwitchError> {
        let bad = |name, expected| SwitchError::BadValue { name, expected, given: value.to_string() };
        match name {
            "rpc_offline" => {
                let on = value.as_bool().ok_or_else(|| bad("rpc_offline", "true or false"))?;
                self.rpc_offline.store(on, Ordering::Relaxed);
            }
            "rpc_delay_ms" => {
                let ms = value
                    .as_u64()
                    .filter(|ms| *ms <= 60_000)
                    .ok_or_else(|| bad("rpc_delay_ms", "a whole number of milliseconds up to 60000"))?;
                self.rpc_delay_ms.store(ms, Ordering::Relaxed);
            }
            other => match other.strip_prefix("da.") {
                Some(rest) => self.da.set(rest, value)?,
                None if other.starts_with("storage_peer_") => return self.set_storage(other, value),
                None => {
                    let (name, _) = FAULT_SWITCHES
                        .iter()
                        .find(|(n, _)| *n == other)
                        .ok_or_else(|| SwitchError::Unknown(other.to_string()))?;
                    let on = value.as_bool().ok_or_else(|| bad(*name, "true or false"))?;
                    self.fault_flag(name).expect("every fault switch has a flag").store(on, Ordering::Relaxed);
                }
            },
        }
        Ok(())
    }

    fn set_storage(&self, name: &str, value: &Value) -> Result<(), SwitchError> {
        let unknown = || SwitchError::Unknown(name.to_string());
        let rest = name.strip_prefix("storage_peer_").ok_or_else(unknown)?;
        let (id, switch) = rest.split_once('_').ok_or_else(unknown)?;
        let peer = id.parse::<usize>().ok().and_then(|i| self.storage.get(i)).ok_or_else(unknown)?;
        let bad = |name, expected| SwitchError::BadValue { name, expected, given: value.to_string() };
        match switch {
            "offline" => {
                let on = value.as_bool().ok_or_else(|| bad("storage_peer_<i>_offline", "true or false"))?;
                peer.offline.store(on, Ordering::Relaxed);
            }
            "corrupt" => {
                let on = value.as_bool().ok_or_else(|| bad("storage_peer_<i>_corrupt", "true or false"))?;
                peer.corrupt.store(on, Ordering::Relaxed);
            }
            "delay_ms" => {
                let ms = value.as_u64().filter(|ms| *ms <= 60_000).ok_or_else(|| {
                    bad("storage_peer_<i>_delay_ms", "a whole number of milliseconds up to 60000")
                })?;
                peer.delay_ms.store(ms, Ordering::Relaxed);
            }
            _ => return Err(unknown()),
        }
        Ok(())
    }
}

async fn list(State(switches): State<Arc<Switches>>) -> Json<Value> {
    Json(switches.snapshot())
}

async fn set(State(switches): State<Arc<Switches>>, Path(name): Path<String>, body: axum::body::Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("the body must be a JSON value: {e}")).into_response(),
    };
    match switches.set(&name, &value) {
        Ok(()) => Json(switches.snapshot()).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

/// The HTTP router of the control API.
pub fn router(switches: Arc<Switches>) -> Router {
    Router::new()
        .route("/switches", get(list))
        .route("/switches/{name}", put(set))
        .with_state(switches)
        .layer(axum::middleware::from_fn(crate::rpc::cors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_take_their_type_and_refuse_others() {
        let s = Switches::default();
        s.set("rpc_offline", &json!(true)).unwrap();
        s.set("rpc_delay_ms", &json!(250)).unwrap();
        s.set("sub_quorum", &json!(true)).unwrap();
        assert_eq!(
            s.snapshot(),
            json!({"rpc_offline": true, "rpc_delay_ms": 250, "da": [], "bad_signatures": false, "sub_quorum": true, "equivocate": false, "lying_rpc": false})
        );
        assert_eq!(s.faults(), crate::header_chain::Faults(crate::header_chain::Faults::SUB_QUORUM));
        assert!(matches!(s.set("equivocate", &json!("yes")), Err(SwitchError::BadValue { .. })));
        assert!(matches!(s.set("rpc_offline", &json!(1)), Err(SwitchError::BadValue { .. })));
        assert!(matches!(s.set("rpc_delay_ms", &json!(-1)), Err(SwitchError::BadValue { .. })));
        assert_eq!(s.set("nope", &json!(true)), Err(SwitchError::Unknown("nope".into())));
    }

    #[test]
    fn storage_peer_switches_are_per_peer() {
        let s = Switches::new(1, 2);
        s.set("storage_peer_1_offline", &json!(true)).unwrap();
        s.set("storage_peer_0_corrupt", &json!(true)).unwrap();
        s.set("storage_peer_0_delay_ms", &json!(20)).unwrap();
        assert!(s.storage_peer(1).unwrap().offline() && !s.storage_peer(0).unwrap().offline());
        assert!(s.storage_peer(0).unwrap().corrupt());
        assert_eq!(s.storage_peer(0).unwrap().delay_ms(), 20);
        assert_eq!(s.snapshot()["storage_peer_1_offline"], json!(true));
        assert!(matches!(s.set("storage_peer_2_offline", &json!(true)), Err(SwitchError::Unknown(_))));
        assert!(matches!(s.set("storage_peer_0_offline", &json!(3)), Err(SwitchError::BadValue { .. })));
        assert!(matches!(s.set("storage_peer_0_nap", &json!(true)), Err(SwitchError::Unknown(_))));
    }
}
