// The header client in a Web Worker: the same module, no window. Post
// {rpc, checkpoint, witness?, storageKey?}; get back {head} or {error}.
import init, { HeaderClient } from '../pkg/aloft_light_client.js';

self.onmessage = async ({ data }) => {
  try {
    await init();
    const client = await HeaderClient.create(data);
    const head = await client.syncToHead();
    self.postMessage({ head, state: client.state() });
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
