// The WASM record loop takes a fast path for pairs of positive normal values (its own
// bucket mapping, `positiveIndexPairBiased`, with no power-of-two special case) and
// counts per batch.
// Checked here through sketchRecord itself: both sides of every table boundary, exact
// powers of two and their neighbours, in several octaves and at every scale, must land
// in the buckets the exact table implies and equal the reference kernel bit for bit,
// with the slow-path values (zeros, negatives, subnormals, non-finite) mixed in.
// The pair path computes both indexes in i64x2 lanes and bumps the counts lane by lane:
// the last cases put each lane on each slow path and vary which values pair up.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/kernel.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { BOUNDARY_MANTISSA } from '../../src/kernel/reference/sketch-table.js';
import { encodeSketch } from '../../src/kernel/sketch-format.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { sameBuckets } from './kernels.js';

let wasm: Kernel;
let ref: Kernel;
beforeAll(async () => {
  wasm = await createWasmKernel();
  ref = createReferenceKernel();
});

/** Records `xs` into a fresh sketch at `scale` on kernel `k`; returns buckets, stats and drops. */
function sketchOf(k: Kernel, xs: Float64Array, scale: number) {
  const h = k.sketchCreate(scale);
  const dropped = k.sketchRecord(h, xs);
  const out = { buckets: k.sketchBuckets(h), stats: k.sketchStats(h), dropped };
  k.sketchFree(h);
  return out;
}

function agree(xs: Float64Array, scale: number): void {
  const a = sketchOf(wasm, xs, scale);
  const b = sketchOf(ref, xs, scale);
  expect(sameBuckets(a.buckets, b.buckets), `scale ${scale}`).toBe(true);
  expect(a.dropped).toBe(b.dropped);
  for (const key of ['count', 'sum', 'min', 'max', 'zeroCount'] as const) {
    expect(Object.is(a.stats[key], b.stats[key]), `${key} at scale ${scale}`).toBe(true);
  }
}

/** 2^e exactly. */
const pow2 = (e: number): number => 2 ** e;

describe('WASM record fast path', () => {
  it('puts both sides of every scale-10 boundary into the buckets the exact table implies', () => {
    for (const e of [-30, -1, 0, 1, 12]) {
      const xs: number[] = [];
      const want: number[] = [];
      for (let k = 1; k < 1024; k++) {
        const m = BOUNDARY_MANTISSA[k] as number;
        // largest double ≤ 2^(k/1024) is in bucket k − 1; the next one up in bucket k
        xs.push((1 + m / 2 ** 52) * pow2(e), (1 + (m + 1) / 2 ** 52) * pow2(e));
        want.push(e * 1024 + k - 1, e * 1024 + k);
      }
      // an exact power of two is the upper end of the bucket below it
      xs.push(pow2(e));
      want.push(e * 1024 - 1);
      const got = sketchOf(wasm, Float64Array.from(xs), 10).buckets.positive;
      const counts = new Map<number, number>();
      for (const w of want) counts.set(w, (counts.get(w) ?? 0) + 1);
      let total = 0;
      got.counts.forEach((c, i) => {
        if (c === 0) return;
        expect(counts.get(got.offset + i), `bucket ${got.offset + i} at 2^${e}`).toBe(c);
        total += c;
      });
      expect(total).toBe(xs.length);
      for (let s = -4; s <= 10; s++) agree(Float64Array.from(xs), s);
    }
  });

  it('agrees with the reference on powers of two and their neighbours at every scale', () => {
    const xs: number[] = [];
    for (let e = -1074; e <= 1023; e += 7) {
      const p = pow2(e);
      xs.push(p, p * (1 + 2 ** -52), p * (1 - 2 ** -53), -p, p / 3);
    }
    xs.push(Number.MIN_VALUE, 2.2250738585072014e-308, 2.225073858507201e-308, Number.MAX_VALUE);
    for (let s = -4; s <= 10; s++) agree(Float64Array.from(xs), s);
  });

  it('agrees with the reference on any mix of fast- and slow-path values (property)', () => {
    const value = fc.oneof(
      fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      fc.double(), // NaN, ±Infinity, subnormals, negatives
      fc.constantFrom(0, -0, 1, 2, 0.5, 5e-324, Infinity, NaN),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.integer({ min: -4, max: 10 }), (v, s) =>
        agree(Float64Array.from(v), s),
      ),
      { numRuns: 300 },
    );
  });

  it('takes each lane of a pair through u32 overflow, promotion and growth like the reference', () => {
    // scale 0: bucket 1 is (2, 4], bucket 2 is (4, 8]; bucket 2 starts at the u32 limit
    const atLimit = encodeSketch({
      scale: 0,
      count: 0xffffffff + 7,
      sum: 0,
      min: 3,
      max: 5,
      zeroCount: 0,
      positive: { offset: 1, counts: new Float64Array([7, 0xffffffff]) },
      negative: { offset: 0, counts: new Float64Array(0) },
    });
    // pairs: (3, 5) second lane overflows; (5, 3) after promotion; (1e6, 5) first lane grows
    // the side; (3, 1e-6) second lane grows it downwards; an odd value left for the tail
    const xs = new Float64Array([3, 5, 5, 3, 1e6, 5, 3, 1e-6, 7]);
    const got = [wasm, ref].map((k) => {
      const h = k.sketchDeserialize(atLimit);
      const dropped = k.sketchRecord(h, xs);
      const out = { buckets: k.sketchBuckets(h), stats: k.sketchStats(h), dropped };
      k.sketchFree(h);
      return out;
    });
    const [a, b] = got as [(typeof got)[0], (typeof got)[0]];
    expect(sameBuckets(a.buckets, b.buckets)).toBe(true);
    expect(a.stats).toEqual(b.stats);
    const p = a.buckets.positive;
    expect(p.counts[2 - p.offset]).toBe(2 ** 32 - 1 + 4); // three 5s and the 7
  });

  it('agrees with the reference whatever the pairing (every start offset, two batches)', () => {
    const value = fc.oneof(
      fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
      fc.constantFrom(0, -1, 5e-324, Infinity, NaN),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 64 }),
        fc.nat(3),
        fc.integer({ min: -4, max: 10 }),
        (v, at, s) => {
          const xs = Float64Array.from(v);
          const cut = Math.min(at, xs.length);
          const run = (k: Kernel) => {
            const h = k.sketchCreate(s);
            const dropped =
              k.sketchRecord(h, xs.subarray(0, cut)) + k.sketchRecord(h, xs.subarray(cut), true);
            const out = { buckets: k.sketchBuckets(h), stats: k.sketchStats(h), dropped };
            k.sketchFree(h);
            return out;
          };
          const a = run(wasm);
          const b = run(ref);
          expect(sameBuckets(a.buckets, b.buckets)).toBe(true);
          expect(a.dropped).toBe(b.dropped);
          for (const key of ['count', 'sum', 'min', 'max', 'zeroCount'] as const) {
            expect(Object.is(a.stats[key], b.stats[key]), key).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
