// Wallet views (Leptos, ui crate) driven as a person would: the Send view's
// transaction approved and followed to its receipt in Activity, and the key
// pages (import a raw key, export a keystore, change the password). They run
// after lib/wallet.mjs's steps, in the same world (the standard mnemonic
// imported, unlocked, the dapp connected).

import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex } from '@noble/hashes/utils';
import { ACCOUNT1, PASSWORD, engineCommand, openDapp, withApproval } from './wallet.mjs';

const NEW_PASSWORD = 'a brand new password';
// A key of our own (not a devnet account), and its address computed here.
const EXTRA_KEY = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const EXTRA_ADDRESS = '0x' + bytesToHex(keccak_256(secp256k1.getPublicKey(EXTRA_KEY, false).slice(1)).slice(12));

async function openWallet(world, route) {
  const page = await world.browser.context.newPage();
  await page.goto(world.browser.extensionUrl(`wallet.html${route}`));
  await page.waitForSelector('.app.page[data-state="unlocked"]', { timeout: 15_000 });
  return page;
}

export const walletViewSteps = [
  {
    name: 'Send view: the transaction opens the approval window, is mined, and shows in Activity with its receipt',
    async run(world) {
      const page = await openWallet(world, '#/send');
      try {
        const before = BigInt(await world.devnet.rpc('eth_getBalance', [ACCOUNT1, 'latest']));
        // A bad recipient is named before anything reaches the engine.
        await page.fill('#send-to', '0x1234');
        await page.fill('#send-amount', '0.5');
        await page.click('#send-submit');
        await page.waitForFunction(() => document.getElementById('error')?.textContent.startsWith('Recipient'));
        await page.fill('#send-to', ACCOUNT1);
        await page.fill('#send-amount', '0.25');
        const { page: approval } = await withApproval(world, () => page.click('#send-submit'));
        assert.equal(await approval.textContent('#approval-origin'), 'Aloft (you, from the Send view)');
        assert.equal(await approval.getAttribute('.approval', 'data-approval-type'), 'transaction');
        assert.match(await approval.textContent('#approval-summary'), /0\.25 ETH/);
        await approval.click('#approve');
        await page.waitForSelector('#send-hash', { timeout: 20_000 });
        const hash = await page.textContent('#send-hash');
        assert.match(hash, /^0x[0-9a-f]{64}$/);
        const after = BigInt(await world.devnet.rpc('eth_getBalance', [ACCOUNT1, 'latest']));
        assert.equal(after - before, 250_000_000_000_000_000n);
        await page.goto(world.browser.extensionUrl('wallet.html#/'));
        await page.reload();
        const row = page.locator('#activity li', { hasText: '0.25 ETH' }).first();
        await row.waitFor({ timeout: 15_000 });
        assert.equal(await row.getAttribute('data-status'), 'confirmed', 'the receipt was read');
        assert.match(await row.textContent(), /block \d+/);
        return { hash };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'Import account page: a raw key becomes an account; a duplicate is refused with the reason',
    async run(world) {
      const page = await openWallet(world, '#/accounts/import');
      try {
        await page.fill('#import-key', EXTRA_KEY);
        await page.click('#import-key-submit');
        await page.waitForSelector('#import-added');
        assert.equal(await page.textContent('#import-added'), EXTRA_ADDRESS);
        assert.equal(await page.inputValue('#import-key'), '', 'the key is cleared from the page');
        await page.fill('#import-key', EXTRA_KEY);
        await page.click('#import-key-submit');
        await page.waitForFunction(() => document.getElementById('error')?.textContent.includes('already in the wallet'));
        const status = await engineCommand(world, { cmd: 'status' });
        assert.ok(status.value.accounts.some((a) => a.address === EXTRA_ADDRESS));
        return { address: EXTRA_ADDRESS };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'Export keystore page: needs the wallet password; the file decrypts to the account (imported back by the engine)',
    async run(world) {
      const page = await openWallet(world, '#/accounts/export');
      try {
        await page.selectOption('#export-account', EXTRA_ADDRESS);
        await page.fill('#export-wallet-password', 'not the password');
        await page.fill('#export-file-password', 'file password 1');
        await page.fill('#export-file-password-again', 'file password 1');
        await page.click('#export-submit');
        await page.waitForFunction(() => document.getElementById('error')?.textContent === 'wrong password');
        await page.fill('#export-wallet-password', PASSWORD);
        await page.fill('#export-file-password', 'file password 1');
        await page.fill('#export-file-password-again', 'file password 1');
        await page.click('#export-submit');
        await page.waitForSelector('#export-download');
        const file = JSON.parse(await page.textContent('#export-keystore'));
        assert.equal(file.version, 3);
        assert.equal('0x' + file.address.replace(/^0x/, ''), EXTRA_ADDRESS);
        assert.ok(!JSON.stringify(file).includes(EXTRA_KEY), 'the key is not in clear');
        const href = await page.getAttribute('#export-download', 'href');
        assert.match(href, /^data:application\/json/);
        // The file is a real v3 keystore: a fresh engine onboards from it.
        const { launchWithExtension } = await import('./harness.mjs');
        const other = await launchWithExtension();
        try {
          const created = await other.worker.evaluate(
            (c) => globalThis.aloftCommand(c).then((v) => ({ v }), (e) => ({ e: e.message })),
            { cmd: 'onboardKeystore', json: JSON.stringify(file), keystorePassword: 'file password 1', password: PASSWORD }
          );
          assert.equal(created.v?.accounts[0].address, EXTRA_ADDRESS, JSON.stringify(created));
        } finally {
          await other.close();
        }
        return {};
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'Change password page: the old password is checked, then only the new one unlocks',
    async run(world) {
      const page = await openWallet(world, '#/settings/password');
      try {
        await page.fill('#password-old', 'wrong wrong');
        await page.fill('#password-new', NEW_PASSWORD);
        await page.fill('#password-new-again', NEW_PASSWORD);
        await page.click('#password-submit');
        await page.waitForFunction(() => document.getElementById('error')?.textContent === 'wrong password');
        await page.fill('#password-old', PASSWORD);
        await page.fill('#password-new', NEW_PASSWORD);
        await page.fill('#password-new-again', NEW_PASSWORD);
        await page.click('#password-submit');
        await page.waitForSelector('#password-changed');
        await engineCommand(world, { cmd: 'lock' });
        assert.equal((await engineCommand(world, { cmd: 'unlock', password: PASSWORD })).code, 'wrongPassword');
        assert.equal((await engineCommand(world, { cmd: 'unlock', password: NEW_PASSWORD })).value.unlocked, true);
        // Back to the password the other suites expect.
        const back = await engineCommand(world, { cmd: 'changePassword', old: NEW_PASSWORD, new: PASSWORD });
        assert.equal(back.value, true);
        return {};
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'EIP-1193 disconnect: 4900 to the page when the RPC stops answering, connect when it is back',
    async run(world) {
      const page = await openDapp(world);
      try {
        const connects = await page.evaluate(() => window.dapp.events.filter((e) => e.name === 'connect').length);
        await world.devnet.setSwitch('rpc_offline', true);
        const failed = await page.evaluate(() => window.dapp.request('eth_blockNumber').then(() => null, (e) => e.code));
        assert.equal(failed, 4900);
        await page.waitForFunction(() => window.dapp.events.some((e) => e.name === 'disconnect'), null, { timeout: 10_000 });
        const event = await page.evaluate(() => {
          const e = window.dapp.events.find((x) => x.name === 'disconnect').data;
          return { isError: e instanceof Error, code: e.code, message: e.message };
        });
        assert.deepEqual({ isError: event.isError, code: event.code }, { isError: true, code: 4900 });
        await world.devnet.setSwitch('rpc_offline', false);
        const block = await page.evaluate(() => window.dapp.request('eth_blockNumber'));
        assert.match(block, /^0x[0-9a-f]+$/);
        await page.waitForFunction((n) => window.dapp.events.filter((e) => e.name === 'connect' && e.data?.chainId).length > n, connects, { timeout: 10_000 });
        return event;
      } finally {
        await world.devnet.setSwitch('rpc_offline', false).catch(() => {});
        await page.close();
      }
    },
  },
];
