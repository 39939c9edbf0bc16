/**
 * The multivariate methods against independent references: sklearn / scipy /
 * numpy values written by scripts/fixtures-multivariate.py.
 */
import { describe, expect, it } from 'vitest';
import * as mv from '../../src/entry/multivariate.js';
import calibration from '../fixtures/multivariate/calibration.json';
import cbpeBinary from '../fixtures/multivariate/cbpe-binary.json';
import cbpeMulticlass from '../fixtures/multivariate/cbpe-multiclass.json';
import pca from '../fixtures/multivariate/pca.json';
import logistic from '../fixtures/multivariate/logistic.json';
import mmd from '../fixtures/multivariate/mmd.json';
import components from '../fixtures/multivariate/components.json';

describe('calibration vs sklearn', () => {
  it('isotonic equals IsotonicRegression(out_of_bounds="clip").predict', () => {
    const c = mv.fitIsotonic(calibration.scores, calibration.labels);
    calibration.grid.forEach((g, i) =>
      expect(mv.calibrate(c, g)).toBeCloseTo(calibration.isotonic[i]!, 10),
    );
  });
  it('Platt equals sklearn _sigmoid_calibration', () => {
    const c = mv.fitPlatt(calibration.scores, calibration.labels);
    if (c.method !== 'platt') throw new Error('expected platt');
    expect(c.a).toBeCloseTo(calibration.platt.a, 4);
    expect(c.b).toBeCloseTo(calibration.platt.b, 4);
  });
});

describe('CBPE', () => {
  it('binary expected metrics equal the direct formulas; realised metrics equal sklearn', () => {
    const model = mv.fitCbpe(cbpeBinary.p, cbpeBinary.labels, { calibration: 'none' });
    const est = mv.estimatePerformance(model, cbpeBinary.p);
    for (const [k, v] of Object.entries(cbpeBinary.expected))
      expect(est.metrics[k as keyof typeof est.metrics].value, k).toBeCloseTo(v, 10);
    const real = mv.realisedPerformance(model, cbpeBinary.p, cbpeBinary.labels);
    for (const [k, v] of Object.entries(cbpeBinary.realised))
      expect(real[k as keyof typeof real], k).toBeCloseTo(v, 10);
  });
  it('binary accuracy band: σ equals the Poisson–binomial value within simulation error', () => {
    const model = mv.fitCbpe(cbpeBinary.p, cbpeBinary.labels, {
      calibration: 'none',
      draws: 4000,
      alpha: 0.05,
    });
    const est = mv.estimatePerformance(model, cbpeBinary.p).metrics.accuracy;
    let v = 0;
    for (const p of cbpeBinary.p) {
      const q = p >= 0.5 ? p : 1 - p;
      v += q * (1 - q);
    }
    const sigma = Math.sqrt(v) / cbpeBinary.p.length;
    const half = (est.upper - est.lower) / 2;
    expect(half / 1.959964).toBeGreaterThan(sigma * 0.95);
    expect(half / 1.959964).toBeLessThan(sigma * 1.05);
  });
  it('multiclass realised macro metrics equal sklearn; expected accuracy equals mean max-probability', () => {
    const model = mv.fitCbpe(cbpeMulticlass.probs, cbpeMulticlass.labels, { calibration: 'none' });
    expect(model.task).toBe('multiclass');
    const real = mv.realisedPerformance(model, cbpeMulticlass.probs, cbpeMulticlass.labels);
    for (const [k, v] of Object.entries(cbpeMulticlass.realised))
      expect(real[k as keyof typeof real], k).toBeCloseTo(v, 10);
    expect(mv.estimatePerformance(model, cbpeMulticlass.probs).metrics.accuracy.value).toBeCloseTo(
      cbpeMulticlass.expected_accuracy,
      10,
    );
  });
});

describe('PCA reconstruction error vs sklearn', () => {
  it('keeps the same number of components and gives the same per-row errors', () => {
    const model = mv.fitPcaDrift(pca.reference);
    expect(model.k).toBe(pca.components);
    expect(model.explained).toBeCloseTo(pca.explained, 8);
    const e = mv.reconstructionErrors(model, pca.current);
    pca.errors.forEach((v, i) => expect(e[i]).toBeCloseTo(v, 8));
  });
});

describe('logistic regression vs sklearn LogisticRegression()', () => {
  it('same coefficients and intercept', () => {
    const { matrix } = mv.toMatrix(logistic.x, 'x');
    const m = mv.fitLogistic(matrix.data, matrix.rows, matrix.cols, logistic.y);
    logistic.coef.forEach((c, j) => expect(m.coef[j]).toBeCloseTo(c, 5));
    expect(m.intercept).toBeCloseTo(logistic.intercept, 5);
  });
});

describe('MMD vs a direct numpy computation', () => {
  it('unbiased MMD² at a fixed bandwidth', () => {
    expect(mv.mmd2Unbiased(mmd.x, mmd.y, mmd.sigma)).toBeCloseTo(mmd.mmd2, 12);
  });
  it('median-heuristic bandwidth and statistic', () => {
    const r = mv.mmdTest(mv.prepareMmd(mmd.x, { permutations: 20 }), mmd.y);
    expect(r.bandwidth).toBeCloseTo(mmd.sigmaMedian, 12);
    expect(r.statistic).toBeCloseTo(mmd.mmd2Median, 12);
  });
});

describe('drifted components vs scipy ks_2samp', () => {
  it('per-dimension p-values', () => {
    const r = mv.driftedComponents(
      mv.prepareDriftedComponents(components.reference),
      components.current,
    );
    components.pValues.forEach((p, j) => expect(r.pValues[j]).toBeCloseTo(p, 10));
    expect(r.drifted[1]).toBe(true);
    expect(r.drifted[3]).toBe(true);
  });
});
