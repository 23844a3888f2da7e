// End-to-end data-availability sampling: the verifier package (dist/www/pkg)
// in headless Chromium samples blocks served by the devnet's 8 DA nodes.
// The devnet makes blocks only when a payload is posted, so every test knows
// its block; switches make nodes withhold, corrupt or go silent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, launchPlain, serveStatic, startDevnet } from '../lib/harness.mjs';

let devnet, site, browser, page;

before(async () => {
  devnet = await startDevnet({ args: ['--da-block-interval-ms', '0'] });
  site = await serveStatic(path.join(DIST, 'www'));
  browser = await launchPlain();
  page = await browser.browser.newPage();
  await page.goto(`${site.url}/verifier/`);
  await page.evaluate(async () => {
    const m = await import('/pkg/aloft_light_client.js');
    await m.default();
    window.aloft = m;
  });
});
after(async () => {
  await browser?.close().catch(() => {});
  await site?.close().catch(() => {});
  await devnet?.stop().catch(() => {});
});

/** A deterministic payload of `len` bytes. */
function payload(len, seed) {
  const out = new Uint8Array(len);
  let x = seed | 1;
  for (let i = 0; i < len; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 0xff; }
  return out;
}

/** Posts a payload; resolves to the new block's {height, root, blobs}. */
async function submit(bytes) {
  const res = await fetch(`${devnet.daUrl}/da/v1/blobs`, { method: 'POST', body: bytes });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

async function resetSwitches() {
  await devnet.setSwitch('da.all.withhold', null);
  await devnet.setSwitch('da.all.corrupt', 'none');
  await devnet.setSwitch('da.all.offline', false);
  await devnet.setSwitch('da.all.delay_ms', 0);
}

/** Samples `block` in the page with a fresh sampler; returns {report, peers, events}. */
function sampleInPage(block, options = {}) {
  return page.evaluate(async ({ nodes, block, options }) => {
    const sampler = await window.aloft.DaSampler.open({ nodes, ...options });
    const events = [];
    sampler.subscribe((e) => events.push(e));
    const report = await sampler.sampleHeight(block.height, block.root);
    return { report, peers: sampler.peers(), events };
  }, { nodes: devnet.daNodes, block, options });
}

test('honest DA nodes: a 3-blob block reaches the target confidence', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(300_000, 1));
  assert.equal(block.blobs, 3);
  const { report, peers, events } = await sampleInPage(block);
  assert.equal(report.availability.status, 'available', JSON.stringify(report));
  assert.ok(report.confidence >= 0.9999, `confidence ${report.confidence}`);
  assert.equal(report.samples_verified, 3 * 13);
  assert.ok(peers.every((p) => !p.dropped));
  assert.ok(events.some((e) => e.event === 'block' && e.availability.status === 'pending'), 'pending events come first');
  // 39 cells of 2097 bytes plus the commitment list: well under 1 MiB.
  assert.ok(report.bytes_fetched < 39 * 2097 + 1024, `bytes ${report.bytes_fetched}`);
});

test('51% of one blob withheld on every node: the block is unavailable before the deadline', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(300_000, 2));
  await devnet.setSwitch('da.all.withhold', { blob: 1, fraction: 0.51 });
  const started = Date.now();
  const { report, peers } = await sampleInPage(block, { blockDeadlineMs: 20_000 });
  const took = Date.now() - started;
  await resetSwitches();
  assert.equal(report.availability.status, 'unavailable', JSON.stringify(report));
  assert.match(report.availability.reason, /not served/);
  assert.ok(took < 20_000, `took ${took} ms`);
  assert.ok(peers.every((p) => !p.dropped), 'withholding alone does not drop a peer');
});

test('a node serving corrupt cells is dropped; one serving wrong proofs too; the block still verifies', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(250_000, 3));
  await devnet.setSwitch('da.2.corrupt', 'cell');
  await devnet.setSwitch('da.5.corrupt', 'proof');
  const { report, peers, events } = await sampleInPage(block);
  await resetSwitches();
  assert.equal(report.availability.status, 'available', JSON.stringify(report));
  const dropped = peers.filter((p) => p.dropped).map((p) => p.peer);
  assert.deepEqual(dropped.sort(), [devnet.daNodes[2], devnet.daNodes[5]].sort());
  assert.ok(events.some((e) => e.event === 'peer_dropped' && /does not verify/.test(e.reason)));
});

test('offline and slow nodes: sampling times them out and uses the others', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(120_000, 4));
  await devnet.setSwitch('da.0.offline', true);
  await devnet.setSwitch('da.3.delay_ms', 5_000);
  const { report } = await sampleInPage(block, { requestTimeoutMs: 1_000 });
  await resetSwitches();
  assert.equal(report.availability.status, 'available', JSON.stringify(report));
});

test('reconstruction from exactly 50% of the cells returns the original bytes', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const original = payload(126_968, 5); // a full one-blob payload
  const block = await submit(original);
  assert.equal(block.blobs, 1);
  // Every node withholds cells 0..63: exactly 64 of 128 remain.
  await devnet.setSwitch('da.all.withhold', { blob: 0, fraction: 0.5 });
  const rebuilt = await page.evaluate(async ({ nodes, block }) => {
    const bytes = await window.aloft.reconstructPayload(nodes, block.height, block.root, [0], 5000);
    return Array.from(bytes);
  }, { nodes: devnet.daNodes, block });
  // One cell fewer than half is refused with a reason.
  await devnet.setSwitch('da.all.withhold', { blob: 0, fraction: 65 / 128 });
  const refused = await page.evaluate(async ({ nodes, block }) => {
    try { await window.aloft.reconstructPayload(nodes, block.height, block.root, [0], 5000); return 'no error'; } catch (e) { return e.message; }
  }, { nodes: devnet.daNodes, block });
  await resetSwitches();
  assert.equal(rebuilt.length, original.length);
  assert.ok(rebuilt.every((b, i) => b === original[i]), 'the rebuilt payload differs');
  assert.match(refused, /64 distinct cells, got 63/);
});

test('the JS API samples from a Web Worker too', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(40_000, 7));
  const report = await page.evaluate(async ({ nodes, block }) => {
    const code = `
      import init, { DaSampler } from '${location.origin}/pkg/aloft_light_client.js';
      self.onmessage = async (e) => {
        try {
          await init();
          const sampler = await DaSampler.open({ nodes: e.data.nodes, db: 'aloft-da-worker' });
          self.postMessage({ ok: true, report: await sampler.sampleHeight(e.data.block.height, e.data.block.root) });
        } catch (err) { self.postMessage({ ok: false, error: String(err.message || err) }); }
      };`;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
    const answer = await new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.postMessage({ nodes, block }); });
    worker.terminate();
    return answer;
  }, { nodes: devnet.daNodes, block });
  assert.ok(report.ok, report.error);
  assert.equal(report.report.availability.status, 'available');
});

test('bad input from JavaScript is refused with a reason', { timeout: 60_000 }, async () => {
  const errors = await page.evaluate(async ({ nodes }) => {
    const out = [];
    const tryIt = async (f) => { try { await f(); out.push('no error'); } catch (e) { out.push(e.message); } };
    await tryIt(() => window.aloft.DaSampler.open({ nodes: [] }));
    await tryIt(() => window.aloft.DaSampler.open({ nodes: ['ftp://x'] }));
    await tryIt(() => window.aloft.DaSampler.open({ nodes, targetConfidence: 1.5 }));
    const s = await window.aloft.DaSampler.open({ nodes });
    await tryIt(() => s.sampleHeight(-1, '0x00'));
    await tryIt(() => s.sampleHeight(1, '0x1234'));
    return out;
  }, { nodes: devnet.daNodes });
  assert.match(errors[0], /at least one DA node/);
  assert.match(errors[1], /not an http/);
  assert.match(errors[2], /target_confidence/);
  assert.match(errors[3], /height/);
  assert.match(errors[4], /32 bytes of hex/);
});

test('sampling state survives a reload (IndexedDB) and the live page shows availability', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(10_000, 6));
  const first = await sampleInPage(block, { db: 'aloft-da-e2e' });
  assert.equal(first.report.availability.status, 'available');
  await page.reload();
  const restored = await page.evaluate(async ({ nodes, height }) => {
    const m = await import('/pkg/aloft_light_client.js');
    await m.default();
    window.aloft = m;
    const sampler = await m.DaSampler.open({ nodes, db: 'aloft-da-e2e' });
    return sampler.block(height);
  }, { nodes: devnet.daNodes, height: block.height });
  assert.equal(restored?.availability.status, 'available', JSON.stringify(restored));
  assert.equal(restored.confidence, first.report.confidence);

  const live = await browser.browser.newPage();
  await live.goto(`${site.url}/da/?da=${encodeURIComponent(devnet.daUrl)}`);
  await live.waitForSelector(`tr[data-height="${block.height}"][data-status="available"]`, { timeout: 60_000 });
  await live.close();
});
