// Live availability per block: follows the DA nodes' head, samples each new
// height with DaSampler (light-client/src/wasm_da.rs), shows every report as
// it changes. Query parameters: `da` (DA listener, default
// http://127.0.0.1:8591), `nodes` (count, default 8), `target` (confidence).
import init, { DaSampler } from '../pkg/aloft_light_client.js';

const params = new URLSearchParams(location.search);
const base = params.get('da') ?? 'http://127.0.0.1:8591';
const count = Number(params.get('nodes') ?? 8);
const nodes = Array.from({ length: count }, (_, i) => `${base}/nodes/${i}`);
const target = Number(params.get('target') ?? 0.9999);
const $ = (id) => document.getElementById(id);
const rows = new Map();

function render(report) {
  let row = rows.get(report.height);
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
  ];
  for (const c of cells) { const td = document.createElement('td'); td.textContent = c; row.append(td); }
}

function renderPeers(sampler) {
  const list = $('peers');
  list.innerHTML = '';
  for (const p of sampler.peers()) {
    const li = document.createElement('li');
    li.textContent = `${p.peer}: score ${p.score}${p.dropped ? ` — dropped: ${p.dropped}` : ''}`;
    li.className = p.dropped ? 'bad' : 'ok';
    list.append(li);
  }
}

async function head() {
  for (const n of nodes) {
    try {
      const res = await fetch(`${n}/da/v1/head`, { signal: AbortSignal.timeout(2000), cache: 'no-store' });
      if (res.ok) return await res.json();
    } catch { /* try the next node */ }
  }
  return null;
}

try {
  await init();
  $('nodes').textContent = nodes.join(', ');
  const sampler = await DaSampler.open({ nodes, targetConfidence: target, db: 'aloft-da-page' });
  for (const r of sampler.blocks()) render(r);
  sampler.subscribe((e) => { if (e.event === 'block') render(e); else renderPeers(sampler); });
  renderPeers(sampler);
  $('status').textContent = 'following the head';
  $('status').className = 'ok';
  let last = sampler.blocks().reduce((m, r) => Math.max(m, r.height), 0);
  for (;;) {
    const h = await head();
    if (h && h.height > last) {
      // Sample every new height in order (at most the last 16 after a long pause).
      for (let height = Math.max(last + 1, h.height - 15); height <= h.height; height++) {
        const block = height === h.height ? h : await fetch(`${nodes[0]}/da/v1/blocks/${height}`).then((r) => r.ok ? r.json() : null).catch(() => null);
        if (block) await sampler.sampleHeight(height, block.root);
      }
      last = h.height;
      renderPeers(sampler);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
} catch (e) {
  $('status').textContent = `error: ${e.message}`;
  $('status').className = 'bad';
}
