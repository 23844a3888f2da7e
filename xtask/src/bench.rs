//! `cargo xtask bench [--json FILE] [--quick]`: Aloft's operations next to the
//! field's baselines, natively and in headless Chromium, in one run.
//!
//! Why it is shaped this way:
//! - **Same inputs everywhere.** The native runner (`bench/native`, its own
//!   cargo project so the workspace never compiles blst or c-kzg) writes the
//!   fixtures once (`target/bench/web/fixtures.json`); the browser page and
//!   every baseline check exactly those bytes, and every timed call checks
//!   its answer.
//! - **Baselines from their registries at bench time.** blst and c-kzg come
//!   from crates.io through `bench/native/Cargo.toml`; the JS/WASM libraries
//!   (`@noble/curves`, `@chainsafe/bls` + herumi, `kzg-wasm`,
//!   `@0glabs/0g-ts-sdk`) from npm through `wasm-tests/bench/package-lock.json`,
//!   bundled by esbuild for the page. Exact versions are pinned; nothing is
//!   committed but the manifests.
//! - **Medians of repetitions after a warm-up**, min and max beside them, and
//!   ratios to each baseline of the same operation, because this 2-core
//!   machine is shared and noisy: targets are ratios of medians in one run.
//!
//! Runners print `BENCH\top\timpl\tenv\tms,ms,…` and `NOTE\tkey\tvalue`
//! lines; this module turns them into the table, the target verdicts and the
//! `--json` rows. It is never part of `cargo xtask test` (no timed tests).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{self, Result, err, exec, step};
use crate::{build, setup};

/// Options of `cargo xtask bench`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Where to write the JSON rows.
    pub json: Option<PathBuf>,
    /// Fewer repetitions and a shorter chain for the memory row.
    pub quick: bool,
    /// Sections to run (`bls`, `kzg`, `storage`, `system`, `popup`, `bigfile`); empty runs all.
    pub only: Vec<String>,
}

/// The sections `--only` accepts.
const SECTIONS: [&str; 6] = ["bls", "kzg", "storage", "system", "popup", "bigfile"];

/// Sections run only when named: `bigfile` moves a 2 GiB file three times
/// (~7 minutes), which would take the whole run past its 15 minutes.
const ON_REQUEST: [&str; 1] = ["bigfile"];

impl Options {
    fn wants(&self, section: &str) -> bool {
        (self.only.is_empty() && !ON_REQUEST.contains(&section)) || self.only.iter().any(|s| s == section)
    }

    /// The `--only=…` argument for the runners (none when running everything).
    fn only_arg(&self) -> Vec<String> {
        if self.only.is_empty() { vec![] } else { vec![format!("--only={}", self.only.join(","))] }
    }
}

/// Parses the arguments after `bench`.
pub fn parse(args: &[String]) -> std::result::Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--json" => o.json = Some(it.next().ok_or("--json needs a FILE")?.into()),
            "--only" => {
                for section in it.next().ok_or("--only needs SECTION[,SECTION]")?.split(',') {
                    if !SECTIONS.contains(&section) {
                        return Err(format!("unknown bench section {section:?} (one of {})", SECTIONS.join(", ")));
                    }
                    o.only.push(section.to_string());
                }
            }
            other => return Err(format!("unexpected argument to bench: {other:?}")),
        }
    }
    Ok(o)
}

/// One timed row: samples in ms.
#[derive(Debug, Clone)]
struct Row {
    op: String,
    imp: String,
    env: String,
    samples: Vec<f64>,
}

impl Row {
    fn median(&self) -> f64 {
        let mut s = self.samples.clone();
        s.sort_by(f64::total_cmp);
        let n = s.len();
        if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }
    }
    fn min(&self) -> f64 {
        self.samples.iter().copied().fold(f64::INFINITY, f64::min)
    }
    fn max(&self) -> f64 {
        self.samples.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Everything the runners reported.
#[derive(Debug, Default)]
struct Report {
    rows: Vec<Row>,
    notes: BTreeMap<String, String>,
}

impl Report {
    fn take_line(&mut self, line: &str) {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["BENCH", op, imp, env, samples] => self.rows.push(Row {
                op: op.to_string(),
                imp: imp.to_string(),
                env: env.to_string(),
                samples: samples.split(',').filter_map(|s| s.parse().ok()).collect(),
            }),
            ["NOTE", key, value] => {
                self.notes.insert(key.to_string(), value.to_string());
            }
            _ => {}
        }
    }

    fn median(&self, op: &str, imp: &str, env: &str) -> Option<f64> {
        self.rows.iter().find(|r| r.op == op && r.imp == imp && r.env == env).map(Row::median)
    }

    fn note(&self, key: &str) -> Option<f64> {
        self.notes.get(key).and_then(|v| v.trim_matches('"').parse().ok())
    }
}

/// Runs `cmd`, feeding its stdout lines to `report` and echoing a one-line
/// summary of each timed row; stderr (progress) passes through.
fn run_runner(cmd: &mut Command, report: &mut Report, what: &str) -> Result {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| err(format!("could not start the {what} runner: {e}")))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line?;
            report.take_line(&line);
            if let Some(r) = report.rows.last().filter(|_| line.starts_with("BENCH")) {
                println!("  {:<22} {:<17} {:<9} {:>10.3} ms (n={})", r.op, r.imp, r.env, r.median(), r.samples.len());
            } else if line.starts_with("NOTE") {
                println!("  {}", line.replacen("NOTE\t", "note ", 1).replace('\t', " = "));
            }
        }
    }
    if child.wait()?.success() { Ok(()) } else { Err(err(format!("the {what} runner failed (see above)"))) }
}

/// `cargo xtask bench`.
pub fn run(o: &Options) -> Result {
    let started = std::time::Instant::now();
    let root = util::root();
    let out = root.join("target/bench");
    let web = out.join("web");
    setup::run()?;
    if o.wants("system") || o.wants("popup") || o.wants("bigfile") {
        build::run()?;
    }

    step("bench: baselines from npm (wasm-tests/bench) and the bench page");
    setup::npm_ci("wasm-tests/bench", "the browser baselines")?;
    prepare_web(&root, &web)?;

    let mut report = Report::default();
    let crypto = ["bls", "kzg", "storage"].iter().any(|s| o.wants(s));
    let mut quick: Vec<String> = if o.quick { vec!["--quick".into()] } else { vec![] };
    quick.extend(o.only_arg());
    let driver = root.join("wasm-tests/bench/run.mjs");
    if crypto {
        crypto_sections(&root, &web, &out, &driver, &quick, &mut report)?;
    }

    if o.wants("system") {
        step("bench: sizes, cold start and memory against the devnet (under /tmp/aloft-e2e.lock)");
        run_runner(util::node_under_e2e_lock().arg(&driver).arg("system").arg(&web).args(&quick), &mut report, "system")?;
    }

    if o.wants("popup") {
        step("bench: popup open → balance, packaged extension against the devnet (under /tmp/aloft-e2e.lock)");
        run_runner(&mut popup_runner(&root, o.quick), &mut report, "popup")?;
    }

    if o.wants("bigfile") {
        step("bench: root, upload and download of a 2 GiB file, memory of Chromium and the peers (under /tmp/aloft-e2e.lock)");
        let mut c = util::node_under_e2e_lock();
        c.arg(root.join("wasm-tests/bench/bigfile.mjs"));
        if o.quick {
            c.arg("--quick");
        }
        run_runner(&mut c, &mut report, "bigfile")?;
    }

    let table = render(&report);
    println!("\n{table}");
    let verdicts = targets(&report);
    println!("{verdicts}");
    println!("machine: {}", machine());
    println!("bench took {:.0} s", started.elapsed().as_secs_f64());
    if let Some(path) = &o.json {
        std::fs::write(path, json(&report))?;
        println!("rows written to {}", path.display());
    }
    Ok(())
}

/// The bench build of the verifier crate, the native runner, the fixtures,
/// then the native and the Chromium rows (sections bls, kzg, storage).
fn crypto_sections(root: &Path, web: &Path, out: &Path, driver: &Path, quick: &[String], report: &mut Report) -> Result {
    step("bench: the bench build of the verifier crate for wasm32");
    let mut cargo = util::cargo();
    cargo.args(["build", "--profile", "wasm-release", "--target", "wasm32-unknown-unknown", "-p", "aloft-light-client"]);
    exec(cargo.args(["--features", "bench"]))?;
    let wasm = root.join("target/wasm32-unknown-unknown/wasm-release/aloft_light_client.wasm");
    build::bindgen(&wasm, &web.join("pkg"), false)?;
    build::optimize(&web.join("pkg/aloft_light_client_bg.wasm"))?;

    step("bench: native runner (bench/native: Aloft, blst, c-kzg from crates.io)");
    let native_dir = root.join("bench/native");
    // Its own target dir: the verifier crate is also a cdylib, so cargo names
    // its rlib without a hash, and a shared dir would let the bench build
    // (feature `bench`) overwrite the workspace's (feature `conformance`).
    let native_target = out.join("native-target");
    exec(util::cargo().current_dir(&native_dir).args(["build", "--release", "--target-dir"]).arg(&native_target))?;
    let native = native_target.join("release/aloft-bench-native");
    let setup_txt = root.join("vectors/kzg/trusted_setup.txt");
    let fixtures = web.join("fixtures.json");
    if !fixtures.is_file() {
        step("bench: fixtures (keys, signatures, a 150-validator commit, a 1,000-header chain, 32 blobs' cells)");
        exec(Command::new(&native).arg("fixtures").arg(&fixtures).arg(&setup_txt))?;
    }
    std::fs::copy(&setup_txt, web.join("trusted_setup.txt"))?;

    step("bench: native");
    run_runner(Command::new(&native).arg("run").arg(&fixtures).arg(&setup_txt).args(quick), report, "native")?;

    step("bench: headless Chromium (Aloft and the JS/WASM baselines, same page)");
    run_runner(Command::new("node").arg(driver).arg("crypto").arg(web).args(quick), report, "Chromium")
}

/// `node wasm-tests/bench/popup.mjs`, under the e2e lock when `flock` is
/// there (it binds the devnet's default ports).
fn popup_runner(root: &Path, quick: bool) -> Command {
    let script = root.join("wasm-tests/bench/popup.mjs");
    let mut c = util::node_under_e2e_lock();
    c.arg(script);
    if quick {
        c.arg("--quick");
    }
    c
}

/// Copies the page, bundles the baselines with esbuild and puts kzg-wasm's
/// `.wasm` where its loader looks (`../wasm/kzg.wasm` from the bundle).
fn prepare_web(root: &Path, web: &Path) -> Result {
    let src = root.join("wasm-tests/bench");
    util::copy_dir(&src.join("page"), web)?;
    std::fs::create_dir_all(web.join("wasm"))?;
    std::fs::copy(src.join("node_modules/kzg-wasm/dist/wasm/kzg.wasm"), web.join("wasm/kzg.wasm"))?;
    exec(Command::new(src.join("node_modules/.bin/esbuild"))
        .arg(src.join("baselines.mjs"))
        .args(["--bundle", "--format=esm", "--platform=browser", "--target=es2022", "--log-level=warning"])
        // Node built-ins that kzg-wasm and the 0G SDK import for Node-only paths.
        .args(["fs", "path", "url", "node:crypto", "node:fs/promises"].map(|m| format!("--alias:{m}=./node-shim.cjs")))
        .current_dir(&src)
        .arg(format!("--outfile={}", web.join("lib/baselines.js").display())))
}

/// Which rows each Aloft row is compared with.
fn baselines_of<'a>(r: &Row, rows: &'a [Row]) -> Vec<&'a Row> {
    rows.iter()
        .filter(|b| b.op == r.op && !(b.imp == r.imp && b.env == r.env) && (b.imp != "aloft" || b.env == "native"))
        .collect()
}

fn render(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<22} {:<17} {:<9} {:>11} {:>11} {:>11} {:>3}  ratio of medians (this / other)",
        "op", "impl", "env", "median ms", "min ms", "max ms", "n"
    );
    let _ = writeln!(s, "{}", "-".repeat(120));
    let mut ops: Vec<&str> = Vec::new();
    for r in &report.rows {
        if !ops.contains(&r.op.as_str()) {
            ops.push(&r.op);
        }
    }
    for op in ops {
        for r in report.rows.iter().filter(|r| r.op == op) {
            let ratios: Vec<String> = if r.imp == "aloft" {
                baselines_of(r, &report.rows)
                    .iter()
                    .map(|b| format!("{:.2}× {}/{}", r.median() / b.median(), b.imp, b.env))
                    .collect()
            } else {
                Vec::new()
            };
            let _ = writeln!(
                s,
                "{:<22} {:<17} {:<9} {:>11.3} {:>11.3} {:>11.3} {:>3}  {}",
                r.op,
                r.imp,
                r.env,
                r.median(),
                r.min(),
                r.max(),
                r.samples.len(),
                ratios.join(", ")
            );
        }
    }
    let _ = writeln!(s, "\nnotes:");
    for (k, v) in &report.notes {
        let _ = writeln!(s, "  {k} = {v}");
    }
    s
}

/// One target: name, measured value, limit, whether lower is better.
struct Target {
    name: &'static str,
    value: Option<f64>,
    limit: f64,
    at_most: bool,
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

fn target_list(r: &Report) -> Vec<Target> {
    let chr = |op: &str, imp: &str| r.median(op, imp, "chromium");
    let nat = |op: &str, imp: &str| r.median(op, imp, "native");
    let t = |name, value, limit, at_most| Target { name, value, limit, at_most };
    vec![
        t("#3 FAV 150 keys, Chromium / blst native ≤ 4", ratio(chr("bls_fav_150", "aloft"), nat("bls_fav_150", "blst")), 4.0, true),
        t("#3 FAV 512 keys, Chromium / blst native ≤ 4", ratio(chr("bls_fav_512", "aloft"), nat("bls_fav_512", "blst")), 4.0, true),
        t("#3 FAV 150 keys, Aloft / @noble/curves ≤ 0.5", ratio(chr("bls_fav_150", "aloft"), chr("bls_fav_150", "noble")), 0.5, true),
        t("#3 FAV 512 keys, Aloft / @noble/curves ≤ 0.5", ratio(chr("bls_fav_512", "aloft"), chr("bls_fav_512", "noble")), 0.5, true),
        t("#3 FAV 150 keys, Aloft / @chainsafe/bls herumi ≤ 1", ratio(chr("bls_fav_150", "aloft"), chr("bls_fav_150", "chainsafe-herumi")), 1.0, true),
        t("#3 FAV 512 keys, Aloft / @chainsafe/bls herumi ≤ 1", ratio(chr("bls_fav_512", "aloft"), chr("bls_fav_512", "chainsafe-herumi")), 1.0, true),
        t("#3 commit check 150 / bare FAV 150, Chromium ≤ 1.2", ratio(chr("commit_check_150", "aloft"), chr("bls_fav_150", "aloft")), 1.2, true),
        t("#3 commit check 150 / bare FAV 150, native ≤ 1.2", ratio(nat("commit_check_150", "aloft"), nat("bls_fav_150", "aloft")), 1.2, true),
        t("#3 skipping sync 1,000 headers: commits verified ≤ 20", r.note("skipping_sync_1000_commits"), 20.0, true),
        t("#6 KZG 16×32 cells, Chromium / c-kzg native ≤ 4", ratio(chr("kzg_verify_16x32", "aloft"), nat("kzg_verify_16x32", "c-kzg")), 4.0, true),
        t("#6 KZG verifier cold start in Chromium ≤ 1000 ms (first call)", r.note("kzg_cold_verifier_ms"), 1000.0, true),
        t("#6 DA bytes fetched per 32-blob block for 99.99% ≤ 1 MiB (bytes)", r.note("da_bytes_9999_32_blobs"), 1_048_576.0, true),
        t("#5 file root 64 MiB: 0G SDK time / Aloft Chromium ≥ 3", ratio(chr("file_root_64MiB", "0g-ts-sdk"), chr("file_root_64MiB", "aloft")), 3.0, false),
        t("#5 file root 64 MiB: Chromium / native throughput ≥ 0.5", ratio(nat("file_root_64MiB", "aloft"), chr("file_root_64MiB", "aloft")), 0.5, false),
        t("#5 WebRTC upload / raw data-channel blast throughput ≥ 0.8", upload_ratio(r), 0.8, false),
        t("#5 2 GiB file root: Chromium's memory added ≤ 64 MiB", r.note("bigfile_root_browser_added_mib"), 64.0, true),
        t("#5 2 GiB upload: Chromium's memory added ≤ 64 MiB", r.note("bigfile_upload_browser_added_mib"), 64.0, true),
        t("#5 2 GiB upload: the peers' memory added ≤ 64 MiB", r.note("bigfile_upload_peers_added_mib"), 64.0, true),
        t("#5 2 GiB download: Chromium's memory added ≤ 64 MiB", r.note("bigfile_download_browser_added_mib"), 64.0, true),
        t("#5 2 GiB download: the peers' memory added ≤ 64 MiB", r.note("bigfile_download_peers_added_mib"), 64.0, true),
        t("#10 verifier .wasm gzip ≤ 1 MiB (bytes)", r.note("size_verifier_wasm_gzip"), 1_048_576.0, true),
        t("#10 extension gzip ≤ 4 MiB (bytes)", r.note("size_extension_total_gzip"), 4_194_304.0, true),
        t("#10 cold start to first verified head ≤ 1000 ms", chr("cold_start_first_head", "aloft"), 1000.0, true),
        t("#10 memory after header sync ≤ 64 MiB", r.note("memory_total_mib"), 64.0, true),
        t("#8 popup open → balance rendered ≤ 300 ms (median)", chr("popup_open_to_balance", "aloft"), 300.0, true),
    ]
}

/// Upload MiB/s over blast MiB/s, whichever file size the run used.
fn upload_ratio(r: &Report) -> Option<f64> {
    ["256MiB", "64MiB"].iter().find_map(|size| {
        ratio(r.note(&format!("webrtc_upload_{size}_mib_per_s")), r.note(&format!("webrtc_blast_{size}_mib_per_s")))
    })
}

fn targets(r: &Report) -> String {
    let mut s = String::from("targets:\n");
    for t in target_list(r) {
        let verdict = match t.value {
            None => "not measured".to_string(),
            Some(v) if (t.at_most && v <= t.limit) || (!t.at_most && v >= t.limit) => format!("met ({v:.3})"),
            Some(v) => format!("MISSED ({v:.3}, {:.2}× off)", if t.at_most { v / t.limit } else { t.limit / v }),
        };
        let _ = writeln!(s, "  {:<60} {verdict}", t.name);
    }
    s
}

fn json_str(s: &str) -> String {
    let mut o = String::from('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn json_num(v: f64) -> String {
    if v.is_finite() { format!("{v:.4}") } else { "null".into() }
}

/// Timed rows `{op, impl, env, median_ms, min_ms, max_ms, n}`, then the notes
/// (sizes, memory, counts) as `{op, impl, env, value}`.
fn json(r: &Report) -> String {
    let mut items: Vec<String> = r
        .rows
        .iter()
        .map(|x| {
            format!(
                "{{\"op\":{},\"impl\":{},\"env\":{},\"median_ms\":{},\"min_ms\":{},\"max_ms\":{},\"n\":{}}}",
                json_str(&x.op),
                json_str(&x.imp),
                json_str(&x.env),
                json_num(x.median()),
                json_num(x.min()),
                json_num(x.max()),
                x.samples.len()
            )
        })
        .collect();
    for (k, v) in &r.notes {
        let value = v.trim_matches('"');
        let value = if value.parse::<f64>().is_ok() { value.to_string() } else { json_str(value) };
        items.push(format!("{{\"op\":{},\"impl\":\"aloft\",\"env\":\"note\",\"value\":{value}}}", json_str(k)));
    }
    format!("[\n  {}\n]\n", items.join(",\n  "))
}

/// CPU model and count, for the record.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu.lines().find_map(|l| l.strip_prefix("model name")).map(|m| m.trim_start_matches([' ', '\t', ':'])).unwrap_or("unknown CPU");
    let cores = cpu.lines().filter(|l| l.starts_with("processor")).count();
    format!("{model}, {cores} cores")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flags() {
        let a = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(parse(&a("--quick --json out.json")), Ok(Options { json: Some("out.json".into()), quick: true, only: vec![] }));
        let only = parse(&a("--only bls,kzg")).unwrap();
        assert_eq!(only.only, ["bls", "kzg"]);
        assert!(only.wants("kzg") && !only.wants("system") && !only.wants("popup"));
        assert!(parse(&a("--only popup")).unwrap().wants("popup"));
        let all = parse(&a("")).unwrap();
        assert!(all.wants("bls") && all.wants("popup") && !all.wants("bigfile"));
        assert!(parse(&a("--only bigfile,bls")).unwrap().wants("bigfile"));
        assert_eq!(only.only_arg(), ["--only=bls,kzg"]);
        assert!(parse(&a("--only blss")).unwrap_err().contains("unknown bench section"));
        assert!(parse(&a("--only")).is_err());
        assert!(parse(&a("--json")).is_err());
        assert!(parse(&a("--nope")).is_err());
    }

    #[test]
    fn rows_give_medians_ratios_and_json() {
        let mut r = Report::default();
        r.take_line("BENCH\tbls_fav_150\taloft\tchromium\t3,1,2");
        r.take_line("BENCH\tbls_fav_150\tblst\tnative\t1,1,0.5,0.5");
        r.take_line("NOTE\tsize_verifier_wasm_gzip\t1000");
        assert_eq!(r.median("bls_fav_150", "aloft", "chromium"), Some(2.0));
        assert_eq!(r.median("bls_fav_150", "blst", "native"), Some(0.75));
        let table = render(&r);
        assert!(table.contains("2.67× blst/native"), "{table}");
        let t = targets(&r);
        assert!(t.contains("FAV 150 keys, Chromium / blst native ≤ 4") && t.contains("met (2.667)"), "{t}");
        let size = t.lines().find(|l| l.contains("verifier .wasm gzip")).unwrap_or_default();
        assert!(size.ends_with("met (1000.000)"), "{t}");
        assert!(t.contains("KZG 16×32 cells, Chromium / c-kzg native ≤ 4") && t.contains("not measured"), "{t}");
        r.take_line("NOTE\tda_bytes_9999_32_blobs\t873000");
        let t = targets(&r);
        let da = t.lines().find(|l| l.contains("DA bytes fetched per 32-blob block")).unwrap_or_default();
        assert!(da.ends_with("met (873000.000)"), "{t}");
        let j = json(&r);
        assert!(j.contains("{\"op\":\"bls_fav_150\",\"impl\":\"aloft\",\"env\":\"chromium\",\"median_ms\":2.0000,\"min_ms\":1.0000,\"max_ms\":3.0000,\"n\":3}"), "{j}");
        assert!(j.contains("\"value\":1000"), "{j}");
    }

    #[test]
    fn the_popup_row_meets_or_misses_300_ms() {
        let verdict = |line: &str| {
            let mut r = Report::default();
            r.take_line(line);
            r.take_line("NOTE\tpopup_balance_checks\tverified:3");
            targets(&r).lines().find(|l| l.contains("popup open → balance")).unwrap_or_default().to_string()
        };
        assert!(verdict("BENCH\tpopup_open_to_balance\taloft\tchromium\t120.5,400,180").ends_with("met (180.000)"));
        let missed = verdict("BENCH\tpopup_open_to_balance\taloft\tchromium\t350,420,900");
        assert!(missed.ends_with("MISSED (420.000, 1.40× off)"), "{missed}");
        assert!(verdict("NOTE\tx\t1").ends_with("not measured"));
    }
}
