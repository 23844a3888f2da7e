// DA cells over WebRTC data channels: a transport for DaSampler
// (`DaSampler.open({nodes, transport: webrtcTransport()})`) that sends each
// request the sampler makes to a DA node over that node's data channel
// instead of fetch. The channel is the storage peers' PeerChannel
// (www/storage/aloft-storage.js: WHIP-style signaling by POST of the SDP
// offer to `${node}/webrtc`, JSON-RPC 2.0 texts); a DA node answers
// `da_get [path]` with the HTTP body of that path in base64
// (docs/protocol.md, "DA node HTTP API"). What comes back is checked by the
// sampler exactly as an HTTP answer is.
import { PeerChannel } from '../storage/aloft-storage.js';

function fromBase64(text) {
  if (typeof text !== 'string') throw new Error('the DA node answered without a base64 body');
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** A transport `(node, path, timeoutMs) => Promise<Uint8Array>`, one channel per node, reused. */
export function webrtcTransport() {
  const channels = new Map();
  const transport = async (node, path, timeoutMs) => {
    let channel = channels.get(node);
    if (!channel) {
      channel = new PeerChannel(node, node, { timeoutMs });
      channels.set(node, channel);
    }
    return fromBase64(await channel.call('da_get', JSON.stringify([path])));
  };
  transport.channels = channels;
  transport.close = () => { for (const c of channels.values()) c.close(); channels.clear(); };
  return transport;
}
