// End-to-end wallet journeys (lib/wallet.mjs), one test per step, in order,
// against one devnet, site and browser. A step that needs something the
// devnet does not offer yet (the transaction journey needs the EVM branch's
// eth_sendRawTransaction) is skipped with the reason, never passed.
import { after, before, test } from 'node:test';
import { startWorld } from '../lib/harness.mjs';
import { walletSteps } from '../lib/wallet.mjs';
import { walletViewSteps } from '../lib/wallet-views.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.stop(); });

for (const step of [...walletSteps, ...walletViewSteps]) {
  test(step.name, { timeout: step.timeout ?? 60_000 }, async (t) => {
    if (step.available && !(await step.available(world))) {
      t.skip(`needs ${step.requires}`);
      return;
    }
    await step.run(world);
  });
}
