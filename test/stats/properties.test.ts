/**
 * fast-check properties of the statistics: symmetry, bounds, identity,
 * invariances, agreement of the TypeScript merge walks with the engine kernels
 * (reference and WASM) and with brute force, and inputs never mutated.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import {
  energyDistanceSorted,
  ksStatisticSorted,
  wasserstein1Sorted,
} from '../../src/stats/ecdf-distances.js';
import { ksExactPValue } from '../../src/stats/ks-exact.js';
import { ksPValue } from '../../src/stats/ks-test.js';
import {
  hellingerFromCounts,
  jensenShannonFromCounts,
  psiFromCounts,
  totalVariationFromCounts,
} from '../../src/stats/divergences.js';
import { contingencyTest, fisherExact } from '../../src/stats/categorical-tests.js';
import { andersonDarlingSorted } from '../../src/stats/anderson-darling.js';
import { cramerVonMisesSorted } from '../../src/stats/cramer-von-mises.js';
import { eppsSingletonSorted } from '../../src/stats/epps-singleton.js';
import { ks2Sample, psi as psiPlain, wasserstein1 } from '../../src/stats/two-sample.js';

const sample = fc.array(
  fc.integer({ min: -50, max: 50 }).map((v) => v / 4),
  { minLength: 1, maxLength: 40 },
);
const sorted = (x: number[]) => Float64Array.from(x).sort();
const counts = fc.array(fc.nat({ max: 50 }), { minLength: 2, maxLength: 8 });

/** Brute-force W1: integrate |F_a − F_b| over the pooled grid. */
function bruteW1(a: number[], b: number[]): number {
  const grid = [...new Set([...a, ...b])].sort((x, y) => x - y);
  let s = 0;
  for (let i = 0; i + 1 < grid.length; i++) {
    const x = grid[i]!;
    const fa = a.filter((v) => v <= x).length / a.length;
    const fb = b.filter((v) => v <= x).length / b.length;
    s += Math.abs(fa - fb) * (grid[i + 1]! - x);
  }
  return s;
}

/** Brute-force exact KS p-value by enumerating all splits of the pooled sample (tiny sizes). */
function bruteKsP(n1: number, n2: number, d: number): number {
  const n = n1 + n2;
  let total = 0;
  let hits = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let ones = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) ones++;
    if (ones !== n1) continue;
    total++;
    let i1 = 0;
    let i2 = 0;
    let dd = 0;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) i1++;
      else i2++;
      dd = Math.max(dd, Math.abs(i1 / n1 - i2 / n2));
    }
    if (dd >= d - 1e-12) hits++;
  }
  return hits / total;
}

describe('ECDF distances', () => {
  it('KS: symmetric, in [0, 1], 0 on identical samples, invariant under monotone maps', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const d = ksStatisticSorted(sorted(a), sorted(b));
        expect(d).toBe(ksStatisticSorted(sorted(b), sorted(a)));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(ksStatisticSorted(sorted(a), sorted(a))).toBe(0);
        const f = (v: number) => Math.exp(v / 3) * 2 + 1;
        expect(ksStatisticSorted(sorted(a.map(f)), sorted(b.map(f)))).toBe(d);
      }),
    );
  });
  it('W1 equals brute force, is symmetric, translation gives |c|, scales with |k|', () => {
    fc.assert(
      fc.property(sample, sample, fc.integer({ min: -20, max: 20 }), (a, b, c) => {
        const w = wasserstein1Sorted(sorted(a), sorted(b));
        expect(w).toBeCloseTo(bruteW1(a, b), 9);
        expect(w).toBeCloseTo(wasserstein1Sorted(sorted(b), sorted(a)), 12);
        expect(wasserstein1Sorted(sorted(a), sorted(a.map((v) => v + c)))).toBeCloseTo(
          Math.abs(c),
          9,
        );
        expect(
          wasserstein1Sorted(sorted(a.map((v) => -3 * v)), sorted(b.map((v) => -3 * v))),
        ).toBeCloseTo(3 * w, 9);
      }),
    );
  });
  it('energy distance is symmetric, ≥ 0 and 0 on identical samples', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const e = energyDistanceSorted(sorted(a), sorted(b));
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeCloseTo(energyDistanceSorted(sorted(b), sorted(a)), 12);
        expect(energyDistanceSorted(sorted(a), sorted(a))).toBe(0);
      }),
    );
  });
  it('agrees with the reference and WASM kernels', async () => {
    const kernels = [createReferenceKernel(), await createWasmKernel()];
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        for (const k of kernels) {
          const sa = k.sortF64(Float64Array.from(a));
          const sb = k.sortF64(Float64Array.from(b));
          expect(k.ksStatisticSorted(sa, sb)).toBeCloseTo(
            ksStatisticSorted(sorted(a), sorted(b)),
            12,
          );
          expect(k.wasserstein1Sorted(sa, sb)).toBeCloseTo(
            wasserstein1Sorted(sorted(a), sorted(b)),
            9,
          );
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('KS p-values', () => {
  it('exact p-value equals brute-force enumeration of all splits (sizes ≤ 7)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat({ max: 49 }),
        (n1, n2, k) => {
          const lcm = (n1 * n2) / gcd(n1, n2);
          const d = (k % (lcm + 1)) / lcm;
          expect(ksExactPValue(n1, n2, d)).toBeCloseTo(bruteKsP(n1, n2, d), 10);
        },
      ),
      { numRuns: 60 },
    );
  });
  it('is in [0, 1], 1 at d = 0 and non-increasing in d', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 2, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, d) => {
          const p = ksPValue(d, n1, n2).pValue;
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          expect(ksPValue(0, n1, n2).pValue).toBe(1);
          expect(ksPValue(Math.min(1, d + 0.05), n1, n2).pValue).toBeLessThanOrEqual(p + 1e-12);
        },
      ),
      { numRuns: 60 },
    );
  });
});

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

describe('divergences and categorical tests', () => {
  it('PSI, JS, Hellinger, TVD: 0 on equal distributions, symmetric (PSI, JS, H, TVD), bounded', () => {
    fc.assert(
      fc.property(counts, counts, (r0, c0) => {
        const k = Math.min(r0.length, c0.length);
        const r = r0.slice(0, k).map((v, i) => (i === 0 ? v + 1 : v));
        const c = c0.slice(0, k).map((v, i) => (i === 0 ? v + 1 : v));
        for (const f of [
          psiFromCounts,
          jensenShannonFromCounts,
          hellingerFromCounts,
          totalVariationFromCounts,
        ]) {
          expect(f(r, r)).toBeCloseTo(0, 12);
          expect(f(r, c)).toBeCloseTo(f(c, r), 9);
          expect(f(r, c)).toBeGreaterThanOrEqual(-1e-12);
          expect(Number.isFinite(f(r, c))).toBe(true);
        }
        expect(jensenShannonFromCounts(r, c)).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-12);
        expect(hellingerFromCounts(r, c)).toBeLessThanOrEqual(1 + 1e-12);
        expect(totalVariationFromCounts(r, c)).toBeLessThanOrEqual(1 + 1e-12);
        // Scaling all counts changes nothing.
        expect(
          jensenShannonFromCounts(
            r.map((v) => 3 * v),
            c,
          ),
        ).toBeCloseTo(jensenShannonFromCounts(r, c), 12);
      }),
    );
  });
  it('homogeneity tests: p in [0, 1], symmetric in the rows, p = 1 when proportions match', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 1, max: 4 }), (r0, m) => {
        const r = r0.map((v) => v + 1);
        for (const lambda of ['pearson', 'log-likelihood'] as const) {
          const t = contingencyTest(
            r,
            r.map((v) => v * m),
            lambda,
          );
          expect(t.pValue).toBeCloseTo(1, 9);
          const s = contingencyTest(r, [...r].reverse(), lambda);
          expect(s.pValue).toBeCloseTo(contingencyTest([...r].reverse(), r, lambda).pValue, 12);
          expect(s.pValue).toBeGreaterThanOrEqual(0);
          expect(s.pValue).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
  it('Fisher: p in (0, 1], invariant under transposition', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 20 }),
        fc.nat({ max: 20 }),
        fc.nat({ max: 20 }),
        fc.nat({ max: 20 }),
        (a, b, c, d) => {
          const p = fisherExact(a, b, c, d).pValue;
          expect(p).toBeGreaterThan(0);
          expect(p).toBeLessThanOrEqual(1);
          expect(fisherExact(a, c, b, d).pValue).toBeCloseTo(p, 10);
        },
      ),
    );
  });
  it('AD and CvM: p in [0, 1], symmetric in the samples', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        fc.pre(a.length + b.length >= 4);
        const ad = andersonDarlingSorted(sorted(a), sorted(b));
        expect(ad.pValue).toBeGreaterThanOrEqual(0.001);
        expect(ad.pValue).toBeLessThanOrEqual(0.25);
        expect(andersonDarlingSorted(sorted(b), sorted(a)).statistic).toBeCloseTo(ad.statistic, 9);
        const cvm = cramerVonMisesSorted(sorted(a), sorted(b));
        expect(cvm.pValue).toBeGreaterThanOrEqual(0);
        expect(cvm.pValue).toBeLessThanOrEqual(1);
        expect(cramerVonMisesSorted(sorted(b), sorted(a)).statistic).toBeCloseTo(cvm.statistic, 9);
      }),
    );
  });
});

describe('plain functions', () => {
  it('never mutate their (frozen) inputs and drop NaN', () => {
    const a = Object.freeze([3, 1, NaN, 2]) as number[];
    const b = Object.freeze([5, 4, 6]) as number[];
    expect(ks2Sample(a, b).statistic).toBe(1);
    expect(wasserstein1(a, b)).toBeCloseTo(3, 12);
    expect(psiPlain(a, b, 2)).toBeGreaterThan(0);
    expect(a).toEqual([3, 1, NaN, 2]);
  });
  it('throw DataError on empty samples', () => {
    expect(() => ks2Sample([], [1])).toThrow(/expected at least one/);
    expect(() => wasserstein1([NaN], [1])).toThrow(/expected at least one/);
  });
});

describe('Epps–Singleton properties', () => {
  const five = fc.array(
    fc.integer({ min: -50, max: 50 }).map((v) => v / 4),
    { minLength: 5, maxLength: 40 },
  );
  it('W ≥ 0, p in [0, 1], symmetric in the samples, invariant to a common scale (NaN only for a zero IQR)', () => {
    fc.assert(
      fc.property(five, five, fc.constantFrom(0.5, 3), (a, b, c) => {
        const r = eppsSingletonSorted(sorted(a), sorted(b));
        if (Number.isNaN(r.statistic)) {
          const pooled = [...a, ...b].sort((x, y) => x - y);
          const q = (p: number) => {
            const h = (pooled.length - 1) * p;
            const lo = Math.floor(h);
            return (
              pooled[lo]! + (h - lo) * (pooled[Math.min(lo + 1, pooled.length - 1)]! - pooled[lo]!)
            );
          };
          expect(q(0.75) - q(0.25)).toBe(0);
          return;
        }
        expect(r.statistic).toBeGreaterThanOrEqual(-1e-9);
        expect(r.pValue >= 0 && r.pValue <= 1).toBe(true);
        const s = eppsSingletonSorted(sorted(b), sorted(a));
        expect(Math.abs(s.statistic - r.statistic)).toBeLessThanOrEqual(1e-7 * (1 + r.statistic));
        const scaled = eppsSingletonSorted(
          sorted(a.map((v) => v * c)),
          sorted(b.map((v) => v * c)),
        );
        expect(Math.abs(scaled.statistic - r.statistic)).toBeLessThanOrEqual(
          1e-6 * (1 + r.statistic),
        );
      }),
    );
  });
});
