// End-to-end data-availability sampling: the verifier package (dist/www/pkg)
// in headless Chromium samples blocks served by the devnet's 8 DA nodes.
// The devnet makes blocks only when a payload is posted, so every test knows
// its block; switches make nodes withhold, corrupt, go silent or serve a
// wrong commitment list (refused against the BLS-verified header's DA root).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, launchPlain, serveStatic, startDevnet } from '../lib/harness.mjs';

let devnet, site, browser, page, checkpoint;

before(async () => {
  devnet = await startDevnet({ args: ['--da-block-interval-ms', '0'] });
  site = await serveStatic(path.join(DIST, 'www'));
  browser = await launchPlain();
  page = await browser.browser.newPage();
  await page.goto(`${site.url}/verifier/`);
  const first = await devnet.headers('/header/1');
  checkpoint = `1:${first.hash}`;
  await loadApi();
});

/** Loads the verifier package into the page, with a HeaderClient on the devnet's header API. */
async function loadApi() {
  await page.evaluate(async ({ rpc, checkpoint }) => {
    const m = await import('/pkg/aloft_light_client.js');
    await m.default();
    window.aloft = m;
    window.client = await m.HeaderClient.create({ rpc, checkpoint, storageKey: `da-e2e-${Date.now()}` });
  }, { rpc: devnet.headersUrl, checkpoint });
}
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
  await devnet.setSwitch('da.all.commitments', null);
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
  // Every event carries the standing at delivery, so a listener never calls back into the busy sampler.
  for (const e of events.filter((e) => e.event === 'peer_dropped')) {
    assert.ok(e.peers.some((p) => p.peer === e.peer && p.dropped === e.reason), JSON.stringify(e));
  }
  const last = events.at(-1);
  assert.equal(last.event, 'block');
  assert.deepEqual(last.peers, peers, 'the final block event shows the standing peers() reports');
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
  await loadApi();
  const restored = await page.evaluate(async ({ nodes, height }) => {
    const sampler = await window.aloft.DaSampler.open({ nodes, db: 'aloft-da-e2e' });
    return sampler.block(height);
  }, { nodes: devnet.daNodes, height: block.height });
  assert.equal(restored?.availability.status, 'available', JSON.stringify(restored));
  assert.equal(restored.confidence, first.report.confidence);

  const live = await browser.browser.newPage();
  await live.goto(`${site.url}/da/?da=${encodeURIComponent(devnet.daUrl)}&rpc=${encodeURIComponent(devnet.headersUrl)}&checkpoint=${checkpoint}`);
  await live.waitForSelector(`tr[data-height="${block.height}"][data-status="available"]`, { timeout: 60_000 });
  await live.close();
});

/** Samples `height` with a fresh sampler against the page's verified header; returns {report, peers, header}. */
function sampleVerifiedInPage(height, options = {}) {
  return page.evaluate(async ({ nodes, height, options }) => {
    const sampler = await window.aloft.DaSampler.open({ nodes, ...options });
    const report = await sampler.sampleVerified(window.client, height);
    const header = await window.client.verifiedHeader(height);
    return { report, peers: sampler.peers(), header };
  }, { nodes: devnet.daNodes, height, options });
}

test('a wrong commitment list is refused against the verified header; an honest block still reaches the target', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const lied = await submit(payload(300_000, 8));
  const honest = await submit(payload(250_000, 9));
  assert.equal(lied.blobs, 3);
  // Every node swaps two commitments of the first block, and names the lie's root in its summaries.
  await devnet.setSwitch('da.all.commitments', { lie: 'swap', height: lied.height });
  const told = await fetch(`${devnet.daNodes[0]}/da/v1/blocks/${lied.height}`).then((r) => r.json());
  assert.notEqual(told.root, lied.root, 'a liar names another root');
  const bad = await sampleVerifiedInPage(lied.height);
  assert.equal(bad.header.header.da_root, lied.root, 'the root came from the verified header');
  assert.equal(bad.report.root, lied.root);
  assert.equal(bad.report.availability.status, 'unavailable', JSON.stringify(bad.report));
  assert.equal(bad.report.availability.reason, 'no peer served a commitment list that matches the header');
  assert.equal(bad.report.confidence, 0);
  assert.ok(bad.peers.every((p) => /does not match the header.*hashes to/.test(p.dropped ?? '')), JSON.stringify(bad.peers));
  // The same nodes serve the next block honestly: it reaches the target confidence.
  const good = await sampleVerifiedInPage(honest.height);
  assert.equal(good.report.availability.status, 'available', JSON.stringify(good.report));
  assert.ok(good.report.confidence >= 0.9999, `confidence ${good.report.confidence}`);
  assert.ok(good.peers.every((p) => !p.dropped));
  await resetSwitches();
});

test('the live page drops a node serving a wrong list with the reason and still shows the block available', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(200_000, 10));
  // Six nodes drop a commitment; the two after the first node asked stay honest.
  const honestNodes = [(block.height + 6) % 8, (block.height + 7) % 8];
  for (let i = 0; i < 8; i++) {
    if (!honestNodes.includes(i)) await devnet.setSwitch(`da.${i}.commitments`, { lie: 'drop', height: block.height });
  }
  const live = await browser.browser.newPage();
  try {
    await live.goto(`${site.url}/da/?da=${encodeURIComponent(devnet.daUrl)}&rpc=${encodeURIComponent(devnet.headersUrl)}&checkpoint=${checkpoint}`);
    await live.waitForSelector(`tr[data-height="${block.height}"][data-status="available"]`, { timeout: 60_000 });
    const shown = await live.evaluate((h) => ({
      root: window.aloftDa.reports.get(h)?.root,
      peers: [...document.querySelectorAll('#peers li')].map((li) => li.textContent),
    }), block.height);
    assert.equal(shown.root, block.root, 'sampled against the verified header root');
    const dropped = shown.peers.filter((t) => t.includes('dropped'));
    assert.ok(dropped.length >= 1, JSON.stringify(shown.peers));
    assert.ok(dropped.every((t) => t.includes(`served a commitment list for height ${block.height} that does not match the header`)), JSON.stringify(dropped));
    assert.ok(honestNodes.every((i) => shown.peers.some((t) => t.startsWith(`${devnet.daNodes[i]}:`) && !t.includes('dropped'))));
  } finally {
    await live.close();
    await resetSwitches();
  }
});

test('over WebRTC data channels: a block reaches the target, a wrong list and an offline node are handled alike', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(300_000, 11));
  const lied = await submit(payload(100_000, 12));
  await devnet.setSwitch('da.all.commitments', { lie: 'drop', height: lied.height });
  await devnet.setSwitch('da.6.offline', true);
  const out = await page.evaluate(async ({ nodes, heights }) => {
    const { webrtcTransport } = await import('/da/da-webrtc.js');
    const transport = webrtcTransport();
    const calls = [];
    const counting = (node, path, ms) => { calls.push(path); return transport(node, path, ms); };
    const sampler = await window.aloft.DaSampler.open({ nodes, transport: counting, requestTimeoutMs: 3000 });
    const report = await sampler.sampleVerified(window.client, heights[0]);
    const peers = sampler.peers();
    const liar = await window.aloft.DaSampler.open({ nodes, transport: counting });
    const lied = await liar.sampleVerified(window.client, heights[1]);
    const open = [...transport.channels.values()].filter((c) => c.open).length;
    transport.close();
    return { report, peers, lied, calls: calls.length, open };
  }, { nodes: devnet.daNodes, heights: [block.height, lied.height] });
  await resetSwitches();
  assert.equal(out.report.availability.status, 'available', JSON.stringify(out.report));
  assert.ok(out.report.confidence >= 0.9999, `confidence ${out.report.confidence}`);
  assert.equal(out.report.samples_verified, 3 * 13);
  assert.ok(out.calls > 0 && out.open >= 6, `calls ${out.calls}, open channels ${out.open}`);
  // The offline node refused signaling; it lost score, nothing was claimed from it.
  const offline = out.peers.find((p) => p.peer === devnet.daNodes[6]);
  assert.ok(offline.score < 5 || offline.dropped, JSON.stringify(offline));
  assert.equal(out.lied.availability.status, 'unavailable', JSON.stringify(out.lied));
  assert.equal(out.lied.availability.reason, 'no peer served a commitment list that matches the header');
});

test('the live page samples over WebRTC when asked', { timeout: 120_000 }, async () => {
  await resetSwitches();
  const block = await submit(payload(60_000, 13));
  const live = await browser.browser.newPage();
  try {
    await live.goto(`${site.url}/da/?transport=webrtc&da=${encodeURIComponent(devnet.daUrl)}&rpc=${encodeURIComponent(devnet.headersUrl)}&checkpoint=${checkpoint}`);
    await live.waitForSelector(`tr[data-height="${block.height}"][data-status="available"]`, { timeout: 60_000 });
    assert.match(await live.textContent('#nodes'), /over WebRTC data channels/);
  } finally {
    await live.close();
  }
});
