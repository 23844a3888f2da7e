//! `aloft-bench-native`: the native half of `cargo xtask bench`.
//!
//! - `fixtures OUT.json SETUP.txt`: writes the shared inputs
//!   ([`aloft_light_client::bench::Fixtures`]) that the browser bench loads too.
//! - `run FIXTURES.json SETUP.txt [--quick]`: times Aloft's workloads and the
//!   native baselines (the `blst` crate, `c-kzg`) on those same inputs and
//!   prints one line per (operation, implementation):
//!   `BENCH<TAB>op<TAB>impl<TAB>native<TAB>ms,ms,...` (warm-up excluded), plus
//!   `NOTE<TAB>key<TAB>value` lines. `cargo xtask bench` turns them into the table.
//!
//! Each timed closure checks its own result, so a baseline that rejects the
//! input stops the run instead of reporting a fast failure. The signature
//! checks of Aloft and blst are sampled in turns ([`Timer::rounds`]), as the
//! browser half does with Aloft's and the JS baselines'.

use std::time::Instant;

use aloft_light_client::bench::{Fixtures, Prepared, StorageBench};
use aloft_light_client::kzg::TrustedSetup;

type Res<T> = Result<T, String>;

struct Timer {
    min_n: usize,
    max_n: usize,
    budget_ms: f64,
}

impl Timer {
    fn time(&self, op: &str, imp: &str, mut f: impl FnMut() -> Res<()>) -> Res<()> {
        f().map_err(|e| format!("{op}/{imp} warm-up: {e}"))?;
        let mut samples = Vec::new();
        let start = Instant::now();
        while samples.len() < self.min_n
            || (samples.len() < self.max_n && start.elapsed().as_secs_f64() * 1e3 < self.budget_ms)
        {
            let t = Instant::now();
            f().map_err(|e| format!("{op}/{imp}: {e}"))?;
            samples.push(t.elapsed().as_secs_f64() * 1e3);
        }
        print_row(op, imp, &samples);
        Ok(())
    }

    /// Times several operations in turns, one sample of each per round, so
    /// that a burst of load on a shared machine lands on all of them alike
    /// instead of on whichever ran through it. `min_n`/`max_n` count rounds;
    /// the budget is per operation.
    fn rounds(&self, ops: &mut [Op<'_>]) -> Res<()> {
        for (op, imp, f) in ops.iter_mut() {
            f().map_err(|e| format!("{op}/{imp} warm-up: {e}"))?;
        }
        let mut samples = vec![Vec::new(); ops.len()];
        let budget = self.budget_ms * ops.len() as f64;
        let start = Instant::now();
        while samples[0].len() < self.min_n
            || (samples[0].len() < self.max_n && start.elapsed().as_secs_f64() * 1e3 < budget)
        {
            for ((op, imp, f), s) in ops.iter_mut().zip(samples.iter_mut()) {
                let t = Instant::now();
                f().map_err(|e| format!("{op}/{imp}: {e}"))?;
                s.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        for ((op, imp, _), s) in ops.iter().zip(&samples) {
            print_row(op, imp, s);
        }
        Ok(())
    }
}

/// An operation to time: name, implementation, and the closure (which checks its answer).
type Op<'a> = (&'static str, &'static str, Box<dyn FnMut() -> Res<()> + 'a>);

fn print_row(op: &str, imp: &str, samples: &[f64]) {
    let list: Vec<String> = samples.iter().map(|s| format!("{s:.4}")).collect();
    println!("BENCH\t{op}\t{imp}\tnative\t{}", list.join(","));
}

fn unhex(s: &str) -> Res<Vec<u8>> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())).collect()
}

const DST: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/// blst's inputs: the fixtures' keys, message and signatures, validated.
struct BlstInputs {
    keys: Vec<blst::min_pk::PublicKey>,
    msg: Vec<u8>,
    sigs: [blst::min_pk::Signature; 3],
}

impl BlstInputs {
    fn new(f: &Fixtures) -> Res<Self> {
        use blst::min_pk::{PublicKey, Signature};
        let e = |x: blst::BLST_ERROR| format!("{x:?}");
        let keys = f.keys.iter().map(|k| PublicKey::key_validate(&unhex(k)?).map_err(e)).collect::<Res<_>>()?;
        let sig = |s: &str| Signature::sig_validate(&unhex(s)?, true).map_err(e);
        Ok(BlstInputs { keys, msg: unhex(&f.message)?, sigs: [sig(&f.sig1)?, sig(&f.sig150)?, sig(&f.sig512)?] })
    }
}

/// blst's three BLS operations; `refs` are references to `b.keys`.
fn blst_ops<'a>(b: &'a BlstInputs, refs: &'a [&'a blst::min_pk::PublicKey]) -> Vec<Op<'a>> {
    use blst::BLST_ERROR;
    let ok = |r: BLST_ERROR| if r == BLST_ERROR::BLST_SUCCESS { Ok(()) } else { Err(format!("{r:?}")) };
    let (msg, [s1, s150, s512]) = (&b.msg, &b.sigs);
    vec![
        ("bls_verify", "blst", Box::new(move || ok(s1.verify(false, msg, DST, &[], &b.keys[0], false)))),
        ("bls_fav_150", "blst", Box::new(move || ok(s150.fast_aggregate_verify(false, msg, DST, &refs[..150])))),
        ("bls_fav_512", "blst", Box::new(move || ok(s512.fast_aggregate_verify(false, msg, DST, refs)))),
    ]
}

fn ckzg_rows(t: &Timer, f: &Fixtures) -> Res<()> {
    use c_kzg::{Blob, Bytes48, Cell};
    let s = c_kzg::ethereum_kzg_settings(8);
    let b48 = |h: &str| Bytes48::from_bytes(&unhex(h)?).map_err(|e| format!("{e:?}"));
    let cell = |h: &str| Cell::from_bytes(&unhex(h)?).map_err(|e| format!("{e:?}"));
    let commitments: Vec<Bytes48> = f.commitments.iter().map(|c| b48(c)).collect::<Res<_>>()?;
    let cells128: Vec<Cell> = f.blob0_cells.iter().map(|c| cell(c)).collect::<Res<_>>()?;
    let proofs128: Vec<Bytes48> = f.blob0_proofs.iter().map(|c| b48(c)).collect::<Res<_>>()?;
    let idx128: Vec<u64> = (0..128).collect();
    let com128 = vec![commitments[0]; 128];
    let yes = |r: Result<bool, c_kzg::Error>| match r {
        Ok(true) => Ok(()),
        other => Err(format!("{other:?}")),
    };
    t.time("kzg_verify_128x1", "c-kzg", || yes(s.verify_cell_kzg_proof_batch(&com128, &idx128, &cells128, &proofs128)))?;
    let cells16: Vec<Cell> = f.cells16.iter().map(|c| cell(c)).collect::<Res<_>>()?;
    let proofs16: Vec<Bytes48> = f.proofs16.iter().map(|c| b48(c)).collect::<Res<_>>()?;
    let idx16: Vec<u64> = (0..32).flat_map(|_| f.indices16.iter().copied()).collect();
    let com16: Vec<Bytes48> = commitments.iter().flat_map(|c| std::iter::repeat_n(*c, 16)).collect();
    t.time("kzg_verify_16x32", "c-kzg", || yes(s.verify_cell_kzg_proof_batch(&com16, &idx16, &cells16, &proofs16)))?;
    let blob = Blob::from_bytes(&unhex(&f.blob0)?).map_err(|e| format!("{e:?}"))?;
    t.time("kzg_compute_cells", "c-kzg", || {
        let (cells, _proofs) = s.compute_cells_and_kzg_proofs(&blob).map_err(|e| format!("{e:?}"))?;
        if cells[5] == cells128[5] { Ok(()) } else { Err("cells differ from Aloft's".into()) }
    })?;
    let even: Vec<u64> = (0..64).map(|i| 2 * i).collect();
    let half: Vec<Cell> = even.iter().map(|i| cells128[*i as usize]).collect();
    t.time("kzg_recover_50pct", "c-kzg", || {
        let (cells, _proofs) = s.recover_cells_and_kzg_proofs(&even, &half).map_err(|e| format!("{e:?}"))?;
        if cells[7] == cells128[7] { Ok(()) } else { Err("recovered cells differ".into()) }
    })?;
    Ok(())
}

/// `only`: the sections to run (`bls`, `kzg`, `storage`); empty runs all.
fn run(fixtures: &str, setup_path: &str, quick: bool, only: &[&str]) -> Res<()> {
    let want = |section: &str| only.is_empty() || only.contains(&section);
    let f: Fixtures = serde_json::from_str(&std::fs::read_to_string(fixtures).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let t = if quick { Timer { min_n: 3, max_n: 10, budget_ms: 200.0 } } else { Timer { min_n: 7, max_n: 40, budget_ms: 1500.0 } };
    let p = Prepared::from_fixtures(&f)?;
    let aloft = "aloft";
    if want("bls") {
        // Aloft's and blst's signature checks in turns (see `Timer::rounds`).
        let b = BlstInputs::new(&f)?;
        let refs: Vec<&blst::min_pk::PublicKey> = b.keys.iter().collect();
        let mut ops: Vec<Op<'_>> = vec![
            ("bls_verify", aloft, Box::new(|| p.bls_verify())),
            ("bls_fav_150", aloft, Box::new(|| p.fast_aggregate_verify(150))),
            ("bls_fav_512", aloft, Box::new(|| p.fast_aggregate_verify(512))),
            ("commit_check_150", aloft, Box::new(|| p.commit_check())),
        ];
        ops.extend(blst_ops(&b, &refs));
        t.rounds(&mut ops)?;
        for part in ["hash_to_g2", "aggregate_512", "miller_loop_2", "final_exp"] {
            t.time(&format!("fav512_part_{part}"), aloft, || p.fav_part(part))?;
        }
        println!("NOTE\tskipping_sync_1000_commits\t{}", p.skipping_sync()?);
        t.time("skipping_sync_1000", aloft, || p.skipping_sync().map(|_| ()))?;
    }
    if want("kzg") {
        t.time("kzg_verify_128x1", aloft, || p.kzg_verify_one_blob())?;
        t.time("kzg_verify_16x32", aloft, || p.kzg_verify_32_blobs())?;
        t.time("kzg_cold_verifier", aloft, || p.kzg_cold_verifier())?;
        for part in ["decompress_512", "decompress_unchecked_512", "msm_512", "msm_608"] {
            t.time(&format!("kzg16x32_part_{part}"), aloft, || p.kzg_part(part))?;
        }
        let text = std::fs::read_to_string(setup_path).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let setup = TrustedSetup::from_ceremony_text(&text).map_err(|e| e.to_string())?;
        setup.precompute_cell_proofs();
        println!("NOTE\tnative_full_setup_load_ms\t{:.1}", started.elapsed().as_secs_f64() * 1e3);
        t.time("kzg_compute_cells", aloft, || p.kzg_compute_cells(&setup))?;
        t.time("kzg_recover_50pct", aloft, || p.kzg_recover(&setup))?;
        ckzg_rows(&t, &f)?;
    }
    if !want("storage") {
        return Ok(());
    }

    let s = StorageBench::new(64 << 20)?;
    println!("NOTE\tfile_root_64MiB\t{}", s.root());
    let slow = Timer { min_n: t.min_n.min(5), max_n: t.min_n.min(5), budget_ms: 0.0 };
    slow.time("file_root_64MiB", aloft, || s.file_root().map(|_| ()))?;
    t.time("segment_proof_verify", aloft, || s.segment_proof_verify())?;
    let mut enc = None;
    slow.time("rs_encode_64MiB", aloft, || s.rs_encode().map(|e| enc = Some(e)))?;
    let enc = enc.ok_or("no encoding")?;
    slow.time("rs_reconstruct_64MiB", aloft, || s.rs_reconstruct(&enc))?;
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["fixtures", out, setup] => (|| {
            let text = std::fs::read_to_string(setup).map_err(|e| e.to_string())?;
            let setup = TrustedSetup::from_ceremony_text(&text).map_err(|e| e.to_string())?;
            let f = Fixtures::generate(&setup)?;
            std::fs::write(out, serde_json::to_string(&f).map_err(|e| e.to_string())?).map_err(|e| e.to_string())
        })(),
        ["run", fixtures, setup, rest @ ..] => {
            let only: Vec<&str> = rest.iter().filter_map(|a| a.strip_prefix("--only=")).flat_map(|v| v.split(',')).collect();
            run(fixtures, setup, rest.contains(&"--quick"), &only)
        }
        // For `perf record`: one Aloft workload in a loop.
        ["loop", fixtures, op, n] => (|| {
            let f: Fixtures = serde_json::from_str(&std::fs::read_to_string(fixtures).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            let p = Prepared::from_fixtures(&f)?;
            for _ in 0..n.parse::<u32>().map_err(|e| e.to_string())? {
                match *op {
                    "bls_fav_512" => p.fast_aggregate_verify(512)?,
                    "commit_check_150" => p.commit_check()?,
                    "kzg_verify_16x32" => p.kzg_verify_32_blobs()?,
                    other => return Err(format!("no loop for {other}")),
                }
            }
            Ok(())
        })(),
        _ => Err("usage: aloft-bench-native fixtures OUT.json SETUP.txt | run FIXTURES.json SETUP.txt [--quick] [--only=bls,kzg,storage] | loop FIXTURES.json OP N".into()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aloft-bench-native: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
