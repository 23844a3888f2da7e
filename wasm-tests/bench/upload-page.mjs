// The page of the WebRTC rows (run.mjs's system phase and webrtc.mjs): Aloft's
// upload (aloft-storage.js, `frames` 'binary' or 'json') against a plain blast
// of the same bytes to the same six peers. `seed` varies the file, so rounds
// upload new roots. Served beside pkg/, aloft-storage.js and data.js.
export const UPLOAD_PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import init, * as wasm from './pkg/aloft_light_client.js';
import { StorageNetwork, PeerChannel } from './aloft-storage.js';
import { benchFile } from './data.js';
await init();
const MSG = 64 * 1024, HIGH = 4 << 20, LOW = 1 << 20;
window.runUpload = async (control, size, frames = 'binary', seed = 0) => {
  // No wallet in the bench browser: the devnet's registry takes the submission
  // (the www page and the CLI sign Flow.submit instead).
  const submitter = async (tree) => {
    const res = await fetch(control + '/storage/submissions', { method: 'POST', body: tree.submissionJson() });
    if (!res.ok) throw new Error('submission refused: ' + await res.text());
    return res.json();
  };
  const net = await StorageNetwork.fromDevnet(control, wasm, { submitter, frames });
  await net.connect();
  const bytes = benchFile(size);
  if (seed) new DataView(bytes.buffer).setUint32(0, seed);
  const blob = new Blob([bytes]);
  const t0 = performance.now();
  const r = await net.upload(blob);
  const ms = performance.now() - t0;
  net.close();
  return { ms, root: r.root, segments: r.segments };
};
window.runBlast = async (control, size) => {
  const peers = await (await fetch(control + '/storage/peers')).json();
  const chans = peers.map((u, i) => new PeerChannel(u, i, { timeoutMs: 120000 }));
  await Promise.all(chans.map((c) => c.connect()));
  const data = benchFile(size);
  const t0 = performance.now();
  let k = 0;
  for (let off = 0; off < size; off += MSG, k++) {
    const dc = chans[k % chans.length].dc;
    while (dc.bufferedAmount > HIGH) await new Promise((r) => { dc.onbufferedamountlow = r; dc.bufferedAmountLowThreshold = LOW; });
    dc.send(data.subarray(off, Math.min(size, off + MSG)));
  }
  // Ordered channels: an answer to a call sent last means every byte before it arrived.
  await Promise.all(chans.map((c) => c.call('zgs_getStatus', '[]')));
  const ms = performance.now() - t0;
  chans.forEach((c) => c.close());
  return { ms };
};
window.uploadReady = true;
</script>`;
