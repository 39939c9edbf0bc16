// The boundary table is rebuilt at start-up in both kernels (scripts/gen-sketch-table.mjs:
// products of ROOTS plus committed corrections) instead of shipping 8 kB of literals.
// Checked here exhaustively: every reference entry against BigInt powers, and the WASM
// module's own table through its bucket mapping at both sides of every boundary.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOUNDARY_MANTISSA } from '../../src/kernel/reference/sketch-table.js';
import { bucketIndex } from '../../src/kernel/reference/bucket-index.js';
import { rawKernelExports } from './kernels.js';

let raw: { bucketIndexOf(x: number, s: number): number };

beforeAll(async () => {
  raw = await rawKernelExports<typeof raw>();
});

/** 1 + mant/2^52 for an integer mantissa in [0, 2^52): exact. */
const fromMantissa = (mant: number): number => 1 + mant / 2 ** 52;

describe('rebuilt boundary table', () => {
  it('is exact at every k: A = 2^52 + M[k] satisfies A^1024 ≤ 2^(52·1024 + k) < (A + 1)^1024', () => {
    expect(BOUNDARY_MANTISSA.length).toBe(1025);
    expect(BOUNDARY_MANTISSA[1024]).toBe(2 ** 52);
    let exact = 0;
    for (let k = 0; k < 1024; k++) {
      const m = BOUNDARY_MANTISSA[k] as number;
      expect(Number.isInteger(m) && m >= 0 && m < 2 ** 52, `M[${k}] = ${m}`).toBe(true);
      const a = 2n ** 52n + BigInt(m);
      const target = 1n << (52n * 1024n + BigInt(k));
      if (a ** 1024n <= target && (a + 1n) ** 1024n > target) exact++;
    }
    expect(exact).toBe(1024);
  });

  it('WASM and reference map both sides of every boundary to the buckets the exact table implies', () => {
    let checked = 0;
    for (let k = 1; k < 1024; k++) {
      const m = BOUNDARY_MANTISSA[k] as number;
      // m/2^52 ≤ 2^(k/1024) − 1 < (m + 1)/2^52: the largest double ≤ the boundary is in bucket k − 1,
      // the next double up in bucket k.
      for (const [x, expected] of [
        [fromMantissa(m), k - 1],
        [fromMantissa(m + 1), k],
      ] as const) {
        expect(raw.bucketIndexOf(x, 10), `wasm ${k}`).toBe(expected);
        expect(bucketIndex(x, 10), `reference ${k}`).toBe(expected);
        checked++;
      }
    }
    expect(checked).toBe(2 * 1023);
  });

  it('keeps that agreement in every octave and at every scale (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1023 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 10 }),
        fc.boolean(),
        (k, e, scale, above) => {
          const m = (BOUNDARY_MANTISSA[k] as number) + (above ? 1 : 0);
          const x = fromMantissa(m) * 2 ** e; // exact: a power-of-two scaling of a normal double
          const index10 = e * 1024 + (above ? k : k - 1);
          const expected = index10 >> (10 - scale);
          expect(raw.bucketIndexOf(x, scale)).toBe(expected);
          expect(bucketIndex(x, scale)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
