// The demo dapp's storage and iNFT sections (www/dapp/), with the packaged
// extension against the devnet: the dapp uploads a file (the wallet approves
// the connection and the Flow.submit), then mints an ERC-7857 agent whose
// data hash is that file's root (the wallet approves the mint); the wallet's
// own agents view then lists the agent with its owner proven by the light
// client. The dapp's hand-written mint call data is held to viem's encoder.
// Then the dapp transfers an agent to the wallet's second account: the wallet
// asks the transfer oracle for the proofs (aloft_agentTransferProofs, its own
// approval), the dapp encodes iTransferFrom (held to viem too) and sends it
// (a second approval, the call decoded); ownerOf on chain is the receiver.
// A token the account does not own, one that does not exist, and the dapp's
// plain-data agent (no data key to re-encrypt) are refused with clear errors
// and no approval window.
//
// Nothing assumes timing: what the devnet does is polled for with deadlines.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, startWorld } from '../lib/harness.mjs';
import { ACCOUNT0, ACCOUNT1, approveEverything, importTestWallet } from '../lib/wallet.mjs';

const { encodeFunctionData } = createRequire(path.join(ROOT, 'contracts/package.json'))('viem');

let world, page;
const approvals = [];
const shown = [];
const state = {};
const AGENT_ABI = JSON.parse(readFileSync(path.join(ROOT, 'contracts/artifacts/AgentNFT.json'), 'utf8')).abi;
const ACCOUNT2 = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';

before(async () => {
  world = await startWorld();
  await importTestWallet(world.browser);
  approveEverything(world.browser, approvals, shown);
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
  state.plainToken = id;
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

test('the dapp encodes iTransferFrom(from, to, tokenId, proofs) exactly as viem does', async () => {
  const hex = (n, seed) => `0x${Buffer.alloc(n, seed).toString('hex')}`;
  const proof = (seed) => ({
    accessProof: { dataHash: hex(32, seed), targetPubkey: '0x', nonce: hex(16, seed + 1), proof: hex(65, seed + 2) },
    ownershipProof: { oracleType: 0, dataHash: hex(32, seed), sealedKey: hex(129, seed + 3), targetPubkey: hex(64, seed + 4), nonce: hex(32, seed + 5), proof: hex(65, seed + 6) },
  });
  for (const proofs of [[proof(1)], [proof(1), proof(20)]]) {
    const args = [ACCOUNT0, ACCOUNT1, '12345678901234567890', proofs];
    const ours = await page.evaluate((a) => window.dapp.iTransferFromCalldata(...a), args);
    assert.equal(ours, encodeFunctionData({ abi: AGENT_ABI, functionName: 'iTransferFrom', args: [args[0], args[1], BigInt(args[2]), proofs] }));
  }
  const refused = await page.evaluate((a) => { try { window.dapp.iTransferFromCalldata(...a); return null; } catch (e) { return e.message; } }, [ACCOUNT0, ACCOUNT1, '1', []]);
  assert.match(refused, /at least one proof/);
});

/** Runs `dapp.transferAgent(id, to)` in the dapp: `{value}` or `{code, message}`. */
const transfer = (id, to) => page.evaluate(([i, t]) => window.dapp.transferAgent(i, t).then((value) => ({ value }), (e) => ({ code: e.code, message: e.message })), [id, to]);

test('the dapp transfers an agent to the wallet\'s second account: oracle proofs from the wallet, iTransferFrom from the dapp', { timeout: 300_000 }, async () => {
  const added = await world.browser.worker.evaluate((c) => globalThis.aloftCommand(c), { cmd: 'addAccount' });
  assert.equal(added.address.toLowerCase(), ACCOUNT1);
  // An agent whose data key is sealed to its owner: minted (encrypted in the
  // engine, uploaded over WebRTC) in the wallet's agents view. The dapp's
  // own mint registers plain data, which has no key to re-encrypt (see the
  // refusals below).
  const agents = await world.browser.context.newPage();
  await agents.goto(world.browser.extensionUrl('wallet.html#/agents'));
  await agents.waitForSelector('#mint-files', { timeout: 30_000 });
  await agents.setInputFiles('#mint-files', { name: 'memory.bin', mimeType: 'application/octet-stream', buffer: randomBytes(300_000) });
  await agents.fill('#mint-name', 'dapp transfer agent');
  await agents.click('#mint-start');
  const done = await agents.waitForSelector('#mint-done, .mint .banner.error', { timeout: 120_000 });
  const token = await done.getAttribute('data-token-id');
  await agents.close();
  assert.match(token ?? '', /^\d+$/, 'the agent was minted');

  const before = shown.length;
  const result = await transfer(token, ACCOUNT1);
  assert.ok(result.value, `the transfer succeeds: ${result.message}`);
  assert.match(result.value, new RegExp(`^agent #${token} transferred to ${ACCOUNT1} in block \\d+$`));
  assert.equal(await page.textContent('#transfer-result'), result.value);
  const windows = shown.slice(before);
  assert.deepEqual(windows.map((w) => w.type), ['agentTransferProofs', 'transaction']);
  // First the oracle request, said plainly.
  const [oracle, send] = windows;
  assert.equal(oracle.detail.summary, `Re-encrypt agent #${token} for ${ACCOUNT1} through the transfer oracle; the site gets the proofs, not the key.`);
  assert.match(oracle.summary, /Re-encrypt agent #\d+ for 0x70997970c51812dc3a010c7d01b50e0d17dc79c8 through the transfer oracle/);
  assert.match(oracle.summary, /an account of this wallet/);
  assert.equal(oracle.detail.account.toLowerCase(), ACCOUNT0);
  // Then the dapp's iTransferFrom, decoded.
  assert.equal(send.detail.call.kind, 'call');
  assert.equal(send.detail.call.function, 'iTransferFrom');
  const args = Object.fromEntries(send.detail.call.args.map((a) => [a.name, String(a.value).toLowerCase()]));
  assert.equal(args.from, ACCOUNT0);
  assert.equal(args.to, ACCOUNT1);
  assert.equal(args.tokenId, token);
  // On chain: the receiver owns it, and the call data sent is viem's encoding.
  const contract = (await (await fetch(`${world.devnet.rpcUrl}/contracts`)).json()).addresses.agent_nft;
  const owner = await world.devnet.rpc('eth_call', [{ to: contract, data: `0x6352211e${BigInt(token).toString(16).padStart(64, '0')}` }, 'latest']);
  assert.equal(`0x${owner.slice(-40)}`, ACCOUNT1);
  const last = await page.evaluate(() => window.dapp.lastTransfer());
  const sent = await world.devnet.rpc('eth_getTransactionByHash', [last.tx]);
  assert.equal(sent.input, last.data);
  assert.equal(last.data, encodeFunctionData({ abi: AGENT_ABI, functionName: 'iTransferFrom', args: [ACCOUNT0, ACCOUNT1, BigInt(token), last.proofs] }));
  assert.equal(last.proofs.length, 1);
  assert.equal(last.proofs[0].ownershipProof.nonce, last.newDataHash, 'the oracle\'s nonce is the re-encrypted data\'s root');
  state.transferred = token;
});

test('a token the account does not own, one that does not exist, and a plain-data agent are refused without an approval window', { timeout: 60_000 }, async () => {
  assert.ok(state.transferred && state.plainToken, 'the earlier tests ran');
  const windows = world.browser.context.pages().length;
  const asked = approvals.length;
  const notOwned = await transfer(state.transferred, ACCOUNT2);
  assert.equal(notOwned.code, 4100, JSON.stringify(notOwned));
  assert.equal(notOwned.message, `agent #${state.transferred} belongs to ${ACCOUNT1}, not to this site's account ${ACCOUNT0}`);
  assert.equal(await page.textContent('#transfer-result'), `error 4100: ${notOwned.message}`);
  const missing = await transfer('999999', ACCOUNT2);
  assert.equal(missing.code, -32602, JSON.stringify(missing));
  assert.match(missing.message, /^agent #999999 does not exist on this network/);
  const plain = await transfer(state.plainToken, ACCOUNT2);
  assert.equal(plain.code, -32602, JSON.stringify(plain));
  assert.match(plain.message, /has no data key sealed to 0xf39f.*nothing the transfer oracle can re-encrypt/);
  await page.waitForTimeout(500);
  assert.equal(approvals.length, asked, 'no approval was asked');
  assert.equal(world.browser.context.pages().length, windows, 'no approval window opened');
});
