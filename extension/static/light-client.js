// The light client inside the extension (service worker and pages): the
// verifier package's HeaderClient syncs BLS-verified headers and proves
// accounts and ERC-721 owners with eth_getProof against a verified header's
// state root. The engine decides what a proof means (verified.rs); this
// module only runs the client.
//
// Which header API serves a chain: only the Aloft devnet (chain 31337)
// publishes BLS-signed headers today; other chains get a clear reason. Each
// new head is cross-checked with the API's witness view, so a fork (two
// blocks at one height that both verify) becomes evidence.
// The checkpoint is trust-on-first-use: the first header the API served is
// pinned in the extension's IndexedDB store (store.js; chrome.storage.local
// stays empty), so a later lying API cannot move it; a devnet started over with a fresh data directory makes the pin
// fail with that reason, which the views show.
//
// A sync that fails (a header rejected, the API down) keeps the client: its
// rejections and evidence are what the status view shows, and the next
// request syncs again from the last verified head.

import init, * as wasm from './pkg/aloft_light_client.js';
import { load, save } from './store.js';
import { daStatus } from './da-sampling.js';

const HEADER_APIS = { '0x7a69': { rpc: 'http://127.0.0.1:26657', witness: 'http://127.0.0.1:26657/witness' } };
const clients = new Map();
/** Per network: the last sync's outcome, for the status view. */
const outcomes = new Map();

async function create(chainId, api, evmRpc) {
  await init({ module_or_path: chrome.runtime.getURL('pkg/aloft_light_client_bg.wasm') });
  const pin = `aloft-checkpoint-${chainId}`;
  let checkpoint = await load(pin);
  if (!checkpoint) {
    const res = await fetch(`${api.rpc}/header/1`);
    if (!res.ok) throw new Error(`the header API did not serve header 1: HTTP ${res.status}`);
    checkpoint = `1:${(await res.json()).hash}`;
    await save(pin, checkpoint);
  }
  return wasm.HeaderClient.create({ rpc: api.rpc, witness: api.witness, evmRpc, checkpoint, storageKey: `aloft-headers-${chainId}` });
}

function headerApi(chainId) {
  const api = HEADER_APIS[chainId];
  if (!api) throw new Error(`no header API is known for chain ${chainId}, so nothing on it can be verified yet`);
  return api;
}

/** The header client for a network (`{chainId, rpcUrl}`), synced to the head. */
export async function lightClient({ chainId, rpcUrl }) {
  const api = headerApi(chainId);
  const key = `${chainId} ${rpcUrl}`;
  if (!clients.has(key)) clients.set(key, create(chainId, api, rpcUrl));
  let client;
  try {
    client = await clients.get(key);
  } catch (e) {
    clients.delete(key);
    outcomes.set(key, { at: Date.now(), error: String(e?.message ?? e) });
    throw e;
  }
  try {
    await client.syncToHead();
    outcomes.set(key, { at: Date.now(), error: null });
    return client;
  } catch (e) {
    outcomes.set(key, { at: Date.now(), error: String(e?.message ?? e) });
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

/**
 * What the light client of a network knows, for the status view: it syncs to
 * the head first (a failure is reported in `lastError`, not thrown, once a
 * client exists). `announced` is the header API's own latest height: the
 * target of the sync, not verified. `da` is what DA sampling of the verified
 * heads knows (da-sampling.js; `null` where no DA nodes are known).
 */
export async function lightStatus(network) {
  const { chainId, rpcUrl } = network;
  const api = headerApi(chainId);
  const key = `${chainId} ${rpcUrl}`;
  await lightClient(network).catch(() => {});
  const outcome = outcomes.get(key) ?? { at: null, error: null };
  const pending = clients.get(key);
  const client = pending ? await pending.catch(() => null) : null;
  if (!client) throw new Error(outcome.error ?? 'the light client did not start');
  let announced = null;
  try {
    const res = await fetch(`${api.rpc}/status`);
    if (res.ok) announced = (await res.json()).latest_height ?? null;
  } catch { /* the API is down: lastError says so */ }
  const state = client.state();
  let da = null;
  try {
    da = await daStatus(chainId, client, state.head.height);
  } catch (e) {
    da = { nodes: [], blocks: [], peers: [], sampling: false, error: String(e?.message ?? e) };
  }
  return {
    chainId,
    sources: { primary: api.rpc, witness: api.witness ?? null },
    state,
    validators: client.validators(),
    rejections: client.rejections(),
    evidence: client.evidence(),
    announced,
    syncedAt: outcome.at,
    lastError: outcome.error,
    da,
  };
}

/**
 * `prover(contract, tokenId, attempt)` for the engine's verifiedTokens: the
 * token's owner proven at the verified head. A retry (attempt > 0) waits
 * half a second first, so the next header can be signed and synced.
 */
export function ownerProver(network) {
  return async (contract, tokenId, attempt) => {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
    return (await lightClient(network)).verifiedOwnerOf(contract, tokenId);
  };
}
