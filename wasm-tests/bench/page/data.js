// The bench file's bytes: the same generator as `aloft_light_client::bench::fill`
// (xorshift32 of the 4-byte word index ^ 0x9e3779b9, little-endian words).
export function benchFile(size) {
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let w = 0; w < words.length; w++) {
    let x = (w ^ 0x9e3779b9) >>> 0;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    words[w] = x;
  }
  return new Uint8Array(words.buffer, 0, size);
}
