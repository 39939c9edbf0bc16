/**
 * False alarms and power of `new DriftDetector(reference, { threshold: 0.05 })`
 * by reference size: 200 trials per cell, current sample the size of the
 * reference, normal data. Rows: the call as it is now ('auto' = KS at level
 * 0.05 with the normed-Wasserstein floor 0.1), the bare KS (`minEffect: 0`),
 * and the former 'auto' rule (normed Wasserstein ≥ 0.05 above 1000 rows) for
 * comparison. Figures go to docs/drift.md.
 *
 *   node --import tsx bench/drift-levels.ts [--trials 200] [--sizes 200,1000,1001,5000,50000]
 */
import { createEngine } from '../src/engine/client.js';
import { DriftDetector } from '../src/drift/drift-detector.js';
import type { DriftOptions } from '../src/stats/drift/types.js';
import { PyRandom } from '../src/stats/random.js';
import { arg } from './support/args.js';

const trials = Number(arg('trials', '200'));
const sizes = arg('sizes', '200,1000,1001,5000,50000').split(',').map(Number);

const rng = new PyRandom(20261207);
/** n normal draws (Box–Muller on the seeded generator). */
function normal(n: number, mean = 0, sd = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.random()));
    out[i] = mean + sd * r * Math.cos(2 * Math.PI * rng.random());
  }
  return out;
}

const configs: [string, (n: number) => DriftOptions][] = [
  ['{ threshold: 0.05 } (auto: KS + floor 0.1)', () => ({ threshold: 0.05 })],
  ['KS alone (minEffect: 0)', () => ({ threshold: 0.05, minEffect: 0 })],
  [
    'former auto (normed W1 ≥ 0.05 above 1000 rows)',
    (n) =>
      n > 1000 ? { method: 'wasserstein', threshold: 0.05 } : { threshold: 0.05, minEffect: 0 },
  ],
];
const scenarios: [string, (n: number) => Float64Array][] = [
  ['false alarms (same distribution)', (n) => normal(n)],
  ['power, mean shift 0.2σ', (n) => normal(n, 0.2)],
  ['power, scale 1.3×', (n) => normal(n, 0, 1.3)],
  ['alarms on a harmless shift of 0.03σ', (n) => normal(n, 0.03)],
];

const engine = await createEngine({ mode: 'reference' });
const pct = (k: number) => `${((100 * k) / trials).toFixed(1)} %`;
console.log(`${trials} trials per cell; current size = reference size; α = 0.05`);
console.log('every call sees the same reference and current samples (paired)\n');
for (const [scenario, draw] of scenarios) {
  // hits[config][size]
  const hits = configs.map(() => sizes.map(() => 0));
  for (const [s, n] of sizes.entries()) {
    for (let t = 0; t < trials; t++) {
      const ref = normal(n);
      const cur = draw(n);
      for (const [c, [, options]] of configs.entries()) {
        const d = new DriftDetector(ref, { engine, ...options(n) });
        if ((await d.detect(cur)).isDrift) (hits[c] as number[])[s]!++;
        await d.dispose();
      }
    }
  }
  console.log(`#### ${scenario}\n`);
  console.log(`| call | ${sizes.map((n) => n.toLocaleString('en')).join(' | ')} |`);
  console.log(`| --- | ${sizes.map(() => '---:').join(' | ')} |`);
  configs.forEach(([name], c) => {
    console.log(`| ${name} | ${(hits[c] as number[]).map(pct).join(' | ')} |`);
  });
  console.log('');
}
engine.close();
