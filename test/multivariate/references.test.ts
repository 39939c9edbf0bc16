/**
 * The multivariate methods against independent references: sklearn / scipy /
 * numpy values written by scripts/fixtures-multivariate.py.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  calibrate,
  driftedComponents,
  estimatePerformance,
  fitCbpe,
  fitIsotonic,
  fitLogistic,
  fitPcaDrift,
  fitPlatt,
  mmd2Unbiased,
  prepareDriftedComponents,
  prepareMmd,
  mmdTest,
  realisedPerformance,
  reconstructionErrors,
  toMatrix,
} from '../../src/entry/multivariate.js';

const load = <T>(name: string): T =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/multivariate/${name}`, import.meta.url), 'utf8'),
  ) as T;

describe('calibration vs sklearn', () => {
  const f = load<{
    scores: number[];
    labels: number[];
    grid: number[];
    isotonic: number[];
    platt: { a: number; b: number };
  }>('calibration.json');
  it('isotonic equals IsotonicRegression(out_of_bounds="clip").predict', () => {
    const c = fitIsotonic(f.scores, f.labels);
    f.grid.forEach((g, i) => expect(calibrate(c, g)).toBeCloseTo(f.isotonic[i]!, 10));
  });
  it('Platt equals sklearn _sigmoid_calibration', () => {
    const c = fitPlatt(f.scores, f.labels);
    if (c.method !== 'platt') throw new Error('expected platt');
    expect(c.a).toBeCloseTo(f.platt.a, 4);
    expect(c.b).toBeCloseTo(f.platt.b, 4);
  });
});

describe('CBPE', () => {
  it('binary expected metrics equal the direct formulas; realised metrics equal sklearn', () => {
    const f = load<{
      p: number[];
      labels: number[];
      expected: Record<string, number>;
      realised: Record<string, number>;
    }>('cbpe-binary.json');
    const model = fitCbpe(f.p, f.labels, { calibration: 'none' });
    const est = estimatePerformance(model, f.p);
    for (const [k, v] of Object.entries(f.expected))
      expect(est.metrics[k as keyof typeof est.metrics].value, k).toBeCloseTo(v, 10);
    const real = realisedPerformance(model, f.p, f.labels);
    for (const [k, v] of Object.entries(f.realised))
      expect(real[k as keyof typeof real], k).toBeCloseTo(v, 10);
  });
  it('binary accuracy band: σ equals the Poisson–binomial value within simulation error', () => {
    const f = load<{ p: number[]; labels: number[] }>('cbpe-binary.json');
    const model = fitCbpe(f.p, f.labels, { calibration: 'none', draws: 4000, alpha: 0.05 });
    const est = estimatePerformance(model, f.p).metrics.accuracy;
    let v = 0;
    for (const p of f.p) {
      const q = p >= 0.5 ? p : 1 - p;
      v += q * (1 - q);
    }
    const sigma = Math.sqrt(v) / f.p.length;
    const half = (est.upper - est.lower) / 2;
    expect(half / 1.959964).toBeGreaterThan(sigma * 0.95);
    expect(half / 1.959964).toBeLessThan(sigma * 1.05);
  });
  it('multiclass realised macro metrics equal sklearn; expected accuracy equals mean max-probability', () => {
    const f = load<{
      probs: number[][];
      labels: number[];
      realised: Record<string, number>;
      expected_accuracy: number;
    }>('cbpe-multiclass.json');
    const model = fitCbpe(f.probs, f.labels, { calibration: 'none' });
    expect(model.task).toBe('multiclass');
    const real = realisedPerformance(model, f.probs, f.labels);
    for (const [k, v] of Object.entries(f.realised))
      expect(real[k as keyof typeof real], k).toBeCloseTo(v, 10);
    expect(estimatePerformance(model, f.probs).metrics.accuracy.value).toBeCloseTo(
      f.expected_accuracy,
      10,
    );
  });
});

describe('PCA reconstruction error vs sklearn', () => {
  it('keeps the same number of components and gives the same per-row errors', () => {
    const f = load<{
      reference: number[][];
      current: number[][];
      components: number;
      explained: number;
      errors: number[];
    }>('pca.json');
    const model = fitPcaDrift(f.reference);
    expect(model.k).toBe(f.components);
    expect(model.explained).toBeCloseTo(f.explained, 8);
    const e = reconstructionErrors(model, f.current);
    f.errors.forEach((v, i) => expect(e[i]).toBeCloseTo(v, 8));
  });
});

describe('logistic regression vs sklearn LogisticRegression()', () => {
  it('same coefficients and intercept', () => {
    const f = load<{ x: number[][]; y: number[]; coef: number[]; intercept: number }>(
      'logistic.json',
    );
    const { matrix } = toMatrix(f.x, 'x');
    const m = fitLogistic(matrix.data, matrix.rows, matrix.cols, f.y);
    f.coef.forEach((c, j) => expect(m.coef[j]).toBeCloseTo(c, 5));
    expect(m.intercept).toBeCloseTo(f.intercept, 5);
  });
});

describe('MMD vs a direct numpy computation', () => {
  const f = load<{
    x: number[][];
    y: number[][];
    sigma: number;
    mmd2: number;
    sigmaMedian: number;
    mmd2Median: number;
  }>('mmd.json');
  it('unbiased MMD² at a fixed bandwidth', () => {
    expect(mmd2Unbiased(f.x, f.y, f.sigma)).toBeCloseTo(f.mmd2, 12);
  });
  it('median-heuristic bandwidth and statistic', () => {
    const r = mmdTest(prepareMmd(f.x, { permutations: 20 }), f.y);
    expect(r.bandwidth).toBeCloseTo(f.sigmaMedian, 12);
    expect(r.statistic).toBeCloseTo(f.mmd2Median, 12);
  });
});

describe('drifted components vs scipy ks_2samp', () => {
  it('per-dimension p-values', () => {
    const f = load<{ reference: number[][]; current: number[][]; pValues: number[] }>(
      'components.json',
    );
    const r = driftedComponents(prepareDriftedComponents(f.reference), f.current);
    f.pValues.forEach((p, j) => expect(r.pValues[j]).toBeCloseTo(p, 10));
    expect(r.drifted[1]).toBe(true);
    expect(r.drifted[3]).toBe(true);
  });
});
