// The demo dapp's storage and iNFT sections (www/dapp/), with the packaged
// extension against the devnet: the dapp uploads a file (the wallet approves
// the connection and the Flow.submit), then mints an ERC-7857 agent whose
// data hash is that file's root (the wallet approves the mint); the wallet's
// own agents view then lists the agent with its owner proven by the light
// client. The dapp's hand-written mint call data is held to viem's encoder.
//
// Nothing assumes timing: what the devnet does is polled for with deadlines.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, startWorld } from '../lib/harness.mjs';
import { approveEverything, importTestWallet } from '../lib/wallet.mjs';

const { encodeFunctionData } = createRequire(path.join(ROOT, 'contracts/package.json'))('viem');

let world, page;
const approvals = [];

before(async () => {
  world = await startWorld();
  await importTestWallet(world.browser);
  approveEverything(world.browser, approvals);
  page = await world.browser.context.newPage();
  await page.goto(`${world.site.url}/dapp/`);
  await page.waitForFunction(() => window.dapp?.wallets().some((w) => w.rdns === 'dev.aloft.wallet'), null, { timeout: 20_000 });
});

after(async () => {
  await world?.stop();
});

test('the dapp encodes mint((string,bytes32)[],address) exactly as viem does, and refuses a bad hash', async () => {
  const args = ['{"name":"Demo dapp agent","files":[]}', `0x${'5a'.repeat(32)}`, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'];
  const ours = await page.evaluate((a) => window.dapp.mintCalldata(...a), args);
  const abi = [{ type: 'function', name: 'mint', inputs: [{ type: 'tuple[]', name: 'iDatas', components: [{ type: 'string', name: 'dataDescription' }, { type: 'bytes32', name: 'dataHash' }] }, { type: 'address', name: 'to' }], outputs: [] }];
  assert.equal(ours, encodeFunctionData({ abi, functionName: 'mint', args: [[{ dataDescription: args[0], dataHash: args[1] }], args[2]] }));
  const refused = await page.evaluate(() => { try { window.dapp.mintCalldata('x', '0x12', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'); return null; } catch (e) { return e.message; } });
  assert.match(refused, /data hash is 0x and 64 hex digits/);
});

test('the dapp uploads a file, mints an agent over its root, and the wallet lists it verified', { timeout: 240_000 }, async () => {
  await page.evaluate(() => window.dapp.connect());
  await page.setInputFiles('#upload-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(700_000, 'agent memory\n') });
  const root = await page.evaluate(() => window.dapp.upload());
  assert.match(root, /^0x[0-9a-f]{64}$/);
  assert.equal(await page.inputValue('#agent-hash'), root);
  const minted = await page.evaluate(() => window.dapp.mint());
  const [, id] = /^#(\d+) minted in block \d+$/.exec(minted) ?? [];
  assert.ok(id, minted);
  assert.ok(approvals.length >= 3 && approvals.every((a) => !a.startsWith('failed')), `approvals: ${approvals}`);
  // The owner is proven at the verified head; until the head reaches the
  // mint's block the view says "unverified", so reopen it until it is proven.
  const wallet = await world.browser.context.newPage();
  const deadline = Date.now() + 60_000;
  let row, verified;
  for (;;) {
    await wallet.goto(world.browser.extensionUrl('wallet.html#/agents'));
    await wallet.reload();
    row = await wallet.waitForSelector(`.agents li[data-token-id="${id}"]`, { timeout: 60_000 });
    verified = await wallet.$(`.agents li[data-token-id="${id}"] .badge.verified`);
    if (verified || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.match(await row.textContent(), /Demo dapp agent/);
  assert.match(await row.textContent(), new RegExp(root));
  assert.ok(verified, `not shown as verified: ${await row.textContent()} · ${await row.getAttribute('title')}`);
  await wallet.close();
});
