//! Bench-only JS API (feature `bench`): the workloads of [`crate::bench`]
//! behind one class, so the bench page times Aloft's Rust code with the same
//! fixtures the baselines get. Inputs cross the JS boundary once, at
//! construction; each timed call passes nothing but a number.

use wasm_bindgen::prelude::*;

use crate::bench::{EncodedFile, Fixtures, Prepared, StorageBench};
use crate::kzg::TrustedSetup;

fn js(e: impl core::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// The BLS, header and KZG workloads over parsed fixtures.
#[wasm_bindgen(js_name = BenchWorkloads)]
pub struct BenchWorkloads {
    prepared: Prepared,
    setup: Option<TrustedSetup>,
}

#[wasm_bindgen(js_class = BenchWorkloads)]
impl BenchWorkloads {
    /// Parses the fixtures JSON written by the native bench.
    #[wasm_bindgen(constructor)]
    pub fn new(fixtures_json: &str) -> Result<BenchWorkloads, JsError> {
        let f: Fixtures = serde_json::from_str(fixtures_json).map_err(js)?;
        Ok(Self { prepared: Prepared::from_fixtures(&f).map_err(js)?, setup: None })
    }

    /// Loads the full ceremony setup (for computing and recovering cells).
    #[wasm_bindgen(js_name = loadSetup)]
    pub fn load_setup(&mut self, text: &str) -> Result<(), JsError> {
        self.setup = Some(TrustedSetup::from_ceremony_text(text).map_err(js)?);
        Ok(())
    }

    /// Runs the hot curve arithmetic on arkworks' field (`true`) or on the
    /// 32-bit-limb field wasm32 ships (`false`), to time both in one page.
    #[wasm_bindgen(js_name = useArkworksField)]
    pub fn use_arkworks_field(&self, on: bool) {
        crate::curve::use_arkworks_field(on);
    }

    /// Runs workload `op` once; throws if it does not verify.
    pub fn run(&self, op: &str) -> Result<f64, JsError> {
        let p = &self.prepared;
        let setup = || self.setup.as_ref().ok_or_else(|| JsError::new("call loadSetup first"));
        match op {
            "bls_verify" => p.bls_verify().map(|()| 0.0),
            "bls_fav_150" => p.fast_aggregate_verify(150).map(|()| 0.0),
            "bls_fav_512" => p.fast_aggregate_verify(512).map(|()| 0.0),
            "commit_check_150" => p.commit_check().map(|()| 0.0),
            "skipping_sync_1000" => p.skipping_sync().map(f64::from),
            "kzg_verify_128x1" => p.kzg_verify_one_blob().map(|()| 0.0),
            "kzg_verify_16x32" => p.kzg_verify_32_blobs().map(|()| 0.0),
            "kzg_cold_verifier" => p.kzg_cold_verifier().map(|()| 0.0),
            "kzg_compute_cells" => p.kzg_compute_cells(setup()?).map(|()| 0.0),
            "kzg_recover_50pct" => p.kzg_recover(setup()?).map(|()| 0.0),
            part @ ("hash_to_g2" | "aggregate_512" | "miller_loop_2" | "final_exp") => p.fav_part(part).map(|()| 0.0),
            part @ ("decompress_512" | "decompress_unchecked_512" | "msm_512" | "msm_608") => p.kzg_part(part).map(|()| 0.0),
            other => Err(format!("unknown workload {other}")),
        }
        .map_err(js)
    }
}

/// The storage workloads over a deterministic file made in WASM memory.
#[wasm_bindgen(js_name = BenchStorage)]
pub struct BenchStorage {
    inner: StorageBench,
    encoded: Option<EncodedFile>,
}

#[wasm_bindgen(js_class = BenchStorage)]
impl BenchStorage {
    /// A file of `size` bytes, with its tree and proofs.
    #[wasm_bindgen(constructor)]
    pub fn new(size: f64) -> Result<BenchStorage, JsError> {
        Ok(Self { inner: StorageBench::new(size as u64).map_err(js)?, encoded: None })
    }

    /// The file root, `0x` hex.
    pub fn root(&self) -> String {
        self.inner.root().to_string()
    }

    /// Runs workload `op` once; throws if it does not verify.
    pub fn run(&mut self, op: &str) -> Result<(), JsError> {
        match op {
            "segment_proof_verify" => self.inner.segment_proof_verify(),
            "rs_encode_64MiB" => self.inner.rs_encode().map(|e| self.encoded = Some(e)),
            "rs_reconstruct_64MiB" => match &self.encoded {
                Some(e) => self.inner.rs_reconstruct(e),
                None => Err("encode first".into()),
            },
            other => Err(format!("unknown workload {other}")),
        }
        .map_err(js)
    }
}
