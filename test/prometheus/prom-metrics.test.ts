import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Registry } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { Histogram } from '../../src/prometheus/histogram.js';
import { Summary } from '../../src/prometheus/summary.js';
import {
  exponentialBuckets,
  linearBuckets,
  validateBuckets,
} from '../../src/prometheus/prom-buckets.js';
import { ConfigError, DataError } from '../../src/errors.js';
import type { HistogramPoint } from '../../src/export/prom-model.js';

const noReg = { registry: null } as const;

describe('name and label validation', () => {
  it.each(['', '2xx', 'a-b', 'a b', 'é', 'a.b'])('rejects metric name %j', (name) => {
    expect(() => new Counter({ name, help: 'x', ...noReg })).toThrow(ConfigError);
    expect(() => new Gauge({ name, help: 'x', ...noReg })).toThrow(/expected a metric name/);
  });
  it('accepts colons and underscores', () => {
    expect(() => new Gauge({ name: 'job:rate_5m', help: 'x', ...noReg })).not.toThrow();
    expect(() => new Gauge({ name: '_x', help: 'x', ...noReg })).not.toThrow();
  });
  it.each(['__name__', '__x', 'a-b', '1a', 'a:b', ''])('rejects label name %j', (l) => {
    expect(() => new Counter({ name: 'c_total', help: 'x', labelNames: [l], ...noReg })).toThrow(
      ConfigError,
    );
  });
  it('rejects reserved and duplicate labels, bad help, bad unit, bad cap', () => {
    expect(() => new Histogram({ name: 'h', help: 'x', labelNames: ['le'], ...noReg })).toThrow(
      /reserved label "le"/,
    );
    expect(() => new Summary({ name: 's', help: 'x', labelNames: ['quantile'], ...noReg })).toThrow(
      /reserved/,
    );
    expect(() => new Gauge({ name: 'g', help: 'x', labelNames: ['a', 'a'], ...noReg })).toThrow(
      /unique/,
    );
    expect(() => new Gauge({ name: 'g', help: 3 as unknown as string, ...noReg })).toThrow(/help/);
    expect(() => new Gauge({ name: 'g_seconds', help: 'x', unit: 'bytes', ...noReg })).toThrow(
      /end with "_bytes"/,
    );
    expect(
      () => new Counter({ name: 'g_seconds_total', help: 'x', unit: 'seconds', ...noReg }),
    ).not.toThrow();
    expect(() => new Gauge({ name: 'g', help: 'x', maxSeries: 0, ...noReg })).toThrow(/maxSeries/);
  });
});

describe('label sets', () => {
  const c = new Counter({
    name: 'req_total',
    help: 'r',
    labelNames: ['model', 'device'],
    ...noReg,
  });
  it('must match labelNames exactly', () => {
    expect(() => c.inc({ model: 'a' } as never)).toThrow(/expected labels \["model","device"\]/);
    expect(() => c.inc({ model: 'a', device: 'b', extra: 'c' } as never)).toThrow(
      /unknown label "extra"/,
    );
    expect(() => c.inc({ model: 'a', device: undefined } as never)).toThrow(
      /string or number, got undefined/,
    );
    expect(() => c.inc()).toThrow(ConfigError);
    expect(() => c.labels('only-one')).toThrow(/expected 2 label values/);
    const plain = new Counter({ name: 'plain_total', help: 'p', ...noReg });
    expect(() => plain.inc({ x: 'y' } as never)).toThrow(/expected no labels/);
  });
  it('accepts positional and numeric label values', () => {
    c.labels('m', 7).inc(2);
    c.inc({ model: 'm', device: '7' });
    const f = c.snapshot();
    expect(f.points.find((p) => p.labels['device'] === '7')?.value).toBe(3);
  });
  it('label values that look alike never share a series', () => {
    const g = new Gauge({ name: 'g', help: 'g', labelNames: ['a', 'b'], ...noReg });
    g.set({ a: 'x|', b: 'y' }, 1);
    g.set({ a: 'x', b: '|y' }, 2);
    g.set({ a: '1:x', b: '' }, 3);
    g.set({ a: '1', b: 'x' }, 4);
    expect(g.seriesCount).toBe(4);
  });
});

describe('Counter', () => {
  it('increments, rejects decrements, drops NaN and infinities', () => {
    const c = new Counter({ name: 'c_total', help: 'c', ...noReg });
    c.inc();
    c.inc(2.5);
    expect(() => c.inc(-1)).toThrow(DataError);
    expect(() => c.inc(-1)).toThrow(/non-negative/);
    c.inc(NaN);
    c.inc(Infinity);
    expect(c.snapshot().points[0]?.value).toBe(3.5);
    expect(c.droppedCounts()).toEqual({ nan: 1, non_finite: 1 });
  });
  it('exposes a metric without labels at zero before the first inc', () => {
    const c = new Counter({ name: 'z_total', help: 'z', ...noReg });
    expect(c.snapshot().points).toEqual([expect.objectContaining({ labels: {}, value: 0 })]);
  });
  it('remove() and reset()', () => {
    const c = new Counter({ name: 'r_total', help: 'r', labelNames: ['k'], ...noReg });
    const child = c.labels({ k: 'a' });
    child.inc(3);
    c.inc({ k: 'b' });
    c.remove({ k: 'a' });
    expect(c.snapshot().points.map((p) => p.labels['k'])).toEqual(['b']);
    child.inc(); // a held child recreates its series from zero
    expect(c.snapshot().points.find((p) => p.labels['k'] === 'a')?.value).toBe(1);
    c.reset();
    expect(c.seriesCount).toBe(0);
  });
  it('sum of increments equals the exposed value (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.double({ min: 0, max: 1e6, noNaN: true })),
        ),
        (incs) => {
          const c = new Counter({ name: 'p_total', help: 'p', labelNames: ['k'], ...noReg });
          const expected: Record<string, number> = {};
          for (const [k, v] of incs) {
            c.inc({ k }, v);
            expected[k] = (expected[k] ?? 0) + v;
          }
          const got = Object.fromEntries(c.snapshot().points.map((p) => [p.labels['k'], p.value]));
          expect(got).toEqual(expected);
        },
      ),
    );
  });
});

describe('Gauge', () => {
  it('set, inc, dec, setToCurrentTime, startTimer; NaN dropped, Infinity kept', () => {
    const g = new Gauge({ name: 'g', help: 'g', labelNames: ['k'], ...noReg });
    const a = g.labels({ k: 'a' });
    a.set(5);
    a.inc(2);
    a.dec();
    g.dec({ k: 'a' }, 0.5);
    a.set(NaN);
    expect(g.snapshot().points[0]?.value).toBe(5.5);
    expect(g.droppedCounts()).toEqual({ nan: 1 });
    g.set({ k: 'inf' }, Infinity);
    expect(g.snapshot().points[1]?.value).toBe(Infinity);
    const before = Date.now() / 1000;
    g.setToCurrentTime({ k: 't' });
    const t = g.snapshot().points[2]?.value as number;
    expect(t).toBeGreaterThanOrEqual(before - 0.001);
    expect(t).toBeLessThanOrEqual(Date.now() / 1000 + 0.001);
    const end = a.startTimer();
    const s = end();
    expect(s).toBeGreaterThanOrEqual(0);
    expect(g.snapshot().points[0]?.value).toBe(s);
  });
});

describe('cardinality cap', () => {
  it('folds label sets past maxSeries into one overflow series and counts them', () => {
    const h = new Histogram({
      name: 'h',
      help: 'h',
      labelNames: ['device'],
      buckets: [1],
      maxSeries: 3,
      ...noReg,
    });
    for (let i = 0; i < 10; i++) h.observe({ device: `d${i}` }, 0.5);
    h.observe({ device: 'd0' }, 0.5); // an existing series still records normally
    expect(h.seriesCount).toBe(4);
    expect(h.overflowCount).toBe(7);
    const pts = h.snapshot().points as HistogramPoint[];
    expect(pts.find((p) => p.labels['device'] === '__overflow__')?.count).toBe(7);
    expect(pts.find((p) => p.labels['device'] === 'd0')?.count).toBe(2);
    // totals are preserved
    expect(pts.reduce((s, p) => s + p.count, 0)).toBe(11);
  });
});

describe('Histogram (classic)', () => {
  it('validates buckets', () => {
    expect(() => new Histogram({ name: 'h', help: 'h', buckets: [1, 1], ...noReg })).toThrow(
      /strictly ascending/,
    );
    expect(() => new Histogram({ name: 'h', help: 'h', buckets: [2, 1], ...noReg })).toThrow(
      /strictly ascending/,
    );
    expect(() => new Histogram({ name: 'h', help: 'h', buckets: [NaN], ...noReg })).toThrow(
      /finite/,
    );
    expect(() => new Histogram({ name: 'h', help: 'h', buckets: 'x' as never, ...noReg })).toThrow(
      ConfigError,
    );
    expect(
      new Histogram({ name: 'h', help: 'h', buckets: [1, 2, Infinity], ...noReg }).buckets,
    ).toEqual([1, 2]);
    expect(validateBuckets([], 'h')).toEqual([]);
    expect(() => new Histogram({ name: 'h', help: 'h', sketch: { scale: 11 }, ...noReg })).toThrow(
      /scale/,
    );
  });
  it('generators', () => {
    expect(linearBuckets(0, 10, 3)).toEqual([0, 10, 20]);
    expect(exponentialBuckets(1, 2, 4)).toEqual([1, 2, 4, 8]);
    expect(() => linearBuckets(0, 0, 3)).toThrow(ConfigError);
    expect(() => exponentialBuckets(0, 2, 3)).toThrow(ConfigError);
    expect(() => exponentialBuckets(1, 2, 0)).toThrow(ConfigError);
  });
  it('le is inclusive; +Inf equals count; sum exact', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2], ...noReg });
    for (const v of [1, 2, 2.0000001, -5, 0.5]) h.observe(v);
    const p = h.snapshot().points[0] as HistogramPoint;
    expect(p.buckets).toEqual([
      { le: 1, count: 3 },
      { le: 2, count: 4 },
      { le: Infinity, count: 5 },
    ]);
    expect(p.sum).toBe(1 + 2 + 2.0000001 - 5 + 0.5);
  });
  it('classic counts equal an exact count of the observations (property)', () => {
    const boundaries = fc
      .uniqueArray(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
        maxLength: 8,
        comparator: 'SameValueZero',
      })
      .map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(
        boundaries,
        fc.array(fc.oneof(fc.double({ min: -2e3, max: 2e3 }), fc.constant(NaN))),
        (bounds, values) => {
          const h = new Histogram({ name: 'h', help: 'h', buckets: bounds, ...noReg });
          h.observeMany(undefined, values);
          const p = h.snapshot().points[0] as HistogramPoint;
          const finite = values.filter((v) => Number.isFinite(v));
          expect(p.count).toBe(finite.length);
          expect(p.buckets.map((b) => b.le)).toEqual([...bounds, Infinity]);
          bounds.forEach((b, i) =>
            expect(p.buckets[i]?.count).toBe(finite.filter((v) => v <= b).length),
          );
          for (let i = 1; i < p.buckets.length; i++)
            expect(p.buckets[i]!.count).toBeGreaterThanOrEqual(p.buckets[i - 1]!.count);
          expect(p.buckets.at(-1)?.count).toBe(p.count);
          expect(h.droppedCounts()['nan'] ?? 0).toBe(values.filter((v) => Number.isNaN(v)).length);
        },
      ),
    );
  });
  it('setCumulative replaces a series with externally aggregated counts, checked', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2], labelNames: ['d'], ...noReg });
    h.setCumulative({ d: 'x' }, { cumulative: [2, 5], count: 6, sum: 9 });
    const p = h.snapshot().points[0] as HistogramPoint;
    expect(p.buckets.map((b) => b.count)).toEqual([2, 5, 6]);
    expect(p.sum).toBe(9);
    expect(() => h.setCumulative({ d: 'x' }, { cumulative: [3, 2], count: 6, sum: 0 })).toThrow(
      DataError,
    );
    expect(() => h.setCumulative({ d: 'x' }, { cumulative: [1], count: 6, sum: 0 })).toThrow(
      DataError,
    );
    expect(() => h.setCumulative({ d: 'x' }, { cumulative: [1, 7], count: 6, sum: 0 })).toThrow(
      DataError,
    );
    // regression: label sets folded into the overflow series add up instead of replacing each other
    const capped = new Histogram({
      name: 'c',
      help: 'c',
      buckets: [1],
      labelNames: ['d'],
      maxSeries: 1,
      ...noReg,
    });
    capped.setCumulative({ d: 'a' }, { cumulative: [1], count: 1, sum: 1 });
    capped.setCumulative({ d: 'b' }, { cumulative: [2], count: 3, sum: 5 });
    capped.setCumulative({ d: 'c' }, { cumulative: [1], count: 1, sum: 0.5 });
    const over = capped.snapshot().points.find((p) => p.labels['d'] === '__overflow__');
    expect(over?.buckets.map((b) => b.count)).toEqual([3, 4]);
    expect([over?.count, over?.sum]).toEqual([4, 5.5]);
    const s = new Histogram({ name: 's', help: 's', sketch: true, ...noReg });
    expect(() => s.setCumulative(undefined, { cumulative: [], count: 0, sum: 0 })).toThrow(
      ConfigError,
    );
  });
  it('startTimer observes elapsed seconds; zero() exposes a series early', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['k'], ...noReg });
    h.zero({ k: 'early' });
    expect(h.snapshot().points[0]?.labels).toEqual({ k: 'early' });
    const s = h.labels({ k: 't' }).startTimer()();
    const p = h.snapshot().points[1] as HistogramPoint;
    expect(p.count).toBe(1);
    expect(p.sum).toBe(s);
  });
});

describe('registry integration of every type', () => {
  it('one registry with all four types renders and parses', async () => {
    const registry = new Registry();
    new Counter({ name: 'a_total', help: 'a', registry }).inc();
    new Gauge({ name: 'b', help: 'b', registry }).set(1);
    new Histogram({ name: 'c', help: 'c', registry }).observe(1);
    new Summary({ name: 'd', help: 'd', registry }).observe(1);
    const text = await registry.metrics();
    expect(text.match(/^# TYPE \S+ (\w+)$/gm)).toEqual([
      '# TYPE a_total counter',
      '# TYPE b gauge',
      '# TYPE c histogram',
      '# TYPE d summary',
    ]);
  });
});
