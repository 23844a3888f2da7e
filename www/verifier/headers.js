// Drives the live header page: one HeaderClient (Rust in WASM) follows the
// devnet's header API and the page shows what it verified and rejected.
//
// Query parameters: rpc (default http://127.0.0.1:26657), witness (default
// rpc + /witness, "none" to disable), checkpoint (HEIGHT:0xHASH), storageKey.
// Without a checkpoint the page takes block 1 as the source serves it —
// trust on first use, for the demo only; a real app ships its checkpoint.
import init, { HeaderClient } from '../pkg/aloft_light_client.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const rpc = (params.get('rpc') ?? 'http://127.0.0.1:26657').replace(/\/$/, '');
const witnessParam = params.get('witness');
const witness = witnessParam === 'none' ? undefined : (witnessParam ?? `${rpc}/witness`);
const state = { client: null, events: [], ready: false, synced: false, error: null, target: 0 };
window.aloftHeaders = state;

function setStatus(text, cls = 'muted') {
  $('status').textContent = text;
  $('status').className = cls;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const [text, cls] of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.append(td);
  }
  return tr;
}

function render() {
  const { client } = state;
  if (!client) return;
  const s = client.state();
  const h = s.head;
  $('head-height').textContent = h.height;
  $('head-time').textContent = new Date(h.header.time).toISOString();
  $('head-hash').textContent = h.hash;
  $('head-state').textContent = h.header.state_root;
  $('head-da').textContent = h.header.da_root;
  $('head-signers').textContent = `${h.signers} of ${h.validators} validators`;
  $('head-proposer').textContent = h.header.proposer;
  $('checkpoint').textContent = s.checkpoint + (s.resumed ? ' (resumed from IndexedDB)' : '');
  const target = Math.max(state.target, h.height);
  $('progress').max = target;
  $('progress').value = h.height;
  $('progress-text').textContent = `verified ${h.height} of ${target} · ${s.commitsVerified} commit checks this session`;
  $('validators').replaceChildren(...client.validators().map((v, i) => row([[i], [v.address, 'mono'], [v.power]])));
  const rejections = client.rejections();
  $('no-rejections').hidden = rejections.length > 0;
  $('rejections').replaceChildren(
    ...rejections.slice(-50).reverse().map((r) => row([[r.height], [r.source], [`${r.kind}: ${r.reason}`]]))
  );
  const evidence = client.evidence();
  $('no-evidence').hidden = evidence.length > 0;
  $('export').disabled = evidence.length === 0;
  $('evidence').replaceChildren(
    ...evidence.map((e) => {
      const li = document.createElement('li');
      li.textContent = `height ${e.height}: primary ${e.primary.hash} vs witness ${e.witness.hash} (both verify from height ${e.common_height})`;
      return li;
    })
  );
}

state.exportEvidence = () => JSON.stringify(state.client?.evidence() ?? [], null, 2);
$('export').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([state.exportEvidence()], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: 'aloft-evidence.json' });
  a.click();
  URL.revokeObjectURL(url);
});

async function start() {
  await init();
  let checkpoint = params.get('checkpoint');
  if (!checkpoint) {
    const first = await (await fetch(`${rpc}/header/1`)).json();
    checkpoint = `1:${first.hash}`;
  }
  state.client = await HeaderClient.create({ rpc, witness, checkpoint, storageKey: params.get('storageKey') ?? undefined });
  const initial = state.client.state();
  state.resumedAt = initial.resumed ? initial.head.height : null;
  state.ready = true;
  render();
  setStatus('syncing…');
  try {
    await state.client.syncToHead();
    setStatus('in sync; following new heads', 'ok');
  } catch (e) {
    setStatus(`rejected: ${e.message}`, 'bad');
  }
  state.initialSync = { commitsVerified: state.client.state().commitsVerified, head: state.client.state().head.height };
  state.synced = true;
  render();
  state.client.subscribe((event) => {
    state.events.push(event);
    if (event.type === 'progress') state.target = event.target;
    if (event.type === 'head') setStatus('in sync; following new heads', 'ok');
    if (event.type === 'rejected') setStatus(`rejected header ${event.rejection.height}: ${event.rejection.reason}`, 'bad');
    if (event.type === 'evidence') setStatus(`fork detected at height ${event.evidence.height}: evidence kept`, 'bad');
    if (event.type === 'error') setStatus(event.message, 'bad');
    render();
  });
}

start().catch((e) => {
  state.error = String(e?.message ?? e);
  setStatus(`cannot start: ${state.error}`, 'bad');
});
