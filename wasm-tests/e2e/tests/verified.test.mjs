// State and data availability against BLS-verified headers, in headless
// Chromium: the verifier package's HeaderClient syncs the devnet's headers,
// then proves an account and an ERC-721 owner with eth_getProof against the
// verified header's state root, refuses a lying RPC with its reason, and
// samples a DA block whose root it takes from the verified header.
//
// One block cadence makes this possible: header h carries EVM block h's
// state root and DA block h's commitments root.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, launchPlain, serveStatic, startDevnet } from '../lib/harness.mjs';

let devnet, site, browser, page;

before(async () => {
  devnet = await startDevnet({
    args: [
      '--rpc-addr', '127.0.0.1:0', '--control-addr', '127.0.0.1:0', '--headers-addr', '127.0.0.1:0',
      '--da-addr', '127.0.0.1:0', '--storage-peers', '0', '--block-time-ms', '300', '--da-block-interval-ms', '0',
    ],
  });
  site = await serveStatic(path.join(DIST, 'www'));
  browser = await launchPlain();
  page = await browser.browser.newPage();
  await page.goto(`${site.url}/verifier/`);
  const first = await devnet.headers('/header/1');
  await page.evaluate(async ({ rpc, evmRpc, checkpoint }) => {
    const m = await import('/pkg/aloft_light_client.js');
    await m.default();
    window.aloft = m;
    window.client = await m.HeaderClient.create({ rpc, evmRpc, checkpoint, storageKey: `verified-${Date.now()}` });
  }, { rpc: devnet.headersUrl, evmRpc: devnet.rpcUrl, checkpoint: `1:${first.hash}` });
});

after(async () => {
  await browser?.close().catch(() => {});
  await site?.close().catch(() => {});
  await devnet?.stop().catch(() => {});
});

test('an account and an NFT owner are proven against a BLS-verified header', { timeout: 60_000 }, async () => {
  const [alice] = devnet.accounts;
  const out = await page.evaluate(async ({ alice, nft }) => {
    const head = await window.client.syncToHead();
    const account = await window.client.verifiedAccount(alice);
    const owner = await window.client.verifiedOwnerOf(nft, '0');
    return { head, account, owner };
  }, { alice, nft: devnet.contracts.agent_nft });
  const h = out.head.height;
  assert.equal(out.account.height, h, 'read at the verified head');
  assert.equal(out.account.stateRoot, out.head.header.state_root);
  // The header's root is the EVM block's root at the same height.
  const block = await devnet.rpc('eth_getBlockByNumber', [`0x${h.toString(16)}`, false]);
  assert.equal(block.stateRoot, out.head.header.state_root);
  const balance = await devnet.rpc('eth_getBalance', [alice, `0x${h.toString(16)}`]);
  assert.equal(BigInt(out.account.balance), BigInt(balance));
  // The genesis demo agent (token 0) belongs to the first account.
  assert.equal(out.owner.owner.toLowerCase(), alice.toLowerCase());
  assert.equal(out.owner.height, h);
});

test('a lying RPC is refused with its reason', { timeout: 60_000 }, async () => {
  const [alice] = devnet.accounts;
  const head = await page.evaluate(() => window.client.syncToHead());
  await devnet.setSwitch('lying_rpc', true);
  try {
    const error = await page.evaluate(async ({ alice, h }) => {
      try {
        await window.client.verifiedAccount(alice, h);
        return null;
      } catch (e) {
        return e.message;
      }
    }, { alice, h: head.height });
    assert.ok(error, 'the inflated balance was not accepted');
    assert.match(error, /does not verify against the state root/);
    assert.match(error, /balance/);
  } finally {
    await devnet.setSwitch('lying_rpc', false);
  }
  // Bad input is refused before any request.
  const bad = await page.evaluate(() => window.client.verifiedOwnerOf('0x12', '1').catch((e) => e.message));
  assert.match(bad, /contract/);
});

test('a DA block is sampled against the root of its verified header', { timeout: 120_000 }, async () => {
  const bytes = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
  const res = await fetch(`${devnet.daUrl}/da/v1/blobs`, { method: 'POST', body: bytes });
  assert.equal(res.status, 200, await res.clone().text());
  const posted = await res.json();
  assert.equal(posted.blobs, 2);
  const out = await page.evaluate(async ({ nodes, height }) => {
    const header = await window.client.verifiedHeader(height);
    const sampler = await window.aloft.DaSampler.open({ nodes });
    const report = await sampler.sampleVerified(window.client, height);
    return { header, report };
  }, { nodes: devnet.daNodes, height: posted.height });
  assert.equal(out.header.header.da_root, posted.root, 'the header carries the DA block root');
  assert.equal(out.report.availability.status, 'available', JSON.stringify(out.report));
  assert.equal(out.report.root, posted.root);
  assert.ok(out.report.confidence >= 0.9999);
});
