// End-to-end: the packaged extension in headless Chromium against the devnet.
// Each journey step (lib/journeys.mjs) is one test.
import { after, before, test } from 'node:test';
import { startWorld } from '../lib/harness.mjs';
import { steps } from '../lib/journeys.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.stop(); });

for (const step of steps) {
  test(step.name, { timeout: 60_000 }, async () => { await step.run(world); });
}
