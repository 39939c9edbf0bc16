import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { METRIC_DIRECTIONS, relativeDegradation } from '../../src/performance/degradation.js';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';

describe('relativeDegradation', () => {
  it('is positive when worse, for higher-better and error metrics alike', () => {
    expect(relativeDegradation('accuracy', 0.88, 0.93)).toBeCloseTo(0.05 / 0.93, 15);
    expect(relativeDegradation('mae', 0.21, 0.2)).toBeCloseTo(0.05, 12);
    expect(relativeDegradation('mae', 0.19, 0.2)).toBeCloseTo(-0.05, 12);
    expect(relativeDegradation('meanError', -0.3, 0.2)).toBeCloseTo(0.5, 12);
    expect(relativeDegradation('r2', -0.5, 0.5)).toBe(2);
    expect(relativeDegradation('mae', 0, 0)).toBe(0);
    expect(relativeDegradation('mae', 0.1, 0)).toBe(Infinity);
    expect(relativeDegradation('accuracy', NaN, 0.9)).toBeNaN();
  });

  it('property: sign follows the direction of the metric', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(METRIC_DIRECTIONS)),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (metric, current, baseline) => {
          const d = relativeDegradation(metric, current, baseline);
          const dir = METRIC_DIRECTIONS[metric];
          const worse = dir === 'higher-better' ? current < baseline : current > baseline;
          if (current === baseline) expect(d).toBe(0);
          else expect(d > 0).toBe(worse);
          expect(Math.abs(d)).toBeCloseTo(Math.abs(current - baseline) / baseline, 9);
        },
      ),
    );
  });
});

describe('PerformanceMonitor — baseline', () => {
  it('reports degradation per baseline metric from the window', () => {
    const m = new PerformanceMonitor({ windowSize: 4, baseline: { accuracy: 0.8, mae: 0.1 } });
    for (const [p, y] of [
      [1, 1],
      [2, 2],
      [3, 3.4],
      [4, 4],
    ] as const) {
      m.update(p, y);
    }
    const got = m.getMetrics();
    expect(got.accuracy).toBe(0.75);
    expect(got.mae).toBeCloseTo(0.1, 12);
    expect(got.degradation?.accuracy).toBeCloseTo((0.8 - 0.75) / 0.8, 12);
    expect(got.degradation?.mae).toBeCloseTo(0, 9);
  });

  it('reports NaN for a baseline metric the task does not produce', () => {
    const m = new PerformanceMonitor({ task: 'regression', baseline: { auc: 0.9 } });
    m.update(1, 2);
    expect(m.getMetrics().degradation?.auc).toBeNaN();
  });
});
