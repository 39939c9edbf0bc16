// The exponential sketch on both kernels: bucket mapping vs an exact BigInt oracle,
// quantiles vs exact sorted quantiles, merge, limits, memory.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, KernelError } from '../../src/errors.js';
import {
  DEFAULT_SCALE,
  MAX_SCALE,
  MIN_SCALE,
  relativeErrorBound,
} from '../../src/kernel/kernel.js';
import { encodeSketch } from '../../src/kernel/sketch-format.js';
import { aboveBoundary, sameBuckets, sorted } from './kernels.js';
import { SKETCH_KERNEL_INSTANCES } from './kernel-instances.js';

/**
 * Finite values for a sketch at `scale`: the whole normal range at coarse scales, a
 * 21-decade range at fine ones (so bucket arrays stay small and tests fast), with zeros
 * and negatives. Subnormals are left out here: their estimates are limited by subnormal
 * precision, not by the sketch.
 */
function valuesAt(scale: number): fc.Arbitrary<number> {
  const [lo, hi] = scale <= 2 ? [1e-300, 1e300] : [1e-9, 1e12];
  return fc.oneof(
    fc.double({ min: lo, max: hi, noNaN: true }),
    fc.double({ min: -hi, max: -lo, noNaN: true }),
    fc.constant(0),
    fc.double({ min: 0.001, max: 3.6e6, noNaN: true }),
  );
}

describe.each(SKETCH_KERNEL_INSTANCES)('sketch (%s kernel)', (_name, k) => {
  /** Index of the single bucket holding |x| (via a fresh sketch's layout). */
  function indexOf(x: number, scale: number): number {
    const h = k.sketchCreate(scale);
    try {
      k.sketchRecord(h, new Float64Array([x]));
      const b = k.sketchBuckets(h);
      const side = x > 0 ? b.positive : b.negative;
      expect(side.counts).toEqual(new Float64Array([1]));
      return side.offset;
    } finally {
      k.sketchFree(h);
    }
  }

  it('maps exact powers of two (the only representable boundaries) into the lower bucket', () => {
    for (const scale of [MIN_SCALE, -1, 0, 1, 3, DEFAULT_SCALE, MAX_SCALE]) {
      for (const e of [-1074, -1022, -20, -1, 0, 1, 10, 1023]) {
        const x = 2 ** e;
        // bucket (base^i, base^(i+1)] with base^(i+1) = 2^e  => i = e·2^s − 1 (floor for negative scales)
        const expected = scale >= 0 ? e * 2 ** scale - 1 : Math.floor((e - 1) / 2 ** -scale);
        expect(indexOf(x, scale), `2^${e} at scale ${scale}`).toBe(expected);
        expect(indexOf(-x, scale)).toBe(expected);
      }
    }
  });

  it("puts every value strictly above its bucket's lower bound and at or below its upper bound (exact BigInt oracle)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }),
        fc.integer({ min: MIN_SCALE, max: 8 }),
        (x, scale) => {
          const i = indexOf(x, scale);
          expect(aboveBoundary(x, i, scale)).toBe(true);
          expect(aboveBoundary(x, i + 1, scale)).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('resolves neighbours of boundaries at the table scale (10) exactly', () => {
    // The doubles adjacent to 2^(j/1024) are where a float log would misplace values.
    for (let j = 1; j < 1024; j += 37) {
      const b = 2 ** (j / 1024);
      for (const x of [b, nextUp(b), nextDown(b)]) {
        const i = indexOf(x, MAX_SCALE);
        expect(aboveBoundary(x, i, MAX_SCALE)).toBe(true);
        expect(aboveBoundary(x, i + 1, MAX_SCALE)).toBe(false);
      }
    }
  });

  it('estimates the floor(q·(n−1))-th smallest value within (b−1)/(b+1), clamped to [min, max]', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: MAX_SCALE })
          .chain((scale) =>
            fc.tuple(
              fc.array(valuesAt(scale), { minLength: 1, maxLength: 300 }),
              fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
              fc.constant(scale),
            ),
          ),
        ([xs, qs, scale]) => {
          const h = k.sketchCreate(scale);
          k.sketchRecord(h, Float64Array.from(xs));
          const est = k.sketchQuantiles(h, Float64Array.from(qs));
          const s = sorted(xs);
          const alpha = relativeErrorBound(scale);
          qs.forEach((q, i) => {
            const exact = s[Math.floor(q * (s.length - 1))] as number;
            const e = est[i] as number;
            expect(Math.abs(e - exact)).toBeLessThanOrEqual(alpha * Math.abs(exact) * (1 + 1e-12));
            expect(e).toBeGreaterThanOrEqual(s[0] as number);
            expect(e).toBeLessThanOrEqual(s[s.length - 1] as number);
          });
          k.sketchFree(h);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('returns exact min and max for q = 0 and q = 1, NaN when empty or q outside [0, 1]', () => {
    const h = k.sketchCreate();
    expect([...k.sketchQuantiles(h, new Float64Array([0, 0.5, 1]))].every(Number.isNaN)).toBe(true);
    k.sketchRecord(h, new Float64Array([3.3, -7.1, 12.9, 0]));
    const [lo, hi, bad1, bad2, bad3] = k.sketchQuantiles(
      h,
      new Float64Array([0, 1, -0.1, 1.5, NaN]),
    );
    expect([lo, hi]).toEqual([-7.1, 12.9]);
    expect([bad1, bad2, bad3].every((v) => Number.isNaN(v))).toBe(true);
    k.sketchFree(h);
  });

  it('counts zeros and negatives separately and keeps count/sum/min/max', () => {
    const h = k.sketchCreate();
    const xs = [0, -0, 1.5, -2.5, 4, -2.5, 0];
    const dropped = k.sketchRecord(h, new Float64Array([...xs, NaN, Infinity, -Infinity]));
    expect(dropped).toBe(3);
    const st = k.sketchStats(h);
    expect(st).toEqual({
      count: 7,
      sum: xs.reduce((a, b) => a + b, 0),
      min: -2.5,
      max: 4,
      zeroCount: 3,
    });
    const b = k.sketchBuckets(h);
    const total = (c: Float64Array): number => c.reduce((a, v) => a + v, 0);
    expect(total(b.positive.counts)).toBe(2);
    expect(total(b.negative.counts)).toBe(2);
    expect(b.negative.counts).toEqual(new Float64Array([2])); // both -2.5 in one bucket
    k.sketchReset(h);
    expect(k.sketchStats(h)).toEqual({
      count: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
      zeroCount: 0,
    });
    expect(k.sketchBuckets(h).positive.counts.length).toBe(0);
    k.sketchFree(h);
  });

  it('merge(a, b) equals the sketch of a ∪ b bucket for bit (sum up to rounding)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: MIN_SCALE, max: MAX_SCALE })
          .chain((scale) =>
            fc.tuple(
              fc.array(valuesAt(scale), { maxLength: 200 }),
              fc.array(valuesAt(scale), { maxLength: 200 }),
              fc.constant(scale),
            ),
          ),
        ([a, b, scale]) => {
          const ha = k.sketchCreate(scale);
          const hb = k.sketchCreate(scale);
          const hu = k.sketchCreate(scale);
          k.sketchRecord(ha, Float64Array.from(a));
          k.sketchRecord(hb, Float64Array.from(b));
          k.sketchRecord(hu, Float64Array.from([...a, ...b]));
          k.sketchMerge(ha, hb);
          expect(sameBuckets(k.sketchBuckets(ha), k.sketchBuckets(hu))).toBe(true);
          const sa = k.sketchStats(ha);
          const su = k.sketchStats(hu);
          expect({ ...sa, sum: 0 }).toEqual({ ...su, sum: 0 });
          const mag = [...a, ...b].reduce((acc, v) => acc + Math.abs(v), 0);
          expect(Math.abs(sa.sum - su.sum)).toBeLessThanOrEqual(mag * 1e-12);
          const qs = new Float64Array([0.01, 0.25, 0.5, 0.9, 0.999]);
          expect(k.sketchQuantiles(ha, qs)).toEqual(k.sketchQuantiles(hu, qs));
          for (const h of [ha, hb, hu]) k.sketchFree(h);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('merges a sketch into itself (doubling) and rejects a scale mismatch', () => {
    const h = k.sketchCreate(5);
    k.sketchRecord(h, new Float64Array([1, 2, 3, -4]));
    k.sketchMerge(h, h);
    expect(k.sketchStats(h).count).toBe(8);
    expect(k.sketchBuckets(h).negative.counts).toEqual(new Float64Array([2]));
    const other = k.sketchCreate(6);
    expect(() => k.sketchMerge(h, other)).toThrow(KernelError);
    expect(() => k.sketchMerge(h, other)).toThrow(/expected equal scales, got 5 and 6/);
    k.sketchFree(h);
    k.sketchFree(other);
  });

  it('rejects a bad scale with ConfigError and a freed handle with KernelError', () => {
    for (const bad of [11, -5, 2.5, NaN]) expect(() => k.sketchCreate(bad)).toThrow(ConfigError);
    const h = k.sketchCreate();
    k.sketchFree(h);
    k.sketchFree(h); // idempotent
    for (const op of [
      () => k.sketchRecord(h, new Float64Array([1])),
      () => k.sketchStats(h),
      () => k.sketchQuantiles(h, new Float64Array([0.5])),
      () => k.sketchBuckets(h),
      () => k.sketchMerge(h, h),
      () => k.sketchReset(h),
      () => k.sketchSerialize(h),
    ]) {
      expect(op).toThrow(KernelError);
      expect(op).toThrow(/invalid sketch handle/);
    }
    // the kernel stays usable after the error
    const h2 = k.sketchCreate();
    k.sketchRecord(h2, new Float64Array([1, 2, 3]));
    expect(k.sketchStats(h2).count).toBe(3);
    // a non-integer handle is refused, never truncated onto a live one
    expect(() => k.sketchRecord(h2 + 0.5, new Float64Array([1]))).toThrow(KernelError);
    expect(() => k.sketchStats(NaN)).toThrow(KernelError);
    expect(k.sketchStats(h2).count).toBe(3);
    k.sketchFree(h2);
  });

  it('stays within 32 KiB for 1 µs – 1 h in ms at the default scale, in any record order', () => {
    // log-uniform values over 1e-3 .. 3.6e6, in random order, endpoints included
    let seed = 12345;
    const xs = new Float64Array(50_000);
    for (let i = 0; i < xs.length; i++) {
      seed = (seed * 16807) % 2147483647;
      xs[i] = 1e-3 * 3.6e9 ** (seed / 2147483647);
    }
    xs[0] = 1e-3;
    xs[1] = 3.6e6;
    for (const order of [
      xs,
      Float64Array.from(xs).sort(),
      Float64Array.from(xs).sort().reverse(),
    ]) {
      const h = k.sketchCreate();
      k.sketchRecord(h, order);
      expect(k.sketchBuckets(h).positive.counts.length).toBe(4064); // indexes -1276 .. 2787 at scale 7
      expect(k.sketchByteSize(h)).toBeLessThanOrEqual(32 * 1024); // ≈ 20 KiB: u32 counts + ≤ 25% growth slack
      k.sketchFree(h);
    }
  });

  it('promotes a bucket past 2^32 − 1 to exact f64 counts', () => {
    // A bucket at the u32 limit, loaded through the codec, then pushed over by record and merge.
    const atLimit = encodeSketch({
      scale: 0,
      count: 0xffffffff,
      sum: 3 * 0xffffffff,
      min: 3,
      max: 3,
      zeroCount: 0,
      positive: { offset: 1, counts: new Float64Array([0xffffffff]) },
      negative: { offset: 0, counts: new Float64Array(0) },
    });
    const h = k.sketchDeserialize(atLimit);
    const before = k.sketchByteSize(h);
    k.sketchRecord(h, new Float64Array([3, 3.5]));
    expect(k.sketchBuckets(h).positive.counts).toEqual(new Float64Array([2 ** 32 + 1]));
    expect(k.sketchStats(h).count).toBe(2 ** 32 + 1);
    expect(k.sketchByteSize(h)).toBeGreaterThan(before);
    k.sketchMerge(h, h);
    expect(k.sketchBuckets(h).positive.counts).toEqual(new Float64Array([2 ** 33 + 2]));
    const h2 = k.sketchDeserialize(atLimit);
    k.sketchMerge(h2, h2); // promotion inside a merge
    expect(k.sketchBuckets(h2).positive.counts).toEqual(new Float64Array([2 ** 33 - 2]));
    k.sketchFree(h);
    k.sketchFree(h2);
  });
});

function nextUp(x: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  b.setBigUint64(0, b.getBigUint64(0) + 1n);
  return b.getFloat64(0);
}
function nextDown(x: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  b.setBigUint64(0, b.getBigUint64(0) - 1n);
  return b.getFloat64(0);
}
