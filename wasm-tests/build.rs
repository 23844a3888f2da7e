//! Embeds public conformance vectors for the browser tests, which have no
//! file system: every `bls/` case and the small `verify_cell_kzg_proof_batch`
//! cases of `../vectors` (see its README for sources), as
//! `$OUT_DIR/vectors.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// KZG cases above this size (the three 550 KB full-blob cases) stay native-only.
const MAX_KZG_CASE: u64 = 64 * 1024;

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    out.sort();
    out
}

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("../vectors");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut bls = String::new();
    for suite in sorted(&root.join("bls")).into_iter().filter(|p| p.is_dir()) {
        let name = suite.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        for case in sorted(&suite).into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            let _ = writeln!(bls, "    ({name:?}, {:?}, include_str!({:?})),", case.file_name().unwrap_or_default(), case.display());
        }
    }
    let mut kzg = String::new();
    let cells = root.join("kzg/verify_cell_kzg_proof_batch/kzg-mainnet");
    for case in sorted(&cells).into_iter().filter(|p| p.is_dir()) {
        let data = case.join("data.yaml");
        if fs::metadata(&data).map(|m| m.len()).unwrap_or(u64::MAX) <= MAX_KZG_CASE {
            let _ = writeln!(kzg, "    ({:?}, include_str!({:?})),", case.file_name().unwrap_or_default(), data.display());
        }
    }
    let setup = root.join("kzg/trusted_setup.txt");
    let code = format!(
        "/// `(handler, file, JSON)` of every `bls/` vector.\npub const BLS: &[(&str, &str, &str)] = &[\n{bls}];\n\
         /// `(case, data.yaml)` of the small `verify_cell_kzg_proof_batch` vectors.\npub const KZG_CELLS: &[(&str, &str)] = &[\n{kzg}];\n\
         /// The ceremony setup the KZG vectors use.\npub const TRUSTED_SETUP: &str = include_str!({:?});\n",
        setup.display()
    );
    fs::write(Path::new(&env::var("OUT_DIR").expect("cargo sets it")).join("vectors.rs"), code).expect("OUT_DIR is writable");
}
