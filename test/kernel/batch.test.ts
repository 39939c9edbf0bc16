// Batch kernels on both implementations, each against an independent reference:
// built-in sort, a naive bin count, exact BigInt moments, O(n·m) KS, exact rational W1
// and committed scipy fixtures (fixtures/gen_ecdf_fixtures.py).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { sorted } from './kernels.js';
import { KERNEL_INSTANCES } from './kernel-instances.js';

interface EcdfCase {
  name: string;
  a: number[];
  b: number[];
  ks: number;
  w1: number;
}
const scipyCases = (
  JSON.parse(readFileSync(new URL('./fixtures/ecdf-scipy.json', import.meta.url), 'utf8')) as {
    cases: EcdfCase[];
  }
).cases;

/** NaN-free doubles with the awkward ones over-represented. */
const awkward = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(
    0,
    -0,
    Infinity,
    -Infinity,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    2.2250738585072014e-308,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
  ),
  fc.double({ min: -1, max: 1, noNaN: true }),
);

const bitsEqual = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** Exact mean and population variance of dyadic values k/1024 with BigInt. */
function exactMoments(ints: number[]): { mean: number; variance: number } {
  const n = BigInt(ints.length);
  const s = ints.reduce((acc, v) => acc + BigInt(v), 0n);
  const q = ints.reduce((acc, v) => acc + BigInt(v) * BigInt(v), 0n);
  // values are ints/1024: mean = s/(1024 n), variance = (n q − s²)/(1024² n²)
  const varNum = n * q - s * s;
  return { mean: ratio(s, 1024n * n), variance: ratio(varNum, 1024n * 1024n * n * n) };
}

/** num/den as a double, to about 1 ulp (scaled BigInt division). */
function ratio(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const neg = num < 0n !== den < 0n;
  const an = num < 0n ? -num : num;
  const ad = den < 0n ? -den : den;
  const shift = BigInt(Math.max(0, 80 - (an.toString(2).length - ad.toString(2).length)));
  const q = (an << shift) / ad;
  const v = Number(q) / 2 ** Number(shift);
  return neg ? -v : v;
}

describe.each(KERNEL_INSTANCES)('batch kernels (%s kernel)', (_name, k) => {
  it('sortF64 equals Float64Array.prototype.sort (−0 before +0, ±Infinity, subnormals)', () => {
    fc.assert(
      fc.property(fc.array(awkward, { maxLength: 400 }), (xs) => {
        const input = Float64Array.from(xs);
        const frozen = Float64Array.from(xs);
        expect(bitsEqual(k.sortF64(input), sorted(xs))).toBe(true);
        expect(bitsEqual(input, frozen)).toBe(true); // input not mutated
      }),
      { numRuns: 300 },
    );
    const big = Float64Array.from(
      { length: 100_000 },
      (_, i) => Math.sin(i) * 10 ** ((i % 40) - 20),
    );
    expect(bitsEqual(k.sortF64(big), sorted(big))).toBe(true);
    expect(k.sortF64(new Float64Array(0)).length).toBe(0);
    expect([...k.sortF64(new Float64Array([0, -0, 0, -0]))].map((v) => Object.is(v, -0))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('binCounts matches a naive count for every bin convention edge', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { maxLength: 300 }),
        fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 15 }),
        (xs, e) => {
          const edges = Float64Array.from(e).sort();
          const values = Float64Array.from([...xs, ...e]); // values exactly on edges too
          const naive = new Float64Array(edges.length + 1);
          for (const v of values) {
            let bin = 0;
            for (const edge of edges) if (edge <= v) bin++;
            naive[bin] = (naive[bin] as number) + 1;
          }
          expect(k.binCounts(values, edges)).toEqual(naive);
        },
      ),
      { numRuns: 200 },
    );
    expect(k.binCounts(new Float64Array([0, 1, 1.5, 2, 3]), new Float64Array([1, 2]))).toEqual(
      new Float64Array([1, 2, 2]),
    );
    expect(() => k.binCounts(new Float64Array([1]), new Float64Array([2, 1]))).toThrow(DataError);
    expect(() => k.binCounts(new Float64Array([1]), new Float64Array([0, NaN]))).toThrow(/non-NaN/);
  });

  it('moments match exact BigInt mean and variance', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        (ints, offset) => {
          // a large common offset is what breaks the naive sum-of-squares formula
          const shifted = ints.map((v) => v + offset * 1024);
          const xs = Float64Array.from(shifted, (v) => v / 1024);
          const m = k.moments(xs);
          const exact = exactMoments(shifted);
          expect(m.count).toBe(xs.length);
          // a mean near 0 next to large values carries their rounding (≈ eps · max|x|)
          const maxAbs = Math.max(...xs.map((v) => Math.abs(v)));
          expect(Math.abs(m.mean - exact.mean)).toBeLessThanOrEqual(
            Math.abs(exact.mean) * 1e-14 + maxAbs * 1e-15 + 1e-300,
          );
          const spread =
            Math.max(...shifted.map((v) => Math.abs(v - (shifted[0] as number)))) / 1024;
          expect(Math.abs(m.variance - exact.variance)).toBeLessThanOrEqual(
            exact.variance * 1e-10 + spread * spread * 1e-15,
          );
          expect(m.min).toBe(Math.min(...xs));
          expect(m.max).toBe(Math.max(...xs));
        },
      ),
      { numRuns: 200 },
    );
    const empty = k.moments(new Float64Array(0));
    expect(empty.count).toBe(0);
    expect(Number.isNaN(empty.mean) && Number.isNaN(empty.variance)).toBe(true);
    expect(k.moments(new Float64Array([7]))).toEqual({
      count: 1,
      mean: 7,
      variance: 0,
      min: 7,
      max: 7,
      sum: 7,
    });
  });

  it('ksStatisticSorted equals the O(n·m) definition as an exact rational, rounded once (ties included)', () => {
    const sample = fc.array(
      fc.integer({ min: -20, max: 20 }).map((v) => v / 4),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const sa = sorted(a);
        const sb = sorted(b);
        let num = 0n; // max |F_a − F_b| · n · m
        for (const v of [...a, ...b]) {
          const fa = BigInt(a.filter((x) => x <= v).length * b.length);
          const fb = BigInt(b.filter((x) => x <= v).length * a.length);
          const d = fa > fb ? fa - fb : fb - fa;
          if (d > num) num = d;
        }
        const got = k.ksStatisticSorted(sa, sb);
        expect(got).toBe(ratio(num, BigInt(a.length * b.length)));
        // and within an ulp of the float-difference formula
        let loose = 0;
        for (const v of [...a, ...b]) {
          loose = Math.max(
            loose,
            Math.abs(
              a.filter((x) => x <= v).length / a.length - b.filter((x) => x <= v).length / b.length,
            ),
          );
        }
        expect(Math.abs(got - loose)).toBeLessThanOrEqual(2 ** -52);
      }),
      { numRuns: 200 },
    );
    expect(Number.isNaN(k.ksStatisticSorted(new Float64Array(0), new Float64Array([1])))).toBe(
      true,
    );
  });

  it('wasserstein1Sorted equals the exact rational area between the ECDFs', () => {
    const sample = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        // exact: Σ |i·m − j·n| · (p_{k+1} − p_k) / (n·m) over the pooled integer points
        const pooled = [...new Set([...a, ...b])].sort((x, y) => x - y);
        let num = 0n;
        for (let t = 0; t + 1 < pooled.length; t++) {
          const v = pooled[t] as number;
          const i = BigInt(a.filter((x) => x <= v).length);
          const j = BigInt(b.filter((x) => x <= v).length);
          const diff = i * BigInt(b.length) - j * BigInt(a.length);
          num += (diff < 0n ? -diff : diff) * BigInt((pooled[t + 1] as number) - v);
        }
        const exact = ratio(num, BigInt(a.length * b.length));
        const got = k.wasserstein1Sorted(sorted(a), sorted(b));
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 1e-14);
      }),
      { numRuns: 200 },
    );
  });

  it.each(scipyCases.map((c) => [c.name, c] as const))(
    'matches scipy ks_2samp and wasserstein_distance: %s',
    (_n, c) => {
      const a = sorted(c.a);
      const b = sorted(c.b);
      expect(k.ksStatisticSorted(a, b)).toBe(c.ks); // scipy's exact mode rounds to h/lcm once, as we do
      expect(Math.abs(k.wasserstein1Sorted(a, b) - c.w1)).toBeLessThanOrEqual(
        Math.abs(c.w1) * 1e-13,
      );
    },
  );
});
