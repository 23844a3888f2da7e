// `node serve.mjs DIR HOST:PORT`: serves a directory (used by `cargo xtask demo`).
import { serveStatic } from './lib/harness.mjs';

const [dir, listen = '127.0.0.1:8080'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node serve.mjs DIR [HOST:PORT]');
  process.exit(2);
}
const [host, port] = listen.split(':');
const site = await serveStatic(dir, { host, port: Number(port) });
console.log(`serving ${dir} on ${site.url}`);
