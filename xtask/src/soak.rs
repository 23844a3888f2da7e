//! `cargo xtask soak --blocks N [--block-ms MS]`: builds the `aloft` CLI and
//! the devnet's `soak` example (`devnet/examples/soak/`) and runs it: a
//! devnet with every misbehaviour switch cycling while a native light client
//! syncs, DA blocks are sampled and files uploaded; its last line is one JSON
//! report and its exit status says whether every check held.

use crate::util::{self, Result, err, step};

/// Builds and runs the soak.
pub fn run(blocks: u64, block_ms: u64) -> Result {
    step("building the aloft CLI and the soak");
    util::exec(util::cargo().args(["build", "--release", "-p", "aloft-cli"]))?;
    util::exec(util::cargo().args(["build", "--release", "-p", "aloft-devnet", "--example", "soak"]))?;
    let root = util::root();
    step(&format!("soak: {blocks} blocks of {block_ms} ms"));
    let ok = util::run_streaming(
        std::process::Command::new(root.join("target/release/examples/soak"))
            .args(["--blocks", &blocks.to_string(), "--block-ms", &block_ms.to_string(), "--aloft"])
            .arg(root.join("target/release/aloft"))
            .current_dir(&root),
        |_| {},
    )?;
    if ok { Ok(()) } else { Err(err("the soak found a failure (see the report's fields)")) }
}
