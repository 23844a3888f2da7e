// The big-file rows of the bench (issue 5, "memory stays flat"): the shipped
// uploader computes the root of, uploads and downloads a 2 GiB file in
// headless Chromium against the devnet's six storage peers, while this
// process samples the memory of Chromium's processes and of the devnet's
// (which hosts the peers). The file is on disk and reaches the page as a
// `File` from an <input>, so the page never holds it; the download streams
// into an OPFS file, whose root is computed again and must equal the upload's.
//
//   node wasm-tests/bench/bigfile.mjs [--quick]      (256 MiB with --quick)
//
// Prints `NOTE\tkey\tvalue` lines for xtask (bench.rs) and progress on stderr.
// Needs `cargo xtask build` (dist/www, target/release/aloft-devnet). Binds only
// free ports. The page has no wallet, so the root is registered through the
// devnet's registry (`POST /storage/submissions`), as in the WebRTC rows.
//
// Memory is proportional set size (`Pss` of /proc/PID/smaps_rollup, so pages
// shared between Chromium's processes count once), summed over every Chromium
// process, sampled every 100 ms; "added" = the peak during a phase minus the
// level just before it. The page cache is not in it: the peers write through
// the kernel, as any file server does.
import { mkdtemp, open, rm, readFile, readdir, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ROOT, DIST, CHROMIUM, CHROMIUM_FLAGS, serveStatic, startDevnet } from '../e2e/lib/harness.mjs';

const { chromium } = await import(pathToFileURL(path.join(ROOT, 'wasm-tests/e2e/node_modules/playwright-core/index.mjs')));
const quick = process.argv.includes('--quick');
const size = (quick ? 256 : 2048) * 1048576;
const err = (...a) => console.error('[bigfile]', ...a);
const note = (k, v) => console.log(`NOTE\t${k}\t${typeof v === 'string' ? v : JSON.stringify(v)}`);

const PAGE = `<!doctype html><meta charset="utf-8"><input type="file" id="file"><script type="module">
import init, * as wasm from './pkg/aloft_light_client.js';
import { OpfsFileSink, StorageNetwork } from './aloft-storage.js';
await init();
let net;
const file = () => document.getElementById('file').files[0];
window.connect = async (control) => {
  const submitter = async (tree) => {
    const res = await fetch(control + '/storage/submissions', { method: 'POST', body: tree.submissionJson() });
    if (!res.ok) throw new Error('submission refused: ' + await res.text());
    return res.json();
  };
  net = await StorageNetwork.fromDevnet(control, wasm, { submitter });
  const up = await net.connect();
  if (!up.every(Boolean)) throw new Error('not every peer answered: ' + JSON.stringify(up));
  return file().size;
};
const rootOf = async (blob) => { const tree = await net.tree(blob); const root = tree.root(); tree.free(); return root; };
window.phaseRoot = async () => { const t0 = performance.now(); const root = await rootOf(file()); return { root, ms: performance.now() - t0 }; };
window.phaseUpload = async () => { const t0 = performance.now(); const r = await net.upload(file()); return { root: r.root, ms: performance.now() - t0 }; };
window.phaseDownload = async (root) => {
  const sink = await OpfsFileSink.open('bigfile.bin');
  const t0 = performance.now();
  try { await net.download(root, sink); } finally { await sink.close(); }
  return { ms: performance.now() - t0 };
};
window.phaseCheck = async () => {
  const back = await (await navigator.storage.getDirectory()).getFileHandle('bigfile.bin').then((h) => h.getFile());
  const t0 = performance.now();
  const root = await rootOf(back);
  return { ms: performance.now() - t0, size: back.size, root };
};
window.bigReady = true;
</script>`;

/** The bench file (same xorshift as data.js's benchFile), written 1 MiB at a time. */
async function writeFile2(file, bytes) {
  const fh = await open(file, 'w');
  const chunk = new Uint32Array(262144);
  for (let off = 0, w = 0; off < bytes; off += chunk.byteLength) {
    for (let i = 0; i < chunk.length; i++, w++) {
      let x = (w ^ 0x9e3779b9) >>> 0;
      x = (x ^ (x << 13)) >>> 0;
      x = (x ^ (x >>> 17)) >>> 0;
      x = (x ^ (x << 5)) >>> 0;
      chunk[i] = x;
    }
    await fh.write(new Uint8Array(chunk.buffer, 0, Math.min(chunk.byteLength, bytes - off)));
  }
  await fh.close();
}

/** Every process below `pid` (children, grandchildren, …). */
async function descendants(pid) {
  const parent = new Map();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    // pid (comm) state ppid …: comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parent.set(Number(name), ppid);
  }
  const out = [];
  for (const p of parent.keys()) {
    for (let q = parent.get(p); q; q = parent.get(q)) if (q === pid) { out.push(p); break; }
  }
  return out;
}

/** Chromium's name for a process (`renderer`, `gpu-process`, …; `browser` without `--type`). */
async function kind(pid) {
  const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return /--type=([a-z-]+)/.exec(cmd)?.[1] ?? (cmd.includes('chrom') ? 'browser' : 'other');
}

async function pssKiB(pid) {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const m = /^Pss:\s+(\d+) kB/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Samples the PSS of the Chromium tree and of the devnet every 100 ms. */
function sampler(devnetPid) {
  let stopped = false;
  const cur = { browser: 0, peers: 0, kinds: {} };
  let peak = { browser: 0, peers: 0, kinds: {} };
  const loop = (async () => {
    while (!stopped) {
      const procs = (await descendants(process.pid)).filter((p) => p !== devnetPid);
      const devnetTree = new Set(await descendants(devnetPid));
      let browser = 0;
      const kinds = {};
      for (const p of procs) {
        if (devnetTree.has(p)) continue;
        const k = await kind(p);
        const v = (await pssKiB(p)) / 1024;
        kinds[k] = (kinds[k] ?? 0) + v;
        browser += v;
      }
      cur.browser = browser;
      cur.kinds = kinds;
      cur.peers = (await pssKiB(devnetPid)) / 1024;
      if (cur.browser > peak.browser) peak.kinds = kinds;
      peak.browser = Math.max(peak.browser, cur.browser);
      peak.peers = Math.max(peak.peers, cur.peers);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    /** Settles, then starts a phase: returns its baseline. */
    async begin() {
      await new Promise((r) => setTimeout(r, 1500));
      peak = { ...cur };
      return { ...cur };
    },
    peak: () => ({ ...peak }),
    async stop() { stopped = true; await loop; },
  };
}

const dir = await mkdtemp(path.join(tmpdir(), 'aloft-bigfile-'));
const site_dir = path.join(dir, 'site');
const dataDir = path.join(dir, 'devnet');
const filePath = path.join(dir, 'big.bin');
err(`writing a ${size / 1048576} MiB file…`);
await writeFile2(filePath, size);
await cp(path.join(DIST, 'www/pkg'), path.join(site_dir, 'pkg'), { recursive: true });
for (const f of ['aloft-storage.js', 'opfs-writer.js']) await cp(path.join(DIST, 'www/storage', f), path.join(site_dir, f));
await writeFile(path.join(site_dir, 'index.html'), PAGE);
const devnet = await startDevnet({
  args: ['--data-dir', dataDir, '--rpc-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--headers-addr', '127.0.0.1:0',
    '--da-addr', '127.0.0.1:0', '--storage-addr', '127.0.0.1:0', '--oracle-addr', '127.0.0.1:0'],
});
const site = await serveStatic(site_dir);
// A persistent profile, as a user's: in Playwright's default (incognito-like)
// contexts Chromium keeps OPFS files in the browser process's memory.
const browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
const mem = sampler(devnet.pid);
const mib = (x) => x.toFixed(1);
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') err(`[page] ${m.text()}`); });
  await page.goto(`${site.url}/index.html`);
  await page.waitForFunction(() => window.bigReady === true, null, { timeout: 60_000 });
  await page.setInputFiles('#file', filePath);
  const seen = await page.evaluate((c) => window.connect(c), devnet.controlUrl);
  if (seen !== size) throw new Error(`the page sees ${seen} bytes, not ${size}`);
  note('bigfile_mib', size / 1048576);
  const phase = async (name, run) => {
    const base = await mem.begin();
    const out = await run();
    const peak = mem.peak();
    const added = { browser: peak.browser - base.browser, peers: peak.peers - base.peers };
    err(`${name}: ${(out.ms / 1000).toFixed(1)} s; browser ${mib(base.browser)} → peak ${mib(peak.browser)} MiB (+${mib(added.browser)}), peers ${mib(base.peers)} → peak ${mib(peak.peers)} MiB (+${mib(added.peers)})`);
    const kinds = Object.keys(peak.kinds).map((k) => `${k} ${mib(base.kinds[k] ?? 0)} → ${mib(peak.kinds[k])}`).join(', ');
    err(`  at the browser's peak, by process kind (MiB): ${kinds}`);
    note(`bigfile_${name}_ms`, out.ms.toFixed(0));
    note(`bigfile_${name}_mib_per_s`, (size / 1048576 / (out.ms / 1000)).toFixed(2));
    note(`bigfile_${name}_browser_added_mib`, mib(added.browser));
    note(`bigfile_${name}_peers_added_mib`, mib(added.peers));
    return out;
  };
  const root = await phase('root', () => page.evaluate(() => window.phaseRoot()));
  const up = await phase('upload', () => page.evaluate(() => window.phaseUpload()));
  if (up.root !== root.root) throw new Error(`upload root ${up.root} differs from the computed ${root.root}`);
  await phase('download', () => page.evaluate((r) => window.phaseDownload(r), root.root));
  // The downloaded file's root, computed again from the OPFS file: byte-identical or not.
  const back = await phase('reread', () => page.evaluate(() => window.phaseCheck()));
  if (back.size !== size || back.root !== root.root) {
    throw new Error(`the downloaded file (${back.size} bytes, root ${back.root}) is not the uploaded one (${size}, ${root.root})`);
  }
  note('bigfile_download_root_matches', 1);
} finally {
  await mem.stop();
  await browser.close();
  await site.close();
  await devnet.stop();
  await rm(dir, { recursive: true, force: true });
}
