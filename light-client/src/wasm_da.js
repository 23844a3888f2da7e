// Platform glue for the DA sampler (wasm_da.rs): fetch with a timeout,
// CSPRNG bytes, sleeping, and a one-store IndexedDB. Uses only globals that
// pages and Web Workers both have.

export function aloftFetchBytes(url, timeoutMs) {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' }).then(async (res) => {
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new Error(`HTTP ${res.status} from ${url}: ${text.slice(0, 200)}`);
    }
    return new Uint8Array(await res.arrayBuffer());
  });
}

export function aloftWithTimeout(promise, timeoutMs, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function aloftSettle(promise) {
  return promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error: String(error && error.message || error) }));
}

export function aloftRandomBytes(n) {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

export function aloftSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function openDb(name) {
  return new Promise((resolve, reject) => {
    const req = globalThis.indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('kv');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function aloftIdbGet(name, key) {
  const db = await openDb(name);
  try {
    return await new Promise((resolve, reject) => {
      const req = db.transaction('kv', 'readonly').objectStore('kv').get(key);
      req.onsuccess = () => resolve(req.result === undefined ? null : req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

export async function aloftIdbPut(name, key, value) {
  const db = await openDb(name);
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction('kv', 'readwrite');
      tx.objectStore('kv').put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
