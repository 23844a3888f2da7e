// Data-availability sampling in the service worker, for the status view:
// the verifier package's DaSampler samples the DA block of each verified head
// the view sees, against the DA root in that BLS-verified header
// (`sampleVerified`: no DA node and no caller supplies the root), and keeps
// a report per block (availability, confidence, samples) and a score per DA
// node. Only the devnet (chain 31337) lists its DA nodes today.
//
// Sampling runs in the background, one block at a time (the sampler is not
// re-entrant): a status request starts it and returns what is known, so the
// balance and the status never wait for it.

import * as wasm from './pkg/aloft_light_client.js';

const DA_NODES = { '0x7a69': Array.from({ length: 8 }, (_, i) => `http://127.0.0.1:8591/nodes/${i}`) };
const KEEP = 12;
const samplers = new Map();

function refresh(entry) {
  try {
    entry.blocks = entry.sampler.blocks().slice(-KEEP);
    entry.peers = entry.sampler.peers();
  } catch { /* a read while sampling runs is refused; keep the last one */ }
}

function samplerFor(chainId) {
  const nodes = DA_NODES[chainId];
  if (!nodes) return null;
  if (!samplers.has(chainId)) {
    const entry = { nodes, busy: false, error: null, sampler: null, blocks: [], peers: [] };
    entry.opening = wasm.DaSampler.open({ nodes, blockDeadlineMs: 10_000 }).then(
      (s) => { entry.sampler = s; refresh(entry); },
      (e) => { entry.error = `the DA sampler did not open: ${e?.message ?? e}`; }
    );
    samplers.set(chainId, entry);
  }
  return samplers.get(chainId);
}

/** Starts sampling `height` (a verified head of `client`) if nothing is running. */
function sampleInBackground(entry, client, height) {
  if (entry.busy || !entry.sampler) return;
  if (entry.blocks.some((b) => b.height === height)) return;
  entry.busy = true;
  entry.sampler
    .sampleVerified(client, height)
    .then(() => { entry.error = null; }, (e) => { entry.error = `block ${height}: ${e?.message ?? e}`; })
    .finally(() => { entry.busy = false; refresh(entry); });
}

/**
 * What DA sampling knows for this chain (`null` where no DA nodes are known):
 * the nodes, the reports of the latest blocks sampled (oldest first), each
 * node's standing, whether a block is being sampled, the last error; and
 * sampling of `height` started.
 */
export async function daStatus(chainId, client, height) {
  const entry = samplerFor(chainId);
  if (!entry) return null;
  await entry.opening;
  sampleInBackground(entry, client, height);
  return { nodes: entry.nodes, blocks: entry.blocks, peers: entry.peers, sampling: entry.busy, error: entry.error };
}
