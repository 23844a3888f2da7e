// Storage over WebRTC, end to end: a page (www/storage/) registers a file on
// chain with a Flow.submit the Aloft extension signs (EIP-6963 provider,
// eth_sendTransaction, approved in the wallet's window), uploads it to the
// devnet's six storage peers over data channels, and downloads it back
// byte-identical with two peers offline, after a restart of the devnet, and
// past a peer serving corrupt data. An upload for a root that was never
// submitted is refused with a clear error, and a reload mid-upload resumes
// without re-sending acknowledged segments. Shards travel as binary frames,
// except the download after the restart, which uses the JSON-RPC fallback.
// The buffer-reusing calls (shardFramesInto, SegmentShards, OpfsFileSink) are
// also given bad input, which they refuse with a reason.
//
// Size: ALOFT_E2E_STORAGE_MIB (default 64 MiB, the size).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST, launchWithExtension, serveStatic, startDevnet } from '../lib/harness.mjs';
import { approveEverything, importTestWallet } from '../lib/wallet.mjs';

const MIB = Number(process.env.ALOFT_E2E_STORAGE_MIB ?? 64);
const SIZE = MIB * 1024 * 1024 + 12345; // a partial last segment too
const SEED = 7;

let dataDir;
let devnet;
let site;
let browser;
let page;
/** The approval windows the wallet opened, by type, in order (all approved). */
const approvals = [];

/** Loads the storage page (in the same page and context on later calls, so
 * IndexedDB and OPFS carry over as they do for a user reloading a tab). */
async function openPage() {
  if (!page) {
    page = await browser.context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[page] ${m.text()}`); });
  }
  await page.goto(`${site.url}/storage/?control=${encodeURIComponent(devnet.controlUrl)}`);
  await page.waitForFunction(() => window.aloftStorage?.ready || window.aloftStorage?.error, null, { timeout: 30_000 });
  const error = await page.evaluate(() => window.aloftStorage.error);
  assert.equal(error, undefined, `the storage page did not start: ${error}`);
  // The test file: deterministic bytes made in the page, identical on every load.
  await page.evaluate(([size, seed]) => {
    window.makeFile = (s = seed) => {
      const parts = [];
      let x = s >>> 0 || 1;
      for (let off = 0; off < size; off += 1 << 20) {
        const part = new Uint8Array(Math.min(1 << 20, size - off));
        const words = new Uint32Array(part.buffer, 0, part.length >>> 2);
        for (let i = 0; i < words.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; words[i] = x >>> 0; }
        for (let i = words.length * 4; i < part.length; i++) part[i] = i & 0xff;
        parts.push(part);
      }
      return new Blob(parts);
    };
    window.sameBytes = async (a, b) => {
      if (a.size !== b.size) return `sizes differ: ${a.size} vs ${b.size}`;
      for (let off = 0; off < a.size; off += 1 << 22) {
        const [x, y] = await Promise.all([a.slice(off, off + (1 << 22)).arrayBuffer(), b.slice(off, off + (1 << 22)).arrayBuffer()]);
        const u = new Uint8Array(x); const v = new Uint8Array(y);
        for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return `first difference at byte ${off + i}`;
      }
      return 'same';
    };
    window.downloadAndCompare = async (root, name) => {
      const { network, opfsSink } = window.aloftStorage;
      const sink = await opfsSink(name);
      let result;
      try { result = await network.download(root, sink); } finally { await sink.close(); }
      return { ...result, compare: await window.sameBytes(window.makeFile(), await sink.file()) };
    };
  }, [SIZE, SEED]);
}

before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'aloft-e2e-storage-'));
  devnet = await startDevnet({ args: ['--data-dir', dataDir] });
  site = await serveStatic(path.join(DIST, 'www'));
  browser = await launchWithExtension();
  await importTestWallet(browser);
  // The user approves what the page asks of the wallet (connect, then Flow.submit).
  approveEverything(browser, approvals);
  await openPage();
});

after(async () => {
  await browser?.close().catch(() => {});
  await site?.close().catch(() => {});
  await devnet?.stop().catch(() => {});
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let root;

test('an upload for a root never submitted is refused with a clear error (binary frames and JSON-RPC)', { timeout: 60_000 }, async () => {
  const messages = await page.evaluate(async () => {
    const { StorageNetwork, wasm, control } = window.aloftStorage;
    const other = new Blob([new Uint8Array(300_000).fill(42)]);
    const out = {};
    for (const frames of ['binary', 'json']) {
      const network = await StorageNetwork.fromDevnet(control, wasm, { frames });
      try {
        await network.upload(other, { submit: false, retries: 1 });
        out[frames] = 'accepted';
      } catch (e) {
        out[frames] = e.message;
      } finally {
        network.close();
      }
    }
    return out;
  });
  assert.match(messages.binary, /never submitted to the flow contract/);
  assert.match(messages.json, /never submitted to the flow contract/);
});

test('a reload mid-upload resumes without re-sending acknowledged segments', { timeout: 300_000 }, async () => {
  // Start the upload and reload the page once a third is acknowledged.
  await page.evaluate(() => {
    window.partial = window.aloftStorage.network.upload(window.makeFile(), {
      onProgress: (p) => { window.lastProgress = p; },
    }).catch((e) => ({ error: e.message }));
  });
  await page.waitForFunction(() => window.lastProgress && window.lastProgress.done > window.lastProgress.total / 3, null, { timeout: 240_000 });
  await openPage(); // a reload: the same tab navigates to the page again
  const resumed = await page.evaluate(async () => {
    const { network } = window.aloftStorage;
    const progress = [];
    const result = await network.upload(window.makeFile(), { onProgress: (p) => progress.push(p) });
    return { result, stats: network.stats, first: progress[0], last: progress[progress.length - 1] };
  });
  root = resumed.result.root;
  // The root went on chain once, before the reload: a Flow.submit signed by
  // the wallet's account, mined; the resumed upload did not submit again.
  const submitted = resumed.result.submitted;
  assert.match(submitted?.tx ?? '', /^0x[0-9a-f]{64}$/, JSON.stringify(resumed.result));
  assert.equal(submitted.from.toLowerCase(), '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
  assert.equal(approvals.length, 2, `one connect and one transaction approval: ${approvals}`);
  assert.equal(approvals[0], 'connect');
  const receipt = await (await fetch(devnet.rpcUrl, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionReceipt', params: [submitted.tx] }),
  })).json();
  assert.equal(receipt.result?.status, '0x1');
  const flow = await page.evaluate(() => window.aloftStorage.flow);
  assert.equal(receipt.result.to.toLowerCase(), flow.toLowerCase());
  const { segments, skipped } = resumed.result;
  assert.ok(skipped > 0, `nothing was resumed: ${JSON.stringify(resumed)}`);
  assert.ok(skipped < segments);
  assert.equal(resumed.stats.shardsSent, (segments - skipped) * 6, 'only unacknowledged segments were sent');
  assert.ok(resumed.first.done > 0, 'progress starts from what was acknowledged');
  assert.equal(resumed.last.done, resumed.last.total);
  assert.ok(resumed.last.bytesPerSecond > 0 && Number.isFinite(resumed.last.etaSeconds));
  console.log(`upload: ${segments} segments, ${skipped} resumed, ${(resumed.last.bytesPerSecond / 1048576).toFixed(1)} MiB/s after the reload`);
});

test('download with two peers offline is byte-identical', { timeout: 300_000 }, async () => {
  await devnet.setSwitch('storage_peer_1_offline', true);
  await devnet.setSwitch('storage_peer_4_offline', true);
  const result = await page.evaluate((r) => window.downloadAndCompare(r, 'two-offline.bin'), root);
  assert.equal(result.compare, 'same');
  assert.equal(result.length, SIZE);
});

test('after a restart of the devnet the file downloads again, past a corrupt peer', { timeout: 300_000 }, async () => {
  await devnet.stop();
  devnet = await startDevnet({ args: ['--data-dir', dataDir] });
  await devnet.setSwitch('storage_peer_2_corrupt', true);
  const result = await page.evaluate(async (r) => {
    const { StorageNetwork, wasm, control } = window.aloftStorage;
    window.aloftStorage.network.close();
    // The JSON-RPC form (the fallback) reads what binary frames uploaded.
    window.aloftStorage.network = await StorageNetwork.fromDevnet(control, wasm, { frames: 'json' });
    return window.downloadAndCompare(r, 'restarted.bin');
  }, root);
  assert.equal(result.compare, 'same');
  assert.deepEqual(result.avoidedPeers, [2]);
});

test('the reuse-buffer storage calls refuse bad input with a reason, and OPFS writes land where asked', { timeout: 60_000 }, async () => {
  const out = await page.evaluate(async () => {
    const { wasm, OpfsFileSink } = window.aloftStorage;
    const attempt = (f) => { try { f(); return 'accepted'; } catch (e) { return e.message; } };
    const builder = new wasm.StorageTreeBuilder();
    builder.update(new Uint8Array(300_000).fill(7));
    const tree = builder.finish();
    const segment = new Uint8Array(262_144).fill(7);
    const result = {
      tooSmall: attempt(() => tree.shardFramesInto(0, segment, 4, 2, new Uint8Array(1000))),
      badCoding: attempt(() => new wasm.SegmentShards(3, 2)),
      empty: attempt(() => new wasm.SegmentShards(4, 2).rebuild(tree.root(), 300_000, 0)),
    };
    const frames = new Uint8Array(6 * 70_000);
    result.lengths = Array.from(tree.shardFramesInto(0, segment, 4, 2, frames));
    tree.free();
    // A sink writes at the positions given, out of order, and hands each buffer back.
    const sink = await OpfsFileSink.open('sink-check.bin');
    const back = await sink.write({ position: 4, data: new Uint8Array([5, 6, 7]) });
    await sink.write({ position: 0, data: new Uint8Array([1, 2, 3, 4]) });
    await sink.close();
    result.written = Array.from(new Uint8Array(await (await sink.file()).arrayBuffer()));
    result.backBytes = back?.byteLength;
    return result;
  });
  assert.match(out.tooSmall, /frame buffer holds 1000 bytes; segment 0 needs \d+/);
  assert.match(out.badCoding, /coding/);
  assert.match(out.empty, /no shard of the segment is held/);
  assert.equal(out.lengths.length, 6);
  assert.ok(out.lengths.every((n) => n > 65536), `each frame holds a 64 KiB shard and its header: ${out.lengths}`);
  assert.deepEqual(out.written, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(out.backBytes, 3);
});
