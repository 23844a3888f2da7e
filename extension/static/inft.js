// The agents page (ERC-7857 iNFTs): gallery, detail, mint from files,
// authorize/revoke/delegate, transfer/clone, download and decrypt.
//
// The page decides nothing and holds no key: every read and every action is
// an `inft` request to the engine (extension/src/wasm_inft.rs), which checks
// it, asks the user in the approval window, signs and explains refusals.
// Encryption and decryption also happen in the engine (the data key never
// reaches this page); the page only moves bytes: file slices to the engine,
// ciphertext to the storage peers over WebRTC (service workers have no
// RTCPeerConnection, so the uploader lives here), downloaded ciphertext back
// to the engine. `window.aloftInft` exposes the same calls to the tests.

import init, * as wasm from './pkg/aloft_light_client.js';
import { StorageNetwork, formatProgress } from './storage/aloft-storage.js';
import { $, command, inft, showError } from './page.js';

const CONTROL = 'http://127.0.0.1:8590';
const SLICE = 1024 * 1024;

const b64 = {
  encode(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  },
  decode(text) {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  },
};

let storage = null;
async function network() {
  if (!storage) {
    await init({ module_or_path: chrome.runtime.getURL('pkg/aloft_light_client_bg.wasm') });
    storage = await StorageNetwork.fromDevnet(CONTROL, wasm);
  }
  return storage;
}

const account = () => $('account').value;

function describe(data) {
  try {
    const d = JSON.parse(data.dataDescription);
    return { name: d.name, files: d.files ?? [] };
  } catch {
    return { name: data.dataDescription, files: [] };
  }
}

// Ownership checked by the light client: reads go through the worker's
// `agents` message (Engine.verifiedTokens), which proves each owner (the
// ERC-721 `_owners` slot, eth_getProof against a BLS-verified header's
// state root) and sets `verified` and `verifiedNote`; the Leptos gallery
// asks the same way.
async function verifiedRead(request) {
  const reply = await chrome.runtime.sendMessage({ kind: 'agents', request });
  if (!reply?.ok) {
    const error = new Error(reply?.error?.message ?? 'the wallet engine did not answer');
    error.code = reply?.error?.code;
    throw error;
  }
  return reply.result;
}

function badge(token) {
  const b = document.createElement('span');
  b.className = `badge ${token.verified ? 'verified' : 'unverified'}`;
  b.textContent = token.verified ? 'verified' : 'unverified';
  b.title = token.verifiedNote ?? (token.verified ? 'ownership checked by a state proof against a verified header' : '');
  return b;
}

async function loadGallery() {
  showError(null);
  const list = $('gallery');
  list.replaceChildren();
  try {
    const tokens = await verifiedRead({ op: 'tokens', account: account() });
    $('gallery-empty').hidden = tokens.length > 0;
    for (const t of tokens) {
      const li = document.createElement('li');
      li.dataset.tokenId = t.tokenId;
      const button = document.createElement('button');
      button.type = 'button';
      const name = t.datas.map((d) => describe(d).name).join(', ');
      button.textContent = `#${t.tokenId} · ${name} `;
      button.append(badge(t));
      button.onclick = () => showDetail(t.tokenId);
      li.append(button);
      list.append(li);
    }
    return tokens;
  } catch (e) {
    showError(e);
    throw e;
  }
}

let current = null;
async function showDetail(tokenId) {
  showError(null);
  $('action-status').textContent = '';
  $('d-files').replaceChildren();
  const t = await verifiedRead({ op: 'token', tokenId: String(tokenId), account: account() });
  current = t;
  $('detail').hidden = false;
  $('d-id').textContent = t.tokenId;
  $('d-owner').textContent = t.owner;
  $('d-verified').replaceChildren(badge(t));
  $('d-delegate').textContent = t.ownerDelegate ?? 'none';
  $('d-datas').replaceChildren(...t.datas.map((d) => {
    const li = document.createElement('li');
    const { name, files } = describe(d);
    li.textContent = `${name} (${files.map(([n, l]) => `${n}: ${l} B`).join(', ')}) · data hash `;
    const code = document.createElement('code');
    code.textContent = d.dataHash;
    li.append(code);
    return li;
  }));
  $('d-users-empty').hidden = t.authorizedUsers.length > 0;
  $('d-users').replaceChildren(...t.authorizedUsers.map((u) => {
    const li = document.createElement('li');
    li.dataset.user = u.toLowerCase();
    li.textContent = `${u} `;
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.textContent = 'Revoke';
    revoke.onclick = () => act({ action: 'revoke', tokenId: t.tokenId, user: u });
    li.append(revoke);
    return li;
  }));
  return t;
}

/** Sends an action; the engine opens the approval window and explains refusals. */
async function act(action) {
  showError(null);
  $('action-status').textContent = `${action.action}: waiting for your approval…`;
  try {
    const result = await inft({ op: 'send', from: account(), ...action });
    $('action-status').textContent = `${action.action}: done in block ${Number(result.blockNumber)} (${result.hash})`;
    if (current && action.action !== 'mint') await showDetail(current.tokenId).catch(() => {});
    await loadGallery().catch(() => {});
    return result;
  } catch (e) {
    $('action-status').textContent = `${action.action}: not done`;
    showError(e);
    throw e;
  }
}

/** Encrypts `files` in the engine (slices), uploads the ciphertext, mints. */
async function mint(name, files) {
  showError(null);
  try {
    const begin = await inft({ op: 'mintBegin', account: account(), name, files: files.map((f) => [f.name, f.size]) });
    const total = files.reduce((s, f) => s + f.size, 0);
    const parts = [];
    let done = 0;
    for (const f of files) {
      for (let off = 0; off < f.size || (f.size === 0 && off === 0); off += SLICE) {
        const bytes = new Uint8Array(await f.slice(off, off + SLICE).arrayBuffer());
        const out = await inft({ op: 'mintPush', session: begin.session, data: b64.encode(bytes) });
        parts.push(b64.decode(out.data));
        done += bytes.length;
        $('encrypt-bar').value = total ? done / total : 1;
        $('encrypt-status').textContent = `${(done / 1048576).toFixed(1)}/${(total / 1048576).toFixed(1)} MiB encrypted`;
        if (f.size === 0) break;
      }
    }
    const fin = await inft({ op: 'mintFinish', session: begin.session });
    parts.push(b64.decode(fin.data));
    $('encrypt-bar').value = 1;
    const ciphertext = new Blob(parts);
    const net = await network();
    // The root goes on chain through Flow.submit, signed by this wallet after
    // approval; the storage peers learn it from the contract's Submit event.
    $('upload-status').textContent = 'submitting the root to the flow contract…';
    const tree = await net.tree(ciphertext);
    const submission = JSON.parse(tree.submissionJson());
    tree.free();
    await act({ action: 'submit', submission });
    const up = await net.upload(ciphertext, {
      submit: false,
      onProgress: (p) => { $('upload-bar').value = p.total ? p.done / p.total : 1; $('upload-status').textContent = formatProgress(p); },
    });
    if (up.root.toLowerCase() !== fin.dataHash.toLowerCase()) {
      throw new Error(`the uploaded root ${up.root} differs from the envelope's ${fin.dataHash}`);
    }
    $('upload-bar').value = 1;
    const result = await act({ action: 'mint', datas: [{ dataDescription: fin.dataDescription, dataHash: fin.dataHash }] });
    $('mint-result').textContent = `minted agent #${result.tokenId}`;
    return { ...result, dataHash: fin.dataHash, length: fin.length };
  } catch (e) {
    showError(e);
    throw e;
  }
}

/** Downloads data item `index` of a token and decrypts it in the engine. */
async function decrypt(tokenId, index = 0) {
  showError(null);
  try {
    const begin = await inft({ op: 'openBegin', account: account(), tokenId: String(tokenId), index });
    const net = await network();
    const dir = await navigator.storage.getDirectory();
    const handle = await dir.getFileHandle(`agent-${begin.dataHash.slice(2, 18)}`, { create: true });
    const writable = await handle.createWritable();
    await net.download(begin.dataHash, writable, {
      onProgress: (p) => { $('download-bar').value = p.total ? p.done / p.total : 1; $('download-status').textContent = formatProgress(p); },
    });
    await writable.close();
    const blob = await handle.getFile();
    const files = [];
    const take = (reply) => {
      if (reply.files) reply.files.forEach(([name, length], i) => { files[i] ??= { name, length, parts: [] }; });
      for (const [i, data] of reply.chunks) files[i].parts.push(b64.decode(data));
    };
    for (let off = 0; off < blob.size; off += SLICE) {
      const bytes = new Uint8Array(await blob.slice(off, off + SLICE).arrayBuffer());
      take(await inft({ op: 'openPush', session: begin.session, data: b64.encode(bytes) }));
    }
    take(await inft({ op: 'openFinish', session: begin.session }));
    const out = files.map((f) => ({ name: f.name, length: f.length, blob: new Blob(f.parts) }));
    $('d-files').replaceChildren(...out.map((f) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = URL.createObjectURL(f.blob);
      a.download = f.name;
      a.textContent = `${f.name} (${f.length} B, decrypted and checked)`;
      li.append(a);
      return li;
    }));
    return out;
  } catch (e) {
    showError(e);
    throw e;
  }
}

/** Asks the transfer oracle (through the engine) for the proofs of moving `tokenId` to `to`. */
async function oracleProof(tokenId, to, accessProof) {
  showError(null);
  try {
    $('action-status').textContent = 'asking the transfer oracle to re-encrypt the agent for the receiver…';
    const r = await inft({ op: 'oracleProof', from: account(), tokenId: String(tokenId), to, ...(accessProof ? { accessProof } : {}) });
    $('transfer-proofs').value = JSON.stringify(r.proofs);
    $('action-status').textContent = `the oracle re-encrypted the agent (new data hash ${r.newDataHash})`;
    return r;
  } catch (e) {
    $('action-status').textContent = 'no proof from the oracle';
    showError(e);
    throw e;
  }
}

/** Receiver side: point a received agent at the ciphertext sealed to this account. */
async function claim(tokenId) {
  showError(null);
  try {
    const r = await inft({ op: 'claim', account: account(), tokenId: String(tokenId) });
    $('action-status').textContent = r.claimed ? `agent #${tokenId} now points at your copy (block ${Number(r.blockNumber)})` : r.note;
    if (current) await showDetail(current.tokenId).catch(() => {});
    return r;
  } catch (e) {
    showError(e);
    throw e;
  }
}

async function main() {
  const status = await command({ cmd: 'status' });
  $('network').textContent = status.network?.name ?? '';
  $('account').replaceChildren(...(status.accounts ?? []).map((a) => {
    const o = document.createElement('option');
    o.value = a.address;
    o.textContent = a.address;
    return o;
  }));
  $('account').onchange = () => { $('detail').hidden = true; loadGallery().catch(() => {}); };
  $('refresh').onclick = () => loadGallery().catch(() => {});
  $('mint').onclick = () => mint($('mint-name').value, [...$('mint-files').files]).catch(() => {});
  $('decrypt').onclick = () => decrypt(current.tokenId).catch(() => {});
  $('authorize-form').onsubmit = (ev) => { ev.preventDefault(); act({ action: 'authorize', tokenId: current.tokenId, user: $('authorize-user').value }).catch(() => {}); };
  $('delegate-form').onsubmit = (ev) => { ev.preventDefault(); act({ action: 'delegate', assistant: $('delegate-assistant').value }).catch(() => {}); };
  const transfer = (kind) => {
    let proofs;
    try {
      proofs = JSON.parse($('transfer-proofs').value || '[]');
      if (!Array.isArray(proofs)) proofs = [proofs];
    } catch (e) {
      showError(new Error(`the proofs are not JSON: ${e.message}`));
      return;
    }
    act({ action: kind, tokenId: current.tokenId, to: $('transfer-to').value, proofs }).catch(() => {});
  };
  $('transfer-form').onsubmit = (ev) => { ev.preventDefault(); transfer('transfer'); };
  $('clone').onclick = () => transfer('clone');
  $('ask-oracle').onclick = () => oracleProof(current.tokenId, $('transfer-to').value).catch(() => {});
  $('claim').onclick = () => claim(current.tokenId).catch(() => {});
  if (status.unlocked) await loadGallery().catch(() => {});
  else showError(new Error('the wallet is locked: unlock it from the toolbar popup'));
  window.aloftInft = { inft, loadGallery, showDetail, act, mint, decrypt, oracleProof, claim, select: (a) => {
    const option = [...$('account').options].find((o) => o.value.toLowerCase() === a.toLowerCase());
    if (!option) throw new Error(`${a} is not an account of this wallet`);
    $('account').value = option.value;
  }, ready: true };
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  showError(e);
  window.aloftInft = { error: e.message };
});
