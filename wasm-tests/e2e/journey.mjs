// The scripted user journey of `cargo xtask demo --headless`: runs every step
// of lib/journeys.mjs against a fresh devnet, site and browser, and prints
// one JSON line: {"ok", "steps":[{"name","ok","ms","error"?}], "total_ms"}.
// Exits 0 only when every step succeeded.
import { startWorld } from './lib/harness.mjs';
import { steps } from './lib/journeys.mjs';

const started = performance.now();
const report = { ok: false, steps: [], total_ms: 0 };
let world;
try {
  const t = performance.now();
  world = await startWorld();
  report.steps.push({ name: 'start devnet, site and browser with the extension', ok: true, ms: Math.round(performance.now() - t) });
  for (const step of steps) {
    const t0 = performance.now();
    try {
      await step.run(world);
      report.steps.push({ name: step.name, ok: true, ms: Math.round(performance.now() - t0) });
    } catch (e) {
      report.steps.push({ name: step.name, ok: false, ms: Math.round(performance.now() - t0), error: String(e?.message ?? e) });
    }
  }
} catch (e) {
  report.steps.push({ name: 'start devnet, site and browser with the extension', ok: false, error: String(e?.message ?? e) });
} finally {
  await world?.stop();
}
report.ok = report.steps.length > 1 && report.steps.every((s) => s.ok);
report.total_ms = Math.round(performance.now() - started);
console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
