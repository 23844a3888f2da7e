// The light client inside the extension (service worker and pages): the
// verifier package's HeaderClient syncs BLS-verified headers and proves
// accounts and ERC-721 owners with eth_getProof against a verified header's
// state root. The engine decides what a proof means (verified.rs); this
// module only runs the client.
//
// Which header API serves a chain: only the Aloft devnet (chain 31337)
// publishes BLS-signed headers today; other chains get a clear reason.
// The checkpoint is trust-on-first-use: the first header the API served is
// pinned in the extension's IndexedDB store (store.js; chrome.storage.local
// stays empty), so a later lying API cannot move it; a devnet started over with a fresh data directory makes the pin
// fail with that reason, which the views show.

import init, * as wasm from './pkg/aloft_light_client.js';
import { load, save } from './store.js';

const HEADER_APIS = { '0x7a69': 'http://127.0.0.1:26657' };
const clients = new Map();

async function create(chainId, headers, evmRpc) {
  await init({ module_or_path: chrome.runtime.getURL('pkg/aloft_light_client_bg.wasm') });
  const pin = `aloft-checkpoint-${chainId}`;
  let checkpoint = await load(pin);
  if (!checkpoint) {
    const res = await fetch(`${headers}/header/1`);
    if (!res.ok) throw new Error(`the header API did not serve header 1: HTTP ${res.status}`);
    checkpoint = `1:${(await res.json()).hash}`;
    await save(pin, checkpoint);
  }
  return wasm.HeaderClient.create({ rpc: headers, evmRpc, checkpoint, storageKey: `aloft-headers-${chainId}` });
}

/** The header client for a network (`{chainId, rpcUrl}`), synced to the head. */
export async function lightClient({ chainId, rpcUrl }) {
  const headers = HEADER_APIS[chainId];
  if (!headers) throw new Error(`no header API is known for chain ${chainId}, so nothing on it can be verified yet`);
  const key = `${chainId} ${rpcUrl}`;
  if (!clients.has(key)) clients.set(key, create(chainId, headers, rpcUrl));
  try {
    const client = await clients.get(key);
    await client.syncToHead();
    return client;
  } catch (e) {
    clients.delete(key);
    throw e;
  }
}

/** `prover(address)` for the engine's accountReadings: the account proven at the verified head. */
export function accountProver(network) {
  let client = null;
  return async (address) => {
    client ??= lightClient(network);
    return (await client).verifiedAccount(address);
  };
}
