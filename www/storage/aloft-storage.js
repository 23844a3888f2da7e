// Aloft storage in the browser: erasure-coded uploads to, and verified
// downloads from, storage peers over WebRTC data channels.
//
// A reusable ES module: it moves bytes and keeps state; every decision about
// bytes (roots, proofs, shards, reconstruction, verification) is made by the
// light client's wasm, passed in as `wasm` (the namespace of
// pkg/aloft_light_client.js after init). The extension's full-page view hosts
// it as it is (service workers have no RTCPeerConnection). Memory stays flat
// whatever the file's size: reads, frames and downloaded segments go through
// buffers that are reused, and downloads are written to OPFS by a worker.
//
// Wire: each peer's data channel (label "zgs") carries JSON-RPC 2.0 texts,
// the same messages as the peer's HTTP endpoint (docs/protocol.md, "Storage
// placement"), and shard uploads and downloads as binary frames (op, id,
// JSON header, raw shard bytes: "Binary frames"), unless `frames: 'json'`;
// signaling is one POST of the SDP offer to `${peer}/webrtc`.
//
// Upload, in order: hash the file in slices (constant memory) → submit it
// (`Flow.submit` signed by the user's wallet, walletSubmitter) →
// for each segment not yet acknowledged (IndexedDB), cut it into shards and
// send shard j to peer (i + j) mod n, with backpressure on each channel,
// retries with backoff, and reconnection → record the segment as
// acknowledged. A reload resumes where the acknowledgements stop.
//
// Download: for each segment fetch data shards first, then parity, from
// peers not caught lying; check each shard; rebuild and verify the segment
// against the root; write it at its offset; peers that served corrupt data
// are avoided from then on.

const SEGMENT_SIZE = 262144;
const HIGH_WATER = 4 * 1024 * 1024; // Chromium closes a channel past 16 MiB queued.
const LOW_WATER = 1024 * 1024;
const HASH_SLICE = 4 * 1024 * 1024;
/** Room for one segment's upload frames at 4+2 (six 64 KiB shards and their headers); grown if a coding needs more. */
const FRAME_BUFFER = 6 * (65536 + 4096);
/** Binary frame ops (light-client/src/storage/frame.rs). */
const OP_DOWNLOAD_SHARD = 2;
const OP_SHARD = 3;

/**
 * Reads a Blob into buffers the caller keeps and reuses (a BYOB stream
 * reader), in the order the reads are asked for. `blob.slice().arrayBuffer()`
 * makes a new buffer for every slice, and V8 lets hundreds of MiB of them wait
 * for the collector (measured: +286 MiB in the renderer while hashing a 2 GiB
 * file); reading into the same few buffers keeps the footprint flat.
 */
export class BlobReader {
  #blob;
  #reader = null;
  #position = 0;
  #queue = Promise.resolve();

  constructor(blob) {
    this.#blob = blob;
  }

  /**
   * Bytes `[start, start + length)` (fewer at the end of the blob), read into
   * `buffer` (an ArrayBuffer of at least `length` bytes, handed over: use the
   * returned view's `.buffer` for the next read).
   */
  read(start, length, buffer) {
    const run = this.#queue.then(() => this.#read(start, length, buffer));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #read(start, length, buffer) {
    if (!this.#reader || start !== this.#position) {
      this.#reader?.cancel().catch(() => {});
      this.#reader = this.#blob.slice(start).stream().getReader({ mode: 'byob' });
      this.#position = start;
    }
    let filled = 0;
    while (filled < length) {
      const { value, done } = await this.#reader.read(new Uint8Array(buffer, filled, length - filled));
      if (value) buffer = value.buffer;
      if (done) break;
      filled += value.byteLength;
    }
    this.#position += filled;
    return new Uint8Array(buffer, 0, filled);
  }

  /** Releases the stream. */
  close() {
    this.#reader?.cancel().catch(() => {});
    this.#reader = null;
  }
}

/** A binary frame `op | id | header length | header | payload` with id 0. */
function frame(op, headerText, payload = new Uint8Array(0)) {
  const header = new TextEncoder().encode(headerText);
  const out = new Uint8Array(9 + header.length + payload.length);
  out[0] = op;
  new DataView(out.buffer).setUint32(5, header.length);
  out.set(header, 9);
  out.set(payload, 9 + header.length);
  return out;
}

/** A peer call failed: `kind` is 'unreachable' (retry elsewhere/later) or 'refused' (final). */
export class PeerError extends Error {
  constructor(kind, message, code) {
    super(message);
    this.name = 'PeerError';
    this.kind = kind;
    this.code = code;
  }
}

function abortError() {
  return new DOMException('the transfer was cancelled', 'AbortError');
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(abortError()); }, { once: true });
  });
}

/** One data channel to one storage peer, with request ids and backpressure. */
export class PeerChannel {
  constructor(url, index, { timeoutMs = 15000 } = {}) {
    this.url = url.replace(/\/$/, '');
    this.index = index;
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
    this.pending = new Map();
    this.pc = null;
    this.dc = null;
    this.opening = null;
  }

  get open() {
    return this.dc?.readyState === 'open';
  }

  /** Opens (or reuses) the channel: offer → POST /webrtc → answer → open. */
  async connect() {
    if (this.open) return;
    if (this.opening) return this.opening;
    this.opening = this.#connect().finally(() => { this.opening = null; });
    return this.opening;
  }

  async #connect() {
    this.close();
    const pc = new RTCPeerConnection();
    // A receive-only video transceiver makes Chromium use a 1 MiB UDP receive
    // buffer instead of 128 KiB for data-only connections (RESEARCH.md).
    pc.addTransceiver('video', { direction: 'recvonly' });
    const dc = pc.createDataChannel('zgs', { ordered: true });
    dc.binaryType = 'arraybuffer';
    dc.bufferedAmountLowThreshold = LOW_WATER;
    this.pc = pc;
    this.dc = dc;
    dc.onmessage = (event) => this.#onMessage(event.data);
    dc.onclose = () => this.#failAll(new PeerError('unreachable', `peer ${this.index} closed the channel`));
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      const timer = setTimeout(resolve, 2000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
      });
    });
    let res;
    try {
      res = await fetch(`${this.url}/webrtc`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp });
    } catch (e) {
      this.close();
      throw new PeerError('unreachable', `peer ${this.index}: signaling failed: ${e.message}`);
    }
    if (!res.ok) {
      this.close();
      throw new PeerError('unreachable', `peer ${this.index}: signaling answered HTTP ${res.status}: ${await res.text()}`);
    }
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new PeerError('unreachable', `peer ${this.index}: channel did not open`)), 10000);
      dc.addEventListener('open', () => { clearTimeout(timer); resolve(); }, { once: true });
      dc.addEventListener('close', () => { clearTimeout(timer); reject(new PeerError('unreachable', `peer ${this.index}: channel closed while opening`)); }, { once: true });
    }).catch((e) => { this.close(); throw e; });
  }

  #onMessage(data) {
    if (typeof data !== 'string') {
      // A binary answer frame: its id is at bytes 1..5.
      if (data.byteLength < 9) return;
      const id = new DataView(data).getUint32(1);
      const waiter = this.pending.get(id);
      if (!waiter) return;
      this.pending.delete(id);
      clearTimeout(waiter.timer);
      if (new Uint8Array(data)[0] !== OP_SHARD) waiter.reject(new PeerError('refused', `peer ${this.index}: an unexpected binary frame`));
      else waiter.resolve(new Uint8Array(data));
      return;
    }
    let answer;
    try { answer = JSON.parse(data); } catch { return; }
    const waiter = this.pending.get(answer.id);
    if (!waiter) return;
    this.pending.delete(answer.id);
    clearTimeout(waiter.timer);
    if (answer.error) waiter.reject(new PeerError('refused', `peer ${this.index}: ${answer.error.message}`, answer.error.code));
    else waiter.resolve(answer.result);
  }

  #failAll(error) {
    for (const [, waiter] of this.pending) { clearTimeout(waiter.timer); waiter.reject(error); }
    this.pending.clear();
  }

  /** Waits until the channel's queue has room for `bytes` more. */
  async #room(bytes) {
    while (this.open && this.dc.bufferedAmount + bytes > HIGH_WATER) {
      await new Promise((resolve) => {
        const dc = this.dc;
        const done = () => { dc.removeEventListener('bufferedamountlow', done); dc.removeEventListener('close', done); resolve(); };
        dc.addEventListener('bufferedamountlow', done);
        dc.addEventListener('close', done);
      });
    }
  }

  /** One JSON-RPC call; `paramsJson` is the params array as JSON text. */
  async call(method, paramsJson) {
    return this.#send(method, (id) => `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${paramsJson}}`);
  }

  /**
   * One binary frame (`bytes`, from `shardFramesInto` or {@link frame}); its id is
   * written in here. Resolves with the JSON-RPC result of a text answer, or
   * the answer frame's bytes.
   */
  async callFrame(label, bytes) {
    return this.#send(label, (id) => { new DataView(bytes.buffer, bytes.byteOffset).setUint32(1, id); return bytes; });
  }

  async #send(label, message) {
    await this.connect();
    // Ids fit the frames' u32 (and JSON numbers alike).
    const id = this.nextId = (this.nextId % 0xffffffff) + 1;
    const payload = message(id);
    await this.#room(payload.length);
    if (!this.open) throw new PeerError('unreachable', `peer ${this.index}: channel closed`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PeerError('unreachable', `peer ${this.index}: no answer to ${label} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try { this.dc.send(payload); } catch (e) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new PeerError('unreachable', `peer ${this.index}: send failed: ${e.message}`));
      }
    });
  }

  close() {
    this.#failAll(new PeerError('unreachable', `peer ${this.index}: connection closed`));
    try { this.dc?.close(); } catch { /* already closed */ }
    try { this.pc?.close(); } catch { /* already closed */ }
    this.dc = null;
    this.pc = null;
  }
}

/** Upload progress kept in IndexedDB, keyed by file root. */
class ResumeStore {
  static async open(name = 'aloft-storage') {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('uploads', { keyPath: 'root' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return new ResumeStore(db);
  }

  constructor(db) { this.db = db; }

  #tx(mode, work) {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction('uploads', mode);
      const req = work(tx.objectStore('uploads'));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
    });
  }

  get(root) { return this.#tx('readonly', (s) => s.get(root)); }
  all() { return this.#tx('readonly', (s) => s.getAll()); }
  put(record) { return this.#tx('readwrite', (s) => s.put(record)); }
  delete(root) { return this.#tx('readwrite', (s) => s.delete(root)); }
  close() { this.db.close(); }
}

/** Bytes, rate and ETA for progress callbacks. */
function progressReporter(total, already, onProgress) {
  const started = performance.now();
  let done = already;
  let last = 0;
  const report = (force) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    const seconds = Math.max((now - started) / 1000, 1e-3);
    const rate = (done - already) / seconds;
    onProgress?.({ done, total, already, elapsedMs: now - started, bytesPerSecond: rate, etaSeconds: rate > 0 ? (total - done) / rate : Infinity });
  };
  return { add(n) { done += n; report(false); }, finish() { report(true); } };
}

/** The bytes of a file of `length` in the segments `acked` marks. */
function ackedBytes(acked, length) {
  return [...acked].reduce((sum, a, i) => sum + (a ? Math.min(SEGMENT_SIZE, length - i * SEGMENT_SIZE) : 0), 0);
}

/**
 * Uploads this origin started and did not finish (their progress is in
 * IndexedDB): `[{root, length, segments, acknowledged, bytesAcknowledged}]`.
 * Uploading the same file again resumes where the acknowledgements stop.
 */
export async function unfinishedUploads() {
  const store = await ResumeStore.open();
  try {
    return (await store.all()).map((r) => {
      const acked = [...r.acked];
      return {
        root: r.root,
        length: r.length,
        segments: acked.length,
        acknowledged: acked.filter(Boolean).length,
        bytesAcknowledged: ackedBytes(r.acked, r.length),
      };
    });
  } finally {
    store.close();
  }
}

/**
 * The user's EIP-1193 wallet: the provider an EIP-6963 announcement names
 * (`rdns` preferred, else the first to answer), else `window.ethereum`.
 */
export async function findWallet({ rdns = 'dev.aloft.wallet', waitMs = 500 } = {}) {
  const found = [];
  const onAnnounce = (e) => { if (e.detail?.provider) found.push(e.detail); };
  window.addEventListener('eip6963:announceProvider', onAnnounce);
  try {
    window.dispatchEvent(new Event('eip6963:requestProvider'));
    for (let waited = 0; waited < waitMs && !found.some((d) => d.info?.rdns === rdns); waited += 50) await sleep(50);
  } finally {
    window.removeEventListener('eip6963:announceProvider', onAnnounce);
  }
  const provider = (found.find((d) => d.info?.rdns === rdns) ?? found[0])?.provider ?? window.ethereum;
  if (!provider) throw new Error('no wallet in this browser (EIP-1193/EIP-6963): one is needed to sign Flow.submit');
  return provider;
}

/** The devnet's Flow contract address, from `GET ${rpc}/contracts`. */
export async function flowAddress(rpc) {
  const res = await fetch(`${rpc.replace(/\/$/, '')}/contracts`);
  if (!res.ok) throw new Error(`cannot read the contract addresses: HTTP ${res.status}`);
  const flow = (await res.json())?.addresses?.flow;
  if (!/^0x[0-9a-fA-F]{40}$/.test(flow ?? '')) throw new Error('the devnet names no Flow contract');
  return flow;
}

/**
 * A submitter that registers a file through the user's wallet: the account
 * from `eth_requestAccounts`, `eth_sendTransaction` of `Flow.submit` (call
 * data from the light client, `tree.flowSubmitCalldata()`), then
 * `eth_getTransactionReceipt` until it is in a block. A reverted or refused
 * transaction rejects with the reason.
 */
export function walletSubmitter({ provider, flow, receiptTimeoutMs = 60000 }) {
  return async (tree, { signal } = {}) => {
    const [from] = await provider.request({ method: 'eth_requestAccounts' });
    if (!from) throw new Error('the wallet shared no account');
    const tx = await provider.request({ method: 'eth_sendTransaction', params: [{ from, to: flow, data: tree.flowSubmitCalldata() }] });
    const receipt = await minedReceipt(provider, tx, { what: 'Flow.submit', receiptTimeoutMs, signal });
    return { tx, block: Number(receipt.blockNumber), from };
  };
}

/**
 * Polls `eth_getTransactionReceipt` for `tx` until it is in a block; rejects
 * if it reverted (`what` names it in the error) or is not mined in time.
 */
export async function minedReceipt(provider, tx, { what = 'the transaction', receiptTimeoutMs = 60000, signal } = {}) {
  const started = performance.now();
  for (;;) {
    const receipt = await provider.request({ method: 'eth_getTransactionReceipt', params: [tx] });
    if (receipt) {
      if (receipt.status !== '0x1') throw new Error(`${what} ${tx} reverted: the contract refused it`);
      return receipt;
    }
    if (performance.now() - started > receiptTimeoutMs) throw new Error(`${what} ${tx} is not in a block after ${receiptTimeoutMs / 1000} s`);
    await sleep(250, signal);
  }
}

/** The storage network as one object: the peers, the submitter, the wasm. */
export class StorageNetwork {
  /**
   * @param {object} o
   * @param {string[]} o.peers storage peer URLs in placement order
   * @param {string} o.control the devnet control API (lists the peers)
   * @param {object} o.wasm the initialised light-client module namespace
   * @param {'binary'|'json'} [o.frames] shard messages as binary frames (default) or JSON-RPC texts
   * @param {Function} [o.submitter] `async (tree, {signal}) => {tx, block, from}`:
   *   registers the root on chain ({@link walletSubmitter})
   */
  constructor({ peers, control, wasm, submitter, frames = 'binary', dataShards = 4, parityShards = 2, timeoutMs = 15000 }) {
    if (frames !== 'binary' && frames !== 'json') throw new Error(`frames must be 'binary' or 'json', not ${frames}`);
    this.frames = frames;
    if (!peers?.length) throw new Error('no storage peers');
    this.control = control.replace(/\/$/, '');
    this.submitter = submitter;
    this.wasm = wasm;
    this.k = dataShards;
    this.m = parityShards;
    this.channels = peers.map((url, i) => new PeerChannel(url, i, { timeoutMs }));
    this.stats = { shardsSent: 0, segmentsSkipped: 0 };
  }

  /** Reads the peer list from the devnet's control API. */
  static async fromDevnet(control, wasm, options = {}) {
    const res = await fetch(`${control.replace(/\/$/, '')}/storage/peers`);
    if (!res.ok) throw new Error(`cannot list the storage peers: HTTP ${res.status}`);
    return new StorageNetwork({ ...options, peers: await res.json(), control, wasm });
  }

  /** Opens every channel it can; returns which peers answered. */
  async connect() {
    const results = await Promise.allSettled(this.channels.map((c) => c.connect()));
    return results.map((r) => r.status === 'fulfilled');
  }

  close() {
    for (const c of this.channels) c.close();
  }

  /** `send(channel)` makes one call; an unreachable peer is retried with backoff. */
  async #callWithRetries(peer, send, { retries, signal }) {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError();
      try {
        return await send(this.channels[peer]);
      } catch (e) {
        if (e.kind !== 'unreachable' || attempt >= retries) throw e;
        this.channels[peer].close();
        await sleep(Math.min(200 * 2 ** attempt, 3000), signal);
      }
    }
  }

  /** Hashes `blob` in slices into its tree (root, submission, proofs). */
  async tree(blob, { signal } = {}) {
    const builder = new this.wasm.StorageTreeBuilder();
    const reader = new BlobReader(blob);
    try {
      let buffer = new ArrayBuffer(HASH_SLICE);
      for (let offset = 0; offset < blob.size; offset += HASH_SLICE) {
        if (signal?.aborted) throw abortError();
        const bytes = await reader.read(offset, HASH_SLICE, buffer);
        builder.update(bytes);
        buffer = bytes.buffer;
      }
      return builder.finish();
    } catch (e) {
      builder.free();
      throw e;
    } finally {
      reader.close();
    }
  }

  /**
   * Registers the file on chain with the `submitter` (e.g. {@link walletSubmitter}:
   * a `Flow.submit` the user's wallet signs); the peers accept its segments once
   * the transaction is in a block.
   */
  async submit(tree, { signal } = {}) {
    if (!this.submitter) throw new Error('no submitter: Flow.submit needs a wallet (pass `submitter`, e.g. walletSubmitter)');
    return this.submitter(tree, { signal });
  }

  /**
   * Uploads `blob`: submit (unless `submit: false`, or a resumed upload whose
   * submission is recorded), then every segment not yet acknowledged,
   * `concurrency` segments at a time. Resolves with
   * `{root, length, segments, skipped, submitted}`; rejects with an AbortError on cancel.
   */
  async upload(blob, { onProgress, signal, concurrency = 6, retries = 5, submit = true } = {}) {
    const tree = await this.tree(blob, { signal });
    const root = tree.root();
    const length = tree.length();
    const segments = tree.segments();
    const store = await ResumeStore.open();
    try {
      const record = (await store.get(root)) ?? { root, length, acked: new Uint8Array(segments) };
      if (submit && !record.submitted) {
        record.submitted = await this.submit(tree, { signal });
        await store.put(record);
      }
      const acked = record.acked;
      const already = ackedBytes(acked, length);
      const progress = progressReporter(length, already, onProgress);
      let next = 0;
      let failure = null;
      let skipped = 0;
      const n = this.channels.length;
      const reader = new BlobReader(blob);
      const worker = async () => {
        let buffer = new ArrayBuffer(SEGMENT_SIZE);
        // This worker's frames, rewritten for each segment once the last one's are all acknowledged.
        let frameBuffer = new Uint8Array(FRAME_BUFFER);
        const framesOf = (i, bytes) => {
          try {
            const lengths = tree.shardFramesInto(i, bytes, this.k, this.m, frameBuffer);
            let at = 0;
            return Array.from(lengths, (len) => frameBuffer.subarray(at, (at += len)));
          } catch (e) {
            const needed = /needs (\d+)/.exec(e.message)?.[1];
            if (!needed) throw e;
            frameBuffer = new Uint8Array(Number(needed));
            return framesOf(i, bytes);
          }
        };
        while (!failure) {
          if (signal?.aborted) throw abortError();
          const i = next++;
          if (i >= segments) return;
          if (acked[i]) { skipped++; continue; }
          const start = i * SEGMENT_SIZE;
          const bytes = await reader.read(start, Math.min(SEGMENT_SIZE, length - start), buffer);
          buffer = bytes.buffer;
          const binary = this.frames === 'binary';
          const shards = binary ? framesOf(i, bytes) : tree.shardsJson(i, bytes, this.k, this.m);
          await Promise.all(shards.map((message, j) => {
            const peer = this.wasm.storagePeerOf(i, j, this.k, this.m, n);
            this.stats.shardsSent++;
            const send = binary ? (c) => c.callFrame('aloft_uploadShard', message) : (c) => c.call('aloft_uploadShard', `[${message}]`);
            return this.#callWithRetries(peer, send, { retries, signal });
          }));
          acked[i] = 1;
          await store.put(record);
          progress.add(bytes.length);
        }
      };
      const workers = Array.from({ length: Math.max(1, concurrency) }, () => worker().catch((e) => { failure ??= e; }));
      await Promise.all(workers).finally(() => reader.close());
      if (failure) throw failure;
      progress.finish();
      this.stats.segmentsSkipped += skipped;
      await store.delete(root);
      return { root, length, segments, skipped, submitted: record.submitted };
    } finally {
      store.close();
      tree.free();
    }
  }

  /** The file length the peers report for `root`; rejects if it was never submitted. */
  async fileSize(root) {
    let last;
    for (const [peer] of this.channels.entries()) {
      try {
        const info = await this.#callWithRetries(peer, (c) => c.call('zgs_getFileInfo', JSON.stringify([root])), { retries: 1 });
        if (info === null) throw new PeerError('refused', `root ${root} was never submitted`);
        return info.tx.size;
      } catch (e) {
        if (e.kind === 'refused') throw e;
        last = e;
      }
    }
    throw new Error(`no storage peer answered: ${last?.message}`);
  }

  /**
   * Downloads `root` into `sink` (anything with `write({type: 'write', position, data})`:
   * an {@link OpfsFileSink} keeps memory flat). Resolves with
   * `{root, length, segments, avoidedPeers}`.
   */
  async download(root, sink, { onProgress, signal, concurrency = 6 } = {}) {
    const length = await this.fileSize(root);
    const segments = Math.ceil(length / SEGMENT_SIZE);
    const n = this.channels.length;
    const total = this.k + this.m;
    const blocked = new Set();
    // Peers that just failed to answer are skipped for a while instead of
    // being retried for every segment.
    const downUntil = new Map();
    const progress = progressReporter(length, 0, onProgress);
    const fetchShard = async (i, j) => {
      const peer = this.wasm.storagePeerOf(i, j, this.k, this.m, n);
      if (blocked.has(peer) || (downUntil.get(peer) ?? 0) > performance.now()) return null;
      const params = JSON.stringify([root, i, j]);
      const binary = this.frames === 'binary';
      const send = binary ? (c) => c.callFrame('aloft_downloadShard', frame(OP_DOWNLOAD_SHARD, params)) : (c) => c.call('aloft_downloadShard', params);
      let result;
      try {
        result = await this.#callWithRetries(peer, send, { retries: 2, signal });
      } catch (e) {
        if (e.name === 'AbortError') throw e;
        downUntil.set(peer, performance.now() + 3000);
        return null;
      }
      if (result === null) return null;
      try {
        if (result instanceof Uint8Array) return this.wasm.checkShardFrame(result, root, length, i, j, this.k, this.m) ?? null;
        return this.wasm.checkShard(JSON.stringify(result), root, length, i, j, this.k, this.m);
      } catch (e) {
        blocked.add(peer);
        console.warn(`avoiding storage peer ${peer}: ${e.message}`);
        return null;
      }
    };
    // The checked shards stay in WASM (SegmentShards); only the rebuilt segment
    // comes out, into a buffer the worker reuses (an OpfsFileSink hands it back).
    const segment = async (i) => {
      const held = new this.wasm.SegmentShards(this.k, this.m);
      try {
        let tried = 0;
        let want = this.k;
        for (;;) {
          while (held.count() < want && tried < total) {
            const batch = [];
            while (batch.length < want - held.count() && tried < total) batch.push(tried++);
            const got = await Promise.all(batch.map((j) => fetchShard(i, j)));
            for (const checked of got) if (checked) held.put(checked);
          }
          if (held.count() < this.k) {
            if (tried >= total) throw new Error(`segment ${i}: only ${held.count()} of the ${this.k} shards needed could be fetched from good peers`);
            want = this.k;
            continue;
          }
          try {
            return held.rebuild(root, length, i);
          } catch (e) {
            if (tried >= total) throw new Error(`segment ${i}: ${e.message}`);
            want = held.count() + 1;
          }
        }
      } finally {
        held.free();
      }
    };
    let next = 0;
    let failure = null;
    const worker = async () => {
      let spare = new ArrayBuffer(SEGMENT_SIZE);
      while (!failure) {
        if (signal?.aborted) throw abortError();
        const i = next++;
        if (i >= segments) return;
        const rebuilt = await segment(i);
        const start = i * SEGMENT_SIZE;
        const data = new Uint8Array(spare ?? new ArrayBuffer(SEGMENT_SIZE), 0, Math.min(SEGMENT_SIZE, length - start));
        try {
          for (const bad of rebuilt.badShards()) blocked.add(this.wasm.storagePeerOf(i, bad, this.k, this.m, n));
          rebuilt.copyTo(data);
        } finally {
          rebuilt.free();
        }
        const back = await sink.write({ type: 'write', position: start, data });
        spare = back instanceof ArrayBuffer && back.byteLength === SEGMENT_SIZE ? back : null;
        progress.add(data.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker().catch((e) => { failure ??= e; })));
    if (failure) throw failure;
    progress.finish();
    return { root, length, segments, avoidedPeers: [...blocked].sort((a, b) => a - b) };
  }
}

/**
 * A download sink that writes a file of the origin-private file system from
 * a worker (`opfs-writer.js`, beside this module) with a sync access handle,
 * so the bytes are not held in memory on the way (a FileSystemWritableFileStream
 * keeps them as blobs in the browser process until garbage collection).
 * `write({position, data})` resolves once the bytes are in the file.
 */
export class OpfsFileSink {
  #worker;
  #pending = new Map();
  #nextId = 0;
  #failed = null;

  constructor(name, worker) {
    this.name = name;
    this.#worker = worker;
    worker.onmessage = ({ data }) => {
      const p = this.#pending.get(data.id);
      if (!p) return;
      this.#pending.delete(data.id);
      if (data.error) p.reject(new Error(`writing ${this.name}: ${data.error}`));
      else p.resolve(data.data);
    };
    worker.onerror = (e) => {
      this.#failed = new Error(`writing ${this.name}: the writer failed: ${e.message}`);
      for (const p of this.#pending.values()) p.reject(this.#failed);
      this.#pending.clear();
    };
  }

  /** Creates (or empties) the OPFS file `name` and opens it for writing. */
  static async open(name) {
    const sink = new OpfsFileSink(name, new Worker(new URL('./opfs-writer.js', import.meta.url), { type: 'module' }));
    try {
      await sink.#call({ op: 'open', name });
    } catch (e) {
      sink.#worker.terminate();
      throw e;
    }
    return sink;
  }

  #call(msg, transfer = []) {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /**
   * Writes `data` (a Uint8Array) at `position`. Its buffer is handed to the
   * writer and comes back as the result, for the caller to reuse.
   */
  write({ position, data }) {
    return this.#call({ op: 'write', position, data: data.buffer, offset: data.byteOffset, length: data.byteLength }, [data.buffer]);
  }

  /** Flushes and closes the file; the sink is done. */
  async close() {
    try {
      await this.#call({ op: 'close' });
    } finally {
      this.#worker.terminate();
    }
  }

  /** The written file (after {@link close}). */
  async file() {
    const dir = await navigator.storage.getDirectory();
    return (await dir.getFileHandle(this.name)).getFile();
  }
}

/** "12.3/64.0 MiB (19%) · 25.1 MiB/s · ETA 2 s" */
export function formatProgress({ done, total, bytesPerSecond, etaSeconds }) {
  const mib = (b) => (b / 1048576).toFixed(1);
  const pct = total ? Math.floor((100 * done) / total) : 100;
  const eta = Number.isFinite(etaSeconds) ? `${Math.ceil(etaSeconds)} s` : '…';
  return `${mib(done)}/${mib(total)} MiB (${pct}%) · ${mib(bytesPerSecond)} MiB/s · ETA ${eta}`;
}
