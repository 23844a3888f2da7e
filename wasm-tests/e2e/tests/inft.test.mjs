// iNFT journeys (issues 8 and 9) in headless Chromium with the packaged
// extension against the devnet, driven as a person would in the wallet's
// Leptos agents view (wallet.html#/agents, ui/src/views/agents/): mint a
// 5 MiB agent from a file (encrypted in the engine, uploaded over WebRTC,
// two approvals), see it in the gallery with its ownership verified, decrypt
// it byte-identical, authorize and revoke a user, delegate access, have bad
// transfer proofs refused by the contract and explained, then clone and
// transfer through the devnet's transfer oracle: B's wallet claims the key
// published to it and decrypts byte-identical data, A cannot open the new
// ciphertext, a replayed proof is refused. The genesis agent (#0, minted with
// no Transfer log) is imported by id.
//
// The proofs for the refusal cases are built here in Node with @noble (an
// implementation independent of the wallet's Rust): a forged oracle
// signature, and a proof the devnet's oracle key signs for the wrong
// receiver (the devnet publishes that key on purpose, devnet/src/contracts.rs).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { startWorld } from '../lib/harness.mjs';

const PHRASE = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery';
const A = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const B = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const KEY_C = '5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'; // test account 2
const ORACLE_KEY = bytesToHex(keccak_256(utf8ToBytes('aloft devnet oracle')));
const AGENT_SIZE = 5 * 1024 * 1024;

let world;
let page;
/** The wallet tab's agents view. */
const agent = randomBytes(AGENT_SIZE);
const state = {};

const strip = (h) => h.replace(/^0x/, '');
const hex = (b) => `0x${bytesToHex(b)}`;
const personal = (inner) => {
  const text = utf8ToBytes(hex(inner));
  return keccak_256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${text.length}`), text));
};
const rsv = (digest, key) => {
  const s = secp256k1.sign(digest, hexToBytes(strip(key)));
  return concatBytes(s.toCompactRawBytes(), new Uint8Array([27 + s.recovery]));
};
const pubkey64 = (key) => secp256k1.getPublicKey(hexToBytes(strip(key)), false).slice(1);

/** An ownership proof as AgentVerifier checks it, signed by `signer`. */
function ownershipProof({ dataHash, sealedKey, targetPubkey, nonce, signer }) {
  const inner = keccak_256(concatBytes(hexToBytes(strip(dataHash)), sealedKey, targetPubkey, nonce));
  return { oracleType: 0, dataHash, sealedKey: hex(sealedKey), targetPubkey: hex(targetPubkey), nonce: hex(nonce), proof: hex(rsv(personal(inner), signer)) };
}

/** An `inft` request straight to the engine (what the view sends), for checks the view does not show. */
async function engine(request) {
  return world.browser.worker.evaluate((r) => globalThis.aloftInft(r).then((value) => ({ value }), (e) => ({ error: e.message })), request);
}

async function token(id, account) {
  const r = await engine({ op: 'token', tokenId: id, ...(account ? { account } : {}) });
  assert.ok(!r.error, r.error);
  return r.value;
}

/** Opens the agents view as `account` and waits for its list. */
async function openAgents(account = A) {
  await page.goto(world.browser.extensionUrl('wallet.html#/agents'));
  await page.waitForSelector('#agents-account option', { state: 'attached', timeout: 30_000 });
  await page.selectOption('#agents-account', { value: await page.$$eval('#agents-account option', (os, a) => os.find((o) => o.value.toLowerCase() === a.toLowerCase())?.value, account) });
  await page.waitForSelector('.agents li, .empty-state, .empty', { timeout: 30_000 });
}

/** Opens agent `id` from the list (as the selected account). */
async function openAgent(id) {
  await page.click(`.agents li[data-token-id="${id}"] .agent-open`, { timeout: 30_000 });
  await page.waitForSelector(`.agent-detail[data-token-id="${id}"] #agent-verified .badge`, { timeout: 30_000 });
}

/** What the detail says after its last action: its status line or its error banner. */
async function outcome() {
  const handle = await page.waitForFunction(() => {
    const status = document.getElementById('agent-action-status')?.textContent ?? '';
    const error = document.getElementById('agent-action-error')?.textContent;
    if (error) return { error };
    return /done in block|sent \(|re-encrypted|points at|already/.test(status) ? { status } : null;
  }, null, { timeout: 120_000 });
  return handle.jsonValue();
}

/** Clicks `selector`; approves the `count` windows it opens, one after the other. */
async function approved(selector, count = 1) {
  const waitWindow = () => world.browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('#/approve'), timeout: 120_000 });
  let opened = waitWindow();
  await page.click(selector);
  const summaries = [];
  for (let i = 0; i < count; i++) {
    // The view's error banner ends the wait with its words.
    const failed = page.waitForSelector('.banner.error', { timeout: 120_000 }).then(async (b) => { throw new Error(`no approval ${i + 1}: ${await b.textContent()}`); });
    failed.catch(() => {});
    const approval = await Promise.race([opened, failed]);
    await approval.waitForSelector('.approval[data-ready="true"]', { timeout: 15_000 });
    summaries.push(await approval.textContent('#approval-detail'));
    opened = waitWindow();
    await approval.click('#approve');
  }
  opened.catch(() => {});
  return { summary: summaries.join('\n'), summaries };
}

/** Clicks `selector`, which must be refused in words with no approval window: the words. */
async function refused(selector) {
  const before = world.browser.context.pages().length;
  await page.click(selector);
  const r = await outcome();
  assert.ok(r.error, `the action is refused, not: ${r.status}`);
  assert.equal(world.browser.context.pages().length, before, 'no approval window opened');
  return r.error;
}

/** Decrypts the open agent in the view: [{name, length, sha256}] of the saved files. */
async function decryptOpen() {
  await page.click('#agent-decrypt');
  await page.waitForSelector('#agent-files a', { timeout: 120_000 });
  return page.$$eval('#agent-files a', (links) => Promise.all(links.map(async (a) => {
    const bytes = await (await fetch(a.href)).arrayBuffer();
    return {
      name: a.getAttribute('download'),
      length: Number(a.dataset.length),
      sha256: [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join(''),
    };
  })));
}
const expected = () => [{ name: 'agent.bin', length: AGENT_SIZE, sha256: createHash('sha256').update(agent).digest('hex') }];
const checksummedA = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const checksummedB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

before(async () => {
  world = await startWorld();
  const imported = await world.browser.worker.evaluate((c) => globalThis.aloftCommand(c), { cmd: 'importMnemonic', phrase: PHRASE, password: PASSWORD });
  assert.ok(imported);
  await world.browser.worker.evaluate(() => globalThis.aloftCommand({ cmd: 'addAccount' }));
  page = await world.browser.context.newPage();
  await openAgents(A);
});
after(async () => { await world?.stop(); });

test('account A mints a 5 MiB agent from a file in the agents view: encrypted, uploaded over WebRTC, approved twice, minted', { timeout: 180_000 }, async () => {
  const accounts = await page.$$eval('#agents-account option', (os) => os.map((o) => o.value.toLowerCase()));
  assert.deepEqual(accounts, [A, B]);
  assert.equal(await page.isDisabled('#mint-start'), true, 'nothing to mint before files are chosen');
  await page.setInputFiles('#mint-files', { name: 'agent.bin', mimeType: 'application/octet-stream', buffer: agent });
  await page.fill('#mint-name', 'e2e agent');
  const { summaries } = await approved('#mint-start', 2);
  assert.match(summaries[0], /"submit"/, 'first the wallet signs Flow.submit for the ciphertext root');
  assert.match(summaries[1], /"mint"/, 'then the decoded mint call');
  const done = await page.waitForSelector('#mint-done', { timeout: 120_000 });
  state.token = await done.getAttribute('data-token-id');
  assert.match(state.token, /^\d+$/);
  assert.match(await done.textContent(), new RegExp(`^Minted agent #${state.token} in block \\d+`));
  const t = await token(state.token);
  assert.equal(t.owner.toLowerCase(), A);
  state.dataHash = t.datas[0].dataHash;
  // In the gallery, ownership is proven by the light client: a state proof
  // of the `_owners` slot against a BLS-verified header's state root.
  const card = await page.waitForSelector(`.agents li[data-token-id="${state.token}"]`, { timeout: 30_000 });
  const text = await card.textContent();
  const note = await card.getAttribute('title');
  assert.match(text, /e2e agent/);
  assert.doesNotMatch(text, /Unverified/, note);
  assert.match(text, /Verified/);
  assert.match(note, /^owner proven by a state proof against verified header \d+$/);
  assert.match(text, new RegExp(state.dataHash));
});

test("the detail shows the verified owner and the data item; A's wallet decrypts byte-identical metadata", { timeout: 120_000 }, async () => {
  await openAgent(state.token);
  assert.equal(await page.textContent('#agent-verified .badge'), 'Verified');
  assert.match(await page.textContent('#agent-note'), /^owner proven by a state proof against verified header \d+$/);
  assert.equal((await page.getAttribute('#agent-owner .address', 'title')).toLowerCase(), A);
  const datas = await page.textContent('#agent-datas');
  assert.match(datas, /e2e agent/);
  assert.match(datas, new RegExp(`agent\\.bin: ${AGENT_SIZE} B`));
  assert.match(datas, new RegExp(state.dataHash));
  assert.equal(await page.$('#agent-claim'), null, 'nothing was sealed to A by a transfer: no claim');
  assert.deepEqual(await decryptOpen(), expected());
  assert.match(await page.textContent('#agent-files'), new RegExp(`Save agent\\.bin \\(${AGENT_SIZE} B, decrypted and checked\\)`));
});

test('an account the data key was not sealed to cannot open it, and is told why', { timeout: 60_000 }, async () => {
  const r = await engine({ op: 'openBegin', account: checksummedB, tokenId: state.token });
  assert.match(r.error ?? '', /cannot open the agent's data key/);
});

test('an authorized user is listed, then revoked; authorizing twice is explained without a prompt', { timeout: 90_000 }, async () => {
  await page.fill('#agent-authorize-user', B);
  const { summary } = await approved('#agent-authorize');
  assert.match(summary, /authorizeUsage/);
  assert.match((await outcome()).status, /^authorize: done in block \d+/);
  await page.waitForSelector(`#agent-users li[data-user="${B}"]`, { timeout: 30_000 });
  assert.match(await refused('#agent-authorize'), /already authorized/);
  await approved(`#agent-users li[data-user="${B}"] .agent-revoke`);
  await page.waitForSelector('#agent-users-empty', { timeout: 30_000 });
  assert.equal(await page.$(`#agent-users li[data-user="${B}"]`), null);
});

test('a forged oracle proof is refused by the contract and explained in the view', { timeout: 60_000 }, async () => {
  // B's wallet signs its access proof (the receiver side), in the engine.
  const access = (await engine({ op: 'accessProof', account: B, dataHash: state.dataHash })).value;
  assert.equal(access.address.toLowerCase(), B);
  const forged = ownershipProof({
    dataHash: state.dataHash, sealedKey: randomBytes(129), targetPubkey: hexToBytes(strip(access.publicKey)), nonce: randomBytes(16),
    signer: bytesToHex(secp256k1.utils.randomPrivateKey()),
  });
  await page.fill('#agent-receiver', B);
  await page.fill('#agent-proofs', JSON.stringify([{ accessProof: access.proof, ownershipProof: forged }]));
  const shown = await refused('#agent-transfer');
  assert.match(shown, /refused by the contract/);
  assert.match(shown, /oracle's ownership proof is not valid/);
});

test('a proof for the wrong receiver is refused by the contract and explained in the view', { timeout: 60_000 }, async () => {
  // Signed with the devnet oracle's (public) key, but sealed for account C, not B.
  const wrong = ownershipProof({ dataHash: state.dataHash, sealedKey: randomBytes(129), targetPubkey: pubkey64(KEY_C), nonce: randomBytes(16), signer: ORACLE_KEY });
  const access = (await engine({ op: 'accessProof', account: B, dataHash: state.dataHash })).value;
  await page.fill('#agent-receiver', checksummedB);
  await page.fill('#agent-proofs', JSON.stringify([{ accessProof: access.proof, ownershipProof: wrong }]));
  assert.match(await refused('#agent-transfer'), /for a different account than the receiver/);
  // Proofs that are not JSON are named before anything reaches the engine.
  await page.fill('#agent-proofs', '{not json');
  assert.match(await refused('#agent-clone'), /the proofs are not JSON/);
});

test('delegating access names the assistant in the detail; a bad address is explained before any prompt', { timeout: 60_000 }, async () => {
  const C = `0x${bytesToHex(keccak_256(pubkey64(KEY_C)).slice(12))}`;
  await page.fill('#agent-assistant', '0x1234');
  assert.match(await refused('#agent-delegate-submit'), /the assistant "0x1234" is not an address/);
  await page.fill('#agent-assistant', C);
  const { summary } = await approved('#agent-delegate-submit');
  assert.match(summary, /delegateAccess/);
  await page.waitForFunction((c) => document.getElementById('agent-delegate')?.textContent.toLowerCase() === c, C, { timeout: 30_000 });
});

/** Has the oracle re-encrypt the open agent for `to` in the view; the new data hash it reports. */
async function askOracle(to) {
  await page.fill('#agent-receiver', to);
  await page.click('#agent-ask-oracle');
  const r = await outcome();
  assert.ok(!r.error, r.error);
  const hash = r.status.match(/new data hash (0x[0-9a-f]{64})/)?.[1];
  assert.ok(hash, r.status);
  assert.ok((await page.inputValue('#agent-proofs')).includes('ownershipProof'), 'the proofs are filled in');
  return hash;
}

/** As B: the agent is in B's list; B claims the copy sealed to it and decrypts it. */
async function claimAndDecryptAsB(id) {
  await openAgents(B);
  await openAgent(id);
  assert.equal(await page.textContent('#agent-sealed-keys'), '1');
  const { summary } = await approved('#agent-claim');
  assert.match(summary, /"update"/, 'the claim is the decoded ERC-7857 update call');
  assert.match((await outcome()).status, /done in block|points at/);
  return decryptOpen();
}

test('clone through the oracle gives B an independent copy it decrypts; A keeps its own', { timeout: 240_000 }, async () => {
  await openAgents(A);
  await openAgent(state.token);
  const newDataHash = await askOracle(checksummedB);
  assert.notEqual(newDataHash, state.dataHash, 'the oracle re-encrypted under a new key');
  const { summary } = await approved('#agent-clone');
  assert.match(summary, /iCloneFrom/);
  const status = (await outcome()).status;
  state.clone = status.match(/agent #(\d+)/)?.[1];
  assert.ok(state.clone, status);
  assert.notEqual(state.clone, state.token);
  assert.deepEqual(await claimAndDecryptAsB(state.clone), expected());
  const clone = await token(state.clone);
  assert.equal(clone.owner.toLowerCase(), B);
  assert.equal(clone.datas[0].dataHash, newDataHash, 'the clone points at its own ciphertext');
  await openAgents(A);
  await openAgent(state.token);
  assert.deepEqual(await decryptOpen(), expected(), 'A still reads the original');
});

test("transfer through the oracle: B's wallet picks up the sealed key and decrypts byte-identical metadata", { timeout: 240_000 }, async () => {
  const newDataHash = await askOracle(checksummedB);
  state.transferProofs = await page.inputValue('#agent-proofs');
  const { summary } = await approved('#agent-transfer');
  assert.match(summary, /iTransferFrom/);
  assert.match((await outcome()).status, /^transfer: done in block \d+/);
  const moved = await token(state.token, checksummedB);
  assert.equal(moved.owner.toLowerCase(), B);
  assert.equal(moved.sealedKeys.length, 1, 'the contract published a sealed key to B');
  // A's list no longer has it.
  await openAgents(A);
  assert.equal(await page.$(`.agents li[data-token-id="${state.token}"]`), null);
  assert.deepEqual(await claimAndDecryptAsB(state.token), expected());
  assert.equal((await token(state.token)).datas[0].dataHash, newDataHash);
});

test('A cannot decrypt the new ciphertext', { timeout: 60_000 }, async () => {
  const r = await engine({ op: 'openBegin', account: checksummedA, tokenId: state.token });
  assert.match(r.error ?? '', /cannot open the agent's data key|no data key for this account/);
});

test('a replayed proof is refused by the contract and explained in the view', { timeout: 60_000 }, async () => {
  await openAgents(B);
  await openAgent(state.token);
  await page.fill('#agent-receiver', checksummedA);
  await page.fill('#agent-proofs', state.transferProofs);
  assert.match(await refused('#agent-clone'), /already spent/);
});

test('the genesis agent, which has no Transfer log, is imported by id; an id another account holds is refused', { timeout: 60_000 }, async () => {
  await openAgents(B);
  await page.fill('#agent-import-id', '0');
  await page.click('#agent-import');
  const error = await page.waitForSelector('#agent-import-error', { timeout: 30_000 });
  assert.match(await error.textContent(), /^agent #0 belongs to 0x[0-9a-fA-F]{40}, not to this account$/);
  await page.fill('#agent-import-id', 'seven');
  await page.click('#agent-import');
  await page.waitForFunction(() => /is not a token id/.test(document.getElementById('agent-import-error')?.textContent ?? ''));
  await openAgents(A);
  assert.equal(await page.$('.agents li[data-token-id="0"]'), null, 'not listed before it is imported');
  await page.fill('#agent-import-id', '0');
  await page.click('#agent-import');
  const card = await page.waitForSelector('.agents li[data-token-id="0"]', { timeout: 30_000 });
  assert.match(await card.textContent(), /Aloft demo agent/);
  assert.match(await card.getAttribute('title'), /^owner proven by a state proof against verified header \d+$/);
  // Kept: a reload still lists it.
  await openAgents(A);
  await page.waitForSelector('.agents li[data-token-id="0"]', { timeout: 30_000 });
});
