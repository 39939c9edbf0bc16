import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smirnovSf } from '../../src/stats/kolmogorov.js';
import { logGamma } from '../../src/stats/special-functions.js';

/** The Birnbaum–Tingey sum over every term (no early stop): the oracle. */
function smirnovSfFull(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const jmax = Math.floor(n * (1 - d) + 1e-12);
  let sum = 0;
  for (let j = 0; j <= jmax; j++) {
    const a = 1 - d - j / n;
    const b = d + j / n;
    if (a <= 0 && n - j > 0) continue;
    sum += Math.exp(
      logGamma(n + 1) -
        logGamma(j + 1) -
        logGamma(n - j + 1) +
        (n - j) * Math.log(a) +
        (j - 1) * Math.log(b),
    );
  }
  return Math.min(1, Math.max(0, d * sum));
}

describe('smirnovSf early stop', () => {
  it('equals the full Birnbaum–Tingey sum (relative 1e-14)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.double({ min: 1e-4, max: 0.9999, noNaN: true }),
        (n, d) => {
          const got = smirnovSf(n, d);
          const want = smirnovSfFull(n, d);
          expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-14 * Math.max(want, 1e-300));
        },
      ),
      { numRuns: 300 },
    );
  });
});
