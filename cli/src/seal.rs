//! `aloft seal --to PUBKEY` and `aloft unseal --key FILE`: ECIES on secp256k1
//! in the `ecies`/`eciesjs` byte format (see `aloft_light_client::inft`).
//!
//! Both read stdin and write stdout as raw bytes, so they compose with files
//! and pipes: `aloft seal --to 0x02.. < data.key > data.key.sealed`. Errors go
//! to stderr with the reason (bad public key, wrong key, truncated input) and
//! a non-zero exit; nothing is written to stdout then.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use aloft_light_client::inft::{self, PublicKey, SecretKey};
use anyhow::{Context, bail};

/// The most stdin a seal or unseal reads: seals carry keys, not files.
const MAX_INPUT: u64 = 16 << 20;

fn read_stdin() -> anyhow::Result<Vec<u8>> {
    let mut input = Vec::new();
    std::io::stdin()
        .take(MAX_INPUT + 1)
        .read_to_end(&mut input)
        .context("cannot read stdin")?;
    if input.len() as u64 > MAX_INPUT {
        bail!("stdin is larger than {} MiB; seal a data key, not the data", MAX_INPUT >> 20);
    }
    Ok(input)
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).context("cannot write stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// Hex with or without `0x`, surrounding whitespace ignored.
fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    hex::decode(t.strip_prefix("0x").unwrap_or(t)).ok()
}

/// `aloft seal --to PUBKEY`.
pub fn seal(to: &str) -> anyhow::Result<ExitCode> {
    let bytes = parse_hex(to).with_context(|| format!("bad public key {to:?}: not hex"))?;
    let key = PublicKey::from_bytes(&bytes).context("bad public key")?;
    let plaintext = read_stdin()?;
    let mut ephemeral = [0u8; 32];
    let mut nonce = [0u8; 16];
    loop {
        getrandom::fill(&mut ephemeral).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
        getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
        match inft::seal(&key, &plaintext, &ephemeral, &nonce) {
            // A 32-byte draw outside 1..n happens with probability ~2^-128; draw again.
            Err(inft::EciesError::BadEphemeralSecret) => continue,
            sealed => return write_stdout(&sealed?),
        }
    }
}

/// `aloft unseal --key FILE`: FILE holds the secret key as 64 hex digits (optional `0x`) or 32 raw bytes.
pub fn unseal(key_file: &Path) -> anyhow::Result<ExitCode> {
    let raw = std::fs::read(key_file).with_context(|| format!("cannot read key file {}", key_file.display()))?;
    let secret = std::str::from_utf8(&raw)
        .ok()
        .and_then(parse_hex)
        .filter(|b| b.len() == 32)
        .unwrap_or(raw);
    let secret = SecretKey::from_bytes(&secret)
        .with_context(|| format!("bad key file {}: expected a secp256k1 secret key (64 hex digits or 32 bytes)", key_file.display()))?;
    let sealed = read_stdin()?;
    let plaintext = inft::open(&secret, &sealed).context("cannot unseal stdin")?;
    write_stdout(&plaintext)
}
