// Aloft in-page provider (main world): EIP-1193, announced by EIP-6963.
//
// The page can read and call everything here, so nothing here is secret and
// nothing here decides: requests go to the content script and on to the
// wallet engine in the service worker. `window.ethereum` is set only when no
// other wallet holds it, and stays writable (making it non-writable is the
// top cause of wallet conflicts).

(() => {
  if (window.__aloftInjected) return;
  Object.defineProperty(window, '__aloftInjected', { value: true });

  const TO_CONTENT = 'aloft:content';
  const TO_PAGE = 'aloft:inpage';
  const ICON =
    'data:image/svg+xml,' +
    encodeURIComponent(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1b2a4a"/>' +
        '<path d="M12 44 L32 14 L52 44 Z" fill="none" stroke="#7dd3fc" stroke-width="5" stroke-linejoin="round"/>' +
        '<circle cx="32" cy="36" r="5" fill="#fbbf24"/></svg>'
    );

  class ProviderRpcError extends Error {
    constructor(code, message, data) {
      super(message);
      this.code = code;
      if (data !== undefined) this.data = data;
    }
  }

  let nextId = 1;
  const waiting = new Map();
  const listeners = new Map();

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.origin !== location.origin) return;
    const data = event.data;
    if (!data || data.target !== TO_PAGE) return;
    if (typeof data.event === 'string' && data.id === undefined) {
      if (data.event === 'disconnect') {
        // EIP-1193: `disconnect` carries a ProviderRpcError (4900).
        const e = data.data ?? {};
        emit('disconnect', new ProviderRpcError(Number(e.code) || 4900, String(e.message ?? 'disconnected')));
      } else if (['accountsChanged', 'chainChanged', 'connect'].includes(data.event)) {
        emit(data.event, data.data);
      }
      return;
    }
    if (!waiting.has(data.id)) return;
    const { resolve, reject } = waiting.get(data.id);
    waiting.delete(data.id);
    if (data.error) reject(new ProviderRpcError(data.error.code, data.error.message, data.error.data));
    else resolve(data.result);
  });

  function emit(event, ...args) {
    for (const fn of [...(listeners.get(event) ?? [])]) {
      try { fn(...args); } catch (e) { setTimeout(() => { throw e; }); }
    }
  }

  const provider = {
    isAloft: true,
    request(args) {
      if (!args || typeof args !== 'object' || typeof args.method !== 'string') {
        return Promise.reject(new ProviderRpcError(-32600, 'request expects an object like { method, params }'));
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        window.postMessage({ target: TO_CONTENT, id, method: args.method, params: args.params }, location.origin);
      });
    },
    on(event, fn) {
      if (typeof fn !== 'function') return provider;
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
      return provider;
    },
    removeListener(event, fn) {
      listeners.get(event)?.delete(fn);
      return provider;
    },
  };
  provider.off = provider.removeListener;
  Object.freeze(provider);

  // EIP-1193 `connect`: emitted once the wallet answers for a chain.
  provider.request({ method: 'eth_chainId' }).then(
    (chainId) => emit('connect', { chainId }),
    () => {}
  );

  // crypto.randomUUID exists only in secure contexts; plain-HTTP pages (which
  // EIP-6963 still serves) get the same UUID v4 from getRandomValues.
  const uuid = () => {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const info = Object.freeze({ uuid: uuid(), name: 'Aloft', icon: ICON, rdns: 'dev.aloft.wallet' });
  const detail = Object.freeze({ info, provider });
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();

  if (window.ethereum === undefined) {
    Object.defineProperty(window, 'ethereum', { value: provider, writable: true, configurable: true, enumerable: true });
  }
})();
