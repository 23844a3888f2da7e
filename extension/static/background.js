// Aloft service worker: carries messages to the wallet engine (Rust in WASM)
// and carries out the engine's effects. Nothing here decides anything.
//
// - Provider requests (from content.js ports) go to `Engine.request(origin,
//   request)` with the origin the *browser* reported (port.sender.origin),
//   never one the page wrote into the message.
// - Commands come only from this extension's own pages (the Leptos app in
//   popup.html and wallet.html) and go to `Engine.command`; `send` (the Send
//   view) and `activity` (Home) go to their own engine methods; `lightClient`
//   (the status view) reads the header client of the selected network;
//   `agents` is an iNFT read with each owner proven by it (verifiedTokens).
// - Effects (see extension/src/commands.rs): store state/vault in IndexedDB,
//   keep the derived vault key in chrome.storage.session (memory only,
//   TRUSTED_CONTEXTS), push provider events to the ports of an origin, open
//   the approval window, arm the auto-lock alarm.

import init, { Engine } from './engine/aloft_extension.js';
import { load, save } from './store.js';
import { accountProver, lightStatus, ownerProver } from './light-client.js';

const AUTO_LOCK = 'aloft-autolock';
const ports = new Set();
let approvalWindow = null;

// Content scripts must never read the session store (it holds the vault key
// while unlocked). TRUSTED_CONTEXTS is the default; set it anyway.
chrome.storage.session.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});

async function openApproval() {
  if (approvalWindow !== null) {
    try {
      await chrome.windows.update(approvalWindow, { focused: true });
      return;
    } catch {
      approvalWindow = null;
    }
  }
  const win = await chrome.windows.create({ url: chrome.runtime.getURL('popup.html#/approve'), type: 'popup', width: 376, height: 640 });
  approvalWindow = win.id;
}

async function onEffect(effect) {
  switch (effect.kind) {
    case 'saveState': return save('state', effect.state);
    case 'saveVault': return save('vault', effect.vault);
    case 'sessionKey':
      return effect.key ? chrome.storage.session.set({ vaultKey: effect.key }) : chrome.storage.session.remove('vaultKey');
    case 'emit':
      for (const p of ports) {
        if (effect.origin === null || p.origin === effect.origin) {
          try { p.port.postMessage({ event: effect.event, data: effect.data }); } catch { ports.delete(p); }
        }
      }
      return;
    case 'openApproval': return openApproval();
    case 'autoLock':
      return effect.minutes ? chrome.alarms.create(AUTO_LOCK, { delayInMinutes: effect.minutes }) : chrome.alarms.clear(AUTO_LOCK);
  }
}

// Module service workers cannot use top-level await: start the engine now
// and let every handler wait for it.
const engine = (async () => {
  await init({ module_or_path: chrome.runtime.getURL('engine/aloft_extension_bg.wasm') });
  const [state, vault, session] = await Promise.all([load('state'), load('vault'), chrome.storage.session.get('vaultKey')]);
  const e = new Engine(state, vault, session.vaultKey ?? null, onEffect);
  await e.flush();
  return e;
})();

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
  const entry = { port, origin };
  ports.add(entry);
  port.onDisconnect.addListener(() => ports.delete(entry));
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

chrome.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === AUTO_LOCK) await (await engine).autoLock();
});

// Closing the approval window rejects what it was showing (4001).
chrome.windows.onRemoved.addListener(async (id) => {
  if (id !== approvalWindow) return;
  approvalWindow = null;
  await (await engine).command({ cmd: 'rejectAll' }).catch(() => {});
});

chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') chrome.tabs.create({ url: chrome.runtime.getURL('wallet.html#/onboarding') });
});

// The engine's status, for extension pages and for tests driving the worker.
async function status() {
  const e = await engine;
  return { version: Engine.engineVersion(), network: e.network() };
}
globalThis.aloftStatus = status;
globalThis.aloftCommand = async (command) => (await engine).command(command);
globalThis.aloftInft = async (request) => (await engine).inft(request);

// Extension pages talk to the engine. Only this extension's own pages are
// answered: content scripts and other extensions have another origin.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || sender.origin !== location.origin) return false;
  const reply = (promise) => {
    promise
      .then((result) => sendResponse({ ok: true, result }))
      .catch((error) => sendResponse({ ok: false, error: { code: error?.code ?? 'internal', message: error?.message ?? String(error) } }));
    return true;
  };
  if (message?.kind === 'status') {
    status()
      .then((s) => sendResponse({ ok: true, ...s }))
      .catch((error) => sendResponse({ ok: false, error: String(error?.message ?? error) }));
    return true;
  }
  if (message?.kind === 'command') return reply(engine.then((e) => e.command(message.command)));
  if (message?.kind === 'readings') return reply(engine.then((e) => e.accountReadings(accountProver(e.network()))));
  if (message?.kind === 'inft') return reply(engine.then((e) => e.inft(message.request)));
  if (message?.kind === 'activity') return reply(engine.then((e) => e.activity()));
  if (message?.kind === 'send') return reply(engine.then((e) => e.send(message.params)));
  if (message?.kind === 'agents') return reply(engine.then((e) => e.verifiedTokens(message.request, ownerProver(e.network()))));
  if (message?.kind === 'lightClient') return reply(engine.then((e) => lightStatus(e.network())));
  return false;
});
