// Live availability per block, for verified headers only: a HeaderClient
// (BLS-verified headers, as on the headers page) follows the chain, and
// every newly verified height is sampled with DaSampler.sampleVerified, which
// takes the DA commitments root from that verified header. The DA nodes never
// supply a root: a node whose commitment list does not hash to the header's
// root is dropped with the reason, and a block no node serves a matching list
// for is unavailable.
//
// Query parameters: `rpc` (header API, default http://127.0.0.1:26657),
// `checkpoint` (HEIGHT:0xHASH; without it block 1 as the API serves it is
// trusted on first use, for the demo only), `da` (DA listener, default
// http://127.0.0.1:8591), `nodes` (count, default 8), `target` (confidence),
// `transport` (`webrtc`: cells over WebRTC data channels, da-webrtc.js;
// default HTTP).
// Heights without blobs are counted, not listed.
import init, { DaSampler, HeaderClient } from '../pkg/aloft_light_client.js';
import { webrtcTransport } from './da-webrtc.js';

const params = new URLSearchParams(location.search);
const rpc = (params.get('rpc') ?? 'http://127.0.0.1:26657').replace(/\/$/, '');
const base = params.get('da') ?? 'http://127.0.0.1:8591';
const count = Number(params.get('nodes') ?? 8);
const nodes = Array.from({ length: count }, (_, i) => `${base}/nodes/${i}`);
const target = Number(params.get('target') ?? 0.9999);
const transport = params.get('transport') === 'webrtc' ? 'webrtc' : 'http';
const $ = (id) => document.getElementById(id);
const rows = new Map();
// For tests and the curious: what the page concluded.
const state = { transport, head: null, empty: 0, reports: new Map(), error: null };
window.aloftDa = state;

function short(hex) {
  return hex ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : '';
}

function render(report) {
  state.reports.set(report.height, report);
  let row = rows.get(report.height);
  if (report.blobs === 0 && report.availability.status === 'available') {
    // A height without blobs: nothing to sample beyond its (empty) list.
    if (row) { row.remove(); rows.delete(report.height); }
    return;
  }
  if (!row) {
    row = document.createElement('tr');
    row.dataset.height = report.height;
    rows.set(report.height, row);
    const body = $('blocks').tBodies[0];
    const after = [...body.rows].find((r) => Number(r.dataset.height) < report.height);
    body.insertBefore(row, after ?? null);
  }
  const status = report.availability.status;
  row.dataset.status = status;
  row.className = status === 'available' ? 'ok' : status === 'unavailable' ? 'bad' : 'muted';
  row.innerHTML = '';
  const cells = [
    report.height,
    status + (report.availability.reason ? ` (${report.availability.reason})` : ''),
    `${(report.confidence * 100).toFixed(4)}%`,
    `${report.samples_verified}/${report.samples_total}`,
    report.blobs ?? '…',
    report.bytes_fetched.toLocaleString(),
    short(report.root),
  ];
  for (const c of cells) { const td = document.createElement('td'); td.textContent = c; row.append(td); }
  row.lastChild.className = 'mono';
  row.lastChild.title = report.root;
}

// `peers` is the sampler's standing list: from an event while it samples
// (a listener cannot call back into a busy sampler), else from peers().
function renderPeers(peers) {
  const list = $('peers');
  list.innerHTML = '';
  for (const p of peers) {
    const li = document.createElement('li');
    li.textContent = `${p.peer}: score ${p.score}${p.dropped ? ` — dropped: ${p.dropped}` : ''}`;
    li.className = p.dropped ? 'bad' : 'ok';
    list.append(li);
  }
}

function renderHead(head) {
  state.head = head;
  $('head').textContent = `${head.height} · ${short(head.hash)} · ${head.signers} of ${head.validators} validators signed`;
  $('empty').textContent = state.empty;
}

async function headerClient() {
  let checkpoint = params.get('checkpoint');
  if (!checkpoint) {
    const res = await fetch(`${rpc}/header/1`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`the header API did not serve header 1: HTTP ${res.status}`);
    checkpoint = `1:${(await res.json()).hash}`;
  }
  $('checkpoint').textContent = checkpoint + (params.get('checkpoint') ? '' : ' (block 1, trusted on first use)');
  return HeaderClient.create({ rpc, checkpoint, storageKey: `aloft-da-page ${rpc} ${checkpoint}` });
}

async function run() {
  await init();
  $('nodes').textContent = `${nodes.join(', ')} (over ${transport === 'webrtc' ? 'WebRTC data channels' : 'HTTP'})`;
  const client = await headerClient();
  const options = { nodes, targetConfidence: target, db: 'aloft-da-page' };
  if (transport === 'webrtc') options.transport = webrtcTransport();
  const sampler = await DaSampler.open(options);
  for (const r of sampler.blocks()) render(r);
  sampler.subscribe((e) => {
    if (e.event === 'block') render(e);
    renderPeers(e.peers);
  });
  renderPeers(sampler.peers());
  $('status').textContent = 'following verified headers';
  $('status').className = 'ok';
  let last = sampler.blocks().reduce((m, r) => Math.max(m, r.height), 0);
  for (;;) {
    let head;
    try {
      head = await client.syncToHead();
    } catch (e) {
      // An unverifiable header stops sampling: nothing is claimed for it.
      $('status').textContent = `header rejected, not sampling: ${e.message}`;
      $('status').className = 'bad';
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    renderHead(head);
    if (head.height > last) {
      // Every newly verified height in order (at most the last 16 after a long pause).
      for (let height = Math.max(last + 1, head.height - 15, 1); height <= head.height; height++) {
        const report = await sampler.sampleVerified(client, height);
        if (report.blobs === 0) state.empty += 1;
      }
      last = head.height;
      renderHead(head);
      renderPeers(sampler.peers());
      $('status').textContent = 'following verified headers';
      $('status').className = 'ok';
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

run().catch((e) => {
  state.error = String(e?.message ?? e);
  $('status').textContent = `error: ${state.error}`;
  $('status').className = 'bad';
});
