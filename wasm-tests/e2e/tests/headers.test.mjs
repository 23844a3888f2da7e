// The header light client (Rust → WASM) in headless Chromium against the
// devnet's validators: honest sync from a checkpoint, following new heads,
// each misbehaviour switch rejected with its reason, equivocation turned
// into evidence, a reload resuming from IndexedDB, a Web Worker, bad input.
//
// The devnet runs on free ports with fast blocks; the steps share one page
// (the live headers page, www/verifier/headers.html) and run in order.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, launchPlain, serveStatic, startDevnet } from '../lib/harness.mjs';

const BLOCK_MS = 250;
let devnet, site, browser, context, page, checkpoint;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function latest() {
  return (await devnet.headers('/status')).latest_height;
}

/** Waits until `check()` returns a truthy value (polled), or fails with `what`. */
async function until(what, check, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const clientState = () => page.evaluate(() => window.aloftHeaders.client.state());

async function openPage() {
  const url = `${site.url}/verifier/headers.html?rpc=${encodeURIComponent(devnet.headersUrl)}&checkpoint=${checkpoint}&storageKey=e2e`;
  await page.goto(url);
  await page.waitForFunction(() => window.aloftHeaders?.synced || window.aloftHeaders?.error, null, { timeout: 30_000 });
  const error = await page.evaluate(() => window.aloftHeaders.error);
  assert.equal(error, null, 'the page started');
}

before(async () => {
  devnet = await startDevnet({
    args: ['--rpc-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--headers-addr', '127.0.0.1:0', '--block-time-ms', String(BLOCK_MS)],
  });
  site = await serveStatic(path.join(DIST, 'www'));
  browser = await launchPlain();
  context = await browser.browser.newContext();
  page = await context.newPage();
  await until('a few blocks', async () => (await latest()) >= 3);
  const first = await devnet.headers('/header/1');
  checkpoint = `1:${first.hash}`;
});

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await site?.close().catch(() => {});
  await devnet?.stop().catch(() => {});
});

test('honest sync from a checkpoint', { timeout: 60_000 }, async () => {
  const startHeight = await latest();
  await openPage();
  const s = await clientState();
  assert.equal(s.resumed, false);
  assert.ok(s.head.height >= startHeight, `synced to ${s.head.height}, the chain was at ${startHeight}`);
  assert.ok(s.commitsVerified >= 1 && s.commitsVerified <= 20, `${s.commitsVerified} commits`);
  assert.deepEqual(s.rejections, []);
  // The head the page shows is the devnet's block at that height.
  const served = await devnet.headers(`/header/${s.head.height}`);
  assert.equal(s.head.hash, served.hash);
  // The page shows the client's head (read together: new heads keep arriving).
  const [shown, head] = await page.evaluate(() => [
    document.getElementById('head-height').textContent,
    window.aloftHeaders.client.state().head.height,
  ]);
  assert.equal(shown, String(head));
  assert.equal((await page.$$('#validators tr')).length, 4);
  // A header in the synced range, by height.
  const h2 = await page.evaluate(() => window.aloftHeaders.client.verifiedHeader(2));
  assert.equal(h2.hash, (await devnet.headers('/header/2')).hash);
});

test('new heads arrive over the WebSocket and are verified', { timeout: 60_000 }, async () => {
  const before = (await clientState()).head.height;
  await until('a verified head from the subscription', () =>
    page.evaluate((h) => window.aloftHeaders.events.some((e) => e.type === 'head' && e.head.height > h), before)
  );
  const s = await clientState();
  assert.ok(s.head.height > before);
});

for (const [name, kind] of [
  ['bad_signatures', 'invalid_signature'],
  ['sub_quorum', 'insufficient_voting_power'],
  ['lying_rpc', 'validator_set_chain_broken'],
]) {
  test(`switch ${name} is rejected with ${kind}`, { timeout: 60_000 }, async () => {
    const seen = (await clientState()).rejections.length;
    await devnet.setSwitch(name, true);
    let rejection;
    try {
      rejection = await until(`a ${kind} rejection`, async () => {
        const all = await page.evaluate(() => window.aloftHeaders.client.rejections());
        return all.slice(seen).find((r) => r.source === 'primary');
      });
    } finally {
      await devnet.setSwitch(name, false);
    }
    assert.equal(rejection.kind, kind, rejection.reason);
    assert.ok(rejection.reason.length > 20, 'the reason is a sentence');
    // The page lists it with its reason.
    assert.match(await page.textContent('#rejections'), new RegExp(kind));
    // Once the validators behave, the client moves past the bad heights.
    const bad = rejection.height;
    await until('an honest head past the bad range', async () => (await clientState()).head.height > bad);
  });
}

test('equivocation produces evidence and the conflicting head is not adopted', { timeout: 60_000 }, async () => {
  await devnet.setSwitch('equivocate', true);
  let evidence;
  try {
    evidence = await until('fork evidence', async () => {
      const all = await page.evaluate(() => window.aloftHeaders.client.evidence());
      return all[0];
    });
  } finally {
    await devnet.setSwitch('equivocate', false);
  }
  assert.equal(evidence.kind, 'light_client_attack');
  assert.notEqual(evidence.primary.hash, evidence.witness.hash);
  assert.equal(evidence.primary.header.height, evidence.witness.header.height);
  assert.match(evidence.encoded, /^0x01[0-9a-f]+$/);
  const s = await clientState();
  assert.ok(s.rejections.some((r) => r.kind === 'fork_detected'));
  assert.match(await page.textContent('#evidence'), new RegExp(`height ${evidence.height}`));
  const exported = JSON.parse(await page.evaluate(() => window.aloftHeaders.exportEvidence()));
  assert.equal(exported[0].encoded, evidence.encoded);
  // The chain goes on honestly afterwards and the client follows it.
  await until('an honest head past the fork', async () => (await clientState()).head.height > evidence.height);
});

test('a reload resumes from IndexedDB without re-verifying the synced range', { timeout: 60_000 }, async () => {
  const before = (await clientState()).head.height;
  await page.reload();
  await page.waitForFunction(() => window.aloftHeaders?.synced || window.aloftHeaders?.error, null, { timeout: 30_000 });
  const resumedAt = await page.evaluate(() => window.aloftHeaders.resumedAt);
  assert.ok(resumedAt >= before, `resumed at ${resumedAt}, had verified ${before}`);
  const initial = await page.evaluate(() => window.aloftHeaders.initialSync);
  assert.ok(initial.commitsVerified <= 1, `${initial.commitsVerified} commits to catch up after the reload`);
  assert.ok(initial.head >= resumedAt);
  const after = await clientState();
  assert.equal(after.resumed, true);
  // The fork evidence found before the reload is kept.
  assert.ok(after.evidence >= 1, 'evidence survives a reload');
});

test('the client runs in a Web Worker', { timeout: 60_000 }, async () => {
  const result = await page.evaluate(
    ({ rpc, checkpoint }) =>
      new Promise((resolve) => {
        const worker = new Worker('/verifier/headers-worker.js', { type: 'module' });
        worker.onmessage = (e) => { resolve(e.data); worker.terminate(); };
        worker.onerror = (e) => resolve({ error: e.message });
        worker.postMessage({ rpc, checkpoint, storageKey: 'worker' });
      }),
    { rpc: devnet.headersUrl, checkpoint }
  );
  assert.equal(result.error, undefined, result.error);
  assert.ok(result.head.height > 1);
  assert.equal(result.head.hash, (await devnet.headers(`/header/${result.head.height}`)).hash);
});

test('bad input from JS is a thrown Error with the reason', { timeout: 30_000 }, async () => {
  const errors = await page.evaluate(async ({ rpc }) => {
    const { HeaderClient } = await import('/pkg/aloft_light_client.js');
    const attempt = async (f) => {
      try { await f(); return 'no error'; } catch (e) { return `${e instanceof Error}:${e.message}`; }
    };
    const client = window.aloftHeaders.client;
    return [
      await attempt(() => HeaderClient.create({})),
      await attempt(() => HeaderClient.create(42)),
      await attempt(() => HeaderClient.create({ rpc, checkpoint: 'nope' })),
      await attempt(() => HeaderClient.create({ rpc: 'file:///x', checkpoint: '1:0x00' })),
      await attempt(() => HeaderClient.create({ rpc, checkpoint: `1:0x${'00'.repeat(32)}` })),
      await attempt(() => client.syncTo(-1)),
      await attempt(() => client.verifiedHeader(1.5)),
    ];
  }, { rpc: devnet.headersUrl });
  assert.match(errors[0], /^true:options\.rpc is required/);
  assert.match(errors[1], /^true:HeaderClient\.create takes an options object/);
  assert.match(errors[2], /^true:bad checkpoint "nope"/);
  assert.match(errors[3], /^true:options\.rpc must be an http/);
  assert.match(errors[4], /^true:the block at checkpoint height 1 hashes to/);
  assert.match(errors[5], /^true:height must be a whole number/);
  assert.match(errors[6], /^true:height must be a whole number/);
});
