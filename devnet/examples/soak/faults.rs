//! The misbehaviour schedule: three lanes cycle at once (validator/RPC
//! faults, DA node faults, storage peer faults), each switch on for the
//! first 60% of its window and off for the rest, so faults overlap across
//! lanes but at most one per lane is on. Every switch the control API has
//! is in a lane.

use serde_json::{Value, json};

/// One switch setting: its name and the values for on and off.
#[derive(Debug, Clone)]
pub struct Fault {
    pub name: String,
    pub on: Value,
    pub off: Value,
}

fn fault(name: impl Into<String>, on: Value, off: Value) -> Fault {
    Fault { name: name.into(), on, off }
}

/// The lanes for a devnet with `da_nodes` DA nodes and `peers` storage peers.
pub fn lanes(da_nodes: usize, peers: usize) -> Vec<Vec<Fault>> {
    let mut header = vec![];
    for name in ["bad_signatures", "equivocate", "lying_rpc", "sub_quorum", "rpc_offline"] {
        header.push(fault(name, json!(true), json!(false)));
    }
    header.push(fault("rpc_delay_ms", json!(150), json!(0)));
    let mut da = vec![];
    for i in 0..da_nodes {
        da.push(fault(format!("da.{i}.withhold"), json!({"blob": 0, "fraction": 0.6}), Value::Null));
        da.push(fault(format!("da.{i}.corrupt"), json!(if i % 2 == 0 { "cell" } else { "proof" }), json!("none")));
        da.push(fault(format!("da.{i}.offline"), json!(true), json!(false)));
        da.push(fault(format!("da.{i}.delay_ms"), json!(300), json!(0)));
    }
    let mut storage = vec![];
    for i in 0..peers {
        storage.push(fault(format!("storage_peer_{i}_offline"), json!(true), json!(false)));
        storage.push(fault(format!("storage_peer_{i}_corrupt"), json!(true), json!(false)));
        storage.push(fault(format!("storage_peer_{i}_delay_ms"), json!(100), json!(0)));
    }
    vec![header, da, storage]
}

/// Which fault of `lane` is on at block `b` with windows of `window` blocks.
pub fn active(lane: &[Fault], b: u64, window: u64) -> Option<&Fault> {
    let slot = b / window;
    let within = b % window;
    (within * 10 < window * 6).then(|| &lane[(slot % lane.len() as u64) as usize])
}
