// Measures the vault KDF's cost per password guess in headless Chromium:
// the extension's engine wasm (dist/extension/engine) in a page, one
// wallet imported, then `unlock` with a wrong password N times (each is one
// PBKDF2-SHA256 derivation at the vault's 600,000 rounds plus one failed
// AES-GCM tag check: exactly what a guess costs this code). Prints one JSON
// line. A measurement for docs/security.md, not a test.
//   node wasm-tests/e2e/kdf-cost.mjs [N]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, DIST } from './lib/harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const root = process.env.ALOFT_EXTENSION_DIR ?? path.join(DIST, 'extension');
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer(async (req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end('<!doctype html><title>kdf</title>');
  }
  try {
    const file = path.join(root, path.normalize(req.url).replace(/^\/+/, ''));
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  const result = await page.evaluate(async (runs) => {
    const mod = await import('/engine/aloft_extension.js');
    await mod.default();
    const engine = new mod.Engine(null, null, null, () => {});
    await engine.command({
      cmd: 'importMnemonic',
      phrase: 'test test test test test test test test test test test junk',
      password: 'correct horse battery',
    });
    await engine.command({ cmd: 'lock' });
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      let refused = false;
      try {
        await engine.command({ cmd: 'unlock', password: `wrong guess ${i}` });
      } catch {
        refused = true;
      }
      times.push(performance.now() - t0);
      if (!refused) throw new Error('a wrong password unlocked the vault');
    }
    return { times, ua: navigator.userAgent };
  }, runs);
  const sorted = [...result.times].sort((a, b) => a - b);
  console.log(JSON.stringify({
    where: 'chromium-wasm',
    iterations: 600000,
    runs,
    median_ms: Number(sorted[Math.floor(sorted.length / 2)].toFixed(1)),
    min_ms: Number(sorted[0].toFixed(1)),
    max_ms: Number(sorted.at(-1).toFixed(1)),
    browser: result.ua.match(/Chrome\/[\d.]+/)?.[0],
  }));
} finally {
  await browser.close();
  server.close();
}
