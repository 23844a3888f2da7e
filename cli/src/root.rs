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

/// Feeds every byte of `handle` (opened from `file`, named in errors) to
/// `sink` through one fixed buffer, so memory stays constant whatever the
/// file size. Shared by `aloft root` and `aloft upload`.
pub fn stream(handle: File, file: &Path, mut sink: impl FnMut(&[u8])) -> anyhow::Result<()> {
    let mut reader = BufReader::with_capacity(READ_BUFFER, handle);
    loop {
        let buf = match reader.fill_buf() {
            Ok([]) => return Ok(()),
            Ok(buf) => buf,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        };
        sink(buf);
        let n = buf.len();
        reader.consume(n);
    }
}

/// Prints the file root of `file`.
pub fn run(file: &Path) -> anyhow::Result<ExitCode> {
    let handle = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let metadata = handle
        .metadata()
        .with_context(|| format!("cannot stat {}", file.display()))?;
    if metadata.is_dir() {
        bail!("{} is a directory, not a file", file.display());
    }
    let mut builder = FileRootBuilder::new();
    stream(handle, file, |buf| builder.update(buf))?;
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
