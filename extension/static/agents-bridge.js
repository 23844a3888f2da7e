// The full-page wallet's agents bridge: what the Leptos agents view
// (ui/src/views/agents/) calls for the two iNFT actions that move bytes
// between this browser and the storage peers. Every other action (authorize,
// revoke, delegate, oracle proofs, transfer, clone, claim) is a plain `inft`
// request the view sends to the engine itself.
//
// The engine holds the keys: it encrypts the agent's files slice by slice
// and decrypts downloaded ciphertext the same way, so the data key never
// reaches this page. This file only moves bytes: file slices to the engine,
// ciphertext to the peers over WebRTC (service workers have no
// RTCPeerConnection; the connection is the storage bridge's), downloaded
// ciphertext back to the engine.
//
// `window.aloftAgents`:
//   mint({account, name, input}, onProgress) → {tokenId, dataHash, length, hash, blockNumber}
//     (`input`: the id of the <input type="file" multiple> holding the files)
//   decrypt({account, tokenId, index}, onProgress) → [{name, length, url}]
//     (`url`: an object URL of the decrypted, tag-checked file)
// Progress reports: {stage, done, total, elapsedMs}, stage one of
// "encrypt", "upload", "download", "decrypt".

import { OpfsFileSink } from './storage/aloft-storage.js';
import { connect } from './storage-bridge.js';
import { inft } from './page.js';

/** Slices handed to the engine per message. */
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

/** Calls `report` with `{stage, done, total, elapsedMs}` measured from its creation. */
function stage(name, total, onProgress) {
  const started = performance.now();
  return (done) => onProgress?.({ stage: name, done, total, elapsedMs: performance.now() - started });
}

let busy = false;
async function exclusive(what, run) {
  if (busy) throw new Error(`another agent transfer is running: wait for it before you ${what}`);
  busy = true;
  try {
    return await run();
  } finally {
    busy = false;
  }
}

/** Encrypts the files in the engine, uploads the ciphertext (its root approved on chain), mints. */
async function mint({ account, name, input }, onProgress) {
  const files = [...(document.getElementById(input)?.files ?? [])];
  if (!files.length) throw new Error("choose the agent's files first");
  if (!name?.trim()) throw new Error('give the agent a name');
  return exclusive('mint', async () => {
    const begin = await inft({ op: 'mintBegin', account, name: name.trim(), files: files.map((f) => [f.name, f.size]) });
    const total = files.reduce((s, f) => s + f.size, 0);
    const encrypted = stage('encrypt', total, onProgress);
    const parts = [];
    let done = 0;
    for (const f of files) {
      for (let off = 0; off < f.size || (f.size === 0 && off === 0); off += SLICE) {
        const bytes = new Uint8Array(await f.slice(off, off + SLICE).arrayBuffer());
        const out = await inft({ op: 'mintPush', session: begin.session, data: b64.encode(bytes) });
        parts.push(b64.decode(out.data));
        done += bytes.length;
        encrypted(done);
        if (f.size === 0) break;
      }
    }
    const fin = await inft({ op: 'mintFinish', session: begin.session });
    parts.push(b64.decode(fin.data));
    const ciphertext = new Blob(parts);
    // The storage bridge's submitter has the wallet sign Flow.submit for the
    // ciphertext's root (the user approves it); the peers learn the root
    // from the contract's Submit event.
    const net = await connect();
    const up = await net.upload(ciphertext, { onProgress: (p) => onProgress?.({ stage: 'upload', ...p }) });
    if (up.root.toLowerCase() !== fin.dataHash.toLowerCase()) {
      throw new Error(`the uploaded root ${up.root} differs from the envelope's ${fin.dataHash}`);
    }
    const minted = await inft({
      op: 'send', from: account, action: 'mint',
      datas: [{ dataDescription: fin.dataDescription, dataHash: fin.dataHash }],
    });
    return { tokenId: minted.tokenId, hash: minted.hash, blockNumber: Number(minted.blockNumber), dataHash: fin.dataHash, length: fin.length };
  });
}

/** Downloads data item `index` of a token, checks it against its root, decrypts it in the engine. */
async function decrypt({ account, tokenId, index = 0 }, onProgress) {
  return exclusive('decrypt', async () => {
    const begin = await inft({ op: 'openBegin', account, tokenId: String(tokenId), index });
    const net = await connect();
    const sink = await OpfsFileSink.open(`agent-${begin.dataHash.slice(2, 18)}`);
    try {
      await net.download(begin.dataHash, sink, { onProgress: (p) => onProgress?.({ stage: 'download', ...p }) });
    } finally {
      await sink.close();
    }
    const blob = await sink.file();
    const decrypted = stage('decrypt', blob.size, onProgress);
    const files = [];
    const take = (reply) => {
      if (reply.files) reply.files.forEach(([name, length], i) => { files[i] ??= { name, length, parts: [] }; });
      for (const [i, data] of reply.chunks) files[i].parts.push(b64.decode(data));
    };
    for (let off = 0; off < blob.size; off += SLICE) {
      const bytes = new Uint8Array(await blob.slice(off, off + SLICE).arrayBuffer());
      take(await inft({ op: 'openPush', session: begin.session, data: b64.encode(bytes) }));
      decrypted(Math.min(off + SLICE, blob.size));
    }
    take(await inft({ op: 'openFinish', session: begin.session }));
    return files.map((f) => ({ name: f.name, length: f.length, url: URL.createObjectURL(new Blob(f.parts)) }));
  });
}

window.aloftAgents = { mint, decrypt };
