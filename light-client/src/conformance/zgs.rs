//! Runner for the `zgs/` vectors: 0G storage file roots and submissions.
//!
//! `roots.json` lists entries `{file, generator, size, sha256, root, length,
//! nodes}` (format in `vectors/README.md`). For each entry the input is read
//! from `file` and, when a `generator` is named, also rebuilt from it; every
//! input must have the listed size and SHA-256 before its root is compared, so
//! a corrupted fixture fails loudly instead of passing against wrong bytes.
//! Inputs are streamed through [`FileRootBuilder`] in blocks, so large
//! generated entries never sit in memory whole.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{SuiteReport, unhex};
use crate::storage::{FileCommitment, FileRootBuilder};

/// The block size inputs are generated and read in.
const BLOCK: usize = 1 << 16;

/// Runs every `zgs` suite under `dir`.
pub fn run(dir: &Path) -> Vec<SuiteReport> {
    let mut report = SuiteReport::ran("zgs/roots");
    let list = dir.join("roots.json");
    let entries = match std::fs::read_to_string(&list)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<Vec<Value>>(&text).map_err(|e| e.to_string()))
    {
        Ok(entries) => entries,
        Err(reason) => {
            report.record(
                Path::new("zgs/roots.json"),
                Err(format!("cannot read the list: {reason}")),
            );
            return vec![report];
        }
    };
    for (i, entry) in entries.iter().enumerate() {
        let name = entry
            .get("file")
            .and_then(Value::as_str)
            .map_or_else(|| format!("#{i}"), str::to_owned);
        let case = Path::new("zgs/roots.json").join(name);
        report.record(&case, check_entry(dir, entry));
    }
    vec![report]
}

/// Streams the bytes of a generated input of `size` bytes to `sink`, in blocks.
///
/// Rules (from `vectors/README.md`): `i*31+7 mod 256` sets byte `i` to
/// `(31 i + 7) mod 256`; `sha256-ctr` concatenates `SHA-256(u64_le(k))` for
/// `k = 0, 1, ...`, cut to `size`.
pub fn generate(rule: &str, size: u64, mut sink: impl FnMut(&[u8])) -> Result<(), String> {
    let mut block = vec![0u8; BLOCK];
    let mut offset = 0u64;
    while offset < size {
        let len = (size - offset).min(BLOCK as u64) as usize;
        let block = &mut block[..len];
        match rule {
            "i*31+7 mod 256" => {
                for (j, byte) in block.iter_mut().enumerate() {
                    // Only the low 8 bits of i matter modulo 256.
                    *byte = ((offset + j as u64) as u8).wrapping_mul(31).wrapping_add(7);
                }
            }
            "sha256-ctr" => {
                // BLOCK is a multiple of 32, so every block starts on a digest boundary.
                let first = offset / 32;
                for (k, out) in block.chunks_mut(32).enumerate() {
                    let digest = Sha256::digest((first + k as u64).to_le_bytes());
                    out.copy_from_slice(&digest[..out.len()]);
                }
            }
            other => return Err(format!("unknown generator {other:?}")),
        }
        sink(block);
        offset += len as u64;
    }
    Ok(())
}

/// Streams the file at `path` to `sink`, in blocks.
fn read_file(path: &Path, mut sink: impl FnMut(&[u8])) -> Result<(), String> {
    let mut file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut block = vec![0u8; BLOCK];
    loop {
        let n = match file.read(&mut block) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        sink(&block[..n]);
    }
}

/// Feeds one input to a fresh builder and a SHA-256, and checks size and hash.
fn commit(
    source: &str,
    size: u64,
    sha256: &[u8],
    feed: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<(), String>,
) -> Result<FileCommitment, String> {
    let mut builder = FileRootBuilder::new();
    let mut hasher = Sha256::new();
    feed(&mut |bytes: &[u8]| {
        builder.update(bytes);
        hasher.update(bytes);
    })?;
    if builder.len() != size {
        return Err(format!(
            "{source}: {} bytes, expected {size}",
            builder.len()
        ));
    }
    if hasher.finalize().as_slice() != sha256 {
        return Err(format!("{source}: sha256 differs from the listed one"));
    }
    builder.finish().map_err(|e| format!("{source}: {e}"))
}

fn check_entry(dir: &Path, entry: &Value) -> Result<(), String> {
    let size = entry
        .get("size")
        .and_then(Value::as_u64)
        .ok_or("missing size")?;
    let sha256 = unhex(
        entry
            .get("sha256")
            .and_then(Value::as_str)
            .ok_or("missing sha256")?,
    )?;
    let expected: FileCommitment = serde_json::from_value(serde_json::json!({
        "root": entry.get("root"),
        "length": entry.get("length"),
        "nodes": entry.get("nodes"),
    }))
    .map_err(|e| format!("bad expected root, length or nodes: {e}"))?;

    let mut got = Vec::new();
    if let Some(file) = entry.get("file").and_then(Value::as_str) {
        let path = dir.join(file);
        got.push(commit("file", size, &sha256, |sink| {
            read_file(&path, sink)
        })?);
    }
    if let Some(rule) = entry.get("generator").and_then(Value::as_str) {
        got.push(commit("generator", size, &sha256, |sink| {
            generate(rule, size, sink)
        })?);
    }
    if got.is_empty() {
        return Err("entry has neither file nor generator".into());
    }
    for commitment in got {
        if commitment.root != expected.root {
            return Err(format!(
                "root {} != expected {}",
                commitment.root, expected.root
            ));
        }
        if commitment.length != expected.length {
            return Err(format!(
                "length {} != expected {}",
                commitment.length, expected.length
            ));
        }
        if commitment.nodes != expected.nodes {
            return Err(format!(
                "nodes {:?} != expected {:?}",
                commitment.nodes, expected.nodes
            ));
        }
    }
    Ok(())
}
