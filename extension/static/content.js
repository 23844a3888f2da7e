// Aloft content script (isolated world): relays between the page's provider
// (inpage.js, main world) and the service worker. It accepts only messages
// posted by this very window to itself, addressed to it, and answers only to
// this window's origin.

(() => {
  const TO_CONTENT = 'aloft:content';
  const TO_PAGE = 'aloft:inpage';
  let port = null;
  const pending = new Set();

  function reply(id, payload) {
    pending.delete(id);
    window.postMessage({ target: TO_PAGE, id, ...payload }, location.origin);
  }

  function connect() {
    const p = chrome.runtime.connect({ name: 'aloft-provider' });
    p.onMessage.addListener((message) => {
      // Provider events (accountsChanged, chainChanged, ...) the engine
      // addressed to this origin.
      if (typeof message?.event === 'string') {
        window.postMessage({ target: TO_PAGE, event: message.event, data: message.data }, location.origin);
        return;
      }
      if (pending.has(message.id)) reply(message.id, { result: message.result, error: message.error });
    });
    // The browser stops idle workers; requests in flight then have no answer
    // coming, so say so instead of leaving the page waiting forever.
    p.onDisconnect.addListener(() => {
      if (port === p) port = null;
      for (const id of [...pending]) {
        reply(id, { error: { code: 4900, message: 'Aloft restarted while handling this request: try again' } });
      }
    });
    return p;
  }

  function send(message) {
    if (!port) port = connect();
    port.postMessage(message);
  }

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.origin !== location.origin) return;
    const data = event.data;
    if (!data || data.target !== TO_CONTENT || typeof data.id !== 'number' || pending.has(data.id)) return;
    const message = { id: data.id, request: { method: data.method, params: data.params } };
    pending.add(data.id);
    try {
      send(message);
    } catch {
      // A port left over from a stopped worker: open a new one once.
      port = null;
      try {
        send(message);
      } catch {
        reply(data.id, { error: { code: 4900, message: 'Aloft is not reachable: reload the page' } });
      }
    }
  });
})();
