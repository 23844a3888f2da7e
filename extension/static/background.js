// Aloft service worker: carries messages to the wallet engine (Rust in WASM).
//
// Nothing here decides anything. Every provider request goes to
// `Engine.request(origin, request)` with the origin the *browser* reported
// for the sender (port.sender.origin), never one the page wrote into the
// message. The engine answers or refuses; this file only relays.

import init, { Engine } from './engine/aloft_extension.js';

// Module service workers cannot use top-level await: start the engine now
// and let every handler wait for it.
const engine = init({ module_or_path: chrome.runtime.getURL('engine/aloft_extension_bg.wasm') })
  .then(() => new Engine());

function senderOrigin(sender) {
  if (sender.origin) return sender.origin;
  try { return new URL(sender.url).origin; } catch { return null; }
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'aloft-provider' || port.sender?.id !== chrome.runtime.id) {
    port.disconnect();
    return;
  }
  const origin = senderOrigin(port.sender);
  port.onMessage.addListener(async (message) => {
    const id = message?.id;
    if (typeof id !== 'number' && typeof id !== 'string') return;
    let reply;
    try {
      if (!origin) throw { code: 4100, message: 'the request has no origin the wallet can check' };
      const result = await (await engine).request(origin, message.request);
      reply = { id, result };
    } catch (error) {
      reply = { id, error: { code: error?.code ?? -32603, message: error?.message ?? String(error) } };
    }
    try { port.postMessage(reply); } catch { /* the page went away */ }
  });
});

// The engine's status, for extension pages and for tests driving the worker.
async function status() {
  const e = await engine;
  return { version: Engine.engineVersion(), network: e.network() };
}
globalThis.aloftStatus = status;

// Extension pages (popup, full page) ask the engine for its status. Only this
// extension's own pages are answered: content scripts and other extensions
// have another origin.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || sender.origin !== location.origin) return false;
  if (message?.kind === 'status') {
    status()
      .then((s) => sendResponse({ ok: true, ...s }))
      .catch((error) => sendResponse({ ok: false, error: String(error?.message ?? error) }));
    return true;
  }
  return false;
});
