//! `cargo xtask build`: native binaries, then the wasm packages into `dist/`.
//!
//! 1. Native: the devnet and the `aloft` CLI, release profile (tests share it).
//! 2. Wasm: `aloft-light-client` (the verifier web apps embed),
//!    `aloft-extension` (the wallet engine) and `aloft-ui` (the wallet's
//!    Leptos UI) with the `wasm-release` profile.
//! 3. `wasm-bindgen --target web`, then `wasm-opt -O3` on each `.wasm`.
//! 4. `dist/www/` = `www/` + `pkg/` (verifier ES module, `.wasm`, `.d.ts`);
//!    `dist/extension/` = `manifest.json` + `extension/static/` + the engine
//!    (`engine/`) + the UI (`ui/`, with `ui/style/`), loadable unpacked.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, Result, copy_dir, err, exec, step};

/// One wasm crate and where its bindings go.
struct WasmPackage {
    /// Cargo package name.
    package: &'static str,
    /// The `.wasm` file cargo writes (crate name with underscores).
    artifact: &'static str,
    /// Output directory relative to the workspace root.
    out_dir: &'static str,
    /// Whether to emit TypeScript declarations (the embeddable API has them).
    typescript: bool,
}

/// binaryen's wasm-opt, installed by `cargo xtask setup` from the npm registry.
pub const WASM_OPT: &str = "wasm-tests/e2e/node_modules/.bin/wasm-opt";

const PACKAGES: &[WasmPackage] = &[
    WasmPackage {
        package: "aloft-light-client",
        artifact: "aloft_light_client",
        out_dir: "dist/www/pkg",
        typescript: true,
    },
    WasmPackage {
        package: "aloft-extension",
        artifact: "aloft_extension",
        out_dir: "dist/extension/engine",
        typescript: false,
    },
    WasmPackage { package: "aloft-ui", artifact: "aloft_ui", out_dir: "dist/extension/ui", typescript: false },
];

/// Entry point of `cargo xtask build` (run after setup).
pub fn run() -> Result {
    let root = util::root();
    step("build: native (devnet, aloft CLI)");
    exec(util::cargo().args(["build", "--release", "-p", "aloft-devnet", "-p", "aloft-cli"]))?;

    step("build: wasm (light client, extension engine)");
    let mut cargo = util::cargo();
    cargo.args(["build", "--profile", "wasm-release", "--target", "wasm32-unknown-unknown"]);
    for pkg in PACKAGES {
        cargo.args(["-p", pkg.package]);
    }
    exec(&mut cargo)?;

    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist)?;
    }
    step("build: assemble dist/www and dist/extension");
    copy_dir(&root.join("www"), &dist.join("www"))?;
    copy_dir(&root.join("extension/static"), &dist.join("extension"))?;
    std::fs::copy(root.join("manifest.json"), dist.join("extension/manifest.json"))?;
    copy_dir(&root.join("ui/style"), &dist.join("extension/ui"))?;

    let target = root.join("target/wasm32-unknown-unknown/wasm-release");
    for pkg in PACKAGES {
        step(&format!("build: wasm-bindgen + wasm-opt for {}", pkg.package));
        let wasm = target.join(format!("{}.wasm", pkg.artifact));
        let out = root.join(pkg.out_dir);
        bindgen(&wasm, &out, pkg.typescript)?;
        optimize(&out.join(format!("{}_bg.wasm", pkg.artifact)))?;
    }
    // The full-page wallet's storage and agents bridges (extension/static/
    // storage-bridge.js, agents-bridge.js) move bytes over WebRTC with the
    // site's storage module and verifier package.
    copy_dir(&dist.join("www/pkg"), &dist.join("extension/pkg"))?;
    std::fs::create_dir_all(dist.join("extension/storage"))?;
    for file in ["aloft-storage.js", "opfs-writer.js"] {
        std::fs::copy(root.join("www/storage").join(file), dist.join("extension/storage").join(file))?;
    }
    for pkg in PACKAGES {
        let file = root.join(pkg.out_dir).join(format!("{}_bg.wasm", pkg.artifact));
        let size = std::fs::metadata(&file)?.len();
        println!("build: {} {} bytes", relative(&root, &file).display(), size);
    }
    Ok(())
}

pub(crate) fn bindgen(wasm: &Path, out: &Path, typescript: bool) -> Result {
    let mut cmd = Command::new("wasm-bindgen");
    cmd.arg("--target").arg("web").arg("--out-dir").arg(out).arg(wasm);
    if !typescript {
        cmd.arg("--no-typescript");
    }
    exec(&mut cmd)
}

/// Runs wasm-opt in place. The features listed are the ones rustc's wasm32
/// target enables by default.
///
/// The wasm-opt is binaryen's from the npm registry, pinned in
/// `wasm-tests/e2e/package.json`: Debian's binaryen 108 rewrites the
/// externref table wasm-bindgen sets up, and the module then fails to start
/// in Chromium with "WebAssembly.Table.set(): Argument 1 is invalid for table".
pub(crate) fn optimize(wasm: &Path) -> Result {
    let tmp = wasm.with_extension("opt.wasm");
    exec(Command::new(util::root().join(WASM_OPT))
        .args(["-O3", "--strip-debug"])
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(&tmp))
    .map_err(|e| err(format!("{e}\n(wasm-opt comes from npm's binaryen: `cargo xtask setup`)")))?;
    std::fs::rename(&tmp, wasm)?;
    Ok(())
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
