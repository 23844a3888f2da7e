// The extension attack suite (issue 11, item 4): an attacker page on its own
// origin, a connected victim dapp, and the packaged extension in headless
// Chromium against the devnet. Each test is one attack and what must hold.
// docs/security.md cites these test names.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex } from '@noble/hashes/utils';
import { launchWithExtension, serveStatic, startWorld, CHROMIUM_FLAGS } from '../lib/harness.mjs';
import { ACCOUNT0, KEY0, PASSWORD, PHRASE, ecrecover, engineCommand, openDapp, personalDigest, withApproval } from '../lib/wallet.mjs';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/attacker');
let world;
let attackerSite;
const logs = [];
const errorsSeenByPages = [];

function record(page, where) {
  page.on('console', (m) => logs.push(`${where}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`${where} error: ${e.message}`));
}

async function openAttacker(browser = world.browser, url = attackerSite.url) {
  const page = await browser.context.newPage();
  await page.goto(`${url}/index.html`);
  await page.waitForFunction(() => window.attacker && window.ethereum?.isAloft, null, { timeout: 10_000 });
  return page;
}

async function pendingApprovals() {
  return (await engineCommand(world, { cmd: 'status' })).value.pendingApprovals;
}

before(async () => {
  world = await startWorld();
  attackerSite = await serveStatic(FIXTURES);
  world.browser.context.on('page', (p) => record(p, p.url()));
  // Everything the service worker prints, for the no-secret-in-logs test.
  await world.browser.worker.evaluate(() => {
    globalThis.__aloftLog = [];
    for (const k of ['log', 'info', 'warn', 'error', 'debug']) {
      const original = console[k].bind(console);
      console[k] = (...args) => { globalThis.__aloftLog.push(args.map((a) => { try { return typeof a === 'string' ? a : JSON.stringify(a); } catch { return String(a); } }).join(' ')); original(...args); };
    }
    self.addEventListener('error', (e) => globalThis.__aloftLog.push(`uncaught: ${e.message}`));
  });
  const created = await engineCommand(world, { cmd: 'importMnemonic', phrase: PHRASE, password: PASSWORD });
  assert.equal(created.value?.unlocked, true, JSON.stringify(created));
  // The victim: the demo dapp, connected.
  const dapp = await openDapp(world);
  const { page: approval, result } = await withApproval(world, () => dapp.evaluate(() => window.dapp.connect()));
  await approval.click('#approve');
  assert.deepEqual(await result, [ACCOUNT0]);
  await dapp.close();
});

after(async () => {
  await attackerSite?.close();
  await world?.stop();
});

test('attack: an unconnected origin is refused (4100, 4200) before any RPC work or prompt', async () => {
  const page = await openAttacker();
  try {
    const pagesBefore = world.browser.context.pages().length;
    // With the RPC offline, any request that reached the network would fail
    // with 4900: getting 4100 proves the refusal came first.
    await world.devnet.setSwitch('rpc_offline', true);
    const seen = await page.evaluate((from) => window.attacker.unconnected(from), ACCOUNT0);
    await world.devnet.setSwitch('rpc_offline', false);
    for (const r of [...Object.values(seen)].filter((x) => x?.code !== undefined)) errorsSeenByPages.push(r.message);
    assert.deepEqual(seen.accounts, []);
    assert.deepEqual(seen.perms, []);
    for (const key of ['sign', 'typed', 'send', 'sendNoFrom', 'garbageParams']) {
      assert.equal(seen[key].code, 4100, `${key}: ${JSON.stringify(seen[key])}`);
    }
    assert.equal(seen.unknown.code, 4200, 'eth_sign is not offered at all');
    assert.equal(seen.revoke.value, null, 'revoking nothing is harmless');
    await page.waitForTimeout(500);
    assert.equal(world.browser.context.pages().length, pagesBefore, 'no window opened');
    assert.equal(await pendingApprovals(), 0);
    // The connect request is the only prompt it can cause; closing the window is a 4001.
    const { page: approval, result } = await withApproval(world, () => page.evaluate(() => window.attacker.code(window.ethereum.request({ method: 'eth_requestAccounts' }))));
    await approval.close();
    const refused = await result;
    assert.equal(refused.code, 4001, JSON.stringify(refused));
    errorsSeenByPages.push(refused.message);
  } finally {
    await world.devnet.setSwitch('rpc_offline', false).catch(() => {});
    await page.close();
  }
});

test('attack: forged, cross-frame and prototype-polluted postMessages are ignored', async () => {
  const page = await openAttacker();
  try {
    const pagesBefore = world.browser.context.pages().length;
    const r = await page.evaluate(([victim, from]) => window.attacker.forge(victim, from), [`${world.site.url}/dapp/`, ACCOUNT0]);
    // The page's own forged request is still the page's origin: refused.
    assert.ok(r.forged.every((m) => m.error?.code === 4100), JSON.stringify(r.forged));
    assert.deepEqual(r.polluted, [], 'a message without its own target field is not a request');
    assert.equal(world.browser.context.pages().length, pagesBefore + 0, 'no approval window');
    assert.equal(await pendingApprovals(), 0, 'nothing reached the queue through the connected victim frame');
  } finally {
    await page.close();
  }
});

test('attack: a connected dapp framing the attacker does not lend it its permission', async () => {
  const dapp = await openDapp(world);
  try {
    // The attacker's frame inside the connected victim asks for accounts and
    // a signature, and posts forged requests up to the victim.
    const frameUrl = `${attackerSite.url}/index.html`;
    await dapp.evaluate((src) => new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.onload = resolve;
      document.body.append(f);
    }), frameUrl);
    const frame = dapp.frames().find((f) => f.url().startsWith(attackerSite.url));
    await frame.waitForFunction(() => window.attacker && window.ethereum?.isAloft);
    const seen = await frame.evaluate(async (from) => {
      window.parent.postMessage({ target: 'aloft:content', id: 7, method: 'personal_sign', params: ['0x6869', from] }, '*');
      return window.attacker.unconnected(from);
    }, ACCOUNT0);
    assert.deepEqual(seen.accounts, [], 'the frame has its own origin, which is not connected');
    assert.equal(seen.sign.code, 4100);
    await dapp.waitForTimeout(500);
    assert.equal(await pendingApprovals(), 0);
    assert.deepEqual(await dapp.evaluate(() => window.dapp.request('eth_accounts')), [ACCOUNT0], 'the victim itself still works');
  } finally {
    await dapp.close();
  }
});

test('attack: the provider cannot be replaced or monkey-patched to leak anything', async () => {
  const page = await openAttacker();
  try {
    const r = await page.evaluate(() => window.attacker.tamper());
    assert.equal(r.frozen, true);
    assert.equal(r.announcedFrozen, true);
    assert.equal(r.announcedIsOriginal, true, 'EIP-6963 still hands out Aloft after window.ethereum was replaced');
    assert.equal(r.announcedChainId, `0x${world.devnet.chainId.toString(16)}`);
    assert.deepEqual(r.keys, ['isAloft', 'off', 'on', 'removeListener', 'request'], 'no state, no handles on the provider');
    // Whatever the page intercepted while using its provider holds no secret.
    const seen = await page.evaluate(() => window.attacker.seen.join('\n'));
    for (const s of secrets()) assert.ok(!seen.toLowerCase().includes(s.toLowerCase()), 'a secret passed through the page');
  } finally {
    await page.close();
  }
});

test('attack: the page world has no extension APIs and cannot fetch or frame extension pages', async () => {
  const page = await openAttacker();
  try {
    const r = await page.evaluate((id) => window.attacker.extensionApis(id), world.browser.extensionId);
    assert.equal(r.storage, false, 'no chrome.storage');
    assert.ok(!r.runtime.includes('sendMessage') || /error|absent|threw/.test(String(r.sendMessage)), `runtime messaging: ${JSON.stringify(r)}`);
    assert.match(r.fetchManifest, /refused/, 'extension files are not web-accessible');
    const framed = page.frames().find((f) => f.url().startsWith('chrome-extension://'));
    const appShown = framed ? await framed.evaluate(() => Boolean(document.querySelector('.app'))).catch(() => false) : false;
    assert.equal(appShown, false, 'the wallet UI does not load inside a web page');
  } finally {
    await page.close();
  }
});

test('attack: extension pages refuse to be framed, even by the extension itself (CSP frame-ancestors)', async () => {
  const manifest = await world.browser.worker.evaluate(() => chrome.runtime.getManifest());
  assert.match(manifest.content_security_policy.extension_pages, /frame-ancestors 'none'/);
  assert.equal(manifest.web_accessible_resources, undefined, 'no extension file is exposed to web pages');
  const page = await world.browser.context.newPage();
  try {
    await page.goto(world.browser.extensionUrl('wallet.html#/status'));
    await page.waitForSelector('#status-engine');
    const inner = await page.evaluate(() => new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.src = 'popup.html';
      document.body.append(f);
      setTimeout(() => {
        let doc = null;
        try { doc = f.contentDocument; } catch { /* cross-origin error page */ }
        resolve({ loaded: Boolean(doc?.querySelector('.app') || doc?.querySelector('script[src="wallet.js"]')), url: doc?.URL ?? null });
      }, 2000);
    }));
    assert.equal(inner.loaded, false, `popup.html rendered inside a frame: ${JSON.stringify(inner)}`);
  } finally {
    await page.close();
  }
});

test('attack: stale, foreign and replayed approval ids are refused', async () => {
  const dapp = await openDapp(world);
  try {
    const sign = (t) => dapp.evaluate((text) => window.dapp.personalSign(text).then((value) => ({ value }), (e) => ({ code: e.code })), t);
    const { page: approval, result: first } = await withApproval(world, () => sign('first'));
    const second = sign('second');
    await dapp.waitForTimeout(300);
    const head = await approval.getAttribute('.approval', 'data-approval-id');
    assert.equal((await engineCommand(world, { cmd: 'resolve', id: 'ab'.repeat(16), approve: true })).code, 'stale', 'an id never issued');
    assert.equal((await engineCommand(world, { cmd: 'resolve', id: 'not hex at all', approve: true })).code, 'stale');
    const view = (await engineCommand(world, { cmd: 'currentApproval' })).value;
    assert.equal(view.id, head);
    assert.equal(view.queued, 2);
    await approval.click('#approve');
    assert.equal(ecrecover(personalDigest('first'), (await first).value), ACCOUNT0);
    assert.equal((await engineCommand(world, { cmd: 'resolve', id: head, approve: true })).code, 'replayed');
    const next = (await engineCommand(world, { cmd: 'currentApproval' })).value;
    assert.notEqual(next.id, head);
    assert.equal((await engineCommand(world, { cmd: 'resolve', id: next.id, approve: false })).value.next, false);
    assert.equal((await second).code, 4001);
    assert.equal((await engineCommand(world, { cmd: 'resolve', id: next.id, approve: true })).code, 'replayed');
  } finally {
    for (const p of world.browser.context.pages()) if (p.url().includes('#/approve')) await p.close().catch(() => {});
    await dapp.close();
  }
});

test('attack: parallel requests are serialized, one approval at a time, in order', async () => {
  const dapp = await openDapp(world);
  try {
    const texts = ['one', 'two', 'three'];
    const { page: approval, result } = await withApproval(world, () =>
      dapp.evaluate((ts) => Promise.all(ts.map((t) => window.dapp.personalSign(t))), texts)
    );
    for (const [i, t] of texts.entries()) {
      await approval.waitForFunction((want) => document.getElementById('approval-summary')?.textContent.includes(want), t);
      const queued = texts.length - i - 1;
      if (queued > 0) assert.match(await approval.textContent('#approval-queue'), new RegExp(`^${queued} more`));
      else assert.equal(await approval.locator('#approval-queue').count(), 0, 'the last one has nothing after it');
      const id = await approval.getAttribute('.approval', 'data-approval-id');
      await approval.click('#approve');
      if (i < texts.length - 1) await approval.waitForFunction((old) => document.querySelector('.approval')?.dataset.approvalId !== old, id);
    }
    const signatures = await result;
    texts.forEach((t, i) => assert.equal(ecrecover(personalDigest(t), signatures[i]), ACCOUNT0, t));
  } finally {
    await dapp.close();
  }
});

test('attack: a look-alike (punycode) origin is shown as such in the approval', async () => {
  // A second browser that resolves a punycode name (аррӏе.com in Cyrillic) to loopback.
  const host = 'xn--80ak6aa92e.com';
  const flags = CHROMIUM_FLAGS.map((f) => (f.startsWith('--host-resolver-rules=') ? `--host-resolver-rules=MAP ${host} 127.0.0.1, MAP * ~NOTFOUND , EXCLUDE 127.0.0.1` : f));
  const browser = await launchWithExtension({ flags });
  try {
    const imported = await browser.worker.evaluate((c) => globalThis.aloftCommand(c).then((v) => v.unlocked), { cmd: 'importMnemonic', phrase: PHRASE, password: PASSWORD });
    assert.equal(imported, true);
    const port = new URL(attackerSite.url).port;
    const page = await openAttacker(browser, `http://${host}:${port}`);
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('#/approve'), timeout: 15_000 });
    const result = page.evaluate(() => window.attacker.code(window.ethereum.request({ method: 'eth_requestAccounts' })));
    const approval = await opened;
    await approval.waitForSelector('.approval[data-ready="true"]');
    assert.equal(await approval.textContent('#approval-origin'), `http://${host}:${port}`);
    assert.match(await approval.textContent('#approval-origin-warning'), /punycode/);
    assert.ok(await approval.isVisible('#approval-origin-warning'), 'the warning is on screen');
    await approval.click('#reject');
    assert.equal((await result).code, 4001);
  } finally {
    await browser.close();
  }
});

function secrets() {
  return [PHRASE, 'test test test', KEY0, PASSWORD, ...extraSecrets];
}
const extraSecrets = [];

test('attack: no secret in page-visible objects, logs or error texts', async () => {
  const session = await world.browser.worker.evaluate(() => chrome.storage.session.get(null));
  assert.ok(session.vaultKey, 'unlocked: the session key exists to be looked for');
  extraSecrets.push(session.vaultKey);
  const { pbkdf2 } = await import('@noble/hashes/pbkdf2');
  const { sha512 } = await import('@noble/hashes/sha2');
  extraSecrets.push(bytesToHex(pbkdf2(sha512, PHRASE, 'mnemonic', { c: 2048, dkLen: 64 })));
  // Error texts: every failure a page can provoke.
  const page = await openAttacker();
  const dapp = await openDapp(world);
  try {
    const provoked = await dapp.evaluate(async (from) => {
      const e = (p) => p.then(() => null, (x) => `${x.code} ${x.message}`);
      return [
        await e(window.dapp.request('personal_sign', ['0x6869', 'not an address'])),
        await e(window.dapp.request('eth_signTypedData_v4', [from, '{"types":1}'])),
        await e(window.dapp.request('eth_sendTransaction', [{ from, to: '0x12', value: 'lots' }])),
        await e(window.dapp.request('wallet_switchEthereumChain', [{ chainId: '0x999999' }])),
        await e(window.dapp.request('eth_call', [{ to: from, data: '0xzz' }, 'latest'])),
        await e(window.dapp.request('eth_getBalance', ['nope'])),
        await e(window.ethereum.request({ method: 'eth_sign', params: [from, '0x00'] })),
        await e(window.ethereum.request(null)),
      ];
    }, ACCOUNT0);
    errorsSeenByPages.push(...provoked.filter(Boolean));
    // Page-visible objects: the provider, the announcement, the DOM, storage.
    const visible = await page.evaluate(() => {
      const walk = (o, depth = 0, seen = new Set()) => {
        if (o === null || typeof o !== 'object' && typeof o !== 'function' || seen.has(o) || depth > 4) return String(o);
        seen.add(o);
        return Object.getOwnPropertyNames(o).map((k) => { try { return `${k}:${walk(o[k], depth + 1, seen)}`; } catch { return k; } }).join(',');
      };
      let announced = null;
      window.addEventListener('eip6963:announceProvider', (e) => { announced = e.detail; });
      window.dispatchEvent(new Event('eip6963:requestProvider'));
      return [walk(window.ethereum), walk(announced), document.documentElement.outerHTML, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie].join('\n');
    });
    const workerLog = await world.browser.worker.evaluate(() => globalThis.__aloftLog.join('\n'));
    const haystack = [visible, workerLog, logs.join('\n'), errorsSeenByPages.join('\n')].join('\n').toLowerCase();
    assert.ok(errorsSeenByPages.length >= 8, 'errors were collected');
    for (const s of secrets()) {
      assert.ok(!haystack.includes(s.toLowerCase()), `found ${s.slice(0, 6)}… where a page or a log can see it`);
    }
  } finally {
    await page.close();
    await dapp.close();
  }
});
