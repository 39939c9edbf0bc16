import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { ConfigError } from '../../src/errors.js';
import { close, regressionRef } from './reference.js';

/** Values with 3 decimals in [-1000, 1000], some repeated, so exact matches and constant windows occur. */
const value = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((i) => i / 1000),
  fc.constantFrom(0, 1, 2, -1),
);
const pair = fc.tuple(value, value);

describe('PerformanceMonitor — regression window', () => {
  it('sliding metrics equal a recomputation from scratch on the last N samples (task auto and regression)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(pair, { minLength: 1, maxLength: 200 }),
        fc.constantFrom('auto' as const, 'regression' as const),
        (windowSize, pairs, task) => {
          const m = new PerformanceMonitor({ windowSize, task });
          pairs.forEach(([p, y], i) => {
            expect(m.update(p, y)).toBe(true);
            const got = m.getMetrics();
            const ref = regressionRef(pairs.slice(Math.max(0, i + 1 - windowSize), i + 1));
            expect(got.numSamples).toBe(Math.min(i + 1, windowSize));
            for (const k of ['mae', 'rmse', 'mape', 'meanError'] as const) {
              expect(close(got[k], ref[k], 1e-9), `${k}: ${got[k]} vs ${ref[k]}`).toBe(true);
            }
            expect(close(got.r2, ref.r2, 1e-7), `r2: ${got.r2} vs ${ref.r2}`).toBe(true);
            if (task === 'auto') expect(got.accuracy).toBe(ref.accuracy);
            else expect(got.accuracy).toBeUndefined();
          });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('r2 stays exact when an outlier leaves a tiny window (regression: fast-check seed -68107675)', () => {
    const pairs: [number, number][] = [
      [0, -7.997],
      [0, -0.001],
      [0, 0],
    ];
    const m = new PerformanceMonitor({ windowSize: 2, task: 'auto' });
    for (const [p, y] of pairs) m.update(p, y);
    const ref = regressionRef(pairs.slice(1));
    expect(ref.r2).toBeCloseTo(-1, 12);
    expect(close(m.getMetrics().r2, ref.r2, 1e-12), `${m.getMetrics().r2} vs ${ref.r2}`).toBe(true);
  });

  it('stays exact after many window turnovers with large offsets (compensated sums, periodic rebuild)', () => {
    const windowSize = 50;
    const m = new PerformanceMonitor({ windowSize, task: 'regression' });
    const pairs: [number, number][] = [];
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 5000; i++) {
      // a burst of huge values followed by small ones: naive add/subtract would keep their rounding
      const big = i % 1000 < 50 ? 1e9 : 1;
      const y = 1e6 + rnd() * big;
      pairs.push([y + (rnd() - 0.5) * big, y]);
      m.update(pairs[i]![0], pairs[i]![1]);
    }
    const ref = regressionRef(pairs.slice(-windowSize));
    const got = m.getMetrics();
    for (const k of ['mae', 'rmse', 'mape', 'meanError', 'r2'] as const) {
      expect(close(got[k], ref[k], 1e-9), `${k}: ${got[k]} vs ${ref[k]}`).toBe(true);
    }
  });

  it('the documented snippet: mae, accuracy and numSamples over the last 100 predictions', () => {
    // predictions as (pred, actual) pairs, as in the documented loop
    const predictions: [number, number][] = Array.from({ length: 250 }, (_, i) => {
      const actual = i % 7;
      const pred = i % 5 === 0 ? actual + 0.5 : actual;
      return [pred, actual];
    });

    const monitor = new PerformanceMonitor({ windowSize: 100 });
    for (const [pred, actual] of predictions) monitor.update(pred, actual);
    const metrics = monitor.getMetrics();

    const ref = regressionRef(predictions.slice(-100));
    expect(metrics.numSamples).toBe(100);
    expect(metrics.mae).toBeCloseTo(ref.mae, 12);
    expect(metrics.accuracy).toBeCloseTo(ref.accuracy, 12);
    expect(metrics.rmse).toBeCloseTo(ref.rmse, 12);
    expect(metrics.accuracy).toBeGreaterThan(0.7);
    expect(metrics.accuracy).toBeLessThan(0.9);
  });

  it('drops and counts bad input; never throws', () => {
    const m = new PerformanceMonitor({ windowSize: 10 });
    expect(m.update(1, 1)).toBe(true);
    const bad: [unknown, unknown][] = [
      [NaN, 1],
      [1, NaN],
      [Infinity, 1],
      [1, -Infinity],
      ['a', 1],
      [1, 'a'],
      [null, 1],
      [undefined, undefined],
      [{}, 1],
      [1e300, 1],
    ];
    for (const [p, y] of bad) expect(m.update(p, y)).toBe(false);
    const got = m.getMetrics();
    expect(got.dropped).toBe(bad.length);
    expect(got.numSamples).toBe(1);
    expect(got.mae).toBe(0);
  });

  it("'auto' locks on the first valid sample: numbers, then strings are dropped", () => {
    const m = new PerformanceMonitor();
    m.update(NaN, 1); // does not lock
    m.update('cat', 'cat');
    m.update(1, 2); // mismatched with the locked label task
    const got = m.getMetrics();
    expect(got.accuracy).toBe(1);
    expect(got.mae).toBeUndefined();
    expect(got.dropped).toBe(2);
  });

  it('reports NaN on an empty window and r2 NaN with one sample', () => {
    const m = new PerformanceMonitor({ task: 'regression' });
    expect(Number.isNaN(m.getMetrics().mae)).toBe(true);
    m.update(2, 1);
    expect(Number.isNaN(m.getMetrics().r2)).toBe(true);
    expect(m.getMetrics().mae).toBe(1);
  });

  it('throws ConfigError on structural misuse', () => {
    const cases: unknown[] = [
      { windowSize: 0 },
      { windowSize: -5 },
      { windowSize: 1.5 },
      { windowSize: NaN },
      { windowMs: 0 },
      { task: 'ranking' },
      { baseline: { accurcy: 0.9 } },
      { baseline: { accuracy: NaN } },
      { threshold: 2 },
      { calibrationBins: 0 },
      { positiveLabel: NaN },
      { positiveLabel: 'a', negativeLabel: 'a' },
      { now: 5 },
    ];
    for (const o of cases) {
      expect(() => new PerformanceMonitor(o as never), JSON.stringify(o)).toThrow(ConfigError);
    }
    expect(() => new PerformanceMonitor({ windowSize: 0 })).toThrow(
      /expected windowSize to be a positive integer, got 0/,
    );
  });

  it('reset() empties the window and unlocks the task', () => {
    const m = new PerformanceMonitor();
    m.update(1, 2);
    m.update(NaN, 2);
    m.reset();
    expect(m.getMetrics()).toEqual({ numSamples: 0, dropped: 0 });
    m.update('a', 'b');
    expect(m.getMetrics().accuracy).toBe(0);
  });
});
