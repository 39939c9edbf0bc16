import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fixtures from './fixtures/lifecycle.json';
import {
  ImportanceTracker,
  importanceShiftRule,
  spearman,
} from '../../src/lifecycle/importance-tracker.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { ConfigError } from '../../src/errors.js';

describe('spearman (vs scipy.stats.spearmanr)', () => {
  it.each(fixtures.spearman)('case %#', (f) => {
    expect(spearman(f.a, f.b)).toBeCloseTo(f.rho, 12);
  });
});

describe('ImportanceTracker', () => {
  it('tracks history and the total-variation shift from the first record', () => {
    let t = 0;
    const tracker = new ImportanceTracker({
      features: ['a', 'b', 'c'],
      maxHistory: 3,
      now: () => ++t,
    });
    expect(tracker.record({ a: 5, b: 3, c: 2 }).shift).toBe(0);
    const c = tracker.record({ a: 2, b: 3, c: 5 });
    // baseline (.5, .3, .2) vs (.2, .3, .5): ½(.3 + 0 + .3)
    expect(c.shift).toBeCloseTo(0.3, 12);
    expect(c.rankCorrelation).toBeCloseTo(-1, 12);
    expect(c.topChanged).toBe(true);
    expect(c.perFeature.a).toBeCloseTo(-0.3, 12);
    tracker.record({ a: 1, b: 1, c: 1 });
    tracker.record({ a: 1, b: 1, c: 1 });
    expect(tracker.history().map((h) => h.at)).toEqual([2, 3, 4]);
    expect(tracker.baseline).toEqual({ a: 0.5, b: 0.3, c: 0.2 });
  });

  it('importances that do not match the features are ConfigErrors', () => {
    const tracker = new ImportanceTracker({ features: ['a', 'b'] });
    expect(() => tracker.record({ a: 1 })).toThrow(ConfigError);
    expect(() => tracker.record({ a: 1, b: 1, c: 1 })).toThrow(ConfigError);
    expect(() => new ImportanceTracker({ features: [] })).toThrow(ConfigError);
    expect(() => new ImportanceTracker({ features: ['a'], baseline: { b: 1 } })).toThrow(
      ConfigError,
    );
    expect(() => importanceShiftRule(0)).toThrow(ConfigError);
  });

  it('importance change drives an alert through AlertSystem', () => {
    const tracker = new ImportanceTracker({ features: ['a', 'b'], baseline: { a: 0.8, b: 0.2 } });
    const alerts = new AlertSystem();
    alerts.addRule(importanceShiftRule(0.25));
    tracker.record({ a: 0.7, b: 0.3 });
    expect(alerts.evaluate(tracker.metrics())).toEqual([]);
    tracker.record({ a: 0.4, b: 0.6 });
    const fired = alerts.evaluate(tracker.metrics());
    expect(fired.map((a) => a.name)).toEqual(['feature_importance_shift']);
    expect(fired[0]!.metrics.importanceShift).toBeCloseTo(0.4, 12);
  });

  it('property: shift in [0, 1], zero against itself', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 2, maxLength: 10 }),
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 10, maxLength: 10 }),
        (base, next) => {
          const features = base.map((_, i) => `f${i}`);
          const tracker = new ImportanceTracker({
            features,
            baseline: Object.fromEntries(features.map((f, i) => [f, base[i]!])),
          });
          expect(
            tracker.record(Object.fromEntries(features.map((f, i) => [f, base[i]!]))).shift,
          ).toBeCloseTo(0, 12);
          const c = tracker.record(Object.fromEntries(features.map((f, i) => [f, next[i]!])));
          expect(c.shift).toBeGreaterThanOrEqual(0);
          expect(c.shift).toBeLessThanOrEqual(1 + 1e-12);
          expect(Math.abs(c.rankCorrelation)).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
    );
  });
});
