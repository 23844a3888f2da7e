// The full-page wallet's storage bridge: what the Leptos uploads view
// (ui/src/views/uploads.rs) calls to move files to and from the storage peers.
//
// Service workers have no RTCPeerConnection, so the data channels live in
// this page; the service worker's engine still decides what matters: the
// root goes on chain as a Flow.submit the engine signs after the user
// approves it. Bytes are hashed, erasure-coded, checked and rebuilt by the
// light client's wasm inside aloft-storage.js; this file only wires them.
//
// `window.aloftUploads`:
//   upload(file, onProgress) → {root, length, segments, skipped, submitted}
//   cancel()                 → stops the running upload (resumable later)
//   download(root, onProgress) → {root, length, url} (url: the verified file)
//   unfinished()             → [{root, length, segments, acknowledged, bytesAcknowledged}]
// Progress objects: {done, total, already, elapsedMs, bytesPerSecond, etaSeconds}.

import init, * as wasm from './pkg/aloft_light_client.js';
import { OpfsFileSink, StorageNetwork, unfinishedUploads } from './storage/aloft-storage.js';
import { command, inft } from './page.js';

/** The devnet's control API, where the storage peers are listed. */
const CONTROL = 'http://127.0.0.1:8590';

let network = null;
let running = null;

/** The first account signs Flow.submit, after the user approves it in the wallet's window. */
async function submitter(tree) {
  const status = await command({ cmd: 'status' });
  const from = status.accounts?.[0]?.address;
  if (!status.unlocked || !from) throw new Error('the wallet is locked: unlock it to register the file on chain');
  const submission = JSON.parse(tree.submissionJson());
  const r = await inft({ op: 'send', from, action: 'submit', submission });
  return { tx: r.hash, block: Number(r.blockNumber) };
}

/** The storage network (WebRTC to the devnet's peers), opened once per page; the agents bridge shares it. */
export async function connect() {
  if (!network) {
    await init({ module_or_path: chrome.runtime.getURL('pkg/aloft_light_client_bg.wasm') });
    network = await StorageNetwork.fromDevnet(CONTROL, wasm, { submitter });
  }
  return network;
}

async function upload(file, onProgress) {
  if (!(file instanceof Blob)) throw new Error('choose a file first');
  if (file.size === 0) throw new Error('the file is empty: there is nothing to store');
  if (running) throw new Error('an upload is already running');
  running = new AbortController();
  try {
    const net = await connect();
    return await net.upload(file, { signal: running.signal, onProgress });
  } finally {
    running = null;
  }
}

async function download(root, onProgress) {
  if (!/^0x[0-9a-fA-F]{64}$/.test(root)) throw new Error('a file root is 0x and 64 hex digits');
  const net = await connect();
  const sink = await OpfsFileSink.open(`download-${root.slice(2, 18)}`);
  let result;
  try {
    result = await net.download(root, sink, { onProgress });
  } finally {
    await sink.close();
  }
  return { root, length: result.length, avoidedPeers: result.avoidedPeers, url: URL.createObjectURL(await sink.file()) };
}

window.aloftUploads = {
  upload,
  cancel: () => running?.abort(),
  download,
  unfinished: unfinishedUploads,
};
