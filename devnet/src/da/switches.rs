//! Per-node DA misbehaviour switches, set through the control API
//! (`PUT /switches/da.{node}.{switch}`, `node` a number or `all`):
//!
//! - `offline` (bool): the node answers 503 to everything;
//! - `delay_ms` (0..=60000): the node waits before every answer;
//! - `corrupt` (`"none"`, `"cell"`, `"proof"`): every served cell has a
//!   flipped bit, or every proof is the neighbouring cell's proof;
//! - `withhold` (`{"blob": B, "fraction": F}` or `null`): the node withholds
//!   the cells `0 .. ceil(F × 128)` of blob `B` of every block (`F` in 0..=1);
//! - `commitments` (`{"lie": "drop" | "swap", "height": H}`, `height`
//!   optional, or `null`): the node serves a wrong commitment list for block
//!   `H` (every block without `height`), and names that list's root in its
//!   block summaries and head, as a consistent liar would: `drop` leaves out
//!   the last commitment, `swap` exchanges the first two (a block with fewer
//!   than two blobs, or none for `drop`, is served honestly). Cells stay
//!   honest, so only a client that checks the list against a verified
//!   header's DA root notices.

use std::sync::Mutex;

use aloft_light_client::kzg::Commitment;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::control::SwitchError;

/// How a node corrupts what it serves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Corrupt {
    /// Serves the real cells and proofs.
    #[default]
    None,
    /// Flips a bit in every cell.
    Cell,
    /// Serves the neighbouring cell's proof.
    Proof,
}

/// Which cells a node withholds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withhold {
    /// The blob index.
    pub blob: u16,
    /// The fraction of its 128 cells (the lowest indices).
    pub fraction: f64,
}

impl Withhold {
    /// Whether cell `cell` of blob `blob` is withheld.
    pub fn covers(&self, blob: u16, cell: u8) -> bool {
        blob == self.blob && f64::from(cell) < (self.fraction * 128.0).ceil()
    }
}

/// How a node lies about a block's commitment list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lie {
    /// Leaves out the last commitment.
    Drop,
    /// Exchanges the first two commitments.
    Swap,
}

/// Which block's commitment list a node lies about, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongCommitments {
    /// The lie.
    pub lie: Lie,
    /// The block lied about; every block if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
}

impl WrongCommitments {
    /// The list the node serves for block `height` instead of `honest`, or
    /// `None` when it serves the honest one.
    pub fn apply(&self, height: u64, honest: &[Commitment]) -> Option<Vec<Commitment>> {
        if self.height.is_some_and(|h| h != height) {
            return None;
        }
        let mut list = honest.to_vec();
        match self.lie {
            Lie::Drop if !list.is_empty() => {
                list.pop();
            }
            Lie::Swap if list.len() >= 2 => list.swap(0, 1),
            Lie::Drop | Lie::Swap => return None,
        }
        Some(list)
    }
}

/// One node's switches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeSwitches {
    /// Answers 503.
    pub offline: bool,
    /// Waits this long before answering.
    pub delay_ms: u64,
    /// Corrupts what it serves.
    pub corrupt: Corrupt,
    /// Withholds cells.
    pub withhold: Option<Withhold>,
    /// Serves a wrong commitment list.
    pub commitments: Option<WrongCommitments>,
}

/// Every DA node's switches.
#[derive(Debug, Default)]
pub struct DaSwitches {
    nodes: Mutex<Vec<NodeSwitches>>,
}

impl DaSwitches {
    /// Switches for `nodes` nodes, all off.
    pub fn new(nodes: usize) -> Self {
        Self { nodes: Mutex::new(vec![NodeSwitches::default(); nodes]) }
    }

    /// Node `i`'s switches (all off for an unknown node).
    pub fn node(&self, i: usize) -> NodeSwitches {
        self.nodes.lock().map(|n| n.get(i).copied().unwrap_or_default()).unwrap_or_default()
    }

    /// Every node's switches, as the control API lists them.
    pub fn snapshot(&self) -> Value {
        self.nodes.lock().map(|n| serde_json::to_value(&*n).unwrap_or(Value::Null)).unwrap_or(Value::Null)
    }

    /// Sets `da.{node}.{switch}` (the part after `da.`).
    pub fn set(&self, name: &str, value: &Value) -> Result<(), SwitchError> {
        let unknown = || SwitchError::Unknown(format!("da.{name}"));
        let (node, switch) = name.split_once('.').ok_or_else(unknown)?;
        let mut nodes = self.nodes.lock().map_err(|_| unknown())?;
        let targets: Vec<usize> = if node == "all" {
            (0..nodes.len()).collect()
        } else {
            let i = node.parse::<usize>().ok().filter(|i| *i < nodes.len()).ok_or_else(unknown)?;
            vec![i]
        };
        let bad = |expected| SwitchError::BadValue { name: "da switch", expected, given: value.to_string() };
        for i in targets {
            let n = &mut nodes[i];
            match switch {
                "offline" => n.offline = value.as_bool().ok_or_else(|| bad("true or false"))?,
                "delay_ms" => {
                    n.delay_ms = value.as_u64().filter(|ms| *ms <= 60_000).ok_or_else(|| bad("a whole number of milliseconds up to 60000"))?
                }
                "corrupt" => n.corrupt = serde_json::from_value(value.clone()).map_err(|_| bad("\"none\", \"cell\" or \"proof\""))?,
                "withhold" => {
                    let w: Option<Withhold> =
                        serde_json::from_value(value.clone()).map_err(|_| bad("{\"blob\": B, \"fraction\": F} or null"))?;
                    if w.is_some_and(|w| !(0.0..=1.0).contains(&w.fraction)) {
                        return Err(bad("a fraction between 0 and 1"));
                    }
                    n.withhold = w;
                }
                "commitments" => {
                    n.commitments = serde_json::from_value(value.clone())
                        .map_err(|_| bad("{\"lie\": \"drop\" or \"swap\", \"height\": H (optional)} or null"))?;
                }
                _ => return Err(unknown()),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn switches_set_per_node_or_all_and_refuse_bad_values() {
        let s = DaSwitches::new(3);
        s.set("1.offline", &json!(true)).unwrap();
        s.set("all.withhold", &json!({"blob": 0, "fraction": 0.51})).unwrap();
        s.set("2.corrupt", &json!("proof")).unwrap();
        assert!(s.node(1).offline && !s.node(0).offline);
        assert_eq!(s.node(2).corrupt, Corrupt::Proof);
        let w = s.node(0).withhold.unwrap();
        assert!(w.covers(0, 65) && !w.covers(0, 66) && !w.covers(1, 0));
        assert!(s.set("3.offline", &json!(true)).is_err());
        assert!(s.set("0.corrupt", &json!("all")).is_err());
        assert!(s.set("0.withhold", &json!({"blob": 0, "fraction": 2})).is_err());
        assert!(s.set("0.nope", &json!(1)).is_err());
        s.set("0.withhold", &json!(null)).unwrap();
        assert!(s.node(0).withhold.is_none());
        s.set("all.commitments", &json!({"lie": "swap", "height": 7})).unwrap();
        assert_eq!(s.node(2).commitments, Some(WrongCommitments { lie: Lie::Swap, height: Some(7) }));
        assert!(s.set("0.commitments", &json!({"lie": "flip"})).is_err());
        assert!(s.set("0.commitments", &json!({"lie": "drop", "block": 1})).is_err());
        s.set("all.commitments", &json!(null)).unwrap();
        assert!(s.node(2).commitments.is_none());
    }

    #[test]
    fn wrong_commitments_drop_or_swap_one_block_or_all() {
        // The switch rearranges commitments without reading them.
        let honest = vec![Commitment([1; 48]), Commitment([2; 48])];
        let drop = WrongCommitments { lie: Lie::Drop, height: None };
        assert_eq!(drop.apply(3, &honest), Some(honest[..1].to_vec()));
        assert_eq!(drop.apply(3, &[]), None);
        let swap = WrongCommitments { lie: Lie::Swap, height: Some(5) };
        assert_eq!(swap.apply(5, &honest), Some(vec![honest[1], honest[0]]));
        assert_eq!(swap.apply(6, &honest), None, "another block is served honestly");
        assert_eq!(swap.apply(5, &honest[..1]), None, "one blob cannot be swapped");
    }
}
