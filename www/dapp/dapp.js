// Demo dapp: EIP-6963 discovery, then EIP-1193 requests to the chosen wallet.
// The end-to-end tests drive this page through the functions on window.dapp.
// Beyond the basics (connect, sign, send) it uploads a file to the storage
// network (aloft-storage.js, the root registered by a Flow.submit the wallet
// signs) and mints an ERC-7857 agent whose data hash is that root, and
// transfers an agent: the wallet asks the transfer oracle for the proofs
// (aloft_agentTransferProofs: only the wallet can open the owner's data key),
// then this page encodes iTransferFrom with them and sends it.

import init, * as wasm from '../pkg/aloft_light_client.js';
import { StorageNetwork, minedReceipt, walletSubmitter } from '../storage/aloft-storage.js';

const query = new URLSearchParams(location.search);
/** The devnet's JSON-RPC (contract addresses) and control API (storage peers). */
const RPC = query.get('rpc') ?? 'http://127.0.0.1:8545';
const CONTROL = query.get('control') ?? 'http://127.0.0.1:8590';

const wallets = new Map();
const list = document.getElementById('wallets');

function render() {
  list.replaceChildren(
    ...[...wallets.values()].map(({ info }) => {
      const li = document.createElement('li');
      const img = document.createElement('img');
      img.src = info.icon; img.alt = ''; img.width = 20; img.height = 20;
      li.append(img, ` ${info.name} `);
      const rdns = document.createElement('span');
      rdns.className = 'muted'; rdns.textContent = `(${info.rdns})`;
      li.append(rdns);
      return li;
    })
  );
  if (wallets.size === 0) list.innerHTML = '<li class="muted">no wallet found: install Aloft</li>';
}

window.addEventListener('eip6963:announceProvider', (event) => {
  const detail = event.detail;
  if (!detail?.info?.uuid || !detail.provider) return;
  wallets.set(detail.info.uuid, detail);
  render();
});
window.dispatchEvent(new Event('eip6963:requestProvider'));
setTimeout(render, 500);

function aloft() {
  const found = [...wallets.values()].find((w) => w.info.rdns === 'dev.aloft.wallet');
  if (!found) throw new Error('Aloft was not announced by EIP-6963');
  return found.provider;
}

async function request(method, params) {
  return aloft().request({ method, params });
}

async function showChain() {
  const out = document.getElementById('chain-id-result');
  const block = document.getElementById('block-number-result');
  try {
    out.textContent = await request('eth_chainId');
    out.className = '';
    block.textContent = await request('eth_blockNumber');
    block.className = '';
  } catch (e) {
    out.textContent = `error ${e.code}: ${e.message}`;
    out.className = 'bad';
  }
}
document.getElementById('chain-id').addEventListener('click', showChain);

// Typed data the demo signs (EIP-712), for the selected chain.
async function typedData(message) {
  const chainId = parseInt(await request('eth_chainId'), 16);
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
      ],
      Note: [
        { name: 'author', type: 'address' },
        { name: 'text', type: 'string' },
      ],
    },
    primaryType: 'Note',
    domain: { name: 'Aloft demo', version: '1', chainId },
    message,
  };
}

function output(id, value, ok = true) {
  const el = document.getElementById(id);
  el.textContent = value;
  el.className = ok ? '' : 'bad';
}

const events = [];
let subscribed = false;
function subscribe() {
  if (subscribed) return;
  subscribed = true;
  const p = aloft();
  for (const name of ['accountsChanged', 'chainChanged', 'connect', 'disconnect']) {
    p.on(name, (data) => {
      events.push({ name, data });
      if (name === 'accountsChanged') output('accounts-result', JSON.stringify(data));
      if (name === 'chainChanged') output('chain-event', data);
    });
  }
}

async function guarded(id, fn) {
  try {
    const value = await fn();
    output(id, typeof value === 'string' ? value : JSON.stringify(value));
    return value;
  } catch (e) {
    output(id, `error ${e.code}: ${e.message}`, false);
    throw e;
  }
}

async function connect() {
  subscribe();
  return guarded('accounts-result', () => request('eth_requestAccounts'));
}

async function account() {
  const [first] = await request('eth_accounts');
  if (!first) throw Object.assign(new Error('connect first'), { code: 4100 });
  return first;
}

async function personalSign(text = document.getElementById('message').value) {
  return guarded('signature-result', async () => {
    const from = await account();
    const hex = '0x' + [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return request('personal_sign', [hex, from]);
  });
}

async function signTyped(text = document.getElementById('message').value) {
  return guarded('signature-result', async () => {
    const from = await account();
    const data = await typedData({ author: from, text });
    return request('eth_signTypedData_v4', [from, JSON.stringify(data)]);
  });
}

async function send(to = document.getElementById('send-to').value, value = document.getElementById('send-value').value) {
  return guarded('send-result', async () => request('eth_sendTransaction', [{ from: await account(), to, value }]));
}

/** The devnet's contract addresses (`GET {rpc}/contracts`). */
async function contracts() {
  const res = await fetch(`${RPC}/contracts`);
  if (!res.ok) throw new Error(`cannot read the contract addresses: HTTP ${res.status}`);
  return (await res.json()).addresses ?? {};
}

let storage = null;
/** Uploads `file` (default: the chosen one): the wallet signs Flow.submit, the bytes go over WebRTC. */
async function upload(file = document.getElementById('upload-file').files[0]) {
  return guarded('upload-result', async () => {
    if (!file) throw new Error('choose a file first');
    if (!storage) {
      await init();
      const flow = (await contracts()).flow;
      storage = await StorageNetwork.fromDevnet(CONTROL, wasm, { submitter: walletSubmitter({ provider: aloft(), flow }) });
    }
    const result = await storage.upload(file, {
      onProgress: (p) => {
        document.getElementById('upload-bar').value = p.total ? p.done / p.total : 1;
        document.getElementById('upload-status').textContent = `${(p.done / 1048576).toFixed(1)} of ${(p.total / 1048576).toFixed(1)} MiB`;
      },
    });
    document.getElementById('agent-hash').value = result.root;
    return result.root;
  });
}

const word = (hex) => hex.replace(/^0x/, '').toLowerCase().padStart(64, '0');
const uint = (n) => word(n.toString(16));
const strip = (hex, what) => {
  const h = String(hex ?? '').replace(/^0x/, '').toLowerCase();
  if (h.length % 2 || !/^[0-9a-f]*$/.test(h)) throw new Error(`${what} is not 0x hex bytes`);
  return h;
};
const bytes32 = (hex, what) => {
  const h = strip(hex, what);
  if (h.length !== 64) throw new Error(`${what} is not 32 bytes`);
  return h;
};
/** ABI `bytes`: its length, then the bytes padded to whole words. */
const dynBytes = (hex, what) => {
  const h = strip(hex, what);
  return uint(h.length / 2) + h.padEnd(Math.ceil(h.length / 64) * 64, '0');
};
/** ABI tuple encoding of `parts`: `{head}` words in place, `{tail}` encodings behind offsets. */
function tuple(parts) {
  let head = '';
  let tail = '';
  for (const p of parts) {
    if (p.head !== undefined) head += p.head;
    else { head += uint(parts.length * 32 + tail.length / 2); tail += p.tail; }
  }
  return head + tail;
}

/** ABI call data of `mint((string,bytes32)[] iDatas, address to)` with one data item. */
export function mintCalldata(description, dataHash, to) {
  if (!/^0x[0-9a-fA-F]{64}$/.test(dataHash)) throw new Error('the data hash is 0x and 64 hex digits (upload a file first)');
  if (!/^0x[0-9a-fA-F]{40}$/.test(to)) throw new Error(`${to} is not an address`);
  const text = [...new TextEncoder().encode(description)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const item = tuple([{ tail: dynBytes(text, 'the description') }, { head: word(dataHash) }]);
  return '0xa3acac17' // mint((string,bytes32)[],address)
    + tuple([{ tail: uint(1) + tuple([{ tail: item }]) }, { head: word(to) }]);
}

/** Mints an agent to the connected account; resolves with the token id from the Transfer log. */
async function mint(name = document.getElementById('agent-name').value, dataHash = document.getElementById('agent-hash').value.trim()) {
  return guarded('mint-result', async () => {
    const from = await account();
    const contract = document.getElementById('agent-contract').value.trim() || (await contracts()).agent_nft;
    const data = mintCalldata(JSON.stringify({ name, files: [] }), dataHash, from);
    const tx = await request('eth_sendTransaction', [{ from, to: contract, data }]);
    const receipt = await minedReceipt(aloft(), tx, { what: 'mint' });
    const transfer = receipt.logs.find((l) => l.address.toLowerCase() === contract.toLowerCase() && l.topics.length === 4);
    if (!transfer) throw new Error(`mint ${tx} emitted no Transfer`);
    document.getElementById('transfer-token').value = String(BigInt(transfer.topics[3]));
    return `#${BigInt(transfer.topics[3])} minted in block ${Number(receipt.blockNumber)}`;
  });
}

/**
 * ABI call data of `iTransferFrom(address from, address to, uint256 tokenId,
 * TransferValidityProof[] proofs)` (contracts/artifacts/AgentNFT.json), with
 * the proofs as the wallet returns them from aloft_agentTransferProofs:
 * `{accessProof: {dataHash, targetPubkey, nonce, proof}, ownershipProof:
 * {oracleType, dataHash, sealedKey, targetPubkey, nonce, proof}}`.
 */
export function iTransferFromCalldata(from, to, tokenId, proofs) {
  for (const [what, a] of [['from', from], ['to', to]]) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new Error(`${what} ${a} is not an address`);
  }
  const id = BigInt(tokenId);
  if (id < 0n) throw new Error(`token id ${tokenId} is negative`);
  if (!Array.isArray(proofs) || proofs.length === 0) throw new Error('the transfer needs at least one proof');
  const items = proofs.map(({ accessProof: a, ownershipProof: o }, i) => {
    if (!a || !o) throw new Error(`proof ${i} lacks its accessProof or ownershipProof`);
    const access = tuple([
      { head: bytes32(a.dataHash, `proof ${i} access dataHash`) },
      { tail: dynBytes(a.targetPubkey, `proof ${i} access targetPubkey`) },
      { tail: dynBytes(a.nonce, `proof ${i} access nonce`) },
      { tail: dynBytes(a.proof, `proof ${i} access proof`) },
    ]);
    const ownership = tuple([
      { head: uint(Number(o.oracleType ?? 0)) },
      { head: bytes32(o.dataHash, `proof ${i} ownership dataHash`) },
      { tail: dynBytes(o.sealedKey, `proof ${i} sealedKey`) },
      { tail: dynBytes(o.targetPubkey, `proof ${i} ownership targetPubkey`) },
      { tail: dynBytes(o.nonce, `proof ${i} ownership nonce`) },
      { tail: dynBytes(o.proof, `proof ${i} ownership proof`) },
    ]);
    return { tail: tuple([{ tail: access }, { tail: ownership }]) };
  });
  return '0xeafcbf9c' // iTransferFrom(address,address,uint256,((bytes32,bytes,bytes,bytes),(uint8,bytes32,bytes,bytes,bytes,bytes))[])
    + tuple([{ head: word(from) }, { head: word(to) }, { head: uint(id) }, { tail: uint(items.length) + tuple(items) }]);
}

/** The last transfer this page sent (for the end-to-end tests). */
let lastTransfer = null;

/**
 * Transfers agent `tokenId` from the connected account to `to`: the wallet
 * asks the transfer oracle to re-encrypt the agent's data key for `to` (its
 * own approval window), then this page sends iTransferFrom with the proofs
 * (a second approval, the call decoded) and waits for the receipt.
 */
async function transferAgent(tokenId = document.getElementById('transfer-token').value.trim(), to = document.getElementById('transfer-to').value.trim()) {
  return guarded('transfer-result', async () => {
    if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(String(tokenId))) throw new Error('the token id is a whole number');
    if (!/^0x[0-9a-fA-F]{40}$/.test(to)) throw new Error(`${to} is not an address`);
    const from = await account();
    const contract = document.getElementById('agent-contract').value.trim() || (await contracts()).agent_nft;
    const status = document.getElementById('transfer-status');
    status.textContent = 'the wallet asks the transfer oracle to re-encrypt the agent for the receiver…';
    const { proofs, newDataHash } = await request('aloft_agentTransferProofs', [{ tokenId: String(tokenId), to }]);
    const data = iTransferFromCalldata(from, to, tokenId, proofs);
    status.textContent = `re-encrypted (new data hash ${newDataHash}); sending iTransferFrom…`;
    const tx = await request('eth_sendTransaction', [{ from, to: contract, data }]);
    lastTransfer = { tx, data, proofs, newDataHash, from, to, tokenId: String(BigInt(tokenId)) };
    const receipt = await minedReceipt(aloft(), tx, { what: 'iTransferFrom' });
    status.textContent = '';
    return `agent #${BigInt(tokenId)} transferred to ${to} in block ${Number(receipt.blockNumber)}`;
  });
}

const click = (id, fn) => document.getElementById(id).addEventListener('click', () => fn().catch(() => {}));
click('upload', () => upload());
click('mint', () => mint());
click('transfer', () => transferAgent());
click('connect', connect);
click('personal-sign', () => personalSign());
click('typed-sign', () => signTyped());
click('send', () => send());

window.dapp = {
  wallets: () => [...wallets.values()].map((w) => ({ ...w.info, frozen: Object.isFrozen(w) })),
  request,
  showChain,
  connect,
  personalSign,
  signTyped,
  typedData,
  send,
  upload,
  mint,
  mintCalldata,
  transferAgent,
  iTransferFromCalldata,
  lastTransfer: () => lastTransfer,
  subscribe,
  events,
};
