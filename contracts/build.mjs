// Compiles src/*.sol with the pinned solc (package-lock.json) and writes
// artifacts/<Contract>.json (ABI + creation bytecode), which the devnet embeds.
//   node build.mjs          rebuild the artifacts
//   node build.mjs --check  rebuild in memory and fail if the committed artifacts differ
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');
const here = path.dirname(fileURLToPath(import.meta.url));
const CONTRACTS = ['AgentVerifier', 'AgentNFT', 'Flow'];

/** Compiles the sources; returns { name: artifact text } for each contract. */
export function compile() {
const sources = {};
for (const file of fs.readdirSync(path.join(here, 'src')).sort()) {
  if (file.endsWith('.sol')) sources[`src/${file}`] = { content: fs.readFileSync(path.join(here, 'src', file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'prague',
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
function findImports(p) {
  const file = path.join(here, 'node_modules', p);
  if (!p.startsWith('@openzeppelin/') || !fs.existsSync(file)) return { error: `import not found: ${p}` };
  return { contents: fs.readFileSync(file, 'utf8') };
}
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
const artifacts = {};
for (const name of CONTRACTS) {
  const [, compiled] = Object.entries(output.contracts).flatMap(([, cs]) => Object.entries(cs)).find(([n]) => n === name) || [];
  if (!compiled) throw new Error(`solc produced no ${name}`);
  const artifact = JSON.stringify(
    { contractName: name, solc: solc.version(), abi: compiled.abi, bytecode: `0x${compiled.evm.bytecode.object}` },
    null,
    1,
  ) + '\n';
  artifacts[name] = artifact;
}
return artifacts;
}

/** The committed artifact of `name` ('' if missing). */
export function committed(name) {
  const file = path.join(here, 'artifacts', `${name}.json`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

export { CONTRACTS };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
const check = process.argv.includes('--check');
const artifacts = compile();
let stale = 0;
fs.mkdirSync(path.join(here, 'artifacts'), { recursive: true });
for (const name of CONTRACTS) {
  const artifact = artifacts[name];
  const file = path.join(here, 'artifacts', `${name}.json`);
  if (check) {
    if (committed(name) !== artifact) {
      console.error(`artifacts/${name}.json does not match a fresh build: run \`npm run build\` in contracts/ and commit`);
      stale++;
    }
  } else {
    fs.writeFileSync(file, artifact);
  }
}
if (stale) process.exit(1);
console.log(check ? `contracts: ${CONTRACTS.length} artifacts match solc ${solc.version()}` : `contracts: wrote ${CONTRACTS.length} artifacts`);
}
