// The browser half of `cargo xtask bench`: Aloft's workloads (the bench build
// of the verifier crate, `pkg/`) and the baselines (`lib/baselines.js`, from
// npm) on the same fixtures, in the same page (the BLS checks in turns).
// `runBench` returns rows {op, impl, env, samples}; run.mjs prints them.
import init, { BenchWorkloads, BenchStorage, StorageTreeBuilder } from './pkg/aloft_light_client.js';
import { baselines, zgRoot } from './lib/baselines.js';
import { benchFile } from './data.js';

const log = (...a) => console.log('[bench]', ...a);

function timer(quick) {
  return quick ? { min: 3, max: 10, budget: 200 } : { min: 7, max: 40, budget: 1500 };
}

async function time(rows, op, impl, f, t) {
  await f(); // warm-up, and the answer is checked
  const samples = [];
  const start = performance.now();
  while (samples.length < t.min || (samples.length < t.max && performance.now() - start < t.budget)) {
    const t0 = performance.now();
    await f();
    samples.push(performance.now() - t0);
  }
  rows.push({ op, impl, env: 'chromium', samples });
  log(op, impl, samples.map((s) => s.toFixed(1)).join(','));
}

// Several workloads sampled in turns, one sample of each per round, so that a
// burst of load on this shared machine lands on all of them alike instead of
// on whichever ran through it. `t.min`/`t.max` count rounds; the budget is
// per workload. entries: [{ op, impl, f }].
async function timeRounds(rows, entries, t) {
  for (const e of entries) await e.f(); // warm-up, and the answer is checked
  const samples = entries.map(() => []);
  const budget = t.budget * entries.length;
  const start = performance.now();
  while (samples[0].length < t.min || (samples[0].length < t.max && performance.now() - start < budget)) {
    for (const [i, e] of entries.entries()) {
      const t0 = performance.now();
      await e.f();
      samples[i].push(performance.now() - t0);
    }
  }
  entries.forEach((e, i) => {
    rows.push({ op: e.op, impl: e.impl, env: 'chromium', samples: samples[i] });
    log(e.op, e.impl, samples[i].map((s) => s.toFixed(1)).join(','));
  });
}

// `only`: the sections to run ('bls', 'kzg', 'storage'); empty runs all.
window.runBench = async ({ quick = false, skip = [], only = [] } = {}) => {
  const want = (section) => only.length === 0 || only.includes(section);
  const rows = [];
  const notes = {};
  const t = timer(quick);
  const slow = { min: quick ? 2 : 3, max: quick ? 2 : 3, budget: 0 };
  const wasm = await init();
  const fx = await (await fetch('./fixtures.json')).json();
  const fxText = JSON.stringify(fx);
  const w = new BenchWorkloads(fxText);

  // BLS and headers.
  if (want('bls')) {
    // Aloft's signature checks and the baselines' in turns (timeRounds).
    const entries = ['bls_verify', 'bls_fav_150', 'bls_fav_512', 'commit_check_150'].map((op) => ({ op, impl: 'aloft', f: () => w.run(op) }));
    for (const name of ['noble', 'chainsafe-herumi']) {
      const ops = await baselines[name](fx);
      for (const [op, f] of Object.entries(ops)) entries.push({ op, impl: name, f });
    }
    await timeRounds(rows, entries, t);
    await time(rows, 'skipping_sync_1000', 'aloft', () => w.run('skipping_sync_1000'), t);
    notes.skipping_sync_1000_commits = w.run('skipping_sync_1000');
    for (const part of ['hash_to_g2', 'aggregate_512', 'miller_loop_2', 'final_exp']) {
      await time(rows, `fav512_part_${part}`, 'aloft', () => w.run(part), t);
    }
  }

  // The same workloads with the curve arithmetic on arkworks' field instead of
  // the 32-bit-limb one wasm32 ships: the choice of field, measured in this run.
  // Samples alternate between the two fields so load changes hit both alike;
  // the rows are `<op>_field_ab`, impl `aloft` (shipped) and `aloft-arkworks-field`.
  const onArkworksField = async (ops) => {
    for (const op of ops) {
      const workload = op.replace(/^(fav512|kzg16x32)_part_/, '');
      const shipped = [];
      const arkworks = [];
      const once = async (ark, into) => {
        w.useArkworksField(ark);
        try {
          const t0 = performance.now();
          await w.run(workload);
          into?.push(performance.now() - t0);
        } finally {
          w.useArkworksField(false);
        }
      };
      await once(false);
      await once(true);
      const start = performance.now();
      while (shipped.length < t.min || (shipped.length < t.max && performance.now() - start < 2 * t.budget)) {
        await once(false, shipped);
        await once(true, arkworks);
      }
      rows.push({ op: `${op}_field_ab`, impl: 'aloft', env: 'chromium', samples: shipped });
      rows.push({ op: `${op}_field_ab`, impl: 'aloft-arkworks-field', env: 'chromium', samples: arkworks });
      log(`${op}_field_ab`, 'aloft / aloft-arkworks-field', shipped.map((x) => x.toFixed(1)).join(','), '/', arkworks.map((x) => x.toFixed(1)).join(','));
    }
  };
  if (want('bls')) await onArkworksField(['bls_fav_150', 'bls_fav_512', 'fav512_part_aggregate_512', 'fav512_part_hash_to_g2']);

  // KZG.
  if (want('kzg')) {
    for (const op of ['kzg_verify_128x1', 'kzg_verify_16x32']) await time(rows, op, 'aloft', () => w.run(op), t);
    for (const part of ['decompress_512', 'decompress_unchecked_512', 'msm_512', 'msm_608']) {
      await time(rows, `kzg16x32_part_${part}`, 'aloft', () => w.run(part), t);
    }
    await onArkworksField(['kzg_verify_16x32', 'kzg16x32_part_decompress_512', 'kzg16x32_part_msm_512']);
    // Cold start of the KZG verifier: embedded verifier setup + first 128-cell check.
    let t0 = performance.now();
    w.run('kzg_cold_verifier');
    notes.kzg_cold_verifier_ms = performance.now() - t0;
    await time(rows, 'kzg_cold_verifier', 'aloft', () => w.run('kzg_cold_verifier'), t);
    const setupText = await (await fetch('./trusted_setup.txt')).text();
    t0 = performance.now();
    w.loadSetup(setupText);
    notes.kzg_full_setup_load_ms = performance.now() - t0;
    if (!skip.includes('kzg_prove')) {
      t0 = performance.now();
      w.run('kzg_compute_cells'); // first call builds the FK20 tables
      notes.kzg_first_compute_cells_ms = performance.now() - t0;
      await time(rows, 'kzg_compute_cells', 'aloft', () => w.run('kzg_compute_cells'), slow);
      await time(rows, 'kzg_recover_50pct', 'aloft', () => w.run('kzg_recover_50pct'), slow);
    }
    t0 = performance.now();
    const kz = await baselines['kzg-wasm'](fx);
    notes.kzg_wasm_load_ms = performance.now() - t0;
    await time(rows, 'kzg_verify_128x1', 'kzg-wasm', kz.kzg_verify_128x1, t);
    await time(rows, 'kzg_verify_16x32', 'kzg-wasm', kz.kzg_verify_16x32, t);
    if (!skip.includes('kzg_prove')) {
      await time(rows, 'kzg_compute_cells', 'kzg-wasm', kz.kzg_compute_cells, slow);
      await time(rows, 'kzg_recover_50pct', 'kzg-wasm', kz.kzg_recover_50pct, slow);
    }
  }
  w.free();
  if (!want('storage')) return { rows, notes };

  // Storage: one 64 MiB file, the same bytes natively and in the SDK.
  const size = 64 << 20;
  const data = benchFile(size);
  let aloftRoot;
  await time(rows, 'file_root_64MiB', 'aloft', () => {
    const b = new StorageTreeBuilder();
    for (let off = 0; off < size; off += 1 << 20) b.update(data.subarray(off, off + (1 << 20)));
    const tree = b.finish();
    aloftRoot = tree.root();
    tree.free();
  }, slow);
  notes.file_root_64MiB_chromium = aloftRoot;
  if (!skip.includes('zg_sdk')) {
    const file = new File([data], 'bench.bin');
    let zg;
    await time(rows, 'file_root_64MiB', '0g-ts-sdk', async () => { zg = await zgRoot(file); }, { min: 1, max: 1, budget: 0 });
    notes.file_root_64MiB_0g_ts_sdk = zg;
    if (zg.toLowerCase() !== aloftRoot.toLowerCase()) throw new Error(`0G SDK root ${zg} differs from Aloft's ${aloftRoot}`);
  }
  const s = new BenchStorage(size);
  if (s.root() !== aloftRoot) throw new Error('bench file roots differ');
  await time(rows, 'segment_proof_verify', 'aloft', () => s.run('segment_proof_verify'), t);
  await time(rows, 'rs_encode_64MiB', 'aloft', () => s.run('rs_encode_64MiB'), slow);
  await time(rows, 'rs_reconstruct_64MiB', 'aloft', () => s.run('rs_reconstruct_64MiB'), slow);
  notes.bench_wasm_memory_bytes = wasm.memory.buffer.byteLength;
  s.free();
  return { rows, notes };
};
window.benchReady = true;
