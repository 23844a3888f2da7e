// The storage page: wires aloft-storage.js to a file input, a progress bar and
// a download link, and exposes the same objects as `window.aloftStorage` for
// the end-to-end tests (wasm-tests/e2e/tests/storage.test.mjs).
import init, * as wasm from '../pkg/aloft_light_client.js';
import { OpfsFileSink, StorageNetwork, findWallet, flowAddress, formatProgress, walletSubmitter } from './aloft-storage.js';

const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);
const control = query.get('control') ?? 'http://127.0.0.1:8590';
const rpc = query.get('rpc') ?? 'http://127.0.0.1:8545';
$('control').textContent = control;

/** Flow.submit through the user's wallet (EIP-6963 / window.ethereum), found
 * when the first upload needs it so the page works for downloads without one. */
function submitter(flow) {
  let inner = null;
  return async (tree, options) => {
    $('status').textContent = 'asking your wallet to sign Flow.submit…';
    inner ??= walletSubmitter({ provider: await findWallet(), flow });
    const submitted = await inner(tree, options);
    $('submitted').textContent = `${submitted.tx} (block ${submitted.block})`;
    return submitted;
  };
}

/** A sink writing into a file of the origin-private file system (from a worker, flat memory). */
const opfsSink = (name) => OpfsFileSink.open(name);

async function main() {
  await init();
  const flow = await flowAddress(rpc);
  const network = await StorageNetwork.fromDevnet(control, wasm, { submitter: submitter(flow) });
  $('peers').textContent = `${network.channels.length}`;
  window.aloftStorage = { wasm, network, StorageNetwork, OpfsFileSink, opfsSink, control, rpc, flow, submitter, ready: true };
  let abort = null;
  $('upload').disabled = false;
  $('download').disabled = false;
  $('upload').onclick = async () => {
    const file = $('file').files[0];
    if (!file) return;
    abort = new AbortController();
    $('cancel').disabled = false;
    $('status').textContent = 'hashing…';
    try {
      const result = await network.upload(file, {
        signal: abort.signal,
        onProgress: (p) => { $('bar').value = p.done / p.total; $('status').textContent = formatProgress(p); },
      });
      $('root').textContent = result.root;
      $('want').value = result.root;
      $('status').textContent += ' · done';
    } catch (e) {
      $('status').textContent = e.name === 'AbortError' ? 'cancelled (upload again to resume)' : `failed: ${e.message}`;
    } finally {
      $('cancel').disabled = true;
    }
  };
  $('cancel').onclick = () => abort?.abort();
  $('download').onclick = async () => {
    const root = $('want').value.trim();
    try {
      const sink = await opfsSink(`download-${root.slice(2, 10)}`);
      let result;
      try {
        result = await network.download(root, sink, { onProgress: (p) => { $('dstatus').textContent = formatProgress(p); } });
      } finally {
        await sink.close();
      }
      const url = URL.createObjectURL(await sink.file());
      $('link').innerHTML = '';
      const a = document.createElement('a');
      a.href = url;
      a.download = `${root}.bin`;
      a.textContent = `save ${result.length} bytes (verified)`;
      $('link').append(a);
    } catch (e) {
      $('dstatus').textContent = `failed: ${e.message}`;
    }
  };
}

main().catch((e) => {
  $('status').textContent = `cannot start: ${e.message}`;
  window.aloftStorage = { error: e.message };
});
