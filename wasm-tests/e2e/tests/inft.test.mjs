// iNFT journeys (issue 9) in headless Chromium with the packaged extension
// against the devnet: mint a 5 MiB agent from files (encrypted in the engine,
// uploaded over WebRTC from the agents page, minted after approval), see it
// in the gallery, decrypt it byte-identical, authorize and revoke a user,
// delegate access, have bad transfer proofs refused by the contract and
// explained, then clone and transfer through the devnet's transfer oracle:
// B's wallet claims the key published to it and decrypts byte-identical
// data, A cannot open the new ciphertext, a replayed proof is refused.
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

async function engine(command) {
  return world.browser.worker.evaluate((c) => globalThis.aloftCommand(c), command);
}

/** Runs `action` in the agents page; approves the `count` windows it opens, one after the other. */
async function approved(action, count = 1) {
  const waitWindow = () => world.browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('#/approve'), timeout: 120_000 });
  let opened = waitWindow();
  const result = page.evaluate(action.fn, action.arg).then((value) => ({ value }), (error) => ({ error: String(error) }));
  const summaries = [];
  for (let i = 0; i < count; i++) {
    const approval = await Promise.race([opened, result.then((r) => { throw new Error(`the action ended before approval ${i + 1}: ${r.error ?? 'no error'}`); })]);
    await approval.waitForSelector('.approval[data-ready="true"]', { timeout: 15_000 });
    summaries.push(await approval.textContent('#approval-detail'));
    opened = waitWindow();
    await approval.click('#approve');
  }
  opened.catch(() => {});
  const r = await result;
  assert.ok(!r.error, `the action succeeds: ${r.error}`);
  return { value: r.value, summary: summaries.join('\n'), summaries };
}

/** Runs `fn` in the agents page, which must fail; no approval window may open. */
async function refused(fn, arg) {
  const before = world.browser.context.pages().length;
  const error = await page.evaluate(fn, arg).then(() => null, (e) => String(e));
  assert.ok(error, 'the action is refused');
  assert.equal(world.browser.context.pages().length, before, 'no approval window opened');
  return { error, shown: await page.textContent('#error') };
}

before(async () => {
  world = await startWorld();
  await engine({ cmd: 'importMnemonic', phrase: PHRASE, password: PASSWORD });
  await engine({ cmd: 'addAccount' });
  page = await world.browser.context.newPage();
  await page.goto(world.browser.extensionUrl('inft.html'));
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
});
after(async () => { await world?.stop(); });

test('account A mints a 5 MiB agent from a file: encrypted, uploaded over WebRTC, approved, minted', { timeout: 180_000 }, async () => {
  const accounts = await page.$$eval('#account option', (os) => os.map((o) => o.value.toLowerCase()));
  assert.deepEqual(accounts, [A, B]);
  await page.selectOption('#account', { index: 0 });
  await page.setInputFiles('#mint-files', { name: 'agent.bin', mimeType: 'application/octet-stream', buffer: agent });
  await page.fill('#mint-name', 'e2e agent');
  const { value, summaries } = await approved({
    fn: () => window.aloftInft.mint(document.getElementById('mint-name').value, [...document.getElementById('mint-files').files]),
  }, 2);
  assert.match(summaries[0], /"submit"/, 'first the wallet signs Flow.submit for the ciphertext root');
  assert.match(summaries[1], /"mint"/, 'then the decoded mint call');
  assert.match(value.tokenId, /^\d+$/);
  assert.ok(value.length > AGENT_SIZE, 'the ciphertext is the envelope (header, manifest, tags)');
  assert.equal(await page.$eval('#encrypt-bar', (b) => b.value), 1);
  assert.equal(await page.$eval('#upload-bar', (b) => b.value), 1);
  state.token = value.tokenId;
  state.dataHash = value.dataHash;
  // In the gallery, ownership is proven by the light client: a state proof
  // of the `_owners` slot against a BLS-verified header's state root.
  await page.evaluate(() => window.aloftInft.loadGallery());
  const card = await page.textContent(`#gallery li[data-token-id="${state.token}"]`);
  assert.match(card, /e2e agent/);
  const note = await page.getAttribute(`#gallery li[data-token-id="${state.token}"] .badge`, 'title');
  assert.doesNotMatch(card, /unverified/, note);
  assert.match(card, /verified/);
  assert.match(note, /^owner proven by a state proof against verified header \d+$/);
  // The token's data hash is the 0G root of what the peers hold.
  const token = await page.evaluate((id) => window.aloftInft.inft({ op: 'token', tokenId: id }), state.token);
  assert.equal(token.owner.toLowerCase(), A);
  assert.equal(token.datas[0].dataHash, state.dataHash);
});

test('the wallet view (Leptos) lists the agent with its ownership verified, and opens its detail', { timeout: 60_000 }, async () => {
  const wallet = await world.browser.context.newPage();
  try {
    await wallet.goto(world.browser.extensionUrl('wallet.html#/agents'));
    const card = await wallet.waitForSelector(`.agents li[data-token-id="${state.token}"]`, { timeout: 30_000 });
    const text = await card.textContent();
    assert.match(text, /e2e agent/);
    const note = await card.getAttribute('title');
    assert.doesNotMatch(text, /Unverified/, note);
    assert.match(text, /Verified/);
    assert.match(note, /^owner proven by a state proof against verified header \d+$/);
    assert.match(text, new RegExp(state.dataHash));
    // The detail: owner, verdict, the data item with its file and hash.
    await wallet.click(`.agents li[data-token-id="${state.token}"] .agent-open`);
    await wallet.waitForSelector(`.agent-detail[data-token-id="${state.token}"] #agent-verified .badge`, { timeout: 30_000 });
    assert.equal(await wallet.textContent('#agent-verified .badge'), 'Verified');
    assert.match(await wallet.textContent('#agent-note'), /^owner proven by a state proof against verified header \d+$/);
    assert.equal((await wallet.getAttribute('#agent-owner .address', 'title')).toLowerCase(), A);
    const datas = await wallet.textContent('#agent-datas');
    assert.match(datas, /e2e agent/);
    assert.match(datas, new RegExp(`agent\\.bin: ${AGENT_SIZE} B`));
    assert.match(datas, new RegExp(state.dataHash));
    await wallet.click('#agent-back');
    await wallet.waitForSelector(`.agents li[data-token-id="${state.token}"]`);
  } finally {
    await wallet.close();
  }
});

test("A's wallet downloads and decrypts byte-identical metadata", { timeout: 120_000 }, async () => {
  await page.evaluate((id) => window.aloftInft.showDetail(id), state.token);
  const files = await page.evaluate(async (id) => {
    const out = await window.aloftInft.decrypt(id);
    return Promise.all(out.map(async (f) => ({
      name: f.name,
      length: f.length,
      sha256: [...new Uint8Array(await crypto.subtle.digest('SHA-256', await f.blob.arrayBuffer()))].map((b) => b.toString(16).padStart(2, '0')).join(''),
    })));
  }, state.token);
  assert.deepEqual(files, [{ name: 'agent.bin', length: AGENT_SIZE, sha256: createHash('sha256').update(agent).digest('hex') }]);
});

test('an account the data key was not sealed to cannot open it, and is told why', { timeout: 60_000 }, async () => {
  const error = await page.evaluate((id) => window.aloftInft.inft({ op: 'openBegin', account: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', tokenId: id }).then(() => null, (e) => e.message), state.token);
  assert.match(error ?? '', /cannot open the agent's data key/);
});

test('an authorized user is listed, then revoked', { timeout: 90_000 }, async () => {
  await page.evaluate((id) => window.aloftInft.showDetail(id), state.token);
  await page.fill('#authorize-user', B);
  const { summary } = await approved({ fn: (user) => window.aloftInft.act({ action: 'authorize', tokenId: document.getElementById('d-id').textContent, user }), arg: B });
  assert.match(summary, /authorizeUsage/);
  await page.waitForSelector(`#d-users li[data-user="${B}"]`);
  const twice = await refused((user) => window.aloftInft.act({ action: 'authorize', tokenId: document.getElementById('d-id').textContent, user }), B);
  assert.match(twice.shown, /already authorized/);
  await approved({ fn: (user) => window.aloftInft.act({ action: 'revoke', tokenId: document.getElementById('d-id').textContent, user }), arg: B });
  assert.equal(await page.$(`#d-users li[data-user="${B}"]`), null);
  assert.equal(await page.isVisible('#d-users-empty'), true);
});

test('a forged oracle proof is refused by the contract and explained in the page', { timeout: 60_000 }, async () => {
  // B's wallet signs its access proof (the receiver side), in the engine.
  const access = await page.evaluate(({ b, h }) => window.aloftInft.inft({ op: 'accessProof', account: b, dataHash: h }), { b: B, h: state.dataHash });
  assert.equal(access.address.toLowerCase(), B);
  const forged = ownershipProof({
    dataHash: state.dataHash, sealedKey: randomBytes(129), targetPubkey: hexToBytes(strip(access.publicKey)), nonce: randomBytes(16),
    signer: bytesToHex(secp256k1.utils.randomPrivateKey()),
  });
  await page.fill('#transfer-to', B);
  await page.fill('#transfer-proofs', JSON.stringify([{ accessProof: access.proof, ownershipProof: forged }]));
  const r = await refused(() => window.aloftInft.act({ action: 'transfer', tokenId: document.getElementById('d-id').textContent, to: document.getElementById('transfer-to').value, proofs: JSON.parse(document.getElementById('transfer-proofs').value) }));
  assert.match(r.shown, /refused by the contract/);
  assert.match(r.shown, /oracle's ownership proof is not valid/);
  state.access = access;
});

test('a proof for the wrong receiver is refused by the contract and explained in the page', { timeout: 60_000 }, async () => {
  // Signed with the devnet oracle's (public) key, but sealed for account C, not B.
  const wrong = ownershipProof({ dataHash: state.dataHash, sealedKey: randomBytes(129), targetPubkey: pubkey64(KEY_C), nonce: randomBytes(16), signer: ORACLE_KEY });
  const access = await page.evaluate(({ b, h }) => window.aloftInft.inft({ op: 'accessProof', account: b, dataHash: h }), { b: B, h: state.dataHash });
  const r = await refused(
    (proofs) => window.aloftInft.act({ action: 'transfer', tokenId: document.getElementById('d-id').textContent, to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', proofs }),
    [{ accessProof: access.proof, ownershipProof: wrong }],
  );
  assert.match(r.shown, /for a different account than the receiver/);
});

test('delegating access names the assistant in the detail view; a bad address is explained before any prompt', { timeout: 60_000 }, async () => {
  const C = `0x${bytesToHex(keccak_256(pubkey64(KEY_C)).slice(12))}`;
  const bad = await refused(() => window.aloftInft.act({ action: 'delegate', assistant: '0x1234' }));
  assert.match(bad.shown, /assistant "0x1234" is not an address/);
  const { summary } = await approved({ fn: (assistant) => window.aloftInft.act({ action: 'delegate', assistant }), arg: C });
  assert.match(summary, /delegateAccess/);
  await page.evaluate((id) => window.aloftInft.showDetail(id), state.token);
  assert.equal((await page.textContent('#d-delegate')).toLowerCase(), C);
});

/** Decrypts `tokenId` as `account` in the page: [{name, length, sha256}]. */
async function decryptAs(account, tokenId) {
  await page.evaluate((a) => window.aloftInft.select(a), account);
  return page.evaluate(async (id) => {
    await window.aloftInft.showDetail(id);
    const out = await window.aloftInft.decrypt(id);
    return Promise.all(out.map(async (f) => ({
      name: f.name,
      length: f.length,
      sha256: [...new Uint8Array(await crypto.subtle.digest('SHA-256', await f.blob.arrayBuffer()))].map((b) => b.toString(16).padStart(2, '0')).join(''),
    })));
  }, tokenId);
}
const expected = () => [{ name: 'agent.bin', length: AGENT_SIZE, sha256: createHash('sha256').update(agent).digest('hex') }];
const checksummedB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

test('clone through the oracle gives B an independent copy it decrypts; A keeps its own', { timeout: 180_000 }, async () => {
  await page.evaluate((a) => window.aloftInft.select(a), '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  const oracle = await page.evaluate(({ id, to }) => window.aloftInft.oracleProof(id, to), { id: state.token, to: checksummedB });
  assert.notEqual(oracle.newDataHash, state.dataHash, 'the oracle re-encrypted under a new key');
  const { value, summary } = await approved({ fn: ({ id, to, proofs }) => window.aloftInft.act({ action: 'clone', tokenId: id, to, proofs }), arg: { id: state.token, to: checksummedB, proofs: oracle.proofs } });
  assert.match(summary, /iCloneFrom/);
  assert.match(value.tokenId, /^\d+$/);
  assert.notEqual(value.tokenId, state.token);
  state.clone = value.tokenId;
  await page.evaluate((a) => window.aloftInft.select(a), checksummedB);
  await approved({ fn: (id) => window.aloftInft.claim(id), arg: state.clone });
  const clone = await page.evaluate((id) => window.aloftInft.inft({ op: 'token', tokenId: id }), state.clone);
  assert.equal(clone.owner.toLowerCase(), B);
  assert.equal(clone.datas[0].dataHash, oracle.newDataHash, 'the clone points at its own ciphertext');
  assert.deepEqual(await decryptAs(checksummedB, state.clone), expected());
  assert.deepEqual(await decryptAs('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', state.token), expected(), 'A still reads the original');
});

test("transfer through the oracle: B's wallet picks up the sealed key and decrypts byte-identical metadata", { timeout: 180_000 }, async () => {
  await page.evaluate((a) => window.aloftInft.select(a), '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  const oracle = await page.evaluate(({ id, to }) => window.aloftInft.oracleProof(id, to), { id: state.token, to: checksummedB });
  state.transferProofs = oracle.proofs;
  const { summary } = await approved({ fn: ({ id, to, proofs }) => window.aloftInft.act({ action: 'transfer', tokenId: id, to, proofs }), arg: { id: state.token, to: checksummedB, proofs: oracle.proofs } });
  assert.match(summary, /iTransferFrom/);
  let token = await page.evaluate((id) => window.aloftInft.inft({ op: 'token', tokenId: id, account: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }), state.token);
  assert.equal(token.owner.toLowerCase(), B);
  assert.equal(token.sealedKeys.length, 1, 'the contract published a sealed key to B');
  await page.evaluate((a) => window.aloftInft.select(a), checksummedB);
  await approved({ fn: (id) => window.aloftInft.claim(id), arg: state.token });
  token = await page.evaluate((id) => window.aloftInft.inft({ op: 'token', tokenId: id }), state.token);
  assert.equal(token.datas[0].dataHash, oracle.newDataHash);
  assert.deepEqual(await decryptAs(checksummedB, state.token), expected());
});

test('A cannot decrypt the new ciphertext', { timeout: 60_000 }, async () => {
  const error = await page.evaluate((id) => window.aloftInft.inft({ op: 'openBegin', account: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', tokenId: id }).then(() => null, (e) => e.message), state.token);
  assert.match(error ?? '', /cannot open the agent's data key|no data key for this account/);
});

test('a replayed proof is refused by the contract and explained in the page', { timeout: 60_000 }, async () => {
  await page.evaluate((a) => window.aloftInft.select(a), checksummedB);
  await page.evaluate((id) => window.aloftInft.showDetail(id), state.token);
  const r = await refused(
    ({ id, proofs }) => window.aloftInft.act({ action: 'clone', tokenId: id, to: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', proofs }),
    { id: state.token, proofs: state.transferProofs },
  );
  assert.match(r.shown, /already spent/);
});
