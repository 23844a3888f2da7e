// `cargo xtask screenshots`: every wallet view in headless Chromium with the
// packaged extension against the devnet, written as
// <out>/<view>-<popup|page>-<light|dark>.png (popup 360×600, page 1024×720).
//
// One fresh profile walks the whole life of a wallet: onboarding (choose,
// phrase, confirm, import tabs), then the standard mnemonic is imported,
// unlock (and a wrong password), home with activity, send, receive, the
// light client (in sync, then after rejected headers and a fork), the
// agents gallery and an agent's detail, uploads (a finished upload with its
// download, an unknown root refused; the popup's pointer to the tab), settings
// and the key pages, and each approval kind raised by
// the demo dapp (connect, message, typed data, transaction).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchWithExtension, serveStatic, startDevnet, DIST } from './lib/harness.mjs';

const OUT = path.resolve(process.argv[2] ?? '../../docs/screenshots');
const PHRASE = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery';
const SIZES = { popup: { width: 360, height: 600 }, page: { width: 1024, height: 720 } };
const SCHEMES = ['light', 'dark'];
const written = [];

async function shoot(page, name, surfaces = ['popup', 'page']) {
  for (const surface of surfaces) {
    for (const scheme of SCHEMES) {
      await page.setViewportSize(SIZES[surface]);
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(120);
      const file = path.join(OUT, `${name}-${surface}-${scheme}.png`);
      await page.screenshot({ path: file });
      written.push(path.basename(file));
    }
  }
}

/** Opens `route` on the given surface's HTML and waits for `selector`. */
async function open(browser, surface, route, selector) {
  const page = await browser.context.newPage();
  await page.setViewportSize(SIZES[surface]);
  await page.goto(browser.extensionUrl(`${surface === 'popup' ? 'popup' : 'wallet'}.html${route}`));
  await page.waitForSelector(selector, { timeout: 15_000 });
  await page.waitForTimeout(300);
  return page;
}

/** Each surface is its own page load (the layout differs), shot light and dark. */
async function view(browser, name, route, selector, prepare = async () => {}) {
  for (const surface of ['popup', 'page']) {
    const page = await open(browser, surface, route, selector);
    try {
      await prepare(page);
      await shoot(page, name, [surface]);
    } finally {
      await page.close();
    }
  }
}

const command = (browser, c) => browser.worker.evaluate((x) => globalThis.aloftCommand(x), c);

async function approval(browser, dapp, name, action, decide) {
  const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('#/approve'), timeout: 15_000 });
  const result = dapp.evaluate(action).catch(() => null);
  const win = await opened;
  await win.waitForSelector('.approval[data-ready="true"]', { timeout: 15_000 });
  await shoot(win, name, ['popup']);
  const full = await open(browser, 'page', '#/approve', '.approval[data-ready="true"]');
  await shoot(full, name, ['page']);
  await full.close();
  await win.click(decide);
  await result;
}

/**
 * The uploads view in the full-page tab: a 1 MiB file uploaded (the
 * submission approved in the wallet's window) and downloaded back by its root;
 * with `unknownRoot`, a download of a root never submitted, refused.
 */
async function uploadsPage(browser, p, { unknownRoot = false } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'aloft-shots-'));
  try {
    const file = path.join(dir, 'dataset.csv');
    await writeFile(file, Buffer.alloc(1 << 20, 'date,prompt,reply\n'));
    await p.setInputFiles('#upload-file', file);
    const opened = browser.context.waitForEvent('page', { predicate: (w) => w.url().includes('#/approve'), timeout: 60_000 });
    await p.click('#upload-start');
    const win = await opened;
    await win.waitForSelector('.approval[data-ready="true"]', { timeout: 15_000 });
    await win.click('#approve');
    await p.waitForSelector('#upload-root', { timeout: 120_000 });
    const root = unknownRoot ? `0x${'ab'.repeat(32)}` : (await p.textContent('#upload-root')).trim();
    await p.fill('#download-root', root);
    await p.click('#download-start');
    const shown = await p.waitForSelector(unknownRoot ? '.download .banner.error' : '#download-link', { timeout: 120_000 });
    await shown.scrollIntoViewIfNeeded();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Mints an agent from a 64 KiB file in the wallet's agents view, approving both windows. */
async function mintAgent(browser, name) {
  const page = await browser.context.newPage();
  try {
    await page.goto(browser.extensionUrl('wallet.html#/agents'));
    await page.waitForSelector('#mint-files', { timeout: 30_000 });
    await page.setInputFiles('#mint-files', { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(new Uint8Array(65536).map((_, i) => (i * 7) & 0xff)) });
    await page.fill('#mint-name', name);
    const waitWindow = () => browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('#/approve'), timeout: 60_000 });
    let opened = waitWindow();
    await page.click('#mint-start');
    for (let i = 0; i < 2; i++) {
      const win = await opened;
      await win.waitForSelector('.approval[data-ready="true"]', { timeout: 15_000 });
      opened = waitWindow();
      await win.click('#approve');
    }
    opened.catch(() => {});
    await page.waitForSelector('#mint-done, .mint .banner.error', { timeout: 120_000 });
    if (!(await page.$('#mint-done'))) throw new Error(`minting the screenshot agent: ${await page.textContent('.mint .banner.error')}`);
  } finally {
    await page.close();
  }
}

await mkdir(OUT, { recursive: true });
const devnet = await startDevnet();
const site = await serveStatic(path.join(DIST, 'www'));
const browser = await launchWithExtension();
try {
  // Onboarding, in a profile with no wallet yet.
  await view(browser, 'onboarding', '#/onboarding', '#start-create');
  await view(browser, 'onboarding-phrase', '#/onboarding', '#start-create', async (p) => {
    await p.click('#start-create');
    await p.waitForSelector('#phrase li');
  });
  await view(browser, 'onboarding-confirm', '#/onboarding', '#start-create', async (p) => {
    await p.click('#start-create');
    await p.click('#phrase-saved');
    await p.waitForSelector('#confirm-words input');
  });
  await view(browser, 'onboarding-import', '#/onboarding', '#start-import', async (p) => {
    await p.click('#start-import');
    await p.waitForSelector('#import-phrase');
  });
  await view(browser, 'onboarding-import-keystore', '#/onboarding', '#start-import-keystore', async (p) => {
    await p.click('#start-import-keystore');
    await p.waitForSelector('#import-keystore');
  });
  await command(browser, { cmd: 'importMnemonic', phrase: PHRASE, password: PASSWORD });
  await command(browser, { cmd: 'addAccount' });

  // Approvals raised by the demo dapp.
  const dapp = await browser.context.newPage();
  await dapp.goto(`${site.url}/dapp/`);
  await dapp.waitForFunction(() => window.dapp?.wallets().some((w) => w.rdns === 'dev.aloft.wallet'), null, { timeout: 10_000 });
  await approval(browser, dapp, 'approve-connect', () => window.dapp.connect(), '#approve');
  await approval(browser, dapp, 'approve-message', () => window.dapp.personalSign('Sign in to Aloft demo at 12:00'), '#reject');
  await approval(browser, dapp, 'approve-typed-data', () => window.dapp.signTyped('hello from the typed-data screenshot'), '#reject');
  await approval(browser, dapp, 'approve-transaction', () => window.dapp.send('0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0x2386f26fc10000'), '#approve');

  // The wallet's own views, unlocked, with one transaction in Activity.
  await view(browser, 'home', '#/', '#accounts li', async (p) => p.waitForSelector('#activity li', { timeout: 15_000 }));
  await view(browser, 'send', '#/send', '#send-form', async (p) => {
    await p.fill('#send-to', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    await p.fill('#send-amount', '0.25');
  });
  await view(browser, 'receive', '#/receive', '#receive-address');
  await view(browser, 'light-client', '#/status', '#lc-head-height');
  // The light client after a misbehaving chain: a rejected header (bad
  // signatures) and fork evidence (equivocation), each switched off again.
  for (const name of ['bad_signatures', 'equivocate']) {
    const watcher = await open(browser, 'page', '#/status', '#lc-head-height');
    await devnet.setSwitch(name, true);
    try {
      await watcher.waitForSelector(name === 'equivocate' ? '#lc-evidence li' : '#lc-rejections li', { timeout: 45_000 });
    } finally {
      await devnet.setSwitch(name, false);
      await watcher.close();
    }
  }
  await view(browser, 'light-client-forks', '#/status', '#lc-evidence li');
  // Agents (iNFTs): one minted from a small file in the agents view (two
  // approvals: Flow.submit for the ciphertext, then the mint); its ownership
  // is proven by the light client.
  await mintAgent(browser, 'Research assistant');
  await view(browser, 'agents', '#/agents', '.agents li, .empty, .banner', async (p) => {
    const shown = await p.waitForSelector('.agents li .badge.verified', { timeout: 30_000 }).catch(() => null);
    if (!shown) throw new Error(`the agents view shows no verified agent: ${await p.textContent('main')}`);
  });
  await view(browser, 'agent-detail', '#/agents', '.agents li .agent-open', async (p) => {
    await p.click('.agents li .agent-open');
    await p.waitForSelector('#agent-verified .badge', { timeout: 30_000 });
  });
  // The detail after its files were downloaded and decrypted (the tab only:
  // the popup points there), and after a transfer with proofs that do not
  // hold, refused with the contract's reason.
  const detail = await open(browser, 'page', '#/agents', '.agents li .agent-open');
  try {
    await detail.click('.agents li .agent-open');
    await detail.click('#agent-decrypt');
    await (await detail.waitForSelector('#agent-files a', { timeout: 60_000 })).scrollIntoViewIfNeeded();
    await shoot(detail, 'agent-decrypted', ['page']);
    // Proofs the oracle made for one receiver, used for another: the
    // contract refuses them, and the view says why before anything is signed.
    await detail.fill('#agent-receiver', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    await detail.click('#agent-ask-oracle');
    await detail.waitForFunction(() => /re-encrypted/.test(document.getElementById('agent-action-status')?.textContent ?? ''), null, { timeout: 30_000 });
    await detail.fill('#agent-receiver', '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC');
    await detail.click('#agent-transfer');
    await detail.waitForSelector('#agent-action-error', { timeout: 30_000 });
    await (await detail.$('#agent-action-error')).scrollIntoViewIfNeeded();
    await shoot(detail, 'agent-transfer-refused', ['page']);
  } finally {
    await detail.close();
  }
  await view(browser, 'uploads', '#/uploads', '#upload-file, #open-uploads', async (p) => {
    if (await p.$('#upload-file')) await uploadsPage(browser, p);
  });
  await view(browser, 'uploads-unknown-root', '#/uploads', '#upload-file, #open-uploads', async (p) => {
    if (await p.$('#upload-file')) await uploadsPage(browser, p, { unknownRoot: true });
  });
  await view(browser, 'settings', '#/settings', '#sites li');
  await view(browser, 'import-account', '#/accounts/import', '#import-key-form');
  await view(browser, 'export-keystore', '#/accounts/export', '#export-form');
  await view(browser, 'change-password', '#/settings/password', '#password-form');

  // Locked: unlock, and a wrong password said as such.
  await command(browser, { cmd: 'lock' });
  await view(browser, 'unlock', '#/', '#unlock-password');
  await view(browser, 'unlock-wrong-password', '#/', '#unlock-password', async (p) => {
    await p.fill('#unlock-password', 'not the password');
    await p.click('#unlock-submit');
    await p.waitForFunction(() => document.getElementById('error')?.textContent === 'wrong password', null, { timeout: 10_000 });
  });
  console.log(JSON.stringify({ ok: true, out: OUT, files: written.length }));
} catch (e) {
  console.error(`screenshots: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  await site.close();
  await devnet.stop();
}
