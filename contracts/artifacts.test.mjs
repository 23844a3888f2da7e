// The committed artifacts (what the devnet embeds) are exactly what the
// pinned solc builds from src/: a stale artifact fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile, committed, CONTRACTS } from './build.mjs';

const fresh = compile();
for (const name of CONTRACTS) {
  test(`artifacts/${name}.json matches a fresh build`, () => {
    assert.ok(committed(name).length > 0, `artifacts/${name}.json is missing`);
    assert.equal(committed(name), fresh[name], 'run `npm run build` in contracts/ and commit');
  });
}
