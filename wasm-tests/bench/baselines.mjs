// The browser baselines of `cargo xtask bench`, bundled by esbuild into one
// ES module for the bench page: what a web app would otherwise embed.
// Each entry: name → async init(fixtures) returning { op: () => void }.
// Every op checks its own answer and throws on a wrong one.
import { bls12_381 } from '@noble/curves/bls12-381.js';
import chainsafe from '@chainsafe/bls/herumi';
import { loadKZG } from 'kzg-wasm';
// The SDK's file module (its package exports only the whole SDK, whose KV
// part needs Node's crypto at load time; the file root code is the same).
import { Blob as ZgBlob } from './node_modules/@0glabs/0g-ts-sdk/lib.esm/file/Blob.js';

const DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const unhex = (h) => Uint8Array.from(h.match(/../g).map((b) => parseInt(b, 16)));
const must = (ok, what) => { if (!ok) throw new Error(`${what} did not verify`); };

function noble(fx) {
  const b = bls12_381.longSignatures;
  const keys = fx.keys.map((k) => b.PublicKey ? b.PublicKey.fromBytes(unhex(k)) : bls12_381.G1.Point.fromBytes(unhex(k)));
  const msg = unhex(fx.message);
  const sig = (h) => b.Signature.fromBytes(unhex(h));
  const [s1, s150, s512] = [sig(fx.sig1), sig(fx.sig150), sig(fx.sig512)];
  // fast_aggregate_verify = aggregate the keys, hash the message, one verify.
  const fav = (n, s) => () => must(b.verify(s, b.hash(msg, DST), b.aggregatePublicKeys(keys.slice(0, n))), 'noble fav');
  return {
    bls_verify: () => must(b.verify(s1, b.hash(msg, DST), keys[0]), 'noble verify'),
    bls_fav_150: fav(150, s150),
    bls_fav_512: fav(512, s512),
  };
}

function herumi(fx) {
  const { PublicKey, Signature } = chainsafe;
  const keys = fx.keys.map((k) => PublicKey.fromBytes(unhex(k)));
  const msg = unhex(fx.message);
  const sig = (h) => Signature.fromBytes(unhex(h), undefined, true);
  const [s1, s150, s512] = [sig(fx.sig1), sig(fx.sig150), sig(fx.sig512)];
  return {
    bls_verify: () => must(s1.verify(keys[0], msg), 'herumi verify'),
    bls_fav_150: () => must(s150.verifyAggregate(keys.slice(0, 150), msg), 'herumi fav'),
    bls_fav_512: () => must(s512.verifyAggregate(keys, msg), 'herumi fav'),
  };
}

async function kzgWasm(fx) {
  const kzg = await loadKZG();
  const x = (h) => '0x' + h;
  const com128 = Array(128).fill(x(fx.commitments[0]));
  const idx128 = [...Array(128).keys()];
  const cells128 = fx.blob0_cells.map(x);
  const proofs128 = fx.blob0_proofs.map(x);
  const com16 = fx.commitments.flatMap((c) => Array(16).fill(x(c)));
  const idx16 = fx.commitments.flatMap(() => fx.indices16);
  const cells16 = fx.cells16.map(x);
  const proofs16 = fx.proofs16.map(x);
  const blob = x(fx.blob0);
  const even = [...Array(64).keys()].map((i) => 2 * i);
  const half = even.map((i) => cells128[i]);
  const same = (a, b, what) => must(a.toLowerCase() === b.toLowerCase(), what);
  return {
    kzg_verify_128x1: () => must(kzg.verifyCellKzgProofBatch(com128, idx128, cells128, proofs128), 'kzg-wasm 128'),
    kzg_verify_16x32: () => must(kzg.verifyCellKzgProofBatch(com16, idx16, cells16, proofs16), 'kzg-wasm 16x32'),
    kzg_compute_cells: () => { const [cells] = kzg.computeCellsAndProofs(blob); same(cells[5], cells128[5], 'kzg-wasm cells'); },
    kzg_recover_50pct: () => { const [cells] = kzg.recoverCellsAndProofs(even, half); same(cells[7], cells128[7], 'kzg-wasm recover'); },
  };
}

/** The official 0G SDK's file root of `file` (a DOM Blob/File). */
export async function zgRoot(file) {
  const [tree, err] = await new ZgBlob(file).merkleTree();
  if (err) throw err;
  return tree.rootHash();
}

export const baselines = { noble, 'chainsafe-herumi': herumi, 'kzg-wasm': kzgWasm };
