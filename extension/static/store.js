// IndexedDB for the service worker: one object store of opaque records
// ("state": not secret; "vault": the sealed vault). The engine decides what
// is written; this file only stores and loads. IndexedDB here belongs to the
// extension's origin, which no web page or content script can open.

const DB = 'aloft';
const STORE = 'kv';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const load = (key) => run('readonly', (s) => s.get(key));
export const save = (key, value) => run('readwrite', (s) => (value == null ? s.delete(key) : s.put(value, key)));
