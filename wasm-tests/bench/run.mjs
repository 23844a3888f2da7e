// Drives the browser half of `cargo xtask bench` (xtask/src/bench.rs runs it).
//
//   node wasm-tests/bench/run.mjs crypto WEB_DIR [--quick]
//     serves WEB_DIR (bench page, bench pkg, baselines bundle, fixtures) and
//     runs `window.runBench` in headless Chromium.
//   node wasm-tests/bench/run.mjs system WEB_DIR [--quick]
//     sizes of the shipped .wasm files and the extension (raw and gzip), cold
//     start of the shipped verifier package against the devnet, the bytes a
//     DaSampler fetches to reach 99.99% on a 32-blob DA block, memory after
//     syncing the devnet's header chain.
//
// Prints `BENCH\top\timpl\tchromium\tms,ms,...` and `NOTE\tkey\tvalue` lines
// on stdout for xtask; progress goes to stderr.
import { readFile, readdir, mkdtemp, writeFile, rm, cp } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ROOT, DIST, CHROMIUM, CHROMIUM_FLAGS, serveStatic, startDevnet } from '../e2e/lib/harness.mjs';
import { UPLOAD_PAGE } from './upload-page.mjs';

const { chromium } = await import(pathToFileURL(path.join(ROOT, 'wasm-tests/e2e/node_modules/playwright-core/index.mjs')));
const [phase, webDir, ...rest] = process.argv.slice(2);
const quick = rest.includes('--quick');
// `--only=bls,kzg,storage`: the page's sections to run (all when absent).
const only = (rest.find((a) => a.startsWith('--only=')) ?? '--only=').slice(7).split(',').filter(Boolean);
const err = (...a) => console.error('[bench]', ...a);
const note = (k, v) => console.log(`NOTE\t${k}\t${typeof v === 'string' ? v : JSON.stringify(v)}`);
const row = (op, impl, samples) => console.log(`BENCH\t${op}\t${impl}\tchromium\t${samples.map((s) => s.toFixed(4)).join(',')}`);

async function browser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
}

async function crypto() {
  const site = await serveStatic(webDir);
  const b = await browser();
  try {
    const page = await b.newPage();
    page.on('console', (m) => err(m.text()));
    page.on('pageerror', (e) => err('page error:', e.message));
    await page.goto(`${site.url}/index.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
    const { rows, notes } = await page.evaluate((opts) => window.runBench(opts), { quick, only });
    for (const r of rows) row(r.op, r.impl, r.samples);
    for (const [k, v] of Object.entries(notes)) note(k, v);
  } finally {
    await b.close();
    await site.close();
  }
}

async function dirSizes(dir) {
  let raw = 0;
  let gz = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const bytes = await readFile(path.join(e.parentPath ?? e.path, e.name));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
}

async function sizes() {
  const pkg = path.join(DIST, 'www/pkg');
  for (const f of await readdir(pkg)) {
    if (!f.endsWith('.wasm')) continue;
    const bytes = await readFile(path.join(pkg, f));
    note(`size_verifier_wasm_raw`, bytes.length);
    note(`size_verifier_wasm_gzip`, gzipSync(bytes, { level: 9 }).length);
  }
  const ext = path.join(DIST, 'extension');
  let wasmRaw = 0;
  let wasmGz = 0;
  for (const e of await readdir(ext, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.wasm')) {
      const bytes = await readFile(path.join(e.parentPath ?? e.path, e.name));
      wasmRaw += bytes.length;
      wasmGz += gzipSync(bytes, { level: 9 }).length;
    }
  }
  note('size_extension_wasm_raw', wasmRaw);
  note('size_extension_wasm_gzip', wasmGz);
  const all = await dirSizes(ext);
  note('size_extension_total_raw', all.raw);
  note('size_extension_total_gzip', all.gz);
}

const COLD_PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { HeaderClient, DaSampler } from './pkg/aloft_light_client.js';
const q = new URLSearchParams(location.search);
const marks = {};
try {
  const t0 = performance.now();
  const wasm = await init();
  marks.init = performance.now();
  const client = await HeaderClient.create({ rpc: q.get('rpc'), checkpoint: q.get('checkpoint'), storageKey: 'bench-' + Math.random() });
  const head = await client.syncToHead();
  marks.head = performance.now();
  marks.height = head.height;
  marks.commits = client.state().commitsVerified;
  window.client = client;
  window.wasmMemory = wasm.memory;
  // With ?sample=N&nodes=…: sample the DA of the last N verified headers, each
  // against its own header's DA root (the memory row: "syncing and sampling").
  const n = Number(q.get('sample') ?? 0);
  if (n > 0) {
    const sampler = await DaSampler.open({ nodes: q.get('nodes').split(',') });
    marks.sampled = 0;
    marks.available = 0;
    for (let h = Math.max(2, head.height - n + 1); h <= head.height; h++) {
      const r = await sampler.sampleVerified(client, h);
      marks.sampled += 1;
      if (r.availability.status === 'available') marks.available += 1;
    }
    marks.sampledMs = performance.now() - marks.head;
    window.sampler = sampler;
  }
} catch (e) { marks.error = String(e); }
window.cold = marks;
</script>`;


async function upload(b, devnet, site) {
  const size = (quick ? 64 : 256) << 20;
  const page = await (await b.newContext()).newPage();
  page.on('console', (m) => err(m.text()));
  await page.goto(`${site.url}/bench-upload.html`);
  await page.waitForFunction(() => window.uploadReady === true, null, { timeout: 60_000 });
  const mib = size / 1048576;
  const blast = await page.evaluate(([c, s]) => window.runBlast(c, s), [devnet.controlUrl, size]);
  note(`webrtc_blast_${mib}MiB_mib_per_s`, (mib / (blast.ms / 1000)).toFixed(2));
  row(`webrtc_blast_${mib}MiB`, 'raw-datachannel', [blast.ms]);
  const up = await page.evaluate(([c, s]) => window.runUpload(c, s), [devnet.controlUrl, size]);
  note(`webrtc_upload_${mib}MiB_mib_per_s`, (mib / (up.ms / 1000)).toFixed(2));
  row(`webrtc_upload_${mib}MiB`, 'aloft', [up.ms]);
  // What the upload puts on the wire: 4+2 erasure coding sends 1.5× the file.
  // A blast of that many bytes is the best any 4+2 upload could do here, so
  // its time over the upload's is the upload's own efficiency.
  const wire = await page.evaluate(([c, s]) => window.runBlast(c, s), [devnet.controlUrl, size * 1.5]);
  note(`webrtc_blast_1_5x_${mib}MiB_mib_per_s`, ((1.5 * mib) / (wire.ms / 1000)).toFixed(2));
  note('webrtc_upload_over_blast_of_its_wire_bytes', (wire.ms / up.ms).toFixed(3));
  await page.context().close();
}

// Bytes fetched per block to reach 99.99% confidence on a 32-blob block: a
// measured count, not a time. The devnet seals one full payload (32 blobs)
// into a block; the shipped package's DaSampler samples it in Chromium
// against the DA root of the header its HeaderClient verified.
const DA_PAGE = `<!doctype html><meta charset="utf-8"><title>DA bytes</title>`;

async function daBytes(b, devnet, site, rpc, checkpoint) {
  const full = 32 * 4096 * 31 - 8; // packing::MAX_PAYLOAD_BYTES: exactly 32 blobs
  const payload = new Uint8Array(full).map((_, i) => (i * 2654435761) >>> 24);
  const res = await fetch(`${devnet.daUrl}/da/v1/blobs`, { method: 'POST', body: payload });
  if (!res.ok) throw new Error(`DA post: HTTP ${res.status} ${await res.text()}`);
  const block = await res.json();
  if (block.blobs !== 32) throw new Error(`expected a 32-blob block, got ${block.blobs}`);
  const ctx = await b.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(`${site.url}/bench-da.html`);
    const out = await page.evaluate(async ({ rpc, checkpoint, nodes, height }) => {
      const m = await import('/pkg/aloft_light_client.js');
      await m.default();
      const client = await m.HeaderClient.create({ rpc, checkpoint, storageKey: `bench-da-${Date.now()}` });
      const sampler = await m.DaSampler.open({ nodes, targetConfidence: 0.9999 });
      return sampler.sampleVerified(client, height);
    }, { rpc, checkpoint, nodes: devnet.daNodes, height: block.height });
    if (out.availability.status !== 'available') throw new Error(`DA block not available: ${JSON.stringify(out)}`);
    note('da_bytes_9999_32_blobs', out.bytes_fetched);
    note('da_samples_9999_32_blobs', out.samples_verified);
    note('da_confidence_32_blobs', out.confidence);
  } finally {
    await ctx.close();
  }
}

async function headHeight(devnet) {
  return Number((await devnet.headers('/status')).latest_height);
}

async function system() {
  await sizes();
  // A devnet making a block every 10 ms, with its chain in a temp dir.
  const dir = await mkdtemp(path.join(tmpdir(), 'aloft-bench-devnet-'));
  const target = quick ? 1000 : 10_000;
  // DA blocks kept for the whole chain, so every synced header can be sampled.
  await writeFile(path.join(dir, 'devnet.toml'), `[da]\nretain_blocks = ${target + 2000}\n`);
  const devnet = await startDevnet({
    args: ['--config', path.join(dir, 'devnet.toml'), '--data-dir', dir, '--rpc-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--headers-addr', '127.0.0.1:0',
      '--da-addr', '127.0.0.1:0', '--storage-addr', '127.0.0.1:0', '--block-time-ms', '10', '--da-block-interval-ms', '0'],
  });
  // The cold-start page beside a copy of the shipped package (dist/www/pkg).
  const coldDir = await mkdtemp(path.join(tmpdir(), 'aloft-bench-cold-'));
  await cp(path.join(DIST, 'www/pkg'), path.join(coldDir, 'pkg'), { recursive: true });
  await writeFile(path.join(coldDir, 'bench-cold.html'), COLD_PAGE);
  await writeFile(path.join(coldDir, 'bench-upload.html'), UPLOAD_PAGE);
  await writeFile(path.join(coldDir, 'bench-da.html'), DA_PAGE);
  await cp(path.join(DIST, 'www/storage/aloft-storage.js'), path.join(coldDir, 'aloft-storage.js'));
  await cp(path.join(webDir, 'data.js'), path.join(coldDir, 'data.js'));
  const site = await serveStatic(coldDir);
  const b = await browser();
  try {
    const first = await devnet.headers('/header/1');
    const checkpoint = `1:${first.hash}`;
    const rpc = devnet.headersUrl;
    while ((await headHeight(devnet)) < 200) await new Promise((r) => setTimeout(r, 200));
    // Cold start: a fresh context (empty cache) per repetition.
    const samples = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      const ctx = await b.newContext();
      const page = await ctx.newPage();
      await page.goto(`${site.url}/bench-cold.html?rpc=${encodeURIComponent(rpc)}&checkpoint=${checkpoint}`);
      const cold = await (await page.waitForFunction(() => window.cold, null, { timeout: 60_000 })).jsonValue();
      if (cold.error) throw new Error(`cold start: ${cold.error}`);
      samples.push(cold.head);
      if (i === 0) note('cold_start_init_ms', cold.init.toFixed(1));
      await ctx.close();
    }
    row('cold_start_first_head', 'aloft', samples);
    await upload(b, devnet, site);
    await daBytes(b, devnet, site, rpc, checkpoint);
    // Memory after syncing the chain to `target` headers.
    err(`waiting for ${target} headers…`);
    let h;
    while ((h = await headHeight(devnet)) < target) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    const ctx = await b.newContext();
    const page = await ctx.newPage();
    const nodes = encodeURIComponent(devnet.daNodes.join(','));
    await page.goto(`${site.url}/bench-cold.html?rpc=${encodeURIComponent(rpc)}&checkpoint=${checkpoint}&sample=${target}&nodes=${nodes}`);
    const cold = await (await page.waitForFunction(() => window.cold, null, { timeout: 900_000, polling: 1000 })).jsonValue();
    if (cold.error) throw new Error(`sync and sampling: ${cold.error}`);
    if (cold.available !== cold.sampled) throw new Error(`only ${cold.available} of ${cold.sampled} sampled blocks were available`);
    const mem = await page.evaluate(() => {
      if (window.gc) window.gc();
      return { js: performance.memory.usedJSHeapSize, wasm: window.wasmMemory.buffer.byteLength };
    });
    note('memory_headers_synced', cold.height);
    note('memory_commits_verified', cold.commits);
    note('memory_blocks_sampled', cold.sampled);
    note('memory_sampling_ms', cold.sampledMs.toFixed(1));
    note('memory_sync_ms', (cold.head - cold.init).toFixed(1));
    note('memory_js_heap_bytes', mem.js);
    note('memory_wasm_bytes', mem.wasm);
    note('memory_total_mib', ((mem.js + mem.wasm) / 1048576).toFixed(2));
    await ctx.close();
  } finally {
    await b.close();
    await rm(coldDir, { recursive: true, force: true });
    await site.close();
    await devnet.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (phase === 'crypto') await crypto();
else if (phase === 'system') await system();
else {
  console.error('usage: run.mjs crypto|system WEB_DIR [--quick]');
  process.exit(2);
}
