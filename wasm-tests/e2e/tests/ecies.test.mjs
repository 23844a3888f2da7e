// Interop of Aloft's iNFT crypto with independent implementations, no browser
// or devnet needed: `eciesjs` (npm, default configuration) opens keys sealed by
// `aloft seal` and seals keys `aloft unseal` opens; eciesjs opens the committed
// ECIES vector; Node's own AES-GCM rebuilds and opens the committed envelope
// vectors from the byte layout in docs/protocol.md ("iNFT metadata envelope").
// Needs target/release/aloft (cargo xtask build).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { PrivateKey, decrypt, encrypt } from 'eciesjs';

const ROOT = process.env.ALOFT_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ALOFT = path.join(ROOT, 'target/release/aloft');
const GOLDEN = path.join(ROOT, 'light-client/src/inft/golden');

function aloft(args, input) {
  const r = spawnSync(ALOFT, args, { input, maxBuffer: 1 << 20 });
  if (r.error) throw r.error;
  return r;
}

test('eciesjs opens a data key sealed by `aloft seal`, to compressed and uncompressed keys', () => {
  const receiver = new PrivateKey();
  for (const form of [receiver.publicKey.toBytes(true), receiver.publicKey.toBytes(false)]) {
    const dataKey = randomBytes(32);
    const r = aloft(['seal', '--to', Buffer.from(form).toString('hex')], dataKey);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(r.stdout.length, 65 + 16 + 16 + 32);
    assert.equal(r.stdout[0], 0x04, 'uncompressed ephemeral key first');
    assert.deepEqual(Buffer.from(decrypt(receiver.secret, r.stdout)), dataKey);
  }
});

test('`aloft unseal` opens a data key sealed by eciesjs, and refuses the wrong key', () => {
  const receiver = new PrivateKey();
  const dir = mkdtempSync(path.join(tmpdir(), 'aloft-ecies-'));
  const keyFile = path.join(dir, 'receiver.key');
  writeFileSync(keyFile, Buffer.from(receiver.secret).toString('hex'));
  const dataKey = randomBytes(32);
  const sealed = Buffer.from(encrypt(receiver.publicKey.toBytes(), dataKey));
  const r = aloft(['unseal', '--key', keyFile], sealed);
  assert.equal(r.status, 0, r.stderr.toString());
  assert.deepEqual(r.stdout, dataKey);

  const other = path.join(dir, 'other.key');
  writeFileSync(other, Buffer.from(new PrivateKey().secret).toString('hex'));
  const wrong = aloft(['unseal', '--key', other], sealed);
  assert.notEqual(wrong.status, 0);
  assert.equal(wrong.stdout.length, 0);
  assert.match(wrong.stderr.toString(), /sealed to a different key/);
});

test('eciesjs opens the committed ECIES vector (secret 0x42.., data key 00..1f)', () => {
  const sealed = Buffer.from(readFileSync(path.join(GOLDEN, 'sealed-key.hex'), 'utf8').trim(), 'hex');
  const secret = Buffer.alloc(32, 0x42);
  const key = Buffer.from(decrypt(secret, sealed));
  assert.deepEqual(key, Buffer.from([...Array(32).keys()]));
});

// The envelope, rebuilt from docs/protocol.md with Node's AES-GCM.
const KEY = Buffer.from([...Array(32).keys()]);
const PREFIX = Buffer.from('a0a1a2a3a4a5a6', 'hex');
const header = (log2) => Buffer.concat([
  Buffer.from('ALOFTAG'), Buffer.from([1, log2]), PREFIX,
  createHash('sha256').update(Buffer.concat([Buffer.from('aloft/inft/v1/key-commitment'), KEY])).digest(),
]);
const nonce = (i, last) => { const n = Buffer.alloc(12); PREFIX.copy(n); n.writeUInt32BE(i, 7); n[11] = last ? 1 : 0; return n; };
const manifest = (files) => {
  const parts = [Buffer.from([files.length >> 8, files.length & 0xff])];
  for (const [name, data] of files) {
    const len = Buffer.alloc(8); len.writeBigUInt64BE(BigInt(data.length));
    parts.push(Buffer.from([Buffer.byteLength(name)]), Buffer.from(name), len);
  }
  return Buffer.concat(parts);
};
function seal(files, log2) {
  const h = header(log2);
  const plain = Buffer.concat([manifest(files), ...files.map(([, d]) => d)]);
  const size = 1 << log2;
  const out = [h];
  const count = Math.max(1, Math.ceil(plain.length / size));
  for (let i = 0; i < count; i++) {
    const c = createCipheriv('aes-256-gcm', KEY, nonce(i, i === count - 1));
    c.setAAD(h);
    out.push(c.update(plain.subarray(i * size, (i + 1) * size)), c.final(), c.getAuthTag());
  }
  return Buffer.concat(out);
}
const pattern = (len, seed) => Buffer.from(Array.from({ length: len }, (_, i) => ((i * 31) + seed) & 0xff));

test('Node AES-GCM rebuilds both committed envelope vectors byte for byte', () => {
  const hello = seal([['a.txt', Buffer.from('hello')]], 10);
  assert.equal(hello.toString('hex'), readFileSync(path.join(GOLDEN, 'hello.hex'), 'utf8').trim());
  const two = seal([['agent.json', Buffer.from('{"name":"aloft","model":"demo"}')], ['memory.bin', pattern(2500, 7)]], 10);
  const want = readFileSync(path.join(GOLDEN, 'two-files.hex'), 'utf8').trim();
  assert.equal(two.length, 48 + 2 + (1 + 10 + 8) * 2 + 31 + 2500 + 3 * 16);
  assert.equal(two.toString('hex'), want);
  // And opens the last chunk only with the last flag set.
  const last = Buffer.from(want, 'hex').subarray(48 + 2 * 1040);
  const open = (flag) => {
    const d = createDecipheriv('aes-256-gcm', KEY, nonce(2, flag));
    d.setAAD(header(10));
    d.setAuthTag(last.subarray(last.length - 16));
    return Buffer.concat([d.update(last.subarray(0, last.length - 16)), d.final()]);
  };
  assert.ok(open(true).length > 0);
  assert.throws(() => open(false));
});
