// Browser IO for the header client (light-client/src/wasm/platform.rs).
// Only globalThis is used (fetch, WebSocket, indexedDB, Date), never
// window, so the same module runs in a page and in a Web Worker.

export async function httpGet(url) {
  let res;
  try {
    res = await globalThis.fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    throw new Error(`cannot reach ${url}: ${e?.message ?? e}`);
  }
  const body = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) {
    throw new Error(`HTTP ${res.status}: ${new TextDecoder().decode(body).slice(0, 300)}`);
  }
  return body;
}

export function nowMs() {
  return Date.now();
}

const DB = 'aloft-light-client';
const STORE = 'trusted-state';

function openDb() {
  return new Promise((resolve, reject) => {
    if (!globalThis.indexedDB) {
      reject(new Error('IndexedDB is not available here'));
      return;
    }
    const req = globalThis.indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`IndexedDB: ${req.error?.message ?? 'cannot open'}`));
  });
}

function request(db, mode, run) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = run(tx.objectStore(STORE));
    let value;
    req.onsuccess = () => { value = req.result; };
    tx.oncomplete = () => { db.close(); resolve(value); };
    tx.onerror = () => { db.close(); reject(new Error(`IndexedDB: ${tx.error?.message ?? 'failed'}`)); };
    tx.onabort = () => { db.close(); reject(new Error(`IndexedDB: ${tx.error?.message ?? 'aborted'}`)); };
  });
}

export async function idbGet(key) {
  const db = await openDb();
  const value = await request(db, 'readonly', (s) => s.get(key));
  return value instanceof Uint8Array ? value : undefined;
}

export async function idbPut(key, bytes) {
  const db = await openDb();
  await request(db, 'readwrite', (s) => s.put(bytes.slice(), key));
}

// A head subscription that reconnects (after a second) until closed, so a
// restarted node or a dropped connection does not end it.
export function openSocket(url, onMessage, onClose) {
  const handle = { ws: null, closed: false };
  const connect = () => {
    const ws = new globalThis.WebSocket(url);
    ws.onmessage = (e) => { if (typeof e.data === 'string') onMessage(e.data); };
    ws.onclose = () => {
      if (handle.closed) return;
      onClose();
      setTimeout(() => { if (!handle.closed) connect(); }, 1000);
    };
    handle.ws = ws;
  };
  connect();
  return handle;
}

export function closeSocket(handle) {
  handle.closed = true;
  handle.ws.onmessage = null;
  handle.ws.onclose = null;
  handle.ws.close();
}

// A JSON-RPC POST (the EVM RPC, for eth_getProof): the body of any answer
// with a status, which the caller parses and checks.
export async function httpPostJson(url, body) {
  let res;
  try {
    res = await globalThis.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      cache: 'no-store',
    });
  } catch (e) {
    throw new Error(`cannot reach ${url}: ${e?.message ?? e}`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) {
    throw new Error(`HTTP ${res.status}: ${new TextDecoder().decode(bytes).slice(0, 300)}`);
  }
  return bytes;
}
