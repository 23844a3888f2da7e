// The user journeys, as steps that assert what a person would check.
//
// Each step takes the running world (devnet, site, browser with the
// extension) and throws with a reason when something is wrong. The tests run
// each step as a test; the scripted demo (journey.mjs) runs them in order and
// reports each one. New issues add steps here.

import assert from 'node:assert/strict';

const ALOFT_RDNS = 'dev.aloft.wallet';

async function openDapp(world) {
  const page = await world.browser.context.newPage();
  await page.goto(`${world.site.url}/dapp/`);
  await page.waitForFunction(
    (rdns) => window.dapp?.wallets().some((w) => w.rdns === rdns),
    ALOFT_RDNS,
    { timeout: 10_000 }
  );
  return page;
}

export const steps = [
  {
    name: 'extension service worker runs the wasm engine',
    async run(world) {
      const { worker } = world.browser;
      assert.match(worker.url(), /^chrome-extension:\/\/[a-p]{32}\/background\.js$/);
      const manifest = await worker.evaluate(() => chrome.runtime.getManifest());
      assert.equal(manifest.manifest_version, 3);
      assert.match(manifest.content_security_policy.extension_pages, /'wasm-unsafe-eval'/);
      // The engine (Rust compiled to WASM) started inside the worker and
      // reports the network it serves.
      const status = await worker.evaluate(() => globalThis.aloftStatus());
      assert.equal(status.version, '0.1.0');
      assert.deepEqual(status.network, {
        chainId: `0x${world.devnet.chainId.toString(16)}`,
        name: 'Aloft devnet',
        rpcUrl: world.devnet.rpcUrl,
      });
      return { worker: worker.url(), status };
    },
  },
  {
    name: 'dapp discovers Aloft by EIP-6963',
    async run(world) {
      const page = await openDapp(world);
      try {
        const wallets = await page.evaluate(() => window.dapp.wallets());
        const aloft = wallets.find((w) => w.rdns === ALOFT_RDNS);
        assert.ok(aloft, 'Aloft announced itself');
        assert.equal(aloft.name, 'Aloft');
        assert.ok(aloft.frozen, 'the announced detail is frozen');
        assert.match(aloft.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'uuid v4');
        assert.match(aloft.icon, /^data:image\/svg\+xml,/);
        const isAloft = await page.evaluate(() => window.ethereum?.isAloft === true);
        assert.ok(isAloft, 'window.ethereum is Aloft when no other wallet holds it');
        return { wallets: wallets.map((w) => w.rdns) };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'eth_chainId through the provider is answered by the engine',
    async run(world) {
      const page = await openDapp(world);
      try {
        const fromWallet = await page.evaluate(() => window.dapp.request('eth_chainId'));
        const fromDevnet = await world.devnet.rpc('eth_chainId');
        assert.equal(fromWallet, fromDevnet, 'the wallet and the devnet agree on the chain');
        assert.equal(fromWallet, `0x${world.devnet.chainId.toString(16)}`);
        // A message only the Rust engine writes: the worker is not answering on its own.
        const refused = await page.evaluate(() =>
          window.dapp.request('eth_sign', []).then(
            () => null,
            (e) => ({ code: e.code, message: e.message, isError: e instanceof Error })
          )
        );
        assert.deepEqual(refused, { code: 4200, message: 'Aloft does not support the method eth_sign', isError: true });
        // The page sees the answer too.
        await page.click('#chain-id');
        await page.waitForFunction(() => document.getElementById('block-number-result').textContent.startsWith('0x'));
        assert.equal(await page.textContent('#chain-id-result'), fromDevnet);
        return { chainId: fromWallet };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'read-only calls are forwarded to the devnet',
    async run(world) {
      const page = await openDapp(world);
      try {
        const account = world.devnet.accounts[0];
        const [block, balance] = await page.evaluate(
          (a) => Promise.all([window.dapp.request('eth_blockNumber'), window.dapp.request('eth_getBalance', [a, 'latest'])]),
          account
        );
        assert.equal(block, await world.devnet.rpc('eth_blockNumber'));
        assert.equal(balance, await world.devnet.rpc('eth_getBalance', [account, 'latest']));
        // Bad params come back as the RPC's own error, not a hang or a crash.
        const bad = await page.evaluate(() =>
          window.dapp.request('eth_getBalance', ['not-an-address']).then(() => null, (e) => e.code)
        );
        assert.equal(bad, -32602);
        // With the RPC down, the page gets 4900 (disconnected) with a reason.
        await world.devnet.setSwitch('rpc_offline', true);
        try {
          const down = await page.evaluate(() => window.dapp.request('eth_blockNumber').then(() => null, (e) => ({ code: e.code, message: e.message })));
          assert.equal(down?.code, 4900);
          assert.match(down.message, /503/);
        } finally {
          await world.devnet.setSwitch('rpc_offline', false);
        }
        return { block, balance };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'a second wallet on the page does not hide Aloft',
    async run(world) {
      const page = await world.browser.context.newPage();
      try {
        // Another wallet announces itself before the dapp asks.
        await page.addInitScript(() => {
          const other = Object.freeze({
            info: Object.freeze({ uuid: '3f2b1c9e-8d7a-4e6f-9a1b-2c3d4e5f6a7b', name: 'Other', icon: 'data:image/svg+xml,<svg/>', rdns: 'test.other.wallet' }),
            provider: { request: async () => '0x1', on() {}, removeListener() {} },
          });
          window.addEventListener('eip6963:requestProvider', () =>
            window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: other }))
          );
        });
        await page.goto(`${world.site.url}/dapp/`);
        await page.waitForFunction(() => window.dapp?.wallets().length >= 2, null, { timeout: 10_000 });
        const rdns = (await page.evaluate(() => window.dapp.wallets())).map((w) => w.rdns).sort();
        assert.deepEqual(rdns, ['dev.aloft.wallet', 'test.other.wallet']);
        assert.equal(await page.evaluate(() => window.dapp.request('eth_chainId')), `0x${world.devnet.chainId.toString(16)}`);
        return { rdns };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'popup shows the network from the engine',
    async run(world) {
      const page = await world.browser.context.newPage();
      try {
        await page.goto(world.browser.extensionUrl('popup.html'));
        await page.waitForSelector('.app.popup:not([data-state="loading"])', { timeout: 15_000 });
        assert.equal(await page.textContent('.network-name'), 'Aloft devnet');
        return { state: await page.getAttribute('.app', 'data-state') };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'full-page wallet (Leptos UI) shows the engine\'s network',
    async run(world) {
      const page = await world.browser.context.newPage();
      try {
        // A fresh install has no wallet: the full page opens on onboarding.
        await page.goto(world.browser.extensionUrl('wallet.html'));
        await page.waitForSelector('.app.page[data-state="empty"] .onboarding', { timeout: 15_000 });
        assert.equal(await page.textContent('.network-name'), 'Aloft devnet');
        assert.equal(await page.textContent('.onboarding h1'), 'Set up Aloft');
        // The light client's status needs no wallet.
        await page.goto(world.browser.extensionUrl('wallet.html#/status'));
        await page.waitForSelector('#status-engine');
        assert.equal(await page.textContent('.app-nav a[aria-current=page]'), 'Light client');
        // The service worker's header client has verified a head of the devnet.
        await page.waitForSelector('#lc-head-height', { timeout: 45_000 });
        assert.equal(await page.textContent('.badge'), 'Verified');
        return { url: page.url() };
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'embedded verifier checks a BLS signature in the page',
    async run(world) {
      const page = await world.browser.context.newPage();
      try {
        await page.goto(`${world.site.url}/verifier/`);
        await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20_000 });
        const results = await page.evaluate(() => window.aloftVerifierDemo);
        assert.equal(results.error, undefined);
        assert.equal(results.valid, true);
        assert.equal(results.tampered, false);
        assert.match(results.malformed, /public key/);
        assert.equal(await page.textContent('#valid'), 'verified');
        return results;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'eth_getProof answers verify in WASM; tampered and lying answers are refused',
    async run(world) {
      const page = await world.browser.context.newPage();
      try {
        await page.goto(`${world.site.url}/verifier/`);
        await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20_000 });
        const owner = world.devnet.accounts[0];
        const results = await page.evaluate(async ({ rpcUrl, owner, nft }) => {
          const lc = await import('/pkg/aloft_light_client.js');
          await lc.default();
          const rpc = async (method, params) => {
            const res = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
            const body = await res.json();
            if (body.error) throw new Error(body.error.message);
            return body.result;
          };
          const refusal = (f) => { try { f(); return null; } catch (e) { return e.message; } };
          const block = await rpc('eth_getBlockByNumber', ['latest', false]);
          const accountProof = await rpc('eth_getProof', [owner, [], block.number]);
          const account = lc.verifyAccountProof(block.stateRoot, owner, JSON.stringify(accountProof));
          const lie = { ...accountProof, balance: '0x1' };
          const tampered = structuredClone(accountProof);
          const last = tampered.accountProof.length - 1;
          tampered.accountProof[last] = tampered.accountProof[last].slice(0, -1) + (tampered.accountProof[last].endsWith('0') ? '1' : '0');
          const slot = lc.erc721OwnerSlot('0');
          const nftProof = await rpc('eth_getProof', [nft, [slot], block.number]);
          const proven = lc.verifyErc721Owner(block.stateRoot, nft, '0', JSON.stringify(nftProof));
          const otherOwner = structuredClone(nftProof);
          otherOwner.storageProof[0].value = '0x' + '11'.repeat(20);
          return {
            balance: account.balance,
            rpcBalance: await rpc('eth_getBalance', [owner, block.number]),
            nonce: account.nonce.toString(),
            lie: refusal(() => lc.verifyAccountProof(block.stateRoot, owner, JSON.stringify(lie))),
            tampered: refusal(() => lc.verifyAccountProof(block.stateRoot, owner, JSON.stringify(tampered))),
            proven,
            otherOwner: refusal(() => lc.verifyErc721Owner(block.stateRoot, nft, '0', JSON.stringify(otherOwner))),
            garbage: refusal(() => lc.verifyAccountProof(block.stateRoot, owner, '{"nope": 1}')),
          };
        }, { rpcUrl: world.devnet.rpcUrl, owner, nft: world.devnet.contracts.agent_nft });
        assert.equal(results.balance, results.rpcBalance, 'the verified balance is the one the RPC claimed');
        assert.match(results.lie, /claims balance/);
        assert.match(results.tampered, /does not hash/);
        assert.equal(results.proven.toLowerCase(), owner.toLowerCase(), 'the demo agent belongs to the first account');
        assert.match(results.otherOwner, /storage value/);
        assert.match(results.garbage, /not an eth_getProof result/);
        return results;
      } finally {
        await page.close();
      }
    },
  },
  {
    name: 'the verifier syncs a BLS-verified head whose state root proves balances and NFT owners',
    async run(world) {
      const page = await world.browser.context.newPage();
      try {
        await page.goto(`${world.site.url}/verifier/`);
        const first = await world.devnet.headers('/header/1');
        const owner = world.devnet.accounts[0];
        const out = await page.evaluate(async ({ rpc, evmRpc, checkpoint, owner, nft }) => {
          const lc = await import('/pkg/aloft_light_client.js');
          await lc.default();
          const client = await lc.HeaderClient.create({ rpc, evmRpc, checkpoint, storageKey: `journey-${Date.now()}` });
          const head = await client.syncToHead();
          const account = await client.verifiedAccount(owner);
          const agent = await client.verifiedOwnerOf(nft, '0');
          return { head, account, agent, commits: client.state().commitsVerified };
        }, { rpc: world.devnet.headersUrl, evmRpc: world.devnet.rpcUrl, checkpoint: `1:${first.hash}`, owner, nft: world.devnet.contracts.agent_nft });
        const h = `0x${out.head.height.toString(16)}`;
        const block = await world.devnet.rpc('eth_getBlockByNumber', [h, false]);
        assert.equal(out.head.header.state_root, block.stateRoot, 'header h carries EVM block h\'s state root');
        assert.ok(out.head.signers * 3 > out.head.validators * 2, 'more than 2/3 signed');
        assert.equal(BigInt(out.account.balance), BigInt(await world.devnet.rpc('eth_getBalance', [owner, h])));
        assert.equal(out.agent.owner.toLowerCase(), owner.toLowerCase(), 'the demo agent belongs to the first account');
        return { height: out.head.height, stateRoot: out.head.header.state_root, daRoot: out.head.header.da_root, commits: out.commits };
      } finally {
        await page.close();
      }
    },
  },
];
