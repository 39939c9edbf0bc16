import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeImportances } from '../../src/lifecycle/feature-importance.js';
import { permutationImportance } from '../../src/lifecycle/permutation-importance.js';
import { rankDrift } from '../../src/lifecycle/rank-drift.js';
import { ConfigError, DataError } from '../../src/errors.js';
import { gauss, rng } from './helpers.js';

function table(
  n: number,
  seed: number,
): { rows: Array<{ x0: number; x1: number; x2: number }>; arrays: number[][] } {
  const r = rng(seed);
  const rows = Array.from({ length: n }, () => ({ x0: gauss(r), x1: gauss(r), x2: gauss(r) }));
  return { rows, arrays: rows.map((o) => [o.x0, o.x1, o.x2]) };
}

describe('permutationImportance on models whose important feature is known', () => {
  it('regression y = 3·x0 + x1 (x2 unused): MAE drops match E|X − X′| = 2/√π per unit weight', async () => {
    const { rows } = table(4000, 1);
    const labels = rows.map((o) => 3 * o.x0 + o.x1);
    const predict = (batch: typeof rows): number[] => batch.map((o) => 3 * o.x0 + o.x1);
    const r = await permutationImportance({
      predict,
      rows,
      labels,
      metric: 'mae',
      repeats: 3,
      chunkSize: 1000,
    });
    const unit = 2 / Math.sqrt(Math.PI); // E|X − X′| for independent standard normals
    expect(r.baselineScore).toBe(0);
    expect(r.importances.x0! / (3 * unit)).toBeGreaterThan(0.93);
    expect(r.importances.x0! / (3 * unit)).toBeLessThan(1.07);
    expect(r.importances.x1! / unit).toBeGreaterThan(0.93);
    expect(r.importances.x1! / unit).toBeLessThan(1.07);
    expect(r.importances.x2).toBe(0);
    expect(r.std.x2).toBe(0);
  });

  it('classifier y = [x0 > 0] (x1, x2 unused): accuracy drop ≈ 0.5 on x0, exactly 0 elsewhere', async () => {
    const { rows, arrays } = table(3000, 2);
    const labels = rows.map((o) => (o.x0 > 0 ? 1 : 0));
    const r = await permutationImportance({
      predict: (b: typeof rows) => b.map((o) => (o.x0 > 0 ? 1 : 0)),
      rows,
      labels,
      metric: 'accuracy',
      repeats: 4,
      seed: 9,
    });
    expect(r.baselineScore).toBe(1);
    expect(Math.abs(r.importances.x0! - 0.5)).toBeLessThan(0.04);
    expect(r.importances.x1).toBe(0);
    expect(r.importances.x2).toBe(0);
    // array rows with the same seed give the same result
    const ra = await permutationImportance({
      predict: (b: number[][]) => b.map((x) => (x[0]! > 0 ? 1 : 0)),
      rows: arrays,
      labels,
      features: ['x0', 'x1', 'x2'],
      metric: 'accuracy',
      repeats: 4,
      seed: 9,
    });
    expect(ra).toEqual(r);
  });

  it('is chunked, async-friendly and never mutates the window', async () => {
    const { rows } = table(500, 3);
    const frozen = rows.map((o) => Object.freeze({ ...o }));
    Object.freeze(frozen);
    const labels = frozen.map((o) => o.x0);
    const sizes: number[] = [];
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    const r = await permutationImportance({
      predict: async (b: typeof frozen) => {
        sizes.push(b.length);
        return b.map((o) => o.x0);
      },
      rows: frozen,
      labels,
      metric: {
        score: (o: readonly number[], y: readonly unknown[]) =>
          o.reduce((s, v, i) => s + (v - Number(y[i])) ** 2, 0),
        higherIsBetter: false,
      },
      repeats: 2,
      chunkSize: 64,
    });
    expect(timerFired).toBe(true);
    expect(Math.max(...sizes)).toBe(64);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(500 * (1 + 3 * 2));
    expect(r.importances.x0).toBeGreaterThan(0);
  });

  it.each([
    ['mae', NaN],
    ['rmse', Infinity],
    ['mae', '3'],
    ['accuracy', NaN],
    ['accuracy', null],
    ['accuracy', undefined],
  ] as const)(
    '%s with a %s label is a DataError naming the row, not NaN importances',
    async (metric, y) => {
      const { rows } = table(50, 4);
      const labels: unknown[] = rows.map(() => 0);
      labels[17] = y;
      const predict = (b: typeof rows): number[] => b.map(() => 0);
      await expect(permutationImportance({ predict, rows, labels, metric })).rejects.toThrow(
        /labels\[17\]/,
      );
      await expect(permutationImportance({ predict, rows, labels, metric })).rejects.toBeInstanceOf(
        DataError,
      );
    },
  );

  it('custom metric, abort, bad input', async () => {
    const { rows } = table(50, 4);
    const labels = rows.map(() => 0);
    const predict = (b: typeof rows): number[] => b.map(() => 0);
    await expect(
      permutationImportance({ predict, rows, labels: labels.slice(1), metric: 'mae' }),
    ).rejects.toThrow(DataError);
    await expect(
      permutationImportance({ predict, rows: [], labels: [], metric: 'mae' }),
    ).rejects.toThrow(DataError);
    await expect(
      permutationImportance({
        predict: (b: typeof rows) => b.slice(1).map(() => 0),
        rows,
        labels,
        metric: 'mae',
      }),
    ).rejects.toThrow(/expected predict to return/);
    await expect(
      permutationImportance({ predict, rows, labels, metric: 'auc' as 'mae' }),
    ).rejects.toThrow(ConfigError);
    await expect(
      permutationImportance({
        predict: (b: number[][]) => b.map(() => 0),
        rows: [[1, 2]],
        labels: [0],
        metric: 'mae',
      }),
    ).rejects.toThrow(/feature names/);
    await expect(
      permutationImportance({ predict, rows, labels, metric: 'mae', repeats: 0 }),
    ).rejects.toThrow(ConfigError);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      permutationImportance({ predict, rows, labels, metric: 'mae', signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});

describe('normalizeImportances', () => {
  it('importances that do not match the features are ConfigErrors', () => {
    expect(() => normalizeImportances({ a: 1 }, ['a', 'b'])).toThrow(/missing \[b\]/);
    expect(() => normalizeImportances({ a: 1, b: 1, z: 2 }, ['a', 'b'])).toThrow(/unknown \[z\]/);
    expect(() => normalizeImportances({ a: -1, b: 1 }, ['a', 'b'])).toThrow(ConfigError);
    expect(() => normalizeImportances({ a: NaN, b: 1 }, ['a', 'b'])).toThrow(ConfigError);
    expect(normalizeImportances({ a: -1, b: 1 }, ['a', 'b'], { clipNegative: true })).toEqual({
      a: 0,
      b: 1,
    });
    expect(normalizeImportances({ a: 0, b: 0 }, ['a', 'b'])).toEqual({ a: 0.5, b: 0.5 });
  });

  it('property: weights are proportional to the importances and sum to 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (values) => {
          const features = values.map((_, i) => `f${i}`);
          const imp = Object.fromEntries(features.map((f, i) => [f, values[i]!]));
          const w = normalizeImportances(imp, features);
          const total = values.reduce((a, b) => a + b, 0);
          expect(Object.values(w).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
          if (total > 0)
            features.forEach((f, i) => expect(w[f]).toBeCloseTo(values[i]! / total, 9));
        },
      ),
    );
  });
});

describe('rankDrift', () => {
  const result = {
    isDrift: true,
    driftShare: 0.5,
    features: {
      age: { isDrift: true, statistic: 0.3, pValue: 0.001 },
      income: { isDrift: false, statistic: 0.02, pValue: 0.6 },
      zip: { isDrift: true, statistic: 0.5, pValue: 1e-6 },
      score: { isDrift: false, statistic: 0.04, pValue: 0.3 },
    },
  };

  it('weights drifted features by importance and ranks them first', () => {
    const r = rankDrift(result, { age: 6, income: 3, zip: 0.5, score: 0.5 });
    expect(r.score).toBeCloseTo((6 + 0.5) / 10, 12);
    expect(r.driftShare).toBe(0.5);
    expect(r.ranked.map((f) => f.feature)).toEqual(['age', 'zip', 'income', 'score']);
    expect(r.ranked[0]).toMatchObject({ weight: 0.6, contribution: 0.6, pValue: 0.001 });
    expect(r.ranked[2]!.contribution).toBe(0);
  });

  it('importances that do not match the drift result are ConfigErrors', () => {
    expect(() => rankDrift(result, { age: 1, income: 1, zip: 1 })).toThrow(ConfigError);
    expect(() => rankDrift(result, { age: 1, income: 1, zip: 1, score: 1, extra: 1 })).toThrow(
      /unknown \[extra\]/,
    );
    expect(() => rankDrift({ features: {} }, {})).toThrow(ConfigError);
    expect(() => rankDrift(null as never, {})).toThrow(ConfigError);
  });

  it('property: score in [0, 1]; equal importances give the plain drift share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.double({ min: 0, max: 100, noNaN: true })), {
          minLength: 1,
          maxLength: 15,
        }),
        (cols) => {
          const features = Object.fromEntries(
            cols.map(([d], i) => [`f${i}`, { isDrift: d, statistic: i }]),
          );
          const imp = Object.fromEntries(cols.map(([, w], i) => [`f${i}`, w]));
          const r = rankDrift({ features }, imp);
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(1 + 1e-12);
          const eq = rankDrift({ features }, Object.fromEntries(cols.map((_, i) => [`f${i}`, 1])));
          expect(eq.score).toBeCloseTo(eq.driftShare, 12);
        },
      ),
    );
  });
});
