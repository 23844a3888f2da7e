// The wallet's Uploads view (ui/src/views/uploads.rs, Leptos) in the packaged
// extension's full-page tab, against the devnet's six storage peers: a person
// chooses a file, approves the Flow.submit in the wallet's window, watches the
// progress bar reach the end and reads the root; then downloads it by that
// root and gets the same bytes. A cancelled upload is listed as unfinished
// after a reload and resumes without re-sending what was acknowledged. A bad
// root keeps Download disabled with a hint; a root never submitted is refused
// in words. The popup points to the tab instead of moving bytes itself.
//
// Nothing assumes timing: what the devnet does is polled for with deadlines.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startWorld } from '../lib/harness.mjs';
import { approveEverything, importTestWallet } from '../lib/wallet.mjs';

let world, page, dir;
/** The approval windows the wallet opened (all approved), by type. */
const approvals = [];

/** A file of `mib` MiB + 777 bytes of xorshift bytes from `seed`. */
function bytes(mib, seed) {
  const out = Buffer.alloc(mib * 1048576 + 777);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= out.length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  return out;
}

async function fileOf(name, mib, seed) {
  const file = path.join(dir, name);
  const data = bytes(mib, seed);
  await writeFile(file, data);
  return { file, sha256: createHash('sha256').update(data).digest('hex'), length: data.length };
}

async function openUploads() {
  await page.goto(world.browser.extensionUrl('wallet.html#/uploads'));
  await page.waitForSelector('#upload-file', { timeout: 30_000 });
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aloft-e2e-uploads-'));
  world = await startWorld();
  await importTestWallet(world.browser);
  approveEverything(world.browser, approvals);
  page = await world.browser.context.newPage();
  await openUploads();
});

after(async () => {
  await world?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let uploaded;

test('upload a file from the Uploads view: approve the submission, see the progress end, read the root', { timeout: 180_000 }, async () => {
  assert.equal(await page.isDisabled('#upload-start'), true, 'Upload waits for a file');
  assert.equal(await page.isDisabled('#upload-cancel'), true, 'nothing to cancel yet');
  uploaded = await fileOf('three.bin', 3, 11);
  await page.setInputFiles('#upload-file', uploaded.file);
  assert.equal(await page.isDisabled('#upload-start'), false);
  await page.click('#upload-start');
  await page.waitForSelector('#upload-root, .banner.error', { timeout: 120_000 });
  const error = await page.textContent('.banner.error').catch(() => null);
  assert.equal(error, null, `the upload failed: ${error}`);
  uploaded.root = (await page.textContent('#upload-root')).trim();
  assert.match(uploaded.root, /^0x[0-9a-f]{64}$/);
  assert.match(await page.textContent('#upload-done'), /Stored: 13 segments on the peers/);
  assert.ok(approvals.length >= 1 && approvals.every((a) => !a.startsWith('failed')), `approvals: ${approvals}`);
  assert.equal(await page.isDisabled('#upload-cancel'), true);
});

test('download by root from the Downloads panel gives the same bytes', { timeout: 180_000 }, async () => {
  await page.fill('#download-root', uploaded.root);
  assert.equal(await page.isDisabled('#download-start'), false);
  await page.click('#download-start');
  await page.waitForSelector('#download-link, .download .banner.error', { timeout: 120_000 });
  assert.match(await page.textContent('#download-link'), new RegExp(`Save ${uploaded.length} bytes`));
  const sha = await page.evaluate(async () => {
    const blob = await (await fetch(document.getElementById('download-link').href)).arrayBuffer();
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', blob))].map((b) => b.toString(16).padStart(2, '0')).join('');
  });
  assert.equal(sha, uploaded.sha256);
});

test('a malformed root keeps Download disabled with a hint; an unknown root is refused in words', { timeout: 60_000 }, async () => {
  await page.fill('#download-root', '0x1234');
  assert.equal(await page.isDisabled('#download-start'), true);
  assert.match(await page.textContent('#download-hint'), /0x followed by 64 hex digits/);
  await page.fill('#download-root', `0x${'ab'.repeat(32)}`);
  await page.click('#download-start');
  await page.waitForSelector('.download .banner.error', { timeout: 60_000 });
  assert.match(await page.textContent('.download .banner-what'), /The download failed: .*never submitted/);
});

test('a cancelled upload is listed after a reload and resumes without re-sending what was acknowledged', { timeout: 300_000 }, async () => {
  const big = await fileOf('forty.bin', 40, 23);
  await page.setInputFiles('#upload-file', big.file);
  await page.click('#upload-start');
  // Cancel once some segments are acknowledged (the progress line shows MiB moved).
  await page.waitForFunction(() => {
    const line = document.querySelector('.upload .progress-summary')?.textContent ?? '';
    const m = /^([\d.]+) of/.exec(line);
    return m && Number(m[1]) >= 2;
  }, null, { timeout: 120_000, polling: 100 });
  await page.click('#upload-cancel');
  await page.waitForSelector('#upload-cancelled', { timeout: 30_000 });
  await openUploads();
  await page.waitForSelector('#unfinished li', { timeout: 15_000 });
  const listed = await page.textContent('#unfinished');
  assert.match(listed, /of 40\.0 MiB acknowledged/);
  await page.setInputFiles('#upload-file', big.file);
  await page.click('#upload-start');
  await page.waitForSelector('#upload-root, .banner.error', { timeout: 240_000 });
  const done = await page.textContent('#upload-done');
  assert.match(done, /\((\d+) were already acknowledged and not sent again\)/, done);
  await page.waitForSelector('#unfinished-empty', { timeout: 15_000 });
});

test('the popup points to the full-page tab for uploads', { timeout: 60_000 }, async () => {
  const popup = await world.browser.context.newPage();
  await popup.goto(world.browser.extensionUrl('popup.html#/uploads'));
  await popup.waitForSelector('#open-uploads', { timeout: 30_000 });
  assert.equal(await popup.getAttribute('#open-uploads', 'href'), 'wallet.html#/uploads');
  assert.equal(await popup.$('#upload-file'), null);
  await popup.close();
});
