// selectF64 (exact order statistics) on both kernels against the built-in sort:
// element j must be bit-identical to Float64Array.prototype.sort()[ranks[j]].
// Also sortF64 into a caller's buffer (the drift service reuses one per window).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KERNELS, sorted } from './kernels.js';
import { KERNEL_INSTANCES } from './kernel-instances.js';
import { seededUniform } from '../../src/stats/random.js';

/** NaN-free doubles with the awkward ones (±0, ±Infinity, subnormals, ties) over-represented. */
const awkward = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1, 1 + 2 ** -52, 2, -1),
  fc.integer({ min: -3, max: 3 }),
);

/** The oracle: sort with the built-in, then index (NaN for an invalid rank). */
function expected(xs: Float64Array, ranks: ArrayLike<number>): Float64Array {
  const s = sorted(xs);
  return Float64Array.from(ranks, (r) =>
    Number.isInteger(r) && r >= 0 && r < s.length ? (s[r] as number) : NaN,
  );
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Seeded uniform [0, 1): the code base's one seeded generator (CPython-compatible). */
const rng = seededUniform;

describe.each(KERNEL_INSTANCES)('selectF64 (%s kernel)', (_name, k) => {
  it('equals the built-in sort at every requested rank, input untouched', () => {
    fc.assert(
      fc.property(
        fc.array(awkward, { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (xs, qs) => {
          const input = Float64Array.from(xs);
          const frozen = Float64Array.from(xs);
          const ranks = Float64Array.from(qs, (q) => Math.floor(q * (xs.length - 1)));
          expect(sameBits(k.selectF64(input, ranks), expected(input, ranks))).toBe(true);
          expect(sameBits(input, frozen)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives NaN for ranks that are not integers in [0, n), and for an empty sample', () => {
    const xs = new Float64Array([3, 1, 2]);
    const ranks = new Float64Array([-1, 0, 1.5, 2, 3, NaN, Infinity, 1]);
    const got = k.selectF64(xs, ranks);
    expect(sameBits(got, expected(xs, ranks))).toBe(true);
    expect([...got]).toEqual([NaN, 1, NaN, 3, NaN, NaN, NaN, 2]);
    expect([...k.selectF64(new Float64Array(0), new Float64Array([0, 1]))]).toEqual([NaN, NaN]);
    expect(k.selectF64(xs, new Float64Array(0)).length).toBe(0);
  });

  it('handles large samples: wide spread, narrow spread with an outlier, heavy ties, all equal', () => {
    const r = rng(42);
    const n = 200_000;
    const lognormal = Float64Array.from({ length: n }, () => Math.exp(3 * (r() + r() + r() - 1.5)));
    const narrow = Float64Array.from({ length: n }, () => 1 + r()); // one exponent ...
    narrow[17] = 1e300; // ... and one far outlier: the whole body falls into few windows
    const ties = Float64Array.from({ length: n }, () => Math.floor(r() * 5) - 2); // ±0 included
    ties[3] = -0;
    const equal = new Float64Array(n).fill(2.5);
    const all = Float64Array.from({ length: 64 }, (_, i) => Math.floor((i / 63) * (n - 1)));
    all[5] = all[6] as number; // the same rank twice
    for (const xs of [lognormal, narrow, ties, equal]) {
      expect(sameBits(k.selectF64(xs, all), expected(xs, all))).toBe(true);
    }
  });
});

describe.each(KERNELS)('sortF64 into a destination (%s kernel)', (_name, make) => {
  it('writes and returns `out` when its length fits, else returns a new array', async () => {
    const k = await make();
    fc.assert(
      fc.property(fc.array(awkward, { maxLength: 200 }), (xs) => {
        const input = Float64Array.from(xs);
        const out = new Float64Array(xs.length).fill(7);
        const got = k.sortF64(input, out);
        expect(got).toBe(out);
        expect(sameBits(out, sorted(xs))).toBe(true);
        const wrong = new Float64Array(xs.length + 1);
        const fresh = k.sortF64(input, wrong);
        expect(fresh).not.toBe(wrong);
        expect(sameBits(fresh, sorted(xs))).toBe(true);
      }),
      { numRuns: 100 },
    );
    // a destination that is a view into a larger buffer (non-zero byteOffset)
    const backing = new Float64Array(10).fill(-1);
    const view = backing.subarray(3, 7);
    k.sortF64(new Float64Array([4, -0, 2, 0]), view);
    expect([...backing]).toEqual([-1, -1, -1, -0, 0, 2, 4, -1, -1, -1]);
    expect(Object.is(backing[3], -0)).toBe(true);
  });
});

describe('selectF64 parity', () => {
  it('WASM and reference kernels return the same bits', async () => {
    const [wasm, ref] = await Promise.all(KERNELS.map(([, make]) => make()));
    fc.assert(
      fc.property(
        fc.array(awkward, { maxLength: 500 }),
        fc.array(fc.integer({ min: -2, max: 510 }), { maxLength: 10 }),
        (xs, rs) => {
          const input = Float64Array.from(xs);
          const ranks = Float64Array.from(rs);
          expect(sameBits(wasm!.selectF64(input, ranks), ref!.selectF64(input, ranks))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
