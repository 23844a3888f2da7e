// Wallet journeys: onboarding, connect, signatures checked by ecrecover here
// in Node (noble, independent of the wallet's Rust), rejection, lock and
// auto-lock, storage inspection, and the transaction journey.
//
// The steps share one world and run in order: the main browser imports the
// devnet's standard test mnemonic (its first account is funded), while the
// create journey runs in a second, fresh browser profile.

import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, hexToBytes, utf8ToBytes, concatBytes } from '@noble/hashes/utils';
import { launchWithExtension } from './harness.mjs';

export const PHRASE = 'test test test test test test test test test test test junk';
export const ACCOUNT0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
export const ACCOUNT1 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
export const KEY0 = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const PASSWORD = 'correct horse battery';

// ---- ecrecover, EIP-191 and EIP-712 written out independently of the wallet.

const keccak = (bytes) => keccak_256(bytes);
const strip = (hex) => hex.replace(/^0x/, '');

export function ecrecover(digest, signatureHex) {
  const sig = hexToBytes(strip(signatureHex));
  assert.equal(sig.length, 65, 'a signature is 65 bytes');
  const v = sig[64];
  assert.ok(v === 27 || v === 28, `v is 27 or 28, got ${v}`);
  const point = secp256k1.Signature.fromCompact(sig.slice(0, 64)).addRecoveryBit(v - 27).recoverPublicKey(digest);
  const uncompressed = point.toRawBytes(false);
  return '0x' + bytesToHex(keccak(uncompressed.slice(1)).slice(12));
}

export function personalDigest(text) {
  const message = utf8ToBytes(text);
  return keccak(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${message.length}`), message));
}

const word = (n) => hexToBytes(BigInt(n).toString(16).padStart(64, '0'));
const addressWord = (a) => hexToBytes(strip(a).toLowerCase().padStart(64, '0'));

/** EIP-712 digest of the demo dapp's `Note` (see www/dapp/dapp.js). */
export function noteDigest({ name, version, chainId }, { author, text }) {
  const domainType = keccak(utf8ToBytes('EIP712Domain(string name,string version,uint256 chainId)'));
  const domain = keccak(concatBytes(domainType, keccak(utf8ToBytes(name)), keccak(utf8ToBytes(version)), word(chainId)));
  const noteType = keccak(utf8ToBytes('Note(address author,string text)'));
  const note = keccak(concatBytes(noteType, addressWord(author), keccak(utf8ToBytes(text))));
  return keccak(concatBytes(new Uint8Array([0x19, 0x01]), domain, note));
}

// ---- helpers

export async function openDapp(world) {
  const page = await world.browser.context.newPage();
  await page.goto(`${world.site.url}/dapp/`);
  await page.waitForFunction(() => window.dapp?.wallets().some((w) => w.rdns === 'dev.aloft.wallet'), null, { timeout: 10_000 });
  await page.evaluate(() => window.dapp.subscribe());
  return page;
}

/** Imports the standard test mnemonic into the engine of `browser` (from launchWithExtension). */
export async function importTestWallet(browser) {
  await browser.worker.evaluate((c) => globalThis.aloftCommand(c), { cmd: 'importMnemonic', phrase: PHRASE, password: PASSWORD });
}

/**
 * The user approves whatever the wallet's window asks from now on: each
 * request's type is pushed to `approvals` (or `failed: …` if the window did
 * not show it), and with `shown`, what the window showed:
 * `{type, summary, detail}` (the card's text and the engine's detail JSON).
 */
export function approveEverything(browser, approvals, shown = null) {
  browser.context.on('page', async (p) => {
    if (!p.url().includes('#/approve')) return;
    try {
      await p.waitForSelector('.approval[data-ready="true"]', { timeout: 15_000 });
      const type = await p.getAttribute('.approval', 'data-approval-type');
      if (shown) {
        shown.push({ type, summary: await p.textContent('#approval-summary'), detail: JSON.parse(await p.textContent('#approval-detail')) });
      }
      approvals.push(type);
      await p.click('#approve');
    } catch (e) { approvals.push(`failed: ${e.message}`); }
  });
}

/** Runs `action` (which makes the wallet open its approval window) and returns that window, rendered. */
export async function withApproval(world, action) {
  const opened = world.browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('#/approve'), timeout: 15_000 });
  const result = action();
  const page = await opened;
  await page.waitForSelector('.approval[data-ready="true"]', { timeout: 15_000 });
  return { page, result };
}

const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

/** A command straight to the engine: `{ value }` or `{ code, message }`. */
export async function engineCommand(world, command) {
  return world.browser.worker.evaluate(
    (c) => globalThis.aloftCommand(c).then((value) => ({ value }), (e) => ({ code: e.code, message: e.message })),
    command
  );
}

export async function storedEverything(world) {
  return world.browser.worker.evaluate(async () => {
    const idb = await new Promise((resolve, reject) => {
      const r = indexedDB.open('aloft');
      r.onsuccess = () => {
        const db = r.result;
        const tx = db.transaction('kv', 'readonly');
        const store = tx.objectStore('kv');
        const out = {};
        const cursor = store.openCursor();
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (c) { out[c.key] = c.value; c.continue(); } else { resolve(out); }
        };
        cursor.onerror = () => reject(cursor.error);
      };
      r.onerror = () => reject(r.error);
    });
    return {
      idb,
      local: await chrome.storage.local.get(null),
      session: await chrome.storage.session.get(null),
    };
  });
}

// ---- the journeys

export const walletSteps = [
  {
    name: 'onboarding by create: the phrase is shown once and confirmed',
    async run() {
      // A fresh profile of its own: the main browser imports the funded mnemonic.
      const browser = await launchWithExtension();
      try {
        const page = await browser.context.newPage();
        await page.goto(browser.extensionUrl('wallet.html#/onboarding'));
        await page.click('#start-create');
        await page.waitForSelector('#phrase li');
        const words = await page.$$eval('#phrase li', (lis) => lis.map((li) => li.textContent));
        assert.equal(words.length, 12);
        await page.click('#phrase-saved');
        await page.waitForSelector('#confirm-words input');
        const inputs = await page.$$eval('#confirm-words input', (els) => els.map((e) => e.id));
        assert.equal(inputs.length, 3, 'three words to confirm');
        // A wrong word is refused and names the position.
        for (const id of inputs) await page.fill(`#${id}`, 'zoo');
        await page.fill('#create-password', PASSWORD);
        await page.fill('#create-password-again', PASSWORD);
        await page.click('#create-submit');
        await page.waitForFunction(() => document.getElementById('error').textContent.includes('does not match'));
        for (const id of inputs) await page.fill(`#${id}`, words[Number(id.split('-').pop()) - 1]);
        await page.click('#create-submit');
        await page.waitForSelector('.onboarding[data-done="true"]', { timeout: 20_000 });
        const account = await page.textContent('#done-account');
        assert.match(account, /^0x[0-9a-f]{40}$/);
        const status = await browser.worker.evaluate(() => globalThis.aloftCommand({ cmd: 'status' }));
        assert.equal(status.unlocked, true);
        assert.equal(status.accounts[0].address, account);
        return { account };
      } finally {
        await browser.close();
      }
    },
  },
  {
    name: 'onboarding by import: a bad word is named, the standard mnemonic gives its known account',
    async run(world) {
      const page = await world.browser.context.newPage();
      try {
        await page.goto(world.browser.extensionUrl('wallet.html#/onboarding'));
        await page.click('#start-import');
        await page.fill('#import-phrase', PHRASE.replace('junk', 'junq'));
        await page.fill('#import-password', PASSWORD);
        await page.fill('#import-password-again', PASSWORD);
        await page.click('#import-submit');
        await page.waitForFunction(() => document.getElementById('error').textContent.includes('word 12'));
        await page.fill('#import-phrase', PHRASE);
        await page.click('#import-submit');
        await page.waitForSelector('.onboarding[data-done="true"]', { timeout: 20_000 });
        assert.equal(await page.textContent('#done-account'), ACCOUNT0);
        assert.equal(await page.locator('#import-phrase').count(), 0, 'the phrase field is gone');
        assert.ok(!(await page.content()).includes(PHRASE), 'the phrase is cleared from the page');
        return { account: ACCOUNT0 };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'an origin without permission is refused before any prompt (4100)',
    async run(world) {
      const page = await openDapp(world);
      try {
        const before = world.browser.context.pages().length;
        const codes = await page.evaluate(async (from) => {
          const code = (p) => p.then(() => null, (e) => e.code);
          return {
            accounts: await window.dapp.request('eth_accounts'),
            sign: await code(window.dapp.request('personal_sign', ['0x68690a', from])),
            typed: await code(window.dapp.request('eth_signTypedData_v4', [from, '{}'])),
            send: await code(window.dapp.request('eth_sendTransaction', [{ from, to: from, value: '0x1' }])),
          };
        }, ACCOUNT0);
        assert.deepEqual(codes, { accounts: [], sign: 4100, typed: 4100, send: 4100 });
        await page.waitForTimeout(500);
        assert.equal(world.browser.context.pages().length, before, 'no approval window opened');
        assert.equal((await engineCommand(world, { cmd: 'status' })).value.pendingApprovals, 0);
        return codes;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'connect: the approval shows the origin; rejecting gives 4001, approving shares the account',
    async run(world) {
      const page = await openDapp(world);
      try {
        const connect = () => page.evaluate(() => window.dapp.connect().then((value) => ({ value }), (e) => ({ code: e.code, message: e.message })));
        let { page: approval, result } = await withApproval(world, connect);
        assert.equal(await approval.textContent('#approval-origin'), world.site.url);
        assert.match(await approval.textContent('#approval-origin-warning'), /IP address/);
        assert.equal(await approval.getAttribute('.approval', 'data-approval-type'), 'connect');
        const rejectedId = await approval.getAttribute('.approval', 'data-approval-id');
        await approval.click('#reject');
        const rejected = await result;
        assert.equal(rejected.code, 4001, `user rejection is 4001: ${JSON.stringify(rejected)}`);
        // The decided id cannot be replayed, not even by the extension itself.
        const replay = await engineCommand(world, { cmd: 'resolve', id: rejectedId, approve: true });
        assert.equal(replay.code, 'replayed');
        ({ page: approval, result } = await withApproval(world, connect));
        await approval.click('#approve');
        const connected = await result;
        assert.deepEqual(connected.value, [ACCOUNT0]);
        assert.deepEqual(await page.evaluate(() => window.dapp.request('eth_accounts')), [ACCOUNT0]);
        await page.waitForFunction(() => window.dapp.events.some((e) => e.name === 'accountsChanged' && e.data.length === 1));
        const permissions = await page.evaluate(() => window.dapp.request('wallet_getPermissions'));
        assert.equal(permissions[0].parentCapability, 'eth_accounts');
        return { accounts: connected.value };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'personal_sign: approved, and the signature recovers to the account (ecrecover in Node)',
    async run(world) {
      const page = await openDapp(world);
      try {
        const text = 'Aloft e2e: sign me';
        const sign = () => page.evaluate((t) => window.dapp.personalSign(t).then((value) => ({ value }), (e) => ({ code: e.code, message: e.message })), text);
        let { page: approval, result } = await withApproval(world, sign);
        assert.equal(await approval.getAttribute('.approval', 'data-approval-type'), 'sign');
        assert.match(await approval.textContent('#approval-summary'), /Aloft e2e: sign me/);
        await approval.click('#reject');
        assert.equal((await result).code, 4001);
        ({ page: approval, result } = await withApproval(world, sign));
        await approval.click('#approve');
        const { value: signature } = await result;
        assert.match(signature, /^0x[0-9a-f]{130}$/);
        assert.equal(ecrecover(personalDigest(text), signature), ACCOUNT0);
        assert.equal(await page.textContent('#signature-result'), signature);
        return { signature };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'eth_signTypedData_v4: the EIP-712 signature recovers to the account (digest computed in Node)',
    async run(world) {
      const page = await openDapp(world);
      try {
        const text = 'typed hello';
        const { page: approval, result } = await withApproval(world, () =>
          page.evaluate((t) => window.dapp.signTyped(t).then((value) => ({ value }), (e) => ({ code: e.code, message: e.message })), text)
        );
        assert.match(await approval.textContent('#approval-summary'), /Note for Aloft demo/);
        await approval.click('#approve');
        const { value: signature, message } = await result;
        assert.ok(signature, message);
        const digest = noteDigest({ name: 'Aloft demo', version: '1', chainId: world.devnet.chainId }, { author: ACCOUNT0, text });
        assert.equal(ecrecover(digest, signature), ACCOUNT0);
        return { signature };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'lock and unlock: a locked wallet shows no accounts; a wrong password is refused',
    async run(world) {
      const dapp = await openDapp(world);
      const popup = await world.browser.context.newPage();
      try {
        await popup.goto(world.browser.extensionUrl('popup.html'));
        await popup.waitForSelector('.app[data-state="unlocked"]');
        await popup.click('#lock');
        await popup.waitForSelector('.app[data-state="locked"]');
        assert.deepEqual(await dapp.evaluate(() => window.dapp.request('eth_accounts')), []);
        await dapp.waitForFunction(() => window.dapp.events.some((e) => e.name === 'accountsChanged' && e.data.length === 0));
        assert.equal((await storedEverything(world)).session.vaultKey, undefined, 'locking clears the session key');
        await popup.fill('#unlock-password', 'not the password');
        await popup.click('#unlock-submit');
        await popup.waitForFunction(() => document.getElementById('error').textContent === 'wrong password');
        await popup.fill('#unlock-password', PASSWORD);
        await popup.click('#unlock-submit');
        await popup.waitForSelector('.app[data-state="unlocked"]');
        assert.deepEqual(await dapp.evaluate(() => window.dapp.request('eth_accounts')), [ACCOUNT0]);
        // Balances are proven by the light client in the service worker:
        // eth_getProof against a BLS-verified header's state root, compared
        // with the RPC's balance at that block.
        const row = await popup.waitForSelector('#accounts li[data-verification="verified"]', { timeout: 30_000 });
        assert.match(await row.getAttribute('title'), /^verified at block \d+$/);
        // A lying RPC (inflated balance in its proofs, forged headers) is not believed.
        await world.devnet.setSwitch('lying_rpc', true);
        try {
          await popup.reload();
          const lied = await popup.waitForSelector('#accounts li[data-verification="unverified"]', { timeout: 30_000 });
          assert.match(await lied.getAttribute('title'), /^not verified: /);
        } finally {
          await world.devnet.setSwitch('lying_rpc', false);
        }
        return {};
      } finally {
        await popup.close();
        await dapp.close();
      }
    },
  },
  {
    name: 'no key material in clear in IndexedDB, chrome.storage or the page',
    async run(world) {
      const stored = await storedEverything(world);
      const text = JSON.stringify(stored);
      const seedHex = bytesToHex(await import('@noble/hashes/pbkdf2').then(({ pbkdf2 }) =>
        import('@noble/hashes/sha2').then(({ sha512 }) => pbkdf2(sha512, PHRASE, 'mnemonic', { c: 2048, dkLen: 64 }))));
      for (const secret of [PHRASE, 'test test test', KEY0, seedHex, PASSWORD]) {
        assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `found ${secret.slice(0, 12)}… in storage`);
      }
      const vault = stored.idb.vault;
      assert.deepEqual(Object.keys(vault).sort(), ['data', 'iv', 'keyMetadata', 'salt']);
      assert.deepEqual(vault.keyMetadata, { algorithm: 'PBKDF2', params: { iterations: 600000 } });
      assert.deepEqual(stored.local, {}, 'nothing in chrome.storage.local');
      assert.deepEqual(Object.keys(stored.session), ['vaultKey'], 'only the derived vault key, in memory-only session storage');
      const page = await openDapp(world);
      try {
        const pageText = await page.evaluate(() => JSON.stringify({ ls: { ...localStorage }, ss: { ...sessionStorage } }));
        assert.ok(!pageText.includes('test test'));
        const sessionFromPage = await page.evaluate(() => typeof chrome === 'undefined' || !chrome.storage);
        assert.ok(sessionFromPage, 'the page has no chrome.storage');
      } finally {
        await page.close();
      }
      return { idbKeys: Object.keys(stored.idb) };
    },
  },
  {
    name: 'auto-lock after the configured idle time (chrome.alarms)',
    timeout: 120_000,
    async run(world) {
      const set = await engineCommand(world, { cmd: 'setAutoLock', minutes: 0.5 });
      assert.equal(set.value, 0.5);
      const started = Date.now();
      let status;
      do {
        await new Promise((r) => setTimeout(r, 2_000));
        status = await world.browser.worker.evaluate(async () => {
          const s = await chrome.storage.session.get(null);
          return { session: Object.keys(s) };
        });
      } while (status.session.includes('vaultKey') && Date.now() - started < 100_000);
      const after = await engineCommand(world, { cmd: 'status' });
      assert.equal(after.value.unlocked, false, 'locked by the alarm');
      assert.ok(!status.session.includes('vaultKey'));
      const unlocked = await engineCommand(world, { cmd: 'unlock', password: PASSWORD });
      assert.equal(unlocked.value.unlocked, true);
      await engineCommand(world, { cmd: 'setAutoLock', minutes: 15 });
      return { lockedAfterMs: Date.now() - started };
    },
  },
  {
    name: 'a transaction sent from the dapp is approved, mined, and has a receipt',
    requires: 'eth_sendRawTransaction on the devnet (EVM branch)',
    async available(world) {
      const probe = await fetch(world.devnet.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: ['0x'] }),
      }).then((r) => r.json());
      return probe.error?.code !== -32601;
    },
    async run(world) {
      const page = await openDapp(world);
      try {
        const before = BigInt(await world.devnet.rpc('eth_getBalance', [ACCOUNT1, 'latest']));
        const value = '0x2386f26fc10000';
        const { page: approval, result } = await withApproval(world, () =>
          page.evaluate(([to, v]) => window.dapp.send(to, v).then((hash) => ({ hash }), (e) => ({ code: e.code, message: e.message })), [ACCOUNT1, value])
        );
        assert.equal(await approval.getAttribute('.approval', 'data-approval-type'), 'transaction');
        const detail = JSON.parse(await approval.textContent('#approval-detail'));
        assert.equal(detail.value, BigInt(value).toString());
        assert.equal(detail.to.toLowerCase(), ACCOUNT1);
        assert.ok(BigInt(detail.maxFeePerGas) > 0n);
        await approval.click('#approve');
        const { hash, message } = await result;
        assert.match(String(hash), /^0x[0-9a-f]{64}$/, message);
        let receipt = null;
        for (let i = 0; i < 60 && !receipt; i++) {
          receipt = await world.devnet.rpc('eth_getTransactionReceipt', [hash]);
          if (!receipt) await new Promise((r) => setTimeout(r, 500));
        }
        assert.ok(receipt, 'mined');
        assert.equal(receipt.status, '0x1');
        assert.equal(receipt.from.toLowerCase(), ACCOUNT0);
        const after = BigInt(await world.devnet.rpc('eth_getBalance', [ACCOUNT1, 'latest']));
        assert.equal(after - before, BigInt(value));
        return { hash, block: receipt.blockNumber };
      } finally {
        await page.close();
      }
    },
  },
];
