/** Property tests (fast-check) for the multivariate methods. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowedAuc } from '../../src/performance/windowed-auc.js';
import { symmetricEigen } from '../../src/multivariate/eigen.js';
import {
  calibrate,
  fitCbpe,
  fitIsotonic,
  fitPcaDrift,
  mmd2Unbiased,
  realisedPerformance,
  reconstructionErrors,
} from '../../src/entry/multivariate.js';

const finite = fc.double({ min: -100, max: 100, noNaN: true });
/** Values on a 1/8 grid: spreads well away from rounding noise, so standardisation is well conditioned. */
const gridValue = fc.integer({ min: -800, max: 800 }).map((v) => v / 8);
const rows = (d: number, min: number, max: number, value = finite): fc.Arbitrary<number[][]> =>
  fc.array(fc.array(value, { minLength: d, maxLength: d }), { minLength: min, maxLength: max });

describe('properties', () => {
  it('isotonic calibration is monotone non-decreasing and within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(finite, fc.constantFrom(0, 1)), { minLength: 1, maxLength: 60 }),
        fc.array(finite, { minLength: 2, maxLength: 20 }),
        (pairs, probes) => {
          const c = fitIsotonic(
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
          );
          const sorted = [...probes].sort((a, b) => a - b);
          let prev = -Infinity;
          for (const s of sorted) {
            const v = calibrate(c, s);
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
            expect(v).toBeGreaterThanOrEqual(prev - 1e-12);
            prev = v;
          }
        },
      ),
    );
  });

  it('isotonic interpolation across a subnormal gap stays within its knots', () => {
    // fast-check found 1.0000000000000002 here: knots 3.2e-255 apart, probed just below the upper one.
    const x = -3.1967960310005994e-255;
    const c = fitIsotonic([x, x, x, 0], [0, 0, 1, 1]);
    const v = calibrate(c, -5e-324);
    expect(v).toBeLessThanOrEqual(1);
    expect(v).toBeGreaterThanOrEqual(1 / 3);
  });

  it('MMD² is symmetric and invariant to translating and permuting the dimensions of both samples', () => {
    fc.assert(
      fc.property(
        rows(3, 2, 12),
        rows(3, 2, 12),
        fc.array(finite, { minLength: 3, maxLength: 3 }),
        (x, y, shift) => {
          const s = 7;
          const a = mmd2Unbiased(x, y, s);
          expect(mmd2Unbiased(y, x, s)).toBeCloseTo(a, 9);
          const move = (r: number[][]): number[][] =>
            r.map((v) => [v[2]! + shift[2]!, v[0]! + shift[0]!, v[1]! + shift[1]!]);
          expect(mmd2Unbiased(move(x), move(y), s)).toBeCloseTo(a, 9);
        },
      ),
    );
  });

  it('MMD² of a sample against itself is ≤ 0 (the unbiased estimator)', () => {
    fc.assert(
      fc.property(rows(2, 2, 15), (x) => {
        expect(mmd2Unbiased(x, x, 3)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });

  it('realised ROC-AUC equals the Mann–Whitney AUC and is symmetric under flipping labels and negating scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)), {
          minLength: 2,
          maxLength: 80,
        }),
        (pairs) => {
          const scores = pairs.map((p) => p[0]);
          const labels = pairs.map((p) => p[1]);
          fc.pre(labels.includes(0) && labels.includes(1));
          const model = fitCbpe(scores, labels, { calibration: 'none', draws: 0 });
          const auc = new WindowedAuc();
          pairs.forEach(([s, y]) => auc.add(s, y as 0 | 1));
          const r = realisedPerformance(model, scores, labels).roc_auc;
          expect(r).toBeCloseTo(auc.value(), 12);
          const flipped = realisedPerformance(
            model,
            scores.map((s) => -s),
            labels.map((y) => 1 - y),
          ).roc_auc;
          expect(flipped).toBeCloseTo(r, 12);
        },
      ),
    );
  });

  it('PCA reconstruction errors do not change when a column is rescaled and shifted (standardised first)', () => {
    fc.assert(
      fc.property(
        rows(3, 12, 30, gridValue),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (ref, a, b) => {
          const e1 = reconstructionErrors(fitPcaDrift(ref, { folds: 2 }), ref);
          const t = ref.map((r) => [r[0]! * a + b, r[1]!, r[2]!]);
          const e2 = reconstructionErrors(fitPcaDrift(t, { folds: 2 }), t);
          e1.forEach((v, i) => expect(e2[i]).toBeCloseTo(v, 5));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('symmetric eigen decomposition', () => {
  it('A·v = λ·v, the vectors are orthonormal and the values decrease', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(gridValue, { minLength: 81, maxLength: 81 }),
        (d, raw) => {
          const a = new Float64Array(d * d);
          for (let i = 0; i < d; i++)
            for (let j = 0; j <= i; j++) {
              a[i * d + j] = raw[i * 9 + j]!;
              a[j * d + i] = raw[i * 9 + j]!;
            }
          const { values, vectors } = symmetricEigen(a, d);
          for (let c = 0; c < d; c++) {
            if (c > 0) expect(values[c]!).toBeLessThanOrEqual(values[c - 1]! + 1e-9);
            for (let i = 0; i < d; i++) {
              let av = 0;
              for (let k = 0; k < d; k++) av += a[i * d + k]! * vectors[k * d + c]!;
              expect(av).toBeCloseTo(values[c]! * vectors[i * d + c]!, 7);
            }
            for (let c2 = 0; c2 < d; c2++) {
              let dot = 0;
              for (let k = 0; k < d; k++) dot += vectors[k * d + c]! * vectors[k * d + c2]!;
              expect(dot).toBeCloseTo(c === c2 ? 1 : 0, 9);
            }
          }
        },
      ),
    );
  });
});
