// The WebRTC rows of the bench, alone: Chromium uploads SIZE MiB to the
// devnet's six storage peers with aloft-storage.js (binary frames, then the
// JSON-RPC form) and blasts the same number of raw bytes over the same kind
// of channels, in one run, and prints MiB/s and the ratios.
//
//   node wasm-tests/bench/webrtc.mjs [SIZE_MIB=64] [ROUNDS=2]
//
// Needs `cargo xtask build` (dist/www, target/release/aloft-devnet). The page
// has no wallet, so roots are registered through the devnet's registry.
import { mkdtemp, writeFile, cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ROOT, DIST, CHROMIUM, CHROMIUM_FLAGS, serveStatic, startDevnet } from '../e2e/lib/harness.mjs';
import { UPLOAD_PAGE } from './upload-page.mjs';

const { chromium } = await import(pathToFileURL(path.join(ROOT, 'wasm-tests/e2e/node_modules/playwright-core/index.mjs')));
const mib = Number(process.argv[2] ?? 64);
const rounds = Number(process.argv[3] ?? 2);
const size = mib << 20;


const dir = await mkdtemp(path.join(tmpdir(), 'aloft-webrtc-bench-'));
const dataDir = await mkdtemp(path.join(tmpdir(), 'aloft-webrtc-devnet-'));
await cp(path.join(DIST, 'www/pkg'), path.join(dir, 'pkg'), { recursive: true });
await cp(path.join(DIST, 'www/storage/aloft-storage.js'), path.join(dir, 'aloft-storage.js'));
await writeFile(path.join(dir, 'index.html'), UPLOAD_PAGE);
await cp(path.join(ROOT, 'wasm-tests/bench/page/data.js'), path.join(dir, 'data.js'));
const devnet = await startDevnet({
  args: ['--data-dir', dataDir, '--rpc-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--headers-addr', '127.0.0.1:0',
    '--da-addr', '127.0.0.1:0', '--storage-addr', '127.0.0.1:0', '--oracle-addr', '127.0.0.1:0'],
});
const site = await serveStatic(dir);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
const rate = (ms) => mib / (ms / 1000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[page] ${m.text()}`); });
  await page.goto(`${site.url}/index.html`);
  await page.waitForFunction(() => window.uploadReady === true, null, { timeout: 60_000 });
  const got = { blast: [], blastWire: [], binary: [], json: [] };
  for (let r = 0; r < rounds; r++) {
    got.blast.push(rate((await page.evaluate(([c, s]) => window.runBlast(c, s), [devnet.controlUrl, size])).ms));
    // 1.5× the bytes: what a 4+2 upload puts on the wire (in file MiB/s, to compare with the upload).
    got.blastWire.push(rate((await page.evaluate(([c, s]) => window.runBlast(c, s), [devnet.controlUrl, size * 1.5])).ms));
    got.binary.push(rate((await page.evaluate(([c, s, seed]) => window.runUpload(c, s, 'binary', seed), [devnet.controlUrl, size, 2 * r + 1])).ms));
    got.json.push(rate((await page.evaluate(([c, s, seed]) => window.runUpload(c, s, 'json', seed), [devnet.controlUrl, size, 2 * r + 2])).ms));
    console.error(`round ${r + 1}: blast ${got.blast[r].toFixed(2)}, blast of 1.5× (per file MiB) ${got.blastWire[r].toFixed(2)}, binary ${got.binary[r].toFixed(2)}, json ${got.json[r].toFixed(2)} MiB/s`);
  }
  const [blast, blastWire, binary, json] = [median(got.blast), median(got.blastWire), median(got.binary), median(got.json)];
  console.log(JSON.stringify({
    sizeMiB: mib, rounds,
    blastMiBps: +blast.toFixed(2), uploadBinaryMiBps: +binary.toFixed(2), uploadJsonMiBps: +json.toFixed(2),
    binaryOverBlast: +(binary / blast).toFixed(3), jsonOverBlast: +(json / blast).toFixed(3),
    binaryOverBlastOfWireBytes: +(binary / blastWire).toFixed(3),
    samples: got,
  }));
} finally {
  await browser.close();
  await site.close();
  await devnet.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
}
