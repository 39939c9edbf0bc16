import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { close, regressionRef } from './reference.js';

describe('PerformanceMonitor — time-based window', () => {
  it('holds exactly the samples younger than windowMs (and at most windowSize), as a recomputation shows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 400 }),
            fc.integer({ min: -100, max: 100 }),
            fc.integer({ min: -100, max: 100 }),
          ),
          { minLength: 1, maxLength: 120 },
        ),
        (windowMs, windowSize, steps) => {
          let t = 1_000_000;
          const m = new PerformanceMonitor({
            windowMs,
            task: 'regression',
            now: () => t,
            ...(windowSize === undefined ? {} : { windowSize }),
          });
          const log: { t: number; p: number; y: number }[] = [];
          for (const [dt, p, y] of steps) {
            t += dt;
            m.update(p, y);
            log.push({ t, p, y });
            let win = log.filter((s) => t - s.t < windowMs);
            if (windowSize !== undefined) win = win.slice(-windowSize);
            const got = m.getMetrics();
            const ref = regressionRef(win.map((s) => [s.p, s.y] as const));
            expect(got.numSamples).toBe(win.length);
            expect(close(got.mae, ref.mae)).toBe(true);
            expect(close(got.rmse, ref.rmse)).toBe(true);
          }
          // time passes with no updates: the window empties on read
          t += windowMs;
          expect(m.getMetrics().numSamples).toBe(0);
          expect(m.numSamples).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a sample exactly windowMs old has left the window', () => {
    let t = 0;
    const m = new PerformanceMonitor({ windowMs: 1000, now: () => t });
    m.update(1, 0);
    t = 999;
    expect(m.numSamples).toBe(1);
    t = 1000;
    expect(m.numSamples).toBe(0);
  });
});

describe('PerformanceMonitor — delayed labels', () => {
  it('matches labels to predictions by id, in any order', () => {
    let t = 0;
    const m = new PerformanceMonitor({ task: 'binary', now: () => t });
    expect(m.recordPrediction('a', 0.9)).toBe(true);
    expect(m.recordPrediction('b', 0.2)).toBe(true);
    expect(m.recordPrediction(3, 0.6)).toBe(true);
    t = 10;
    expect(m.recordLabel(3, 0)).toBe(true);
    expect(m.recordLabel('a', 1)).toBe(true);
    expect(m.recordLabel('a', 1)).toBe(false); // already used
    expect(m.getMetrics()).toMatchObject({
      numSamples: 2,
      pendingLabels: 1,
      unmatchedLabels: 1,
      expiredLabels: 0,
      accuracy: 0.5,
      auc: 1,
    });
  });

  it('expires predictions after labelTtlMs and beyond maxPendingLabels, and counts them', () => {
    let t = 0;
    const m = new PerformanceMonitor({
      task: 'regression',
      labelTtlMs: 100,
      maxPendingLabels: 3,
      now: () => t,
    });
    for (const id of ['a', 'b', 'c', 'd']) m.recordPrediction(id, 1); // 'a' is pushed out by 'd'
    expect(m.getMetrics()).toMatchObject({ pendingLabels: 3, expiredLabels: 1 });
    expect(m.recordLabel('a', 1)).toBe(false);
    t = 50;
    m.recordPrediction('e', 5);
    t = 100; // b, c, d are 100 ms old: expired; e is 50 ms old
    expect(m.recordLabel('b', 1)).toBe(false);
    expect(m.recordLabel('e', 4)).toBe(true);
    expect(m.getMetrics()).toMatchObject({
      numSamples: 1,
      mae: 1,
      pendingLabels: 0,
      expiredLabels: 4,
      unmatchedLabels: 2,
    });
  });

  it('drops malformed ids and predictions; a bad label is dropped at match time', () => {
    const m = new PerformanceMonitor({ task: 'binary' });
    expect(m.recordPrediction(NaN, 0.5)).toBe(false);
    expect(m.recordPrediction({} as never, 0.5)).toBe(false);
    expect(m.recordPrediction('x', NaN)).toBe(false);
    expect(m.recordPrediction('y', 0.5)).toBe(true);
    expect(m.recordLabel('y', 7)).toBe(false);
    expect(m.getMetrics()).toMatchObject({ dropped: 4, numSamples: 0, pendingLabels: 0 });
  });
});
