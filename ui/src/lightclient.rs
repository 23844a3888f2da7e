//! What the wallet's light client reports, as typed values the status view
//! shows.
//!
//! The service worker (`extension/static/light-client.js`, `lightStatus`)
//! answers the `lightClient` message with the header client's own getters
//! (`state()`, `validators()`, `rejections()`, `evidence()`) plus what it
//! knows about the last sync. Reading it here, once, means the view never
//! digs in raw JSON, and a malformed answer is one error with a reason.
//! The summaries (sync progress, voting shares, times) are pure functions,
//! tested natively.

use serde::Deserialize;
use serde_json::Value;

/// The answer to `{kind: "lightClient"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LightStatus {
    /// `0x` hex chain id.
    pub chain_id: String,
    /// Where headers come from.
    pub sources: Sources,
    /// The client's state.
    pub state: ClientState,
    /// The trusted validator set.
    pub validators: Vec<Validator>,
    /// The rejected headers the client keeps (the newest, across service-worker restarts), oldest first.
    pub rejections: Vec<Rejection>,
    /// Fork evidence, as the client encodes it (kept verbatim for export).
    pub evidence: Vec<Value>,
    /// The header API's own latest height (the sync's target; not verified).
    #[serde(default)]
    pub announced: Option<u64>,
    /// When the last sync ended (ms since the epoch).
    #[serde(default)]
    pub synced_at: Option<f64>,
    /// Why the last sync failed, if it did.
    #[serde(default)]
    pub last_error: Option<String>,
    /// DA sampling of the verified heads (`None` where no DA nodes are known).
    #[serde(default)]
    pub da: Option<DaStatus>,
}

/// What the worker's DA sampler knows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DaStatus {
    /// The DA nodes it samples from.
    pub nodes: Vec<String>,
    /// Reports of the latest blocks sampled, oldest first.
    pub blocks: Vec<DaBlock>,
    /// Each node's standing.
    pub peers: Vec<DaPeer>,
    /// A block is being sampled now.
    #[serde(default)]
    pub sampling: bool,
    /// The last sampling error.
    #[serde(default)]
    pub error: Option<String>,
}

/// One sampled DA block (`BlockReport` of the light client's sampler).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DaBlock {
    /// The height (its header's DA root was verified).
    pub height: u64,
    /// The verdict.
    pub availability: Availability,
    /// The confidence reached, 0–1.
    pub confidence: f64,
    /// Blobs in the block, once known.
    #[serde(default)]
    pub blobs: Option<u64>,
    /// Samples verified.
    pub samples_verified: u64,
    /// Samples drawn.
    pub samples_total: u64,
}

/// A DA block's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Availability {
    /// Still sampling.
    Pending,
    /// Every sample verified.
    Available,
    /// Not available, and why.
    Unavailable {
        /// Why.
        reason: String,
    },
}

/// A DA node's standing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DaPeer {
    /// Its URL.
    pub peer: String,
    /// Remaining score.
    pub score: u64,
    /// Why it was dropped, if it was.
    #[serde(default)]
    pub dropped: Option<String>,
}

/// A confidence as a percentage that never rounds up to certainty:
/// `99.9999 %` (floored at four decimals), `0 %` for nothing.
pub fn confidence_text(c: f64) -> String {
    if !c.is_finite() || c <= 0.0 {
        return "0 %".into();
    }
    let floored = (c.min(1.0) * 1_000_000.0).floor() / 10_000.0;
    format!("{floored:.4} %")
}

/// The header sources the client talks to (its peers).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Sources {
    /// The header API.
    pub primary: String,
    /// The second view new heads are cross-checked with.
    #[serde(default)]
    pub witness: Option<String>,
}

/// `HeaderClient.state()`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientState {
    /// `HEIGHT:0xHASH`.
    pub checkpoint: String,
    /// Resumed from IndexedDB rather than synced from the checkpoint.
    pub resumed: bool,
    /// The verified head.
    pub head: Head,
    /// Commits checked by this instance.
    pub commits_verified: u64,
}

/// A verified header.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Head {
    /// Its height.
    pub height: u64,
    /// Its hash.
    pub hash: String,
    /// The header's fields.
    pub header: HeaderFields,
    /// Size of its validator set.
    pub validators: u64,
    /// How many of them signed its commit.
    pub signers: u64,
}

/// The header fields the view shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HeaderFields {
    /// Block time, ms since the epoch.
    pub time: f64,
    /// EVM state root of the same height.
    pub state_root: String,
    /// DA block root of the same height.
    pub da_root: String,
    /// Proposer's address.
    pub proposer: String,
}

/// A validator of the trusted set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Validator {
    /// Its address.
    pub address: String,
    /// BLS public key, hex.
    pub public_key: String,
    /// Voting power.
    pub power: u64,
}

/// A header that failed verification.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Rejection {
    /// Its height.
    pub height: u64,
    /// Stable kind (`invalid_signature`, `fork_detected`, …).
    pub kind: String,
    /// What was wrong, in a sentence.
    pub reason: String,
    /// `primary` or `witness`.
    pub source: String,
}

/// One piece of fork evidence, the parts the view lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkSummary {
    /// The height of the conflicting blocks.
    pub height: u64,
    /// The primary's block hash.
    pub primary: String,
    /// The witness's block hash.
    pub witness: String,
}

impl LightStatus {
    /// Reads a `lightClient` reply.
    pub fn from_value(value: &Value) -> Result<Self, String> {
        serde_json::from_value(value.clone()).map_err(|e| format!("the light client's status cannot be read: {e}"))
    }

    /// The sync target: the announced height, never below the verified head.
    pub fn target(&self) -> u64 {
        self.announced.unwrap_or(0).max(self.state.head.height)
    }

    /// "Verified 41 of 42 announced (1 behind)", or "In sync at 42".
    pub fn sync_summary(&self) -> String {
        let head = self.state.head.height;
        let target = self.target();
        if head >= target {
            format!("In sync at block {head}")
        } else {
            format!("Verified {head} of {target} announced ({} behind)", target - head)
        }
    }

    /// Each validator's share of the total power, in percent.
    pub fn shares(&self) -> Vec<f64> {
        let total: u64 = self.validators.iter().map(|v| v.power).sum();
        self.validators.iter().map(|v| if total == 0 { 0.0 } else { v.power as f64 * 100.0 / total as f64 }).collect()
    }

    /// The fork evidence, summarised (entries that do not parse are skipped;
    /// the export keeps them all).
    pub fn forks(&self) -> Vec<ForkSummary> {
        self.evidence
            .iter()
            .filter_map(|e| {
                Some(ForkSummary {
                    height: e.get("height")?.as_u64()?,
                    primary: e.get("primary")?.get("hash")?.as_str()?.to_string(),
                    witness: e.get("witness")?.get("hash")?.as_str()?.to_string(),
                })
            })
            .collect()
    }

    /// The evidence as a JSON file a person can hand to others.
    pub fn evidence_export(&self) -> String {
        serde_json::to_string_pretty(&self.evidence).unwrap_or_else(|_| "[]".into())
    }

    /// The newest rejections first, at most `n`.
    pub fn recent_rejections(&self, n: usize) -> Vec<Rejection> {
        self.rejections.iter().rev().take(n).cloned().collect()
    }
}

/// `2026-11-22 07:09:41 UTC` from ms since the epoch (proleptic Gregorian).
pub fn utc(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "unknown time".into();
    }
    let secs = (ms / 1000.0) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days to civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// "3 s ago", "2 min ago", "1 h ago" (or "just now").
pub fn age(now_ms: f64, then_ms: f64) -> String {
    let secs = ((now_ms - then_ms) / 1000.0).max(0.0) as u64;
    match secs {
        0 => "just now".into(),
        1..=119 => format!("{secs} s ago"),
        120..=7199 => format!("{} min ago", secs / 60),
        _ => format!("{} h ago", secs / 3600),
    }
}

/// `0x12345678…abcd` for long hashes; short text unchanged.
pub fn short(hash: &str) -> String {
    if hash.len() > 16 && hash.is_char_boundary(10) && hash.is_char_boundary(hash.len() - 4) {
        format!("{}…{}", &hash[..10], &hash[hash.len() - 4..])
    } else {
        hash.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "chainId": "0x7a69",
            "sources": {"primary": "http://127.0.0.1:26657", "witness": "http://127.0.0.1:26657/witness"},
            "state": {
                "checkpoint": "1:0xab", "resumed": false, "commitsVerified": 3, "rejections": [], "evidence": 1,
                "head": {"height": 40, "hash": "0x1111111111111111111111111111111111111111111111111111111111111111",
                    "validators": 4, "signers": 3,
                    "header": {"chain_id": 31337, "height": 40, "time": 1_700_000_000_000u64, "parent_hash": "0x00",
                        "validators_hash": "0x", "next_validators_hash": "0x", "state_root": "0xs", "da_root": "0xd", "proposer": "0xp"}}
            },
            "validators": [
                {"address": "0xa", "publicKey": "0x01", "power": 10},
                {"address": "0xb", "publicKey": "0x02", "power": 30}
            ],
            "rejections": [
                {"height": 12, "kind": "invalid_signature", "reason": "the commit's aggregate signature does not verify", "source": "primary"},
                {"height": 13, "kind": "fork_detected", "reason": "the witness has another block", "source": "witness"}
            ],
            "evidence": [
                {"kind": "light_client_attack", "height": 13, "common_height": 12, "encoded": "0x01ff",
                 "primary": {"hash": "0xp1"}, "witness": {"hash": "0xw1"}},
                {"kind": "unknown"}
            ],
            "announced": 42,
            "syncedAt": 1_700_000_001_000u64,
            "lastError": null,
            "da": {
                "nodes": ["http://127.0.0.1:8591/nodes/0"],
                "blocks": [
                    {"height": 39, "root": "0xd", "availability": {"status": "available"}, "confidence": 0.99999999,
                     "blobs": 2, "samples_verified": 30, "samples_total": 30, "bytes_fetched": 4000},
                    {"height": 40, "root": "0xd", "availability": {"status": "unavailable", "reason": "node 0 withheld cell 3"},
                     "confidence": 0.5, "blobs": null, "samples_verified": 1, "samples_total": 30, "bytes_fetched": 10}
                ],
                "peers": [{"peer": "http://127.0.0.1:8591/nodes/0", "score": 90, "dropped": null}],
                "sampling": true,
                "error": null
            }
        })
    }

    #[test]
    fn reads_the_workers_answer() {
        let s = LightStatus::from_value(&sample()).unwrap();
        assert_eq!(s.state.head.height, 40);
        assert_eq!(s.state.head.signers, 3);
        assert_eq!(s.sources.witness.as_deref(), Some("http://127.0.0.1:26657/witness"));
        assert_eq!(s.sync_summary(), "Verified 40 of 42 announced (2 behind)");
        assert_eq!(s.shares(), vec![25.0, 75.0]);
        assert_eq!(s.forks(), vec![ForkSummary { height: 13, primary: "0xp1".into(), witness: "0xw1".into() }]);
        assert!(s.evidence_export().contains("\"encoded\": \"0x01ff\""));
        let recent = s.recent_rejections(1);
        assert_eq!(recent.len(), 1);
        assert_eq!(recent[0].kind, "fork_detected");
        let da = s.da.as_ref().expect("da");
        assert_eq!(da.blocks[0].availability, Availability::Available);
        assert_eq!(da.blocks[1].availability, Availability::Unavailable { reason: "node 0 withheld cell 3".into() });
        assert_eq!(da.blocks[0].blobs, Some(2));
        assert_eq!(da.peers[0].score, 90);
        assert!(da.sampling);
        let mut none = sample();
        none["da"] = Value::Null;
        assert_eq!(LightStatus::from_value(&none).unwrap().da, None);
    }

    #[test]
    fn in_sync_when_the_head_reaches_the_announced_height() {
        let mut v = sample();
        v["announced"] = json!(39);
        assert_eq!(LightStatus::from_value(&v).unwrap().sync_summary(), "In sync at block 40");
        v["announced"] = Value::Null;
        assert_eq!(LightStatus::from_value(&v).unwrap().target(), 40);
    }

    #[test]
    fn a_malformed_answer_is_one_error_with_a_reason() {
        let mut v = sample();
        v["state"]["head"]["height"] = json!("forty");
        let e = LightStatus::from_value(&v).unwrap_err();
        assert!(e.starts_with("the light client's status cannot be read"), "{e}");
        assert!(LightStatus::from_value(&json!(null)).is_err());
    }

    #[test]
    fn times_and_hashes() {
        assert_eq!(utc(0.0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000_000.0), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(951_782_400_000.0), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(f64::NAN), "unknown time");
        assert_eq!(age(10_000.0, 10_000.0), "just now");
        assert_eq!(age(15_000.0, 10_000.0), "5 s ago");
        assert_eq!(age(10_000.0 + 300_000.0, 10_000.0), "5 min ago");
        assert_eq!(age(0.0, 10_000.0), "just now");
        assert_eq!(short("0x1111111111111111111111111111111111111111"), "0x11111111…1111");
        assert_eq!(short("0xabc"), "0xabc");
        assert_eq!(confidence_text(0.99999999), "99.9999 %");
        assert_eq!(confidence_text(1.0), "100.0000 %");
        assert_eq!(confidence_text(0.5), "50.0000 %");
        assert_eq!(confidence_text(-1.0), "0 %");
        assert_eq!(confidence_text(f64::NAN), "0 %");
    }
}
