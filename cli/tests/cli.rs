//! End-to-end tests of the `aloft` binary: each runs the built executable the
//! way a user or a script would. New CLI tests go in this file, one section per
//! subcommand, so the crate keeps a single integration-test binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn aloft(args: &[&std::ffi::OsStr]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_aloft"))
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(e) => panic!("cannot run aloft: {e}"),
    }
}

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/zgs")
}

// ---- aloft root ----

/// Every entry of `vectors/zgs/roots.json` (generated ones rebuilt into a temp
/// file when no file is listed) gives the listed root, length and nodes.
#[test]
fn root_matches_the_zgs_vectors() -> Result<(), Box<dyn std::error::Error>> {
    let list: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(vectors().join("roots.json"))?)?;
    assert!(!list.is_empty());
    for (i, entry) in list.iter().enumerate() {
        let path = match entry["file"].as_str() {
            Some(file) => vectors().join(file),
            None => {
                let rule = entry["generator"]
                    .as_str()
                    .ok_or("entry without file or generator")?;
                let size = entry["size"].as_u64().ok_or("entry without size")?;
                let mut bytes = Vec::new();
                aloft_light_client::conformance::zgs::generate(rule, size, |b| {
                    bytes.extend_from_slice(b)
                })?;
                let path =
                    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("zgs-generated-{i}.bin"));
                std::fs::write(&path, bytes)?;
                path
            }
        };
        let output = aloft(&["root".as_ref(), path.as_os_str()]);
        let stdout = String::from_utf8(output.stdout)?;
        assert!(
            output.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(stdout.lines().count(), 1, "exactly one JSON line: {stdout}");
        let got: Value = serde_json::from_str(&stdout)?;
        assert_eq!(got["root"], entry["root"], "{}", path.display());
        assert_eq!(got["length"], entry["length"], "{}", path.display());
        assert_eq!(got["nodes"], entry["nodes"], "{}", path.display());
        assert_eq!(
            got.as_object().map(|o| o.len()),
            Some(3),
            "only root, length and nodes: {stdout}"
        );
    }
    Ok(())
}

#[test]
fn root_of_an_empty_file_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zgs-empty.bin");
    std::fs::write(&path, b"")?;
    let output = aloft(&["root".as_ref(), path.as_os_str()]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8(output.stderr)?.contains("is empty"));
    Ok(())
}

#[test]
fn root_of_a_missing_file_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
    let path = vectors().join("no-such-file.bin");
    let output = aloft(&["root".as_ref(), path.as_os_str()]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8(output.stderr)?.contains("cannot open"));
    Ok(())
}

#[test]
fn root_of_a_directory_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
    let output = aloft(&["root".as_ref(), vectors().as_os_str()]);
    assert!(!output.status.success());
    assert!(String::from_utf8(output.stderr)?.contains("directory"));
    Ok(())
}
