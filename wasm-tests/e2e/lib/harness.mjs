// The end-to-end harness: starts the devnet, a static server for dist/www and
// headless Chromium with the packaged extension, all on loopback.
//
// Used by the tests (tests/*.test.mjs), the scripted demo journey
// (journey.mjs) and `cargo xtask demo` (serve.mjs), so all three run the same
// things the same way.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const ROOT = process.env.ALOFT_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = path.join(ROOT, 'dist');
export const CHROMIUM = process.env.ALOFT_CHROMIUM ?? '/usr/bin/chromium';

// Loopback only: no mDNS multicast, no DNS lookups leaving the machine, no
// background traffic to Google's services.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** Starts `aloft-devnet` and resolves once it prints its ready line. */
export async function startDevnet({ args = [], timeoutMs = 30_000 } = {}) {
  const bin = path.join(ROOT, 'target/release/aloft-devnet');
  await stat(bin).catch(() => {
    throw new Error(`${bin} is missing: run \`cargo xtask build\` first`);
  });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the devnet did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the devnet exited (${code}): ${stderr}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const event = JSON.parse(line);
        if (event.event === 'ready') { clearTimeout(timer); resolve(event); }
      } catch { /* not a JSON line */ }
    });
  });
  child.removeAllListeners('exit');
  return {
    pid: child.pid,
    chainId: ready.chain_id,
    rpcUrl: ready.rpc,
    controlUrl: ready.control,
    headersUrl: ready.headers,
    witnessUrl: ready.witness,
    accounts: ready.accounts,
    contracts: ready.contracts,
    async headers(path) {
      const res = await fetch(`${ready.headers}${path}`);
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    },
    daUrl: ready.da,
    daNodes: ready.da_nodes,
    oracleUrl: ready.oracle,
    async rpc(method, params = []) {
      const res = await fetch(ready.rpc, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      const body = await res.json();
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result;
    },
    async setSwitch(name, value) {
      const res = await fetch(`${ready.control}/switches/${name}`, { method: 'PUT', body: JSON.stringify(value) });
      if (!res.ok) throw new Error(`switch ${name}: ${await res.text()}`);
      return res.json();
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
};

/** Serves `dir` over HTTP on `host:port` (port 0: any free port). */
export async function serveStatic(dir, { host = '127.0.0.1', port = 0 } = {}) {
  const root = path.resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      let file = path.resolve(root, '.' + decodeURIComponent(url.pathname));
      if (file !== root && !file.startsWith(root + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address();
  return { url: `http://${host}:${bound}`, close: () => new Promise((r) => server.close(r)) };
}

/** Launches headless Chromium with the packaged extension from dist/extension
 * (`flags`: another set of Chromium flags, e.g. extra host-resolver rules). */
export async function launchWithExtension({ flags = CHROMIUM_FLAGS, colorScheme } = {}) {
  const extension = path.join(DIST, 'extension');
  await stat(path.join(extension, 'manifest.json')).catch(() => {
    throw new Error(`${extension} is missing: run \`cargo xtask build\` first`);
  });
  const profile = await mkdtemp(path.join(tmpdir(), 'aloft-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...flags, `--disable-extensions-except=${extension}`, `--load-extension=${extension}`],
    ...(colorScheme ? { colorScheme } : {}),
  });
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent('serviceworker', { timeout: 20_000 });
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    extensionUrl: (file) => `chrome-extension://${extensionId}/${file}`,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium without extensions (for pages alone). */
export async function launchPlain() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return { browser, close: () => browser.close() };
}

/** Everything the journeys need, started together and stopped together. */
export async function startWorld() {
  const devnet = await startDevnet();
  const stops = [() => devnet.stop()];
  try {
    const site = await serveStatic(path.join(DIST, 'www'));
    stops.push(() => site.close());
    const browser = await launchWithExtension();
    stops.push(() => browser.close());
    return {
      devnet,
      site,
      browser,
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => {});
      },
    };
  } catch (e) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw e;
  }
}
