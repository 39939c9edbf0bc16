import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Histogram } from '../../src/prometheus/histogram.js';
import { Summary } from '../../src/prometheus/summary.js';
import { classicFromSketch, isSketchEdge } from '../../src/prometheus/prom-sketch.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import type { HistogramPoint, SummaryPoint } from '../../src/export/prom-model.js';

const noReg = { registry: null } as const;
const countLE = (values: readonly number[], b: number): number =>
  values.filter((v) => v <= b).length;
/** Relative error bound of the sketch: (base - 1) / (base + 1), base = 2^(2^-scale). */
const alpha = (scale: number): number => {
  const base = 2 ** (2 ** -scale);
  return (base - 1) / (base + 1);
};

const positive = fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true });
const scaleArb = fc.integer({ min: 0, max: 10 });

describe('isSketchEdge', () => {
  it('powers of two are edges at every scale >= 0; 3 is not an edge at scale 0', () => {
    for (let s = 0; s <= 10; s++)
      for (const k of [-20, -1, 0, 1, 13, 40]) expect(isSketchEdge(2 ** k, s)).toBe(true);
    expect(isSketchEdge(3, 0)).toBe(false);
    expect(isSketchEdge(0, 3)).toBe(false);
    expect(isSketchEdge(-2, 3)).toBe(false);
  });
});

describe('classicFromSketch', () => {
  it('the documented example', () => {
    const buckets = {
      scale: 0,
      zeroCount: 0,
      positive: { offset: -1, counts: [1, 0, 1, 1] },
      negative: { offset: 0, counts: [] },
    };
    expect(Array.from(classicFromSketch(buckets, [1, 4, 8]))).toEqual([1, 2, 3]);
  });

  it('is exact at bucket edges (powers of two), zero and negatives included (property, real kernel)', () => {
    const values = fc.array(
      fc.oneof(
        positive,
        fc.constant(0),
        positive.map((v) => -v),
      ),
      { minLength: 1, maxLength: 300 },
    );
    const bounds = fc
      .uniqueArray(fc.integer({ min: -25, max: 32 }), { minLength: 1, maxLength: 10 })
      .map((ks) => ks.sort((a, b) => a - b).map((k) => 2 ** k));
    fc.assert(
      fc.property(values, bounds, scaleArb, fc.boolean(), (vs, bs, scale, withZero) => {
        const k = createReferenceKernel();
        const h = k.sketchCreate(scale);
        k.sketchRecord(h, Float64Array.from(vs));
        const boundaries = withZero ? [0, ...bs] : bs;
        const got = classicFromSketch(k.sketchBuckets(h), boundaries);
        boundaries.forEach((b, i) => expect(got[i]).toBe(countLE(vs, b)));
      }),
      { numRuns: 150 },
    );
  });

  it('elsewhere, the count is exact for a boundary within (base-1)/2 of the requested one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(positive, { minLength: 1, maxLength: 300 }),
        fc.array(
          fc.oneof(
            positive,
            positive.map((v) => -v),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        scaleArb,
        (vs, raw, scale) => {
          const signed = [...vs, ...vs.slice(0, 20).map((v) => -v)];
          const bs = [...new Set(raw)].sort((a, b) => a - b);
          const k = createReferenceKernel();
          const h = k.sketchCreate(scale);
          k.sketchRecord(h, Float64Array.from(signed));
          const got = classicFromSketch(k.sketchBuckets(h), bs);
          const delta = (2 ** (2 ** -scale) - 1) / 2 + 1e-12;
          bs.forEach((b, i) => {
            const lo = countLE(signed, b - Math.abs(b) * delta);
            const hi = countLE(signed, b + Math.abs(b) * delta);
            expect(got[i]).toBeGreaterThanOrEqual(lo);
            expect(got[i]).toBeLessThanOrEqual(hi);
          });
          for (let i = 1; i < got.length; i++)
            expect(got[i]).toBeGreaterThanOrEqual(got[i - 1] as number);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('Histogram backed by the sketch', () => {
  it('exports exact classic buckets at power-of-two boundaries, +Inf = count, exact sum, min/max, and the exponential layout', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(positive, fc.constant(NaN), fc.constant(Infinity)), { maxLength: 600 }),
        scaleArb,
        (values, scale) => {
          const bounds = [0.125, 1, 8, 64, 1024, 2 ** 20];
          const hist = new Histogram({
            name: 'h_seconds',
            help: 'h',
            buckets: bounds,
            sketch: { scale },
            ...noReg,
          });
          for (const v of values) hist.observe(v);
          const finite = values.filter((v) => Number.isFinite(v));
          const p = hist.snapshot().points[0] as HistogramPoint;
          expect(p.count).toBe(finite.length);
          expect(p.sum).toBe(finite.reduce((s, v) => s + v, 0));
          bounds.forEach((b, i) =>
            expect(p.buckets[i]).toEqual({ le: b, count: countLE(finite, b) }),
          );
          expect(p.buckets.at(-1)).toEqual({ le: Infinity, count: finite.length });
          const exp = p.exponential!;
          expect(exp.scale).toBe(scale);
          const inBuckets =
            Array.from(exp.positive.counts).reduce((s, c) => s + c, 0) + exp.zeroCount;
          expect(inBuckets).toBe(finite.length);
          if (finite.length > 0) {
            expect(p.min).toBe(Math.min(...finite));
            expect(p.max).toBe(Math.max(...finite));
          }
          const dropped = hist.droppedCounts();
          expect((dropped['nan'] ?? 0) + (dropped['non_finite'] ?? 0)).toBe(
            values.length - finite.length,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('staging: values beyond one staging batch all arrive, and labels keep separate sketches', () => {
    const hist = new Histogram({
      name: 'h',
      help: 'h',
      labelNames: ['m'],
      buckets: [1, 2],
      sketch: true,
      ...noReg,
    });
    for (let i = 0; i < 1000; i++) hist.observe({ m: i % 2 ? 'odd' : 'even' }, (i % 4) / 2); // 0, 0.5, 1, 1.5
    const pts = hist.snapshot().points as HistogramPoint[];
    expect(pts.map((p) => p.count)).toEqual([500, 500]);
    expect(pts[0]?.buckets.map((b) => b.count)).toEqual([500, 500, 500]); // even: 0 and 1
    expect(pts[1]?.buckets.map((b) => b.count)).toEqual([250, 500, 500]); // odd: 0.5 and 1.5
    hist.remove({ m: 'odd' });
    hist.reset();
    expect(hist.seriesCount).toBe(0);
  });
});

describe('Summary', () => {
  it('quantiles are within the sketch relative error of the exact rank floor(q(n-1)) (property)', () => {
    fc.assert(
      fc.property(
        fc.array(positive, { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 2, max: 8 }),
        (values, scale) => {
          const ps = [0, 0.01, 0.5, 0.9, 0.99, 1];
          const s = new Summary({ name: 's', help: 's', percentiles: ps, scale, ...noReg });
          for (const v of values) s.observe(v);
          const p = s.snapshot().points[0] as SummaryPoint;
          const sorted = [...values].sort((a, b) => a - b);
          const a = alpha(scale) + 1e-9;
          ps.forEach((q, i) => {
            const exact = sorted[Math.floor(q * (sorted.length - 1))] as number;
            const got = p.quantiles[i]?.value as number;
            expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(a);
          });
          expect(p.count).toBe(values.length);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('validates options', () => {
    expect(() => new Summary({ name: 's', help: 's', percentiles: [0.5, 0.5], ...noReg })).toThrow(
      /ascending/,
    );
    expect(() => new Summary({ name: 's', help: 's', percentiles: [1.5], ...noReg })).toThrow(
      /\[0, 1\]/,
    );
    expect(() => new Summary({ name: 's', help: 's', maxAgeSeconds: 0, ...noReg })).toThrow(
      /maxAgeSeconds/,
    );
    expect(
      () => new Summary({ name: 's', help: 's', maxAgeSeconds: 5, ageBuckets: 0, ...noReg }),
    ).toThrow(/ageBuckets/);
    expect(() => new Summary({ name: 's', help: 's', scale: 1.5, ...noReg })).toThrow(/scale/);
  });

  it('sliding window: values leave the quantiles after maxAgeSeconds; count and sum stay cumulative', () => {
    let now = 1_000_000;
    const s = new Summary({
      name: 's',
      help: 's',
      percentiles: [1],
      maxAgeSeconds: 10,
      ageBuckets: 5,
      now: () => now,
      ...noReg,
    });
    s.observe(100);
    now += 5000;
    s.observe(1);
    now += 4000; // t = 9 s: the 100 is still inside the window
    const q = (): number => (s.snapshot().points[0] as SummaryPoint).quantiles[0]?.value as number;
    expect(q()).toBeCloseTo(100, 0);
    now += 2000; // t = 11 s: it has aged out
    expect(q()).toBeCloseTo(1, 1);
    const p = s.snapshot().points[0] as SummaryPoint;
    expect(p.count).toBe(2);
    expect(p.sum).toBe(101);
    now += 3_600_000; // a long gap empties every sub-window, in bounded work
    expect(Number.isNaN(q())).toBe(true);
    s.observe(7);
    expect(q()).toBeCloseTo(7, 1);
  });

  it('drops NaN and infinities, counted', () => {
    const s = new Summary({ name: 's', help: 's', ...noReg });
    s.observe(NaN);
    s.observe(-Infinity);
    s.observe(2);
    expect(s.droppedCounts()).toEqual({ nan: 1, non_finite: 1 });
    expect((s.snapshot().points[0] as SummaryPoint).count).toBe(1);
  });
});
