//! `aloft root FILE`: the 0G storage root and flow submission nodes of a file.
//!
//! Prints one JSON object, `{"root":"0x..","length":N,"nodes":[{"height":h,"root":"0x.."}]}`,
//! the same numbers `ZgFile.merkleTree()` and `createSubmission()` give in
//! 0g-ts-sdk. The file is streamed through a fixed buffer into
//! [`FileRootBuilder`], so memory stays constant whatever the file size.
//!
//! An empty file is an error, as in the Go client (`core.Open` returns
//! "file is empty"): 0G has no root for zero bytes (the TS SDK returns a null
//! tree) and the flow contract rejects a submission without nodes.

use std::fs::File;
use std::io::{BufRead, BufReader, ErrorKind};
use std::path::Path;
use std::process::ExitCode;

use aloft_light_client::storage::{FileRootBuilder, StorageError};
use anyhow::{Context, bail};

/// Bytes read per system call.
const READ_BUFFER: usize = 1 << 20;

/// Prints the file root of `file`.
pub fn run(file: &Path) -> anyhow::Result<ExitCode> {
    let handle = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let metadata = handle
        .metadata()
        .with_context(|| format!("cannot stat {}", file.display()))?;
    if metadata.is_dir() {
        bail!("{} is a directory, not a file", file.display());
    }
    let mut reader = BufReader::with_capacity(READ_BUFFER, handle);
    let mut builder = FileRootBuilder::new();
    loop {
        let buf = match reader.fill_buf() {
            Ok([]) => break,
            Ok(buf) => buf,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        };
        builder.update(buf);
        let n = buf.len();
        reader.consume(n);
    }
    let commitment = match builder.finish() {
        Ok(commitment) => commitment,
        Err(StorageError::EmptyFile) => {
            bail!(
                "{} is empty: 0G storage cannot store an empty file, so it has no root",
                file.display()
            )
        }
        Err(e) => {
            return Err(e).with_context(|| format!("cannot compute the root of {}", file.display()));
        }
    };
    println!("{}", serde_json::to_string(&commitment)?);
    Ok(ExitCode::SUCCESS)
}
