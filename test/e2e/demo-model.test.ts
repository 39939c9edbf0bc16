/**
 * The demo's own parts, in Node (fast): the synthetic sensor generator injects
 * exactly the faults the page says it injects, and the in-page model is a real
 * model (well above chance on a holdout, NaN handled by mean imputation).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../demo/rng.js';
import {
  CLASSES,
  FEATURES,
  NUM_CLASSES,
  NUM_FEATURES,
  REFERENCE_MOMENTS,
  normalScenario,
  sampleBatch,
  toColumns,
} from '../../demo/sensor-data.js';
import { predictAll, predictClass, trainSoftmax } from '../../demo/model.js';

const featureArb = fc.integer({ min: 0, max: NUM_FEATURES - 1 });

function accuracy(pred: Int32Array, labels: Int32Array): number {
  let hits = 0;
  pred.forEach((p, i) => {
    if (p === labels[i]) hits++;
  });
  return hits / labels.length;
}

describe('demo sensor generator', () => {
  it('matches the exact mixture moments it states (REFERENCE_MOMENTS)', () => {
    const n = 100_000;
    const cols = toColumns(sampleBatch(createRng(1), n, normalScenario()).rows);
    FEATURES.forEach((f, j) => {
      const x = cols[f];
      let m = 0;
      for (const v of x) m += v;
      m /= n;
      let v2 = 0;
      for (const v of x) v2 += (v - m) ** 2;
      const sd = Math.sqrt(v2 / (n - 1));
      const se = REFERENCE_MOMENTS.std[j]! / Math.sqrt(n);
      expect(Math.abs(m - REFERENCE_MOMENTS.mean[j]!), f).toBeLessThan(5 * se);
      expect(Math.abs(sd / REFERENCE_MOMENTS.std[j]! - 1), f).toBeLessThan(0.02);
    });
  });

  it('a shift moves exactly the chosen feature by shift·σ and leaves the others alone', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        featureArb,
        fc.double({ min: -3, max: 3, noNaN: true }),
        (seed, j, shift) => {
          const s = normalScenario();
          s.features[FEATURES[j]!].shift = shift;
          const clean = sampleBatch(createRng(seed), 50, normalScenario());
          const drifted = sampleBatch(createRng(seed), 50, s);
          expect(Array.from(drifted.labels)).toEqual(Array.from(clean.labels));
          for (let i = 0; i < 50; i++) {
            for (let k = 0; k < NUM_FEATURES; k++) {
              const d = drifted.rows[i * NUM_FEATURES + k]! - clean.rows[i * NUM_FEATURES + k]!;
              if (k === j) expect(d).toBeCloseTo(shift * REFERENCE_MOMENTS.std[k]!, 9);
              else expect(d).toBe(0);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a scale multiplies the deviation from the reference mean', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        featureArb,
        fc.double({ min: 0.25, max: 3, noNaN: true }),
        (seed, j, scale) => {
          const s = normalScenario();
          s.features[FEATURES[j]!].scale = scale;
          const clean = sampleBatch(createRng(seed), 30, normalScenario());
          const scaled = sampleBatch(createRng(seed), 30, s);
          const mu = REFERENCE_MOMENTS.mean[j]!;
          for (let i = 0; i < 30; i++) {
            const a = clean.rows[i * NUM_FEATURES + j]! - mu;
            const b = scaled.rows[i * NUM_FEATURES + j]! - mu;
            expect(b).toBeCloseTo(a * scale, 9);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a broken sensor puts NaN only in its own column, at about the chosen rate', () => {
    const s = normalScenario();
    s.brokenSensor = 'thermal_c';
    s.nanRate = 0.3;
    const n = 20_000;
    const cols = toColumns(sampleBatch(createRng(3), n, s).rows);
    for (const f of FEATURES) {
      const nan = cols[f].filter((v) => Number.isNaN(v)).length;
      if (f === 'thermal_c')
        expect(Math.abs(nan / n - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / n));
      else expect(nan).toBe(0);
    }
  });

  it('label shift moves the class mix toward vehicles', () => {
    const s = normalScenario();
    s.labelShift = 1;
    const n = 20_000;
    const count = (labels: Int32Array): number[] => {
      const c = new Array<number>(NUM_CLASSES).fill(0);
      for (const y of labels) c[y]! += 1 / labels.length;
      return c;
    };
    const before = count(sampleBatch(createRng(4), n, normalScenario()).labels);
    const after = count(sampleBatch(createRng(4), n, s).labels);
    const vehicle = CLASSES.indexOf('vehicle');
    expect(before[vehicle]).toBeCloseTo(0.15, 1);
    expect(after[vehicle]).toBeCloseTo(0.65, 1);
  });
});

describe('demo model (softmax regression)', () => {
  const rng = createRng(42);
  const train = sampleBatch(rng, 3000, normalScenario());
  const hold = sampleBatch(rng, 2000, normalScenario());
  const model = trainSoftmax(train.rows, train.labels, NUM_FEATURES, NUM_CLASSES, 1);

  it('beats the majority class by a wide margin on a holdout', () => {
    const acc = accuracy(predictAll(model, hold.rows), hold.labels);
    expect(acc).toBeGreaterThan(0.88);
  });

  it('loses accuracy under a lidar shift and recovers when retrained on shifted data', () => {
    const s = normalScenario();
    s.features.lidar_intensity.shift = 2.5;
    const shifted = sampleBatch(rng, 2000, s);
    const before = accuracy(predictAll(model, shifted.rows), shifted.labels);
    const fresh = sampleBatch(rng, 1200, s);
    const retrained = trainSoftmax(fresh.rows, fresh.labels, NUM_FEATURES, NUM_CLASSES, 2);
    const after = accuracy(predictAll(retrained, shifted.rows), shifted.labels);
    expect(before).toBeLessThan(0.75);
    expect(after).toBeGreaterThan(0.88);
  });

  it('loses accuracy at the loading dock (label shift to forklifts) past the alert threshold', () => {
    const s = normalScenario();
    s.labelShift = 1;
    const dock = sampleBatch(rng, 4000, s);
    const clean = accuracy(predictAll(model, hold.rows), hold.labels);
    const shifted = accuracy(predictAll(model, dock.rows), dock.labels);
    const vehicles =
      dock.labels.filter((k) => CLASSES[k] === 'vehicle').length / dock.labels.length;
    expect(vehicles).toBeGreaterThan(0.6);
    // The demo's accuracy_drop rule fires above a 10 % relative drop.
    expect((clean - shifted) / clean).toBeGreaterThan(0.2);
  });

  it('imputes a NaN input with the training mean', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1999 }), featureArb, (i, j) => {
        const row = hold.rows.slice(i * NUM_FEATURES, (i + 1) * NUM_FEATURES);
        const withNaN = row.slice();
        withNaN[j] = Number.NaN;
        const withMean = row.slice();
        withMean[j] = model.mean[j]!;
        expect(predictClass(model, withNaN, 0)).toBe(predictClass(model, withMean, 0));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects labels out of range and mismatched lengths', () => {
    expect(() => trainSoftmax(new Float64Array(6), Int32Array.of(4), 6, 4, 1)).toThrow(RangeError);
    expect(() => trainSoftmax(new Float64Array(5), Int32Array.of(0), 6, 4, 1)).toThrow(RangeError);
  });
});
