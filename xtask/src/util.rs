//! Process helpers shared by every xtask command.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// An xtask failure, said in words for the person at the terminal.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error(err.to_string())
    }
}

/// Result of an xtask step.
pub type Result<T = ()> = std::result::Result<T, Error>;

/// Builds an [`Error`] from anything printable.
pub fn err(message: impl Into<String>) -> Error {
    Error(message.into())
}

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Prints a step heading.
pub fn step(what: &str) {
    println!("==> {what}");
}

/// Runs `cmd` inheriting stdio; fails with the command line if it fails.
pub fn exec(cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .map_err(|e| err(format!("could not start {}: {e}", describe(cmd))))?;
    if status.success() {
        Ok(())
    } else {
        Err(err(format!("{} failed ({status})", describe(cmd))))
    }
}

/// Runs `cmd` and returns its stdout, or an error with its stderr.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .map_err(|e| err(format!("could not start {}: {e}", describe(cmd))))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(err(format!(
            "{} failed ({}): {}",
            describe(cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// Runs `cmd`, echoing every stdout line as it comes and handing it to `on_line`.
/// Returns whether the command succeeded; stderr passes straight through.
pub fn run_streaming(cmd: &mut Command, mut on_line: impl FnMut(&str)) -> Result<bool> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| err(format!("could not start {}: {e}", describe(cmd))))?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            on_line(&line);
        }
    }
    Ok(child.wait()?.success())
}

/// The lock every run that binds the devnet's default ports holds, so two
/// such runs (tests, bench, screenshots) never overlap.
pub const E2E_LOCK: &str = "/tmp/aloft-e2e.lock";

/// `node`, run under [`E2E_LOCK`] when `flock` is there.
pub fn node_under_e2e_lock() -> Command {
    if have("flock") {
        let mut c = Command::new("flock");
        c.arg(E2E_LOCK).arg("node");
        c
    } else {
        Command::new("node")
    }
}

/// Whether an executable is on PATH (or is an existing path).
pub fn have(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// `cargo`, as the one that runs us.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

/// Copies a directory tree (files only; created as needed).
pub fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// A 64-bit FNV-1a hash, for stamps that say "this input was already installed".
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
