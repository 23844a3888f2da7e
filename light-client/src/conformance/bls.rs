//! Runner for the `bls/` vectors (ethereum/bls12-381-tests, JSON layout).
//!
//! Each handler folder holds `*.json` cases of the form
//! `{"input": ..., "output": ...}`. A case passes when this crate's answer
//! equals `output`; for `sign` and `aggregate` a `null` output means the call
//! must be refused, and for the verify handlers any input that fails to parse
//! counts as `false`, exactly as the upstream generators treat it. Handlers
//! this runner does not know are reported unsupported rather than skipped
//! silently.

use std::path::Path;

use serde_json::Value;

use super::{SuiteReport, file_name, sorted_entries, unhex};
use crate::bls::{
    self, BlsError, PublicKey, SecretKey, Signature, SignatureSet, aggregate, aggregate_verify,
    batch_verify, fast_aggregate_verify, hash_to_g2, verify,
};

/// The tag of the RFC 9380 `BLS12381G2_XMD:SHA-256_SSWU_RO_` suite vectors.
const HASH_TO_G2_DST: &[u8] = b"QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";

/// The batch vectors carry no randomness; any fixed seed is fine for a test
/// (the weights also bind the inputs, see `bls::batch`).
const BATCH_SEED: [u8; 32] = *b"aloft conformance batch seed 001";

type Handler = fn(&Value, &Value) -> Result<(), String>;

fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "sign" => case_sign,
        "verify" => case_verify,
        "aggregate" => case_aggregate,
        "fast_aggregate_verify" => case_fast_aggregate_verify,
        "aggregate_verify" => case_aggregate_verify,
        "batch_verify" => case_batch_verify,
        "hash_to_G2" => case_hash_to_g2,
        "deserialization_G1" => case_deserialization_g1,
        "deserialization_G2" => case_deserialization_g2,
        _ => return None,
    })
}

/// Runs every `bls` suite under `dir`, one report per handler folder.
pub fn run(dir: &Path) -> Vec<SuiteReport> {
    sorted_entries(dir)
        .into_iter()
        .filter(|p| p.is_dir())
        .map(|suite_dir| {
            let name = file_name(&suite_dir);
            let suite = format!("bls/{name}");
            if handler(&name).is_none() {
                return SuiteReport::unsupported(suite);
            }
            let mut report = SuiteReport::ran(suite);
            for case in sorted_entries(&suite_dir) {
                if case.extension().and_then(|e| e.to_str()) != Some("json") {
                    continue;
                }
                let outcome = std::fs::read_to_string(&case)
                    .map_err(|e| format!("cannot read: {e}"))
                    .and_then(|text| run_case_text(&name, &text));
                let relative = Path::new("bls").join(&name).join(file_name(&case));
                report.record(&relative, outcome);
            }
            report
        })
        .collect()
}

/// Runs one case of handler `suite` (`verify`, `hash_to_G2`, …) from its
/// JSON text: what [`run`] does per file, for callers without a file system
/// (the browser tests run the vectors on the field wasm32 ships).
pub fn run_case_text(suite: &str, text: &str) -> Result<(), String> {
    let run_case = handler(suite).ok_or_else(|| format!("no handler for bls/{suite}"))?;
    let mut v: Value = serde_json::from_str(text).map_err(|e| format!("bad JSON: {e}"))?;
    let input = v.get_mut("input").map(Value::take).ok_or("no \"input\"")?;
    let output = v
        .get_mut("output")
        .map(Value::take)
        .ok_or("no \"output\"")?;
    run_case(&input, &output)
}

fn field<'a>(v: &'a Value, key: &str) -> Result<&'a Value, String> {
    v.get(key).ok_or_else(|| format!("input has no {key:?}"))
}

fn hex_str(v: &Value) -> Result<Vec<u8>, String> {
    unhex(
        v.as_str()
            .ok_or_else(|| format!("expected a hex string, got {v}"))?,
    )
}

fn hex_list(v: &Value) -> Result<Vec<Vec<u8>>, String> {
    v.as_array()
        .ok_or_else(|| format!("expected a list, got {v}"))?
        .iter()
        .map(hex_str)
        .collect()
}

fn expect_bool(output: &Value, got: bool) -> Result<(), String> {
    let want = output
        .as_bool()
        .ok_or_else(|| format!("expected a bool output, got {output}"))?;
    if want == got {
        Ok(())
    } else {
        Err(format!("expected {want}, got {got}"))
    }
}

/// Compares bytes (or a refusal) against a hex string or `null`.
fn expect_bytes(output: &Value, got: Result<Vec<u8>, BlsError>) -> Result<(), String> {
    match (output, got) {
        (Value::Null, Err(_)) => Ok(()),
        (Value::Null, Ok(b)) => Err(format!("expected a refusal, got 0x{}", hex::encode(b))),
        (want, Ok(b)) => {
            let want = hex_str(want)?;
            if want == b {
                Ok(())
            } else {
                Err(format!(
                    "expected 0x{}, got 0x{}",
                    hex::encode(want),
                    hex::encode(b)
                ))
            }
        }
        (want, Err(e)) => Err(format!("expected {want}, got error: {e}")),
    }
}

/// Parses a list of keys: the outer error is a malformed case file, the
/// inner one a key this crate refuses (which the verify handlers read as `false`).
fn keys(v: &Value) -> Result<Result<Vec<PublicKey>, BlsError>, String> {
    Ok(hex_list(v)?
        .iter()
        .map(|b| PublicKey::from_bytes(b))
        .collect())
}

fn case_sign(input: &Value, output: &Value) -> Result<(), String> {
    let sk = hex_str(field(input, "privkey")?)?;
    let msg = hex_str(field(input, "message")?)?;
    let got = SecretKey::from_bytes(&sk).map(|sk| sk.sign(&msg).to_bytes().to_vec());
    expect_bytes(output, got)
}

fn case_verify(input: &Value, output: &Value) -> Result<(), String> {
    let pk = hex_str(field(input, "pubkey")?)?;
    let msg = hex_str(field(input, "message")?)?;
    let sig = hex_str(field(input, "signature")?)?;
    let got = match (PublicKey::from_bytes(&pk), Signature::from_bytes(&sig)) {
        (Ok(pk), Ok(sig)) => verify(&pk, &msg, &sig),
        _ => false,
    };
    expect_bool(output, got)
}

fn case_aggregate(input: &Value, output: &Value) -> Result<(), String> {
    let sigs = hex_list(input)?;
    let got = sigs
        .iter()
        .map(|b| Signature::from_bytes(b))
        .collect::<Result<Vec<_>, _>>()
        .and_then(|sigs| aggregate(&sigs))
        .map(|s| s.to_bytes().to_vec());
    expect_bytes(output, got)
}

fn case_fast_aggregate_verify(input: &Value, output: &Value) -> Result<(), String> {
    let msg = hex_str(field(input, "message")?)?;
    let sig = hex_str(field(input, "signature")?)?;
    let got = match (keys(field(input, "pubkeys")?)?, Signature::from_bytes(&sig)) {
        (Ok(pks), Ok(sig)) => fast_aggregate_verify(&pks, &msg, &sig),
        _ => false,
    };
    expect_bool(output, got)
}

fn case_aggregate_verify(input: &Value, output: &Value) -> Result<(), String> {
    let msgs = hex_list(field(input, "messages")?)?;
    let msgs: Vec<&[u8]> = msgs.iter().map(Vec::as_slice).collect();
    let sig = hex_str(field(input, "signature")?)?;
    let got = match (keys(field(input, "pubkeys")?)?, Signature::from_bytes(&sig)) {
        (Ok(pks), Ok(sig)) => aggregate_verify(&pks, &msgs, &sig),
        _ => false,
    };
    expect_bool(output, got)
}

fn case_batch_verify(input: &Value, output: &Value) -> Result<(), String> {
    let msgs = hex_list(field(input, "messages")?)?;
    let sigs = hex_list(field(input, "signatures")?)?;
    let parsed = keys(field(input, "pubkeys")?)?.and_then(|pks| {
        let sigs = sigs
            .iter()
            .map(|b| Signature::from_bytes(b))
            .collect::<Result<Vec<_>, _>>()?;
        if pks.len() != msgs.len() || pks.len() != sigs.len() {
            return Err(BlsError::LengthMismatch {
                left: pks.len(),
                right: sigs.len(),
            });
        }
        Ok(pks
            .into_iter()
            .zip(&msgs)
            .zip(sigs)
            .map(|((pk, m), s)| SignatureSet::new(pk, m, s))
            .collect::<Vec<_>>())
    });
    let got = match parsed {
        Ok(sets) => batch_verify(&sets, &BATCH_SEED),
        Err(_) => false,
    };
    expect_bool(output, got)
}

/// Parses `"0x<c0>,0x<c1>"` into two 48-byte big-endian coordinates.
fn fq2_pair(v: &Value) -> Result<[Vec<u8>; 2], String> {
    let s = v
        .as_str()
        .ok_or_else(|| format!("expected \"c0,c1\", got {v}"))?;
    let (c0, c1) = s
        .split_once(',')
        .ok_or_else(|| format!("expected \"c0,c1\", got {s:?}"))?;
    let pad = |h: &str| -> Result<Vec<u8>, String> {
        let h = h.trim();
        let h = h.strip_prefix("0x").unwrap_or(h);
        if h.len() > 96 {
            return Err(format!("coordinate too long: {h:?}"));
        }
        unhex(&format!("{h:0>96}"))
    };
    Ok([pad(c0)?, pad(c1)?])
}

fn case_hash_to_g2(input: &Value, output: &Value) -> Result<(), String> {
    use ark_ec::AffineRepr;
    let msg = field(input, "msg")?.as_str().ok_or("msg is not a string")?;
    let p = hash_to_g2(msg.as_bytes(), HASH_TO_G2_DST).map_err(|e| e.to_string())?;
    let (x, y) = p.xy().ok_or("hashed to the identity")?;
    let got_x = [bls::fq_bytes(&x.c0).to_vec(), bls::fq_bytes(&x.c1).to_vec()];
    let got_y = [bls::fq_bytes(&y.c0).to_vec(), bls::fq_bytes(&y.c1).to_vec()];
    let want_x = fq2_pair(field(output, "x")?)?;
    let want_y = fq2_pair(field(output, "y")?)?;
    if got_x == want_x && got_y == want_y {
        Ok(())
    } else {
        Err(format!(
            "expected x={}, y={}; got x=0x{},0x{} y=0x{},0x{}",
            output["x"],
            output["y"],
            hex::encode(&got_x[0]),
            hex::encode(&got_x[1]),
            hex::encode(&got_y[0]),
            hex::encode(&got_y[1]),
        ))
    }
}

fn case_deserialization_g1(input: &Value, output: &Value) -> Result<(), String> {
    // A point-decoding test: the identity is a valid G1 point here, even
    // though it is not a valid public key.
    let bytes = hex_str(field(input, "pubkey")?)?;
    expect_bool(output, bls::decode_g1(&bytes).is_ok())
}

fn case_deserialization_g2(input: &Value, output: &Value) -> Result<(), String> {
    let bytes = hex_str(field(input, "signature")?)?;
    expect_bool(output, Signature::from_bytes(&bytes).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::SuiteStatus;

    #[test]
    fn public_vectors_pass() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/bls");
        let reports = run(&dir);
        assert_eq!(reports.len(), 9, "one report per handler");
        for r in &reports {
            assert_eq!(r.status, SuiteStatus::Ran, "{} should be supported", r.name);
            assert!(r.failures.is_empty(), "{}: {:?}", r.name, r.failures);
            assert!(r.passed > 0, "{} ran no case", r.name);
        }
    }

    #[test]
    fn unknown_handlers_are_unsupported() {
        assert!(handler("map_fp_to_G1").is_none());
        assert!(handler("sign").is_some());
    }
}
