// The light-client status view (ui/src/views/status.rs) in the packaged
// extension, against the devnet: what a person sees is what the service
// worker's header client verified. The head shown is the devnet's block at
// that height and advances; its DA block is sampled against the verified
// root; the validator set is listed with its powers; a
// misbehaviour switch shows up as a rejected header with its kind and
// reason, and is still shown after the service worker restarts (the
// rejections are persisted with the client's state); equivocation shows up
// as fork evidence that can be exported.
//
// Nothing here assumes timing: everything the devnet produces on its own
// clock is polled for with a generous deadline.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorld } from '../lib/harness.mjs';

let world, page;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` returns a truthy value (polled), or fails with `what`. */
async function until(what, check, timeoutMs = 45_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const shownHeight = async () => Number((await page.textContent('#lc-head-height').catch(() => null)) ?? 0);

before(async () => {
  world = await startWorld();
  await until('a few blocks', async () => (await world.devnet.headers('/status')).latest_height >= 3);
  page = await world.browser.context.newPage();
  // The status view needs no wallet: a fresh install shows it too.
  await page.goto(world.browser.extensionUrl('wallet.html#/status'));
  await page.waitForSelector('#lc-head-height', { timeout: 45_000 });
});

after(async () => {
  await page?.close().catch(() => {});
  await world?.stop();
});

test('the verified head is the devnet\'s block, signed by its validators', { timeout: 60_000 }, async () => {
  assert.equal(await page.textContent('.app-nav a[aria-current=page]'), 'Light client');
  assert.equal(await page.textContent('.badge'), 'Verified');
  // Read together: the view re-renders as new heads arrive.
  const { height, hash, signers, time } = await page.evaluate(() => ({
    height: Number(document.getElementById('lc-head-height').textContent),
    hash: document.getElementById('lc-head-hash').title,
    signers: document.getElementById('lc-signers').textContent,
    time: document.getElementById('lc-head-time').textContent,
  }));
  assert.ok(height >= 1);
  const served = await world.devnet.headers(`/header/${height}`);
  assert.equal(hash, served.hash);
  assert.match(signers, /^[34] of 4 validators$/);
  assert.match(time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  // The validator set with powers and shares.
  const validators = await page.$$eval('#lc-validators tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.equal(validators.length, 4);
  for (const [address, power, share] of validators) {
    assert.match(address, /^0x[0-9a-fA-F]{8}…[0-9a-fA-F]{4}$/);
    assert.ok(Number(power) > 0, `power ${power}`);
    assert.match(share, /^\d+\.\d %$/);
  }
  // Peers: the header API and its witness.
  const sources = await page.textContent('#lc-sources');
  assert.match(sources, /http:\/\/127\.0\.0\.1:26657/);
  assert.match(sources, /\/witness/);
  assert.match(await page.textContent('#lc-sync'), /^(In sync at block \d+|Verified \d+ of \d+ announced \(\d+ behind\))$/);
  assert.equal(await page.locator('#lc-no-rejections').count(), 1);
  assert.equal(await page.locator('#lc-no-evidence').count(), 1);
});

test('each head\'s DA block is sampled against its verified header: confidence per block', { timeout: 60_000 }, async () => {
  const row = await until('a sampled DA block', async () => {
    const rows = await page.$$eval('#lc-da tbody tr', (trs) => trs.map((tr) => ({ state: tr.dataset.availability, cells: [...tr.cells].map((c) => c.textContent) })));
    return rows.find((r) => r.state === 'available');
  });
  const [height, state, confidence, samples] = row.cells;
  assert.equal(state, 'available');
  assert.ok(Number(height) >= 1 && Number(height) <= (await shownHeight()), `block ${height}`);
  assert.match(confidence, /^\d+\.\d{4} %$/);
  assert.ok(Number(confidence.split(' ')[0]) >= 99, confidence);
  const [verified, total] = samples.split(' of ').map(Number);
  assert.equal(verified, total, 'every sample of an available block verified');
  assert.match(await page.textContent('#lc-da-peers'), /^8 DA nodes, 0 dropped/);
});

test('the head advances while the view is open', { timeout: 60_000 }, async () => {
  const first = await shownHeight();
  await until('a newer verified head on screen', async () => (await shownHeight()) > first);
});

test('bad signatures show as a rejected header with its reason, then the client moves on', { timeout: 120_000 }, async () => {
  await world.devnet.setSwitch('bad_signatures', true);
  let shown;
  try {
    shown = await until('a rejection on screen', async () => {
      const row = page.locator('#lc-rejections li[data-kind="invalid_signature"]').first();
      return (await row.count()) ? row.textContent() : null;
    });
    // The sync error is shown, and the head is no longer called verified-current.
    await until('the error banner', async () => (await page.locator('#lc-error').count()) === 1);
    assert.match(await page.textContent('#lc-error'), /The last sync stopped/);
    assert.equal(await page.textContent('.badge'), 'Unverified');
  } finally {
    await world.devnet.setSwitch('bad_signatures', false);
  }
  assert.match(shown, /Block \d+ · primary · invalid_signature/);
  const reason = await page.textContent('#lc-rejections li[data-kind="invalid_signature"] .reason');
  assert.ok(reason.trim().length > 20, `the reason is a sentence: ${reason}`);
  assert.match(await page.textContent('#lc-rejections-title'), /Rejected headers \([1-9]\d*\)/);
  const bad = Number(shown.match(/Block (\d+)/)[1]);
  await until('an honest head past the bad one', async () => (await shownHeight()) > bad);
  await until('the error cleared', async () => (await page.locator('#lc-error').count()) === 0);
  assert.equal(await page.textContent('.badge'), 'Verified');
});

/**
 * Stops the extension's service worker (DevTools protocol, as Chromium does
 * when a worker idles out) and resolves with the worker that starts again on
 * the next message; the old worker is marked first so the new one is told apart.
 */
async function restartWorker() {
  const { context } = world.browser;
  const old = context.serviceWorkers().find((w) => w.url().endsWith('/background.js'));
  await old.evaluate(() => { globalThis.__aloftBeforeRestart = true; });
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
  } finally {
    await cdp.detach().catch(() => {});
  }
  return until('a new service worker', async () => {
    // The status view's polling wakes the worker up again.
    for (const w of context.serviceWorkers()) {
      if (!w.url().endsWith('/background.js')) continue;
      const fresh = await w.evaluate(() => globalThis.__aloftBeforeRestart !== true).catch(() => false);
      if (fresh) return w;
    }
    return null;
  });
}

test('rejected headers are still shown after the service worker restarts', { timeout: 120_000 }, async () => {
  const rows = () => page.$$eval('#lc-rejections li[data-kind="invalid_signature"]', (lis) => lis.map((li) => ({
    line: li.textContent, reason: li.querySelector('.reason')?.textContent ?? '',
  })));
  const before = await rows();
  assert.ok(before.length >= 1, 'the bad_signatures rejection is on screen');
  const worker = await restartWorker();
  world.browser.worker = worker;
  // A fresh page too: nothing shown may come from the old page's memory.
  await page.reload();
  await page.waitForSelector('#lc-head-height', { timeout: 45_000 });
  const after = await until('the rejection again, from the restarted worker', async () => {
    const r = await rows();
    return r.length >= before.length ? r : null;
  });
  const first = before[0];
  assert.ok(after.some((r) => r.line === first.line && r.reason === first.reason), `${JSON.stringify(first)} in ${JSON.stringify(after)}`);
  assert.match(first.line, /Block \d+ · primary · invalid_signature/);
  assert.ok(first.reason.trim().length > 20, first.reason);
  assert.match(await page.textContent('#lc-rejections-title'), /Rejected headers \([1-9]\d*\)/);
  // The client resumed from its stored state and still verifies new heads.
  const shown = await shownHeight();
  await until('a newer verified head after the restart', async () => (await shownHeight()) > shown);
});

test('equivocation shows as fork evidence that can be exported', { timeout: 120_000 }, async () => {
  await world.devnet.setSwitch('equivocate', true);
  try {
    await until('fork evidence on screen', async () => (await page.locator('#lc-evidence li').count()) > 0);
  } finally {
    await world.devnet.setSwitch('equivocate', false);
  }
  const line = await page.textContent('#lc-evidence li');
  assert.match(line, /^Height \d+: header API 0x[0-9a-f]{8}…[0-9a-f]{4} vs witness 0x[0-9a-f]{8}…[0-9a-f]{4}$/);
  assert.ok(await page.locator('#lc-rejections li[data-kind="fork_detected"]').count() >= 1);
  const href = await page.getAttribute('#lc-export', 'href');
  assert.equal(await page.getAttribute('#lc-export', 'download'), 'aloft-evidence.json');
  const prefix = 'data:application/json;charset=utf-8,';
  assert.ok(href.startsWith(prefix), href.slice(0, 60));
  const exported = JSON.parse(decodeURIComponent(href.slice(prefix.length)));
  assert.equal(exported[0].kind, 'light_client_attack');
  assert.match(exported[0].encoded, /^0x01[0-9a-f]+$/);
  assert.notEqual(exported[0].primary.hash, exported[0].witness.hash);
  assert.equal(line.match(/^Height (\d+)/)[1], String(exported[0].height));
});
